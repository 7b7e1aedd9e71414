"""A real worker killed in the middle of a build: the summary ends up there once, and right.

Runs against PostgreSQL and Redis (CI). The test holds a row lock on the court's summary
row, so the worker's build blocks half-way; then the pool process is killed with SIGKILL,
as the OOM killer would. acks_late + reject_on_worker_lost put the task back, the worker's
new pool process runs it again, and the rows must match a fresh computation.
"""

from __future__ import annotations

import datetime as dt
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

from reports.models import Summary, SummaryBuild, UnitKind
from reports.periods import MONTH, Period
from reports.services import compute_court_values, summary_build
from reports.tasks import build_summary

ROOT = Path(__file__).resolve().parents[2]
OCTOBER = Period(MONTH, dt.date(2026, 10, 1))

pytestmark = [pytest.mark.celery, pytest.mark.slow]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_build_leaves_one_correct_summary(cast):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis broker")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks hold the build half-way)")
    import psycopg

    summary_build(court=cast.court, period=OCTOBER)  # an existing row for the test to lock
    db = connection.settings_dict
    dsn = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": dsn, "REDIS_URL": settings.REDIS_URL, "DJANGO_DEBUG": "1"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "courtlearn",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    locker = psycopg.connect(dsn)
    finished = False
    try:
        with locker.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM reports_summary WHERE unit_kind = %s AND unit_id = %s FOR UPDATE",
                [UnitKind.COURT, cast.court.pk],
            )
        build_summary.apply_async((cast.court.pk, OCTOBER.key), queue=queue)
        wait_for(
            lambda: SummaryBuild.objects.filter(court=cast.court, status=SummaryBuild.Status.RUNNING).exists(),
            180,
            "the worker to start the build",
        )
        time.sleep(1)  # now blocked on the locked row, half-way through its transaction
        pool = wait_for(lambda: children_of(worker.pid), 10, "the pool process")
        for pid in pool:
            os.kill(pid, signal.SIGKILL)
        locker.rollback()  # release the lock: the redelivered task can finish
        build = wait_for(
            lambda: SummaryBuild.objects.filter(court=cast.court, status=SummaryBuild.Status.DONE).first(),
            120,
            "the redelivered build to finish",
        )
        assert build.progress == 100
        assert build.attempts == 2  # killed once, redelivered once
        finished = True
    finally:
        locker.close()
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        if not finished:
            print("worker output:\n", output[-4000:])

    rows = Summary.objects.for_period(OCTOBER).filter(court=cast.court)
    stored = {(s.unit_kind, s.unit_id): s.values for s in rows}
    assert len(stored) == rows.count()  # once per unit
    assert stored == {
        (kind, pk): values for (kind, pk), values in compute_court_values(court=cast.court, period=OCTOBER).items()
    }
