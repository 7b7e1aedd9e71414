"""Helpers shared by the contests family's views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from members.access import current_member, is_leader_of, is_organizer_of
from members.models import Court, Member

from ...selectors.contests import manages

PAGE_SIZE = 20


def acting_member(request: HttpRequest) -> Member:
    """The member behind a write; admins without a member record use the admin site instead."""
    member = current_member(request.user)
    if member is None or not member.is_active:
        raise PermissionDenied
    return member


def organizer_for(request: HttpRequest, court: Court | int) -> Member:
    """The acting organizer of this court, or 403."""
    if not is_organizer_of(request.user, court):
        raise PermissionDenied
    return acting_member(request)


def manager_for(request: HttpRequest, obj) -> Member:
    """The acting organizer who runs this contest or quiz (see `selectors.contests.manages`), or 403."""
    if not manages(request.user, obj):
        raise PermissionDenied
    return acting_member(request)


def is_staff_of(user, court: Court | int) -> bool:
    """Organizers of the court and leaders of it (or above) read results and statistics."""
    return is_organizer_of(user, court) or is_leader_of(user, court)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def paginate(request: HttpRequest, items, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def search_text(request: HttpRequest, name: str = "q") -> str:
    """A search term from the query string, without the NUL characters PostgreSQL refuses."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:100]
