"""Reading the stored facts of a court and period (reports.models.ReportFacts), alone or merged
with every court below it (全市法院: a city court and its basic courts).

The facts are written by every build (reports.services.facts_build); this module only reads.
A merged dict keeps the shape of activities/facts.py: counts add up, lists are concatenated
(each item names its "court"), rows of a breakdown are merged by name, and averages and rates
are computed again from the merged counts.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from members.models import Court

from .models import ReportFacts
from .periods import Period

# Breakdowns whose rows are merged by this key instead of concatenated.
_BY_NAME = {
    ("sessions", "by_kind"): "code",
    ("outputs", "by_kind"): "kind",
    ("monthly_plans", "by_department"): "unit",
}
# Lists of distinct strings (a title recommended in two courts is one title).
_DISTINCT = {("reading", "recommendations", "books")}
# Keys that describe the merge itself, not what happened: the first item's (or the oldest) is kept.
_HEADER = {"version", "court", "period"}


def facts_for(court: Court, period: Period, *, with_children: bool = False) -> dict | None:
    """The court's facts for the period with "built_at" (ISO), or None when that period of the
    court was never built. With children: merged with every court below it that was built;
    those never built are named in "missing_courts" (so a caller can build them or say so).
    One query alone, two with children."""
    if not with_children:
        row = ReportFacts.objects.for_period(period).filter(court=court).values_list("facts", "built_at").first()
        if row is None:
            return None
        facts, built_at = row
        return {**facts, "built_at": timezone.localtime(built_at).isoformat(), "missing_courts": []}
    courts = list(Court.objects.with_descendants(court).values_list("pk", "name", "parent_id", "code"))
    depth = {court.pk: 0}
    for _pass in range(2):  # three levels at most: children, then grandchildren
        for pk, _name, parent, _code in courts:
            if parent in depth and pk not in depth:
                depth[pk] = depth[parent] + 1
    courts.sort(key=lambda c: (depth.get(c[0], 3), c[3]))  # the court first, then the level below, by code
    stored = {
        court_id: (facts, built_at)
        for court_id, facts, built_at in ReportFacts.objects.for_period(period)
        .filter(court__in=Court.objects.with_descendants(court))
        .values_list("court_id", "facts", "built_at")
    }
    if court.pk not in stored:
        return None
    items, missing = [], []
    for pk, name, _parent, _code in courts:
        if pk in stored:
            facts, built_at = stored[pk]
            items.append((name, {**facts, "built_at": timezone.localtime(built_at).isoformat()}))
        else:
            missing.append(name)
    merged = merge_facts(items)
    merged["missing_courts"] = missing
    return merged


def merge_facts(items: list[tuple[str, dict]]) -> dict:
    """Several courts' facts as one (the first item's court and period head the result).

    `items` are (court name, facts) pairs. Counts add up; lists are concatenated with
    "court": name added to each item; breakdown rows (sessions and outputs by kind, plans by
    department) are merged by name; the quiz average and pass rate are computed again, weighted
    by the counts behind them; "built_at" is the oldest; "courts" names the merged courts.
    """
    if not items:
        return {}
    names = [name for name, _facts in items]
    facts = [f for _name, f in items]
    merged = _merge(facts, names, ())
    for key in _HEADER:
        if key in facts[0]:
            merged[key] = facts[0][key]
    built = [f["built_at"] for f in facts if f.get("built_at")]
    if built:
        merged["built_at"] = min(built, key=dt.datetime.fromisoformat)
    merged["courts"] = names
    if "quizzes" in merged:
        merged["quizzes"] = _merge_quizzes([f.get("quizzes") or {} for f in facts], merged["quizzes"])
    return merged


def _merge(values: list, names: list[str], path: tuple):
    first = next((v for v in values if v is not None), None)
    if isinstance(first, dict):
        keys = list(dict.fromkeys(key for value in values if isinstance(value, dict) for key in value))
        result = {}
        for key in keys:
            present = [(value[key], name) for value, name in zip(values, names, strict=True) if key in (value or {})]
            result[key] = _merge([v for v, _n in present], [n for _v, n in present], (*path, key))
        return result
    if isinstance(first, list):
        if path in _BY_NAME:
            return _merge_rows(values, names, path, _BY_NAME[path])
        out = []
        for value, name in zip(values, names, strict=True):
            for item in value or []:
                out.append({**item, "court": name} if isinstance(item, dict) else item)
        return list(dict.fromkeys(out)) if path in _DISTINCT else out
    if isinstance(first, bool):
        return any(bool(v) for v in values)
    if isinstance(first, int):
        return sum(v for v in values if isinstance(v, int))
    if isinstance(first, float) or first is None:
        return None  # an average or rate: computed again from the merged counts (see merge_facts)
    return first  # a name or label: the first court's


def _merge_rows(values: list, names: list[str], path: tuple, key: str) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for value in values:
        for row in value or []:
            groups.setdefault(row.get(key), []).append(row)
    # Rows of one name add up; the names inside (titles) are concatenated without a court.
    return [_merge(rows, [""] * len(rows), (*path, "*")) for rows in groups.values()]


def _merge_quizzes(parts: list[dict], merged: dict) -> dict:
    scored = [(p.get("average"), p.get("attempts", 0)) for p in parts if p.get("average") is not None]
    weight = sum(n for _average, n in scored)
    merged["average"] = round(sum(a * n for a, n in scored) / weight, 1) if weight else None
    if all("marked" in p for p in parts):
        marked = sum(p["marked"] for p in parts)
        merged["pass_rate"] = round(sum(p["passed"] for p in parts) * 100 / marked, 1) if marked else None
    else:  # facts stored before "marked" and "passed" existed: weight the rates by attempts
        rated = [(p["pass_rate"], p.get("attempts", 0)) for p in parts if p.get("pass_rate") is not None]
        weight = sum(n for _rate, n in rated)
        merged["pass_rate"] = round(sum(r * n for r, n in rated) / weight, 1) if weight else None
    return merged
