"""Judging: cross-review assignment (交叉互评), scores on criteria, mixed final scores, ties."""

from __future__ import annotations

import itertools
from decimal import Decimal
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Contest, JudgeAssignment, Score
from activities.selectors.contests import contest_standings
from activities.services.contests import ActionRefused
from activities.services.contests.judging import (
    AssignmentInfeasible,
    Candidate,
    assignment_score,
    contest_assign_judges,
    may_judge,
    plan_assignments,
)
from activities.services.contests.voting import vote_cast
from members.models import Department, PartyBranch
from tests.activities.contests_helpers import add_criteria, add_entry, assign, make_contest
from tests.factories import make_member

# ---------------------------------------------------------------------------------------------
# The planner, as a pure function


@st.composite
def instances(draw, max_entries=12, max_judges=8):
    units = draw(st.integers(min_value=1, max_value=5))
    unit = st.one_of(st.none(), st.integers(min_value=0, max_value=units - 1))
    judges = [Candidate(key=f"j{i}", unit=draw(unit)) for i in range(draw(st.integers(1, max_judges)))]
    entries = []
    for i in range(draw(st.integers(1, max_entries))):
        owner = draw(st.one_of(st.none(), st.sampled_from([j.key for j in judges])))
        entries.append(Candidate(key=f"e{i}", unit=draw(unit), owner=owner))
    per_entry = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=4)))
    return entries, judges, per_entry, draw(st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(min_value=0, max_value=1000))
def test_cross_review_never_assigns_an_own_unit_entry(instance, seed):
    entries, judges, per_entry, cross_review = instance
    try:
        plan = plan_assignments(entries, judges, per_entry=per_entry, cross_review=cross_review, seed=seed)
    except AssignmentInfeasible as exc:
        # Infeasible only when some entry has fewer eligible judges than it needs, and the message says which.
        needed = per_entry or 1
        short = [e for e in entries if sum(may_judge(e, j, cross_review=cross_review) for j in judges) < needed]
        assert short, "refused although every entry had enough eligible judges"
        assert str(short[0].key) in exc.message or any(str(e.key) in exc.message for e in short)
        return
    by_key = {j.key: j for j in judges}
    for entry in entries:
        chosen = plan.assignments[entry.key]
        assert len(chosen) == len(set(chosen)), "a judge twice on one entry"
        for key in chosen:
            judge = by_key[key]
            assert key != entry.owner, "a judge scores their own entry"
            if cross_review and entry.unit is not None:
                assert judge.unit != entry.unit, "a judge scores an entry from their own unit"
        if per_entry is not None:
            assert len(chosen) == per_entry
        else:
            eligible = [j for j in judges if may_judge(entry, j, cross_review=cross_review)]
            assert sorted(chosen) == sorted(j.key for j in eligible)
    if per_entry is not None and plan.balanced:
        loads = [plan.loads().get(j.key, 0) for j in judges]
        assert max(loads) - min(loads) <= 1


def brute_force_balanced_exists(entries, judges, per_entry, cross_review) -> bool:
    """Whether any assignment gives every judge ⌊T/J⌋ or ⌈T/J⌉ entries (tiny instances only)."""
    choices = []
    for entry in entries:
        eligible = [j.key for j in judges if may_judge(entry, j, cross_review=cross_review)]
        choices.append(list(itertools.combinations(eligible, per_entry)))
    total = len(entries) * per_entry
    low, high = total // len(judges), -(-total // len(judges))
    for combo in itertools.product(*choices):
        loads = {j.key: 0 for j in judges}
        for chosen in combo:
            for key in chosen:
                loads[key] += 1
        if all(low <= n <= high for n in loads.values()):
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(instances(max_entries=4, max_judges=4).filter(lambda i: i[2] is not None and i[2] <= 2))
def test_loads_differ_by_at_most_one_whenever_that_is_possible(instance):
    entries, judges, per_entry, cross_review = instance
    try:
        plan = plan_assignments(entries, judges, per_entry=per_entry, cross_review=cross_review)
    except AssignmentInfeasible:
        return
    assert plan.balanced == brute_force_balanced_exists(entries, judges, per_entry, cross_review)


def test_an_impossible_assignment_names_the_entry():
    judges = [Candidate("a", unit="民一庭"), Candidate("b", unit="民一庭")]
    entries = [Candidate("e1", unit="刑庭", label="1（张三）"), Candidate("e2", unit="民一庭", label="2（李四）")]
    with pytest.raises(AssignmentInfeasible, match="2（李四）"):
        plan_assignments(entries, judges, per_entry=1, cross_review=True)


