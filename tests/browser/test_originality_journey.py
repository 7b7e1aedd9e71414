"""The organizer turns the originality check on, a colleague copies a reflection, and the organizer
sees the copy's source highlighted side by side; the writer of the copy sees nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import OriginalityCheck
from activities.services.reading import reflection_create
from tests.activities.reading_factories import make_book
from tests.activities.test_originality import COPY, ORIGINAL
from tests.browser.conftest import login, shot


@pytest.mark.django_db(transaction=True)
def test_organizer_turns_the_check_on_and_sees_a_copied_reflection_side_by_side(
    live_server, cast, password, browser_page, phone_page
):
    page = browser_page
    login(page, live_server, "organizer", password)
    page.goto(f"{live_server.url}{reverse('members:court_originality', args=[cast.court.pk])}")
    page.locator("input[name=originality_check]").check()
    page.locator("input[name=originality_threshold]").fill("30")
    with page.expect_navigation():
        page.locator("#originality-form [type=submit]").click()
    cast.court.refresh_from_db()
    assert cast.court.originality_check and cast.court.originality_threshold == 30

    # Two colleagues hand in their reflections; the check runs after each commit (in-process here).
    book = make_book()
    original = reflection_create(
        author=cast.member, title="读《乡土中国》有感", body=ORIGINAL, now=timezone.now(), book=book, submit=True
    )
    copy = reflection_create(
        author=cast.colleague, title="读书心得", body=COPY, now=timezone.now(), book=book, submit=True
    )
    assert OriginalityCheck.objects.get(kind="reflection", object_id=copy.pk).similarity >= 70

    page.goto(f"{live_server.url}{reverse('activities:reading_reflection_detail', args=[copy.pk])}")
    summary = page.locator("#originality-summary")
    assert "相似度" in summary.inner_text() and original.title in summary.inner_text()
    shot(page, "originality-panel-desk")
    with page.expect_navigation():
        page.locator("a.originality-compare").first.click()
    assert page.locator("#compare-text mark").count() >= 2
    assert page.locator("#compare-source mark").count() >= 2
    assert "差序格局" in page.locator("#compare-source").inner_text()
    shot(page, "originality-compare-desk")

    # The colleague who copied sees their reflection without any of it.
    login(phone_page, live_server, cast.colleague.user.username, password)
    phone_page.goto(f"{live_server.url}{reverse('activities:reading_reflection_detail', args=[copy.pk])}")
    assert phone_page.locator("#originality").count() == 0
    assert "相似" not in phone_page.locator("main").inner_text()
