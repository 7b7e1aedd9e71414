"""Recruitment actions on many people at once: decide many applications, move many squad members.

The pages (applications, squads) put the select-many controls in their forms (members/selection.py);
these views resolve the selection against what the page lists and call activities.services.bulk.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from members.selection import SelectManyForm, select_many

from ...models.plans import Application
from ...services import bulk
from ._common import error_message, form_errors_message, require_member
from .recruitment import _batch_for, _batch_squads, _squad_members

DECISION_DONE = {
    Application.Status.SELECTED: lambda n: ngettext("%(n)s applicant selected.", "%(n)s applicants selected.", n),
    Application.Status.REJECTED: lambda n: ngettext(
        "%(n)s applicant told “not this time”.", "%(n)s applicants told “not this time”.", n
    ),
    Application.Status.PENDING: lambda n: ngettext(
        "%(n)s application back to pending.", "%(n)s applications back to pending.", n
    ),
}


def report_selection(request: HttpRequest, selection) -> None:
    for line in selection.problems:
        messages.warning(request, line)


@login_required
@require_POST
def recruitment_decide_many(request: HttpRequest, pk: int) -> HttpResponse:
    """Select (or decline, or reset) every ticked, filtered or pasted applicant in one action."""
    batch = _batch_for(request, pk, manage=True)
    status_filter = request.GET.get("status", "")
    query = f"?{urlencode({'status': status_filter})}" if status_filter in Application.Status.values else ""
    back = reverse("activities:recruitment_applications", args=[batch.pk]) + query
    decision = request.POST.get("status", "")
    if decision not in Application.Status.values:
        messages.error(request, _("Unknown decision."))
        return redirect(back)
    candidates = batch.applications.select_related("member").order_by("created_at", "pk")
    if query:
        candidates = candidates.filter(status=status_filter)
    form = SelectManyForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(back)
    selection = select_many(
        form, candidates=candidates, number_path="member__employee_number", court=batch.group.court_id
    )
    report_selection(request, selection)
    if selection.chosen:
        try:
            count = bulk.applications_decide_many(
                batch=batch,
                applications=selection.chosen,
                actor=require_member(request),
                status=decision,
                now=timezone.now(),
            )
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, DECISION_DONE[decision](count) % {"n": count})
    return redirect(back)


@login_required
@require_POST
def recruitment_squad_move_many(request: HttpRequest, pk: int) -> HttpResponse:
    """Move every ticked or pasted squad member into the chosen squad in one action."""
    batch = _batch_for(request, pk, manage=True)
    back = reverse("activities:recruitment_squads", args=[batch.pk])
    squad_id = request.POST.get("squad", "")
    to = _batch_squads(batch).filter(pk=int(squad_id)).first() if squad_id.isdigit() and len(squad_id) < 12 else None
    if to is None:
        messages.error(request, _("Choose the squad to move them to."))
        return redirect(back)
    form = SelectManyForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(back)
    selection = select_many(
        form, candidates=_squad_members(batch), number_path="employee_number", court=batch.group.court_id
    )
    report_selection(request, selection)
    if selection.chosen:
        try:
            count = bulk.squad_move_many(batch=batch, members=selection.chosen, to=to, actor=require_member(request))
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(
                request,
                ngettext("%(n)s member moved to %(squad)s.", "%(n)s members moved to %(squad)s.", count)
                % {"n": count, "squad": to.name},
            )
    return redirect(back)
