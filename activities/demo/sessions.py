"""Demo sessions: a youth group's weekly shares with a rota, a branch's 周一例会 with its own rota and a
leave request, a branch's micro-class series, monthly study.

Safe to run twice: plans are published with fixed tokens (a second publish is refused and skipped),
and everything else is get_or_create.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.utils import timezone

from members.models import PartyBranch, StudyGroup, StudyGroupMembership

from ..models.sessions import Attendance, SelfReportedShare, SeriesPlan, Session, SessionKind, SessionReflection
from ..selectors.sessions import (
    LAST,
    RecurrenceRule,
    WorkCalendar,
    expected_members,
    plan_occurrences,
    quarter_bounds,
    quarter_of,
    unit_members,
)
from ..services import sessions as services

MICRO_CLASS_TOPICS = [
    ("党的二十大报告总体框架", "《党的二十大报告》第一、二部分"),
    ("以中国式现代化全面推进中华民族伟大复兴", "《党的二十大报告》第三部分"),
    ("坚持全面依法治国，推进法治中国建设", "《党的二十大报告》第七部分"),
    ("公正司法与司法为民", "《习近平法治思想学习纲要》相关章节"),
    ("全面从严治党永远在路上", "《党的二十大报告》第十五部分"),
]


def _publish(*, actor, token, rule, year, quarter, **kwargs) -> None:
    first, last = quarter_bounds(year, quarter)
    occurrences = plan_occurrences(rule, first, last, WorkCalendar.load(first, last, actor.court))
    with contextlib.suppress(services.SessionError):  # published by an earlier run
        services.quarter_publish(
            actor=actor, token=token, rule=rule, occurrences=occurrences, first_day=first, last_day=last, **kwargs
        )


def seed(people) -> None:
    organizer, court = people.organizer, people.organizer.court
    year, quarter = quarter_of(timezone.localdate())
    group, _ = StudyGroup.objects.get_or_create(
        court=court, name="青年理论学习小组", defaults={"kind": StudyGroup.Kind.YOUTH}
    )
    members = list(people.members_of(court).exclude(role="leader").order_by("employee_number")[:8])
    for index, member in enumerate(members):
        StudyGroupMembership.objects.get_or_create(
            group=group,
            member=member,
            defaults={"role": StudyGroupMembership.Role.LEADER if index == 0 else StudyGroupMembership.Role.MEMBER},
        )
    rota = services.rota_create(actor=organizer, unit=group)
    for y, q in ((year, quarter), (year + 1, 1) if quarter == 4 else (year, quarter + 1)):
        _publish(
            actor=organizer,
            token=f"demo-weekly-{y}q{q}",
            rule=RecurrenceRule(frequency="weekly", weekday=0, start_time=dt.time(8, 30), duration_minutes=45),
            year=y,
            quarter=q,
            kind=SessionKind.objects.get(code=SessionKind.WEEKLY_SHARE),
            title="周一学习例会·周分享",
            unit=group,
            rota=rota,
            place="三楼会议室",
        )
    branch = PartyBranch.objects.filter(court=court).first()
    if branch is not None:
        plan = SeriesPlan.objects.filter(court=court, title="学习贯彻党的二十大精神系列微课堂").first()
        if plan is None:
            plan = services.series_plan_create(
                actor=organizer, title="学习贯彻党的二十大精神系列微课堂", unit=branch, theme="党的二十大精神"
            )
            for topic, readings in MICRO_CLASS_TOPICS:
                services.series_item_add(actor=organizer, plan=plan, topic=topic, readings=readings)
        _publish(
            actor=organizer,
            token=f"demo-micro-{year}q{quarter}",
            rule=RecurrenceRule(
                frequency="weekly", weekday=3, start_time=dt.time(16, 30), duration_minutes=30, interval=2
            ),
            year=year,
            quarter=quarter,
            kind=SessionKind.objects.get(code=SessionKind.MICRO_CLASS),
            title="微课堂",
            unit=branch,
            series_plan=plan,
            place="党员活动室",
            branches=[branch],
        )
    # 第二党支部's own 周一例会 with the branch's rota, planned by its secretary (an organizer
    # limited to the branch), and a member asking for leave from the next one.
    limited = getattr(people, "limited_organizer", None)
    if limited is not None and limited.scope_branch_id:
        branch_rota = services.rota_create(actor=limited, unit=limited.scope_branch)
        _publish(
            actor=limited,
            token=f"demo-branch-weekly-{year}q{quarter}",
            rule=RecurrenceRule(frequency="weekly", weekday=0, start_time=dt.time(17, 0), duration_minutes=30),
            year=year,
            quarter=quarter,
            kind=SessionKind.objects.get(code=SessionKind.WEEKLY_SHARE),
            title="第二党支部周一例会",
            unit=limited.scope_branch,
            rota=branch_rota,
            place="四楼党员活动室",
            branches=[limited.scope_branch],
        )
        coming = Session.objects.filter(rota=branch_rota).upcoming(timezone.now()).first()
        asking = next((m for m in unit_members(limited.scope_branch) if m.pk != limited.pk), None)
        if coming is not None and asking is not None:
            with contextlib.suppress(services.SessionError):  # asked on an earlier run
                services.leave_request_create(
                    member=asking, session=coming, reason="外出开庭（巡回审判）", now=timezone.now()
                )
    _publish(
        actor=organizer,
        token=f"demo-study-{year}q{quarter}",
        rule=RecurrenceRule(
            frequency="monthly", weekday=None, ordinal=LAST, start_time=dt.time(15, 0), duration_minutes=90
        ),
        year=year,
        quarter=quarter,
        kind=SessionKind.objects.get(code="collective_study"),
        title="全院集中学习",
        place="审判法庭大厅",
        whole_court=True,
    )
    # A session already held, with attendance, minutes and a reflection.
    now = timezone.now()
    held = Session.objects.filter(rota=rota, start__lt=now).order_by("-start").first()
    if held is not None and held.status == Session.Status.PLANNED:
        for member in members:
            Attendance.objects.get_or_create(
                session=held,
                member=member,
                defaults={
                    "status": Attendance.Status.PRESENT,
                    "method": Attendance.Method.CODE,
                    "signed_in_at": held.start,
                },
            )
        services.session_record(
            actor=organizer, session=held, minutes="一、主讲人分享；二、交流讨论；三、组长点评。", now=now
        )
        SessionReflection.objects.get_or_create(
            session=held, author=people.member, defaults={"text": "结合审判实践谈体会，收获很大。"}
        )
    _attend_past_sessions(court, now)
    SelfReportedShare.objects.get_or_create(
        member=people.member,
        topic="民法典进社区：婚姻家庭编解读",
        defaults={
            "group": group,
            "date": timezone.localdate() - dt.timedelta(days=5),
            "place": "前郭镇社区服务中心",
            "listeners": "社区居民",
            "listener_count": 40,
        },
    )


def _attend_past_sessions(court, now: dt.datetime) -> None:
    """Sign-ins for the sessions already past, as a real court's would look: most of the
    audience present, a few late, on leave or absent (the same on every run)."""

    past = Session.objects.filter(court=court, start__lt=now).exclude(status=Session.Status.CANCELLED)
    rows = []
    for session in past.prefetch_related("audience_departments", "audience_branches", "audience_groups"):
        rng = random.Random(session.pk)
        for member in expected_members(session):
            draw = rng.random()
            status = (
                Attendance.Status.PRESENT
                if draw < 0.86
                else Attendance.Status.LATE
                if draw < 0.9
                else Attendance.Status.LEAVE
                if draw < 0.96
                else Attendance.Status.ABSENT
            )
            signed_in = status in (Attendance.Status.PRESENT, Attendance.Status.LATE)
            rows.append(
                Attendance(
                    session=session,
                    member=member,
                    status=status,
                    method=Attendance.Method.CODE if signed_in else Attendance.Method.ORGANIZER,
                    signed_in_at=session.start if signed_in else None,
                    reason="外出开庭" if status == Attendance.Status.LEAVE else "",
                )
            )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
