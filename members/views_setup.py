"""The site admin's set-up pages: courts as a tree, a court's parent, its first organizers and leaders.

Only site admins (superusers) have these pages; for everyone else they do not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .access import site_admin_required
from .forms_setup import CourtForm, StaffCreateForm, StaffPickForm
from .models import Court
from .services_setup import (
    SetupRefused,
    court_create,
    court_staff_create,
    court_staff_name,
    court_state,
    court_tree,
    court_update,
)


def _refused(form, exc: SetupRefused) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@site_admin_required
def court_list(request: HttpRequest) -> HttpResponse:
    """Every court under its supervising court, with members, organizers, leaders and the last roster import."""
    return render(request, "members/setup/court_list.html", {"rows": court_tree()})


@login_required
@site_admin_required
def court_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():  # "add a court below" on the tree
        initial["parent"] = int(parent_id)
    form = CourtForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            court = court_create(actor=request.user, **form.cleaned_data)
        except SetupRefused as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been created. Now name its first organizer.") % {"name": court.name}
            )
            return redirect("members:setup_court", court.pk)
    return render(request, "members/setup/court_form.html", {"form": form, "court": None})


@login_required
@site_admin_required
def court_edit(request: HttpRequest, pk: int) -> HttpResponse:
    court = get_object_or_404(Court, pk=pk)
    initial = {"name": court.name, "code": court.code, "parent": court.parent_id}
    form = CourtForm(request.POST or None, initial=initial, court=court)
    if request.method == "POST" and form.is_valid():
        try:
            court = court_update(actor=request.user, court=court, **form.cleaned_data)
        except SetupRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(name)s has been saved.") % {"name": court.name})
            return redirect("members:setup_court", court.pk)
    return render(request, "members/setup/court_form.html", {"form": form, "court": court})


@login_required
@site_admin_required
def court_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """One court: its state, and its organizers and leaders: pick a member, or create the person."""
    court = get_object_or_404(Court.objects.select_related("parent"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    pick = StaffPickForm(request.POST if action == "pick" else None, court=court, prefix="pick")
    create = StaffCreateForm(request.POST if action == "create" else None, prefix="create")
    if action == "pick" and pick.is_valid():
        member = pick.cleaned_data["member"]
        try:
            court_staff_name(actor=request.user, member=member, role=pick.cleaned_data["role"])
        except SetupRefused as exc:
            _refused(pick, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s of %(court)s.")
                % {"name": member.name, "role": member.get_role_display(), "court": court.name},
            )
            return redirect("members:setup_court", court.pk)
    if action == "create" and create.is_valid():
        try:
            member, credential = court_staff_create(actor=request.user, court=court, **create.cleaned_data)
        except SetupRefused as exc:
            _refused(create, exc)
        else:
            response = render(
                request,
                "members/setup/credential.html",
                {"court": court, "member": member, "credential": credential},
            )
            add_never_cache_headers(response)  # the initial password is shown once and never kept
            return response
    row = court_state(court)
    return render(
        request,
        "members/setup/court_setup.html",
        {"court": court, "row": row, "pick": pick, "create": create, "children": court.children.order_by("name")},
    )
