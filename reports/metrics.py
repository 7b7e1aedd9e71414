"""Every metric, defined once: key, Chinese label (through gettext), one-line definition.

Stored metrics are additive counts, so a unit's value is the sum over its members (or the
unit-level count); ratios are derived at read time from two stored counts. Nothing counts
time online.

Stored metrics are filled by Sources: SQL that the activities define (activities/metrics.py),
one SELECT per court and period, all of a court's sources run as one statement. A metric may
instead have a `compute(window)` function returning {member_id: n} (level "member") or
{(unit_kind, unit_id): n} (level "unit"); that costs a query of its own per court, so the
catalogue uses sources. This module is the catalogue's machinery.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Court

MEMBER, UNIT = "member", "unit"


@dataclass(frozen=True)
class Window:
    """What a metric's compute function needs: the court and the period's bounds."""

    court: Court
    start: dt.datetime  # aware, local midnight
    end: dt.datetime  # aware, exclusive
    start_date: dt.date
    end_date: dt.date  # exclusive


@dataclass(frozen=True)
class Source:
    """One SELECT, per court and period, that feeds one to three stored metrics.

    Its rows are (unit_kind, unit_id, tag, v1, v2, v3):
    - unit_kind is 'member' for a member's outputs (the build adds them up into the member's
      department, branch, study groups and court), or a unit kind ('court', 'department',
      'branch', 'group') for what a unit did;
    - `columns` names the metric that v1, v2 and v3 feed (unused columns are 0); a name may
      contain "{tag}", filled from the row's tag, for breakdowns such as sessions by kind;
    - several rows for the same unit and metric add up.
    Parameters (named, pyformat): court, start, end (datetimes, end exclusive), start_date,
    end_date (dates, end exclusive), year, month_first, month_last (the period's calendar months),
    now (the build's time), and the source's `constants` (status codes: never spliced into the SQL).
    """

    key: str
    sql: str
    columns: tuple[str, ...] = ()
    constants: dict = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"_?[a-z][a-z_]*", self.key):  # it stands in the SQL as a literal
            raise ValueError(f"source key {self.key!r} must be lower-case letters and underscores")


def period_sql_params(period, now: dt.datetime | None = None) -> dict:
    """A period's parameters for Sources (and the benchmark's hand-written SQL), adapted to the
    database: start, end, start_date, end_date, year, month_first, month_last, and now (the
    build's time, default the current time: a session counts as held once it has ended)."""
    ops = connection.ops
    start, end = period.bounds()
    return {
        "now": ops.adapt_datetimefield_value(now or timezone.now()),
        "start": ops.adapt_datetimefield_value(start),
        "end": ops.adapt_datetimefield_value(end),
        "start_date": ops.adapt_datefield_value(period.start),
        "end_date": ops.adapt_datefield_value(period.end),
        "year": period.start.year,
        "month_first": period.start.month,
        "month_last": (period.end - dt.timedelta(days=1)).month,
    }


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise | str
    definition: Promise | str
    level: str = MEMBER
    compute: Callable[[Window], dict] | None = None
    # An output: a member with any output in the period is an active member.
    output: bool = False
    # Derived metrics: numerator key / denominator key, shown as a percentage or average.
    ratio_of: tuple[str, str] | None = None
    percent: bool = True
    # Shown as a KPI tile on the dashboard.
    kpi: bool = False
    # A breakdown (e.g. sessions of one kind): in exports and sentences, not in the dashboard's tables.
    detail: bool = False

    @property
    def stored(self) -> bool:
        return self.ratio_of is None

    def value(self, values: dict) -> float | int | None:
        if self.ratio_of is None:
            return values.get(self.key, 0)
        numerator, denominator = (values.get(k, 0) for k in self.ratio_of)
        if not denominator:
            return None
        ratio = numerator / denominator
        return round(ratio * 100, 1) if self.percent else round(ratio, 1)


# Built in: no activity function needed.
MEMBERS = Metric("members", _("Members"), _("Active member records in the unit at build time."), kpi=True)
ACTIVE_MEMBERS = Metric(
    "active_members",
    _("Active members"),
    _("Members with at least one learning output in the period (a log, reflection, share, quiz, output…)."),
    kpi=True,
)
PARTICIPATION = Metric(
    "participation_rate",
    _("Participation rate"),
    _("Active members as a share of members."),
    ratio_of=("active_members", "members"),
    kpi=True,
)

POINTS = Metric(
    "points",
    _("Learning points"),
    _("Points for outputs, with the weights the court set (only where the court uses points)."),
)
POINTS_AVERAGE = Metric(
    "points_average",
    _("Average points"),
    _("Learning points per member."),
    ratio_of=("points", "members"),
    percent=False,
)

_REGISTRY: list[Metric] = [MEMBERS, ACTIVE_MEMBERS, PARTICIPATION, POINTS, POINTS_AVERAGE]
_SOURCES: list[Source] = []


def _add_once(registry: list, items: tuple, what: str) -> None:
    """Append items to a registry; a key defined twice is a programming error."""
    known = {item.key for item in registry}
    for item in items:
        if item.key in known:
            raise ValueError(f"{what} {item.key!r} defined twice")
        known.add(item.key)
        registry.append(item)


def register_sources(*sources: Source) -> None:
    _add_once(_SOURCES, sources, "source")


def all_sources() -> list[Source]:
    from . import catalogue  # noqa: F401

    return list(_SOURCES)


def register(*metrics: Metric) -> None:
    """Add metrics to the catalogue (activities register theirs when reports loads them)."""
    _add_once(_REGISTRY, metrics, "metric")


def all_metrics() -> list[Metric]:
    from . import catalogue  # noqa: F401  (registers the activity metrics once)

    return list(_REGISTRY)


def table_metrics(*, points: bool = True) -> list[Metric]:
    """The columns of the dashboard's tables (points only where the court uses them)."""
    hidden = set() if points else {"points", "points_average"}
    return [m for m in all_metrics() if not m.detail and m.key not in hidden]


def member_metrics(*, points: bool = True) -> list[Metric]:
    """The columns of a member's learning profile: what a person can do, not unit counts or head counts."""
    levels = {m.key: m.level for m in all_metrics()}
    skip = {"members", "active_members", "participation_rate", "points_average"}
    return [
        m
        for m in table_metrics(points=points)
        if m.key not in skip
        and (levels[m.key] == MEMBER if m.ratio_of is None else all(levels.get(k) == MEMBER for k in m.ratio_of))
    ]


def get(key: str) -> Metric:
    for metric in all_metrics():
        if metric.key == key:
            return metric
    raise KeyError(key)
