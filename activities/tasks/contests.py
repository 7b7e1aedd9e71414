"""Celery tasks of the contests family: certificates, and the sweep that closes timed-out quiz attempts."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone


@shared_task(name="activities.contests.award_certificate_render")
def award_certificate_render_task(award_id: int) -> bool:
    """Draw an award's certificate. Drawing again replaces the file, so running twice is harmless."""
    from ..services.contests.awards import award_certificate_render

    return award_certificate_render(award_id=award_id) is not None


@shared_task(name="activities.contests.award_certificates_render")
def award_certificates_render_task(award_ids: list[int]) -> int:
    """Draw the certificates of many awards given at once (one task, not one per award)."""
    from ..services.contests.awards import award_certificate_render

    return sum(award_certificate_render(award_id=pk) is not None for pk in award_ids)


@shared_task(name="activities.contests.quiz_attempts_close_expired")
def quiz_attempts_close_expired_task() -> int:
    """Submit every quiz attempt whose time is up; each is claimed once by a conditional UPDATE."""
    from ..services.contests.quizzes import attempts_close_expired

    return attempts_close_expired(now=timezone.now())


@shared_task(name="activities.contests.drop_stale_imports")
def drop_stale_imports_task() -> int:
    """Delete Excel uploads that were checked but never confirmed (older than a day)."""
    from ..services.contests.sheets import drop_stale_stashes

    return drop_stale_stashes(now=timezone.now())


BEAT_SCHEDULE: dict = {
    "contests-close-expired-quiz-attempts": {
        "task": "activities.contests.quiz_attempts_close_expired",
        "schedule": crontab(minute="*"),
    },
    "contests-drop-stale-imports": {
        "task": "activities.contests.drop_stale_imports",
        "schedule": crontab(hour=3, minute=17),
    },
}
