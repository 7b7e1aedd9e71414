"""Login throttling that stops password spraying (django-axes with two limits of our own).

axes counts failures in `AccessAttempt` rows, one per (username, address, browser), but compares
every lockout parameter with one limit. Courts sit behind NAT, where dozens of colleagues share
one address, so the address needs a much higher limit than the account:

- an **account** is locked after `AXES_FAILURE_LIMIT` (5) failures from any address;
- an **address** is locked after `AXES_ADDRESS_FAILURE_LIMIT` (30) failures across accounts.
  With the account limit at 5 that needs at least six accounts: one person mistyping their own
  password never locks their colleagues out.

Both count the failures of the cool-off window (`AXES_COOLOFF_TIME`, 15 minutes since a row's
last failure). A refused attempt during a lock is not counted (`AXES_RESET_COOL_OFF_ON_FAILURE_
DURING_LOCKOUT = False`), so a lock ends one cool-off after the failure that caused it, and a
colleague who types the right password at a locked address does not add to their own account's
failures. A locked address refuses everyone at it, right password or not, until the cool-off ends
or a site admin unlocks it: 30 failures in 15 minutes across accounts from one office is spraying,
not typing.

An organizer who may manage a member unlocks the account from the member's page; a site admin
unlocks an address from the login-locks page. Both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.shortcuts import render
from django.utils import timezone

from .services import audit

ACCOUNT = "account"
ADDRESS = "address"


def cool_off() -> timedelta:
    return get_cool_off() or timedelta(minutes=15)


def _recent(now: datetime) -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=now - cool_off())


def lockout_reason(*, username: str | None, ip: str | None, now: datetime) -> str | None:
    """ACCOUNT, ADDRESS or None: which lock, if any, refuses this login. One query."""
    if not username and not ip:
        return None
    by_account = Q(username=username) if username else Q(pk__in=[])
    by_address = Q(ip_address=ip) if ip else Q(pk__in=[])
    counts = (
        _recent(now)
        .filter(by_account | by_address)
        .aggregate(
            account=Sum("failures_since_start", filter=by_account),
            address=Sum("failures_since_start", filter=by_address),
        )
    )
    if (counts["account"] or 0) >= settings.AXES_FAILURE_LIMIT:
        return ACCOUNT
    if (counts["address"] or 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
        return ADDRESS
    return None


def account_is_locked(username: str, *, now: datetime) -> bool:
    return lockout_reason(username=username, ip=None, now=now) == ACCOUNT


@dataclass(frozen=True)
class LockedAddress:
    ip: str
    failures: int
    accounts: int
    last_failure: datetime
    unlocks_at: datetime


def locked_addresses(*, now: datetime) -> list[LockedAddress]:
    """The addresses locked now, most recent first (one query)."""
    rows = (
        _recent(now)
        .exclude(ip_address=None)
        .values("ip_address")
        .annotate(
            failures=Sum("failures_since_start"), accounts=Count("username", distinct=True), last=Max("attempt_time")
        )
        .filter(failures__gte=settings.AXES_ADDRESS_FAILURE_LIMIT)
        .order_by("-last")
    )
    # The lock lifts once enough of the address's failures are older than the cool-off; the last
    # failure plus the cool-off is when it has certainly lifted.
    return [
        LockedAddress(row["ip_address"], row["failures"], row["accounts"], row["last"], row["last"] + cool_off())
        for row in rows
    ]


def locked_accounts(*, now: datetime) -> list[dict]:
    """Usernames locked now with their failures and the addresses they came from (one query)."""
    return list(
        _recent(now)
        .exclude(username=None)
        .values("username")
        .annotate(
            failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True), last=Max("attempt_time")
        )
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )


@transaction.atomic
def account_login_unlock(*, actor, member) -> int:
    """Forget the member's failed logins (from every address), so they can log in again. Audited."""
    count, _ = AccessAttempt.objects.filter(username=member.user.username).delete()
    audit(actor=actor, action="auth.account_unlocked", target=member, failures_cleared=count)
    return count


@transaction.atomic
def address_login_unlock(*, actor, ip: str) -> int:
    """Forget the failed logins from one address (every account's). Audited."""
    count, _ = AccessAttempt.objects.filter(ip_address=ip).delete()
    audit(actor=actor, action="auth.address_unlocked", ip=ip, failures_cleared=count)
    return count


class CourtLoginHandler(AxesDatabaseHandler):
    """axes' database handler with an account limit and a higher address limit (settings: AXES_HANDLER)."""

    def _reason(self, request, credentials) -> str | None:
        return lockout_reason(
            username=get_client_username(request, credentials),
            ip=request.axes_ip_address,
            now=request.axes_attempt_time or timezone.now(),
        )

    def is_locked(self, request, credentials=None) -> bool:
        request.axes_lockout_reason = self._reason(request, credentials)
        return request.axes_lockout_reason is not None

    def get_failures(self, request, credentials=None) -> int:
        # axes compares this with AXES_FAILURE_LIMIT after recording a failure; return the limit
        # itself when either lock now applies, so it locks out this very request.
        reason = self._reason(request, credentials)
        request.axes_lockout_reason = reason
        return settings.AXES_FAILURE_LIMIT if reason else 0

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears the account's failures, never the address's: a sprayer who owns
        # one account must not wipe the address's count by logging into it.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page a refused login gets (AXES_LOCKOUT_CALLABLE): which lock, and who can lift it."""
    reason = getattr(request, "axes_lockout_reason", None)
    if reason is None:
        reason = lockout_reason(
            username=get_client_username(request, credentials),
            ip=getattr(request, "axes_ip_address", None),
            now=timezone.now(),
        )
    context = {
        "reason": reason or ACCOUNT,
        "minutes": int(cool_off().total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
