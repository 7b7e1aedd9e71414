from __future__ import annotations

from django.core.cache import caches

from .access import current_member


def member_context(request) -> dict:
    """`me` (the logged-in Member or None) and the unread notification count, on every page."""
    member = current_member(getattr(request, "user", None))
    return {"me": member, "unread_notifications": unread_count(member) if member else 0}


def unread_count(member) -> int:
    """Cached under the member's cache_version, which notify() and notification_mark_read() raise."""
    key = f"unread-notifications:{member.pk}:{member.cache_version}"
    count = caches["fragments"].get(key)
    if count is None:
        count = member.notifications.filter(read_at__isnull=True).count()
        caches["fragments"].set(key, count, 600)
    return count
