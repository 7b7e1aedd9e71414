"""Reads for the contests family: audiences and voter eligibility, standings, quiz statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, FloatField, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import formats
from django.utils.translation import gettext as _

from members.access import organizer_runs
from members.models import Member, StudyGroup

from ..models import (
    Attempt,
    AttemptAnswer,
    Attendance,
    Contest,
    Entry,
    JudgingCriterion,
    Quiz,
    Score,
    Vote,
)

TWO_PLACES = Decimal("0.01")


def quantize(value: Decimal | float | int) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Audiences and who may vote


def audience_members(obj: Contest | Quiz) -> QuerySet[Member]:
    """Active members of the court, narrowed to the chosen departments and study groups (and their squads)."""
    members = Member.objects.filter(court_id=obj.court_id, is_active=True)
    department_ids = [d.pk for d in obj.audience_departments.all()]
    group_ids = [g.pk for g in obj.audience_groups.all()]
    if not department_ids and not group_ids:
        return members
    return members.in_units(departments=department_ids, groups=group_ids)


def manages(user, obj: Contest | Quiz) -> bool:
    """Who runs a contest or quiz (phases, entries, judging, awards, questions).

    The court's organizers, except that an organizer limited to a department or branch runs only
    what they created, or what is for their own department alone.
    """

    def for_own_department_alone(me: Member) -> bool:
        if me.scope_department_id is None:
            return False
        departments = {d.pk for d in obj.audience_departments.all()}
        return departments == {me.scope_department_id} and not obj.audience_groups.exists()

    return organizer_runs(user, obj, for_own_department_alone)


def in_audience(obj: Contest | Quiz, member: Member | None) -> bool:
    return member is not None and audience_members(obj).filter(pk=member.pk).exists()


def own_unit(contest: Contest, member: Member):
    """The member's unit of the contest's kind: their party branch or their department (or None).
    A member has many study groups: see `own_units`."""
    return member.party_branch if contest.unit_kind == Contest.UnitKind.BRANCH else member.department


def own_units(contest: Contest, member: Member | None) -> list:
    """The units a member may put forward a project for: their branch or department, or the study
    groups of the contest's court they belong to (leader or member; a cross-court group's members
    from the courts below included)."""
    if member is None:
        return []
    if contest.unit_kind == Contest.UnitKind.GROUP:
        return list(StudyGroup.objects.filter(court_id=contest.court_id, memberships__member=member).distinct())
    unit = own_unit(contest, member)
    return [unit] if unit is not None else []


def has_entered(contest: Contest, member: Member | None) -> bool:
    """Whether the member has entered; where units enter, whether their units all have."""
    if member is None:
        return False
    if not contest.entries_by_unit:
        return contest.entries.filter(member=member, by_unit=False).exists()
    units = own_units(contest, member)
    field = Entry.UNIT_FIELDS[contest.unit_kind]
    entered = contest.entries.filter(by_unit=True, **{f"{field}__in": units}).count()
    return bool(units) and entered == len(units)


def eligible_voters(contest: Contest) -> QuerySet[Member]:
    """Everyone who may vote in the contest.

    The one place that decides eligibility: the contest's audience (whole court, departments,
    study groups), narrowed to those who signed in (present or late) to the linked session
    when the contest says only attendees vote.
    """
    voters = audience_members(contest)
    if contest.voters_must_attend:
        if contest.session_id is None:
            return voters.none()
        attendees = Attendance.objects.filter(session_id=contest.session_id).attended().values("member_id")
        voters = voters.filter(pk__in=attendees)
    return voters


def vote_refusal(contest: Contest, member: Member | None, now: dt.datetime, *, check_remaining: bool = True) -> str:
    """Why the member may not vote now ("" when they may)."""
    if not contest.voting_enabled:
        return _("This contest has no audience vote.")
    if contest.phase != Contest.Phase.JUDGING or contest.vote_opens_at is None or contest.vote_closes_at is None:
        return _("Voting is not open.")
    if now < contest.vote_opens_at:
        return _("Voting opens at %(time)s.") % {"time": formats.date_format(contest.vote_opens_at, "Y-m-d H:i")}
    if now >= contest.vote_closes_at:
        return _("Voting has closed.")
    if member is None or not member.is_active or not eligible_voters(contest).filter(pk=member.pk).exists():
        return _("Only the contest's audience may vote.")
    if check_remaining and votes_left(contest, member) <= 0:
        return _("You have used all your votes.")
    return ""


def can_vote(contest: Contest, member: Member | None, now: dt.datetime) -> bool:
    return not vote_refusal(contest, member, now)


def votes_left(contest: Contest, member: Member) -> int:
    return max(0, contest.votes_per_voter - Vote.objects.filter(contest=contest, voter=member).count())


# ---------------------------------------------------------------------------------------------
# Standings: audience votes and judges' scores, mixed by the contest's weights


@dataclass
class Standing:
    entry: Entry
    votes: int = 0
    judge_totals: list[Decimal] = field(default_factory=list)
    counted_totals: list[Decimal] = field(default_factory=list)
    judge_mean: Decimal | None = None
    audience_points: Decimal = Decimal(0)
    judge_points: Decimal | None = None
    final: Decimal = Decimal(0)
    rank: int = 0

    @property
    def dropped(self) -> int:
        return len(self.judge_totals) - len(self.counted_totals)


def criteria_total(contest: Contest) -> int:
    return JudgingCriterion.objects.filter(contest=contest).aggregate(total=Sum("max_points"))["total"] or 0


def contest_standings(contest: Contest) -> list[Standing]:
    """Every entry with its votes, judges' mean and final score, ranked by the contest's rule.

    Audience points: votes relative to the entry with most votes (that entry has 100).
    Judges' points: the mean of the judges' totals (dropping the highest and the lowest when
    set and at least three judges scored), as a share of the criteria's full marks.
    Final: the two weighted by the contest's weights. Ties (to 0.01) are broken by the stated rule.
    Three queries, whatever the number of entries.
    """
    entries = list(
        contest.entries.select_related("member", "member__department", "department", "branch", "group").annotate(
            n_votes=Count("votes", distinct=True)
        )
    )
    full_marks = criteria_total(contest) if contest.judging_enabled else 0
    totals: dict[int, list[Decimal]] = {}
    if contest.judging_enabled:
        rows = (
            Score.objects.filter(assignment__contest=contest, assignment__submitted_at__isnull=False)
            .values("assignment_id", "assignment__entry_id")
            .annotate(total=Sum("points"))
        )
        for row in rows:
            totals.setdefault(row["assignment__entry_id"], []).append(Decimal(row["total"]))
    max_votes = max((e.n_votes for e in entries), default=0)
    standings = []
    for entry in entries:
        standing = Standing(entry=entry, votes=entry.n_votes)
        if contest.voting_enabled and max_votes:
            standing.audience_points = quantize(Decimal(entry.n_votes) * 100 / max_votes)
        judge_totals = sorted(totals.get(entry.pk, []))
        standing.judge_totals = judge_totals
        counted = judge_totals[1:-1] if contest.drop_extremes and len(judge_totals) >= 3 else judge_totals
        standing.counted_totals = counted
        if counted:
            standing.judge_mean = quantize(sum(counted) / len(counted))
            if full_marks:
                standing.judge_points = quantize(standing.judge_mean * 100 / full_marks)
        standing.final = final_score(contest, standing)
        standings.append(standing)
    standings.sort(key=lambda s: tie_break_key(contest, s))
    for rank, standing in enumerate(standings, start=1):
        standing.rank = rank
    return standings


def final_score(contest: Contest, standing: Standing) -> Decimal:
    judges = standing.judge_points or Decimal(0)
    if contest.voting_enabled and contest.judging_enabled:
        weighted = standing.audience_points * contest.audience_weight + judges * contest.judge_weight
        return quantize(weighted / 100)
    if contest.judging_enabled:
        return judges
    return standing.audience_points


def tie_break_key(contest: Contest, standing: Standing) -> tuple:
    judges = standing.judge_points or Decimal(0)
    if contest.tie_break == Contest.TieBreak.VOTES:
        return (-standing.final, -standing.votes, -judges, standing.entry.number)
    return (-standing.final, -judges, -standing.votes, standing.entry.number)


def forum_star_candidate(contest: Contest, standings: list[Standing]) -> Standing | None:
    """The audience's choice: most votes, ties broken by the contest's ranking."""
    voted = [s for s in standings if s.votes > 0]
    if not voted:
        return None
    return min(voted, key=lambda s: (-s.votes, s.rank))


def judging_progress(contest: Contest) -> dict:
    counts = contest.assignments.aggregate(total=Count("id"), done=Count("id", filter=Q(submitted_at__isnull=False)))
    return {"total": counts["total"], "done": counts["done"]}


# ---------------------------------------------------------------------------------------------
# Quiz statistics and rankings


def best_attempts(quiz: Quiz) -> QuerySet:
    """Each participant's best finished attempt score, with their department."""
    return (
        Attempt.objects.filter(quiz=quiz)
        .finished()
        .values("member_id", "member__name", "member__department_id", "member__department__name")
        .annotate(best=Max("score"))
    )


