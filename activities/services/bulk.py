"""Bulk actions on people: decide many applications, move many squad members, mark many attendees.

Each is one transaction and one audit row with the count, and costs a fixed number of queries
whatever the number of people (a court selects 100 applicants in one action, not 100). They keep
the rules of their one-at-a-time services (activities.services.plans.application_decide,
squad_move_member, activities.services.sessions.attendance_mark): a rule one person breaks
refuses the whole action, with the reason, and nothing is written.

These writes bypass model signals (bulk_update, update), so their audit actions are listed in
reports.freshness.AUDITED_BULK_WRITES, with the records' own days as "record_days".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, StudyGroup, StudyGroupMembership
from members.services import audit, notify_many
from members.versions import bump_courts, bump_members

from ..models.plans import Application, RecruitmentBatch
from ..models.sessions import Attendance, Session
from .sessions import SessionError


@transaction.atomic
def applications_decide_many(
    *, batch: RecruitmentBatch, applications: Sequence[Application], actor: Member, status: str, now: dt.datetime
) -> int:
    """Select, decline or reset many applications of one batch at once. Returns how many changed."""
    if status not in Application.Status.values:
        raise ValidationError(_("Unknown decision."), code="status")
    batch = RecruitmentBatch.objects.select_for_update().select_related("group").get(pk=batch.pk)
    if batch.squads_formed_at is not None:
        raise ValidationError(_("The squads are formed: change them on the squads page."), code="formed")
    changing = [a for a in applications if a.batch_id == batch.pk and a.status != status]
    if status == Application.Status.SELECTED and changing:
        selected = batch.applications.filter(status=Application.Status.SELECTED).count()
        if selected + len(changing) > batch.capacity:
            raise ValidationError(
                _(
                    "The batch has %(free)s places left (%(taken)s of %(capacity)s taken): "
                    "you chose %(n)s people not yet selected. Nobody was selected."
                )
                % {
                    "free": max(batch.capacity - selected, 0),
                    "taken": selected,
                    "capacity": batch.capacity,
                    "n": len(changing),
                },
                code="full",
            )
    if not changing:
        return 0
    for application in changing:
        application.status, application.decided_by, application.decided_at = status, actor, now
    Application.objects.bulk_update(changing, ["status", "decided_by", "decided_at"])
    bump_members(a.member_id for a in changing)
    audit(
        actor=actor.user,
        action="recruitment.decided_many",
        target=batch,
        new=status,
        count=len(changing),
        record_days=sorted({timezone.localdate(a.created_at).isoformat() for a in changing}),
    )
    if status != Application.Status.PENDING:
        text = (
            _("You were selected for %(group)s, %(batch)s.")
            if status == Application.Status.SELECTED
            else _("Your application to %(group)s, %(batch)s was not selected this time.")
        ) % {"group": batch.group.name, "batch": batch.label}
        notify_many(messages=[(a.member, text) for a in changing], kind="recruitment", url=batch.get_absolute_url())
    return len(changing)


@transaction.atomic
def squad_move_many(*, batch: RecruitmentBatch, members: Sequence[Member], to: StudyGroup, actor: Member) -> int:
    """Move many members of the batch's squads into one squad (as ordinary members). Returns how many moved."""
    squads = StudyGroup.objects.filter(batch_squad__batch=batch)
    if not squads.filter(pk=to.pk).exists():
        raise ValidationError(_("That squad is not part of this batch."), code="squad")
    moving = list(
        StudyGroupMembership.objects.filter(group__in=squads, member__in=[m.pk for m in members]).exclude(group=to)
    )
    if not moving:
        return 0
    StudyGroupMembership.objects.filter(pk__in=[m.pk for m in moving]).update(
        group=to, role=StudyGroupMembership.Role.MEMBER
    )
    bump_members(m.member_id for m in moving)
    if any(m.role == StudyGroupMembership.Role.LEADER for m in moving):
        bump_courts([to.court_id])  # a former leader no longer sees their squad's requests
    audit(actor=actor.user, action="recruitment.squads_moved", target=batch, to=to.pk, count=len(moving))
    return len(moving)


@transaction.atomic
def attendance_mark_all(
    *, actor: Member, session: Session, members: Sequence[Member], status: str, reason: str = ""
) -> int:
    """Mark many people present, late, on leave (one reason for all) or absent. Returns how many changed."""
    if session.is_cancelled:
        raise SessionError(_("A cancelled session has no attendance."))
    if status not in Attendance.Status.values:
        raise SessionError(_("Choose present, late, on leave or absent."))
    reason = reason.strip()[:200]
    if status == Attendance.Status.LEAVE and not reason:
        raise SessionError(_("Give the reason for the leave."))
    existing = {a.member_id: a for a in Attendance.objects.filter(session=session, member__in=[m.pk for m in members])}
    now = timezone.now()
    changed = [a for a in existing.values() if a.status != status or a.reason != reason]
    for attendance in changed:
        attendance.status, attendance.reason, attendance.marked_by, attendance.updated_at = status, reason, actor, now
    Attendance.objects.bulk_update(changed, ["status", "reason", "marked_by", "updated_at"])
    new = [
        Attendance(
            session=session,
            member=m,
            status=status,
            reason=reason,
            method=Attendance.Method.ORGANIZER,
            marked_by=actor,
        )
        for m in members
        if m.pk not in existing
    ]
    # Someone signing in at this very moment keeps their own sign-in.
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    count = len(changed) + len(new)
    if count:
        bump_members([a.member_id for a in changed] + [m.pk for m in members if m.pk not in existing])
        audit(
            actor=actor.user,
            action="session.attendance_bulk",
            target=session,
            status=status,
            count=count,
            record_days=[timezone.localdate(session.start).isoformat()],
        )
    return count
