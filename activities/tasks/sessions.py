"""Celery tasks of the sessions family. Periodic ones go in BEAT_SCHEDULE."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from ..services.sessions import session_send_reminders


@shared_task(name="activities.sessions.send_reminders")
def send_session_reminders() -> int:
    """Speakers two days before, attendees the day before. Safe to run twice: dedupe keys in the database."""
    return session_send_reminders(now=timezone.now())


BEAT_SCHEDULE: dict = {
    "sessions-reminders": {
        # Hourly in working hours (Asia/Shanghai, CELERY_TIMEZONE): a session planned late still gets its reminder.
        "task": "activities.sessions.send_reminders",
        "schedule": crontab(minute=5, hour="7-21"),
    },
}
