"""The reading family's parts of shared pages: navbar, 我的学习, 管理, the member's profile; the demo."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from activities.models import (
    Book,
    BookRecommendation,
    Donation,
    ReadingCampaign,
    ReadingLog,
    ReadingPlanItem,
    Reflection,
)

from .reading_factories import make_book, make_campaign, make_log, make_reflection


def test_navbar_links_to_reading_pages(cast):
    html = cast.client_for("member").get(reverse("my_learning")).content.decode()
    assert reverse("activities:reading_home") in html and reverse("activities:reading_featured_list") in html
    assert reverse("activities:reading_donation_list") not in html
    assert (
        reverse("activities:reading_donation_list")
        in cast.client_for("organizer").get(reverse("manage")).content.decode()
    )


def test_my_learning_panel_without_books_points_to_recommendations(cast):
    html = cast.client_for("member").get(reverse("my_learning")).content.decode()
    assert 'id="reading-panel"' in html and 'id="quick-log"' not in html
    assert reverse("activities:reading_recommendation_list") in html


def test_my_learning_panel_shows_plan_progress_per_campaign(cast):
    campaign = make_campaign(cast.court, title="书香法院2026")
    html = cast.client_for("member").get(reverse("my_learning")).content.decode()
    assert "书香法院2026" in html and reverse("activities:reading_plan", args=[campaign.pk]) in html


def test_organizer_panel_counts_reflections_waiting(cast):
    make_reflection(cast.member)
    make_reflection(cast.member, status=Reflection.Status.DRAFT, title="草稿")
    response = cast.client_for("organizer").get(reverse("manage"))
    html = response.content.decode()
    assert 'id="reading-organizer-panel"' in html
    assert reverse("activities:reading_reflection_review_list") in html
    assert '<span class="badge text-bg-danger">1</span>' in html


def test_profile_shows_reading_figures_to_the_member_and_organizers_only(cast):
    book = make_book("红岩")
    make_log(cast.member, book, finished=True)
    make_reflection(cast.member, status=Reflection.Status.FEATURED, title="优秀的心得", book=make_book("乡土中国"))
    url = reverse("members:member_detail", args=[cast.member.pk])
    own = cast.client_for("member").get(url).content.decode()
    assert 'id="profile-reading"' in own and str(book) in own and "优秀的心得" in own
    assert str(book) in cast.client_for("organizer").get(url).content.decode()
    colleague = cast.client_for("colleague").get(url).content.decode()
    assert "优秀的心得" in colleague and str(book) not in colleague  # featured work yes, private reading no


def test_demo_data_is_safe_to_run_twice(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = [
        m.objects.count()
        for m in (Book, ReadingCampaign, BookRecommendation, ReadingPlanItem, ReadingLog, Reflection, Donation)
    ]
    assert all(counts), counts
    assert BookRecommendation.objects.filter(poster_status="ready").count() == BookRecommendation.objects.count()
    assert Reflection.objects.filter(status=Reflection.Status.FEATURED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == [
        m.objects.count()
        for m in (Book, ReadingCampaign, BookRecommendation, ReadingPlanItem, ReadingLog, Reflection, Donation)
    ]


pytestmark = pytest.mark.django_db


def test_every_reading_model_has_a_working_admin_page(cast, admin_client):
    from django.contrib import admin

    from activities.models import reading

    campaign = make_campaign(cast.court)
    make_reflection(cast.member, campaign=campaign)
    for name in reading.__all__:
        model = getattr(reading, name)
        assert model in admin.site._registry, name
        opts = model._meta
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("activities:reading_book_list", "?page=abc&q=" + "书" * 300 + "&category=x"),
        ("activities:reading_book_list", "?page=-1&category=999999"),
        ("activities:reading_campaign_list", "?status=<script>&page=99999"),
        ("activities:reading_recommendation_list", "?campaign=abc"),
        ("activities:reading_recommendation_list", "?campaign=99999999999999999999"),
        ("activities:reading_featured_list", "?court=abc&page=0"),
        ("activities:reading_log_create", "?book=abc"),
        ("activities:reading_log_create", "?book=999999"),
        ("activities:reading_reflection_create", "?book=-1&campaign=x"),
        ("activities:reading_book_create", "?title=" + "长" * 500 + "&next=https://evil.example/"),
    ],
)
def test_malformed_query_strings_never_cause_a_500(cast, name, query):
    assert cast.client_for("member").get(reverse(name) + query).status_code == 200


def test_an_outside_next_url_is_ignored(cast):
    response = cast.client_for("member").post(
        reverse("activities:reading_book_create"), {"title": "红岩", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url.startswith("/activities/reading/books/")


def test_the_tasks_are_registered_and_the_catch_up_runs_on_beat():
    from activities.tasks import BEAT_SCHEDULE
    from courtlearn.celery import app

    app.loader.import_default_modules()
    assert {"activities.reading.render_posters", "activities.reading.announce_campaign"} <= set(app.tasks)
    assert BEAT_SCHEDULE["reading-render-pending-posters"]["task"] == "activities.reading.render_pending_posters"
