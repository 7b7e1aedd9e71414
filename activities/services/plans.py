"""Writes for the plans family: monthly plans, research outputs, compilations,
study-group recruitment, outcomes and qualifications.

Business rules that a request breaks raise ValidationError with a translated message;
the view shows it and nothing has been written (every service is atomic).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courtlearn.outbox import enqueue
from courtlearn.text import in_quotes
from members.models import Court, Member, StudyGroup, StudyGroupMembership
from members.services import audit, notify
from members.versions import bump_courts, bump_members

from ..models.plans import (
    PLAN_TZ,
    REOPEN_DAYS,
    Application,
    BatchSquad,
    Compilation,
    CompilationItem,
    MemberOutcome,
    MonthlyPlan,
    OutputAuthor,
    PlanItem,
    Qualification,
    RecruitmentBatch,
    ReportWindow,
    ResearchOutput,
    local_month,
    month_after,
    month_label,
)

logger = logging.getLogger(__name__)

# Up to this many outputs a compilation is built during the request; larger ones go to Celery.
COMPILATION_INLINE_MAX = 20
# A queued or running build silent for this long lost its worker (the task time limit is 11 minutes).
BUILD_STALE_AFTER = dt.timedelta(minutes=15)


# ============================================================================ monthly plans


def _check_not_locked(plan: MonthlyPlan, now: dt.datetime) -> None:
    if plan.is_locked(now):
        raise ValidationError(
            _("The plan for %(month)s is locked: the deadline was %(deadline)s.")
            % {"month": plan.month_label, "deadline": f"{plan.window.deadline:%Y-%m-%d %H:%M}"},
            code="locked",
        )


def plan_months_open(now: dt.datetime) -> list[tuple[int, int]]:
    """Months a member may still start a plan for: any not past its deadline, up to next month."""
    year, month = local_month(now)
    months = [(year, month), month_after(year, month)]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    if not ReportWindow.for_month(*previous).has_closed(now):
        months.insert(0, previous)
    return months


@transaction.atomic
def plan_start(*, member: Member, year: int, month: int, now: dt.datetime) -> MonthlyPlan:
    """The member's plan for a month, created on first use."""
    if (year, month) not in plan_months_open(now):
        raise ValidationError(
            _("You can only start a plan for this month or next month (or last month before its deadline)."),
            code="month",
        )
    plan, created = MonthlyPlan.objects.get_or_create(member=member, year=year, month=month)
    if created:
        audit(actor=member.user, action="plan.started", target=plan)
    return plan


def _next_position(plan: MonthlyPlan) -> int:
    return (plan.items.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def plan_item_add(*, plan: MonthlyPlan, kind: str, text: str, now: dt.datetime) -> PlanItem:
    _check_not_locked(plan, now)
    return PlanItem.objects.create(plan=plan, kind=kind, text=text.strip(), position=_next_position(plan))


def _check_own_item(item: PlanItem) -> None:
    if item.assigned_by_id is not None:
        raise ValidationError(
            _("This item was assigned by %(name)s; only its status can be reported.")
            % {"name": item.assigned_by.name if item.assigned_by else "—"},
            code="assigned",
        )


@transaction.atomic
def plan_item_update(*, item: PlanItem, kind: str, text: str, now: dt.datetime) -> PlanItem:
    _check_not_locked(item.plan, now)
    _check_own_item(item)
    item.kind, item.text = kind, text.strip()
    item.save(update_fields=["kind", "text"])
    return item


@transaction.atomic
def plan_item_delete(*, item: PlanItem, now: dt.datetime) -> None:
    _check_not_locked(item.plan, now)
    _check_own_item(item)
    item.delete()


@dataclass(frozen=True)
class ItemReport:
    status: str
    note: str = ""


@transaction.atomic
def plan_report(*, plan: MonthlyPlan, reports: dict[int, ItemReport], summary: str, now: dt.datetime) -> MonthlyPlan:
    """The month-end report: every item done, partly done or not done, with a note."""
    if not plan.can_report(now):
        window = plan.window
        if now < window.opens_at:
            message = _("Reporting for %(month)s opens on %(opens)s.") % {
                "month": plan.month_label,
                "opens": f"{window.opens_at:%Y-%m-%d %H:%M}",
            }
        else:
            message = _("The plan for %(month)s is locked: the deadline was %(deadline)s.") % {
                "month": plan.month_label,
                "deadline": f"{window.deadline:%Y-%m-%d %H:%M}",
            }
        raise ValidationError(message, code="window")
    items = list(plan.items.select_for_update())
    if not items:
        raise ValidationError(_("The plan has no items to report on."), code="empty")
    missing = [item for item in items if item.pk not in reports]
    if missing:
        raise ValidationError(_("Report on every item of the plan."), code="incomplete")
    valid = set(PlanItem.Status.values)
    for item in items:
        report = reports[item.pk]
        if report.status not in valid:
            raise ValidationError(_("Choose done, partly done or not done for every item."), code="status")
        if report.status != PlanItem.Status.DONE and not report.note.strip():
            raise ValidationError(
                _("Say briefly what was not done for “%(item)s”.") % {"item": in_quotes(item.text[:40])}, code="note"
            )
        item.status, item.note = report.status, report.note.strip()
    PlanItem.objects.bulk_update(items, ["status", "note"])
    first_report = plan.reported_at is None
    plan.summary = summary.strip()
    if first_report:
        plan.reported_at = now
    plan.save(update_fields=["summary", "reported_at", "updated_at"])
    audit(
        actor=plan.member.user,
        action="plan.reported" if first_report else "plan.report_changed",
        target=plan,
        done=sum(item.status == PlanItem.Status.DONE for item in items),
        items=len(items),
    )
    return plan


@transaction.atomic
def plan_carry_over(*, plan: MonthlyPlan, now: dt.datetime) -> tuple[MonthlyPlan, int]:
    """Copy the unfinished items of a reported plan into next month's plan (once per item)."""
    if plan.reported_at is None:
        raise ValidationError(_("Report the plan first: only unfinished items carry over."), code="not_reported")
    year, month = month_after(plan.year, plan.month)
    next_plan, _created = MonthlyPlan.objects.get_or_create(member=plan.member, year=year, month=month)
    _check_not_locked(next_plan, now)
    unfinished = list(
        plan.items.filter(status__in=[PlanItem.Status.PARTLY, PlanItem.Status.NOT_DONE], carried_to__isnull=True)
    )
    if not unfinished:
        raise ValidationError(_("Nothing to carry over: every unfinished item has been carried over."), code="none")
    position = _next_position(next_plan)
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=next_plan,
            kind=item.kind,
            text=item.text,
            position=position + i,
            assigned_by=item.assigned_by,
            carried_from=item,
        )
        for i, item in enumerate(unfinished)
    )
    bump_members([plan.member_id])  # bulk_create sends no signals
    audit(actor=plan.member.user, action="plan.carried_over", target=plan, to=next_plan.pk, items=len(unfinished))
    return next_plan, len(unfinished)


