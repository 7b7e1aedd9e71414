"""No task is lost: a task queued by a write is kept with the write and handed over when the broker is back.

The broker is faked here (publish recorded or refused), except in the hung-socket test, which
points Celery at a socket that accepts and never answers, as a hung Redis does.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import ReadingCampaign
from courtlearn import outbox
from courtlearn.celery import app as celery_app
from members.models import Notification, TaskOutbox
from tests.activities.reading_factories import make_campaign


class Broker:
    """What the broker received; `down` makes every publish fail like a refused connection."""

    def __init__(self):
        self.down = False
        self.sent: list[tuple[str, list]] = []

    def publish(self, name, args, kwargs, options, *, fast=False):
        if self.down:
            raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.sent.append((name, list(args)))


@pytest.fixture
def with_worker(monkeypatch):
    """A worker set-up (REDIS_URL): tasks go to a broker instead of running in the request.
    The previous value comes back afterwards: a test marked `celery` (the real worker) keeps
    the real set-up, and forcing True here once made a later round-trip test run in-process."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)


@pytest.fixture
def broker(monkeypatch, with_worker):
    fake = Broker()
    monkeypatch.setattr(outbox, "publish", fake.publish)
    monkeypatch.setattr(outbox, "_down_until", 0.0)
    return fake


