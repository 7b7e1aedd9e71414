"""Reading logs: a member's own, never anyone else's (another member's log is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...forms.reading import ReadingLogForm
from ...models.reading import ReadingLog
from ...panels import cached_for_member, panel_key
from ...selectors.reading import member_books
from ...services import reading as services
from .common import add_service_errors, get_id, paginate, require_member, safe_next


def book_choices(books) -> list[tuple[int, str]]:
    """(pk, label) of the books offered in the form: the page renders them itself (one query)."""
    return [(book.pk, str(book)) for book in books]


@login_required
def reading_log_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    logs = ReadingLog.objects.for_member(member).select_related("book")
    return render(request, "activities/reading/log_list.html", {"page": paginate(request, logs)})


@login_required
def reading_log_create(request: HttpRequest) -> HttpResponse:
    """Also the target of the quick form on 我的学习: book, minutes or pages, save."""
    member = require_member(request)
    today = timezone.localdate()
    picked = get_id(request, "book")
    form = ReadingLogForm(
        request.POST if request.method == "POST" else None,
        member=member,
        today=today,
        include=[picked] if picked else [],
        initial={"book": picked, "day": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            log = services.reading_log_create(member=member, today=today, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            what = _("finished") if log.finished else _("logged")
            messages.success(request, _("%(book)s %(what)s. Keep reading!") % {"book": log.book, "what": what})
            return redirect(safe_next(request, reverse("activities:reading_log_list")))
    fields_cache_key = None
    if request.method == "POST" or picked is not None:
        books = book_choices(form.fields["book"].queryset)
    else:
        # The "full form" link of 我的学习: the member's usual books and the empty form showing
        # them, cached like its panels (the key holds the versions, language and minute).
        books = cached_for_member("reading-log-books", member, lambda: book_choices(member_books(member)))
        form.initial["book"] = books[0][0] if books else None
        fields_cache_key = panel_key("reading-log-form", member)
    return render(
        request,
        "activities/reading/log_form.html",
        {
            "form": form,
            "books": books,
            "next": safe_next(request, ""),
            "has_books": bool(books),
            "fields_cache_key": fields_cache_key,
        },
    )


@login_required
def reading_log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    log = get_object_or_404(ReadingLog.objects.visible_to(request.user).select_related("book", "member"), pk=pk)
    today = timezone.localdate()
    form = ReadingLogForm(
        request.POST if request.method == "POST" else None,
        member=log.member,
        today=today,
        include=[log.book_id],
        initial={
            "book": log.book_id,
            "day": log.day,
            "minutes": log.minutes,
            "pages": log.pages,
            "finished": log.finished,
            "note": log.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reading_log_update(log=log, today=today, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reading log saved."))
            return redirect("activities:reading_log_list")
    books = book_choices(form.fields["book"].queryset)
    return render(
        request, "activities/reading/log_form.html", {"form": form, "log": log, "books": books, "has_books": True}
    )


@login_required
@require_POST
def reading_log_delete(request: HttpRequest, pk: int) -> HttpResponse:
    log = get_object_or_404(ReadingLog.objects.visible_to(request.user), pk=pk)
    services.reading_log_delete(log=log)
    messages.success(request, _("Reading log deleted."))
    return redirect("activities:reading_log_list")
