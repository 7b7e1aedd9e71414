"""The audit trail page: court-wide organizers, their own court only, filterable, paginated."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import AuditEvent, Member
from members.services import audit, member_set_role


def test_organizer_sees_their_courts_events_and_not_other_courts(cast):
    member_set_role(actor=cast.organizer.user, member=cast.colleague, role=Member.Role.ORGANIZER)
    audit(actor=cast.outsider.user, action="member.updated", target=cast.outsider)
    response = cast.client_for("organizer").get(reverse("members:audit_list"), {"action": "member.role_changed"})
    assert response.status_code == 200
    events = [event for event, _label, _target in response.context["rows"]]
    assert [e.action for e in events] == ["member.role_changed"]
    event, label, target = response.context["rows"][0]
    all_events = [e for e, _l, _t in cast.client_for("organizer").get(reverse("members:audit_list")).context["rows"]]
    assert {e.court for e in all_events} == {cast.court}
    assert target == cast.colleague
    assert AuditEvent.objects.filter(court=cast.other_court).count() == 1


def test_failed_and_successful_logins_land_in_the_account_courts_trail(cast, client, password):
    client.post(reverse("login"), {"username": "member", "password": "wrong"})
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    client.post(reverse("login"), {"username": "member", "password": password})
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == 2
    assert failed.get(detail__username="member").court == cast.court
    assert failed.get(detail__username="nobody").court is None  # no such account: no court
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == cast.member.user and login.court == cast.court and login.ip_address == "127.0.0.1"
    page = cast.client_for("organizer").get(reverse("members:audit_list"), {"action": "auth.login_failed"})
    assert [e.detail["username"] for e, _l, _t in page.context["rows"]] == ["member"]


def test_filter_by_action_and_pagination(cast):
    for _ in range(60):
        audit(actor=cast.organizer.user, action="member.updated", target=cast.member)
    audit(actor=cast.organizer.user, action="member.password_reset", target=cast.member)
    client = cast.client_for("organizer")
    first = client.get(reverse("members:audit_list"))
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 62  # + the login
    only = client.get(reverse("members:audit_list"), {"action": "member.password_reset"})
    assert only.context["page"].paginator.count == 1
    unknown = client.get(reverse("members:audit_list"), {"action": "no.such"})
    assert unknown.status_code == 200 and unknown.context["page"].paginator.count == 62


def test_only_court_wide_organizers_read_the_audit_trail(cast):
    for role in ("member", "colleague", "leader", "outsider", "city_leader"):
        assert cast.client_for(role).get(reverse("members:audit_list")).status_code == 403
    cast.organizer.scope_branch = cast.branch
    cast.organizer.save()
    assert cast.client_for("organizer").get(reverse("members:audit_list")).status_code == 403


@pytest.mark.parametrize("size", [3, 50])
def test_audit_page_queries_do_not_grow(cast, size, django_assert_max_num_queries):
    for index in range(size):
        target = cast.member if index % 2 else cast.colleague.user
        audit(actor=cast.organizer.user, action="member.updated", target=target)
    client = cast.client_for("organizer")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("members:audit_list")).status_code == 200
