"""Template tags of the reading family: the panels on shared pages, and small filters."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from members.access import current_member, is_organizer_of

from ..models.reading import ReadingCampaign, Reflection
from ..panels import cached_member_panel
from ..selectors.reading import campaigns_for_member_panel, member_books, member_reading_summary

register = template.Library()

QUICK_BOOKS = 4


@cached_member_panel(register, "activities/reading/_member_panel.html")
def reading_member_panel(context):
    """我的学习: the quick reading log (recent books first, today, minutes or pages) and plan progress."""
    request = context["request"]
    member = current_member(request.user)
    if member is None:
        return {"member": None}
    return {
        "member": member,
        "books": list(member_books(member)[:QUICK_BOOKS]),
        "campaigns": list(campaigns_for_member_panel(member)),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("activities/reading/_organizer_panel.html", takes_context=True)
def reading_organizer_panel(context):
    request = context["request"]
    member = current_member(request.user)
    if member is None or not is_organizer_of(request.user, member.court_id):
        return {"show": False}
    campaigns = list(
        ReadingCampaign.objects.filter(court_id=member.court_id)
        .exclude(status=ReadingCampaign.Status.CLOSED)
        .order_by("status", "-starts_on")[:5]
    )
    waiting = Reflection.objects.filter(author__court_id=member.court_id, status=Reflection.Status.SUBMITTED).count()
    return {"show": True, "campaigns": campaigns, "waiting": waiting}


@register.inclusion_tag("activities/reading/_profile.html", takes_context=True)
def reading_profile(context, member):
    """The reading section of a member's profile: figures for those who may see private data,
    featured reflections for everyone who can see the profile."""
    request = context["request"]
    private = request.user.has_perm("members.see_member_private", member)
    featured = (
        Reflection.objects.visible_to(request.user)
        .featured()
        .filter(author=member)
        .select_related("book")
        .order_by("-featured_at")[:5]
    )
    return {
        "member": member,
        "private": private,
        "summary": member_reading_summary(member, today=timezone.localdate()) if private else None,
        "featured": featured,
        "is_me": (me := current_member(request.user)) is not None and me.pk == member.pk,
    }


@register.filter
def reading_minutes(value) -> str:
    """90 → 1 h 30 min (translated)."""
    try:
        minutes = int(value or 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)s h") % {"h": hours}
    return _("%(m)s min") % {"m": rest}


@register.filter
def input_value(value) -> str:
    """A form field's value for an <input value="…">: dates in ISO form, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "active": "text-bg-success",
    "closed": "text-bg-dark",
    "submitted": "text-bg-info",
    "featured": "text-bg-warning",
    "returned": "text-bg-danger",
    "pending": "text-bg-secondary",
    "ready": "text-bg-success",
    "failed": "text-bg-danger",
}


@register.filter
def status_class(value: str) -> str:
    return STATUS_CLASSES.get(str(value), "text-bg-light")
