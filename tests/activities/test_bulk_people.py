"""An organizer acts on a hundred people in one action: applicants, squads, attendance, group members.

Issue 13 point 6: selecting 100 applicants took 100 clicks and reloads. Now they are ticked, taken
from the page's filter ("everyone in this list") or pasted as 工号, and one POST decides them all.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from activities.models.plans import Application
from activities.models.sessions import Attendance
from activities.services.plans import batch_create, squads_form
from members.models import AuditEvent, Member, Notification, StudyGroup, StudyGroupMembership

from ..factories import make_member
from .sessions_factories import make_session


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def make_batch(cast, capacity=100):
    group = StudyGroup.objects.create(court=cast.court, name="研习小组", kind=StudyGroup.Kind.RESEARCH)
    return batch_create(
        actor=cast.organizer,
        group=group,
        criteria="业务骨干",
        capacity=capacity,
        opens_on=dt.date(2020, 1, 1),
        closes_on=dt.date(2099, 12, 31),
    )


def applicants(cast, batch, n) -> list[Member]:
    people = [make_member(cast.court, f"申请人{i:03d}", department=cast.department) for i in range(n)]
    Application.objects.bulk_create(Application(batch=batch, member=p, statement="愿意参加研习") for p in people)
    return people


@pytest.mark.parametrize("size", [10, 100])
def test_organizer_selects_every_pending_applicant_in_one_post(cast, size, django_assert_max_num_queries):
    batch = make_batch(cast)
    people = applicants(cast, batch, size)
    client = cast.client_for("organizer")
    page = client.get(reverse("activities:recruitment_applications", args=[batch.pk]) + "?status=pending")
    assert page.status_code == 200 and 'id="decide-many"' in page.content.decode()
    url = reverse("activities:recruitment_decide_many", args=[batch.pk]) + "?status=pending"
    with django_assert_max_num_queries(22):  # the same bound for 10 and for 100 people
        response = client.post(url, {"status": "selected", "everyone": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?status=pending")
    assert batch.applications.filter(status=Application.Status.SELECTED).count() == size
    event = AuditEvent.objects.get(action="recruitment.decided_many")
    assert event.detail["count"] == size and event.detail["new"] == "selected"
    assert Notification.objects.filter(recipient__in=people, kind="recruitment").count() == size


def test_pasted_numbers_select_those_listed_and_report_the_rest(cast):
    batch = make_batch(cast, capacity=10)
    people = applicants(cast, batch, 5)
    stranger = make_member(cast.court, "未申请者")
    pasted = f"{people[0].employee_number}\n{people[1].employee_number}，{people[2].employee_number} 9999999 "
    pasted += f"{stranger.employee_number}、{cast.outsider.employee_number}"
    response = cast.client_for("organizer").post(
        reverse("activities:recruitment_decide_many", args=[batch.pk]), {"status": "selected", "numbers": pasted}
    )
    assert response.status_code == 302
    selected = set(batch.applications.filter(status="selected").values_list("member__name", flat=True))
    assert selected == {"申请人000", "申请人001", "申请人002"}
    said = " ".join(texts(response))
    assert "9999999" in said and cast.outsider.employee_number in said  # another court's number is unknown here
    assert "未申请者" in said  # in the court, not in the list


def test_ticked_rows_and_garbage_never_give_an_error_page(cast):
    batch = make_batch(cast, capacity=10)
    people = applicants(cast, batch, 3)
    client = cast.client_for("organizer")
    url = reverse("activities:recruitment_decide_many", args=[batch.pk])
    for data in [
        {"status": "selected"},  # nobody chosen
        {"status": "boss", "everyone": "1"},
        {"status": "selected", "pick": ["abc", "99999999999999999999", "-1"]},
        {"status": "selected", "numbers": "x" * 50000},
    ]:
        assert client.post(url, data).status_code == 302, data
    assert not batch.applications.exclude(status="pending").exists()
    client.post(url, {"status": "rejected", "pick": [batch.applications.get(member=people[0]).pk]})
    assert batch.applications.get(member=people[0]).status == "rejected"


def test_a_full_batch_refuses_the_whole_selection(cast):
    batch = make_batch(cast, capacity=3)
    applicants(cast, batch, 5)
    response = cast.client_for("organizer").post(
        reverse("activities:recruitment_decide_many", args=[batch.pk]), {"status": "selected", "everyone": "1"}
    )
    assert response.status_code == 302 and not batch.applications.filter(status="selected").exists()
    assert any("3" in text for text in texts(response))


def test_organizer_moves_several_squad_members_at_once(cast):
    batch = make_batch(cast, capacity=10)
    people = applicants(cast, batch, 6)
    batch.applications.update(status=Application.Status.SELECTED)
    first, second = squads_form(
        batch=batch, actor=cast.organizer, squad_count=2, now=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    in_first = list(Member.objects.filter(group_memberships__group=first))
    client = cast.client_for("organizer")
    page = client.get(reverse("activities:recruitment_squads", args=[batch.pk]))
    assert 'id="move-many"' in page.content.decode()
    response = client.post(
        reverse("activities:recruitment_squad_move_many", args=[batch.pk]),
        {"squad": second.pk, "numbers": " ".join(m.employee_number for m in in_first)},
    )
    assert response.status_code == 302
    assert StudyGroupMembership.objects.filter(group=second).count() == len(people)
    assert AuditEvent.objects.get(action="recruitment.squads_moved").detail["count"] == len(in_first)
    bad = client.post(
        reverse("activities:recruitment_squad_move_many", args=[batch.pk]), {"squad": "x", "everyone": "1"}
    )
    assert bad.status_code == 302 and StudyGroupMembership.objects.filter(group=second).count() == len(people)


def test_organizer_marks_many_present_and_some_on_leave_with_one_reason(cast):
    session = make_session(cast.court, created_by=cast.organizer)
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_attendance_bulk", args=[session.pk])
    page = client.get(reverse("activities:sessions_attendance", args=[session.pk]))
    assert 'id="attendance-bulk-form"' in page.content.decode()
    client.post(url, {"bulk_status": "present", "everyone": "1"})
    assert Attendance.objects.filter(session=session, status="present").count() == 4  # court A's four people
    refused = client.post(url, {"bulk_status": "leave", "numbers": cast.member.employee_number})
    assert (
        refused.status_code == 302 and Attendance.objects.get(session=session, member=cast.member).status == "present"
    )
    client.post(
        url,
        {
            "bulk_status": "leave",
            "bulk_reason": "外出开庭",
            "numbers": f"{cast.member.employee_number} {cast.colleague.employee_number} 000000",
        },
    )
    on_leave = Attendance.objects.filter(session=session, status="leave")
    assert set(on_leave.values_list("member__name", "reason")) == {("张明", "外出开庭"), ("李静", "外出开庭")}
    assert AuditEvent.objects.filter(action="session.attendance_bulk").count() == 2
    assert client.post(url, {"bulk_status": "present", "pick": ["x"]}).status_code == 302


def test_outsider_cannot_mark_attendance_of_another_courts_session(cast):
    session = make_session(cast.court, created_by=cast.organizer)
    url = reverse("activities:sessions_attendance_bulk", args=[session.pk])
    assert cast.client_for("outsider").post(url, {"bulk_status": "present", "everyone": "1"}).status_code == 404
    assert cast.client_for("member").post(url, {"bulk_status": "present", "everyone": "1"}).status_code == 403
    assert not Attendance.objects.filter(session=session).exists()


def test_organizer_adds_a_whole_department_or_pasted_numbers_to_a_group(cast):
    group = StudyGroup.objects.create(court=cast.court, name="青年理论学习小组")
    client = cast.client_for("organizer")
    url = reverse("members:group_members_add", args=[group.pk])
    response = client.post(f"{url}?department={cast.department.pk}", {"everyone": "1"})
    assert response.status_code == 302
    assert set(group.memberships.values_list("member__name", flat=True)) == {"张明", "李静"}
    response = client.post(url, {"numbers": f"{cast.leader.employee_number} 123456789"})
    assert response.status_code == 302 and group.memberships.count() == 3
    assert "123456789" in " ".join(texts(response))
    only_unknown = client.post(url, {"numbers": "123456789"})
    assert only_unknown.status_code == 200 and group.memberships.count() == 3


def test_marking_last_months_session_in_bulk_marks_that_months_numbers_stale(cast, django_capture_on_commit_callbacks):
    from django.db import connection

    from reports.models import SummaryStale

    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    session = make_session(cast.court, created_by=cast.organizer, start=start)
    SummaryStale.objects.all().delete()
    connection._stale_batch = None  # the cast's own writes left marks pending on this connection
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("organizer").post(
            reverse("activities:sessions_attendance_bulk", args=[session.pk]),
            {"bulk_status": "present", "everyone": "1"},
        )
    stale = set(SummaryStale.objects.filter(court=cast.court).values_list("period_kind", "period_start"))
    assert ("month", dt.date(2026, 3, 1)) in stale  # the session's month, not only today's
