"""Never a silent zero, always fresh: writes mark their court's periods stale, and what a page or
file reads is built before it reads it (reports.freshness)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Attendance, ReadingLog, Session
from activities.services.sessions import attendance_mark_many
from reports import freshness
from reports.freshness import build_stale, ensure_fresh, periods_of
from reports.metrics import all_metrics
from reports.models import Summary, SummaryBuild, SummaryStale, UnitKind
from reports.periods import MONTH, QUARTER, YEAR, Period
from reports.services import build_run, summary_build
from tests.activities.reading_factories import make_book, make_log
from tests.activities.sessions_factories import make_session

OCTOBER = Period(MONTH, dt.date(2026, 10, 1))
OCTOBER_DAY = dt.date(2026, 10, 15)


def marks() -> set[tuple[int, str, dt.date]]:
    return set(SummaryStale.objects.values_list("court_id", "period_kind", "period_start"))


def marks_of(court, day) -> set[tuple[int, str, dt.date]]:
    return {(court.pk, p.kind, p.start) for p in periods_of(day)}


def court_value(court, period, key):
    row = Summary.objects.for_period(period).filter(unit_kind=UnitKind.COURT, unit_id=court.pk).first()
    return None if row is None else row.values.get(key, 0)


def stale_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if SummaryStale._meta.db_table in q["sql"]]


@pytest.fixture
def no_marks(cast):
    """Start from a clean slate: the cast's own writes (its members) marked today's periods."""
    SummaryStale.objects.all().delete()
    connection._stale_batch = None


def test_a_reading_log_marks_its_month_quarter_and_year_once_committed_without_building(
    cast, no_marks, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    book = make_book()
    with django_assert_max_num_queries(4) as queries, django_capture_on_commit_callbacks(execute=True):
        make_log(cast.member, book, day=OCTOBER_DAY)
    assert len(stale_statements(queries.captured_queries)) == 1  # one upsert for the three periods
    assert not [q for q in queries.captured_queries if "reports_summary " in q["sql"] + " "]  # no build
    assert marks() == marks_of(cast.court, OCTOBER_DAY)
    assert {Period(k, s) for _c, k, s in marks()} == {
        OCTOBER,
        Period(QUARTER, dt.date(2026, 10, 1)),
        Period(YEAR, dt.date(2026, 1, 1)),
    }
    assert not Summary.objects.exists()


def test_nothing_is_marked_until_the_write_commits(cast, no_marks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_log(cast.member, make_book(), day=OCTOBER_DAY)
        assert not marks()  # the writer's transaction has not committed yet
    assert callbacks
    for callback in callbacks:
        callback()
    assert marks() == marks_of(cast.court, OCTOBER_DAY)


def test_a_burst_of_writes_in_one_transaction_gives_one_upsert_and_one_mark_per_period(
    cast, no_marks, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    session = make_session(cast.court, start=timezone.make_aware(dt.datetime(2026, 10, 12, 9)), minutes=60)
    SummaryStale.objects.all().delete()
    connection._stale_batch = None
    people = [cast.member, cast.colleague, cast.leader, cast.organizer]
    with (
        django_assert_max_num_queries(80) as queries,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        attendance_mark_many(
            actor=cast.organizer, session=session, marks=[(p, Attendance.Status.PRESENT, "") for p in people]
        )
        book = make_book()
        for day in (3, 4, 5, 6, 7):
            make_log(cast.member, book, day=dt.date(2026, 10, day))
    assert Attendance.objects.count() == 4 and ReadingLog.objects.count() == 5
    assert len(stale_statements(queries.captured_queries)) == 1
    assert marks() == marks_of(cast.court, dt.date(2026, 10, 12))

    # Deleting the session cascades to its attendance: the receivers look the session up at most
    # twice (the first row, then from the transaction's memo), not once per attendance row.
    SummaryStale.objects.all().delete()
    with (
        django_assert_max_num_queries(40) as queries,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        Session.objects.get(pk=session.pk).delete()
    session_reads = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "activities_session"')]
    assert len(session_reads) <= 1 + 2
    assert marks() == marks_of(cast.court, dt.date(2026, 10, 12))


def test_a_second_write_keeps_the_first_marks_time(cast, no_marks, django_capture_on_commit_callbacks):
    book = make_book()
    with django_capture_on_commit_callbacks(execute=True):
        make_log(cast.member, book, day=OCTOBER_DAY)
    first = SummaryStale.objects.get(period_kind=MONTH).marked_at
    connection._stale_batch = None
    with django_capture_on_commit_callbacks(execute=True):
        make_log(cast.colleague, book, day=OCTOBER_DAY)
    assert SummaryStale.objects.get(period_kind=MONTH).marked_at == first  # a busy court is not starved
    assert SummaryStale.objects.count() == 3


def test_a_submitted_reflection_written_with_an_update_marks_today(cast, no_marks, django_capture_on_commit_callbacks):
    from activities.models import Reflection
    from activities.services.reading import reflection_submit
    from tests.activities.reading_factories import make_reflection

    reflection = make_reflection(cast.member, status=Reflection.Status.DRAFT)
    SummaryStale.objects.all().delete()
    connection._stale_batch = None
    with django_capture_on_commit_callbacks(execute=True):
        reflection_submit(reflection=reflection, now=timezone.now())
    assert marks() == marks_of(cast.court, timezone.localdate())


def test_build_stale_builds_the_marked_periods_and_clears_their_marks(
    cast, no_marks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_log(cast.member, make_book(), day=OCTOBER_DAY)
    now = timezone.now()
    assert build_stale(now) == 0  # younger than the debounce: a burst gets one build, later
    assert marks()
    with django_capture_on_commit_callbacks(execute=True):  # without a worker: built once the claim commits
        assert build_stale(now + dt.timedelta(seconds=freshness.DEBOUNCE_SECONDS + 1)) == 3
    assert not marks()
    assert court_value(cast.court, OCTOBER, "reading_logs") == 1
    assert court_value(cast.court, Period(YEAR, dt.date(2026, 1, 1)), "reading_logs") == 1
    assert SummaryBuild.objects.get(court=cast.court, period_kind=MONTH).status == SummaryBuild.Status.DONE


def test_two_build_stale_runs_at_once_never_build_the_same_period_twice(
    cast, no_marks, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import tasks

    with django_capture_on_commit_callbacks(execute=True):
        make_log(cast.member, make_book(), day=OCTOBER_DAY)
        make_log(cast.outsider, make_book(title="红岩"), day=dt.date(2026, 11, 2))
    later = timezone.now() + dt.timedelta(minutes=1)
    built: list[tuple[int, str]] = []
    second_run: list[int] = []
    real_build_run = tasks.build_run

    def build_run(*, court_id, period, now=None):
        built.append((court_id, period.key))
        if not second_run:  # a second runner (another beat, a retry) starts while the first builds
            second_run.append(build_stale(later))
        return real_build_run(court_id=court_id, period=period, now=now)

    monkeypatch.setattr(tasks, "build_run", build_run)
    with django_capture_on_commit_callbacks(execute=True):
        assert build_stale(later) == 6  # two courts, three periods each
    assert second_run == [0]  # the first run had claimed every mark before building
    assert sorted(built) == sorted(set(built)) and len(built) == 6


def test_with_a_worker_and_the_broker_down_the_claimed_builds_wait_in_the_outbox(
    cast, no_marks, django_capture_on_commit_callbacks, monkeypatch
):
    """Queued like every task (courtlearn.outbox.enqueue): the claim and the builds it owes commit
    together, so a broker that is down gets them, on beat's queue, when it is back."""
    from courtlearn import outbox
    from courtlearn.celery import app as celery_app
    from members.models import TaskOutbox

    with django_capture_on_commit_callbacks(execute=True):
        make_log(cast.member, make_book(), day=OCTOBER_DAY)
    sent = []

    def refused(name, args, kwargs, options, fast=False):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(outbox, "publish", refused)
    monkeypatch.setattr(outbox, "_down_until", 0.0)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    later = timezone.now() + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert build_stale(later, queue="builds") == 3
    assert not marks()  # claimed: the builds are owed, not lost
    assert not SummaryBuild.objects.exists()  # and not run here
    rows = list(TaskOutbox.objects.order_by("pk").values_list("task", "args", "options"))
    assert rows == [
        ("reports.build_summary", [cast.court.pk, p.key], {"queue": "builds"}) for p in periods_of(OCTOBER_DAY)
    ]

    monkeypatch.setattr(outbox, "publish", lambda name, args, kwargs, options, fast=False: sent.append((args, options)))
    TaskOutbox.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert outbox.flush() == 3 and not TaskOutbox.objects.exists()
    assert sent == [([cast.court.pk, p.key], {"queue": "builds"}) for p in periods_of(OCTOBER_DAY)]


