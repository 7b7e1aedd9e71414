"""The leader's 驾驶舱 (highlights by name, key figures with their change, two honest charts, units
compared on one figure) and the exports. Pages read summary rows and stored facts only."""

import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.models import Department
from reports.metrics import all_metrics
from reports.models import Summary
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.factories import make_member
from tests.reports.dashboard_facts import busy_month, event, facts_of, facts_stored

OCTOBER = Period(MONTH, dt.date(2026, 10, 1))
SEPTEMBER = Period(MONTH, dt.date(2026, 9, 1))


def grow(cast, n):
    for i in range(n):
        department = Department.objects.create(court=cast.court, name=f"第{i}庭")
        for j in range(3):
            make_member(cast.court, f"干警{i}-{j}", department=department)


def page(client, **params) -> tuple:
    response = client.get(reverse("reports:dashboard"), {"period": "2026-10", **params})
    assert response.status_code == 200
    return response, response.content.decode()


def section(body: str, element_id: str) -> str:
    """The HTML of the element with this id, up to its closing tag (sections do not nest)."""
    start = body.index(f'id="{element_id}"')
    tag = body.rfind("<", 0, start)
    name = re.match(r"<(\w+)", body[tag:])[1]
    return body[tag : body.index(f"</{name}>", start)]


def visible_text(html: str) -> list[str]:
    """Text a person sees or hears on the page: text nodes, titles, labels and placeholders."""

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.texts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style", "template"):
                self.skip += 1
            self.texts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

        def handle_endtag(self, tag):
            if tag in ("script", "style", "template"):
                self.skip -= 1

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.texts.append(data.strip())

    collector = Collector()
    collector.feed(html)
    return collector.texts


@pytest.mark.parametrize("size", [1, 8])
def test_dashboard_query_count_does_not_grow_with_the_data(cast, logged_outputs, django_assert_max_num_queries, size):
    grow(cast, size)
    summary_build(court=cast.court, period=OCTOBER)
    client = cast.client_for("leader")
    # 14 measured (as before the 驾驶舱), with reports.facts stubbed; reading the stored facts adds one or two.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:dashboard"), {"period": "2026-10"})
    assert response.status_code == 200


def test_leader_reads_the_highlights_by_name(cast, logged_outputs, monkeypatch):
    summary_build(court=cast.court, period=OCTOBER)
    facts_stored(monkeypatch, {cast.court.pk: busy_month(cast.court, OCTOBER)})
    response, body = page(cast.client_for("leader"))
    highlights = section(body, "highlights")
    assert "“周分享演讲比赛”论坛之星：张明（民一庭）《我和我热爱的岗位》" in highlights
    assert "李静（民一庭）《读《乡土中国》有感》" in highlights
    assert "论文《司法确认程序研究》（王芳）；全市法院优秀论文一等奖" in highlights
    assert "赵院长推荐书目2本：《红岩》、《乡土中国》" in highlights
    assert "“书记员速录测试”：24人参加，20人合格，最快每分钟186字" in highlights
    assert "周分享“我和我热爱的岗位（第1期）”；主讲：张明、李静" in highlights and "10月1日" in highlights
    # Eight lines first, named results before what was held; the other sessions behind "更多".
    shown = highlights.split("<details")[0]
    assert shown.count('class="highlight ') == 8
    assert shown.index("论坛之星") < shown.index("第1期")
    assert "更多（6项）" in highlights and "第9期" in highlights.split("<details")[1]


def test_merged_facts_say_which_court(cast, logged_outputs, monkeypatch):
    for court in (cast.court, cast.other_court, cast.city):
        summary_build(court=court, period=OCTOBER)
    facts = facts_of(
        cast.city,
        OCTOBER,
        sessions={
            "events": [event(dt.date(2026, 10, 8), "学习宪法", "刘洋") | {"court": cast.other_court.name}],
            "events_total": 1,
        },
    )
    facts_stored(monkeypatch, {cast.city.pk: facts})
    _response, body = page(cast.client_for("city_leader"), scope="tree")
    assert f"· {cast.other_court.name}" in section(body, "highlights")


def test_a_quiet_period_says_so_instead_of_an_empty_list(cast, logged_outputs, monkeypatch):
    summary_build(court=cast.court, period=OCTOBER)
    facts_stored(monkeypatch, {cast.court.pk: facts_of(cast.court, OCTOBER)})
    _response, body = page(cast.client_for("leader"))
    assert "本期还没有记录到学习活动" in section(body, "highlights")
    assert 'class="highlight ' not in body


def test_a_period_never_built_is_built_when_the_dashboard_opens(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 2})
    _response, body = page(cast.client_for("leader"))
    assert "本期数据尚未生成" not in body and "数据更新于" in body
    assert Summary.objects.filter(court=cast.court, unit_kind="court", period_start=OCTOBER.start).exists()


