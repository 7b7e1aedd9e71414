"""Research outputs (调研成果): ordered authors, attachments, levels and recognition, comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Comment
from activities.models.plans import OutputAuthor, ResearchOutput
from members.models import Notification

from .plans_fixtures import clock_fixture, docx_upload, make_output, pdf_upload  # noqa: F401


def output_data(cast, **overrides):
    data = {
        "kind": "typical_case",
        "title": "以“小案例”讲述“大道理”:高空抛物案评析",
        "date": "2026-08-12",
        "outlet": "吉林法制报",
        "level": "provincial",
        "recognition": "adopted",
        "recognition_note": "",
        "abstract": "运用习近平法治思想剖析高空抛物案件。",
        "body": "",
        "authors-TOTAL_FORMS": "3",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "20",
        "authors-0-member": str(cast.member.pk),
        "authors-1-name": "王教授",
        "authors-1-affiliation": "吉林大学法学院",
        "authors-2-member": str(cast.colleague.pk),
    }
    data.update(overrides)
    return data


def test_member_records_an_output_with_ordered_authors_and_attachment(cast):
    client = cast.client_for("member")
    assert client.get(reverse("activities:output_create")).status_code == 200
    response = client.post(
        reverse("activities:output_create"), {**output_data(cast), "attachment": pdf_upload("案例.pdf")}
    )
    output = ResearchOutput.objects.get()
    assert response.url == output.get_absolute_url()
    assert output.court == cast.court and output.created_by == cast.member
    assert [(a.position, a.name, a.member_id) for a in output.authors.all()] == [
        (1, "张明", cast.member.pk),
        (2, "王教授", None),
        (3, "李静", cast.colleague.pk),
    ]
    assert output.author_names == "张明、王教授(吉林大学法学院)、李静"
    assert output.attachment_name == "案例.pdf"
    assert output.attachment.read().startswith(b"%PDF-")
    page = client.get(output.get_absolute_url()).content.decode()
    assert "吉林法制报" in page and "王教授" in page


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"authors-0-member": "", "authors-2-member": ""}, "no member author"),
        ({"authors-2-member": "SAME"}, "same member twice"),
        ({"authors-0-name": "张明"}, "member and outside name in one row"),
        ({"date": "2099-01-01"}, "date in the future"),
        ({"date": "2026-02-30"}, "no such date"),
        ({"date": "yesterday"}, "not a date"),
        ({"kind": "poem"}, "unknown kind"),
        ({"level": "galactic"}, "unknown level"),
        ({"title": ""}, "no title"),
        ({"authors-0-member": "999999"}, "unknown member"),
        ({"authors-TOTAL_FORMS": "oops"}, "broken formset"),
    ],
)
def test_bad_output_input_gets_an_error_and_writes_nothing(cast, overrides, why):
    data = output_data(cast)
    for key, value in overrides.items():
        data[key] = str(cast.member.pk) if value == "SAME" else value
    response = cast.client_for("member").post(reverse("activities:output_create"), data)
    assert response.status_code == 200, why
    assert not ResearchOutput.objects.exists(), why
    assert not OutputAuthor.objects.exists(), why


def test_author_from_another_court_is_refused(cast):
    data = output_data(cast, **{"authors-2-member": str(cast.outsider.pk)})
    response = cast.client_for("member").post(reverse("activities:output_create"), data)
    assert response.status_code == 200
    assert not ResearchOutput.objects.exists()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100), "document_type"),
        (SimpleUploadedFile("fake.pdf", b"<html><script>alert(1)</script></html>"), "document_type"),
        (SimpleUploadedFile("report.docx", b"%PDF-1.4\n%%EOF\n"), "extension_mismatch"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_bad_attachment_gets_a_clear_error_and_writes_nothing(cast, media_root, upload, code):
    response = cast.client_for("member").post(
        reverse("activities:output_create"), {**output_data(cast), "attachment": upload}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["attachment"]] == [code]
    assert not ResearchOutput.objects.exists()
    assert not any(media_root.rglob("*.*")) if media_root.exists() else True


def test_docx_attachment_is_accepted(cast):
    cast.client_for("member").post(
        reverse("activities:output_create"), {**output_data(cast), "attachment": docx_upload()}
    )
    assert ResearchOutput.objects.get().attachment.name.endswith(".docx")


def test_authors_can_edit_others_cannot(cast):
    output = make_output(cast.court, cast.member)
    edit = reverse("activities:output_edit", args=[output.pk])
    assert cast.client_for("member").get(edit).status_code == 200
    assert cast.client_for("organizer").get(edit).status_code == 200
    assert cast.client_for("colleague").get(edit).status_code == 403
    assert cast.client_for("leader").get(edit).status_code == 403
    assert cast.client_for("outsider").get(edit).status_code == 404
    response = cast.client_for("colleague").post(edit, output_data(cast, title="改标题"))
    assert response.status_code == 403
    output.refresh_from_db()
    assert output.title == "论司法为民"


def test_author_edits_and_reorders_authors(cast):
    output = make_output(cast.court, cast.member)
    data = output_data(cast, title="论司法为民(修订)")
    data.update({"authors-0-member": str(cast.colleague.pk), "authors-2-member": str(cast.member.pk)})
    response = cast.client_for("member").post(reverse("activities:output_edit", args=[output.pk]), data)
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.title == "论司法为民(修订)"
    assert list(output.authors.values_list("name", flat=True)) == ["李静", "王教授", "张明"]


def test_attachment_download_is_checked(cast):
    output = make_output(cast.court, cast.member)
    url = reverse("activities:output_file", args=[output.pk])
    assert cast.client_for("member").get(url).status_code == 404  # no attachment yet
    cast.client_for("member").post(
        reverse("activities:output_edit", args=[output.pk]), {**output_data(cast), "attachment": pdf_upload()}
    )
    response = cast.client_for("colleague").get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert cast.client_for("outsider").get(url).status_code == 404


def test_author_deletes_an_output(cast):
    output = make_output(cast.court, cast.member)
    assert cast.client_for("colleague").post(reverse("activities:output_delete", args=[output.pk])).status_code == 403
    assert cast.client_for("member").post(reverse("activities:output_delete", args=[output.pk])).status_code == 302
    assert not ResearchOutput.objects.exists()


def test_list_filters_and_counts_by_kind(cast):
    for i in range(3):
        make_output(cast.court, cast.member, title=f"论文{i}")
    make_output(cast.court, cast.colleague, title="典型案例一", kind=ResearchOutput.Kind.TYPICAL_CASE, level="city")
    make_output(cast.other_court, cast.outsider, title="外院论文")
    client = cast.client_for("member")
    response = client.get(reverse("activities:output_list"))
    kinds = ResearchOutput.Kind
    assert response.context["counts"] == [(kinds.PAPER.label, 3), (kinds.TYPICAL_CASE.label, 1)]
    assert "外院论文" not in response.content.decode()
    assert [
        o.title for o in client.get(reverse("activities:output_list"), {"kind": "typical_case"}).context["page"]
    ] == ["典型案例一"]
    assert len(client.get(reverse("activities:output_list"), {"mine": "on"}).context["page"]) == 3
    assert len(client.get(reverse("activities:output_list"), {"q": "李静"}).context["page"]) == 1
    assert client.get(reverse("activities:output_list"), {"year": "abc"}).status_code == 200
    # The city leader reads the lower court's outputs; the outsider cannot pick our court.
    assert (
        cast.client_for("city_leader").get(reverse("activities:output_list"), {"court": cast.court.pk}).status_code
        == 200
    )
    assert (
        cast.client_for("outsider").get(reverse("activities:output_list"), {"court": cast.court.pk}).status_code == 404
    )


@pytest.mark.parametrize("n", [2, 25])
def test_output_list_queries_do_not_grow(cast, django_assert_max_num_queries, n):
    for i in range(n):
        output = make_output(cast.court, cast.member, title=f"成果{i}", date=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        output.authors.create(position=2, name="外单位", affiliation="某大学")
    client = cast.client_for("member")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("activities:output_list")).status_code == 200


def test_leader_comments_on_an_output_and_it_shows_on_the_profile(cast):
    output = make_output(cast.court, cast.member)
    ct = ContentType.objects.get_for_model(output).pk
    response = cast.client_for("leader").post(
        reverse("activities:comment_add", args=[ct, output.pk]), {"text": "选题紧扣实际,建议推荐至省院"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().owner == cast.member
    assert Notification.objects.filter(recipient=cast.member, kind="comment").exists()
    # Colleagues see outputs, so they see the comment on the member's learning profile too.
    profile = cast.client_for("colleague").get(cast.member.get_absolute_url()).content.decode()
    assert "选题紧扣实际" in profile
    # A plain member cannot comment.
    assert (
        cast.client_for("colleague")
        .post(reverse("activities:comment_add", args=[ct, output.pk]), {"text": "x"})
        .status_code
        == 403
    )
