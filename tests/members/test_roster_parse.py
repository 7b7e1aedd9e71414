"""Reading roster files: formats, encodings, headers, and every row-level mistake."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from members.models import Member
from members.roster import RosterFileError, describe_error, parse_date, parse_roster

from .rosters import HEADER, NEW_PEOPLE, csv_bytes, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English; the Chinese ones come from the catalogue."""
    with translation.override("en"):
        yield


def codes(row: dict) -> list[str]:
    return [e["code"] for e in row["errors"]]


def test_xlsx_rows_are_read_with_labels_mapped_to_choices():
    parsed = parse_roster(upload("花名册.xlsx", xlsx_bytes(NEW_PEOPLE)))
    assert parsed.columns == [
        "name",
        "employee_number",
        "department",
        "position_category",
        "title",
        "political_status",
        "party_branch",
        "party_group",
        "birth_date",
        "study_groups",
    ]
    first, second, third = parsed.rows
    assert first["line"] == 2 and first["errors"] == []
    assert first["values"]["position_category"] == Member.PositionCategory.SUPPORT
    assert first["values"]["title"] == "法官助理"  # as written; the preview derives the category
    assert first["values"]["political_status"] == Member.PoliticalStatus.PARTY
    assert second["values"]["birth_date"] == "1980-11-02"
    assert third["values"]["birth_date"] == "1999-01-05"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    parsed = parse_roster(upload("roster.csv", csv_bytes(NEW_PEOPLE, encoding=encoding)))
    assert [r["values"]["name"] for r in parsed.rows] == ["孙丽", "周强", "吴婷"]
    assert all(r["errors"] == [] for r in parsed.rows)


def test_excel_number_and_date_cells_become_text_and_dates():
    rows = [["王  芳", 1024, "民一庭", "审判", "法官", "党员", "", "", dt.datetime(1990, 5, 1), ""]]
    (row,) = parse_roster(upload("r.xlsx", xlsx_bytes(rows))).rows
    assert row["values"]["employee_number"] == "1024"  # not "1024.0"
    assert row["values"]["name"] == "王芳"  # padding spaces in two-character names removed
    assert row["values"]["birth_date"] == "1990-05-01"


def test_a_title_line_above_the_headers_is_skipped():
    parsed = parse_roster(upload("r.xlsx", xlsx_bytes(NEW_PEOPLE, title="前郭县人民法院干警花名册")))
    assert len(parsed.rows) == 3 and parsed.rows[0]["line"] == 3


def test_only_name_and_number_are_required_and_unknown_headers_are_ignored():
    parsed = parse_roster(upload("r.csv", csv_bytes([["孙丽", "3001", "x"]], header=["姓名", "工号", "备注"])))
    assert parsed.columns == ["name", "employee_number"]
    assert parsed.ignored_headers == ["备注"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["姓名", "部门", "职务"], "工号"),  # a required column is missing
        (["甲", "乙"], "No header row"),
    ],
)
def test_a_file_without_the_required_headers_is_refused(header, message):
    with pytest.raises(RosterFileError, match=message):
        parse_roster(upload("r.csv", csv_bytes([["a", "b", "c", "d"]], header=header)))


def test_row_errors_say_what_is_wrong():
    rows = [
        ["", "3001", "民一庭", "", "", "", "", "", "", ""],  # missing name
        ["郑凯", "3005", "民一庭", "", "", "", "", "", "1990-13-01", ""],  # bad date
        ["钱宁", "3006", "民一庭", "", "", "", "", "第一党小组", "", ""],  # party group without branch
        ["冯雪", "3007", "民一庭", "", "", "", "", "", "2990-01-01", ""],  # a date in the future
    ]
    parsed = parse_roster(upload("r.csv", csv_bytes(rows)))
    assert [codes(r) for r in parsed.rows] == [["missing"], ["bad_date"], ["group_without_branch"], ["bad_date"]]
    with translation.override("en"):
        assert describe_error(parsed.rows[1]["errors"][0]) == (
            "出生日期: “1990-13-01” is not a date (write it as 1990-05-01)."
        )