def test_ensure_fresh_is_one_query_when_nothing_is_due(cast, no_marks, django_assert_num_queries):
    summary_build(court=cast.court, period=OCTOBER)
    with django_assert_num_queries(1):
        ensure_fresh(cast.court, OCTOBER)
    summary_build(court=cast.other_court, period=OCTOBER)
    summary_build(court=cast.city, period=OCTOBER)
    with django_assert_num_queries(1):  # the courts below too, and a dashboard's trend, still one
        ensure_fresh(cast.city, [OCTOBER, OCTOBER], with_children=True)


def test_ensure_fresh_builds_a_never_built_period_and_a_stale_one(cast, no_marks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_log(cast.member, make_book(), day=OCTOBER_DAY)
    ensure_fresh(cast.court, OCTOBER)  # never built
    assert court_value(cast.court, OCTOBER, "reading_logs") == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_log(cast.colleague, make_book(title="红岩"), day=OCTOBER_DAY)
    ensure_fresh(cast.court, OCTOBER, stale=False)  # a worker would build the stale one: not here
    assert court_value(cast.court, OCTOBER, "reading_logs") == 1
    ensure_fresh(cast.court, OCTOBER)  # tasks run in-process (the embedded default): built now
    assert court_value(cast.court, OCTOBER, "reading_logs") == 2
    assert (cast.court.pk, MONTH, OCTOBER.start) not in marks()


def workbook_value(response, court_name: str, key: str):
    sheet = load_workbook(io.BytesIO(response.content))["法院"]  # the courts side by side
    column = [m.key for m in all_metrics()].index(key) + 2
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] == court_name:
            return row[column - 1]
    raise AssertionError(f"{court_name} is not in the workbook")


