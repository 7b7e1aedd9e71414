"""Helpers shared by the sessions views: fetching what the user may see, and refusing the rest."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from members.access import current_member
from members.models import Member

from ...models.sessions import Session

PAGE_SIZE = 20


def member_or_403(request: HttpRequest) -> Member:
    member = current_member(request.user)
    if member is None or not member.is_active:
        raise PermissionDenied
    return member


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def visible_session(request: HttpRequest, pk: int) -> Session:
    """The session if the user may see it; 404 for everyone else."""
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related(
            "kind", "court", "unit_department", "unit_branch", "unit_group", "host_department", "series_item", "rota"
        ),
        pk=pk,
    )


def paginate(request: HttpRequest, items) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
