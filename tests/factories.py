"""Small builders for test data. Plain functions: tests say what they need."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from members.models import Court, Department, Member, PartyBranch, StudyGroup, StudyGroupMembership

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1000)


def make_court(name: str, code: str, parent: Court | None = None) -> Court:
    return Court.objects.create(name=name, code=code, parent=parent)


def make_member(
    court: Court,
    name: str,
    *,
    department: Department | None = None,
    role: str = Member.Role.MEMBER,
    username: str | None = None,
    birth_date: dt.date | None = None,
    branch: PartyBranch | None = None,
    **fields,
) -> Member:
    number = str(next(_numbers))
    user = get_user_model().objects.create_user(username=username or f"{court.code}-{number}", password=PASSWORD)
    return Member.objects.create(
        user=user,
        court=court,
        name=name,
        employee_number=number,
        department=department,
        role=role,
        birth_date=birth_date,
        party_branch=branch,
        **fields,
    )


def make_group(court: Court, name: str, *, leader: Member | None = None, members=(), kind=StudyGroup.Kind.STUDY):
    group = StudyGroup.objects.create(court=court, name=name, kind=kind)
    if leader is not None:
        StudyGroupMembership.objects.create(group=group, member=leader, role=StudyGroupMembership.Role.LEADER)
    for member in members:
        StudyGroupMembership.objects.create(group=group, member=member)
    return group
