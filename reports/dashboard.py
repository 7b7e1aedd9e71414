"""The 驾驶舱: what a leader reads at a glance, from the period's facts and summary numbers.

No queries here: the view reads the numbers (selectors.dashboard_numbers) and the facts
(reports.facts.facts_for) and these functions shape them for the page. Nothing is said about
what did not happen, and a period that was never built shows no zeros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from courtlearn.text import in_quotes

from .metrics import Metric, all_metrics
from .models import UnitKind
from .periods import MONTH, QUARTER, Period
from .selectors import Row

HIGHLIGHTS_SHOWN = 8  # lines a leader reads before "更多"
HIGHLIGHTS_LISTED = 60  # lines behind "更多"; the Word draft and the workbook have every one

# One chart per question, never counts and rates on one axis.
ACTIVITY_SERIES = ("sessions_held", "books_finished", "reflections_submitted", "shares_given", "quiz_attempts")
RATE_SERIES = ("participation_rate", "attendance_rate", "plan_completion_rate", "quiz_pass_rate")

# The units a leader compares, in the order of the picker. Courts only when there are courts below.
COMPARE_KINDS = (
    (UnitKind.COURT, gettext_lazy("Courts below")),
    (UnitKind.DEPARTMENT, gettext_lazy("Departments")),
    (UnitKind.BRANCH, gettext_lazy("Party branches")),
    (UnitKind.GROUP, gettext_lazy("Study groups")),
)
DEFAULT_COMPARE = "participation_rate"  # a rate: fair between a unit of 5 and a unit of 50


def is_percent(metric: Metric) -> bool:
    return bool(metric.ratio_of and metric.percent)


# --- Key figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    metric: Metric
    value: float | int | None
    previous: float | int | None  # None: not measured, or the previous period was never built
    delta: float | int | None

    @property
    def percent(self) -> bool:
        return is_percent(self.metric)

    @property
    def direction(self) -> str:
        if self.delta is None:
            return ""
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"

    @property
    def change(self) -> float | int | None:
        return None if self.delta is None else abs(self.delta)


def kpis(values: dict, previous: dict) -> list[Kpi]:
    """The catalogue's key figures with their change; an unbuilt previous period ({}) has no change."""
    out = []
    for metric in all_metrics():
        if not metric.kpi:
            continue
        now = metric.value(values)
        before = metric.value(previous) if previous else None
        delta = None if now is None or before is None else round(now - before, 1)
        if isinstance(delta, float) and delta.is_integer() and not metric.ratio_of:
            delta = int(delta)
        out.append(Kpi(metric, now, before, delta))
    return out


# --- Charts --------------------------------------------------------------------------------


def short_label(period: Period) -> str:
    """A period as an axis tick: short enough for twelve of them on a phone."""
    year = period.start.year % 100
    if period.kind == MONTH:
        return pgettext("chart tick, a month", "%(month)d/%(year)02d") % {"month": period.start.month, "year": year}
    if period.kind == QUARTER:
        quarter = (period.start.month - 1) // 3 + 1
        return pgettext("chart tick, a quarter", "Q%(quarter)d/%(year)02d") % {"quarter": quarter, "year": year}
    return period.label


def trend_charts(totals: dict[Period, dict], periods: list[Period]) -> dict:
    """Two charts' data: activity counts and rates over the periods; an unbuilt period is a gap."""
    by_key = {m.key: m for m in all_metrics()}

    def series(keys: tuple[str, ...]) -> list[dict]:
        return [
            {
                "key": key,
                "label": str(by_key[key].label),
                "data": [by_key[key].value(totals[p]) if totals.get(p) else None for p in periods],
            }
            for key in keys
            if key in by_key
        ]

    return {
        "built": any(totals.get(p) for p in periods),  # no chart at all rather than twelve empty periods
        "labels": [short_label(p) for p in periods],
        "titles": [p.label for p in periods],
        "counts": series(ACTIVITY_SERIES),
        "rates": series(RATE_SERIES),
    }


# --- Units compared ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    row: Row
    value: float | int | None
    width: float  # percent of the track: a rate against 100 %, a count against the largest

    @property
    def name(self) -> str:
        return self.row.name


def compare_choice(choices: list, wanted: str, default: str) -> str:
    keys = [key for key, _label in choices]
    if wanted in keys:
        return wanted
    return default if default in keys else (keys[0] if keys else "")