def quiz_statistics(quiz: Quiz) -> dict:
    """Participation, average, pass rate and the hardest questions of a round (a fixed number of queries)."""
    audience_size = audience_members(quiz).count()
    best = list(best_attempts(quiz))
    participants = len(best)
    scores = [Decimal(row["best"] or 0) for row in best]
    passed = sum(1 for score in scores if score >= quiz.pass_mark)
    attempts = Attempt.objects.filter(quiz=quiz).finished().count()
    hardest = list(
        AttemptAnswer.objects.filter(attempt__quiz=quiz)
        .exclude(attempt__status=Attempt.Status.ACTIVE)
        .values("question_id", "question__text", "question__kind")
        .annotate(
            answered=Count("id"),
            right=Count("id", filter=Q(is_correct=True)),
        )
        .annotate(rate=Cast(F("right"), FloatField()) * 100 / Cast(F("answered"), FloatField()))
        .order_by("rate", "question_id")[:5]
    )
    return {
        "audience": audience_size,
        "participants": participants,
        "attempts": attempts,
        "participation": quantize(participants * 100 / audience_size) if audience_size else None,
        "average": quantize(sum(scores) / participants) if participants else None,
        "pass_rate": quantize(passed * 100 / participants) if participants else None,
        "passed": passed,
        "hardest": hardest,
        "distribution": score_distribution(scores),
    }


