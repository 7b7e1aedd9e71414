"""A court's holidays and 调休 working days: the national calendar, the courts' above, its own."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import visible_courts
from members.models import Court

from ...forms.sessions import CourtCalendarDayForm
from ...models.sessions import CourtCalendarDay, HolidayCalendar
from ...selectors.sessions import effective_days
from ...services import sessions as services


def _managed_court(request: HttpRequest, pk: int) -> Court:
    """A court whose calendar the user changes: 404 outside what they see, 403 unless they organize all of it."""
    court = get_object_or_404(visible_courts(request.user).select_related("parent__parent"), pk=pk)
    if not request.user.has_perm("members.manage_court", court):
        raise PermissionDenied
    return court


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    year = int(value) if value.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _page(court: Court, year: int) -> str:
    return f"{reverse('activities:holidays', args=[court.pk])}?{urlencode({'year': year})}"


@login_required
def court_holidays(request: HttpRequest, pk: int) -> HttpResponse:
    """The court's effective holidays and working days of a year, where each comes from; add its own."""
    court = _managed_court(request, pk)
    year = _year(request)
    form = CourtCalendarDayForm(request.POST or None, initial={"kind": "holiday"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            day = services.court_calendar_day_set(
                actor=request.user, court=court, date=data["date"], kind=data["kind"], name=data["name"]
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(date)s is now %(kind)s for %(court)s.")
                % {"date": f"{day.date.year}年{day.date.month}月{day.date.day}日", "kind": day.get_kind_display(),
                   "court": court.name},
            )  # fmt: skip
            return redirect(_page(court, day.date.year))
    days = sorted(effective_days(dt.date(year, 1, 1), dt.date(year, 12, 31), court).values(), key=lambda d: d.date)
    own = {d.date: d for d in CourtCalendarDay.objects.filter(court=court, date__year=year)}
    national = HolidayCalendar.objects.filter(year=year).first()
    return render(
        request,
        "activities/sessions/holidays.html",
        {
            "court": court,
            "year": year,
            "rows": [(day, own.get(day.date) if day.court_id == court.pk else None) for day in days],
            "national": national,
            "form": form,
            "previous": year - 1,
            "next": year + 1,
        },
    )


@login_required
@require_POST
def court_holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the court's own days; the date follows the courts above or the national calendar again."""
    day = get_object_or_404(
        CourtCalendarDay.objects.filter(court__in=visible_courts(request.user)).select_related("court"), pk=pk
    )
    if not request.user.has_perm("members.manage_court", day.court):
        raise PermissionDenied
    services.court_calendar_day_delete(actor=request.user, day=day)
    messages.success(request, _("%(name)s has been removed from the court's calendar.") % {"name": day.name})
    return redirect(_page(day.court, day.date.year))
