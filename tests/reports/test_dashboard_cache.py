"""The dashboard's numbers are cached under the builds they come from: never stale, never shared wrongly."""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Department
from reports.models import PointsWeight, SummaryBuild
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.factories import make_member

OCTOBER = Period(MONTH, dt.date(2026, 10, 1))
EARLY = timezone.make_aware(dt.datetime(2026, 11, 1, 2, 0))
LATER = timezone.make_aware(dt.datetime(2026, 11, 2, 2, 0))


def dashboard(client, **params):
    response = client.get(reverse("reports:dashboard"), {"period": "2026-10", **params})
    assert response.status_code == 200
    return response


def kpi(response, key):
    return {k.metric.key: k.value for k in response.context["kpis"]}[key]


def table_row(response, name):
    """The cells of a table row by the unit's or court's name, as rendered."""
    row = re.search(rf">{re.escape(name)}</a></td>(.*?)</tr>", response.content.decode())
    return re.findall(r"<td>(.*?)</td>", row[1])


def test_after_a_rebuild_the_leader_sees_the_new_numbers(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 2})
    summary_build(court=cast.court, period=OCTOBER, now=EARLY)
    client = cast.client_for("leader")
    first = dashboard(client)
    assert kpi(first, "test_outputs") == 2 and table_row(first, "民一庭")[-1] == "2"

    logged_outputs.update({cast.member.pk: 7, cast.colleague.pk: 1})
    summary_build(court=cast.court, period=OCTOBER, now=LATER)
    second = dashboard(client)
    assert kpi(second, "test_outputs") == 8 and kpi(second, "active_members") == 2
    assert table_row(second, "民一庭")[-1] == "8"  # the cached table too, not only the tiles


def test_a_court_rebuilt_by_a_build_that_started_earlier_still_shows_its_new_numbers(cast, logged_outputs):
    """Builds run side by side at night: a later commit may carry an earlier build time."""
    logged_outputs.update({cast.outsider.pk: 1})
    summary_build(court=cast.court, period=OCTOBER, now=LATER)
    summary_build(court=cast.other_court, period=OCTOBER, now=LATER)
    client = cast.client_for("city_leader")
    assert table_row(dashboard(client), cast.other_court.name)[-1] == "1"

    logged_outputs.update({cast.outsider.pk: 5})
    summary_build(court=cast.other_court, period=OCTOBER, now=EARLY)
    assert table_row(dashboard(client), cast.other_court.name)[-1] == "5"


def test_a_leader_of_a_basic_court_never_sees_a_sibling_court_even_when_cached(cast, logged_outputs):
    logged_outputs.update({cast.outsider.pk: 3})
    for court in (cast.court, cast.other_court):
        summary_build(court=court, period=OCTOBER)
    # The city leader puts the sibling court's numbers in the cache.
    sibling = dashboard(cast.client_for("city_leader"), court=cast.other_court.pk)
    assert sibling.context["court"] == cast.other_court

    leader = cast.client_for("leader")
    response = leader.get(reverse("reports:dashboard"), {"period": "2026-10", "court": cast.other_court.pk})
    assert response.status_code == 404
    own = dashboard(leader)
    assert own.context["court"] == cast.court
    assert cast.other_court.name not in own.content.decode()
    assert cast.other_department.name not in own.content.decode()
    assert kpi(own, "test_outputs") == 0


def test_the_courts_below_are_added_only_when_asked_for(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 2, cast.outsider.pk: 3})
    for court in (cast.court, cast.other_court, cast.city):
        summary_build(court=court, period=OCTOBER)
    client = cast.client_for("city_leader")
    assert kpi(dashboard(client), "test_outputs") == 0  # the city court's own staff
    assert kpi(dashboard(client, scope="tree"), "test_outputs") == 5
    assert kpi(dashboard(client), "test_outputs") == 0


