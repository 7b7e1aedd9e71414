"""The site admin's set-up pages (404 for everyone but a superuser) and a court's holidays."""

from __future__ import annotations

import datetime as dt

from activities.models import CourtCalendarDay

from . import Case, everyone

# A court's calendar: its organizers; people who see the court but do not organize it get 403.
MANAGE = everyone(403, organizer=200, outsider=404)


def own_day(cast) -> list:
    return [
        CourtCalendarDay.objects.create(court=cast.court, date=dt.date(2026, 12, 7), kind="holiday", name="院庆").pk
    ]


CASES = [
    Case("members:setup_courts", everyone(404)),
    Case("members:setup_court_new", everyone(404)),
    Case("members:setup_court_new", everyone(404), method="post", data=lambda cast: {"name": "新院", "code": "xy"}),
    Case("members:setup_court", everyone(404), args=lambda cast: [cast.court.pk]),
    Case(
        "members:setup_court",
        everyone(404),
        args=lambda cast: [cast.court.pk],
        method="post",
        data=lambda cast: {"action": "pick", "pick-member": cast.member.pk, "pick-role": "organizer"},
    ),
    Case("members:setup_court_edit", everyone(404), args=lambda cast: [cast.court.pk]),
    Case("activities:holidays", MANAGE, args=lambda cast: [cast.court.pk]),
    Case(
        "activities:holidays",
        everyone(403, organizer=302, outsider=404),
        args=lambda cast: [cast.court.pk],
        method="post",
        data=lambda cast: {"date": "2026-12-07", "kind": "holiday", "name": "院庆"},
    ),
    Case("activities:holidays", everyone(404, outsider=403, city_leader=403), args=lambda cast: [cast.other_court.pk]),
    Case("activities:holidays_delete", everyone(403, organizer=302, outsider=404), args=own_day, method="post"),
]
