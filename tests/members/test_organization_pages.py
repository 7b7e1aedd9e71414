"""Court → departments, branches, groups and members: who sees what, and at what cost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Member, PartyGroup, StudyGroup, StudyGroupMembership
from tests.factories import make_group, make_member


def add_people(cast, n: int, **fields) -> list[Member]:
    return [make_member(cast.court, f"干警{i:03d}", department=cast.department, **fields) for i in range(n)]


def research_group(cast, people: list[Member]) -> StudyGroup:
    group = make_group(cast.court, "理论研习小组", kind=StudyGroup.Kind.RESEARCH)
    for index in range(9):
        squad = StudyGroup.objects.create(
            court=cast.court, name=f"第{index + 1}学习小队", kind=StudyGroup.Kind.SQUAD, parent=group
        )
        for position, member in enumerate(people[index::9]):
            role = StudyGroupMembership.Role.LEADER if position == 0 else StudyGroupMembership.Role.MEMBER
            StudyGroupMembership.objects.create(group=squad, member=member, role=role)
            StudyGroupMembership.objects.create(group=group, member=member)
    return group


def test_court_page_lists_departments_branches_with_party_groups_and_study_groups(cast):
    PartyGroup.objects.create(branch=cast.branch, name="第一党小组")
    research_group(cast, add_people(cast, 18))
    page = cast.client_for("member").get(reverse("members:court_detail", args=[cast.court.pk])).content.decode()
    assert "民一庭" in page and "第一党支部" in page and "第一党小组" in page
    assert "理论研习小组" in page and "第1学习小队" not in page  # squads are shown inside their group


def test_group_page_shows_squads_with_leaders_and_members(cast):
    people = add_people(cast, 18)
    group = research_group(cast, people)
    response = cast.client_for("colleague").get(reverse("members:group_detail", args=[group.pk]))
    assert response.status_code == 200
    squads = list(response.context["squads"])
    assert len(squads) == 9 and squads[0].n_members == 2
    assert squads[0].leader_memberships[0].member == people[0]
    assert response.context["page"].paginator.count == 18


def test_a_squad_page_links_back_to_its_group(cast):
    group = research_group(cast, add_people(cast, 9))
    squad = group.squads.order_by("pk").first()
    page = cast.client_for("member").get(reverse("members:group_detail", args=[squad.pk])).content.decode()
    assert reverse("members:group_detail", args=[group.pk]) in page


def test_an_outsider_cannot_see_another_courts_units(cast):
    client = cast.client_for("outsider")
    group = make_group(cast.court, "青年理论学习小组")
    assert client.get(reverse("members:group_detail", args=[group.pk])).status_code == 404
    assert client.get(reverse("members:branch_detail", args=[cast.branch.pk])).status_code == 404
    assert client.get(reverse("members:department_detail", args=[cast.department.pk])).status_code == 404


def test_member_search_finds_by_name_number_and_department(cast):
    client = cast.client_for("member")
    names = lambda q: [m.name for m in client.get(reverse("members:member_list"), {"q": q}).context["page"]]  # noqa: E731
    assert names("张明") == ["张明"]
    assert names(cast.colleague.employee_number) == ["李静"]
    assert sorted(names("民一庭")) == ["张明", "李静"]
    assert names("刘洋") == []  # the outsider is in another court


def test_member_list_filters_by_branch_and_group(cast):
    group = make_group(cast.court, "青年理论学习小组", members=[cast.colleague])
    client = cast.client_for("member")
    by_group = client.get(reverse("members:member_list"), {"group": group.pk}).context["page"]
    assert [m.name for m in by_group] == ["李静"]
    by_branch = client.get(reverse("members:member_list"), {"branch": cast.branch.pk}).context["page"]
    assert sorted(m.name for m in by_branch) == ["张明", "李静"]


def test_member_list_is_paginated(cast):
    add_people(cast, 30)
    client = cast.client_for("member")
    first = client.get(reverse("members:member_list"))
    assert len(first.context["page"]) == 25 and first.context["page"].paginator.num_pages == 2
    assert len(client.get(reverse("members:member_list"), {"page": 2}).context["page"]) == 9  # 30 + 4 of court A
    assert client.get(reverse("members:member_list"), {"page": "x"}).status_code == 200


def test_inactive_members_are_listed_only_for_organizers_who_ask(cast):
    cast.colleague.is_active = False
    cast.colleague.save()
    organizer = cast.client_for("organizer")
    assert "李静" not in [m.name for m in organizer.get(reverse("members:member_list")).context["page"]]
    assert "李静" in [m.name for m in organizer.get(reverse("members:member_list"), {"inactive": 1}).context["page"]]
    member = cast.client_for("member")
    assert "李静" not in [m.name for m in member.get(reverse("members:member_list"), {"inactive": 1}).context["page"]]


@pytest.mark.parametrize("size", [5, 60])
def test_member_list_queries_do_not_grow_with_the_court(cast, size, django_assert_max_num_queries):
    add_people(cast, size)
    client = cast.client_for("organizer")
    with django_assert_max_num_queries(9):
        assert client.get(reverse("members:member_list")).status_code == 200


@pytest.mark.parametrize("size", [9, 72])
def test_group_page_queries_do_not_grow_with_the_group(cast, size, django_assert_max_num_queries):
    group = research_group(cast, add_people(cast, size))
    client = cast.client_for("member")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("members:group_detail", args=[group.pk])).status_code == 200


@pytest.mark.parametrize("size", [5, 60])
def test_court_and_branch_pages_queries_do_not_grow(cast, size, django_assert_max_num_queries):
    add_people(cast, size, branch=cast.branch)
    PartyGroup.objects.create(branch=cast.branch, name="第一党小组")
    client = cast.client_for("member")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("members:court_detail", args=[cast.court.pk])).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("members:branch_detail", args=[cast.branch.pk])).status_code == 200


def test_a_limited_organizer_sees_inactive_members_of_their_unit_only(cast):
    cast.organizer.scope_department = cast.department
    cast.organizer.save()
    for person in (cast.colleague, cast.leader):
        person.is_active = False
        person.save()
    page = cast.client_for("organizer").get(reverse("members:member_list"), {"inactive": 1}).context["page"]
    names = {m.name for m in page}
    assert "李静" in names and "赵院长" not in names