def score_distribution(scores: list[Decimal]) -> list[dict]:
    bands = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 101)]
    total = len(scores) or 1
    result = []
    for low, high in bands:
        n = sum(1 for s in scores if low <= s < high)
        label = f"{low}–{min(high, 100)}" if high <= 100 else f"{low}–100"
        result.append({"label": label, "count": n, "percent": round(n * 100 / total)})
    return result


@dataclass
class UnitRow:
    name: str
    audience: int = 0
    participants: int = 0
    total: Decimal = Decimal(0)
    rank: int = 0

    @property
    def average(self) -> Decimal | None:
        return quantize(self.total / self.participants) if self.participants else None

    @property
    def participation(self) -> Decimal | None:
        return quantize(self.participants * 100 / self.audience) if self.audience else None


def quiz_unit_ranking(quiz: Quiz) -> list[UnitRow]:
    """Departments by average best score, then participation. Always on (no individual is named)."""
    rows: dict[int | None, UnitRow] = {}
    no_department = _("No department")
    for row in audience_members(quiz).values("department_id", "department__name").annotate(n=Count("id")):
        rows[row["department_id"]] = UnitRow(name=row["department__name"] or no_department, audience=row["n"])
    for row in best_attempts(quiz):
        unit = rows.setdefault(
            row["member__department_id"], UnitRow(name=row["member__department__name"] or no_department)
        )
        unit.participants += 1
        unit.total += Decimal(row["best"] or 0)
    ranked = sorted(
        rows.values(),
        key=lambda u: (-(u.average or Decimal(-1)), -(u.participation or Decimal(0)), u.name),
    )
    for rank, unit in enumerate(ranked, start=1):
        unit.rank = rank
    return ranked


def quiz_individual_ranking(quiz: Quiz, limit: int = 20) -> list[dict]:
    """Top scorers by name: only where the court has turned individual rankings on."""
    if not quiz.court.rankings_enabled:
        return []
    return list(best_attempts(quiz).order_by("-best", "member__name")[:limit])


# ---------------------------------------------------------------------------------------------
# What a member can take part in (the same audience rule as audience_members, as a filter)


def member_group_ids(member: Member) -> list[int]:
    """The member's study groups and the groups their squads belong to."""
    ids: set[int] = set()
    for group_id, parent_id in member.group_memberships.values_list("group_id", "group__parent_id"):
        ids.add(group_id)
        if parent_id:
            ids.add(parent_id)
    return sorted(ids)


def for_audience_member(queryset: QuerySet, member: Member) -> QuerySet:
    """Contests or quizzes whose audience includes the member (whole court, their department or group)."""
    model = queryset.model
    owner = f"{model._meta.model_name}_id"
    departments = model.audience_departments.through.objects
    groups = model.audience_groups.through.objects
    restricted = Exists(departments.filter(**{owner: OuterRef("pk")})) | Exists(
        groups.filter(**{owner: OuterRef("pk")})
    )
    mine = Exists(groups.filter(**{owner: OuterRef("pk"), "studygroup_id__in": member_group_ids(member)}))
    if member.department_id:
        mine = mine | Exists(departments.filter(**{owner: OuterRef("pk"), "department_id": member.department_id}))
    return queryset.filter(court_id=member.court_id).filter(~restricted | mine)


def votable_contests(member: Member, now: dt.datetime) -> QuerySet[Contest]:
    """Contests whose voting is open now, in the member's audience, where they have votes left."""
    contests = Contest.objects.filter(
        phase=Contest.Phase.JUDGING, voting_enabled=True, vote_opens_at__lte=now, vote_closes_at__gt=now
    )
    return (
        for_audience_member(contests, member)
        .annotate(my_votes=Count("votes", filter=Q(votes__voter=member)))
        .filter(my_votes__lt=F("votes_per_voter"))
        .order_by("vote_closes_at")
    )


def open_quizzes_for(member: Member, now: dt.datetime) -> QuerySet[Quiz]:
    """Quizzes open now for the member, with their number of attempts so far."""
    return (
        for_audience_member(Quiz.objects.open_at(now), member)
        .annotate(my_attempts=Count("attempts", filter=Q(attempts__member=member)))
        .order_by("closes_at")
    )


def pending_judge_tasks(member: Member) -> int:
    return member.judge_tasks.filter(submitted_at__isnull=True, contest__phase=Contest.Phase.JUDGING).count()
