"""The schedule runs on the embedded default: `make run` alone sends reminders and keeps summaries fresh.

Without REDIS_URL tasks run in-process (CELERY_TASK_ALWAYS_EAGER), so `make run` starts
`celery beat` next to runserver and beat runs each periodic task in its own process when it
is due: no broker, no worker, nothing else installed. These tests use make run's settings.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.beat import PersistentScheduler, Scheduler
from django.db import connection
from django.utils import timezone

from courtlearn.celery import app as celery_app
from members.models import Notification
from tests.activities import sessions_factories as f

ROOT = Path(__file__).resolve().parent.parent
REMINDERS = "sessions-reminders"


def session_tomorrow(cast):
    """Tomorrow at 15:00: its speaker is due a reminder now."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(15, 0), tzinfo=timezone.get_current_timezone())
    session = f.make_session(cast.court, start=start, speakers=(cast.colleague,), audience_court=False)
    session.audience_departments.set([cast.department])
    return session


def test_make_run_starts_the_scheduler_next_to_the_server_when_there_is_no_redis():
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "MAKEFLAGS", "MAKELEVEL"}}
    recipe = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert recipe.returncode == 0, recipe.stderr
    beat = next(line for line in recipe.stdout.splitlines() if "celery -A courtlearn beat" in line)
    assert "-s var/celerybeat-schedule" in beat and "&" in beat  # in the background, beside runserver
    assert 'if [ -z "$REDIS_URL" ]' in recipe.stdout  # with Redis, `make beat` is the one scheduler
    assert "trap 'kill $beat" in recipe.stdout  # and it stops with the server
    assert recipe.stdout.rstrip().endswith("runserver 127.0.0.1:8000")


def test_every_scheduled_task_is_known_to_beat():
    """Beat without a broker runs what it knows; a task it did not know would go to memory and be lost."""
    tasks = celery_app.tasks  # finalizes the app, as beat does at start: the schedule is collected
    schedule = celery_app.conf.beat_schedule
    assert {REMINDERS, "reports-build-stale", "reports-sweep-stuck-builds", "courtlearn-outbox-flush"} <= set(schedule)
    assert not [entry["task"] for entry in schedule.values() if entry["task"] not in tasks]


def test_beat_with_make_runs_settings_sends_a_due_reminder_in_its_own_process(cast):
    assert celery_app.conf.task_always_eager  # make run's settings: no REDIS_URL, tasks in-process
    session_tomorrow(cast)
    celery_app.finalize(auto=True)
    scheduler = Scheduler(app=celery_app)
    entry = scheduler.schedule[REMINDERS]
    assert not entry.is_due().is_due  # beat just started: the next hourly round is ahead
    entry.last_run_at = timezone.now() - dt.timedelta(days=1)  # the round came
    scheduler.tick()
    reminder = Notification.objects.get(recipient=cast.colleague, kind="session_speaker_reminder")
    assert "周一学习例会" in reminder.text
    assert scheduler.schedule[REMINDERS].total_run_count == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_beat_process_with_make_runs_settings_sends_the_reminder(cast, tmp_path):
    """`celery beat` as make run starts it (no REDIS_URL, no worker), on this test's database
    (SQLite: a copy in beat's var folder, where make run keeps it; PostgreSQL in CI: the same one)."""
    session_tomorrow(cast)
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_DEBUG": "1", "COURTLEARN_VAR_DIR": str(tmp_path)})
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(tmp_path / "courtlearn.sqlite3")
        connection.connection.backup(copy)
        copy.close()

        def reminders() -> int:
            with sqlite3.connect(tmp_path / "courtlearn.sqlite3", timeout=20) as db:
                sql = "SELECT COUNT(*) FROM members_notification WHERE kind = 'session_speaker_reminder'"
                return db.execute(sql).fetchone()[0]
    else:
        db = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

        def reminders() -> int:
            return Notification.objects.filter(kind="session_speaker_reminder").count()

    # Beat's state file says the hourly reminder round last ran a day ago: it is due at start.
    celery_app.finalize(auto=True)
    schedule_file = tmp_path / "celerybeat-schedule"
    scheduler = PersistentScheduler(app=celery_app, schedule_filename=str(schedule_file))
    scheduler.schedule[REMINDERS].last_run_at = timezone.now() - dt.timedelta(days=1)
    scheduler.sync()
    scheduler.close()

    log_path = tmp_path / "beat.log"
    command = [sys.executable, "-m", "celery", "-A", "courtlearn", "beat", "-s", str(schedule_file), "-l", "INFO"]
    with open(log_path, "wb") as log:
        beat = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    sent = 0
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and beat.poll() is None:
            sent = reminders()
            if sent:
                break
            time.sleep(0.5)
    finally:
        beat.terminate()
        try:
            beat.wait(timeout=20)
        except subprocess.TimeoutExpired:
            beat.kill()
            beat.wait()
    output = log_path.read_text(errors="replace")
    assert sent == 1, output[-4000:]
    assert "activities.sessions.send_reminders" in output and "Traceback" not in output, output[-4000:]
