"""A leader opens the dashboard, drills down to a department and a member's learning profile,
and downloads the Word summary draft."""

from __future__ import annotations

from django.utils import timezone
from docx import Document

from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.activities.reading_factories import make_book, make_log
from tests.browser.conftest import login, shot


def test_leader_drills_down_and_downloads_the_word_summary(live_server, cast, password, browser_page):
    page = browser_page
    this_month = Period.containing(MONTH, timezone.localdate())
    book = make_book()
    make_log(cast.member, book, day=timezone.localdate(), finished=True)
    make_log(cast.colleague, book, day=timezone.localdate())
    summary_build(court=cast.court, period=this_month)

    login(page, live_server, "leader", password)
    page.wait_for_url(f"{live_server.url}/reports/dashboard/")
    assert page.locator("#trend-chart").is_visible()
    shot(page, "reports-1-dashboard")
    assert "民一庭" in page.content()

    page.get_by_role("link", name="民一庭").first.click()
    page.wait_for_url("**/department/**")
    shot(page, "reports-2-department")
    page.get_by_role("link", name=cast.member.name).click()
    page.wait_for_url("**/profile/**")
    shot(page, "reports-3-learning-profile")
    assert this_month.label in page.content() or this_month.key in page.content()

    page.goto(f"{live_server.url}/reports/dashboard/")
    with page.expect_download() as download_info:
        page.locator("a[href*='summary.docx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in Document(str(download.path())).paragraphs)
    assert cast.court.name in text
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
