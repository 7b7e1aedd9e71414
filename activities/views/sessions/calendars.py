"""Calendars (mine, my group's, the court's), the iCal feed, and notification settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from icalendar import Calendar, Event

from members.access import current_member, visible_courts
from members.models import Court, NotificationMute

from ...forms.sessions import NotificationSettingsForm
from ...models.sessions import CalendarFeedToken, Session
from ...selectors.sessions import WorkCalendar, period_for, sessions_by_day, visible_groups
from ...services import sessions as services
from .common import member_or_403

FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 366


def _period(request: HttpRequest):
    view = "week" if request.GET.get("view") == "week" else "month"
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = timezone.localdate()
    if not 2000 <= anchor.year <= 2100:
        anchor = timezone.localdate()
    return period_for(view, anchor)


def _render_calendar(
    request: HttpRequest, sessions, *, court: Court | int | None, title: str, extra: dict | None = None
) -> HttpResponse:
    period = _period(request)
    sessions = list(sessions.between(period.first, period.last).with_listing().order_by("start"))
    cal = WorkCalendar.load(period.first, period.last, court)
    context = {
        "title": title,
        "period": period,
        "days": sessions_by_day(sessions, period, cal),
        "count": len(sessions),
        "today": timezone.localdate(),
        **(extra or {}),
    }
    return render(request, "activities/sessions/calendar.html", context)


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    sessions = Session.objects.for_member(me)
    groups = visible_groups(request.user).filter(memberships__member=me)
    return _render_calendar(
        request, sessions, court=me.court, title=_("My sessions"), extra={"scope": "mine", "my_groups": groups}
    )


@login_required
def group_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(visible_groups(request.user), pk=pk)
    sessions = Session.objects.filter(court_id=group.court_id).for_group(group)
    return _render_calendar(
        request,
        sessions,
        court=group.court_id,
        title=_("Sessions of %(group)s") % {"group": group.name},
        extra={"scope": "group", "group": group},
    )


@login_required
def court_calendar(request: HttpRequest) -> HttpResponse:
    courts = visible_courts(request.user)
    court = None
    court_id = request.GET.get("court", "")
    if court_id.isdigit():
        court = get_object_or_404(courts, pk=int(court_id))
    else:
        me = current_member(request.user)
        court = me.court if me else courts.first()
    if court is None:
        raise Http404
    sessions = Session.objects.filter(court=court)
    return _render_calendar(
        request,
        sessions,
        court=court,
        title=_("Sessions of %(court)s") % {"court": court.name},
        extra={"scope": "court", "court": court, "courts": courts if courts.count() > 1 else Court.objects.none()},
    )


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Show, create or revoke the secret iCal address."""
    me = member_or_403(request)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_token_revoke(member=me)
            messages.success(request, _("The calendar address is revoked; calendars using it stop updating."))
        else:
            services.feed_token_issue(member=me)
            messages.success(request, _("A new calendar address is ready. The previous one no longer works."))
        return redirect("activities:sessions_feed")
    token = CalendarFeedToken.objects.filter(member=me).first()
    url = request.build_absolute_uri(reverse("activities:sessions_ical", args=[token.token])) if token else ""
    return render(request, "activities/sessions/feed.html", {"token": token, "url": url})


@never_cache
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's sessions as iCalendar, for phone and desktop calendars. The token is the only key."""
    feed = CalendarFeedToken.objects.select_related("member__court").filter(token=token).first()
    if feed is None or not feed.member.is_active:
        raise Http404
    member = feed.member
    today = timezone.localdate()
    sessions = (
        Session.objects.for_member(member)
        .between(today - dt.timedelta(days=FEED_PAST_DAYS), today + dt.timedelta(days=FEED_FUTURE_DAYS))
        .with_listing()
        .order_by("start")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//courtlearn//sessions//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Court learning: %(name)s") % {"name": member.name})
    host = request.get_host().split(":")[0]
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("dtstamp", session.updated_at)
        event.add("dtstart", session.start)
        event.add("dtend", session.end)
        summary = f"{session.kind.name}：{session.title}"
        if session.is_cancelled:
            summary = "[" + _("Cancelled") + "] " + summary
            event.add("status", "CANCELLED")
        event.add("summary", summary)
        if session.place:
            event.add("location", session.place)
        speakers = "、".join(s.name for s in session.speakers.all())
        description = "\n".join(filter(None, [session.topic, _("Speakers") + f"：{speakers}" if speakers else ""]))
        if description:
            event.add("description", description)
        event.add("url", request.build_absolute_uri(session.get_absolute_url()))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="courtlearn.ics"'
    return response


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    muted = list(NotificationMute.objects.filter(member=me).values_list("kind", flat=True))
    form = NotificationSettingsForm(request.POST or None, initial={"muted": muted})
    if request.method == "POST" and form.is_valid():
        services.notification_mutes_set(member=me, muted=form.cleaned_data["muted"])
        messages.success(request, _("Notification settings saved."))
        return redirect("activities:sessions_notification_settings")
    return render(request, "activities/sessions/notification_settings.html", {"form": form})
