"""Build one month's summaries for every court, time it against hand-written SQL, report peak memory.

Runs in its own process, so its peak RSS is what a worker building the province needs.
"""

from __future__ import annotations

import json
import resource
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from members.models import Court
from reports.bench.sql import QUERIES
from reports.metrics import period_sql_params
from reports.models import Summary
from reports.periods import Period
from reports.services import summary_build

ROUNDS = 5


class Command(BaseCommand):
    help = "Benchmark: build a period for all courts; compare with hand-written SQL."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", default="2026-10")
        parser.add_argument("--also", default="", help="comma-separated extra periods to build (not timed)")

    def handle(self, *args, period: str, also: str, **options) -> None:
        target = Period.from_key(period)
        courts = list(Court.objects.order_by("pk"))
        for key in filter(None, also.split(",")):
            for court in courts:
                summary_build(court=court, period=Period.from_key(key))
        now = timezone.now()  # one clock for both sides: which sessions are over decides "held"
        params = period_sql_params(target, now)

        def build() -> float:
            # From scratch: no earlier rows to compare with, every row is written.
            Summary.objects.for_period(target).delete()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE reports_summary")
            started = time.perf_counter()
            for court in courts:
                summary_build(court=court, period=target, now=now)
            return time.perf_counter() - started

        def hand_written_sql() -> float:
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in QUERIES.values():
                    cursor.execute(sql, params)
                    while cursor.fetchmany(2000):  # every row read, not all kept: the peak is the build's
                        pass
            return time.perf_counter() - started

        # Both run once untimed, so both are timed with the same warm caches; then the best of
        # ROUNDS timed runs of each, alternating (the least disturbed by anything else running).
        hand_written_sql()
        build()
        build_times, sql_times = [], []
        for _round in range(ROUNDS):
            build_times.append(build())
            sql_times.append(hand_written_sql())
        build_seconds, sql_seconds = min(build_times), min(sql_times)
        with connection.cursor() as cursor:  # what autovacuum does on a server: the dashboards read these next
            cursor.execute("ANALYZE reports_summary")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            json.dumps(
                {
                    "period": target.key,
                    "courts": len(courts),
                    "build_seconds": round(build_seconds, 3),
                    "sql_seconds": round(sql_seconds, 3),
                    "ratio": round(build_seconds / sql_seconds, 2) if sql_seconds else None,
                    "peak_rss_mb": round(peak_mb, 1),
                }
            )
        )
