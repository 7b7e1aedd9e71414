"""Unlocking logins: an account by whoever manages the member, an address by a site admin only."""

from __future__ import annotations

from . import Case, everyone

CASES = [
    # A member of court A: their organizer unlocks; others who see the member get 403; the sibling
    # court's member does not see them at all.
    Case(
        "members:member_login_unlock",
        everyone(403, organizer=302, outsider=404),
        args=lambda cast: [cast.member.pk],
        method="post",
    ),
    # The login-locks page and its unlock button exist only for site admins.
    Case("members:login_locks", everyone(404)),
    Case("members:login_unlock_address", everyone(404), method="post", data=lambda cast: {"ip": "10.20.0.1"}),
]
