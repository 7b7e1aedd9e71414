"""Malformed forms, files and URLs get a clear answer (a form error, a message, 404), never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Question, QuizQuestion
from tests.activities.contests_helpers import (
    add_entry,
    assign,
    make_assessment,
    make_contest,
    make_question,
    quiz_with_questions,
    start,
)

GARBAGE = {
    "entry": "x",
    "entries": ["a", "999999"],
    "voter": "zz",
    "phase": "nonsense",
    "reason": "x" * 500,
    "action": "ranking",
    "first": "-1",
    "kind": "no-such-kind",
    "questions": ["abc", "0"],
    "publish": "maybe",
    "answer": "1; DROP TABLE",
    "value": ["\x00", "x" * 5000],
    "token": "garbage",
    "mode": "everything",
    "member": "-5",
    "score": "NaN",
    "accuracy": "Infinity",
    "chars_per_minute": "-3",
    "criteria": "\x00\x00",
    "judges": ["x"],
    "form-TOTAL_FORMS": "abc",
    "file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04 broken zip"),
}


def urls(cast) -> list[tuple[str, str]]:
    contest = make_contest(cast.court, judging=True)
    entry = add_entry(contest, cast.colleague)
    assignment = assign(contest, entry, cast.member)
    quiz = quiz_with_questions(cast.court, 2)
    attempt = start(quiz, cast.member)
    question = make_question(cast.court)
    assessment = make_assessment(cast.court)
    return [
        ("organizer", reverse("activities:contest_create")),
        ("organizer", reverse("activities:contest_update", args=[contest.pk])),
        ("organizer", reverse("activities:contest_phase", args=[contest.pk])),
        ("organizer", reverse("activities:contest_criteria", args=[contest.pk])),
        ("organizer", reverse("activities:contest_judges", args=[contest.pk])),
        ("organizer", reverse("activities:contest_paper_ballot", args=[contest.pk])),
        ("organizer", reverse("activities:contest_awards", args=[contest.pk])),
        ("organizer", reverse("activities:entry_create", args=[contest.pk])),
        ("member", reverse("activities:contest_vote", args=[contest.pk])),
        ("member", reverse("activities:assignment_score", args=[assignment.pk])),
        ("organizer", reverse("activities:quiz_create")),
        ("organizer", reverse("activities:quiz_update", args=[quiz.pk])),
        ("organizer", reverse("activities:quiz_publish", args=[quiz.pk])),
        ("member", reverse("activities:attempt_save", args=[attempt.pk])),
        ("member", reverse("activities:attempt_take", args=[attempt.pk])),
        ("organizer", reverse("activities:question_create")),
        ("organizer", reverse("activities:question_update", args=[question.pk])),
        ("organizer", reverse("activities:question_import")),
        ("organizer", reverse("activities:assessment_create")),
        ("organizer", reverse("activities:assessment_update", args=[assessment.pk])),
        ("organizer", reverse("activities:assessment_result_create", args=[assessment.pk])),
        ("organizer", reverse("activities:assessment_import", args=[assessment.pk])),
    ]


def test_garbage_posts_never_end_in_a_server_error(cast):
    for role, url in urls(cast):
        GARBAGE["file"].seek(0)
        response = cast.client_for(role).post(url, GARBAGE)
        assert response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?page=99999", "?show=../../etc", "?tag=abc&kind=zzz&q=%00", "?format=exe"],
)
def test_odd_query_strings_on_lists(cast, query):
    for role, name in [
        ("member", "activities:contest_list"),
        ("member", "activities:quiz_list"),
        ("organizer", "activities:question_list"),
        ("organizer", "activities:assessment_list"),
    ]:
        assert cast.client_for(role).get(reverse(name) + query).status_code == 200


def test_unknown_objects_are_404(cast):
    client = cast.client_for("organizer")
    for name in ["contest_detail", "quiz_detail", "entry_detail", "attempt_result", "assessment_detail"]:
        assert client.get(reverse(f"activities:{name}", args=[999999])).status_code == 404
    contest = make_contest(cast.court)
    receipt = reverse("activities:vote_receipt", args=[contest.pk, "<script>"])
    assert client.get(receipt).status_code == 404
    entry = add_entry(contest, cast.colleague)
    assert client.get(reverse("activities:entry_file", args=[entry.pk])).status_code == 404, "no file attached"


def test_nul_characters_never_reach_the_database(cast):
    """PostgreSQL refuses NUL in text and JSON: search terms, receipts and typed answers drop them."""
    quiz = quiz_with_questions(cast.court, 0)
    fill = Question.objects.create(
        court=cast.court, kind=Question.Kind.FILL, text="推进____中国建设。", answer_text="法治"
    )
    QuizQuestion.objects.create(quiz=quiz, question=fill, order=0)
    attempt = start(quiz, cast.member)
    answer = attempt.answers.get()
    save = reverse("activities:attempt_save", args=[attempt.pk])
    assert cast.client_for("member").post(save, {"answer": answer.pk, "value": "法\x00治"}).json() == {"ok": True}
    answer.refresh_from_db()
    assert answer.response == ["法治"]
    contest = make_contest(cast.court)
    assert cast.client_for("member").get(f"/activities/contests/{contest.pk}/receipts/AB%00CD-EFGH/").status_code == 404
    assert cast.client_for("organizer").get(reverse("activities:question_list") + "?q=%00民法典").status_code == 200
