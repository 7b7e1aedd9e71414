"""Query counts of the main pages in this database (the benchmark compares two data sizes)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from activities.panels import time_bucket
from members.models import Court, Member
from reports.bench.pages import pages


class Command(BaseCommand):
    help = "Benchmark: count the queries of each main page."

    def handle(self, *args, **options) -> None:
        counts = {}
        for name, who, url in pages(Court.objects.get(code="p"), Court.objects.get(code="c01b01")):
            client = Client(SERVER_NAME="127.0.0.1")
            member: Member = who
            client.force_login(member.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            while True:
                minute = time_bucket()
                for cache in caches.all():  # cold: nothing cached yet
                    cache.clear()
                with CaptureQueriesContext(connection) as cold:
                    response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{name}: {url} answered {response.status_code}, not 200")
                with CaptureQueriesContext(connection) as warm:  # the same page again, caches filled
                    client.get(url)
                if time_bucket() == minute:  # else the panels' minute turned in between: measure again
                    break
            counts[name] = {"queries": len(cold), "queries_cached": len(warm)}
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
