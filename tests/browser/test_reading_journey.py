"""书香法院 end to end: a leader recommends a book and its poster appears; a member on a phone plans,
logs and writes a reflection; the organizer features it and it shows on 优秀心得."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from activities.models import Book, BookRecommendation, ReadingCampaign, ReadingLog, ReadingPlanItem, Reflection
from tests.activities.reading_factories import png_bytes
from tests.browser.conftest import image_size, login, shot


def no_csp_errors(page) -> None:
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_reading_campaign_journey(live_server, cast, password, browser_page, phone_page, chromium):
    today = timezone.localdate()
    campaign = ReadingCampaign.objects.create(
        court=cast.court,
        title="点燃读书热情·创建书香法院",
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year, 12, 31),
        goal_books=6,
        status=ReadingCampaign.Status.ACTIVE,
        initiative_letter="全院干警：读书使人明智，学习使人进步……",
    )
    book = Book.objects.create(title="乡土中国", author="费孝通", publisher="北京大学出版社", isbn="9787301134351")
    book.cover.save("cover.png", ContentFile(png_bytes((300, 420), (120, 60, 40))))
    Book.objects.create(title="红岩", author="罗广斌、杨益言")

    # 1. The court president recommends a book; its posters are drawn and shown.
    leader = browser_page
    login(leader, live_server, "leader", password)
    leader.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    leader.get_by_role("link", name="我要荐书").click()
    leader.select_option("#id_book", label="《乡土中国》")
    leader.fill("#id_recommender_title", "党组书记、院长")
    leader.fill(
        "#id_text",
        "《乡土中国》篇幅不长，却把基层社会的礼治秩序讲得透彻。办理婚姻家庭、邻里纠纷案件，读懂乡土人情，才能让判决既合法又合情。",
    )
    leader.get_by_role("button", name="推荐").click()
    leader.locator("#poster-landscape").wait_for()
    assert image_size(leader, "#poster-landscape") == (1920, 1080)
    assert image_size(leader, "#poster-portrait") == (1080, 1920)
    shot(leader, "reading-01-leader-recommendation-poster")
    no_csp_errors(leader)
    recommendation = BookRecommendation.objects.get()
    assert recommendation.posters_ready

    leader.goto(f"{live_server.url}/activities/reading/campaigns/{campaign.pk}/screen/")
    leader.wait_for_function("document.getElementById('screen-stage').dataset.ready === '1'")
    assert image_size(leader, "#screen-stage img.is-current")[0] == 1920
    shot(leader, "reading-02-screen-mode")
    no_csp_errors(leader)

    # 2. A member on a phone: plan the book, log reading in a few taps, write a reflection.
    phone = phone_page
    login(phone, live_server, "member", password)
    phone.wait_for_url(f"{live_server.url}/me/")
    phone.get_by_role("link", name="制定读书计划").click()
    phone.select_option("#id_book", label="《乡土中国》")
    phone.get_by_role("button", name="加入读书计划").click()
    phone.locator("#plan-items").get_by_text("《乡土中国》").wait_for()
    shot(phone, "reading-03-member-plan")
    assert ReadingPlanItem.objects.filter(plan__member=cast.member, book=book).exists()

    phone.goto(f"{live_server.url}/me/")
    assert phone.locator(f"#quick-book-{book.pk}").is_checked()  # the planned book is preselected
    shot(phone, "reading-04-my-learning-quick-log")
    # Taps from 我的学习: minutes (1), "finished" (2), save (3); the book and today are preselected.
    phone.locator("#quick-minutes").tap()
    phone.keyboard.type("45")
    phone.locator("label[for=quick-finished]").tap()
    with phone.expect_navigation():
        phone.locator("#quick-log-save").tap()
    assert "继续加油" in phone.content()
    log = ReadingLog.objects.get(member=cast.member)
    assert (log.book, log.minutes, log.finished, log.day) == (book, 45, True, today)
    no_csp_errors(phone)

    phone.get_by_role("link", name="写心得").first.click()
    phone.fill("#id_title", "读《乡土中国》有感")
    phone.select_option("#id_book", label="《乡土中国》")
    phone.select_option("#id_campaign", label=campaign.title)
    phone.fill(
        "#id_body", "**差序格局**让我重新理解了邻里纠纷。\n\n> 乡土社会是礼治的社会。\n\n<script>alert(1)</script>"
    )
    phone.locator("#reflection-submit").tap()
    phone.wait_for_url(f"{live_server.url}/activities/reading/reflections/*/")
    assert phone.locator(".reflection-body strong").inner_text() == "差序格局"
    assert "&lt;script&gt;" in phone.locator(".reflection-body").inner_html()
    shot(phone, "reading-05-member-reflection-submitted")
    reflection = Reflection.objects.get()
    assert reflection.status == Reflection.Status.SUBMITTED
    no_csp_errors(phone)

    # 3. The organizer features it; it shows on 优秀心得, and the author hears about it.
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    organizer = context.new_page()
    organizer.console_errors = []
    organizer.on("console", lambda msg: organizer.console_errors.append(msg.text) if msg.type == "error" else None)
    login(organizer, live_server, "organizer", password)
    organizer.wait_for_url(f"{live_server.url}/manage/")
    organizer.get_by_role("link", name="待审心得").click()
    organizer.get_by_role("link", name="读《乡土中国》有感").click()
    organizer.fill("#review-comment", "联系审判实际，写得很好。")
    organizer.locator("#review-feature").click()
    organizer.get_by_text("已评为优秀").wait_for()
    organizer.goto(f"{live_server.url}/activities/reading/featured/")
    assert "读《乡土中国》有感" in organizer.locator("#featured-list").inner_text()
    shot(organizer, "reading-06-featured-reflections")
    organizer.goto(f"{live_server.url}/activities/reading/campaigns/{campaign.pk}/dashboard/")
    assert "1" in organizer.locator("#campaign-figures").inner_text()
    shot(organizer, "reading-07-organizer-dashboard")
    no_csp_errors(organizer)
    context.close()

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.FEATURED
    phone.goto(f"{live_server.url}/activities/reading/featured/")
    assert "读《乡土中国》有感" in phone.locator("#featured-list").inner_text()
    assert cast.member.notifications.filter(kind="reading.reflection").exists()
    shot(phone, "reading-08-member-featured-list")
