"""Contests: set-up, phases and entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from courtlearn.outbox import enqueue
from members.models import Court, Department, Member, PartyBranch, StudyGroup, StudyGroupMembership
from members.services import audit, notify

from ...models import Award, Contest, Entry, JudgingCriterion, Score, Vote
from ...models.originality import TextKind
from ...selectors.contests import in_audience, own_units
from ..originality import originality_queue
from . import ActionRefused

SPEECH_CRITERIA = [("内容", 40), ("表达", 30), ("仪态", 20), ("时间", 10)]


@transaction.atomic
def contest_create(
    *,
    actor: Member,
    court: Court,
    fields: dict,
    departments: Iterable[Department] = (),
    groups: Iterable[StudyGroup] = (),
) -> Contest:
    contest = Contest.objects.create(court=court, created_by=actor, **fields)
    contest.audience_departments.set(departments)
    contest.audience_groups.set(groups)
    if contest.judging_enabled and contest.kind in (Contest.Kind.SPEECH, Contest.Kind.RECITATION):
        JudgingCriterion.objects.bulk_create(
            JudgingCriterion(contest=contest, name=name, max_points=points, order=i)
            for i, (name, points) in enumerate(SPEECH_CRITERIA)
        )
    audit(actor=actor.user, action="contest.created", target=contest, title=contest.title)
    return contest


@transaction.atomic
def contest_update(
    *,
    actor: Member,
    contest: Contest,
    fields: dict,
    departments: Iterable[Department] = (),
    groups: Iterable[StudyGroup] = (),
) -> Contest:
    if contest.phase == Contest.Phase.PUBLISHED:
        raise ActionRefused(_("The results are published; withdraw them before changing the contest."))
    if (
        "entries_by_unit" in fields
        and fields["entries_by_unit"] != contest.entries_by_unit
        and contest.entries.exists()
    ):
        raise ActionRefused(_("There are entries: whether units or members enter can no longer change."))
    if (
        "unit_kind" in fields
        and fields["unit_kind"] != contest.unit_kind
        and contest.entries.filter(by_unit=True).exists()
    ):
        raise ActionRefused(_("Units have entered: the kind of unit can no longer change."))
    if contest.votes.exists():
        locked = {"votes_per_voter", "voting_enabled", "voters_must_attend", "session"}
        changed = [name for name in locked if name in fields and fields[name] != getattr(contest, name)]
        if changed:
            raise ActionRefused(_("Votes have been cast: the number of votes per voter can no longer change."))
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.save()
    contest.audience_departments.set(departments)
    contest.audience_groups.set(groups)
    audit(actor=actor.user, action="contest.updated", target=contest)
    return contest


@transaction.atomic
def contest_set_criteria(*, actor: Member, contest: Contest, criteria: list[tuple[str, int]]) -> None:
    """Replace the judging criteria (e.g. 内容 40, 表达 30). Not once judges have scored."""
    if Score.objects.filter(assignment__contest=contest).exists():
        raise ActionRefused(_("Judges have started scoring: the criteria can no longer change."))
    names = [name for name, _points in criteria]
    if len(set(names)) != len(names):
        raise ActionRefused(_("Each criterion needs its own name."))
    contest.criteria.all().delete()
    JudgingCriterion.objects.bulk_create(
        JudgingCriterion(contest=contest, name=name, max_points=points, order=i)
        for i, (name, points) in enumerate(criteria)
    )
    audit(actor=actor.user, action="contest.criteria_set", target=contest, criteria=criteria)


@transaction.atomic
def contest_set_phase(*, actor: Member, contest: Contest, phase: str, now: dt.datetime) -> Contest:
    """Move the contest one step on (or one step back): draft → entries → voting and judging → published."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    order = Contest.PHASE_ORDER
    old, new = order.index(contest.phase), order.index(phase)
    if abs(new - old) != 1:
        raise ActionRefused(_("A contest moves one phase at a time."))
    if phase == Contest.Phase.JUDGING and new > old and not contest.entries.exists():
        raise ActionRefused(_("There are no entries yet."))
    if phase == Contest.Phase.JUDGING and new > old and contest.voting_enabled and not contest.vote_closes_at:
        raise ActionRefused(_("Set the voting window first."))
    scored = contest.assignments.filter(submitted_at__isnull=False)
    if phase == Contest.Phase.ENTRIES and new < old and (contest.votes.exists() or scored.exists()):
        raise ActionRefused(_("Votes or scores exist: the contest cannot go back to collecting entries."))
    if phase == Contest.Phase.PUBLISHED:
        if contest.voting_enabled and contest.vote_closes_at and now < contest.vote_closes_at:
            raise ActionRefused(_("Voting is still open. Close voting before publishing the results."))
        contest.published_at = now
    if contest.phase == Contest.Phase.PUBLISHED and new < old:
        contest.published_at = None
    contest.phase = phase
    contest.save(update_fields=["phase", "published_at", "updated_at"])
    audit(actor=actor.user, action="contest.phase_changed", target=contest, old=order[old], new=phase)
    if phase == Contest.Phase.PUBLISHED:
        from ...tasks.contests import award_certificate_render_task
        from .awards import award_notice

        for award in contest.awards.select_related(
            "entry__member", "entry__branch", "entry__department", "entry__group"
        ):
            # Drawn again so the certificate carries the publication date.
            enqueue(award_certificate_render_task, award.pk)
            notify(
                recipient=award.entry.member,
                kind="contest_award",
                text=award_notice(award),
                url=contest.get_absolute_url(),
                dedupe_key=f"award:{award.pk}",
            )
    return contest


