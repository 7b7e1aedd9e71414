"""Building summaries: one court, one period, in one transaction; safe to run twice.

The numbers come from the metric sources (SQL per table, see activities/metrics.py), run as
one prepared statement per court; they are summed per member into the member's department,
party branch, study groups and court, and written with one upsert keyed by (period, unit),
rows that did not change left alone. A rerun writes the same numbers; two runs at once cannot
duplicate a row (unique constraint); a run killed mid-way leaves the old rows untouched (the
transaction never commits).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from activities.facts import court_facts
from courtlearn.db import fetch_all, insert_rows
from members.models import Court

from .metrics import UNIT, Source, Window, all_metrics, all_sources, period_sql_params
from .models import ReportFacts, Summary, SummaryBuild, SummaryStale, UnitKind
from .periods import Period

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a build redelivered more often than this (e.g. it keeps killing its worker) fails
STUCK_MARGIN_SECONDS = 60  # past the task time limit, before a queued or running build counts as lost


def window_for(court: Court, period: Period) -> Window:
    start, end = period.bounds()
    return Window(court=court, start=start, end=end, start_date=period.start, end_date=period.end)


# What the build needs besides the metric sources, in the same statement and row shape:
# the court's members (v1 department, v2 party branch, v3 active), the members of its study
# groups (v1 the group; v2 1 for a member of a court below, in a group open to them: 两级法院)
# and the court's learning-points weights (tag: metric key, v1: weight).
_MEMBERS = Source(
    "_members",
    """
    SELECT 'member', m.id, '', COALESCE(m.department_id, 0), COALESCE(m.party_branch_id, 0),
           CASE WHEN m.is_active THEN 1 ELSE 0 END
    FROM members_member m WHERE m.court_id = %(court)s
    """,
)
_GROUPS = Source(
    "_groups",
    """
    SELECT 'member', g.member_id, '', g.group_id, CASE WHEN m.court_id = %(court)s THEN 0 ELSE 1 END, 0
    FROM members_studygroup sg JOIN members_studygroupmembership g ON g.group_id = sg.id
    JOIN members_member m ON m.id = g.member_id
    WHERE sg.court_id = %(court)s
    """,
)
# The stored numbers of the members of courts below in the court's groups (their own court's
# build counts them, see _from_below): one query, run only when the court has such members.
_BELOW = """
    SELECT s.unit_id, s."values" FROM reports_summary s
    WHERE s.unit_kind = 'member' AND s.period_kind = %(kind)s AND s.period_start = %(start)s
      AND s.unit_id IN (SELECT g.member_id FROM members_studygroupmembership g
                        JOIN members_studygroup sg ON sg.id = g.group_id
                        JOIN members_member m ON m.id = g.member_id
                        WHERE sg.court_id = %(court)s AND m.court_id <> %(court)s)
      AND s.court_id <> %(court)s
