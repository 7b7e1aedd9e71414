"""Reminders: speakers two days before, attendees the day before; run twice, notify once; muting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from activities.services import sessions as services
from activities.tasks import sessions as tasks
from members.models import Notification, NotificationMute

from . import sessions_factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 23, 9, 5, tzinfo=SHANGHAI)  # Monday morning


@pytest.fixture
def sessions(cast):
    in_two_days = f.make_session(
        cast.court,
        start=dt.datetime(2026, 11, 25, 8, 30, tzinfo=SHANGHAI),
        speakers=(cast.member,),
        audience_court=False,
    )
    in_two_days.audience_departments.set([cast.department])
    tomorrow = f.make_session(
        cast.court,
        start=dt.datetime(2026, 11, 24, 8, 30, tzinfo=SHANGHAI),
        speakers=(cast.colleague,),
        audience_court=False,
    )
    tomorrow.audience_departments.set([cast.department])
    return in_two_days, tomorrow


def test_reminders_run_twice_notify_once(cast, sessions):
    in_two_days, tomorrow = sessions
    first = services.session_send_reminders(now=NOW)
    second = services.session_send_reminders(now=NOW + dt.timedelta(hours=1))
    assert first == 3 and second == 0
    # The member speaks in two days: a speaker reminder, and the attendee reminder for tomorrow.
    kinds = sorted(Notification.objects.filter(recipient=cast.member).values_list("kind", flat=True))
    assert kinds == ["session_reminder", "session_speaker_reminder"]
    # The colleague speaks tomorrow: only the speaker reminder for it (not also as attendee).
    assert list(Notification.objects.filter(recipient=cast.colleague).values_list("kind", flat=True)) == [
        "session_speaker_reminder"
    ]


def test_attendees_of_the_day_after_tomorrow_are_reminded_the_next_day(cast, sessions):
    services.session_send_reminders(now=NOW)
    assert not Notification.objects.filter(recipient=cast.colleague, kind="session_reminder").exists()
    services.session_send_reminders(now=NOW + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=cast.colleague, kind="session_reminder").count() == 1


def test_cancelled_and_started_sessions_are_not_reminded(cast, sessions):
    in_two_days, tomorrow = sessions
    services.session_cancel(actor=cast.organizer, session=tomorrow, reason="改期")
    Notification.objects.all().delete()
    services.session_send_reminders(now=NOW)
    assert not Notification.objects.filter(kind="session_reminder").exists()
    services.session_send_reminders(now=dt.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))  # after it started
    assert Notification.objects.filter(kind="session_speaker_reminder").count() == 1


def test_muted_kind_is_not_sent(cast, sessions):
    NotificationMute.objects.create(member=cast.member, kind="session_speaker_reminder")
    services.session_send_reminders(now=NOW)
    assert not Notification.objects.filter(recipient=cast.member, kind="session_speaker_reminder").exists()
    assert Notification.objects.filter(recipient=cast.member, kind="session_reminder").exists()


def test_email_only_when_enabled_and_once(cast, sessions, settings):
    cast.member.user.email = "zhang@example.cn"
    cast.member.user.save()
    settings.EMAIL_ENABLED = False
    services.session_send_reminders(now=NOW)
    assert mail.outbox == []
    Notification.objects.all().delete()
    settings.EMAIL_ENABLED = True
    services.session_send_reminders(now=NOW)
    services.session_send_reminders(now=NOW)
    assert len(mail.outbox) == 2  # speaker reminder and attendee reminder, each once
    assert all(m.to == ["zhang@example.cn"] for m in mail.outbox)


def test_beat_task_is_scheduled_and_runs(cast, sessions):
    assert tasks.BEAT_SCHEDULE["sessions-reminders"]["task"] == "activities.sessions.send_reminders"
    from activities.tasks import BEAT_SCHEDULE

    assert "sessions-reminders" in BEAT_SCHEDULE
    assert tasks.send_session_reminders.delay().get() >= 0


def test_member_mutes_a_kind_on_the_settings_page(cast):
    client = cast.client_for("member")
    url = reverse("activities:sessions_notification_settings")
    assert client.post(url, {"muted": ["session_reminder", "session_turn"]}).status_code == 302
    assert set(NotificationMute.objects.filter(member=cast.member).values_list("kind", flat=True)) == {
        "session_reminder",
        "session_turn",
    }
    client.post(url, {"muted": ["session_turn"]})
    assert list(NotificationMute.objects.filter(member=cast.member).values_list("kind", flat=True)) == ["session_turn"]
    # An unknown kind is a form error, nothing changes.
    assert client.post(url, {"muted": ["everything"]}).status_code == 200
    assert NotificationMute.objects.filter(member=cast.member).count() == 1
