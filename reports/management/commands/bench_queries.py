"""Query counts of the main pages in this database (the benchmark compares two data sizes)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members.models import Court, Member
from reports.bench.pages import pages


class Command(BaseCommand):
    help = "Benchmark: count the queries of each main page."

    def handle(self, *args, **options) -> None:
        counts = {}
        for name, who, url in pages(Court.objects.get(code="p"), Court.objects.get(code="c01b01")):
            client = Client(SERVER_NAME="127.0.0.1")
            member: Member = who
            client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
            client.get(url)  # warm caches (content types, sessions)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            counts[name] = {"status": response.status_code, "queries": len(queries)}
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
