"""Summary builds: one task per court and period, so several workers share the load.

Beat (Asia/Shanghai): last month at 01:00 on the 1st; last quarter at 01:30 on the first
day of a quarter; last year at 02:00 on 1 January; the current month and quarter nightly;
and every BUILD_STALE_SECONDS the periods that writes marked stale (reports.freshness); every
SWEEP_SECONDS the builds queued or running longer than a task may run are failed and queued
again (reports.services.builds_sweep_stuck).
Each task is safe to run twice and to be redelivered after a worker dies.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.schedules import crontab
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from courtlearn.outbox import enqueue, tasks_run_in_process
from members.models import Court

from .freshness import BUILD_STALE_SECONDS, build_stale
from .periods import MONTH, QUARTER, YEAR, Period
from .services import build_queue, build_run, builds_sweep_stuck

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60  # how often beat looks for stuck builds

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
    "reports-sweep-stuck-builds": {
        "task": "reports.sweep_stuck_builds",
        "schedule": float(SWEEP_SECONDS),
        "options": {"expires": SWEEP_SECONDS},
    },
}


# Pauses before the next try of a build the database dropped (a restart, a failover), in seconds.
DATABASE_RETRY_SECONDS = (2, 5, 15, 30, 60)


@shared_task(
    bind=True,
    name="reports.build_summary",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=len(DATABASE_RETRY_SECONDS),
)
def build_summary(self, court_id: int, period_key: str) -> str:
    try:
        build = build_run(court_id=court_id, period=Period.from_key(period_key))
    except (OperationalError, InterfaceError) as exc:
        # The database went away mid-build. The run had already answered the period's stale
        # mark, so without another try its numbers would stay behind until the next write
        # (found by `make chaos`: a PostgreSQL restart during a build).
        if tasks_run_in_process() or self.request.retries >= self.max_retries:
            raise
        raise self.retry(exc=exc, countdown=DATABASE_RETRY_SECONDS[self.request.retries]) from exc
    return build.status if build else "no such court"


def fan_out(period: Period, court_ids: list[int] | None = None) -> int:
    """Queue one build per court (all courts unless given); returns how many were queued.

    Each build is marked queued and its task queued in one transaction (courtlearn.outbox):
    with a worker the task is handed to the broker after commit, and a broker that is down gets
    it when it is back while the build stays queued; without a worker the build runs here after
    commit, and a failed one is recorded by build_run (the others go on).
    """
    now = timezone.now()
    courts = Court.objects.all() if court_ids is None else Court.objects.filter(pk__in=court_ids)
    queued = 0
    for court in courts:
        with transaction.atomic():
            build_queue(court=court, period=period, now=now)
            enqueue(build_summary, court.pk, period.key)
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


@shared_task(name="reports.sweep_stuck_builds", ignore_result=True)
def sweep_stuck_builds_task() -> int:
    """Fail and queue again the builds whose task was lost (a dead worker, a lost message)."""
    return builds_sweep_stuck(now=timezone.now())


@shared_task(name="reports.build_stale", ignore_result=True)
def build_stale_task(queue: str | None = None) -> int:
    """Claim the periods writes marked stale and queue one build each (on `queue` when given)."""
    return build_stale(timezone.now(), queue=queue)
