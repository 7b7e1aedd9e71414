"""Offline exams and skills assessments: results by form or Excel import, members' own history."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from activities.models import Assessment, AssessmentResult
from activities.services.contests.assessments import import_report
from members.models import AuditEvent, Member
from tests.activities.contests_helpers import make_assessment, record
from tests.factories import make_member

HEADER = ["工号", "姓名", "成绩", "速度（字/分钟）", "正确率（%）", "备注"]


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_organizer_records_a_typing_test_result_by_form(cast):
    assessment = make_assessment(cast.court)
    url = reverse("activities:assessment_result_create", args=[assessment.pk])
    client = cast.client_for("organizer")
    missing = client.post(url, {"member": cast.colleague.pk, "chars_per_minute": 150})
    assert missing.status_code == 200 and not AssessmentResult.objects.exists()
    response = client.post(url, {"member": cast.colleague.pk, "chars_per_minute": 150, "accuracy": "98.5"})
    assert response.status_code == 302
    result = AssessmentResult.objects.get()
    assert (result.chars_per_minute, result.accuracy, result.recorded_by) == (150, Decimal("98.50"), cast.organizer)
    assert result.passed is True
    assert AuditEvent.objects.filter(action="assessment.result_recorded").exists()


def test_a_skills_contest_score_cannot_exceed_full_marks(cast):
    assessment = make_assessment(cast.court, Assessment.Kind.SKILLS, title="法官助理业务技能评比", pass_score=60)
    url = reverse("activities:assessment_result_create", args=[assessment.pk])
    client = cast.client_for("organizer")
    assert client.post(url, {"member": cast.member.pk, "score": "101"}).status_code == 200
    assert client.post(url, {"member": cast.member.pk, "score": "88.5"}).status_code == 302
    assert AssessmentResult.objects.get().passed is True


def test_pass_lines_for_typing_need_both_speed_and_accuracy(cast):
    assessment = make_assessment(cast.court)
    assert record(assessment, cast.member, chars_per_minute=130, accuracy=Decimal(96)).passed is True
    assert record(assessment, cast.colleague, chars_per_minute=110, accuracy=Decimal(99)).passed is False
    assert record(assessment, cast.leader, chars_per_minute=150, accuracy=Decimal(90)).passed is False


def test_a_limited_organizer_records_only_for_their_department(cast):
    other = Member.objects.get(pk=cast.organizer.pk)
    other.scope_department = cast.other_department  # not the member's department
    other.save()
    assessment = make_assessment(cast.court)
    url = reverse("activities:assessment_result_create", args=[assessment.pk])
    response = cast.client_for("organizer").post(
        url, {"member": cast.member.pk, "chars_per_minute": 150, "accuracy": 99}
    )
    assert response.status_code == 200
    assert not AssessmentResult.objects.exists()


def test_import_checks_each_row_and_writes_only_when_told(cast):
    assessment = make_assessment(cast.court)
    clerk = make_member(cast.court, "吴敏", department=cast.department)
    rows = [
        [cast.colleague.employee_number, "李静", "", 156, "98.2", "优秀"],
        [clerk.employee_number, "吴敏", "", "快", "97", ""],  # speed is not a number
        ["99999", "无名", "", 120, 96, ""],  # no such employee number
        [cast.member.employee_number, "王五", "", 120, 96, ""],  # wrong name
        [cast.colleague.employee_number, "李静", "", 150, 99, ""],  # the same employee number twice
        [cast.leader.employee_number, "赵院长", "", 120, 101, ""],  # accuracy out of range
        [cast.outsider.employee_number, "刘洋", "", 120, 96, ""],  # another court
        [cast.organizer.employee_number, "王芳", "", "", "", ""],  # a roster row left empty: skipped
    ]
    with translation.override("en"):
        report = import_report(io.BytesIO(workbook(rows)), assessment=assessment, managed=Member.objects.all())
    errors = {row.number: " ".join(row.errors) for row in report.rows}
    assert errors[2] == ""
    assert "not a whole number" in errors[3]
    assert "No member of this court" in errors[4]
    assert "belongs to 张明" in errors[5]
    assert "row 2" in errors[6]
    assert "between 0 and 100" in errors[7]
    assert "No member of this court" in errors[8]
    assert 9 not in errors
    url = reverse("activities:assessment_import", args=[assessment.pk])
    client = cast.client_for("organizer")
    page = client.post(url, {"file": SimpleUploadedFile("速录.xlsx", workbook(rows))})
    token = page.context["token"]
    client.post(url, {"token": token, "mode": "all"})
    assert not AssessmentResult.objects.exists(), "nothing is written while errors remain"
    page = client.post(url, {"file": SimpleUploadedFile("速录.xlsx", workbook(rows))})
    client.post(url, {"token": page.context["token"], "mode": "valid"})
    assert list(AssessmentResult.objects.values_list("member__name", "chars_per_minute")) == [("李静", 156)]


def test_the_template_lists_the_members_to_fill_in(cast):
    assessment = make_assessment(cast.court)
    response = cast.client_for("organizer").get(reverse("activities:assessment_template", args=[assessment.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    numbers = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert cast.member.employee_number in numbers and cast.outsider.employee_number not in numbers
    report = import_report(io.BytesIO(response.content), assessment=assessment, managed=Member.objects.all())
    assert report.file_errors, "an untouched template has no results"


def test_a_token_for_one_assessment_does_not_import_into_another(cast):
    first = make_assessment(cast.court)
    second = make_assessment(cast.court, title="第二次速录考核")
    client = cast.client_for("organizer")
    rows = [[cast.colleague.employee_number, "李静", "", 156, "98.2", ""]]
    page = client.post(
        reverse("activities:assessment_import", args=[first.pk]), {"file": SimpleUploadedFile("a.xlsx", workbook(rows))}
    )
    client.post(
        reverse("activities:assessment_import", args=[second.pk]), {"token": page.context["token"], "mode": "all"}
    )
    assert not AssessmentResult.objects.exists()


def test_members_see_their_own_history_only(cast):
    assessment = make_assessment(cast.court)
    record(assessment, cast.member, chars_per_minute=140, accuracy=Decimal(97), remark="合格")
    record(assessment, cast.colleague, chars_per_minute=100, accuracy=Decimal(90), remark="需加强")
    page = cast.client_for("member").get(reverse("activities:my_results")).content.decode()
    assert "140" in page and "合格" in page
    assert "需加强" not in page
    assert cast.client_for("member").get(assessment.get_absolute_url()).status_code == 403


@pytest.mark.parametrize("field", ["score", "chars_per_minute"])
def test_malformed_numbers_in_the_form_are_errors_not_crashes(cast, field):
    assessment = make_assessment(cast.court)
    url = reverse("activities:assessment_result_create", args=[assessment.pk])
    response = cast.client_for("organizer").post(url, {"member": cast.member.pk, field: "abc", "accuracy": "x"})
    assert response.status_code == 200
