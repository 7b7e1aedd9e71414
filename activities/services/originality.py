"""Originality check: writes (signatures, band keys, check results) and the lookup of similar texts.

`originality_queue` is called by the services that submit or edit a 心得, a 感想 or an entry's
text: when the court has the check on, it queues `check_originality_task` after commit (the
writer's save never waits for it). The task calls `originality_check`, which is safe to run twice:
a text whose normalised content has not changed since its last check is not checked again, and
every row is keyed by (kind, object id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Q

from courtlearn.outbox import enqueue
from members.models import Court, Member

from .. import originality as engine
from ..models.originality import OriginalityCheck, OriginalityMatch, TextBand, TextKind, TextSignature

CANDIDATES = 200  # texts sharing the most band keys, compared on their signatures
SHOWN = 5  # closest texts aligned and kept per check
POSTING = 100  # rows read per band key at most (see _band_candidates)


@dataclass(frozen=True)
class CheckedText:
    """What the check needs to know of one text, whatever its kind."""

    kind: str
    object_id: int
    text: str
    court: Court
    author: Member | None
    group_key: str
    written_at: dt.datetime
    exclude_texts: tuple[str, ...]  # the book's title and recommendations, a contest's title…


def court_scope(court: Court) -> list[int]:
    """The court, the courts above it and the courts below it (three levels)."""
    ids = {court.pk}
    if court.parent_id:
        ids.add(court.parent_id)
        parent = Court.objects.filter(pk=court.parent_id).values_list("parent_id", flat=True).first()
        if parent:
            ids.add(parent)
    ids.update(Court.objects.filter(Q(parent=court) | Q(parent__parent=court)).values_list("pk", flat=True))
    return sorted(ids)


def load_texts(kind: str, object_ids: list[int]) -> dict[int, CheckedText]:
    """The texts of one kind by id (reflections still in draft are not texts to check yet)."""
    from ..models.contests import Entry
    from ..models.reading import BookRecommendation, Reflection
    from ..models.sessions import SessionReflection

    found: dict[int, CheckedText] = {}
    if kind == TextKind.REFLECTION:
        rows = (
            Reflection.objects.filter(pk__in=object_ids)
            .exclude(status=Reflection.Status.DRAFT)
            .select_related("author__court", "book")
        )
        rows = list(rows)
        book_ids = {r.book_id for r in rows if r.book_id}
        recommendations: dict[int, list[str]] = {}
        for book_id, text in BookRecommendation.objects.filter(book_id__in=book_ids).values_list("book_id", "text"):
            recommendations.setdefault(book_id, []).append(text)
        for r in rows:
            exclude = [r.book.title, *recommendations.get(r.book_id, [])] if r.book_id else []
            found[r.pk] = CheckedText(
                kind,
                r.pk,
                r.body,
                r.author.court,
                r.author,
                f"campaign:{r.campaign_id}" if r.campaign_id else "",
                r.submitted_at or r.created_at,
                tuple(exclude),
            )
    elif kind == TextKind.SESSION_REFLECTION:
        for r in SessionReflection.objects.filter(pk__in=object_ids).select_related("session__court", "author"):
            found[r.pk] = CheckedText(
                kind,
                r.pk,
                r.text,
                r.session.court,
                r.author,
                f"session:{r.session_id}",
                r.created_at,
                (r.session.title, r.session.topic),
            )
    elif kind == TextKind.ENTRY:
        for e in Entry.objects.filter(pk__in=object_ids).exclude(text="").select_related("contest__court", "member"):
            found[e.pk] = CheckedText(
                kind,
                e.pk,
                e.text,
                e.contest.court,
                e.member,
                f"contest:{e.contest_id}",
                e.created_at,
                (e.contest.title, e.contest.description),
            )
    return found


def originality_queue(*, kind: str, object_id: int, court: Court) -> None:
    """Queue the check of a text after commit, when its court has the check on (else nothing)."""
    if not court.originality_check:
        return
    from ..tasks.originality import check_originality_task

    enqueue(check_originality_task, kind, object_id)


def find_matches(
    *, fingerprint: engine.Fingerprint, court_ids: list[int], group_key: str, exclude_id: int | None
) -> list[tuple[int, float]]:
    """(signature id, estimated containment) of the earlier texts most like this one, best first.

    One index query on the band keys of the courts compared, one for the group's texts of other
    courts, one for the candidates' signatures.
    """
    ids = _band_candidates(fingerprint.bands, court_ids, exclude_id)
    if group_key:
        others = TextSignature.objects.filter(group_key=group_key).exclude(court_id__in=court_ids)
        if exclude_id is not None:
            others = others.exclude(pk=exclude_id)
        ids.extend(others.values_list("pk", flat=True)[:CANDIDATES])
    if not ids:
        return []
    rows = list(TextSignature.objects.filter(pk__in=ids).values_list("pk", "size", "minhash"))
    signatures = np.stack([engine.signature_from_bytes(m) for _pk, _size, m in rows])
    sizes = np.array([size for _pk, size, _m in rows], dtype=np.float64)
    scores = engine.containments(fingerprint.signature, fingerprint.size, signatures, sizes)
    ranked = sorted(zip((pk for pk, _s, _m in rows), scores.tolist(), strict=True), key=lambda x: -x[1])
    return [(pk, score) for pk, score in ranked if score > 0]


def _band_candidates(keys: list[int], court_ids: list[int], exclude_id: int | None) -> list[int]:
    """The signatures sharing the most band keys with these, at most POSTING rows read per key.

    A key shared by thousands of texts comes from stock phrases every text has (司法为民…): it says
    nothing about copying, and reading all its rows would make the check cost grow with the data.
    One statement, a UNION ALL of one index range per key (PostgreSQL and SQLite alike).
    """
    table = connection.ops.quote_name(TextBand._meta.db_table)
    courts = ", ".join(["%s"] * len(court_ids))
    exclude = " AND signature_id <> %s" if exclude_id is not None else ""
    part = (
        f"SELECT * FROM (SELECT signature_id FROM {table} WHERE band_key = %s AND court_id IN ({courts}){exclude}"
        f" LIMIT {POSTING}) AS b{{n}}"
    )
    sql = (
        "SELECT signature_id, COUNT(*) AS hits FROM ("
        + " UNION ALL ".join(part.format(n=n) for n in range(len(keys)))
        + ") AS found GROUP BY signature_id ORDER BY hits DESC, signature_id LIMIT %s"
    )
    params: list = []
    for key in keys:
        params += [key, *court_ids] + ([exclude_id] if exclude_id is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, CANDIDATES])
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def signature_store(*, text: CheckedText, fingerprint: engine.Fingerprint) -> TextSignature:
    """Write (or replace) a text's signature and band keys."""
    TextBand.objects.filter(signature__kind=text.kind, signature__object_id=text.object_id).delete()
    signature, _created = TextSignature.objects.update_or_create(
        kind=text.kind,
        object_id=text.object_id,
        defaults={
            "court": text.court,
            "author": text.author,
            "group_key": text.group_key,
            "written_at": text.written_at,
            "digest": fingerprint.digest,
            "size": fingerprint.size,
            "minhash": engine.signature_bytes(fingerprint.signature),
        },
    )
    TextBand.objects.bulk_create(
        TextBand(signature=signature, court_id=text.court.pk, band_key=key) for key in fingerprint.bands
    )
    return signature