"""
_WEIGHTS = Source(
    "_weights",
    "SELECT 'court', w.court_id, w.metric_key, w.weight, 0, 0 FROM reports_pointsweight w WHERE w.court_id = %(court)s",
)


def _statement(sources: list[Source]) -> str:
    """All sources of a court as one statement: rows (source key, unit_kind, unit_id, tag, v1, v2, v3).

    Source keys are checked identifiers (see Source), so they can stand in the SQL as literals.
    The values come back as floats: PostgreSQL would otherwise type a UNION of counts and sums
    as numeric, and converting thousands of Decimals per court costs more than the statement's
    smaller sources. compute_court_values turns whole numbers back into ints.
    """
    ctes = ",\n".join(f"x{i}(unit_kind, unit_id, tag, v1, v2, v3) AS ({s.sql})" for i, s in enumerate(sources))
    selects = "\nUNION ALL\n".join(
        f"SELECT '{s.key}', unit_kind, unit_id, tag, {_FLOAT.format('v1')}, {_FLOAT.format('v2')}, "
        f"{_FLOAT.format('v3')} FROM x{i}"
        for i, s in enumerate(sources)
    )
    return f"WITH {ctes}\n{selects}"


_FLOAT = "CAST({} AS DOUBLE PRECISION)"


def _rows(*, court: Court, period: Period, sources: list[Source], now: dt.datetime | None = None):
    params = {"court": court.pk, **period_sql_params(period, now)}
    for source in sources:
        for name, value in source.constants.items():
            if params.setdefault(name, str(value)) != str(value):
                raise ValueError(f"sources disagree on the SQL parameter {name!r}")
    # Prepared on PostgreSQL: planning ~20 SELECTs costs more than running them for one court.
    return fetch_all(_statement(sources), params)


def _column_plans(sources: list[Source], stored_keys: set[str]) -> dict[str, list[tuple[int, str, bool]]]:
    """Per source: (value index, metric key or "{tag}" template, is a template), stored metrics only."""
    plans = {}
    for source in sources:
        plan = []
        for index, name in enumerate(source.columns):
            templated = "{tag}" in name
            if name and (templated or name in stored_keys):
                plan.append((index, name, templated))
        plans[source.key] = plan
    return plans


# Plain strings, for speed in the loops below.
_MEMBER, _COURT = UnitKind.MEMBER.value, UnitKind.COURT.value
_DEPARTMENT, _BRANCH, _GROUP = UnitKind.DEPARTMENT.value, UnitKind.BRANCH.value, UnitKind.GROUP.value


def compute_court_values(
    *, court: Court, period: Period, now: dt.datetime | None = None
) -> dict[tuple[str, int], dict[str, int]]:
    """All stored metric values of a court for a period, keyed by (unit_kind, unit_id), as they
    stand at `now` (default the current time; sessions count as held once they have ended).

    One SQL statement brings every source's rows plus the court's members and groups; the
    values are then added up per member into the member's department, branch, groups and court.
    This runs once per court and period on every build, so it is written for speed.
    """
    metrics = [m for m in all_metrics() if m.stored]
    stored_keys = {m.key for m in metrics}
    output_keys = [m.key for m in metrics if m.output]
    sources = all_sources()
    plans = _column_plans(sources, stored_keys)
    per_member: dict[int, dict] = defaultdict(dict)
    units: dict[tuple[str, int], dict] = defaultdict(dict)
    people: list[tuple[int, int, int, bool]] = []
    groups: dict[int, list[int]] = defaultdict(list)
    groups_below: dict[int, list[int]] = defaultdict(list)  # members of courts below in the court's groups
    weights: dict[str, float] = {}
    for key, unit_kind, unit_id, tag, v1, v2, v3 in _rows(
        court=court, period=period, sources=[_MEMBERS, _GROUPS, _WEIGHTS, *sources], now=now
    ):
        plan = plans.get(key)
        if plan is None:
            if key == "_members":
                people.append((unit_id, int(v1), int(v2), bool(v3)))
            elif key == "_groups":
                (groups_below if v2 else groups)[unit_id].append(int(v1))
            elif key == "_weights" and tag in output_keys:
                weights[tag] = float(v1)
            continue
        target = per_member[unit_id] if unit_kind == _MEMBER else units[(unit_kind, unit_id)]
        row = (v1, v2, v3)
        for index, name, templated in plan:
            value = row[index]
            if not value:
                continue
            if templated:
                name = name.format(tag=tag)
                if name not in stored_keys:
                    continue
            target[name] = target.get(name, 0) + value
    # Metrics computed in Python (a query each): none in the catalogue; a hook for tests and experiments.
    window = window_for(court, period)
    for metric in metrics:
        if metric.compute is None:
            continue
        for who, value in metric.compute(window).items():
            if value:
                target = units[who] if metric.level == UNIT else per_member[who]
                target[metric.key] = target.get(metric.key, 0) + value

    court_key = (_COURT, court.pk)
    units[court_key]  # a court always has a row, even an empty one
    together: dict[tuple, dict] = {}
    for member_id, department_id, branch_id, is_active in people:
        values = per_member.get(member_id)
        values = dict(values) if values else {}
        if not is_active and not values:
            continue
        if is_active:
            values["members"] = 1
        if values and any(key in values for key in output_keys):
            values["active_members"] = 1
        if weights:
            points = round(sum(weight * values.get(key, 0) for key, weight in weights.items()), 1)
            if points:
                values["points"] = points
        units[(_MEMBER, member_id)] = values
        # Members who count in the same units are added up once, then into each of those units.
        placement = (department_id, branch_id, tuple(groups.get(member_id, ())))
        sums = together.get(placement)
        if sums is None:
            together[placement] = dict(values)
        else:
            for key, value in values.items():
                sums[key] = sums.get(key, 0) + value
    if groups_below:
        _from_below(court, period, groups_below, per_member, weights, output_keys, units)
    for (department_id, branch_id, group_ids), sums in together.items():
        targets = [court_key]
        if department_id:
            targets.append((_DEPARTMENT, department_id))
        if branch_id:
            targets.append((_BRANCH, branch_id))
        targets.extend((_GROUP, group_id) for group_id in group_ids)
        for target in targets:
            bucket = units[target]
            for key, value in sums.items():
                bucket[key] = bucket.get(key, 0) + value
    for values in units.values():
        for key, value in values.items():
            if isinstance(value, float):
                values[key] = int(value) if value.is_integer() else round(value, 1)
    return units


def _from_below(
    court: Court,
    period: Period,
    groups_below: dict[int, list[int]],
    per_member: dict[int, dict],
    weights: dict[str, float],
    output_keys: list[str],
    units: dict[tuple[str, int], dict],
) -> None:
    """Add the members of courts below into the court's groups open to them (两级法院), and
    nowhere else: not into the court's own court, department or branch rows.

    Their numbers are the stored rows their own court's build wrote (reports.freshness: that
    build marks this court stale when those rows change), plus what they did in this court
    (the attendance of its sessions), which their own court's build does not count. Points are
    counted again with this court's weights, as for its own members.
    """
    json_field = Summary._meta.get_field("values")
    params = {"court": court.pk, "kind": period.kind, "start": connection.ops.adapt_datefield_value(period.start)}
    for member_id, stored in fetch_all(_BELOW, params):
        values = {
            key: value
            for key, value in json_field.from_db_value(stored, None, connection).items()
            if key not in ("points", "active_members")
        }
        for key, value in (per_member.get(member_id) or {}).items():
            values[key] = values.get(key, 0) + value
        if any(key in values for key in output_keys):
            values["active_members"] = 1
        if weights:
            points = round(sum(weight * values.get(key, 0) for key, weight in weights.items()), 1)
            if points:
                values["points"] = points
        for group_id in groups_below[member_id]:
            bucket = units[(_GROUP, group_id)]
            for key, value in values.items():
                bucket[key] = bucket.get(key, 0) + value


def summary_build(*, court: Court, period: Period, now: dt.datetime | None = None) -> int:
    """Compute and store every summary row of one court for one period; returns the row count."""
    now = now or timezone.now()
    values_by_unit = compute_court_values(court=court, period=period, now=now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Summaries are derived and rebuilt at will: no need to wait for this commit to reach
            # the disk. The build's "done" status is committed after it, synchronously, which
            # flushes this transaction too, so "done" never points at rows a crash could lose.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        _store(court=court, period=period, values_by_unit=values_by_unit, now=now)
    return len(values_by_unit)


_COLUMNS = {
    "period_kind": "varchar",
    "period_start": "date",
    "unit_kind": "varchar",
    "unit_id": "bigint",
    "court_id": "bigint",
    "values": "jsonb",
    "built_at": "timestamptz",
}
_ON_CONFLICT = """
    ON CONFLICT (period_kind, period_start, unit_kind, unit_id) DO UPDATE SET
        court_id = excluded.court_id, "values" = excluded."values", built_at = excluded.built_at
