"""Reporting periods (month, quarter, year) in the court's time zone.

A record at 23:59 on the 31st belongs to that month: bounds are local midnights in
settings.TIME_ZONE (Asia/Shanghai), half-open [start, end).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: dt.date  # first day

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if (
            self.start.day != 1
            or (self.kind == QUARTER and self.start.month % 3 != 1)
            or (self.kind == YEAR and self.start.month != 1)
        ):
            raise ValueError(f"{self.start} does not start a {self.kind}")

    @property
    def months(self) -> int:
        return {MONTH: 1, QUARTER: 3, YEAR: 12}[self.kind]

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return _add_months(self.start, self.months)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start, end) at local midnight."""
        tz = ZoneInfo(settings.TIME_ZONE)
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end, dt.time.min, tzinfo=tz),
        )

    def previous(self) -> Period:
        return Period(self.kind, _add_months(self.start, -self.months))

    def next(self) -> Period:
        return Period(self.kind, self.end)

    def back(self, count: int) -> list[Period]:
        """This period and the count-1 before it, oldest first."""
        periods = [self]
        for _i in range(count - 1):
            periods.append(periods[-1].previous())
        return list(reversed(periods))

    def months_in(self) -> list[Period]:
        return [Period(MONTH, _add_months(self.start, i)) for i in range(self.months)]

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == QUARTER:
            return _("Q%(q)d %(year)d") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return _("%(year)d") % {"year": self.start.year}

    def __str__(self) -> str:
        return self.key

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        if kind == MONTH:
            return cls(MONTH, day.replace(day=1))
        if kind == QUARTER:
            return cls(QUARTER, dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        return cls(YEAR, dt.date(day.year, 1, 1))

    @classmethod
    def from_key(cls, key: str) -> Period:
        """'2026-10', '2026-Q3' or '2026'; ValueError for anything else."""
        key = (key or "").strip()
        if m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", key):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return cls(MONTH, dt.date(year, month, 1))
        elif m := re.fullmatch(r"([0-9]{4})-Q([1-4])", key, flags=re.IGNORECASE):
            year, quarter = int(m[1]), int(m[2])
            if 2000 <= year <= 2100:
                return cls(QUARTER, dt.date(year, (quarter - 1) * 3 + 1, 1))
        elif m := re.fullmatch(r"([0-9]{4})", key):
            year = int(m[1])
            if 2000 <= year <= 2100:
                return cls(YEAR, dt.date(year, 1, 1))
        raise ValueError(f"not a period: {key!r}")