def test_a_period_whose_build_fails_says_so_instead_of_zeros(cast, logged_outputs, monkeypatch):
    from reports import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "summary_build", broken)
    _response, body = page(cast.client_for("leader"))
    note = section(body, "not-built")
    assert "本期数据尚未生成" in note and "重新生成本期汇总" not in note  # leaders do not rebuild
    assert "关键指标" not in body and 'id="compare"' not in body and "数据更新于" not in body
    assert 'id="chart-counts"' not in body  # no twelve empty periods either
    _response, body = page(cast.client_for("organizer"))
    assert "重新生成本期汇总" in section(body, "not-built")


def test_the_page_says_when_its_numbers_were_built(cast, logged_outputs):
    summary_build(court=cast.court, period=OCTOBER, now=timezone.make_aware(dt.datetime(2026, 11, 1, 14, 5)))
    _response, body = page(cast.client_for("leader"))
    assert "数据更新于 2026年11月1日 14:05" in body


def test_key_figures_show_their_change_against_the_previous_period(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 1})
    summary_build(court=cast.court, period=SEPTEMBER)
    logged_outputs.update({cast.member.pk: 3, cast.colleague.pk: 2})
    summary_build(court=cast.court, period=OCTOBER)
    response, body = page(cast.client_for("leader"))
    figures = {k.metric.key: k for k in response.context["kpis"]}
    outputs, rate = figures["test_outputs"], figures["participation_rate"]
    assert (outputs.value, outputs.previous, outputs.direction, outputs.change) == (5, 1, "up", 4)
    assert (rate.value, rate.previous, rate.direction, rate.change) == (50.0, 25.0, "up", 25.0)
    assert figures["members"].direction == "same"
    assert "↑ 4" in body and "上期 1" in body and "↑ 25.0" in body and "上期 25.0%" in body and "持平" in body


def test_a_previous_period_never_built_has_no_change_rather_than_a_rise_from_zero(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 3})
    summary_build(court=cast.court, period=OCTOBER)
    response, body = page(cast.client_for("leader"))
    outputs = next(k for k in response.context["kpis"] if k.metric.key == "test_outputs")
    assert outputs.previous is None and outputs.direction == ""
    assert "上期无数据" in body and "↑" not in body


def test_counts_and_rates_never_share_a_chart(cast, logged_outputs):
    summary_build(court=cast.court, period=SEPTEMBER)
    summary_build(court=cast.court, period=OCTOBER)
    response, body = page(cast.client_for("leader"))
    charts = response.context["chart_data"]
    by_key = {m.key: m for m in all_metrics()}
    assert charts["counts"] and all(not by_key[s["key"]].ratio_of for s in charts["counts"])
    assert charts["rates"] and all(by_key[s["key"]].percent and by_key[s["key"]].ratio_of for s in charts["rates"])
    assert charts["titles"][-2:] == ["2026年9月", "2026年10月"] and charts["labels"][-1] == "26年10月"
    # August was never built: a gap in the line, not a fall to zero.
    sessions = next(s for s in charts["counts"] if s["key"] == "sessions_held")
    assert sessions["data"][-3:] == [None, 0, 0]
    assert 'id="dashboard-charts"' in body and "<script>" not in body.split('id="dashboard-charts"')[0][-200:]


def test_units_are_compared_on_the_chosen_figure(cast, logged_outputs):
    quiet = Department.objects.create(court=cast.court, name="执行局")
    busy = Department.objects.create(court=cast.court, name="刑事审判庭")
    logged_outputs.update({make_member(cast.court, "周强", department=busy).pk: 7, cast.member.pk: 2})
    make_member(cast.court, "孙丽", department=quiet)
    summary_build(court=cast.court, period=OCTOBER)
    response, body = page(cast.client_for("leader"), by="department", compare="test_outputs")
    assert [(b.name, b.value) for b in response.context["bars"]][:3] == [
        ("刑事审判庭", 7),
        ("民一庭", 2),
        ("执行局", 0),
    ]
    assert [b.width for b in response.context["bars"]][:3] == [100.0, 28.6, 0.0]
    compare = section(body, "compare")
    assert 'value="test_outputs" selected' in compare and 'value="department" selected' in compare
    # Drill down into a department from its bar; the full table is one tap away, in its own scroll box.
    url = reverse("reports:unit_detail", args=[cast.court.pk, "department", busy.pk])
    assert f'href="{url}?period=2026-10"' in compare
    assert '<details class="full-table"' in compare and 'class="table-scroll' in compare

    response, _body = page(cast.client_for("leader"), by="branch", compare="participation_rate")
    assert [(b.name, b.value) for b in response.context["bars"]] == [("第一党支部", 50.0)]


def test_nonsense_in_the_compare_picker_falls_back_instead_of_failing(cast, logged_outputs):
    summary_build(court=cast.court, period=OCTOBER)
    response, _body = page(cast.client_for("leader"), by="court", compare="<script>")
    assert response.context["by"] == "department"  # a basic court has no courts below
    assert response.context["compare_metric"].key == "participation_rate"


