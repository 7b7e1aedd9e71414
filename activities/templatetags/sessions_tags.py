"""Template tags of the sessions family: the 我的学习 panel, the profile section, form helpers."""

from __future__ import annotations

from django import template
from django.db.models import Prefetch, Q
from django.utils import timezone

from members.access import current_member, is_organizer_of

from ..models.sessions import Attendance, LeaveRequest, Rota, SelfReportedShare, Session, Speaker, SwapRequest
from ..panels import cached_member_panel
from ..selectors.sessions import (
    Deciders,
    group_leader_ids,
    is_expected,
    managed_sessions,
    member_attendance_stats,
    swap_deciders,
)

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
    leave_by_session = {}  # the latest request for each coming session, for its 请假 link or status
    for leave in LeaveRequest.objects.filter(member=me, session__in=[s.pk for s in upcoming]).order_by("created_at"):
        leave_by_session[leave.session_id] = leave
    for session in upcoming:
        session.my_leave = leave_by_session.get(session.pk)
    return {
        "me": me,
        "now": now,
        "upcoming": upcoming,
        "open_now": [s for s in upcoming if s.is_open_for_sign_in(now)],
        "turns": turns,
        "history": history,
        "stats": member_attendance_stats(me, year=timezone.localdate().year),
        # Swaps wait for the rota unit's leader: a group's leader, a branch's secretary, a department's head.
        "pending_swaps": SwapRequest.objects.filter(
            Q(session__rota__group_id__in=leader_groups)
            | Q(session__rota__branch__secretary=me)
            | Q(session__rota__department__head=me),
            status=SwapRequest.Status.PENDING,
        ).count(),
        "pending_leave": LeaveRequest.objects.pending().filter(session__unit_group_id__in=leader_groups).count()
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
        "pending_leave": LeaveRequest.objects.pending().filter(session__in=managed_sessions(request.user)).count(),
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


@register.simple_tag(takes_context=True)
def session_leave_state(context, session: Session) -> dict:
    """The member's leave on a session page: their latest request, and whether they may ask (请假)."""
    me = current_member(context["request"].user)
    if me is None or not me.is_active or me.court_id != session.court_id:
        return {}
    mine = LeaveRequest.objects.filter(session=session, member=me).select_related("decided_by").first()
    active = (
        mine
        if mine is not None and mine.status in (LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED)
        else None
    )
    attendance = Attendance.objects.filter(session=session, member=me).first()
    can_ask = (
        active is None
        and not session.is_cancelled
        and session.end > timezone.now()
        and attendance is None
        and (is_expected(session, me) or session.speakers.filter(member=me).exists())
    )
    return {"mine": mine, "active": active, "can_ask": can_ask}


@register.simple_tag
def rota_deciders(rota: Rota | None) -> Deciders | None:
    """Who decides this rota's swaps (its unit's leader, else the organizers who run the unit)."""
    return swap_deciders(rota) if rota is not None else None
