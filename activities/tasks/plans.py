"""Celery tasks of the plans family. Periodic ones go in BEAT_SCHEDULE (crontab in Asia/Shanghai).

Every task is safe to run twice: reminders carry a dedupe_key (one notification per member
and month), and a compilation build claims its row with a conditional UPDATE.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from ..models.plans import PLAN_TZ


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.now().astimezone(PLAN_TZ).date()


@shared_task(name="activities.plans.start_reminders")
def plans_start_reminders_task(day: str | None = None) -> int:
    """On the 1st: write down this month's plan."""
    from ..services.plans import plans_send_start_reminders

    return plans_send_start_reminders(today=_day(day))


@shared_task(name="activities.plans.report_reminders")
def plans_report_reminders_task(day: str | None = None) -> int:
    """Three days before the month ends: report the plan (the service sends only on that day)."""
    from ..services.plans import plans_send_report_reminders

    return plans_send_report_reminders(today=_day(day))


@shared_task(name="activities.plans.build_compilation")
def compilation_build_task(compilation_id: int) -> bool:
    from ..services.plans import compilation_build

    return compilation_build(compilation_id=compilation_id)


BEAT_SCHEDULE: dict = {
    "plans-start-reminders": {
        "task": "activities.plans.start_reminders",
        "schedule": crontab(minute=30, hour=8, day_of_month=1),
    },
    # Months end on the 28th to the 31st, so "three days before" falls on the 25th to the 28th.
    "plans-report-reminders": {
        "task": "activities.plans.report_reminders",
        "schedule": crontab(minute=0, hour=9, day_of_month="25-28"),
    },
}
