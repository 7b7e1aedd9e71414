"""捐书台账: partner organizations and book donations. Organizers keep them; leaders read them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from courtlearn.uploads import protected_file_response
from members.access import current_member, visible_courts

from ...forms.reading import DonationForm, DonationItemFormSet, PartnerForm
from ...models.reading import Donation, PartnerOrganization
from ...selectors.reading import can_manage_donations, can_read_donations
from ...services import reading as services
from .common import add_service_errors, get_id, paginate, require_member, upload_change


def _court_for_ledger(request: HttpRequest):
    """The court whose ledger to show: the user's own, or (leaders) a court below with ?court=."""
    member = require_member(request)
    court_id = get_id(request, "court") or member.court_id
    court = get_object_or_404(visible_courts(request.user), pk=court_id)
    if not can_read_donations(request.user, court.pk):
        raise PermissionDenied
    return member, court


@login_required
def reading_donation_list(request: HttpRequest) -> HttpResponse:
    member, court = _court_for_ledger(request)
    donations = (
        Donation.objects.filter(court=court).select_related("partner", "campaign").with_totals().order_by("-day", "-pk")
    )
    campaign_id = get_id(request, "campaign")
    if campaign_id:
        donations = donations.filter(campaign_id=campaign_id)
    totals = Donation.objects.filter(pk__in=donations.values("pk")).aggregate(
        n=Count("pk", distinct=True), copies=Sum("items__count", default=0)
    )
    return render(
        request,
        "activities/reading/donation_list.html",
        {
            "court": court,
            "page": paginate(request, donations),
            "totals": totals,
            "can_manage": can_manage_donations(request.user, court.pk),
            "partners": PartnerOrganization.objects.filter(court=court).annotate(
                n_donations=Count("donations", distinct=True), copies=Sum("donations__items__count", default=0)
            ),
        },
    )


@login_required
def reading_donation_create(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    court = member.court
    if not can_manage_donations(request.user, court.pk):
        raise PermissionDenied
    today = timezone.localdate()
    form = DonationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        court=court,
        today=today,
        initial={"day": today, "campaign": get_id(request, "campaign"), "partner": get_id(request, "partner")},
    )
    items = DonationItemFormSet(request.POST if request.method == "POST" else None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        titles = [(f.cleaned_data["title"], f.cleaned_data["count"]) for f in items if f.cleaned_data.get("title")]
        data = {**form.cleaned_data, "receipt": upload_change(form.cleaned_data.get("receipt"))}
        try:
            donation = services.donation_create(actor=member, court=court, items=titles, today=today, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Donation recorded."))
            return redirect(donation)
    if request.method == "GET" and not PartnerOrganization.objects.filter(court=court).exists():
        messages.info(request, _("Add the partner organization first."))
        return redirect("activities:reading_partner_create")
    return render(request, "activities/reading/donation_form.html", {"form": form, "items": items})


@login_required
def reading_donation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    donation = get_object_or_404(
        Donation.objects.visible_to(request.user).select_related("partner", "campaign", "court", "created_by"), pk=pk
    )
    if not can_read_donations(request.user, donation.court_id):
        raise PermissionDenied
    items = list(donation.items.all())
    return render(
        request,
        "activities/reading/donation_detail.html",
        {"donation": donation, "items": items, "copies": sum(i.count for i in items)},
    )


@login_required
def reading_donation_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    donation = get_object_or_404(Donation.objects.visible_to(request.user), pk=pk)
    if not can_read_donations(request.user, donation.court_id):
        raise PermissionDenied
    return protected_file_response(
        donation.receipt, download_name=f"receipt-{donation.pk}{donation.receipt.name[-4:]}", inline=True
    )


@login_required
def reading_partner_create(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if not can_manage_donations(request.user, member.court_id):
        raise PermissionDenied
    form = PartnerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_create(actor=member, court=member.court, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Partner organization added."))
            return redirect("activities:reading_donation_list")
    return render(request, "activities/reading/partner_form.html", {"form": form})


@login_required
def reading_partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request.user)
    partner = get_object_or_404(PartnerOrganization.objects.filter(court__in=visible_courts(request.user)), pk=pk)
    if member is None or not can_manage_donations(request.user, partner.court_id):
        raise PermissionDenied
    form = PartnerForm(request.POST if request.method == "POST" else None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(actor=member, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Partner organization saved."))
            return redirect("activities:reading_donation_list")
    return render(request, "activities/reading/partner_form.html", {"form": form, "partner": partner})
