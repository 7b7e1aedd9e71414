"""Leave (请假): a member asks from the session page or 我的学习; the organizer approves or declines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import is_organizer_of

from ...forms.sessions import DecisionForm, LeaveForm
from ...models.sessions import LeaveRequest, Session
from ...selectors.sessions import (
    can_manage_session,
    group_leader_ids,
    is_expected,
    leave_deciders,
    pending_leave_requests,
)
from ...services import sessions as services
from .common import member_or_403, paginate, require, visible_session


@login_required
def leave_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone form: a reason, one button. Only those expected at (or speaking at) the session ask."""
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(
        me.court_id == session.court_id and (is_expected(session, me) or session.speakers.filter(member=me).exists())
    )
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_request_create(
                member=me, session=session, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your leave request is sent to %(names)s (%(title)s), who decides; you will be notified.")
                % {"names": leave.deciders.names, "title": leave.deciders.title},
            )
            return redirect(session)
    requests = LeaveRequest.objects.filter(session=session, member=me).select_related("decided_by")
    return render(
        request,
        "activities/sessions/leave_form.html",
        {"form": form, "session": session, "requests": requests, "deciders": leave_deciders(session)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def leave_list(request: HttpRequest) -> HttpResponse:
    """Pending leave requests of the sessions the user keeps attendance for (organizers, group leaders)."""
    me = member_or_403(request)
    require(is_organizer_of(request.user, me.court_id) or bool(group_leader_ids(me)))
    return render(
        request,
        "activities/sessions/leave_list.html",
        {"page": paginate(request, pending_leave_requests(request.user))},
    )


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    leave = get_object_or_404(
        LeaveRequest.objects.filter(session__in=Session.objects.visible_to(request.user)).select_related(
            "session", "member"
        ),
        pk=pk,
    )
    me = member_or_403(request)
    require(can_manage_session(request.user, leave.session))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
    else:
        try:
            services.leave_request_decide(
                actor=me,
                leave=leave,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except services.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision saved; %(name)s is notified.") % {"name": leave.member.name})
    return redirect("activities:sessions_leave_list")


@login_required
@require_POST
def leave_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    me = member_or_403(request)
    leave = get_object_or_404(LeaveRequest.objects.filter(member=me).select_related("session"), pk=pk)
    try:
        services.leave_request_withdraw(member=me, leave=leave)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect(leave.session)
