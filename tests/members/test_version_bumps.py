"""Cache-version bumps never wait for a row lock, so two writers cannot deadlock over them."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from members.models import Member
from members.versions import bump_members


@pytest.mark.django_db(transaction=True)
def test_a_bump_skips_a_member_row_another_writer_holds_instead_of_waiting(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (CI runs it)")
    before = dict(Member.objects.values_list("pk", "cache_version"))
    holding, done = threading.Event(), threading.Event()

    def organizer_editing_the_member():
        with transaction.atomic():
            Member.objects.select_for_update().get(pk=cast.member.pk)
            holding.set()
            done.wait(30)
        connections.close_all()

    other = threading.Thread(target=organizer_editing_the_member)
    other.start()
    assert holding.wait(30)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # a bump that waited would fail here, not hang
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            bump_members([cast.member.pk, cast.colleague.pk])
    finally:
        done.set()
        other.join(30)
    after = dict(Member.objects.values_list("pk", "cache_version"))
    assert after[cast.colleague.pk] == before[cast.colleague.pk] + 1
    assert after[cast.member.pk] == before[cast.member.pk]  # skipped: its writer bumps it anyway
