"""读书心得 / 学习体会: sanitized Markdown, draft → submitted → featured or returned, comments (点评),
notifications, and the court's 优秀心得 page."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from activities.models import Reflection
from activities.services.reading import render_markdown
from members.models import Notification

from .reading_factories import make_book, make_campaign, make_reflection


def write(client, **data):
    defaults = {"title": "读《乡土中国》有感", "body": "差序格局讲的是……", "action": "submit"}
    return client.post(reverse("activities:reading_reflection_create"), {**defaults, **data})


# --- Markdown, never raw HTML ---------------------------------------------------------------


def test_markdown_is_rendered_and_raw_html_is_shown_as_text():
    html = render_markdown(
        "**重点**\n\n- 一\n- 二\n\n> 学而不思则罔\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)">\n\n[链接](javascript:alert(3)) [官网](https://www.court.gov.cn)'
    )
    assert "<strong>重点</strong>" in html and "<li>一</li>" in html and "<blockquote>" in html
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://www.court.gov.cn"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_single_line_breaks_are_kept_for_chinese_paragraphs():
    assert "<br" in render_markdown("第一行\n第二行")


# --- the workflow ---------------------------------------------------------------------------


def test_member_writes_and_submits_a_reflection_on_a_book(cast):
    book = make_book()
    response = write(cast.client_for("member"), book=book.pk, body="**差序格局**<b onclick=x>")
    reflection = Reflection.objects.get()
    assert response.status_code == 302 and response.url == reflection.get_absolute_url()
    assert reflection.status == Reflection.Status.SUBMITTED and reflection.submitted_at
    assert reflection.author == cast.member and reflection.book == book
    assert "<strong>差序格局</strong>" in reflection.body_html and "<b onclick" not in reflection.body_html
    page = cast.client_for("member").get(reflection.get_absolute_url()).content.decode()
    assert "<strong>差序格局</strong>" in page and "<b onclick" not in page


def test_a_draft_stays_private_until_submitted(cast):
    write(cast.client_for("member"), book=make_book().pk, action="draft")
    reflection = Reflection.objects.get()
    assert reflection.status == Reflection.Status.DRAFT
    assert cast.client_for("organizer").get(reflection.get_absolute_url()).status_code == 404
    cast.client_for("member").post(reverse("activities:reading_reflection_submit", args=[reflection.pk]))
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUBMITTED
    assert cast.client_for("organizer").get(reflection.get_absolute_url()).status_code == 200


def test_a_reflection_links_to_a_book_or_a_campaign(cast):
    response = write(cast.client_for("member"))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    campaign = make_campaign(cast.court)
    assert write(cast.client_for("member"), campaign=campaign.pk).status_code == 302
    assert Reflection.objects.get().campaign == campaign


def test_a_campaign_not_meant_for_me_cannot_be_chosen(cast):
    other = make_campaign(cast.court, audience="units")
    other.departments.add(cast.organizer.department)
    response = write(cast.client_for("member"), campaign=other.pk)
    assert response.status_code == 200 and "campaign" in response.context["form"].errors
    assert not Reflection.objects.exists()


def test_an_attachment_is_checked_by_content(cast):
    document = Document()
    document.add_paragraph("心得全文")
    out = io.BytesIO()
    document.save(out)
    client = cast.client_for("member")
    bad = write(client, book=make_book().pk, attachment=SimpleUploadedFile("心得.docx", b"<html>x</html>"))
    assert bad.status_code == 200 and "attachment" in bad.context["form"].errors
    assert not Reflection.objects.exists()
    write(client, book=make_book("红岩").pk, attachment=SimpleUploadedFile("心得.docx", out.getvalue()))
    reflection = Reflection.objects.get()
    assert reflection.attachment_name == "心得.docx"
    download = client.get(reverse("activities:reading_reflection_attachment", args=[reflection.pk]))
    assert download["Content-Disposition"].startswith("attachment")


def test_organizer_features_a_reflection_and_the_author_is_notified(cast):
    reflection = make_reflection(cast.member)
    colleague = cast.client_for("colleague")
    assert colleague.get(reflection.get_absolute_url()).status_code == 404  # not yet for everyone
    response = cast.client_for("organizer").post(
        reverse("activities:reading_reflection_review", args=[reflection.pk]), {"action": "feature"}
    )
    assert response.status_code == 302
    reflection.refresh_from_db()
    assert (
        reflection.status == Reflection.Status.FEATURED
        and reflection.featured_at
        and reflection.reviewed_by == cast.organizer
    )
    note = Notification.objects.get(recipient=cast.member, kind="reading.reflection")
    assert reflection.title in note.text and note.url == reflection.get_absolute_url()
    featured = colleague.get(reverse("activities:reading_featured_list"))
    assert [r.pk for r in featured.context["page"]] == [reflection.pk]
    assert colleague.get(reflection.get_absolute_url()).status_code == 200
    assert (
        cast.client_for("outsider").get(reverse("activities:reading_featured_list")).context["page"].paginator.count
        == 0
    )
    city = cast.client_for("city_leader").get(reverse("activities:reading_featured_list"))
    assert city.context["page"].paginator.count == 1


def test_returning_needs_a_comment_and_the_author_revises_and_resubmits(cast):
    reflection = make_reflection(cast.member)
    organizer = cast.client_for("organizer")
    url = reverse("activities:reading_reflection_review", args=[reflection.pk])
    organizer.post(url, {"action": "return", "comment": ""})
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUBMITTED
    organizer.post(url, {"action": "return", "comment": "请结合审判工作实际再谈一谈。"})
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.RETURNED and "审判工作" in reflection.review_comment
    assert "审判工作" in Notification.objects.get(recipient=cast.member).text

    member = cast.client_for("member")
    edit = reverse("activities:reading_reflection_edit", args=[reflection.pk])
    assert "审判工作" in member.get(edit).content.decode()
    member.post(
        edit, {"title": reflection.title, "book": reflection.book_id, "body": "结合审判工作……", "action": "submit"}
    )
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUBMITTED and "审判工作" in reflection.body_html


def test_a_submitted_reflection_is_locked_and_only_drafts_are_deleted(cast):
    reflection = make_reflection(cast.member)
    client = cast.client_for("member")
    client.post(
        reverse("activities:reading_reflection_edit", args=[reflection.pk]),
        {"title": "改标题", "book": reflection.book_id, "body": "x", "action": "draft"},
    )
    client.post(reverse("activities:reading_reflection_delete", args=[reflection.pk]))
    reflection.refresh_from_db()
    assert reflection.title != "改标题"
    draft = make_reflection(cast.member, status=Reflection.Status.DRAFT)
    client.post(reverse("activities:reading_reflection_delete", args=[draft.pk]))
    assert not Reflection.objects.filter(pk=draft.pk).exists()


def test_only_organizers_of_the_court_review(cast):
    reflection = make_reflection(cast.member)
    url = reverse("activities:reading_reflection_review", args=[reflection.pk])
    assert cast.client_for("member").post(url, {"action": "feature"}).status_code == 403
    assert cast.client_for("leader").post(url, {"action": "feature"}).status_code == 403
    assert cast.client_for("outsider").post(url, {"action": "feature"}).status_code == 404
    assert cast.client_for("organizer").post(url, {"action": "bogus"}).status_code == 302
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUBMITTED


def test_unfeaturing_takes_it_off_the_page(cast):
    reflection = make_reflection(cast.member, status=Reflection.Status.FEATURED)
    cast.client_for("organizer").post(
        reverse("activities:reading_reflection_review", args=[reflection.pk]), {"action": "unfeature"}
    )
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUBMITTED and reflection.featured_at is None


def test_leaders_comment_and_the_author_is_notified(cast):
    reflection = make_reflection(cast.member)
    page = cast.client_for("leader").get(reflection.get_absolute_url()).content.decode()
    content_type = ContentType.objects.get_for_model(Reflection)
    action = reverse("activities:comment_add", args=[content_type.pk, reflection.pk])
    assert action in page  # {% comment_thread reflection %} offers the form
    response = cast.client_for("leader").post(action, {"text": "结合实际，写得很好。"})
    assert response.status_code == 302 and response.url == reflection.get_absolute_url()
    assert Notification.objects.filter(recipient=cast.member, kind="comment").exists()
    assert "写得很好" in cast.client_for("member").get(reflection.get_absolute_url()).content.decode()
    assert cast.client_for("colleague").post(action, {"text": "我也来评"}).status_code == 404


def test_review_queue_lists_submitted_reflections_of_the_court(cast):
    waiting = make_reflection(cast.member)
    make_reflection(cast.member, status=Reflection.Status.DRAFT, title="草稿")
    make_reflection(cast.outsider, title="别院的心得")
    page = cast.client_for("organizer").get(reverse("activities:reading_reflection_review_list"))
    assert [r.pk for r in page.context["page"]] == [waiting.pk]
    assert (
        cast.client_for("organizer")
        .get(reverse("activities:reading_reflection_review_list"), {"status": "x"})
        .status_code
        == 200
    )


pytestmark = pytest.mark.django_db
