"""Fill an empty database with the benchmark's synthetic province (see reports/bench/data.py)."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError

from members.models import Court
from reports.bench.data import generate


class Command(BaseCommand):
    help = "Generate province-scale synthetic data for `make bench` (PostgreSQL only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, scale: float, **options) -> None:
        from django.db import connection

        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        if Court.objects.exists():
            raise CommandError("This database already has courts; the benchmark wants an empty one.")
        started = time.perf_counter()
        counts = generate(scale)
        counts["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
