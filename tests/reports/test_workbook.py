"""The period workbook says what the court did: a sheet per family, read from the built facts.

The facts are made by hand here (their builder is another slice): the tests patch the
workbook's facts_for and download the file as a leader would.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Department
from reports import exports
from reports.periods import QUARTER, Period
from reports.services import summary_build

Q2 = Period(QUARTER, dt.date(2026, 4, 1))
FAMILY_SHEETS = ["书香法院", "学习活动", "比赛评选", "微测验", "考核测试", "月度计划", "资格证书", "调研成果", "招募"]

FACTS = {
    "version": 1,
    "court": {"id": 0, "name": "前郭县人民法院"},
    "period": {"key": "2026-Q2", "start": "2026-04-01", "end": "2026-07-01"},
    "built_at": "2026-12-06T09:42:00+00:00",
    "reading": {
        "campaigns": [
            {
                "id": 1,
                "title": "点燃读书热情 创建书香法院",
                "starts_on": "2026-04-01",
                "ends_on": "2026-12-31",
                "plan_document": "活动方案.docx",
                "initiative_letter": True,
                "goal_books": 6,
            }
        ],
        "recommendations": {
            "count": 2,
            "recommenders": 2,
            "leaders": 1,
            "people": [{"name": "赵建国", "title": "党组书记、院长"}, {"name": "王芳", "title": "科员"}],
            "books": ["红岩", "红星照耀中国"],
        },
        "plans": {"members": 52, "books": 140},
        "logs": 310,
        "readers": 61,
        "books_finished": 44,
        "reflections": {
            "submitted": 35,
            "authors": 30,
            "featured": [
                {"title": "读《红岩》有感", "author": "张明", "unit": "民一庭", "date": "2026-05-03", "kind": "reading"}
            ],
        },
        "donations": [{"partner": "巴彦社区", "date": "2026-05-20", "titles": ["民法典", "红岩"], "copies": 30}],
        "donated_copies": 30,
    },
    "sessions": {
        "held": 2,
        "attendances": 112,
        "attendees": 70,
        "expected": 130,
        "by_kind": [{"code": "weekly_share", "name": "周分享", "held": 2, "attendances": 112}],
        "by_level": {"center_group": 0, "branch": 1, "self": 0},
        "speakers": {"leader": 1, "secretary": 0, "expert": 1, "officer": 1, "guests": 1},
        "series": [],
        "hosts": [],
        "events": [
            {
                "id": 17,
                "date": "2026-04-15",
                "kind": "周分享",
                "kind_code": "weekly_share",
                "title": "我和我热爱的岗位",
                "topic": "",
                "level": "branch",
                "unit": "政治部",
                "host": "",
                "audience": "全院",
                "place": "一楼会议室",
                "series": "学习党的二十大精神",
                "series_item": "第一讲",
                "speakers": [
                    {"name": "张明", "role": "officer", "guest": False},
                    {"name": "周教授", "role": "expert", "guest": True},
                ],
                "attendance": 62,
                "expected": 70,
            },
            {
                "id": 18,
                "date": "2026-05-11",
                "kind": "周分享",
                "kind_code": "weekly_share",
                "title": "院长讲党课",
                "topic": "",
                "level": "",
                "unit": "",
                "host": "立案庭",
                "audience": "全院",
                "place": "",
                "series": "",
                "series_item": "",
                "speakers": [{"name": "赵建国", "role": "leader", "guest": False}],
                "attendance": 50,
                "expected": 60,
            },
        ],
        "events_total": 2,
    },
    "contests": [
        {
            "id": 2,
            "title": "周分享演讲比赛",
            "kind": "speech",
            "kind_label": "演讲比赛/周分享评比",
            "entrants": 12,
            "entries": 12,
            "voters": 62,
            "votes": 62,
            "judges": 5,
            "cross_review": False,
            "audience_vote": True,
            "judging": True,
            "session": "",
            "winners": [
                {
                    "award": "论坛之星",
                    "award_kind": "forum_star",
                    "name": "张明",
                    "unit": "民一庭",
                    "title": "我和我热爱的岗位",
                },
                {"award": "一等奖", "award_kind": "first", "name": "李静", "unit": "刑事审判庭", "title": "守护"},
            ],
        }
    ],
    "quizzes": {"rounds": 15, "participants": 96, "attempts": 800, "average": 86.4, "pass_rate": 93.5, "titles": []},
    "assessments": [
        {
            "id": 1,
            "title": "书记员速录测试",
            "kind": "typing",
            "date": "2026-05-10",
            "tested": 24,
            "average_score": None,
            "best_score": None,
            "average_speed": 132.5,
            "best_speed": 186,
            "average_accuracy": 98.2,
            "passed": 20,
        }
    ],
    "qualifications": [{"name": "家庭教育指导师", "count": 2, "holders": ["徐长芳", "张明"]}],
    "monthly_plans": {
        "months": 3,
        "members": 120,
        "planned": 330,
        "on_time": 300,
        "late": 20,
        "not_reported": 10,
        "pending": 0,
        "without_plan": 30,
        "items": 1200,
        "items_done": 1100,
        "by_department": [
            {
                "unit": "民一庭",
                "members": 10,
                "planned": 30,
                "on_time": 28,
                "late": 1,
                "not_reported": 1,
                "pending": 0,
                "without_plan": 0,
            },
            {
                "unit": "",
                "members": 2,
                "planned": 6,
                "on_time": 6,
                "late": 0,
                "not_reported": 0,
                "pending": 0,
                "without_plan": 0,
            },
        ],
    },
    "outputs": {
        "count": 3,
        "by_kind": [
            {"kind": "paper", "label": "论文", "count": 2, "titles": ["论审判", "论调解"]},
            {"kind": "typical_case", "label": "典型案例", "count": 1, "titles": ["某某案"]},
        ],
        "recognized": [],
    },
    "compilations": [],
    "recruitment": [{"group": "习近平法治思想研习小组", "number": 2, "applied": 140, "selected": 100, "squads": 9}],
}


@pytest.fixture
def facts(monkeypatch):
    """The facts the workbook reads, as built; the calls it made, to check the scope it asked for."""
    current = {"facts": copy.deepcopy(FACTS), "calls": []}

    def fake_facts_for(court, period, *, with_children=False):
        current["calls"].append((court.pk, period, with_children))
        return current["facts"]

    monkeypatch.setattr(exports, "facts_for", fake_facts_for)
    return current


def download(cast, role="leader", court=None, client=None, **params):
    court = court or cast.court
    client = client or cast.client_for(role)
    response = client.get(reverse("reports:export_xlsx", args=[court.pk]), {"period": Q2.key, **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content))


def rows(sheet, min_row=1):
    return [list(row) for row in sheet.iter_rows(min_row=min_row, values_only=True)]


def row_with(sheet, text):
    """The row (as cells) whose values include text."""
    for row in sheet.iter_rows():
        if any(cell.value == text for cell in row):
            return row
    raise AssertionError(f"{text!r} not in {sheet.title}")


def values(row):
    """The row's values without the empty cells a wider table above leaves at its end."""
    out = [cell.value for cell in row]
    while out and out[-1] is None:
        out.pop()
    return out


