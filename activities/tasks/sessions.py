"""Celery tasks of the sessions family. Periodic ones go in BEAT_SCHEDULE."""

BEAT_SCHEDULE: dict = {}
