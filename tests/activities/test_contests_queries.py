"""List, results and statistics pages run a fixed number of queries, whatever the amount of data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Contest
from activities.services.contests.judging import assignment_score
from activities.services.contests.voting import vote_cast
from tests.activities.contests_helpers import (
    add_criteria,
    add_entry,
    assign,
    finished_attempt,
    give_award,
    make_assessment,
    make_contest,
    make_question,
    quiz_with_questions,
    record,
    start,
)
from tests.factories import make_member


def grow(cast, n: int) -> dict:
    """n speakers, voters, judges' scores, quiz takers, questions and results, all in court A."""
    court = cast.court
    people = [make_member(court, f"干警{n}-{i}", department=cast.department) for i in range(n)]
    contest = make_contest(court, judging=True, title=f"演讲比赛{n}")
    add_criteria(contest)
    now = timezone.now()
    for i, person in enumerate(people):
        entry = add_entry(contest, person)
        vote_cast(contest=contest, voter=people[(i + 1) % n], entry=entry, now=now)
        assignment = assign(contest, entry, cast.member)
        assignment_score(
            judge=cast.member,
            assignment=assignment,
            points={c.pk: Decimal(c.max_points) for c in contest.criteria.all()},
            now=now,
        )
        give_award(contest, entry)
        make_contest(court, title=f"其他比赛{n}-{i}")
    quiz = quiz_with_questions(court, n)
    for person in people:
        finished_attempt(quiz, person)
    finished_attempt(quiz, cast.member)
    assessment = make_assessment(court)
    for person in people:
        record(assessment, person, chars_per_minute=120, accuracy=Decimal(96))
        make_question(court, tags=["民法典"])
    contest.phase = Contest.Phase.PUBLISHED
    contest.save()
    member_quiz = quiz_with_questions(court, n, title=f"微测验{n}", attempts_allowed=2)
    return {"contest": contest, "quiz": quiz, "assessment": assessment, "member_quiz": member_quiz, "people": people}


PAGES = [
    ("member", lambda d: reverse("activities:contest_list")),
    ("member", lambda d: reverse("activities:contest_detail", args=[d["contest"].pk])),
    ("member", lambda d: reverse("activities:contest_results", args=[d["contest"].pk])),
    ("organizer", lambda d: reverse("activities:contest_judges", args=[d["contest"].pk])),
    ("organizer", lambda d: reverse("activities:contest_awards", args=[d["contest"].pk])),
    ("member", lambda d: reverse("activities:judge_tasks", args=[d["contest"].pk])),
    ("member", lambda d: reverse("activities:quiz_list")),
    ("organizer", lambda d: reverse("activities:quiz_list") + "?show=all"),
    ("member", lambda d: reverse("activities:quiz_detail", args=[d["quiz"].pk])),
    ("organizer", lambda d: reverse("activities:quiz_stats", args=[d["quiz"].pk])),
    ("leader", lambda d: reverse("activities:quiz_ranking", args=[d["quiz"].pk])),
    ("organizer", lambda d: reverse("activities:quiz_questions", args=[d["quiz"].pk])),
    ("organizer", lambda d: reverse("activities:question_list")),
    ("organizer", lambda d: reverse("activities:assessment_list")),
    ("organizer", lambda d: reverse("activities:assessment_detail", args=[d["assessment"].pk])),
    ("member", lambda d: reverse("activities:my_results")),
    ("member", lambda d: reverse("my_learning")),
    ("organizer", lambda d: reverse("manage")),
    ("member", lambda d: reverse("members:member_detail", args=[d["people"][0].pk])),
    ("member", lambda d: reverse("activities:attempt_result", args=[d["quiz"].attempts.get(member=d["member"]).pk])),
    ("member", lambda d: reverse("activities:attempt_take", args=[d["active"].pk])),
    # Staff see every answer and explanation of a member's attempt.
    ("organizer", lambda d: reverse("activities:attempt_result", args=[d["quiz"].attempts.get(member=d["member"]).pk])),
    ("organizer", lambda d: reverse("activities:contest_detail", args=[d["contest"].pk])),
    ("organizer", lambda d: reverse("activities:contest_results", args=[d["contest"].pk])),
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{role}-{i}" for i, (role, _url) in enumerate(PAGES)])
def test_query_count_does_not_grow_with_the_data(cast, role, url, django_assert_max_num_queries):
    client = cast.client_for(role)
    small = grow(cast, 3)
    small["member"] = cast.member
    small["active"] = start(small["member_quiz"], cast.member)
    few = count_queries(client, url(small))
    big = grow(cast, 10)
    big["member"] = cast.member
    big["active"] = start(big["member_quiz"], cast.member)
    target = url(big)
    with django_assert_max_num_queries(few):
        client.get(target)
    assert few <= 40
