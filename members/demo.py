"""Demo courts and people. Safe to run twice: everything is get_or_create by natural key."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from .models import Court, Department, Member, PartyBranch, StudyGroup, StudyGroupMembership

DEMO_PASSWORD = "demo-pass-2026"


@dataclass
class People:
    """What the family seeders need: the courts and who is who."""

    city: Court
    courts: list[Court]
    member: Member
    organizer: Member
    leader: Member
    city_leader: Member
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def members_of(self, court: Court):
        return Member.objects.filter(court=court, is_active=True)


def _account(court: Court, number: str, name: str, **fields) -> Member:
    User = get_user_model()
    username = f"{court.code}-{number}"
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    member, _ = Member.objects.update_or_create(
        court=court, employee_number=number, defaults={"user": user, "name": name, **fields}
    )
    return member


def seed_people() -> People:
    city, _ = Court.objects.get_or_create(code="sy", defaults={"name": "松原市中级人民法院"})
    court, _ = Court.objects.get_or_create(code="qg", defaults={"name": "前郭县人民法院", "parent": city})
    other, _ = Court.objects.get_or_create(code="ly", defaults={"name": "长岭县人民法院", "parent": city})
    department, _ = Department.objects.get_or_create(court=court, name="民一庭")
    political, _ = Department.objects.get_or_create(court=court, name="政治部")
    branch, _ = PartyBranch.objects.get_or_create(court=court, name="第一党支部")
    member = _account(
        court,
        "1001",
        "张明",
        department=department,
        party_branch=branch,
        post=Member.Post.JUDGE,
        position_category=Member.PositionCategory.TRIAL,
        birth_date=dt.date(1992, 5, 1),
    )
    organizer = _account(court, "1002", "王芳", department=political, role=Member.Role.ORGANIZER)
    leader = _account(court, "1003", "赵建国", department=political, role=Member.Role.LEADER, post=Member.Post.LEADER)
    city_leader = _account(city, "2001", "陈志远", role=Member.Role.LEADER, post=Member.Post.LEADER)
    group, _ = StudyGroup.objects.get_or_create(
        court=court, name="青年理论学习小组", defaults={"kind": StudyGroup.Kind.YOUTH}
    )
    StudyGroupMembership.objects.get_or_create(group=group, member=member)
    random.seed(7)
    people = People(
        city=city,
        courts=[city, court, other],
        member=member,
        organizer=organizer,
        leader=leader,
        city_leader=city_leader,
    )
    people.accounts = [
        ("member", member.user.username, DEMO_PASSWORD),
        ("organizer", organizer.user.username, DEMO_PASSWORD),
        ("leader", leader.user.username, DEMO_PASSWORD),
        ("city leader", city_leader.user.username, DEMO_PASSWORD),
    ]
    return people
