"""Whose numbers a person may read, and who may rebuild or edit report templates."""

from __future__ import annotations

from django.db.models import QuerySet

from members.access import current_member, is_court_wide_organizer
from members.models import Court, Member


def reportable_courts(user) -> QuerySet[Court]:
    """Leaders: their court and the courts below; court-wide organizers: their court."""
    if getattr(user, "is_superuser", False):
        return Court.objects.all()
    member = current_member(user)
    if member is None or not member.is_active:
        return Court.objects.none()
    if member.is_leader:
        return Court.objects.with_descendants(member.court)
    if member.is_organizer and is_court_wide_organizer(user, member.court):
        return Court.objects.filter(pk=member.court_id)
    return Court.objects.none()


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
