"""Self-reported shares: a member logs a share no one planned here; a group leader or organizer confirms it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from members.access import is_organizer_of

from ...forms.sessions import DecisionForm, ShareForm
from ...models.sessions import SelfReportedShare
from ...selectors.sessions import can_review_share, group_leader_ids
from ...services import sessions as services
from .common import member_or_403, paginate, require


@login_required
def share_list(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    shares = SelfReportedShare.objects.filter(member=me).select_related("group", "reviewed_by")
    return render(request, "activities/sessions/share_list.html", {"page": paginate(request, shares)})


@login_required
def share_create(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    form = ShareForm(request.POST or None, request.FILES or None, member=me)
    if request.method == "POST" and form.is_valid():
        try:
            services.share_report(member=me, today=timezone.localdate(), **form.cleaned_data)
        except services.SessionError as error:
            form.add_error("date", str(error))
        else:
            messages.success(
                request, _("Share reported. It counts once your group leader or an organizer confirms it.")
            )
            return redirect("activities:sessions_share_list")
    return render(
        request, "activities/sessions/share_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


def _reviewable(request: HttpRequest):
    me = member_or_403(request)
    shares = SelfReportedShare.objects.filter(member__court_id=me.court_id).exclude(member=me)
    if not is_organizer_of(request.user, me.court_id):
        shares = shares.filter(group_id__in=group_leader_ids(me))
    return shares


@login_required
def share_review_list(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    require(is_organizer_of(request.user, me.court_id) or bool(group_leader_ids(me)))
    status = request.GET.get("status", SelfReportedShare.Status.PENDING)
    if status not in SelfReportedShare.Status.values:
        status = SelfReportedShare.Status.PENDING
    shares = _reviewable(request).filter(status=status).select_related("member", "group", "member__department")
    return render(
        request,
        "activities/sessions/share_review_list.html",
        {"page": paginate(request, shares), "status": status, "statuses": SelfReportedShare.Status.choices},
    )


@login_required
@require_POST
def share_review(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(SelfReportedShare.objects.visible_to(request.user).select_related("member"), pk=pk)
    me = member_or_403(request)
    require(can_review_share(request.user, share))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
    else:
        try:
            services.share_review(
                actor=me,
                share=share,
                confirm=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except services.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Review saved."))
    return redirect("activities:sessions_share_review_list")


@login_required
def share_material(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(SelfReportedShare.objects.visible_to(request.user), pk=pk)
    me = member_or_403(request) if not request.user.is_superuser else None
    require(
        request.user.is_superuser
        or share.member_id == me.pk
        or can_review_share(request.user, share)
        or bool(me and me.is_leader)
    )
    return protected_file_response(share.material, download_name=share.material_name)
