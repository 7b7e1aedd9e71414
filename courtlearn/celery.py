"""The Celery app. Tasks live in each app's tasks.py; periodic ones in BEAT_SCHEDULE there."""

from __future__ import annotations

import os

from celery import Celery

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


@app.task(name="courtlearn.probe", ignore_result=True)
def probe(key: str, ttl: int = 60) -> None:
    """Write `key` to Redis: proof that a worker took a task off the broker (the round-trip test)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    client.set(key, "pong", ex=ttl)
