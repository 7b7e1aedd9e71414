"""`make bench`'s commands on a tiny province (PostgreSQL, as the benchmark): they run, and
what they measure is the real thing (every page answers 200, every court is built)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from reports.models import Summary
from reports.periods import Period

pytestmark = pytest.mark.slow


def run(*args) -> dict:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_commands_measure_a_tiny_province(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL (CI runs it)")
    counts = run("bench_data", "--scale", "0.001")
    assert counts["members"] == 360 and counts["reading"] > 0 and counts["quizzes"] > 0

    build = run("bench_build", "--period", "2026-10")
    assert build["courts"] == 120 and build["build_seconds"] > 0 and build["sql_seconds"] > 0
    court_rows = Summary.objects.for_period(Period.from_key("2026-10")).filter(unit_kind="court")
    assert court_rows.count() == 120

    queries = run("bench_queries")  # it fails unless every page answers 200
    assert set(queries) == {
        "my_learning", "member_list", "dashboard_court_leader", "dashboard_province_leader", "dashboard_province_tree"
    }  # fmt: skip
    assert all(page["queries"] > page["queries_cached"] > 0 for page in queries.values())