def test_the_second_request_reads_the_numbers_from_the_cache(cast, logged_outputs):
    logged_outputs.update({cast.member.pk: 2})
    summary_build(court=cast.court, period=OCTOBER)
    client = cast.client_for("leader")
    with CaptureQueriesContext(connection) as cold:
        first = dashboard(client)
    with CaptureQueriesContext(connection) as warm:
        second = dashboard(client)
    assert len(warm) < len(cold)
    assert not any("members_department" in q["sql"] for q in warm.captured_queries)
    assert second.content.decode().count("民一庭") == first.content.decode().count("民一庭")
    assert kpi(second, "test_outputs") == 2


def query_counts(cast, client) -> tuple[int, int]:
    for cache in caches.all():  # cold: nothing cached, the page's navigation included
        cache.clear()
    with CaptureQueriesContext(connection) as cold:
        dashboard(client)
    with CaptureQueriesContext(connection) as warm:
        dashboard(client)
    return len(cold), len(warm)


@pytest.mark.parametrize("role", ["leader", "city_leader"])
def test_query_counts_are_the_same_at_two_data_sizes_cold_and_cached(cast, logged_outputs, role):
    # Every court built, so the page builds nothing itself (a never-built period is built on opening).
    for court in (cast.city, cast.court, cast.other_court):
        summary_build(court=court, period=OCTOBER, now=EARLY)
    client = cast.client_for(role)
    small = query_counts(cast, client)
    for i in range(6):
        department = Department.objects.create(court=cast.court, name=f"第{i}庭")
        for j in range(3):
            logged_outputs[make_member(cast.court, f"干警{i}-{j}", department=department).pk] = j
    summary_build(court=cast.court, period=OCTOBER, now=LATER)
    assert query_counts(cast, client) == small


def test_points_columns_appear_as_soon_as_the_court_uses_points(cast, logged_outputs):
    summary_build(court=cast.court, period=OCTOBER)
    client = cast.client_for("leader")
    assert "points" not in [m.key for m in dashboard(client).context["metrics"]]
    PointsWeight.objects.create(court=cast.court, metric_key="test_outputs", weight=2)
    response = dashboard(client)
    assert "points" in [m.key for m in response.context["metrics"]]
    assert "学习积分" in response.content.decode()  # the cached table has the new column too


def test_the_build_status_is_never_cached(cast, logged_outputs):
    summary_build(court=cast.court, period=OCTOBER)
    client = cast.client_for("organizer")
    assert "progress-bar" not in dashboard(client).content.decode()
    SummaryBuild.objects.create(
        court=cast.court, period_kind=MONTH, period_start=OCTOBER.start, status=SummaryBuild.Status.RUNNING, progress=40
    )
    assert "40%" in dashboard(client).content.decode()


def test_each_language_gets_its_own_tables(cast, logged_outputs):
    summary_build(court=cast.court, period=OCTOBER)
    client = cast.client_for("leader")
    assert "指标说明" in dashboard(client).content.decode()
    english = client.get(reverse("reports:dashboard"), {"period": "2026-10"}, headers={"accept-language": "en"})
    assert "What the numbers mean" in english.content.decode()


def test_a_renamed_or_new_department_shows_on_the_dashboard_without_a_rebuild(cast, logged_outputs):
    from members.services import department_create, department_update

    logged_outputs.update({cast.member.pk: 2})
    summary_build(court=cast.court, period=OCTOBER, now=EARLY)
    client = cast.client_for("leader")
    assert table_row(dashboard(client), "民一庭")[-1] == "2"

    department_update(actor=cast.organizer.user, department=cast.department, name="民事审判第一庭", head=None)
    department_create(actor=cast.organizer.user, court=cast.court, name="环境资源审判庭")
    page = dashboard(client)
    assert table_row(page, "民事审判第一庭")[-1] == "2"
    assert table_row(page, "环境资源审判庭")  # listed, with its zeros
    assert ">民一庭</a>" not in page.content.decode()
