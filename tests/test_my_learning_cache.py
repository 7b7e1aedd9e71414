"""我的学习 keeps its panels in the cache, and never shows one from before a change it should show.

Keys hold the member's and the court's cache_version (raised by the writes) and a one-minute
time bucket (for what depends on the clock).
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.services.sessions import session_create
from members.models import Member
from members.services import notify

from .activities.contests_helpers import make_quiz
from .activities.reading_factories import make_book, make_log
from .activities.sessions_factories import kind, make_session, membership
from .factories import make_group

MY_LEARNING = reverse("my_learning")


def page(client) -> str:
    response = client.get(MY_LEARNING)
    assert response.status_code == 200
    return response.content.decode()


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(MY_LEARNING)
    return len(queries)


def test_the_second_visit_takes_the_panels_from_the_cache(cast, same_minute):
    client = cast.client_for("member")
    first = queries_for(client)
    second = queries_for(client)
    assert second < first
    assert second <= 3  # session, user with member and court, one spare


def test_a_member_logs_a_book_then_my_learning_shows_it(cast):
    client = cast.client_for("member")
    assert "红岩" not in page(client)
    book = make_book("红岩")
    response = client.post(reverse("activities:reading_log_create"), {"book": book.pk, "minutes": "30"})
    assert response.status_code == 302
    assert "红岩" in page(client)


def test_an_organizer_publishes_a_session_then_the_members_panel_lists_it(cast):
    client = cast.client_for("member")
    assert "刑法修正案学习会" not in page(client)
    start = timezone.now() + dt.timedelta(days=2)
    session_create(
        actor=cast.organizer,
        kind=kind(),
        title="刑法修正案学习会",
        start=start,
        end=start + dt.timedelta(hours=1),
        whole_court=True,
    )
    assert "刑法修正案学习会" in page(client)


def test_a_session_for_another_court_does_not_touch_this_courts_panels(cast):
    client = cast.client_for("member")
    page(client)
    make_session(cast.other_court, title="辽源的例会")
    assert queries_for(client) <= 3  # still cached: the other court's version moved, not ours


def test_an_organizer_opens_a_quiz_then_the_member_sees_it(cast):
    client = cast.client_for("member")
    assert "民法典微测验" not in page(client)
    make_quiz(cast.court, title="民法典微测验")
    assert "民法典微测验" in page(client)


def test_a_member_starts_this_months_plan_then_the_panel_links_to_it(cast):
    client = cast.client_for("member")
    assert f'action="{reverse("activities:plan_start")}"' in page(client)  # "write this month's plan"
    now = timezone.localtime()
    response = client.post(reverse("activities:plan_start"), {"year": now.year, "month": now.month})
    assert response.status_code == 302
    plan = cast.member.monthly_plans.get()
    html = page(client)
    assert plan.get_absolute_url() in html and f'action="{reverse("activities:plan_start")}"' not in html


def test_a_member_joins_a_study_group_then_sees_its_sessions(cast):
    client = cast.client_for("member")
    group = make_group(cast.court, "民法典学习小组", leader=cast.colleague)
    make_session(cast.court, title="小组读书会", audience_court=False, groups=(group,))
    assert "小组读书会" not in page(client)
    membership(group, cast.member)
    assert "小组读书会" in page(client)


def test_a_panel_cached_yesterday_is_not_shown_today(cast):
    client = cast.client_for("member")
    yesterday = timezone.now() - dt.timedelta(days=1)
    make_session(cast.court, title="昨天的例会", start=yesterday + dt.timedelta(minutes=10))
    with mock.patch("django.utils.timezone.now", return_value=yesterday):
        assert "昨天的例会" in page(client)
    assert "昨天的例会" not in page(client)


def test_a_panel_from_the_previous_minute_is_not_shown(cast):
    """A sign-in window that closed after the panel was cached: its button is gone a minute later."""
    client = cast.client_for("member")
    now = timezone.now()
    make_session(cast.court, title="午间学习", start=now - dt.timedelta(minutes=50), minutes=60)
    with mock.patch("django.utils.timezone.now", return_value=now):
        assert "午间学习" in page(client)
    with mock.patch("django.utils.timezone.now", return_value=now + dt.timedelta(minutes=11)):
        assert "午间学习" not in page(client)


def test_a_notification_shows_in_the_bell_and_goes_when_read(cast):
    client = cast.client_for("member")
    assert 'badge rounded-pill bg-danger">1<' not in page(client)
    notify(recipient=cast.member, kind="test", text="新的学习任务")
    assert 'badge rounded-pill bg-danger">1<' in page(client)
    client.post(reverse("members:notification_read_all"))
    assert 'badge rounded-pill bg-danger">1<' not in page(client)


def test_each_browser_gets_its_own_csrf_token_in_a_cached_panel(cast):
    """The quick log form is cached for the member, but its token is the browser's own."""
    make_log(cast.member, make_book("乡土中国"), day=timezone.localdate() - dt.timedelta(days=1))
    phone, desktop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (phone, desktop):
        client.force_login(cast.member.user, backend="members.backends.MemberModelBackend")
    page(phone)  # fills the cache
    html = page(desktop)
    form = html.split('id="quick-log"')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    book = re.search(r'name="book" id="quick-book-(\d+)"', form).group(1)
    response = desktop.post(
        reverse("activities:reading_log_create"), {"csrfmiddlewaretoken": token, "book": book, "minutes": "20"}
    )
    assert response.status_code == 302


def test_saving_a_member_loaded_before_a_change_keeps_the_new_version(cast):
    stale = Member.objects.get(pk=cast.member.pk)
    make_log(cast.member, make_book("红岩"))
    raised = Member.objects.get(pk=cast.member.pk).cache_version
    assert raised > stale.cache_version
    stale.name = "张三丰"
    stale.save()
    assert Member.objects.get(pk=cast.member.pk).cache_version == raised


def test_each_member_sees_their_own_name_in_the_cached_navigation(cast):
    assert cast.member.name in page(cast.client_for("member"))
    html = page(cast.client_for("colleague"))
    assert cast.colleague.name in html and cast.member.name not in html


def test_logging_out_works_from_a_navigation_cached_for_another_browser(cast):
    phone, desktop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (phone, desktop):
        client.force_login(cast.member.user, backend="members.backends.MemberModelBackend")
    page(phone)
    html = page(desktop)
    logout = html.split(f'action="{reverse("logout")}"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout).group(1)
    assert desktop.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
