"""The shared book catalogue: search, add, edit, covers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from courtlearn.uploads import protected_file_response
from members.access import current_member

from ...forms.reading import BookForm, BookSearchForm
from ...models.reading import Book, BookRecommendation, ReadingCampaign
from ...selectors.reading import can_edit_book, recommendable_campaigns
from ...services import reading as services
from .common import add_service_errors, paginate, require_member, safe_next, upload_change


@login_required
def reading_book_list(request: HttpRequest) -> HttpResponse:
    form = BookSearchForm(request.GET or None)
    books = Book.objects.select_related("category")
    if form.is_valid():
        books = books.search(form.cleaned_data["q"])
        if form.cleaned_data["category"]:
            books = books.filter(category=form.cleaned_data["category"])
    return render(request, "activities/reading/book_list.html", {"form": form, "page": paginate(request, books)})


@login_required
def reading_book_create(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    form = BookForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"title": request.GET.get("title", "")[:200]},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "cover": upload_change(form.cleaned_data.get("cover"))}
        try:
            book = services.book_create(actor=member, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(book)s is in the catalogue.") % {"book": book})
            target = safe_next(request, book.get_absolute_url())
            if target != book.get_absolute_url():
                target += ("&" if "?" in target else "?") + f"book={book.pk}"
            return redirect(target)
    return render(request, "activities/reading/book_form.html", {"form": form, "next": safe_next(request, "")})


@login_required
def reading_book_edit(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_object_or_404(Book, pk=pk)
    if not can_edit_book(request.user, book):
        raise PermissionDenied
    member = require_member(request)
    form = BookForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=book,
        initial={"cover": book.cover},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "cover": upload_change(form.cleaned_data.get("cover"))}
        try:
            services.book_update(actor=member, book=book, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Book saved."))
            return redirect(book)
    return render(request, "activities/reading/book_form.html", {"form": form, "book": book})


@login_required
def reading_book_detail(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_object_or_404(Book.objects.select_related("category"), pk=pk)
    member = current_member(request.user)
    recommendations = BookRecommendation.objects.visible_to(request.user).filter(book=book).with_related()
    campaigns = (
        list(ReadingCampaign.objects.visible_to(request.user).active().for_audience_member(member).order_by("ends_on"))
        if member
        else []
    )
    recommend_in = recommendable_campaigns(request.user).order_by("-starts_on")
    return render(
        request,
        "activities/reading/book_detail.html",
        {
            "book": book,
            "recommendations": recommendations,
            "plan_campaigns": campaigns,
            "recommend_in": recommend_in,
            "can_edit": can_edit_book(request.user, book),
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@login_required
def reading_book_cover(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_object_or_404(Book, pk=pk)
    response = protected_file_response(book.cover, download_name=f"cover-{book.pk}{book.cover.name[-4:]}", inline=True)
    response["Cache-Control"] = "private, max-age=3600"
    return response
