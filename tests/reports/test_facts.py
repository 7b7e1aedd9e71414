"""The facts of a court's quarter, by name: what the 情况总结, the workbook and the 驾驶舱 read.

前郭's third quarter of 2026, built on 28 September at noon: a reading campaign with the
president's recommendation, shares and micro-classes (one with no minutes written, one
cancelled, one still to come), a speech contest, two quiz rounds, a typing test and an exam,
certificates, monthly plans, outputs, a compilation and a recruitment batch.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.facts import court_facts
from activities.models import (
    Application,
    Attempt,
    Attendance,
    Award,
    BatchSquad,
    BookRecommendation,
    Compilation,
    CompilationItem,
    Donation,
    DonationItem,
    PartnerOrganization,
    Qualification,
    ReadingCampaign,
    ReadingPlan,
    ReadingPlanItem,
    RecruitmentBatch,
    Reflection,
    ResearchOutput,
    SeriesItem,
    SeriesPlan,
    Session,
    SessionKind,
    SessionReflection,
    Speaker,
    Vote,
)
from members.models import Department, StudyGroup
from reports import services
from reports.facts import facts_for, merge_facts
from reports.models import ReportFacts, Summary, SummaryBuild, UnitKind
from reports.periods import QUARTER, Period
from reports.services import build_run, facts_build
from tests.activities import sessions_factories as sf
from tests.activities.contests_helpers import (
    add_entry,
    assign,
    finished_attempt,
    make_assessment,
    make_contest,
    quiz_with_questions,
    record,
)
from tests.activities.plans_fixtures import make_output, make_plan
from tests.activities.reading_factories import make_book, make_campaign, make_log, make_reflection
from tests.factories import make_group, make_member

SHANGHAI = ZoneInfo("Asia/Shanghai")
Q3 = Period(QUARTER, dt.date(2026, 7, 1))
NOW = dt.datetime(2026, 9, 28, 12, 0, tzinfo=SHANGHAI)
_receipts = itertools.count(1)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def dated(obj, **fields):
    """Set auto_now_add timestamps after the fact (the services stamp the real clock)."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    return obj


def facts_of(court, period: Period = Q3, now: dt.datetime = NOW) -> dict:
    start, end = period.bounds()
    return court_facts(court=court, start=start, end=end, start_date=period.start, end_date=period.end, now=now)


def vote(contest, entry, voter, when):
    return dated(
        Vote.objects.create(contest=contest, entry=entry, voter=voter, slot=1, receipt=f"R{next(_receipts)}"),
        created_at=when,
    )


