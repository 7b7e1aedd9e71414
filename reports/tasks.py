"""Summary builds: one task per court and period, so several workers share the load.

Beat (Asia/Shanghai): last month at 01:00 on the 1st; last quarter at 01:30 on the first
day of a quarter; last year at 02:00 on 1 January; the current month and quarter nightly;
and every BUILD_STALE_SECONDS the periods that writes marked stale (reports.freshness).
Each task is safe to run twice and to be redelivered after a worker dies.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from members.models import Court

from .freshness import BUILD_STALE_SECONDS, build_stale
from .models import SummaryBuild
from .periods import MONTH, QUARTER, YEAR, Period
from .services import build_queue, build_run

logger = logging.getLogger(__name__)

BEAT_SCHEDULE = {
    "reports-last-month": {
        "task": "reports.build_previous",
        "schedule": crontab(minute=0, hour=1, day_of_month=1),
        "args": (MONTH,),
    },
    "reports-last-quarter": {
        "task": "reports.build_previous",
        "schedule": crontab(minute=30, hour=1, day_of_month=1, month_of_year="1,4,7,10"),
        "args": (QUARTER,),
    },
    "reports-last-year": {
        "task": "reports.build_previous",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year=1),
        "args": (YEAR,),
    },
    "reports-current-month-nightly": {
        "task": "reports.build_current",
        "schedule": crontab(minute=15, hour=3),
        "args": (MONTH,),
    },
    "reports-current-quarter-nightly": {
        "task": "reports.build_current",
        "schedule": crontab(minute=45, hour=3),
        "args": (QUARTER,),
    },
    "reports-build-stale": {
        "task": "reports.build_stale",
        "schedule": float(BUILD_STALE_SECONDS),
        # A round not started before the next one is due is dropped: the next one claims its marks.
        "options": {"expires": BUILD_STALE_SECONDS},
    },
}


@shared_task(name="reports.build_summary", acks_late=True, reject_on_worker_lost=True)
def build_summary(court_id: int, period_key: str) -> str:
    build = build_run(court_id=court_id, period=Period.from_key(period_key))
    return build.status if build else "no such court"


def fan_out(period: Period, court_ids: list[int] | None = None) -> int:
    """Queue one build per court (all courts unless given); returns how many were queued.

    A broker that is down fails fast (see the publish retry policy in settings): that build is
    marked failed with the reason, so the organizer sees it instead of an error page.
    """
    now = timezone.now()
    courts = Court.objects.all() if court_ids is None else Court.objects.filter(pk__in=court_ids)
    queued = 0
    for court in courts:
        build = build_queue(court=court, period=period, now=now)
        try:
            build_summary.delay(court.pk, period.key)
        except Exception as exc:  # noqa: BLE001 - any publish failure: record it, go on with the others
            logger.warning("could not queue or run the %s build of %s: %s", period.key, court.code, exc)
            # Without a worker the build ran here and build_run already recorded why it failed.
            SummaryBuild.objects.filter(pk=build.pk).exclude(status=SummaryBuild.Status.FAILED).update(
                status=SummaryBuild.Status.FAILED, error=f"task queue unreachable: {exc.__class__.__name__}"
            )
            continue
        queued += 1
    return queued


@shared_task(name="reports.build_previous")
def build_previous(kind: str, today_iso: str | None = None) -> int:
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return fan_out(Period.containing(kind, today).previous())


@shared_task(name="reports.build_current")
def build_current(kind: str, today_iso: str | None = None) -> int:
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return fan_out(Period.containing(kind, today))


@shared_task(name="reports.build_stale", ignore_result=True)
def build_stale_task(queue: str | None = None) -> int:
    """Claim the periods writes marked stale and queue one build each (on `queue` when given)."""
    return build_stale(timezone.now(), queue=queue)
