"""A court's holidays and 调休 days: the national calendar, overridden by the courts above, then by its own.

Quarter planning reads the effective calendar of the organizer's court. In 2026 (official), the
national arrangement has 国庆节 from October 1 to 7 and a make-up working Saturday on October 10.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from activities.models import CourtCalendarDay
from activities.selectors.sessions import RecurrenceRule, WorkCalendar, plan_occurrences, quarter_bounds
from activities.services import sessions as services
from members.models import AuditEvent
from tests.factories import make_court, make_group

from . import sessions_factories as f

D = dt.date
MONDAYS_Q4 = RecurrenceRule(frequency="weekly", start_time=dt.time(8, 30), weekday=0)


def planned_days(court, rule=MONDAYS_Q4, year=2026, quarter=4) -> list[dt.date]:
    first, last = quarter_bounds(year, quarter)
    return [o.day for o in plan_occurrences(rule, first, last, WorkCalendar.load(first, last, court)) if not o.skipped]


def preview_days(client, group) -> list[dt.date]:
    """The organizer's quarter-planning preview for 2026 Q4, Mondays at 8:30: the dates it would publish."""
    data = {
        "kind": f.kind().pk,
        "title": "周一学习例会",
        "unit": f"group:{group.pk}",
        "year": 2026,
        "quarter": 4,
        "frequency": "weekly",
        "weekday": "0",
        "ordinal": "1",
        "month_in_quarter": "1",
        "start_time": "08:30",
        "duration_minutes": "45",
        "on_holiday": "skip",
        "place": "三楼会议室",
        "action": "preview",
    }
    response = client.post(reverse("activities:sessions_plan"), data)
    assert response.status_code == 200
    return [row["occurrence"].day for row in response.context["preview"]["rows"] if not row["occurrence"].skipped]


def test_a_courts_own_working_day_is_planned_on(cast):
    group = make_group(cast.court, "青年理论学习小组", members=[cast.member])
    client = cast.client_for("organizer")
    assert D(2026, 10, 5) not in preview_days(client, group)  # 国庆节, national
    # The court works on Monday October 5 (a trial week): the organizer says so on the holidays page.
    response = client.post(
        reverse("activities:holidays", args=[cast.court.pk]),
        {"date": "2026-10-05", "kind": "workday", "name": "审判周"},
    )
    assert response.status_code == 302
    assert D(2026, 10, 5) in preview_days(client, group)
    # A 调休 weekend day (Sunday November 1) counts for "the first working day of the month" too.
    first_working_day = RecurrenceRule(frequency="monthly", start_time=dt.time(9), weekday=None, ordinal=1)
    assert planned_days(cast.court, first_working_day)[1] == D(2026, 11, 2)
    services.court_calendar_day_set(
        actor=cast.organizer.user, court=cast.court, date=D(2026, 11, 1), kind="workday", name="调休上班"
    )
    assert planned_days(cast.court, first_working_day)[1] == D(2026, 11, 1)


def test_a_parents_holiday_is_skipped_below_and_another_court_is_unaffected(cast):
    elsewhere = make_court("白城市中级人民法院", "bc")
    services.court_calendar_day_set(
        actor=cast.city_leader.user, court=cast.city, date=D(2026, 11, 16), kind="holiday", name="市院院庆"
    )
    assert D(2026, 11, 16) not in planned_days(cast.court)  # a basic court under the city
    assert D(2026, 11, 16) not in planned_days(cast.other_court)  # its sibling too
    assert D(2026, 11, 16) in planned_days(elsewhere)  # a court of another city: unaffected
    # The basic court's own day wins over its parent's.
    services.court_calendar_day_set(
        actor=cast.organizer.user, court=cast.court, date=D(2026, 11, 16), kind="workday", name="照常上班"
    )
    assert D(2026, 11, 16) in planned_days(cast.court)
    assert D(2026, 11, 16) not in planned_days(cast.other_court)
    # A court's own holiday leaves its sibling alone.
    services.court_calendar_day_set(
        actor=cast.organizer.user, court=cast.court, date=D(2026, 12, 7), kind="holiday", name="院庆"
    )
    assert D(2026, 12, 7) not in planned_days(cast.court)
    assert D(2026, 12, 7) in planned_days(cast.other_court)


def test_the_holidays_page_says_where_each_day_comes_from_and_removes_the_courts_own(cast):
    services.court_calendar_day_set(
        actor=cast.city_leader.user, court=cast.city, date=D(2026, 11, 16), kind="holiday", name="市院院庆"
    )
    own = services.court_calendar_day_set(
        actor=cast.organizer.user, court=cast.court, date=D(2026, 10, 5), kind="workday", name="审判周"
    )
    client = cast.client_for("organizer")
    url = reverse("activities:holidays", args=[cast.court.pk])
    page = client.get(url, {"year": 2026}).content.decode()
    assert "国家安排" in page and "松原市中级人民法院" in page and "市院院庆" in page
    assert "替代“国庆节”" in page  # the court's working day replaces the national holiday
    rows = client.get(url, {"year": 2026}).context["rows"]
    removable = [day.date for day, mine in rows if mine is not None]
    assert removable == [D(2026, 10, 5)]  # only the court's own day can be removed here
    response = client.post(reverse("activities:holidays_delete", args=[own.pk]))
    assert response.status_code == 302
    assert not CourtCalendarDay.objects.filter(court=cast.court).exists()
    assert D(2026, 10, 5) not in planned_days(cast.court)  # the national holiday again
    actions = set(AuditEvent.objects.filter(court=cast.court).values_list("action", flat=True))
    assert {"calendar.day_set", "calendar.day_removed"} <= actions


def test_setting_a_date_again_changes_it_and_bad_input_is_a_form_error(cast):
    client = cast.client_for("organizer")
    url = reverse("activities:holidays", args=[cast.court.pk])
    client.post(url, {"date": "2026-12-07", "kind": "holiday", "name": "院庆"})
    client.post(url, {"date": "2026-12-07", "kind": "workday", "name": "照常上班"})
    day = CourtCalendarDay.objects.get(court=cast.court)
    assert (day.kind, day.name) == ("workday", "照常上班")
    for bad in (
        {"date": "2026-13-01", "kind": "holiday", "name": "x"},
        {"date": "1900-01-01", "kind": "holiday", "name": "x"},
        {"date": "2026-12-08", "kind": "closed", "name": "x"},
        {"date": "2026-12-08", "kind": "holiday", "name": "   "},
    ):
        response = client.post(url, bad)
        assert response.status_code == 200 and response.context["form"].errors
    assert CourtCalendarDay.objects.count() == 1
    assert client.get(url, {"year": "abc"}).status_code == 200


def test_the_holidays_page_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    client = cast.client_for("organizer")
    url = reverse("activities:holidays", args=[cast.court.pk])
    client.get(url, {"year": 2026})
    with django_assert_max_num_queries(10):
        client.get(url, {"year": 2026})
    for n in range(1, 29):
        services.court_calendar_day_set(
            actor=cast.organizer.user, court=cast.court, date=D(2026, 3, 1) + dt.timedelta(days=n), kind="holiday",
            name=f"第{n}天",
        )  # fmt: skip
        CourtCalendarDay.objects.create(
            court=cast.city, date=D(2026, 6, 1) + dt.timedelta(days=n), kind="holiday", name="市"
        )
    with django_assert_max_num_queries(10):
        response = client.get(url, {"year": 2026})
    assert len(response.context["rows"]) > 56
