"""Summaries that are never silently behind: writes mark their court and period stale; marks are built.

Marking. Saves and deletes of the records the metrics and facts read (reading logs, sessions,
votes, plans, members…, see RECORDS) mark the record's court for the month, quarter and year
that contain the record's own date (ReadingLog.day, Session.start…; today when it has none).
A mark is one row of reports.SummaryStale per court and period; it is written after the writer's
transaction commits, all marks of one transaction in one upsert, so a roster import of 300
people costs one statement and the writer's request never waits for a build. Writes that bypass
model signals (QuerySet.update, bulk_create) are caught by the audit row their service writes
(AUDITED_BULK_WRITES). A failure to mark is logged, never raised: the writer's record is saved.

Building. With a worker (REDIS_URL), beat runs `reports.build_stale` every BUILD_STALE_SECONDS:
it claims the marks older than DEBOUNCE_SECONDS (DELETE … RETURNING, so two runners never claim
one mark) and queues one build per court and period; a burst of writes makes one build. Without
a worker (tasks run in-process, the embedded default) `make run`'s beat runs the same round in
its own process, building there; and pages and files call `ensure_fresh` first, which builds the
stale and the never-built periods they are about to read; when nothing is due it costs one query.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.utils import formats, timezone
from django.utils.translation import pgettext

from courtlearn.outbox import enqueue, tasks_run_in_process
from members.models import Court

from .models import Summary, SummaryStale, UnitKind
from .periods import KINDS, Period

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 5  # a mark younger than this waits for the next round: a burst of writes, one build
BUILD_STALE_SECONDS = 20  # how often beat runs reports.build_stale


class BuildFailed(Exception):
    """ensure_fresh(strict=True) could not build a court's period (its SummaryBuild says why)."""


# ---------------------------------------------------------------------------------------- marking

# model label -> (path to the court id, paths to the record's own dates). A path walks related
# objects with "__" (a cached relation costs nothing, another one query); a date may be a date,
# an aware datetime, None (skipped) or a callable of the record. No date at all: today.
_plan_month: Callable = lambda plan: dt.date(plan.year, plan.month, 1)  # noqa: E731
RECORDS: dict[str, tuple[str, tuple]] = {
    # reading
    "activities.ReadingCampaign": ("court_id", ("starts_on",)),
    "activities.BookRecommendation": ("campaign__court_id", ("created_at",)),
    "activities.ReadingPlan": ("member__court_id", ("created_at",)),
    "activities.ReadingPlanItem": ("plan__member__court_id", ("created_at",)),
    "activities.ReadingLog": ("member__court_id", ("day",)),
    "activities.Reflection": ("author__court_id", ("submitted_at", "featured_at")),
    "activities.Donation": ("court_id", ("day",)),
    "activities.DonationItem": ("donation__court_id", ("donation__day",)),
    # sessions
    "activities.Session": ("court_id", ("start",)),
    "activities.Attendance": ("session__court_id", ("session__start",)),
    "activities.Speaker": ("session__court_id", ("session__start",)),
    "activities.SessionReflection": ("session__court_id", ("session__start", "created_at", "featured_at")),
    "activities.SelfReportedShare": ("member__court_id", ("date",)),
    # contests, quizzes, assessments
    "activities.Contest": ("court_id", ("created_at",)),
    "activities.Entry": ("contest__court_id", ("created_at",)),
    "activities.Vote": ("contest__court_id", ("created_at",)),
    "activities.Award": ("contest__court_id", ("created_at",)),
    "activities.JudgeAssignment": ("contest__court_id", ("submitted_at", "created_at")),
    "activities.Score": ("assignment__contest__court_id", ()),
    "activities.Quiz": ("court_id", ("opens_at",)),
    "activities.Attempt": ("member__court_id", ("submitted_at", "started_at")),
    "activities.Assessment": ("court_id", ("held_on",)),
    "activities.AssessmentResult": ("assessment__court_id", ("assessment__held_on",)),
    # plans, outputs, study groups
    "activities.Qualification": ("member__court_id", ("issued_on",)),
    "activities.MonthlyPlan": ("member__court_id", (_plan_month, "reported_at")),
    "activities.PlanItem": ("plan__member__court_id", (lambda item: _plan_month(item.plan),)),
    "activities.ResearchOutput": ("court_id", ("date",)),
    "activities.OutputAuthor": ("output__court_id", ("output__date",)),
    "activities.Compilation": ("court_id", ("created_at", "built_at")),
    "activities.RecruitmentBatch": ("group__court_id", ("opens_on", "closes_on")),
    "activities.Application": ("member__court_id", ("created_at",)),
    "activities.MemberOutcome": ("member__court_id", ("date",)),
    # people: who counts where (departments, branches, groups, active members)
    "members.Member": ("court_id", ()),
    # The group's court: its group row counts the member (a member of a court below too, 两级法院).
    "members.StudyGroupMembership": ("group__court_id", ()),
}