@pytest.fixture
def quarter(cast):
    """Everything 前郭 did in the third quarter, plus things just outside it."""
    c = cast
    # Reading --------------------------------------------------------------------------------
    campaign = make_campaign(
        c.court, title="点燃读书热情 创建书香法院", plan_document_name="前郭法院书香法院活动方案.docx",
        initiative_letter="全院干警：……", goal_books=6,
    )  # fmt: skip
    make_campaign(c.court, title="还在起草的活动", status=ReadingCampaign.Status.DRAFT)
    red_rock, village = make_book(title="红岩", author="罗广斌"), make_book()
    dated(
        BookRecommendation.objects.create(
            campaign=campaign, book=red_rock, recommender=c.leader, recommender_title="党组书记、院长", text="…"
        ),
        created_at=at(7, 2),
    )
    dated(
        BookRecommendation.objects.create(campaign=campaign, book=village, recommender=c.member, text="…"),
        created_at=at(7, 3),
    )
    plan = dated(ReadingPlan.objects.create(member=c.member, campaign=campaign), created_at=at(7, 4))
    for book in (red_rock, village):
        ReadingPlanItem.objects.create(plan=plan, book=book, target_month=dt.date(2026, 8, 1))
    make_log(c.member, red_rock, day=dt.date(2026, 7, 10))
    make_log(c.member, red_rock, day=dt.date(2026, 8, 10), finished=True)
    make_log(c.colleague, village, day=dt.date(2026, 9, 30))
    make_log(c.colleague, village, day=dt.date(2026, 10, 1), finished=True)  # the next quarter
    featured = make_reflection(c.colleague, title="读《红岩》有感", status=Reflection.Status.FEATURED)
    dated(featured, submitted_at=at(8, 1), featured_at=at(8, 5))
    dated(make_reflection(c.member), submitted_at=at(9, 1))
    partner = PartnerOrganization.objects.create(court=c.court, name="巴彦社区")
    donation = Donation.objects.create(court=c.court, partner=partner, day=dt.date(2026, 9, 20))
    DonationItem.objects.create(donation=donation, title="红岩", count=20)
    DonationItem.objects.create(donation=donation, title="乡土中国", count=10)

    # Sessions -------------------------------------------------------------------------------
    filing = Department.objects.create(court=c.court, name="立案庭")
    share = sf.make_session(c.court, start=at(7, 6, 8), title="我和我热爱的岗位", speakers=(c.member,))
    sf.attended(share, c.member)
    sf.attended(share, c.colleague, status=Attendance.Status.LATE)
    sf.attended(share, c.organizer, status=Attendance.Status.ABSENT)
    # The member's 感想 on the share was featured as 优秀心得 in July; the colleague's in October.
    dated(SessionReflection.objects.create(session=share, author=c.member, text="…"), featured_at=at(7, 10))
    dated(SessionReflection.objects.create(session=share, author=c.colleague, text="…"), featured_at=at(10, 2))
    series = SeriesPlan.objects.create(
        court=c.court, title="学习党的二十大精神", theme="党的二十大精神", unit_branch=c.branch
    )
    first, _second = (
        SeriesItem.objects.create(plan=series, position=i, topic=f"第{n}讲") for i, n in ((1, "一"), (2, "二"))
    )
    micro = sf.make_session(
        c.court, start=at(8, 12, 15), title="二十大精神微课堂", kind_code="micro_class", audience_court=False,
        status=Session.Status.HELD, level=Session.Level.BRANCH, unit_branch=c.branch, series_plan=series,
        series_item=first,
    )  # fmt: skip
    micro.audience_branches.set([c.branch])
    Speaker.objects.create(session=micro, member=c.leader, role=Speaker.Role.LEADER, position=0)
    Speaker.objects.create(session=micro, guest_name="王教授", role=Speaker.Role.EXPERT, position=1)
    sf.attended(micro, c.member)
    book_club = SessionKind.objects.create(name="候英·善读读书会", code="houying", position=99)
    training = sf.make_session(
        c.court,
        start=at(9, 2, 14),
        title="立案登记专题培训",
        kind_code=book_club.code,
        host_department=filing,
        unit_department=filing,
    )
    sf.attended(training, c.leader)
    sf.make_session(c.court, start=at(9, 9), title="取消的例会", status=Session.Status.CANCELLED)
    sf.make_session(c.court, start=at(9, 29), title="还没开的例会")  # after the build

    # Contests, quizzes, assessments -------------------------------------------------------
    contest = make_contest(c.court, title="周分享演讲比赛", judging=True)
    speech = dated(add_entry(contest, c.colleague, "我和我热爱的岗位"), created_at=at(7, 20))
    heart = dated(add_entry(contest, c.member, "初心"), created_at=at(7, 21))
    for voter in (c.member, c.organizer, c.leader):
        vote(contest, speech, voter, at(7, 25))
    vote(contest, heart, c.colleague, at(7, 25))
    assign(contest, speech, c.leader)
    assign(contest, heart, c.leader)
    dated(Award.objects.create(contest=contest, entry=speech, kind=Award.Kind.FORUM_STAR), created_at=at(7, 28))
    dated(Award.objects.create(contest=contest, entry=heart, kind=Award.Kind.FIRST), created_at=at(7, 28))
    make_contest(c.court, title="下季度的征文比赛")  # nothing happened in it yet

    round1 = quiz_with_questions(c.court, n=2, title="微测验 第1期")
    round2 = quiz_with_questions(c.court, n=2, title="微测验 第2期")
    attempts = [
        finished_attempt(round1, c.member),
        finished_attempt(round2, c.member, right=False),
        finished_attempt(round1, c.colleague),
    ]
    Attempt.objects.filter(pk__in=[a.pk for a in attempts]).update(submitted_at=at(8, 20))

    typing = make_assessment(c.court, title="书记员速录测试", held_on=dt.date(2026, 8, 10))
    record(typing, c.colleague, chars_per_minute=130, accuracy=98)
    record(typing, c.member, chars_per_minute=100, accuracy=99)
    exam = make_assessment(c.court, kind="exam", title="习近平法治思想应用考试", held_on=dt.date(2026, 9, 5))
    record(exam, c.member, score=88)
    record(exam, c.colleague, score=92)
    for person in (c.member, c.colleague):
        Qualification.objects.create(
            member=person, name="家庭教育指导师", issuer="省妇联", issued_on=dt.date(2026, 8, 1)
        )

    # Plans, outputs, compilations, recruitment ---------------------------------------------
    dated(make_plan(c.member, 2026, 7), reported_at=at(7, 30))  # on time
    dated(make_plan(c.member, 2026, 8), reported_at=at(9, 10))  # after 3 September: late
    make_plan(c.member, 2026, 9)  # its window is still open on 28 September
    make_plan(c.colleague, 2026, 7)  # never reported
    paper = make_output(c.court, c.member, "论司法为民", date=dt.date(2026, 8, 1))
    case = make_output(
        c.court, c.colleague, "某物业合同纠纷案", kind=ResearchOutput.Kind.TYPICAL_CASE, date=dt.date(2026, 9, 1),
        recognition=ResearchOutput.Recognition.AWARDED, recognition_note="全省法院优秀案例",
    )  # fmt: skip
    case.authors.create(position=2, name="王教授", affiliation="吉林大学")
    make_output(c.court, c.member, "十月的论文", date=dt.date(2026, 10, 8))
    book = dated(
        Compilation.objects.create(
            court=c.court, title="“学以致用”成果汇编（第一批）", status=Compilation.Status.READY
        ),
        built_at=at(9, 25),
    )
    for position, output in enumerate((paper, case)):
        CompilationItem.objects.create(compilation=book, output=output, position=position)
    group = make_group(c.court, "习近平法治思想研习小组", kind=StudyGroup.Kind.RESEARCH)
    batch = RecruitmentBatch.objects.create(
        group=group, number=2, criteria="…", capacity=100, opens_on=dt.date(2026, 9, 1), closes_on=dt.date(2026, 9, 15)
    )
    Application.objects.create(batch=batch, member=c.member, statement="…", status=Application.Status.SELECTED)
    Application.objects.create(batch=batch, member=c.colleague, statement="…")
    squad = StudyGroup.objects.create(court=c.court, name="第一学习小队", kind=StudyGroup.Kind.SQUAD, parent=group)
    BatchSquad.objects.create(batch=batch, group=squad)
    return {"share": share, "micro": micro, "training": training}