"""


def _store(*, court: Court, period: Period, values_by_unit: dict, now: dt.datetime) -> None:
    """Write what changed: new and changed rows (an upsert, so two runs at once cannot duplicate
    a row), and delete the rows of units that no longer have numbers (a member who moved away,
    a group dissolved). The court's row is always rewritten, so its built_at is the last build's."""
    ops = connection.ops
    start, at = ops.adapt_datefield_value(period.start), ops.adapt_datetimefield_value(now)
    json_field = Summary._meta.get_field("values")
    existing = {
        (unit_kind, unit_id): (pk, json_field.from_db_value(values, None, connection))
        for pk, unit_kind, unit_id, values in fetch_all(
            'SELECT id, unit_kind, unit_id, "values" FROM reports_summary'
            " WHERE court_id = %s AND period_kind = %s AND period_start = %s",
            [court.pk, period.kind, start],
        )
    }
    rows = []
    for (unit_kind, unit_id), values in values_by_unit.items():
        old = existing.pop((unit_kind, unit_id), None)
        is_court = unit_kind == UnitKind.COURT
        if old is not None and old[1] == values and not is_court:
            continue
        rows.append((unit_kind, unit_id, json.dumps(values, ensure_ascii=False)))
    same = {"period_kind": period.kind, "period_start": start, "court_id": court.pk, "built_at": at}
    insert_rows("reports_summary", _COLUMNS, rows, _ON_CONFLICT, same=same)
    if existing:
        Summary.objects.filter(pk__in=[pk for pk, _values in existing.values()]).delete()
    changed = {unit_id for unit_kind, unit_id, *_rest in rows if unit_kind == _MEMBER}
    changed.update(unit_id for unit_kind, unit_id in existing if unit_kind == _MEMBER)
    if changed:
        _mark_groups_above(court=court, period=period, changed=changed)


def _mark_groups_above(*, court: Court, period: Period, changed: set[int]) -> None:
    """Mark stale the courts above whose groups (open to this court) count members whose numbers
    changed: their group rows add up these members' stored rows (_from_below). One query."""
    from .freshness import mark

    courts = {
        group_court
        for group_court, member_id in fetch_all(
            "SELECT sg.court_id, g.member_id FROM members_studygroupmembership g"
            " JOIN members_studygroup sg ON sg.id = g.group_id JOIN members_member m ON m.id = g.member_id"
            " WHERE m.court_id = %s AND sg.court_id <> %s",
            [court.pk, court.pk],
        )
        if member_id in changed
    }
    mark({(court_id, period.kind, period.start) for court_id in courts})


