"""The organizer's campaign dashboard and Excel export: outputs counted, encouragement not shame,
individual rankings only when the court turns them on."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Donation, DonationItem, PartnerOrganization, ReadingPlan, ReadingPlanItem, Reflection
from activities.selectors.reading import campaign_figures
from members.models import Notification

from .reading_factories import TODAY, make_book, make_campaign, make_log, make_reflection


@pytest.fixture
def scenario(cast):
    campaign = make_campaign(cast.court)
    a, b = make_book("乡土中国"), make_book("红岩")
    plan = ReadingPlan.objects.create(member=cast.member, campaign=campaign)
    ReadingPlanItem.objects.create(plan=plan, book=a, target_month=dt.date(2026, 11, 1))
    ReadingPlanItem.objects.create(plan=plan, book=b, target_month=dt.date(2026, 12, 1))
    make_log(cast.member, a, day=dt.date(2026, 11, 5), minutes=60, finished=True)
    make_log(cast.member, a, day=dt.date(2026, 11, 6), minutes=30, finished=True)  # the same book again
    make_log(cast.member, b, day=dt.date(2026, 10, 1), minutes=None, pages=40)
    make_log(cast.member, b, day=dt.date(2025, 12, 31), minutes=45, finished=True)  # before the campaign
    make_log(cast.colleague, b, day=dt.date(2026, 10, 15), minutes=20)
    make_log(cast.outsider, a, day=dt.date(2026, 11, 5), minutes=50, finished=True)  # not in the audience
    make_reflection(cast.member, campaign=campaign, book=a)
    make_reflection(cast.member, campaign=campaign, book=a, status=Reflection.Status.FEATURED, title="优秀")
    make_reflection(cast.colleague, campaign=campaign, book=a, status=Reflection.Status.DRAFT, title="草稿")
    partner = PartnerOrganization.objects.create(court=cast.court, name="巴彦社区")
    donation = Donation.objects.create(court=cast.court, partner=partner, campaign=campaign, day=dt.date(2026, 6, 1))
    DonationItem.objects.bulk_create(
        [
            DonationItem(donation=donation, title="民法典", count=10),
            DonationItem(donation=donation, title="百科", count=20),
        ]
    )
    return campaign


def test_figures_count_what_the_audience_produced_during_the_campaign(cast, scenario):
    figures = campaign_figures(scenario, today=TODAY)
    assert figures.eligible == 4  # member, colleague, organizer, leader
    assert figures.participating == 2 and figures.participation_percent == 50
    assert figures.with_plan == 1
    assert figures.books_finished == 1
    assert figures.logs == 4 and figures.minutes == 110 and figures.pages == 40
    assert (figures.reflections_submitted, figures.reflections_featured) == (2, 1)
    assert (figures.donations, figures.donated_copies) == (1, 30)
    assert {m.name for m in figures.without_reading_this_month} == {"李静", "王芳", "赵院长"}
    assert {m.name for m in figures.without_plan} == {"李静", "王芳", "赵院长"}
    departments = {d.name: (d.eligible, d.participating, d.finished) for d in figures.departments}
    assert departments == {"民一庭": (2, 2, 1), "政治部": (2, 0, 0)}
    assert figures.top_readers is None


def test_top_readers_only_when_the_court_turns_rankings_on(cast, scenario):
    cast.court.rankings_enabled = True
    cast.court.save()
    scenario.refresh_from_db()
    figures = campaign_figures(scenario, today=TODAY)
    assert [m.name for m in figures.top_readers] == ["张明"]
    page = cast.client_for("organizer").get(reverse("activities:reading_campaign_dashboard", args=[scenario.pk]))
    assert page.context["figures"].top_readers is not None


def test_dashboard_has_no_individual_board_by_default(cast, scenario):
    page = cast.client_for("leader").get(reverse("activities:reading_campaign_dashboard", args=[scenario.pk]))
    assert page.status_code == 200
    assert page.context["figures"].top_readers is None
    assert 'id="top-readers"' not in page.content.decode()


def test_members_with_no_reading_this_month_get_one_friendly_reminder(cast, scenario):
    make_log(cast.member, make_book("万历十五年"), day=timezone.localdate(), minutes=10)
    url = reverse("activities:reading_campaign_encourage", args=[scenario.pk])
    client = cast.client_for("organizer")
    assert client.post(url).status_code == 302
    reminded = set(Notification.objects.filter(kind="reading.encourage").values_list("recipient__name", flat=True))
    assert reminded == {"李静", "王芳", "赵院长"}
    client.post(url)  # a second click the same month reminds nobody twice
    assert Notification.objects.filter(kind="reading.encourage").count() == 3
    assert cast.client_for("leader").post(url).status_code == 403


def test_excel_export_has_chinese_headers_numbers_and_a_frozen_header(cast, scenario):
    response = cast.client_for("organizer").get(reverse("activities:reading_campaign_export", args=[scenario.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].startswith("attachment") and ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["概况", "部门", "成员"]
    summary, departments, members = (workbook[name] for name in workbook.sheetnames)
    for sheet in (summary, departments, members):
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
    assert [c.value for c in members[1]][:4] == ["姓名", "工号", "部门", "是否参与"]
    rows = {row[0]: row for row in members.iter_rows(min_row=2, values_only=True)}
    zhang = rows["张明"]
    assert zhang[4] == 2 and isinstance(zhang[4], int)  # books in plan, a number
    assert zhang[7] == 90 and isinstance(zhang[7], int)  # minutes read (from the campaign's start on)
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert values["可参与人数"] == 4 and values["捐赠图书（册）"] == 30


pytestmark = pytest.mark.django_db
