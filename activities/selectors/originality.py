"""Originality check: what a reviewer is shown of a text's similar earlier texts.

Only the texts the reviewer may read are named (author, date, title, passages); the others are
counted. The writer is shown nothing: a reviewer is an organizer of the text's court or a leader
above it, never its author. A page shows any number of texts' results in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from courtlearn.text import in_quotes
from members.access import current_member, is_leader_of, is_organizer_of

from .. import originality as engine
from ..models.originality import OriginalityCheck, OriginalityMatch, TextKind


def can_see_originality(user, *, court_id: int, author_id: int | None) -> bool:
    """Organizers of the text's court and leaders above it see the check; its writer does not."""
    member = current_member(user)
    if member is not None and member.pk == author_id:
        return False
    return is_organizer_of(user, court_id) or is_leader_of(user, court_id)


@dataclass
class SimilarText:
    match_id: int
    similarity: int
    kind: str
    object_id: int
    author: str
    written_at: dt.datetime
    title: str
    url: str

    @property
    def kind_label(self) -> str:
        return TextKind(self.kind).label

    @property
    def quoted_title(self) -> str:
        # Always in quotes: it follows the text kind in the sentence (的读书心得“读《乡土中国》有感”相似),
        # where a bare title with book-title marks would run into the words around it.
        return f"“{in_quotes(self.title)}”"


@dataclass
class OriginalityReport:
    kind: str
    object_id: int
    similarity: int
    checked_at: dt.datetime
    shown: list[SimilarText] = field(default_factory=list)
    hidden: int = 0  # similar texts the reviewer may not read: counted, not named

    @property
    def closest(self) -> SimilarText | None:
        return self.shown[0] if self.shown else None


def _visible_titles(user, kind: str, object_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(title, url) of the texts of one kind the user may read."""
    from ..models.contests import Entry
    from ..models.reading import Reflection
    from ..models.sessions import Session, SessionReflection

    if not object_ids:
        return {}
    if kind == TextKind.REFLECTION:
        rows = Reflection.objects.visible_to(user).filter(pk__in=object_ids).values_list("pk", "title")
        return {pk: (title, reverse("activities:reading_reflection_detail", args=[pk])) for pk, title in rows}
    if kind == TextKind.SESSION_REFLECTION:
        rows = (
            SessionReflection.objects.filter(pk__in=object_ids, session__in=Session.objects.visible_to(user))
            .values_list("pk", "session_id", "session__title")
            .order_by()
        )
        return {
            pk: (title, reverse("activities:sessions_detail", args=[session_id]) + f"#reflection-{pk}")
            for pk, session_id, title in rows
        }
    if kind == TextKind.ENTRY:
        rows = Entry.objects.visible_to(user).filter(pk__in=object_ids).values_list("pk", "title").order_by()
        return {pk: (title, reverse("activities:entry_detail", args=[pk])) for pk, title in rows}
    return {}


def originality_reports(user, *, kind: str, object_ids: list[int]) -> dict[int, OriginalityReport]:
    """The checks of these texts (by object id) as the user may see them: 2 to 5 queries in all.
    The caller decides who may see a check at all (`can_see_originality`)."""
    checks = list(OriginalityCheck.objects.filter(kind=kind, object_id__in=object_ids))
    if not checks:
        return {}
    matches = list(OriginalityMatch.objects.filter(check_result__in=checks).select_related("source", "source__author"))
    wanted: dict[str, set[int]] = {}
    for match in matches:
        wanted.setdefault(match.source.kind, set()).add(match.source.object_id)
    visible = {k: _visible_titles(user, k, sorted(ids)) for k, ids in wanted.items()}
    reports = {c.object_id: OriginalityReport(kind, c.object_id, c.similarity, c.checked_at) for c in checks}
    by_check = {c.pk: reports[c.object_id] for c in checks}
    for match in matches:
        report = by_check[match.check_result_id]
        source = match.source
        named = visible.get(source.kind, {}).get(source.object_id)
        if named is None:
            report.hidden += 1
            continue
        report.shown.append(
            SimilarText(
                match_id=match.pk,
                similarity=match.similarity,
                kind=source.kind,
                object_id=source.object_id,
                author=source.author.name if source.author else "",
                written_at=source.written_at,
                title=named[0],
                url=named[1],
            )
        )
    for report in reports.values():
        report.shown.sort(key=lambda s: -s.similarity)
    return reports


def originality_report(user, *, kind: str, object_id: int) -> OriginalityReport | None:
    return originality_reports(user, kind=kind, object_ids=[object_id]).get(object_id)


@dataclass
class SideBySide:
    similar: SimilarText
    text_parts: list[tuple[str, bool]]
    source_parts: list[tuple[str, bool]]


def side_by_side(user, *, kind: str, object_id: int, match_id: int, text: str) -> SideBySide | None:
    """Both texts cut into highlighted and plain parts; None when the reviewer may not read the source."""
    from ..services.originality import load_texts

    report = originality_report(user, kind=kind, object_id=object_id)
    similar = next((s for s in report.shown if s.match_id == match_id), None) if report else None
    if similar is None:
        return None
    source = load_texts(similar.kind, [similar.object_id]).get(similar.object_id)
    if source is None:
        return None
    spans = OriginalityMatch.objects.values_list("spans", flat=True).get(pk=match_id)
    return SideBySide(
        similar=similar,
        text_parts=engine.split_spans(text, spans.get("text", [])),
        source_parts=engine.split_spans(source.text, spans.get("source", [])),
    )
