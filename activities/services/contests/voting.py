"""Audience votes (论坛之星): once per slot, never for one's own entry, inside the window.

Double voting is impossible in the database: (contest, voter, slot) and (contest, voter,
entry) are unique. Two requests racing for the same slot both try to insert; one wins, the
other gets IntegrityError, looks again and is told it has voted. No request ends in an error page.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.models import Member
from members.services import audit

from ...models import Contest, Entry, Vote
from ...selectors.contests import eligible_voters, vote_refusal
from . import ActionRefused

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class AlreadyVoted(ActionRefused):
    """The voter's vote for this entry is in already (a double click, a second tab)."""

    def __init__(self, message: str, vote: Vote):
        super().__init__(message)
        self.vote = vote


def new_receipt() -> str:
    """A receipt code the voter can keep, e.g. 7KQM-X3PA (no look-alike characters)."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def _record_vote(
    *,
    contest: Contest,
    voter: Member,
    entry: Entry,
    source: str,
    entered_by: Member | None = None,
    reason: str = "",
    ip: str | None = None,
) -> Vote:
    for _attempt in range(5):
        existing = list(Vote.objects.filter(contest=contest, voter=voter).order_by("slot"))
        same = next((vote for vote in existing if vote.entry_id == entry.pk), None)
        if same is not None:
            raise AlreadyVoted(_("This vote is in already. Receipt: %(code)s") % {"code": same.receipt}, same)
        if len(existing) >= contest.votes_per_voter:
            raise ActionRefused(_("You have used all your votes."))
        used = {vote.slot for vote in existing}
        slot = min(set(range(1, contest.votes_per_voter + 1)) - used)
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    contest=contest,
                    entry=entry,
                    voter=voter,
                    slot=slot,
                    receipt=new_receipt(),
                    source=source,
                    entered_by=entered_by,
                    reason=reason,
                )
                audit(
                    actor=(entered_by or voter).user,
                    action="contest.vote_cast" if source == Vote.Source.ONLINE else "contest.paper_ballot",
                    target=vote,
                    ip=ip,
                    contest=contest.pk,
                    entry=entry.pk,
                    voter=voter.pk,
                    slot=slot,
                    receipt=vote.receipt,
                    reason=reason,
                )
            return vote
        except IntegrityError:
            # Another request took this slot (or voted for this entry) at the same moment: look again.
            continue
    raise ActionRefused(_("Your vote could not be recorded; please try again."))


def vote_cast(*, contest: Contest, voter: Member, entry: Entry, now: dt.datetime, ip: str | None = None) -> Vote:
    """Cast one online vote. Raises ActionRefused (or AlreadyVoted) with the reason."""
    if entry.contest_id != contest.pk:
        raise ActionRefused(_("This entry is not in this contest."))
    refusal = vote_refusal(contest, voter, now, check_remaining=False)
    if refusal:
        raise ActionRefused(refusal)
    if entry.member_id == voter.pk:
        raise ActionRefused(_("You cannot vote for your own entry."))
    return _record_vote(contest=contest, voter=voter, entry=entry, source=Vote.Source.ONLINE, ip=ip)


@transaction.atomic
def paper_ballot_record(
    *,
    contest: Contest,
    voter: Member,
    entries: list[Entry],
    entered_by: Member,
    reason: str,
    now: dt.datetime,
    ip: str | None = None,
) -> list[Vote]:
    """The organizer enters a named voter's paper ballot, with the reason (e.g. no phone at hand).

    The same rules hold as online: the voter's audience, their number of votes, never their own
    entry, and the database's once-only constraints. Allowed while voting runs and after it closes,
    until the results are published.
    """
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Give the reason for entering a paper ballot."))
    if not contest.voting_enabled or contest.phase != Contest.Phase.JUDGING:
        raise ActionRefused(_("Paper ballots can be entered only while the contest is in voting and judging."))
    if contest.vote_opens_at and now < contest.vote_opens_at:
        raise ActionRefused(_("Voting has not opened yet."))
    if not eligible_voters(contest).filter(pk=voter.pk).exists():
        raise ActionRefused(_("%(name)s is not in this contest's audience.") % {"name": voter.name})
    if not entries:
        raise ActionRefused(_("Choose at least one entry."))
    if len(entries) > contest.votes_per_voter:
        raise ActionRefused(
            _("A ballot holds at most %(n)s votes.") % {"n": contest.votes_per_voter},
        )
    left = contest.votes_per_voter - Vote.objects.filter(contest=contest, voter=voter).count()
    if len(entries) > left:
        raise ActionRefused(_("%(name)s has %(n)s votes left.") % {"name": voter.name, "n": max(left, 0)})
    votes = []
    for entry in entries:
        if entry.contest_id != contest.pk:
            raise ActionRefused(_("This entry is not in this contest."))
        if entry.member_id == voter.pk:
            raise ActionRefused(_("A voter cannot vote for their own entry."))
        try:
            votes.append(
                _record_vote(
                    contest=contest,
                    voter=voter,
                    entry=entry,
                    source=Vote.Source.PAPER,
                    entered_by=entered_by,
                    reason=reason[:200],
                    ip=ip,
                )
            )
        except AlreadyVoted as exc:
            raise ActionRefused(
                _("%(name)s has already voted for entry %(number)s.") % {"name": voter.name, "number": entry.number}
            ) from exc
    return votes
