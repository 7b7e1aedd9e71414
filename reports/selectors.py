"""Reads for dashboards and exports: only summary rows, a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from members.models import Court, Department, Member, PartyBranch, StudyGroup

from .metrics import Metric, all_metrics
from .models import Summary, UnitKind
from .periods import Period

UNIT_MODELS = {
    UnitKind.DEPARTMENT: Department,
    UnitKind.BRANCH: PartyBranch,
    UnitKind.GROUP: StudyGroup,
    UnitKind.MEMBER: Member,
    UnitKind.COURT: Court,
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
    """Rows of one unit kind in a court for a period, named, in name order (two queries).

    `units` narrows the units (e.g. the members of one department); units without numbers
    are listed with empty values, so a quiet department still shows its zeros.
    """
    if units is None:
        units = UNIT_MODELS[unit_kind].objects.filter(court=court)
    names = dict(units.values_list("pk", "name"))
    summaries = Summary.objects.for_period(period).filter(court=court, unit_kind=unit_kind, unit_id__in=list(names))
    values = dict(summaries.values_list("unit_id", "values"))
    rows = [Row(unit_kind, pk, name, values.get(pk, {})) for pk, name in names.items()]
    return sorted(rows, key=lambda r: r.name)


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


def kpis(values: dict, previous: dict) -> list[dict]:
    out = []
    for metric in all_metrics():
        if not metric.kpi:
            continue
        now, before = metric.value(values), metric.value(previous)
        delta = None if now is None or before is None else round(now - before, 1)
        out.append({"metric": metric, "value": now, "previous": before, "delta": delta})
    return out
