"""A cheaper hash for machine-generated initial passwords only.

A roster import gives a new account to every person in the file at once: 150 hashes at
Django's default cost (about 0.5 s each) would keep the organizer's request busy for over a
minute. Initial passwords are random (10 characters from 31, about 50 bits), shown once and
replaced at first login, so a twenty-fifth of the iterations still leaves decades of GPU work per
password. Django re-hashes with the default hasher at the first successful login, and the
member then chooses their own password, which always gets the full cost.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hashers_by_algorithm, make_password


class InitialPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_initial"
    iterations = 60_000


def make_initial_password_hash(raw: str) -> str:
    """Hash an initial password cheaply when the hasher is configured, else the default way."""
    if InitialPasswordHasher.algorithm in get_hashers_by_algorithm():
        return make_password(raw, hasher=InitialPasswordHasher.algorithm)
    return make_password(raw)