# Services that write with QuerySet.update or bulk_create (no model signals) all write an audit
# row: its court is marked for today, the day these writes date their records (submitted_at=now…).
AUDITED_BULK_WRITES = frozenset(
    {
        "reading.reflection_submitted",
        "reading.reflection_featured",
        "reading.reflection_returned",
        "reading.reflection_unfeatured",
        "session.reflection_unfeatured",  # the featured day's period (usually this one) loses it
        "plan.item_assigned",
        "plan.carried_over",
        "plan.reported",
        "recruitment.squads_formed",
        "study_group.members_added",
        "roster.imported",
        "recruitment.decided_many",
        "recruitment.squads_moved",
        "session.attendance_bulk",
        "contest.awards_given_many",
    }
)


def periods_of(day: dt.date) -> list[Period]:
    """The month, quarter and year containing a day."""
    return [Period.containing(kind, day) for kind in KINDS]


def _walk(record, path, parents: dict | None = None):
    if callable(path):
        return path(record)
    value = record
    *hops, attribute = path.split("__")
    for name in hops:
        if value is None:
            return None
        field = value._meta.get_field(name)
        if parents is None or field.is_cached(value):
            value = getattr(value, name)
            continue
        # Within one transaction a parent is fetched once: deleting a session cascades to its
        # attendances, each asking for the same session.
        key = (field.related_model, getattr(value, field.attname))
        if key not in parents:
            parents[key] = getattr(value, name)
        value = parents[key]
    return None if value is None else getattr(value, attribute)


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def record_marks(
    record, court_path: str, date_paths: Iterable, parents: dict | None = None
) -> set[tuple[int, str, dt.date]]:
    """(court id, period kind, period start) of every period a record counts in."""
    try:
        court_id = _walk(record, court_path, parents)
        days = {_as_date(_walk(record, path, parents)) for path in date_paths}
    except Exception:  # noqa: BLE001 - a parent deleted in the same cascade: the parent's own mark covers it
        return set()
    if not court_id:
        return set()
    days.discard(None)
    if not days:
        days = {timezone.localdate()}
    return {(court_id, p.kind, p.start) for day in days for p in periods_of(day)}


class _Batch:
    """The marks of one transaction, written in one upsert when it commits."""

    def __init__(self, using: str):
        self.using = using
        self.marks: set[tuple[int, str, dt.date]] = set()
        self.parents: dict = {}  # related objects already fetched in this transaction
        self.done = False

    def __call__(self) -> None:
        connection = connections[self.using]
        if getattr(connection, "_stale_batch", None) is self:
            connection._stale_batch = None
        if self.done:
            return  # registered more than once (see mark); the first call wrote everything
        self.done = True
        write_marks(self.marks, using=self.using)

    def is_pending(self, connection) -> bool:
        return not self.done and any(func is self for _sids, func, _robust in connection.run_on_commit)


