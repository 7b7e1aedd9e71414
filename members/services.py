"""Writes in the members app: audit, notifications, accounts, roster import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import roster
from .hashers import make_initial_password_hash
from .models import (
    AuditEvent,
    Court,
    Department,
    ImportBatch,
    Member,
    Notification,
    NotificationMute,
    PartyBranch,
    PartyGroup,
    RosterValueMapping,
    StudyGroup,
    StudyGroupMembership,
    initial_password,
    unit_ordering,
)
from .versions import bump_courts, bump_members


def _court_id_of(target: Model | None, actor) -> int | None:
    """The court an audit event belongs to: the target's, else the actor's."""
    if isinstance(target, Court):
        return target.pk
    court_id = getattr(target, "court_id", None)
    if court_id is None and isinstance(target, get_user_model()):
        court_id = Member.objects.filter(user=target).values_list("court_id", flat=True).first()
    if court_id is None and getattr(actor, "is_authenticated", False):
        court_id = Member.objects.filter(user=actor).values_list("court_id", flat=True).first()
    return court_id


def audit(*, actor, action: str, target: Model | None = None, ip: str | None = None, **detail) -> AuditEvent:
    """Record who did what. Call it from every service that changes something important."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        court_id=_court_id_of(target, actor),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail,
        ip_address=ip,
    )


def notify(*, recipient: Member, kind: str, text: str, url: str = "", dedupe_key: str | None = None) -> bool:
    """Put a message in the member's notification centre.

    Returns False when nothing was sent: the member muted this kind, or a notification
    with the same dedupe_key exists (so a task run twice notifies once).
    """
    if NotificationMute.objects.filter(member=recipient, kind=kind).exists():
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], url=url, dedupe_key=dedupe_key)
            bump_members([recipient.pk])  # the unread count in the navigation is cached by version
    except IntegrityError:
        return False
    return True


def notify_many(*, messages: Iterable[tuple[Member, str] | tuple[Member, str, str]], kind: str, url: str = "") -> int:
    """notify() for many people at once (a bulk decision): three queries whatever the number.

    A message is (recipient, text), or (recipient, text, dedupe key) when it is one that notify()
    would send with that key (an award's notice): one already sent with the key is not sent again.
    Without a key each bulk action is its own news. Returns how many were written, muted ones not
    (ones skipped for their key still count: a bulk insert does not tell them apart).
    """
    pending = [(member, text, key[0] if key else None) for member, text, *key in messages]
    if not pending:
        return 0
    muted = set(
        NotificationMute.objects.filter(member__in=[m.pk for m, _t, _k in pending], kind=kind).values_list(
            "member_id", flat=True
        )
    )
    rows = [
        Notification(recipient_id=m.pk, kind=kind, text=text[:300], url=url, dedupe_key=key)
        for m, text, key in pending
        if m.pk not in muted
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=any(key for _m, _t, key in pending))
    bump_members(row.recipient_id for row in rows)  # the unread count in the navigation is cached by version
    return len(rows)


