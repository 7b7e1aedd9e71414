"""The leader's dashboard and exports read summary rows only."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from members.models import Department
from reports.metrics import all_metrics
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.factories import make_member

OCTOBER = Period(MONTH, dt.date(2026, 10, 1))


def grow(cast, n):
    for i in range(n):
        department = Department.objects.create(court=cast.court, name=f"第{i}庭")
        for j in range(3):
            make_member(cast.court, f"干警{i}-{j}", department=department)


@pytest.mark.parametrize("size", [1, 8])
def test_dashboard_query_count_does_not_grow_with_the_data(cast, logged_outputs, django_assert_max_num_queries, size):
    grow(cast, size)
    summary_build(court=cast.court, period=OCTOBER)
    client = cast.client_for("leader")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("reports:dashboard"), {"period": "2026-10"})
    assert response.status_code == 200


def test_leader_sees_kpis_and_departments(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 2})
    summary_build(court=cast.court, period=OCTOBER)
    response = cast.client_for("leader").get(reverse("reports:dashboard"), {"period": "2026-10"})
    body = response.content.decode()
    assert "民一庭" in body and "trend-data" in body
    kpi = {k["metric"].key: k["value"] for k in response.context["kpis"]}
    assert kpi["members"] == 4 and kpi["active_members"] == 1 and kpi["participation_rate"] == 25.0


def test_a_malformed_period_is_explained_not_a_500(cast):
    response = cast.client_for("leader").get(reverse("reports:dashboard"), {"period": "2026-99"})
    assert response.status_code == 200
    assert response.context["period"] == Period.containing(MONTH, timezone.localdate())
    assert "2026-99" in response.content.decode()  # the warning names what was wrong


def test_city_leader_compares_the_courts_below(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 1, cast.outsider.pk: 1})
    for court in (cast.court, cast.other_court, cast.city):
        summary_build(court=court, period=OCTOBER)
    response = cast.client_for("city_leader").get(reverse("reports:dashboard"), {"period": "2026-10"})
    names = [row.name for row in response.context["children"]]
    assert names == sorted([cast.court.name, cast.other_court.name])


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


def test_word_summary_states_the_figures_in_sentences(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 2})
    summary_build(court=cast.court, period=OCTOBER)
    response = cast.client_for("leader").get(
        reverse("reports:export_docx", args=[cast.court.pk]), {"period": "2026-10"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert cast.court.name in text
    assert "4" in text and "25.0" in text


def test_organizer_edits_sentences_and_unknown_placeholders_are_refused(cast):
    client = cast.client_for("organizer")
    url = reverse("reports:template_edit", args=[cast.court.pk])
    form = client.get(url).context["form"]
    data = {name: str(field.initial or "") for name, field in form.fields.items()}
    data.update(title="{court}{period}总结", closing="待补充", sentence_overview="共{nope}人")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "{nope}" in response.content.decode()
    assert not hasattr(cast.court, "report_template") or not cast.court.report_template.sentences
    data["sentence_overview"] = "共{members}人，读完{books_finished}本"
    assert client.post(url, data).status_code == 302
    cast.court.refresh_from_db()
    assert cast.court.report_template.sentences["overview"] == "共{members}人，读完{books_finished}本"


def test_organizer_sets_points_weights_and_bad_numbers_are_refused(cast, logged_outputs):
    client = cast.client_for("organizer")
    url = reverse("reports:points_edit", args=[cast.court.pk])
    assert client.post(url, {"test_outputs": "-3"}).status_code == 200
    assert not cast.court.points_weights.exists()
    assert client.post(url, {"test_outputs": "abc"}).status_code == 200
    assert client.post(url, {"test_outputs": "2.5"}).status_code == 302
    assert float(cast.court.points_weights.get().weight) == 2.5


def test_rebuild_with_the_task_queue_down_explains_instead_of_failing(cast, monkeypatch):
    from reports import tasks
    from reports.models import SummaryBuild

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(tasks.build_summary, "delay", broker_down)
    response = cast.client_for("organizer").post(
        reverse("reports:rebuild", args=[cast.court.pk]), {"period": "2026-10"}, follow=True
    )
    assert response.status_code == 200
    build = SummaryBuild.objects.get(court=cast.court)
    assert build.status == SummaryBuild.Status.FAILED and "unreachable" in build.error
    assert "无法连接任务队列" in response.content.decode()  # the interface speaks Chinese by default
