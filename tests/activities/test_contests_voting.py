"""Audience votes: N per voter, never for one's own entry, only inside the window, a receipt,
the tally shown as configured, paper ballots with a reason, and no double vote even under load."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Contest, Vote
from activities.selectors.contests import can_vote, eligible_voters, vote_refusal
from activities.services.contests import ActionRefused
from activities.services.contests.voting import AlreadyVoted, paper_ballot_record, vote_cast
from members.models import AuditEvent, Department
from tests.activities.contests_helpers import HOUR, add_entry, make_contest
from tests.factories import make_group, make_member


@pytest.fixture
def contest(cast):
    contest = make_contest(cast.court)
    add_entry(contest, cast.colleague, "我和我热爱的岗位")
    add_entry(contest, cast.organizer, "初心")
    return contest


def vote_url(contest):
    return reverse("activities:contest_vote", args=[contest.pk])


def test_member_votes_and_gets_a_receipt(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    response = cast.client_for("member").post(vote_url(contest), {"entry": entry.pk})
    vote = Vote.objects.get(contest=contest, voter=cast.member)
    assert response.status_code == 302
    assert response.url == reverse("activities:vote_receipt", args=[contest.pk, vote.receipt])
    page = cast.client_for("member").get(response.url)
    assert vote.receipt in page.content.decode()
    assert vote.entry == entry and vote.slot == 1 and vote.source == Vote.Source.ONLINE


def test_every_vote_is_in_the_audit_trail(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    vote = vote_cast(contest=contest, voter=cast.member, entry=entry, now=timezone.now(), ip="10.0.0.8")
    event = AuditEvent.objects.get(action="contest.vote_cast")
    assert event.actor == cast.member.user
    assert event.target_id == str(vote.pk)
    assert event.detail["receipt"] == vote.receipt and event.ip_address == "10.0.0.8"


def test_voter_cannot_vote_for_their_own_entry(cast, contest):
    own = contest.entries.get(member=cast.colleague)
    response = cast.client_for("colleague").post(vote_url(contest), {"entry": own.pk}, follow=True)
    assert response.status_code == 200
    assert not Vote.objects.exists()
    assert "own entry" in response.content.decode() or "自己" in response.content.decode()


@pytest.mark.parametrize("offset", [-2 * HOUR, 2 * HOUR])
def test_votes_outside_the_window_are_refused(cast, contest, offset):
    entry = contest.entries.get(member=cast.colleague)
    with pytest.raises(ActionRefused):
        vote_cast(contest=contest, voter=cast.member, entry=entry, now=timezone.now() + offset)
    assert not Vote.objects.exists()


def test_voting_closes_exactly_at_the_closing_time(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    assert can_vote(contest, cast.member, contest.vote_closes_at - dt.timedelta(microseconds=1))
    assert not can_vote(contest, cast.member, contest.vote_closes_at)
    assert can_vote(contest, cast.member, contest.vote_opens_at)
    with pytest.raises(ActionRefused):
        vote_cast(contest=contest, voter=cast.member, entry=entry, now=contest.vote_closes_at)


def test_votes_only_while_the_contest_is_in_voting_and_judging(cast, contest):
    contest.phase = Contest.Phase.ENTRIES
    contest.save()
    with pytest.raises(ActionRefused):
        vote_cast(contest=contest, voter=cast.member, entry=contest.entries.first(), now=timezone.now())


def test_a_second_click_shows_the_same_receipt_instead_of_an_error(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    client = cast.client_for("member")
    first = client.post(vote_url(contest), {"entry": entry.pk})
    second = client.post(vote_url(contest), {"entry": entry.pk})
    assert second.status_code == 302 and second.url == first.url
    assert Vote.objects.count() == 1


def test_each_voter_has_n_votes_and_no_more(cast, contest):
    contest.votes_per_voter = 2
    contest.save()
    third = add_entry(contest, cast.leader, "法治")
    now = timezone.now()
    entries = list(contest.entries.exclude(member=cast.member))
    vote_cast(contest=contest, voter=cast.member, entry=entries[0], now=now)
    vote_cast(contest=contest, voter=cast.member, entry=entries[1], now=now)
    with pytest.raises(ActionRefused, match="all your votes|票已投完"):
        vote_cast(contest=contest, voter=cast.member, entry=third, now=now)
    assert sorted(Vote.objects.values_list("slot", flat=True)) == [1, 2]
    assert not can_vote(contest, cast.member, now)


def test_one_voter_cannot_give_two_votes_to_one_entry(cast, contest):
    contest.votes_per_voter = 3
    contest.save()
    entry = contest.entries.get(member=cast.colleague)
    vote_cast(contest=contest, voter=cast.member, entry=entry, now=timezone.now())
    with pytest.raises(AlreadyVoted):
        vote_cast(contest=contest, voter=cast.member, entry=entry, now=timezone.now())


def test_the_database_refuses_a_second_vote_in_the_same_slot(cast, contest):
    entries = list(contest.entries.all())
    Vote.objects.create(contest=contest, entry=entries[0], voter=cast.member, slot=1, receipt="AAAA-AAAA")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(contest=contest, entry=entries[1], voter=cast.member, slot=1, receipt="BBBB-BBBB")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(contest=contest, entry=entries[0], voter=cast.member, slot=2, receipt="CCCC-CCCC")


def test_only_the_audience_votes(cast, contest):
    contest.audience_departments.set([cast.department])
    assert set(eligible_voters(contest)) == {cast.member, cast.colleague}
    response = cast.client_for("leader").post(vote_url(contest), {"entry": contest.entries.first().pk})
    assert response.status_code == 403
    assert vote_refusal(contest, cast.leader, timezone.now())


def test_a_study_group_audience_includes_its_squads(cast, contest):
    court = cast.court
    other = Department.objects.create(court=court, name="执行局")
    squad_member = make_member(court, "孙悦", department=other)
    group = make_group(court, "研习小组", members=[cast.leader])
    squad = make_group(court, "第一学习小队", members=[squad_member])
    squad.parent = group
    squad.save()
    contest.audience_groups.set([group])
    assert set(eligible_voters(contest)) == {cast.leader, squad_member}
    assert not can_vote(contest, cast.member, timezone.now())


def test_inactive_members_do_not_vote(cast, contest):
    cast.member.is_active = False
    cast.member.save()
    assert not can_vote(contest, cast.member, timezone.now())


def test_tally_is_hidden_until_voting_closes_when_so_configured(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    vote_cast(contest=contest, voter=cast.member, entry=entry, now=timezone.now())
    results = reverse("activities:contest_results", args=[contest.pk])
    assert cast.client_for("member").get(results).status_code == 403
    assert cast.client_for("organizer").get(results).status_code == 200
    contest.vote_closes_at = timezone.now() - dt.timedelta(minutes=1)
    contest.save()
    assert cast.client_for("member").get(results).status_code == 200


def test_live_tally_is_shown_while_voting_runs(cast, contest):
    contest.results_visibility = Contest.ResultsVisibility.LIVE
    contest.save()
    vote_cast(contest=contest, voter=cast.member, entry=contest.entries.get(member=cast.colleague), now=timezone.now())
    page = cast.client_for("leader").get(contest.get_absolute_url())
    assert 'title="Votes"' in page.content.decode() or "bi-hand-thumbs-up" in page.content.decode()
    assert cast.client_for("colleague").get(reverse("activities:contest_results", args=[contest.pk])).status_code == 200


def test_organizer_enters_a_paper_ballot_with_a_reason(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    votes = paper_ballot_record(
        contest=contest,
        voter=cast.member,
        entries=[entry],
        entered_by=cast.organizer,
        reason="手机无法登录，现场纸质投票",
        now=timezone.now(),
    )
    vote = votes[0]
    assert vote.source == Vote.Source.PAPER and vote.entered_by == cast.organizer
    event = AuditEvent.objects.get(action="contest.paper_ballot")
    assert event.actor == cast.organizer.user and event.detail["reason"] == "手机无法登录，现场纸质投票"
    # The voter's vote is used up: no second vote online.
    with pytest.raises(ActionRefused):
        vote_cast(
            contest=contest, voter=cast.member, entry=contest.entries.get(member=cast.organizer), now=timezone.now()
        )


def test_paper_ballot_without_a_reason_or_for_own_entry_is_refused(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    with pytest.raises(ActionRefused):
        paper_ballot_record(
            contest=contest,
            voter=cast.member,
            entries=[entry],
            entered_by=cast.organizer,
            reason="  ",
            now=timezone.now(),
        )
    with pytest.raises(ActionRefused):
        paper_ballot_record(
            contest=contest,
            voter=cast.colleague,
            entries=[entry],
            entered_by=cast.organizer,
            reason="纸票",
            now=timezone.now(),
        )
    response = cast.client_for("organizer").post(
        reverse("activities:contest_paper_ballot", args=[contest.pk]),
        {"voter": cast.member.pk, "entries": [entry.pk], "reason": ""},
    )
    assert response.status_code == 200
    assert not Vote.objects.exists()


def test_paper_ballots_may_be_entered_after_voting_closes_but_not_after_publishing(cast, contest):
    entry = contest.entries.get(member=cast.colleague)
    later = contest.vote_closes_at + HOUR
    paper_ballot_record(
        contest=contest, voter=cast.member, entries=[entry], entered_by=cast.organizer, reason="纸票", now=later
    )
    contest.phase = Contest.Phase.PUBLISHED
    contest.save()
    with pytest.raises(ActionRefused):
        paper_ballot_record(
            contest=contest, voter=cast.leader, entries=[entry], entered_by=cast.organizer, reason="纸票", now=later
        )


def test_a_malformed_vote_request_is_not_an_error_page(cast, contest):
    client = cast.client_for("member")
    assert client.post(vote_url(contest), {"entry": "abc"}).status_code == 302
    assert client.post(vote_url(contest), {}).status_code == 302
    other = make_contest(cast.court)
    foreign = add_entry(other, cast.leader)
    assert client.post(vote_url(contest), {"entry": foreign.pk}).status_code == 302
    assert not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_votes_by_one_voter_end_as_exactly_one_vote(cast):
    """Twenty requests at once, each on its own database connection, as twenty browser tabs would."""
    if connection.vendor != "postgresql":
        print(f"skipped: concurrent voting needs PostgreSQL (this run uses {connection.vendor})")
        pytest.skip(f"concurrent voting needs PostgreSQL; the database is {connection.vendor}")
    contest = make_contest(cast.court)
    entries = [add_entry(contest, person) for person in (cast.colleague, cast.organizer, cast.leader)]
    url = vote_url(contest)
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def vote(i: int) -> None:
        try:
            client = Client()
            client.force_login(cast.member.user, backend="members.backends.MemberModelBackend")
            barrier.wait(timeout=30)
            response = client.post(url, {"entry": entries[i % len(entries)].pk})
            statuses.append(response.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert statuses == [302] * 20
    assert Vote.objects.filter(contest=contest, voter=cast.member).count() == 1
    assert AuditEvent.objects.filter(action="contest.vote_cast").count() == 1
