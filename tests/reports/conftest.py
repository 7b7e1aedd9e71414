"""A stand-in output metric, so the summary machinery can be tested on its own."""

from __future__ import annotations

import pytest

from reports import metrics
from reports.metrics import Metric


@pytest.fixture
def logged_outputs(monkeypatch):
    """A fake output metric: {member_id: n} set by the test."""
    outputs: dict[int, int] = {}
    metric = Metric(
        "test_outputs", "outputs", "test outputs", compute=lambda window: dict(outputs), output=True, kpi=True
    )
    monkeypatch.setattr(metrics, "_REGISTRY", [*metrics.all_metrics(), metric])
    return outputs