def test_city_leader_compares_the_courts_below(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 1, cast.outsider.pk: 1})
    for court in (cast.court, cast.other_court, cast.city):
        summary_build(court=court, period=OCTOBER)
    response, body = page(cast.client_for("city_leader"), compare="test_outputs")
    assert response.context["by"] == "court"
    assert sorted(b.name for b in response.context["bars"]) == sorted([cast.court.name, cast.other_court.name])
    assert f'href="?court={cast.court.pk}&amp;period=2026-10"' in section(body, "compare")


def test_the_chinese_page_has_no_english_words(cast, monkeypatch):
    """Without the test-only metric (its label is English): the real catalogue, a real build."""
    summary_build(court=cast.court, period=SEPTEMBER)
    summary_build(court=cast.court, period=OCTOBER)
    facts_stored(monkeypatch, {cast.court.pk: busy_month(cast.court, OCTOBER)})
    for role in ("organizer", "leader", "city_leader"):  # the city court itself was never built
        _response, body = page(cast.client_for(role))
        main = body[body.index("<main") : body.index("</main>")]
        words = {w for text in visible_text(main) for w in re.findall(r"[A-Za-z]{2,}", text)}
        assert words <= {"Excel", "Word"}, words
    # The compare picker lists every figure of the table; the not-built note too.
    _response, body = page(cast.client_for("organizer"), period="2026-07")
    main = body[body.index("<main") : body.index("</main>")]
    assert {w for text in visible_text(main) for w in re.findall(r"[A-Za-z]{2,}", text)} <= {"Excel", "Word"}


def test_a_malformed_period_is_explained_not_a_500(cast):
    response = cast.client_for("leader").get(reverse("reports:dashboard"), {"period": "2026-99"})
    assert response.status_code == 200
    assert response.context["period"] == Period.containing(MONTH, timezone.localdate())
    assert "2026-99" in response.content.decode()  # the warning names what was wrong


def test_excel_workbook_has_a_sheet_per_level_with_numbers(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 2})
    summary_build(court=cast.court, period=OCTOBER)
    response = cast.client_for("organizer").get(
        reverse("reports:export_xlsx", args=[cast.court.pk]), {"period": "2026-10"}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:5] == ["说明", "法院", "部门", "党支部", "学习小组"]
    departments = book["部门"]
    assert departments.freeze_panes == "B2"
    columns = ["unit"] + [m.key for m in all_metrics()]
    rows = {departments.cell(r, 1).value: [c.value for c in departments[r]] for r in range(2, departments.max_row + 1)}
    civil = dict(zip(columns, rows["民一庭"], strict=True))
    assert civil["members"] == 2 and civil["active_members"] == 1 and civil["test_outputs"] == 2
    assert civil["participation_rate"] == 50.0  # numbers stored as numbers, not text


# The Word 情况总结 and its sentences: tests/reports/test_narrative.py and test_summary_docx.py.


def test_organizer_sets_points_weights_and_bad_numbers_are_refused(cast, logged_outputs):
    client = cast.client_for("organizer")
    url = reverse("reports:points_edit", args=[cast.court.pk])
    assert client.post(url, {"test_outputs": "-3"}).status_code == 200
    assert not cast.court.points_weights.exists()
    assert client.post(url, {"test_outputs": "abc"}).status_code == 200
    assert client.post(url, {"test_outputs": "2.5"}).status_code == 302
    assert float(cast.court.points_weights.get().weight) == 2.5


@pytest.mark.django_db(transaction=True)  # real commits: each build runs when its queueing commits, in the request
def test_without_a_worker_a_rebuild_that_fails_for_one_court_builds_the_others_and_says_so(cast, monkeypatch):
    """Queued like every task (courtlearn.outbox.enqueue): without a worker each court's build
    runs once its queueing commits; a failure is recorded on that court's build and the
    rebuild goes on with the courts below."""
    from reports import services
    from reports.models import SummaryBuild

    real_summary_build = services.summary_build

    def failing_for_the_court(*, court, period, now=None):
        if court.pk == cast.court.pk:
            raise RuntimeError("disk full")
        return real_summary_build(court=court, period=period, now=now)

    monkeypatch.setattr(services, "summary_build", failing_for_the_court)
    city_organizer = make_member(cast.city, "周干事", role="organizer", username="city_organizer")
    client = cast.client_for("leader")
    client.force_login(city_organizer.user, backend="members.backends.MemberModelBackend")
    response = client.post(reverse("reports:rebuild", args=[cast.city.pk]), {"period": "2026-10"})
    assert response.status_code == 302
    builds = {b.court_id: b for b in SummaryBuild.objects.all()}
    assert builds[cast.court.pk].status == SummaryBuild.Status.FAILED and builds[cast.court.pk].error == "disk full"
    assert builds[cast.city.pk].status == builds[cast.other_court.pk].status == SummaryBuild.Status.DONE
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("统计汇总生成失败" in m for m in said), said  # the interface speaks Chinese by default
