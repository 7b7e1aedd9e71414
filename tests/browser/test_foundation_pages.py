"""The organization pages on a phone, with the demo court: readable, and no CSP violations."""

from __future__ import annotations

from members.demo import DEMO_PASSWORD, seed_people
from members.models import StudyGroup
from tests.browser.conftest import login, shot


def test_organizer_walks_the_organization_on_a_phone(live_server, phone_page):
    people = seed_people()
    court = people.organizer.court
    research = StudyGroup.objects.get(court=court, kind=StudyGroup.Kind.RESEARCH)
    page = phone_page
    login(page, live_server, people.organizer.user.username, DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/manage/")
    shot(page, "foundation-10-manage")

    page.goto(f"{live_server.url}{court.get_absolute_url()}")
    assert "理论研习小组" in page.inner_text("#study-groups")
    shot(page, "foundation-11-court")

    page.goto(f"{live_server.url}/members/groups/{research.pk}/")
    assert page.locator("#squads .card").count() == 9
    shot(page, "foundation-12-research-group")

    page.goto(f"{live_server.url}{people.member.get_absolute_url()}")
    assert page.locator("#member-actions").count() == 1
    shot(page, "foundation-13-member-profile")

    page.goto(f"{live_server.url}/members/people/?q=民一庭")
    assert page.locator("#member-table tbody tr").count() >= 5
    shot(page, "foundation-14-member-search")

    page.goto(f"{live_server.url}/members/audit/")
    assert page.locator("#audit-events tr[data-action='auth.login']").count() >= 1
    shot(page, "foundation-15-audit-trail")
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
