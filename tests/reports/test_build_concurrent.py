"""Two builds of the same court and period at once: no duplicate rows, and the right numbers.

PostgreSQL only (CI): the test holds a lock on the court's summary row so that both builds
reach their upsert while the other is still running, then lets them go.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from reports.models import Summary, UnitKind
from reports.periods import MONTH, Period
from reports.services import compute_court_values, summary_build
from tests.activities.reading_factories import make_book, make_log

OCTOBER = Period(MONTH, dt.date(2026, 10, 1))


@pytest.mark.django_db(transaction=True)
def test_two_builds_at_once_leave_one_row_per_unit_with_the_right_numbers(cast, reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (CI runs it)")
    make_log(cast.member, make_book(), day=dt.date(2026, 10, 3), finished=True)
    summary_build(court=cast.court, period=OCTOBER)  # the court row exists, so it can be locked
    make_log(cast.colleague, make_book(title="第二本"), day=dt.date(2026, 10, 4))  # news for both builds

    errors: list[BaseException] = []

    def build():
        try:
            summary_build(court=cast.court, period=OCTOBER)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build) for _ in range(2)]
    with transaction.atomic():
        Summary.objects.select_for_update().get(
            period_start=OCTOBER.start, unit_kind=UnitKind.COURT, unit_id=cast.court.pk
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=1)  # both are now waiting on the lock
        assert all(thread.is_alive() for thread in threads)
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    rows = list(Summary.objects.filter(period_start=OCTOBER.start, court=cast.court))
    assert len(rows) == len({(r.unit_kind, r.unit_id) for r in rows})
    fresh = compute_court_values(court=cast.court, period=OCTOBER)
    assert {(r.unit_kind, r.unit_id): r.values for r in rows} == fresh
    assert fresh[(UnitKind.MEMBER, cast.colleague.pk)]["reading_logs"] == 1
