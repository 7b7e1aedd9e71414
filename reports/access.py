"""Whose numbers a person may read, and who may rebuild or edit report templates."""

from __future__ import annotations

from django.db.models import QuerySet

from members.access import current_member, is_court_wide_organizer, visible_courts
from members.models import Court, Member


def reportable_courts(user) -> QuerySet[Court]:
    """Leaders: their court and the courts below; court-wide organizers: their court.

    The courts are those the person may see (members.access.visible_courts, the one ladder);
    everyone else, an organizer of one department or branch included, reads no report.
    """
    member = current_member(user)
    may_read = member is not None and (
        member.is_leader or (member.is_organizer and is_court_wide_organizer(user, member.court))
    )
    return visible_courts(user) if may_read or getattr(user, "is_superuser", False) else Court.objects.none()


def can_read_reports(user) -> bool:
    return reportable_courts(user).exists()


def can_rebuild(user, court: Court) -> bool:
    return is_court_wide_organizer(user, court)


def can_see_profile(user, member: Member) -> bool:
    """A member's learning profile: the member, and whoever reads their court's reports."""
    me = current_member(user)
    if me is not None and me.pk == member.pk:
        return True
    return reportable_courts(user).filter(pk=member.court_id).exists()