def test_reading_names_the_campaign_the_recommenders_the_featured_reflection_and_the_donation(cast, quarter):
    reading = facts_of(cast.court)["reading"]
    [campaign] = reading["campaigns"]  # the draft is not something the court ran
    assert campaign["title"] == "点燃读书热情 创建书香法院" and campaign["goal_books"] == 6
    assert campaign["plan_document"] == "前郭法院书香法院活动方案.docx" and campaign["initiative_letter"] is True
    recommendations = reading["recommendations"]
    assert (recommendations["count"], recommendations["recommenders"], recommendations["leaders"]) == (2, 2, 1)
    assert recommendations["people"] == [
        {"name": "赵院长", "title": "党组书记、院长"},
        {"name": "张明", "title": "员额法官"},
    ]
    assert recommendations["books"] == ["红岩", "乡土中国"]
    assert reading["plans"] == {"members": 1, "books": 2}
    assert (reading["logs"], reading["readers"], reading["books_finished"]) == (3, 2, 1)  # October's not
    assert reading["reflections"]["submitted"] == 2 and reading["reflections"]["authors"] == 2
    assert reading["reflections"]["featured"] == [  # both kinds, by the day they were featured
        {"title": "我和我热爱的岗位", "author": "张明", "unit": "民一庭", "date": "2026-07-10", "kind": "session"},
        {"title": "读《红岩》有感", "author": "李静", "unit": "民一庭", "date": "2026-08-05", "kind": "reading"},
    ]
    assert reading["donations"] == [
        {"partner": "巴彦社区", "date": "2026-09-20", "titles": ["红岩", "乡土中国"], "copies": 30}
    ]
    assert reading["donated_copies"] == 30


