"""Celery tasks of the plans family. Periodic ones go in BEAT_SCHEDULE."""

BEAT_SCHEDULE: dict = {}
