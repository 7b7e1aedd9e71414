"""What happened in a court during a period, by name: the facts a 情况总结 is written from.

The metric sources (activities/metrics.py) count; this module names. For one court and one
period it returns a plain, JSON-serialisable dict (the shape below, `FACTS_VERSION` 1) that the
summary build stores next to the numbers (reports.models.ReportFacts) and that the Word draft,
the workbook's family sheets and the leader's 驾驶舱 read. Its cost follows the court's data,
with a fixed number of queries per court whatever the number of rows.

Rules every family follows:
- Only what happened in the period: sessions that started in it, entries, votes, awards,
  recommendations, reflections, donations, outputs, assessments, qualifications dated in it.
- A session counts as held once its end has passed (`now`, the build's time) and it was not
  cancelled; minutes are optional evidence, never the switch (`session_is_held`).
- Names are what the court wrote (member names, unit names, titles); lists are ordered as a
  report would read them (by date, then by name) and capped where a family can be large
  (`LIST_CAP`); counts are never capped.
- Empty families keep their keys with zero counts and empty lists: the reader decides what
  to leave out, so a missing key is a bug, not "nothing happened".
- Labels (kinds, awards, "全院") are written in the site's language (settings.LANGUAGE_CODE),
  whatever language the worker runs in: the facts are stored and read later.
- Unit names are '' where the court itself organized something (an event's "unit", a
  series plan's "unit"); counts of people are of the court's own members.

The shape (every key always present):

    {
      "version": 1,
      "court": {"id": 3, "name": "前郭县人民法院"},
      "period": {"key": "2026-Q2", "start": "2026-04-01", "end": "2026-07-01"},   # end exclusive
      "reading": {
        "campaigns": [   # campaigns whose dates overlap the period
          {"id": 1, "title": "点燃读书热情 创建书香法院", "starts_on": "2026-04-01", "ends_on": "2026-12-31",
           "plan_document": "前郭法院开展“点燃读书热情 创建书香法院”活动方案.docx",   # '' when none
           "initiative_letter": true, "goal_books": 6}
        ],
        "recommendations": {   # made in the period
          "count": 8, "recommenders": 8, "leaders": 8,   # distinct recommenders; of them court leaders
          "people": [{"name": "赵建国", "title": "党组书记、院长"}],   # distinct, in order of first recommendation
          "books": ["红岩", "红星照耀中国"]   # distinct titles
        },
        "plans": {"members": 52, "books": 140},   # reading plans made in the period; their books
        "logs": 310, "readers": 61, "books_finished": 44,
        "reflections": {
          "submitted": 35, "authors": 30,
          "featured": [{"title": "…", "author": "张明", "unit": "民一庭", "date": "2026-05-03", "kind": "reading"}]
          # featured in the period, by date: kind "reading" (a 读书心得, under its own title) or "session"
          # (a session 感想 featured as 优秀心得; its title is the session's title)
        },
        "donations": [{"partner": "巴彦社区", "date": "2026-05-20", "titles": ["…"], "copies": 30}],
        "donated_copies": 30
      },
      "sessions": {
        "held": 40, "attendances": 900, "attendees": 120,   # distinct members present or late
        "expected": 1000,   # expected attendances of held sessions (as the attendance-rate metric)
        "by_kind": [{"code": "weekly_share", "name": "周分享", "held": 12, "attendances": 300}],
                   # every kind with a held session, court-added kinds included, in the kinds' order
        "by_level": {"center_group": 2, "branch": 5, "self": 0},   # 三学, held sessions with a level
        "speakers": {"leader": 3, "secretary": 6, "expert": 1, "officer": 30, "guests": 2},   # talks given
        "series": [   # series plans with a held session in the period (微课堂)
          {"id": 4, "title": "学习党的二十大精神", "theme": "党的二十大精神", "unit": "第一党支部",
           "unit_kind": "branch",   # what the unit is: "group", "branch", "department" ('' when none)
           "held": 4, "items": 10, "covered": 6}   # covered: items with a held session, all time
        ],
        "hosts": [{"name": "立案庭", "held": 2}],   # host departments of held sessions (专题培训 by others)
        "events": [   # held sessions, by start; capped at LIST_CAP
          {"id": 17, "date": "2026-04-15", "kind": "周分享", "kind_code": "weekly_share",
           "title": "我和我热爱的岗位", "topic": "…", "level": "branch",   # '' when none
           "unit": "政治部", "unit_kind": "department",   # the organizing unit: "group" (a study group),
           # "branch" (a party branch), "department" or '' (the court itself); a report names groups and branches
           "host": "", "audience": "全院", "place": "一楼会议室",
           "cohosts": ["第二党支部", "青年理论学习小组"],   # 联学联建: units holding it with the organizer
           # (departments, then branches, then groups, each by name); [] when none
           "series": "学习党的二十大精神", "series_item": "第一讲 …",   # '' when none
           "speakers": [{"name": "张明", "role": "officer", "guest": false}],
           "attendance": 62, "expected": 70}
        ],
        "events_total": 40
      },
      "contests": [   # contests with an entry, a vote, a score or an award in the period
        {"id": 2, "title": "周分享演讲比赛", "kind": "speech", "kind_label": "演讲比赛/周分享评比",
         "entrants": 12, "entries": 12, "voters": 62, "votes": 62, "judges": 5,
         "cross_review": false, "audience_vote": true, "judging": true, "session": "…",   # '' when none
         "by_unit": false,   # units enter (党建创新项目): entries are units' projects, entrants count units
         "winners": [   # awards given in the period, best first
           {"award": "论坛之星", "award_kind": "forum_star", "name": "张明",
            "unit": "民一庭", "title": "我和我热爱的岗位",
            "by_unit": false}]   # true for a unit's project: "name" and "unit" are both the unit's
                                 # name ("第三党支部", "研究室学习小组"), the title is the project's; no person is named
         }
      ],
      "quizzes": {"rounds": 15, "participants": 96, "attempts": 800, "average": 86.4,   # None when no attempt
                  "pass_rate": 93.5,   # percent of attempts with a pass mark that passed; None when none
                  "marked": 790, "passed": 739,   # the counts behind pass_rate (so merged rates stay exact)
                  "titles": ["第1期 …"]},
      "assessments": [   # held in the period
        {"id": 1, "title": "书记员速录测试", "kind": "typing", "date": "2026-05-10", "tested": 24,
         "average_score": None, "best_score": None,   # exams and skills contests
         "average_speed": 132.5, "best_speed": 186,   # characters per minute (速录)
         "average_accuracy": 98.2, "passed": 20}   # passed: None when the assessment has no pass line
      ],
      "qualifications": [{"name": "家庭教育指导师", "count": 9, "holders": ["徐长芳", "…"]}],   # issued in the period
      "monthly_plans": {   # the period's calendar months, one plan per member and month
        "months": 3, "members": 120,   # active members of the court
        "planned": 330, "on_time": 300, "late": 20, "not_reported": 10,   # plans; not_reported among the planned
        "pending": 0,   # plans whose report window is still open at `now`: not late, not missing yet
        "without_plan": 30,   # member-months of active members with no plan (months begun by `now`)
        "items": 1200, "items_done": 1100,
        "by_department": [   # the court's departments in their order; members with none last
          {"unit": "民一庭", "members": 20, "planned": 58, "on_time": 50, "late": 5, "not_reported": 3,
           "pending": 0, "without_plan": 2}
        ]
      },
      "outputs": {   # research outputs dated in the period
        "count": 122,
        "by_kind": [{"kind": "paper", "label": "论文", "count": 22, "titles": ["…"]}],
        "recognized": [{"title": "…", "kind": "论文", "recognition": "…", "note": "…", "authors": ["…"]}]
      },
      "compilations": [{"title": "“学以致用”成果汇编（第一批）", "items": 122, "status": "ready"}],
      "recruitment": [   # batches whose application window overlaps the period
        {"group": "习近平法治思想研习小组", "number": 2, "applied": 140, "selected": 100, "squads": 9}
      ],
      "groups_above": [   # groups of courts above, open to this court (两级法院), with this court's
                          # active people in them now (in the group or one of its squads), by court then name
        {"group": "习近平法治思想研习小组", "group_court": "辽源市中级人民法院", "members": 20}
      ]
    }
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Court, Department, Member, StudyGroupMembership, unit_ordering

from .models import (
    Application,
    Assessment,
    AssessmentResult,
    Attempt,
    Attendance,
    Award,
    BookRecommendation,
    Compilation,
    Contest,
    DonationItem,
    Entry,
    JudgeAssignment,
    MonthlyPlan,
    OutputAuthor,
    PlanItem,
    Qualification,
    Quiz,
    ReadingCampaign,
    ReadingLog,
    ReadingPlan,
    RecruitmentBatch,
    Reflection,
    ResearchOutput,
    SeriesPlan,
    Session,
    SessionKind,
    SessionReflection,
    Speaker,
    Vote,
)
from .models.plans import PLAN_TZ, ReportWindow

FACTS_VERSION = 1
LIST_CAP = 200  # longest list kept for a family whose rows can be many (events, titles)

SPEAKER_ROLES = [role.value for role in Speaker.Role]
LEVELS = [level.value for level in Session.Level]


def court_facts(
    *,
    court: Court,
    start: dt.datetime,
    end: dt.datetime,
    start_date: dt.date,
    end_date: dt.date,
    now: dt.datetime,
) -> dict:
    """What happened in `court` during [start, end) as it stands at `now`: the shape above.

    A fixed number of queries (about 35) whatever the court's size; each reads only this
    court's rows of the period (or, for a few totals such as a series plan's items, of the
    families the period touched).
    """
    with translation.override(settings.LANGUAGE_CODE):
        ctx = _Context(court=court, start=start, end=end, start_date=start_date, end_date=end_date, now=now)
        return {
            "version": FACTS_VERSION,
            "court": {"id": court.pk, "name": court.name},
            "period": {
                "key": _period_key(start_date, end_date),
                "start": start_date.isoformat(),
                "end": end_date.isoformat(),
            },
            "reading": _reading(ctx),
            "sessions": _sessions(ctx),
            "contests": _contests(ctx),
            "quizzes": _quizzes(ctx),
            "assessments": _assessments(ctx),
            "qualifications": _qualifications(ctx),
            "monthly_plans": _monthly_plans(ctx),
            "outputs": _outputs(ctx),
            "compilations": _compilations(ctx),
            "recruitment": _recruitment(ctx),
            "groups_above": _groups_above(ctx),
        }


class _Context:
    """The court, the period's bounds, and the court's people (one query), shared by the families."""

    def __init__(self, *, court, start, end, start_date, end_date, now) -> None:
        self.court, self.start, self.end, self.now = court, start, end, now
        self.start_date, self.end_date = start_date, end_date
        self.people = {
            pk: {"name": name, "department": department, "branch": branch, "active": active}
            for pk, name, department, branch, active in Member.objects.filter(court=court).values_list(
                "pk", "name", "department_id", "party_branch_id", "is_active"
            )
        }

    def during(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def on_days(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start_date, f"{field}__lt": self.end_date})


def _period_key(start_date: dt.date, end_date: dt.date) -> str:
    months = (end_date.year - start_date.year) * 12 + end_date.month - start_date.month
    if months == 1 and start_date.day == 1:
        return f"{start_date:%Y-%m}"
    if months == 3 and start_date.day == 1 and start_date.month % 3 == 1:
        return f"{start_date.year}-Q{(start_date.month - 1) // 3 + 1}"
    if months == 12 and start_date.day == 1 and start_date.month == 1:
        return str(start_date.year)
    return f"{start_date.isoformat()}/{end_date.isoformat()}"


def _day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _number(value) -> float | int | None:
    """A plain JSON number: whole numbers as ints, others rounded to one decimal."""
    if value is None:
        return None
    value = float(value) if isinstance(value, Decimal) else value
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 1)
    return value


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _first_unit(*names: str | None) -> str:
    return next((name for name in names if name), "")


def _unit_kind(group: str | None, branch: str | None, department: str | None) -> str:
    """Which of the unit fields `_first_unit` picked: a report names a group or branch that held a
    session ("奋楫笃行"青年理论学习小组), not the department of an ordinary meeting."""
    return "group" if group else "branch" if branch else "department" if department else ""


# --- reading ------------------------------------------------------------------------------------


def _reading(ctx: _Context) -> dict:
    campaigns = (
        ReadingCampaign.objects.filter(court=ctx.court, starts_on__lt=ctx.end_date, ends_on__gte=ctx.start_date)
        .exclude(status=ReadingCampaign.Status.DRAFT)  # a draft is not something the court ran
        .annotate(has_letter=ExpressionWrapper(~Q(initiative_letter=""), output_field=BooleanField()))
        .order_by("starts_on", "pk")
        .values(
            "pk", "title", "starts_on", "ends_on", "plan_document", "plan_document_name", "has_letter", "goal_books"
        )
    )
    recommendations = list(
        BookRecommendation.objects.filter(campaign__court=ctx.court)
        .filter(ctx.during("created_at"))
        .order_by("created_at", "pk")
        .values_list(
            "recommender_id", "recommender__name", "recommender__role", "recommender__post", "recommender_title",
            "book__title",
        )
    )  # fmt: skip
    posts = dict(Member.Post.choices)
    people: dict[int, dict] = {}
    leaders = set()
    for recommender, name, role, post, title, _book in recommendations:
        if role == Member.Role.LEADER or post == Member.Post.LEADER:
            leaders.add(recommender)
        if recommender not in people:
            people[recommender] = {"name": name, "title": title or str(posts.get(post, ""))}
    plans = ReadingPlan.objects.filter(campaign__court=ctx.court).filter(ctx.during("created_at"))
    plans = plans.aggregate(members=Count("member_id", distinct=True), books=Count("items"))
    logs = (
        ReadingLog.objects.filter(member__court=ctx.court)
        .filter(ctx.on_days("day"))
        .aggregate(
            logs=Count("pk"), readers=Count("member_id", distinct=True), finished=Count("pk", filter=Q(finished=True))
        )
    )
    submitted = (
        Reflection.objects.filter(author__court=ctx.court)
        .filter(ctx.during("submitted_at"))
        .aggregate(submitted=Count("pk"), authors=Count("author_id", distinct=True))
    )
    featured = [
        (at, title, author, unit, "reading")
        for title, author, unit, at in Reflection.objects.filter(
            author__court=ctx.court, status=Reflection.Status.FEATURED
        )
        .filter(ctx.during("featured_at"))
        .order_by("featured_at", "pk")
        .values_list("title", "author__name", "author__department__name", "featured_at")[:LIST_CAP]
    ]
    featured += [
        (at, title, author, unit, "session")
        for title, author, unit, at in SessionReflection.objects.filter(author__court=ctx.court)
        .filter(ctx.during("featured_at"))
        .order_by("featured_at", "pk")
        .values_list("session__title", "author__name", "author__department__name", "featured_at")[:LIST_CAP]
    ]
    featured.sort(key=lambda row: row[0])  # stable: the two kinds interleave by date
    donations: dict[int, dict] = {}
    for donation, day, partner, title, count in (
        DonationItem.objects.filter(donation__court=ctx.court)
        .filter(ctx.on_days("donation__day"))
        .order_by("donation__day", "donation_id", "pk")
        .values_list("donation_id", "donation__day", "donation__partner__name", "title", "count")
    ):
        row = donations.setdefault(donation, {"partner": partner, "date": _day(day), "titles": [], "copies": 0})
        row["titles"].append(title)
        row["copies"] += count
    return {
        "campaigns": [
            {
                "id": c["pk"],
                "title": c["title"],
                "starts_on": _day(c["starts_on"]),
                "ends_on": _day(c["ends_on"]),
                "plan_document": c["plan_document_name"] or os.path.basename(c["plan_document"] or ""),
                "initiative_letter": bool(c["has_letter"]),
                "goal_books": c["goal_books"],
            }
            for c in campaigns
        ],
        "recommendations": {
            "count": len(recommendations),
            "recommenders": len(people),
            "leaders": len(leaders),
            "people": list(people.values()),
            "books": list(dict.fromkeys(row[-1] for row in recommendations))[:LIST_CAP],
        },
        "plans": {"members": plans["members"], "books": plans["books"]},
        "logs": logs["logs"],
        "readers": logs["readers"],
        "books_finished": logs["finished"],
        "reflections": {
            "submitted": submitted["submitted"],
            "authors": submitted["authors"],
            "featured": [
                {"title": title, "author": author, "unit": unit or "", "date": _day(at), "kind": kind}
                for at, title, author, unit, kind in featured[:LIST_CAP]
            ],
        },
        "donations": list(donations.values()),
        "donated_copies": sum(row["copies"] for row in donations.values()),
    }


# --- sessions -----------------------------------------------------------------------------------


def _sessions(ctx: _Context) -> dict:
    held = Session.objects.filter(court=ctx.court).filter(ctx.during("start")).held(ctx.now)
    sessions = list(
        held.order_by("start", "pk").values(
            "pk", "start", "title", "topic", "level", "audience_court", "place", "kind_id",
            "unit_department__name", "unit_branch__name", "unit_group__name", "host_department__name",
            "series_plan_id", "series_plan__title", "series_item__topic",
        )
    )  # fmt: skip
    # Audiences (ids for the expected attendances, names for the report), one query per kind of unit.
    audience_ids: dict[int, dict[str, set]] = defaultdict(
        lambda: {"department": set(), "branch": set(), "group": set()}
    )
    audience_names: dict[int, list[str]] = defaultdict(list)
    for kind, through, field in (
        ("department", Session.audience_departments.through, "department"),
        ("branch", Session.audience_branches.through, "partybranch"),
        ("group", Session.audience_groups.through, "studygroup"),
    ):
        for session_id, unit_id, name in (
            through.objects.filter(session__in=held)
            .order_by("session_id", *unit_ordering(f"{field}__", department=kind == "department"))
            .values_list("session_id", f"{field}_id", f"{field}__name")
        ):
            audience_ids[session_id][kind].add(unit_id)
            audience_names[session_id].append(name)
    # Co-hosts (联学联建), one query per kind of unit, named in that order.
    cohosts: dict[int, list[str]] = defaultdict(list)
    for through, field in (
        (Session.cohost_departments.through, "department"),
        (Session.cohost_branches.through, "partybranch"),
        (Session.cohost_groups.through, "studygroup"),
    ):
        for session_id, name in (
            through.objects.filter(session__in=held)
            .order_by("session_id", f"{field}__name")
            .values_list("session_id", f"{field}__name")
        ):
            cohosts[session_id].append(name)
    groups_of: dict[int, set[int]] = defaultdict(set)  # member -> groups they count in (a squad's parent too)
    for group, parent, member in StudyGroupMembership.objects.filter(group__court=ctx.court).values_list(
        "group_id", "group__parent_id", "member_id"
    ):
        groups_of[member].update(g for g in (group, parent) if g)
    on_leave: dict[int, set[int]] = defaultdict(set)  # excused (请假): not expected, as in metrics.EXPECTED
    for session_id, member_id in Attendance.objects.filter(
        session__in=held, status=Attendance.Status.LEAVE
    ).values_list("session_id", "member_id"):
        on_leave[session_id].add(member_id)
    attended = Attendance.objects.filter(session__in=held, member__court=ctx.court, status__in=Attendance.ATTENDED)
    attendance = dict(attended.values("session_id").annotate(n=Count("pk")).values_list("session_id", "n"))
    attendees = attended.aggregate(n=Count("member_id", distinct=True))["n"]
    speakers_of: dict[int, list[dict]] = defaultdict(list)
    talks = dict.fromkeys([*SPEAKER_ROLES, "guests"], 0)
    for session_id, name, guest, role in (
        Speaker.objects.filter(session__in=held)
        .order_by("session_id", "position", "pk")
        .values_list("session_id", "member__name", "guest_name", "role")
    ):
        speakers_of[session_id].append({"name": name or guest, "role": role, "guest": name is None})
        talks[role] = talks.get(role, 0) + 1
        talks["guests"] += name is None
    kinds = list(SessionKind.objects.order_by("position", "name").values_list("pk", "code", "name"))
    series = {
        row["pk"]: row
        for row in SeriesPlan.objects.filter(pk__in=held.values("series_plan_id"))
        .annotate(
            n_items=Count("items", distinct=True),
            n_covered=Count(
                "items",
                distinct=True,
                filter=Q(items__session__end__lt=ctx.now)
                & Q(items__session__status__in=[Session.Status.PLANNED, Session.Status.HELD]),
            ),
        )
        .values(
            "pk", "title", "theme", "unit_department__name", "unit_branch__name", "unit_group__name", "n_items",
            "n_covered",
        )
    }  # fmt: skip

    active = [(pk, p) for pk, p in ctx.people.items() if p["active"]]
    by_kind: dict[int, dict] = {}
    by_level = dict.fromkeys(LEVELS, 0)
    series_held: dict[int, int] = {}
    hosts: dict[str, int] = {}
    events, expected_total = [], 0
    kind_names = {pk: (code, name) for pk, code, name in kinds}
    whole_court = _("whole court")
    for s in sessions:
        pk = s["pk"]
        excused = on_leave.get(pk, set())
        if s["audience_court"]:
            expected = sum(1 for member, _p in active if member not in excused)
        else:
            units = audience_ids[pk]
            expected = sum(
                1
                for member, p in active
                if member not in excused
                and (
                    p["department"] in units["department"]
                    or p["branch"] in units["branch"]
                    or groups_of.get(member, set()) & units["group"]
                )
            )
        expected_total += expected
        row = by_kind.setdefault(s["kind_id"], {"held": 0, "attendances": 0})
        row["held"] += 1
        row["attendances"] += attendance.get(pk, 0)
        if s["level"]:
            by_level[s["level"]] = by_level.get(s["level"], 0) + 1
        if s["series_plan_id"]:
            series_held[s["series_plan_id"]] = series_held.get(s["series_plan_id"], 0) + 1
        if s["host_department__name"]:
            hosts[s["host_department__name"]] = hosts.get(s["host_department__name"], 0) + 1
        if len(events) < LIST_CAP:
            code, name = kind_names.get(s["kind_id"], ("", ""))
            events.append(
                {
                    "id": pk,
                    "date": _day(s["start"]),
                    "kind": name,
                    "kind_code": code,
                    "title": s["title"],
                    "topic": s["topic"],
                    "level": s["level"],
                    "unit": _first_unit(s["unit_group__name"], s["unit_branch__name"], s["unit_department__name"]),
                    "unit_kind": _unit_kind(s["unit_group__name"], s["unit_branch__name"], s["unit_department__name"]),
                    "host": s["host_department__name"] or "",
                    "audience": str(whole_court) if s["audience_court"] else "、".join(audience_names[pk]),
                    "place": s["place"],
                    "cohosts": cohosts.get(pk, []),
                    "series": s["series_plan__title"] or "",
                    "series_item": s["series_item__topic"] or "",
                    "speakers": speakers_of.get(pk, []),
                    "attendance": attendance.get(pk, 0),
                    "expected": expected,
                }
            )
    return {
        "held": len(sessions),
        "attendances": sum(attendance.values()),
        "attendees": attendees,
        "expected": expected_total,
        "by_kind": [
            {"code": code, "name": name, "held": by_kind[pk]["held"], "attendances": by_kind[pk]["attendances"]}
            for pk, code, name in kinds
            if pk in by_kind
        ],
        "by_level": by_level,
        "speakers": talks,
        "series": [
            {
                "id": plan_id,
                "title": series[plan_id]["title"],
                "theme": series[plan_id]["theme"],
                "unit": _first_unit(
                    series[plan_id]["unit_group__name"],
                    series[plan_id]["unit_branch__name"],
                    series[plan_id]["unit_department__name"],
                ),
                "unit_kind": _unit_kind(
                    series[plan_id]["unit_group__name"],
                    series[plan_id]["unit_branch__name"],
                    series[plan_id]["unit_department__name"],
                ),
                "held": count,
                "items": series[plan_id]["n_items"],
                "covered": series[plan_id]["n_covered"],
            }
            for plan_id, count in series_held.items()  # in the order of their first session
            if plan_id in series
        ],
        "hosts": [{"name": name, "held": count} for name, count in hosts.items()],
        "events": events,
        "events_total": len(sessions),
    }


# --- contests, quizzes, assessments -------------------------------------------------------------


def _contests(ctx: _Context) -> list[dict]:
    mine = {"contest__court": ctx.court}
    entries = Entry.objects.filter(**mine).filter(ctx.during("created_at"))
    votes = Vote.objects.filter(**mine).filter(ctx.during("created_at"))
    scored = JudgeAssignment.objects.filter(**mine).filter(ctx.during("submitted_at"))
    awards = Award.objects.filter(**mine).filter(ctx.during("created_at"))
    contests = list(
        Contest.objects.filter(court=ctx.court)
        .filter(
            Q(pk__in=entries.values("contest_id"))
            | Q(pk__in=votes.values("contest_id"))
            | Q(pk__in=scored.values("contest_id"))
            | Q(pk__in=awards.values("contest_id"))
        )
        .order_by("created_at", "pk")
        .values(
            "pk",
            "title",
            "kind",
            "cross_review",
            "voting_enabled",
            "judging_enabled",
            "unit_kind",
            "entries_by_unit",
            "session__title",
        )
    )
    entry_counts = {
        row["contest_id"]: row
        for row in entries.values("contest_id").annotate(
            n=Count("pk"),
            # A unit's project counts its unit as the entrant, never its contact.
            people=Count("member_id", distinct=True, filter=Q(by_unit=False)),
            units=Count("pk", filter=Q(by_unit=True)),
        )
    }
    vote_counts = {
        row["contest_id"]: row
        for row in votes.values("contest_id").annotate(n=Count("pk"), people=Count("voter_id", distinct=True))
    }
    judges = dict(
        JudgeAssignment.objects.filter(contest__in=[c["pk"] for c in contests] or [0])
        .values("contest_id")
        .annotate(n=Count("judge_id", distinct=True))
        .values_list("contest_id", "n")
    )
    winners: dict[int, list] = defaultdict(list)
    kinds = dict(Award.Kind.choices)
    for row in awards.values(
        "contest_id", "kind", "custom_name", "entry__number", "entry__title", "entry__member__name",
        "entry__branch__name", "entry__department__name", "entry__group__name", "entry__member__department__name",
        "contest__unit_kind", "entry__by_unit",
    ):  # fmt: skip
        by_unit = row["entry__by_unit"]
        own = (
            (row["entry__group__name"],)
            if row["contest__unit_kind"] == Contest.UnitKind.GROUP
            else (row["entry__branch__name"], row["entry__department__name"])
            if row["contest__unit_kind"] == Contest.UnitKind.BRANCH
            else (row["entry__department__name"], row["entry__branch__name"])
        )
        winners[row["contest_id"]].append(
            (
                Award.RANK.get(row["kind"], 9),
                row["entry__number"],
                {
                    "award": row["custom_name"] if row["kind"] == Award.Kind.CUSTOM else str(kinds[row["kind"]]),
                    "award_kind": row["kind"],
                    "name": _first_unit(*own) if by_unit else row["entry__member__name"],
                    "unit": _first_unit(*own) if by_unit else _first_unit(*own, row["entry__member__department__name"]),
                    "title": row["entry__title"],
                    "by_unit": by_unit,
                },
            )
        )
    labels = dict(Contest.Kind.choices)
    return [
        {
            "id": c["pk"],
            "title": c["title"],
            "kind": c["kind"],
            "kind_label": str(labels.get(c["kind"], c["kind"])),
            "entrants": entry_counts.get(c["pk"], {}).get("people", 0) + entry_counts.get(c["pk"], {}).get("units", 0),
            "entries": entry_counts.get(c["pk"], {}).get("n", 0),
            "voters": vote_counts.get(c["pk"], {}).get("people", 0),
            "votes": vote_counts.get(c["pk"], {}).get("n", 0),
            "judges": judges.get(c["pk"], 0),
            "cross_review": c["cross_review"],
            "audience_vote": c["voting_enabled"],
            "judging": c["judging_enabled"],
            "session": c["session__title"] or "",
            "by_unit": c["entries_by_unit"],
            "winners": [item for _rank, _number, item in sorted(winners[c["pk"]], key=lambda w: w[:2])],
        }
        for c in contests
    ]


def _quizzes(ctx: _Context) -> dict:
    attempts = Attempt.objects.filter(
        quiz__court=ctx.court, status__in=[Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED]
    ).filter(ctx.during("submitted_at"))
    totals = attempts.aggregate(
        attempts=Count("pk"),
        participants=Count("member_id", distinct=True),
        average=Avg("score"),
        marked=Count("pk", filter=Q(passed__isnull=False)),
        passed=Count("pk", filter=Q(passed=True)),
    )
    titles = list(
        Quiz.objects.filter(pk__in=attempts.values("quiz_id"))
        .order_by("opens_at", "number", "pk")
        .values_list("title", flat=True)
    )
    return {
        "rounds": len(titles),
        "participants": totals["participants"],
        "attempts": totals["attempts"],
        "average": None if totals["average"] is None else round(float(totals["average"]), 1),
        "pass_rate": _percent(totals["passed"], totals["marked"]),
        "marked": totals["marked"],  # attempts with a pass mark: what pass_rate is a share of
        "passed": totals["passed"],
        "titles": titles[:LIST_CAP],
    }


def _assessments(ctx: _Context) -> list[dict]:
    assessments = list(
        Assessment.objects.filter(court=ctx.court)
        .filter(ctx.on_days("held_on"))
        .order_by("held_on", "pk")
        .values("pk", "title", "kind", "held_on", "pass_score", "pass_speed", "pass_accuracy")
    )
    results: dict[int, list] = defaultdict(list)
    for assessment, score, speed, accuracy in AssessmentResult.objects.filter(
        assessment__court=ctx.court, assessment__held_on__gte=ctx.start_date, assessment__held_on__lt=ctx.end_date
    ).values_list("assessment_id", "score", "chars_per_minute", "accuracy"):
        results[assessment].append((score, speed, accuracy))
    out = []
    for a in assessments:
        rows = results[a["pk"]]
        typing = a["kind"] == Assessment.Kind.TYPING
        scores = [float(score) for score, _s, _a in rows if score is not None]
        speeds = [speed for _sc, speed, _a in rows if speed is not None]
        accuracies = [float(accuracy) for _sc, _s, accuracy in rows if accuracy is not None]
        # The pass rule of AssessmentResult.passed, applied to the fetched values.
        if typing:
            has_line = a["pass_speed"] is not None or a["pass_accuracy"] is not None
            passed = sum(
                1
                for _score, speed, accuracy in rows
                if (a["pass_speed"] is None or (speed or 0) >= a["pass_speed"])
                and (a["pass_accuracy"] is None or (accuracy or 0) >= a["pass_accuracy"])
            )
        else:
            has_line = a["pass_score"] is not None
            passed = sum(1 for score, _s, _a in rows if (score or 0) >= (a["pass_score"] or 0))
        out.append(
            {
                "id": a["pk"],
                "title": a["title"],
                "kind": a["kind"],
                "date": _day(a["held_on"]),
                "tested": len(rows),
                "average_score": None if typing or not scores else _number(sum(scores) / len(scores)),
                "best_score": None if typing or not scores else _number(max(scores)),
                "average_speed": _number(sum(speeds) / len(speeds)) if typing and speeds else None,
                "best_speed": max(speeds) if typing and speeds else None,
                "average_accuracy": _number(sum(accuracies) / len(accuracies)) if typing and accuracies else None,
                "passed": passed if has_line else None,
            }
        )
    return out


def _qualifications(ctx: _Context) -> list[dict]:
    grouped: dict[str, dict] = {}
    for name, holder in (
        Qualification.objects.filter(member__court=ctx.court)
        .filter(ctx.on_days("issued_on"))
        .order_by("issued_on", "member__name", "pk")
        .values_list("name", "member__name")
    ):
        row = grouped.setdefault(name, {"name": name, "count": 0, "holders": []})
        row["count"] += 1
        if holder not in row["holders"]:
            row["holders"].append(holder)
    return list(grouped.values())


# --- monthly plans ------------------------------------------------------------------------------


def _months(ctx: _Context) -> list[tuple[int, int]]:
    months, year, month = [], ctx.start_date.year, ctx.start_date.month
    while dt.date(year, month, 1) < ctx.end_date:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _monthly_plans(ctx: _Context) -> dict:
    months = _months(ctx)
    in_months = Q(pk__in=[])
    for year, month in months:
        in_months |= Q(year=year, month=month)
    plans = (
        MonthlyPlan.objects.filter(member__court=ctx.court)
        .filter(in_months)
        .values("member_id", "year", "month", "reported_at")
        .annotate(n_items=Count("items"), n_done=Count("items", filter=Q(items__status=PlanItem.Status.DONE)))
        .order_by()
    )
    # Months that have begun by `now`: a member cannot be missing next month's plan yet.
    begun = [(y, m) for y, m in months if dt.datetime(y, m, 1, tzinfo=PLAN_TZ) <= ctx.now]
    windows = {(y, m): ReportWindow.for_month(y, m) for y, m in months}
    no_department = _("No department")
    departments = dict(Department.objects.filter(court=ctx.court).values_list("pk", "name"))  # in their order
    rows: dict[int | None, dict] = {
        pk: dict.fromkeys(["members", "planned", "on_time", "late", "not_reported", "pending", "without_plan"], 0)
        for pk in [*departments, None]
    }
    totals = dict.fromkeys(["planned", "on_time", "late", "not_reported", "pending", "items", "items_done"], 0)
    planned_by = defaultdict(set)  # member -> months with a plan
    for plan in plans:
        department = ctx.people.get(plan["member_id"], {}).get("department")
        row = rows[department if department in rows else None]
        window = windows[(plan["year"], plan["month"])]
        if plan["reported_at"] is not None:
            outcome = "on_time" if plan["reported_at"] < window.closes_at else "late"
        else:
            outcome = "not_reported" if window.has_closed(ctx.now) else "pending"
        for bucket in (totals, row):
            bucket["planned"] += 1
            bucket[outcome] += 1
        totals["items"] += plan["n_items"]
        totals["items_done"] += plan["n_done"]
        planned_by[plan["member_id"]].add((plan["year"], plan["month"]))
    without_plan = 0
    active = 0
    for pk, person in ctx.people.items():
        if not person["active"]:
            continue
        active += 1
        row = rows[person["department"] if person["department"] in rows else None]
        missing = sum(1 for month in begun if month not in planned_by.get(pk, ()))
        row["members"] += 1
        row["without_plan"] += missing
        without_plan += missing
    names = {**departments, None: str(no_department)}
    return {
        "months": len(months),
        "members": active,
        "planned": totals["planned"],
        "on_time": totals["on_time"],
        "late": totals["late"],
        "not_reported": totals["not_reported"],
        "pending": totals["pending"],
        "without_plan": without_plan,
        "items": totals["items"],
        "items_done": totals["items_done"],
        "by_department": [
            {"unit": names.get(pk, ""), **row} for pk, row in rows.items() if row["members"] or row["planned"]
        ],
    }


# --- outputs, compilations, recruitment ---------------------------------------------------------


def _outputs(ctx: _Context) -> dict:
    outputs = list(
        ResearchOutput.objects.filter(court=ctx.court)
        .filter(ctx.on_days("date"))
        .order_by("date", "title", "pk")
        .values("pk", "kind", "title", "recognition", "recognition_note")
    )
    authors: dict[int, list[str]] = defaultdict(list)
    for output, name, affiliation, member in (
        OutputAuthor.objects.filter(output__court=ctx.court)
        .filter(ctx.on_days("output__date"))
        .exclude(output__recognition="")
        .order_by("output_id", "position")
        .values_list("output_id", "name", "affiliation", "member_id")
    ):
        authors[output].append(f"{name}({affiliation})" if member is None and affiliation else name)
    kinds = dict(ResearchOutput.Kind.choices)
    recognitions = dict(ResearchOutput.Recognition.choices)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for o in outputs:
        by_kind[o["kind"]].append(o["title"])
    return {
        "count": len(outputs),
        "by_kind": [
            {"kind": kind, "label": str(label), "count": len(by_kind[kind]), "titles": by_kind[kind][:LIST_CAP]}
            for kind, label in kinds.items()
            if by_kind.get(kind)
        ],
        "recognized": [
            {
                "title": o["title"],
                "kind": str(kinds.get(o["kind"], o["kind"])),
                "recognition": str(recognitions.get(o["recognition"], o["recognition"])),
                "note": o["recognition_note"],
                "authors": authors.get(o["pk"], []),
            }
            for o in outputs
            if o["recognition"]
        ][:LIST_CAP],
    }


def _compilations(ctx: _Context) -> list[dict]:
    return [
        {"title": title, "items": items, "status": status}
        for title, items, status in Compilation.objects.filter(court=ctx.court)
        .filter(ctx.during("created_at") | ctx.during("built_at"))
        .annotate(n_items=Count("items"))
        .order_by("created_at", "pk")
        .values_list("title", "n_items", "status")
    ]


def _recruitment(ctx: _Context) -> list[dict]:
    """The court's batches of the period. A group open to the courts below (两级法院) recruits across
    them: its counts are everyone's, and `courts` says how many applied and were selected per court
    (one more query, only when there is such a batch). The courts below list nothing here: their
    people's learning counts in their own summaries, the batch in its group's court's."""
    selected = Q(applications__status=Application.Status.SELECTED)
    rows = list(
        RecruitmentBatch.objects.filter(
            group__court=ctx.court, opens_on__lt=ctx.end_date, closes_on__gte=ctx.start_date
        )
        .annotate(
            n_applied=Count("applications", distinct=True),
            n_selected=Count("applications", filter=selected, distinct=True),
            n_squads=Count("squads", distinct=True),
        )
        .order_by("opens_on", "pk")
        .values_list("pk", "group__name", "number", "n_applied", "n_selected", "n_squads", "group__spans_courts_below")
    )
    per_court: dict[int, list[dict]] = defaultdict(list)
    spanning = [row[0] for row in rows if row[6]]
    if spanning:
        for batch_id, court_id, name, applied, chosen in (
            Application.objects.filter(batch_id__in=spanning)
            .values("batch_id", "member__court_id", "member__court__name")
            .annotate(n=Count("pk"), n_selected=Count("pk", filter=Q(status=Application.Status.SELECTED)))
            .order_by("batch_id", "member__court__code")
            .values_list("batch_id", "member__court_id", "member__court__name", "n", "n_selected")
        ):
            row = {"court": name, "applied": applied, "selected": chosen}
            # The group's own court first, then the courts below.
            if court_id == ctx.court.pk:
                per_court[batch_id].insert(0, row)
            else:
                per_court[batch_id].append(row)
    entries = []
    for pk, group, number, applied, chosen, squads, spans in rows:
        entry = {"group": group, "number": number, "applied": applied, "selected": chosen, "squads": squads}
        if spans:
            entry["courts"] = per_court.get(pk, [])
        entries.append(entry)
    return entries


def _groups_above(ctx: _Context) -> list[dict]:
    """The court's people in groups of the courts above (their learning counts in this court's
    numbers; the group's own summary is its court's). One query."""
    people: dict[int, set[int]] = defaultdict(set)
    names: dict[int, tuple[str, str]] = {}
    for member_id, group_id, name, court, parent_id, parent_name in (
        StudyGroupMembership.objects.filter(member__court=ctx.court, member__is_active=True)
        .exclude(group__court=ctx.court)
        .values_list(
            "member_id", "group_id", "group__name", "group__court__name", "group__parent_id", "group__parent__name"
        )
    ):
        top = parent_id or group_id
        names[top] = (parent_name if parent_id else name, court)
        people[top].add(member_id)
    rows = [{"group": names[top][0], "group_court": names[top][1], "members": len(ids)} for top, ids in people.items()]
    return sorted(rows, key=lambda row: (row["group_court"], row["group"]))
