"""Build summaries now, in this process: for `make run`, or to repair a period from the shell.

manage.py build_summaries                 # this and last month, this and last quarter, this year
manage.py build_summaries --period 2026-Q3 --court qg
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members.models import Court
from reports.periods import MONTH, QUARTER, YEAR, Period
from reports.services import build_run


class Command(BaseCommand):
    help = "Build summary rows for one period (or the recent ones) for every court, or one court."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", action="append", help="e.g. 2026-10, 2026-Q3 or 2026; may repeat")
        parser.add_argument("--court", help="a court code; all courts when left out")

    def handle(self, *args, period: list[str] | None, court: str | None, **options) -> None:
        try:
            periods = [Period.from_key(key) for key in period] if period else None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if periods is None:
            # The previous month and quarter too: a dashboard's key figures compare with them.
            today = timezone.localdate()
            this_month, this_quarter = Period.containing(MONTH, today), Period.containing(QUARTER, today)
            periods = [this_month.previous(), this_month, this_quarter.previous(), this_quarter]
            periods.append(Period.containing(YEAR, today))
        courts = Court.objects.all() if court is None else Court.objects.filter(code=court)
        if not courts.exists():
            raise CommandError(f"no court with code {court!r}")
        for p in periods:
            for c in courts:
                build_run(court_id=c.pk, period=p)
            self.stdout.write(f"{p.key}: {courts.count()} courts built")
