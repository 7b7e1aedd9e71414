"""Originality check: a reviewer compares a text with a similar earlier one, side by side."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ..models.contests import Entry
from ..models.originality import TextKind
from ..models.reading import Reflection
from ..models.sessions import Session, SessionReflection
from ..selectors.originality import can_see_originality, side_by_side


def _checked_text(request: HttpRequest, kind: str, object_id: int) -> tuple[str, str, str, int, int, str]:
    """(text, title, url, court id, author id, author's name) of a text the user may read; 404 otherwise."""
    if kind == TextKind.REFLECTION:
        r = get_object_or_404(Reflection.objects.visible_to(request.user).select_related("author"), pk=object_id)
        return r.body, r.title, r.get_absolute_url(), r.author.court_id, r.author_id, r.author.name
    if kind == TextKind.SESSION_REFLECTION:
        r = get_object_or_404(
            SessionReflection.objects.select_related("session", "author"),
            pk=object_id,
            session__in=Session.objects.visible_to(request.user),
        )
        return r.text, r.session.title, r.get_absolute_url(), r.session.court_id, r.author_id, r.author.name
    if kind == TextKind.ENTRY:
        e = get_object_or_404(Entry.objects.visible_to(request.user).select_related("contest", "member"), pk=object_id)
        return e.text, e.title, e.get_absolute_url(), e.contest.court_id, e.member_id, e.member.name if e.member else ""
    raise Http404


@login_required
def originality_compare(request: HttpRequest, kind: str, object_id: int, match_id: int) -> HttpResponse:
    text, title, url, court_id, author_id, author = _checked_text(request, kind, object_id)
    if not can_see_originality(request.user, court_id=court_id, author_id=author_id):
        raise PermissionDenied
    compare = side_by_side(request.user, kind=kind, object_id=object_id, match_id=match_id, text=text)
    if compare is None:
        raise Http404
    return render(
        request,
        "activities/originality/compare.html",
        {"compare": compare, "title": title, "back_url": url, "author": author},
    )
