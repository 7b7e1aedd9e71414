"""Summaries: the numbers per unit, idempotent rebuilds, and what the task records."""

import datetime as dt

from members.models import Member, StudyGroup, StudyGroupMembership
from reports.models import Summary, SummaryBuild, UnitKind
from reports.periods import MONTH, Period
from reports.services import MAX_ATTEMPTS, build_run, summary_build
from reports.tasks import build_previous

OCTOBER = Period(MONTH, dt.date(2026, 10, 1))


def values(unit_kind, unit_id, period=OCTOBER):
    return Summary.objects.get(
        period_kind=period.kind, period_start=period.start, unit_kind=unit_kind, unit_id=unit_id
    ).values


def test_member_outputs_add_up_to_department_branch_group_and_court(cast, logged_outputs):
    group = StudyGroup.objects.create(court=cast.court, name="青年理论学习小组")
    StudyGroupMembership.objects.create(group=group, member=cast.member)
    logged_outputs.update({cast.member.pk: 3, cast.colleague.pk: 2})
    summary_build(court=cast.court, period=OCTOBER)

    assert values(UnitKind.MEMBER, cast.member.pk) == {"test_outputs": 3, "members": 1, "active_members": 1}
    assert values(UnitKind.DEPARTMENT, cast.department.pk) == {"test_outputs": 5, "members": 2, "active_members": 2}
    assert values(UnitKind.BRANCH, cast.branch.pk)["test_outputs"] == 5
    assert values(UnitKind.GROUP, group.pk) == {"test_outputs": 3, "members": 1, "active_members": 1}
    court = values(UnitKind.COURT, cast.court.pk)
    assert court == {"test_outputs": 5, "members": 4, "active_members": 2}  # member, colleague, organizer, leader


def test_rebuilding_gives_the_same_rows_and_numbers(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 1})
    summary_build(court=cast.court, period=OCTOBER)
    first = {(s.unit_kind, s.unit_id): s.values for s in Summary.objects.all()}
    summary_build(court=cast.court, period=OCTOBER)
    second = {(s.unit_kind, s.unit_id): s.values for s in Summary.objects.all()}
    assert first == second
    assert Summary.objects.count() == len(first)


def test_a_member_who_left_the_department_drops_out_of_its_row(cast, logged_outputs):
    logged_outputs.update({cast.colleague.pk: 4})
    summary_build(court=cast.court, period=OCTOBER)
    Member.objects.filter(pk=cast.colleague.pk).update(department=None, party_branch=None)
    summary_build(court=cast.court, period=OCTOBER)
    assert values(UnitKind.DEPARTMENT, cast.department.pk) == {"members": 1}


def test_inactive_members_without_outputs_are_not_counted(cast, logged_outputs):
    Member.objects.filter(pk=cast.colleague.pk).update(is_active=False)
    summary_build(court=cast.court, period=OCTOBER)
    assert values(UnitKind.COURT, cast.court.pk)["members"] == 3
    assert not Summary.objects.filter(unit_kind=UnitKind.MEMBER, unit_id=cast.colleague.pk).exists()


def test_the_task_records_a_done_build_and_a_failed_one_after_too_many_attempts(cast, logged_outputs):
    build = build_run(court_id=cast.court.pk, period=OCTOBER)
    assert build.status == SummaryBuild.Status.DONE and build.progress == 100
    # A build that keeps being redelivered (its worker keeps dying) stops after MAX_ATTEMPTS.
    SummaryBuild.objects.filter(pk=build.pk).update(attempts=MAX_ATTEMPTS, status=SummaryBuild.Status.RUNNING)
    build = build_run(court_id=cast.court.pk, period=OCTOBER)
    assert build.status == SummaryBuild.Status.FAILED


def test_beat_builds_last_month_for_every_court_on_the_first(cast, logged_outputs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # without a worker: each build runs once queued
        assert build_previous(MONTH, "2026-11-01") == 3  # city, court, other court
    assert set(SummaryBuild.objects.values_list("period_start", flat=True)) == {dt.date(2026, 10, 1)}
    assert Summary.objects.filter(unit_kind=UnitKind.COURT, period_start=dt.date(2026, 10, 1)).count() == 3


def test_learning_points_follow_the_courts_weights(cast, logged_outputs):
    from reports.services import points_weights_set

    logged_outputs.update({cast.member.pk: 3, cast.colleague.pk: 1})
    points_weights_set(court=cast.court, weights={"test_outputs": 2.5, "unknown_metric": 9}, actor=cast.organizer.user)
    summary_build(court=cast.court, period=OCTOBER)
    assert values(UnitKind.MEMBER, cast.member.pk)["points"] == 7.5
    assert values(UnitKind.DEPARTMENT, cast.department.pk)["points"] == 10.0


def test_without_weights_there_are_no_points(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 3})
    summary_build(court=cast.court, period=OCTOBER)
    assert "points" not in values(UnitKind.MEMBER, cast.member.pk)


def test_build_summaries_command_builds_recent_periods_and_refuses_bad_input(cast):
    import io

    import pytest
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("build_summaries", "--period", "2026-10", "--court", "qg", stdout=out)
    assert "2026-10: 1 courts built" in out.getvalue()
    assert Summary.objects.filter(unit_kind=UnitKind.COURT, unit_id=cast.court.pk, period_start=OCTOBER.start).exists()
    # Without --period: this and last month, this and last quarter, this year (key figures
    # compare with the previous period, so it is built too).
    out = io.StringIO()
    call_command("build_summaries", "--court", "qg", stdout=out)
    assert out.getvalue().count("courts built") == 5
    with pytest.raises(CommandError):
        call_command("build_summaries", "--period", "2026-13")
    with pytest.raises(CommandError):
        call_command("build_summaries", "--court", "nowhere")
