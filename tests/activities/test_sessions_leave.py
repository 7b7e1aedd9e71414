"""请假: a member asks for leave from a session on their phone; the organizer approves or declines.

An approved leave marks the attendance LEAVE: excused, so neither absent nor expected, in the
session's own summary, in the summaries' attendance rate and in the report facts.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.facts import court_facts
from activities.models import Attendance, LeaveRequest, Session
from activities.selectors.sessions import attendance_summary
from activities.services import sessions as services
from members.models import Notification
from reports.models import Summary, UnitKind
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.factories import make_member

from . import sessions_factories as f

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def phone(cast, role: str) -> Client:
    client = Client(HTTP_USER_AGENT=PHONE)
    client.force_login(cast.person(role).user, backend="members.backends.MemberModelBackend")
    return client


def department_study(cast, **fields) -> Session:
    """民一庭's collective study tomorrow, made by the organizer: the member and the colleague are expected."""
    session = f.make_session(
        cast.court, title="民一庭集中学习", audience_court=False, created_by=cast.organizer, **fields
    )
    session.audience_departments.set([cast.department])
    return session


def test_member_asks_for_leave_on_the_phone_and_the_organizer_approves(cast):
    session = department_study(cast)
    member = phone(cast, "member")

    # The session page offers 请假; so does 我的学习.
    page = member.get(session.get_absolute_url()).content.decode()
    leave_url = reverse("activities:sessions_leave_create", args=[session.pk])
    assert 'name="viewport"' in page and leave_url in page
    assert leave_url in member.get(reverse("my_learning")).content.decode()

    form = member.get(leave_url)
    assert form.status_code == 200 and 'id="leave-form"' in form.content.decode()
    assert "王芳（组织者）" in form.content.decode()  # who decides, before sending
    # A reason is required: nothing, or only spaces, is refused and writes nothing.
    for reason in ("", "   \n "):
        response = member.post(leave_url, {"reason": reason})
        assert response.status_code == 400
    assert not LeaveRequest.objects.exists()

    response = member.post(leave_url, {"reason": "外出开庭 （2026）吉0721民初123号"})
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["请假申请已提交王芳（组织者）审批，结果会通知您。"]
    leave = LeaveRequest.objects.get()
    assert leave.member == cast.member and leave.status == "pending"
    assert Notification.objects.filter(
        recipient=cast.organizer, kind="session_leave", text__contains="外出开庭"
    ).exists()
    page = member.get(session.get_absolute_url()).content.decode()
    assert "待审批" in page and leave_url not in page  # no second request while one waits
    assert "请假·待审批" in member.get(reverse("my_learning")).content.decode()
    with pytest.raises(services.SessionError):
        services.leave_request_create(member=cast.member, session=session, reason="再次申请", now=timezone.now())

    # The organizer sees it in their list and approves.
    organizer = cast.client_for("organizer")
    listing = organizer.get(reverse("activities:sessions_leave_list")).content.decode()
    assert "张明" in listing and "外出开庭" in listing and "民一庭集中学习" in listing
    decide = reverse("activities:sessions_leave_decide", args=[leave.pk])
    assert cast.client_for("member").post(decide, {"decision": "approve"}).status_code == 403  # not their own
    assert organizer.post(decide, {"decision": "approve"}).status_code == 302
    leave.refresh_from_db()
    assert leave.status == "approved" and leave.decided_by == cast.organizer and leave.decided_at is not None
    attendance = Attendance.objects.get(session=session, member=cast.member)
    assert attendance.status == Attendance.Status.LEAVE and attendance.reason.startswith("外出开庭")
    assert Notification.objects.filter(recipient=cast.member, kind="session_leave", text__contains="已获批准").exists()
    # Deciding twice changes nothing.
    organizer.post(decide, {"decision": "reject"})
    leave.refresh_from_db()
    assert leave.status == "approved"
    assert "已准假" in member.get(session.get_absolute_url()).content.decode()

    # Excused, not absent: the colleague alone is expected, and came.
    f.attended(session, cast.colleague)
    summary = attendance_summary(session)
    assert (summary.expected, summary.leave, summary.absent, summary.rate_percent) == (1, 1, 0, 100)


def test_declined_leave_tells_the_member_to_attend_and_marks_nothing(cast):
    session = department_study(cast)
    leave = services.leave_request_create(member=cast.colleague, session=session, reason="家中有事", now=timezone.now())
    services.leave_request_decide(
        actor=cast.organizer, leave=leave, approve=False, now=timezone.now(), note="本次学习须全员参加"
    )
    assert not Attendance.objects.filter(member=cast.colleague).exists()
    note = Notification.objects.get(recipient=cast.colleague, kind="session_leave").text
    assert "未获批准" in note and "本次学习须全员参加" in note
    # After a decline the member may ask again (with a better reason), and withdraw it.
    again = services.leave_request_create(
        member=cast.colleague, session=session, reason="出差：赴省高院培训", now=timezone.now()
    )
    withdraw = reverse("activities:sessions_leave_withdraw", args=[again.pk])
    assert cast.client_for("member").post(withdraw).status_code == 404  # not theirs
    assert cast.client_for("colleague").post(withdraw).status_code == 302
    again.refresh_from_db()
    assert again.status == "withdrawn"


