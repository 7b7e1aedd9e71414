"""Reads for dashboards and exports: only summary rows, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import QuerySet

from members.models import Court, Department, Member, PartyBranch, StudyGroup, unit_ordering

from .metrics import Metric
from .models import Summary, UnitKind
from .periods import Period

UNIT_MODELS = {
    UnitKind.DEPARTMENT: Department,
    UnitKind.BRANCH: PartyBranch,
    UnitKind.GROUP: StudyGroup,
    UnitKind.MEMBER: Member,
    UnitKind.COURT: Court,
}
# Units in the order people expect (第二 before 第十, departments in the court's own order);
# people and courts by name.
UNIT_ORDER = {
    UnitKind.DEPARTMENT: unit_ordering(department=True),
    UnitKind.BRANCH: unit_ordering(),
    UnitKind.GROUP: unit_ordering(),
    UnitKind.MEMBER: ["name", "pk"],
    UnitKind.COURT: ["name", "pk"],
}


@dataclass
class Row:
    """One unit's numbers for one period, ready for a template or a sheet."""

    unit_kind: str
    unit_id: int
    name: str
    values: dict = field(default_factory=dict)

    def value(self, metric: Metric):
        return metric.value(self.values)


def add_values(target: dict, values: dict) -> None:
    for key, value in values.items():
        target[key] = target.get(key, 0) + value


def court_values(court: Court, periods: list[Period], *, with_children: bool = False) -> dict[Period, dict]:
    """The court's numbers per period; with_children adds every court below (one query)."""
    courts = Court.objects.with_descendants(court) if with_children else Court.objects.filter(pk=court.pk)
    rows = Summary.objects.for_periods(periods).filter(unit_kind=UnitKind.COURT, unit_id__in=courts.values("pk"))
    wanted = set(periods)
    totals: dict[Period, dict] = {p: {} for p in periods}
    for kind, start, values in rows.values_list("period_kind", "period_start", "values"):
        period = Period(kind, start)
        if period in wanted:
            add_values(totals[period], values)
    return totals


def unit_rows(court: Court, period: Period, unit_kind: str, units=None) -> list[Row]:
    """Rows of one unit kind in a court for a period, named, in UNIT_ORDER (two queries).

    `units` narrows the units (e.g. the members of one department); units without numbers
    are listed with empty values, so a quiet department still shows its zeros.
    """
    if units is None:
        units = UNIT_MODELS[unit_kind].objects.filter(court=court)
    names = dict(units.order_by(*UNIT_ORDER[unit_kind]).values_list("pk", "name"))
    summaries = Summary.objects.for_period(period).filter(court=court, unit_kind=unit_kind, unit_id__in=list(names))
    values = dict(summaries.values_list("unit_id", "values"))
    return [Row(unit_kind, pk, name, values.get(pk, {})) for pk, name in names.items()]


def child_court_rows(court: Court, period: Period) -> list[Row]:
    """The courts directly below, side by side, each with the courts below it (two queries)."""
    children = list(Court.objects.filter(parent=court).values_list("pk", "name"))
    if not children:
        return []
    child_ids = [pk for pk, _name in children]
    parent_of = dict(Court.objects.filter(parent_id__in=child_ids).values_list("pk", "parent_id"))
    rows = {pk: Row(UnitKind.COURT, pk, name) for pk, name in children}
    summaries = Summary.objects.for_period(period).filter(
        unit_kind=UnitKind.COURT, unit_id__in=child_ids + list(parent_of)
    )
    for unit_id, values in summaries.values_list("unit_id", "values"):
        add_values(rows[parent_of.get(unit_id, unit_id)].values, values)
    return sorted(rows.values(), key=lambda r: r.name)


def member_history(member: Member, periods: list[Period]) -> dict[Period, dict]:
    rows = Summary.objects.for_periods(periods).filter(unit_kind=UnitKind.MEMBER, unit_id=member.pk)
    history = {p: {} for p in periods}
    for kind, start, values in rows.values_list("period_kind", "period_start", "values"):
        period = Period(kind, start)
        if period in history:
            history[period] = values
    return history


