"""Builders for contests, quizzes and assessments in tests. Plain functions: tests say what they need."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from activities.models import (
    Assessment,
    AssessmentResult,
    Attempt,
    Award,
    Contest,
    Entry,
    JudgeAssignment,
    JudgingCriterion,
    Question,
    QuestionOption,
    QuestionTag,
    Quiz,
    QuizQuestion,
)
from activities.services.contests.quizzes import attempt_submit, quiz_start
from members.models import Court, Member

HOUR = dt.timedelta(hours=1)


def posted_time(name: str, when: dt.datetime) -> dict:
    """What a browser posts for a date-time field drawn as a date picker and a 24-hour time box
    (courtlearn.widgets.DateTime24Widget): `<name>_date` and `<name>_time`, in local time."""
    when = timezone.localtime(when) if timezone.is_aware(when) else when
    return {f"{name}_date": f"{when:%Y-%m-%d}", f"{name}_time": f"{when:%H:%M}"}


def make_contest(
    court: Court,
    *,
    phase: str = Contest.Phase.JUDGING,
    voting: bool = True,
    judging: bool = False,
    opens: dt.datetime | None = None,
    closes: dt.datetime | None = None,
    **fields,
) -> Contest:
    now = timezone.now()
    fields.setdefault("title", "我和我热爱的岗位 周分享演讲比赛")
    fields.setdefault("audience_weight", 100 if voting and not judging else (0 if judging and not voting else 50))
    contest = Contest.objects.create(
        court=court,
        phase=phase,
        voting_enabled=voting,
        judging_enabled=judging,
        vote_opens_at=opens or now - HOUR,
        vote_closes_at=closes or now + HOUR,
        **fields,
    )
    return contest


def add_entry(contest: Contest, member: Member, title: str = "", **fields) -> Entry:
    number = contest.entries.count() + 1
    return Entry.objects.create(
        contest=contest,
        member=member,
        number=number,
        title=title or f"演讲 {number}",
        department=member.department,
        branch=member.party_branch,
        **fields,
    )


def add_criteria(contest: Contest, criteria=(("内容", 40), ("表达", 30), ("仪态", 20), ("时间", 10))):
    return [
        JudgingCriterion.objects.create(contest=contest, name=name, max_points=points, order=i)
        for i, (name, points) in enumerate(criteria)
    ]


def assign(contest: Contest, entry: Entry, judge: Member) -> JudgeAssignment:
    contest.judges.add(judge)
    return JudgeAssignment.objects.create(contest=contest, entry=entry, judge=judge)


def give_award(contest: Contest, entry: Entry, kind: str = Award.Kind.FORUM_STAR) -> Award:
    return Award.objects.create(contest=contest, entry=entry, kind=kind)


def attach_pdf(entry: Entry) -> Entry:
    entry.file.save("speech.pdf", ContentFile(b"%PDF-1.4\n%test\n"), save=False)
    entry.file_name = "讲稿.pdf"
    entry.save()
    return entry


def make_question(court: Court, kind: str = Question.Kind.SINGLE, text: str = "", tags=(), **fields) -> Question:
    question = Question.objects.create(
        court=court,
        kind=kind,
        text=text or f"题目 {Question.objects.count() + 1}",
        explanation="解析：见条文。",
        **fields,
    )
    if kind == Question.Kind.SINGLE:
        for i, option in enumerate(["甲", "乙", "丙", "丁"]):
            QuestionOption.objects.create(question=question, text=option, is_correct=i == 1, order=i)
    elif kind == Question.Kind.MULTIPLE:
        for i, option in enumerate(["甲", "乙", "丙", "丁"]):
            QuestionOption.objects.create(question=question, text=option, is_correct=i in (0, 2), order=i)
    for name in tags:
        question.tags.add(QuestionTag.objects.get_or_create(court=court, name=name)[0])
    return question


def make_quiz(court: Court, questions=(), *, status: str = Quiz.Status.PUBLISHED, **fields) -> Quiz:
    now = timezone.now()
    fields.setdefault("title", "微测验 第1期")
    fields.setdefault("opens_at", now - HOUR)
    fields.setdefault("closes_at", now + 24 * HOUR)
    quiz = Quiz.objects.create(court=court, status=status, **fields)
    for i, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, order=i)
    return quiz


def quiz_with_questions(court: Court, n: int = 3, **fields) -> Quiz:
    return make_quiz(court, [make_question(court) for _ in range(n)], **fields)


def start(quiz: Quiz, member: Member, now: dt.datetime | None = None) -> Attempt:
    return quiz_start(quiz=quiz, member=member, now=now or timezone.now(), rng=random.Random(1))


def finished_attempt(quiz: Quiz, member: Member, *, right: bool = True) -> Attempt:
    attempt = start(quiz, member)
    responses = {}
    for answer in attempt.answers.select_related("question"):
        correct = [o.pk for o in answer.question.options.all() if o.is_correct]
        wrong = [o.pk for o in answer.question.options.all() if not o.is_correct][:1]
        responses[answer.pk] = [str(pk) for pk in (correct if right else wrong)]
    attempt, _late = attempt_submit(attempt=attempt, responses=responses, now=timezone.now())
    return attempt


def make_assessment(court: Court, kind: str = Assessment.Kind.TYPING, **fields) -> Assessment:
    fields.setdefault("title", "书记员速录技能考核")
    fields.setdefault("held_on", dt.date(2026, 11, 10))
    if kind == Assessment.Kind.TYPING:
        fields.setdefault("pass_speed", 120)
        fields.setdefault("pass_accuracy", 95)
    return Assessment.objects.create(court=court, kind=kind, **fields)


def record(assessment: Assessment, member: Member, **values) -> AssessmentResult:
    return AssessmentResult.objects.create(assessment=assessment, member=member, **values)
