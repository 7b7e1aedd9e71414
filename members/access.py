"""Who may see and manage what, in one place.

Outside a person's scope an object does not exist for them (404); inside it, an action
they may not take is refused (403). Views fetch through the visible_* querysets, then
check the action with `user.has_perm(...)` (rules predicates registered in rules.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Court, Member, StudyGroup, StudyGroupMembership


def current_member(user) -> Member | None:
    """The Member record of a logged-in user, or None (anonymous, or an admin without one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    # Load the court with the member (one query, as `user.member` would be): its cache_version
    # is part of the keys of cached panels. Later `user.member` reads hit the same cache.
    link = Member._meta.get_field("user").remote_field
    if not link.is_cached(user):
        try:
            member = Member.objects.select_related("court").get(user_id=user.pk)
        except Member.DoesNotExist:
            member = None
        else:
            Member._meta.get_field("user").set_cached_value(member, user)
        link.set_cached_value(user, member)
    return link.get_cached_value(user)


def visible_courts(user) -> QuerySet[Court]:
    """Courts whose data the user may read: a leader sees the courts below too."""
    if getattr(user, "is_superuser", False):
        return Court.objects.all()
    member = current_member(user)
    if member is None or not member.is_active:
        return Court.objects.none()
    if member.is_leader:
        return Court.objects.with_descendants(member.court)
    return Court.objects.filter(pk=member.court_id)


def is_organizer_of(user, court: Court | int) -> bool:
    """An organizer of this court (limited or not), or a site admin."""
    if getattr(user, "is_superuser", False):
        return True
    member = current_member(user)
    court_id = court if isinstance(court, int) else court.pk
    return bool(member and member.is_active and member.is_organizer and member.court_id == court_id)


def is_court_wide_organizer(user, court: Court | int) -> bool:
    """An organizer not limited to one department or branch."""
    if getattr(user, "is_superuser", False):
        return True
    if not is_organizer_of(user, court):
        return False
    member = current_member(user)
    return member.scope_department_id is None and member.scope_branch_id is None


def organizer_runs(user, obj, in_own_unit: Callable[[Member], bool]) -> bool:
    """Whether the user runs `obj` (anything with a court_id and perhaps a created_by_id) as an organizer.

    Organizers of its court do, and site admins; an organizer limited to a department or
    branch only when they created it or when `in_own_unit(organizer)` says it is their unit's.
    """
    if not is_organizer_of(user, obj.court_id):
        return False
    if user.is_superuser:
        return True
    me = current_member(user)
    if me.scope_department_id is None and me.scope_branch_id is None:
        return True
    if getattr(obj, "created_by_id", None) == me.pk:
        return True
    return in_own_unit(me)


def managed_members(user) -> QuerySet[Member]:
    """Members an organizer may manage: the whole court, or only their department/branch."""
    if getattr(user, "is_superuser", False):
        return Member.objects.all()
    member = current_member(user)
    if member is None or not member.is_active or not member.is_organizer:
        return Member.objects.none()
    members = Member.objects.filter(court_id=member.court_id)
    if member.scope_department_id:
        members = members.filter(department_id=member.scope_department_id)
    if member.scope_branch_id:
        members = members.filter(party_branch_id=member.scope_branch_id)
    return members


def managed_courts(user) -> QuerySet[Court]:
    """Courts whose whole roster the user manages (import, roles, audit trail)."""
    if getattr(user, "is_superuser", False):
        return Court.objects.all()
    member = current_member(user)
    if member is None or not member.is_active or not member.is_organizer:
        return Court.objects.none()
    if member.scope_department_id or member.scope_branch_id:
        return Court.objects.none()
    return Court.objects.filter(pk=member.court_id)


def is_leader_of(user, court: Court | int) -> bool:
    """A leader whose court is this court or above it."""
    if getattr(user, "is_superuser", False):
        return True
    member = current_member(user)
    if member is None or not member.is_active or not member.is_leader:
        return False
    court_id = court if isinstance(court, int) else court.pk
    return Court.objects.with_descendants(member.court).filter(pk=court_id).exists()


def courts_above(court: Court) -> QuerySet[Court]:
    """The courts that supervise this one: its parent and the parent's parent (three levels)."""
    if court.parent_id is None:
        return Court.objects.none()
    return Court.objects.filter(Q(pk=court.parent_id) | Q(children__pk=court.parent_id))


def runs_or_leads(user, court: Court | int) -> bool:
    """An organizer of the court (who runs its groups), a leader of it or above, or a site admin."""
    return is_organizer_of(user, court) or is_leader_of(user, court)


def reads_group_from_below(user, group: StudyGroup) -> bool:
    """An organizer or leader of a court below a group open to the courts below: they read their own
    court's people in it (applications, squads), read-only."""
    top = group.top
    member = current_member(user)
    if not top.spans_courts_below or member is None or not member.is_active:
        return False
    if not (member.is_organizer or member.is_leader):
        return False
    return member.court.is_below(top.court_id)


def group_people(user, group: StudyGroup) -> QuerySet[Member] | None:
    """The people of a group (its squads, its batches' applicants) whom the user may see by name;
    None when that is everyone.

    In a group open to the courts below, only those who run or lead the group's court see everyone.
    Anyone else sees the people of the courts they read (a basic court's leader: their court and
    nothing of a sibling court's), and a member of one of its squads also the others in that squad,
    with whom they work.
    """
    top = group.top
    if not top.spans_courts_below or runs_or_leads(user, top.court_id):
        return None
    squad_mates = StudyGroupMembership.objects.filter(
        group__in=StudyGroupMembership.objects.filter(member=current_member(user), group__parent_id=top.pk).values(
            "group_id"
        )
    ).values("member_id")
    return Member.objects.filter(Q(court__in=visible_courts(user)) | Q(pk__in=squad_mates))


def people_of_groups_run(user) -> QuerySet[Member]:
    """People of the courts below in the groups (and squads) the user runs as a court-wide organizer
    of an upper court, open to those courts (两级法院): they open their profiles, only theirs and only
    while they are in such a group. Leaders read the courts below anyway (visible_courts)."""
    member = current_member(user)
    if member is None or not member.is_active or not member.is_organizer:
        return Member.objects.none()
    if member.scope_department_id or member.scope_branch_id:
        return Member.objects.none()
    court = member.court_id
    in_groups = StudyGroupMembership.objects.filter(
        Q(group__court_id=court, group__spans_courts_below=True)
        | Q(group__parent__court_id=court, group__parent__spans_courts_below=True)
    )
    return Member.objects.filter(pk__in=in_groups.values("member_id")).exclude(court_id=court)


def readable_members(user) -> QuerySet[Member]:
    """Members whose profile the user may open: the courts they read, and the people of the courts
    below in the groups they run (people_of_groups_run)."""
    if getattr(user, "is_superuser", False):
        return Member.objects.all()
    return Member.objects.filter(Q(court__in=visible_courts(user)) | Q(pk__in=people_of_groups_run(user).values("pk")))


def site_admin_required(view: Callable) -> Callable:
    """View decorator for the set-up pages: they exist only for site admins (404 for everyone else)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not getattr(request.user, "is_superuser", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def role_required(*roles: str) -> Callable:
    """View decorator: 403 unless the member has one of the roles (site admins pass)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_superuser:
                member = current_member(request.user)
                if member is None or member.role not in roles:
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


organizer_required = role_required(Member.Role.ORGANIZER)
leader_required = role_required(Member.Role.LEADER)
staff_required = role_required(Member.Role.ORGANIZER, Member.Role.LEADER)
