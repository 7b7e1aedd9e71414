"""读书心得 / 学习体会: writing, submitting, reviewing, and the 优秀心得 page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from members.access import current_member, is_organizer_of, visible_courts

from ...forms.reading import ReflectionForm, ReviewForm
from ...models.originality import TextKind
from ...models.reading import Reflection
from ...selectors.originality import can_see_originality, originality_report, originality_reports
from ...selectors.reading import can_review_reflection, featured_objects, featured_reflections
from ...services import reading as services
from .common import add_service_errors, get_id, paginate, require_member, upload_change


def _reflection(request: HttpRequest, pk: int) -> Reflection:
    return get_object_or_404(Reflection.objects.visible_to(request.user).with_related(), pk=pk)


def _own_reflection(request: HttpRequest, pk: int) -> Reflection:
    reflection = _reflection(request, pk)
    member = current_member(request.user)
    if member is None or reflection.author_id != member.pk:
        raise PermissionDenied
    return reflection


@login_required
def reading_reflection_list(request: HttpRequest) -> HttpResponse:
    """My reflections, drafts included."""
    member = require_member(request)
    reflections = Reflection.objects.filter(author=member).select_related("book", "campaign")
    return render(request, "activities/reading/reflection_list.html", {"page": paginate(request, reflections)})


@login_required
def reading_featured_list(request: HttpRequest) -> HttpResponse:
    """优秀心得: featured reading reflections and session 感想 of the court, newest first (a leader
    also sees the courts below)."""
    courts = visible_courts(request.user)
    court_id = get_id(request, "court")
    page = paginate(request, featured_reflections(request.user, court_id=court_id))
    page.object_list = featured_objects(page.object_list)
    return render(
        request,
        "activities/reading/featured_list.html",
        {"page": page, "courts": courts if len(courts) > 1 else [], "court_id": court_id},
    )


@login_required
def reading_reflection_review_list(request: HttpRequest) -> HttpResponse:
    """The organizer's queue: submitted reflections of the court, oldest first."""
    member = require_member(request)
    if not is_organizer_of(request.user, member.court_id):
        raise PermissionDenied
    status = request.GET.get("status", Reflection.Status.SUBMITTED)
    if status not in (Reflection.Status.SUBMITTED, Reflection.Status.FEATURED, Reflection.Status.RETURNED):
        status = Reflection.Status.SUBMITTED
    reflections = (
        Reflection.objects.filter(author__court_id=member.court_id, status=status)
        .with_related()
        .order_by("submitted_at", "pk")
    )
    page = paginate(request, reflections)
    reports = originality_reports(request.user, kind=TextKind.REFLECTION, object_ids=[r.pk for r in page])
    for r in page:  # an organizer reviews the court's texts, except their own
        r.originality = reports.get(r.pk) if r.author_id != member.pk else None
    return render(
        request,
        "activities/reading/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                (Reflection.Status.SUBMITTED, _("Waiting for review")),
                (Reflection.Status.FEATURED, _("Featured")),
                (Reflection.Status.RETURNED, _("Returned")),
            ],
        },
    )


def _form(request: HttpRequest, member, reflection: Reflection | None = None) -> ReflectionForm:
    book_id = get_id(request, "book")
    campaign_id = get_id(request, "campaign")
    if reflection is not None:
        initial = {
            "title": reflection.title,
            "book": reflection.book_id,
            "campaign": reflection.campaign_id,
            "body": reflection.body,
            "attachment": reflection.attachment,
        }
        include_books = [reflection.book_id] if reflection.book_id else []
        include_campaign = reflection.campaign_id
    else:
        initial = {"book": book_id, "campaign": campaign_id}
        include_books = [book_id] if book_id else []
        include_campaign = None
    return ReflectionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        member=member,
        user=request.user,
        include_books=include_books,
        include_campaign=include_campaign,
        initial=initial,
    )


@login_required
def reading_reflection_create(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    form = _form(request, member)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "attachment": upload_change(form.cleaned_data.get("attachment"))}
        submit = request.POST.get("action") == "submit"
        try:
            reflection = services.reflection_create(author=member, now=timezone.now(), submit=submit, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reflection submitted for review.") if submit else _("Draft saved."))
            return redirect(reflection)
    return render(request, "activities/reading/reflection_form.html", {"form": form})


@login_required
def reading_reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _own_reflection(request, pk)
    if not reflection.is_editable:
        messages.error(request, _("A submitted reflection can no longer be edited."))
        return redirect(reflection)
    form = _form(request, reflection.author, reflection)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "attachment": upload_change(form.cleaned_data.get("attachment"))}
        submit = request.POST.get("action") == "submit"
        try:
            services.reflection_update(reflection=reflection, now=timezone.now(), submit=submit, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reflection submitted for review.") if submit else _("Draft saved."))
            return redirect(reflection)
    return render(request, "activities/reading/reflection_form.html", {"form": form, "reflection": reflection})


@login_required
def reading_reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _reflection(request, pk)
    member = current_member(request.user)
    reviewer = reflection.status != Reflection.Status.DRAFT and can_see_originality(
        request.user, court_id=reflection.author.court_id, author_id=reflection.author_id
    )
    return render(
        request,
        "activities/reading/reflection_detail.html",
        {
            "originality": originality_report(request.user, kind=TextKind.REFLECTION, object_id=reflection.pk)
            if reviewer
            else None,
            "reflection": reflection,
            "is_author": member is not None and member.pk == reflection.author_id,
            "can_review": can_review_reflection(request.user, reflection),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def reading_reflection_submit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _own_reflection(request, pk)
    try:
        services.reflection_submit(reflection=reflection, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reflection submitted for review."))
    return redirect(reflection)


@login_required
@require_POST
def reading_reflection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _own_reflection(request, pk)
    try:
        services.reflection_delete(reflection=reflection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reflection)
    messages.success(request, _("Draft deleted."))
    return redirect("activities:reading_reflection_list")


@login_required
@require_POST
def reading_reflection_review(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _reflection(request, pk)
    if not can_review_reflection(request.user, reflection):
        raise PermissionDenied
    reviewer = require_member(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose feature or return, with a comment of at most 2000 characters."))
        return redirect(reflection)
    action, now = form.cleaned_data["action"], timezone.now()
    try:
        if action == "feature":
            services.reflection_feature(reviewer=reviewer, reflection=reflection, now=now)
            messages.success(request, _("Featured: it now shows among the excellent reflections."))
        elif action == "return":
            services.reflection_return(
                reviewer=reviewer, reflection=reflection, comment=form.cleaned_data["comment"], now=now
            )
            messages.success(request, _("Returned to the author with your comment."))
        else:
            services.reflection_unfeature(reviewer=reviewer, reflection=reflection, now=now)
            messages.success(request, _("No longer featured."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reflection)


@login_required
def reading_reflection_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _reflection(request, pk)
    name = reflection.attachment_name or f"{reflection.title}{reflection.attachment.name[-5:]}"
    return protected_file_response(reflection.attachment, download_name=name)
