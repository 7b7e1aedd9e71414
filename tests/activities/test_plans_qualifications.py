"""Qualifications on the member's record (e.g. 家庭教育指导师), counts per unit, and the learning profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Comment
from activities.models.plans import PLAN_TZ, MemberOutcome, Qualification
from members.models import Department

from ..factories import make_member
from .plans_fixtures import clock_fixture, make_output, make_plan, pdf_upload, png_upload  # noqa: F401

NOW = dt.datetime(2027, 3, 10, 10, 0, tzinfo=PLAN_TZ)


def data(**overrides):
    values = {
        "name": "家庭教育指导师",
        "issuer": "中国家庭教育学会",
        "issued_on": "2026-09-01",
        "number": "JT-2026-0117",
    }
    values.update(overrides)
    return values


def test_member_adds_a_qualification_with_a_photo(cast, clock):
    clock.set(NOW)
    client = cast.client_for("member")
    assert client.get(reverse("activities:qualification_create")).status_code == 200
    response = client.post(reverse("activities:qualification_create"), {**data(), "file": png_upload("证书.png")})
    assert response.url == reverse("activities:qualification_list")
    q = Qualification.objects.get()
    assert (q.member, q.name, q.recorded_by, q.file_name) == (cast.member, "家庭教育指导师", cast.member, "证书.png")
    assert q.file.name.endswith(".png")
    assert "家庭教育指导师" in client.get(reverse("activities:qualification_list")).content.decode()
    assert "家庭教育指导师" in cast.client_for("colleague").get(cast.member.get_absolute_url()).content.decode()


def test_pdf_scan_is_accepted(cast, clock):
    clock.set(NOW)
    cast.client_for("member").post(
        reverse("activities:qualification_create"), {**data(), "file": pdf_upload("scan.pdf")}
    )
    assert Qualification.objects.get().file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("cert.exe", b"MZ" + b"\x00" * 64), "scan_type"),
        (SimpleUploadedFile("cert.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"), "scan_type"),
        (SimpleUploadedFile("cert.png", b"\x89PNG\r\n\x1a\n broken"), "scan_type"),
        (SimpleUploadedFile("cert.docx", b"%PDF-1.4\n%%EOF"), "extension_mismatch"),
    ],
)
def test_bad_scans_get_a_clear_error_and_write_nothing(cast, clock, upload, code):
    clock.set(NOW)
    response = cast.client_for("member").post(reverse("activities:qualification_create"), {**data(), "file": upload})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == [code]
    assert not Qualification.objects.exists()


@pytest.mark.parametrize("issued_on", ["2099-01-01", "2026-02-31", "", "soon"])
def test_bad_dates_write_nothing(cast, clock, issued_on):
    clock.set(NOW)
    response = cast.client_for("member").post(reverse("activities:qualification_create"), data(issued_on=issued_on))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Qualification.objects.exists()


def test_the_same_qualification_twice_is_refused(cast, clock):
    clock.set(NOW)
    client = cast.client_for("member")
    client.post(reverse("activities:qualification_create"), data())
    response = client.post(reverse("activities:qualification_create"), data(issuer="另一个"))
    assert response.status_code == 200
    assert Qualification.objects.count() == 1


def test_organizer_adds_for_a_member_and_others_cannot(cast, clock):
    clock.set(NOW)
    url = reverse("activities:qualification_create_for", args=[cast.member.pk])
    assert cast.client_for("organizer").post(url, data()).status_code == 302
    q = Qualification.objects.get()
    assert q.member == cast.member and q.recorded_by == cast.organizer
    assert cast.client_for("colleague").post(url, data(name="法律职业资格")).status_code == 403
    assert cast.client_for("leader").get(url).status_code == 403
    assert cast.client_for("outsider").get(url).status_code == 404
    assert Qualification.objects.count() == 1


def test_edit_delete_and_file_access(cast, clock):
    clock.set(NOW)
    cast.client_for("member").post(reverse("activities:qualification_create"), {**data(), "file": pdf_upload()})
    q = Qualification.objects.get()
    edit = reverse("activities:qualification_edit", args=[q.pk])
    assert cast.client_for("colleague").post(edit, data(issuer="改")).status_code == 403
    assert cast.client_for("organizer").post(edit, data(issuer="吉林省妇联")).status_code == 302
    q.refresh_from_db()
    assert q.issuer == "吉林省妇联" and q.file  # the file stays when none is uploaded
    file_url = reverse("activities:qualification_file", args=[q.pk])
    for role, status in (("member", 200), ("organizer", 200), ("leader", 200), ("colleague", 403), ("outsider", 404)):
        assert cast.client_for(role).get(file_url).status_code == status, role
    cast.client_for("member").post(edit, {**data(), "clear_file": "on"})
    q.refresh_from_db()
    assert not q.file
    assert cast.client_for("member").get(file_url).status_code == 404
    assert cast.client_for("colleague").post(reverse("activities:qualification_delete", args=[q.pk])).status_code == 403
    cast.client_for("member").post(reverse("activities:qualification_delete", args=[q.pk]))
    assert not Qualification.objects.exists()


def test_counts_per_unit(cast):
    """Seed 004: nine members became certified family-education instructors."""
    criminal = Department.objects.create(court=cast.court, name="刑事审判庭")
    for i in range(9):
        person = make_member(cast.court, f"指导师{i}", department=criminal if i < 5 else cast.department)
        Qualification.objects.create(member=person, name="家庭教育指导师", issuer="妇联", issued_on=dt.date(2026, 5, 1))
    Qualification.objects.create(
        member=cast.member, name="法律职业资格", issuer="司法部", issued_on=dt.date(2015, 3, 1)
    )
    Qualification.objects.create(
        member=cast.outsider, name="家庭教育指导师", issuer="妇联", issued_on=dt.date(2026, 5, 1)
    )
    response = cast.client_for("organizer").get(reverse("activities:qualification_counts"))
    counts = response.context["counts"]
    assert counts.totals == {"家庭教育指导师": 9, "法律职业资格": 1}
    assert counts.cells[("家庭教育指导师", "刑事审判庭")] == 5
    assert counts.cells[("家庭教育指导师", "民一庭")] == 4
    holders = cast.client_for("leader").get(reverse("activities:qualification_counts"), {"name": "家庭教育指导师"})
    assert len(holders.context["holders"]) == 9
    assert cast.client_for("member").get(reverse("activities:qualification_counts")).status_code == 403
    city = cast.client_for("city_leader").get(
        reverse("activities:qualification_counts"), {"court": cast.other_court.pk}
    )
    assert city.context["counts"].totals == {"家庭教育指导师": 1}


@pytest.mark.parametrize("n", [2, 20])
def test_counts_queries_do_not_grow(cast, django_assert_max_num_queries, n):
    for i in range(n):
        department = Department.objects.get_or_create(court=cast.court, name=f"庭{i % 5}")[0]
        person = make_member(cast.court, f"人{i}", department=department)
        Qualification.objects.create(member=person, name=f"资格{i % 3}", issuer="x", issued_on=dt.date(2026, 1, 1))
    client = cast.client_for("organizer")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("activities:qualification_counts"), {"name": "资格0"}).status_code == 200


# ---------------------------------------------------------------- the learning profile


def test_profile_shows_comments_on_work_the_viewer_may_see(cast, clock):
    clock.set(NOW)
    plan = make_plan(cast.member, 2027, 3)
    output = make_output(cast.court, cast.member)
    Comment.objects.create(
        content_type=ContentType.objects.get_for_model(plan),
        object_id=plan.pk,
        owner=cast.member,
        author=cast.leader,
        text="计划很扎实",
    )
    Comment.objects.create(
        content_type=ContentType.objects.get_for_model(output),
        object_id=output.pk,
        owner=cast.member,
        author=cast.leader,
        text="成果有价值",
    )
    own = cast.client_for("member").get(cast.member.get_absolute_url()).content.decode()
    assert "计划很扎实" in own and "成果有价值" in own
    assert "计划很扎实" in cast.client_for("organizer").get(cast.member.get_absolute_url()).content.decode()
    colleague = cast.client_for("colleague").get(cast.member.get_absolute_url()).content.decode()
    assert "成果有价值" in colleague
    assert "计划很扎实" not in colleague  # the monthly plan is not the colleague's to read
    assert plan.get_absolute_url() not in colleague


@pytest.mark.parametrize("n", [1, 12])
def test_profile_queries_do_not_grow(cast, clock, django_assert_max_num_queries, n):
    clock.set(NOW)
    for i in range(n):
        output = make_output(cast.court, cast.member, title=f"成果{i}")
        Comment.objects.create(
            content_type=ContentType.objects.get_for_model(output),
            object_id=output.pk,
            owner=cast.member,
            author=cast.leader,
            text=f"点评{i}",
        )
        plan = make_plan(cast.member, 2020 + i, 1)
        Comment.objects.create(
            content_type=ContentType.objects.get_for_model(plan),
            object_id=plan.pk,
            owner=cast.member,
            author=cast.leader,
            text=f"计划点评{i}",
        )
        Qualification.objects.create(member=cast.member, name=f"资格{i}", issuer="x", issued_on=dt.date(2026, 1, 1))
        MemberOutcome.objects.create(member=cast.member, kind="honor", description=f"表彰{i}", date=dt.date(2026, 1, 1))
    client = cast.client_for("organizer")
    # The profile carries every family's section; the bound catches any per-item query.
    with django_assert_max_num_queries(40):
        assert client.get(cast.member.get_absolute_url()).status_code == 200
