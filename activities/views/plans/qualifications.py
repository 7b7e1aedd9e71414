"""Certificates and qualifications on members' records (e.g. 家庭教育指导师), and counts per unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from members.access import visible_courts
from members.models import Member, unit_ordering

from ...forms.plans import QualificationForm
from ...models.plans import Qualification
from ...selectors import plans as select
from ...services import plans as services
from ._common import PAGE_SIZE, chosen_court, require_member, today


def _qualification_for(request: HttpRequest, pk: int) -> Qualification:
    return get_object_or_404(Qualification.objects.visible_to(request.user).select_related("member"), pk=pk)


@login_required
def qualification_list(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    return render(
        request,
        "activities/plans/qualification_list.html",
        {
            "qualifications": me.qualifications.all(),
            "can_count": select.can_see_completion(request.user),
        },
    )


def _save(request: HttpRequest, *, member: Member, qualification: Qualification | None) -> HttpResponse:
    me = require_member(request)
    form = QualificationForm(
        request.POST or None, request.FILES or None, instance=qualification, today=today(timezone.now())
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.qualification_save(
                actor=me,
                member=member,
                qualification=qualification,
                name=data["name"],
                issuer=data["issuer"],
                issued_on=data["issued_on"],
                number=data["number"],
                file=data.get("file") or None,
                clear_file=data.get("clear_file", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The qualification is on the record."))
            return redirect(member if member.pk != me.pk else "activities:qualification_list")
    return render(
        request,
        "activities/plans/qualification_form.html",
        {"form": form, "member": member, "qualification": qualification},
    )


@login_required
def qualification_create(request: HttpRequest) -> HttpResponse:
    return _save(request, member=require_member(request), qualification=None)


@login_required
def qualification_create_for(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=member_pk)
    if not select.can_manage_member(request.user, member):
        raise PermissionDenied
    return _save(request, member=member, qualification=None)


@login_required
def qualification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _qualification_for(request, pk)
    if not select.can_edit_qualification(request.user, qualification):
        raise PermissionDenied
    return _save(request, member=qualification.member, qualification=qualification)


@login_required
@require_POST
def qualification_delete(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _qualification_for(request, pk)
    if not select.can_edit_qualification(request.user, qualification):
        raise PermissionDenied
    me = require_member(request)
    member = qualification.member
    services.qualification_delete(qualification=qualification, actor=me)
    messages.success(request, _("Removed."))
    return redirect(member if member.pk != me.pk else "activities:qualification_list")


@login_required
def qualification_file(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = _qualification_for(request, pk)
    if not select.can_see_qualification_file(request.user, qualification):
        raise PermissionDenied
    return protected_file_response(qualification.file, download_name=qualification.file_name)


@login_required
def qualification_counts(request: HttpRequest) -> HttpResponse:
    """Organizers and leaders: how many hold each qualification, per department; and who."""
    me = require_member(request)
    if not select.can_see_completion(request.user):
        raise PermissionDenied
    court = chosen_court(request, me)
    members = select.completion_members(request.user, court)
    counts = select.qualification_counts(members)
    name = request.GET.get("name", "")[:100]
    holders = None
    if name:
        holders = Paginator(
            Qualification.objects.filter(member__in=members, name=name)
            .select_related("member__department")
            .order_by(*unit_ordering("member__department__", department=True), "member__name", "pk"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/plans/qualification_counts.html",
        {
            "court": court,
            "courts": visible_courts(request.user),
            "counts": counts,
            "rows": [
                (n, [counts.cells.get((n, d), 0) for d in counts.departments], counts.totals[n]) for n in counts.names
            ],
            "name": name,
            "holders": holders,
        },
    )
