"""Scoring of each question type: single, multiple (exact set), true/false, fill in the blank."""

from __future__ import annotations

import pytest

from activities.models import Question, QuestionOption
from activities.services.contests.quizzes import clean_response


@pytest.fixture
def single(cast):
    question = Question.objects.create(court=cast.court, kind=Question.Kind.SINGLE, text="民法典自哪一年起施行？")
    options = [
        QuestionOption.objects.create(question=question, text=text, is_correct=text == "2021年", order=i)
        for i, text in enumerate(["2019年", "2020年", "2021年", "2022年"])
    ]
    return question, options


@pytest.fixture
def multiple(cast):
    question = Question.objects.create(court=cast.court, kind=Question.Kind.MULTIPLE, text="下列属于审判组织的有：")
    options = [
        QuestionOption.objects.create(question=question, text=text, is_correct=i < 3, order=i)
        for i, text in enumerate(["独任庭", "合议庭", "审判委员会", "执行局"])
    ]
    return question, options


def test_single_choice_counts_only_the_correct_option(single):
    question, options = single
    assert question.grade([options[2].pk])
    assert not question.grade([options[0].pk])
    assert not question.grade([])
    assert not question.grade(["not a number"])


def test_multiple_choice_counts_only_the_exact_set(multiple):
    question, options = multiple
    right = [o.pk for o in options[:3]]
    assert question.grade(right)
    assert question.grade(list(reversed(right)))
    assert not question.grade(right[:2]), "a partial set is wrong"
    assert not question.grade([o.pk for o in options]), "a superset is wrong"


def test_true_or_false(cast):
    question = Question.objects.create(
        court=cast.court,
        kind=Question.Kind.TRUE_FALSE,
        text="习近平法治思想是全面依法治国的根本遵循。",
        true_false_answer=True,
    )
    assert question.grade([True])
    assert not question.grade([False])
    assert not question.grade([])
    assert not question.grade(["true"]), "only a cleaned response counts"


def test_fill_in_the_blank_accepts_alternatives_and_ignores_width_case_and_spaces(cast):
    question = Question.objects.create(
        court=cast.court,
        kind=Question.Kind.FILL,
        text="坚持以____为中心，努力让人民群众在每一个司法案件中感受到____。",
        answer_text="人民|群众；公平正义",
    )
    assert question.blanks() == [["人民", "群众"], ["公平正义"]]
    assert question.grade(["人民", "公平正义"])
    assert question.grade([" 群 众 ", "公平正义。"])
    assert not question.grade(["人民"]), "every blank must be filled"
    assert not question.grade(["公平正义", "人民"]), "blanks are in order"
    latin = Question.objects.create(court=cast.court, kind=Question.Kind.FILL, text="____", answer_text="CPC")
    assert latin.grade(["ｃｐｃ"])


def test_responses_are_cleaned_before_grading(single, multiple, cast):
    question, options = single
    order = [o.pk for o in options]
    assert clean_response(question, order, [str(options[1].pk), str(options[2].pk)]) == [options[1].pk]
    assert clean_response(question, order, ["999999"]) == []
    many, many_options = multiple
    assert clean_response(many, [o.pk for o in many_options], [str(o.pk) for o in many_options[:2]]) == [
        o.pk for o in many_options[:2]
    ]
    tf = Question(kind=Question.Kind.TRUE_FALSE)
    assert clean_response(tf, [], ["false"]) == [False]
    assert clean_response(tf, [], ["true", "false"]) == []
    fill = Question(kind=Question.Kind.FILL, answer_text="甲;乙")
    assert clean_response(fill, [], ["a" * 500]) == ["a" * 200, ""]
