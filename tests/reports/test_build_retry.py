"""A summary build the database dropped mid-way (a PostgreSQL restart) is tried again, shortly.

The run answers the period's stale mark before it builds, so a build that fails on a vanished
database would leave the numbers behind until the next write: `make chaos` found it. With a
worker the task retries after a pause; without one (in-process) it fails at once, as before.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError

from reports import tasks


class Retried(Exception):
    pass


@pytest.fixture
def dropped_database(monkeypatch):
    def build_run(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(tasks, "build_run", build_run)


@pytest.fixture
def with_worker(monkeypatch):
    monkeypatch.setattr(tasks, "tasks_run_in_process", lambda: False)
    asked = []

    def retry(exc=None, countdown=None, **kwargs):
        asked.append((exc, countdown))
        raise Retried

    monkeypatch.setattr(tasks.build_summary, "retry", retry)
    return asked


def test_with_a_worker_a_build_the_database_dropped_is_tried_again_after_a_pause(dropped_database, with_worker):
    with pytest.raises(Retried):
        tasks.build_summary.run(1, "2026-12")
    [(exc, countdown)] = with_worker
    assert isinstance(exc, OperationalError)
    assert countdown == tasks.DATABASE_RETRY_SECONDS[0]


def test_the_pauses_grow_and_the_last_try_gives_up(dropped_database, with_worker):
    tasks.build_summary.push_request(retries=2)
    try:
        with pytest.raises(Retried):
            tasks.build_summary.run(1, "2026-12")
    finally:
        tasks.build_summary.pop_request()
    assert with_worker[-1][1] == tasks.DATABASE_RETRY_SECONDS[2] > tasks.DATABASE_RETRY_SECONDS[0]

    tasks.build_summary.push_request(retries=len(tasks.DATABASE_RETRY_SECONDS))
    try:
        with pytest.raises(OperationalError):
            tasks.build_summary.run(1, "2026-12")
    finally:
        tasks.build_summary.pop_request()
    assert len(with_worker) == 1  # no retry after the last one


def test_without_a_worker_the_failure_is_raised_at_once(dropped_database, monkeypatch):
    monkeypatch.setattr(tasks, "tasks_run_in_process", lambda: True)
    monkeypatch.setattr(tasks.build_summary, "retry", lambda **kwargs: pytest.fail("retried in-process"))
    with pytest.raises(OperationalError):
        tasks.build_summary.run(1, "2026-12")


@pytest.mark.django_db
def test_other_errors_are_not_retried(monkeypatch, with_worker):
    def build_run(**kwargs):
        raise ValueError("a bug, not the database")

    monkeypatch.setattr(tasks, "build_run", build_run)
    with pytest.raises(ValueError):
        tasks.build_summary.run(1, "2026-12")
    assert with_worker == []
