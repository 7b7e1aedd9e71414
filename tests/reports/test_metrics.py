"""Each metric against a small hand-computed fixture: one October in 前郭, member by member."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import (
    Attempt,
    Attendance,
    Award,
    Donation,
    DonationItem,
    PartnerOrganization,
    PlanItem,
    Reflection,
    SelfReportedShare,
    Session,
    SessionReflection,
    Speaker,
)
from reports.models import Summary, UnitKind
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.activities import sessions_factories as sf
from tests.activities.contests_helpers import add_entry, finished_attempt, make_contest, quiz_with_questions
from tests.activities.plans_fixtures import make_output, make_plan
from tests.activities.reading_factories import make_book, make_log, make_reflection

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = Period(MONTH, dt.date(2026, 10, 1))
IN_OCTOBER = dt.datetime(2026, 10, 31, 23, 59, tzinfo=SHANGHAI)  # the last minute still counts


def summary(unit_kind, unit_id) -> dict:
    return Summary.objects.get(
        period_kind=OCTOBER.kind, period_start=OCTOBER.start, unit_kind=unit_kind, unit_id=unit_id
    ).values


@pytest.fixture
def october(cast):
    """What 张明 (member) and 李静 (colleague) did in October, plus things just outside it."""
    book = make_book()
    # Reading: member logs 3 times (1 finished); colleague once, in November (not counted).
    make_log(cast.member, book, day=dt.date(2026, 10, 1))
    make_log(cast.member, book, day=dt.date(2026, 10, 15))
    make_log(cast.member, book, day=dt.date(2026, 10, 31), finished=True)
    make_log(cast.colleague, book, day=dt.date(2026, 11, 1), finished=True)
    submitted = make_reflection(cast.member)
    featured = make_reflection(cast.member, status=Reflection.Status.FEATURED, title="优秀心得")
    make_reflection(cast.colleague, status=Reflection.Status.DRAFT)
    Reflection.objects.filter(pk=submitted.pk).update(submitted_at=IN_OCTOBER)
    Reflection.objects.filter(pk=featured.pk).update(submitted_at=IN_OCTOBER, featured_at=IN_OCTOBER)
    partner = PartnerOrganization.objects.create(court=cast.court, name="城东社区")
    donation = Donation.objects.create(court=cast.court, partner=partner, day=dt.date(2026, 10, 20))
    DonationItem.objects.create(donation=donation, title="民法典", count=30)

    # Sessions: two weekly shares for the whole court took place (member spoke at one), one cancelled.
    # Minutes were written for the first (marked held); nobody wrote any for the second, which still
    # says "planned": it ended and was not cancelled, so it was held all the same.
    held = [sf.make_session(cast.court, start=dt.datetime(2026, 10, d, 8, 30, tzinfo=SHANGHAI)) for d in (12, 19)]
    Session.objects.filter(pk=held[0].pk).update(minutes="一、学习民法典", status=Session.Status.HELD)
    sf.make_session(
        cast.court, start=dt.datetime(2026, 10, 26, 8, 30, tzinfo=SHANGHAI), status=Session.Status.CANCELLED
    )
    Speaker.objects.create(session=held[0], member=cast.member, position=0)
    sf.attended(held[0], cast.member)
    sf.attended(held[1], cast.member, status=Attendance.Status.LATE)
    sf.attended(held[0], cast.colleague)
    sf.attended(held[1], cast.colleague, status=Attendance.Status.ABSENT)
    reflection = SessionReflection.objects.create(session=held[0], author=cast.colleague, text="很有收获")
    SessionReflection.objects.filter(pk=reflection.pk).update(created_at=IN_OCTOBER)
    share = SelfReportedShare.objects.create(
        member=cast.colleague, topic="民法典婚姻家庭编", date=dt.date(2026, 10, 9), place="民一庭", listeners="民一庭",
        listener_count=8, status=SelfReportedShare.Status.CONFIRMED,
    )  # fmt: skip

    # Contests and quizzes: the colleague enters and wins; the member passes one quiz and fails one.
    contest = make_contest(cast.court)
    entry = add_entry(contest, cast.colleague, "初心")
    award = Award.objects.create(contest=contest, entry=entry, kind=Award.Kind.FORUM_STAR)
    for model, pk in ((type(entry), entry.pk), (Award, award.pk)):
        model.objects.filter(pk=pk).update(created_at=IN_OCTOBER)
    good = finished_attempt(quiz_with_questions(cast.court, n=2, title="微测验 第1期"), cast.member)
    bad = finished_attempt(quiz_with_questions(cast.court, n=2, title="微测验 第2期"), cast.member, right=False)
    Attempt.objects.filter(pk__in=[good.pk, bad.pk]).update(submitted_at=IN_OCTOBER)

    # Plans and outputs: the member's October plan, 1 of 2 items done; one paper by both.
    plan = make_plan(cast.member, 2026, 10)
    PlanItem.objects.filter(plan=plan, position=1).update(status=PlanItem.Status.DONE)
    output = make_output(cast.court, cast.member, date=dt.date(2026, 10, 8))
    output.authors.create(position=2, member=cast.colleague, name=cast.colleague.name)
    make_output(cast.court, cast.member, title="十一月的论文", date=dt.date(2026, 11, 2))

    summary_build(court=cast.court, period=OCTOBER)
    return {"good": good, "bad": bad, "share": share}


def test_reading_metrics(cast, october):
    member = summary(UnitKind.MEMBER, cast.member.pk)
    assert member["reading_logs"] == 3 and member["books_finished"] == 1
    assert member["reflections_submitted"] == 2 and member["reflections_featured"] == 1
    assert "reading_logs" not in summary(UnitKind.MEMBER, cast.colleague.pk)  # November does not count
    assert summary(UnitKind.COURT, cast.court.pk)["books_donated"] == 30


def test_session_metrics(cast, october):
    member, colleague = summary(UnitKind.MEMBER, cast.member.pk), summary(UnitKind.MEMBER, cast.colleague.pk)
    assert member["sessions_attended"] == 2 and member["sessions_expected"] == 2
    assert colleague["sessions_attended"] == 1 and colleague["sessions_expected"] == 2
    assert member["shares_given"] == 1 and colleague["shares_given"] == 1  # spoke / confirmed self-report
    assert colleague["session_reflections"] == 1
    court = summary(UnitKind.COURT, cast.court.pk)
    assert court["sessions_held"] == 2 and court["sessions_held_weekly_share"] == 2  # the cancelled one is not
    # Everyone active in the court was expected twice: 4 members × 2.
    assert court["sessions_expected"] == 8 and court["sessions_attended"] == 3


def test_a_session_counts_as_held_once_it_has_ended(cast, october):
    """Built while the second share is still going on (19 October, 9:00): only the first was held."""
    summary_build(court=cast.court, period=OCTOBER, now=dt.datetime(2026, 10, 19, 9, 0, tzinfo=SHANGHAI))
    court = summary(UnitKind.COURT, cast.court.pk)
    assert court["sessions_held"] == 1 and court["sessions_attended"] == 2 and court["sessions_expected"] == 4
    summary_build(court=cast.court, period=OCTOBER, now=dt.datetime(2026, 10, 19, 9, 31, tzinfo=SHANGHAI))
    assert summary(UnitKind.COURT, cast.court.pk)["sessions_held"] == 2  # ended at 9:30, no minutes needed


def test_contest_and_quiz_metrics(cast, october):
    member, colleague = summary(UnitKind.MEMBER, cast.member.pk), summary(UnitKind.MEMBER, cast.colleague.pk)
    assert colleague["contest_entries"] == 1 and colleague["awards"] == 1
    assert member["quiz_attempts"] == 2 and member["quiz_passed"] == 1
    expected_total = float(october["good"].score + october["bad"].score)
    assert member["quiz_score_total"] == pytest.approx(expected_total)


def test_plan_and_output_metrics(cast, october):
    member, colleague = summary(UnitKind.MEMBER, cast.member.pk), summary(UnitKind.MEMBER, cast.colleague.pk)
    assert member["plan_items"] == 2 and member["plan_items_done"] == 1
    assert member["authorships"] == 1 and colleague["authorships"] == 1
    court = summary(UnitKind.COURT, cast.court.pk)
    assert court["research_outputs"] == 1 and court["outputs_paper"] == 1  # counted once, November's not at all


def test_rates_and_activity_are_derived_from_the_counts(cast, october):
    from reports.metrics import get

    court = summary(UnitKind.COURT, cast.court.pk)
    assert court["members"] == 4 and court["active_members"] == 2  # member and colleague produced outputs
    assert get("participation_rate").value(court) == 50.0
    assert get("attendance_rate").value(court) == 37.5  # 3 of 8
    assert get("plan_completion_rate").value(court) == 50.0
    assert get("quiz_pass_rate").value(court) == 50.0


def test_a_build_costs_the_same_few_queries_for_a_busy_court_and_an_empty_one(cast, october):
    """One statement for every number, then the court's existing rows read and changed rows
    written in one upsert (in a savepoint here, inside the test's transaction). Nothing is named:
    the featured reflection and the award in the fixture cost no query of their own (names are
    the facts' job, reports.services.facts_build). A build whose member rows changed asks once
    which courts above count those members in their groups (to mark them stale); a rebuild that
    changes nothing does not ask."""
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the build's statements bypass Django's cursor (courtlearn.db): not counted")
    with CaptureQueriesContext(connection) as busy:
        summary_build(court=cast.court, period=OCTOBER)
    with CaptureQueriesContext(connection) as empty:
        summary_build(court=cast.other_court, period=OCTOBER)
    with CaptureQueriesContext(connection) as empty_again:
        summary_build(court=cast.other_court, period=OCTOBER)
    # The busy court was built by the fixture: nothing changed. The empty court's member rows are new.
    assert len(busy.captured_queries) == len(empty_again.captured_queries) == 5
    assert len(empty.captured_queries) == 6


def test_a_rebuild_gives_the_same_numbers(cast, october):
    before = {(s.unit_kind, s.unit_id): s.values for s in Summary.objects.all()}
    summary_build(court=cast.court, period=OCTOBER)
    assert before == {(s.unit_kind, s.unit_id): s.values for s in Summary.objects.all()}


def test_a_later_build_sees_new_records(cast, october):
    """Metric functions share one query per table within a build; a new build must not reuse it."""
    make_log(cast.member, make_book(title="第二本"), day=dt.date(2026, 10, 2), finished=True)
    summary_build(court=cast.court, period=OCTOBER)
    member = summary(UnitKind.MEMBER, cast.member.pk)
    assert member["reading_logs"] == 4 and member["books_finished"] == 2


def test_expected_attendance_follows_each_sessions_audience(cast):
    """Departments, branches and study groups (with their squads): the build counts each member
    once per session whose audience includes them, as the session's own attendance sheet does."""
    from activities.selectors.sessions import expected_members
    from tests.members.test_audience import research_group_with_a_squad

    group = research_group_with_a_squad(cast)  # member, and the organizer through a squad
    day = dt.datetime(2026, 10, 14, 8, 30, tzinfo=SHANGHAI)
    for_group = sf.make_session(
        cast.court, start=day, audience_court=False, groups=(group,), status=Session.Status.HELD
    )
    for_department = sf.make_session(
        cast.court, start=day + dt.timedelta(days=1), audience_court=False, status=Session.Status.HELD
    )
    for_department.audience_departments.set([cast.department])  # member and colleague
    for_both = sf.make_session(
        cast.court, start=day + dt.timedelta(days=2), audience_court=False, status=Session.Status.HELD
    )
    for_both.audience_branches.set([cast.branch])  # member and colleague
    for_both.audience_groups.set([group])  # member again (once), and the organizer
    cast.colleague.is_active = False  # left the court: no longer expected anywhere
    cast.colleague.save(update_fields=["is_active"])

    summary_build(court=cast.court, period=OCTOBER)

    sessions = [for_group, for_department, for_both]
    for person in (cast.member, cast.organizer, cast.colleague, cast.leader):
        expected = sum(expected_members(s).filter(pk=person.pk).exists() for s in sessions)
        got = Summary.objects.filter(period_start=OCTOBER.start, unit_kind=UnitKind.MEMBER, unit_id=person.pk).first()
        assert (got.values.get("sessions_expected", 0) if got else 0) == expected, person.name
    assert summary(UnitKind.MEMBER, cast.member.pk)["sessions_expected"] == 3
    assert summary(UnitKind.MEMBER, cast.organizer.pk)["sessions_expected"] == 2


def test_a_city_group_open_to_the_courts_below_counts_its_people_of_the_basic_courts(cast, october):
    """两级法院: 张明 of 前郭 is in the city court's 研习小组 and attended one of the city court's sessions.
    The group row (the city court's) adds up his own court's numbers for him and that attendance; the city
    court's own row counts neither; his court's rows are as before; points follow the city's weights."""
    from members.models import StudyGroup
    from reports.models import PointsWeight
    from tests.factories import make_group

    group = make_group(cast.city, "研习小组", members=[cast.member, cast.city_leader], kind=StudyGroup.Kind.RESEARCH)
    StudyGroup.objects.filter(pk=group.pk).update(spans_courts_below=True)
    squad = StudyGroup.objects.create(court=cast.city, name="第一小队", kind=StudyGroup.Kind.SQUAD, parent=group)
    squad.memberships.create(member=cast.member)
    city_session = sf.make_session(
        cast.city, start=dt.datetime(2026, 10, 14, 8, 30, tzinfo=SHANGHAI), status=Session.Status.HELD
    )
    sf.attended(city_session, cast.member)
    PointsWeight.objects.create(court=cast.city, metric_key="reading_logs", weight=2)
    summary_build(court=cast.court, period=OCTOBER)
    summary_build(court=cast.city, period=OCTOBER)

    own = summary(UnitKind.MEMBER, cast.member.pk)
    assert "points" not in own  # his own court uses no points
    for unit in (group, squad):
        row = summary(UnitKind.GROUP, unit.pk)
        assert row["reading_logs"] == own["reading_logs"] == 3
        assert row["reflections_submitted"] == own["reflections_submitted"]
        assert row["sessions_attended"] == own["sessions_attended"] + 1  # and the city court's session
        assert row["points"] == 6  # 3 logs × the city's weight 2
    assert summary(UnitKind.GROUP, group.pk)["members"] == 2  # and the city's own 陈院长
    assert summary(UnitKind.GROUP, group.pk)["active_members"] == 1
    city = summary(UnitKind.COURT, cast.city.pk)
    assert "reading_logs" not in city and "sessions_attended" not in city
    assert not Summary.objects.filter(unit_kind=UnitKind.MEMBER, unit_id=cast.member.pk, court_id=cast.city.pk).exists()
    assert summary(UnitKind.COURT, cast.court.pk)["reading_logs"] == 3
