"""The people of a city court's 研习小组 open to its basic courts (两级法院), as 辽源 ran it.

The city court's organizer adds people of the basic courts by hand or by pasted 工号 (asked which
court when two courts share a number), and opens the profiles of those in the group, only while
they are in it. A basic court's leader sees their own people in the group; a sibling court's
leader and organizer see nothing of the other court's people (404).
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from members.models import Member, StudyGroup, StudyGroupMembership
from members.services import study_group_remove_member

from ..factories import make_group, make_member


@pytest.fixture
def city_organizer(cast) -> Member:
    return make_member(cast.city, "周干事", role=Member.Role.ORGANIZER, username="city_organizer")


@pytest.fixture
def other_leader(cast) -> Member:
    """The president of the sibling basic court B."""
    return make_member(cast.other_court, "吴院长", role=Member.Role.LEADER, username="other_leader")


@pytest.fixture
def other_organizer(cast) -> Member:
    return make_member(cast.other_court, "郑干事", role=Member.Role.ORGANIZER, username="other_organizer")


@pytest.fixture
def group(cast) -> StudyGroup:
    """Open to the courts below, with 张明 of court A and 刘洋 of court B in it (and a city judge)."""
    group = make_group(
        cast.city,
        "习近平法治思想研习小组",
        members=[cast.member, cast.outsider, cast.city_leader],
        kind=StudyGroup.Kind.RESEARCH,
    )
    group.spans_courts_below = True
    group.save(update_fields=["spans_courts_below"])
    return group


def login(client, member: Member):
    client.force_login(member.user, backend="members.backends.MemberModelBackend")
    return client


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def numbered(court, name: str, number: str) -> Member:
    member = make_member(court, name)
    Member.objects.filter(pk=member.pk).update(employee_number=number)
    member.employee_number = number
    return member


def profile(client, member: Member) -> int:
    return client.get(reverse("members:member_detail", args=[member.pk])).status_code


# --- profiles ------------------------------------------------------------------------------------


def test_the_city_organizer_opens_the_profiles_of_the_groups_people_only_while_they_are_in_it(
    client, cast, group, city_organizer
):
    login(client, city_organizer)
    assert profile(client, cast.member) == 200
    assert profile(client, cast.outsider) == 200
    assert profile(client, cast.colleague) == 404  # court A, not in the group
    page = client.get(reverse("members:member_detail", args=[cast.member.pk])).content.decode()
    assert group.name in page
    assert reverse("members:department_detail", args=[cast.department.pk]) not in page  # A's units stay A's
    assert reverse("members:member_edit", args=[cast.member.pk]) not in page  # theirs to manage, not the city's
    # The group page links them.
    assert (
        reverse("members:member_detail", args=[cast.outsider.pk])
        in client.get(group.get_absolute_url()).content.decode()
    )
    study_group_remove_member(actor=city_organizer.user, group=group, member=cast.member)
    assert profile(client, cast.member) == 404


def test_a_person_in_a_squad_only_is_opened_too_and_a_closed_group_opens_no_one(client, cast, group, city_organizer):
    squad = StudyGroup.objects.create(court=cast.city, name="第一小队", kind=StudyGroup.Kind.SQUAD, parent=group)
    StudyGroupMembership.objects.create(group=squad, member=cast.colleague)
    login(client, city_organizer)
    assert profile(client, cast.colleague) == 200
    own = make_group(cast.city, "读书小组", members=[])
    StudyGroupMembership.objects.filter(group=group).update(group=own)  # the same people, a group not open below
    StudyGroupMembership.objects.filter(group=squad).delete()
    assert profile(client, cast.member) == 404 and profile(client, cast.colleague) == 404


def test_a_basic_courts_leader_sees_their_own_people_in_the_group_and_nothing_of_the_sibling(
    client, cast, group, other_leader, other_organizer
):
    login(client, cast.leader)
    page = client.get(group.get_absolute_url())
    names = {gm.member.name for gm in page.context["page"]}
    assert names == {"张明"}
    assert profile(client, cast.member) == 200 and profile(client, cast.outsider) == 404
    for sibling in (other_leader, other_organizer):
        login(client, sibling)
        names = {gm.member.name for gm in client.get(group.get_absolute_url()).context["page"]}
        assert names == {"刘洋"}, sibling.name
        assert profile(client, cast.member) == 404
        assert profile(client, cast.outsider) == 200
    login(client, cast.organizer)  # court A's organizer
    assert {gm.member.name for gm in client.get(group.get_absolute_url()).context["page"]} == {"张明"}
    assert profile(client, cast.outsider) == 404
    assert client.get(reverse("members:group_members_add", args=[group.pk])).status_code == 403


def test_the_city_organizer_sees_everyone(client, cast, group, city_organizer):
    login(client, city_organizer)
    page = client.get(group.get_absolute_url())
    assert {gm.member.name for gm in page.context["page"]} == {"张明", "刘洋", "陈院长"}


# --- adding people of the courts below ----------------------------------------------------------


def test_the_city_organizer_adds_people_of_the_basic_courts_by_hand(client, cast, group, city_organizer):
    login(client, city_organizer)
    url = reverse("members:group_members_add", args=[group.pk])
    page = client.get(url)
    people = page.context["people"]
    assert cast.colleague in people and cast.leader in people and cast.member not in people  # in it already
    assert cast.court.name in page.content.decode()  # each person with their court
    only_a = client.get(url, {"court": cast.court.pk}).context["people"]
    assert {m.court_id for m in only_a} == {cast.court.pk}
    response = client.post(url, {"pick": [cast.colleague.pk]})
    assert response.status_code == 302
    assert group.memberships.filter(member=cast.colleague).exists()


def test_a_group_not_open_below_lists_and_takes_only_its_own_court(client, cast, city_organizer):
    group = make_group(cast.city, "读书小组")
    login(client, city_organizer)
    url = reverse("members:group_members_add", args=[group.pk])
    assert cast.colleague not in client.get(url).context["people"]
    assert client.get(url).context["courts"] == []
    response = client.post(url, {"pick": [cast.colleague.pk]})
    assert response.status_code == 200 and not group.memberships.exists()


def test_pasted_numbers_are_looked_up_across_the_courts_and_a_shared_number_asks_which_court(
    client, cast, group, city_organizer
):
    twin_a = numbered(cast.court, "孙丽", "8801")
    twin_b = numbered(cast.other_court, "孙莉", "8801")
    login(client, city_organizer)
    url = reverse("members:group_members_add", args=[group.pk])
    response = client.post(url, {"numbers": f"8801 {cast.colleague.employee_number} 99999999"})
    assert response.status_code == 302
    assert group.memberships.filter(member=cast.colleague).exists()  # court A's number, found across courts
    assert not group.memberships.filter(member__in=[twin_a, twin_b]).exists()  # never a guess
    shown = " ".join(texts(response))
    assert "8801" in shown and cast.court.name in shown and cast.other_court.name in shown
    assert "99999999" in shown
    # Ticking the right one settles it, even with the number pasted again.
    response = client.post(url, {"numbers": "8801", "pick": [twin_b.pk]})
    assert response.status_code == 302
    assert set(group.memberships.filter(member__in=[twin_a, twin_b]).values_list("member_id", flat=True)) == {twin_b.pk}
    # Only the shared number: nothing to add, the page asks again.
    twin_c = numbered(cast.court, "孙立", "7701")
    numbered(cast.other_court, "孙力", "7701")
    response = client.post(url, {"numbers": "7701"})
    assert response.status_code == 200 and not group.memberships.filter(member=twin_c).exists()
    assert "7701" in " ".join(texts(response))


def test_the_add_page_posts_pick_like_every_select_many_page(client, cast, group, city_organizer):
    login(client, city_organizer)
    page = client.get(reverse("members:group_members_add", args=[group.pk])).content.decode()
    assert f'name="pick" value="{cast.colleague.pk}"' in page
    assert 'name="members"' not in page


def test_the_add_page_costs_the_same_queries_at_two_sizes(client, cast, group, city_organizer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, city_organizer)
    url = reverse("members:group_members_add", args=[group.pk])
    counts = []
    for size in (2, 12):
        for court in (cast.court, cast.other_court):
            for i in range(size):
                make_member(court, f"新人{court.code}{size}{i}")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