def test_a_session_is_held_once_it_has_ended_unless_cancelled_minutes_or_not(cast, quarter):
    sessions = facts_of(cast.court)["sessions"]
    # The share has no minutes and still says "planned": it ended, so it was held. The cancelled
    # session and the one on 29 September (after the build) were not.
    assert [e["title"] for e in sessions["events"]] == ["我和我热爱的岗位", "二十大精神微课堂", "立案登记专题培训"]
    assert sessions["held"] == sessions["events_total"] == 3
    later = facts_of(cast.court, now=dt.datetime(2026, 9, 30, 12, 0, tzinfo=SHANGHAI))["sessions"]
    assert later["held"] == 4 and "还没开的例会" in [e["title"] for e in later["events"]]


def test_sessions_are_named_with_kinds_levels_speakers_series_and_hosts(cast, quarter):
    sessions = facts_of(cast.court)["sessions"]
    share, micro, training = sessions["events"]
    assert share == {
        "id": quarter["share"].pk, "date": "2026-07-06", "kind": "周分享", "kind_code": "weekly_share",
        "title": "我和我热爱的岗位", "topic": "", "level": "", "unit": "", "unit_kind": "", "host": "", "audience": "全院",
        "place": "三楼会议室", "cohosts": [], "series": "", "series_item": "",
        "speakers": [{"name": "张明", "role": "officer", "guest": False}], "attendance": 2, "expected": 4,
    }  # fmt: skip
    assert (micro["unit"], micro["unit_kind"], micro["audience"], micro["series"], micro["series_item"]) == (
        "第一党支部", "branch", "第一党支部", "学习党的二十大精神", "第一讲",
    )  # fmt: skip
    assert micro["speakers"] == [
        {"name": "赵院长", "role": "leader", "guest": False},
        {"name": "王教授", "role": "expert", "guest": True},
    ]
    assert (micro["attendance"], micro["expected"]) == (1, 2)  # the branch: member and colleague
    assert (training["kind"], training["host"]) == ("候英·善读读书会", "立案庭")
    # What the organizing unit is, so the report names a group or branch but not a department.
    assert (training["unit"], training["unit_kind"]) == ("立案庭", "department")
    assert sessions["by_kind"] == [
        {"code": "weekly_share", "name": "周分享", "held": 1, "attendances": 2},
        {"code": "micro_class", "name": "微课堂", "held": 1, "attendances": 1},
        {"code": "houying", "name": "候英·善读读书会", "held": 1, "attendances": 1},  # added by the court
    ]
    assert sessions["by_level"] == {"center_group": 0, "branch": 1, "self": 0}
    assert sessions["speakers"] == {"leader": 1, "secretary": 0, "expert": 1, "officer": 1, "guests": 1}
    assert sessions["series"] == [
        {
            "id": quarter["micro"].series_plan_id, "title": "学习党的二十大精神", "theme": "党的二十大精神",
            "unit": "第一党支部", "unit_kind": "branch", "held": 1, "items": 2, "covered": 1,
        }
    ]  # fmt: skip
    assert sessions["hosts"] == [{"name": "立案庭", "held": 1}]
    assert (sessions["attendances"], sessions["attendees"], sessions["expected"]) == (4, 3, 10)


def test_the_facts_agree_with_the_summary_numbers(cast, quarter):
    build_run(court_id=cast.court.pk, period=Q3, now=NOW)
    court = Summary.objects.for_period(Q3).get(unit_kind=UnitKind.COURT, unit_id=cast.court.pk).values
    sessions = facts_for(cast.court, Q3)["sessions"]
    assert sessions["held"] == court["sessions_held"] == 3
    assert sessions["attendances"] == court["sessions_attended"]
    assert sessions["expected"] == court["sessions_expected"]