def test_an_export_of_a_period_nobody_built_shows_the_numbers_not_zeros(cast, no_marks):
    make_log(cast.member, make_book(), day=OCTOBER_DAY)
    response = cast.client_for("leader").get(
        reverse("reports:export_xlsx", args=[cast.court.pk]), {"period": "2026-10"}
    )
    assert response.status_code == 200
    assert workbook_value(response, cast.court.name, "reading_logs") == 1


def test_a_city_courts_workbook_covers_a_basic_court_that_was_never_built(cast, no_marks):
    build_run(court_id=cast.city.pk, period=OCTOBER)  # only the city court was built, as before
    make_log(cast.member, make_book(), day=OCTOBER_DAY)
    make_log(cast.outsider, make_book(title="红岩"), day=OCTOBER_DAY)
    response = cast.client_for("city_leader").get(
        reverse("reports:export_xlsx", args=[cast.city.pk]), {"period": "2026-10"}
    )
    assert response.status_code == 200
    assert workbook_value(response, cast.court.name, "reading_logs") == 1
    assert workbook_value(response, cast.other_court.name, "reading_logs") == 1
    docx = cast.client_for("city_leader").get(
        reverse("reports:export_docx", args=[cast.city.pk]), {"period": "2026-10"}
    )
    assert docx.status_code == 200


