"""The political department sets up the court's units: departments (庭室), party branches (党支部)
and study groups (学习小组, with squads 学习小队) — who may, what is refused, and at what cost."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from activities.models import Session
from members.models import AuditEvent, Court, Department, Member, PartyBranch, PartyGroup, StudyGroup
from members.services import (
    UnitChangeRefused,
    branch_update,
    department_create,
    department_update,
    study_group_add_members,
    study_group_create,
    study_group_update,
)
from tests.activities.sessions_factories import make_session
from tests.factories import make_group, make_member


def message(response) -> str:
    """The message this request added (unread ones from before the redirect's target page are kept too)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def roles_in(group: StudyGroup) -> dict[str, str]:
    return {gm.member.name: gm.role for gm in group.memberships.select_related("member")}


# --- departments ----------------------------------------------------------------------------


def test_organizer_creates_a_department_names_its_head_renames_it_and_deletes_it(cast):
    client = cast.client_for("organizer")
    court_page = client.get(reverse("members:court_detail", args=[cast.court.pk])).content.decode()
    assert reverse("members:department_create", args=[cast.court.pk]) in court_page

    response = client.post(reverse("members:department_create", args=[cast.court.pk]), {"name": " 立案庭 "})
    department = Department.objects.get(court=cast.court, name="立案庭")
    assert response.status_code == 302 and response["Location"] == department.get_absolute_url()
    assert message(response) == "部门“立案庭”已创建。"

    edit = reverse("members:department_edit", args=[department.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "立案信访庭", "head": cast.member.pk})
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "立案信访庭" and department.head == cast.member
    assert AuditEvent.objects.get(action="department.updated").detail["fields"] == ["name", "head"]

    response = client.post(reverse("members:department_delete", args=[department.pk]))
    assert response.status_code == 302 and response["Location"] == cast.court.get_absolute_url()
    assert not Department.objects.filter(pk=department.pk).exists()
    assert AuditEvent.objects.filter(action="department.deleted", court=cast.court).exists()


def test_a_name_the_court_already_has_is_a_form_error_not_an_error_page(cast):
    client = cast.client_for("organizer")
    response = client.post(reverse("members:department_create", args=[cast.court.pk]), {"name": "民一庭"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["“民一庭”在本院已存在。"]
    political = Department.objects.get(court=cast.court, name="政治部")
    response = client.post(reverse("members:department_edit", args=[political.pk]), {"name": " 民一庭"})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    political.refresh_from_db()
    assert political.name == "政治部"
    # Another court may have a 民一庭 of its own.
    assert department_create(actor=None, court=cast.other_court, name="民一庭").court == cast.other_court


def test_a_department_with_people_in_it_is_not_deleted(cast):
    cast.colleague.is_active = False  # inactive people count too: the delete would empty their record
    cast.colleague.save()
    response = cast.client_for("organizer").post(reverse("members:department_delete", args=[cast.department.pk]))
    assert response.status_code == 302 and response["Location"] == cast.department.get_absolute_url()
    assert message(response) == "“民一庭”仍在使用中：干警（2）。请先移出或删除这些内容。"
    assert Department.objects.filter(pk=cast.department.pk).exists()


def test_a_department_a_session_or_a_limited_organizer_refers_to_is_not_deleted(cast):
    empty = Department.objects.create(court=cast.court, name="审管办")
    session = make_session(cast.court, unit_department=empty)  # deleting would cascade to the session
    make_member(cast.court, "钱干事", role="organizer", scope_department=empty)  # would turn court-wide
    client = cast.client_for("organizer")
    response = client.post(reverse("members:department_delete", args=[empty.pk]))
    refusal = message(response)
    assert "学习活动（1）" in refusal and "限定于此的组织者（1）" in refusal
    assert Department.objects.filter(pk=empty.pk).exists() and Session.objects.filter(pk=session.pk).exists()


def test_the_head_must_be_a_member_of_the_court(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("members:department_edit", args=[cast.department.pk]), {"name": "民一庭", "head": cast.outsider.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["head"]
    with pytest.raises(UnitChangeRefused) as refused:
        department_update(actor=None, department=cast.department, name="民一庭", head=cast.outsider)
    assert refused.value.field == "head"
    cast.department.refresh_from_db()
    assert cast.department.head is None


def test_renaming_a_unit_raises_the_courts_cache_version(cast):
    before = Court.objects.get(pk=cast.court.pk).cache_version
    department_update(actor=None, department=cast.department, name="民事审判第一庭", head=None)
    branch_update(actor=None, branch=cast.branch, name="机关第一党支部", secretary=None)
    assert Court.objects.get(pk=cast.court.pk).cache_version >= before + 2


# --- party branches --------------------------------------------------------------------------


def test_organizer_creates_a_branch_with_its_secretary_and_renames_it(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("members:branch_create", args=[cast.court.pk]), {"name": "第二党支部", "secretary": cast.colleague.pk}
    )
    branch = PartyBranch.objects.get(court=cast.court, name="第二党支部")
    assert response.status_code == 302 and branch.secretary == cast.colleague
    response = client.post(reverse("members:branch_edit", args=[branch.pk]), {"name": "第二党支部", "secretary": ""})
    branch.refresh_from_db()
    assert response.status_code == 302 and branch.secretary is None
    page = client.get(branch.get_absolute_url()).content.decode()
    assert reverse("members:branch_edit", args=[branch.pk]) in page


def test_a_branch_goes_with_its_empty_party_groups_but_not_while_people_are_in_it(cast):
    client = cast.client_for("organizer")
    response = client.post(reverse("members:branch_delete", args=[cast.branch.pk]))
    assert "“第一党支部”仍在使用中" in message(response)
    assert PartyBranch.objects.filter(pk=cast.branch.pk).exists()

    branch = PartyBranch.objects.create(court=cast.court, name="第三党支部")
    group = PartyGroup.objects.create(branch=branch, name="第一党小组")
    make_member(cast.court, "孙丽", party_group=group)  # in the party group, not (yet) in the branch
    assert "干警（1）" in message(client.post(reverse("members:branch_delete", args=[branch.pk])))
    Member.objects.filter(party_group=group).update(party_group=None)
    response = client.post(reverse("members:branch_delete", args=[branch.pk]))
    assert response.status_code == 302
    assert not PartyBranch.objects.filter(pk=branch.pk).exists() and not PartyGroup.objects.filter(pk=group.pk).exists()


# --- study groups and squads ----------------------------------------------------------------


def test_organizer_creates_a_group_and_a_squad_under_it(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("members:group_create", args=[cast.court.pk]), {"name": "理论研习小组", "kind": "research"}
    )
    group = StudyGroup.objects.get(court=cast.court, name="理论研习小组")
    assert response.status_code == 302 and group.kind == StudyGroup.Kind.RESEARCH and group.parent is None

    form = client.get(reverse("members:group_create", args=[cast.court.pk]), {"parent": group.pk}).context["form"]
    assert form.initial == {"parent": group.pk, "kind": StudyGroup.Kind.SQUAD}
    client.post(
        reverse("members:group_create", args=[cast.court.pk]),
        {"name": "第一学习小队", "kind": "squad", "parent": group.pk},
    )
    squad = StudyGroup.objects.get(name="第一学习小队")
    assert squad.parent == group
    assert list(client.get(group.get_absolute_url()).context["squads"]) == [squad]


def test_squads_are_one_level_deep_in_one_court_so_there_is_never_a_cycle(cast):
    group = study_group_create(actor=None, court=cast.court, name="研习小组", kind="research")
    squad = study_group_create(actor=None, court=cast.court, name="第一小队", kind="squad", parent=group)
    other = study_group_create(actor=None, court=cast.other_court, name="辽源学习小组", kind="study")
    refusals = [
        lambda: study_group_create(actor=None, court=cast.court, name="小小队", kind="squad", parent=squad),
        lambda: study_group_update(actor=None, group=group, name="研习小组", kind="research", parent=squad),
        lambda: study_group_update(actor=None, group=group, name="研习小组", kind="research", parent=group),
        lambda: study_group_update(actor=None, group=squad, name="第一小队", kind="squad", parent=other),
    ]
    for refusal in refusals:
        with pytest.raises(UnitChangeRefused) as refused:
            refusal()
        assert refused.value.field == "parent"
    group.refresh_from_db()
    assert group.parent is None and not StudyGroup.objects.filter(name="小小队").exists()

    # Through the page: a group with squads cannot be put under another group; its choices leave out itself.
    top = make_group(cast.court, "青年理论学习小组")
    response = cast.client_for("organizer").post(
        reverse("members:group_edit", args=[group.pk]), {"name": "研习小组", "kind": "research", "parent": top.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["parent"]
    assert group not in response.context["form"].fields["parent"].queryset


def test_a_group_with_members_squads_or_sessions_is_not_deleted(cast):
    client = cast.client_for("organizer")
    with_members = make_group(cast.court, "青年理论学习小组", members=[cast.member])
    with_squad = make_group(cast.court, "研习小组")
    StudyGroup.objects.create(court=cast.court, name="第一小队", kind="squad", parent=with_squad)
    with_session = make_group(cast.court, "读书会")
    make_session(cast.court, unit_group=with_session)
    for group, what in (
        (with_members, "学习小组成员（1）"),
        (with_squad, "学习小队（1）"),
        (with_session, "学习活动（1）"),
    ):
        response = client.post(reverse("members:group_delete", args=[group.pk]))
        assert response.status_code == 302 and what in message(response)
        assert StudyGroup.objects.filter(pk=group.pk).exists()
    squad = StudyGroup.objects.get(name="第一小队")
    response = client.post(reverse("members:group_delete", args=[squad.pk]))
    assert response["Location"] == with_squad.get_absolute_url()  # back to the group it was in
    assert not StudyGroup.objects.filter(pk=squad.pk).exists()


def test_organizer_adds_several_people_at_once_and_adding_them_again_changes_nothing(cast):
    group = make_group(cast.court, "青年理论学习小组", members=[cast.member])
    client = cast.client_for("organizer")
    url = reverse("members:group_members_add", args=[group.pk])
    choices = client.get(url).context["people"]
    assert cast.member not in choices and cast.colleague in choices and cast.outsider not in choices
    response = client.post(url, {"pick": [cast.colleague.pk, cast.leader.pk]})
    assert response.status_code == 302 and message(response) == "已添加 2 名成员。"
    assert roles_in(group) == {"张明": "member", "李静": "member", "赵院长": "member"}
    assert study_group_add_members(actor=None, group=group, members=[cast.member, cast.colleague]) == 0
    assert group.memberships.count() == 3


def test_people_of_another_court_cannot_be_added(cast):
    group = make_group(cast.court, "青年理论学习小组")
    response = cast.client_for("organizer").post(
        reverse("members:group_members_add", args=[group.pk]), {"pick": [cast.outsider.pk]}
    )
    assert response.status_code == 200 and response.context["form"].errors  # not in the list: picks no one
    with pytest.raises(UnitChangeRefused):
        study_group_add_members(actor=None, group=group, members=[cast.member, cast.outsider])
    assert not group.memberships.exists()


def test_organizer_makes_a_leader_unmakes_them_and_removes_a_member(cast):
    group = make_group(cast.court, "青年理论学习小组", members=[cast.member, cast.colleague])
    client = cast.client_for("organizer")
    before = Member.objects.get(pk=cast.colleague.pk).cache_version
    response = client.post(reverse("members:group_member_role", args=[group.pk, cast.colleague.pk]), {"role": "leader"})
    assert response.status_code == 302 and message(response) == "李静现在是本组组长。"
    assert roles_in(group)["李静"] == "leader"
    assert Member.objects.get(pk=cast.colleague.pk).cache_version > before  # their panels show the group's rota
    page = client.get(group.get_absolute_url())
    assert page.context["page"][0].member == cast.colleague  # leaders first
    client.post(reverse("members:group_member_role", args=[group.pk, cast.colleague.pk]), {"role": "member"})
    assert roles_in(group)["李静"] == "member"

    response = client.post(reverse("members:group_member_remove", args=[group.pk, cast.member.pk]))
    assert response.status_code == 302 and roles_in(group) == {"李静": "member"}
    assert AuditEvent.objects.filter(action="study_group.member_removed", target_id=str(group.pk)).exists()


def test_an_inactive_member_is_listed_for_the_organizer_so_they_can_be_taken_out(cast):
    group = make_group(cast.court, "青年理论学习小组", members=[cast.member, cast.colleague])
    Member.objects.filter(pk=cast.colleague.pk).update(is_active=False)
    names = lambda role: {gm.member.name for gm in cast.client_for(role).get(group.get_absolute_url()).context["page"]}  # noqa: E731
    assert names("organizer") == {"张明", "李静"}
    assert names("member") == {"张明"}


# --- who may ---------------------------------------------------------------------------------


def test_only_a_court_wide_organizer_may_change_units(cast):
    make_member(cast.court, "钱干事", role="organizer", scope_branch=cast.branch, username="branch_organizer")
    group = make_group(cast.court, "青年理论学习小组", members=[cast.member])
    forbidden = {
        "GET": [
            reverse("members:department_create", args=[cast.court.pk]),
            reverse("members:department_edit", args=[cast.department.pk]),
            reverse("members:branch_edit", args=[cast.branch.pk]),
            reverse("members:group_edit", args=[group.pk]),
            reverse("members:group_members_add", args=[group.pk]),
        ],
        "POST": [
            reverse("members:department_delete", args=[cast.department.pk]),
            reverse("members:branch_delete", args=[cast.branch.pk]),
            reverse("members:group_delete", args=[group.pk]),
            reverse("members:group_member_remove", args=[group.pk, cast.member.pk]),
            reverse("members:group_member_role", args=[group.pk, cast.member.pk]),
        ],
    }
    branch_organizer = cast.client_for("member")
    branch_organizer.force_login(Member.objects.get(name="钱干事").user, backend="members.backends.MemberModelBackend")
    clients = {"member": cast.client_for("member"), "leader": cast.client_for("leader"), "钱干事": branch_organizer}
    for who, client in [*clients.items(), ("outsider", cast.client_for("outsider"))]:
        expected = 404 if who == "outsider" else 403
        for url in forbidden["GET"]:
            assert client.get(url).status_code == expected, (who, url)
        for url in forbidden["POST"]:
            assert client.post(url, {"role": "leader"}).status_code == expected, (who, url)
    assert Department.objects.filter(pk=cast.department.pk).exists() and roles_in(group) == {"张明": "member"}
    # Nobody but the organizer is shown the buttons.
    for who, client in clients.items():
        for unit in (cast.department, cast.branch, group):
            assert 'id="manage-unit"' not in client.get(unit.get_absolute_url()).content.decode(), who
        assert 'id="new-department"' not in client.get(cast.court.get_absolute_url()).content.decode(), who
    organizer = cast.client_for("organizer")
    assert 'id="new-department"' in organizer.get(cast.court.get_absolute_url()).content.decode()
    assert 'id="manage-unit"' in organizer.get(group.get_absolute_url()).content.decode()


def test_a_site_admin_may_change_any_courts_units(cast, admin_client):
    response = admin_client.post(reverse("members:branch_create", args=[cast.other_court.pk]), {"name": "机关党支部"})
    assert response.status_code == 302 and PartyBranch.objects.filter(court=cast.other_court).exists()


# --- bad requests -----------------------------------------------------------------------------


def test_malformed_posts_and_unknown_ids_never_give_an_error_page(cast):
    client = cast.client_for("organizer")
    group = make_group(cast.court, "青年理论学习小组", members=[cast.member])
    bad_forms = [
        (reverse("members:department_create", args=[cast.court.pk]), {"name": "  "}),
        (reverse("members:department_create", args=[cast.court.pk]), {"name": "庭" * 101}),
        (reverse("members:department_edit", args=[cast.department.pk]), {"name": "民一庭", "head": "abc"}),
        (reverse("members:branch_create", args=[cast.court.pk]), {"name": "党支部", "secretary": 999999}),
        (reverse("members:group_create", args=[cast.court.pk]), {"name": "小组", "kind": "club"}),
        (reverse("members:group_create", args=[cast.court.pk]), {"name": "小组", "kind": "study", "parent": "x"}),
        (reverse("members:group_edit", args=[group.pk]), {"name": "", "kind": "study"}),
        (reverse("members:group_members_add", args=[group.pk]), {"pick": ["abc", "999999"]}),
        (reverse("members:group_members_add", args=[group.pk]), {"pick": ""}),
    ]
    for url, data in bad_forms:
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors, (url, data)
    response = client.post(reverse("members:group_member_role", args=[group.pk, cast.member.pk]), {"role": "boss"})
    assert response.status_code == 302 and message(response) == "请选择在小组中的角色。"
    assert roles_in(group) == {"张明": "member"}
    not_found = [
        reverse("members:department_edit", args=[999999]),
        reverse("members:group_create", args=[999999]),
        reverse("members:group_member_remove", args=[group.pk, cast.colleague.pk]),  # not in the group
        reverse("members:group_member_role", args=[group.pk, 999999]),
        reverse("members:branch_delete", args=[999999]),
    ]
    for url in not_found:
        assert client.post(url, {"role": "leader"}).status_code == 404, url
    assert client.get(reverse("members:group_delete", args=[group.pk])).status_code == 405
    assert client.get(reverse("members:group_member_remove", args=[group.pk, cast.member.pk])).status_code == 405


# --- cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 60])
def test_group_page_with_manage_buttons_queries_do_not_grow_with_the_group(cast, size, django_assert_max_num_queries):
    people = [make_member(cast.court, f"干警{i:03d}", department=cast.department) for i in range(size)]
    group = make_group(cast.court, "青年理论学习小组", leader=people[0], members=people[1:])
    client = cast.client_for("organizer")
    with django_assert_max_num_queries(8):
        response = client.get(group.get_absolute_url())
    assert response.status_code == 200 and response.context["can_manage"]


@pytest.mark.parametrize("size", [5, 60])
def test_member_picker_queries_do_not_grow_with_the_court(cast, size, django_assert_max_num_queries):
    for i in range(size):
        make_member(cast.court, f"干警{i:03d}", department=cast.department)
    group = make_group(cast.court, "青年理论学习小组")
    client = cast.client_for("organizer")
    with django_assert_max_num_queries(6):  # the people, and the departments to filter them by
        response = client.get(reverse("members:group_members_add", args=[group.pk]))
    assert len(response.context["people"]) == size + 4  # and the cast of court A