@transaction.atomic
def plan_reopen(*, plan: MonthlyPlan, actor: Member, now: dt.datetime) -> MonthlyPlan:
    """An organizer gives the member a few more days after the deadline (audited)."""
    if not plan.window.has_closed(now):
        raise ValidationError(_("The plan is not locked: its deadline has not passed."), code="not_locked")
    plan.reopened_until = now + dt.timedelta(days=REOPEN_DAYS)
    plan.save(update_fields=["reopened_until", "updated_at"])
    audit(actor=actor.user, action="plan.reopened", target=plan, until=plan.reopened_until.isoformat())
    notify(
        recipient=plan.member,
        kind="plan_reopened",
        text=_("Your plan for %(month)s was reopened until %(until)s.")
        % {"month": plan.month_label, "until": f"{plan.reopened_until.astimezone(PLAN_TZ):%Y-%m-%d %H:%M}"},
        url=plan.get_absolute_url(),
    )
    return plan


@transaction.atomic
def plan_assign(
    *, actor: Member, members: QuerySet[Member], year: int, month: int, kind: str, text: str, now: dt.datetime
) -> int:
    """Add one item to the plan of everyone in a unit (creating plans as needed)."""
    if ReportWindow.for_month(year, month).has_closed(now):
        raise ValidationError(_("The plans for %(month)s are locked.") % {"month": month_label(year, month)})
    people = list(members.filter(is_active=True).order_by("pk"))
    if not people:
        raise ValidationError(_("There is nobody in this unit."), code="empty")
    existing = {plan.member_id: plan for plan in MonthlyPlan.objects.filter(member__in=people, year=year, month=month)}
    missing = [MonthlyPlan(member=m, year=year, month=month) for m in people if m.pk not in existing]
    if missing:
        MonthlyPlan.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {
            plan.member_id: plan for plan in MonthlyPlan.objects.filter(member__in=people, year=year, month=month)
        }
    positions = dict(
        PlanItem.objects.filter(plan__in=existing.values())
        .values("plan_id")
        .annotate(m=Max("position"))
        .values_list("plan_id", "m")
    )
    text = text.strip()
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, kind=kind, text=text, assigned_by=actor, position=positions.get(plan.pk, 0) + 1)
        for plan in existing.values()
    )
    bump_members(existing.keys())  # bulk_create sends no signals
    audit(actor=actor.user, action="plan.item_assigned", year=year, month=month, members=len(people), text=text[:100])
    for person in people:
        if person.pk != actor.pk:
            notify(
                recipient=person,
                kind="plan_assigned",
                text=_("%(name)s added an item to your plan for %(month)s: %(text)s")
                % {"name": actor.name, "month": month_label(year, month), "text": text[:80]},
                url=existing[person.pk].get_absolute_url(),
            )
    return len(people)