def facts_build(*, court: Court, period: Period, now: dt.datetime) -> ReportFacts:
    """Store what happened in the court in the period, by name (activities.facts.court_facts),
    as it stands at `now`. Safe to run twice: one row per court and period, replaced."""
    start, end = period.bounds()
    facts = court_facts(court=court, start=start, end=end, start_date=period.start, end_date=period.end, now=now)
    row, _created = ReportFacts.objects.update_or_create(
        court=court,
        period_kind=period.kind,
        period_start=period.start,
        defaults={"facts": facts, "built_at": now},
    )
    return row


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
    # Every write committed before this point is in the build below: its stale mark is answered.
    # Before `now`, so that the rows' built_at means "everything committed before it is in".
    SummaryStale.objects.for_period(period).filter(court_id=court_id).delete()
    now = now or timezone.now()
    court = Court.objects.filter(pk=court_id).first()
    if court is None:
        return None
    build, _created = SummaryBuild.objects.get_or_create(
        court=court, period_kind=period.kind, period_start=period.start, defaults={"queued_at": now}
    )
    # Count the attempt first, in its own transaction: a worker killed mid-build still counts.
    # A build found RUNNING is a redelivery (its worker died), one the sweep failed as timed out
    # was queued again by it (builds_sweep_stuck); anything else starts afresh.
    SummaryBuild.objects.filter(pk=build.pk).exclude(status=SummaryBuild.Status.RUNNING).exclude(
        status=SummaryBuild.Status.FAILED, error=SummaryBuild.TIMED_OUT
    ).update(attempts=0)
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
        facts_build(court=court, period=period, now=now)
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


def builds_sweep_stuck(*, now: dt.datetime | None = None) -> int:
    """Fail the builds queued or running for longer than a task may run, and queue them again.

    A build still QUEUED or RUNNING CELERY_TASK_TIME_LIMIT (+ STUCK_MARGIN_SECONDS) after it was
    queued or started has lost its task: the worker died with the machine, the message went with
    a Redis that lost its data, a web process running it in-process was restarted. Redis would
    redeliver a dead worker's task only after its visibility timeout (an hour); until then the
    organizer saw "正在生成统计汇总…… 10%". Each such build is marked FAILED with TIMED_OUT (the
    page says it timed out and offers 重试) and queued again while it has attempts left (a lost
    queued task counts as one); the run picks up the count, so MAX_ATTEMPTS bounds a build that
    keeps killing its worker. Each row is claimed by a conditional UPDATE: a build that started
    meanwhile, or a second sweep, is left alone. Returns how many builds were swept.
    """
    from courtlearn.outbox import enqueue

    from .tasks import build_summary

    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + STUCK_MARGIN_SECONDS)
    Status = SummaryBuild.Status
    stuck = SummaryBuild.objects.filter(
        Q(status=Status.QUEUED, queued_at__lt=cutoff) | Q(status=Status.RUNNING, started_at__lt=cutoff)
    ).values_list("pk", "court_id", "period_kind", "period_start", "status", "attempts", "queued_at", "started_at")
    swept = 0
    for pk, court_id, kind, start, status, attempts, queued_at, started_at in list(stuck):
        period = Period(kind, start)
        if status == Status.QUEUED:
            attempts += 1  # the lost delivery counts as an attempt: a queue that keeps losing it stops
        again = attempts < MAX_ATTEMPTS
        with transaction.atomic():
            claimed = SummaryBuild.objects.filter(
                pk=pk, status=status, queued_at=queued_at, started_at=started_at
            ).update(
                status=Status.FAILED,
                error=SummaryBuild.TIMED_OUT,
                attempts=attempts,
                finished_at=now,
                queued_at=now if again else queued_at,
            )
            if claimed and again:
                enqueue(build_summary, court_id, period.key)
        if claimed:
            swept += 1
            logger.warning(
                "the %s build of court %s was %s for too long: failed%s",
                period.key,
                court_id,
                status,
                ", queued again" if again else " for good",
            )
    return swept


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
