"""荐书台: leaders (and members the organizer allows) recommend books; posters follow every change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import BookRecommendation, ReadingCampaign
from activities.services.reading import recommendation_render_posters
from members.models import AuditEvent

from .reading_factories import make_book, make_campaign, make_recommendation


@pytest.fixture
def campaign(cast):
    return make_campaign(cast.court)


def recommend(client, campaign, book, text="这本书讲透了基层社会的礼治秩序，值得每位法官细读。", **extra):
    return client.post(
        reverse("activities:reading_recommendation_create", args=[campaign.pk]),
        {"book": book.pk, "text": text, **extra},
    )


def test_leader_recommends_a_book_and_both_posters_are_drawn(cast, campaign, django_capture_on_commit_callbacks):
    book = make_book("乡土中国")
    client = cast.client_for("leader")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = recommend(client, campaign, book, recommender_title="党组书记、院长")
    assert len(callbacks) == 1  # the poster task is queued after the commit
    rec = BookRecommendation.objects.get()
    assert response.status_code == 302 and response.url == rec.get_absolute_url()
    assert rec.recommender == cast.leader and rec.recommender_title == "党组书记、院长"
    assert rec.posters_ready
    assert AuditEvent.objects.filter(action="reading.recommendation_created").exists()

    page = client.get(rec.get_absolute_url()).content.decode()
    assert reverse("activities:reading_recommendation_poster", args=[rec.pk, "landscape"]) in page
    for size, pixels in (("landscape", "1920x1080"), ("portrait", "1080x1920")):
        url = reverse("activities:reading_recommendation_poster", args=[rec.pk, size])
        inline = cast.client_for("member").get(url)
        assert inline.status_code == 200 and inline["Content-Type"] == "image/png"
        assert inline["Content-Disposition"].startswith("inline")
        download = cast.client_for("member").get(url, {"download": "1"})
        assert download["Content-Disposition"].startswith("attachment")
        assert pixels in download["Content-Disposition"]


def test_a_member_may_not_recommend_unless_the_organizer_allows_it(cast, campaign):
    book = make_book()
    assert recommend(cast.client_for("member"), campaign, book).status_code == 403
    assert recommend(cast.client_for("organizer"), campaign, book).status_code == 403
    assert not BookRecommendation.objects.exists()

    campaign.recommenders.add(cast.member)
    assert recommend(cast.client_for("member"), campaign, book).status_code == 302
    assert BookRecommendation.objects.get().recommender == cast.member


def test_the_organizer_chooses_recommenders_in_the_campaign_form(cast, campaign):
    url = reverse("activities:reading_campaign_edit", args=[campaign.pk])
    response = cast.client_for("organizer").post(
        url,
        {
            "title": campaign.title,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "audience": "court",
            "recommenders": [cast.colleague.pk],
        },
    )
    assert response.status_code == 302
    assert list(campaign.recommenders.all()) == [cast.colleague]


def test_a_city_leader_reads_but_does_not_recommend_for_a_basic_court(cast, campaign):
    assert recommend(cast.client_for("city_leader"), campaign, make_book()).status_code == 403


def test_recommending_the_same_book_twice_is_refused(cast, campaign):
    book = make_book()
    client = cast.client_for("leader")
    recommend(client, campaign, book)
    response = recommend(client, campaign, book)
    assert response.status_code == 200
    assert "already recommended" in response.content.decode() or "推荐过这本书" in response.content.decode()
    assert BookRecommendation.objects.count() == 1


def test_too_short_text_is_refused(cast, campaign):
    response = recommend(cast.client_for("leader"), campaign, make_book(), text="好")
    assert response.status_code == 200 and "text" in response.context["form"].errors
    assert not BookRecommendation.objects.exists()


def test_closed_campaign_takes_no_recommendations(cast):
    closed = make_campaign(cast.court, status=ReadingCampaign.Status.CLOSED)
    assert recommend(cast.client_for("leader"), closed, make_book()).status_code == 403


def test_posters_are_drawn_again_when_the_recommendation_changes(cast, campaign, django_capture_on_commit_callbacks):
    rec = make_recommendation(campaign, make_book(), cast.leader)
    recommendation_render_posters(recommendation_id=rec.pk)
    rec.refresh_from_db()
    old = rec.poster_landscape.name
    storage = rec.poster_landscape.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("leader").post(
            reverse("activities:reading_recommendation_edit", args=[rec.pk]),
            {"book": rec.book_id, "text": "改过的推荐语：读懂乡土人情，判决才能合法又合情。"},
        )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.revision == 2 and rec.poster_revision == 2 and rec.posters_ready
    assert rec.poster_landscape.name != old
    assert not storage.exists(old)


def test_saving_without_changes_does_not_redraw(cast, campaign):
    rec = make_recommendation(campaign, make_book(), cast.leader)
    cast.client_for("leader").post(
        reverse("activities:reading_recommendation_edit", args=[rec.pk]), {"book": rec.book_id, "text": rec.text}
    )
    rec.refresh_from_db()
    assert rec.revision == 1


def test_posters_follow_changes_to_the_book_and_the_campaign(cast, campaign, django_capture_on_commit_callbacks):
    book = make_book("乡土中国", added_by=cast.member)
    rec = make_recommendation(campaign, book, cast.leader)
    recommendation_render_posters(recommendation_id=rec.pk)
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("member").post(
            reverse("activities:reading_book_edit", args=[book.pk]), {"title": "乡土中国（修订本）", "isbn": book.isbn}
        )
    rec.refresh_from_db()
    assert rec.revision == 2 and rec.posters_ready
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("organizer").post(
            reverse("activities:reading_campaign_edit", args=[campaign.pk]),
            {"title": "书香法院2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "audience": "court"},
        )
    rec.refresh_from_db()
    assert rec.revision == 3 and rec.poster_revision == 3


def test_only_the_recommender_edits_and_the_organizer_may_remove(cast, campaign, django_capture_on_commit_callbacks):
    rec = make_recommendation(campaign, make_book(), cast.leader)
    recommendation_render_posters(recommendation_id=rec.pk)
    rec.refresh_from_db()
    files = [rec.poster_landscape.name, rec.poster_portrait.name]
    url = reverse("activities:reading_recommendation_edit", args=[rec.pk])
    assert (
        cast.client_for("organizer").post(url, {"book": rec.book_id, "text": "组织者改写了这段推荐语"}).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("organizer").post(reverse("activities:reading_recommendation_delete", args=[rec.pk]))
    assert response.status_code == 302
    assert not BookRecommendation.objects.exists()
    assert not any(rec.poster_landscape.storage.exists(name) for name in files)


def test_a_poster_not_drawn_yet_is_a_404_and_the_page_waits(cast, campaign):
    rec = make_recommendation(campaign, make_book(), cast.leader)
    url = reverse("activities:reading_recommendation_poster", args=[rec.pk, "landscape"])
    assert cast.client_for("member").get(url).status_code == 404
    page = cast.client_for("member").get(rec.get_absolute_url()).content.decode()
    assert "data-reading-refresh" in page and "js/reading.js" in page


def test_screen_mode_cycles_the_ready_posters_with_no_inline_script(cast, campaign):
    ready = make_recommendation(campaign, make_book("乡土中国"), cast.leader)
    make_recommendation(campaign, make_book("红岩"), cast.leader)  # not drawn yet: not shown
    recommendation_render_posters(recommendation_id=ready.pk)
    response = cast.client_for("organizer").get(
        reverse("activities:reading_campaign_screen", args=[campaign.pk]), {"seconds": "20"}
    )
    page = response.content.decode()
    assert page.count("data-landscape=") == 1
    assert reverse("activities:reading_recommendation_poster", args=[ready.pk, "landscape"]) in page
    assert 'id="screen-config" type="application/json"' in page and '"seconds": 20' in page
    assert "js/reading.js" in page
    assert "<script>" not in page  # everything runs from static/js/reading.js
    bad = cast.client_for("organizer").get(
        reverse("activities:reading_campaign_screen", args=[campaign.pk]), {"seconds": "abc"}
    )
    assert bad.status_code == 200


def test_recommendation_list_shows_current_campaigns(cast, campaign):
    rec = make_recommendation(campaign, make_book(), cast.leader)
    old = make_campaign(cast.court, title="2025年读书月", status=ReadingCampaign.Status.CLOSED)
    make_recommendation(old, make_book("红岩"), cast.leader)
    page = cast.client_for("member").get(reverse("activities:reading_recommendation_list"))
    assert [r.pk for r in page.context["page"]] == [rec.pk]
    filtered = cast.client_for("member").get(reverse("activities:reading_recommendation_list"), {"campaign": old.pk})
    assert len(filtered.context["page"]) == 1
    assert (
        cast.client_for("outsider")
        .get(reverse("activities:reading_recommendation_list"))
        .context["page"]
        .paginator.count
        == 0
    )