def compare_bars(rows: list[Row], metric: Metric) -> list[Bar]:
    """Units sorted by one figure, largest first; units without a value (no members) last; equal
    figures keep the units' own order (第二 before 第十: `rows` come in UNIT_ORDER)."""
    values = [(row, metric.value(row.values)) for row in rows]
    top = max((v for _row, v in values if v is not None), default=0)
    scale = 100 if is_percent(metric) else top
    bars = [
        Bar(row, value, round(min(100, value / scale * 100), 1) if value is not None and scale else 0.0)
        for row, value in values
    ]
    return sorted(bars, key=lambda b: (b.value is None, -(b.value or 0)))


# --- Highlights ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """One line of "本期亮点": a family (for its badge), a sentence with names, a date, a court."""

    family: str
    tag: str
    text: str
    date: dt.date | None = None
    court: str = ""  # which court, when the facts of the courts below are merged


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _join(names, *, limit: int = 3) -> str:
    """People named as a report names them: 张明、李静、王芳等5人 (the number counts everyone)."""
    names = [n for n in names if n]
    if len(names) <= limit:
        return _list(names)
    return _("%(names)s and others, %(count)d in all") % {"names": _list(names[:limit]), "count": len(names)}


def _titles(titles, *, limit: int = 3) -> str:
    """Works named one after another: 《红岩》《红星照耀中国》等."""
    works = [_work(t) for t in titles if t]
    joined = _list(works[:limit])
    return _("%(titles)s and more") % {"titles": joined} if len(works) > limit else joined


def _list(items) -> str:
    return pgettext("between names in a list", ", ").join(items)


def _work(title: str) -> str:
    return pgettext("title of a written work", "“%(title)s”") % {"title": in_quotes(title)} if title else ""


def _event(title: str) -> str:
    return pgettext("title of an event", "“%(title)s”") % {"title": in_quotes(title)} if title else ""


def _who(name: str, unit: str) -> str:
    return _("%(name)s (%(unit)s)") % {"name": name, "unit": unit} if unit else name


def _parts(*parts: str) -> str:
    return pgettext("between parts of a sentence", "; ").join(p for p in parts if p)


def _awards(facts: dict) -> list[Highlight]:
    lines = []
    for contest in facts.get("contests") or []:
        for winner in contest.get("winners") or []:
            # A unit's project is named by its unit alone: "第三党支部", not "第三党支部（第三党支部）".
            who = _who(winner.get("name", ""), "" if winner.get("by_unit") else winner.get("unit", ""))
            if winner.get("title"):
                who = _("%(who)s, %(work)s") % {"who": who, "work": _work(winner["title"])}
            text = _("%(contest)s, %(award)s: %(who)s") % {
                "contest": _event(contest.get("title", "")),
                "award": winner.get("award", ""),
                "who": who,
            }
            lines.append(Highlight("award", pgettext("highlight tag", "Award"), text, court=contest.get("court", "")))
    return lines


def _outputs(facts: dict) -> list[Highlight]:
    lines = []
    for output in (facts.get("outputs") or {}).get("recognized") or []:
        text = _("%(kind)s %(title)s by %(authors)s") % {
            "kind": output.get("kind", ""),
            "title": _work(output.get("title", "")),
            "authors": _join(output.get("authors") or []),
        }
        text = _parts(text, output.get("recognition", ""))
        lines.append(
            Highlight("output", pgettext("highlight tag", "Outstanding output"), text, court=output.get("court", ""))
        )
    return lines


def _reflections(facts: dict) -> list[Highlight]:
    featured = ((facts.get("reading") or {}).get("reflections") or {}).get("featured") or []
    return [
        Highlight(
            "reflection",
            pgettext("highlight tag", "Featured reflection"),
            # A session 感想 is named by its session ("Reflection on “…” by 张明"), a 读书心得 by its title.
            (
                _("Reflection on %(event)s by %(who)s")
                % {"event": _event(r.get("title", "")), "who": _who(r.get("author", ""), r.get("unit", ""))}
                if r.get("kind") == "session"
                else _("%(title)s by %(who)s")
                % {"title": _work(r.get("title", "")), "who": _who(r.get("author", ""), r.get("unit", ""))}
            ),
            _date(r.get("date")),
            r.get("court", ""),
        )
        for r in featured
    ]


def _recommendations(facts: dict) -> list[Highlight]:
    recommendations = (facts.get("reading") or {}).get("recommendations") or {}
    if not recommendations.get("count"):
        return []
    books = recommendations.get("books") or []
    text = _("%(people)s recommended %(count)d books: %(books)s") % {
        "people": _join([p.get("name", "") for p in recommendations.get("people") or []]),
        "count": recommendations["count"],
        "books": _titles(books),
    }
    return [Highlight("recommendation", pgettext("highlight tag", "Book recommendations"), text)]