def notification_mark_read(*, member: Member, pk: int | None = None, now) -> int:
    """Mark one (or all) of the member's unread notifications read; returns how many."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    marked = unread.update(read_at=now)
    if marked:
        bump_members([member.pk])
    return marked


@transaction.atomic
def member_set_role(
    *,
    actor,
    member: Member,
    role: str,
    scope_department: Department | None = None,
    scope_branch: PartyBranch | None = None,
) -> Member:
    """Make someone a member, organizer (optionally limited to one department or branch) or leader."""
    if role != Member.Role.ORGANIZER:
        scope_department = scope_branch = None
    for unit in (scope_department, scope_branch):
        if unit is not None and unit.court_id != member.court_id:
            raise ValidationError(_("The department or branch belongs to another court."))
    old = (member.role, member.scope_department_id, member.scope_branch_id)
    new = (role, getattr(scope_department, "pk", None), getattr(scope_branch, "pk", None))
    if old != new:
        member.role = role
        member.scope_department = scope_department
        member.scope_branch = scope_branch
        member.save(update_fields=["role", "scope_department", "scope_branch", "updated_at"])
        audit(
            actor=actor,
            action="member.role_changed",
            target=member,
            old=old[0],
            new=role,
            scope_department=scope_department.name if scope_department else "",
            scope_branch=scope_branch.name if scope_branch else "",
        )
    return member


def _set_initial_password(user, password: str) -> None:
    user.password = make_initial_password_hash(password)
    user._password = password  # lets password validators' password_changed() hooks run as usual


@transaction.atomic
def member_reset_password(*, actor, member: Member) -> str:
    """Give the member a new initial password they must change at next login."""
    password = initial_password()
    _set_initial_password(member.user, password)
    member.user.save(update_fields=["password"])
    member.must_change_password = True
    member.save(update_fields=["must_change_password", "updated_at"])
    audit(actor=actor, action="member.password_reset", target=member)
    return password


MEMBER_EDITABLE_FIELDS = (
    "name",
    "title",
    "department",
    "position_category",
    "post",
    "political_status",
    "party_branch",
    "party_group",
    "birth_date",
)


@transaction.atomic
def member_update(*, actor, member: Member, changes: dict) -> Member:
    """Change a member's record (an organizer's edit). Audits the fields that changed."""
    changed = []
    for name, value in changes.items():
        if name not in MEMBER_EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be edited here")
        if getattr(member, name) != value:
            setattr(member, name, value)
            changed.append(name)
    if member.party_group is not None and member.party_group.branch_id != member.party_branch_id:
        raise ValidationError(_("The party group belongs to another branch."))
    if changed:
        member.save(update_fields=[*changed, "updated_at"])
        audit(actor=actor, action="member.updated", target=member, fields=changed)
    return member


@transaction.atomic
def member_set_active(*, actor, member: Member, active: bool) -> Member:
    """Deactivate (cannot log in, left out of lists) or reactivate a member."""
    if member.is_active != active or member.user.is_active != active:
        member.is_active = active
        member.save(update_fields=["is_active", "updated_at"])
        member.user.is_active = active
        member.user.save(update_fields=["is_active"])
        audit(actor=actor, action="member.activated" if active else "member.deactivated", target=member)
    return member


def unique_username(court_code: str, employee_number: str) -> str:
    """Login name: the court code and employee number, e.g. qg-1024."""
    base = f"{court_code}-{employee_number}".lower()
    User = get_user_model()
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


# --- roster import ----------------------------------------------------------------------


class RosterImportRefused(Exception):
    """The batch cannot be applied: already imported, values still to be answered, nothing to import,
    or rows with errors the user has not agreed to skip."""


@dataclass
class Credential:
    name: str
    employee_number: str
    department: str
    username: str
    password: str


@dataclass
class RosterImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    units_created: int = 0
    credentials: list[Credential] = field(default_factory=list)
    # Rows with errors left out of the import: {"line", "name", "employee_number", "errors": [codes]}.
    skipped: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "units_created": self.units_created,
            "skipped": len(self.skipped),
        }


def roster_batch_create(
    *, actor, court: Court, file_name: str, parsed: roster.ParsedRoster, now: dt.datetime
) -> ImportBatch:
    """Keep a parsed roster for preview. Writes nothing else; unconfirmed uploads older than a day are dropped."""
    ImportBatch.objects.filter(status=ImportBatch.Status.PENDING, created_at__lt=now - dt.timedelta(days=1)).delete()
    return ImportBatch.objects.create(
        court=court,
        created_by=actor,
        file_name=file_name[:200],
        columns=parsed.columns,
        rows=parsed.rows,
        ignored_columns=parsed.ignored_headers,
        create_units=first_day_units(court=court, rows=parsed.rows),
    )


def first_day_units(*, court: Court, rows: list[dict]) -> list[str]:
    """On a court's first roster import its departments, branches and groups mostly exist only in
    the file (at most the organizer's own department was made when they were named): every unit
    the file names is proposed for creation (ticked in the preview, to untick a misspelling), so
    the first roster does not show every row as an error. Later imports tick nothing: there a
    new name is more often a typo than a new department."""
    if ImportBatch.objects.filter(court=court, status=ImportBatch.Status.APPLIED).exists():
        return []
    units = roster.CourtUnits.load(court)
    return sorted({ref.key for row in rows for ref, found in units.refs_in(row.get("values", {})) if not found})


def roster_batch_choose_units(*, batch: ImportBatch, keys: list[str]) -> ImportBatch:
    """Remember which unknown departments, branches and groups the user wants created."""
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(create_units=sorted(set(keys)))
    batch.refresh_from_db(fields=["create_units"])
    return batch


@transaction.atomic
def roster_values_map(*, actor, court: Court, answers: dict[tuple[str, str], str]) -> int:
    """Remember what the court means by 岗位类别 / 政治面貌 values written its own way.

    `answers` maps (field, value as written) to a value of the field's list, or "" for "leave it
    empty". Every later import of the court uses them without asking. Returns how many changed.
    """
    chooser = actor if getattr(actor, "is_authenticated", False) else None
    for (field_name, raw), value in answers.items():
        RosterValueMapping(court=court, field=field_name, raw_value=raw, value=value).clean()  # a value of the list
        RosterValueMapping.objects.update_or_create(
            court=court, field=field_name, raw_value=raw, defaults={"value": value, "created_by": chooser}
        )
    if answers:
        audit(
            actor=actor,
            action="roster.values_mapped",
            target=court,
            answers=[[name, raw, value] for (name, raw), value in sorted(answers.items())],
        )
    return len(answers)


def _create_units(court: Court, preview: roster.Preview, chosen: set[str]) -> int:
    created = 0
    for unit in preview.unknown_units:  # ordered: departments, branches, party groups, study groups
        if unit.key not in chosen:
            continue
        if unit.kind == "department":
            Department.objects.create(court=court, name=unit.name)
        elif unit.kind == "branch":
            PartyBranch.objects.create(court=court, name=unit.name)
        elif unit.kind == "partygroup":
            branch = PartyBranch.objects.get(court=court, name=unit.branch)
            PartyGroup.objects.create(branch=branch, name=unit.name)
        elif unit.kind == "studygroup":
            StudyGroup.objects.create(court=court, name=unit.name, kind=_guess_group_kind(unit.name))
        created += 1
    return created


def _guess_group_kind(name: str) -> str:
    if "研习" in name:
        return StudyGroup.Kind.RESEARCH
    if "青年" in name:
        return StudyGroup.Kind.YOUTH
    return StudyGroup.Kind.STUDY


def _row_fields(values: dict, columns: list[str], units: roster.CourtUnits, member: Member | None) -> dict:
    fields: dict = {}
    for name in ("name", "position_category", "title", "political_status"):
        if name in columns:
            fields[name] = values[name]
    if "post" in values:  # derived from the title by the preview, only where the title says it
        fields["post"] = values["post"]
    if "department" in columns:
        fields["department"] = units.departments.get(values["department"])
    if "party_branch" in columns:
        fields["party_branch"] = units.branches.get(values["party_branch"])
    if "party_group" in columns:
        fields["party_group"] = units.party_groups.get((values.get("party_branch", ""), values["party_group"]))
    elif (
        "party_branch" in columns
        and member is not None
        and member.party_group is not None
        and member.party_group.branch_id != getattr(fields["party_branch"], "pk", None)
    ):
        # A new branch without a 党小组 column: a group of the old branch no longer fits.
        fields["party_group"] = None
    if "birth_date" in columns:
        fields["birth_date"] = dt.date.fromisoformat(values["birth_date"]) if values["birth_date"] else None
    return fields


def _sync_groups(member: Member, wanted: list, units: roster.CourtUnits, existing: list) -> None:
    bump_members([member.pk])  # memberships decide which sessions and quizzes the member sees
    current = {gm.group.name: gm for gm in existing}
    wanted_roles = dict(map(tuple, wanted))
    for name, membership in current.items():
        if name not in wanted_roles:
            membership.delete()
        elif wanted_roles[name] and membership.role != wanted_roles[name]:
            membership.role = wanted_roles[name]
            membership.save(update_fields=["role"])
    StudyGroupMembership.objects.bulk_create(
        StudyGroupMembership(
            group=units.study_groups[name], member=member, role=role or StudyGroupMembership.Role.MEMBER
        )
        for name, role in wanted_roles.items()
        if name not in current
    )


def member_account_create(*, court: Court, employee_number: str, **fields) -> tuple[Member, Credential]:
    """A new member with an account (`<court code>-<工号>`) and a random initial password, to be
    changed at first login; the password comes back once, in the Credential, and is never stored
    in clear. The roster import and the site admin's set-up pages both create people this way."""
    password = initial_password()
    user = get_user_model()(username=unique_username(court.code, employee_number))
    _set_initial_password(user, password)
    user.save()
    member = Member.objects.create(
        user=user, court=court, employee_number=employee_number, must_change_password=True, **fields
    )
    credential = Credential(
        name=member.name,
        employee_number=member.employee_number,
        department=member.department.name if member.department else "",
        username=user.username,
        password=password,
    )
    return member, credential


@transaction.atomic
def roster_import_apply(
    *, batch: ImportBatch, actor, deactivate_missing: bool, now: dt.datetime, skip_errors: bool = False
) -> RosterImportResult:
    """Apply a previewed roster, at most once per batch.

    Rows with errors are skipped (and listed in the result with their reasons) when the user
    agreed to skip them (`skip_errors`, the "import the other rows" button); without it, a row
    that has turned bad since the preview refuses the import, so nothing is skipped unseen.
    New people get an account with an initial password (returned, never stored in clear) that
    they must change at first login. Members absent from the file are deactivated only when
    asked; a person whose row was skipped is in the file and stays. Applying the same file
    again changes nothing.
    """
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.APPLIED, applied_at=now
    )
    if claimed != 1:
        raise RosterImportRefused(_("This file has already been imported."))
    court = batch.court
    keep = Member.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    chosen = set(batch.create_units)
    preview = roster.build_preview(court=court, columns=batch.columns, rows=batch.rows, create_units=chosen, keep=keep)
    if preview.unknown_values:
        raise RosterImportRefused(_("Choose first what the values the system does not know mean."))
    if not preview.importable:
        raise RosterImportRefused(_("Every row has an error. Correct the file and upload it again."))
    if preview.has_errors and not skip_errors:
        raise RosterImportRefused(
            _("Some rows have errors. Check the preview, then import the other rows or upload a corrected file.")
        )
    result = RosterImportResult(units_created=_create_units(court, preview, chosen))
    result.skipped = [
        {
            "line": row.line,
            "name": row.values.get("name", ""),
            "employee_number": row.values.get("employee_number", ""),
            "errors": row.error_codes,
        }
        for row in preview.rows
        if row.status == "error"
    ]
    units = roster.CourtUnits.load(court)
    User = get_user_model()
    for row in preview.rows:
        values = row.values
        if row.status == "error":
            continue
        if row.status == "unchanged":
            result.unchanged += 1
            continue
        member = row.member
        fields = _row_fields(values, batch.columns, units, member)
        existing = list(member.group_memberships.all()) if member is not None else []
        if member is None:
            member, credential = member_account_create(court=court, employee_number=values["employee_number"], **fields)
            result.created += 1
            result.credentials.append(credential)
        else:
            for name, value in fields.items():
                setattr(member, name, value)
            if not member.is_active:
                member.is_active = True
                member.user.is_active = True
                member.user.save(update_fields=["is_active"])
            member.save()
            result.updated += 1
        if "study_groups" in batch.columns:
            _sync_groups(member, values["study_groups"], units, existing)
    if deactivate_missing:
        for member in preview.missing:
            member.is_active = False
            member.save(update_fields=["is_active", "updated_at"])
            User.objects.filter(pk=member.user_id).update(is_active=False)
            result.deactivated += 1
    batch.result = {**result.as_dict(), "skipped_rows": result.skipped}
    batch.rows = []  # the members now hold the data; no second copy of birth dates lying around
    batch.save(update_fields=["result", "rows"])
    audit(actor=actor, action="roster.imported", target=batch, file=batch.file_name, **result.as_dict())
    return result


