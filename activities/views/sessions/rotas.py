"""Speaker rotas (轮值主讲), unavailability, and swap requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import current_member, is_organizer_of
from members.models import Member

from ...forms.sessions import DecisionForm, RotaForm, SwapForm, UnavailabilityForm
from ...models.sessions import Rota, Session, Speaker, SwapRequest, Unavailability
from ...selectors.sessions import can_manage_rota, can_plan, group_leader_ids, rota_overview, swap_deciders
from ...services import sessions as services
from .common import member_or_403, paginate, require, visible_session


@login_required
def rota_list(request: HttpRequest) -> HttpResponse:
    rotas = Rota.objects.visible_to(request.user).with_unit().select_related("court")
    me = current_member(request.user)
    return render(
        request,
        "activities/sessions/rota_list.html",
        {"page": paginate(request, rotas), "can_plan": me is not None and can_plan(request.user, me.court_id)},
    )


@login_required
def rota_create(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    require(can_plan(request.user, me.court_id))
    form = RotaForm(request.POST or None, user=request.user, court=me.court)
    if request.method == "POST" and form.is_valid():
        rota = services.rota_create(actor=me, unit=form.cleaned_data["unit"])
        messages.success(request, _("Rota created. Plan its weekly sessions for a quarter to assign speakers."))
        return redirect(rota)
    return render(
        request, "activities/sessions/rota_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@login_required
def rota_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rota = get_object_or_404(Rota.objects.visible_to(request.user).with_unit(), pk=pk)
    now = timezone.now()
    turns = (
        rota.sessions.upcoming(now)
        .select_related("reserve_speaker")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.select_related("member")))[:20]
    )
    overview = rota_overview(rota)
    member_ids = [row["member"].pk for row in overview]
    today = timezone.localdate()
    unavailable = (
        Unavailability.objects.filter(member_id__in=member_ids, last_day__gte=today)
        .select_related("member")
        .order_by("first_day")
    )
    swaps = (
        SwapRequest.objects.filter(session__rota=rota, status=SwapRequest.Status.PENDING)
        .select_related("session", "requester", "substitute", "other_session")
        .prefetch_related("other_session__speakers__member")
    )
    return render(
        request,
        "activities/sessions/rota_detail.html",
        {
            "rota": rota,
            "overview": overview,
            "turns": turns,
            "unavailable": unavailable,
            "swaps": swaps,
            "can_manage": can_manage_rota(request.user, rota),
            "deciders": swap_deciders(rota),
            "decision_form": DecisionForm(),
        },
    )


@login_required
def swap_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The speaker of a coming turn asks to swap it."""
    session = visible_session(request, pk)
    me = member_or_403(request)
    now = timezone.now()
    require(session.rota_id is not None and session.speakers.filter(member=me).exists())
    form = SwapForm(request.POST or None, session=session, requester=me, now=now)
    if request.method == "POST" and form.is_valid():
        try:
            swap = services.swap_request_create(requester=me, session=session, now=now, **form.cleaned_data)
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your request is sent to %(names)s (%(title)s), who decides.")
                % {"names": swap.deciders.names, "title": swap.deciders.title},
            )
            return redirect(session)
    return render(
        request,
        "activities/sessions/swap_form.html",
        {"form": form, "session": session, "deciders": swap_deciders(session.rota)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def swap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    swap = get_object_or_404(
        SwapRequest.objects.filter(session__in=Session.objects.visible_to(request.user)).select_related(
            "session__rota__group", "session__rota__branch", "session__rota__department"
        ),
        pk=pk,
    )
    me = member_or_403(request)
    require(can_manage_rota(request.user, swap.session.rota))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
    else:
        try:
            services.swap_request_decide(
                actor=me, swap=swap, approve=form.cleaned_data["decision"] == "approve", now=timezone.now()
            )
        except services.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision saved; both speakers are told."))
    return redirect(swap.session.rota)


@login_required
@require_POST
def swap_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    me = member_or_403(request)
    swap = get_object_or_404(SwapRequest.objects.filter(requester=me), pk=pk)
    try:
        services.swap_request_withdraw(requester=me, swap=swap)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect(swap.session)


def _markable_members(request: HttpRequest, me: Member):
    """Whose unavailability I may mark: myself; group leaders their group; organizers the court."""
    if is_organizer_of(request.user, me.court_id):
        return Member.objects.filter(court_id=me.court_id, is_active=True)
    return Member.objects.filter(
        Q(pk=me.pk) | Q(group_memberships__group_id__in=group_leader_ids(me)), is_active=True
    ).distinct()


@login_required
def unavailability(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    members = _markable_members(request, me).order_by("name")
    form = UnavailabilityForm(request.POST or None, members=members, initial={"member": me.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.unavailability_add(
            actor=me,
            member=data["member"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            reason=data["reason"],
            note=data["note"],
        )
        messages.success(request, _("Saved: the rota will not pick this member on those days."))
        return redirect("activities:sessions_unavailability")
    rows = (
        Unavailability.objects.filter(member__in=members, last_day__gte=timezone.localdate())
        .select_related("member")
        .order_by("first_day")
    )
    return render(
        request,
        "activities/sessions/unavailability.html",
        {"form": form, "page": paginate(request, rows)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def unavailability_delete(request: HttpRequest, pk: int) -> HttpResponse:
    me = member_or_403(request)
    row = get_object_or_404(Unavailability.objects.filter(member__in=_markable_members(request, me)), pk=pk)
    services.unavailability_delete(actor=me, row=row)
    messages.success(request, _("Deleted."))
    return redirect("activities:sessions_unavailability")
