"""Reads for the plans family, and who may do what with its objects."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from members.access import (
    current_member,
    group_people,
    is_leader_of,
    is_organizer_of,
    managed_members,
    reads_group_from_below,
    visible_courts,
)
from members.models import Court, Department, Member, PartyBranch, StudyGroup, StudyGroupMembership, unit_ordering
from members.ordering import department_sort_key

from ..models import Comment
from ..models.plans import (
    Application,
    MemberOutcome,
    MonthlyPlan,
    OutputAuthor,
    PlanItem,
    Qualification,
    RecruitmentBatch,
    ReportWindow,
    ResearchOutput,
)

# ============================================================================ who may do what


def is_plan_owner(user, plan: MonthlyPlan) -> bool:
    me = current_member(user)
    return me is not None and me.pk == plan.member_id


def can_reopen_plan(user, plan: MonthlyPlan) -> bool:
    """Organizers who manage the member reopen a locked plan."""
    return managed_members(user).filter(pk=plan.member_id).exists()


def headed_departments(member: Member | None) -> QuerySet[Department]:
    if member is None:
        return Department.objects.none()
    return Department.objects.filter(head=member)


def can_see_plans_of(user, member: Member) -> bool:
    """The member, their department head, their organizers and leaders (as MonthlyPlan.visible_to)."""
    me = current_member(user)
    if me is not None and (me.pk == member.pk or (member.department_id and member.department.head_id == me.pk)):
        return True
    return is_leader_of(user, member.court_id) or can_manage_member(user, member)


def can_see_completion(user) -> bool:
    me = current_member(user)
    return bool(user.is_superuser or (me and (me.is_organizer or me.is_leader)))


def completion_members(user, court: Court) -> QuerySet[Member]:
    """Whose plan completion this user reads in a court: an organizer's managed members, a leader's court."""
    if is_leader_of(user, court):
        return Member.objects.filter(court=court)
    return managed_members(user).filter(court=court)


def can_see_department_plans(user, department: Department) -> bool:
    me = current_member(user)
    if me is not None and department.head_id == me.pk:
        return True
    if is_leader_of(user, department.court_id):
        return True
    return managed_members(user).filter(department=department).exists()


@dataclass
class Unit:
    """A group of members an item can be assigned to."""

    key: str
    label: str
    members: QuerySet[Member]


def assignable_units(user) -> list[Unit]:
    """Department heads assign to their departments; organizers to the units they manage."""
    me = current_member(user)
    units: dict[str, Unit] = {}
    for department in headed_departments(me):
        units[f"department:{department.pk}"] = Unit(
            f"department:{department.pk}", department.name, Member.objects.filter(department=department)
        )
    if me is not None and me.is_organizer:
        managed = managed_members(user)
        if me.scope_department_id is None and me.scope_branch_id is None:
            units["court"] = Unit("court", _("Everyone in %(court)s") % {"court": me.court.name}, managed)
        departments = Department.objects.filter(court=me.court)
        branches = PartyBranch.objects.filter(court=me.court)
        if me.scope_department_id:
            departments, branches = departments.filter(pk=me.scope_department_id), branches.none()
        if me.scope_branch_id:
            departments, branches = departments.none(), branches.filter(pk=me.scope_branch_id)
        for department in departments:
            units[f"department:{department.pk}"] = Unit(
                f"department:{department.pk}", department.name, managed.filter(department=department)
            )
        for branch in branches:
            units[f"branch:{branch.pk}"] = Unit(f"branch:{branch.pk}", branch.name, managed.filter(party_branch=branch))
    return list(units.values())


def can_edit_output(user, output: ResearchOutput) -> bool:
    """Who recorded it, its member authors, and the court's organizers."""
    if is_organizer_of(user, output.court_id):
        return True
    me = current_member(user)
    if me is None:
        return False
    return output.created_by_id == me.pk or output.authors.filter(member=me).exists()


def can_import_outputs(user, court: Court | int) -> bool:
    """A court's organizers import its outputs from a sheet (a member records their own one by one)."""
    return is_organizer_of(user, court)


def can_manage_compilations(user, court: Court | int) -> bool:
    return is_organizer_of(user, court)


def can_read_compilations(user, court: Court | int) -> bool:
    return is_organizer_of(user, court) or is_leader_of(user, court)


def can_manage_recruitment(user, court: Court | int) -> bool:
    return is_organizer_of(user, court)


def can_read_applications(user, batch: RecruitmentBatch) -> bool:
    """Organizers and leaders of the group's court; in a group open to the courts below, also those
    of a court below, who read their own court's applicants (see `batch_people`)."""
    court_id = batch.group.court_id
    return is_organizer_of(user, court_id) or is_leader_of(user, court_id) or reads_group_from_below(user, batch.group)


def batch_people(user, batch: RecruitmentBatch) -> QuerySet[Member] | None:
    """The applicants and squad members of a batch the user may see by name (None: all of them)."""
    return group_people(user, batch.group)


