from __future__ import annotations

from .access import current_member


def member_context(request) -> dict:
    """`me` (the logged-in Member or None) and the unread notification count, on every page."""
    member = current_member(getattr(request, "user", None))
    unread = member.notifications.filter(read_at__isnull=True).count() if member else 0
    return {"me": member, "unread_notifications": unread}
