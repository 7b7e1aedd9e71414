"""`make bench`: build the synthetic province on PostgreSQL and print the figures of issue 7.

    BENCH_SCALE=0.05 make bench     # a smaller run; 1 (default) is 30,000 members in 120 courts

Three databases are kept between runs (courtlearn_bench_full, _tenth, _hundredth, each at
BENCH_SCALE × 1, 0.1, 0.01); delete them (BENCH_FRESH=1) to regenerate. Results go to
var/bench/results.json and are printed. Only loopback traffic; every loop is bounded.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# The freshness delay needs a real worker: its broker (a Redis database of its own; empty skips it).
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
FRESHNESS_SECONDS = float(os.environ.get("BENCH_FRESHNESS_SECONDS", "60"))
FRESHNESS_RATE = float(os.environ.get("BENCH_FRESHNESS_RATE", "20"))  # writes a second, across the province
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PERIOD = "2026-10"
EXTRA_PERIODS = "2026-07,2026-08,2026-09"
PASSWORD = "bench-password"
PYTHON = sys.executable
DATASETS = [("full", 1.0), ("tenth", 0.1), ("hundredth", 0.01)]
DATA_VERSION = 2  # bump when reports/bench/generators.py changes what it makes
# Pages whose throughput is compared with the one-query baseline page: (name, path).
THROUGHPUT = [("my_learning", "/me/"), ("reading_log_form", "/activities/reading/logs/new/")]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def env_for(db: str, **extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{db}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "",
        "AXES_FAILURE_LIMIT": "1000",
        "AXES_ADDRESS_FAILURE_LIMIT": "100000",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
        **extra,
    }


def manage(db: str, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(db), capture_output=True, text=True, timeout=7200
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed on {db}:\n{result.stderr[-3000:]}")
    return result.stdout


def last_json(output: str) -> dict:
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(output)


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-qAt", f"{PG}/{db}", "-c", sql], capture_output=True, text=True, timeout=600
    ).stdout.strip()


def ensure_dataset(tag: str, scale: float) -> tuple[str, dict]:
    db = f"courtlearn_bench_{tag}"
    scale_arg = f"{scale:g}"
    marker = f"{scale_arg} v{DATA_VERSION}"  # data from an older generator is made again
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    fresh = os.environ.get("BENCH_FRESH") == "1"
    if exists and not fresh and psql("SELECT obj_description('members_court'::regclass)", db) == marker:
        log(f"{db}: reusing data at scale {marker} (migrating to the current schema)")
        manage(db, "migrate", "--noinput", "-v0")
        psql("VACUUM ANALYZE", db)  # statistics for new indexes, as autovacuum would gather them
        return db, json.loads(psql("SELECT obj_description('members_member'::regclass)", db) or "{}")
    if exists:
        psql(f'DROP DATABASE "{db}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{db}"')
    log(f"{db}: migrating")
    manage(db, "migrate", "--noinput", "-v0")
    log(f"{db}: generating data at scale {scale_arg}")
    counts = last_json(manage(db, "bench_data", "--scale", scale_arg))
    psql(f"COMMENT ON TABLE members_member IS '{json.dumps(counts)}'", db)
    psql(f"COMMENT ON TABLE members_court IS '{marker}'", db)
    log(f"{db}: {counts}")
    return db, counts


class Server:
    """gunicorn with 2 workers on loopback, on one benchmark database."""

    def __init__(self, db: str):
        self.db = db
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "courtlearn.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env_for(self.db, DJANGO_ROOT_URLCONF="reports.bench.urls"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _cookies = request("GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def request(method: str, path: str, cookies: dict | None = None, body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{PORT}/"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    new = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            new[name] = rest.split(";", 1)[0]
    conn.close()
    return response.status, payload, new


def login(username: str) -> dict:
    status, body, cookies = request("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    status, _body, more = request(
        "POST", "/accounts/login/", cookies, {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    cookies.update(more)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login failed for {username}: {status}")
    return cookies


def load(path: str, cookies: dict | None, *, clients: int = 4, requests_each: int = 0, seconds: float = 0.0):
    """Concurrent GETs: either a fixed count per client or for a fixed time. Returns latencies (s)."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds if seconds else None

    def client():
        done = 0
        while (requests_each and done < requests_each) or (stop_at and time.monotonic() < stop_at):
            started = time.perf_counter()
            status, _body, _c = request("GET", path, cookies)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(status)
            done += 1
            if done > 100_000:
                break

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} failed requests, e.g. {errors[:3]}")
    return latencies, wall


def p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else max(latencies)


def dashboard_p95(db: str) -> dict:
    out = {}
    with Server(db):
        for who, username in (("court_leader", "c01b01-00000"), ("province_leader", "p-00000")):
            cookies = login(username)
            load(f"/reports/dashboard/?period={PERIOD}", cookies, requests_each=5)  # warm up
            latencies, _wall = load(f"/reports/dashboard/?period={PERIOD}", cookies, requests_each=50)
            out[who] = round(p95(latencies) * 1000, 1)
    return out


def throughput(db: str) -> dict:
    out = {}
    with Server(db):
        baseline, wall = load("/bench/baseline/", None, seconds=8)
        base_rps = len(baseline) / wall
        out["baseline_rps"] = round(base_rps, 1)
        member = login("c01b01-00002")
        for name, path in THROUGHPUT:
            latencies, wall = load(path, member, seconds=8)
            out[f"{name}_rps"] = round(len(latencies) / wall, 1)
            out[f"{name}_ratio"] = round(len(latencies) / wall / base_rps, 2)
    return out


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure: the figure is skipped, with the reason
        return False


