"""`manage.py seed_demo`: three courts, about 150 people, an account per role, safe to run twice."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from members.demo import DEMO_PASSWORD, seed_people
from members.models import Court, Department, Member, PartyBranch, PartyGroup, StudyGroup, StudyGroupMembership


def counts() -> dict[str, int]:
    models = [Court, Department, PartyBranch, PartyGroup, StudyGroup, StudyGroupMembership, Member, get_user_model()]
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_builds_the_courts_and_prints_the_accounts(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    city = Court.objects.get(code="sy")
    assert set(city.children.values_list("name", flat=True)) == {"前郭县人民法院", "长岭县人民法院"}
    assert 140 <= Member.objects.count() <= 200  # plus the people the family seeders add (heads, applicants)
    for court in Court.objects.all():
        assert court.departments.filter(name__in=["立案庭", "民一庭", "刑事审判庭", "执行局", "政治部"]).count() == 5
        assert 2 <= court.party_branches.count() <= 3
        assert PartyGroup.objects.filter(branch__court=court).count() >= 4
    research = StudyGroup.objects.get(court__code="qg", kind=StudyGroup.Kind.RESEARCH, name="理论研习小组")
    assert research.squads.count() == 9
    assert all(squad.memberships.filter(role="leader").count() == 1 for squad in research.squads.all())
    assert StudyGroup.objects.filter(court__code="qg", name="青年理论学习小组").exists()
    youth = [m for m in Member.objects.all() if m.is_youth()]
    assert 20 <= len(youth) < Member.objects.count() / 2
    assert Member.objects.exclude(post="").values("post").distinct().count() >= 5
    text = out.getvalue()
    for username in ("qg-1001", "qg-1002", "qg-1004", "qg-1003", "sy-2001", "admin"):
        assert username in text
        assert get_user_model().objects.get(username=username).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in text


def test_every_role_has_its_account(db):
    people = seed_people()
    assert people.member.role == Member.Role.MEMBER
    assert people.organizer.is_organizer and not people.organizer.scope_branch_id
    assert people.limited_organizer.is_organizer and people.limited_organizer.scope_branch is not None
    assert people.leader.is_leader and people.leader.court.parent == people.city
    assert people.city_leader.is_leader and people.city_leader.court == people.city
    assert get_user_model().objects.get(username="admin").is_superuser
    assert people.members_of(people.member.court).count() > 50


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    names = sorted(Member.objects.values_list("court__code", "employee_number", "name"))
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert sorted(Member.objects.values_list("court__code", "employee_number", "name")) == names
