"""签到: the rotating code works only for its session and only in the window; twice records once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from activities.selectors.sessions import attendance_summary, attended
from activities.services import sessions as services

from . import sessions_factories as f

START = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)


@pytest.fixture
def session(cast):
    return f.make_session(cast.court, start=START, minutes=60)


def test_code_rotates_and_previous_code_still_accepted(session):
    now = START
    code = session.sign_in_code(now)
    assert len(code) == 6 and code.isdigit()
    later = now + dt.timedelta(seconds=60)
    assert session.sign_in_code(later) != code or session.sign_in_code(later + dt.timedelta(seconds=60)) != code
    assert session.check_sign_in_code(code, now)
    assert session.check_sign_in_code(code, later)  # read just before it changed
    assert not session.check_sign_in_code(code, now + dt.timedelta(seconds=150))


def test_member_signs_in_with_the_code_in_the_window(cast, session):
    now = START - dt.timedelta(minutes=5)
    attendance = services.attendance_sign_in(
        session=session, member=cast.member, code=session.sign_in_code(now), now=now
    )
    assert attendance.status == Attendance.Status.PRESENT and attendance.signed_in_at == now
    assert attended(session, cast.member)
    assert not attended(session, cast.colleague)


def test_signing_in_after_ten_minutes_is_late(cast, session):
    now = START + dt.timedelta(minutes=20)
    attendance = services.attendance_sign_in(
        session=session, member=cast.member, code=session.sign_in_code(now), now=now
    )
    assert attendance.status == Attendance.Status.LATE


@pytest.mark.parametrize(
    "offset, message",
    [(dt.timedelta(minutes=-31), "签到将于.*开始"), (dt.timedelta(minutes=61), "签到已于.*结束")],
)
def test_code_outside_the_window_is_refused(cast, session, offset, message):
    now = START + offset
    with pytest.raises(services.SessionError, match=message):
        services.attendance_sign_in(session=session, member=cast.member, code=session.sign_in_code(now), now=now)
    assert not Attendance.objects.exists()


def test_code_of_another_session_is_refused(cast, session):
    other = f.make_session(cast.court, start=START, title="另一场")
    now = START
    with pytest.raises(services.SessionError, match="不是本场活动当前的签到码"):
        services.attendance_sign_in(session=session, member=cast.member, code=other.sign_in_code(now), now=now)
    assert not Attendance.objects.exists()


def test_signing_in_twice_records_once(cast, session):
    now = START
    services.attendance_sign_in(session=session, member=cast.member, code=session.sign_in_code(now), now=now)
    with pytest.raises(services.SessionError, match="您已于"):
        services.attendance_sign_in(session=session, member=cast.member, code=session.sign_in_code(now), now=now)
    assert Attendance.objects.filter(session=session, member=cast.member).count() == 1


def test_cancelled_session_and_other_court_refused(cast, session):
    now = START
    with pytest.raises(services.SessionError):
        services.attendance_sign_in(session=session, member=cast.outsider, code=session.sign_in_code(now), now=now)
    services.session_cancel(actor=cast.organizer, session=session, reason="停电")
    with pytest.raises(services.SessionError, match="已取消"):
        services.attendance_sign_in(session=session, member=cast.member, code=session.sign_in_code(now), now=now)
    assert not Attendance.objects.exists()


def test_sign_in_page_refuses_a_wrong_code_with_a_clear_message(cast):
    session = f.make_session(cast.court, start=timezone.now() + dt.timedelta(minutes=5))
    client = cast.client_for("member")
    url = reverse("activities:sessions_sign_in", args=[session.pk])
    wrong = "000000" if session.sign_in_code(timezone.now()) != "000000" else "111111"
    response = client.post(url, {"code": wrong})
    assert response.status_code == 200
    assert "不是本场活动当前的签到码" in response.content.decode()
    response = client.post(url, {"code": "12ab"})
    assert "签到码为六位数字" in response.content.decode()
    assert not Attendance.objects.exists()
    response = client.post(url, {"code": session.sign_in_code(timezone.now()), "via": "qr"})
    assert response.status_code == 302
    assert Attendance.objects.get().method == Attendance.Method.QR
    # The page now says so instead of offering the form again.
    assert "您已于" in client.get(url).content.decode()


def test_qr_code_is_a_png_of_the_sign_in_url_with_the_code(cast):
    session = f.make_session(cast.court, start=timezone.now() + dt.timedelta(minutes=5))
    response = cast.client_for("organizer").get(reverse("activities:sessions_code_qr", args=[session.pk]))
    assert response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG")
    data = cast.client_for("organizer").get(reverse("activities:sessions_code_json", args=[session.pk])).json()
    assert data["open"] and len(data["code"]) == 6


def test_qr_refused_outside_window(cast):
    session = f.make_session(cast.court, start=timezone.now() + dt.timedelta(days=2))
    assert (
        cast.client_for("organizer").get(reverse("activities:sessions_code_qr", args=[session.pk])).status_code == 403
    )
    page = cast.client_for("organizer").get(reverse("activities:sessions_code", args=[session.pk])).content.decode()
    assert 'id="sign-in-code"' not in page


def test_organizer_marks_attendance_with_leave_reason_and_rate(cast):
    session = f.make_session(cast.court, start=timezone.now() - dt.timedelta(hours=1), audience_court=False)
    session.audience_departments.set([cast.department])  # member and colleague expected
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_attendance", args=[session.pk])
    # Leave without a reason: refused, nothing written.
    response = client.post(url, {f"status_{cast.member.pk}": "present", f"status_{cast.colleague.pk}": "leave"})
    assert response.status_code == 400 and not Attendance.objects.exists()
    response = client.post(
        url,
        {
            f"status_{cast.member.pk}": "present",
            f"status_{cast.colleague.pk}": "leave",
            f"reason_{cast.colleague.pk}": "出差",
        },
    )
    assert response.status_code == 302
    summary = attendance_summary(session)
    # Leave excuses: the colleague is neither expected nor absent, so the one expected came.
    assert (summary.expected, summary.present, summary.leave, summary.rate_percent) == (1, 1, 1, 100)
    assert Attendance.objects.get(member=cast.colleague).reason == "出差"
    # An unknown status is refused.
    assert client.post(url, {f"status_{cast.member.pk}": "gone"}).status_code == 400


def test_mark_the_rest_absent(cast):
    session = f.make_session(cast.court, start=timezone.now() - dt.timedelta(hours=1), audience_court=False)
    session.audience_departments.set([cast.department])
    f.attended(session, cast.member)
    cast.client_for("organizer").post(
        reverse("activities:sessions_attendance", args=[session.pk]), {"fill_absent": "1"}
    )
    assert Attendance.objects.get(member=cast.colleague).status == "absent"
    assert Attendance.objects.get(member=cast.member).status == "present"
