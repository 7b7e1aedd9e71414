"""Quiz rounds: set-up, publishing, per-round statistics, unit rankings always and individual
rankings only where the court turns them on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from activities.models import Quiz, QuizDrawRule
from activities.selectors.contests import quiz_statistics, quiz_unit_ranking
from members.models import Department
from tests.activities.contests_helpers import (
    finished_attempt,
    make_question,
    make_quiz,
    posted_time,
    quiz_with_questions,
)
from tests.factories import make_member


def quiz_data(**overrides) -> dict:
    now = timezone.localtime()
    data = {
        "title": "微测验 第2期",
        "number": 2,
        **posted_time("opens_at", now),
        **posted_time("closes_at", now + dt.timedelta(days=7)),
        "time_limit_minutes": 15,
        "selection": Quiz.Selection.FIXED,
        "shuffle_options": "on",
        "attempts_allowed": 1,
        "pass_mark": 60,
        "reveal": Quiz.Reveal.AFTER_CLOSE,
    }
    data.update(overrides)
    return data


def test_organizer_sets_up_and_publishes_a_round(cast):
    client = cast.client_for("organizer")
    response = client.post(reverse("activities:quiz_create"), quiz_data())
    quiz = Quiz.objects.get()
    assert response.url == reverse("activities:quiz_questions", args=[quiz.pk])
    assert quiz.status == Quiz.Status.DRAFT
    # Publishing without questions is refused.
    client.post(reverse("activities:quiz_publish", args=[quiz.pk]), {"publish": "1"})
    quiz.refresh_from_db()
    assert quiz.status == Quiz.Status.DRAFT
    questions = [make_question(cast.court) for _ in range(3)]
    client.post(reverse("activities:quiz_questions", args=[quiz.pk]), {"questions": [q.pk for q in questions]})
    assert quiz.quiz_questions.count() == 3
    client.post(reverse("activities:quiz_publish", args=[quiz.pk]), {"publish": "1"})
    quiz.refresh_from_db()
    assert quiz.status == Quiz.Status.PUBLISHED
    assert cast.client_for("member").get(quiz.get_absolute_url()).status_code == 200


def test_round_numbers_are_unique_and_windows_ordered(cast):
    make_quiz(cast.court, number=2)
    client = cast.client_for("organizer")
    assert client.post(reverse("activities:quiz_create"), quiz_data()).status_code == 200
    later = timezone.localtime() - dt.timedelta(days=1)
    response = client.post(reverse("activities:quiz_create"), quiz_data(number=3, **posted_time("closes_at", later)))
    assert response.status_code == 200 and response.context["form"].errors
    assert Quiz.objects.count() == 1


def test_draw_rules_are_saved_from_the_form(cast):
    make_question(cast.court, tags=["民法典"])
    quiz = make_quiz(cast.court, selection=Quiz.Selection.RANDOM, status=Quiz.Status.DRAFT)
    tag = make_question(cast.court, tags=["民法典"]).tags.get()
    url = reverse("activities:quiz_questions", args=[quiz.pk])
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-tag": tag.pk,
        "form-0-count": "2",
        "form-1-tag": "",
        "form-1-count": "",
        "form-2-tag": "",
        "form-2-count": "",
    }
    assert cast.client_for("organizer").post(url, data).status_code == 302
    assert list(QuizDrawRule.objects.values_list("tag__name", "count")) == [("民法典", 2)]
    bad = {**data, "form-0-count": "abc"}
    assert cast.client_for("organizer").post(url, bad).status_code == 200


def test_statistics_count_participation_average_pass_rate_and_hardest_questions(cast):
    quiz = quiz_with_questions(cast.court, 4)
    finished_attempt(quiz, cast.member, right=True)
    finished_attempt(quiz, cast.colleague, right=False)
    stats = quiz_statistics(quiz)
    audience = stats["audience"]
    assert audience == 4  # the four active members of court A
    assert stats["participants"] == 2
    assert stats["participation"] == Decimal(50)
    assert stats["average"] == Decimal(50)
    assert stats["pass_rate"] == Decimal(50)
    assert len(stats["hardest"]) == 4 and stats["hardest"][0]["rate"] == 50.0
    page = cast.client_for("organizer").get(reverse("activities:quiz_stats", args=[quiz.pk])).content.decode()
    assert 'id="hardest"' in page and "2 / 4" in page


def test_departments_rank_by_average_best_score(cast):
    quiz = quiz_with_questions(cast.court, 2, attempts_allowed=2)
    criminal = Department.objects.create(court=cast.court, name="刑事审判庭")
    judge = make_member(cast.court, "周平", department=criminal)
    finished_attempt(quiz, judge, right=True)
    finished_attempt(quiz, cast.member, right=False)
    finished_attempt(quiz, cast.member, right=True)  # the best attempt counts
    finished_attempt(quiz, cast.colleague, right=False)
    ranking = quiz_unit_ranking(quiz)
    assert [(u.name, u.average) for u in ranking[:2]] == [("刑事审判庭", Decimal(100)), ("民一庭", Decimal(50))]
    assert ranking[1].participants == 2 and ranking[1].audience == 2


def test_individual_rankings_are_off_unless_the_court_turns_them_on(cast):
    quiz = quiz_with_questions(cast.court, 2, closes_at=timezone.now() + dt.timedelta(minutes=5))
    finished_attempt(quiz, cast.colleague)
    quiz.closes_at = timezone.now() - dt.timedelta(seconds=1)
    quiz.save()
    url = reverse("activities:quiz_ranking", args=[quiz.pk])
    page = cast.client_for("member").get(url).content.decode()
    assert 'id="unit-ranking"' in page and "民一庭" in page
    assert 'id="individual-ranking"' not in page and "李静" not in page
    cast.court.rankings_enabled = True
    cast.court.save()
    page = cast.client_for("member").get(url).content.decode()
    assert 'id="individual-ranking"' in page and "李静" in page


def test_members_see_open_quizzes_on_my_learning(cast):
    quiz = quiz_with_questions(cast.court, 1, title="微测验 第5期")
    page = cast.client_for("member").get(reverse("my_learning")).content.decode()
    assert quiz.title in page
    finished_attempt(quiz, cast.member)
    page = cast.client_for("member").get(reverse("my_learning")).content.decode()
    assert quiz.title not in page, "a quiz with no attempts left is not waiting for the member"
