"""A leader opens the 驾驶舱 on a phone and at a desk: reads the period's highlights by name,
changes the figure the departments are compared on, opens the full table, drills down into a
department and a member's learning profile, and downloads the Word summary draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from docx import Document

from activities.models import Session
from members.models import Department
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.activities.reading_factories import make_book, make_log
from tests.activities.sessions_factories import attended, make_session
from tests.browser.conftest import login, shot
from tests.factories import make_member
from tests.reports.dashboard_facts import busy_month, facts_stored


def half_a_year_of_learning(cast) -> Period:
    """Three departments reading and meeting for six months, each month built; returns this month."""
    this_month = Period.containing(MONTH, timezone.localdate())
    criminal = Department.objects.create(court=cast.court, name="刑事审判庭")
    enforcement = Department.objects.create(court=cast.court, name="执行局")
    readers = [cast.member, cast.colleague]
    readers += [make_member(cast.court, name, department=criminal) for name in ("周强", "吴敏", "郑涛")]
    readers += [make_member(cast.court, name, department=enforcement) for name in ("孙丽", "钱进")]
    books = [make_book(title) for title in ("乡土中国", "红岩", "法治的细节")]
    for age, period in enumerate(reversed(this_month.back(6))):
        day = period.start + dt.timedelta(days=1)
        for n, reader in enumerate(readers[: len(readers) - age % 3]):
            make_log(reader, books[n % 3], day=day, finished=(n + age) % 2 == 0)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        if start < timezone.now():
            session = make_session(
                cast.court,
                start=start,
                title="周一学习例会",
                speakers=(readers[age],),
                status=Session.Status.HELD,
                unit_department=criminal if age % 2 else cast.department,
            )
            for reader in readers[: 4 + age % 3]:
                attended(session, reader)
        summary_build(court=cast.court, period=period)
    return this_month


def no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


def legend_below_plot(page, canvas_id: str) -> None:
    chart = page.evaluate(
        """id => { const c = Chart.getChart(document.getElementById(id));
                   return {legend: c.legend.top, plot: c.chartArea.bottom, width: c.width,
                           box: c.canvas.parentNode.clientWidth, position: c.options.plugins.legend.position}; }""",
        canvas_id,
    )
    assert chart["position"] == "bottom" and chart["legend"] >= chart["plot"], chart
    assert chart["width"] <= chart["box"], chart


@pytest.fixture
def court_at_work(cast, monkeypatch):
    this_month = half_a_year_of_learning(cast)
    facts_stored(monkeypatch, {cast.court.pk: busy_month(cast.court, this_month)})
    return this_month


def test_leader_reads_the_dashboard_on_a_phone_and_drills_down(live_server, cast, password, phone_page, court_at_work):
    page = phone_page
    login(page, live_server, "leader", password)
    page.wait_for_url(f"{live_server.url}/reports/dashboard/")

    # Highlights first, by name.
    highlights = page.locator("#highlights")
    assert highlights.get_by_text("论坛之星").is_visible()
    assert highlights.get_by_text("“周分享演讲比赛”论坛之星：张明（民一庭）《我和我热爱的岗位》").is_visible()
    assert highlights.locator(".highlight").first.bounding_box()["y"] < page.locator("#kpis-title").bounding_box()["y"]
    page.locator(".highlights-more summary").click()
    assert highlights.get_by_text("我和我热爱的岗位（第9期）", exact=False).is_visible()
    # Key figures two by two, with the previous period's value.
    tiles = page.locator(".kpi")
    first, second, third = (tiles.nth(i).bounding_box() for i in range(3))
    assert first["y"] == second["y"] < third["y"] and second["x"] > first["x"]
    assert "上期" in tiles.first.inner_text()
    # Two charts sized to the phone, their legends under the plot.
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-rates'))")
    legend_below_plot(page, "chart-counts")
    legend_below_plot(page, "chart-rates")
    no_sideways_scrolling(page)
    shot(page, "reports-1-dashboard-phone")

    # Compare the departments on books finished instead.
    page.select_option("#compare-metric", "books_finished")
    page.wait_for_url("**compare=books_finished**")
    bars = page.locator(".compare-bar")
    names = [bars.nth(i).locator(".compare-name").inner_text() for i in range(bars.count())]
    values = [int(bars.nth(i).locator(".compare-value").inner_text()) for i in range(bars.count())]
    assert values == sorted(values, reverse=True) and set(names) >= {"民一庭", "刑事审判庭", "执行局"}
    # Back at the section, not at the top of the page.
    # (Bootstrap scrolls smoothly: wait until the section has come into view.)
    page.wait_for_function(
        "() => { const top = document.getElementById('compare').getBoundingClientRect().top;"
        " return top >= 0 && top < window.innerHeight / 2; }"
    )
    shot(page, "reports-2-compare-books-phone")

    # The full table: one tap, it scrolls inside its own box, never the page.
    page.locator("#full-table summary").click()
    table_box = page.locator("#full-table .table-scroll")
    assert table_box.is_visible()
    assert table_box.evaluate("el => el.scrollWidth > el.clientWidth")
    no_sideways_scrolling(page)
    table_box.screenshot(path=str(shot(page, "reports-3-full-table-phone")).replace(".png", "-box.png"))

    # Drill down into a department, then a member's learning profile.
    page.locator(".compare-bar", has_text="刑事审判庭").click()
    page.wait_for_url("**/department/**")
    assert "周强" in page.content()
    shot(page, "reports-4-department-phone")
    page.get_by_role("link", name="周强").click()
    page.wait_for_url("**/profile/**")
    assert court_at_work.label in page.content() or court_at_work.key in page.content()
    shot(page, "reports-5-learning-profile-phone")

    # A period nobody built is built as the page opens: it says when, never a silent zero.
    never_built = court_at_work.back(9)[0]
    page.goto(f"{live_server.url}/reports/dashboard/?period={never_built.key}")
    assert page.locator("#not-built").count() == 0
    assert "数据更新于" in page.locator("main").inner_text()
    no_sideways_scrolling(page)
    shot(page, "reports-7-earlier-period-phone")
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_leader_reads_the_dashboard_at_a_desk_and_downloads_the_word_summary(
    live_server, cast, password, browser_page, court_at_work
):
    page = browser_page
    login(page, live_server, "leader", password)
    page.wait_for_url(f"{live_server.url}/reports/dashboard/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-rates'))")
    legend_below_plot(page, "chart-counts")
    legend_below_plot(page, "chart-rates")
    # The two charts side by side.
    counts, rates = page.locator("#chart-counts").bounding_box(), page.locator("#chart-rates").bounding_box()
    assert counts["y"] == rates["y"] and counts["x"] < rates["x"]
    no_sideways_scrolling(page)
    shot(page, "reports-6-dashboard-desktop")

    # The draft opens in the browser first; the leader reads it, then downloads the Word file.
    page.locator("a[href*='/summary/']").first.click()
    page.wait_for_url("**/summary/**")
    assert cast.court.name in page.locator("main").inner_text()
    shot(page, "reports-8-summary-preview-desktop")
    with page.expect_download() as download_info:
        page.locator("a[href*='summary.docx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in Document(str(download.path())).paragraphs)
    assert cast.court.name in text
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
