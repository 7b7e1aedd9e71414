"""Question bank import from Excel: a row-by-row report, nothing written while errors remain
unless the organizer imports only the valid rows; export and template."""

from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Question, QuestionTag
from activities.services.contests.questions import export_workbook, import_report
from activities.tasks.contests import drop_stale_imports_task
from members.models import AuditEvent
from tests.activities.contests_helpers import make_question

HEADER = ["题型", "题目", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析", "标签", "难度"]
GOOD = [
    [
        "单选",
        "民法典自哪一年起施行？",
        "2019年",
        "2020年",
        "2021年",
        "2022年",
        "",
        "",
        "C",
        "2021年1月1日起施行。",
        "民法典",
        "易",
    ],
    [
        "多选",
        "下列属于审判组织的有：",
        "独任庭",
        "合议庭",
        "审判委员会",
        "执行局",
        "",
        "",
        "A,B,C",
        "",
        "法律知识、民法典",
        "中",
    ],
    ["判断", "习近平法治思想是全面依法治国的根本遵循。", "", "", "", "", "", "", "对", "", "习近平法治思想", ""],
    ["填空", "推进____中国建设。", "", "", "", "", "", "", "法治", "", "党的二十大精神", "难"],
]


def workbook_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(rows, header=HEADER, name="题库.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook_bytes(rows, header))


def row(kind="单选", text="题目", a="甲", b="乙", c="", d="", answer="A", tags="", difficulty=""):
    return [kind, text, a, b, c, d, "", "", answer, "", tags, difficulty]


IMPORT = reverse("activities:question_import")


def test_a_clean_file_imports_every_row(cast):
    client = cast.client_for("organizer")
    report = client.post(IMPORT, {"file": upload(GOOD)})
    assert report.status_code == 200
    assert Question.objects.count() == 0, "nothing is written before confirming"
    token = report.context["token"]
    done = client.post(IMPORT, {"token": token, "mode": "all"})
    assert done.status_code == 302
    assert Question.objects.count() == 4
    single = Question.objects.get(kind=Question.Kind.SINGLE)
    assert [o.text for o in single.options.filter(is_correct=True)] == ["2021年"]
    assert single.explanation == "2021年1月1日起施行。" and single.difficulty == 1
    multiple = Question.objects.get(kind=Question.Kind.MULTIPLE)
    assert multiple.options.filter(is_correct=True).count() == 3
    assert set(multiple.tags.values_list("name", flat=True)) == {"法律知识", "民法典"}
    assert Question.objects.get(kind=Question.Kind.TRUE_FALSE).true_false_answer is True
    assert Question.objects.get(kind=Question.Kind.FILL).blanks() == [["法治"]]
    assert AuditEvent.objects.filter(action="question.imported").exists()
    # The same token cannot be used twice.
    assert client.post(IMPORT, {"token": token, "mode": "all"}).status_code == 302
    assert Question.objects.count() == 4


BAD_ROWS = [
    (row(kind="问答"), "Unknown type"),
    (row(text=""), "The question is empty"),
    (row(b="", answer="A"), "at least two options"),
    (row(b="", c="丙", answer="A"), "without gaps"),
    (row(answer="E"), "has no option"),
    (row(answer="AB"), "exactly one correct option"),
    (row(kind="多选", answer="A"), "at least two correct options"),
    (row(answer=""), "The answer is missing"),
    (row(kind="判断", answer="对"), "Only choice questions take options"),
    (row(kind="判断", a="", b="", answer="也许"), "对 or 错"),
    (row(kind="填空", text="____和____", a="", b="", answer="甲"), "2 blanks but the answer fills 1"),
    (row(kind="填空", a="", b="", answer=""), "The answer is missing"),
    (row(difficulty="超难"), "Unknown difficulty"),
    (row(text="长" * 2001), "longer than 2000"),
    (row(tags="、".join(f"标签{i}" for i in range(11))), "At most 10 tags"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS, ids=[m for _r, m in BAD_ROWS])
def test_each_kind_of_bad_row_is_reported_with_its_row_number(cast, bad, message):
    with translation.override("en"):
        report = import_report(io.BytesIO(workbook_bytes([GOOD[0], bad])), court=cast.court)
    assert not report.file_errors
    assert report.rows[0].ok
    assert report.rows[1].number == 3
    assert not report.rows[1].ok
    assert any(message in error for error in report.rows[1].errors), report.rows[1].errors


def test_duplicates_in_the_file_and_in_the_bank_are_reported(cast):
    make_question(cast.court, text="民法典自哪一年起施行？")
    with translation.override("en"):
        report = import_report(io.BytesIO(workbook_bytes([GOOD[0], GOOD[1], GOOD[1]])), court=cast.court)
    assert "already in the bank" in report.rows[0].errors[0]
    assert report.rows[1].ok
    assert "row 3" in report.rows[2].errors[0]


def test_nothing_is_written_while_errors_remain(cast):
    client = cast.client_for("organizer")
    report = client.post(IMPORT, {"file": upload([GOOD[0], row(kind="问答")])})
    assert report.context["report"].invalid
    page = report.content.decode()
    assert 'id="import-all"' not in page and 'id="import-valid"' in page
    refused = client.post(IMPORT, {"token": report.context["token"], "mode": "all"})
    assert refused.status_code == 302
    assert Question.objects.count() == 0
    assert QuestionTag.objects.count() == 0


def test_the_organizer_may_import_only_the_valid_rows(cast):
    client = cast.client_for("organizer")
    report = client.post(IMPORT, {"file": upload([GOOD[0], row(kind="问答"), GOOD[2]])})
    client.post(IMPORT, {"token": report.context["token"], "mode": "valid"})
    assert Question.objects.count() == 2
    event = AuditEvent.objects.get(action="question.imported")
    assert event.detail == {"created": 2, "skipped_rows": [3]}


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("题库.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "old Excel file (.xls)"),
        (SimpleUploadedFile("题库.xlsx", b"PK\x03\x04 a damaged zip"), "damaged"),
        (SimpleUploadedFile("题库.xlsx", b""), "empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(cast, file, message):
    with translation.override("en"):
        response = cast.client_for("organizer").post(IMPORT, {"file": file}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["report"] is None
    assert message in str(response.context["upload_form"].errors)


def test_a_sheet_is_read_by_its_content_whatever_its_name_says(cast):
    """Files pass through e-mail and chat tools that rename them: the content decides (courtlearn.tabular)."""
    client = cast.client_for("organizer")
    named_docx = client.post(IMPORT, {"file": SimpleUploadedFile("题库.docx", workbook_bytes(GOOD))})
    assert named_docx.context["report"].can_import_all
    text = client.post(IMPORT, {"file": SimpleUploadedFile("题库.xlsx", b"not a workbook at all")})
    assert text.context["report"].file_errors, "read as text: the headers are missing, and the report says so"


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([["a", "b"]], ["甲", "乙"], "missing"),
        ([], HEADER, "no data rows"),
        ([], None, "empty"),
    ],
)
def test_a_workbook_without_the_template_headers_or_rows_is_reported(cast, rows, header, message):
    with translation.override("en"):
        report = import_report(io.BytesIO(workbook_bytes(rows, header)), court=cast.court)
    assert any(message in error for error in report.file_errors), report.file_errors


def test_english_headers_are_accepted(cast):
    english = [
        "Question type",
        "Question",
        "Option A",
        "Option B",
        "Option C",
        "Option D",
        "Option E",
        "Option F",
        "Answer",
    ]
    report = import_report(io.BytesIO(workbook_bytes([GOOD[0][:9]], english)), court=cast.court)
    assert report.can_import_all


def test_a_tampered_token_writes_nothing(cast):
    response = cast.client_for("organizer").post(IMPORT, {"token": "forged:token", "mode": "all"})
    assert response.status_code == 302
    assert Question.objects.count() == 0


def test_export_reads_back_through_the_import(cast):
    client = cast.client_for("organizer")
    report = client.post(IMPORT, {"file": upload(GOOD)})
    client.post(IMPORT, {"token": report.context["token"], "mode": "all"})
    exported = client.get(reverse("activities:question_export"))
    assert exported.status_code == 200
    again = import_report(io.BytesIO(exported.content), court=cast.other_court)
    assert again.can_import_all and len(again.rows) == 4
    workbook = export_workbook(Question.objects.prefetch_related("options", "tags"))
    assert workbook.active.max_row == 5


def test_the_template_is_a_workbook_with_the_headers(cast):
    response = cast.client_for("organizer").get(reverse("activities:question_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert len(headers) == 12
    assert len(workbook.worksheets) == 2, "instructions and examples on a second sheet"
    report = import_report(io.BytesIO(response.content), court=cast.court)
    assert report.file_errors, "the empty template has no data rows"


def test_unconfirmed_uploads_are_cleaned_up_after_a_day(cast):
    client = cast.client_for("organizer")
    client.post(IMPORT, {"file": upload(GOOD)})
    _dirs, files = default_storage.listdir("imports/questions")
    assert len(files) == 1
    path = default_storage.path(f"imports/questions/{files[0]}")
    assert drop_stale_imports_task.delay().get() == 0, "a fresh upload stays"
    old = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(path, (old, old))
    assert drop_stale_imports_task.delay().get() == 1
    assert drop_stale_imports_task.delay().get() == 0
