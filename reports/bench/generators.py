"""Activity generators for the benchmark: three years of a province's learning, by COPY.

Volumes at scale 1 (30,000 members, 120 courts), about 30 million rows:
reading logs ~15.9M, session attendances ~5.6M, plan items ~5.4M, monthly plans ~1.1M, quiz
attempts ~1.2M, reflections ~0.45M, session reflections ~0.7M, sessions, speakers, outputs.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from psycopg.types.json import Jsonb

from activities.models import (
    Attempt,
    Attendance,
    Book,
    MonthlyPlan,
    OutputAuthor,
    PlanItem,
    Quiz,
    ReadingLog,
    Reflection,
    ResearchOutput,
    Session,
    SessionKind,
    SessionReflection,
    Speaker,
)

from .data import END, START, Context, generator

TZ = ZoneInfo("Asia/Shanghai")


def copy_model(cursor, model, rows) -> int:
    """COPY dicts of attnames into a model's table; missing fields take the model's defaults."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for field in fields:
        if field.has_default():
            value = field.get_default()
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.null:
            value = None
        elif isinstance(field, models.CharField | models.TextField | models.FileField):
            value = ""
        else:
            value = None
        defaults[field.attname] = value
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for field in fields:
                value = row.get(field.attname, defaults[field.attname])
                if field.attname in json_fields and value is not None:
                    value = Jsonb(value)
                values.append(value)
            copy.write_row(values)
            count += 1
    return count


def weeks(ctx: Context) -> int:
    return ctx.days() // 7


@generator
def reading(ctx: Context, cursor) -> int:
    books = Book.objects.bulk_create(Book(title=f"书目{i}", author="作者") for i in range(300))
    book_ids = [b.pk for b in books]
    rng = ctx.rng
    days = ctx.days()
    per_member = 530  # about 3.4 logs a week: counting outputs, not minutes online

    def logs():
        for member_id, _court, _dept in ctx.members:
            book = rng.choice(book_ids)
            for _ in range(per_member):
                yield {
                    "member_id": member_id,
                    "book_id": book,
                    "day": START + dt.timedelta(days=rng.randrange(days)),
                    "minutes": 30,
                    "finished": rng.random() < 0.03,
                }

    count = copy_model(cursor, ReadingLog, logs())

    def reflections():
        for member_id, _court, _dept in ctx.members:
            for _ in range(15):
                day = START + dt.timedelta(days=rng.randrange(days))
                at = dt.datetime.combine(day, dt.time(10), tzinfo=TZ)
                featured = rng.random() < 0.1
                yield {
                    "author_id": member_id,
                    "title": "读书心得",
                    "body": "体会",
                    "body_html": "<p>体会</p>",
                    "book_id": rng.choice(book_ids),
                    "status": Reflection.Status.FEATURED if featured else Reflection.Status.SUBMITTED,
                    "submitted_at": at,
                    "featured_at": at if featured else None,
                }

    return count + copy_model(cursor, Reflection, reflections())