def test_leave_is_refused_when_it_makes_no_sense(cast):
    now = timezone.now()
    session = department_study(cast)
    # Not expected: the organizer of another department, and the outsider from another court.
    with pytest.raises(services.SessionError):
        services.leave_request_create(member=cast.leader, session=session, reason="会议", now=now)
    with pytest.raises(services.SessionError):
        services.leave_request_create(member=cast.outsider, session=session, reason="会议", now=now)
    assert (
        cast.client_for("leader").get(reverse("activities:sessions_leave_create", args=[session.pk])).status_code == 403
    )
    # Over, or cancelled, or already signed in.
    over = department_study(cast, start=now - dt.timedelta(hours=3))
    with pytest.raises(services.SessionError):
        services.leave_request_create(member=cast.member, session=over, reason="开庭", now=now)
    f.attended(session, cast.colleague)
    with pytest.raises(services.SessionError):
        services.leave_request_create(member=cast.colleague, session=session, reason="开庭", now=now)
    # A request approved after the member signed in anyway keeps their presence.
    leave = services.leave_request_create(member=cast.member, session=session, reason="开庭", now=now)
    f.attended(session, cast.member)
    with pytest.raises(services.SessionError):
        services.leave_request_decide(actor=cast.organizer, leave=leave, approve=True, now=now)
    assert Attendance.objects.get(session=session, member=cast.member).status == Attendance.Status.PRESENT
    assert not LeaveRequest.objects.filter(reason="").exists()


def test_organizer_can_still_mark_leave_and_a_branch_organizer_sees_only_their_sessions(cast):
    session = department_study(cast)
    services.attendance_mark(
        actor=cast.organizer, session=session, member=cast.colleague, status=Attendance.Status.LEAVE, reason="病假"
    )
    assert attendance_summary(session).expected == 1
    # An organizer limited to the branch decides leave for the branch's sessions, not the court's others.
    branch_organizer = make_member(
        cast.court, "刘洪涛", role="organizer", branch=cast.branch, scope_branch=cast.branch, username="branch-org"
    )
    branch_session = f.make_session(
        cast.court, title="第一党支部主题党日", audience_court=False, unit_branch=cast.branch
    )
    branch_session.audience_branches.set([cast.branch])
    mine = services.leave_request_create(member=cast.member, session=branch_session, reason="开庭", now=timezone.now())
    theirs = f.leave_request(cast)  # a whole-court session of the political department
    client = Client()
    client.force_login(branch_organizer.user, backend="members.backends.MemberModelBackend")
    listing = client.get(reverse("activities:sessions_leave_list")).content.decode()
    assert "第一党支部主题党日" in listing and "周一学习例会" not in listing
    assert (
        client.post(reverse("activities:sessions_leave_decide", args=[theirs.pk]), {"decision": "approve"}).status_code
        == 403
    )
    assert (
        client.post(reverse("activities:sessions_leave_decide", args=[mine.pk]), {"decision": "approve"}).status_code
        == 302
    )
    assert Notification.objects.filter(recipient=branch_organizer, kind="session_leave").exists()


def test_approved_leave_is_not_expected_in_the_summaries_and_the_facts(cast):
    october = Period(MONTH, dt.date(2026, 10, 1))
    start = dt.datetime(2026, 10, 12, 8, 30, tzinfo=SHANGHAI)
    session = department_study(cast, start=start, status=Session.Status.HELD)
    f.attended(session, cast.colleague)
    Attendance.objects.create(
        session=session, member=cast.member, status=Attendance.Status.LEAVE, reason="开庭", method="organizer"
    )
    now = dt.datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI)
    summary_build(court=cast.court, period=october, now=now)

    def values(kind, pk):
        row = Summary.objects.filter(period_start=october.start, unit_kind=kind, unit_id=pk).first()
        return row.values if row else {}

    assert values(UnitKind.MEMBER, cast.member.pk).get("sessions_expected", 0) == 0
    assert values(UnitKind.MEMBER, cast.colleague.pk)["sessions_expected"] == 1
    court = values(UnitKind.COURT, cast.court.pk)
    assert court["sessions_expected"] == 1 and court["sessions_attended"] == 1
    facts = court_facts(
        court=cast.court,
        start=dt.datetime(2026, 10, 1, tzinfo=SHANGHAI),
        end=dt.datetime(2026, 11, 1, tzinfo=SHANGHAI),
        start_date=dt.date(2026, 10, 1),
        end_date=dt.date(2026, 11, 1),
        now=now,
    )
    assert facts["sessions"]["expected"] == 1 and facts["sessions"]["attendances"] == 1


@pytest.mark.parametrize("count", [3, 15])
def test_pending_leave_list_queries_do_not_grow(cast, count, django_assert_max_num_queries):
    people = [make_member(cast.court, f"干警{n}", department=cast.department) for n in range(count)]
    for n, person in enumerate(people):
        session = department_study(cast, start=timezone.now() + dt.timedelta(days=n + 1))
        services.leave_request_create(member=person, session=session, reason=f"开庭{n}", now=timezone.now())
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_leave_list")
    client.get(url)  # warm the per-process caches (navigation, versions)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count('name="decision" value="approve"') == min(count, 20)
