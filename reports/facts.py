"""TEMP stub (H1 owns this module): the signatures the Word draft codes against.

The lead drops this file at merge in favour of H1's reports/facts.py.
"""

from __future__ import annotations


def facts_for(court, period, *, with_children: bool = False) -> dict | None:
    """The stored facts of a court and period; None when that period was never built."""
    return None


def merge_facts(facts: list[dict]) -> dict:
    raise NotImplementedError("H1 merges facts")
