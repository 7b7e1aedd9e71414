"""No stuck build: a build whose task was lost is failed with a reason, queued again, and says so.

A worker killed with its machine leaves its build RUNNING; Redis would hand the task back only
after its visibility timeout (an hour). The sweep (beat, every minute) fails such builds once
they are older than the task time limit and queues them again, up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from courtlearn import outbox
from courtlearn.celery import app as celery_app
from members.models import TaskOutbox
from reports.models import Summary, SummaryBuild, UnitKind
from reports.periods import MONTH, Period
from reports.services import MAX_ATTEMPTS, STUCK_MARGIN_SECONDS, build_run, builds_sweep_stuck
from reports.tasks import BEAT_SCHEDULE, SWEEP_SECONDS

OCTOBER = Period(MONTH, dt.date(2026, 10, 1))


@pytest.fixture
def with_worker(monkeypatch):
    """A worker set-up (REDIS_URL): tasks go through the outbox to a broker, faked here."""
    sent = []
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)  # put back as it was afterwards
    monkeypatch.setattr(outbox, "publish", lambda name, args, kwargs, options, fast=False: sent.append((name, args)))
    monkeypatch.setattr(outbox, "_down_until", 0.0)
    yield sent


def limit(settings) -> dt.timedelta:
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + STUCK_MARGIN_SECONDS)


def build_left(court, status, since: dt.datetime, attempts: int = 1) -> SummaryBuild:
    """A build as a dead worker (RUNNING) or a lost message (QUEUED) leaves it."""
    return SummaryBuild.objects.create(
        court=court,
        period_kind=OCTOBER.kind,
        period_start=OCTOBER.start,
        status=status,
        progress=10 if status == SummaryBuild.Status.RUNNING else 0,
        attempts=attempts,
        queued_at=since,
        started_at=since if status == SummaryBuild.Status.RUNNING else None,
    )


def test_a_build_whose_worker_died_is_failed_with_the_reason_and_queued_again(cast, settings, with_worker):
    now = timezone.now()
    build = build_left(cast.court, SummaryBuild.Status.RUNNING, now - limit(settings) - dt.timedelta(seconds=5))
    assert builds_sweep_stuck(now=now) == 1
    build.refresh_from_db()
    assert build.status == SummaryBuild.Status.FAILED and build.timed_out
    assert build.attempts == 1 and build.finished_at == now
    row = TaskOutbox.objects.get()  # queued again, with the sweep's own transaction
    assert (row.task, row.args) == ("reports.build_summary", [cast.court.pk, OCTOBER.key])
    assert builds_sweep_stuck(now=now + dt.timedelta(minutes=1)) == 0  # failed builds are not swept again

    # The organizer sees the failure and its reason, with the retry button, not "10%" for an hour.
    page = cast.client_for("organizer").get(
        reverse("reports:build_status", args=[cast.court.pk]), {"period": OCTOBER.key}
    )
    html = page.content.decode()
    assert "生成失败，可重试。" in html and "超时未完成" in html and "hx-trigger" not in html
    assert reverse("reports:rebuild", args=[cast.court.pk]) in html

    # The requeued task runs: it counts on from the dead worker's attempt, and the build is done.
    done = build_run(court_id=cast.court.pk, period=OCTOBER)
    assert done.status == SummaryBuild.Status.DONE and done.attempts == 2
    assert Summary.objects.for_period(OCTOBER).filter(unit_kind=UnitKind.COURT, unit_id=cast.court.pk).exists()


def test_builds_within_the_time_limit_are_left_alone(cast, settings, with_worker):
    now = timezone.now()
    build = build_left(cast.court, SummaryBuild.Status.RUNNING, now - limit(settings) + dt.timedelta(seconds=30))
    queued = SummaryBuild.objects.create(
        court=cast.city, period_kind=OCTOBER.kind, period_start=OCTOBER.start, queued_at=now - dt.timedelta(minutes=5)
    )
    assert builds_sweep_stuck(now=now) == 0
    build.refresh_from_db()
    queued.refresh_from_db()
    assert build.status == SummaryBuild.Status.RUNNING and queued.status == SummaryBuild.Status.QUEUED
    assert not TaskOutbox.objects.exists()


def test_a_queued_build_whose_message_was_lost_counts_an_attempt_and_is_queued_again(cast, settings, with_worker):
    now = timezone.now()
    build = build_left(cast.court, SummaryBuild.Status.QUEUED, now - limit(settings) - dt.timedelta(minutes=1), 0)
    assert builds_sweep_stuck(now=now) == 1
    build.refresh_from_db()
    assert build.timed_out and build.attempts == 1 and build.queued_at == now
    assert TaskOutbox.objects.filter(task="reports.build_summary").count() == 1


def test_a_build_that_keeps_getting_stuck_stops_at_the_cap(cast, settings, with_worker):
    now = timezone.now()
    since = now - limit(settings) - dt.timedelta(minutes=1)
    build = build_left(cast.court, SummaryBuild.Status.RUNNING, since, attempts=MAX_ATTEMPTS)
    assert builds_sweep_stuck(now=now) == 1
    build.refresh_from_db()
    assert build.timed_out and build.attempts == MAX_ATTEMPTS
    assert not TaskOutbox.objects.exists(), "no fourth run: it waits for the organizer's 重试"
    assert build.queued_at == since


def test_retry_after_a_time_out_starts_afresh(cast, settings, logged_outputs, django_capture_on_commit_callbacks):
    now = timezone.now()
    build_left(cast.court, SummaryBuild.Status.RUNNING, now - limit(settings), attempts=MAX_ATTEMPTS)
    builds_sweep_stuck(now=now + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("organizer").post(
            reverse("reports:rebuild", args=[cast.court.pk]), {"period": OCTOBER.key}
        )
    assert response.status_code == 302
    build = SummaryBuild.objects.get(court=cast.court)
    assert build.status == SummaryBuild.Status.DONE and build.attempts == 1 and not build.error


def test_without_a_worker_the_swept_build_runs_again_in_process(
    cast, settings, logged_outputs, django_capture_on_commit_callbacks
):
    """`make run`: a build left RUNNING by a restarted runserver is done by the next sweep."""
    now = timezone.now()
    build_left(cast.court, SummaryBuild.Status.RUNNING, now - limit(settings) - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert builds_sweep_stuck(now=now) == 1
    build = SummaryBuild.objects.get(court=cast.court)
    assert build.status == SummaryBuild.Status.DONE and build.attempts == 2
    assert not TaskOutbox.objects.exists()


def test_beat_sweeps_every_minute_so_a_lost_build_shows_within_minutes(settings):
    entry = BEAT_SCHEDULE["reports-sweep-stuck-builds"]
    assert entry["task"] == "reports.sweep_stuck_builds" and entry["schedule"] == SWEEP_SECONDS <= 60
    assert "reports.sweep_stuck_builds" in celery_app.tasks
    worst = settings.CELERY_TASK_TIME_LIMIT + STUCK_MARGIN_SECONDS + SWEEP_SECONDS
    assert worst <= 15 * 60 < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


@pytest.mark.django_db(transaction=True)  # real commits: the hand-over runs when fan_out's write commits
def test_rebuild_with_the_broker_down_keeps_the_build_queued_and_says_it_will_run(cast, monkeypatch, with_worker):
    def refused(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(outbox, "publish", refused)
    response = cast.client_for("organizer").post(
        reverse("reports:rebuild", args=[cast.court.pk]), {"period": OCTOBER.key}
    )
    assert response.status_code == 302
    build = SummaryBuild.objects.get(court=cast.court)
    assert build.status == SummaryBuild.Status.QUEUED  # owed to the workers, not failed
    row = TaskOutbox.objects.get()
    assert (row.task, row.args, row.tries) == ("reports.build_summary", [cast.court.pk, OCTOBER.key], 1)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("无法连接任务队列" in m and "恢复后" in m for m in said), said

    monkeypatch.setattr(outbox, "publish", lambda name, args, kwargs, options, fast=False: with_worker.append(args))
    TaskOutbox.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert outbox.flush() == 1 and with_worker == [[cast.court.pk, OCTOBER.key]]
