"""No task is lost: a task queued by a write is recorded with the write, handed over after commit.

`enqueue(task, *args)` is how every write queues its follow-up work (a poster to draw, a
certificate, a campaign's announcement, a summary build). With a worker (REDIS_URL):

1. it inserts a members.TaskOutbox row in the writer's transaction, so the task exists exactly
   when the write does (a rolled-back write queues nothing);
2. once the transaction commits, it hands the task to the broker with short socket timeouts and
   no publish retry, then deletes the row. A broker that is down or hung costs the request at
   most FAST_TIMEOUT; the row stays, and for COOLDOWN seconds this process does not even try
   (nor while the cache, on the same Redis, is resting after an error);
3. beat runs `courtlearn.outbox_flush` every FLUSH_SECONDS, and every worker once when it
   starts: rows older than RETRY_AFTER_SECONDS are handed over again, oldest first.

A task may so be sent twice (a flush racing a slow hand-over, a crash between the publish and
the delete): every task here is idempotent in the database, so a second run changes nothing.

Without a worker (no REDIS_URL: tasks run eagerly, in-process) there is no broker to miss:
`enqueue` runs the task after commit, in the writer's process, exactly as before, and writes
no row. A task that fails there is logged; the write stays committed.

Packages considered (December 2026): django-celery-outbox 0.4.3 needs a relay process, SELECT …
SKIP LOCKED (not SQLite, our default) and pulls in structlog, sentry-sdk and datadog;
django-outbox-pattern publishes over STOMP, not Celery, and stops at Django 5.1;
django-jaiminho pickles callables with a pinned dill. None fits an app whose default runs
without a broker, so this module is the outbox: one table, one helper, one beat task.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from functools import partial

from celery import Task, current_app
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30  # a row this old missed its hand-over after commit (which takes at most FAST_TIMEOUT)
# How often beat runs courtlearn.outbox_flush: tasks a Redis outage held back go out within
# RETRY_AFTER + FLUSH seconds of Redis being back (50 s; it was 2 minutes, seen in `make chaos`).
FLUSH_SECONDS = 20
FLUSH_BATCH = 500  # rows handed over per flush (the next flush takes the rest)
COOLDOWN = 10.0  # after a failed hand-over, this process leaves the broker alone so long
FAST_TIMEOUT = 0.5  # socket timeouts of the hand-over after commit: a page must not wait on Redis

BEAT_SCHEDULE = {
    "courtlearn-outbox-flush": {
        "task": "courtlearn.outbox_flush",
        "schedule": float(FLUSH_SECONDS),
        # A flush not started before the next one is due is dropped: the next one does its work.
        "options": {"expires": FLUSH_SECONDS},
    },
}

_down_until = 0.0  # time.monotonic() until which hand-overs after commit are left to the flush


def tasks_run_in_process() -> bool:
    """True without a worker (no REDIS_URL: Celery runs tasks eagerly, in the caller's process)."""
    return bool(current_app.conf.task_always_eager)


def broker_unavailable() -> bool:
    """True while Redis failed this process less than COOLDOWN seconds ago: a hand-over here, or
    a read of the cache (courtlearn/cache.py), which is the same Redis. A request that already
    waited half a second on the cache so does not wait another half second on the broker."""
    return time.monotonic() < _down_until or _cache_down()


def _cache_down() -> bool:
    from django.core.cache import caches

    from courtlearn.cache import TolerantRedisCache

    cache = caches["default"]  # a TolerantRedisCache only with REDIS_URL, the broker's Redis
    return isinstance(cache, TolerantRedisCache) and cache.resting()


def enqueue(task: Task, *args, queue: str | None = None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (now, outside one).

    Arguments must be JSON (ids and keys, as every task here takes). `queue` routes it.
    """
    options = {"queue": queue} if queue else {}
    if tasks_run_in_process():
        transaction.on_commit(partial(_run_here, task, args, kwargs, options), using=using, robust=True)
        return
    from members.models import TaskOutbox

    row = TaskOutbox.objects.using(using).create(
        task=task.name, args=list(args), kwargs=kwargs, options=options, created_at=timezone.now()
    )
    transaction.on_commit(partial(_hand_over_after_commit, row, using), using=using, robust=True)


def _run_here(task: Task, args: tuple, kwargs: dict, options: dict) -> None:
    try:
        task.apply_async(args, kwargs, **options)
    except Exception:  # noqa: BLE001 - the task failed; the write it follows is committed and stays
        logger.exception("the %s task failed", task.name)


def _hand_over_after_commit(row, using: str) -> None:
    global _down_until
    if broker_unavailable():
        return  # the flush hands it over when the broker is back
    try:
        publish(row.task, row.args, row.kwargs, row.options, fast=True)
    except Exception as exc:  # noqa: BLE001 - any broker error: the row stays for the flush
        _down_until = time.monotonic() + COOLDOWN
        logger.warning("the broker did not take %s (kept for later): %s", row.task, exc)
        _record_failure([row.pk], exc, using)
        return
    try:
        type(row).objects.using(using).filter(pk=row.pk).delete()
    except Exception:  # noqa: BLE001 - the row stays and is sent again: harmless, tasks are idempotent
        logger.exception("could not clear the outbox row of %s", row.task)


def publish(name: str, args: list, kwargs: dict, options: dict, *, fast: bool = False) -> None:
    """Hand one task to the broker, once (no publish retry: the outbox is the retry).

    fast=True (after a web request's commit) opens a connection with FAST_TIMEOUT sockets, so a
    hung Redis costs the request half a second, not the workers' 2 s timeouts and a retry.
    """
    app = current_app
    task = app.tasks.get(name)
    options = {**options, "retry": False}
    if fast:
        # max_retries=0: kombu otherwise retries the connection itself, with pauses (8 s seen).
        fast_options = {"socket_timeout": FAST_TIMEOUT, "socket_connect_timeout": FAST_TIMEOUT, "max_retries": 0}
        with app.connection_for_write(transport_options=fast_options) as connection:
            options["connection"] = connection
            _send(app, task, name, args, kwargs, options)
    else:
        _send(app, task, name, args, kwargs, options)


def _send(app, task: Task | None, name: str, args: list, kwargs: dict, options: dict) -> None:
    if task is not None:
        task.apply_async(args, kwargs, **options)  # eager (no broker): runs it here
    else:
        app.send_task(name, args, kwargs, **options)


def flush(*, older_than: float = RETRY_AFTER_SECONDS, limit: int = FLUSH_BATCH, using: str = DEFAULT_DB_ALIAS) -> int:
    """Hand over the rows older than `older_than` seconds; returns how many were handed over.

    Oldest first; stops at the first failure (the broker is still away: the next flush goes on).
    One query when there is nothing to do.
    """
    global _down_until
    from members.models import TaskOutbox

    cutoff = timezone.now() - dt.timedelta(seconds=older_than)
    rows = list(TaskOutbox.objects.using(using).filter(created_at__lte=cutoff).order_by("pk")[:limit])
    sent = 0
    in_process = tasks_run_in_process()
    for row in rows:
        if in_process:  # rows left from when there was a broker: run them here
            task = current_app.tasks.get(row.task)
            if task is None:
                logger.error("outbox: no task named %s here; the row stays", row.task)
                continue
            _run_here(task, tuple(row.args), row.kwargs, row.options)
            TaskOutbox.objects.using(using).filter(pk=row.pk).delete()
            sent += 1
            continue
        try:
            publish(row.task, row.args, row.kwargs, row.options)
        except Exception as exc:  # noqa: BLE001 - the broker is still away: try again next round
            logger.warning("the broker did not take %s (%d waiting): %s", row.task, len(rows) - sent, exc)
            _record_failure([row.pk], exc, using)
            return sent
        TaskOutbox.objects.using(using).filter(pk=row.pk).delete()
        sent += 1
    if sent:
        _down_until = 0.0  # the broker is back: hand-overs after commit may try it again
        logger.info("handed over %d queued tasks the broker had missed", sent)
    return sent


def _record_failure(pks: Iterable[int], exc: Exception, using: str) -> None:
    from members.models import TaskOutbox

    try:
        TaskOutbox.objects.using(using).filter(pk__in=list(pks)).update(
            tries=F("tries") + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:300]
        )
    except Exception:  # noqa: BLE001 - the database is in trouble too; the row is there all the same
        logger.exception("could not record the failed hand-over")
