"""读书计划: members pick books with a target month and see their progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import ReadingCampaign, ReadingPlanItem

from .reading_factories import make_book, make_campaign, make_log, make_recommendation


@pytest.fixture
def campaign(cast):
    return make_campaign(cast.court, goal_books=4)


def add(client, campaign, book, month="2026-11"):
    return client.post(reverse("activities:reading_plan", args=[campaign.pk]), {"book": book.pk, "target_month": month})


def test_member_plans_a_recommended_book_and_sees_progress(cast, campaign):
    book = make_book("乡土中国")
    make_recommendation(campaign, book, cast.leader)
    client = cast.client_for("member")
    form = client.get(reverse("activities:reading_plan", args=[campaign.pk])).context["form"]
    assert book in form.fields["book"].queryset  # recommendations are offered

    assert add(client, campaign, book).status_code == 302
    item = ReadingPlanItem.objects.get()
    assert (item.plan.member, item.book, item.target_month.isoformat()) == (cast.member, book, "2026-11-01")

    make_log(cast.member, book, finished=True)
    page = client.get(reverse("activities:reading_plan", args=[campaign.pk]))
    assert page.context["progress"].planned == 1 and page.context["progress"].planned_finished == 1
    assert [i.finished for i in page.context["items"]] == [True]
    panel = client.get(reverse("my_learning")).content.decode()
    assert "1 of 1" in panel or "1 / 1" in panel or "已读 1" in panel or "1 本" in panel


def test_a_book_from_the_catalogue_can_be_added_by_its_id(cast, campaign):
    book = make_book("万历十五年")
    assert add(cast.client_for("member"), campaign, book).status_code == 302


def test_a_month_outside_the_campaign_is_refused(cast, campaign):
    response = add(cast.client_for("member"), campaign, make_book(), month="2027-02")
    assert response.status_code == 200 and "target_month" in response.context["form"].errors
    assert not ReadingPlanItem.objects.exists()


def test_garbage_month_or_book_is_a_form_error(cast, campaign):
    client = cast.client_for("member")
    for data in ({"book": "x", "target_month": "2026-13"}, {"target_month": "2026-11"}, {}):
        response = client.post(reverse("activities:reading_plan", args=[campaign.pk]), data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not ReadingPlanItem.objects.exists()


def test_the_same_book_twice_is_refused(cast, campaign):
    book = make_book()
    client = cast.client_for("member")
    add(client, campaign, book)
    response = add(client, campaign, book, month="2026-12")
    assert response.status_code == 200 and "book" in response.context["form"].errors
    assert ReadingPlanItem.objects.count() == 1


def test_a_closed_campaign_plan_is_read_only(cast, campaign):
    client = cast.client_for("member")
    book = make_book()
    add(client, campaign, book)
    item = ReadingPlanItem.objects.get()
    campaign.status = ReadingCampaign.Status.CLOSED
    campaign.save()
    response = add(client, campaign, make_book("红岩"))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    client.post(reverse("activities:reading_plan_item_delete", args=[item.pk]))
    assert ReadingPlanItem.objects.count() == 1


def test_members_remove_their_own_items_only(cast, campaign):
    add(cast.client_for("member"), campaign, make_book())
    item = ReadingPlanItem.objects.get()
    assert (
        cast.client_for("colleague").post(reverse("activities:reading_plan_item_delete", args=[item.pk])).status_code
        == 404
    )
    assert (
        cast.client_for("member").post(reverse("activities:reading_plan_item_delete", args=[item.pk])).status_code
        == 302
    )
    assert not ReadingPlanItem.objects.exists()


def test_a_campaign_for_other_departments_has_no_plan_for_me(cast):
    campaign = make_campaign(cast.court, audience="units")
    campaign.departments.add(cast.organizer.department)
    assert cast.client_for("member").get(reverse("activities:reading_plan", args=[campaign.pk])).status_code == 404


pytestmark = pytest.mark.django_db
