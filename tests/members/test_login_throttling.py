"""Login throttling that stops spraying: an account locks from any address, an address across accounts.

Limits (settings): an account after 5 failures from anywhere, an address after 30 failures across
accounts, both for 15 minutes. Courts sit behind NAT, so the address limit is far above the account's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import AuditEvent

pytestmark = pytest.mark.django_db

OFFICE = "10.20.0.1"  # the court's NAT address: everyone in the building
HOME = "198.51.100.7"
PHONE = "203.0.113.9"
ELSEWHERE = "192.0.2.44"


def from_address(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def locked_page(response) -> str:
    assert response.status_code == 429
    return response.content.decode()


def test_an_account_locks_after_five_failures_spread_over_two_addresses(cast, password):
    office, home = from_address(OFFICE), from_address(HOME)
    for client in (office, home, office, home):
        assert log_in(client, "member", "wrong").status_code == 200  # the form again
    fifth = log_in(home, "member", "wrong")
    assert 'data-reason="account"' in locked_page(fifth)

    # The right password from a third address is refused, with a message saying what to do.
    refused = log_in(from_address(PHONE), "member", password)
    page = locked_page(refused)
    assert "该账号" in page and "15" in page and "解锁" in page
    assert "_auth_user_id" not in refused.client.session
    # Refused attempts are audited, but do not add to the count (the lock does not grow).
    assert AuditEvent.objects.filter(action="auth.login_failed", detail__username="member").count() == 6
    assert sum(AccessAttempt.objects.filter(username="member").values_list("failures_since_start", flat=True)) == 5

    # Colleagues at the same addresses are not affected.
    assert log_in(from_address(OFFICE), "colleague", password).status_code == 302


def test_four_failures_then_the_right_password_clears_the_account(cast, password):
    client = from_address(OFFICE)
    for _ in range(4):
        log_in(client, "member", "wrong")
    assert log_in(client, "member", password).status_code == 302
    assert not AccessAttempt.objects.filter(username="member").exists()
    # A fresh run of failures starts from zero: four more do not lock.
    other = from_address(HOME)
    for _ in range(4):
        assert log_in(other, "member", "wrong").status_code == 200


def make_accounts(cast, n: int) -> list[str]:
    User = get_user_model()
    return [User.objects.create_user(username=f"qg-9{i:03d}", password="x-unused-Pass1").username for i in range(n)]


def test_one_address_spraying_many_usernames_is_locked_for_everyone_behind_it(cast, password):
    sprayer = from_address(OFFICE)
    targets = make_accounts(cast, 10)
    responses = [
        log_in(sprayer, username, guess) for guess in ("123456", "password", "court2026") for username in targets
    ]
    # No account reaches its own limit (3 each), but the 30th failure locks the address.
    assert [r.status_code for r in responses[:29]] == [200] * 29
    assert 'data-reason="address"' in locked_page(responses[29])

    # Any further username from that address is refused, without being tried or counted.
    assert 'data-reason="address"' in locked_page(log_in(sprayer, "member", "guess"))
    assert not AccessAttempt.objects.filter(username="member").exists()
    # A colleague behind the same NAT with the right password is refused too, until the cool-off or
    # a site admin's unlock (documented: 30 failures across accounts in 15 minutes is spraying)…
    colleague = log_in(from_address(OFFICE), "colleague", password)
    assert "网络地址" in locked_page(colleague)
    # …and that refusal does not count against the colleague's own account.
    assert not AccessAttempt.objects.filter(username="colleague").exists()
    # From another address everyone logs in, the sprayed accounts included.
    assert log_in(from_address(HOME), "colleague", password).status_code == 302


def test_the_address_lock_lifts_after_the_cool_off(cast, password):
    sprayer = from_address(OFFICE)
    for username in make_accounts(cast, 10):
        for _ in range(3):
            log_in(sprayer, username, "wrong")
    assert log_in(from_address(OFFICE), "colleague", password).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.values("attempt_time")[:1][0]["attempt_time"] - timedelta(minutes=16)
    )
    assert log_in(from_address(OFFICE), "colleague", password).status_code == 302


def test_a_sprayer_who_owns_an_account_cannot_reset_the_address_by_logging_in(cast, password):
    sprayer = from_address(OFFICE)
    for username in make_accounts(cast, 10):
        for _ in range(2):
            log_in(sprayer, username, "wrong")
    assert log_in(sprayer, "member", password).status_code == 302  # their own account
    sprayer.logout()
    for username in make_accounts_more(cast):
        log_in(sprayer, username, "wrong")
    # 20 failures before the good login, 10 after: the address is locked.
    assert log_in(sprayer, "colleague", password).status_code == 429


def make_accounts_more(cast) -> list[str]:
    User = get_user_model()
    return [User.objects.create_user(username=f"ls-8{i:03d}", password="x-unused-Pass1").username for i in range(10)]


def test_the_organizer_unlocks_the_account_from_the_member_page(cast, password):
    for ip in (OFFICE, HOME, OFFICE, HOME, PHONE):
        log_in(from_address(ip), "member", "wrong")
    organizer = cast.client_for("organizer")
    page = organizer.get(cast.member.get_absolute_url()).content.decode()
    assert 'id="login-locked"' in page and reverse("members:member_login_unlock", args=[cast.member.pk]) in page

    # A colleague sees the member's page without the lock or the button; posting is refused.
    colleague = cast.client_for("colleague")
    assert 'id="unlock-login"' not in colleague.get(cast.member.get_absolute_url()).content.decode()
    assert colleague.post(reverse("members:member_login_unlock", args=[cast.member.pk])).status_code == 403
    assert log_in(from_address(ELSEWHERE), "member", password).status_code == 429

    response = organizer.post(reverse("members:member_login_unlock", args=[cast.member.pk]), follow=True)
    assert "可以重新登录" in response.content.decode()
    assert 'id="login-locked"' not in response.content.decode()
    event = AuditEvent.objects.get(action="auth.account_unlocked")
    assert (event.actor, event.target_id, event.court_id) == (cast.organizer.user, str(cast.member.pk), cast.court.pk)
    assert event.detail["failures_cleared"] == 3  # rows: one per address
    assert log_in(from_address(ELSEWHERE), "member", password).status_code == 302


def test_the_site_admin_sees_and_unlocks_a_locked_address(cast, password):
    sprayer = from_address(OFFICE)
    for username in make_accounts(cast, 10):
        for _ in range(3):
            log_in(sprayer, username, "wrong")
    for _ in range(5):
        log_in(from_address(HOME), "member", "wrong")
    admin_user = get_user_model().objects.create_superuser("siteadmin", "admin@court.example.cn", password)
    admin = Client()
    admin.force_login(admin_user, backend="members.backends.MemberModelBackend")

    page = admin.get(reverse("members:login_locks")).content.decode()
    assert f'data-ip="{OFFICE}"' in page and HOME not in page  # the member's failures lock the account only
    assert "member" in page.split('id="locked-accounts"')[1]

    # Bad input is refused quietly, never a 500.
    assert admin.post(reverse("members:login_unlock_address"), {"ip": "not-an-ip"}).status_code == 404
    assert admin.post(reverse("members:login_unlock_address"), {"ip": OFFICE}).status_code == 302
    assert AuditEvent.objects.get(action="auth.address_unlocked").ip_address == OFFICE
    assert log_in(from_address(OFFICE), "colleague", password).status_code == 302
    assert 'id="no-locked-addresses"' in admin.get(reverse("members:login_locks")).content.decode()


def test_the_lock_on_the_member_page_costs_one_query_whatever_the_failures(cast, password):
    organizer = cast.client_for("organizer")
    organizer.get(cast.member.get_absolute_url())  # warm the caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organizer.get(cast.member.get_absolute_url()).status_code == 200
        return len(captured)

    before = queries()
    for ip in (OFFICE, HOME, PHONE, ELSEWHERE):
        log_in(from_address(ip), "member", "wrong")
    for username in make_accounts(cast, 10):
        log_in(from_address(OFFICE), username, "wrong")
    assert queries() == before