def freshness_delay(db: str) -> dict:
    """Writes at FRESHNESS_RATE a second for FRESHNESS_SECONDS, a worker (2 processes) building
    what beat's build_stale round (every 20 s) claims: the delay from each write's commit to its
    court's numbers. The stream writes reading logs dated today into the benchmark database."""
    if not REDIS or not redis_reachable(REDIS):
        return {"skipped": f"no Redis at {REDIS or '(BENCH_REDIS empty)'}"}
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # the benchmark's own database: no tasks left from a run before
    env = env_for(db, REDIS_URL=REDIS)
    worker = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "courtlearn", "worker", "--concurrency=2", "--without-heartbeat"]
        + ["--without-mingle", "--without-gossip", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        result = subprocess.run(
            [PYTHON, "manage.py", "bench_freshness", "--prebuild", "--seconds", f"{FRESHNESS_SECONDS:g}"]
            + ["--rate", f"{FRESHNESS_RATE:g}", "--beat", "20"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if result.returncode:
            sys.exit(f"bench_freshness failed on {db}:\n{result.stderr[-3000:]}")
        return last_json(result.stdout)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def originality(db: str) -> dict:
    """Issue 15: the originality check's figures (reports/bench/originality.py), on the full
    dataset's database: 1,000,000 stored texts × BENCH_SCALE (BENCH_ORIGINALITY_TEXTS to change)."""
    result = subprocess.run(
        [PYTHON, "reports/bench/originality.py"],
        cwd=ROOT,
        env=env_for(db, BENCH_SCALE=f"{SCALE:g}"),
        capture_output=True,
        text=True,
        timeout=7200,
    )
    if result.returncode:
        sys.exit(f"the originality bench failed on {db}:\n{result.stderr[-3000:]}")
    return last_json(result.stdout)


def main() -> int:
    if not PG.startswith("postgres"):
        sys.exit("BENCH_PG must be a PostgreSQL URL")
    sys.path.insert(0, str(ROOT))
    results: dict = {
        "machine": f"{platform.node()} · {os.cpu_count()} cores · {platform.python_version()}",
        "scale": SCALE,
        "period": PERIOD,
        "started": time.strftime("%Y-%m-%d %H:%M"),
    }
    dbs = {}
    for tag, factor in DATASETS:
        dbs[tag], results[f"rows_{tag}"] = ensure_dataset(tag, SCALE * factor)
    builds = {}
    for tag in dbs:
        log(f"{dbs[tag]}: building summaries")
        builds[tag] = last_json(manage(dbs[tag], "bench_build", "--period", PERIOD, "--also", EXTRA_PERIODS))
    results["build"] = builds
    results["build_vs_sql_ratio"] = builds["full"]["ratio"]
    results["worker_peak_mb"] = builds["full"]["peak_rss_mb"]
    results["worker_peak_vs_tenth"] = round(builds["full"]["peak_rss_mb"] / builds["tenth"]["peak_rss_mb"], 2)
    log("dashboard p95")
    results["dashboard_p95_ms"] = {"full": dashboard_p95(dbs["full"]), "hundredth": dashboard_p95(dbs["hundredth"])}
    results["dashboard_p95_ratio"] = {
        who: round(results["dashboard_p95_ms"]["full"][who] / results["dashboard_p95_ms"]["hundredth"][who], 2)
        for who in results["dashboard_p95_ms"]["full"]
    }
    log("throughput")
    results["throughput"] = throughput(dbs["full"])
    log("query counts")
    queries = {tag: last_json(manage(dbs[tag], "bench_queries")) for tag in ("full", "tenth")}
    results["queries"] = queries
    results["queries_equal"] = all(queries["full"][page] == queries["tenth"][page] for page in queries["full"])
    log("freshness delay (a stream of writes, a worker, beat's build_stale round)")
    results["freshness"] = freshness_delay(dbs["full"])
    log("originality check (signatures, band index, one check against the stored texts)")
    results["originality"] = originality(dbs["full"])
    targets = {
        "build_vs_sql_ratio <= 2.0": results["build_vs_sql_ratio"] is not None and results["build_vs_sql_ratio"] <= 2.0,
        "worker_peak_mb <= 256": results["worker_peak_mb"] <= 256,
        "worker_peak_vs_tenth <= 1.2": results["worker_peak_vs_tenth"] <= 1.2,
        "court leader p95 <= 100 ms": results["dashboard_p95_ms"]["full"]["court_leader"] <= 100,
        "province leader p95 <= 200 ms": results["dashboard_p95_ms"]["full"]["province_leader"] <= 200,
        "p95 ratio full/hundredth <= 1.5": all(r <= 1.5 for r in results["dashboard_p95_ratio"].values()),
        "throughput ratio >= 0.35": all(v >= 0.35 for k, v in results["throughput"].items() if k.endswith("_ratio")),
        "query counts equal": results["queries_equal"],
    }
    if "p95_s" in results["freshness"]:
        fresh = results["freshness"]
        targets["freshness p95 <= 60 s"] = fresh["p95_s"] is not None and fresh["p95_s"] <= 60 and not fresh["unseen"]
    check = results["originality"]
    targets[f"originality check p95 <= 200 ms at {check['texts']:,} texts"] = check["check_p95_ms"] <= 200
    targets["originality precision >= 0.95"] = (check["quality"]["precision"] or 0) >= 0.95
    targets["originality recall >= 0.9"] = (check["quality"]["recall"] or 0) >= 0.9
    results["targets"] = targets
    out = ROOT / "var" / "bench" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))
    for name, ok in targets.items():
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    log(f"results written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