def plans_send_start_reminders(*, today: dt.date) -> int:
    """Start of the month: remind everyone without plan items for this month. Once per member and month."""
    planned = MonthlyPlan.objects.in_month(today.year, today.month).filter(items__isnull=False)
    members = Member.objects.active().exclude(pk__in=planned.values("member"))
    sent = 0
    label = month_label(today.year, today.month)
    for member in members.iterator():
        sent += notify(
            recipient=member,
            kind="plan_reminder",
            text=_("Write down your plan for %(month)s: learning items and work tasks.") % {"month": label},
            url="",
            dedupe_key=f"plans:start:{today:%Y-%m}",
        )
    return sent


def plans_send_report_reminders(*, today: dt.date) -> int:
    """Three days before the month ends: remind everyone who has not reported. Once per member and month."""
    last_day = calendar.monthrange(today.year, today.month)[1]
    if today.day != last_day - 3:
        return 0
    window = ReportWindow.for_month(today.year, today.month)
    reported = MonthlyPlan.objects.in_month(today.year, today.month).filter(reported_at__isnull=False)
    members = Member.objects.active().exclude(pk__in=reported.values("member"))
    sent = 0
    for member in members.iterator():
        sent += notify(
            recipient=member,
            kind="plan_reminder",
            text=_("Report your plan for %(month)s by %(deadline)s: what was done and what was not.")
            % {"month": month_label(today.year, today.month), "deadline": f"{window.deadline:%Y-%m-%d %H:%M}"},
            dedupe_key=f"plans:report:{today:%Y-%m}",
        )
    return sent


# ============================================================================ research outputs


@dataclass(frozen=True)
class AuthorSpec:
    """One author line from the form: a member, or an outside co-author by name."""

    member: Member | None = None
    name: str = ""
    affiliation: str = ""


def _write_authors(output: ResearchOutput, authors: Sequence[AuthorSpec]) -> None:
    if not any(a.member is not None for a in authors):
        raise ValidationError(_("At least one author must be a member of the court."), code="no_member_author")
    member_ids = [a.member.pk for a in authors if a.member is not None]
    if len(member_ids) != len(set(member_ids)):
        raise ValidationError(_("The same member is listed twice among the authors."), code="duplicate_author")
    for author in authors:
        if author.member is not None and author.member.court_id != output.court_id:
            raise ValidationError(
                _("%(name)s is not in this court: add them as an outside co-author.") % {"name": author.member.name}
            )
    output.authors.all().delete()
    OutputAuthor.objects.bulk_create(
        OutputAuthor(
            output=output,
            position=i,
            member=a.member,
            name=a.member.name if a.member is not None else a.name.strip(),
            affiliation="" if a.member is not None else a.affiliation.strip(),
        )
        for i, a in enumerate(authors, start=1)
    )


OUTPUT_FIELDS = ("kind", "title", "abstract", "body", "date", "outlet", "level", "recognition", "recognition_note")


@transaction.atomic
def output_create(
    *,
    actor: Member,
    fields: dict,
    authors: Sequence[AuthorSpec],
    attachment: ContentFile | None = None,
    audit_it: bool = True,
) -> ResearchOutput:
    output = ResearchOutput(court=actor.court, created_by=actor, **{k: fields[k] for k in OUTPUT_FIELDS})
    if attachment is not None:
        output.attachment_name = getattr(attachment, "original_name", "") or attachment.name
        output.attachment.save(attachment.name, attachment, save=False)
    output.save()
    _write_authors(output, authors)
    if audit_it:  # an import writes one audit row for all its outputs
        audit(actor=actor.user, action="output.created", target=output, kind=output.kind)
    return output


@transaction.atomic
def output_update(
    *,
    output: ResearchOutput,
    actor: Member,
    fields: dict,
    authors: Sequence[AuthorSpec],
    attachment: ContentFile | None = None,
    clear_attachment: bool = False,
) -> ResearchOutput:
    for key in OUTPUT_FIELDS:
        setattr(output, key, fields[key])
    old_file = output.attachment.name if output.attachment else ""
    if attachment is not None:
        output.attachment_name = getattr(attachment, "original_name", "") or attachment.name
        output.attachment.save(attachment.name, attachment, save=False)
    elif clear_attachment:
        output.attachment, output.attachment_name = "", ""
    output.save()
    _write_authors(output, authors)
    if old_file and old_file != (output.attachment.name if output.attachment else ""):
        storage = output.attachment.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    audit(actor=actor.user, action="output.updated", target=output)
    return output


@transaction.atomic
def output_delete(*, output: ResearchOutput, actor: Member) -> None:
    audit(actor=actor.user, action="output.deleted", target=output, title=output.title)
    if output.attachment:
        storage, name = output.attachment.storage, output.attachment.name
        transaction.on_commit(lambda: storage.delete(name))
    output.delete()