def test_contests_name_their_winners_best_award_first(cast, quarter):
    [contest] = facts_of(cast.court)["contests"]  # the essay contest had nothing in the quarter
    assert contest["title"] == "周分享演讲比赛" and contest["kind_label"] == "演讲比赛／周分享评比"
    assert (contest["entrants"], contest["entries"], contest["voters"], contest["votes"], contest["judges"]) == (
        2, 2, 4, 4, 1,
    )  # fmt: skip
    assert contest["audience_vote"] and contest["judging"] and not contest["cross_review"]
    assert contest["winners"] == [
        {"award": "一等奖", "award_kind": "first", "name": "张明", "unit": "民一庭", "title": "初心", "by_unit": False},
        {
            "award": "论坛之星",
            "award_kind": "forum_star",
            "name": "李静",
            "unit": "民一庭",
            "title": "我和我热爱的岗位",
            "by_unit": False,
        },
    ]


def test_quizzes_assessments_and_qualifications(cast, quarter):
    facts = facts_of(cast.court)
    quizzes = facts["quizzes"]
    assert quizzes["titles"] == ["微测验 第1期", "微测验 第2期"]
    assert (quizzes["rounds"], quizzes["participants"], quizzes["attempts"]) == (2, 2, 3)
    scores = [float(a.score) for a in Attempt.objects.all()]
    assert quizzes["average"] == round(sum(scores) / 3, 1)
    assert quizzes["pass_rate"] == 66.7 and (quizzes["marked"], quizzes["passed"]) == (3, 2)
    typing, exam = facts["assessments"]
    assert (typing["title"], typing["date"], typing["tested"]) == ("书记员速录测试", "2026-08-10", 2)
    assert (typing["average_speed"], typing["best_speed"], typing["average_accuracy"]) == (115, 130, 98.5)
    assert typing["passed"] == 1 and typing["average_score"] is None  # 120 characters and 95% to pass
    assert (exam["average_score"], exam["best_score"], exam["passed"]) == (90, 92, None)  # no pass line
    assert exam["average_speed"] is None
    assert facts["qualifications"] == [{"name": "家庭教育指导师", "count": 2, "holders": ["张明", "李静"]}]


def test_monthly_plans_on_time_late_missing_and_by_department(cast, quarter):
    plans = facts_of(cast.court)["monthly_plans"]
    assert (plans["months"], plans["members"], plans["planned"]) == (3, 4, 4)
    assert (plans["on_time"], plans["late"], plans["not_reported"], plans["pending"]) == (1, 1, 1, 1)
    assert plans["without_plan"] == 4 * 3 - 4
    assert (plans["items"], plans["items_done"]) == (8, 0)
    assert plans["by_department"] == [
        {"unit": "政治部", "members": 2, "planned": 0, "on_time": 0, "late": 0, "not_reported": 0, "pending": 0,
         "without_plan": 6},
        {"unit": "民一庭", "members": 2, "planned": 4, "on_time": 1, "late": 1, "not_reported": 1, "pending": 1,
         "without_plan": 2},
    ]  # fmt: skip


def test_outputs_compilations_and_recruitment(cast, quarter):
    facts = facts_of(cast.court)
    outputs = facts["outputs"]
    assert outputs["count"] == 2  # October's paper is the next quarter's
    assert outputs["by_kind"] == [
        {"kind": "paper", "label": "论文", "count": 1, "titles": ["论司法为民"]},
        {"kind": "typical_case", "label": "典型案例", "count": 1, "titles": ["某物业合同纠纷案"]},
    ]
    assert outputs["recognized"] == [
        {"title": "某物业合同纠纷案", "kind": "典型案例", "recognition": "获奖", "note": "全省法院优秀案例",
         "authors": ["李静", "王教授(吉林大学)"]},
    ]  # fmt: skip
    assert facts["compilations"] == [{"title": "“学以致用”成果汇编（第一批）", "items": 2, "status": "ready"}]
    assert facts["recruitment"] == [
        {"group": "习近平法治思想研习小组", "number": 2, "applied": 2, "selected": 1, "squads": 1}
    ]


