"""Quiz rounds timed on the server: the deadline, late answers, auto-submit, one active attempt,
double submits, attempts allowed, and when answers and explanations are shown."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import Attempt, Quiz, QuizDrawRule
from activities.services.contests import ActionRefused
from activities.services.contests.quizzes import (
    attempt_save_answer,
    attempt_submit,
    attempts_close_expired,
    quiz_start,
)
from activities.tasks.contests import quiz_attempts_close_expired_task
from tests.activities.contests_helpers import make_question, make_quiz, quiz_with_questions, start

MINUTE = dt.timedelta(minutes=1)


def right_responses(attempt: Attempt) -> dict[int, list]:
    return {
        a.pk: [str(o.pk) for o in a.question.options.all() if o.is_correct]
        for a in attempt.answers.select_related("question").prefetch_related("question__options")
    }


@pytest.fixture
def quiz(cast):
    return quiz_with_questions(cast.court, 4, time_limit_minutes=10)


def test_the_deadline_is_fixed_on_the_server_when_the_attempt_starts(cast, quiz):
    now = timezone.now()
    attempt = start(quiz, cast.member, now)
    assert attempt.deadline == now + 10 * MINUTE
    assert attempt.answers.count() == 4


def test_the_deadline_never_runs_past_the_quiz_close(cast):
    now = timezone.now()
    quiz = quiz_with_questions(cast.court, 2, time_limit_minutes=30, closes_at=now + 5 * MINUTE)
    assert start(quiz, cast.member, now).deadline == quiz.closes_at


def test_answers_handed_in_exactly_at_the_limit_count(cast, quiz):
    attempt = start(quiz, cast.member)
    attempt, refused = attempt_submit(attempt=attempt, responses=right_responses(attempt), now=attempt.deadline)
    assert not refused
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.score == 100 and attempt.passed


def test_answers_after_the_limit_are_refused_and_saved_ones_count(cast, quiz):
    attempt = start(quiz, cast.member)
    responses = right_responses(attempt)
    first = next(iter(responses))
    attempt_save_answer(attempt=attempt, answer_id=first, raw=responses[first], now=attempt.deadline - MINUTE)
    late = attempt.deadline + dt.timedelta(seconds=1)
    attempt, refused = attempt_submit(attempt=attempt, responses=responses, now=late)
    assert refused
    assert attempt.status == Attempt.Status.EXPIRED
    assert attempt.submitted_at == attempt.deadline
    assert attempt.correct_count == 1 and attempt.score == 25


def test_autosave_after_the_limit_is_refused_and_closes_the_attempt(cast, quiz):
    attempt = start(quiz, cast.member)
    answer = attempt.answers.first()
    with pytest.raises(ActionRefused):
        attempt_save_answer(
            attempt=attempt, answer_id=answer.pk, raw=[], now=attempt.deadline + dt.timedelta(seconds=1)
        )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED


def test_the_next_request_after_the_limit_submits_the_attempt(cast, quiz):
    attempt = start(quiz, cast.member, timezone.now() - 11 * MINUTE)
    response = cast.client_for("member").get(reverse("activities:attempt_take", args=[attempt.pk]))
    assert response.status_code == 302
    assert response.url == reverse("activities:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED


def test_a_late_form_post_over_http_is_refused(cast, quiz):
    attempt = start(quiz, cast.member, timezone.now() - 11 * MINUTE)
    data = {f"a{pk}": values for pk, values in right_responses(attempt).items()}
    response = cast.client_for("member").post(reverse("activities:attempt_take", args=[attempt.pk]), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED and attempt.correct_count == 0


def test_the_sweep_closes_expired_attempts_once(cast, quiz):
    now = timezone.now()
    expired = start(quiz, cast.member, now - 11 * MINUTE)
    running = start(quiz, cast.colleague, now - MINUTE)
    assert attempts_close_expired(now=now) == 1
    assert attempts_close_expired(now=now) == 0
    assert quiz_attempts_close_expired_task.delay().get() == 0
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.status == Attempt.Status.EXPIRED
    assert running.status == Attempt.Status.ACTIVE


def test_one_active_attempt_at_a_time(cast, quiz):
    quiz.attempts_allowed = 3
    quiz.save()
    first = start(quiz, cast.member)
    again = start(quiz, cast.member)
    assert again.pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            quiz=quiz, member=cast.member, number=2, started_at=timezone.now(), deadline=timezone.now()
        )


def test_a_double_submit_returns_the_same_result(cast, quiz):
    attempt = start(quiz, cast.member)
    now = timezone.now()
    first, _ = attempt_submit(attempt=attempt, responses=right_responses(attempt), now=now)
    second, refused = attempt_submit(attempt=attempt, responses={}, now=now + MINUTE)
    assert not refused
    assert (second.score, second.submitted_at, second.status) == (first.score, first.submitted_at, first.status)
    client = cast.client_for("member")
    url = reverse("activities:attempt_take", args=[attempt.pk])
    assert client.post(url, {}).url == reverse("activities:attempt_result", args=[attempt.pk])


def test_attempts_allowed_is_one_by_default(cast, quiz):
    attempt = start(quiz, cast.member)
    attempt_submit(attempt=attempt, responses={}, now=timezone.now())
    with pytest.raises(ActionRefused):
        start(quiz, cast.member)


def test_no_start_before_opening_or_after_closing(cast):
    now = timezone.now()
    later = make_quiz(cast.court, [make_question(cast.court)], opens_at=now + MINUTE, closes_at=now + 60 * MINUTE)
    with pytest.raises(ActionRefused):
        start(later, cast.member, now)
    with pytest.raises(ActionRefused):
        start(later, cast.member, later.closes_at)
    draft = make_quiz(cast.court, [make_question(cast.court)], status=Quiz.Status.DRAFT)
    with pytest.raises(ActionRefused):
        start(draft, cast.member, now)


def test_options_are_shuffled_per_attempt_and_the_order_is_kept(cast):
    quiz = quiz_with_questions(cast.court, 6, shuffle_options=True, attempts_allowed=2)
    attempt = quiz_start(quiz=quiz, member=cast.member, now=timezone.now(), rng=random.Random(3))
    orders = [a.option_order for a in attempt.answers.all()]
    natural = [sorted(order) for order in orders]
    assert orders != natural, "with six questions of four options, some order changes"
    page = cast.client_for("member").get(reverse("activities:attempt_take", args=[attempt.pk])).content.decode()
    first = attempt.answers.first()
    positions = [page.index(f'value="{pk}"') for pk in first.option_order]
    assert positions == sorted(positions), "the page shows the stored order"


def test_random_rounds_draw_by_tag_and_count(cast):
    for _ in range(5):
        make_question(cast.court, tags=["民法典"])
    for _ in range(5):
        make_question(cast.court, tags=["党的二十大精神"])
    quiz = make_quiz(cast.court, selection=Quiz.Selection.RANDOM)
    from activities.models import QuestionTag

    QuizDrawRule.objects.create(quiz=quiz, tag=QuestionTag.objects.get(name="民法典"), count=3)
    QuizDrawRule.objects.create(quiz=quiz, tag=QuestionTag.objects.get(name="党的二十大精神"), count=2)
    attempt = start(quiz, cast.member)
    tags = [a.question.tags.get().name for a in attempt.answers.select_related("question")]
    assert sorted(tags) == ["党的二十大精神"] * 2 + ["民法典"] * 3
    QuizDrawRule.objects.create(quiz=quiz, tag=None, count=20)
    with pytest.raises(ActionRefused, match="20"):
        start(quiz, cast.colleague)


def test_explanations_show_after_the_quiz_closes_not_before(cast, quiz):
    attempt = start(quiz, cast.member)
    attempt_submit(attempt=attempt, responses=right_responses(attempt), now=timezone.now())
    url = reverse("activities:attempt_result", args=[attempt.pk])
    client = cast.client_for("member")
    page = client.get(url).content.decode()
    assert 'id="answers-later"' in page and "解析：见条文。" not in page
    quiz.closes_at = timezone.now() - dt.timedelta(seconds=1)
    quiz.save()
    page = client.get(url).content.decode()
    assert "解析：见条文。" in page and 'id="answers-later"' not in page


def test_explanations_right_after_submitting_when_so_set(cast, quiz):
    quiz.reveal = Quiz.Reveal.AFTER_SUBMIT
    quiz.save()
    attempt = start(quiz, cast.member)
    url = reverse("activities:attempt_result", args=[attempt.pk])
    assert cast.client_for("member").get(url).url == reverse("activities:attempt_take", args=[attempt.pk])
    attempt_submit(attempt=attempt, responses={}, now=timezone.now())
    assert "解析：见条文。" in cast.client_for("member").get(url).content.decode()


def test_autosave_over_http(cast, quiz):
    attempt = start(quiz, cast.member)
    answer = attempt.answers.select_related("question").first()
    option = answer.question.options.get(is_correct=True)
    url = reverse("activities:attempt_save", args=[attempt.pk])
    client = cast.client_for("member")
    assert client.post(url, {"answer": answer.pk, "value": option.pk}).json() == {"ok": True}
    answer.refresh_from_db()
    assert answer.response == [option.pk]
    assert client.post(url, {"answer": "x"}).status_code == 400
    assert client.post(url, {"answer": 999999}).status_code == 409
