"""Writes of the site admin's set-up pages: courts, their parent court, their first organizers and leaders.

Until a court has an organizer nobody can import its roster, so the site admin names the first
ones here (an existing member, or a new account with an initial password shown once, as the
roster import gives). Everything else about the court is then done by its organizers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext as _

from .models import Court, Department, ImportBatch, Member
from .services import Credential, audit, department_create, member_account_create, member_set_role
from .versions import bump_courts

MAX_LEVELS = 3  # province → city → basic: CourtQuerySet.with_descendants reads three levels


class SetupRefused(Exception):
    """A set-up change that cannot be made. `field` names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def court_level(court: Court | None) -> int:
    """1 for a top court, 2 for a court under it, 3 below that (0 for no court)."""
    level, seen = 0, set()
    while court is not None and court.pk not in seen:
        seen.add(court.pk)
        level += 1
        court = court.parent
    return level


def _levels_below(court: Court) -> int:
    """How many levels of courts hang under this one (0 for a court without courts below)."""
    children = Court.objects.filter(parent=court)
    if not children.exists():
        return 0
    if Court.objects.filter(parent__parent=court).exists():
        return 2
    return 1


def _check_parent(court: Court, parent: Court | None) -> None:
    """A parent court that keeps the tree a tree, three levels deep at most."""
    if parent is None:
        return
    if court.pk is not None:
        if parent.pk == court.pk:
            raise SetupRefused(_("A court cannot supervise itself."), field="parent")
        if Court.objects.with_descendants(court).filter(pk=parent.pk).exists():
            raise SetupRefused(_("%(name)s is below this court already.") % {"name": parent.name}, field="parent")
    below = _levels_below(court) if court.pk is not None else 0
    if court_level(parent) + 1 + below > MAX_LEVELS:
        raise SetupRefused(
            _("Courts go three levels deep at most (province, city, basic): choose a court higher up."),
            field="parent",
        )


def _save_court(court: Court) -> None:
    """Save under a unique name and code; the constraints decide, the checks only give a clear message."""
    others = Court.objects.exclude(pk=court.pk)
    if others.filter(name=court.name).exists():
        raise SetupRefused(_("A court named %(name)s exists already.") % {"name": court.name}, field="name")
    if others.filter(code=court.code).exists():
        raise SetupRefused(_("The code %(code)s is taken by another court.") % {"code": court.code}, field="code")
    try:
        with transaction.atomic():
            court.save()
    except IntegrityError:
        raise SetupRefused(_("A court with this name or code exists already."), field="name") from None


@transaction.atomic
def court_create(*, actor, name: str, code: str, parent: Court | None) -> Court:
    """A new court, under a supervising court (a city's intermediate court) or at the top."""
    court = Court(name=" ".join(name.split()), code=code.strip().lower(), parent=parent)
    _check_parent(court, parent)
    _save_court(court)
    audit(actor=actor, action="court.created", target=court, name=court.name, code=court.code)
    return court


@transaction.atomic
def court_update(*, actor, court: Court, name: str, code: str, parent: Court | None) -> Court:
    """Rename a court, change its code (the prefix of new login names) or its supervising court."""
    # Lock the row so two edits of the tree cannot each pass the cycle check (PostgreSQL).
    court = Court.objects.select_for_update().get(pk=court.pk)
    old = {"name": court.name, "code": court.code, "parent": court.parent_id}
    _check_parent(court, parent)
    court.name, court.code, court.parent = " ".join(name.split()), code.strip().lower(), parent
    _save_court(court)
    new = {"name": court.name, "code": court.code, "parent": court.parent_id}
    changed = [key for key in old if old[key] != new[key]]
    if changed:
        bump_courts([court.pk])  # the court's name is on cached pages
        audit(actor=actor, action="court.updated", target=court, fields=changed, old_name=old["name"])
    return court


STAFF_ROLES = (Member.Role.ORGANIZER, Member.Role.LEADER)


def _check_staff_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise SetupRefused(_("Choose organizer or leader."), field="role")