def activate(cast, campaign, callbacks):
    url = reverse("activities:reading_campaign_status", args=[campaign.pk])
    with callbacks(execute=True):
        response = cast.client_for("organizer").post(url, {"status": "active"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == ReadingCampaign.Status.ACTIVE  # the organizer's write is kept


def test_with_the_broker_up_the_task_is_handed_over_after_commit_and_nothing_is_left(
    cast, broker, django_capture_on_commit_callbacks
):
    campaign = make_campaign(cast.court, status=ReadingCampaign.Status.DRAFT)
    activate(cast, campaign, django_capture_on_commit_callbacks)
    assert broker.sent == [("activities.reading.announce_campaign", [campaign.pk])]
    assert not TaskOutbox.objects.exists()


def test_with_the_broker_down_the_task_waits_and_goes_out_when_it_is_back(
    cast, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    campaign = make_campaign(cast.court, status=ReadingCampaign.Status.DRAFT)
    activate(cast, campaign, django_capture_on_commit_callbacks)
    row = TaskOutbox.objects.get()
    assert (row.task, row.args, row.tries) == ("activities.reading.announce_campaign", [campaign.pk], 1)
    assert "Connection refused" in row.last_error
    assert outbox.broker_unavailable()  # the next requests leave the broker alone for a while

    assert outbox.flush() == 0, "a row younger than half a minute waits for its own hand-over"
    TaskOutbox.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert outbox.flush() == 0 and TaskOutbox.objects.get().tries == 2  # still down: kept, counted

    broker.down = False
    assert outbox.flush() == 1
    assert broker.sent == [("activities.reading.announce_campaign", [campaign.pk])]
    assert not TaskOutbox.objects.exists() and not outbox.broker_unavailable()
    assert outbox.flush() == 0


def test_a_request_that_found_the_cache_down_leaves_the_broker_alone_too(
    cast, broker, django_capture_on_commit_callbacks, settings
):
    """One Redis: after the cache's half-second timeout the write does not wait on the broker too."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "courtlearn.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens: Redis is down
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5, "retry_on_error": []},
        },
    }
    from django.core.cache import cache

    assert cache.get("panel") is None  # the miss a page sees; the cache now rests
    assert outbox.broker_unavailable()
    campaign = make_campaign(cast.court, status=ReadingCampaign.Status.DRAFT)
    activate(cast, campaign, django_capture_on_commit_callbacks)
    assert broker.sent == []  # no hand-over tried
    row = TaskOutbox.objects.get()  # the task waits for the flush, with the write
    assert (row.task, row.args, row.tries) == ("activities.reading.announce_campaign", [campaign.pk], 0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_write_that_is_rolled_back_queues_nothing(cast, broker, django_capture_on_commit_callbacks):
    from activities.tasks.reading import announce_campaign_task

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(announce_campaign_task, 1)
        raise RuntimeError("the write failed")
    assert not TaskOutbox.objects.exists() and broker.sent == []


def test_the_flush_hands_over_oldest_first_and_stops_while_the_broker_is_away(broker, db):
    from activities.tasks.reading import render_posters_task

    with transaction.atomic():
        for pk in (3, 1, 2):
            outbox.enqueue(render_posters_task, pk)
    # (the test's transaction never commits: the rows are what a broker outage leaves behind)
    TaskOutbox.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    broker.down = True
    assert outbox.flush() == 0
    assert list(TaskOutbox.objects.values_list("tries", flat=True)) == [1, 0, 0]  # stopped at the first
    broker.down = False
    assert outbox.flush(limit=2) == 2 and outbox.flush() == 1
    assert [args for _name, args in broker.sent] == [[3], [1], [2]]


def test_the_flush_costs_one_query_when_nothing_is_owed(broker, django_assert_num_queries, db):
    with django_assert_num_queries(1):
        assert outbox.flush() == 0


def test_a_large_compilation_waits_for_the_broker_instead_of_failing(cast, broker, django_capture_on_commit_callbacks):
    from activities.models.plans import Compilation
    from activities.services import plans as services

    from .activities.test_plans_compilation import make_compilation, outputs_for

    broker.down = True
    compilation = make_compilation(cast)
    services.compilation_add_outputs(
        compilation=compilation, outputs=outputs_for(cast, services.COMPILATION_INLINE_MAX + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("organizer").post(reverse("activities:compilation_build", args=[compilation.pk]))
    assert response.status_code == 302
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.QUEUED  # not failed: the build is owed, not lost
    assert TaskOutbox.objects.get().task == "activities.plans.build_compilation"
    broker.down = False
    assert outbox.flush(older_than=0) == 1
    assert broker.sent == [("activities.plans.build_compilation", [compilation.pk])]


def test_without_a_worker_the_task_runs_after_commit_and_no_row_is_written(cast, django_capture_on_commit_callbacks):
    campaign = make_campaign(cast.court, status=ReadingCampaign.Status.DRAFT)
    activate(cast, campaign, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind="reading.campaign").count() == 4  # ran here, as before
    assert not TaskOutbox.objects.exists()


def test_without_a_worker_a_failing_task_is_logged_and_the_write_stays(
    cast, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from activities.services import reading

    def broken(*, campaign_id):
        raise ValueError("no template")

    monkeypatch.setattr(reading, "reading_campaign_announce", broken)
    campaign = make_campaign(cast.court, status=ReadingCampaign.Status.DRAFT)
    activate(cast, campaign, django_capture_on_commit_callbacks)
    assert "announce_campaign task failed" in caplog.text


@pytest.fixture
def hung_broker(with_worker):
    """A socket that accepts connections and never answers: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    yield
    celery_app.conf.broker_url = previous
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_a_hung_broker_costs_the_hand_over_after_commit_half_a_second(hung_broker):
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - whichever error the transport raises on a timeout
        outbox.publish("activities.reading.render_posters", [1], {}, {}, fast=True)
    assert time.monotonic() - started < 2


@pytest.mark.celery
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_redis_missed_runs_when_redis_is_back_and_a_worker_starts(tmp_path):
    """Real Redis and a real worker (CI): the write commits while Redis is away; the task runs later."""
    import os
    import signal
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    import redis
    from django.conf import settings
    from django.db import connection

    from courtlearn.celery import probe

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL: the worker is another process on the same database")
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    key = f"courtlearn:test:outbox:{uuid.uuid4().hex}"
    queue = f"test-outbox-{uuid.uuid4().hex[:8]}"

    # Redis is away (nothing listens on port 1) when the write commits: the task is kept.
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with transaction.atomic():
            outbox.enqueue(probe, key, 60, queue=queue)
    finally:
        celery_app.conf.broker_url = settings.CELERY_BROKER_URL
        outbox._down_until = 0.0
    row = TaskOutbox.objects.get()
    assert row.tries == 1 and row.options == {"queue": queue}
    TaskOutbox.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))

    # Redis is back; a worker starts, and its start-up flush hands the task over.
    db = connection.settings_dict
    dsn = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": dsn, "REDIS_URL": settings.REDIS_URL, "DJANGO_DEBUG": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_path = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "courtlearn", "worker", "--pool=solo", "-Q", f"{queue},celery"]
    command += ["-n", f"{queue}@%h", "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "INFO"]
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while client.get(key) is None:
            assert worker.poll() is None and time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.3)
        assert not TaskOutbox.objects.exists()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        client.delete(key, queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
