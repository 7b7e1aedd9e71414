"""Units listed in the order people expect: 第一…第十, then by name; departments in the court's own
order, which an organizer of the whole court sets with the arrows on the court's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from members.forms import MemberForm, StudyGroupForm
from members.models import AuditEvent, Department, PartyBranch, PartyGroup, StudyGroup
from members.ordering import chinese_number, sort_units, unit_sort_key
from members.services import department_create, department_move
from reports.models import UnitKind
from reports.periods import MONTH, Period
from reports.selectors import unit_rows
from tests.factories import make_group

BRANCHES_AS_TYPED = ["机关党支部", "第七党支部", "第三党支部", "第十一党支部", "第二党支部", "第十党支部", "第一党支部"]
BRANCHES_EXPECTED = ["第一党支部", "第二党支部", "第三党支部", "第七党支部", "第十党支部", "第十一党支部", "机关党支部"]


def names_in_order(names: list[str]) -> list[str]:
    return sorted(names, key=unit_sort_key)


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十一", 21), ("一百零五", 105), ("二〇二六", 2026)],
)
def test_chinese_numerals_are_read_as_numbers(text, value):
    assert chinese_number(text) == value


def test_numbered_units_sort_by_their_number_not_by_the_characters():
    assert names_in_order(["第十一党支部", "第三党支部", "第十党支部", "第二党支部"]) == [
        "第二党支部",
        "第三党支部",
        "第十党支部",
        "第十一党支部",
    ]
    assert names_in_order(["第二十一党小组", "第二十党小组", "第九党小组"]) == [
        "第九党小组",
        "第二十党小组",
        "第二十一党小组",
    ]


def test_arabic_numbers_sort_as_numbers_and_mix_with_chinese_ones():
    assert names_in_order(["第10党小组", "第2党小组", "第1党小组"]) == ["第1党小组", "第2党小组", "第10党小组"]
    assert names_in_order(["第3学习小队", "第十学习小队", "第二学习小队", "第１学习小队"]) == [
        "第１学习小队",  # full-width digits, as an IME types them
        "第二学习小队",
        "第3学习小队",
        "第十学习小队",
    ]


def test_unnumbered_units_come_after_the_numbered_ones_by_name_with_numbers_inside_counted():
    assert names_in_order(BRANCHES_AS_TYPED) == BRANCHES_EXPECTED
    assert names_in_order(["离退休党支部", "机关党支部", "第二党支部"])[0] == "第二党支部"
    assert names_in_order(["民三庭", "民二庭", "民一庭"]) == ["民一庭", "民二庭", "民三庭"]


def test_odd_names_never_fail():
    for name in ["", " ", "第", "第十百千", "十二三", "1" * 400, "两学一做学习小组", "二百两"]:
        assert isinstance(unit_sort_key(name), str)
    assert len(unit_sort_key("1a" * 100)) <= 300  # the stored column's width


def test_sort_units_keeps_objects():
    class Named:
        def __init__(self, name):
            self.name = name

    items = [Named(n) for n in ["第三党小组", "第一党小组"]]
    assert [i.name for i in sort_units(items)] == ["第一党小组", "第三党小组"]


# --- in the database ------------------------------------------------------------------------


@pytest.fixture
def branches(cast) -> list[PartyBranch]:
    cast.branch.delete()  # the cast's 第一党支部 is created again below, in the order a court typed them
    return [PartyBranch.objects.create(court=cast.court, name=name) for name in BRANCHES_AS_TYPED]


def test_branches_groups_and_study_groups_are_listed_in_natural_order_everywhere(cast, branches):
    assert list(PartyBranch.objects.filter(court=cast.court).values_list("name", flat=True)) == BRANCHES_EXPECTED
    second = PartyBranch.objects.get(court=cast.court, name="第二党支部")
    for name in ["第十党小组", "第二党小组", "第一党小组"]:
        PartyGroup.objects.create(branch=second, name=name)
    for name in ["第十学习小组", "第三学习小组", "青年理论学习小组"]:
        make_group(cast.court, name)

    # The member form's selects.
    form = MemberForm(instance=cast.member)
    assert [b.name for b in form.fields["party_branch"].queryset] == BRANCHES_EXPECTED
    groups = [g.name for g in form.fields["party_group"].queryset]
    assert groups == ["第一党小组", "第二党小组", "第十党小组"]
    parents = [g.name for g in StudyGroupForm(court=cast.court).fields["parent"].queryset]
    assert parents == ["第三学习小组", "第十学习小组", "青年理论学习小组"]

    # The court's page.
    page = cast.client_for("member").get(reverse("members:court_detail", args=[cast.court.pk])).content.decode()
    section = page[page.index('id="branches"') :]
    shown = re.findall(r'<a href="/members/branches/\d+/">([^<]+)</a>', section)
    assert shown == BRANCHES_EXPECTED

    # The reports' breakdown rows and the workbook's sheets (both read unit_rows).
    rows = unit_rows(cast.court, Period(MONTH, dt.date(2026, 10, 1)), UnitKind.BRANCH)
    assert [r.name for r in rows] == BRANCHES_EXPECTED


def test_a_rename_moves_the_unit_to_its_new_place(cast, branches):
    branch = PartyBranch.objects.get(court=cast.court, name="机关党支部")
    branch.name = "第八党支部"
    branch.save(update_fields=["name"])  # the key goes with the name even when only the name is saved
    names = list(PartyBranch.objects.filter(court=cast.court).values_list("name", flat=True))
    assert names.index("第八党支部") == names.index("第七党支部") + 1


def departments_of(court) -> list[str]:
    return list(Department.objects.filter(court=court).values_list("name", flat=True))


def test_organizer_puts_the_departments_in_the_courts_own_order(cast):
    department_create(actor=None, court=cast.court, name="民二庭")
    department_create(actor=None, court=cast.court, name="刑事审判庭")
    # Before the court sets an order: by name (刑 < 政 < 民), with 民一 before 民二.
    assert departments_of(cast.court) == ["刑事审判庭", "政治部", "民一庭", "民二庭"]

    client = cast.client_for("organizer")
    page = client.get(reverse("members:court_detail", args=[cast.court.pk])).content.decode()
    assert 'name="direction" value="up"' in page and "department-move" in page

    political = Department.objects.get(court=cast.court, name="政治部")
    for _ in range(2):  # 政治部 to the top; the second move up changes nothing
        response = client.post(reverse("members:department_move", args=[political.pk]), {"direction": "up"})
        assert response.status_code == 302 and response["Location"].endswith("#departments")
    assert departments_of(cast.court) == ["政治部", "刑事审判庭", "民一庭", "民二庭"]
    assert AuditEvent.objects.filter(action="department.moved", court=cast.court).count() == 1

    criminal = Department.objects.get(court=cast.court, name="刑事审判庭")
    client.post(reverse("members:department_move", args=[criminal.pk]), {"direction": "down"})
    client.post(reverse("members:department_move", args=[criminal.pk]), {"direction": "sideways"})  # ignored
    assert departments_of(cast.court) == ["政治部", "民一庭", "刑事审判庭", "民二庭"]
    page = client.get(reverse("members:court_detail", args=[cast.court.pk])).content.decode()
    shown = re.findall(r'<a href="/members/departments/\d+/">([^<]+)</a>', page[page.index('id="departments"') :])
    assert shown == ["政治部", "民一庭", "刑事审判庭", "民二庭"]

    # A department added later comes last until it is moved; other courts keep their own order.
    department_create(actor=None, court=cast.court, name="办公室")
    assert departments_of(cast.court)[-1] == "办公室"
    assert departments_of(cast.other_court) == ["刑事审判庭"]

    # Selects and lists follow the court's order.
    form = MemberForm(instance=cast.member)
    assert [d.name for d in form.fields["department"].queryset] == [
        "政治部",
        "民一庭",
        "刑事审判庭",
        "民二庭",
        "办公室",
    ]
    people = client.get(reverse("members:member_list")).content.decode()
    assert people.index("王芳") < people.index("张明")  # 政治部's people before 民一庭's


def test_moving_past_either_end_changes_nothing(cast):
    first = Department.objects.filter(court=cast.court).first()
    assert department_move(actor=None, department=first, offset=-1).position is None
    assert not AuditEvent.objects.filter(action="department.moved").exists()


def test_only_an_organizer_of_the_whole_court_moves_departments(cast):
    url = reverse("members:department_move", args=[cast.department.pk])
    assert cast.client_for("member").post(url, {"direction": "down"}).status_code == 403
    assert cast.client_for("outsider").post(url, {"direction": "down"}).status_code == 404
    assert Department.objects.get(pk=cast.department.pk).position is None
    page = cast.client_for("member").get(reverse("members:court_detail", args=[cast.court.pk])).content.decode()
    assert "department-move" not in page


def test_study_groups_squads_are_listed_first_to_last(cast):
    parent = make_group(cast.court, "研习小组", kind=StudyGroup.Kind.RESEARCH)
    for name in ["第十学习小队", "第二学习小队", "第一学习小队"]:
        StudyGroup.objects.create(court=cast.court, name=name, kind=StudyGroup.Kind.SQUAD, parent=parent)
    page = cast.client_for("member").get(reverse("members:group_detail", args=[parent.pk])).content.decode()
    assert page.index("第一学习小队") < page.index("第二学习小队") < page.index("第十学习小队")
