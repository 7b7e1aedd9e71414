"""Build one month's summaries for every court, time it against hand-written SQL, report peak memory.

Runs in its own process, so its peak RSS is what a worker building the province needs.
"""

from __future__ import annotations

import json
import resource
import time

from django.core.management.base import BaseCommand
from django.db import connection

from members.models import Court
from reports.bench.sql import QUERIES
from reports.periods import Period
from reports.services import summary_build


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
        started = time.perf_counter()
        for court in courts:
            summary_build(court=court, period=target)
        build_seconds = time.perf_counter() - started
        start, end = target.bounds()
        params = {"start": start, "end": end, "start_date": target.start, "end_date": target.end}
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in QUERIES.values():
                cursor.execute(sql, params)
                cursor.fetchall()
        sql_seconds = time.perf_counter() - started
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
