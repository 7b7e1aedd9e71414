"""Version counters of cached page fragments, kept in the rows every request loads anyway.

A cached fragment's key holds the member's and the court's `cache_version`, read from the
database with the member (see members.access.current_member). Writes raise the counters with
an UPDATE in the writer's transaction, so every process and node sees the new key at once,
whatever the cache backend (an in-process cache included).

A bump never waits for a row another transaction holds (PostgreSQL: FOR UPDATE SKIP LOCKED).
Waiting could deadlock two writers that bump a member and its court in opposite orders (an
organizer publishing a session and notifying members while another edits a member). A bump
skipped that way costs little: the other transaction is writing to the same row and bumps it
too, and every cached fragment also expires with its one-minute time bucket.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import F, Model

from .models import Court, Member


def _bump(model: type[Model], ids: list[int] | None) -> None:
    """Raise `cache_version` of these rows (all rows when ids is None), never waiting for a lock."""
    if connection.vendor != "postgresql":  # SQLite locks the whole database, not rows: no cycle
        rows = model.objects.all() if ids is None else model.objects.filter(pk__in=ids)
        rows.update(cache_version=F("cache_version") + 1)
        return
    table = model._meta.db_table
    where = "" if ids is None else " WHERE id = ANY(%s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET cache_version = cache_version + 1"
            f" WHERE id IN (SELECT id FROM {table}{where} FOR UPDATE SKIP LOCKED)",
            [] if ids is None else [ids],
        )


def bump_members(ids: Iterable[int | None]) -> None:
    """Something a member's own panels show changed (their logs, plans, attempts, attendance…)."""
    wanted = sorted({pk for pk in ids if pk})
    if wanted:
        _bump(Member, wanted)


def bump_courts(ids: Iterable[int | None]) -> None:
    """Something every member of the court may see changed (sessions, campaigns, quizzes…)."""
    wanted = sorted({pk for pk in ids if pk})
    if wanted:
        _bump(Court, wanted)


def bump_all_courts() -> None:
    """Shared data changed (the book catalogue, session kinds): rare, so every court starts afresh."""
    _bump(Court, None)
