"""The access matrix: every URL, every role, the expected status.

Each family keeps its cases in tests/access/<family>.py as CASES = [Case(...), ...].
tests/test_access_matrix.py runs them all and fails when a URL has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anon", "member", "colleague", "organizer", "leader", "outsider", "city_leader")


@dataclass
class Case:
    """One URL. `args` builds the reverse() arguments from the cast (and may create objects).

    `expect` maps roles to status codes; roles left out get `default`. Anonymous users are
    sent to the login page (302) unless said otherwise.
    """

    url_name: str
    expect: dict[str, int]
    args: Callable[[Any], list] = field(default=lambda cast: [])
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    default: int = 403
    anon: int = 302
    query: str = ""

    def status_for(self, role: str) -> int:
        if role == "anon":
            return self.expect.get("anon", self.anon)
        return self.expect.get(role, self.default)

    @property
    def id(self) -> str:
        return f"{self.url_name}:{self.method}"


def everyone(status: int = 200, **overrides: int) -> dict[str, int]:
    """All logged-in roles get `status`, except those overridden."""
    return {role: overrides.get(role, status) for role in ROLES if role != "anon"}
