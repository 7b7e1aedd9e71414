"""Judging: the judges' panel, automatic (cross-review) assignment, and scores.

Assignment is a flow problem. Each entry needs k judges; a judge may take an entry unless it is
their own, or (in cross-review, 交叉互评) it comes from their own unit. Balanced means every
judge's load is ⌊E·k/J⌋ or ⌈E·k/J⌉; we ask a max-flow with lower bounds whether such an
assignment exists. When none does (the units are too lopsided), we take the assignment with the
smallest maximum load, and say so. When even that is impossible, some entry has fewer eligible
judges than it needs, and the error names it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member, StudyGroupMembership
from members.services import audit
from members.versions import bump_courts

from ...models import Contest, JudgeAssignment, Score
from . import ActionRefused


class AssignmentInfeasible(ActionRefused):
    pass


@dataclass(frozen=True)
class Candidate:
    """An entry or a judge, as the planner sees it."""

    key: Hashable
    unit: Hashable | frozenset | None = None  # a judge in several study groups: the set of them
    owner: Hashable | None = None  # entries: the entrant's judge key, if they are a judge
    label: str = ""


@dataclass
class Plan:
    assignments: dict[Hashable, list[Hashable]]
    balanced: bool

    def loads(self) -> dict[Hashable, int]:
        loads: dict[Hashable, int] = {}
        for judges in self.assignments.values():
            for judge in judges:
                loads[judge] = loads.get(judge, 0) + 1
        return loads


def _units(candidate: Candidate) -> frozenset:
    unit = candidate.unit
    if unit is None:
        return frozenset()
    return unit if isinstance(unit, frozenset) else frozenset([unit])


def may_judge(entry: Candidate, judge: Candidate, *, cross_review: bool) -> bool:
    if entry.owner is not None and entry.owner == judge.key:
        return False
    return not (cross_review and _units(entry) & _units(judge))


class _FlowNetwork:
    """Dinic's max flow on a small graph (entries + judges + 4 nodes)."""

    def __init__(self, size: int):
        self.graph: list[list[list[int]]] = [[] for _ in range(size)]

    def add_edge(self, u: int, v: int, capacity: int) -> int:
        self.graph[u].append([v, capacity, len(self.graph[v])])
        self.graph[v].append([u, 0, len(self.graph[u]) - 1])
        return len(self.graph[u]) - 1

    def max_flow(self, source: int, sink: int) -> int:
        flow = 0
        while True:
            level = [-1] * len(self.graph)
            level[source] = 0
            queue = [source]
            for u in queue:
                for v, capacity, _rev in self.graph[u]:
                    if capacity > 0 and level[v] < 0:
                        level[v] = level[u] + 1
                        queue.append(v)
            if level[sink] < 0:
                return flow
            pointer = [0] * len(self.graph)

            def push(u: int, limit: int, level=level, pointer=pointer) -> int:
                if u == sink:
                    return limit
                while pointer[u] < len(self.graph[u]):
                    edge = self.graph[u][pointer[u]]
                    v, capacity, rev = edge
                    if capacity > 0 and level[v] == level[u] + 1:
                        pushed = push(v, min(limit, capacity))
                        if pushed:
                            edge[1] -= pushed
                            self.graph[v][rev][1] += pushed
                            return pushed
                    pointer[u] += 1
                return 0

            while True:
                pushed = push(source, 1 << 30)
                if not pushed:
                    break
                flow += pushed


