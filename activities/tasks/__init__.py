"""Celery tasks, one module per family; beat runs the union of their BEAT_SCHEDULE."""

from . import contests, originality, plans, reading, sessions  # noqa: F401

BEAT_SCHEDULE = {
    **reading.BEAT_SCHEDULE,
    **sessions.BEAT_SCHEDULE,
    **contests.BEAT_SCHEDULE,
    **plans.BEAT_SCHEDULE,
}
