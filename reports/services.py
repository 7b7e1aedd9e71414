"""Building summaries: one court, one period, in one transaction; safe to run twice.

The numbers come from the metric functions (one GROUP BY query each), are summed per
member into the member's department, party branch, study groups and court, and written
with an upsert keyed by (period, unit). A rerun writes the same numbers; two runs at
once cannot duplicate a row (unique constraint); a run killed mid-way leaves the old
rows untouched (the transaction never commits).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from members.models import Court, Member, StudyGroupMembership

from .metrics import MEMBER, UNIT, Window, all_highlights, all_metrics
from .models import Summary, SummaryBuild, UnitKind
from .periods import Period

MAX_ATTEMPTS = 3  # a build redelivered more often than this (e.g. it keeps killing its worker) fails


def window_for(court: Court, period: Period) -> Window:
    start, end = period.bounds()
    return Window(court=court, start=start, end=end, start_date=period.start, end_date=period.end)


def compute_court_values(*, court: Court, period: Period) -> dict[tuple[str, int], dict[str, int]]:
    """All stored metric values of a court for a period, keyed by (unit_kind, unit_id)."""
    window = window_for(court, period)
    metrics = [m for m in all_metrics() if m.stored and m.compute is not None]
    per_member: dict[int, dict[str, int]] = defaultdict(dict)
    units: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    output_keys = {m.key for m in metrics if m.output}
    for metric in metrics:
        results = metric.compute(window)
        if metric.level == MEMBER:
            for member_id, value in results.items():
                if value:
                    per_member[member_id][metric.key] = value
        elif metric.level == UNIT:
            for unit, value in results.items():
                if value:
                    units[unit][metric.key] += value

    groups: dict[int, list[int]] = defaultdict(list)
    for member_id, group_id in StudyGroupMembership.objects.filter(member__court=court).values_list(
        "member_id", "group_id"
    ):
        groups[member_id].append(group_id)

    weights = {key: float(weight) for key, weight in court.points_weights.values_list("metric_key", "weight")}
    weights = {key: weight for key, weight in weights.items() if key in output_keys}
    court_key = (UnitKind.COURT, court.pk)
    units[court_key]  # a court always has a row, even an empty one
    for member_id, department_id, branch_id, is_active in Member.objects.filter(court=court).values_list(
        "pk", "department_id", "party_branch_id", "is_active"
    ):
        values = dict(per_member.get(member_id, {}))
        if not is_active and not values:
            continue
        if is_active:
            values["members"] = 1
        if any(values.get(key) for key in output_keys):
            values["active_members"] = 1
        if weights:
            points = round(sum(weight * values.get(key, 0) for key, weight in weights.items()), 1)
            if points:
                values["points"] = points
        targets = [(UnitKind.MEMBER, member_id), court_key]
        if department_id:
            targets.append((UnitKind.DEPARTMENT, department_id))
        if branch_id:
            targets.append((UnitKind.BRANCH, branch_id))
        targets.extend((UnitKind.GROUP, group_id) for group_id in groups.get(member_id, ()))
        for target in targets:
            bucket = units[target]
            for key, value in values.items():
                bucket[key] += value
    return {
        unit: {key: round(value, 1) if isinstance(value, float) else value for key, value in values.items()}
        for unit, values in units.items()
    }


def summary_build(*, court: Court, period: Period, now: dt.datetime | None = None) -> int:
    """Compute and store every summary row of one court for one period; returns the row count."""
    now = now or timezone.now()
    values_by_unit = compute_court_values(court=court, period=period)
    window = window_for(court, period)
    highlights = {h.key: h.compute(window)[:20] for h in all_highlights()}
    rows = [
        Summary(
            period_kind=period.kind,
            period_start=period.start,
            unit_kind=unit_kind,
            unit_id=unit_id,
            court=court,
            values=values,
            highlights=highlights if unit_kind == UnitKind.COURT else {},
            built_at=now,
        )
        for (unit_kind, unit_id), values in values_by_unit.items()
    ]
    with transaction.atomic():
        Summary.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["period_kind", "period_start", "unit_kind", "unit_id"],
            update_fields=["values", "highlights", "built_at", "court"],
            batch_size=1000,
        )
        # Units that no longer have numbers (a member who moved away, a group dissolved).
        Summary.objects.filter(court=court, period_kind=period.kind, period_start=period.start).exclude(
            built_at=now
        ).delete()
    return len(rows)


def build_queue(*, court: Court, period: Period, now: dt.datetime) -> SummaryBuild:
    """Mark a build as queued (the organizer's progress bar starts here)."""
    build, _created = SummaryBuild.objects.update_or_create(
        court=court,
        period_kind=period.kind,
        period_start=period.start,
        defaults={"status": SummaryBuild.Status.QUEUED, "progress": 0, "attempts": 0, "error": "", "queued_at": now},
    )
    return build


def build_run(*, court_id: int, period: Period, now: dt.datetime | None = None) -> SummaryBuild | None:
    """What the Celery task does: claim, build, record the outcome. Safe to run twice."""
    now = now or timezone.now()
    court = Court.objects.filter(pk=court_id).first()
    if court is None:
        return None
    build, _created = SummaryBuild.objects.get_or_create(
        court=court, period_kind=period.kind, period_start=period.start, defaults={"queued_at": now}
    )
    # Count the attempt first, in its own transaction: a worker killed mid-build still counts.
    # A build found RUNNING is a redelivery (its worker died); anything else starts afresh.
    SummaryBuild.objects.filter(pk=build.pk).exclude(status=SummaryBuild.Status.RUNNING).update(attempts=0)
    SummaryBuild.objects.filter(pk=build.pk).update(
        attempts=F("attempts") + 1, status=SummaryBuild.Status.RUNNING, progress=10, started_at=now, error=""
    )
    build.refresh_from_db()
    if build.attempts > MAX_ATTEMPTS:
        SummaryBuild.objects.filter(pk=build.pk).update(
            status=SummaryBuild.Status.FAILED, error="too many attempts", finished_at=timezone.now()
        )
        build.refresh_from_db()
        return build
    try:
        summary_build(court=court, period=period, now=now)
    except Exception as exc:
        SummaryBuild.objects.filter(pk=build.pk).update(
            status=SummaryBuild.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    SummaryBuild.objects.filter(pk=build.pk).update(
        status=SummaryBuild.Status.DONE, progress=100, finished_at=timezone.now()
    )
    build.refresh_from_db()
    return build


def report_template_for(court: Court):
    from .models import ReportTemplate

    template, _created = ReportTemplate.objects.get_or_create(court=court)
    return template


@transaction.atomic
def points_weights_set(*, court: Court, weights: dict, actor) -> None:
    """Replace the court's learning-points weights (empty: the court does not use points)."""
    from members.services import audit

    from .models import PointsWeight

    PointsWeight.objects.filter(court=court).exclude(metric_key__in=list(weights)).delete()
    for key, weight in weights.items():
        PointsWeight.objects.update_or_create(court=court, metric_key=key, defaults={"weight": weight})
    audit(
        actor=actor,
        action="reports.points_weights_changed",
        target=court,
        weights={k: str(v) for k, v in weights.items()},
    )
