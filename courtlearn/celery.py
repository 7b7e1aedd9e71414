"""The Celery app. Tasks live in each app's tasks.py; periodic ones in BEAT_SCHEDULE there.

Without REDIS_URL (the embedded default, `make run`) tasks run eagerly: a web request runs its
task in-process after commit, and `celery beat` runs each periodic task in its own process when
it is due (no broker, no worker). With REDIS_URL beat sends them to Redis for the workers.
"""

from __future__ import annotations

import logging
import os

from celery import Celery
from celery.signals import beat_init, task_postrun, task_prerun, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtlearn.settings")

app = Celery("courtlearn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def collect_beat_schedule(sender: Celery, **kwargs) -> None:
    """Each app declares BEAT_SCHEDULE in its tasks.py; beat runs the union."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
            continue
        sender.conf.beat_schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    from courtlearn import outbox

    sender.conf.beat_schedule.update(outbox.BEAT_SCHEDULE)


@app.task(name="courtlearn.outbox_flush", ignore_result=True)
def outbox_flush() -> int:
    """Hand the broker the tasks it missed when their writes committed (courtlearn/outbox.py)."""
    from courtlearn import outbox

    return outbox.flush()


@worker_ready.connect
def flush_outbox_on_start(**kwargs) -> None:
    """A worker that starts (Redis back, a deploy) does not wait for beat to send what is owed."""
    try:
        outbox_flush.delay()
    except Exception:  # noqa: BLE001 - beat's next flush does it
        logging.getLogger(__name__).warning("could not queue the outbox flush at start", exc_info=True)


# Beat without a broker runs the periodic tasks in its own long-lived process, where no
# request cycle closes database connections: do it around each task, as a worker does.
_in_beat = False


@beat_init.connect
def _beat_started(**kwargs) -> None:
    global _in_beat
    _in_beat = True


@task_prerun.connect
@task_postrun.connect
def _fresh_connections_in_beat(**kwargs) -> None:
    if not _in_beat:
        return
    from django.db import close_old_connections, connection

    if not connection.in_atomic_block:  # a task run by a task inside a transaction keeps it
        close_old_connections()


@app.task(name="courtlearn.probe", ignore_result=True)
def probe(key: str, ttl: int = 60) -> None:
    """Write `key` to Redis: proof that a worker took a task off the broker (the round-trip test)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    client.set(key, "pong", ex=ttl)
