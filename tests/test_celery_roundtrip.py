"""A task goes through the real Redis broker to a real worker process and comes back as an effect.

Skipped (with the reason shown in the summary) when REDIS_URL is unset; CI sets it to a Redis
database of its own. Every wait has a timeout, so a broken broker or worker fails the test
instead of hanging the suite.
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

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "")
STARTUP_TIMEOUT = 60
TASK_TIMEOUT = 30

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: the Celery round trip needs a real Redis"),
]


def wait_for(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    client.ping()
    return client


@pytest.fixture
def worker(tmp_path, redis_client):
    """A Celery worker on a queue of its own, stopped (and its queue removed) afterwards."""
    queue = f"test-roundtrip-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "DJANGO_DEBUG": "1",
        "COURTLEARN_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "courtlearn",
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        ready = wait_for(lambda: process.poll() is not None or b" ready." in log_path.read_bytes(), STARTUP_TIMEOUT)
        if process.poll() is not None or not ready:
            pytest.fail(f"The worker did not start within {STARTUP_TIMEOUT}s:\n{log_path.read_text(errors='replace')}")
        yield queue, log_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        redis_client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_a_task_travels_through_redis_to_a_worker_and_back(worker, redis_client):
    from courtlearn.celery import app

    queue, log_path = worker
    key = f"courtlearn:test:probe:{uuid.uuid4().hex}"
    assert not app.conf.task_always_eager  # the real broker, not in-process
    app.send_task("courtlearn.probe", args=[key, 60], queue=queue)
    arrived = wait_for(lambda: redis_client.get(key) is not None, TASK_TIMEOUT)
    assert arrived, (
        f"The task had no effect within {TASK_TIMEOUT}s. Worker log:\n{log_path.read_text(errors='replace')}"
    )
    assert redis_client.get(key) == b"pong"
    assert "courtlearn.probe" in log_path.read_text(errors="replace")
    redis_client.delete(key)
