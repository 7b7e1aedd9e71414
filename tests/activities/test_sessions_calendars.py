"""Calendars, the iCal feed, 我的学习, the monthly package — and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from activities.models import CalendarFeedToken
from activities.services import sessions as services
from tests.factories import make_member

from . import sessions_factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")


def populate(cast, n: int):
    """n sessions this month with speakers, attendance, materials; a group with n members."""
    group = f.study_group(cast)
    for i in range(n):
        extra = make_member(cast.court, f"成员{i}", department=cast.department)
        f.membership(group, extra)
        session = f.make_session(
            cast.court,
            start=around_now(i),
            speakers=(extra, cast.member) if i % 2 else (extra,),
            audience_court=False,
            groups=(group,),
            unit_group=group,
            rota=f.rota(cast),
        )
        session.audience_departments.set([cast.department])
        f.attended(session, cast.member)
        f.attended(session, extra, status="late")
    return group


def around_now(i: int) -> dt.datetime:
    """Alternately just before and just after now, so every list (coming, past, this week) has rows."""
    hours = (i + 1) * (1 if i % 2 == 0 else -1)
    return timezone.now() + dt.timedelta(hours=hours)


PAGES = [
    ("activities:sessions_list", lambda c, g: [], "?when=past"),
    ("activities:sessions_list", lambda c, g: [], ""),
    ("activities:sessions_calendar", lambda c, g: [], ""),
    ("activities:sessions_calendar", lambda c, g: [], "?view=week"),
    ("activities:sessions_calendar_court", lambda c, g: [], ""),
    ("activities:sessions_calendar_group", lambda c, g: [g.pk], ""),
    ("my_learning", lambda c, g: [], ""),
    ("activities:sessions_rota_detail", lambda c, g: [f.rota(c).pk], ""),
]


@pytest.mark.parametrize("url_name, args, query", PAGES, ids=[p[0] + p[2] for p in PAGES])
def test_query_counts_do_not_grow_with_the_data(cast, django_assert_max_num_queries, url_name, args, query):
    client = cast.client_for("member")
    group = populate(cast, 3)
    url = reverse(url_name, args=args(cast, group)) + query
    client.get(url)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caches["fragments"].clear()  # compare uncached renders: cached panels and counts would hide an N+1
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    populate_more(cast, group, 25)
    caches["fragments"].clear()
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def populate_more(cast, group, n):
    for i in range(n):
        extra = make_member(cast.court, f"新成员{i}", department=cast.department)
        f.membership(group, extra)
        session = f.make_session(
            cast.court,
            start=around_now(i + 3),
            speakers=(extra,),
            audience_court=False,
            groups=(group,),
            unit_group=group,
            rota=f.rota(cast),
        )
        f.attended(session, cast.member)


def test_organizer_quarter_view_query_count(cast, django_assert_max_num_queries):
    group = populate(cast, 3)
    client = cast.client_for("organizer")
    today = timezone.localdate()
    url = (
        reverse("activities:sessions_quarter")
        + f"?group={group.pk}&year={today.year}&quarter={(today.month - 1) // 3 + 1}"
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    populate_more(cast, group, 25)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_my_calendar_shows_my_sessions_and_holidays(cast):
    mine = f.make_session(cast.court, start=dt.datetime(2026, 10, 12, 8, 30, tzinfo=SHANGHAI), title="我的周分享")
    not_mine = f.make_session(
        cast.court, start=dt.datetime(2026, 10, 13, 8, 30, tzinfo=SHANGHAI), title="别人的会", audience_court=False
    )
    not_mine.audience_branches.set([])
    page = cast.client_for("member").get(reverse("activities:sessions_calendar") + "?date=2026-10-01").content.decode()
    assert "我的周分享" in page and "别人的会" not in page and "国庆节" in page
    week = cast.client_for("member").get(reverse("activities:sessions_calendar") + "?view=week&date=2026-10-14")
    assert "我的周分享" in week.content.decode()
    court_page = cast.client_for("colleague").get(reverse("activities:sessions_calendar_court") + "?date=2026-10-01")
    assert "别人的会" in court_page.content.decode()
    # A leader of the city court picks a court below; the outsider cannot pick ours.
    city = cast.client_for("city_leader").get(
        reverse("activities:sessions_calendar_court") + f"?court={cast.court.pk}&date=2026-10-01"
    )
    assert "我的周分享" in city.content.decode()
    assert (
        cast.client_for("outsider")
        .get(reverse("activities:sessions_calendar_court") + f"?court={cast.court.pk}")
        .status_code
        == 404
    )
    assert mine.pk


def test_ical_feed_behind_a_revocable_token(cast, client):
    session = f.make_session(cast.court, speakers=(cast.member,), title="周分享")
    member = cast.client_for("member")
    member.post(reverse("activities:sessions_feed"), {"action": "issue"})
    token = CalendarFeedToken.objects.get(member=cast.member).token
    url = reverse("activities:sessions_ical", args=[token])
    response = client.get(url)  # no login: the token is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1 and "周分享" in str(events[0]["SUMMARY"])
    assert events[0].decoded("DTSTART") == session.start.replace(microsecond=0)
    member.post(reverse("activities:sessions_feed"), {"action": "issue"})
    assert client.get(url).status_code == 404  # the old address stops working
    new_token = CalendarFeedToken.objects.get(member=cast.member).token
    member.post(reverse("activities:sessions_feed"), {"action": "revoke"})
    assert client.get(reverse("activities:sessions_ical", args=[new_token])).status_code == 404
    assert not CalendarFeedToken.objects.exists()


def test_my_learning_panel_lists_sessions_turns_and_history(cast):
    now = timezone.now()
    open_now = f.make_session(cast.court, start=now + dt.timedelta(minutes=10), title="正在签到")
    turn = f.make_session(cast.court, start=now + dt.timedelta(days=3), title="我主讲", speakers=(cast.member,))
    past = f.make_session(cast.court, start=now - dt.timedelta(days=3), title="上周学习")
    f.attended(past, cast.member)
    page = cast.client_for("member").get(reverse("my_learning")).content.decode()
    assert 'id="panel-sessions"' in page
    assert reverse("activities:sessions_sign_in", args=[open_now.pk]) in page
    assert "我主讲" in page and "上周学习" in page
    assert turn.pk
    manage = cast.client_for("organizer").get(reverse("manage")).content.decode()
    assert 'id="organizer-panel-sessions"' in manage


def test_monthly_package_zip_has_notice_sheet_minutes_and_photos(cast):
    start = dt.datetime(2026, 10, 20, 15, 0, tzinfo=SHANGHAI)
    held = f.make_session(cast.court, start=start, title="主题党日", unit_branch=cast.branch, audience_court=False)
    held.audience_branches.set([cast.branch])
    f.attended(held, cast.member)
    services.session_record(actor=cast.organizer, session=held, minutes="一、重温入党誓词", now=start)
    f.photo(held)
    f.make_session(cast.court, start=start + dt.timedelta(days=40), title="下月的", unit_branch=cast.branch)
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_package")
    response = client.get(url, {"unit": f"branch:{cast.branch.pk}", "month": "2026-10", "download": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 2  # notice and minutes
    assert len([n for n in names if n.endswith(".xlsx")]) == 1
    assert len([n for n in names if n.endswith(".png")]) == 1
    assert all("下月的" not in n for n in names)
    sheet_name = next(n for n in names if n.endswith(".xlsx"))
    book = load_workbook(io.BytesIO(archive.read(sheet_name)))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row if cell]
    assert "张明" in values
    # Bad input: a clear form error, no 500.
    for bad in (
        {"unit": "branch:999999", "month": "2026-10"},
        {"unit": f"branch:{cast.branch.pk}", "month": "2026-13"},
    ):
        assert client.get(url, {**bad, "download": "1"}).status_code == 200
    empty = client.get(url, {"unit": f"branch:{cast.branch.pk}", "month": "2025-01", "download": "1"})
    assert empty["Content-Type"].startswith("text/html")
