"""`make chaos`: a court's day on PostgreSQL + Redis + gunicorn + worker + beat, with faults.

    make chaos                                  # 180 s of traffic and faults, seed 1
    CHAOS_SECONDS=60 CHAOS_SEED=7 make chaos

Everything runs on loopback in a temporary directory, as child processes of this script: its
own PostgreSQL cluster (initdb; restarted during the run), its own redis-server, gunicorn with
2 workers, one Celery worker and one beat. The demo court is seeded (seed_demo) and its summaries
built; then members log reading and submit reflections and organizers press 重新生成, through
the pages, each write carrying a unique token. Meanwhile, at random moments (from CHAOS_SEED),
one fault at a time: kill -9 a gunicorn worker, kill -9 the Celery worker and beat (each started
again), SIGSTOP Redis for a few seconds, stop and start Redis, restart PostgreSQL (fast shutdown).

Afterwards the faults stop, everything is running again, and the system is given a bounded time
to settle (outbox empty, no stale marks, no build queued or running, Redis queue empty). Then:
every write that got a success answer exists exactly once (found by its token); every task that
was due ran (no outbox row left, every acknowledged 重新生成 has a build finished after it, no
stale mark left, no build stuck); and every stored summary of the current month, quarter and year
equals a fresh recomputation. The counts are printed; any violation exits 1.
A write that failed (5xx, refused, timed out) may or may not exist: it is counted, not checked,
except that it must never exist twice.

Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) and redis-server. As root the
cluster runs as the postgres user.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import http.cookiejar
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_NAME = "cl_chaos"
PASSWORD = "demo-pass-2026"  # members.demo.DEMO_PASSWORD
FAULT_KINDS = ("web_worker_kill", "celery_worker_kill", "beat_kill", "redis_hang", "redis_restart", "pg_restart")
# Shorter than production so that the recovery paths (redelivery after a dead worker, the sweep
# of stuck builds) act within the settle time; the mechanisms are the same.
CHAOS_ENV = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "20",
    "CELERY_TASK_TIME_LIMIT": "25",
    "CELERY_VISIBILITY_TIMEOUT": "30",
}


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port(low: int, high: int) -> int:
    for port in range(low, high + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {low}..{high}")


def wait_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def prerequisites() -> str:
    """Empty when this machine can run the chaos run, else what is missing."""
    missing = []
    if pg_bin() is None:
        missing.append("PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if not shutil.which("psql"):
        missing.append("psql")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing.append("a postgres user (initdb refuses root)")
    return ", ".join(missing)


# ----------------------------------------------------------------------------------- processes


class Process:
    """One child process (in its own session, so kill -9 takes its children too), restartable."""

    def __init__(self, name: str, argv: list[str], *, env: dict, cwd: Path, log_dir: Path, user: str | None = None):
        self.name, self.argv, self.env, self.cwd, self.user = name, argv, env, cwd, user
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with self.log_path.open("a") as out:
            out.write(f"\n--- start {self.starts} at {time.strftime('%H:%M:%S')}\n")
            out.flush()
            self.popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                user=self.user,
                group=self.user,
                extra_groups=[] if self.user else None,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send(self, sig: int) -> None:
        if self.alive():
            os.kill(self.pid, sig)

    def kill9(self) -> None:
        """kill -9 the process and everything in its session (a worker's pool children)."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.pid, signal.SIGCONT)  # a stopped process cannot stop
            os.kill(self.pid, sig)
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
        except ProcessLookupError:
            pass

    def children(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1, restartable (fast shutdown)."""

    def __init__(self, work: Path, port: int, log_dir: Path):
        self.bin = pg_bin()
        self.data = work / "pgdata"
        self.socket_dir = work / "pgsocket"
        self.port = port
        self.user = "postgres" if os.geteuid() == 0 else None
        argv = [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(port), "-k", str(self.socket_dir)]
        argv += ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=100"]
        self.process = Process("postgres", argv, env=dict(os.environ), cwd=work, log_dir=log_dir, user=self.user)
        self.log_dir = log_dir

    def init(self) -> None:
        for path in (self.data, self.socket_dir):
            path.mkdir(parents=True)
            if self.user:
                shutil.chown(path, self.user, self.user)
        if self.user:
            shutil.chown(self.log_dir, self.user, self.user)
            (self.log_dir / "postgres.log").touch()
            shutil.chown(self.log_dir / "postgres.log", self.user, self.user)
        result = subprocess.run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            capture_output=True,
            text=True,
            user=self.user,
            group=self.user,
            extra_groups=[] if self.user else None,
            cwd="/",
            timeout=300,
        )
        if result.returncode:
            raise SystemExit(f"initdb failed:\n{result.stderr[-3000:]}")

    def start(self) -> None:
        self.process.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.psql("SELECT 1", db="postgres") == "1":
                return
            if not self.process.alive():
                break
            time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL did not start:\n{self.process.tail()}")

    def stop(self) -> None:
        self.process.stop(signal.SIGINT, timeout=60)  # SIGINT: fast shutdown

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def psql(self, sql: str, db: str = DB_NAME) -> str | None:
        """One value or rows as text; None when the server did not answer."""
        try:
            result = subprocess.run(
                ["psql", "-qAtX", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-c", sql],
                capture_output=True,
                text=True,
                timeout=20,
            )
        except subprocess.TimeoutExpired:
            return None
        return result.stdout.strip() if result.returncode == 0 else None


class Redis:
    def __init__(self, work: Path, port: int, log_dir: Path, *, persistent: bool):
        data = work / "redis"
        data.mkdir()
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(data)]
        # A broker must keep its queue over a restart: append-only file, flushed every second and
        # on shutdown. CHAOS_REDIS_PERSIST=0 shows what a Redis without it loses.
        argv += ["--appendonly", "yes" if persistent else "no", "--appendfsync", "everysec"]
        self.port = port
        self.process = Process("redis", argv, env=dict(os.environ), cwd=data, log_dir=log_dir)

    def start(self) -> None:
        self.process.start()
        if not wait_port(self.port, 30):
            raise RuntimeError(f"redis-server did not start:\n{self.process.tail()}")

    def cli(self, *args: str) -> str | None:
        try:
            result = subprocess.run(
                ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args], capture_output=True, text=True, timeout=5
            )
        except subprocess.TimeoutExpired:
            return None
        return result.stdout.strip() if result.returncode == 0 else None


# ------------------------------------------------------------------------------------ browsing


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str, timeout: float = 20):
        self.base = base
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, body, Location); status 0 when the server did not answer (refused, reset, timed out)."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method)
        if body is not None:
            req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                return response.status, response.read().decode(errors="replace"), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")
        except (OSError, urllib.error.URLError, http.client.HTTPException):
            return 0, "", ""

    def form(self, path: str) -> tuple[str, str] | None:
        """(csrf token, page) of a form page, None when the page did not come."""
        status, text, _location = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text) if status == 200 else None
        return (found.group(1), text) if found else None

    def login(self, username: str) -> bool:
        for _ in range(5):
            got = self.form("/accounts/login/")
            if got:
                status, _text, location = self.request(
                    "POST",
                    "/accounts/login/",
                    {"csrfmiddlewaretoken": got[0], "username": username, "password": PASSWORD},
                )
                if status == 302 and "/accounts/login/" not in location:
                    return True
            time.sleep(1)
        return False


def select_options(page: str, name: str) -> list[str]:
    found = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    return list(re.findall(r'<option value="(\d+)"', found.group(0))) if found else []


@dataclass
class Write:
    kind: str  # reading_log, reflection, rebuild
    token: str
    who: str
    status: int
    acknowledged: bool
    at: float  # time.time() when the answer came
    detail: dict = field(default_factory=dict)


class Scenario:
    """Members and organizers using the site; every write attempt is recorded."""

    def __init__(
        self, base: str, rng: random.Random, members: list[str], organizers: list[tuple[str, int]], drafts: dict
    ):
        self.base, self.rng = base, rng
        self.drafts = drafts  # court id (text) -> draft campaign ids
        self.members, self.organizers = members, organizers
        self.writes: list[Write] = []
        self.page_failures = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.go = threading.Event()
        self.logged = 0
        self.run_id = uuid.uuid4().hex[:6]
        self.count = 0

    def token(self, kind: str) -> str:
        with self.lock:
            self.count += 1
            return f"chaos-{self.run_id}-{kind}-{self.count:05d}"

    def record(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)

    def failed_page(self, what: str) -> None:
        with self.lock:
            self.page_failures[what] += 1

    def logged_in(self, username: str) -> Browser | None:
        """Log in (before the faults: logins are slow on purpose), then wait for the start."""
        browser = Browser(self.base)
        ok = browser.login(username)
        if not ok:
            self.failed_page("login")
        with self.lock:
            self.logged += 1
        self.go.wait()
        return browser if ok else None

    def member_loop(self, username: str, seed: int) -> None:
        rng = random.Random(seed)
        browser = self.logged_in(username)
        if browser is None:
            return
        while not self.stop.is_set():
            if rng.random() < 0.75:
                self.reading_log(browser, username, rng)
            else:
                self.reflection(browser, username, rng)
            self.stop.wait(rng.uniform(0.1, 0.6))

    def reading_log(self, browser: Browser, username: str, rng: random.Random) -> None:
        got = browser.form("/activities/reading/logs/new/")
        books = select_options(got[1], "book") if got else []
        if not books:
            self.failed_page("reading log form")
            self.stop.wait(rng.uniform(0.5, 1.5))  # the site is in trouble: do not hammer it
            return
        token = self.token("log")
        data = {"csrfmiddlewaretoken": got[0], "book": rng.choice(books), "day": "", "pages": rng.randint(1, 40)}
        status, _text, location = browser.request("POST", "/activities/reading/logs/new/", {**data, "note": token})
        ok = status == 302 and "/accounts/login/" not in location
        self.record(Write("reading_log", token, username, status, ok, time.time()))

    def reflection(self, browser: Browser, username: str, rng: random.Random) -> None:
        got = browser.form("/activities/reading/reflections/new/")
        books = select_options(got[1], "book") if got else []
        if not books:
            self.failed_page("reflection form")
            self.stop.wait(rng.uniform(0.5, 1.5))
            return
        token = self.token("reflection")
        data = {
            "csrfmiddlewaretoken": got[0],
            "title": token,
            "book": rng.choice(books),
            "campaign": "",
            "body": f"读后感（{token}）：依法办案，公正司法。",
            "action": "submit",
        }
        status, _text, location = browser.request("POST", "/activities/reading/reflections/new/", data)
        ok = status == 302 and "/activities/reading/reflections/" in location
        self.record(Write("reflection", token, username, status, ok, time.time()))

    def activate(self, browser: Browser, username: str, campaign_id: int) -> None:
        """Start a draft campaign (开始活动): the write, and the announcement task it queues."""
        got = browser.form(f"/activities/reading/campaigns/{campaign_id}/") or browser.form("/reports/dashboard/")
        if not got:
            self.failed_page("campaign")
            return
        token = self.token("campaign")
        status, _text, location = browser.request(
            "POST",
            f"/activities/reading/campaigns/{campaign_id}/status/",
            {"csrfmiddlewaretoken": got[0], "status": "active"},
        )
        ok = status == 302 and f"/activities/reading/campaigns/{campaign_id}/" in location
        self.record(Write("campaign", token, username, status, ok, time.time(), {"campaign_id": campaign_id}))

    def organizer_loop(self, username: str, court_id: int, period: str, seed: int) -> None:
        rng = random.Random(seed)
        browser = self.logged_in(username)
        if browser is None:
            return
        turn = 0
        while not self.stop.wait(rng.uniform(3, 7)):
            turn += 1
            drafts = self.drafts.get(str(court_id), [])
            if turn % 2 == 0 and drafts:
                self.activate(browser, username, drafts.pop(0))
                continue
            got = browser.form(f"/reports/dashboard/?court={court_id}&period={period}")
            if not got:
                self.failed_page("dashboard")
                continue
            token = self.token("rebuild")
            sent = time.time()
            status, _text, location = browser.request(
                "POST", f"/reports/courts/{court_id}/rebuild/", {"csrfmiddlewaretoken": got[0], "period": period}
            )
            ok = status == 302 and "/reports/dashboard/" in location
            self.record(
                Write(
                    "rebuild",
                    token,
                    username,
                    status,
                    ok,
                    time.time(),
                    {"court_id": court_id, "period": period, "sent": sent},
                )
            )


# -------------------------------------------------------------------------------------- faults


class Chaos:
    """Injects the faults at the planned moments, one at a time, each bounded."""

    def __init__(self, site: Site, rng: random.Random, seconds: float):
        self.site, self.rng = site, rng
        rounds = max(1, round(seconds / 60))
        kinds = []
        for _ in range(rounds):
            batch = list(FAULT_KINDS)
            rng.shuffle(batch)
            kinds += batch
        # Faults in the first 80% of the run, one per slot at a random moment within it: the rest
        # of the run is traffic on a recovering system.
        window_start, window_end = 3.0, max(6.0, seconds * 0.8)
        slot = (window_end - window_start) / len(kinds)
        self.plan = [(window_start + i * slot + rng.uniform(0, slot * 0.5), kind) for i, kind in enumerate(kinds)]
        self.done: Counter = Counter()
        self.log: list[str] = []
        self.stop = threading.Event()

    def run(self, started: float) -> None:
        for at, kind in self.plan:
            if self.stop.wait(max(0.0, started + at - time.monotonic())):
                return
            began = time.monotonic()
            try:
                getattr(self, kind)()
            except Exception as exc:  # noqa: BLE001 - a fault that could not be injected is reported, not fatal
                self.log.append(f"{kind}: could not inject: {exc!r}")
                continue
            self.done[kind] += 1
            self.log.append(f"{time.monotonic() - started:6.1f}s {kind} ({time.monotonic() - began:.1f} s)")
            log(f"fault: {self.log[-1].strip()}")

    def web_worker_kill(self) -> None:
        deadline = time.monotonic() + 15
        while not (workers := self.site.gunicorn.children()) and time.monotonic() < deadline:
            time.sleep(0.2)  # the master is still starting one
        if not workers:
            raise RuntimeError("no gunicorn worker")
        os.kill(self.rng.choice(workers), signal.SIGKILL)  # the master starts another

    def celery_worker_kill(self) -> None:
        self.site.worker.kill9()
        time.sleep(self.rng.uniform(0.5, 3))
        self.site.worker.start()

    def beat_kill(self) -> None:
        self.site.beat.kill9()
        time.sleep(self.rng.uniform(0.5, 3))
        self.site.beat.start()

    def redis_hang(self) -> None:
        self.site.redis.process.send(signal.SIGSTOP)
        try:
            time.sleep(self.rng.uniform(2, 6))
        finally:
            self.site.redis.process.send(signal.SIGCONT)

    def redis_restart(self) -> None:
        self.site.redis.process.stop(signal.SIGTERM)
        time.sleep(self.rng.uniform(0.5, 3))
        self.site.redis.start()

    def pg_restart(self) -> None:
        self.site.pg.stop()
        time.sleep(self.rng.uniform(0.2, 2))
        self.site.pg.start()


# ---------------------------------------------------------------------------------------- site


class Site:
    def __init__(self, work: Path, *, persistent_redis: bool):
        self.work = work
        self.logs = work / "logs"
        self.logs.mkdir()
        self.pg = Postgres(work, free_port(5440, 5449), self.logs)
        self.redis = Redis(work, free_port(6390, 6399), self.logs, persistent=persistent_redis)
        self.web_port = free_port(8790, 8799)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_", "CELERY_"))
        }
        self.env.update(
            DATABASE_URL=self.pg.url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis.port}/0",
            DJANGO_SECRET_KEY="chaos-" + "k" * 50,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            COURTLEARN_VAR_DIR=str(work / "var"),
            AXES_FAILURE_LIMIT="1000",
            AXES_ADDRESS_FAILURE_LIMIT="100000",
            LOG_LEVEL="INFO",
            PYTHONWARNINGS="ignore",
            **CHAOS_ENV,
        )
        celery = [str(BIN / "celery"), "-A", "courtlearn"]
        self.gunicorn = self._process(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "courtlearn.wsgi",
                "-b",
                f"127.0.0.1:{self.web_port}",
                "-w",
                "2",
                "--timeout",
                "30",
            ],
        )
        self.worker = self._process(
            "worker", [*celery, "worker", "-l", "INFO", "--concurrency", "2", "-n", "chaos@%h", "--without-mingle"]
        )
        self.beat = self._process("beat", [*celery, "beat", "-l", "INFO", "-s", str(work / "celerybeat-schedule")])

    def _process(self, name: str, argv: list[str]) -> Process:
        return Process(name, argv, env=self.env, cwd=ROOT, log_dir=self.logs)

    def manage(self, *args: str, timeout: float = 900) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self) -> None:
        self.pg.init()
        self.pg.start()
        self.pg.psql(f"CREATE DATABASE {DB_NAME}", db="postgres")
        self.redis.start()
        log(f"PostgreSQL on port {self.pg.port}, Redis on {self.redis.port}: migrating and seeding the demo courts")
        for step in (("migrate", "--noinput", "-v", "0"), ("seed_demo",), ("build_summaries",)):
            began = time.monotonic()
            self.manage(*step)
            log(f"manage.py {step[0]}: {time.monotonic() - began:.0f} s")
        self.drafts = json.loads(self.manage("shell", "-c", DRAFTS).strip().splitlines()[-1])

    def start(self) -> None:
        self.gunicorn.start()
        self.worker.start()
        self.beat.start()
        if not wait_port(self.web_port, 60):
            raise RuntimeError(f"gunicorn did not start:\n{self.gunicorn.tail()}")
        deadline = time.monotonic() + 60
        while Browser(self.base).request("GET", "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn does not answer /healthz:\n{self.gunicorn.tail()}")
            time.sleep(0.5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def everything_running(self) -> None:
        """After the faults: every process up again (a fault interrupted mid-way included)."""
        self.redis.process.send(signal.SIGCONT)
        if not self.pg.process.alive():
            self.pg.start()
        if not self.redis.process.alive():
            self.redis.start()
        for process in (self.gunicorn, self.worker, self.beat):
            if not process.alive():
                process.start()

    def shutdown(self) -> None:
        for process in (self.beat, self.worker, self.gunicorn):
            process.stop(signal.SIGTERM, timeout=20)
        self.redis.process.stop(signal.SIGTERM, timeout=20)
        self.pg.stop()

    def backlog(self) -> dict | None:
        """What is still owed: outbox rows, stale marks, builds queued or running, Redis queue."""
        row = self.pg.psql(
            "SELECT (SELECT count(*) FROM members_taskoutbox), (SELECT count(*) FROM reports_summarystale),"
            " (SELECT count(*) FROM reports_summarybuild WHERE status IN ('queued', 'running'))"
        )
        queued, unacked = self.redis.cli("LLEN", "celery"), self.redis.cli("HLEN", "unacked")
        if not row or queued is None or unacked is None:
            return None
        outbox, stale, builds = (int(x) for x in row.split("|"))
        return {"outbox": outbox, "stale": stale, "builds": builds, "queued": int(queued), "unacked": int(unacked)}

    def settle(self, timeout: float) -> tuple[bool, float, dict | None]:
        started = time.monotonic()
        clear_since = None
        last = None
        shown = 0.0
        while time.monotonic() - started < timeout:
            last = self.backlog()
            if time.monotonic() - shown >= 15:
                shown = time.monotonic()
                log(f"still owed: {last}")
            if last is not None and not any(last.values()):
                clear_since = clear_since or time.monotonic()
                # Clear for a whole beat round of build_stale (marks debounced 5 s, claimed every 20 s).
                if time.monotonic() - clear_since >= 3:
                    return True, time.monotonic() - started, last
            else:
                clear_since = None
            time.sleep(1)
        return False, time.monotonic() - started, last


# Draft reading campaigns the organizers activate during the run: each activation queues the
# announcement task, whose effect (a notification to every member of the court) is checked.
DRAFTS = r"""
import datetime as dt, json
from activities.models import ReadingCampaign
from members.models import Court
today = dt.date.today()
drafts = {}
for court in Court.objects.filter(code__in=["qg", "cl"]):
    drafts[court.pk] = [
        ReadingCampaign.objects.create(
            court=court, title=f"演练读书活动{i:02d}", starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=60), status=ReadingCampaign.Status.DRAFT,
        ).pk
        for i in range(40)
    ]
print(json.dumps(drafts))
"""


# --------------------------------------------------------------------------------------- check


CHECK = r"""
import datetime as dt, json, sys
from activities.models import ReadingLog, Reflection
from members.models import Court, TaskOutbox
from reports.models import Summary, SummaryBuild, SummaryStale
from reports.periods import Period
from reports.services import compute_court_values

writes = json.load(open(sys.argv[1]))
found = {"reading_log": {}, "reflection": {}}
tokens = {kind: [w["token"] for w in writes if w["kind"] == kind] for kind in found}
for row in ReadingLog.objects.filter(note__in=tokens["reading_log"]).values_list("note", flat=True):
    found["reading_log"][row] = found["reading_log"].get(row, 0) + 1
for row in Reflection.objects.filter(title__in=tokens["reflection"]).values_list("title", flat=True):
    found["reflection"][row] = found["reflection"].get(row, 0) + 1
copies = {w["token"]: found[w["kind"]].get(w["token"], 0) for w in writes if w["kind"] in found}

rebuilds = []
for w in writes:
    if w["kind"] != "rebuild" or not w["acknowledged"]:
        continue
    period = Period.from_key(w["detail"]["period"])
    build = SummaryBuild.objects.filter(
        court_id=w["detail"]["court_id"], period_kind=period.kind, period_start=period.start
    ).first()
    # A build that started after the click: it counts everything committed before it.
    sent = dt.datetime.fromtimestamp(w["detail"]["sent"], tz=dt.timezone.utc)
    ran = bool(build and build.status == "done" and build.started_at and build.started_at >= sent)
    rebuilds.append({"token": w["token"], "ran": ran, "status": build.status if build else None, "error": build.error if build else ""})

from activities.models import ReadingCampaign
from members.models import Notification, NotificationMute
announcements = []
for w in writes:
    if w["kind"] != "campaign":
        continue
    campaign = ReadingCampaign.objects.get(pk=w["detail"]["campaign_id"])
    copies[w["token"]] = int(campaign.status == "active")
    if not w["acknowledged"] and campaign.status != "active":
        continue
    muted = NotificationMute.objects.filter(kind="reading.campaign").values_list("member_id", flat=True)
    due = set(campaign.eligible_members().exclude(pk__in=muted).values_list("pk", flat=True))
    sent = set(Notification.objects.filter(dedupe_key=f"reading-campaign-{campaign.pk}").values_list("recipient_id", flat=True))
    announcements.append({"token": w["token"], "due": len(due), "sent": len(due & sent), "acknowledged": w["acknowledged"]})

# Every court period with stored rows or a build (the seed built this and last month and
# quarter and this year; writes and 重新生成 touch this month, quarter and year).
pairs = set(Summary.objects.values_list("court_id", "period_kind", "period_start").distinct())
pairs |= set(SummaryBuild.objects.values_list("court_id", "period_kind", "period_start"))
courts = Court.objects.in_bulk()
compared, differ = 0, []
for court_id, kind, start in sorted(pairs):
    court, period = courts[court_id], Period(kind, start)
    rows = Summary.objects.filter(court=court, period_kind=period.kind, period_start=period.start)
    stored = {f"{k}:{i}": v for k, i, v in rows.values_list("unit_kind", "unit_id", "values")}
    built_at = rows.filter(unit_kind="court").values_list("built_at", flat=True).first()
    # As of the build: a session that ended since counts as held now, not a lost write.
    values = compute_court_values(court=court, period=period, now=built_at)
    fresh = {f"{k}:{i}": v for (k, i), v in values.items()}
    compared += 1
    if fresh != stored:
        units = sorted(set(fresh) | set(stored))
        diff = {u: {"stored": stored.get(u), "fresh": fresh.get(u)} for u in units if stored.get(u) != fresh.get(u)}
        differ.append({"court": court.code, "period": period.key, "units": dict(list(diff.items())[:5]), "count": len(diff)})

builds = {}
for status in SummaryBuild.objects.values_list("status", flat=True):
    builds[status] = builds.get(status, 0) + 1
print(json.dumps({
    "copies": copies,
    "rebuilds": rebuilds,
    "announcements": announcements,
    "outbox_left": TaskOutbox.objects.count(),
    "stale_left": SummaryStale.objects.count(),
    "builds": builds,
    "failed_builds": list(SummaryBuild.objects.filter(status="failed").values("court__code", "period_kind", "period_start", "error")[:10]),
    "summaries_compared": compared,
    "summaries_differ": differ,
}, default=str))
"""


def check(site: Site, writes: list[Write]) -> dict:
    path = site.work / "writes.json"
    path.write_text(json.dumps([asdict(w) for w in writes]))
    script = site.work / "check.py"
    script.write_text(
        "import os, sys, django\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'courtlearn.settings')\n"
        "django.setup()\n" + CHECK
    )
    result = subprocess.run(
        [sys.executable, str(script), str(path)], cwd=ROOT, env=site.env, capture_output=True, text=True, timeout=600
    )
    if result.returncode:
        raise RuntimeError(f"the check failed to run:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(writes: list[Write], result: dict, chaos: Chaos, scenario: Scenario, settled: tuple) -> list[str]:
    """Print the counts; return the violations."""
    violations = []
    copies = result["copies"]
    print("\n=== chaos run: results ===")
    print("faults injected: " + ", ".join(f"{kind} {chaos.done[kind]}" for kind in FAULT_KINDS))
    for line in chaos.log:
        if "could not inject" in line:
            print("  " + line)
    ok, seconds, backlog = settled
    print(f"settled: {'yes' if ok else 'NO'} after {seconds:.0f} s (left: {backlog})")
    if not ok:
        violations.append(f"the system did not settle: {backlog}")
    print("writes (acknowledged / found once / missing / duplicated; failed: found / absent / duplicated):")
    for kind in ("reading_log", "reflection", "campaign"):
        acked = [w for w in writes if w.kind == kind and w.acknowledged]
        failed = [w for w in writes if w.kind == kind and not w.acknowledged]
        once = sum(copies[w.token] == 1 for w in acked)
        missing = [w.token for w in acked if copies[w.token] == 0]
        dup = [w.token for w in writes if w.kind == kind and copies[w.token] > 1]
        f_found = sum(copies[w.token] == 1 for w in failed)
        statuses = Counter(w.status for w in failed)
        print(
            f"  {kind:12} {len(acked):5} / {once:5} / {len(missing)} / {len(dup)};"
            f" failed {len(failed)}: {f_found} / {len(failed) - f_found} / {sum(copies[w.token] > 1 for w in failed)}"
            f" (answers {dict(statuses)})"
        )
        if missing:
            violations.append(f"{kind}: acknowledged but missing: {missing[:10]}")
        if dup:
            violations.append(f"{kind}: more than one copy: {dup[:10]}")
    for kind in ("reading_log", "reflection", "rebuild", "campaign"):
        if not any(w.kind == kind and w.acknowledged for w in writes):
            violations.append(f"no {kind} was acknowledged: the scenario did not run")
    rebuilds = result["rebuilds"]
    ran = sum(r["ran"] for r in rebuilds)
    failed_rebuilds = sum(1 for w in writes if w.kind == "rebuild" and not w.acknowledged)
    print(
        f"tasks: 重新生成 acknowledged {len(rebuilds)}, a build started after it and done {ran} (failed requests {failed_rebuilds})"
    )
    print(
        f"       outbox rows left {result['outbox_left']}, stale marks left {result['stale_left']},"
        f" builds by status {result['builds']}"
    )
    announcements = result["announcements"]
    short = [a for a in announcements if a["sent"] != a["due"]]
    print(
        f"       campaigns started {len(announcements)} (acknowledged {sum(a['acknowledged'] for a in announcements)}),"
        f" announcements due {sum(a['due'] for a in announcements)}, sent {sum(a['sent'] for a in announcements)}"
    )
    if short:
        violations.append(f"campaign announcements not sent to everyone: {short[:5]}")
    if ran != len(rebuilds):
        violations.append(f"重新生成 without a build after it: {[r for r in rebuilds if not r['ran']][:5]}")
    if result["outbox_left"]:
        violations.append(f"{result['outbox_left']} tasks never handed to the broker")
    if result["stale_left"]:
        violations.append(f"{result['stale_left']} stale summary periods never built")
    if result["failed_builds"]:
        print(f"       failed builds: {result['failed_builds']}")
    differ = result["summaries_differ"]
    compared = result["summaries_compared"]
    print(f"summaries (court × period): compared {compared}, equal {compared - len(differ)}")
    for item in differ:
        print(f"  DIFFERS {item['court']} {item['period']}: {item['count']} units, e.g. {item['units']}")
    if differ:
        violations.append(f"{len(differ)} summaries differ from a fresh recomputation")
    if scenario.page_failures:
        print(f"pages that did not come (no write attempted): {dict(scenario.page_failures)}")
    print("violations: " + ("none" if not violations else ""))
    for violation in violations:
        print("  - " + violation)
    return violations


def accounts(site: Site, members: int) -> tuple[list[str], list[tuple[str, int]], str]:
    """Member usernames of the two county courts, their organizers with court ids, the month key."""
    rows = site.pg.psql(
        "SELECT u.username FROM members_member m JOIN auth_user u ON u.id = m.user_id"
        " JOIN members_court c ON c.id = m.court_id WHERE c.code IN ('qg', 'cl') AND m.role = 'member'"
        " AND m.is_active ORDER BY c.code DESC, u.username"
    )
    names = (rows or "").split()
    picked = names[: members - members // 3] + [n for n in names if n.startswith("cl-")][: members // 3]
    organizers = []
    for username, code in (("qg-1002", "qg"), ("cl-3001", "cl")):
        court_id = site.pg.psql(f"SELECT id FROM members_court WHERE code = '{code}'")
        organizers.append((username, int(court_id)))
    month = site.pg.psql("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')")
    return picked, organizers, month


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("CHAOS_SECONDS", "180")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CHAOS_SEED", "1")))
    parser.add_argument("--members", type=int, default=int(os.environ.get("CHAOS_MEMBERS", "6")))
    parser.add_argument("--settle", type=float, default=float(os.environ.get("CHAOS_SETTLE_SECONDS", "300")))
    parser.add_argument("--keep", action="store_true", default=os.environ.get("CHAOS_KEEP") == "1")
    args = parser.parse_args(argv)
    missing = prerequisites()
    if missing:
        print(f"make chaos needs: {missing}", file=sys.stderr)
        return 2
    persistent = os.environ.get("CHAOS_REDIS_PERSIST", "1") != "0"
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="courtlearn-chaos-"))
    work.chmod(0o755)  # the cluster's user must reach its data directory
    site = Site(work, persistent_redis=persistent)
    began = time.monotonic()
    try:
        site.prepare()
        site.start()
        members, organizers, month = accounts(site, args.members)
        log(f"site up at {site.base} ({time.monotonic() - began:.0f} s); {len(members)} members, 2 organizers")
        scenario = Scenario(site.base, rng, members, organizers, site.drafts)
        chaos = Chaos(site, rng, args.seconds)
        threads = [
            threading.Thread(target=scenario.member_loop, args=(name, args.seed * 1000 + i), daemon=True)
            for i, name in enumerate(members)
        ]
        threads += [
            threading.Thread(target=scenario.organizer_loop, args=(name, court, month, args.seed * 1000 + 100 + i))
            for i, (name, court) in enumerate(organizers)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 300
        while scenario.logged < len(threads) and time.monotonic() < deadline:
            time.sleep(0.2)
        scenario.go.set()
        started = time.monotonic()
        log(f"traffic and faults for {args.seconds:.0f} s (seed {args.seed}): {[k for _at, k in chaos.plan]}")
        chaos_thread = threading.Thread(target=chaos.run, args=(started,), daemon=True)
        chaos_thread.start()
        time.sleep(args.seconds)
        chaos.stop.set()
        chaos_thread.join(timeout=120)
        scenario.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        site.everything_running()
        log(f"traffic stopped: {len(scenario.writes)} writes tried; waiting for the system to settle")
        settled = site.settle(args.settle)
        result = check(site, scenario.writes)
        violations = report(scenario.writes, result, chaos, scenario, settled)
        print(f"wall time {time.monotonic() - began:.0f} s; logs in {site.logs}" if args.keep else "")
        return 1 if violations else 0
    finally:
        site.shutdown()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