def test_a_judge_who_may_score_nothing_leaves_the_others_a_valid_assignment():
    # Found by the property test: both entries are j0's own, so j0 scores none and no even split exists.
    judges = [Candidate(f"j{i}") for i in range(4)]
    entries = [Candidate("e0", owner="j0"), Candidate("e1", owner="j0")]
    plan = plan_assignments(entries, judges, per_entry=3, cross_review=False)
    assert not plan.balanced
    assert all(sorted(chosen) == ["j1", "j2", "j3"] for chosen in plan.assignments.values())


def test_lopsided_units_still_get_the_smallest_largest_load():
    # Every entry is from unit A except one; only one judge is outside unit A.
    judges = [Candidate("outside", unit="B"), Candidate("in1", unit="A"), Candidate("in2", unit="A")]
    entries = [Candidate(f"e{i}", unit="A") for i in range(4)] + [Candidate("eb", unit="B")]
    plan = plan_assignments(entries, judges, per_entry=1, cross_review=True)
    assert not plan.balanced
    assert plan.loads()["outside"] == 4


# ---------------------------------------------------------------------------------------------
# Assignment and scoring in the database


@pytest.fixture
def branches(cast):
    """Three party branches, a secretary in each, and each branch's innovation project (交叉互评)."""
    court = cast.court
    result = []
    for i, name in enumerate(["第一党支部", "第二党支部", "第三党支部"]):
        branch = PartyBranch.objects.get_or_create(court=court, name=name)[0]
        department = Department.objects.create(court=court, name=f"部门{i}")
        secretary = make_member(court, f"书记{i}", department=department, branch=branch)
        author = make_member(court, f"党员{i}", department=department, branch=branch)
        result.append((branch, secretary, author))
    return result


def test_branch_secretaries_cross_review_each_others_projects(cast, branches):
    contest = make_contest(
        cast.court,
        voting=False,
        judging=True,
        kind=Contest.Kind.PARTY_PROJECT,
        cross_review=True,
        unit_kind=Contest.UnitKind.BRANCH,
        judges_per_entry=2,
    )
    for _branch, _secretary, author in branches:
        add_entry(contest, author, "打造学习型党支部")
    contest.judges.set([secretary for _b, secretary, _a in branches])
    plan = contest_assign_judges(actor=cast.organizer, contest=contest)
    assert plan.balanced
    for assignment in JudgeAssignment.objects.filter(contest=contest).select_related("entry", "judge"):
        assert assignment.entry.branch_id != assignment.judge.party_branch_id
    assert JudgeAssignment.objects.filter(contest=contest).count() == 6


def test_assignments_cannot_be_redrawn_once_a_judge_has_scored(cast):
    contest = make_contest(cast.court, judging=True)
    add_criteria(contest)
    entry = add_entry(contest, cast.colleague)
    assignment = assign(contest, entry, cast.member)
    assignment_score(
        judge=cast.member,
        assignment=assignment,
        points={c.pk: Decimal(5) for c in contest.criteria.all()},
        now=timezone.now(),
    )
    with pytest.raises(ActionRefused):
        contest_assign_judges(actor=cast.organizer, contest=contest)


