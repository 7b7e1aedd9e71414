"""Celery tasks of the reading family: thin wrappers around services, safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

CATCH_UP_AFTER_MINUTES = 10
CATCH_UP_BATCH = 50


@shared_task(name="activities.reading.render_posters")
def render_posters_task(recommendation_id: int) -> bool:
    """Draw both posters of a recommendation's current revision (skipped when already drawn)."""
    from ..services.reading import recommendation_render_posters

    return recommendation_render_posters(recommendation_id=recommendation_id)


@shared_task(name="activities.reading.announce_campaign")
def announce_campaign_task(campaign_id: int) -> int:
    """Notify the audience of a newly active campaign (a dedupe key keeps it to once each)."""
    from ..services.reading import reading_campaign_announce

    return reading_campaign_announce(campaign_id=campaign_id)


@shared_task(name="activities.reading.render_pending_posters")
def render_pending_posters_task() -> int:
    """Catch up on posters whose task was lost (broker down when queued); failures stay failed."""
    from ..models.reading import BookRecommendation
    from ..services.reading import recommendation_render_posters

    stale = timezone.now() - dt.timedelta(minutes=CATCH_UP_AFTER_MINUTES)
    pending = (
        BookRecommendation.objects.needs_posters()
        .exclude(poster_status=BookRecommendation.PosterStatus.FAILED)
        .filter(updated_at__lt=stale)
        .values_list("pk", flat=True)[:CATCH_UP_BATCH]
    )
    return sum(recommendation_render_posters(recommendation_id=pk) for pk in list(pending))


BEAT_SCHEDULE: dict = {
    "reading-render-pending-posters": {
        "task": "activities.reading.render_pending_posters",
        "schedule": crontab(minute="*/15"),
    },
}
