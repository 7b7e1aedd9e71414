"""`make bench`'s freshness delay on the test cast: the stream of writes is made, every write is
seen on its court's numbers, and the delays are measured (tasks run here, as without a worker)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from activities.models import ReadingLog
from reports.models import SummaryStale


@pytest.mark.django_db(transaction=True)
def test_the_freshness_bench_measures_every_write_of_a_short_stream(cast):
    out = io.StringIO()
    call_command(
        "bench_freshness", "--seconds", "1.5", "--rate", "6", "--beat", "0.5", "--drain", "30", "--prebuild", stdout=out
    )
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["writes"] == ReadingLog.objects.count() >= 6
    assert result["seen"] == result["writes"] and result["unseen"] == 0
    assert result["courts"] == 3 and result["worker"] is False and result["rounds"] >= 3
    # Debounced: a write waits for its mark to age, then for the next round; never more than that.
    assert 0 < result["p50_s"] <= result["p95_s"] <= result["max_s"] <= 5 + 0.5 + 5
    assert not SummaryStale.objects.exists()  # every mark was claimed and built