def test_an_empty_quarter_keeps_every_key(cast):
    facts = facts_of(cast.other_court)
    shaped = facts_of(cast.court)  # also empty: the fixture is not used
    assert facts.keys() == shaped.keys()
    assert facts["sessions"]["held"] == 0 and facts["sessions"]["events"] == []
    assert facts["quizzes"]["average"] is None and facts["quizzes"]["pass_rate"] is None
    assert facts["monthly_plans"]["by_department"] == [
        {"unit": "刑事审判庭", "members": 1, "planned": 0, "on_time": 0, "late": 0, "not_reported": 0, "pending": 0,
         "without_plan": 3}
    ]  # fmt: skip
    assert facts["period"] == {"key": "2026-Q3", "start": "2026-07-01", "end": "2026-10-01"}


def _a_busy_quarter(cast, n: int) -> None:
    """n of everything in 辽源 (the sibling court), so the two sizes differ in every family."""
    court = cast.other_court
    person = make_member(court, f"干警{n}", department=cast.other_department)
    campaign = make_campaign(court)
    contest = make_contest(court, title=f"演讲比赛{n}")
    for i in range(n):
        session = sf.make_session(court, start=at(7, 6 + i, 8), speakers=(person,) if i == 0 else ())
        sf.attended(session, person)
        dated(SessionReflection.objects.create(session=session, author=person, text="…"), featured_at=at(8, 6))
        book = make_book(title=f"书{n}-{i}")
        make_log(person, book, day=dt.date(2026, 7, 10 + i), finished=True)
        dated(
            BookRecommendation.objects.create(campaign=campaign, book=book, recommender=person, text="…"),
            created_at=at(7, 2),
        )
        dated(make_reflection(person, status=Reflection.Status.FEATURED), submitted_at=at(8, 1), featured_at=at(8, 5))
        make_output(court, person, f"论文{n}-{i}", date=dt.date(2026, 8, 1 + i), recognition="adopted")
        attempt = finished_attempt(quiz_with_questions(court, n=1, title=f"测验{n}-{i}"), person)
        Attempt.objects.filter(pk=attempt.pk).update(submitted_at=at(8, 20))
        assessment = make_assessment(court, title=f"速录{n}-{i}", held_on=dt.date(2026, 8, 10))
        record(assessment, person, chars_per_minute=120, accuracy=99)
        Qualification.objects.create(member=person, name=f"证书{n}-{i}", issuer="…", issued_on=dt.date(2026, 8, 1))
        make_plan(person, 2026, 7 + i % 3) if i < 3 else None
        partner = PartnerOrganization.objects.create(court=court, name=f"社区{n}-{i}")
        donation = Donation.objects.create(court=court, partner=partner, day=dt.date(2026, 9, 20))
        DonationItem.objects.create(donation=donation, title="红岩", count=5)
    entry = dated(add_entry(contest, person, "初心"), created_at=at(7, 20))
    dated(Award.objects.create(contest=contest, entry=entry, kind=Award.Kind.FIRST), created_at=at(7, 28))


def test_the_number_of_queries_does_not_grow_with_the_data(cast):
    _a_busy_quarter(cast, 1)
    with CaptureQueriesContext(connection) as small:
        few = facts_of(cast.other_court)
    _a_busy_quarter(cast, 4)
    with CaptureQueriesContext(connection) as large:
        many = facts_of(cast.other_court)
    assert few["sessions"]["held"] == 1 and many["sessions"]["held"] == 5
    assert len(many["reading"]["reflections"]["featured"]) == 10 and many["outputs"]["count"] == 5
    assert len(small.captured_queries) == len(large.captured_queries) <= 40


# Building, storing, reading and merging ---------------------------------------------------------


