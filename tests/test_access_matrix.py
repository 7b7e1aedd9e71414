"""Every URL answers each role as the matrix says, and no URL is left out of the matrix."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import access
from .access import ROLES, Case

# URLs that belong to Django itself, not to courtlearn.
EXCLUDED_NAMESPACES = {"admin"}


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(access.__path__):
        cases.extend(importlib.import_module(f"{access.__name__}.{module.name}").CASES)
    return cases


def url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    covered = {case.url_name for case in all_cases()}
    missing = sorted(url_names() - covered)
    assert not missing, f"URLs without an access-matrix case in tests/access/: {missing}"


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.id)
@pytest.mark.parametrize("role", ROLES)
def test_access(case: Case, role: str, cast):
    url = reverse(case.url_name, args=case.args(cast)) + case.query
    client = cast.client_for(role)
    data = case.data(cast) if case.data else {}
    response = client.post(url, data) if case.method == "post" else client.get(url, data)
    assert response.status_code == case.status_for(role), (
        f"{role} {case.method.upper()} {url}: got {response.status_code}, expected {case.status_for(role)}"
    )
