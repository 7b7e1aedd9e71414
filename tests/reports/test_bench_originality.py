"""`make bench`'s originality figures at a small scale: the generated signatures are the ones the
check makes, and the run measures a real check against stored texts (PostgreSQL, as the bench)."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection

from activities import originality as engine
from reports.bench import originality as bench


def test_the_generated_signatures_are_the_checks_own():
    sizes, signatures, hashes, _seconds = bench.make_signatures(300, batch=70)
    rng = np.random.default_rng(3)
    lengths = rng.integers(250, 900, 300)
    starts = np.sort(rng.integers(0, len(hashes) - 1000, 300))
    for i in (0, 69, 70, 299):
        window = hashes[starts[i] : starts[i] + lengths[i]]
        assert (signatures[i] == engine.minhash(np.unique(window))).all()
        assert sizes[i] == lengths[i]
    keys = bench._all_band_keys(signatures[:3])
    assert keys[2].tolist() == engine.band_keys(signatures[2])


def test_near_copies_are_told_from_independent_texts():
    figures = bench.quality(pairs=60, independent=60)
    assert figures["precision"] >= 0.95 and figures["recall"] >= 0.85


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_bench_stores_texts_and_times_a_check(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL (CI runs it)")
    figures = bench.run(2000)
    assert figures["texts"] == 2000 and figures["index_mb_per_100k"] > 0
    assert figures["copies_found"] == "30/30" and figures["check_p95_ms"] > 0
