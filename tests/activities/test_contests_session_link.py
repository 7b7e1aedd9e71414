"""A weekly share as a speech contest: entries point to the session where the talk was given,
and when the contest says so only members who signed in to that session may vote."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance, Contest, Vote
from activities.selectors.contests import eligible_voters, vote_refusal
from tests.activities import sessions_factories as sf
from tests.activities.contests_helpers import add_entry, make_contest


def share_contest(cast, **fields):
    session = sf.make_session(cast.court)
    contest = make_contest(cast.court, session=session, voters_must_attend=True, **fields)
    add_entry(contest, cast.organizer, "初心", session=session)
    return contest, session


def test_only_members_who_signed_in_to_the_session_vote(cast):
    contest, session = share_contest(cast)
    sf.attended(session, cast.member)
    sf.attended(session, cast.colleague, status=Attendance.Status.ABSENT)
    voters = set(eligible_voters(contest))
    assert cast.member in voters and cast.colleague not in voters
    now = timezone.now()
    assert vote_refusal(contest, cast.member, now) == ""
    assert vote_refusal(contest, cast.colleague, now)  # absent: refused with a reason
    entry = contest.entries.get()
    cast.client_for("colleague").post(reverse("activities:contest_vote", args=[contest.pk]), {"entry": entry.pk})
    assert not Vote.objects.filter(voter=cast.colleague).exists()
    cast.client_for("member").post(reverse("activities:contest_vote", args=[contest.pk]), {"entry": entry.pk})
    assert Vote.objects.filter(voter=cast.member, entry=entry).exists()


def test_late_arrivals_vote_too_and_without_the_rule_the_whole_audience_votes(cast):
    contest, session = share_contest(cast)
    sf.attended(session, cast.colleague, status=Attendance.Status.LATE)
    assert cast.colleague in set(eligible_voters(contest))
    Contest.objects.filter(pk=contest.pk).update(voters_must_attend=False)
    contest.refresh_from_db()
    assert cast.member in set(eligible_voters(contest))


def test_attendees_only_without_a_session_is_refused_by_the_form(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("activities:contest_create"),
        {"title": "论坛之星评选", "kind": Contest.Kind.SPEECH, "voting_enabled": "on", "voters_must_attend": "on",
         "votes_per_voter": 1, "vote_opens_at_date": "2026-12-01", "vote_opens_at_time": "08:00",
         "vote_closes_at_date": "2026-12-01", "vote_closes_at_time": "10:00",
         "results_visibility": "after_close", "audience_weight": 100, "judges_per_entry": 3,
         "unit_kind": "department", "tie_break": "votes"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Contest.objects.filter(title="论坛之星评选").exists()
    assert "session" in response.context["form"].errors


def test_the_entry_shows_the_session_where_they_spoke(cast):
    contest, session = share_contest(cast)
    entry = contest.entries.get()
    page = cast.client_for("member").get(entry.get_absolute_url()).content.decode()
    assert session.title in page
