"""Reading campaigns: the hub, the campaign pages, the organizer's dashboard and export, screen mode."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from members.access import current_member, is_organizer_of

from ...forms.reading import CampaignForm, CampaignStatusForm
from ...models.reading import BookRecommendation, Donation, ReadingCampaign, Reflection
from ...selectors.reading import (
    campaign_figures,
    campaigns_for_member_panel,
    can_manage_campaign,
    can_read_campaign_figures,
    can_recommend,
    member_progress,
)
from ...services import reading as services
from .common import add_service_errors, paginate, require_member, upload_change
from .export import campaign_workbook_response


def _campaign(request: HttpRequest, pk: int) -> ReadingCampaign:
    return get_object_or_404(ReadingCampaign.objects.visible_to(request.user).select_related("court"), pk=pk)


def _managed_campaign(request: HttpRequest, pk: int) -> ReadingCampaign:
    campaign = _campaign(request, pk)
    if not can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    return campaign


@login_required
def reading_home(request: HttpRequest) -> HttpResponse:
    """书香法院: my campaigns and progress, the latest recommendations, the way to everything else."""
    member = current_member(request.user)
    campaigns = list(campaigns_for_member_panel(member)) if member else []
    recommendations = (
        BookRecommendation.objects.visible_to(request.user)
        .filter(campaign__status=ReadingCampaign.Status.ACTIVE)
        .with_related()[:6]
    )
    organizer = member is not None and is_organizer_of(request.user, member.court_id)
    drafts = (
        ReadingCampaign.objects.filter(court_id=member.court_id, status=ReadingCampaign.Status.DRAFT)
        if organizer
        else ReadingCampaign.objects.none()
    )
    return render(
        request,
        "activities/reading/home.html",
        {"campaigns": campaigns, "recommendations": recommendations, "organizer": organizer, "drafts": drafts},
    )


@login_required
def reading_campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = ReadingCampaign.objects.visible_to(request.user).select_related("court")
    status = request.GET.get("status", "")
    if status in ReadingCampaign.Status.values:
        campaigns = campaigns.filter(status=status)
    member = current_member(request.user)
    can_create = member is not None and is_organizer_of(request.user, member.court_id)
    return render(
        request,
        "activities/reading/campaign_list.html",
        {
            "page": paginate(request, campaigns),
            "status": status,
            "statuses": ReadingCampaign.Status.choices,
            "can_create": can_create,
        },
    )


@login_required
def reading_campaign_create(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if not is_organizer_of(request.user, member.court_id):
        raise PermissionDenied
    today = timezone.localdate()
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        court=member.court,
        initial={"starts_on": today, "ends_on": today.replace(month=12, day=31)},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "plan_document": upload_change(form.cleaned_data.get("plan_document"))}
        try:
            campaign = services.reading_campaign_create(actor=member, court=member.court, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campaign created as a draft. Activate it when it is ready."))
            return redirect(campaign)
    return render(request, "activities/reading/campaign_form.html", {"form": form})


@login_required
def reading_campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request, pk)
    member = require_member(request)
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=campaign,
        court=campaign.court,
        initial={"plan_document": campaign.plan_document},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "plan_document": upload_change(form.cleaned_data.get("plan_document"))}
        try:
            services.reading_campaign_update(actor=member, campaign=campaign, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(campaign)
    return render(request, "activities/reading/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def reading_campaign_status(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request, pk)
    member = require_member(request)
    form = CampaignStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This change of status is not possible."))
        return redirect(campaign)
    try:
        services.reading_campaign_set_status(actor=member, campaign=campaign, status=form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign is now %(status)s.") % {"status": campaign.get_status_display()})
    return redirect(campaign)


@login_required
def reading_campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    member = current_member(request.user)
    today = timezone.localdate()
    taking_part = member is not None and campaign.includes(member)
    recommendations = campaign.recommendations.with_related().order_by("created_at", "pk")
    featured = Reflection.objects.visible_to(request.user).featured().filter(campaign=campaign)
    donated = Donation.objects.filter(campaign=campaign).with_totals()
    context = {
        "campaign": campaign,
        "recommendations": recommendations,
        "n_ready_posters": sum(1 for r in recommendations if r.posters_ready),
        "progress": member_progress(member, campaign, today=today) if taking_part else None,
        "taking_part": taking_part,
        "can_manage": can_manage_campaign(request.user, campaign),
        "can_read_figures": (can_read := can_read_campaign_figures(request.user, campaign)),
        "figures": campaign_figures(campaign, today=today) if can_read else None,
        "can_recommend": can_recommend(request.user, campaign),
        "featured": featured.with_related().order_by("-featured_at")[:6],
        "donated_copies": sum(d.n_books for d in donated),
        "n_donations": len(donated),
        "next_status": {
            ReadingCampaign.Status.DRAFT: [(ReadingCampaign.Status.ACTIVE, _("Activate"))],
            ReadingCampaign.Status.ACTIVE: [(ReadingCampaign.Status.CLOSED, pgettext("campaign", "Close"))],
            ReadingCampaign.Status.CLOSED: [(ReadingCampaign.Status.ACTIVE, _("Reopen"))],
        }[campaign.status],
    }
    return render(request, "activities/reading/campaign_detail.html", context)


@login_required
def reading_campaign_plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    name = campaign.plan_document_name or f"{campaign.title}{campaign.plan_document.name[-5:]}"
    return protected_file_response(campaign.plan_document, download_name=name)


def _figures_campaign(request: HttpRequest, pk: int) -> ReadingCampaign:
    campaign = _campaign(request, pk)
    if not can_read_campaign_figures(request.user, campaign):
        raise PermissionDenied
    return campaign


@login_required
def reading_campaign_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _figures_campaign(request, pk)
    today = timezone.localdate()
    figures = campaign_figures(campaign, today=today)
    in_period = campaign.starts_on <= today <= campaign.ends_on
    return render(
        request,
        "activities/reading/campaign_dashboard.html",
        {
            "campaign": campaign,
            "figures": figures,
            "in_period": in_period,
            "can_manage": can_manage_campaign(request.user, campaign),
        },
    )


@login_required
def reading_campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _figures_campaign(request, pk)
    return campaign_workbook_response(campaign_figures(campaign, today=timezone.localdate()))


@login_required
@require_POST
def reading_campaign_encourage(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed_campaign(request, pk)
    member = require_member(request)
    if campaign.status != ReadingCampaign.Status.ACTIVE:
        messages.error(request, _("Only an active campaign sends reminders."))
    else:
        sent = services.reading_campaign_encourage(actor=member, campaign=campaign, today=timezone.localdate())
        messages.success(
            request, _("A friendly reminder went to %(n)s members (each gets one a month at most).") % {"n": sent}
        )
    return redirect("activities:reading_campaign_dashboard", pk=campaign.pk)


@login_required
def reading_campaign_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """Screen mode for the lobby LED screen: the current posters, one after another, full screen."""
    campaign = _campaign(request, pk)
    recommendations = [
        r for r in campaign.recommendations.with_related().order_by("created_at", "pk") if r.posters_ready
    ]
    try:
        seconds = max(5, min(120, int(request.GET.get("seconds", "12"))))
    except ValueError:
        seconds = 12
    posters = [
        {
            "src": reverse("activities:reading_recommendation_poster", args=[r.pk, "landscape"])
            + f"?r={r.poster_revision}",
            "portrait": reverse("activities:reading_recommendation_poster", args=[r.pk, "portrait"])
            + f"?r={r.poster_revision}",
            "alt": f"{r.book} · {r.recommender.name}",
        }
        for r in recommendations
    ]
    return render(
        request,
        "activities/reading/screen.html",
        {"campaign": campaign, "posters": posters, "screen_config": {"seconds": seconds, "reloadMinutes": 10}},
    )
