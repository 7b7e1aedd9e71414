"""Small helpers the plans views share."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from members.access import current_member, visible_courts
from members.models import Court, Member

from ...models.plans import PLAN_TZ, ReportWindow, local_month, month_before

PAGE_SIZE = 20


def require_member(request: HttpRequest) -> Member:
    """The logged-in member; accounts without a member record may not use these pages."""
    member = current_member(request.user)
    if member is None or not member.is_active:
        raise PermissionDenied
    return member


def today(now: dt.datetime) -> dt.date:
    return now.astimezone(PLAN_TZ).date()


def error_message(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def form_errors_message(request: HttpRequest, form) -> None:
    """Put a form's errors in the messages when the form lives on another page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def chosen_court(request: HttpRequest, member: Member) -> Court:
    """?court=<id> among the courts the user reads (404 otherwise); their own court by default."""
    court_id = request.GET.get("court", "")
    if court_id:
        if not court_id.isdigit():
            raise Http404
        return get_object_or_404(visible_courts(request.user), pk=int(court_id))
    return member.court


def chosen_month(request: HttpRequest, now: dt.datetime) -> tuple[int, int]:
    """?year=&month= when valid; else the latest month whose report window has opened."""
    from ...forms.plans import MonthForm

    form = MonthForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"], form.cleaned_data["month"]
    year, month = local_month(now)
    if now >= ReportWindow.for_month(year, month).opens_at:
        return year, month
    return month_before(year, month)