@transaction.atomic
def contest_close_voting(*, actor: Member, contest: Contest, now: dt.datetime) -> Contest:
    """End the voting window now (the speeches are over, the ballots are in)."""
    if not contest.is_voting_open(now):
        raise ActionRefused(_("Voting is not open."))
    contest.vote_closes_at = now
    contest.save(update_fields=["vote_closes_at", "updated_at"])
    audit(actor=actor.user, action="contest.voting_closed", target=contest)
    return contest


# ---------------------------------------------------------------------------------------------
# Entries


def _unit_snapshot(member: Member) -> dict:
    return {"department_id": member.department_id, "branch_id": member.party_branch_id}


Unit = Department | PartyBranch | StudyGroup
UNIT_MODELS = {
    Contest.UnitKind.DEPARTMENT: Department,
    Contest.UnitKind.BRANCH: PartyBranch,
    Contest.UnitKind.GROUP: StudyGroup,
}


def unit_contact(unit: Unit, fallback: Member) -> Member:
    """Who hears about a unit's entry: the branch secretary, department head or group leader (组长),
    else whoever entered it."""
    if isinstance(unit, StudyGroup):
        # A cross-court group's leader from a court below cannot open its court's contest: not them.
        leaders = unit.memberships.filter(
            role=StudyGroupMembership.Role.LEADER, member__is_active=True, member__court_id=unit.court_id
        )
        leader = leaders.select_related("member").order_by("member__name", "member_id").first()
        return leader.member if leader is not None else fallback
    person = unit.secretary if isinstance(unit, PartyBranch) else unit.head
    if person is not None and person.is_active and person.court_id == unit.court_id:
        return person
    return fallback


def _entry_unit(contest: Contest, *, member: Member | None, unit: Unit | None, by_organizer: bool) -> dict:
    """The unit fields of a new entry: the member's units as they are today, or the entering unit."""
    if not contest.entries_by_unit:
        if unit is not None:
            raise ActionRefused(_("Members enter this contest, not units."))
        return {**_unit_snapshot(member), "by_unit": False}
    kind = Contest.UnitKind(contest.unit_kind)
    if not by_organizer:
        mine = own_units(contest, member)
        if not mine:
            raise ActionRefused(
                _("You belong to no %(kind)s: ask the organizer to enter your unit's project.") % {"kind": kind.label}
            )
        if unit is None and len(mine) == 1:
            unit = mine[0]
        if unit is not None and unit not in mine:
            raise ActionRefused(_("You can put forward a project only for your own unit."))
    if unit is None:
        raise ActionRefused(_("Choose the unit that puts the project forward."))
    # A study group open to the courts below is still its own court's: it enters that court's contests.
    if not isinstance(unit, UNIT_MODELS[kind]) or unit.court_id != contest.court_id:
        raise ActionRefused(_("The unit must be a %(kind)s of the contest's court.") % {"kind": kind.label})
    return {f"{Entry.UNIT_FIELDS[kind]}_id": unit.pk, "by_unit": True, "unit": unit}