def originality_check(*, kind: str, object_id: int, now: dt.datetime) -> OriginalityCheck | None:
    """Check one text against the earlier ones (the task's work). None when there is nothing to do:
    the text is gone or still a draft, or its court has the check off."""
    text = load_texts(kind, [object_id]).get(object_id)
    if text is None or not text.court.originality_check:
        return None
    fingerprint = engine.fingerprint(text.text, exclude_texts=text.exclude_texts)
    done = OriginalityCheck.objects.filter(kind=kind, object_id=object_id, digest=fingerprint.digest).first()
    if done is not None:
        return done  # this version was checked already (a second run of the task, or a save with no change)
    signature = signature_store(text=text, fingerprint=fingerprint)
    threshold = text.court.originality_threshold
    candidates = find_matches(
        fingerprint=fingerprint,
        court_ids=court_scope(text.court),
        group_key=text.group_key,
        exclude_id=signature.pk,
    )
    # The estimate from signatures has an error of a few points: align a margin below the threshold.
    close = [pk for pk, score in candidates if score * 100 >= threshold * 0.7][: SHOWN * 2]
    sources = {s.pk: s for s in TextSignature.objects.filter(pk__in=close)}
    by_kind: dict[str, list[int]] = {}
    for s in sources.values():
        by_kind.setdefault(s.kind, []).append(s.object_id)
    texts = {(k, pk): t for k, ids in by_kind.items() for pk, t in load_texts(k, ids).items()}
    matches = []
    for pk in close:
        source = sources.get(pk)
        earlier = texts.get((source.kind, source.object_id)) if source else None
        if earlier is None:
            continue
        share = engine.exact_containment(text.text, earlier.text, exclude_texts=text.exclude_texts)
        percent = round(share * 100)
        if percent >= threshold:
            spans = engine.overlapping_passages(text.text, earlier.text, exclude_texts=text.exclude_texts)
            matches.append((source, percent, spans))
    matches.sort(key=lambda m: -m[1])
    matches = matches[:SHOWN]
    with transaction.atomic():
        check, _created = OriginalityCheck.objects.update_or_create(
            kind=kind,
            object_id=object_id,
            defaults={
                "digest": fingerprint.digest,
                "similarity": matches[0][1] if matches else 0,
                "checked_at": now,
            },
        )
        OriginalityMatch.objects.filter(check_result=check).delete()
        OriginalityMatch.objects.bulk_create(
            OriginalityMatch(check_result=check, source=source, similarity=percent, spans=spans)
            for source, percent, spans in matches
        )
    return check