def _solve(n_entries: int, n_judges: int, pairs: list[tuple[int, int]], k: int, low: int, high: int):
    """Entries get exactly k judges, judges get between low and high entries; None if impossible."""
    source, sink = 0, 1
    first_entry, first_judge = 2, 2 + n_entries
    super_source, super_sink = 2 + n_entries + n_judges, 3 + n_entries + n_judges
    network = _FlowNetwork(super_sink + 1)
    excess = [0] * (super_sink + 1)
    for i in range(n_entries):  # source → entry, exactly k: all of it is lower bound
        excess[first_entry + i] += k
        excess[source] -= k
    edges = [(i, j, first_entry + i, network.add_edge(first_entry + i, first_judge + j, 1)) for i, j in pairs]
    for j in range(n_judges):
        if high > low:
            network.add_edge(first_judge + j, sink, high - low)
        excess[sink] += low
        excess[first_judge + j] -= low
    network.add_edge(sink, source, 1 << 30)
    needed = 0
    for node, amount in enumerate(excess):
        if amount > 0:
            network.add_edge(super_source, node, amount)
            needed += amount
        elif amount < 0:
            network.add_edge(node, super_sink, -amount)
    if network.max_flow(super_source, super_sink) != needed:
        return None
    chosen: dict[int, list[int]] = {i: [] for i in range(n_entries)}
    for i, j, node, index in edges:
        if network.graph[node][index][1] == 0:
            chosen[i].append(j)
    return chosen


def plan_assignments(
    entries: Sequence[Candidate],
    judges: Sequence[Candidate],
    *,
    per_entry: int | None,
    cross_review: bool,
    seed: int = 0,
) -> Plan:
    """Which judges score which entries. See the module docstring for the rules."""
    if not entries:
        raise AssignmentInfeasible(_("There are no entries to assign."))
    if not judges:
        raise AssignmentInfeasible(_("Choose the judges first."))
    rng = random.Random(seed)
    judges = list(judges)
    rng.shuffle(judges)
    eligible = {
        e: [j for j, judge in enumerate(judges) if may_judge(entry, judge, cross_review=cross_review)]
        for e, entry in enumerate(entries)
    }
    needed = per_entry or 1
    for e, entry in enumerate(entries):
        if len(eligible[e]) < needed:
            raise AssignmentInfeasible(
                _(
                    "Entry %(entry)s can be scored by only %(n)s of the judges (not its entrant, not its own unit), "
                    "but it needs %(k)s. Add judges from other units or ask for fewer judges per entry."
                )
                % {"entry": entry.label or entry.key, "n": len(eligible[e]), "k": needed}
            )
    if per_entry is None:
        assignments = {entry.key: [judges[j].key for j in eligible[e]] for e, entry in enumerate(entries)}
        plan = Plan(assignments, balanced=False)
        loads = [plan.loads().get(judge.key, 0) for judge in judges]
        plan.balanced = max(loads) - min(loads) <= 1
        return plan
    pairs = [(e, j) for e in range(len(entries)) for j in eligible[e]]
    rng.shuffle(pairs)
    total = len(entries) * per_entry
    low, high = total // len(judges), -(-total // len(judges))
    chosen = _solve(len(entries), len(judges), pairs, per_entry, low, high)
    balanced = chosen is not None
    cap = high
    while chosen is None and cap <= len(entries):
        # No even split: drop the lower bound and find the smallest largest load that works.
        chosen = _solve(len(entries), len(judges), pairs, per_entry, 0, cap)
        cap += 1
    if chosen is None:  # pragma: no cover - ruled out by the per-entry check above
        raise AssignmentInfeasible(_("No assignment of judges is possible."))
    assignments = {entry.key: sorted(judges[j].key for j in chosen[e]) for e, entry in enumerate(entries)}
    return Plan(assignments, balanced=balanced)


def judge_unit(contest: Contest, member: Member) -> tuple[str, int] | None:
    unit_id = member.party_branch_id if contest.unit_kind == Contest.UnitKind.BRANCH else member.department_id
    return (contest.unit_kind, unit_id) if unit_id else None


def judges_groups(judges: Sequence[Member]) -> dict[int, frozenset]:
    """Each judge's own study groups as cross-review units, in one query: the groups they are in,
    and the group a squad of theirs belongs to (its members are the group's, as audiences say)."""
    found: dict[int, set] = {judge.pk: set() for judge in judges}
    rows = StudyGroupMembership.objects.filter(member__in=list(found)).values_list(
        "member_id", "group_id", "group__parent_id"
    )
    for member_id, group_id, parent_id in rows:
        found[member_id].update(("group", pk) for pk in (group_id, parent_id) if pk)
    return {pk: frozenset(units) for pk, units in found.items()}