def test_the_workbook_has_about_the_unit_levels_and_every_family(cast, facts):
    book = download(cast)
    assert book.sheetnames == ["说明", "法院", "部门", "党支部", "学习小组", *FAMILY_SHEETS, "指标说明"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    about = [cell for row in rows(book["说明"]) for cell in row if cell]
    assert cast.court.name in about and Q2.label in about
    assert "数据生成于 2026年12月6日 17:42" in about  # 09:42 UTC is 17:42 in Shanghai
    assert facts["calls"] == [(cast.court.pk, Q2, False)]


def test_numbers_are_numbers_and_names_are_text(cast, facts):
    book = download(cast)
    event = row_with(book["学习活动"], "我和我热爱的岗位")
    header = values(row_with(book["学习活动"], "主讲人"))
    by_header = dict(zip(header, event, strict=True))
    assert by_header["题目"].data_type == "s" and by_header["类型"].value == "周分享"
    assert by_header["实到人数"].value == 62 and by_header["实到人数"].data_type == "n"
    assert by_header["应到人数"].value == 70 and by_header["应到人数"].data_type == "n"
    assert by_header["出勤率（%）"].data_type == "n"
    assert by_header["出勤率（%）"].value == pytest.approx(62 * 100 / 70, abs=0.05)
    assert by_header["日期"].value == dt.datetime(2026, 4, 15)  # a date Excel can sort, not text
    assert by_header["主讲人"].value == "张明（干警）、周教授（专家，特邀）"
    assert by_header["系列学习方案"].value == "学习党的二十大精神"
    court_session = values(row_with(book["学习活动"], "院长讲党课"))
    assert court_session[5:7] == [cast.court.name, "立案庭"]  # organized by the court, hosted by 立案庭
    quiz = dict(zip(values(book["微测验"][1]), book["微测验"][2], strict=True))
    assert quiz["平均分"].value == 86.4 and quiz["及格率（%）"].value == 93.5
    assert all(cell.data_type == "n" for cell in quiz.values())
    typing = dict(zip(values(book["考核测试"][1]), values(book["考核测试"][2]), strict=True))
    assert typing["平均速度（字/分钟）"] == 132.5 and typing["合格人数"] == 20 and typing["平均分"] is None


def test_winner_rows_name_the_award_the_person_the_unit_and_the_entry(cast, facts):
    sheet = download(cast)["比赛评选"]
    contest = dict(zip(values(sheet[1]), values(sheet[2]), strict=True))
    assert contest["比赛评选"] == "周分享演讲比赛" and contest["投票人数"] == 62 and contest["评委人数"] == 5
    header = values(row_with(sheet, "奖项"))
    star = dict(zip(header, values(row_with(sheet, "论坛之星")), strict=True))
    assert star == {
        "比赛评选": "周分享演讲比赛",
        "奖项": "论坛之星",
        "姓名": "张明",
        "单位": "民一庭",
        "作品": "我和我热爱的岗位",
    }
    first = dict(zip(header, values(row_with(sheet, "一等奖")), strict=True))
    assert (first["姓名"], first["单位"], first["作品"]) == ("李静", "刑事审判庭", "守护")


def test_reading_monthly_plans_outputs_and_recruitment_read_as_a_court_would_report_them(cast, facts):
    book = download(cast)
    reading = book["书香法院"]
    assert values(row_with(reading, "点燃读书热情 创建书香法院"))[1] == dt.datetime(2026, 4, 1)
    assert values(row_with(reading, "赵建国")) == ["赵建国", "党组书记、院长"]
    assert values(row_with(reading, "巴彦社区")) == ["巴彦社区", dt.datetime(2026, 5, 20), "民法典、红岩", 30]
    assert values(row_with(reading, "读《红岩》有感"))[:3] == ["读《红岩》有感", "张明", "民一庭"]
    assert values(row_with(reading, "捐赠图书（册）")) == ["捐赠图书（册）", 30]
    plans = book["月度计划"]
    assert values(plans[1])[:3] == ["部门", "人数", "已制定计划"]
    assert values(plans[1])[-2:] == ["未到报告期", "未制定计划"]
    assert values(row_with(plans, "民一庭")) == ["民一庭", 10, 30, 28, 1, 1, 0, 0]
    assert values(row_with(plans, "未分配部门"))[:3] == ["未分配部门", 2, 6]  # members with no department
    assert values(row_with(plans, "合计")) == ["合计", 120, 330, 300, 20, 10, 0, 30]  # the court's total row
    outputs = book["调研成果"]
    assert values(row_with(outputs, "论文")) == ["论文", 2]
    assert values(row_with(outputs, "论调解")) == ["论文", "论调解"]
    assert values(book["资格证书"][2]) == ["家庭教育指导师", "徐长芳、张明", 2]
    assert values(book["招募"][2]) == ["习近平法治思想研习小组", 2, 140, 100, 9]
    assert book["学习活动"].freeze_panes == "A2" and book["学习活动"]["A1"].font.bold


def test_a_family_with_nothing_in_the_period_says_so_in_one_line(cast, facts):
    facts["facts"]["contests"] = []
    facts["facts"]["quizzes"] = {"rounds": 0, "participants": 0, "attempts": 0, "average": None, "pass_rate": None}
    facts["facts"]["monthly_plans"].update(planned=0, on_time=0, late=0, not_reported=0, by_department=[])
    book = download(cast)
    for name in ("比赛评选", "微测验", "月度计划"):
        assert rows(book[name]) == [["本期无记录"]], name
    assert rows(book["招募"]) != [["本期无记录"]]


def test_a_period_never_built_says_so_and_keeps_every_sheet(cast, facts):
    facts["facts"] = None
    book = download(cast)
    assert book.sheetnames[-10:-1] == FAMILY_SHEETS
    about = [cell for row in rows(book["说明"]) for cell in row if cell]
    assert "本期数据尚未生成。" in about and not any(str(cell).startswith("数据生成于") for cell in about)
    for name in FAMILY_SHEETS:
        assert rows(book[name]) == [["本期数据尚未生成。"]], name


def test_text_that_looks_like_a_formula_stays_text(cast, facts):
    payload = '=HYPERLINK("http://x","y")'
    facts["facts"]["contests"][0]["winners"][0]["name"] = payload
    facts["facts"]["sessions"]["events"][0]["title"] = "+1+1"
    sheet = download(cast)["比赛评选"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == payload)
    assert cell.data_type == "s"


def test_a_city_leader_reads_the_tree_with_each_row_naming_its_court(cast, facts):
    merged = facts["facts"]
    merged["court"] = {"id": cast.city.pk, "name": cast.city.name}
    for item in (
        *merged["reading"]["campaigns"],
        *merged["reading"]["donations"],
        *merged["reading"]["recommendations"]["people"],
        *merged["reading"]["reflections"]["featured"],
        *merged["sessions"]["events"],
        *merged["sessions"]["by_kind"],
        *merged["contests"],
        *merged["assessments"],
        *merged["qualifications"],
        *merged["monthly_plans"]["by_department"],
        *merged["outputs"]["by_kind"],
        *merged["recruitment"],
    ):
        item["court"] = cast.court.name
    merged["contests"].append({**merged["contests"][0], "court": cast.other_court.name, "winners": []})
    merged["missing_courts"] = [cast.other_court.name]
    book = download(cast, "city_leader", court=cast.city, scope="tree")
    assert facts["calls"] == [(cast.city.pk, Q2, True)]
    whole = f"{cast.city.name}及下级法院"
    about = [cell for row in rows(book["说明"]) for cell in row if cell]
    assert about[:2] == ["法院", whole]
    assert f"以下法院本期数据尚未生成，未计入：{cast.other_court.name}" in about
    for name in FAMILY_SHEETS:
        sheet = book[name]
        assert sheet["A1"].value == "法院", name
        for row in rows(sheet, min_row=2):
            filled = [cell for cell in row if cell is not None]
            if len(filled) > 1 and row[0] != "法院":  # not a caption, a gap or a table's header
                assert row[0] in (cast.court.name, cast.other_court.name, whole), (name, row)
    contests = [row[0] for row in rows(book["比赛评选"], min_row=2) if row[1] == "周分享演讲比赛"]
    assert contests[:2] == [cast.court.name, cast.other_court.name]
    star = values(row_with(book["比赛评选"], "论坛之星"))
    assert star[0] == cast.court.name and star[3:5] == ["张明", "民一庭"]
    assert values(row_with(book["月度计划"], "合计"))[0] == whole
    courts = [row[0] for row in rows(book["法院"], min_row=2)]
    assert courts == [cast.city.name, *sorted([cast.court.name, cast.other_court.name]), whole]


def test_a_court_without_courts_below_reads_its_own_facts_even_when_asked_for_the_tree(cast, facts):
    book = download(cast, "leader", scope="tree")
    assert facts["calls"] == [(cast.court.pk, Q2, False)]
    assert book["比赛评选"]["A1"].value == "比赛评选"


@pytest.mark.parametrize("size", [1, 8])
def test_the_workbook_costs_the_same_queries_whatever_the_number_of_units(
    cast, facts, django_assert_max_num_queries, size
):
    for i in range(size):
        Department.objects.create(court=cast.court, name=f"第{i}庭")
    summary_build(court=cast.court, period=Q2)
    client = cast.client_for("leader")
    with django_assert_max_num_queries(12):
        book = download(cast, client=client)
    assert len(rows(book["部门"], min_row=2)) == size + 2  # 民一庭, 政治部 and the new ones
