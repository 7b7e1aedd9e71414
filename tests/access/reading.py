"""Access matrix of the reading family (书香法院).

The court's campaign is for the whole court: the outsider (a sibling court) never sees it (404);
the city leader reads it. Reading logs and drafts are the member's own: 404 for everyone else.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from PIL import Image

from activities.models import (
    Book,
    BookRecommendation,
    Donation,
    DonationItem,
    PartnerOrganization,
    ReadingCampaign,
    ReadingLog,
    ReadingPlan,
    ReadingPlanItem,
    Reflection,
)

from . import Case, everyone

TODAY = dt.date(2026, 11, 10)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def campaign(cast, status=ReadingCampaign.Status.ACTIVE, **fields) -> ReadingCampaign:
    return ReadingCampaign.objects.create(
        court=cast.court,
        title="点燃读书热情·创建书香法院",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        status=status,
        **fields,
    )


def book(cast, **fields) -> Book:
    return Book.objects.create(title="乡土中国", author="费孝通", isbn="9787301134351", **fields)


def recommendation(cast, ready: bool = False) -> BookRecommendation:
    rec = BookRecommendation.objects.create(
        campaign=campaign(cast), book=book(cast), recommender=cast.leader, text="基层法官的必读书。"
    )
    if ready:
        rec.poster_landscape.save("l.png", ContentFile(png()), save=False)
        rec.poster_portrait.save("p.png", ContentFile(png()), save=False)
        rec.poster_status, rec.poster_revision = BookRecommendation.PosterStatus.READY, rec.revision
        rec.save()
    return rec


def reflection(cast, status=Reflection.Status.SUBMITTED, attachment: bool = False) -> Reflection:
    r = Reflection.objects.create(
        author=cast.member,
        title="读《乡土中国》",
        book=book(cast),
        body="差序格局",
        body_html="<p>差序格局</p>",
        status=status,
    )
    if attachment:
        r.attachment.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return r


def plan_item(cast) -> ReadingPlanItem:
    plan = ReadingPlan.objects.create(member=cast.member, campaign=campaign(cast))
    return ReadingPlanItem.objects.create(plan=plan, book=book(cast), target_month=dt.date(2026, 11, 1))


def log(cast) -> ReadingLog:
    return ReadingLog.objects.create(member=cast.member, book=book(cast), day=TODAY, minutes=30)


def partner(cast) -> PartnerOrganization:
    return PartnerOrganization.objects.create(court=cast.court, name="巴彦社区")


def donation(cast, receipt: bool = False) -> Donation:
    d = Donation.objects.create(court=cast.court, partner=partner(cast), day=TODAY)
    DonationItem.objects.create(donation=d, title="民法典", count=10)
    if receipt:
        d.receipt.save("r.png", ContentFile(png()))
    return d


def no_args(*_created) -> list:
    """Create what the page needs, for a URL without arguments."""
    return []


def one(factory, **kw):
    return lambda cast: [factory(cast, **kw).pk]


# Organizers and leaders read figures; members of the court may not; the outsider does not see it.
FIGURES = {"organizer": 200, "leader": 200, "city_leader": 200, "outsider": 404}
COURT_READERS = everyone(200, outsider=404)
OWN_ONLY = everyone(404, member=200)

CASES = [
    Case("activities:reading_home", everyone()),
    Case("activities:reading_campaign_list", everyone()),
    Case("activities:reading_campaign_create", {"organizer": 200}),
    Case("activities:reading_campaign_detail", COURT_READERS, args=one(campaign)),
    # A draft is the organizers' work in progress; leaders read it too.
    Case(
        "activities:reading_campaign_detail",
        everyone(404, organizer=200, leader=200, city_leader=200),
        args=one(campaign, status=ReadingCampaign.Status.DRAFT),
        query="?draft",
    ),
    # A campaign for chosen departments: members outside them do not see it.
    Case(
        "activities:reading_campaign_detail",
        everyone(404, organizer=200, leader=200, city_leader=200),
        args=lambda cast: [campaign(cast, audience=ReadingCampaign.Audience.UNITS).pk],
        query="?units",
    ),
    Case("activities:reading_campaign_edit", {"organizer": 200, "outsider": 404}, args=one(campaign)),
    Case(
        "activities:reading_campaign_status",
        everyone(404, organizer=302, leader=403, city_leader=403),
        args=one(campaign, status=ReadingCampaign.Status.DRAFT),
        method="post",
        data=lambda cast: {"status": "active"},
    ),
    Case(
        "activities:reading_campaign_plan_document",
        COURT_READERS,
        args=lambda cast: [
            campaign(
                cast,
                plan_document=ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf"),
                plan_document_name="活动方案.pdf",
            ).pk
        ],
    ),
    Case("activities:reading_campaign_dashboard", FIGURES, args=one(campaign)),
    Case("activities:reading_campaign_export", FIGURES, args=one(campaign)),
    Case(
        "activities:reading_campaign_encourage",
        {"organizer": 302, "outsider": 404},
        args=one(campaign),
        method="post",
    ),
    Case("activities:reading_campaign_screen", COURT_READERS, args=one(campaign)),
    # The plan is for the campaign's audience: the city leader reads the campaign but is not in it.
    Case("activities:reading_plan", everyone(200, outsider=404, city_leader=403), args=one(campaign)),
    Case(
        "activities:reading_plan_item_delete",
        everyone(404, member=302),
        args=one(plan_item),
        method="post",
    ),
    Case("activities:reading_book_list", everyone()),
    Case("activities:reading_book_create", everyone()),
    Case("activities:reading_book_detail", everyone(), args=one(book)),
    # The catalogue is shared: whoever added a book and organizers keep it right.
    Case(
        "activities:reading_book_edit",
        {"member": 200, "organizer": 200},
        args=lambda cast: [book(cast, added_by=cast.member).pk],
    ),
    Case(
        "activities:reading_book_cover",
        everyone(),
        args=lambda cast: [book(cast, cover=ContentFile(png(), name="cover.png")).pk],
    ),
    Case("activities:reading_recommendation_list", everyone()),
    Case("activities:reading_recommendation_create", {"leader": 200, "outsider": 404}, args=one(campaign)),
    Case("activities:reading_recommendation_detail", COURT_READERS, args=one(recommendation)),
    Case("activities:reading_recommendation_edit", {"leader": 200, "outsider": 404}, args=one(recommendation)),
    Case(
        "activities:reading_recommendation_delete",
        {"leader": 302, "organizer": 302, "outsider": 404},
        args=one(recommendation),
        method="post",
    ),
    Case(
        "activities:reading_recommendation_retry",
        {"leader": 302, "organizer": 302, "outsider": 404},
        args=one(recommendation),
        method="post",
    ),
    Case(
        "activities:reading_recommendation_poster",
        COURT_READERS,
        args=lambda cast: [recommendation(cast, ready=True).pk, "landscape"],
    ),
    Case(
        "activities:reading_recommendation_poster",
        everyone(404),
        args=lambda cast: [recommendation(cast, ready=True).pk, "square"],
        query="?bad-size",
    ),
    Case("activities:reading_log_list", everyone()),
    Case("activities:reading_log_create", everyone()),
    Case("activities:reading_log_edit", OWN_ONLY, args=one(log)),
    Case("activities:reading_log_delete", everyone(404, member=302), args=one(log), method="post"),
    Case("activities:reading_reflection_list", everyone()),
    Case("activities:reading_reflection_create", everyone()),
    Case("activities:reading_reflection_review_list", {"organizer": 200}),
    Case(
        "activities:reading_reflection_detail",
        everyone(200, colleague=404, outsider=404),
        args=one(reflection),
    ),
    Case(
        "activities:reading_reflection_detail",
        COURT_READERS,
        args=one(reflection, status=Reflection.Status.FEATURED),
        query="?featured",
    ),
    Case(
        "activities:reading_reflection_detail",
        OWN_ONLY,
        args=one(reflection, status=Reflection.Status.DRAFT),
        query="?draft",
    ),
    Case("activities:reading_reflection_edit", OWN_ONLY, args=one(reflection, status=Reflection.Status.DRAFT)),
    Case(
        "activities:reading_reflection_submit",
        everyone(404, member=302),
        args=one(reflection, status=Reflection.Status.DRAFT),
        method="post",
    ),
    Case(
        "activities:reading_reflection_delete",
        everyone(404, member=302),
        args=one(reflection, status=Reflection.Status.DRAFT),
        method="post",
    ),
    Case(
        "activities:reading_reflection_review",
        {"organizer": 302, "colleague": 404, "outsider": 404},
        args=one(reflection),
        method="post",
        data=lambda cast: {"action": "feature"},
    ),
    Case(
        "activities:reading_reflection_attachment",
        COURT_READERS,
        args=one(reflection, status=Reflection.Status.FEATURED, attachment=True),
    ),
    Case("activities:reading_featured_list", everyone()),
    Case("activities:reading_donation_list", {"organizer": 200, "leader": 200, "city_leader": 200}),
    Case(
        "activities:reading_donation_create",
        {"organizer": 200},
        args=lambda cast: no_args(partner(cast)),
    ),
    Case("activities:reading_donation_detail", FIGURES, args=one(donation)),
    Case("activities:reading_donation_receipt", FIGURES, args=one(donation, receipt=True)),
    Case("activities:reading_partner_create", {"organizer": 200}),
    Case("activities:reading_partner_edit", {"organizer": 200, "outsider": 404}, args=one(partner)),
]
