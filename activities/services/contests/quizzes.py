"""Micro-quiz rounds (微测验) and attempts, timed on the server.

An attempt's deadline is fixed when it starts: the time limit, or the quiz's close if sooner.
Answers that arrive after the deadline are refused; the attempt is then submitted with what
was saved before it, on the next request or by the periodic sweep, whichever comes first. Both
go through `_finish`, which claims the attempt with a conditional UPDATE, so it runs once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from members.models import Court, Department, Member, StudyGroup
from members.services import audit
from members.versions import bump_members

from ...models import Attempt, AttemptAnswer, Question, QuestionTag, Quiz, QuizDrawRule, QuizQuestion
from ...selectors.contests import in_audience, quantize
from . import ActionRefused

MAX_TEXT_ANSWER = 200


@transaction.atomic
def quiz_create(
    *,
    actor: Member,
    court: Court,
    fields: dict,
    departments: Iterable[Department] = (),
    groups: Iterable[StudyGroup] = (),
) -> Quiz:
    quiz = Quiz.objects.create(court=court, created_by=actor, status=Quiz.Status.DRAFT, **fields)
    quiz.audience_departments.set(departments)
    quiz.audience_groups.set(groups)
    audit(actor=actor.user, action="quiz.created", target=quiz, title=quiz.title)
    return quiz


@transaction.atomic
def quiz_update(
    *,
    actor: Member,
    quiz: Quiz,
    fields: dict,
    departments: Iterable[Department] = (),
    groups: Iterable[StudyGroup] = (),
) -> Quiz:
    if quiz.attempts.exists():
        frozen = ("time_limit_minutes", "selection", "attempts_allowed", "pass_mark")
        if any(name in fields and fields[name] != getattr(quiz, name) for name in frozen):
            raise ActionRefused(
                _("Members have started this quiz: its time limit, questions, attempts and pass mark are fixed.")
            )
    for name, value in fields.items():
        setattr(quiz, name, value)
    quiz.save()
    quiz.audience_departments.set(departments)
    quiz.audience_groups.set(groups)
    audit(actor=actor.user, action="quiz.updated", target=quiz)
    return quiz


def _refuse_if_started(quiz: Quiz) -> None:
    if quiz.attempts.exists():
        raise ActionRefused(_("Members have started this quiz: its questions can no longer change."))


@transaction.atomic
def quiz_set_questions(*, actor: Member, quiz: Quiz, questions: list[Question]) -> None:
    _refuse_if_started(quiz)
    if any(question.court_id != quiz.court_id for question in questions):
        raise ActionRefused(_("Questions must come from the court's own bank."))
    quiz.quiz_questions.all().delete()
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=question, order=i) for i, question in enumerate(questions)
    )
    audit(actor=actor.user, action="quiz.questions_set", target=quiz, questions=[q.pk for q in questions])


@transaction.atomic
def quiz_set_draw_rules(*, actor: Member, quiz: Quiz, rules: list[tuple[QuestionTag | None, int]]) -> None:
    _refuse_if_started(quiz)
    quiz.draw_rules.all().delete()
    QuizDrawRule.objects.bulk_create(QuizDrawRule(quiz=quiz, tag=tag, count=count) for tag, count in rules)
    audit(
        actor=actor.user,
        action="quiz.draw_rules_set",
        target=quiz,
        rules=[(tag.pk if tag else None, count) for tag, count in rules],
    )


def quiz_paper(quiz: Quiz, rng: random.Random) -> list[Question]:
    """The questions of one attempt, in order, with their options prefetched."""
    if quiz.selection == Quiz.Selection.FIXED:
        ids = list(quiz.quiz_questions.order_by("order", "id").values_list("question_id", flat=True))
        if quiz.shuffle_questions:
            rng.shuffle(ids)
    else:
        ids = []
        for rule in quiz.draw_rules.select_related("tag"):
            pool = Question.objects.filter(court_id=quiz.court_id, is_active=True).exclude(pk__in=ids)
            if rule.tag is not None:
                pool = pool.filter(tags=rule.tag)
            candidates = sorted(pool.values_list("pk", flat=True))
            if len(candidates) < rule.count:
                raise ActionRefused(
                    _("The bank has only %(n)s questions for %(tag)s, but the quiz draws %(count)s.")
                    % {"n": len(candidates), "tag": rule.tag or _("any tag"), "count": rule.count}
                )
            ids.extend(rng.sample(candidates, rule.count))
        rng.shuffle(ids)
    if not ids:
        raise ActionRefused(_("This quiz has no questions yet."))
    by_id = Question.objects.prefetch_related("options").in_bulk(ids)
    return [by_id[pk] for pk in ids]


@transaction.atomic
def quiz_publish(*, actor: Member, quiz: Quiz, publish: bool) -> Quiz:
    if publish:
        quiz_paper(quiz, random.Random(0))  # refuses when the questions are missing
    quiz.status = Quiz.Status.PUBLISHED if publish else Quiz.Status.DRAFT
    quiz.save(update_fields=["status", "updated_at"])
    audit(actor=actor.user, action="quiz.published" if publish else "quiz.unpublished", target=quiz)
    return quiz


def quiz_start(*, quiz: Quiz, member: Member, now: dt.datetime, rng: random.Random | None = None) -> Attempt:
    """Start an attempt, or return the one in progress (one active attempt at a time)."""
    active = quiz.attempts.filter(member=member, status=Attempt.Status.ACTIVE).first()
    if active is not None:
        # Closing a timed-out attempt commits on its own, whatever happens next.
        active = attempt_expire_if_due(attempt=active, now=now)
        if active.status == Attempt.Status.ACTIVE:
            return active
    return _attempt_create(quiz=quiz, member=member, now=now, rng=rng or random.Random())


@transaction.atomic
def _attempt_create(*, quiz: Quiz, member: Member, now: dt.datetime, rng: random.Random) -> Attempt:
    if quiz.status != Quiz.Status.PUBLISHED or now >= quiz.closes_at:
        raise ActionRefused(_("This quiz is closed."))
    if now < quiz.opens_at:
        raise ActionRefused(
            _("This quiz opens at %(time)s.") % {"time": formats.date_format(quiz.opens_at, "Y-m-d H:i")}
        )
    if not in_audience(quiz, member):
        raise ActionRefused(_("This quiz is not open to you."))
    used = quiz.attempts.filter(member=member).count()
    if used >= quiz.attempts_allowed:
        raise ActionRefused(_("You have used all your attempts at this quiz."))
    questions = quiz_paper(quiz, rng)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                member=member,
                number=used + 1,
                started_at=now,
                deadline=min(now + quiz.time_limit, quiz.closes_at),
                question_count=len(questions),
            )
    except IntegrityError:
        # A second tab started it at the same moment: continue that one.
        other = quiz.attempts.filter(member=member, status=Attempt.Status.ACTIVE).first()
        if other is None:
            raise ActionRefused(_("The quiz could not be started; please try again.")) from None
        return other
    answers = []
    for order, question in enumerate(questions):
        option_ids = [option.pk for option in question.options.all()] if question.is_choice else []
        if quiz.shuffle_options:
            rng.shuffle(option_ids)
        answers.append(AttemptAnswer(attempt=attempt, question=question, order=order, option_order=option_ids))
    AttemptAnswer.objects.bulk_create(answers)
    audit(actor=member.user, action="quiz.attempt_started", target=attempt, quiz=quiz.pk, number=attempt.number)
    return attempt


def clean_response(question: Question, option_order: list[int], raw: list) -> list:
    """Keep only what this question accepts: known options, one for single choice, true/false, texts."""
    if question.is_choice:
        chosen = set()
        for value in raw:
            try:
                chosen.add(int(value))
            except (TypeError, ValueError):
                continue
        picked = [pk for pk in option_order if pk in chosen]
        return picked[:1] if question.kind == Question.Kind.SINGLE else picked
    if question.kind == Question.Kind.TRUE_FALSE:
        values = {str(value).lower() for value in raw}
        if values == {"true"}:
            return [True]
        if values == {"false"}:
            return [False]
        return []
    blanks = max(1, len(question.blanks()))
    texts = [str(value).replace("\x00", "")[:MAX_TEXT_ANSWER].strip() for value in raw][:blanks]
    texts += [""] * (blanks - len(texts))
    return texts if any(texts) else []


def _apply_responses(attempt: Attempt, responses: dict[int, list], now: dt.datetime) -> None:
    answers = list(attempt.answers.select_related("question").filter(pk__in=responses.keys()))
    for answer in answers:
        answer.response = clean_response(answer.question, answer.option_order, responses[answer.pk])
        answer.answered_at = now
    AttemptAnswer.objects.bulk_update(answers, ["response", "answered_at"])


def _finish(attempt: Attempt, *, status: str, at: dt.datetime) -> Attempt:
    """Grade the saved answers and close the attempt, once (the UPDATE claims only an active attempt)."""
    answers = list(attempt.answers.select_related("question").prefetch_related("question__options"))
    for answer in answers:
        answer.is_correct = bool(answer.response) and answer.question.grade(answer.response)
    AttemptAnswer.objects.bulk_update(answers, ["is_correct"])
    correct = sum(1 for answer in answers if answer.is_correct)
    total = len(answers)
    score = quantize(Decimal(correct) * 100 / total) if total else Decimal(0)
    claimed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.ACTIVE).update(
        status=status,
        submitted_at=at,
        score=score,
        correct_count=correct,
        question_count=total,
        passed=score >= attempt.quiz.pass_mark,
    )
    attempt.refresh_from_db()
    if claimed:
        bump_members([attempt.member_id])
        audit(
            actor=attempt.member.user,
            action="quiz.attempt_submitted" if status == Attempt.Status.SUBMITTED else "quiz.attempt_expired",
            target=attempt,
            score=str(score),
        )
    return attempt


def attempt_save_answer(*, attempt: Attempt, answer_id: int, raw: list, now: dt.datetime) -> AttemptAnswer:
    """Save one answer while the attempt runs (the page saves each answer as it is given).

    After the deadline the answer is refused and the attempt is closed; the close is committed
    before the refusal is raised.
    """
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz", "member__user").get(pk=attempt.pk)
        if attempt.status != Attempt.Status.ACTIVE:
            message = _("This attempt is finished.")
        elif now > attempt.deadline:
            _finish(attempt, status=Attempt.Status.EXPIRED, at=attempt.deadline)
            message = _("Time is up: answers after the time limit are not accepted.")
        else:
            answer = attempt.answers.select_related("question").filter(pk=answer_id).first()
            if answer is None:
                message = _("This question is not in your attempt.")
            else:
                answer.response = clean_response(answer.question, answer.option_order, raw)
                answer.answered_at = now
                answer.save(update_fields=["response", "answered_at"])
                return answer
    raise ActionRefused(message)


@transaction.atomic
def attempt_submit(*, attempt: Attempt, responses: dict[int, list] | None, now: dt.datetime) -> tuple[Attempt, bool]:
    """Hand in the attempt. Returns the attempt and whether late answers were refused.

    A second submit returns the same result. At the deadline itself answers still count;
    after it, the attempt is closed with the answers saved before the deadline.
    """
    attempt = Attempt.objects.select_for_update().select_related("quiz", "member__user").get(pk=attempt.pk)
    if attempt.status != Attempt.Status.ACTIVE:
        return attempt, False
    if now > attempt.deadline:
        return _finish(attempt, status=Attempt.Status.EXPIRED, at=attempt.deadline), bool(responses)
    if responses:
        _apply_responses(attempt, responses, now)
    return _finish(attempt, status=Attempt.Status.SUBMITTED, at=now), False


@transaction.atomic
def attempt_expire_if_due(*, attempt: Attempt, now: dt.datetime) -> Attempt:
    """Close an attempt whose time is up (called on the next request that touches it)."""
    if attempt.status != Attempt.Status.ACTIVE or now <= attempt.deadline:
        return attempt
    attempt = Attempt.objects.select_for_update().select_related("quiz", "member__user").get(pk=attempt.pk)
    if attempt.status != Attempt.Status.ACTIVE:
        return attempt
    return _finish(attempt, status=Attempt.Status.EXPIRED, at=attempt.deadline)


def attempts_close_expired(*, now: dt.datetime) -> int:
    """The periodic sweep: close every attempt past its deadline. Safe to run twice, or in parallel."""
    closed = 0
    for pk in Attempt.objects.filter(status=Attempt.Status.ACTIVE, deadline__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update()
                .select_related("quiz", "member__user")
                .filter(pk=pk, status=Attempt.Status.ACTIVE)
                .first()
            )
            if attempt is not None:
                _finish(attempt, status=Attempt.Status.EXPIRED, at=attempt.deadline)
                closed += 1
    return closed
