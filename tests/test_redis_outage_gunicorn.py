"""With Redis hung or down, the real site (gunicorn, production settings) still answers fast and keeps writes.

A court's organizer logs in, opens 我的学习 and the dashboard and logs some reading while Redis
(cache and broker) is first a socket that accepts and never answers (a stopped Redis process behind
a live socket), then a port where nothing listens. Every answer comes within 2 s, and the reading
log is in the database with its court's summaries marked for rebuilding; when Redis is back (a real
redis-server on that port, when installed) a worker builds them and the numbers count the log.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGE_BUDGET = 2.0  # seconds: the promise for every page with Redis hung or down
USERNAME, PASSWORD = "qg-7001", "Fayuan-Xuexi-2026"

SEED = f"""
from django.contrib.auth import get_user_model
from activities.models import Book
from members.models import Court, Department, Member
court = Court.objects.create(name="前郭县人民法院", code="qg")
dept = Department.objects.create(court=court, name="政治部")
user = get_user_model().objects.create_user(username="{USERNAME}", password="{PASSWORD}")
Member.objects.create(user=user, court=court, name="王芳", employee_number="7001", department=dept,
                      role=Member.Role.ORGANIZER)
print(Book.objects.create(title="习近平法治思想学习纲要").pk)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def hung_socket() -> Iterator[str]:
    """A redis:// URL whose server accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        server.close()


def site_env(var_dir: Path, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_"))}
    env.update(
        DJANGO_SECRET_KEY="outage-test-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        COURTLEARN_VAR_DIR=str(var_dir),
        REDIS_URL=redis_url,
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
    )
    return env


def manage(var_dir: Path, *args: str, redis_url: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=site_env(var_dir, redis_url),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, int]:
    """A file SQLite database, migrated, with an organizer of one court and a book: (var dir, book id)."""
    var_dir = tmp_path_factory.mktemp("outage-var")
    manage(var_dir, "migrate", "--noinput", "-v", "0")
    book_id = int(manage(var_dir, "shell", "-c", SEED).strip().splitlines()[-1])
    return var_dir, book_id


@contextmanager
def gunicorn(var_dir: Path, redis_url: str) -> Iterator[str]:
    port = free_port()
    log = (var_dir / f"gunicorn-{port}.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "courtlearn.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"],
        cwd=ROOT,
        env=site_env(var_dir, redis_url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (var_dir / f"gunicorn-{port}.log").read_text()[-3000:]
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, CSRF and a stopwatch: each request is timed and bounded."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.timings: list[tuple[str, int, float]] = []

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method)
        if body is not None:
            req.add_header("Referer", self.base + path)
        started = time.monotonic()
        try:
            with self.opener.open(req, timeout=15) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        self.timings.append((f"{method} {path}", status, time.monotonic() - started))
        return status, text

    def csrf(self, path: str) -> str:
        status, text = self.request("GET", path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)


def journey(base: str, book_id: int, minutes: int) -> list[tuple[str, int, float]]:
    """Log in, open 我的学习 and the dashboard, log reading: what a member does every day."""
    browser = Browser(base)
    token = browser.csrf("/accounts/login/")
    status, _ = browser.request(
        "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
    )
    assert status == 302, "the login was refused"
    assert browser.request("GET", "/me/")[0] == 200
    assert browser.request("GET", "/reports/dashboard/")[0] == 200
    token = browser.csrf("/activities/reading/logs/new/")
    status, _ = browser.request(
        "POST",
        "/activities/reading/logs/new/",
        {"csrfmiddlewaretoken": token, "book": book_id, "minutes": minutes, "day": ""},
    )
    assert status == 302, "the reading log was not accepted"
    assert browser.request("GET", "/me/")[0] == 200
    return browser.timings


def reading_minutes(var_dir: Path) -> list[int]:
    with sqlite3.connect(var_dir / "courtlearn.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT minutes FROM activities_readinglog ORDER BY id")]


def stale_marks(var_dir: Path) -> int:
    with sqlite3.connect(var_dir / "courtlearn.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM reports_summarystale").fetchone()[0]


def password_check_seconds() -> float:
    """What checking one password costs on this machine (PBKDF2, production's iterations)."""
    import hashlib

    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    started = time.monotonic()
    hashlib.pbkdf2_hmac("sha256", b"password", b"salt", PBKDF2PasswordHasher.iterations)
    return time.monotonic() - started


def assert_fast(timings: list[tuple[str, int, float]]) -> None:
    print(*(f"{what}: {status} in {seconds:.2f} s" for what, status, seconds in timings), sep="\n")
    # The login POST also checks the password, deliberately slow and busy on a shared CI machine:
    # that CPU time is not Redis's to answer for.
    hashing = password_check_seconds()
    slow = [
        (what, status, round(seconds, 2))
        for what, status, seconds in timings
        if seconds > PAGE_BUDGET + (hashing if what == "POST /accounts/login/" else 0)
    ]
    assert not slow, f"slower than {PAGE_BUDGET} s with Redis failing: {slow}"


def warm_up(base: str) -> None:
    # A fresh gunicorn worker loads URLs and templates on its first requests, Redis or not.
    for _ in range(4):
        Browser(base).request("GET", "/accounts/login/")


def test_with_redis_hung_and_then_down_pages_answer_within_two_seconds_and_writes_are_kept(site):
    var_dir, book_id = site
    with hung_socket() as hung_url, gunicorn(var_dir, hung_url) as base:
        warm_up(base)
        timings = journey(base, book_id, minutes=35)
    assert_fast(timings)
    assert reading_minutes(var_dir) == [35]

    down_url = f"redis://127.0.0.1:{free_port()}/0"
    with gunicorn(var_dir, down_url) as base:
        warm_up(base)
        timings = journey(base, book_id, minutes=40)
    assert_fast(timings)
    assert reading_minutes(var_dir) == [35, 40]
    # The summaries that count these logs are marked for rebuilding, in the database: nothing
    # waits on the broker, so nothing is lost while it is away.
    assert stale_marks(var_dir) > 0


PUBLISH = """
import time
from reports.tasks import build_summary
started = time.monotonic()
try:
    build_summary.delay(1, "month:2026-12")
except Exception as exc:
    print(type(exc).__name__)
print(time.monotonic() - started)
"""


def test_a_task_published_from_a_request_on_a_hung_redis_gives_up_within_the_page_budget(site):
    """A page that queues a task (重新生成, a campaign's announcement) is not held by a hung broker."""
    var_dir, _book_id = site
    with hung_socket() as hung_url:
        error, seconds = manage(var_dir, "shell", "-c", PUBLISH, redis_url=hung_url).split()[-2:]
    assert error == "OperationalError"
    assert float(seconds) < PAGE_BUDGET


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_when_redis_returns_a_worker_builds_what_the_outage_writes_left_behind(site, tmp_path):
    var_dir, book_id = site
    down_port = free_port()
    down_url = f"redis://127.0.0.1:{down_port}/0"
    with gunicorn(var_dir, down_url) as base:
        warm_up(base)
        assert_fast(journey(base, book_id, minutes=25))
    assert stale_marks(var_dir) > 0

    redis = subprocess.Popen(
        ["redis-server", "--port", str(down_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", down_port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)
        worker = subprocess.Popen(
            [str(BIN / "celery"), "-A", "courtlearn", "worker", "--pool=solo", "-l", "WARNING"],
            cwd=ROOT,
            env=site_env(var_dir, down_url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # What beat does every 20 s: claim the marks left by the writes and queue their builds.
        manage(
            var_dir,
            "shell",
            "-c",
            "import datetime as dt; from django.utils import timezone; from reports.freshness import build_stale; "
            "print(build_stale(timezone.now() + dt.timedelta(minutes=1)))",
            redis_url=down_url,
        )
        deadline = time.monotonic() + 90
        while built_reading_logs(var_dir) != len(reading_minutes(var_dir)):
            assert time.monotonic() < deadline, "the builds queued after Redis returned did not run"
            time.sleep(0.5)
        assert stale_marks(var_dir) == 0
    finally:
        for process in (worker, redis):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def built_reading_logs(var_dir: Path) -> int:
    """Reading logs in the court's summary of the current month, as the last build stored them."""
    with sqlite3.connect(var_dir / "courtlearn.sqlite3") as db:
        row = db.execute(
            """SELECT "values" FROM reports_summary WHERE unit_kind = 'court' AND period_kind = 'month'
               ORDER BY period_start DESC LIMIT 1"""
        ).fetchone()
    return json.loads(row[0]).get("reading_logs", 0) if row else 0
