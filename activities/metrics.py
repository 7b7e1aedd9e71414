"""Metric functions: what each activity family produced in a court during a period.

Each function takes a reports Window (court, start/end datetimes, start_date/end_date dates,
end exclusive) and answers in one GROUP BY query (two for attendance): either
{member_id: n} for outputs credited to members, or {(unit_kind, unit_id): n} for things a
unit did (sessions held, donations). reports/catalogue.py names them; nothing here counts
time online.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from django.db.models import Count, Prefetch, Q, Sum

from members.models import Member

from .models import (
    Attempt,
    Attendance,
    Award,
    DonationItem,
    Entry,
    MonthlyPlan,
    OutputAuthor,
    PlanItem,
    ReadingLog,
    Reflection,
    ResearchOutput,
    SelfReportedShare,
    Session,
    SessionReflection,
    Speaker,
)
from .selectors.sessions import expected_members

COURT, DEPARTMENT, BRANCH, GROUP = "court", "department", "branch", "group"


def _per_member(queryset, member_field: str = "member_id", value=None) -> dict[int, int]:
    value = value or Count("pk")
    return {row[member_field]: row["n"] for row in queryset.values(member_field).annotate(n=value).order_by()}


def _in_days(window, field: str) -> dict:
    return {f"{field}__gte": window.start_date, f"{field}__lt": window.end_date}


def _in_time(window, field: str) -> dict:
    return {f"{field}__gte": window.start, f"{field}__lt": window.end}


# Reading ------------------------------------------------------------------------------------


# Several metrics come from one table: one query serves them all. The cache holds the last few
# windows only, and each build makes its own window, so nothing is reused across builds.


@lru_cache(maxsize=4)
def _reading_log_counts(window) -> list[dict]:
    return list(
        ReadingLog.objects.filter(member__court=window.court, **_in_days(window, "day"))
        .values("member_id")
        .annotate(n=Count("pk"), finished=Count("pk", filter=Q(finished=True)))
        .order_by()
    )


def reading_logs(window) -> dict[int, int]:
    return {r["member_id"]: r["n"] for r in _reading_log_counts(window)}


def books_finished(window) -> dict[int, int]:
    return {r["member_id"]: r["finished"] for r in _reading_log_counts(window) if r["finished"]}


@lru_cache(maxsize=4)
def _reflection_counts(window) -> list[dict]:
    submitted = Q(submitted_at__gte=window.start, submitted_at__lt=window.end)
    featured = Q(status=Reflection.Status.FEATURED, featured_at__gte=window.start, featured_at__lt=window.end)
    return list(
        Reflection.objects.filter(submitted | featured, author__court=window.court)
        .values("author_id")
        .annotate(submitted=Count("pk", filter=submitted), featured=Count("pk", filter=featured))
        .order_by()
    )


def reflections_submitted(window) -> dict[int, int]:
    return {r["author_id"]: r["submitted"] for r in _reflection_counts(window) if r["submitted"]}


def reflections_featured(window) -> dict[int, int]:
    return {r["author_id"]: r["featured"] for r in _reflection_counts(window) if r["featured"]}


def books_donated(window) -> dict[tuple[str, int], int]:
    total = DonationItem.objects.filter(donation__court=window.court, **_in_days(window, "donation__day")).aggregate(
        n=Sum("count")
    )["n"]
    return {(COURT, window.court.pk): total or 0}


# Sessions -----------------------------------------------------------------------------------


def _held_sessions(window):
    return Session.objects.filter(court=window.court, status=Session.Status.HELD, **_in_time(window, "start"))


def sessions_held(window) -> dict[tuple[str, int], int]:
    """Held sessions, credited to the court and to the organizing department, branch or group."""
    counts: Counter = Counter()
    for department, branch, group in _held_sessions(window).values_list("unit_department", "unit_branch", "unit_group"):
        counts[(COURT, window.court.pk)] += 1
        if department:
            counts[(DEPARTMENT, department)] += 1
        if branch:
            counts[(BRANCH, branch)] += 1
        if group:
            counts[(GROUP, group)] += 1
    return dict(counts)


@lru_cache(maxsize=4)
def _held_by_kind(window) -> dict[str, int]:
    return dict(_held_sessions(window).values_list("kind__code").annotate(n=Count("pk")).order_by())


def sessions_held_of_kind(code: str):
    def compute(window) -> dict[tuple[str, int], int]:
        return {(COURT, window.court.pk): _held_by_kind(window).get(code, 0)}

    compute.__name__ = f"sessions_held_{code}"
    return compute


def sessions_attended(window) -> dict[int, int]:
    return _per_member(
        Attendance.objects.attended().filter(
            session__court=window.court, session__status=Session.Status.HELD, **_in_time(window, "session__start")
        )
    )


def sessions_expected(window) -> dict[int, int]:
    """How many held sessions each member was expected at (their audience included them)."""
    expected: dict[int, int] = defaultdict(int)
    sessions = _held_sessions(window).prefetch_related(
        Prefetch("audience_departments"), Prefetch("audience_branches"), Prefetch("audience_groups")
    )
    whole_court = 0
    for session in sessions:
        if session.audience_court:
            whole_court += 1
            continue
        for member_id in expected_members(session).values_list("pk", flat=True):
            expected[member_id] += 1
    if whole_court:
        for member_id in Member.objects.filter(court=window.court, is_active=True).values_list("pk", flat=True):
            expected[member_id] += whole_court
    return dict(expected)


def shares_given(window) -> dict[int, int]:
    """Talks given: as a speaker of a held session, or a share confirmed by the group leader."""
    spoken = _per_member(
        Speaker.objects.filter(
            member__court=window.court, session__status=Session.Status.HELD, **_in_time(window, "session__start")
        )
    )
    reported = _per_member(
        SelfReportedShare.objects.confirmed().filter(member__court=window.court, **_in_days(window, "date"))
    )
    return dict(Counter(spoken) + Counter(reported))


def session_reflections(window) -> dict[int, int]:
    return _per_member(
        SessionReflection.objects.filter(author__court=window.court, **_in_time(window, "created_at")), "author_id"
    )


# Contests and quizzes -----------------------------------------------------------------------


def contest_entries(window) -> dict[int, int]:
    return _per_member(Entry.objects.filter(member__court=window.court, **_in_time(window, "created_at")))


def awards(window) -> dict[int, int]:
    return _per_member(
        Award.objects.filter(entry__member__court=window.court, **_in_time(window, "created_at")), "entry__member_id"
    )


def _finished_attempts(window):
    return Attempt.objects.filter(
        member__court=window.court,
        status__in=[Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED],
        **_in_time(window, "submitted_at"),
    )


@lru_cache(maxsize=4)
def _attempt_counts(window) -> list[dict]:
    return list(
        _finished_attempts(window)
        .values("member_id")
        .annotate(n=Count("pk"), total=Sum("score"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )


def quiz_attempts(window) -> dict[int, int]:
    return {r["member_id"]: r["n"] for r in _attempt_counts(window)}


def quiz_score_total(window) -> dict[int, float]:
    return {r["member_id"]: round(float(r["total"]), 2) for r in _attempt_counts(window) if r["total"] is not None}


def quiz_passed(window) -> dict[int, int]:
    return {r["member_id"]: r["passed"] for r in _attempt_counts(window) if r["passed"]}


# Plans and outputs ---------------------------------------------------------------------------


def _months(window) -> Q:
    q = Q(pk__in=[])
    year, month = window.start_date.year, window.start_date.month
    while (year, month) < (window.end_date.year, window.end_date.month):
        q |= Q(year=year, month=month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return q


@lru_cache(maxsize=4)
def _plan_item_counts(window) -> list[dict]:
    plans = MonthlyPlan.objects.filter(_months(window), member__court=window.court)
    return list(
        PlanItem.objects.filter(plan__in=plans)
        .values("plan__member_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=PlanItem.Status.DONE)))
        .order_by()
    )


def plan_items(window) -> dict[int, int]:
    return {r["plan__member_id"]: r["n"] for r in _plan_item_counts(window)}


def plan_items_done(window) -> dict[int, int]:
    return {r["plan__member_id"]: r["done"] for r in _plan_item_counts(window) if r["done"]}


def plans_reported(window) -> dict[int, int]:
    return _per_member(
        MonthlyPlan.objects.filter(_months(window), member__court=window.court, reported_at__isnull=False)
    )


def authorships(window) -> dict[int, int]:
    return _per_member(
        OutputAuthor.objects.filter(
            member__court=window.court, **_in_days(window, "output__date"), member__isnull=False
        )
    )


def _outputs(window):
    return ResearchOutput.objects.filter(court=window.court, **_in_days(window, "date"))


@lru_cache(maxsize=4)
def _output_counts(window) -> dict[tuple[str, str], int]:
    counts: Counter = Counter()
    for kind, level, n in _outputs(window).values_list("kind", "level").annotate(n=Count("pk")).order_by():
        counts[("kind", kind)] += n
        counts[("level", level)] += n
        counts[("all", "")] += n
    return dict(counts)


def research_outputs(window) -> dict[tuple[str, int], int]:
    return {(COURT, window.court.pk): _output_counts(window).get(("all", ""), 0)}


def outputs_of(field: str, value: str):
    def compute(window) -> dict[tuple[str, int], int]:
        return {(COURT, window.court.pk): _output_counts(window).get((field, value), 0)}

    compute.__name__ = f"outputs_{value}"
    return compute


# Highlights for the Word summary --------------------------------------------------------------


def featured_reflection_titles(window) -> list[str]:
    featured = Reflection.objects.filter(
        author__court=window.court, status=Reflection.Status.FEATURED, **_in_time(window, "featured_at")
    ).select_related("author")
    return [f"《{r.title}》 {r.author.name}" for r in featured.order_by("featured_at")[:20]]


def award_names(window) -> list[str]:
    found = Award.objects.filter(entry__member__court=window.court, **_in_time(window, "created_at")).select_related(
        "contest", "entry__member"
    )
    return [
        f"{a.contest.title} · {a.custom_name or a.get_kind_display()} · {a.entry.member.name}"
        for a in found.order_by("created_at")[:20]
    ]