def can_manage_member(user, member: Member) -> bool:
    return managed_members(user).filter(pk=member.pk).exists()


def can_edit_qualification(user, qualification: Qualification) -> bool:
    me = current_member(user)
    return (me is not None and me.pk == qualification.member_id) or can_manage_member(user, qualification.member)


def can_see_qualification_file(user, qualification: Qualification) -> bool:
    return user.has_perm("members.see_member_private", qualification.member)


# ============================================================================ monthly plans


def plans_of(member: Member) -> QuerySet[MonthlyPlan]:
    return member.monthly_plans.annotate(
        n_items=Count("items", distinct=True),
        n_done=Count("items", filter=Q(items__status=PlanItem.Status.DONE), distinct=True),
    ).order_by("-year", "-month")


def plan_items(plan: MonthlyPlan) -> QuerySet[PlanItem]:
    return plan.items.select_related("assigned_by", "carried_from__plan").prefetch_related("carried_to")


@dataclass
class CompletionRow:
    department_id: int | None
    department: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    not_submitted: int = 0  # after the deadline: no report; before it: not yet reported


def plan_completion(members: QuerySet[Member], year: int, month: int) -> list[CompletionRow]:
    """Per department: how many reported on time, late, or not (one query)."""
    closes_at = ReportWindow.for_month(year, month).closes_at
    in_month = Q(monthly_plans__year=year, monthly_plans__month=month)
    rows = (
        members.filter(is_active=True)
        .values("department_id", "department__name")
        .annotate(
            total=Count("pk", distinct=True),
            on_time=Count("monthly_plans", filter=in_month & Q(monthly_plans__reported_at__lt=closes_at)),
            late=Count("monthly_plans", filter=in_month & Q(monthly_plans__reported_at__gte=closes_at)),
        )
        .order_by(*unit_ordering("department__", department=True))
    )
    result = []
    for row in rows:
        name = row["department__name"] or _("No department")
        result.append(
            CompletionRow(
                row["department_id"],
                name,
                row["total"],
                row["on_time"],
                row["late"],
                row["total"] - row["on_time"] - row["late"],
            )
        )
    return result


@dataclass
class MemberPlanRow:
    member: Member
    plan: MonthlyPlan | None
    timeliness: str


def member_plan_rows(members: list[Member], year: int, month: int, now: dt.datetime) -> list[MemberPlanRow]:
    """Each member with their plan of the month (one query for all plans)."""
    plans = {
        plan.member_id: plan
        for plan in MonthlyPlan.objects.filter(member__in=members, year=year, month=month).annotate(
            n_items=Count("items", distinct=True),
            n_done=Count("items", filter=Q(items__status=PlanItem.Status.DONE), distinct=True),
        )
    }
    window = ReportWindow.for_month(year, month)
    rows = []
    for member in members:
        plan = plans.get(member.pk)
        if plan is not None:
            timeliness = plan.timeliness(now)
        else:
            closed = window.has_closed(now)
            timeliness = MonthlyPlan.Timeliness.NOT_SUBMITTED if closed else MonthlyPlan.Timeliness.PENDING
        rows.append(MemberPlanRow(member, plan, timeliness))
    return rows


# ============================================================================ research outputs


def outputs_with_authors(queryset: QuerySet[ResearchOutput]) -> QuerySet[ResearchOutput]:
    return queryset.prefetch_related(Prefetch("authors", queryset=OutputAuthor.objects.order_by("position")))


def output_counts_by_kind(queryset: QuerySet[ResearchOutput]) -> list[tuple[str, int]]:
    """e.g. [("论文", 22), ("典型案例", 100)]: the figures the seeds report."""
    labels = dict(ResearchOutput.Kind.choices)
    counts = dict(queryset.order_by().values_list("kind").annotate(n=Count("pk", distinct=True)))
    return [(labels[kind], counts[kind]) for kind in ResearchOutput.Kind.values if counts.get(kind)]


# ============================================================================ recruitment


def squads_of(
    batch: RecruitmentBatch, people: QuerySet[Member] | None = None
) -> list[tuple[StudyGroup, list[StudyGroupMembership]]]:
    """The batch's squads with their memberships (only `people`'s when given), in two queries."""
    squads = list(StudyGroup.objects.filter(batch_squad__batch=batch).order_by("batch_squad__position"))
    memberships = (
        StudyGroupMembership.objects.filter(group__in=squads)
        .select_related("member__department", "member__court")
        .order_by("-role", "member__name")
    )
    if people is not None:
        memberships = memberships.filter(member__in=people)
    per_squad: dict[int, list[StudyGroupMembership]] = defaultdict(list)
    for membership in memberships:
        per_squad[membership.group_id].append(membership)
    return [(squad, per_squad[squad.pk]) for squad in squads]


