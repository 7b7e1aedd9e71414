"""Whatever people type into a title or a name reaches the spreadsheet as text, never as a formula.

A member named `=HYPERLINK(...)` or a session titled `=cmd|' /C calc'!A0` must not run when a
leader opens the export in Excel or WPS (formula injection). Each export the product offers is
downloaded as its users would, with such text in the names it prints, and read back.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courtlearn import xlsx
from members.models import Department
from reports import exports
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.activities import sessions_factories
from tests.activities.contests_helpers import add_entry, make_assessment, make_contest, make_question
from tests.activities.reading_factories import make_campaign
from tests.factories import make_member

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def read_back(content: bytes) -> dict[str, set[str]]:
    """{payload: data types of the cells holding it}; fails on any formula in the file."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    found: dict[str, set[str]] = {}
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value in PAYLOADS:
                    found.setdefault(cell.value, set()).add(cell.data_type)
    return found


def assert_every_payload_is_text(content: bytes) -> None:
    found = read_back(content)
    assert set(found) == set(PAYLOADS)  # each one shown, unchanged
    assert all(types == {"s"} for types in found.values()), found


def test_the_helper_stores_formula_like_text_as_text_and_numbers_as_numbers():
    book = xlsx.new_workbook()
    sheet = xlsx.add_sheet(book, "名单", ["姓名", "人数", "日期"], [[p, 3, dt.date(2026, 12, 6)] for p in PAYLOADS])
    content = xlsx.to_bytes(book)
    assert_every_payload_is_text(content)
    back = load_workbook(io.BytesIO(content))["名单"]
    assert back["A2"].quotePrefix and back["B2"].data_type == "n" and back["B2"].value == 3
    assert back["C2"].value == dt.datetime(2026, 12, 6) and "年" in back["C2"].number_format
    assert back.freeze_panes == "A2" and back["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= len(PAYLOADS[1])


def test_the_helper_drops_control_characters_and_fixes_sheet_titles():
    book = xlsx.new_workbook()
    sheet = xlsx.add_sheet(book, "速录/测试?[一]", ["备注"], [["a\x0bb\x00c"]])
    back = load_workbook(io.BytesIO(xlsx.to_bytes(book)))
    assert back.sheetnames == [sheet.title] and "/" not in sheet.title and "?" not in sheet.title
    assert back.worksheets[0]["A2"].value == "abc"


def test_a_campaign_title_in_the_reading_export(cast):
    campaign = make_campaign(cast.court, title=PAYLOADS[0])
    for payload in PAYLOADS[1:]:
        make_member(cast.court, payload, department=cast.department)
    response = cast.client_for("organizer").get(reverse("activities:reading_campaign_export", args=[campaign.pk]))
    assert response.status_code == 200
    assert_every_payload_is_text(response.content)


def test_member_and_unit_names_in_the_roster_export(cast):
    for number, payload in enumerate(PAYLOADS):
        department = Department.objects.create(court=cast.court, name=payload)
        make_member(cast.court, payload, department=department, username=f"p{number}")
    response = cast.client_for("organizer").get(reverse("members:roster_export"))
    assert response.status_code == 200
    assert_every_payload_is_text(response.content)


def test_contest_and_entry_titles_in_the_results_export(cast):
    contest = make_contest(cast.court, title=PAYLOADS[0])
    for payload in PAYLOADS:
        add_entry(contest, make_member(cast.court, payload, department=cast.department), title=payload)
    response = cast.client_for("organizer").get(reverse("activities:contest_results_export", args=[contest.pk]))
    assert response.status_code == 200
    assert_every_payload_is_text(response.content)


def test_a_session_title_and_names_in_the_sign_in_sheet(cast):
    session = sessions_factories.make_session(cast.court, title=PAYLOADS[0], created_by=cast.organizer)
    for payload in PAYLOADS[1:]:
        make_member(cast.court, payload, department=cast.department)
    response = cast.client_for("organizer").get(reverse("activities:sessions_attendance_export", args=[session.pk]))
    assert response.status_code == 200
    assert_every_payload_is_text(response.content)


def test_question_text_in_the_question_bank_export(cast):
    for payload in PAYLOADS:
        make_question(cast.court, text=payload)
    response = cast.client_for("organizer").get(reverse("activities:question_export"))
    assert response.status_code == 200
    assert_every_payload_is_text(response.content)


def test_an_assessment_titled_with_characters_excel_forbids_in_sheet_names_still_downloads(cast):
    assessment = make_assessment(cast.court, title="速录测试/第一期?")
    response = cast.client_for("organizer").get(reverse("activities:assessment_template", args=[assessment.pk]))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].title.startswith("速录测试")


def test_unit_names_and_facts_in_the_period_workbook(cast, monkeypatch):
    for payload in PAYLOADS:
        Department.objects.create(court=cast.court, name=payload)
    facts = {
        "built_at": "2026-11-01T08:00:00+08:00",
        "reading": {"campaigns": [{"title": PAYLOADS[0], "starts_on": "2026-10-01"}]},
        "sessions": {"held": 1, "events": [{"date": "2026-10-12", "title": PAYLOADS[1], "unit": PAYLOADS[2]}]},
        "contests": [
            {"title": PAYLOADS[3], "winners": [{"award": "一等奖", "name": PAYLOADS[4], "title": PAYLOADS[5]}]}
        ],
    }
    monkeypatch.setattr(exports, "facts_for", lambda court, period, with_children=False: facts)
    summary_build(court=cast.court, period=Period(MONTH, dt.date(2026, 10, 1)))
    response = cast.client_for("leader").get(
        reverse("reports:export_xlsx", args=[cast.court.pk]), {"period": "2026-10"}
    )
    assert response.status_code == 200
    assert_every_payload_is_text(response.content)
    sheets = load_workbook(io.BytesIO(response.content))
    departments = {row[0] for row in sheets["部门"].iter_rows(min_row=2, values_only=True)}
    assert set(PAYLOADS) <= departments
    winners = [row for row in sheets["比赛评选"].iter_rows(values_only=True) if row[1] == "一等奖"]
    assert winners and winners[0][:5] == (PAYLOADS[3], "一等奖", PAYLOADS[4], None, PAYLOADS[5])


pytestmark = pytest.mark.django_db
