"""`make bench` figures of the originality check (issue 15).

- precision/recall at the default threshold on generated near-copies (sentences reordered, words
  changed, 30–90 % of the text copied) against independent texts on the same themes;
- signature throughput, index build time and size per 100,000 stored texts (PostgreSQL);
- the time to check one new text against 1,000,000 stored texts (one process, p95).

Run alone: `python reports/bench/originality.py` (BENCH_ORIGINALITY_TEXTS=1000000 by default,
times BENCH_SCALE); `reports/bench/run.py` calls `run()`.
Texts are generated: sentences of words drawn from a pool of common characters, with the stock
phrases courts' reflections share (司法为民, 习近平法治思想…), so independent texts overlap a little
as real ones do.
"""

from __future__ import annotations

import os
import random
import statistics
import time

import numpy as np

STOCK = [
    "习近平法治思想",
    "司法为民",
    "公正司法",
    "努力让人民群众在每一个司法案件中感受到公平正义",
    "全面依法治国",
    "坚持以人民为中心",
    "新时代",
    "读书使人明智",
    "作为一名法官",
    "在今后的工作中",
    "我深刻认识到",
    "审判执行工作",
    "提升司法能力",
    "不忘初心",
    "牢记使命",
]
_POOL = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]


class TextMaker:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.words = ["".join(self.rng.choices(_POOL, k=self.rng.choice((1, 2, 2, 2, 3, 4)))) for _ in range(6000)]

    def sentence(self) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(6, 16)):
            parts.append(rng.choice(STOCK) if rng.random() < 0.08 else rng.choice(self.words))
        cut = rng.randint(2, len(parts) - 2)
        return "".join(parts[:cut]) + "，" + "".join(parts[cut:]) + "。"

    def text(self, chars: int | None = None) -> list[str]:
        target = chars or self.rng.randint(300, 1200)
        sentences, size = [], 0
        while size < target:
            s = self.sentence()
            sentences.append(s)
            size += len(s)
        return sentences

    def change_words(self, sentence: str, share: float = 0.15) -> str:
        """Replace about `share` of the characters by others, a few characters at a time."""
        chars = list(sentence)
        for _ in range(max(1, int(len(chars) * share / 2))):
            i = self.rng.randrange(len(chars))
            for k in range(i, min(i + 2, len(chars))):
                if chars[k] not in "，。":
                    chars[k] = self.rng.choice(_POOL)
        return "".join(chars)

    def near_copy(self, source: list[str], overlap: float) -> str:
        """A new text of about the source's length: `overlap` of it copied from the source (sentences
        chosen at random, reordered, words changed), the rest written anew."""
        total = sum(map(len, source))
        copied = self.rng.sample(source, len(source))
        taken, size = [], 0
        for s in copied:
            if size >= overlap * total:
                break
            taken.append(self.change_words(s))
            size += len(s)
        fresh = self.text(max(40, int(total - size)))
        mixed = taken + fresh
        self.rng.shuffle(mixed)
        return "".join(mixed)


def quality(*, pairs: int = 400, independent: int = 400, threshold: int | None = None) -> dict:
    """Precision/recall of 'flagged' (estimated containment ≥ threshold, from signatures alone)."""
    from activities import originality as o

    threshold = o.DEFAULT_THRESHOLD if threshold is None else threshold
    maker = TextMaker(11)
    tp = fn = fp = tn = 0
    lsh_missed = 0
    missed_overlaps = []
    for i in range(pairs + independent):
        source = maker.text()
        is_copy = i < pairs
        overlap = 0.3 + 0.6 * (i / max(1, pairs - 1)) if is_copy else 0.0
        new = maker.near_copy(source, overlap) if is_copy else "".join(maker.text())
        a, b = o.fingerprint(new), o.fingerprint("".join(source))
        estimate = o.containment(o.jaccard(a.signature, b.signature), a.size, b.size)
        candidate = bool(set(a.bands) & set(b.bands))
        flagged = candidate and estimate * 100 >= threshold
        if is_copy:
            tp += flagged
            fn += not flagged
            lsh_missed += not candidate
            if not flagged:
                missed_overlaps.append(round(overlap, 2))
        else:
            fp += flagged
            tn += not flagged
    return {
        "threshold_percent": threshold,
        "near_copies": pairs,
        "independent": independent,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "missed_by_lsh": lsh_missed,
        "missed_overlaps": missed_overlaps[:10],
    }