@transaction.atomic
def court_staff_name(*, actor, member: Member, role: str) -> Member:
    """Make an existing member of the court an organizer (of the whole court) or a leader."""
    _check_staff_role(role)
    return member_set_role(actor=actor, member=member, role=role)


@transaction.atomic
def court_staff_create(
    *, actor, court: Court, name: str, employee_number: str, department: str, role: str
) -> tuple[Member, Credential]:
    """A new person of the court, already organizer or leader, with an initial password.

    The account is made as a roster import makes it (login name from the court code and 工号,
    the cheap initial-password hash, a new password at first login), so the roster imported
    later recognises the person by 工号 and updates them instead of adding them twice.
    """
    _check_staff_role(role)
    name = "".join(name.split())  # rosters write 王  芳; the person is 王芳
    employee_number = employee_number.strip()
    if not name:
        raise SetupRefused(_("Enter a name."), field="name")
    if not employee_number:
        raise SetupRefused(_("Enter the employee number (工号) as in the roster."), field="employee_number")
    if Member.objects.filter(court=court, employee_number=employee_number).exists():
        raise SetupRefused(
            _("工号 %(number)s is already someone's in this court: pick that person instead.")
            % {"number": employee_number},
            field="employee_number",
        )
    unit = None
    department = " ".join(department.split())
    if department:
        unit = Department.objects.filter(court=court, name=department).first() or department_create(
            actor=actor, court=court, name=department
        )
    member, credential = member_account_create(
        court=court, employee_number=employee_number, name=name, department=unit, role=role
    )
    bump_courts([court.pk])
    audit(actor=actor, action="member.created", target=member, name=member.name, role=role)
    return member, credential


# --- reads for the set-up pages ------------------------------------------------------------


@dataclass
class CourtRow:
    """A court in the set-up tree, with what it has so far."""

    court: Court
    level: int
    members: int
    organizers: list[Member]
    leaders: list[Member]
    last_import: dt.datetime | None

    @property
    def is_ready(self) -> bool:
        """Someone can take over: an organizer imports the roster and runs the rest."""
        return bool(self.organizers)


def _with_state(courts) -> list[Court]:
    """Courts with their active members counted, their organizers and leaders, their last import."""
    last_import = (
        ImportBatch.objects.filter(court=OuterRef("pk"), status=ImportBatch.Status.APPLIED)
        .order_by("-applied_at")
        .values("applied_at")[:1]
    )
    staff = Member.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("name")
    return list(
        courts.annotate(
            n_members=Count("members", filter=Q(members__is_active=True)),
            last_import=Subquery(last_import),
        ).prefetch_related(Prefetch("members", queryset=staff, to_attr="staff"))
    )


def _row(court: Court, level: int) -> CourtRow:
    return CourtRow(
        court=court,
        level=level,
        members=court.n_members,
        organizers=[m for m in court.staff if m.role == Member.Role.ORGANIZER],
        leaders=[m for m in court.staff if m.role == Member.Role.LEADER],
        last_import=court.last_import,
    )


def court_state(court: Court) -> CourtRow:
    """One court's set-up row."""
    return _row(_with_state(Court.objects.filter(pk=court.pk))[0], court_level(court))


def court_tree() -> list[CourtRow]:
    """Every court, each followed by the courts below it, with its state. Two queries."""
    courts = _with_state(Court.objects.order_by("name"))
    children: dict[int | None, list[Court]] = defaultdict(list)
    known = {c.pk for c in courts}
    for court in courts:
        children[court.parent_id if court.parent_id in known else None].append(court)
    rows: list[CourtRow] = []
    seen: set[int] = set()

    def walk(siblings: list[Court], level: int) -> None:
        for court in siblings:
            if court.pk in seen:  # a cycle made in Django admin: show each court once
                continue
            seen.add(court.pk)
            rows.append(_row(court, level))
            walk(children.get(court.pk, []), level + 1)

    walk(children.get(None, []), 1)
    walk([c for c in courts if c.pk not in seen], 1)  # courts reachable only through a cycle
    return rows
