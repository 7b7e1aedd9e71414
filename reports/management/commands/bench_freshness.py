"""Benchmark: how long a write takes to reach its court's dashboard numbers (the freshness delay).

A stream of reading logs (`--rate` a second for `--seconds`, each by a random active member of a
random court) is written and committed; beat's round (`reports.build_stale`) runs every `--beat`
seconds; the court rows of today's month are polled. A write is "seen" when its court's reading
logs on that row (what the dashboard shows) count it: a court's k-th write is in once the row
counts k more logs than before the stream. With a worker (REDIS_URL set) the rounds are queued
to it, as beat does; without one they run here, in this process. One line of JSON: the delays'
p50, p95 and max.
"""

from __future__ import annotations

import json
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from activities.models import Book, ReadingLog
from courtlearn.outbox import tasks_run_in_process
from members.models import Court, Member
from reports.freshness import build_stale
from reports.models import Summary, SummaryStale, UnitKind
from reports.periods import MONTH, Period
from reports.services import summary_build
from reports.tasks import build_stale_task

POLL_SECONDS = 0.25
SAMPLE_MEMBERS = 20  # writers per court: enough for random choice, few to load


class Command(BaseCommand):
    help = "Benchmark: the delay from a committed write to the court's summary numbers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seconds", type=float, default=60.0, help="how long writes are made")
        parser.add_argument("--rate", type=float, default=20.0, help="writes a second, across all courts")
        parser.add_argument("--beat", type=float, default=20.0, help="seconds between build_stale rounds")
        parser.add_argument("--drain", type=float, default=180.0, help="longest wait for the last writes")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--prebuild", action="store_true", help="build today's month for every court first")

    def handle(self, *args, seconds, rate, beat, drain, seed, prebuild, **options) -> None:
        rng = random.Random(seed)
        today = timezone.localdate()
        month = Period.containing(MONTH, today)
        writers = self.writers()
        if not writers:
            raise CommandError("No active members: generate data first (bench_data).")
        book = Book.objects.order_by("pk").first() or Book.objects.create(title="乡土中国", author="费孝通")
        if prebuild:  # what last night's build left: every court's month exists, nothing is stale
            for court in Court.objects.order_by("pk"):
                summary_build(court=court, period=month)
        SummaryStale.objects.all().delete()
        before = self.court_logs(month, None)
        in_process = tasks_run_in_process()

        pending: dict[int, list[float]] = {}  # court id -> commit times of writes not yet seen
        delays: list[float] = []
        seen: dict[int, int] = {}  # court id -> writes counted so far
        rounds = 0
        started = time.time()
        next_write, next_beat, next_poll = started, started + beat, started
        stop_writing, give_up = started + seconds, started + seconds + drain
        writes = 0
        while True:
            now = time.time()
            if now >= give_up or (now >= stop_writing and not any(pending.values())):
                break
            if now < stop_writing and now >= next_write:
                member = rng.choice(writers)
                with transaction.atomic():
                    ReadingLog.objects.create(member=member, book=book, day=today, minutes=rng.randint(10, 60))
                pending.setdefault(member.court_id, []).append(time.time())  # committed (and marked)
                writes += 1
                next_write += 1.0 / rate
            if now >= next_beat:
                if in_process:
                    build_stale(timezone.now())
                else:
                    build_stale_task.delay()
                rounds += 1
                next_beat += beat
            if now >= next_poll:
                seen_at = time.time()
                waiting = [court_id for court_id, times in pending.items() if times]
                for court_id, logs in self.court_logs(month, waiting).items():
                    counted = logs - before.get(court_id, 0) - seen.get(court_id, 0)
                    if counted > 0:  # the court's oldest writes, in order
                        included, pending[court_id] = pending[court_id][:counted], pending[court_id][counted:]
                        delays.extend(seen_at - t for t in included)
                        seen[court_id] = seen.get(court_id, 0) + len(included)
                next_poll = seen_at + POLL_SECONDS
            time.sleep(max(0.0, min(next_write, next_beat, next_poll) - time.time()))
        unseen = sum(len(times) for times in pending.values())
        self.stdout.write(
            json.dumps(
                {
                    "period": month.key,
                    "courts": len({m.court_id for m in writers}),
                    "writes": writes,
                    "seen": len(delays),
                    "unseen": unseen,
                    "rate_per_s": rate,
                    "beat_s": beat,
                    "rounds": rounds,
                    "worker": not in_process,
                    "p50_s": round(statistics.median(delays), 1) if delays else None,
                    "p95_s": round(percentile(delays, 95), 1) if delays else None,
                    "max_s": round(max(delays), 1) if delays else None,
                }
            )
        )

    def court_logs(self, month: Period, court_ids: list[int] | None) -> dict[int, int]:
        """Reading logs on the court rows of the month (one query): what the dashboard shows."""
        rows = Summary.objects.for_period(month).filter(unit_kind=UnitKind.COURT)
        if court_ids is not None:
            rows = rows.filter(unit_id__in=court_ids)
        return {court_id: values.get("reading_logs", 0) for court_id, values in rows.values_list("unit_id", "values")}

    def writers(self) -> list[Member]:
        """A few active members of every court (the stream picks among them)."""
        writers = []
        for court_id in Court.objects.order_by("pk").values_list("pk", flat=True):
            writers += list(Member.objects.filter(court_id=court_id, is_active=True).order_by("pk")[:SAMPLE_MEMBERS])
        return writers


def percentile(values: list[float], pct: int) -> float:
    if len(values) < 20:
        return max(values)
    return statistics.quantiles(values, n=100)[pct - 1]
