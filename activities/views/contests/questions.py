"""The question bank (organizers only): list, edit, Excel import with a report, export, template."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.xlsx import xlsx_response
from members.access import organizer_required, visible_courts

from ...forms.contests import ImportConfirmForm, QuestionForm, SpreadsheetUploadForm
from ...models import Question, QuestionTag
from ...services.contests import ActionRefused
from ...services.contests.questions import (
    export_workbook,
    import_report,
    question_create,
    question_delete,
    question_update,
    questions_import,
    template_workbook,
)
from ...services.contests.sheets import ImportReport, drop_stash, open_stash, stash_upload
from .common import acting_member, organizer_for, paginate, search_text


def bank_for(request: HttpRequest):
    member = acting_member(request)
    return member, Question.objects.filter(court=member.court)


@login_required
@organizer_required
def question_list(request: HttpRequest) -> HttpResponse:
    member, questions = bank_for(request)
    questions = questions.prefetch_related("tags")
    text = search_text(request)
    if text:
        questions = questions.filter(text__icontains=text)
    tag = request.GET.get("tag", "")
    if tag.isdigit():
        questions = questions.filter(tags=int(tag))
    kind = request.GET.get("kind", "")
    if kind in Question.Kind.values:
        questions = questions.filter(kind=kind)
    if request.GET.get("retired") != "1":
        questions = questions.filter(is_active=True)
    return render(
        request,
        "activities/contests/question_list.html",
        {
            "page": paginate(request, questions, 25),
            "tags": QuestionTag.objects.filter(court=member.court),
            "kinds": Question.Kind.choices,
            "q": text,
            "tag": tag,
            "kind": kind,
        },
    )


@login_required
@organizer_required
def question_create_view(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_create(actor=member, court=member.court, data=form.question_data)
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The question is added to the bank."))
            if request.POST.get("another"):
                return redirect("activities:question_create")
            return redirect("activities:question_list")
    return render(
        request,
        "activities/contests/question_form.html",
        {"form": form, "title": _("New question"), "back": reverse("activities:question_list")},
    )


def court_question(request: HttpRequest, pk: int) -> tuple:
    """A question of a court the user sees (else 404); only its organizers may touch it (else 403)."""
    question = get_object_or_404(Question.objects.filter(court__in=visible_courts(request.user)), pk=pk)
    return organizer_for(request, question.court_id), question


@login_required
def question_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    member, question = court_question(request, pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            question_update(actor=member, question=question, data=form.question_data)
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("activities:question_list")
    return render(
        request,
        "activities/contests/question_form.html",
        {"form": form, "title": _("Edit question"), "back": reverse("activities:question_list"), "question": question},
    )


@login_required
@require_POST
def question_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    member, question = court_question(request, pk)
    if question_delete(actor=member, question=question):
        messages.success(request, _("The question is deleted."))
    else:
        messages.info(request, _("Quizzes have used this question, so it is retired: new quizzes will not use it."))
    return redirect("activities:question_list")


def spreadsheet_import(
    request: HttpRequest,
    *,
    kind: str,
    scope: int,
    check: Callable[[object], ImportReport],
    write: Callable[[ImportReport, bool], int],
    context: dict,
    template: str = "activities/contests/import.html",
) -> HttpResponse:
    """Upload → a row-by-row report → confirm (all rows, or only the valid ones) → written.

    Nothing is written on upload. The file waits in storage under a signed token until confirmed.
    """
    upload_form = SpreadsheetUploadForm()
    report = None
    token = ""
    if request.method == "POST" and "token" in request.POST:
        confirm = ImportConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, _("This upload has expired; upload the file again."))
            return redirect(request.path)
        try:
            name = open_stash(confirm.cleaned_data["token"], kind=kind, user=request.user, scope=scope)
            with default_storage.open(name, "rb") as handle:
                report = check(handle)
            count = write(report, confirm.cleaned_data["mode"] == "valid")
        except ActionRefused as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        drop_stash(name)
        messages.success(request, _("%(n)s rows imported.") % {"n": count})
        return redirect(context["back"])
    if request.method == "POST":
        upload_form = SpreadsheetUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            content = upload_form.cleaned_data["file"]
            report = check(content)
            if not report.file_errors and report.rows:
                content.seek(0)
                token = stash_upload(content, kind=kind, user=request.user, scope=scope)
    return render(request, template, {**context, "upload_form": upload_form, "report": report, "token": token})


@login_required
@organizer_required
def question_import(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    return spreadsheet_import(
        request,
        kind="questions",
        scope=member.court_id,
        check=lambda source: import_report(source, court=member.court),
        write=lambda report, only_valid: questions_import(
            actor=member, court=member.court, report=report, only_valid=only_valid
        ),
        context={
            "title": _("Import questions"),
            "back": reverse("activities:question_list"),
            "template_url": reverse("activities:question_template"),
            "columns": [
                ("kind", _("Question type")),
                ("text", _("Question")),
                ("answer", _("Answer")),
                ("tags", _("Tags")),
            ],
        },
    )


@login_required
@organizer_required
def question_export(request: HttpRequest) -> HttpResponse:
    _member, questions = bank_for(request)
    questions = questions.filter(is_active=True).prefetch_related("options", "tags").order_by("id")
    return xlsx_response(export_workbook(questions), f"{_('Question bank')}.xlsx")


@login_required
@organizer_required
def question_template(request: HttpRequest) -> HttpResponse:
    acting_member(request)
    return xlsx_response(template_workbook(), f"{_('Question import template')}.xlsx")