def test_titles_and_unknown_wordings_are_never_errors():
    rows = [
        ["孙丽", "3002", "民一庭", "审判员额", "", "", "", "", "", ""],  # a category the product does not know
        ["周强", "3003", "民一庭", "", "大法官", "", "", "", "", ""],  # any title, as written
        ["吴婷", "3004", "民一庭", "", "副 主 任", "无党派人士", "", "", "", ""],
    ]
    parsed = parse_roster(upload("r.csv", csv_bytes(rows)))
    assert [r["errors"] for r in parsed.rows] == [[], [], []]
    assert parsed.rows[0]["unknown"] == {"position_category": "审判员额"}
    assert parsed.rows[0]["values"]["position_category"] == ""  # filled by the court's answer in the preview
    assert [r["values"]["title"] for r in parsed.rows] == ["", "大法官", "副主任"]
    assert parsed.rows[2]["unknown"] == {"political_status": "无党派人士"}


def test_a_duplicate_employee_number_marks_every_row_that_has_it():
    rows = [NEW_PEOPLE[0], NEW_PEOPLE[1], [*NEW_PEOPLE[2][:1], "3001", *NEW_PEOPLE[2][2:]]]
    parsed = parse_roster(upload("r.csv", csv_bytes(rows)))
    assert [codes(r) for r in parsed.rows] == [["duplicate"], [], ["duplicate"]]
    assert parsed.rows[0]["errors"][0]["lines"] == "2、4"


def test_study_groups_are_split_and_a_leader_is_marked():
    rows = [["孙丽", "3001", "", "", "", "", "", "", "", "青年理论学习小组（组长）、第一学习小队,民事学习小组"]]
    (row,) = parse_roster(upload("r.csv", csv_bytes(rows))).rows
    assert row["values"]["study_groups"] == [
        ["青年理论学习小组", "leader"],
        ["第一学习小队", ""],
        ["民事学习小组", ""],
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"old Excel file \(\.xls\)"),
        ("r.pdf", b"%PDF-1.4", "PDF"),
        ("r.csv", "姓名,工号\n".encode(), "no rows"),
        ("r.csv", b"\xff\xfe\x00\x00\x01garbage\x00", "cannot be read as a table"),
        ("r.csv", b"", "empty"),
    ],
)
def test_files_that_are_not_rosters_are_refused_with_a_reason(name, data, message):
    with pytest.raises(RosterFileError, match=message):
        parse_roster(upload(name, data))


def test_an_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(RosterFileError, match="too large"):
        parse_roster(upload("r.csv", csv_bytes(NEW_PEOPLE * 10)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-01", dt.date(1990, 5, 1)),
        ("1990/5/1", dt.date(1990, 5, 1)),
        ("1990.5.1", dt.date(1990, 5, 1)),
        ("19900501", dt.date(1990, 5, 1)),
        ("1990年5月1日", dt.date(1990, 5, 1)),
        ("1990-02-30", None),
        ("五月", None),
        ("1990-05", None),
    ],
)
def test_birth_dates_in_the_ways_rosters_write_them(text, expected):
    assert parse_date(text) == expected


def test_messages_are_in_chinese_by_default():
    with translation.override("zh-hans"):
        assert describe_error({"code": "missing", "column": "姓名"}) == "“姓名”为空。"


def test_header_notes_and_required_marks_are_ignored():
    header = ["*姓名", "工号（必填）", "出生日期(年-月-日)", *HEADER[2:8]]
    parsed = parse_roster(upload("r.csv", csv_bytes([["孙丽", "3001", "1990-1-2"]], header=header)))
    assert parsed.rows[0]["values"]["birth_date"] == "1990-01-02"


def test_a_second_column_for_the_same_field_is_ignored_not_refused():
    """编号 is often a running number beside the real 工号; 庭室 beside 部门: the canonical header wins."""
    header = ["编号", "姓名", "工号", "庭室", "部门"]
    parsed = parse_roster(upload("r.csv", csv_bytes([["1", "孙丽", "3001", "民事", "民一庭"]], header=header)))
    assert parsed.rows[0]["values"]["employee_number"] == "3001"
    assert parsed.rows[0]["values"]["department"] == "民一庭"
    assert sorted(parsed.ignored_headers) == ["庭室", "编号"]