# ============================================================================ compilations


@transaction.atomic
def compilation_create(*, actor: Member, title: str, compiled_by: str, preface: str, content: str) -> Compilation:
    compilation = Compilation.objects.create(
        court=actor.court,
        title=title.strip(),
        compiled_by=compiled_by.strip(),
        preface=preface.strip(),
        content=content,
        created_by=actor,
    )
    audit(actor=actor.user, action="compilation.created", target=compilation)
    return compilation


def _check_editable(compilation: Compilation) -> None:
    if compilation.is_busy:
        raise ValidationError(_("The compilation is being built; wait until it is ready."), code="busy")


def _mark_changed(compilation: Compilation) -> None:
    """A change makes a built document outdated: back to draft (the old file stays until rebuilt)."""
    if compilation.status != Compilation.Status.DRAFT:
        compilation.status = Compilation.Status.DRAFT
        compilation.progress = 0
    compilation.save()


@transaction.atomic
def compilation_update(
    *, compilation: Compilation, actor: Member, title: str, compiled_by: str, preface: str, content: str
) -> Compilation:
    _check_editable(compilation)
    compilation.title, compilation.compiled_by = title.strip(), compiled_by.strip()
    compilation.preface, compilation.content = preface.strip(), content
    _mark_changed(compilation)
    return compilation


@transaction.atomic
def compilation_add_outputs(*, compilation: Compilation, outputs: Iterable[ResearchOutput]) -> int:
    _check_editable(compilation)
    outputs = [o for o in outputs if o.court_id == compilation.court_id]
    present = set(compilation.items.values_list("output_id", flat=True))
    new = [o for o in outputs if o.pk not in present]
    position = (compilation.items.aggregate(m=Max("position"))["m"] or 0) + 1
    CompilationItem.objects.bulk_create(
        CompilationItem(compilation=compilation, output=o, position=position + i) for i, o in enumerate(new)
    )
    if new:
        _mark_changed(compilation)
    return len(new)