def test_every_build_stores_the_facts_once_per_court_and_period(cast, quarter):
    assert facts_for(cast.court, Q3) is None  # never built
    build = build_run(court_id=cast.court.pk, period=Q3, now=NOW)
    assert build.status == SummaryBuild.Status.DONE
    build_run(court_id=cast.court.pk, period=Q3, now=NOW + dt.timedelta(days=1))
    row = ReportFacts.objects.get(court=cast.court)
    assert row.period == Q3 and row.built_at == NOW + dt.timedelta(days=1)
    facts = facts_for(cast.court, Q3)
    assert facts["built_at"] == "2026-09-29T12:00:00+08:00" and facts["missing_courts"] == []
    assert facts["sessions"]["held"] == 4  # a day later, the share of 29 September has ended


def test_a_failing_facts_build_fails_the_build(cast, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("facts exploded")

    monkeypatch.setattr(services, "court_facts", broken)
    with pytest.raises(RuntimeError):
        build_run(court_id=cast.court.pk, period=Q3, now=NOW)
    build = SummaryBuild.objects.get(court=cast.court)
    assert build.status == SummaryBuild.Status.FAILED and "facts exploded" in build.error


def test_the_city_reads_its_basic_courts_merged(cast, quarter):
    other_share = sf.make_session(cast.other_court, start=at(7, 7, 8), title="龙山区周分享")
    sf.attended(other_share, cast.outsider)
    attempt = finished_attempt(quiz_with_questions(cast.other_court, n=2, title="龙山微测验"), cast.outsider)
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=at(8, 21))

    assert facts_for(cast.city, Q3, with_children=True) is None  # the city's own quarter was never built
    facts_build(court=cast.city, period=Q3, now=NOW)
    facts_build(court=cast.court, period=Q3, now=NOW - dt.timedelta(hours=2))
    partial = facts_for(cast.city, Q3, with_children=True)
    assert partial["missing_courts"] == ["辽源市龙山区人民法院"]
    assert partial["courts"] == ["松原市中级人民法院", "前郭县人民法院"]

    facts_build(court=cast.other_court, period=Q3, now=NOW)
    merged = facts_for(cast.city, Q3, with_children=True)
    alone = [facts_for(court, Q3) for court in (cast.court, cast.other_court)]
    assert merged["missing_courts"] == []
    assert merged["court"]["name"] == "松原市中级人民法院" and merged["period"]["key"] == "2026-Q3"
    assert dt.datetime.fromisoformat(merged["built_at"]) == NOW - dt.timedelta(hours=2)  # the oldest build
    assert merged["sessions"]["held"] == 4 and merged["sessions"]["attendances"] == 5
    courts = {e["title"]: e["court"] for e in merged["sessions"]["events"]}
    assert courts["龙山区周分享"] == "辽源市龙山区人民法院" and courts["二十大精神微课堂"] == "前郭县人民法院"
    weekly = next(row for row in merged["sessions"]["by_kind"] if row["code"] == "weekly_share")
    assert weekly == {"code": "weekly_share", "name": "周分享", "held": 2, "attendances": 3}
    assert merged["contests"][0]["court"] == "前郭县人民法院"
    quizzes = merged["quizzes"]
    assert quizzes["attempts"] == 4 and quizzes["rounds"] == 3
    weighted = (alone[0]["quizzes"]["average"] * 3 + alone[1]["quizzes"]["average"]) / 4
    assert quizzes["average"] == round(weighted, 1)
    assert quizzes["pass_rate"] == 75.0  # 3 of 4 passed
    units = [row["unit"] for row in merged["monthly_plans"]["by_department"]]
    # The city first (its president has no department), then the courts below by code, departments in order.
    assert units == ["未分配部门", "刑事审判庭", "政治部", "民一庭"]
    assert merged["monthly_plans"]["members"] == 6
    assert merged.keys() >= alone[0].keys()


def test_merge_adds_rows_of_the_same_name(cast):
    def one(unit: str, planned: int) -> dict:
        return {"monthly_plans": {"planned": planned, "by_department": [{"unit": unit, "planned": planned}]}}

    merged = merge_facts([("甲院", one("民一庭", 3)), ("乙院", one("民一庭", 2)), ("丙院", one("刑庭", 1))])
    assert merged["monthly_plans"] == {
        "planned": 6,
        "by_department": [{"unit": "民一庭", "planned": 5}, {"unit": "刑庭", "planned": 1}],
    }
