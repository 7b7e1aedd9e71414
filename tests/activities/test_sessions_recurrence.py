"""Planning a quarter: recurrences across holidays, make-up working days and month ends (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from activities.models import CalendarDay, HolidayCalendar
from activities.selectors.sessions import (
    LAST,
    NEXT_WORKING_DAY,
    RecurrenceRule,
    WorkCalendar,
    nth_weekday,
    plan_occurrences,
    quarter_bounds,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


def held(occurrences):
    return [o.day for o in occurrences if not o.skipped]


def skipped(occurrences):
    return [(o.day, o.holiday) for o in occurrences if o.skipped]


@pytest.fixture
def cal(db) -> WorkCalendar:
    return WorkCalendar.load(D(2026, 1, 1), D(2027, 12, 31))


def test_shipped_calendar_has_2026_official_and_2027_provisional(db):
    assert HolidayCalendar.objects.get(year=2026).provisional is False
    assert HolidayCalendar.objects.get(year=2027).provisional is True
    assert CalendarDay.objects.filter(date__year=2026, kind="holiday").count() == 3 + 9 + 3 + 5 + 3 + 3 + 7
    workdays = set(CalendarDay.objects.filter(kind="workday").values_list("date", flat=True))
    assert workdays == {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)}


def test_weekly_monday_share_skips_national_day_week_in_q4(cal):
    first, last = quarter_bounds(2026, 4)
    rule = RecurrenceRule(frequency="weekly", weekday=0, start_time=dt.time(8, 30), duration_minutes=45)
    occurrences = plan_occurrences(rule, first, last, cal)
    assert skipped(occurrences) == [(D(2026, 10, 5), "国庆节")]
    days = held(occurrences)
    assert days[0] == D(2026, 10, 12) and days[-1] == D(2026, 12, 28)
    assert len(days) == 12
    # 08:30 in Shanghai is 00:30 UTC on the same day.
    start = occurrences[1].start
    assert start.tzinfo is not None and start.astimezone(dt.UTC) == dt.datetime(2026, 10, 12, 0, 30, tzinfo=dt.UTC)
    assert occurrences[1].end - start == dt.timedelta(minutes=45)


def test_weekly_share_moved_to_next_working_day_never_collides(cal):
    rule = RecurrenceRule(frequency="weekly", weekday=0, start_time=dt.time(8, 30), on_holiday=NEXT_WORKING_DAY)
    occurrences = plan_occurrences(rule, D(2026, 2, 9), D(2026, 3, 8), cal)
    # Feb 16 and Feb 23 are both 春节 Mondays: Feb 16 would move to Feb 24, which is after the
    # next Monday, so it is skipped; Feb 23 moves to Tuesday Feb 24.
    assert held(occurrences) == [D(2026, 2, 9), D(2026, 2, 24), D(2026, 3, 2)]
    assert [o.moved_from for o in occurrences if o.moved_from] == [D(2026, 2, 23)]
    assert skipped(occurrences) == [(D(2026, 2, 16), "春节")]


def test_first_working_day_of_month_counts_make_up_days_and_skips_holidays(cal):
    rule = RecurrenceRule(frequency="monthly", weekday=None, ordinal=1, start_time=dt.time(15, 0))
    days = held(plan_occurrences(rule, D(2026, 1, 1), D(2026, 12, 31), cal))
    assert days[0] == D(2026, 1, 4)  # Sunday, but a make-up working day after 元旦
    assert days[1] == D(2026, 2, 2)
    assert days[4] == D(2026, 5, 6)  # 劳动节 May 1–5
    assert days[9] == D(2026, 10, 8)  # 国庆节 Oct 1–7


def test_last_working_day_at_month_end_is_a_make_up_saturday(cal):
    rule = RecurrenceRule(frequency="monthly", weekday=None, ordinal=LAST, start_time=dt.time(16, 0))
    days = held(plan_occurrences(rule, D(2026, 1, 1), D(2026, 12, 31), cal))
    assert D(2026, 2, 28) in days  # Saturday 调休 is the last working day of February
    assert D(2026, 1, 30) in days and D(2026, 5, 29) in days and D(2026, 9, 30) in days
    assert len(days) == 12


def test_monthly_first_wednesday_and_last_friday_across_month_ends(cal):
    first_wed = RecurrenceRule(frequency="monthly", weekday=2, ordinal=1, start_time=dt.time(14, 30))
    occurrences = plan_occurrences(first_wed, *quarter_bounds(2026, 3), cal)
    assert held(occurrences) == [D(2026, 7, 1), D(2026, 8, 5), D(2026, 9, 2)]
    last_fri = RecurrenceRule(frequency="monthly", weekday=4, ordinal=LAST, start_time=dt.time(14, 30))
    assert held(plan_occurrences(last_fri, *quarter_bounds(2026, 1), cal)) == [
        D(2026, 1, 30),
        D(2026, 2, 27),
        D(2026, 3, 27),
    ]
    # A fifth Thursday exists only in some months.
    assert nth_weekday(2026, 10, 3, 5) == D(2026, 10, 29)
    assert nth_weekday(2026, 11, 3, 5) is None


def test_quarterly_exchange_on_the_last_month_of_each_quarter(cal):
    rule = RecurrenceRule(frequency="quarterly", weekday=3, ordinal=LAST, month_in_quarter=3, start_time=dt.time(15, 0))
    occurrences = plan_occurrences(rule, D(2026, 1, 1), D(2026, 12, 31), cal)
    assert held(occurrences) == [D(2026, 3, 26), D(2026, 6, 25), D(2026, 9, 24), D(2026, 12, 31)]


def test_quarterly_on_a_holiday_is_skipped_with_its_name(cal):
    rule = RecurrenceRule(frequency="quarterly", weekday=3, ordinal=1, month_in_quarter=1, start_time=dt.time(9, 0))
    occurrences = plan_occurrences(rule, D(2026, 10, 1), D(2026, 12, 31), cal)
    assert skipped(occurrences) == [(D(2026, 10, 1), "国庆节")]


def test_early_morning_session_on_the_first_belongs_to_that_local_month(cal, cast):
    from activities.models import Session, SessionKind

    kind = SessionKind.objects.get(code="collective_study")
    start = dt.datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI)  # Nov 30, 23:00 UTC
    session = Session.objects.create(
        court=cast.court, kind=kind, title="晨学", start=start, end=start + dt.timedelta(hours=1)
    )
    assert list(Session.objects.between(D(2026, 12, 1), D(2026, 12, 31))) == [session]
    assert not Session.objects.between(D(2026, 11, 1), D(2026, 11, 30)).exists()


def test_provisional_year_is_known(cal):
    assert 2027 in cal.provisional_years and 2026 not in cal.provisional_years
    assert cal.is_holiday(D(2027, 2, 6)) and cal.holiday_name(D(2027, 10, 1)) == "国庆节"