@transaction.atomic
def compilation_move_item(*, item: CompilationItem, up: bool) -> None:
    """Swap the item with its neighbour above (up) or below."""
    compilation = item.compilation
    _check_editable(compilation)
    items = list(compilation.items.order_by("position", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, it in enumerate(items, start=1):
        it.position = position
    CompilationItem.objects.bulk_update(items, ["position"])
    _mark_changed(compilation)


def title_sort_key(title: str) -> bytes:
    """Chinese titles in dictionary (pinyin) order without a pinyin library: GB2312's 3,755 common
    characters are encoded in pinyin order, and GB18030 keeps that order (rarer ones follow by radical)."""
    return title.strip().encode("gb18030", errors="replace")


def _kind_rank(kind: str) -> int:
    """Kinds in the order a compilation prints them: papers, typical cases, reports… (ResearchOutput.Kind)."""
    kinds = list(ResearchOutput.Kind.values)
    return kinds.index(kind) if kind in kinds else len(kinds)


COMPILATION_ORDERS: dict[str, Callable[[CompilationItem], tuple]] = {
    "kind_date": lambda it: (_kind_rank(it.output.kind), it.output.date, title_sort_key(it.output.title), it.pk),
    "kind_title": lambda it: (_kind_rank(it.output.kind), title_sort_key(it.output.title), it.output.date, it.pk),
    "date": lambda it: (it.output.date, _kind_rank(it.output.kind), title_sort_key(it.output.title), it.pk),
}


def _renumber(compilation: Compilation, items: Sequence[CompilationItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
    CompilationItem.objects.bulk_update(items, ["position"])
    _mark_changed(compilation)


@transaction.atomic
def compilation_order_by(*, compilation: Compilation, rule: str) -> None:
    """Put every item in the order of a rule: kind then date, kind then title, or date."""
    if rule not in COMPILATION_ORDERS:
        raise ValidationError(_("Choose how to order the outputs."), code="rule")
    _check_editable(compilation)
    items = sorted(compilation.items.select_related("output"), key=COMPILATION_ORDERS[rule])
    if items:
        _renumber(compilation, items)


@transaction.atomic
def compilation_set_order(*, compilation: Compilation, item_ids: Sequence[int]) -> None:
    """The order the organizer dragged (or numbered): the items named first, in that order; any not
    named (added meanwhile in another tab) keep their order after them."""
    _check_editable(compilation)
    items = list(compilation.items.order_by("position", "pk"))
    by_id = {item.pk: item for item in items}
    named = [by_id[pk] for pk in dict.fromkeys(item_ids) if pk in by_id]
    rest = [item for item in items if item not in named]
    if named:
        _renumber(compilation, named + rest)


@transaction.atomic
def compilation_remove_item(*, item: CompilationItem) -> None:
    _check_editable(item.compilation)
    compilation = item.compilation
    item.delete()
    _mark_changed(compilation)


@transaction.atomic
def compilation_delete(*, compilation: Compilation, actor: Member) -> None:
    _check_editable(compilation)
    audit(actor=actor.user, action="compilation.deleted", target=compilation, title=compilation.title)
    if compilation.file:
        storage, name = compilation.file.storage, compilation.file.name
        transaction.on_commit(lambda: storage.delete(name))
    compilation.delete()


@transaction.atomic
def compilation_request_build(*, compilation: Compilation, actor: Member, now: dt.datetime) -> bool:
    """Build the document: now if it is small, else in Celery. Returns True when queued.

    The conditional UPDATE claims the compilation, so a double click queues one build. A
    build that has shown no progress for BUILD_STALE_AFTER (its worker died) may be restarted.
    """
    count = compilation.items.count()
    if count == 0:
        raise ValidationError(_("Pick at least one output first."), code="empty")
    busy = [Compilation.Status.QUEUED, Compilation.Status.BUILDING]
    claimed = (
        Compilation.objects.filter(pk=compilation.pk)
        .filter(~Q(status__in=busy) | Q(updated_at__lt=now - BUILD_STALE_AFTER))
        .update(status=Compilation.Status.QUEUED, progress=0, error="", updated_at=now)
    )
    if not claimed:
        raise ValidationError(_("The compilation is already being built."), code="busy")
    audit(actor=actor.user, action="compilation.build_requested", target=compilation, items=count)
    if count <= COMPILATION_INLINE_MAX:
        compilation_build(compilation_id=compilation.pk)
        return False
    from ..tasks.plans import compilation_build_task

    # After commit, through the outbox: a broker that is down gets the build when it is back.
    enqueue(compilation_build_task, compilation.pk)
    return True


def compilation_build(*, compilation_id: int) -> bool:
    """Build a queued compilation (the worker's side). Safe to run twice: only one run claims it."""
    claimed = Compilation.objects.filter(pk=compilation_id, status=Compilation.Status.QUEUED).update(
        status=Compilation.Status.BUILDING, progress=0, updated_at=timezone.now()
    )
    if not claimed:
        return False
    compilation = Compilation.objects.select_related("court").get(pk=compilation_id)
    outputs = [
        item.output
        for item in compilation.items.select_related("output")
        .prefetch_related("output__authors")
        .order_by("position", "pk")
    ]
    last = {"percent": -1}

    def progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        if percent != last["percent"]:
            last["percent"] = percent
            Compilation.objects.filter(pk=compilation_id).update(progress=percent, updated_at=timezone.now())

    from .plans_docx import compilation_document

    try:
        data = compilation_document(compilation, outputs, progress=progress)
    except Exception as exc:
        logger.exception("compilation %s failed", compilation_id)
        Compilation.objects.filter(pk=compilation_id).update(
            status=Compilation.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:300], updated_at=timezone.now()
        )
        return False
    with transaction.atomic():
        compilation = Compilation.objects.select_for_update().get(pk=compilation_id)
        old = compilation.file.name if compilation.file else ""
        compilation.file.save("compilation.docx", ContentFile(data), save=False)
        compilation.status, compilation.progress = Compilation.Status.READY, 100
        compilation.built_at = timezone.now()
        compilation.save(update_fields=["file", "status", "progress", "built_at", "updated_at"])
        if old:
            storage = compilation.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    return True


# ============================================================================ recruitment


def balance_squads[T](
    people: Sequence[T], squad_count: int, *, category: Callable[[T], Hashable], department: Callable[[T], Hashable]
) -> list[list[T]]:
    """Split people into squads balanced across position categories and departments.

    Dealing people round-robin in one pass, sorted by category and then department, gives
    squads whose sizes differ by at most one and whose count of each category differs by at
    most one. Then people move or swap between squads while that evens out departments and
    keeps those two balances (each step lowers the sum of squared department counts, so it ends).
    """
    if squad_count < 1:
        raise ValueError("squad_count must be at least 1")
    category_size = Counter(category(p) for p in people)
    department_size = Counter(department(p) for p in people)
    ordered = sorted(
        people,
        key=lambda p: (
            -category_size[category(p)],
            str(category(p)),
            -department_size[department(p)],
            str(department(p)),
        ),
    )
    squads: list[list[T]] = [[] for _ in range(squad_count)]
    for i, person in enumerate(ordered):
        squads[i % squad_count].append(person)

    categories = [Counter(category(p) for p in squad) for squad in squads]
    departments = [Counter(department(p) for p in squad) for squad in squads]

    def move(person: T, a: int, b: int) -> None:
        squads[a].remove(person)
        squads[b].append(person)
        categories[a][category(person)] -= 1
        categories[b][category(person)] += 1
        departments[a][department(person)] -= 1
        departments[b][department(person)] += 1

    def category_balanced(c: Hashable) -> bool:
        counts = [squad[c] for squad in categories]
        return max(counts) - min(counts) <= 1

    def improve() -> bool:
        """Make one move or swap that evens out departments, keeping sizes and categories balanced.

        Only moves from a squad with more of a department to one with fewer are tried, so no
        department's spread ever grows, and each accepted step lowers the sum of squares.
        """
        for a, b in permutations(range(squad_count), 2):
            for x in list(squads[a]):
                d = department(x)
                gap = departments[a][d] - departments[b][d]
                if gap < 1:
                    continue
                if gap >= 2 and len(squads[a]) > len(squads[b]):
                    move(x, a, b)
                    if category_balanced(category(x)):
                        return True
                    move(x, b, a)
                for y in list(squads[b]):
                    e = department(y)
                    back = departments[b][e] - departments[a][e]
                    if e == d or back < 1 or gap + back < 3:
                        continue
                    move(x, a, b)
                    move(y, b, a)
                    if category_balanced(category(x)) and category_balanced(category(y)):
                        return True
                    move(y, a, b)
                    move(x, b, a)
        return False

    while improve():
        pass
    return squads


def _courts_below(court_id: int) -> list[int]:
    return list(
        Court.objects.filter(Q(parent_id=court_id) | Q(parent__parent_id=court_id)).values_list("pk", flat=True)
    )


def _group_set_spans(*, group: StudyGroup, spans: bool, actor: Member) -> None:
    """Open a research group to the courts below its court (两级法院), or close it to them again.

    Closing is refused while people of those courts are in the group or have applied to it: they
    would lose sight of their own group and applications.
    """
    if spans == group.spans_courts_below:
        return
    below = _courts_below(group.court_id)
    if spans and not below:
        raise ValidationError(_("Your court supervises no other court."), code="no_courts_below")
    if not spans and (
        StudyGroupMembership.objects.filter(
            Q(group=group) | Q(group__parent=group), member__court_id__in=below
        ).exists()
        or Application.objects.filter(batch__group=group, member__court_id__in=below).exists()
    ):
        raise ValidationError(
            _("People of the courts below have applied to or joined this group: it stays open to them."),
            code="spans_in_use",
        )
    group.spans_courts_below = spans
    group.save(update_fields=["spans_courts_below"])
    bump_courts(below)  # their members' 我的学习 panels count the open batches they may apply to
    audit(actor=actor.user, action="recruitment.group_spans_courts", target=group, spans=spans)


@transaction.atomic
def batch_create(
    *,
    actor: Member,
    group: StudyGroup | None = None,
    new_group: str = "",
    criteria: str,
    capacity: int,
    opens_on: dt.date,
    closes_on: dt.date,
    spans_courts_below: bool | None = None,
) -> RecruitmentBatch:
    """Open the next batch (第一批, 第二批…) of a research study group (or of a new one).

    `spans_courts_below` opens the group to the courts below (or closes it); None leaves it as it is.
    """
    if closes_on < opens_on:
        raise ValidationError(_("Applications cannot close before they open."), code="dates")
    if group is None:
        name = new_group.strip()
        if not name:
            raise ValidationError(_("Choose the research study group, or name a new one."), code="group")
        if StudyGroup.objects.filter(court=actor.court, name=name).exists():
            raise ValidationError(_("A group with this name exists already: choose it."), code="group_exists")
        group = StudyGroup.objects.create(court=actor.court, name=name, kind=StudyGroup.Kind.RESEARCH)
    if group.court_id != actor.court_id or group.kind != StudyGroup.Kind.RESEARCH:
        raise ValidationError(_("Choose a research study group of your court."), code="group")
    if spans_courts_below is not None:
        _group_set_spans(group=group, spans=spans_courts_below, actor=actor)
    number = (group.recruitment_batches.aggregate(m=Max("number"))["m"] or 0) + 1
    batch = RecruitmentBatch.objects.create(
        group=group,
        number=number,
        criteria=criteria.strip(),
        capacity=capacity,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    audit(actor=actor.user, action="recruitment.batch_opened", target=batch, number=number, capacity=capacity)
    return batch


@transaction.atomic
def batch_update(
    *,
    batch: RecruitmentBatch,
    actor: Member,
    criteria: str,
    capacity: int,
    opens_on: dt.date,
    closes_on: dt.date,
    spans_courts_below: bool | None = None,
) -> RecruitmentBatch:
    if closes_on < opens_on:
        raise ValidationError(_("Applications cannot close before they open."), code="dates")
    if spans_courts_below is not None:
        _group_set_spans(group=batch.group, spans=spans_courts_below, actor=actor)
    selected = batch.applications.filter(status=Application.Status.SELECTED).count()
    if capacity < selected:
        raise ValidationError(
            _("%(n)s applicants are already selected: the capacity cannot be smaller.") % {"n": selected},
            code="capacity",
        )
    batch.criteria, batch.capacity, batch.opens_on, batch.closes_on = criteria.strip(), capacity, opens_on, closes_on
    batch.save()
    audit(actor=actor.user, action="recruitment.batch_changed", target=batch)
    return batch


@transaction.atomic
def application_submit(*, batch: RecruitmentBatch, member: Member, statement: str, today: dt.date) -> Application:
    if not batch.group.takes_members_of(member.court):
        raise ValidationError(_("Only members of this court can apply."), code="court")
    if not batch.is_open(today):
        raise ValidationError(_("Applications for this batch are closed."), code="closed")
    if not statement.strip():
        raise ValidationError(_("Write a short statement: why you want to join."), code="statement")
    try:
        with transaction.atomic():
            application = Application.objects.create(batch=batch, member=member, statement=statement.strip())
    except IntegrityError:
        raise ValidationError(_("You have already applied to this batch."), code="duplicate") from None
    audit(actor=member.user, action="recruitment.applied", target=application)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, today: dt.date) -> None:
    if application.status != Application.Status.PENDING or not application.batch.is_open(today):
        raise ValidationError(_("This application can no longer be withdrawn."), code="decided")
    audit(actor=application.member.user, action="recruitment.withdrawn", target=application)
    application.delete()


@transaction.atomic
def application_decide(*, application: Application, actor: Member, status: str, now: dt.datetime) -> Application:
    if status not in Application.Status.values:
        raise ValidationError(_("Unknown decision."), code="status")
    batch = RecruitmentBatch.objects.select_for_update().get(pk=application.batch_id)
    if batch.squads_formed_at is not None:
        raise ValidationError(_("The squads are formed: change them on the squads page."), code="formed")
    if status == Application.Status.SELECTED and application.status != status:
        selected = batch.applications.filter(status=Application.Status.SELECTED).count()
        if selected >= batch.capacity:
            raise ValidationError(
                _("The batch is full: %(n)s of %(capacity)s places are taken.")
                % {"n": selected, "capacity": batch.capacity},
                code="full",
            )
    previous = application.status
    application.status, application.decided_by, application.decided_at = status, actor, now
    application.save(update_fields=["status", "decided_by", "decided_at"])
    audit(actor=actor.user, action="recruitment.decided", target=application, old=previous, new=status)
    if status != Application.Status.PENDING and status != previous:
        text = (
            _("You were selected for %(group)s, %(batch)s.")
            if status == Application.Status.SELECTED
            else _("Your application to %(group)s, %(batch)s was not selected this time.")
        )
        notify(
            recipient=application.member,
            kind="recruitment",
            text=text % {"group": batch.group.name, "batch": batch.label},
            url=batch.get_absolute_url(),
        )
    return application


def _squad_name(batch: RecruitmentBatch, n: int) -> str:
    return _("%(group)s %(batch)s squad %(n)s") % {"group": batch.group.name, "batch": batch.label, "n": n}


@transaction.atomic
def squads_form(
    *, batch: RecruitmentBatch, actor: Member, squad_count: int, now: dt.datetime, replace: bool = False
) -> list[StudyGroup]:
    """Form the batch's squads (学习小队) from the selected applicants, balanced; then editable."""
    batch = RecruitmentBatch.objects.select_for_update().select_related("group").get(pk=batch.pk)
    if batch.squads_formed_at is not None and not replace:
        raise ValidationError(_("The squads are already formed."), code="formed")
    selected = list(
        Member.objects.filter(
            study_group_applications__batch=batch, study_group_applications__status=Application.Status.SELECTED
        )
        .select_related("department")
        .order_by("pk")
    )
    if not selected:
        raise ValidationError(_("Select applicants before forming squads."), code="empty")
    if not 1 <= squad_count <= len(selected):
        raise ValidationError(
            _("The number of squads must be between 1 and %(n)s (the number of selected applicants).")
            % {"n": len(selected)},
            code="squad_count",
        )
    if replace:
        StudyGroup.objects.filter(batch_squad__batch=batch).delete()
    # Departments are per court, so people of several courts (a group open to the courts below)
    # are spread over the squads department by department, and so court by court too.
    groups = balance_squads(
        selected,
        squad_count,
        category=lambda m: m.position_category,
        department=lambda m: (m.court_id, m.department_id or 0),
    )
    squads: list[StudyGroup] = []
    taken = set(StudyGroup.objects.filter(court=batch.group.court).values_list("name", flat=True))
    for n, people in enumerate(groups, start=1):
        name = _squad_name(batch, n)
        while name in taken:
            name += "·"
        taken.add(name)
        squad = StudyGroup.objects.create(
            court=batch.group.court, name=name, kind=StudyGroup.Kind.SQUAD, parent=batch.group
        )
        BatchSquad.objects.create(batch=batch, group=squad, position=n)
        StudyGroupMembership.objects.bulk_create(StudyGroupMembership(group=squad, member=m) for m in people)
        squads.append(squad)
    in_group = set(batch.group.memberships.values_list("member_id", flat=True))
    StudyGroupMembership.objects.bulk_create(
        StudyGroupMembership(group=batch.group, member=m) for m in selected if m.pk not in in_group
    )
    bump_members(m.pk for m in selected)  # bulk_create sends no signals
    batch.squads_formed_at = now
    batch.save(update_fields=["squads_formed_at"])
    audit(actor=actor.user, action="recruitment.squads_formed", target=batch, squads=squad_count, members=len(selected))
    for squad, people in zip(squads, groups, strict=True):
        for person in people:
            notify(
                recipient=person,
                kind="recruitment",
                text=_("You are in %(squad)s.") % {"squad": squad.name},
                url=batch.get_absolute_url(),
                dedupe_key=f"plans:squad:{batch.pk}:{squad.pk}",
            )
    return squads


@transaction.atomic
def squad_move_member(*, batch: RecruitmentBatch, member: Member, to: StudyGroup, actor: Member) -> None:
    squads = StudyGroup.objects.filter(batch_squad__batch=batch)
    if not squads.filter(pk=to.pk).exists():
        raise ValidationError(_("That squad is not part of this batch."), code="squad")
    current = StudyGroupMembership.objects.filter(group__in=squads, member=member).first()
    if current is None:
        raise ValidationError(_("%(name)s is not in a squad of this batch.") % {"name": member.name}, code="member")
    if current.group_id == to.pk:
        return
    old_group = current.group_id
    current.group, current.role = to, StudyGroupMembership.Role.MEMBER
    current.save(update_fields=["group", "role"])
    audit(actor=actor.user, action="recruitment.squad_moved", target=member, old=old_group, new=to.pk)


@transaction.atomic
def squad_set_leader(*, squad: StudyGroup, member: Member, actor: Member) -> None:
    membership = StudyGroupMembership.objects.filter(group=squad, member=member).first()
    if membership is None:
        raise ValidationError(_("%(name)s is not in this squad.") % {"name": member.name}, code="member")
    former = squad.memberships.filter(role=StudyGroupMembership.Role.LEADER)
    # The former leader no longer sees the squad's requests; in a group open to the courts below,
    # leaders may be of another court than the squad's.
    bump_courts([squad.court_id, member.court_id, *former.values_list("member__court_id", flat=True)])
    former.update(role=StudyGroupMembership.Role.MEMBER)
    membership.role = StudyGroupMembership.Role.LEADER
    membership.save(update_fields=["role"])
    audit(actor=actor.user, action="recruitment.squad_leader", target=squad, member=member.pk)


@transaction.atomic
def outcome_record(
    *, actor: Member, member: Member, kind: str, description: str, date: dt.date, batch: RecruitmentBatch | None
) -> MemberOutcome:
    outcome = MemberOutcome.objects.create(
        member=member, kind=kind, description=description.strip(), date=date, batch=batch, recorded_by=actor
    )
    audit(actor=actor.user, action="outcome.recorded", target=outcome, member=member.pk, kind=kind)
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: MemberOutcome, actor: Member) -> None:
    audit(actor=actor.user, action="outcome.deleted", target=outcome, member=outcome.member_id)
    outcome.delete()


# ============================================================================ qualifications


@transaction.atomic
def qualification_save(
    *,
    actor: Member,
    member: Member,
    name: str,
    issuer: str,
    issued_on: dt.date,
    number: str = "",
    file: ContentFile | None = None,
    clear_file: bool = False,
    qualification: Qualification | None = None,
) -> Qualification:
    """Create or change a qualification on the member's record."""
    creating = qualification is None
    q = qualification or Qualification(member=member, recorded_by=actor)
    old_file = q.file.name if q.file else ""
    q.name, q.issuer, q.issued_on, q.number = name.strip(), issuer.strip(), issued_on, number.strip()
    duplicate = Qualification.objects.filter(member=member, name=q.name, issued_on=issued_on).exclude(pk=q.pk)
    if duplicate.exists():
        raise ValidationError(_("This qualification with this date is already on the record."), code="duplicate")
    if file is not None:
        q.file_name = getattr(file, "original_name", "") or file.name
        q.file.save(file.name, file, save=False)
    elif clear_file:
        q.file, q.file_name = "", ""
    q.save()
    if old_file and old_file != (q.file.name if q.file else ""):
        storage = q.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    audit(
        actor=actor.user,
        action="qualification.created" if creating else "qualification.updated",
        target=q,
        member=member.pk,
        name=q.name,
    )
    return q


@transaction.atomic
def qualification_delete(*, qualification: Qualification, actor: Member) -> None:
    audit(actor=actor.user, action="qualification.deleted", target=qualification, member=qualification.member_id)
    if qualification.file:
        storage, name = qualification.file.storage, qualification.file.name
        transaction.on_commit(lambda: storage.delete(name))
    qualification.delete()
