"""Reading campaigns: organizers set them up (plan document, initiative letter, audience), activate
and close them; members see the campaigns meant for them."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from activities.models import ReadingCampaign
from activities.services.reading import reading_campaign_announce
from members.models import Notification
from tests.factories import make_group, make_member

from .reading_factories import make_campaign


def docx_bytes(text="点燃读书热情 创建书香法院 活动方案") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def campaign_data(**overrides) -> dict:
    data = {
        "title": "点燃读书热情·创建书香法院",
        "starts_on": "2026-05-01",
        "ends_on": "2026-12-31",
        "goal_books": "6",
        "audience": "court",
        "initiative_letter": "全院干警：读书使人明智……",
    }
    return {**data, **overrides}


def test_organizer_creates_a_campaign_with_its_plan_document(cast):
    client = cast.client_for("organizer")
    plan = docx_bytes()  # once: a .docx carries the time it was written
    response = client.post(
        reverse("activities:reading_campaign_create"),
        campaign_data(plan_document=SimpleUploadedFile("活动方案.docx", plan)),
    )
    campaign = ReadingCampaign.objects.get()
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    assert campaign.status == ReadingCampaign.Status.DRAFT
    assert campaign.court == cast.court and campaign.created_by == cast.organizer and campaign.goal_books == 6
    assert campaign.plan_document_name == "活动方案.docx"
    assert campaign.plan_document.name.startswith("reading/campaigns/")

    download = client.get(reverse("activities:reading_campaign_plan_document", args=[campaign.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == plan


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2026-04-01"}, "ends_on"),
        ({"ends_on": "2030-12-31"}, "ends_on"),
        ({"audience": "units"}, "departments"),
        ({"goal_books": "0"}, "goal_books"),
        ({"starts_on": "not a date"}, "starts_on"),
        ({"plan_document": SimpleUploadedFile("方案.pdf", b"<html>not a pdf</html>")}, "plan_document"),
        ({"plan_document": SimpleUploadedFile("方案.docx", b"%PDF-1.4\n%%EOF")}, "plan_document"),
    ],
)
def test_bad_campaign_input_gets_a_clear_error_and_writes_nothing(cast, overrides, field):
    response = cast.client_for("organizer").post(
        reverse("activities:reading_campaign_create"), campaign_data(**overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ReadingCampaign.objects.exists()


def test_departments_from_another_court_cannot_be_chosen(cast):
    response = cast.client_for("organizer").post(
        reverse("activities:reading_campaign_create"),
        campaign_data(audience="units", departments=[cast.other_department.pk]),
    )
    assert response.status_code == 200 and "departments" in response.context["form"].errors


def test_members_see_only_active_or_closed_campaigns_meant_for_them(cast):
    group = make_group(cast.court, "青年理论学习小组", members=[cast.colleague])
    political = cast.organizer.department
    for_department = make_campaign(cast.court, title="民一庭读书会", audience="units")
    for_department.departments.add(cast.department)
    for_group = make_campaign(cast.court, title="青年读书会", audience="units")
    for_group.study_groups.add(group)
    for_political = make_campaign(cast.court, title="政治部读书会", audience="units")
    for_political.departments.add(political)
    draft = make_campaign(cast.court, title="草稿", status=ReadingCampaign.Status.DRAFT)
    closed = make_campaign(cast.court, title="去年", status=ReadingCampaign.Status.CLOSED)
    whole = make_campaign(cast.court, title="全院")

    def seen(role):
        return set(ReadingCampaign.objects.visible_to(cast.person(role).user).values_list("title", flat=True))

    assert seen("member") == {"民一庭读书会", "去年", "全院"}
    assert seen("colleague") == {"民一庭读书会", "青年读书会", "去年", "全院"}
    assert seen("organizer") == {"民一庭读书会", "青年读书会", "政治部读书会", "草稿", "去年", "全院"}
    assert seen("city_leader") == seen("organizer")
    assert seen("outsider") == set()
    assert set(for_department.eligible_members()) == {cast.member, cast.colleague}
    assert set(for_group.eligible_members()) == {cast.colleague}
    assert cast.member in whole.eligible_members() and cast.outsider not in whole.eligible_members()
    assert draft.includes(cast.member) and not for_political.includes(cast.member)
    assert closed.includes(cast.member)


def test_squad_members_belong_to_a_campaign_for_the_parent_group(cast):
    group = make_group(cast.court, "研习小组")
    squad = make_group(cast.court, "第一小队", members=[cast.member])
    squad.parent = group
    squad.save()
    campaign = make_campaign(cast.court, audience="units")
    campaign.study_groups.add(group)
    assert list(campaign.eligible_members()) == [cast.member]
    assert campaign.includes(cast.member)
    assert ReadingCampaign.objects.visible_to(cast.member.user).filter(pk=campaign.pk).exists()


def test_inactive_members_are_not_eligible(cast):
    gone = make_member(cast.court, "退休干警", department=cast.department, is_active=False)
    assert gone not in make_campaign(cast.court).eligible_members()


def test_activating_a_campaign_tells_its_audience_once(cast, django_capture_on_commit_callbacks):
    campaign = make_campaign(cast.court, status=ReadingCampaign.Status.DRAFT)
    url = reverse("activities:reading_campaign_status", args=[campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("organizer").post(url, {"status": "active"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == ReadingCampaign.Status.ACTIVE
    notified = set(Notification.objects.filter(kind="reading.campaign").values_list("recipient__name", flat=True))
    assert notified == {"张明", "李静", "王芳", "赵院长"}
    assert reading_campaign_announce(campaign_id=campaign.pk) == 0  # the task run twice notifies nobody again
    assert Notification.objects.filter(kind="reading.campaign").count() == 4


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("draft", "active", True),
        ("active", "closed", True),
        ("closed", "active", True),
        ("draft", "closed", False),
        ("active", "draft", False),
        ("active", "nonsense", False),
    ],
)
def test_campaign_status_moves_forward_only(cast, start, target, allowed):
    campaign = make_campaign(cast.court, status=start)
    response = cast.client_for("organizer").post(
        reverse("activities:reading_campaign_status", args=[campaign.pk]), {"status": target}, follow=True
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == (target if allowed else start)
    if not allowed:
        assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_campaign_page_shows_plan_letter_recommendations_and_my_progress(cast):
    campaign = make_campaign(cast.court, goal_books=6, initiative_letter="全院干警：读书使人明智")
    page = cast.client_for("member").get(campaign.get_absolute_url())
    html = page.content.decode()
    assert "全院干警：读书使人明智" in html
    assert page.context["progress"].goal == 6
    assert reverse("activities:reading_plan", args=[campaign.pk]) in html
    assert reverse("activities:reading_campaign_dashboard", args=[campaign.pk]) not in html
    organizer_html = cast.client_for("organizer").get(campaign.get_absolute_url()).content.decode()
    assert 'id="campaign-participation"' in organizer_html and "0 / 4" in organizer_html
    assert reverse("activities:reading_campaign_dashboard", args=[campaign.pk]) in organizer_html
    assert reverse("activities:reading_campaign_export", args=[campaign.pk]) in organizer_html


def test_editing_can_replace_or_remove_the_plan_document(cast):
    client = cast.client_for("organizer")
    client.post(
        reverse("activities:reading_campaign_create"),
        campaign_data(plan_document=SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF\n")),
    )
    campaign = ReadingCampaign.objects.get()
    first = campaign.plan_document.name
    storage = campaign.plan_document.storage
    url = reverse("activities:reading_campaign_edit", args=[campaign.pk])
    client.post(url, campaign_data(title="新标题"))  # no file: the document stays
    campaign.refresh_from_db()
    assert campaign.title == "新标题" and campaign.plan_document.name == first
    client.post(url, campaign_data(plan_document=SimpleUploadedFile("方案2.docx", docx_bytes())))
    campaign.refresh_from_db()
    assert campaign.plan_document_name == "方案2.docx" and not storage.exists(first)
    client.post(url, campaign_data(**{"plan_document-clear": "on"}))
    campaign.refresh_from_db()
    assert not campaign.plan_document and campaign.plan_document_name == ""


pytestmark = pytest.mark.django_db
