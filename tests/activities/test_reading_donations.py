"""捐书台账: partner organizations and donations with titles, copies and a receipt photo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import Donation, DonationItem, PartnerOrganization
from tests.test_uploads import png_claiming

from .reading_factories import make_campaign, png_bytes


@pytest.fixture
def partner(cast):
    return PartnerOrganization.objects.create(court=cast.court, name="巴彦社区")


def items(*rows) -> dict:
    data = {
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
    }
    for i, (title, count) in enumerate(rows):
        data[f"items-{i}-title"], data[f"items-{i}-count"] = title, str(count)
    return data


def donate(client, to, rows, **extra):
    data = {"partner": to.pk, "day": timezone.localdate().isoformat(), **items(*rows), **extra}
    return client.post(reverse("activities:reading_donation_create"), data)


def test_organizer_adds_a_partner(cast):
    response = cast.client_for("organizer").post(
        reverse("activities:reading_partner_create"), {"name": "巴彦社区", "kind": "community", "contact": "刘主任"}
    )
    assert response.status_code == 302
    assert PartnerOrganization.objects.get().court == cast.court
    again = cast.client_for("organizer").post(
        reverse("activities:reading_partner_create"), {"name": "巴彦社区", "kind": "community"}
    )
    assert again.status_code == 200 and "name" in again.context["form"].errors
    assert PartnerOrganization.objects.count() == 1


def test_organizer_records_a_donation_with_titles_and_a_receipt(cast, partner):
    campaign = make_campaign(cast.court)
    response = donate(
        cast.client_for("organizer"),
        partner,
        [("民法典（实用一本通）", 10), ("爱问法律百科", 10), ("一看就懂的法律常识大全集", 10)],
        campaign=campaign.pk,
        receipt=SimpleUploadedFile("回执.jpg", png_bytes()),
    )
    donation = Donation.objects.get()
    assert response.status_code == 302 and response.url == donation.get_absolute_url()
    assert donation.campaign == campaign and donation.created_by == cast.organizer
    assert sum(donation.items.values_list("count", flat=True)) == 30
    assert donation.receipt.name.endswith(".png")  # re-encoded
    listing = cast.client_for("leader").get(reverse("activities:reading_donation_list"))
    assert listing.context["totals"] == {"n": 1, "copies": 30}
    campaign_page = cast.client_for("organizer").get(campaign.get_absolute_url())
    assert campaign_page.context["donated_copies"] == 30
    receipt = cast.client_for("leader").get(reverse("activities:reading_donation_receipt", args=[donation.pk]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("rows", "extra"),
    [
        ([], {}),
        ([("民法典", 0)], {}),
        ([("民法典", "x")], {}),
        ([("", 10)], {}),
        ([("民法典", 10)], {"day": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}),
        ([("民法典", 10)], {"receipt": SimpleUploadedFile("receipt.png", b"<html>fake</html>")}),
        ([("民法典", 10)], {"partner": "999999"}),
        ([("民法典", 10)], {"receipt": SimpleUploadedFile("bomb.png", png_claiming(50_000, 50_000))}),
        ([("民法典", 10)], {"receipt": SimpleUploadedFile("cut.png", png_bytes((400, 400))[:200])}),
    ],
    ids=[
        "no-titles",
        "zero-copies",
        "bad-count",
        "no-title",
        "future",
        "html-as-png",
        "bad-partner",
        "bomb",
        "truncated",
    ],
)
def test_bad_donations_get_a_clear_error_and_write_nothing(cast, partner, rows, extra):
    response = donate(cast.client_for("organizer"), partner, rows, **extra)
    assert response.status_code == 200
    assert response.context["form"].errors or any(response.context["items"].errors)
    assert not Donation.objects.exists() and not DonationItem.objects.exists()


def test_a_partner_of_another_court_cannot_be_used(cast):
    foreign = PartnerOrganization.objects.create(court=cast.other_court, name="别处社区")
    response = donate(cast.client_for("organizer"), foreign, [("民法典", 1)])
    assert response.status_code == 200 and "partner" in response.context["form"].errors


def test_members_do_not_keep_the_ledger(cast, partner):
    assert donate(cast.client_for("member"), partner, [("民法典", 1)]).status_code == 403
    assert cast.client_for("member").get(reverse("activities:reading_donation_list")).status_code == 403
    assert not Donation.objects.exists()


def test_the_city_leader_reads_a_basic_courts_ledger(cast, partner):
    donate(cast.client_for("organizer"), partner, [("民法典", 5)])
    response = cast.client_for("city_leader").get(reverse("activities:reading_donation_list"), {"court": cast.court.pk})
    assert response.status_code == 200 and response.context["totals"]["copies"] == 5
    assert (
        cast.client_for("outsider")
        .get(reverse("activities:reading_donation_list"), {"court": cast.court.pk})
        .status_code
        == 404
    )


def test_without_partners_the_organizer_is_sent_to_add_one(cast):
    response = cast.client_for("organizer").get(reverse("activities:reading_donation_create"))
    assert response.status_code == 302 and response.url == reverse("activities:reading_partner_create")


pytestmark = pytest.mark.django_db
