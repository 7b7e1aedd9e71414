"""TEMP stub: H1's reports/facts.py replaces this at merge (signatures from interfaces.md)."""

from __future__ import annotations


def facts_for(court, period, *, with_children: bool = False) -> dict | None:
    return None


def merge_facts(facts: list[dict]) -> dict:
    raise NotImplementedError