def test_a_failed_build_sends_the_exporter_back_with_the_reason_instead_of_a_file(cast, no_marks, monkeypatch):
    from reports import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "summary_build", broken)
    response = cast.client_for("organizer").get(
        reverse("reports:export_xlsx", args=[cast.court.pk]), {"period": "2026-10"}, follow=True
    )
    assert response.status_code == 200 and response.redirect_chain
    page = response.content.decode()
    assert "统计汇总生成失败，可重试" in page  # the message
    assert "生成失败，可重试。" in page and "重试</button>" in page  # the build status, with the retry button
    assert SummaryBuild.objects.get(court=cast.court, period_kind=MONTH).status == SummaryBuild.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_embedded_default_a_members_log_shows_on_the_export_within_the_request(cast):
    today = timezone.localdate()
    this_month = Period.containing(MONTH, today)
    book = make_book()
    make_log(cast.member, book, day=today)
    summary_build(court=cast.court, period=this_month)  # built before the write, like last night's build
    response = cast.client_for("member").post(
        reverse("activities:reading_log_create"), {"book": book.pk, "day": today.isoformat(), "minutes": 30}
    )
    assert response.status_code == 302
    assert (cast.court.pk, MONTH, this_month.start) in marks()  # committed, so marked
    export = cast.client_for("leader").get(
        reverse("reports:export_xlsx", args=[cast.court.pk]), {"period": this_month.key}
    )
    assert workbook_value(export, cast.court.name, "reading_logs") == 2
    assert (cast.court.pk, MONTH, this_month.start) not in marks()


def test_rebuilding_a_city_court_rebuilds_the_courts_below(cast, no_marks, django_capture_on_commit_callbacks):
    from tests.factories import make_member

    city_organizer = make_member(cast.city, "周干事", role="organizer", username="city_organizer")
    make_log(cast.member, make_book(), day=OCTOBER_DAY)
    client = cast.client_for("leader")
    client.force_login(city_organizer.user, backend="members.backends.MemberModelBackend")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:rebuild", args=[cast.city.pk]), {"period": "2026-10"}, follow=True)
    assert response.status_code == 200
    built = set(SummaryBuild.objects.filter(status=SummaryBuild.Status.DONE).values_list("court_id", flat=True))
    assert built == {cast.city.pk, cast.court.pk, cast.other_court.pk}
    assert court_value(cast.court, OCTOBER, "reading_logs") == 1
    assert "数据更新于" in response.content.decode()  # the message says when, not "being rebuilt"


def test_the_build_status_says_when_the_numbers_were_built(cast):
    summary_build(court=cast.court, period=OCTOBER)
    finished = timezone.make_aware(dt.datetime(2026, 12, 6, 17, 42))
    SummaryBuild.objects.create(
        court=cast.court, period_kind=MONTH, period_start=OCTOBER.start, status="done", finished_at=finished
    )
    client = cast.client_for("organizer")
    page = client.get(reverse("reports:build_status", args=[cast.court.pk]), {"period": "2026-10"}).content.decode()
    assert "数据更新于 12月6日 17:42" in page
    SummaryBuild.objects.update(status=SummaryBuild.Status.FAILED, error="boom")
    page = client.get(reverse("reports:build_status", args=[cast.court.pk]), {"period": "2026-10"}).content.decode()
    assert "生成失败，可重试" in page and "boom" not in page
    assert reverse("reports:rebuild", args=[cast.court.pk]) in page  # the retry button
    leader_page = cast.client_for("leader").get(
        reverse("reports:build_status", args=[cast.court.pk]), {"period": "2026-10"}
    )
    assert reverse("reports:rebuild", args=[cast.court.pk]) not in leader_page.content.decode()  # may not rebuild