@generator
def sessions(ctx: Context, cursor) -> int:
    kinds = dict(SessionKind.objects.values_list("code", "pk"))
    rng = ctx.rng
    by_court: dict[int, list[int]] = {}
    for member_id, court_id, _dept in ctx.members:
        by_court.setdefault(court_id, []).append(member_id)

    def sessions_rows():
        for court_id in ctx.courts:
            for week in range(weeks(ctx)):
                day = START + dt.timedelta(days=7 * week)
                start = dt.datetime.combine(day, dt.time(8, 30), tzinfo=TZ)
                for kind, hour in (("weekly_share", 0), ("micro_class", 6)):
                    if kind == "micro_class" and week % 2:
                        continue
                    yield {
                        "court_id": court_id,
                        "kind_id": kinds[kind],
                        "title": "周一学习例会" if kind == "weekly_share" else "微课堂",
                        "start": start + dt.timedelta(hours=hour),
                        "end": start + dt.timedelta(hours=hour + 1),
                        "status": Session.Status.HELD,
                        "audience_court": True,
                        "sign_in_secret": secrets.token_hex(16),
                    }

    count = copy_model(cursor, Session, sessions_rows())
    cursor.execute("SELECT id, court_id, start FROM activities_session")
    held = cursor.fetchall()

    def attendance_rows():
        for session_id, court_id, start in held:
            members = by_court[court_id]
            for member_id in rng.sample(members, k=max(1, int(len(members) * 0.8))):
                yield {
                    "session_id": session_id,
                    "member_id": member_id,
                    "status": Attendance.Status.PRESENT,
                    "method": "code",
                    "signed_in_at": start,
                }

    count += copy_model(cursor, Attendance, attendance_rows())
    count += copy_model(
        cursor,
        Speaker,
        ({"session_id": s, "member_id": rng.choice(by_court[c]), "position": 0} for s, c, _start in held),
    )

    def session_reflection_rows():
        for session_id, court_id, start in held:
            for member_id in rng.sample(by_court[court_id], k=max(1, len(by_court[court_id]) // 10)):
                yield {"session_id": session_id, "author_id": member_id, "text": "很有收获", "created_at": start}

    return count + copy_model(cursor, SessionReflection, session_reflection_rows())


@generator
def quizzes(ctx: Context, cursor) -> int:
    rng = ctx.rng
    quizzes_per_court = ctx.days() // 24 + 1  # a round every 24 days, about 15 a year, up to October 2026
    quiz_rows = []
    for court_id in ctx.courts:
        for i in range(quizzes_per_court):
            opens = dt.datetime.combine(START + dt.timedelta(days=i * 24), dt.time(9), tzinfo=TZ)
            quiz_rows.append(Quiz(court_id=court_id, title=f"微测验 第{i + 1}期", opens_at=opens,
                                  closes_at=opens + dt.timedelta(days=7)))  # fmt: skip
    created = Quiz.objects.bulk_create(quiz_rows, batch_size=2000)
    by_court: dict[int, list[int]] = {}
    for member_id, court_id, _dept in ctx.members:
        by_court.setdefault(court_id, []).append(member_id)

    def attempts():
        for quiz in created:
            members = by_court[quiz.court_id]
            for member_id in rng.sample(members, k=int(len(members) * 0.9)):
                score = Decimal(rng.randrange(40, 101))
                yield {
                    "quiz_id": quiz.pk,
                    "member_id": member_id,
                    "status": Attempt.Status.SUBMITTED,
                    "started_at": quiz.opens_at,
                    "deadline": quiz.opens_at + dt.timedelta(minutes=20),
                    "submitted_at": quiz.opens_at + dt.timedelta(minutes=15),
                    "score": score,
                    "correct_count": int(score) // 10,
                    "question_count": 10,
                    "passed": score >= 60,
                }

    return len(created) + copy_model(cursor, Attempt, attempts())


@generator
def plans(ctx: Context, cursor) -> int:
    rng = ctx.rng
    months = []
    year, month = START.year, START.month
    while dt.date(year, month, 1) < END:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    count = copy_model(
        cursor,
        MonthlyPlan,
        (
            {"member_id": m, "year": y, "month": mo, "reported_at": dt.datetime(y, mo, 28, 17, tzinfo=TZ)}
            for m, _c, _d in ctx.members
            for y, mo in months
        ),
    )
    cursor.execute("SELECT id FROM activities_monthlyplan")
    plan_ids = [row[0] for row in cursor.fetchall()]
    statuses = [PlanItem.Status.DONE] * 7 + [PlanItem.Status.PARTLY] * 2 + [PlanItem.Status.NOT_DONE]
    count += copy_model(
        cursor,
        PlanItem,
        (
            {"plan_id": plan_id, "text": "学习任务", "position": i, "status": rng.choice(statuses)}
            for plan_id in plan_ids
            for i in range(5)
        ),
    )
    outputs = []
    for court_id in ctx.courts:
        for i in range(int(60 * max(ctx.scale, 0.05))):
            outputs.append(ResearchOutput(court_id=court_id, kind=rng.choice(["paper", "typical_case", "briefing"]),
                                          title=f"调研成果{i}", date=ctx.random_day()))  # fmt: skip
    created = ResearchOutput.objects.bulk_create(outputs, batch_size=2000)
    members_by_court: dict[int, list[int]] = {}
    for member_id, court_id, _dept in ctx.members:
        members_by_court.setdefault(court_id, []).append(member_id)
    count += len(created) + copy_model(
        cursor,
        OutputAuthor,
        (
            {"output_id": o.pk, "position": 1, "member_id": rng.choice(members_by_court[o.court_id]), "name": "作者"}
            for o in created
        ),
    )
    return count
