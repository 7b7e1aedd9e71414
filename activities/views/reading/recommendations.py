"""荐书台: recommendations and their posters."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response

from ...forms.reading import RecommendationForm
from ...models.reading import BookRecommendation, ReadingCampaign
from ...selectors.reading import (
    can_delete_recommendation,
    can_edit_recommendation,
    can_manage_campaign,
    can_recommend,
    recommendable_campaigns,
)
from ...services import reading as services
from .common import add_service_errors, get_id, paginate, require_member


def _recommendation(request: HttpRequest, pk: int) -> BookRecommendation:
    return get_object_or_404(BookRecommendation.objects.visible_to(request.user).with_related(), pk=pk)


@login_required
def reading_recommendation_list(request: HttpRequest) -> HttpResponse:
    recommendations = BookRecommendation.objects.visible_to(request.user).with_related()
    campaign_id = get_id(request, "campaign")
    if campaign_id:
        recommendations = recommendations.filter(campaign_id=campaign_id)
    else:
        recommendations = recommendations.filter(campaign__status=ReadingCampaign.Status.ACTIVE)
    return render(
        request,
        "activities/reading/recommendation_list.html",
        {
            "page": paginate(request, recommendations, size=12),
            "campaigns": ReadingCampaign.objects.visible_to(request.user).order_by("-starts_on")[:20],
            "campaign_id": campaign_id,
            "recommend_in": recommendable_campaigns(request.user).order_by("-starts_on"),
        },
    )


@login_required
def reading_recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(ReadingCampaign.objects.visible_to(request.user).select_related("court"), pk=pk)
    if not can_recommend(request.user, campaign):
        raise PermissionDenied
    member = require_member(request)
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        initial={"book": get_id(request, "book"), "recommender_title": member.title or member.get_post_display()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(recommender=member, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for the recommendation. The posters are being drawn."))
            return redirect(recommendation)
    return render(request, "activities/reading/recommendation_form.html", {"form": form, "campaign": campaign})


@login_required
def reading_recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    if not can_edit_recommendation(request.user, recommendation):
        raise PermissionDenied
    member = require_member(request)
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        initial={
            "book": recommendation.book_id,
            "text": recommendation.text,
            "recommender_title": recommendation.recommender_title,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(actor=member, recommendation=recommendation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recommendation saved; the posters are drawn again."))
            return redirect(recommendation)
    return render(
        request,
        "activities/reading/recommendation_form.html",
        {"form": form, "campaign": recommendation.campaign, "recommendation": recommendation},
    )


@login_required
def reading_recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    return render(
        request,
        "activities/reading/recommendation_detail.html",
        {
            "rec": recommendation,
            "can_edit": can_edit_recommendation(request.user, recommendation),
            "can_delete": can_delete_recommendation(request.user, recommendation),
            "can_retry": can_edit_recommendation(request.user, recommendation)
            or can_manage_campaign(request.user, recommendation.campaign),
        },
    )


@login_required
@require_POST
def reading_recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    if not can_delete_recommendation(request.user, recommendation):
        raise PermissionDenied
    member = require_member(request)
    campaign = recommendation.campaign
    services.recommendation_delete(actor=member, recommendation=recommendation)
    messages.success(request, _("Recommendation deleted."))
    return redirect(campaign)


@login_required
@require_POST
def reading_recommendation_retry(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    if not (
        can_edit_recommendation(request.user, recommendation)
        or can_manage_campaign(request.user, recommendation.campaign)
    ):
        raise PermissionDenied
    services.recommendation_retry_posters(recommendation=recommendation)
    messages.info(request, _("The posters are being drawn again."))
    return redirect(recommendation)


@login_required
def reading_recommendation_poster(request: HttpRequest, pk: int, size: str) -> HttpResponse:
    """A poster: inline for <img> and the screen, as a download with ?download=1."""
    recommendation = _recommendation(request, pk)
    files = {"landscape": recommendation.poster_landscape, "portrait": recommendation.poster_portrait}
    if size not in files or not recommendation.posters_ready:
        raise Http404
    pixels = "1920x1080" if size == "landscape" else "1080x1920"
    label = _("Book recommendation")
    name = f"{label}-{recommendation.book.title}-{recommendation.recommender.name}-{pixels}.png"
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", name)
    response = protected_file_response(files[size], download_name=name, inline=request.GET.get("download") != "1")
    response["Cache-Control"] = "private, max-age=600"
    return response