# --- the court's units: departments, party branches, study groups ---------------------------


class UnitChangeRefused(Exception):
    """A change to a court's units that cannot be made: a name taken, a unit still in use, a
    person from another court. `field` names the form field the message belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


Unit = Department | PartyBranch | StudyGroup

# References worth a label of their own; the others are named by their model.
_REFERENCE_LABELS = {
    ("members.member", "scope_department"): gettext_lazy("organizers limited to it"),
    ("members.member", "scope_branch"): gettext_lazy("organizers limited to it"),
    ("members.studygroup", "parent"): gettext_lazy("squads"),
}


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UnitChangeRefused(_("Enter a name."), field="name")
    return name


def _save_named(unit: Unit, name: str) -> None:
    """Save a unit under a name no other unit of its kind in the court has.

    The UniqueConstraint decides; the check before it only gives the usual case a clear message,
    and the savepoint turns a concurrent clash into the same refusal instead of an error page.
    """
    taken = _("%(name)s already exists in this court.") % {"name": name}
    others = type(unit).objects.filter(court_id=unit.court_id, name=name).exclude(pk=unit.pk)
    if others.exists():
        raise UnitChangeRefused(taken, field="name")
    unit.name, old_name = name, unit.name
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        unit.name = old_name
        raise UnitChangeRefused(taken, field="name") from None


def _check_same_court(unit: Unit, member: Member | None, field: str) -> None:
    if member is not None and member.court_id != unit.court_id:
        raise UnitChangeRefused(_("%(name)s is not a member of this court.") % {"name": member.name}, field=field)


def _references(unit: Model, skip: frozenset[tuple[str, str]] = frozenset()) -> dict[str, int]:
    """What still points at a unit, by label: every foreign key and many-to-many to it, in any app.

    Found through the model's relations rather than a list, so a model added later that refers
    to a unit counts too. Many of them would cascade (sessions, rotas) or be emptied (members'
    department) by a delete: a unit in use is never deleted, it is refused.
    """
    found: dict[str, int] = {}
    for rel in type(unit)._meta.get_fields(include_hidden=True):  # hidden too: related_name="+" is common
        if not (rel.auto_created and not rel.concrete) or rel.related_model._meta.auto_created:
            continue  # not a reverse relation, or a many-to-many's through row (counted by the relation itself)
        key = (rel.related_model._meta.label_lower, rel.field.name)
        if key in skip:
            continue
        count = rel.related_model._base_manager.filter(**{rel.field.name: unit}).count()
        if count:
            label = str(_REFERENCE_LABELS.get(key, rel.related_model._meta.verbose_name))
            found[label] = found.get(label, 0) + count
    return found


def _delete_unused(*, actor, unit: Unit, action: str, parts: list[PartyGroup] = ()) -> None:
    """Delete a unit (and `parts` of it: a branch's party groups) unless anything refers to them."""
    # Lock the row first: on PostgreSQL a new row referring to the unit waits for this lock (its
    # foreign key check), so nothing can slip in between the count below and the delete.
    type(unit).objects.select_for_update().filter(pk=unit.pk).first()
    found = _references(unit, skip=frozenset({("members.partygroup", "branch")}))
    for part in parts:
        for label, count in _references(part).items():
            found[label] = found.get(label, 0) + count
    if found:
        uses = "、".join(_("%(what)s (%(count)s)") % {"what": label, "count": n} for label, n in found.items())
        raise UnitChangeRefused(
            _("%(name)s is still in use: %(uses)s. Move or remove these first.") % {"name": unit.name, "uses": uses}
        )
    audit(actor=actor, action=action, target=unit, name=unit.name)
    unit.delete()
    bump_courts([unit.court_id])  # the unit leaves cached pages (dashboards' breakdowns, audiences)


def _create_unit(*, actor, unit: Unit, name: str, action: str) -> Unit:
    _save_named(unit, _clean_name(name))
    audit(actor=actor, action=action, target=unit, name=unit.name)
    bump_courts([unit.court_id])  # a new unit on cached pages (dashboards' breakdowns, audiences)
    return unit


def _update_unit(*, actor, unit: Unit, name: str, action: str, **fields) -> Unit:
    """Rename `unit` and set `fields` on it; when anything changed, audit it and raise the court's
    cache_version: unit names and people are on cached panels and dashboards, and a squad's
    members count as its parent group's (MemberQuerySet.in_units)."""
    name = _clean_name(name)
    attnames = {key: type(unit)._meta.get_field(key).attname for key in ("name", *fields)}
    old = {key: getattr(unit, attname) for key, attname in attnames.items()}
    for key, value in fields.items():
        setattr(unit, key, value)
    _save_named(unit, name)
    changed = [key for key, attname in attnames.items() if getattr(unit, attname) != old[key]]
    if changed:
        bump_courts([unit.court_id])
        audit(actor=actor, action=action, target=unit, fields=changed, old_name=old["name"])
    return unit


@transaction.atomic
def department_create(*, actor, court: Court, name: str, head: Member | None = None) -> Department:
    """A new 庭室/部门 of the court, optionally with its head (部门负责人)."""
    department = Department(court=court, head=head)
    _check_same_court(department, head, "head")
    return _create_unit(actor=actor, unit=department, name=name, action="department.created")


@transaction.atomic
def department_update(*, actor, department: Department, name: str, head: Member | None) -> Department:
    """Rename a department or change its head. The head comments on the department's monthly plans."""
    _check_same_court(department, head, "head")
    return _update_unit(actor=actor, unit=department, name=name, action="department.updated", head=head)


@transaction.atomic
def department_delete(*, actor, department: Department) -> None:
    """Delete a department nobody is in and nothing refers to (sessions, campaigns, contests…)."""
    _delete_unused(actor=actor, unit=department, action="department.deleted")


@transaction.atomic
def department_move(*, actor, department: Department, offset: int) -> Department:
    """Move a department `offset` places up (negative) or down in its court's own order.

    The first move writes the order everyone sees now (natural order of names, for departments
    without a position) as positions 1…n, so moving one never reshuffles the others; a department
    added later has no position and comes last until it is moved.
    """
    Court.objects.select_for_update().filter(pk=department.court_id).first()  # one reorder at a time
    order = list(Department.objects.filter(court_id=department.court_id).order_by(*unit_ordering(department=True)))
    index = next(i for i, d in enumerate(order) if d.pk == department.pk)
    target = max(0, min(len(order) - 1, index + offset))
    if target == index:
        return department
    order.insert(target, order.pop(index))
    for position, unit in enumerate(order, start=1):
        unit.position = position
    Department.objects.bulk_update(order, ["position"])
    audit(actor=actor, action="department.moved", target=department, name=department.name, position=target + 1)
    bump_courts([department.court_id])  # breakdowns and selects on cached pages follow the order
    department.position = target + 1
    return department


@transaction.atomic
def branch_create(*, actor, court: Court, name: str, secretary: Member | None = None) -> PartyBranch:
    """A new 党支部 of the court, optionally with its secretary (支部书记)."""
    branch = PartyBranch(court=court, secretary=secretary)
    _check_same_court(branch, secretary, "secretary")
    return _create_unit(actor=actor, unit=branch, name=name, action="branch.created")


@transaction.atomic
def branch_update(*, actor, branch: PartyBranch, name: str, secretary: Member | None) -> PartyBranch:
    """Rename a party branch or change its secretary."""
    _check_same_court(branch, secretary, "secretary")
    return _update_unit(actor=actor, unit=branch, name=name, action="branch.updated", secretary=secretary)


@transaction.atomic
def branch_delete(*, actor, branch: PartyBranch) -> None:
    """Delete a party branch nobody is in; its party groups go with it when they are empty too."""
    _delete_unused(actor=actor, unit=branch, action="branch.deleted", parts=list(branch.groups.all()))


def _check_parent(group: StudyGroup, parent: StudyGroup | None) -> StudyGroup | None:
    """A squad hangs under a top-level group of the same court: one level, so never a cycle.

    Returns the parent as it is now. Both rows are locked first (in id order): two moves that
    each look fine alone — A under B and B under A, or a squad under A while A becomes a squad —
    then wait for each other instead of both passing the check.
    """
    if parent is None:
        return None
    ids = sorted(pk for pk in (group.pk, parent.pk) if pk is not None)
    locked = {g.pk: g for g in StudyGroup.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    parent = locked.get(parent.pk, parent)
    if parent.court_id != group.court_id:
        raise UnitChangeRefused(_("The parent group belongs to another court."), field="parent")
    if parent.pk is not None and parent.pk == group.pk:
        raise UnitChangeRefused(_("A group cannot be its own parent."), field="parent")
    if parent.parent_id is not None:
        raise UnitChangeRefused(_("A squad cannot have squads: choose a top-level group."), field="parent")
    if group.pk is not None and group.squads.exists():
        raise UnitChangeRefused(_("This group has squads of its own, so it cannot become a squad."), field="parent")
    return parent


@transaction.atomic
def study_group_create(*, actor, court: Court, name: str, kind: str, parent: StudyGroup | None = None) -> StudyGroup:
    """A new 学习小组, or a 学习小队 when it has a parent group."""
    group = StudyGroup(court=court, kind=kind)
    group.parent = _check_parent(group, parent)
    return _create_unit(actor=actor, unit=group, name=name, action="study_group.created")


@transaction.atomic
def study_group_update(*, actor, group: StudyGroup, name: str, kind: str, parent: StudyGroup | None) -> StudyGroup:
    """Rename a study group, change its kind, or move it under another group (or to the top)."""
    parent = _check_parent(group, parent)
    return _update_unit(actor=actor, unit=group, name=name, action="study_group.updated", kind=kind, parent=parent)


@transaction.atomic
def study_group_delete(*, actor, group: StudyGroup) -> None:
    """Delete a study group without members, squads or anything planned for it."""
    _delete_unused(actor=actor, unit=group, action="study_group.deleted")


@transaction.atomic
def study_group_add_members(*, actor, group: StudyGroup, members: list[Member]) -> int:
    """Add people to a group as ordinary members; those already in it keep their role. Returns how many joined.

    People of its court, or of the courts below when the group is open to them (两级法院)."""
    courts = set(group.member_courts().values_list("pk", flat=True))
    for member in members:
        if member.court_id not in courts:
            _check_same_court(group, member, "members")
    present = set(group.memberships.values_list("member_id", flat=True))
    joining = sorted({m.pk for m in members} - present)
    StudyGroupMembership.objects.bulk_create(
        (StudyGroupMembership(group=group, member_id=pk, role=StudyGroupMembership.Role.MEMBER) for pk in joining),
        ignore_conflicts=True,  # someone adding the same person at the same moment: they are in, as wanted
    )
    if joining:
        bump_members(joining)  # memberships decide which sessions and quizzes they see; bulk_create sends no signals
        audit(actor=actor, action="study_group.members_added", target=group, members=joining)
    return len(joining)


@transaction.atomic
def study_group_remove_member(*, actor, group: StudyGroup, member: Member) -> None:
    deleted, _rows = StudyGroupMembership.objects.filter(group=group, member=member).delete()
    if deleted:
        bump_members([member.pk])
        audit(actor=actor, action="study_group.member_removed", target=group, member=member.pk)


@transaction.atomic
def study_group_set_role(*, actor, group: StudyGroup, member: Member, role: str) -> StudyGroupMembership:
    """Make a member of the group its leader (组长), or an ordinary member again. A group may have several leaders."""
    if role not in StudyGroupMembership.Role.values:
        raise UnitChangeRefused(_("Choose a role in the group."), field="role")
    membership = StudyGroupMembership.objects.filter(group=group, member=member).first()
    if membership is None:
        raise UnitChangeRefused(_("%(name)s is not in this group.") % {"name": member.name})
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        bump_members([member.pk])  # a leader sees the group's rota and requests on their panels
        audit(actor=actor, action="study_group.role_changed", target=group, member=member.pk, role=role)
    return membership


@transaction.atomic
def court_originality_set(*, actor, court: Court, enabled: bool, threshold: int) -> Court:
    """Turn the originality check of a court's reflections and entries on or off, with its threshold.
    Texts submitted from now on are checked; nothing is computed while it is off."""
    court.originality_check, court.originality_threshold = enabled, threshold
    court.save(update_fields=["originality_check", "originality_threshold"])
    audit(actor=actor, action="court.originality_set", target=court, enabled=enabled, threshold=threshold)
    return court