@transaction.atomic
def contest_set_judges(*, actor: Member, contest: Contest, judges: Sequence[Member]) -> None:
    keep = {judge.pk for judge in judges}
    leaving = contest.assignments.exclude(judge_id__in=keep)
    if leaving.filter(submitted_at__isnull=False).exists():
        raise ActionRefused(_("A judge who has submitted scores cannot leave the panel."))
    leaving.delete()
    contest.judges.set(judges)
    audit(actor=actor.user, action="contest.judges_set", target=contest, judges=sorted(keep))


@transaction.atomic
def contest_assign_judges(*, actor: Member, contest: Contest, seed: int | None = None) -> Plan:
    """Draw the judges' assignments again (only before any judge has submitted scores)."""
    if not contest.judging_enabled:
        raise ActionRefused(_("This contest has no judges."))
    if contest.phase == Contest.Phase.PUBLISHED:
        raise ActionRefused(_("The results are published."))
    if contest.assignments.filter(submitted_at__isnull=False).exists():
        raise ActionRefused(_("Judges have submitted scores: the assignments can no longer be redrawn."))
    judges = list(contest.judges.filter(is_active=True))
    entries = list(contest.entries.select_related("member", "branch", "department", "group"))
    judge_keys = {judge.pk for judge in judges}
    if contest.unit_kind == Contest.UnitKind.GROUP:
        groups = judges_groups(judges)
        judge_units = {judge.pk: groups[judge.pk] for judge in judges}
    else:
        judge_units = {judge.pk: judge_unit(contest, judge) for judge in judges}
    plan = plan_assignments(
        [
            Candidate(
                key=entry.pk,
                unit=entry.unit_key(contest.unit_kind),
                owner=entry.member_id if entry.member_id in judge_keys else None,
                label=f"{entry.number}（{entry.entrant_name}）",
            )
            for entry in entries
        ],
        [Candidate(key=judge.pk, unit=judge_units[judge.pk], label=judge.name) for judge in judges],
        per_entry=contest.judges_per_entry,
        cross_review=contest.cross_review,
        seed=contest.pk if seed is None else seed,
    )
    contest.assignments.all().delete()
    JudgeAssignment.objects.bulk_create(
        JudgeAssignment(contest=contest, entry_id=entry_id, judge_id=judge_id)
        for entry_id, judge_ids in plan.assignments.items()
        for judge_id in judge_ids
    )
    bump_courts([contest.court_id])  # judges' tasks on 我的学习; bulk_create sends no signals
    audit(
        actor=actor.user,
        action="contest.judges_assigned",
        target=contest,
        balanced=plan.balanced,
        loads={str(k): v for k, v in plan.loads().items()},
    )
    return plan


@transaction.atomic
def assignment_score(
    *,
    judge: Member,
    assignment: JudgeAssignment,
    points: dict[int, Decimal],
    remark: str = "",
    now: dt.datetime,
) -> JudgeAssignment:
    """A judge scores an entry on every criterion; they may revise until the results are published."""
    contest = assignment.contest
    if assignment.judge_id != judge.pk:
        raise ActionRefused(_("This entry is not assigned to you."))
    if contest.phase != Contest.Phase.JUDGING:
        raise ActionRefused(_("Scoring is open while the contest is in voting and judging."))
    criteria = list(contest.criteria.all())
    if not criteria:
        raise ActionRefused(_("The contest has no judging criteria yet."))
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None:
            raise ActionRefused(_("Score every criterion."))
        if value < 0 or value > criterion.max_points:
            raise ActionRefused(
                _("%(name)s: give between 0 and %(max)s points.")
                % {"name": criterion.name, "max": criterion.max_points}
            )
    for criterion in criteria:
        Score.objects.update_or_create(
            assignment=assignment, criterion=criterion, defaults={"points": points[criterion.pk]}
        )
    assignment.remark = remark.strip()
    assignment.submitted_at = now
    assignment.save(update_fields=["remark", "submitted_at"])
    audit(
        actor=judge.user,
        action="contest.scored",
        target=assignment,
        entry=assignment.entry_id,
        points={str(k): str(v) for k, v in points.items()},
    )
    return assignment
