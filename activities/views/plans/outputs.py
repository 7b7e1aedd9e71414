"""Research outputs (调研成果): list, record, edit, attachment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from courtlearn.xlsx import xlsx_response
from members.access import visible_courts
from members.models import Member

from ...forms.plans import OutputFilterForm, ResearchOutputForm, author_formset
from ...models.plans import ResearchOutput
from ...selectors import plans as select
from ...services import outputs_sheet
from ...services import plans as services
from ._common import PAGE_SIZE, chosen_court, require_member, today


def _output_for(request: HttpRequest, pk: int) -> ResearchOutput:
    return get_object_or_404(ResearchOutput.objects.visible_to(request.user).select_related("court"), pk=pk)


@login_required
def output_list(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    court = chosen_court(request, me)
    outputs = ResearchOutput.objects.filter(court=court)
    form = OutputFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            outputs = outputs.filter(
                Q(title__icontains=data["q"]) | Q(outlet__icontains=data["q"]) | Q(authors__name__icontains=data["q"])
            ).distinct()
        if data["kind"]:
            outputs = outputs.filter(kind=data["kind"])
        if data["level"]:
            outputs = outputs.filter(level=data["level"])
        if data["year"]:
            outputs = outputs.filter(date__year=data["year"])
        if data["mine"]:
            outputs = outputs.filter(authors__member=me)
    page = Paginator(select.outputs_with_authors(outputs.order_by("-date", "-pk")), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/plans/output_list.html",
        {
            "page": page,
            "form": form,
            "court": court,
            "courts": visible_courts(request.user),
            "counts": select.output_counts_by_kind(outputs),
            "can_import": select.can_import_outputs(request.user, me.court_id),
        },
    )


def _court_members(court):
    return Member.objects.filter(court=court, is_active=True).select_related("department").order_by("name", "pk")


def _save_output(request: HttpRequest, *, output: ResearchOutput | None) -> HttpResponse:
    me = require_member(request)
    court = output.court if output is not None else me.court
    now = timezone.now()
    data = request.POST if request.method == "POST" else None
    form = ResearchOutputForm(data, request.FILES or None, instance=output, today=today(now))
    authors = author_formset(
        data=data,
        members=_court_members(court),
        authors=list(output.authors.all()) if output is not None else [],
        me=me if output is None else None,
    )
    if request.method == "POST" and form.is_valid() and authors.is_valid():
        fields = {key: form.cleaned_data[key] for key in services.OUTPUT_FIELDS}
        attachment = form.cleaned_data.get("attachment") or None
        try:
            if output is None:
                output = services.output_create(actor=me, fields=fields, authors=authors.specs(), attachment=attachment)
                messages.success(request, _("The output is recorded."))
            else:
                output = services.output_update(
                    output=output,
                    actor=me,
                    fields=fields,
                    authors=authors.specs(),
                    attachment=attachment,
                    clear_attachment=form.cleaned_data.get("clear_attachment", False),
                )
                messages.success(request, _("The output is saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(output)
    return render(request, "activities/plans/output_form.html", {"form": form, "authors": authors, "output": output})


@login_required
def output_create(request: HttpRequest) -> HttpResponse:
    return _save_output(request, output=None)


@login_required
def output_edit(request: HttpRequest, pk: int) -> HttpResponse:
    output = _output_for(request, pk)
    if not select.can_edit_output(request.user, output):
        raise PermissionDenied
    return _save_output(request, output=output)


@login_required
def output_detail(request: HttpRequest, pk: int) -> HttpResponse:
    output = _output_for(request, pk)
    return render(
        request,
        "activities/plans/output_detail.html",
        {
            "output": output,
            "authors": output.authors.select_related("member__department"),
            "can_edit": select.can_edit_output(request.user, output),
        },
    )


@login_required
@require_POST
def output_delete(request: HttpRequest, pk: int) -> HttpResponse:
    output = _output_for(request, pk)
    if not select.can_edit_output(request.user, output):
        raise PermissionDenied
    services.output_delete(output=output, actor=require_member(request))
    messages.success(request, _("The output is deleted."))
    return redirect("activities:output_list")


@login_required
def output_file(request: HttpRequest, pk: int) -> HttpResponse:
    output = _output_for(request, pk)
    return protected_file_response(output.attachment, download_name=output.attachment_name)


def _importer(request: HttpRequest):
    me = require_member(request)
    if not select.can_import_outputs(request.user, me.court_id):
        raise PermissionDenied
    return me


@login_required
def output_import(request: HttpRequest) -> HttpResponse:
    """Upload a sheet of outputs → a row-by-row report → import the valid new rows (see outputs_sheet)."""
    from ..contests.questions import spreadsheet_import

    me = _importer(request)
    return spreadsheet_import(
        request,
        kind="outputs",
        scope=me.court_id,
        check=lambda source: outputs_sheet.import_report(source, court=me.court),
        write=lambda report, only_valid: outputs_sheet.outputs_import(
            actor=me, court=me.court, report=report, only_valid=only_valid
        ),
        context={
            "back": reverse("activities:output_list"),
            "template_url": reverse("activities:output_template"),
            "columns": [
                ("kind", _("Kind")),
                ("title", _("Title")),
                ("date", _("Date")),
                ("authors", _("Authors")),
                ("level", _("Level")),
            ],
        },
        template="activities/plans/output_import.html",
    )


@login_required
def output_template(request: HttpRequest) -> HttpResponse:
    _importer(request)
    name = _("Research outputs import template")
    return xlsx_response(outputs_sheet.template_workbook(), f"{name}.xlsx")
