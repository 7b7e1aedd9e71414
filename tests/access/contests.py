"""Access cases for contests, quizzes, the question bank and assessments.

Contests and quizzes belong to court A: the outsider (court B) never sees them (404). Members
of court A see them; managing is for court A's organizers (403 for everyone else who sees it).
The city leader sees court A as a leader above it, but is in no audience of court A.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from activities.models import AttemptAnswer, Award, Contest, Entry, Quiz
from activities.services.contests.awards import award_certificate_render
from activities.services.contests.voting import vote_cast
from tests.activities.contests_helpers import (
    add_entry,
    assign,
    attach_pdf,
    finished_attempt,
    give_award,
    make_assessment,
    make_contest,
    make_question,
    quiz_with_questions,
    record,
    start,
)

from . import Case, everyone

# Who sees court A's things, and who does not.
SEES = {"member": 200, "colleague": 200, "organizer": 200, "leader": 200, "city_leader": 200, "outsider": 404}


def manage(ok: int = 200) -> dict[str, int]:
    """Organizers of court A may; others who see it get 403; the outsider 404."""
    return everyone(403, organizer=ok, outsider=404)


def staff(ok: int = 200) -> dict[str, int]:
    """Organizers and leaders (court A's and the city's) read results and statistics."""
    return everyone(403, organizer=ok, leader=ok, city_leader=ok, outsider=404)


def voting_contest(cast) -> Contest:
    contest = make_contest(cast.court)
    add_entry(contest, cast.colleague, "我和我热爱的岗位")
    return contest


def voting_contest_args(cast) -> list:
    return [voting_contest(cast).pk]


def entries_contest(cast) -> Contest:
    return make_contest(cast.court, phase=Contest.Phase.ENTRIES)


def draft_contest(cast) -> list:
    return [make_contest(cast.court, phase=Contest.Phase.DRAFT).pk]


def colleague_entry(cast) -> list:
    return [Entry.objects.get(contest=voting_contest(cast), member=cast.colleague).pk]


def colleague_entry_while_entries_open(cast) -> list:
    contest = entries_contest(cast)
    return [add_entry(contest, cast.colleague).pk]


def entry_with_file(cast) -> list:
    contest = voting_contest(cast)
    return [attach_pdf(contest.entries.get()).pk]


def the_entry(cast) -> dict:
    return {"entry": str(Entry.objects.latest("pk").pk)}


def member_receipt(cast) -> list:
    contest = voting_contest(cast)
    vote = vote_cast(contest=contest, voter=cast.member, entry=contest.entries.get(), now=timezone.now())
    return [contest.pk, vote.receipt]


def judged_contest(cast) -> Contest:
    contest = make_contest(cast.court, judging=True)
    add_entry(contest, cast.colleague)
    return contest


def member_judges(cast) -> list:
    contest = judged_contest(cast)
    contest.judges.add(cast.member)
    return [contest.pk]


def member_assignment(cast) -> list:
    contest = judged_contest(cast)
    return [assign(contest, contest.entries.get(), cast.member).pk]


def published_award(cast) -> Award:
    contest = voting_contest(cast)
    award = give_award(contest, contest.entries.get())
    contest.phase = Contest.Phase.PUBLISHED
    contest.save()
    return award


def award_with_certificate(cast) -> list:
    award = published_award(cast)
    award_certificate_render(award_id=award.pk)
    return [award.pk]


def quiz(cast, **fields) -> Quiz:
    return quiz_with_questions(cast.court, 2, **fields)


def quiz_args(cast) -> list:
    return [quiz(cast).pk]


def draft_quiz(cast) -> list:
    return [quiz(cast, status=Quiz.Status.DRAFT).pk]


def closed_quiz(cast) -> list:
    now = timezone.now()
    return [quiz(cast, opens_at=now - dt.timedelta(days=2), closes_at=now).pk]


def active_attempt(cast) -> list:
    return [start(quiz(cast), cast.member).pk]


def an_answer(cast) -> dict:
    answer = AttemptAnswer.objects.filter(attempt__member=cast.member).select_related("question").first()
    return {"answer": str(answer.pk), "value": str(answer.question.options.first().pk)}


def finished(cast) -> list:
    return [finished_attempt(quiz(cast), cast.member).pk]


def question(cast) -> list:
    return [make_question(cast.court).pk]


def assessment(cast) -> list:
    return [make_assessment(cast.court).pk]


def member_result(cast) -> list:
    return [record(make_assessment(cast.court), cast.member, chars_per_minute=130, accuracy=98).pk]


CASES = [
    # Contests
    Case("activities:contest_list", everyone()),
    Case("activities:contest_list", everyone(), query="?show=mine"),
    Case("activities:contest_create", {"organizer": 200}),
    Case("activities:contest_detail", SEES, args=voting_contest_args),
    Case("activities:contest_detail", everyone(404, organizer=200), args=draft_contest),
    Case("activities:contest_update", manage(), args=voting_contest_args),
    Case(
        "activities:contest_phase",
        manage(302),
        args=lambda cast: [add_entry(entries_contest(cast), cast.colleague).contest_id],
        method="post",
        data=lambda cast: {"phase": Contest.Phase.JUDGING},
    ),
    Case("activities:contest_close_voting", manage(302), args=voting_contest_args, method="post"),
    Case(
        "activities:entry_create",
        # Whole-court audience: every member of court A may enter; the city leader is not in it.
        everyone(200, city_leader=403, outsider=404),
        args=lambda cast: [entries_contest(cast).pk],
    ),
    Case(
        "activities:contest_vote",
        # The colleague is refused (own entry) with a message, not an error page.
        everyone(302, city_leader=403, outsider=404),
        args=voting_contest_args,
        method="post",
        data=the_entry,
    ),
    Case("activities:vote_receipt", everyone(404, member=200, organizer=200), args=member_receipt),
    Case("activities:contest_paper_ballot", manage(), args=voting_contest_args),
    # The tally is shown after voting closes: until then only organizers and leaders see results.
    Case("activities:contest_results", staff(), args=voting_contest_args),
    Case("activities:contest_results_export", staff(), args=voting_contest_args),
    Case("activities:entry_detail", SEES, args=colleague_entry),
    # While entries are open, an entry is visible only to its entrant and the organizers.
    Case(
        "activities:entry_update",
        everyone(404, colleague=200, organizer=200),
        args=colleague_entry_while_entries_open,
    ),
    Case(
        "activities:entry_delete",
        everyone(404, colleague=302, organizer=302),
        args=colleague_entry_while_entries_open,
        method="post",
    ),
    Case("activities:entry_file", SEES, args=entry_with_file),
    # Judging and awards
    Case("activities:contest_criteria", manage(), args=lambda cast: [judged_contest(cast).pk]),
    Case("activities:contest_judges", manage(), args=lambda cast: [judged_contest(cast).pk]),
    Case("activities:contest_assign", manage(302), args=member_judges, method="post"),
    Case("activities:judge_tasks", everyone(403, member=200, outsider=404), args=member_judges),
    Case("activities:assignment_score", everyone(403, member=200, outsider=404), args=member_assignment),
    Case("activities:contest_awards", manage(), args=voting_contest_args),
    Case(
        "activities:awards_give_many",
        manage(302),
        args=voting_contest_args,
        method="post",
        data=lambda cast: {"kind": "excellence", "everyone": "1"},
    ),
    Case("activities:award_delete", manage(302), args=lambda cast: [published_award(cast).pk], method="post"),
    Case(
        "activities:award_certificate",
        # The winner (the colleague), organizers and leaders; other members may not download it.
        everyone(200, member=403, outsider=404),
        args=award_with_certificate,
    ),
    # Quizzes
    Case("activities:quiz_list", everyone()),
    Case("activities:quiz_list", everyone(), query="?show=all"),
    Case("activities:quiz_create", {"organizer": 200}),
    Case("activities:quiz_detail", SEES, args=quiz_args),
    Case("activities:quiz_detail", everyone(404, organizer=200), args=draft_quiz),
    Case("activities:quiz_update", manage(), args=quiz_args),
    Case("activities:quiz_questions", manage(), args=quiz_args),
    Case("activities:quiz_publish", manage(302), args=quiz_args, method="post", data=lambda cast: {"publish": "0"}),
    Case("activities:quiz_start", everyone(302, city_leader=403, outsider=404), args=quiz_args, method="post"),
    # An attempt is the member's own: organizers and leaders may read it, never take it.
    Case(
        "activities:attempt_take",
        everyone(404, member=200, organizer=403, leader=403, city_leader=403),
        args=active_attempt,
    ),
    Case(
        "activities:attempt_save",
        everyone(404, member=200, organizer=403, leader=403, city_leader=403),
        args=active_attempt,
        method="post",
        data=an_answer,
    ),
    Case(
        "activities:attempt_result",
        everyone(404, member=200, organizer=200, leader=200, city_leader=200),
        args=finished,
    ),
    Case("activities:quiz_stats", staff(), args=quiz_args),
    Case("activities:quiz_ranking", staff(), args=quiz_args),
    Case("activities:quiz_ranking", SEES, args=closed_quiz),
    # Question bank: the court's organizers only
    Case("activities:question_list", {"organizer": 200}),
    Case("activities:question_create", {"organizer": 200}),
    Case("activities:question_update", manage(), args=question),
    Case("activities:question_delete", manage(302), args=question, method="post"),
    Case("activities:question_import", {"organizer": 200}),
    Case("activities:question_export", {"organizer": 200}),
    Case("activities:question_template", {"organizer": 200}),
    # Assessments: organizers record, leaders read, members see their own history
    Case("activities:assessment_list", {"organizer": 200, "leader": 200, "city_leader": 200}),
    Case("activities:assessment_create", {"organizer": 200}),
    Case("activities:assessment_detail", staff(), args=assessment),
    Case("activities:assessment_update", manage(), args=assessment),
    Case("activities:assessment_result_create", manage(), args=assessment),
    Case("activities:assessment_import", manage(), args=assessment),
    Case("activities:assessment_template", manage(), args=assessment),
    Case("activities:assessment_result_update", manage(), args=member_result),
    Case("activities:assessment_result_delete", manage(302), args=member_result, method="post"),
    Case("activities:my_results", everyone()),
]
