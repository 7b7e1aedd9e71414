"""Roster import end to end: upload, preview (nothing written), confirm, print passwords."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEvent, Department, ImportBatch, Member, StudyGroupMembership
from members.roster import parse_roster, roster_workbook
from members.services import RosterImportRefused, roster_batch_create, roster_import_apply
from tests.factories import make_group, make_member

from .rosters import NEW_PEOPLE, csv_bytes, upload, xlsx_bytes

User = get_user_model()


def snapshot() -> dict:
    """Everything an import may touch, to prove that nothing changed."""
    return {
        "members": sorted(
            Member.objects.values_list("employee_number", "name", "department_id", "is_active", "updated_at")
        ),
        "users": User.objects.count(),
        "departments": Department.objects.count(),
        "memberships": sorted(StudyGroupMembership.objects.values_list("group_id", "member_id", "role")),
    }


def upload_roster(client, data: bytes, name: str = "花名册.xlsx"):
    return client.post(reverse("members:roster_import"), {"file": upload(name, data)})


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def confirm(client, response, **data):
    return client.post(response["Location"] + "confirm/", data)


def test_organizer_imports_new_people_and_prints_their_initial_passwords(cast):
    client = cast.client_for("organizer")
    before = snapshot()
    uploaded = upload_roster(client, xlsx_bytes(NEW_PEOPLE))
    preview = preview_of(client, uploaded)
    assert preview.status_code == 200
    assert [row.status for row in preview.context["preview"].rows] == ["new", "new", "new"]
    assert snapshot() == before  # the preview writes nothing

    done = confirm(client, uploaded)
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    credentials = done.context["result"].credentials
    assert [(c.name, c.username) for c in credentials] == [
        ("孙丽", "qg-3001"),
        ("周强", "qg-3002"),
        ("吴婷", "qg-3003"),
    ]
    page = done.content.decode()
    for c in credentials:
        assert c.password in page
    sun = Member.objects.get(court=cast.court, employee_number="3001")
    assert sun.name == "孙丽" and sun.department == cast.department and sun.party_branch == cast.branch
    assert sun.post == Member.Post.ASSISTANT and str(sun.birth_date) == "1995-03-08"
    assert sun.must_change_password
    assert sun.user.check_password(credentials[0].password)
    # The passwords are kept nowhere in clear: not on the batch, not in the audit trail.
    batch = ImportBatch.objects.get()
    assert credentials[0].password not in str(batch.rows) + str(batch.result)
    event = AuditEvent.objects.get(action="roster.imported")
    assert event.actor == cast.organizer.user and event.court == cast.court
    assert event.detail["created"] == 3 and event.detail["file"] == "花名册.xlsx"
    assert credentials[0].password not in str(event.detail)


def test_the_initial_password_must_be_changed_at_first_login(cast, client):
    result = import_file(cast, csv_bytes(NEW_PEOPLE))
    slip = result.credentials[0]
    response = client.post(reverse("login"), {"username": slip.username, "password": slip.password})
    assert response.status_code == 302
    assert client.get(reverse("my_learning"))["Location"] == reverse("password_change") + "?first=1"
    response = client.post(
        reverse("password_change"),
        {"old_password": slip.password, "new_password1": "Qianguo-2026-xuexi", "new_password2": "Qianguo-2026-xuexi"},
    )
    assert response.status_code == 302
    assert client.get(reverse("my_learning")).status_code == 200
    assert not Member.objects.get(employee_number=slip.employee_number).must_change_password


def import_file(cast, data: bytes, name="r.csv", deactivate=False, create=()):
    batch = roster_batch_create(
        actor=cast.organizer.user,
        court=cast.court,
        file_name=name,
        parsed=parse_roster(upload(name, data)),
        now=timezone.now(),
    )
    if create:
        batch.create_units = list(create)
        batch.save()
    return roster_import_apply(
        batch=batch, actor=cast.organizer.user, deactivate_missing=deactivate, now=timezone.now()
    )


def test_the_same_file_twice_changes_nothing(cast):
    import_file(cast, xlsx_bytes(NEW_PEOPLE), name="r.xlsx")
    before = snapshot()
    client = cast.client_for("organizer")
    uploaded = upload_roster(client, xlsx_bytes(NEW_PEOPLE))
    assert [r.status for r in preview_of(client, uploaded).context["preview"].rows] == ["unchanged"] * 3
    done = confirm(client, uploaded)
    assert done.context["result"].as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "deactivated": 0,
        "units_created": 0,
        "skipped": 0,
    }
    assert done.context["result"].credentials == []
    assert snapshot() == before


def test_a_changed_row_shows_what_changes_and_updates_only_that_member(cast):
    import_file(cast, csv_bytes(NEW_PEOPLE))
    rows = [list(r) for r in NEW_PEOPLE]
    rows[1][4] = "法官助理"
    client = cast.client_for("organizer")
    uploaded = upload_roster(client, csv_bytes(rows), name="r.csv")
    preview = preview_of(client, uploaded).context["preview"]
    assert [r.status for r in preview.rows] == ["unchanged", "changed", "unchanged"]
    # The title as written, and the report category it brings with it.
    post_header = str(Member._meta.get_field("post").verbose_name)
    assert preview.rows[1].changes == [("职务", "员额法官", "法官助理"), (post_header, "员额法官", "法官助理")]
    unchanged_before = Member.objects.get(employee_number="3001").updated_at
    confirm(client, uploaded)
    changed = Member.objects.get(employee_number="3002")
    assert (changed.title, changed.post) == ("法官助理", Member.Post.ASSISTANT)
    assert Member.objects.get(employee_number="3001").updated_at == unchanged_before


def test_an_export_imported_back_changes_nothing(cast):
    make_group(cast.court, "青年理论学习小组", leader=cast.member, members=[cast.colleague])
    client = cast.client_for("organizer")
    exported = client.get(reverse("members:roster_export"))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    before = snapshot()
    uploaded = upload_roster(client, exported.content, name="export.xlsx")
    preview = preview_of(client, uploaded).context["preview"]
    assert {r.status for r in preview.rows} == {"unchanged"}
    assert len(preview.rows) == Member.objects.filter(court=cast.court, is_active=True).count()
    confirm(client, uploaded)
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="roster.exported", actor=cast.organizer.user).exists()


def imported_before(cast) -> None:
    """The court has taken a roster before: a name the file adds is then more likely a typo than a
    new unit, so it is not ticked for creation by itself (members.services.first_day_units)."""
    ImportBatch.objects.create(
        court=cast.court, created_by=cast.organizer.user, file_name="上次.xlsx", status=ImportBatch.Status.APPLIED
    )


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (["郑凯", "3009", "民一庭", "审判", "员额法官", "中共党员", "", "", "1990-13-01", ""], "1990-13-01"),
        (["郑凯", "3001", "民一庭", "审判", "员额法官", "中共党员", "", "", "", ""], "3001"),  # 工号 twice
        (["", "3009", "民一庭", "审判", "员额法官", "中共党员", "", "", "", ""], "姓名"),
        (["郑凯", "3009", "知识产权庭", "审判", "员额法官", "中共党员", "", "", "", ""], "知识产权庭"),
        (["郑凯", "3009", "民一庭", "", "", "中共党员", "不存在的支部", "", "", ""], "不存在的支部"),
        (["郑凯", "3009", "民一庭", "", "", "", "", "", "", "读书小组"], "读书小组"),
    ],
)
def test_a_bad_row_is_shown_and_skipped_and_the_other_rows_import(cast, bad_row, reason):
    imported_before(cast)
    client = cast.client_for("organizer")
    rows = [*NEW_PEOPLE, bad_row]
    uploaded = upload_roster(client, csv_bytes(rows), name="r.csv")
    page = preview_of(client, uploaded)
    preview = page.context["preview"]
    bad = [row for row in preview.rows if row.status == "error"]
    assert bad and all(row.errors for row in bad)
    assert any(reason in error for row in bad for error in row.errors)
    html = page.content.decode()
    assert "roster-import-rest" in html  # 导入其余 N 行, never "correct the whole file first"
    assert preview.importable == len(rows) - len(bad)

    done = confirm(client, uploaded, skip_errors="True")
    assert done.status_code == 200
    result = done.context["result"]
    assert result.created == preview.importable
    assert [row["line"] for row in result.skipped] == [row.line for row in bad]
    skipped = done.context["skipped"]
    assert any(reason in text for row in skipped for text in row["reasons"])
    assert "roster-skipped" in done.content.decode()
    event = AuditEvent.objects.get(action="roster.imported")
    assert event.detail["skipped"] == len(bad)
    assert not Member.objects.filter(name="郑凯").exists()  # the rows with errors wrote nothing
    if reason == "3001":  # both rows that claim 3001 are skipped: the import does not guess which is right
        assert not Member.objects.filter(employee_number="3001").exists()
    else:
        assert Member.objects.get(court=cast.court, employee_number="3001").name == "孙丽"


def test_confirming_a_preview_without_the_skip_choice_imports_nothing_when_rows_have_errors(cast):
    """A row that went bad after the preview (or a form sent without the button) is never skipped unseen."""
    client = cast.client_for("organizer")
    bad_row = ["郑凯", "3009", "民一庭", "审判", "员额法官", "中共党员", "", "", "1990-13-01", ""]
    before = snapshot()
    uploaded = upload_roster(client, csv_bytes([*NEW_PEOPLE, bad_row]), name="r.csv")
    response = confirm(client, uploaded)
    assert response.status_code == 302
    assert snapshot() == before
    assert ImportBatch.objects.get().status == ImportBatch.Status.PENDING
    assert not AuditEvent.objects.filter(action="roster.imported").exists()


def test_a_file_where_every_row_has_an_error_offers_no_import(cast):
    client = cast.client_for("organizer")
    rows = [["", "3009", "民一庭", "", "", "", "", "", "", ""], ["郑凯", "", "民一庭", "", "", "", "", "", "", ""]]
    uploaded = upload_roster(client, csv_bytes(rows), name="r.csv")
    page = preview_of(client, uploaded)
    assert page.context["preview"].importable == 0
    assert "roster-confirm" not in page.content.decode()
    assert confirm(client, uploaded, skip_errors="True").status_code == 302
    assert ImportBatch.objects.get().status == ImportBatch.Status.PENDING


def test_a_file_that_cannot_be_read_is_refused_on_the_upload_form(cast):
    client = cast.client_for("organizer")
    response = upload_roster(client, b"%PDF-1.4 not a roster", name="r.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    response = upload_roster(client, csv_bytes([["孙丽"]], header=["姓名", "部门"]), name="r.csv")
    assert "工号" in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_an_unknown_department_can_be_created_with_the_import(cast):
    rows = [
        ["郑凯", "3009", "知识产权庭", "审判", "员额法官", "中共党员", "第一党支部", "新党小组", "", "读书小组（组长）"]
    ]
    imported_before(cast)
    client = cast.client_for("organizer")
    uploaded = upload_roster(client, csv_bytes(rows), name="r.csv")
    preview = preview_of(client, uploaded).context["preview"]
    assert [u.key for u in preview.unknown_units] == [
        "department:知识产权庭",
        "partygroup:第一党支部/新党小组",
        "studygroup:读书小组",
    ]
    assert preview.rows[0].status == "error"
    keys = [u.key for u in preview.unknown_units]
    assert client.post(uploaded["Location"], {"create": keys}).status_code == 302
    preview = preview_of(client, uploaded).context["preview"]
    assert preview.rows[0].status == "new" and len(preview.rows[0].notes) == 3
    assert not Department.objects.filter(name="知识产权庭").exists()  # still nothing written
    confirm(client, uploaded)
    zheng = Member.objects.get(employee_number="3009")
    assert zheng.department.name == "知识产权庭" and zheng.party_group.name == "新党小组"
    assert zheng.group_memberships.get().role == StudyGroupMembership.Role.LEADER


def test_members_missing_from_the_file_are_deactivated_only_when_asked(cast):
    client = cast.client_for("organizer")
    uploaded = upload_roster(client, csv_bytes(NEW_PEOPLE), name="r.csv")
    missing = preview_of(client, uploaded).context["preview"].missing
    # The organizer is never listed: importing must not lock them out.
    assert {m.name for m in missing} == {"张明", "李静", "赵院长"}
    confirm(client, uploaded)
    assert Member.objects.filter(court=cast.court, is_active=False).count() == 0

    uploaded = upload_roster(client, csv_bytes(NEW_PEOPLE), name="r.csv")
    confirm(client, uploaded, deactivate_missing="on")
    assert set(Member.objects.filter(is_active=False).values_list("name", flat=True)) == {"张明", "李静", "赵院长"}
    assert not User.objects.get(username="member").is_active
    cast.outsider.refresh_from_db()
    assert cast.outsider.is_active  # another court's people are never touched


def test_a_deactivated_member_in_the_file_is_reactivated(cast):
    import_file(cast, csv_bytes(NEW_PEOPLE[:1]), deactivate=True)
    cast.member.refresh_from_db()
    assert not cast.member.is_active
    rows = [["张明", cast.member.employee_number, "民一庭", "审判", "员额法官", "", "第一党支部", "", "", ""]]
    result = import_file(cast, csv_bytes(rows))
    assert result.updated == 1
    cast.member.refresh_from_db()
    assert cast.member.is_active and cast.member.user.is_active


def test_a_batch_is_applied_at_most_once(cast):
    client = cast.client_for("organizer")
    uploaded = upload_roster(client, csv_bytes(NEW_PEOPLE), name="r.csv")
    assert confirm(client, uploaded).status_code == 200
    again = confirm(client, uploaded)
    assert again.status_code == 302
    assert Member.objects.filter(employee_number="3001").count() == 1
    # Reloading the preview afterwards shows the result, never the passwords.
    done = client.get(uploaded["Location"])
    assert done.status_code == 200 and "credentials" not in done.content.decode()
    batch = ImportBatch.objects.get()
    with pytest.raises(RosterImportRefused):
        roster_import_apply(batch=batch, actor=cast.organizer.user, deactivate_missing=False, now=timezone.now())


def test_study_group_memberships_follow_the_file_and_keep_leaders(cast):
    group = make_group(cast.court, "青年理论学习小组", leader=cast.member)
    make_group(cast.court, "民事学习小组", members=[cast.member])
    number = cast.member.employee_number
    rows = [["张明", number, "民一庭", "审判", "员额法官", "", "第一党支部", "", "", "青年理论学习小组"]]
    result = import_file(cast, csv_bytes(rows))
    assert result.updated == 1  # left 民事学习小组
    assert list(cast.member.group_memberships.values_list("group__name", "role")) == [("青年理论学习小组", "leader")]
    assert group.memberships.get().role == StudyGroupMembership.Role.LEADER  # a plain name keeps the role


def test_limited_organizers_and_others_cannot_import(cast):
    cast.organizer.scope_department = cast.department
    cast.organizer.save()
    client = cast.client_for("organizer")
    assert client.get(reverse("members:roster_import")).status_code == 403
    assert upload_roster(client, csv_bytes(NEW_PEOPLE), name="r.csv").status_code == 403
    assert cast.client_for("leader").get(reverse("members:roster_import")).status_code == 403
    assert not ImportBatch.objects.exists()


def test_an_upload_is_private_to_the_person_who_made_it(cast):
    client = cast.client_for("organizer")
    uploaded = upload_roster(client, csv_bytes(NEW_PEOPLE), name="r.csv")
    second = make_member(cast.court, "钱organizer", role=Member.Role.ORGANIZER, username="organizer2")
    other = cast.client_for("member")
    other.force_login(second.user, backend="members.backends.MemberModelBackend")
    assert other.get(uploaded["Location"]).status_code == 404
    assert other.post(uploaded["Location"] + "confirm/").status_code == 404
    assert not Member.objects.filter(employee_number="3001").exists()


def test_template_download_has_the_headers_and_allowed_values(cast):
    import openpyxl

    response = cast.client_for("organizer").get(reverse("members:roster_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(__import__("io").BytesIO(response.content))
    header = [c.value for c in workbook["花名册"][1]]
    assert header == [
        "姓名",
        "工号",
        "部门",
        "岗位类别",
        "职务",
        "政治面貌",
        "党支部",
        "党小组",
        "出生日期",
        "学习小组",
    ]
    notes = " ".join(str(c.value) for row in workbook["填写说明"].iter_rows() for c in row)
    assert "审判辅助" in notes and "法官助理" in notes and "中共党员" in notes


def test_a_limited_organizer_exports_only_their_department(cast):
    cast.organizer.scope_department = cast.department
    cast.organizer.save()
    response = cast.client_for("organizer").get(reverse("members:roster_export"))
    parsed = parse_roster(upload("export.xlsx", response.content))
    assert sorted(r["values"]["name"] for r in parsed.rows) == ["张明", "李静"]


def test_roster_workbook_roundtrips_through_the_parser(cast):
    make_group(cast.court, "青年理论学习小组", leader=cast.member)
    members = list(
        Member.objects.filter(court=cast.court)
        .select_related("department", "party_branch", "party_group")
        .prefetch_related("group_memberships__group")
    )
    parsed = parse_roster(upload("x.xlsx", roster_workbook(members)))
    zhang = next(r for r in parsed.rows if r["values"]["name"] == "张明")
    assert zhang["values"]["study_groups"] == [["青年理论学习小组", "leader"]]
    assert zhang["values"]["title"] == cast.member.title
    assert all(not r["errors"] for r in parsed.rows)


def test_initial_passwords_use_the_cheap_hasher_when_configured(cast, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "members.hashers.InitialPasswordHasher",
    ]
    result = import_file(cast, csv_bytes(NEW_PEOPLE[:1]))
    user = User.objects.get(username=result.credentials[0].username)
    assert user.password.startswith("pbkdf2_sha256_initial$")
    assert user.check_password(result.credentials[0].password)
    assert re.fullmatch(r"[a-z2-9]{10}", result.credentials[0].password)


def test_a_site_admin_chooses_the_court_to_import_into(cast):
    admin_user = User.objects.create_superuser("root", password="x")
    client = cast.client_for("anon")
    client.force_login(admin_user, backend="members.backends.MemberModelBackend")
    assert "court" in client.get(reverse("members:roster_import")).context["form"].fields
    rows = [[*row[:2], "刑事审判庭", *row[3:6], "", "", *row[8:]] for row in NEW_PEOPLE]  # 龙山's units
    response = client.post(
        reverse("members:roster_import"), {"court": cast.other_court.pk, "file": upload("r.csv", csv_bytes(rows))}
    )
    assert confirm(client, response).status_code == 200
    assert Member.objects.filter(court=cast.other_court, employee_number__in=["3001", "3002", "3003"]).count() == 3
    assert User.objects.filter(username="ls-3001").exists()


def test_stale_unconfirmed_uploads_are_dropped_and_applied_ones_keep_no_rows(cast):
    from datetime import timedelta

    client = cast.client_for("organizer")
    upload_roster(client, csv_bytes(NEW_PEOPLE), name="old.csv")
    ImportBatch.objects.update(created_at=timezone.now() - timedelta(days=2))
    uploaded = upload_roster(client, csv_bytes(NEW_PEOPLE), name="new.csv")
    assert list(ImportBatch.objects.values_list("file_name", flat=True)) == ["new.csv"]
    confirm(client, uploaded)
    batch = ImportBatch.objects.get()
    assert batch.rows == [] and batch.result["created"] == 3
