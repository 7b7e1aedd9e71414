"""Months, quarters and years in Asia/Shanghai."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reports.periods import MONTH, QUARTER, YEAR, Period

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_record_at_2359_on_the_31st_belongs_to_that_month():
    october = Period(MONTH, dt.date(2026, 10, 1))
    start, end = october.bounds()
    late = dt.datetime(2026, 10, 31, 23, 59, tzinfo=SHANGHAI)
    assert start <= late < end
    # The same instant in UTC is still October in Shanghai.
    assert start <= late.astimezone(dt.UTC) < end
    assert not (start <= dt.datetime(2026, 11, 1, 0, 0, tzinfo=SHANGHAI) < end)


def test_quarter_and_year_boundaries():
    q4 = Period.containing(QUARTER, dt.date(2026, 11, 22))
    assert q4.start == dt.date(2026, 10, 1) and q4.end == dt.date(2027, 1, 1)
    assert q4.previous() == Period(QUARTER, dt.date(2026, 7, 1))
    assert Period.containing(YEAR, dt.date(2026, 2, 2)).end == dt.date(2027, 1, 1)
    assert [p.key for p in Period(MONTH, dt.date(2026, 1, 1)).back(3)] == ["2025-11", "2025-12", "2026-01"]
    assert [p.key for p in q4.months_in()] == ["2026-10", "2026-11", "2026-12"]


@pytest.mark.parametrize("key", ["2026-10", "2026-Q3", "2026", "2026-q1"])
def test_keys_round_trip(key):
    assert Period.from_key(key).key == key.upper()


@pytest.mark.parametrize("key", ["", "2026-13", "2026-Q5", "abc", "1999", "2026-10-01", "２０２６"])
def test_bad_keys_are_refused(key):
    with pytest.raises(ValueError):
        Period.from_key(key)


def test_a_period_must_start_on_its_first_day():
    with pytest.raises(ValueError):
        Period(QUARTER, dt.date(2026, 2, 1))
