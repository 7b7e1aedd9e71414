"""List and dashboard pages run a fixed number of queries, whatever the amount of data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import (
    BookRecommendation,
    Donation,
    DonationItem,
    PartnerOrganization,
    ReadingPlan,
    ReadingPlanItem,
    Reflection,
)
from tests.factories import make_member

from .reading_factories import make_book, make_campaign, make_log, make_reflection


def populate(cast, campaign, n: int) -> None:
    """n of everything: books, members with logs and plans, recommendations, reflections, donations."""
    today = timezone.localdate()
    partner, _ = PartnerOrganization.objects.get_or_create(court=cast.court, name="巴彦社区")
    for i in range(n):
        book = make_book(f"书{i}", cover="reading/covers/x.png" if i % 2 else "")
        other = make_member(cast.court, f"干警{i}", department=cast.department if i % 2 else cast.other_department)
        make_log(other, book, day=today - dt.timedelta(days=i), finished=bool(i % 3))
        make_log(cast.member, book, day=today - dt.timedelta(days=i), minutes=10)
        plan, _ = ReadingPlan.objects.get_or_create(member=other, campaign=campaign)
        ReadingPlanItem.objects.create(plan=plan, book=book, target_month=dt.date(2026, 11, 1))
        ReadingPlanItem.objects.create(
            plan=ReadingPlan.objects.get_or_create(member=cast.member, campaign=campaign)[0],
            book=book,
            target_month=dt.date(2026, 11, 1),
        )
        BookRecommendation.objects.create(
            campaign=campaign,
            book=book,
            recommender=cast.leader,
            text="推荐",
            poster_status=BookRecommendation.PosterStatus.READY,
            poster_revision=1,
            poster_landscape="reading/posters/l.png",
            poster_portrait="reading/posters/p.png",
        )
        make_reflection(
            other, campaign=campaign, book=book, status=Reflection.Status.FEATURED, featured_at=timezone.now()
        )
        make_reflection(
            other, campaign=campaign, book=book, status=Reflection.Status.SUBMITTED, submitted_at=timezone.now()
        )
        make_reflection(cast.member, book=book, status=Reflection.Status.DRAFT)
        donation = Donation.objects.create(court=cast.court, partner=partner, campaign=campaign, day=today)
        DonationItem.objects.create(donation=donation, title=f"书{i}", count=i + 1)


PAGES = [
    ("member", "my_learning", lambda c: []),
    ("member", "activities:reading_home", lambda c: []),
    ("member", "activities:reading_campaign_list", lambda c: []),
    ("member", "activities:reading_campaign_detail", lambda c: [c.pk]),
    ("member", "activities:reading_plan", lambda c: [c.pk]),
    ("member", "activities:reading_book_list", lambda c: []),
    ("member", "activities:reading_recommendation_list", lambda c: []),
    ("member", "activities:reading_log_list", lambda c: []),
    ("member", "activities:reading_log_create", lambda c: []),
    ("member", "activities:reading_reflection_list", lambda c: []),
    ("member", "activities:reading_featured_list", lambda c: []),
    ("organizer", "activities:reading_reflection_review_list", lambda c: []),
    ("organizer", "activities:reading_donation_list", lambda c: []),
    ("organizer", "activities:reading_campaign_detail", lambda c: [c.pk]),
    ("organizer", "activities:reading_campaign_dashboard", lambda c: [c.pk]),
    ("organizer", "activities:reading_campaign_export", lambda c: [c.pk]),
    ("organizer", "activities:reading_campaign_screen", lambda c: [c.pk]),
    ("organizer", "manage", lambda c: []),
    ("leader", "activities:reading_featured_list", lambda c: []),
    ("city_leader", "activities:reading_campaign_dashboard", lambda c: [c.pk]),
    ("organizer", "members:member_detail", None),
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("role", "name", "args"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_list_pages_do_not_grow_with_the_data(cast, role, name, args, django_assert_max_num_queries):
    campaign = make_campaign(cast.court, goal_books=5)
    client = cast.client_for(role)
    url = reverse(name, args=args(campaign) if args else [cast.member.pk])
    client.get(url)  # warm caches (content types, sessions)
    populate(cast, campaign, 2)
    small = count_queries(client, url)
    populate(cast, campaign, 15)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
    assert small <= 30, f"{name}: {small} queries"
