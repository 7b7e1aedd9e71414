"""What the issue's nits asked: times are 24-hour, numbers are plain, quotation marks are never doubled."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from PIL import ImageDraw

from activities.models import Session
from activities.services import sessions as session_services
from activities.services.contests.awards import render_certificate
from courtlearn.text import in_quotes, plain_number, quoted, strip_quotes
from courtlearn.widgets import DateTime24Widget, Time24Input, normalize_time_text
from members.models import Notification
from reports.dashboard import _event
from tests.activities.contests_helpers import add_entry, give_award, make_contest
from tests.activities.sessions_factories import make_session

SHANGHAI = dt.timezone(dt.timedelta(hours=8))

# --- quotes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("周分享", "“周分享”"),
        ("“书香法院”征文比赛", "“书香法院”征文比赛"),  # as the court wrote it: never ““书香法院”征文比赛”
        ("“书香法院征文比赛”", "“书香法院征文比赛”"),
        ('"书香法院"征文比赛', "“书香法院”征文比赛"),  # straight quotes pasted from elsewhere
        ("《红岩》读书会", "《红岩》读书会"),
        ("  一刻钟  微党课 ", "“一刻钟 微党课”"),
        ("", ""),
    ],
)
def test_a_title_is_quoted_once(title, expected):
    assert quoted(title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("周一学习例会", "周一学习例会"),
        ("“周一学习例会”", "周一学习例会"),  # the message's own quotes are enough
        ("“书香法院”征文比赛", "‘书香法院’征文比赛"),  # nested as Chinese nests them
        ("“书香”与“法院”", "‘书香’与‘法院’"),  # first and last marks are not one pair: kept
    ],
)
def test_a_title_inside_a_messages_quotes_is_never_quoted_twice(title, expected):
    assert in_quotes(title) == expected
    assert "““" not in f"“{in_quotes(title)}”" and "””" not in f"“{in_quotes(title)}”"


def test_strip_quotes_only_takes_a_pair_around_the_whole_title():
    assert strip_quotes("““双重””") == "双重"
    assert strip_quotes("“书香”与“法院”") == "“书香”与“法院”"


def drawn_text(monkeypatch) -> list[str]:
    texts: list[str] = []
    original = ImageDraw.ImageDraw.text

    def record(self, xy, text, *args, **kwargs):
        texts.append(text)
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", record)
    return texts


def test_the_certificate_names_a_quoted_contest_without_doubling_the_quotes(cast, monkeypatch):
    contest = make_contest(cast.court, title="“书香法院”征文比赛")
    award = give_award(contest, add_entry(contest, cast.member, "读书征文"))
    texts = drawn_text(monkeypatch)
    render_certificate(award, dt.date(2026, 12, 6))
    body = "".join(texts)
    assert "在“书香法院”征文比赛中荣获“" in body
    assert "““" not in body and "””" not in body

    plain = make_contest(cast.court, title="周分享演讲比赛")
    award = give_award(plain, add_entry(plain, cast.colleague, "演讲"))
    texts.clear()
    render_certificate(award, dt.date(2026, 12, 6))
    assert "在“周分享演讲比赛”中荣获“" in "".join(texts)


def test_a_cancelled_quoted_session_is_named_in_single_nested_quotes(cast):
    session = make_session(cast.court, title="“书香法院”读书分享会", speakers=(cast.member,), created_by=cast.organizer)
    session_services.session_cancel(actor=cast.organizer, session=session, reason="会议室检修")
    text = Notification.objects.filter(recipient=cast.member).latest("created_at").text
    assert "“‘书香法院’读书分享会”" in text and "““" not in text


def test_the_dashboard_names_an_already_quoted_event_once():
    with translation.override("zh-hans"):
        assert _event("“一刻钟”微党课") == "“‘一刻钟’微党课”"
        assert _event("“周分享”") == "“周分享”"


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("100.00").normalize(), "100"),  # Decimal prints this as 1E+2
        (Decimal("100.00"), "100"),
        (Decimal("92.50"), "92.5"),
        (Decimal("0.05"), "0.05"),
        (Decimal("-0.00"), "0"),
        (1e20, "100000000000000000000"),
        (60, "60"),
        (None, ""),
    ],
)
def test_numbers_are_plain(value, expected):
    assert plain_number(value) == expected


# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("08:30", "08:30"),
        ("8:30", "08:30"),
        ("8：30", "08:30"),  # a Chinese IME's colon
        ("８：３０", "08:30"),  # full-width digits
        ("8.30", "08:30"),
        ("0830", "08:30"),
        ("830", "08:30"),
        ("14", "14:00"),
        ("14:30:00", "14:30"),
        ("25:00", "25:00"),  # left as typed: the field says it is not a time
        ("8:30 PM", "8:30 PM"),
        ("", ""),
    ],
)
def test_what_people_type_for_a_time_is_read_as_24_hour(typed, expected):
    assert normalize_time_text(typed) == expected


class TimeForm(forms.Form):
    at = forms.TimeField(widget=Time24Input())
    opens_at = forms.DateTimeField(widget=DateTime24Widget())


def test_time_widgets_show_24_hour_times_in_text_boxes():
    afternoon = dt.datetime(2026, 10, 12, 14, 30, tzinfo=SHANGHAI)
    html = str(TimeForm(initial={"at": dt.time(14, 30), "opens_at": afternoon}))
    assert 'type="time"' not in html and "datetime-local" not in html
    assert html.count('value="14:30"') == 2 and 'value="2026-10-12"' in html
    assert not re.search(r"\b(AM|PM|a\.m\.|p\.m\.)", html) and "下午" not in html


def test_time_widgets_read_what_was_typed_and_refuse_half_a_date_time():
    form = TimeForm({"at": "8：30", "opens_at_date": "2026-10-12", "opens_at_time": "1430"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["at"] == dt.time(8, 30)
    assert timezone.localtime(form.cleaned_data["opens_at"]).replace(tzinfo=None) == dt.datetime(2026, 10, 12, 14, 30)

    form = TimeForm({"at": "25:00", "opens_at_date": "2026-10-12", "opens_at_time": ""})
    assert not form.is_valid() and set(form.errors) == {"at", "opens_at"}  # not midnight
    html = str(form)
    assert 'value="25:00"' in html and 'value="2026-10-12"' in html  # shown again to be corrected


def test_the_session_form_shows_and_saves_24_hour_times(cast):
    start = dt.datetime(2026, 10, 12, 14, 30, tzinfo=SHANGHAI)
    session = make_session(cast.court, start=start, minutes=90, created_by=cast.organizer)
    client = cast.client_for("organizer")
    edit = reverse("activities:sessions_edit", args=[session.pk])
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        page = client.get(edit, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert re.search(r'name="start_time" value="14:30"', page) and re.search(r'name="end_time" value="16:00"', page)
        assert 'type="time"' not in page

    data = {
        "kind": session.kind_id,
        "title": "周一学习例会",
        "unit": "court",
        "day": "2026-10-13",
        "start_time": "8：30",
        "end_time": "1000",
        "place": "三楼会议室",
        "audience_court": "on",
    }
    assert client.post(edit, data).status_code == 302
    session.refresh_from_db()
    assert timezone.localtime(session.start).time() == dt.time(8, 30)
    assert timezone.localtime(session.end).time() == dt.time(10, 0)

    response = client.post(edit, {**data, "start_time": "25:00"})
    assert response.status_code == 200 and response.context["form"].errors["start_time"]
    assert Session.objects.get(pk=session.pk).start == session.start


def test_the_quarter_plan_form_shows_its_time_as_24_hour(cast):
    page = cast.client_for("organizer").get(reverse("activities:sessions_plan")).content.decode()
    assert re.search(r'name="start_time" value="08:30"', page) and 'type="time"' not in page


def test_dates_with_times_are_24_hour_in_english_too():
    afternoon = dt.datetime(2026, 10, 12, 14, 30, tzinfo=SHANGHAI)
    with timezone.override("Asia/Shanghai"):
        local = timezone.localtime(afternoon)
        with translation.override("en"):
            assert "14:30" in date_format(local, "DATETIME_FORMAT")
            assert "14:30" in date_format(local, "SHORT_DATETIME_FORMAT")
            assert time_format(local.time()) == "14:30"
        with translation.override("zh-hans"):
            assert date_format(local, "DATETIME_FORMAT") == "2026年10月12日 14:30"
