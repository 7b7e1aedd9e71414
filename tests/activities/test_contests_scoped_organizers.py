"""An organizer limited to a department or a party branch runs only their own contests and quizzes.

The court-wide organizer (王芳) runs everything of the court. 钱干事 organizes for 第一党支部 and
孙干事 for 民一庭: each runs what they created, and 孙干事 also what is for 民一庭 alone. Everyone
else's contest they can still open and read, but not change.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import Contest, Quiz
from activities.selectors.contests import manages
from tests.activities.contests_helpers import make_contest, make_quiz
from tests.factories import make_member


def client_of(member) -> Client:
    client = Client()
    client.force_login(member.user, backend="members.backends.MemberModelBackend")
    return client


@pytest.fixture
def branch_organizer(cast):
    return make_member(cast.court, "钱干事", role="organizer", scope_branch=cast.branch)


@pytest.fixture
def department_organizer(cast):
    return make_member(cast.court, "孙干事", role="organizer", scope_department=cast.department)


def test_a_branch_organizer_cannot_run_the_courts_contest(cast, branch_organizer):
    contest = make_contest(cast.court, created_by=cast.organizer)
    client = client_of(branch_organizer)

    assert client.get(contest.get_absolute_url()).status_code == 200  # reading is fine
    for name in ("contest_update", "contest_awards", "contest_criteria", "contest_paper_ballot"):
        assert client.get(reverse(f"activities:{name}", args=[contest.pk])).status_code == 403, name
    closes = contest.vote_closes_at
    response = client.post(reverse("activities:contest_close_voting", args=[contest.pk]))
    assert response.status_code == 403
    contest.refresh_from_db()
    assert contest.vote_closes_at == closes

    page = client.get(contest.get_absolute_url()).content.decode()
    assert reverse("activities:contest_awards", args=[contest.pk]) not in page  # no buttons that would refuse


def test_a_branch_organizer_runs_the_contest_they_created(cast, branch_organizer):
    contest = make_contest(cast.court, created_by=branch_organizer)
    client = client_of(branch_organizer)
    assert client.get(reverse("activities:contest_awards", args=[contest.pk])).status_code == 200
    closes = contest.vote_closes_at
    assert client.post(reverse("activities:contest_close_voting", args=[contest.pk])).status_code == 302
    contest.refresh_from_db()
    assert contest.vote_closes_at < closes


def test_a_department_organizer_runs_contests_for_their_department_alone(cast, department_organizer):
    own = make_contest(cast.court, created_by=cast.organizer)
    own.audience_departments.set([cast.department])
    mixed = make_contest(cast.court, created_by=cast.organizer)
    mixed.audience_departments.set([cast.department, cast.organizer.department])
    whole_court = make_contest(cast.court, created_by=cast.organizer)
    client = client_of(department_organizer)

    assert client.get(reverse("activities:contest_update", args=[own.pk])).status_code == 200
    assert client.get(reverse("activities:contest_update", args=[mixed.pk])).status_code == 403
    assert client.get(reverse("activities:contest_update", args=[whole_court.pk])).status_code == 403


def test_the_court_wide_organizer_runs_every_contest_and_quiz(cast, branch_organizer):
    contest = make_contest(cast.court, created_by=branch_organizer)
    quiz = make_quiz(cast.court, created_by=branch_organizer, status=Quiz.Status.DRAFT)
    client = cast.client_for("organizer")
    assert client.get(reverse("activities:contest_update", args=[contest.pk])).status_code == 200
    assert client.get(reverse("activities:quiz_update", args=[quiz.pk])).status_code == 200


def test_quizzes_follow_the_same_rule(cast, branch_organizer, department_organizer):
    courts_quiz = make_quiz(cast.court, created_by=cast.organizer, status=Quiz.Status.DRAFT)
    own_quiz = make_quiz(cast.court, created_by=branch_organizer, status=Quiz.Status.DRAFT)
    department_quiz = make_quiz(cast.court, created_by=cast.organizer, status=Quiz.Status.DRAFT)
    department_quiz.audience_departments.set([cast.department])

    branch = client_of(branch_organizer)
    assert branch.get(reverse("activities:quiz_update", args=[courts_quiz.pk])).status_code == 403
    assert branch.get(reverse("activities:quiz_questions", args=[courts_quiz.pk])).status_code == 403
    assert branch.post(reverse("activities:quiz_publish", args=[courts_quiz.pk])).status_code == 403
    assert branch.get(reverse("activities:quiz_update", args=[own_quiz.pk])).status_code == 200
    courts_quiz.refresh_from_db()
    assert courts_quiz.status == Quiz.Status.DRAFT

    department = client_of(department_organizer)
    assert department.get(reverse("activities:quiz_update", args=[department_quiz.pk])).status_code == 200
    assert department.get(reverse("activities:quiz_update", args=[courts_quiz.pk])).status_code == 403


def test_manages_is_false_for_members_leaders_and_other_courts(cast):
    contest = make_contest(cast.court, created_by=cast.organizer)
    for person in (cast.member, cast.leader, cast.outsider):
        assert not manages(person.user, contest)
    assert manages(cast.organizer.user, contest)
    assert Contest.objects.count() == 1