def _assessments(facts: dict) -> list[Highlight]:
    lines = []
    for a in facts.get("assessments") or []:
        parts = [_("%(count)d tested") % {"count": a.get("tested") or 0}]
        if a.get("passed") is not None:
            parts.append(_("%(count)d passed") % {"count": a["passed"]})
        if a.get("best_speed") is not None:
            parts.append(_("fastest %(speed)s characters a minute") % {"speed": a["best_speed"]})
        elif a.get("best_score") is not None:
            parts.append(_("best score %(score)s") % {"score": a["best_score"]})
        text = _("%(title)s: %(details)s") % {
            "title": _event(a.get("title", "")),
            "details": pgettext("between figures", ", ").join(parts),
        }
        lines.append(
            Highlight(
                "assessment", pgettext("highlight tag", "Assessment"), text, _date(a.get("date")), a.get("court", "")
            )
        )
    return lines


def _qualifications(facts: dict) -> list[Highlight]:
    return [
        Highlight(
            "qualification",
            pgettext("highlight tag", "Qualification"),
            _("%(count)d members qualified as %(name)s: %(holders)s")
            % {"count": q.get("count") or 0, "name": q.get("name", ""), "holders": _join(q.get("holders") or [])},
            court=q.get("court", ""),
        )
        for q in facts.get("qualifications") or []
        if q.get("count")
    ]


def _donations(facts: dict) -> list[Highlight]:
    return [
        Highlight(
            "donation",
            pgettext("highlight tag", "Donation"),
            _("%(copies)d books donated to %(partner)s")
            % {"copies": d.get("copies") or 0, "partner": d.get("partner", "")},
            _date(d.get("date")),
            d.get("court", ""),
        )
        for d in (facts.get("reading") or {}).get("donations") or []
    ]


def _quizzes(facts: dict) -> list[Highlight]:
    quizzes = facts.get("quizzes") or {}
    if not quizzes.get("rounds"):
        return []
    text = _("%(rounds)d quiz rounds, %(people)d members took part") % {
        "rounds": quizzes["rounds"],
        "people": quizzes.get("participants") or 0,
    }
    if quizzes.get("average") is not None:
        text = _parts(text, _("average score %(score)s") % {"score": quizzes["average"]})
    return [Highlight("quiz", pgettext("highlight tag", "Quizzes"), text)]


def _events(facts: dict) -> list[Highlight]:
    lines = []
    for event in (facts.get("sessions") or {}).get("events") or []:
        text = _("%(kind)s %(title)s") % {"kind": event.get("kind", ""), "title": _event(event.get("title", ""))}
        speakers = [s.get("name", "") for s in event.get("speakers") or []]
        if speakers:
            text = _parts(text, _("speakers: %(names)s") % {"names": _join(speakers)})
        lines.append(
            Highlight(
                "event", pgettext("highlight tag", "Held"), text, _date(event.get("date")), event.get("court", "")
            )
        )
    return lines


# In this order: named results first, then what was held. Lines of one family stay together.
FAMILIES = (
    _awards,
    _outputs,
    _reflections,
    _recommendations,
    _assessments,
    _qualifications,
    _donations,
    _quizzes,
    _events,
)


@dataclass(frozen=True)
class Highlights:
    shown: list[Highlight]  # the first lines
    more: list[Highlight]  # behind "更多"
    not_listed: int  # beyond both: in the Word draft and the workbook, said as a number

    def __bool__(self) -> bool:
        return bool(self.shown)


def highlights(facts: dict | None) -> Highlights:
    """The period's named highlights: the lines shown first and the lines behind "更多".

    The first lines take one of each family in turn, so a month of forty sessions still shows
    its awards and featured reflections, and a month of ten awards still shows what was held.
    """
    if not facts:
        return Highlights([], [], 0)
    families = [family(facts) for family in FAMILIES]
    chosen: set[tuple[int, int]] = set()
    depth = 0
    while len(chosen) < HIGHLIGHTS_SHOWN and any(depth < len(lines) for lines in families):
        for i, lines in enumerate(families):
            if depth < len(lines) and len(chosen) < HIGHLIGHTS_SHOWN:
                chosen.add((i, depth))
        depth += 1
    shown = [line for i, lines in enumerate(families) for j, line in enumerate(lines) if (i, j) in chosen]
    more = [line for i, lines in enumerate(families) for j, line in enumerate(lines) if (i, j) not in chosen]
    # Held sessions beyond the facts' own list (it is capped) are counted, never dropped silently.
    sessions = facts.get("sessions") or {}
    beyond = max(0, (sessions.get("events_total") or 0) - len(sessions.get("events") or []))
    return Highlights(shown, more[:HIGHLIGHTS_LISTED], max(0, len(more) - HIGHLIGHTS_LISTED) + beyond)
