"""A roster as a court keeps it imports without editing the file (issue 12, point 1).

The political department's sheet: a title line above the headers, headers written their own way
(姓  名, 工作证号, 部门/庭室, 人员类别, 现任职务：), columns the product does not use (性别, 学历,
手机), titles as the court writes them (科员, 主任, 副庭长, 法警…), a 岗位类别 and a 政治面貌 the
product does not know, and a few rows with real mistakes. Saved as GBK CSV by WPS, or as .xlsx.
And every import in the product answers a wrong file (old .xls, empty, a Word document renamed,
a picture) with what to do, never an error page.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from activities.models import AssessmentResult, Question
from courtlearn.tabular import TableFileError, read_table
from members.models import AuditEvent, ImportBatch, Member, RosterValueMapping
from members.roster import post_for_title
from tests.activities.contests_helpers import make_assessment
from tests.factories import make_member

HEADER = [
    "序号",
    "姓\u3000\u3000名",  # padded with full-width spaces, as printed rosters do
    "工作证号",
    "性别",
    "部门/庭室",
    "人员类别",
    "现任职务：",
    "政治 面貌",
    "所在党支部",
    "出生日期",
    "学历",
    "手机",
]
TITLES = ["科员", "主任", "副主任", "庭长", "副庭长", "审判员", "书记员", "法警", "院长", "法官助理"]
CATEGORIES = {
    "科员": "司法行政",
    "主任": "司法行政",
    "副主任": "司法行政",
    "庭长": "审判",
    "副庭长": "审判",
    "审判员": "审判",
    "书记员": "司法辅助",  # the court's own word for 审判辅助
    "法警": "司法辅助",
    "院长": "审判",
    "法官助理": "审判辅助",
}
STATUSES = ["中共党员", "群众", "无党派人士", "中共党员"]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇"]

# Line numbers are the sheet's: the title on line 1, the headers on line 2, people on lines 3 to 42.
BAD_LINES = {
    7: "姓名",  # the name was left empty
    12: "1988-02-30",  # no such day
    20: "4018",  # the same 工作证号 as line 21
    21: "4018",
}


def real_roster() -> list[list]:
    rows = []
    for index in range(40):
        line = index + 3
        title = TITLES[index % len(TITLES)]
        number = f"40{index + 1:02d}"
        name = SURNAMES[index] + GIVEN[index % len(GIVEN)]
        if len(name) == 2:
            name = name[0] + "  " + name[1]  # 王  芳: two-character names padded in print
        birth = dt.date(1970 + index % 25, 1 + index % 12, 1 + index % 27).strftime("%Y.%m.%d")
        department = "政治部" if title in {"科员", "主任", "副主任"} else "民一庭"
        row = [
            index + 1,
            name,
            number,
            "男" if index % 2 else "女",
            department,
            CATEGORIES[title],
            title,
            STATUSES[index % len(STATUSES)],
            "第一党支部" if index % 4 == 0 else "",
            birth,
            "大学本科",
            f"1390000{index:04d}",
        ]
        if line == 7:
            row[1] = ""
        if line == 12:
            row[9] = "1988-02-30"
        if line == 21:
            row[2] = "4018"  # line 20's number typed again
        rows.append(row)
    return rows


def gbk_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["前郭县人民法院干警花名册（2026年12月）"])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("gbk")


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["前郭县人民法院干警花名册（2026年12月）"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {"gbk-csv": ("花名册.csv", gbk_csv), "xlsx": ("花名册.xlsx", xlsx)}


def upload_roster(client, name: str, data: bytes):
    response = client.post(reverse("members:roster_import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.context and response.context["form"].errors
    return response["Location"]


def answer(client, url: str, page, choices: dict[str, str]):
    """Pick, for each value the system asked about, the option whose label is given."""
    form = page.context["values_form"]
    data = {}
    for name, field in form.fields.items():
        raw = form.keys[name][1]
        wanted = choices[raw]
        data[name] = next(value for value, label in field.choices if str(label) == wanted)
    return client.post(url, data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_real_roster_imports_without_editing_the_file(cast, fmt):
    file_name, build = FORMATS[fmt]
    client = cast.client_for("organizer")
    url = upload_roster(client, file_name, build(real_roster()))

    page = client.get(url)
    preview = page.context["preview"]
    html = page.content.decode()
    assert len(preview.rows) == 40
    # Columns the product does not use are named, not refused.
    assert all(header in page.context["ignored"] for header in ("序号", "性别", "学历", "手机"))
    # Two wordings the product does not know: asked once each, with the rows they are on.
    asked = {(u.header, u.raw): len(u.lines) for u in preview.unknown_values}
    assert asked == {("岗位类别", "司法辅助"): 8, ("政治面貌", "无党派人士"): 10}
    assert "roster-confirm" not in html and "roster-waiting" in html  # answer first, then import
    # No title is an error: 科员, 主任, 副主任 are just what the court calls these people.
    errors = {row.line: row.errors for row in preview.rows if row.status == "error"}
    assert set(errors) == set(BAD_LINES)
    for line, reason in BAD_LINES.items():
        assert any(reason in text for text in errors[line]), errors[line]

    assert answer(client, url, page, {"司法辅助": "审判辅助", "无党派人士": "留空（不填）"}).status_code == 302
    page = client.get(url)
    preview = page.context["preview"]
    assert preview.unknown_values == [] and preview.ready
    assert preview.importable == 36
    assert "导入其余 36 行" in page.content.decode()

    done = client.post(url + "confirm/", {"skip_errors": "True"})
    assert done.status_code == 200
    result = done.context["result"]
    assert (result.created, len(result.skipped)) == (36, 4)
    summary = done.content.decode()
    assert "跳过了 4 行" in summary and "第 12 行" in summary and "1988-02-30" in summary

    people = {m.employee_number: m for m in Member.objects.filter(court=cast.court, employee_number__startswith="40")}
    assert len(people) == 36
    by_title = {m.title: m for m in people.values()}
    assert set(by_title) == set(TITLES)
    assert by_title["庭长"].post == by_title["审判员"].post == Member.Post.JUDGE
    assert by_title["法警"].post == Member.Post.BAILIFF
    assert by_title["院长"].post == Member.Post.LEADER
    assert by_title["科员"].post == by_title["主任"].post == ""  # the title does not say: left blank
    assert by_title["书记员"].position_category == Member.PositionCategory.SUPPORT  # 司法辅助, as chosen
    no_party = people["4003"]  # 无党派人士, left empty as chosen
    assert no_party.political_status == "" and people["4001"].political_status == Member.PoliticalStatus.PARTY
    assert people["4001"].name == "赵伟" and people["4002"].name == "钱芳"  # padding spaces gone
    assert AuditEvent.objects.get(action="roster.imported").detail["skipped"] == 4


def test_the_courts_answers_are_remembered_and_belong_to_that_court(cast):
    client = cast.client_for("organizer")
    url = upload_roster(client, "花名册.csv", gbk_csv(real_roster()))
    answer(client, url, client.get(url), {"司法辅助": "审判辅助", "无党派人士": "群众"})
    client.post(url + "confirm/", {"skip_errors": "True"})
    assert set(RosterValueMapping.objects.values_list("court", "field", "raw_value", "value")) == {
        (cast.court.pk, "position_category", "司法辅助", "support"),
        (cast.court.pk, "political_status", "无党派人士", "masses"),
    }

    # Next month's roster, saved as .xlsx, with one row corrected: nothing is asked.
    rows = real_roster()
    rows[4][1] = "陈娜"
    second = upload_roster(client, "花名册12月.xlsx", xlsx(rows))
    page = client.get(second)
    preview = page.context["preview"]
    assert preview.unknown_values == [] and "roster-values" not in page.content.decode()
    row = next(r for r in preview.rows if r.line == 7)
    assert row.status == "new"
    assert any("司法辅助" in note or "无党派人士" in note for r in preview.rows for note in r.notes)
    assert preview.count("unchanged") == 36
    done = client.post(second + "confirm/", {"skip_errors": "True"})
    assert done.context["result"].created == 1 and len(done.context["result"].skipped) == 3

    # Another court's organizer is asked: the answers are this court's, not the product's.
    other = make_member(cast.other_court, "孟琳", role=Member.Role.ORGANIZER, username="ls_organizer")
    client.force_login(other.user, backend="members.backends.MemberModelBackend")
    rows = [[*row[:4], "刑事审判庭", *row[5:8], "", *row[9:]] for row in real_roster()]
    page = client.get(upload_roster(client, "r.csv", gbk_csv(rows)))
    assert len(page.context["preview"].unknown_values) == 2


def test_an_unknown_value_can_be_answered_by_the_service_and_is_checked(cast):
    from django.core.exceptions import ValidationError

    from members.services import roster_values_map

    with pytest.raises(ValidationError):
        roster_values_map(
            actor=cast.organizer.user, court=cast.court, answers={("political_status", "无党派人士"): "judge"}
        )
    assert not RosterValueMapping.objects.exists()


@pytest.mark.parametrize(
    ("title", "post"),
    [
        ("庭长", Member.Post.JUDGE),
        ("副庭长", Member.Post.JUDGE),
        ("审判员", Member.Post.JUDGE),
        ("四级高级法官", Member.Post.JUDGE),
        ("员额法官", Member.Post.JUDGE),
        ("法官助理", Member.Post.ASSISTANT),
        ("二级法官助理", Member.Post.ASSISTANT),
        ("书记员", Member.Post.CLERK),
        ("聘用制书记员", Member.Post.CLERK),
        ("法警", Member.Post.BAILIFF),
        ("司法警察", Member.Post.BAILIFF),
        ("院长", Member.Post.LEADER),
        ("副院长", Member.Post.LEADER),
        ("党组成员、副院长", Member.Post.LEADER),
        ("副庭长、四级高级法官", Member.Post.JUDGE),
        ("科员", ""),
        ("主任", ""),
        ("副主任", ""),
        ("院长助理", ""),
        ("", ""),
    ],
)
def test_the_report_category_comes_from_the_title_only_where_it_says_so(title, post):
    assert post_for_title(title) == post


def test_a_category_corrected_by_hand_survives_the_next_import(cast):
    client = cast.client_for("organizer")
    rows = [["1", "孙  丽", "5001", "女", "民一庭", "审判", "庭长", "中共党员", "", "", "", ""]]
    client.post(upload_roster(client, "r.csv", gbk_csv(rows)) + "confirm/")
    sun = Member.objects.get(employee_number="5001")
    assert (sun.title, sun.post) == ("庭长", Member.Post.JUDGE)
    sun.post = Member.Post.LEADER  # she also sits on the party group: the organizer says so
    sun.save()
    page = client.get(upload_roster(client, "r.csv", gbk_csv(rows)))
    assert [r.status for r in page.context["preview"].rows] == ["unchanged"]
    rows[0][6] = "副院长"  # promoted: the new title decides again
    page = client.get(upload_roster(client, "r.csv", gbk_csv(rows)))
    (row,) = page.context["preview"].rows
    assert row.changes[0] == ("职务", "庭长", "副院长")


def test_members_pages_show_the_title_as_written(cast):
    client = cast.client_for("organizer")
    edit = reverse("members:member_edit", args=[cast.colleague.pk])
    form_page = client.get(edit).content.decode()
    assert "职务" in form_page and "统计岗位" in form_page  # two fields, two names
    saved = client.post(edit, {"name": "李静", "title": "副主任", "post": Member.Post.CLERK})
    assert saved.status_code == 302
    cast.colleague.refresh_from_db()
    assert (cast.colleague.title, cast.colleague.post) == ("副主任", Member.Post.CLERK)
    detail = client.get(reverse("members:member_detail", args=[cast.colleague.pk])).content.decode()
    assert "副主任" in detail and "统计为" in detail
    listing = client.get(reverse("members:member_list")).content.decode()
    assert "副主任" in listing
    exported = client.get(reverse("members:roster_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content))["花名册"]
    titles = {row[0]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles["李静"] == "副主任"


def test_existing_members_get_their_category_as_title(cast):
    """The data migration: until the court imports again, pages show what they showed before."""
    migration = importlib.import_module("members.migrations.0005_member_title")
    Member.objects.update(title="")
    Member.objects.filter(pk=cast.colleague.pk).update(title="书记员（聘用）")
    migration.titles_from_posts(apps, None)
    titles = dict(Member.objects.values_list("name", "title"))
    assert titles["张明"] == "员额法官" and titles["赵院长"] == "院领导"
    assert titles["李静"] == "书记员（聘用）"  # a title already written is kept
    assert titles["王芳"] == ""  # no category, nothing to copy


def test_the_preview_reads_the_same_number_of_queries_for_10_or_40_rows(cast, django_assert_max_num_queries):
    client = cast.client_for("organizer")
    small = upload_roster(client, "small.csv", gbk_csv(real_roster()[:10]))
    large = upload_roster(client, "large.csv", gbk_csv(real_roster()))
    with django_assert_max_num_queries(15) as small_queries:
        assert client.get(small).status_code == 200
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        assert client.get(large).status_code == 200


# --- every import answers a wrong file with what to do ---------------------------------------


def ole(stream: str) -> bytes:
    """The start of an old Office file (compound document) holding a stream of that name."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 256


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("前郭县人民法院干警花名册")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, "PNG")
    return out.getvalue()