def batch_summary(batch: RecruitmentBatch) -> dict[str, int]:
    counts = dict(batch.applications.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "applied": sum(counts.values()),
        "selected": counts.get(Application.Status.SELECTED, 0),
        "rejected": counts.get(Application.Status.REJECTED, 0),
        "pending": counts.get(Application.Status.PENDING, 0),
        "promoted": batch.outcomes.filter(kind=MemberOutcome.Kind.PROMOTION).values("member").distinct().count(),
    }


def batch_courts(batch: RecruitmentBatch, people: QuerySet[Member] | None = None) -> list[dict]:
    """Applied and selected per court, for a group open to the courts below (one query): every court
    for those who run or lead it, the reader's own courts otherwise. Empty for a one-court group."""
    if not batch.group.spans_courts_below:
        return []
    applications = batch.applications.all()
    if people is not None:
        applications = applications.filter(member__in=people)
    rows = (
        applications.order_by()
        .values("member__court_id", "member__court__name", "member__court__code")
        .annotate(applied=Count("pk"), selected=Count("pk", filter=Q(status=Application.Status.SELECTED)))
    )
    # The group's own court first, then the courts below by code.
    rows = sorted(rows, key=lambda r: (r["member__court_id"] != batch.group.court_id, r["member__court__code"]))
    return [{"court": r["member__court__name"], "applied": r["applied"], "selected": r["selected"]} for r in rows]


def readable_court_ids(user) -> set[int]:
    """Courts whose members' pages the user may open: names of others are shown without a link."""
    return set(visible_courts(user).values_list("pk", flat=True))


# ============================================================================ qualifications


@dataclass
class QualificationCounts:
    names: list[str]
    departments: list[str]
    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


def qualification_counts(members: QuerySet[Member]) -> QualificationCounts:
    """How many members hold each qualification, per department (one query)."""
    rows = (
        Qualification.objects.filter(member__in=members, member__is_active=True)
        .values("name", "member__department__name", "member__department__position")
        .annotate(n=Count("member", distinct=True))
        .order_by("name", "member__department__name")
    )
    cells: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = defaultdict(int)
    departments: dict[str, tuple] = {}  # name -> sort key: the court's order, "no department" last
    for row in rows:
        department = row["member__department__name"] or _("No department")
        cells[(row["name"], department)] = row["n"]
        totals[row["name"]] += row["n"]
        if row["member__department__name"] is None:
            departments[department] = (True, True)
        else:
            departments[department] = (False, *department_sort_key(row["member__department__position"], department))
    ordered = sorted(departments, key=departments.__getitem__)
    return QualificationCounts(sorted(totals), ordered, cells, dict(totals))


# ============================================================================ the learning profile


@dataclass
class VisibleComment:
    comment: Comment
    target: object


def comments_about(member: Member, user, limit: int = 10) -> list[VisibleComment]:
    """Comments the member received on work this user may see: one query per kind of work."""
    comments = list(Comment.objects.about_member(member).order_by("-created_at")[: limit * 3])
    by_type: dict[int, set[int]] = defaultdict(set)
    for comment in comments:
        by_type[comment.content_type_id].add(comment.object_id)
    targets: dict[tuple[int, int], object] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        manager = getattr(model, "objects", None) if model is not None else None
        if manager is None or not hasattr(manager, "visible_to"):
            continue
        for pk, obj in manager.visible_to(user).in_bulk(list(ids)).items():
            if getattr(obj, "member_id", None) == member.pk:
                obj.member = member  # the work is the member's own: no query to name it
            targets[(type_id, pk)] = obj
    visible = [
        VisibleComment(c, targets[(c.content_type_id, c.object_id)])
        for c in comments
        if (c.content_type_id, c.object_id) in targets
    ]
    return visible[:limit]


def profile_plans(member: Member, user, now: dt.datetime) -> dict:
    """What the plans family shows on a member's profile."""
    plans = MonthlyPlan.objects.visible_to(user).filter(member=member)
    recent_plans = list(
        plans.order_by("-year", "-month").annotate(
            n_items=Count("items", distinct=True),
            n_done=Count("items", filter=Q(items__status=PlanItem.Status.DONE), distinct=True),
        )[:3]
    )
    for plan in recent_plans:
        plan.state = plan.timeliness(now)
    member_outputs = ResearchOutput.objects.visible_to(user).by_member(member)
    outputs = member_outputs.order_by("-date", "-pk")[:5]
    return {
        "member": member,
        "qualifications": list(Qualification.objects.visible_to(user).filter(member=member)),
        "outcomes": list(MemberOutcome.objects.visible_to(user).filter(member=member).select_related("batch__group")),
        "outputs": list(outputs),
        "output_count": member_outputs.count(),
        "comments": comments_about(member, user),
        "recent_plans": recent_plans,
        "can_see_plans": can_see_plans_of(user, member),
        "can_manage": can_manage_member(user, member),
        "is_me": getattr(current_member(user), "pk", None) == member.pk,
        "now": now,
    }