def _pending_batch(connection) -> _Batch | None:
    """The batch of the transaction in progress, if it has one."""
    batch = getattr(connection, "_stale_batch", None)
    if batch is None or not connection.in_atomic_block or not batch.is_pending(connection):
        return None
    return batch


def mark(marks: set[tuple[int, str, dt.date]], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Mark court periods stale once the current transaction commits (now, outside one)."""
    if not marks:
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        write_marks(marks, using=using)
        return
    batch = _pending_batch(connection)
    if batch is None:
        batch = connection._stale_batch = _Batch(using)
    new = marks - batch.marks
    if new:
        batch.marks |= new
        # Registered again for each new period (the first call writes them all, the others do
        # nothing): the marks still reach the database when an earlier registration was
        # dropped with a rolled-back savepoint or is outside the block that commits them.
        transaction.on_commit(batch, using=using, robust=True)


def write_marks(marks: Iterable[tuple[int, str, dt.date]], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """One INSERT … ON CONFLICT DO NOTHING: the first unbuilt write's time is kept."""
    now = timezone.now()
    rows = [SummaryStale(court_id=c, period_kind=k, period_start=s, marked_at=now) for c, k, s in sorted(marks)]
    try:
        SummaryStale.objects.using(using).bulk_create(rows, ignore_conflicts=True)
    except Exception:  # the writer's record is committed; the nightly build still covers it
        logger.exception("could not mark %d summary periods stale", len(rows))


def _record_changed(sender, instance, using, **kwargs) -> None:
    court_path, date_paths = RECORDS[sender._meta.label]
    batch = _pending_batch(connections[using])
    mark(record_marks(instance, court_path, date_paths, batch.parents if batch else None), using=using)


def _audited(sender, instance, created, using, **kwargs) -> None:
    if created and instance.action in AUDITED_BULK_WRITES and instance.court_id:
        days = {timezone.localdate(instance.created_at) if instance.created_at else timezone.localdate()}
        # A bulk write about records dated otherwise (the attendance of last month's session)
        # names their days in the audit detail as "record_days".
        for text in (instance.detail or {}).get("record_days", ()):
            try:
                days.add(dt.date.fromisoformat(str(text)))
            except ValueError:
                continue
        mark({(instance.court_id, p.kind, p.start) for day in days for p in periods_of(day)}, using=using)


def connect() -> None:
    """Connect the receivers (reports.apps.ReportsConfig.ready): activities never import reports."""
    from django.apps import apps

    for label in RECORDS:
        model = apps.get_model(label)
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"reports.freshness.save.{label}")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"reports.freshness.delete.{label}")
    post_save.connect(_audited, sender=apps.get_model("members.AuditEvent"), dispatch_uid="reports.freshness.audit")


# --------------------------------------------------------------------------------------- building


def built_when(moment: dt.datetime) -> str:
    """When numbers were built, as a court reads it: "12月6日 17:42" (local time, 24 hours)."""
    return formats.date_format(timezone.localtime(moment), pgettext("when summary numbers were built", "F j, H:i"))


def claim(*, marked_before: dt.datetime | None = None, court_id: int | None = None, period: Period | None = None):
    """Delete the marks asked for and return (court id, period) of each, in one statement.

    DELETE … RETURNING: two runners at once never both get a mark (PostgreSQL locks the rows,
    SQLite runs one write at a time), so each stale period is built once per round.
    """
    where, params = [], []
    if marked_before is not None:
        where.append("marked_at <= %s")
        params.append(connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(marked_before))
    if court_id is not None:
        where.append("court_id = %s")
        params.append(court_id)
    if period is not None:
        where.append("period_kind = %s AND period_start = %s")
        params += [period.kind, period.start]
    table = SummaryStale._meta.db_table
    sql = f"DELETE FROM {table}{' WHERE ' + ' AND '.join(where) if where else ''} RETURNING court_id, period_kind, period_start"
    with transaction.atomic(), connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    claimed = []
    for court, kind, start in rows:
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)  # SQLite returns text
        claimed.append((court, Period(kind, start)))
    return sorted(claimed, key=lambda item: (item[0], item[1]))


