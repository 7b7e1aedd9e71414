"""The benchmark's hand-written SQL gives the summary build's numbers (PostgreSQL).

`make bench` compares the build's time with these queries', which is only fair if they
compute the same numbers: every stored metric of every unit.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from activities.models import Session
from members.models import Court
from reports.bench.sql import MEMBER_METRICS, MEMBERS, UNITS
from reports.metrics import period_sql_params
from reports.models import Summary
from reports.services import summary_build
from tests.activities import sessions_factories as sf
from tests.members.test_audience import research_group_with_a_squad
from tests.reports.test_metrics import OCTOBER, SHANGHAI, october  # noqa: F401 (the fixture)


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, period_sql_params(OCTOBER))
        return cursor.fetchall()


def test_the_hand_written_sql_gives_the_builds_numbers(cast, october):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark's SQL is PostgreSQL's (CI runs it)")
    group = research_group_with_a_squad(cast)
    for_group = sf.make_session(
        cast.court, start=dt.datetime(2026, 10, 14, 8, 30, tzinfo=SHANGHAI), audience_court=False,
        groups=(group,), status=Session.Status.HELD, unit_department=cast.department,
    )  # fmt: skip
    for_group.audience_departments.set([cast.department])
    for court in Court.objects.all():
        summary_build(court=court, period=OCTOBER)

    built = {
        (s.unit_kind, s.unit_id, key): value
        for s in Summary.objects.for_period(OCTOBER)
        for key, value in s.values.items()
    }
    expected = {}
    for unit_kind, unit_id, *values in rows(MEMBERS):
        for key, value in zip(MEMBER_METRICS, values, strict=True):
            if unit_id is not None and value:
                expected[(unit_kind, unit_id, key)] = float(value)
    for unit_kind, unit_id, key, value in rows(UNITS):
        if unit_id is not None and value:
            expected[(unit_kind, unit_id, key)] = float(value)
    assert expected == {k: float(v) for k, v in built.items()}
    assert ("member", cast.organizer.pk, "sessions_expected") in expected  # through the squad