WRONG_FILES = {
    "old-xls": (
        "花名册.xls",
        lambda: ole("Workbook"),
        "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 后再上传",
    ),
    "empty": ("花名册.xlsx", lambda: b"", "文件是空的"),
    "renamed-docx": ("花名册.xlsx", docx_bytes, "这是 Word 文档"),
    "image": ("花名册.xlsx", png_bytes, "这是图片"),
    "password": ("花名册.xlsx", lambda: ole("EncryptedPackage"), "设置了打开密码"),
    "web-page-xls": ("导出.xls", lambda: "<html><table><tr><td>姓名</td></tr></table></html>".encode(), "网页格式"),
}


def roster_page(cast, client, file):
    return client.post(reverse("members:roster_import"), {"file": file})


def questions_page(cast, client, file):
    return client.post(reverse("activities:question_import"), {"file": file})


def assessment_page(cast, client, file):
    assessment = make_assessment(cast.court)
    return client.post(reverse("activities:assessment_import", args=[assessment.pk]), {"file": file})


IMPORTS = {"roster": roster_page, "questions": questions_page, "assessment": assessment_page}


@pytest.mark.parametrize("wrong", WRONG_FILES)
@pytest.mark.parametrize("where", IMPORTS)
def test_every_import_says_what_to_do_with_a_wrong_file(cast, where, wrong):
    name, build, message = WRONG_FILES[wrong]
    client = cast.client_for("organizer")
    with translation.override("zh-hans"):
        response = IMPORTS[where](cast, client, SimpleUploadedFile(name, build()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists() and not Question.objects.exists()
    assert not AssessmentResult.objects.exists()


def test_the_question_bank_and_assessment_results_take_csv_as_well(cast):
    client = cast.client_for("organizer")
    questions = (
        "题型,题目,选项A,选项B,答案\n单选,民法典自哪一年起施行？,2020年,2021年,B\n判断,法官应当公正司法。,,,对\n"
    )
    url = reverse("activities:question_import")
    page = client.post(url, {"file": SimpleUploadedFile("题库.csv", questions.encode("gbk"))})
    assert page.context["report"].can_import_all, page.context["report"].file_errors
    client.post(url, {"token": page.context["token"], "mode": "all"})
    assert Question.objects.filter(court=cast.court).count() == 2

    assessment = make_assessment(cast.court)
    results = f"工号,姓名,成绩,速度（字/分钟）,正确率（%）\n{cast.colleague.employee_number},李静,,156,98.2\n"
    url = reverse("activities:assessment_import", args=[assessment.pk])
    page = client.post(url, {"file": SimpleUploadedFile("速录.csv", results.encode("utf-8-sig"))})
    assert page.context["report"].can_import_all, page.context["report"].file_errors
    client.post(url, {"token": page.context["token"], "mode": "all"})
    assert list(AssessmentResult.objects.values_list("member__name", "chars_per_minute")) == [("李静", 156)]


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        ("姓名,工号\n孙丽,3001\n".encode(), [["姓名", "工号"], ["孙丽", "3001"]]),
        ("\ufeff姓名,工号\n孙丽,3001\n".encode(), [["姓名", "工号"], ["孙丽", "3001"]]),
        ("姓名\t工号\r\n孙丽\t3001\r\n".encode("gb18030"), [["姓名", "工号"], ["孙丽", "3001"]]),
        ("姓名,工号\n\n孙丽,3001\n\n\n".encode("gbk"), [["姓名", "工号"], [], ["孙丽", "3001"]]),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030-tabs", "blank-lines-keep-row-numbers"],
)
def test_read_table_reads_text_as_excel_and_wps_save_it(data, rows):
    assert read_table(SimpleUploadedFile("x.csv", data)) == rows


def test_read_table_goes_by_content_not_by_name():
    book = openpyxl.Workbook()
    book.active.append(["姓名", "工号"])
    book.active.append(["孙丽", 3001])
    out = io.BytesIO()
    book.save(out)
    assert read_table(SimpleUploadedFile("导出.csv", out.getvalue())) == [["姓名", "工号"], ["孙丽", 3001]]
    assert read_table(SimpleUploadedFile("导出.xlsx", "姓名,工号\n孙丽,3001\n".encode("gbk")))[1] == ["孙丽", "3001"]
    with pytest.raises(TableFileError):
        read_table(SimpleUploadedFile("x.xlsx", b"PK\x03\x04 broken zip"))


def zip_of(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


@pytest.mark.parametrize(
    "content, says",
    [
        (b"%PDF-1.7 ...", "This is a PDF file"),
        (zip_of("花名册.xlsx"), "This is a compressed archive"),
        (zip_of("[Content_Types].xml", "ppt/presentation.xml"), "This is a PowerPoint file"),
        (zip_of("[Content_Types].xml", "docProps/app.xml"), "This Excel file is damaged"),  # no workbook inside
    ],
)
def test_read_table_names_the_kind_of_file_the_uploads_check_finds(content, says):
    """The import reader and the document check (courtlearn.uploads.detect_document_kind) tell
    files apart the same way; the reader says what to do with each."""
    with translation.override("en"), pytest.raises(TableFileError) as refused:
        read_table(SimpleUploadedFile("花名册.xlsx", content))
    assert refused.value.message.startswith(says)


def test_a_courts_first_roster_proposes_every_unit_it_names_and_later_ones_propose_none(cast):
    """First day: the file is where the court's departments and branches are written down, so
    they are ticked for creation (no row shows as an error for it); once a roster has gone in, a
    new name is more often a misspelling and waits for the organizer's tick."""
    from members.services import first_day_units

    rows = [
        {"values": {"name": "张伟", "employee_number": "5001", "department": "审管办", "party_branch": "第三党支部"}},
        {"values": {"name": "李娜", "employee_number": "5002", "department": "民一庭"}},  # the cast's, exists
    ]
    assert first_day_units(court=cast.court, rows=rows) == ["branch:第三党支部", "department:审管办"]
    client = cast.client_for("organizer")
    url = upload_roster(client, "花名册.csv", gbk_csv(real_roster()))
    batch = ImportBatch.objects.get(court=cast.court, status=ImportBatch.Status.PENDING)
    assert "department:政治部" not in batch.create_units  # the cast's court has it already
    assert client.get(url).status_code == 200
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLIED)
    assert first_day_units(court=cast.court, rows=rows) == []
