"""Offline exams and skills assessments: organizers record results; members see their own history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.xlsx import xlsx_response
from members.access import current_member, managed_members, organizer_required, staff_required, visible_courts

from ...forms.contests import AssessmentForm, AssessmentResultForm
from ...models import Assessment, AssessmentResult, Attempt, Award
from ...services.contests import ActionRefused
from ...services.contests.assessments import (
    ResultData,
    assessment_create,
    assessment_result_delete,
    assessment_result_save,
    assessment_update,
    import_report,
    results_import,
    template_workbook,
)
from .common import acting_member, is_staff_of, organizer_for, paginate
from .questions import spreadsheet_import


@login_required
@staff_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = (
        Assessment.objects.visible_to(request.user)
        .select_related("court")
        .annotate(n_results=Count("results"))
        .order_by("-held_on", "-id")
    )
    kind = request.GET.get("kind", "")
    if kind in Assessment.Kind.values:
        assessments = assessments.filter(kind=kind)
    me = current_member(request.user)
    return render(
        request,
        "activities/contests/assessment_list.html",
        {
            "page": paginate(request, assessments),
            "kinds": Assessment.Kind.choices,
            "kind": kind,
            "can_create": bool(me and me.is_organizer),
        },
    )


@login_required
@organizer_required
def assessment_create_view(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = assessment_create(actor=member, court=member.court, fields=form.cleaned_data)
        messages.success(request, _("The assessment is created. Record the results by form or Excel import."))
        return redirect(assessment)
    return render(
        request,
        "activities/contests/form_page.html",
        {"form": form, "title": _("New assessment"), "back": reverse("activities:assessment_list")},
    )


def court_assessment(request: HttpRequest, pk: int) -> Assessment:
    """An assessment of a court the user sees (else 404); results are for organizers and leaders (else 403)."""
    assessment = get_object_or_404(
        Assessment.objects.filter(court__in=visible_courts(request.user)).select_related("court"), pk=pk
    )
    if not is_staff_of(request.user, assessment.court_id):
        raise PermissionDenied
    return assessment


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = court_assessment(request, pk)
    results = assessment.results.select_related("member", "member__department").order_by(
        "member__department__name", "member__name"
    )
    manageable = set(managed_members(request.user).filter(court=assessment.court).values_list("pk", flat=True))
    page = paginate(request, results, 50)
    rows = [{"result": r, "passed": _passed(assessment, r), "editable": r.member_id in manageable} for r in page]
    return render(
        request,
        "activities/contests/assessment_detail.html",
        {
            "assessment": assessment,
            "page": page,
            "rows": rows,
            "organizer": bool(manageable) or request.user.is_superuser,
            "count": assessment.results.count(),
        },
    )


def _passed(assessment: Assessment, result: AssessmentResult) -> bool | None:
    result.assessment = assessment  # the list is of one assessment: no query per row
    return result.passed


@login_required
def assessment_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = court_assessment(request, pk)
    member = organizer_for(request, assessment.court_id)
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_update(
                actor=member, assessment=Assessment.objects.get(pk=assessment.pk), fields=form.cleaned_data
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The assessment is saved."))
            return redirect("activities:assessment_detail", assessment.pk)
    return render(
        request,
        "activities/contests/form_page.html",
        {"form": form, "title": _("Edit assessment"), "back": reverse("activities:assessment_detail", args=[pk])},
    )


def _managed_in(request: HttpRequest, assessment: Assessment):
    return managed_members(request.user).filter(court=assessment.court, is_active=True)


@login_required
def assessment_result_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = court_assessment(request, pk)
    member = organizer_for(request, assessment.court_id)
    form = AssessmentResultForm(request.POST or None, assessment=assessment, members=_managed_in(request, assessment))
    if request.method == "POST" and form.is_valid():
        data = ResultData(
            member=form.cleaned_data["member"],
            score=form.cleaned_data.get("score"),
            chars_per_minute=form.cleaned_data.get("chars_per_minute"),
            accuracy=form.cleaned_data.get("accuracy"),
            remark=form.cleaned_data.get("remark", ""),
        )
        try:
            assessment_result_save(actor=member, assessment=assessment, data=data)
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The result of %(name)s is recorded.") % {"name": data.member.name})
            if request.POST.get("another"):
                return redirect("activities:assessment_result_create", assessment.pk)
            return redirect("activities:assessment_detail", assessment.pk)
    return render(
        request,
        "activities/contests/form_page.html",
        {
            "form": form,
            "title": _("Record a result"),
            "subtitle": assessment.title,
            "back": reverse("activities:assessment_detail", args=[pk]),
            "another": True,
        },
    )


def managed_result(request: HttpRequest, pk: int) -> tuple:
    result = get_object_or_404(
        AssessmentResult.objects.filter(assessment__court__in=visible_courts(request.user)).select_related(
            "assessment__court", "member"
        ),
        pk=pk,
    )
    member = organizer_for(request, result.assessment.court_id)
    if not managed_members(request.user).filter(pk=result.member_id).exists():
        raise PermissionDenied
    return member, result


@login_required
def assessment_result_update(request: HttpRequest, pk: int) -> HttpResponse:
    member, result = managed_result(request, pk)
    assessment = result.assessment
    initial = {
        "member": result.member,
        "score": result.score,
        "chars_per_minute": result.chars_per_minute,
        "accuracy": result.accuracy,
        "remark": result.remark,
    }
    form = AssessmentResultForm(
        request.POST or None,
        initial=initial,
        assessment=assessment,
        members=_managed_in(request, assessment) | type(result.member).objects.filter(pk=result.member_id),
        fixed_member=True,
    )
    if request.method == "POST" and form.is_valid():
        data = ResultData(
            member=result.member,
            score=form.cleaned_data.get("score"),
            chars_per_minute=form.cleaned_data.get("chars_per_minute"),
            accuracy=form.cleaned_data.get("accuracy"),
            remark=form.cleaned_data.get("remark", ""),
        )
        try:
            assessment_result_save(actor=member, assessment=assessment, data=data)
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The result of %(name)s is corrected.") % {"name": result.member.name})
            return redirect("activities:assessment_detail", assessment.pk)
    return render(
        request,
        "activities/contests/form_page.html",
        {
            "form": form,
            "title": _("Correct a result"),
            "subtitle": assessment.title,
            "back": reverse("activities:assessment_detail", args=[assessment.pk]),
        },
    )


@login_required
@require_POST
def assessment_result_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    member, result = managed_result(request, pk)
    assessment_result_delete(actor=member, result=result)
    messages.success(request, _("The result is deleted."))
    return redirect("activities:assessment_detail", result.assessment_id)


@login_required
def assessment_import(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = court_assessment(request, pk)
    member = organizer_for(request, assessment.court_id)
    managed = _managed_in(request, assessment)
    return spreadsheet_import(
        request,
        kind="assessment",
        scope=assessment.pk,
        check=lambda source: import_report(source, assessment=assessment, managed=managed),
        write=lambda report, only_valid: results_import(
            actor=member, assessment=assessment, report=report, only_valid=only_valid
        ),
        context={
            "title": _("Import results"),
            "subtitle": assessment.title,
            "back": reverse("activities:assessment_detail", args=[assessment.pk]),
            "template_url": reverse("activities:assessment_template", args=[assessment.pk]),
            "columns": [
                ("employee_number", _("Employee number")),
                ("name", _("Member name")),
                ("score", _("Score")),
                ("chars_per_minute", _("Characters per minute")),
                ("accuracy", _("Accuracy (%)")),
            ],
        },
    )


@login_required
def assessment_template(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = court_assessment(request, pk)
    organizer_for(request, assessment.court_id)
    workbook = template_workbook(assessment, _managed_in(request, assessment))
    return xlsx_response(workbook, f"{assessment.title}.xlsx")


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    """我的测评: the member's own quiz attempts, assessment results and awards."""
    me = current_member(request.user)
    attempts = results = awards = []
    if me is not None:
        attempts = Attempt.objects.filter(member=me).finished().select_related("quiz").order_by("-submitted_at")[:50]
        results = (
            AssessmentResult.objects.filter(member=me)
            .select_related("assessment")
            .order_by("-assessment__held_on")[:100]
        )
        awards = (
            Award.objects.published()
            .filter(entry__member=me, entry__by_unit=False)
            .select_related("contest")
            .order_by("-created_at")
        )
    return render(
        request,
        "activities/contests/my_results.html",
        {"attempts": attempts, "results": results, "awards": awards},
    )