@transaction.atomic
def entry_create(
    *,
    actor: Member,
    contest: Contest,
    member: Member | None = None,
    title: str,
    text: str = "",
    file: ContentFile | None = None,
    by_organizer: bool = False,
    session=None,
    unit: Unit | None = None,
) -> Entry:
    """A member enters the contest, or the organizer enters a speaker on their behalf.

    In a contest whose units enter, the entry is a unit's project: a member puts forward their own
    unit's (one of their study groups, where groups enter), the organizer any unit's of the court.
    `member` is then the contact (by default the branch secretary, department head or group leader,
    else the one who enters it).
    """
    if by_organizer:
        if contest.phase not in (Contest.Phase.DRAFT, Contest.Phase.ENTRIES, Contest.Phase.JUDGING):
            raise ActionRefused(_("The results are published: no more entries."))
    else:
        member = member or actor
        if not contest.accepts_entries:
            raise ActionRefused(_("This contest is not taking entries."))
        if not in_audience(contest, member):
            raise ActionRefused(_("This contest is not open to you."))
    if member is None and not contest.entries_by_unit:
        raise ActionRefused(_("Choose the entrant."))
    units = _entry_unit(contest, member=member, unit=unit, by_organizer=by_organizer)
    unit = units.pop("unit", None)
    if member is None:
        member = unit_contact(unit, actor)
    if by_organizer and (member.court_id != contest.court_id or not member.is_active):
        raise ActionRefused(_("The entrant must be an active member of the contest's court."))
    for _attempt in range(3):
        number = (contest.entries.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                entry = Entry(
                    contest=contest,
                    member=member,
                    number=number,
                    title=title.strip(),
                    text=text.strip(),
                    session=session,
                )
                for name, value in units.items():
                    setattr(entry, name, value)
                entry.save()
            break
        except IntegrityError:
            if unit is not None:
                taken = contest.entries.filter(by_unit=True, **{k: v for k, v in units.items() if k != "by_unit"})
                if taken.exists():
                    raise ActionRefused(
                        _("%(name)s already has an entry in this contest.") % {"name": unit.name}
                    ) from None
            elif contest.entries.filter(member=member, by_unit=False).exists():
                raise ActionRefused(
                    _("%(name)s already has an entry in this contest.") % {"name": member.name}
                ) from None
    else:
        raise ActionRefused(_("The entry could not be saved; please try again."))
    if file is not None:
        entry.file_name = (getattr(file, "original_name", "") or file.name)[:200]
        entry.file.save(file.name, file, save=True)
    audit(
        actor=actor.user,
        action="contest.entry_created",
        target=entry,
        contest=contest.pk,
        member=member.pk,
        unit=unit.name if unit is not None else "",
    )
    if entry.text:
        originality_queue(kind=TextKind.ENTRY, object_id=entry.pk, court=contest.court)
    return entry


def entry_editable_by(entry: Entry, member: Member | None, *, is_organizer: bool) -> bool:
    if entry.contest.phase == Contest.Phase.PUBLISHED:
        return False
    if is_organizer:
        return True
    return member is not None and entry.member_id == member.pk and entry.contest.accepts_entries


@transaction.atomic
def entry_update(
    *,
    actor: Member,
    entry: Entry,
    title: str,
    text: str,
    file: ContentFile | None = None,
    clear_file: bool = False,
    session=None,
) -> Entry:
    entry.title, entry.text, entry.session = title.strip(), text.strip(), session
    if clear_file and entry.file:
        entry.file.delete(save=False)
        entry.file_name = ""
    if file is not None:
        if entry.file:
            entry.file.delete(save=False)
        entry.file_name = getattr(file, "original_name", "") or file.name
        entry.file.save(file.name, file, save=False)
    entry.save()
    audit(actor=actor.user, action="contest.entry_updated", target=entry)
    if entry.text:
        originality_queue(kind=TextKind.ENTRY, object_id=entry.pk, court=entry.contest.court)
    return entry


@transaction.atomic
def entry_delete(*, actor: Member, entry: Entry) -> None:
    if Vote.objects.filter(entry=entry).exists() or entry.assignments.filter(submitted_at__isnull=False).exists():
        raise ActionRefused(_("This entry has votes or scores and cannot be removed."))
    if Award.objects.filter(entry=entry).exists():
        raise ActionRefused(_("This entry has an award and cannot be removed."))
    audit(actor=actor.user, action="contest.entry_deleted", target=entry, title=entry.title, member=entry.member_id)
    if entry.file:
        transaction.on_commit(lambda name=entry.file.name, storage=entry.file.storage: storage.delete(name))
    entry.delete()