def test_a_judge_scores_each_criterion_within_its_points(cast):
    contest = make_contest(cast.court, judging=True)
    criteria = add_criteria(contest)
    entry = add_entry(contest, cast.colleague)
    assignment = assign(contest, entry, cast.member)
    url = reverse("activities:assignment_score", args=[assignment.pk])
    client = cast.client_for("member")
    too_much = {f"c{c.pk}": c.max_points + 1 for c in criteria}
    assert client.post(url, too_much).status_code == 200
    assert not Score.objects.exists()
    response = client.post(url, {**{f"c{c.pk}": c.max_points - 1 for c in criteria}, "remark": "表达流畅"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert sum(s.points for s in assignment.scores.all()) == 96


def test_only_the_assigned_judge_may_score(cast):
    contest = make_contest(cast.court, judging=True)
    add_criteria(contest)
    assignment = assign(contest, add_entry(contest, cast.colleague), cast.member)
    with pytest.raises(ActionRefused):
        assignment_score(judge=cast.leader, assignment=assignment, points={}, now=timezone.now())
    assert (
        cast.client_for("leader").get(reverse("activities:assignment_score", args=[assignment.pk])).status_code == 403
    )


def score(contest, entry, judge, total_points):
    """Give `total_points` spread over the contest's criteria (all on the first one for simplicity)."""
    criteria = list(contest.criteria.all())
    assignment = JudgeAssignment.objects.get_or_create(contest=contest, entry=entry, judge=judge)[0]
    points = {c.pk: Decimal(0) for c in criteria}
    remaining = Decimal(total_points)
    for c in criteria:
        give = min(remaining, Decimal(c.max_points))
        points[c.pk] = give
        remaining -= give
    contest.judges.add(judge)
    assignment_score(judge=judge, assignment=assignment, points=points, now=timezone.now())


def test_final_score_mixes_audience_and_judges_with_the_set_weights(cast):
    contest = make_contest(cast.court, judging=True, audience_weight=40)
    add_criteria(contest)
    a = add_entry(contest, cast.colleague, "甲")
    b = add_entry(contest, cast.organizer, "乙")
    now = timezone.now()
    voters = [cast.member, cast.leader] + [make_member(cast.court, f"听众{i}") for i in range(2)]
    for voter in voters[:3]:
        vote_cast(contest=contest, voter=voter, entry=a, now=now)
    vote_cast(contest=contest, voter=voters[3], entry=b, now=now)
    score(contest, a, cast.member, 60)
    score(contest, b, cast.member, 90)
    standings = {s.entry.pk: s for s in contest_standings(contest)}
    # a: audience 100 (most votes), judges 60 → 0.4*100 + 0.6*60 = 76
    # b: audience 33.33, judges 90 → 0.4*33.33 + 0.6*90 = 67.33
    assert standings[a.pk].audience_points == Decimal("100.00")
    assert standings[a.pk].final == Decimal("76.00")
    assert standings[b.pk].final == Decimal("67.33")
    assert standings[a.pk].rank == 1


def test_highest_and_lowest_judge_scores_are_dropped_when_set(cast):
    contest = make_contest(cast.court, voting=False, judging=True, drop_extremes=True)
    add_criteria(contest)
    entry = add_entry(contest, cast.colleague)
    judges = [cast.member, cast.leader, cast.organizer] + [make_member(cast.court, f"评委{i}") for i in range(2)]
    for judge, points in zip(judges, [95, 80, 82, 84, 40], strict=True):
        score(contest, entry, judge, points)
    standing = contest_standings(contest)[0]
    assert standing.judge_totals == [40, 80, 82, 84, 95]
    assert standing.counted_totals == [80, 82, 84]
    assert standing.judge_mean == Decimal("82.00")
    assert standing.dropped == 2


def test_ties_are_broken_by_the_stated_rule(cast):
    contest = make_contest(cast.court, judging=True, audience_weight=50, tie_break=Contest.TieBreak.JUDGES)
    add_criteria(contest)
    a = add_entry(contest, cast.colleague, "甲")
    b = add_entry(contest, cast.organizer, "乙")
    now = timezone.now()
    voters = [make_member(cast.court, f"听众{i}") for i in range(3)]
    vote_cast(contest=contest, voter=voters[0], entry=a, now=now)
    vote_cast(contest=contest, voter=voters[1], entry=a, now=now)
    vote_cast(contest=contest, voter=voters[2], entry=b, now=now)
    score(contest, a, cast.member, 50)  # a: 0.5*100 + 0.5*50 = 75
    score(contest, b, cast.member, 100)  # b: 0.5*50 + 0.5*100 = 75
    by_judges = [s.entry.pk for s in contest_standings(contest)]
    assert by_judges == [b.pk, a.pk]
    contest.tie_break = Contest.TieBreak.VOTES
    contest.save()
    by_votes = [s.entry.pk for s in contest_standings(contest)]
    assert by_votes == [a.pk, b.pk]
    page = cast.client_for("organizer").get(reverse("activities:contest_results", args=[contest.pk]))
    assert escape(contest.get_tie_break_display()) in page.content.decode()


def test_equal_entries_fall_back_to_the_entry_number(cast):
    contest = make_contest(cast.court)
    a = add_entry(contest, cast.colleague)
    b = add_entry(contest, cast.organizer)
    assert [s.entry.pk for s in contest_standings(contest)] == [a.pk, b.pk]