COVERAGE = 8  # stored texts that hold a given passage of the generated stream, on average


def make_signatures(
    count: int, *, seed: int = 3, batch: int = 5_000
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Signatures of `count` generated texts, made in minutes, not hours: windows of 250–900
    characters of one long generated stream (each passage in about COVERAGE texts, as if every
    text had been copied from a few times). Shingle positions are permuted once per batch of
    windows; a window's signature is the minimum over its rows, exactly what `minhash` gives for
    the window's shingle set. Sizes count the window's shingles with repeats (within a few percent
    of the distinct count). Returns (sizes, signatures, the stream's shingle hashes, seconds)."""
    from activities import originality as o

    maker = TextMaker(seed)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    stream_chars = max(300_000, count * 575 // COVERAGE)
    stream = "".join(maker.text(stream_chars)).translate({ord("，"): None, ord("。"): None})
    hashes = o.shingle_hashes(stream)  # the generator writes only characters normalise keeps
    del stream
    lengths = rng.integers(250, 900, count)
    # Sorted, so each window starts before the previous one ends: reduceat's in-between segments
    # (from one window's end to the next one's start) are then a single row, not a long stretch.
    starts = np.sort(rng.integers(0, len(hashes) - 1000, count))
    signatures = np.empty((count, o.NUM_PERM), dtype=np.uint32)
    for first in range(0, count, batch):
        last = min(count, first + batch)
        # One row past the last end: reduceat takes each bound as a start, the last one too.
        low, high = int(starts[first]), int((starts[first:last] + lengths[first:last]).max()) + 1
        with np.errstate(over="ignore"):
            permuted = ((hashes[low:high, None] * o._PERM_A[None, :] + o._PERM_B[None, :]) >> np.uint64(32)).astype(
                np.uint32
            )
        bounds = np.empty(2 * (last - first), dtype=np.int64)
        bounds[0::2] = starts[first:last] - low
        bounds[1::2] = starts[first:last] + lengths[first:last] - low
        signatures[first:last] = np.minimum.reduceat(permuted, bounds, axis=0)[0::2]
    return lengths.astype(np.int64), signatures, hashes, time.perf_counter() - started


def _all_band_keys(signatures: np.ndarray) -> np.ndarray:
    """Band keys of many signatures at once (the same function as `band_keys`, vectorised)."""
    from activities import originality as o

    rows = signatures.astype(np.uint64).reshape(len(signatures), o.BANDS, o.ROWS)
    combined = np.zeros((len(signatures), o.BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(o.ROWS):
            combined = combined * o._POLY + rows[:, :, r]
        salt = np.arange(o.BANDS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        combined = o._splitmix(combined ^ salt[None, :])
    return combined.view(np.int64)


_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
_BAND_ROW = np.dtype(
    [("n", ">i2"), ("l1", ">i4"), ("key", ">i8"), ("l2", ">i4"), ("court", ">i4"), ("l3", ">i4"), ("sig", ">i8")]
)


def _band_rows(keys: np.ndarray, ids: np.ndarray, court_id: int) -> bytes:
    """Binary COPY data for (band_key, court_id, signature_id), built by numpy in one go."""
    rows = np.empty(keys.size, dtype=_BAND_ROW)
    rows["n"], rows["l1"], rows["l2"], rows["l3"] = 3, 8, 4, 8
    rows["key"] = keys.reshape(-1)
    rows["court"] = court_id
    rows["sig"] = np.repeat(ids, keys.shape[1])
    return _COPY_HEADER + rows.tobytes() + b"\xff\xff"


def load_postgres(connection, sizes: np.ndarray, signatures: np.ndarray, *, court_id: int, batch: int = 50_000):
    """Store signatures and band keys with COPY into the originality tables (bench only; the
    foreign-key triggers are skipped for the load, as a restore does)."""
    from activities.models.originality import TextBand, TextSignature

    sig_table, band_table = TextSignature._meta.db_table, TextBand._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {sig_table}")
        first_id = cursor.fetchone()[0] + 1
        raw = cursor.cursor
        for start in range(0, len(sizes), batch):
            end = min(len(sizes), start + batch)
            ids = np.arange(first_id + start, first_id + end, dtype=np.int64)
            with raw.copy(
                f"COPY {sig_table} (id, kind, object_id, court_id, group_key, written_at, digest, size, minhash) "
                "FROM STDIN"
            ) as copy:
                for k, pk in enumerate(ids.tolist()):
                    copy.write_row(
                        (
                            pk,
                            "bench",
                            pk,
                            court_id,
                            "",
                            "2026-01-01T00:00:00+00:00",
                            "",
                            int(sizes[start + k]),
                            signatures[start + k].astype("<u4").tobytes(),
                        )
                    )
            with raw.copy(
                f"COPY {band_table} (band_key, court_id, signature_id) FROM STDIN WITH (FORMAT binary)"
            ) as copy:
                copy.write(_band_rows(_all_band_keys(signatures[start:end]), ids, court_id))
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{sig_table}', 'id'), {first_id + len(sizes)})")


def run(count: int | None = None) -> dict:
    """All the figures; needs Django set up on a PostgreSQL database it may fill (the bench's own)."""
    from django.db import connection, transaction

    from activities import originality as o
    from activities.models.originality import TextBand, TextSignature
    from activities.services.originality import find_matches
    from members.models import Court

    scale = float(os.environ.get("BENCH_SCALE", "1"))
    count = count or max(1000, int(int(os.environ.get("BENCH_ORIGINALITY_TEXTS", "1000000")) * scale))
    out: dict = {"texts": count, "quality": quality()}
    court = Court.objects.filter(code="bench-originality").first() or Court.objects.create(
        name="基准测试法院（原创性）", code="bench-originality"
    )
    with connection.cursor() as cursor:  # the bench's own rows from a run before
        cursor.execute(f"DELETE FROM {TextBand._meta.db_table} WHERE court_id = %s", [court.pk])
        cursor.execute(f"DELETE FROM {TextSignature._meta.db_table} WHERE court_id = %s", [court.pk])

    sizes, signatures, stream_hashes, seconds = make_signatures(count)
    out["signatures_per_second"] = round(count / seconds)
    band_table = TextBand._meta.db_table
    sig_table = TextSignature._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_total_relation_size('{band_table}') + pg_total_relation_size('{sig_table}')")
        before = cursor.fetchone()[0]
    started = time.perf_counter()
    with transaction.atomic():
        load_postgres(connection, sizes, signatures, court_id=court.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {band_table}")
        cursor.execute(f"ANALYZE {sig_table}")
        load_seconds = time.perf_counter() - started
        cursor.execute(f"SELECT pg_total_relation_size('{band_table}') + pg_total_relation_size('{sig_table}')")
        after = cursor.fetchone()[0]
    per_100k = 100_000 / count
    out["index_build_s_per_100k"] = round((load_seconds + seconds) * per_100k, 1)
    out["index_mb_per_100k"] = round((after - before) / 2**20 * per_100k, 1)

    # One new text at a time: near-copies (windows of the stream the stored texts were cut from,
    # so each overlaps several of them) and independent texts.
    maker = TextMaker(99)
    rng = np.random.default_rng(5)
    latencies, found = [], 0
    threshold = court.originality_threshold
    for i in range(60):
        if i % 2:
            fp = o.fingerprint("".join(maker.text()))
        else:
            start = int(rng.integers(0, len(stream_hashes) - 1000))
            shingles = np.unique(stream_hashes[start : start + 600])
            signature = o.minhash(shingles)
            fp = o.Fingerprint(signature, o.band_keys(signature), len(shingles), "")
        started = time.perf_counter()
        matches = find_matches(fingerprint=fp, court_ids=[court.pk], group_key="", exclude_id=None)
        latencies.append(time.perf_counter() - started)
        hit = bool(matches) and matches[0][1] * 100 >= threshold
        found += hit and i % 2 == 0
        out.setdefault("independent_flagged", 0)
        out["independent_flagged"] += hit and i % 2 == 1
    latencies.sort()
    out["check_p95_ms"] = round(statistics.quantiles(latencies, n=20)[18] * 1000, 1)
    out["check_median_ms"] = round(statistics.median(latencies) * 1000, 1)
    out["copies_found"] = f"{found}/30"
    out["independent_flagged"] = f"{out['independent_flagged']}/30"
    return out


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtlearn.settings")
    import django

    django.setup()
    print(json.dumps(run(), ensure_ascii=False))  # one line: run.py reads the last JSON line
