"""Every metric, defined once: key, Chinese label (through gettext), one-line definition.

Stored metrics are additive counts, so a unit's value is the sum over its members (or the
unit-level count); ratios are derived at read time from two stored counts. Nothing counts
time online.

A stored metric's `compute(window)` returns either {member_id: n} (level "member") or
{(unit_kind, unit_id): n} (level "unit"). The functions live with the activities that
produce the records (activities/metrics.py); this module is the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Court

MEMBER, UNIT = "member", "unit"


@dataclass(frozen=True)
class Window:
    """What a metric function needs: the court and the period's bounds."""

    court: Court
    start: dt.datetime  # aware, local midnight
    end: dt.datetime  # aware, exclusive
    start_date: dt.date
    end_date: dt.date  # exclusive
    # Each build makes its own window: metric functions may cache per window, never across builds.
    build: object = field(default_factory=object)


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


@dataclass(frozen=True)
class Section:
    """A section of the Word summary (情况总结): a title and an editable sentence template."""

    key: str
    title: Promise | str
    sentence: Promise | str  # placeholders: {court}, {period} and any metric key


OVERVIEW = Section(
    "overview",
    _("Overview"),
    _(
        "In {period}, {court} had {members} members; {active_members} of them took part in learning "
        "activities, a participation rate of {participation_rate}%."
    ),
)
_SECTIONS: list[Section] = [OVERVIEW]


def register_sections(*sections: Section) -> None:
    _SECTIONS.extend(sections)


def all_sections() -> list[Section]:
    from . import catalogue  # noqa: F401

    return list(_SECTIONS)


def register(*metrics: Metric) -> None:
    """Add metrics to the catalogue (activities register theirs when reports loads them)."""
    known = {m.key for m in _REGISTRY}
    for metric in metrics:
        if metric.key in known:
            raise ValueError(f"metric {metric.key!r} defined twice")
        known.add(metric.key)
        _REGISTRY.append(metric)


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


@dataclass(frozen=True)
class Highlight:
    """Named items for the court's summary, e.g. featured reflections or awards.

    `compute(window)` returns short strings such as "《…》 张明"; the court row keeps them.
    """

    key: str
    title: Promise | str
    compute: Callable[[Window], list[str]]


_HIGHLIGHTS: list[Highlight] = []


def register_highlights(*highlights: Highlight) -> None:
    _HIGHLIGHTS.extend(highlights)


def all_highlights() -> list[Highlight]:
    from . import catalogue  # noqa: F401

    return list(_HIGHLIGHTS)