# The dashboard's numbers are cached under a key that names the builds they come from, so a
# rebuild is seen at once on every process and node, whatever the cache backend. Unit and
# court names come from the members tables, not from the build: a renamed or new unit shows
# within this many seconds.
DASHBOARD_CACHE_SECONDS = 300
DASHBOARD_BREAKDOWN_KINDS = (UnitKind.DEPARTMENT, UnitKind.BRANCH, UnitKind.GROUP)


@dataclass
class DashboardNumbers:
    """What the dashboard shows from summary rows: plain data, safe to cache and share."""

    key: str  # names the court, period, scope and builds: the template's tables are cached under it too
    totals: dict[Period, dict]
    breakdowns: dict[str, list[Row]]
    children: list[Row]
    # When the period's numbers were built ("数据更新于"): the court's own build, or with the
    # courts below the oldest of their builds; None when none of them was ever built.
    built_at: dt.datetime | None = None
    courts_unbuilt: int = 0  # with the courts below: how many of them have no build of the period


def summary_version(*court_rows: QuerySet[Summary]) -> tuple[str, list[tuple]]:
    """A fingerprint of the builds behind some courts' numbers, from their court rows (one query).

    Every build rewrites its court's own row with the build's `built_at`, whatever else it
    changes (reports.services._store writes only the other rows that changed): the court rows'
    times (and which of them exist) change whenever any row of that court and period may have.
    Hashing all of them, not just the latest, also catches a build that started earlier but
    finished later. Returns the fingerprint and the rows (unit_id, period_kind, period_start,
    built_at), from which the dashboard also says when its numbers were built.
    """
    parts = [
        rows.filter(unit_kind=UnitKind.COURT).values_list("unit_id", "period_kind", "period_start", "built_at")
        for rows in court_rows
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = sorted(rows)
    return hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest(), rows


def dashboard_numbers(court: Court, period: Period, *, with_children: bool = False) -> DashboardNumbers:
    """The numbers of a court's dashboard: two queries when cached, a fixed dozen otherwise.

    The same for everyone who may read the court, so callers check access first.
    """
    periods = period.back(12) + [period.previous()]
    # The ids as a list, not a subquery: on a table without statistics (just loaded,
    # autovacuum off) PostgreSQL joined the subquery once per summary row.
    below = list(Court.objects.with_descendants(court).values_list("pk", flat=True))
    # The rows behind what is shown: the court's trend, with the courts below when asked for,
    # and the courts below in this period (their table).
    if with_children:
        version, rows = summary_version(Summary.objects.for_periods(periods).filter(unit_id__in=below))
    else:
        # Two narrow reads rather than one OR: each follows an index even without statistics,
        # so the cost does not grow with the members.
        version, rows = summary_version(
            Summary.objects.for_periods(periods).filter(court=court, unit_id=court.pk),
            Summary.objects.for_period(period).filter(unit_id__in=below),
        )
    # When this period was built, from the same rows (no query of its own).
    built = {unit_id: at for unit_id, kind, start, at in rows if (kind, start) == (period.kind, period.start)}
    if with_children:
        built_at = min(built.values(), default=None)
        courts_unbuilt = len(set(below) - set(built))
    else:
        built_at, courts_unbuilt = built.get(court.pk), 0
    # v2: bump it when DashboardNumbers or Row change shape (a shared cache outlives a deploy).
    # The court's cache_version: unit names and units come and go without a build (members.versions).
    key = f"reports:dashboard:v2:{court.pk}:{court.cache_version}:{period.key}:{int(with_children)}:{version}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = DashboardNumbers(
            key=key,
            totals=court_values(court, periods, with_children=with_children),
            breakdowns={kind: unit_rows(court, period, kind) for kind in DASHBOARD_BREAKDOWN_KINDS},
            children=child_court_rows(court, period),
            built_at=built_at,
            courts_unbuilt=courts_unbuilt,
        )
        cache.set(key, numbers, DASHBOARD_CACHE_SECONDS)
    return numbers
