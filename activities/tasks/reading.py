"""Celery tasks of the reading family. Periodic ones go in BEAT_SCHEDULE."""

BEAT_SCHEDULE: dict = {}
