"""TEMP stub of H1's reader (the lead drops this commit at merge): the signatures of interfaces.md.

The real module reads reports.models.ReportFacts (one or two queries); until it is merged the
dashboard sees "no facts stored" and the tests monkeypatch `facts_for` with facts built by hand.
"""

from __future__ import annotations


def facts_for(court, period, *, with_children: bool = False) -> dict | None:
    return None


def merge_facts(facts: list[dict]) -> dict:
    raise NotImplementedError("H1 provides merge_facts")
