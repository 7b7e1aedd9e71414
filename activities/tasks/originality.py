"""Celery task of the originality check: thin, safe to run twice (see services.originality)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="activities.originality.check", acks_late=True, reject_on_worker_lost=True)
def check_originality_task(kind: str, object_id: int) -> int | None:
    """Check one text; returns the similarity (percent) of its closest earlier text, or None."""
    from ..services.originality import originality_check

    check = originality_check(kind=kind, object_id=object_id, now=timezone.now())
    return check.similarity if check is not None else None
