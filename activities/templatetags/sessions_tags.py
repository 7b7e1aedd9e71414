"""Template tags of the sessions family: the 我的学习 panel, the profile section, form helpers."""

from __future__ import annotations

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from members.access import current_member, is_organizer_of

from ..models.sessions import Attendance, SelfReportedShare, Session, Speaker, SwapRequest
from ..panels import cached_member_panel
from ..selectors.sessions import group_leader_ids, member_attendance_stats

register = template.Library()

PANEL_ITEMS = 5


@register.simple_tag
def posted_value(posted, prefix: str, pk, fallback):
    """The value just posted for a row (to redisplay a refused form), else the saved one."""
    if posted is not None:
        return posted.get(f"{prefix}{pk}", "")
    return fallback


def _speakers():
    return Prefetch("speakers", queryset=Speaker.objects.select_related("member"))


@cached_member_panel(register, "activities/sessions/_member_panel.html")
def member_sessions_panel(context):
    """My coming sessions, my speaking turns, my attendance history — a fixed number of queries."""
    request = context["request"]
    me = current_member(request.user)
    if me is None:
        return {"me": None}
    now = timezone.now()
    mine = Session.objects.for_member(me)
    upcoming = list(mine.upcoming(now).select_related("kind").prefetch_related(_speakers())[:PANEL_ITEMS])
    turns = list(Session.objects.upcoming(now).filter(speakers__member=me).select_related("kind", "rota")[:PANEL_ITEMS])
    history = list(
        Attendance.objects.filter(member=me)
        .select_related("session", "session__kind")
        .order_by("-session__start")[:PANEL_ITEMS]
    )
    leader_groups = group_leader_ids(me)
    return {
        "me": me,
        "now": now,
        "upcoming": upcoming,
        "open_now": [s for s in upcoming if s.is_open_for_sign_in(now)],
        "turns": turns,
        "history": history,
        "stats": member_attendance_stats(me, year=timezone.localdate().year),
        "pending_swaps": SwapRequest.objects.filter(
            session__rota__group_id__in=leader_groups, status=SwapRequest.Status.PENDING
        ).count()
        if leader_groups
        else 0,
        "pending_shares": SelfReportedShare.objects.filter(
            group_id__in=leader_groups, status=SelfReportedShare.Status.PENDING
        ).count()
        if leader_groups
        else 0,
    }


@register.inclusion_tag("activities/sessions/_organizer_panel.html", takes_context=True)
def organizer_sessions_panel(context):
    request = context["request"]
    me = current_member(request.user)
    if me is None or not is_organizer_of(request.user, me.court_id):
        return {"show": False}
    now = timezone.now()
    return {
        "show": True,
        "coming": Session.objects.filter(court_id=me.court_id).upcoming(now).count(),
        "pending_shares": SelfReportedShare.objects.filter(
            member__court_id=me.court_id, status=SelfReportedShare.Status.PENDING
        ).count(),
    }


@register.inclusion_tag("activities/sessions/_profile.html", takes_context=True)
def member_sessions_profile(context, member):
    """Shares given (planned and confirmed self-reported) and, for those who may see it, attendance."""
    year = timezone.localdate().year
    given = (
        Session.objects.filter(speakers__member=member, status=Session.Status.HELD)
        .select_related("kind")
        .order_by("-start")
    )
    return {
        "member": member,
        "given": list(given[:PANEL_ITEMS]),
        "given_count": given.count(),
        "confirmed_shares": SelfReportedShare.objects.filter(member=member).confirmed().count(),
        "stats": member_attendance_stats(member, year=year) if context.get("show_private") else None,
        "year": year,
    }
