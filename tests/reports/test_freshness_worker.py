"""With a real worker: a member's write reaches the court's numbers through beat's build_stale round.

Runs against PostgreSQL and Redis (CI), like test_build_worker.py: a worker on a queue of its own,
the test playing beat (reports.build_stale every second instead of every 20 s). The write must show
in the court's summary row within the freshness target.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from reports.freshness import DEBOUNCE_SECONDS
from reports.models import Summary, SummaryStale, UnitKind
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.activities.reading_factories import make_book, make_log

ROOT = Path(__file__).resolve().parents[2]
LIMIT_SECONDS = 60  # the freshness target (issue 11): a write shows on the dashboard within a minute

pytestmark = [pytest.mark.celery, pytest.mark.slow]


def court_logs(court, period: Period) -> int | None:
    row = Summary.objects.for_period(period).filter(unit_kind=UnitKind.COURT, unit_id=court.pk).first()
    return None if row is None else row.values.get("reading_logs", 0)


@pytest.mark.django_db(transaction=True)
def test_a_write_reaches_the_numbers_through_the_worker_within_the_limit(cast, tmp_path):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis broker")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker is another process on the same database")
    from courtlearn.celery import app

    today = timezone.localdate()
    period = Period.containing(MONTH, today)
    summary_build(court=cast.court, period=period)  # built last night: zero logs
    SummaryStale.objects.all().delete()  # and nothing written since (the cast's members marked today)
    assert court_logs(cast.court, period) == 0

    db = connection.settings_dict
    dsn = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"test-fresh-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": dsn, "REDIS_URL": settings.REDIS_URL, "DJANGO_DEBUG": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "-m", "celery", "-A", "courtlearn", "worker", "--pool=solo", "-Q", queue]
    command += ["-n", f"{queue}@%h", "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "INFO"]
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while b" ready." not in log_path.read_bytes():
            assert worker.poll() is None and time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.2)

        make_log(cast.member, make_book(), day=today)  # committed: the court's periods are marked
        written = time.monotonic()
        assert SummaryStale.objects.filter(court=cast.court, period_kind=MONTH, period_start=period.start).exists()
        seen = None
        while time.monotonic() - written < LIMIT_SECONDS + 30:
            app.send_task("reports.build_stale", kwargs={"queue": queue}, queue=queue)  # beat's round
            time.sleep(1)
            if court_logs(cast.court, period) == 1:
                seen = time.monotonic() - written
                break
        assert seen is not None, log_path.read_text(errors="replace")[-4000:]
        assert DEBOUNCE_SECONDS <= seen <= LIMIT_SECONDS  # debounced, then built within the limit
        assert not SummaryStale.objects.filter(court=cast.court, period_kind=MONTH).exists()  # claimed
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=5)
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.delete(queue, f"_kombu.binding.{queue}")
