"""Celery tasks of the contests family. Periodic ones go in BEAT_SCHEDULE."""

BEAT_SCHEDULE: dict = {}