def build_stale(now: dt.datetime | None = None, *, queue: str | None = None) -> int:
    """Queue a build of every period marked stale at least DEBOUNCE_SECONDS ago; returns how many.

    The marks are claimed and their `reports.build_summary` tasks (on `queue` when given) queued
    in one transaction (courtlearn.outbox): a mark is gone exactly when its build is owed, and a
    broker that is down gets the builds when it is back. Without a worker the builds run here,
    after the claim commits, one after the other; a failed one is recorded (SummaryBuild) and logged.
    """
    from .tasks import build_summary

    now = now or timezone.now()
    with transaction.atomic():
        claimed = claim(marked_before=now - dt.timedelta(seconds=DEBOUNCE_SECONDS))
        for court_id, period in claimed:
            enqueue(build_summary, court_id, period.key, queue=queue)
    return len(claimed)


def due_courts(court: Court, periods: list[Period], *, with_children: bool, stale: bool) -> list[tuple[int, Period]]:
    """(court id, period) whose summary was never built, or (stale=True) is marked stale: one query.

    The courts below come first: a group of a court above open to them (两级法院) adds up their
    people's stored rows, and their builds mark that court stale when those rows change."""
    courts = Court.objects.with_descendants(court) if with_children else Court.objects.filter(pk=court.pk)
    found: list[tuple[int, Period]] = []
    annotations, due = {}, Q()
    for i, period in enumerate(periods):
        built = Summary.objects.for_period(period).filter(unit_kind=UnitKind.COURT, unit_id=OuterRef("pk"))
        annotations[f"built{i}"] = Exists(built)
        condition = Q(**{f"built{i}": False})
        if stale:
            annotations[f"stale{i}"] = Exists(SummaryStale.objects.for_period(period).filter(court=OuterRef("pk")))
            condition |= Q(**{f"stale{i}": True})
        due |= condition
    depth: dict[int, int] = {}
    for row in courts.annotate(**annotations).filter(due).values("pk", "parent_id", *annotations):
        depth[row["pk"]] = 0 if row["pk"] == court.pk else 1 if row["parent_id"] == court.pk else 2
        for i, period in enumerate(periods):
            if not row[f"built{i}"] or row.get(f"stale{i}"):
                found.append((row["pk"], period))
    return sorted(found, key=lambda item: (-depth[item[0]], item[0], item[1]))


def ensure_fresh(
    court: Court,
    period: Period | list[Period],
    *,
    with_children: bool = False,
    stale: bool | None = None,
    strict: bool = False,
) -> None:
    """Build, here and now, what a page or file is about to read and is missing or behind.

    Never-built periods are always built (an export of a period nobody built shows its numbers,
    not zeros). Stale marks are built when `stale` is true, or by default when no worker runs
    (with a worker, beat builds them within about BUILD_STALE_SECONDS). `period` may be a list
    (a dashboard's trend): still one query when nothing is due. A failed build is recorded and
    logged; with strict=True it raises BuildFailed after the other builds.
    """
    from .services import build_run

    periods = period if isinstance(period, list) else [period]
    if stale is None:
        stale = tasks_run_in_process()
    failed = []
    for court_id, due_period in due_courts(court, periods, with_children=with_children, stale=stale):
        claim(court_id=court_id, period=due_period)
        try:
            build_run(court_id=court_id, period=due_period)
        except Exception:  # noqa: BLE001 - build_run recorded it as FAILED; the page says so
            logger.exception("the %s build of court %s failed", due_period.key, court_id)
            failed.append((court_id, due_period))
    if failed and strict:
        raise BuildFailed(failed)
