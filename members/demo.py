"""Demo courts and people for `make run`. Safe to run twice: everything is keyed by natural keys.

A city intermediate court (松原市中级人民法院) above two basic courts (前郭, 长岭), each with its
departments, three party branches with party groups, study groups (前郭 has the 理论研习小组
with nine 学习小队 and a 青年理论学习小组), about 150 members with generated but stable names,
and one account per role. Family seeders (activities/demo/*.py) get a People.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from .models import (
    Court,
    Department,
    Member,
    PartyBranch,
    PartyGroup,
    StudyGroup,
    StudyGroupMembership,
)

DEMO_PASSWORD = "demo-pass-2026"
ADMIN_USERNAME = "admin"

TRIAL_DEPARTMENTS = ["立案庭", "民一庭", "民二庭", "刑事审判庭", "行政审判庭", "执行局"]
OFFICE_DEPARTMENTS = ["审判管理办公室", "政治部", "办公室"]
POLICE = "司法警察大队"
BRANCHES = {  # branch → the departments whose party members it holds
    "第一党支部": ["立案庭", "民一庭", "民二庭"],
    "第二党支部": ["刑事审判庭", "行政审判庭", "执行局", "审判监督庭"],
    "机关党支部": ["审判管理办公室", "政治部", "办公室", POLICE],
}
PARTY_GROUPS = ["第一党小组", "第二党小组", "第三党小组"]
SQUADS = ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九"]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范"
    "方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "志强",
    "建华",
    "海燕",
    "晓东",
    "雪梅",
    "文博",
    "子涵",
    "思远",
    "欣怡",
    "宇航",
    "佳琪",
    "浩然",
    "梓萱",
    "一鸣",
    "婷婷",
    "俊杰",
    "晓燕",
    "立新",
    "国庆",
    "春梅",
    "红霞",
    "建国",
    "淑华",
    "玉兰",
    "鹏飞",
    "雅琴",
    "海涛",
    "振宇",
    "慧敏",
    "瑞",
    "琳",
    "倩",
    "蕾",
    "昊",
    "晨",
    "晶",
    "楠",
    "颖",
    "博",
    "健",
    "凯",
    "彤",
    "璐",
    "琦",
    "宁",
    "鑫",
    "悦",
    "婧",
    "然",
    "冬梅",
    "志刚",
    "永红",
    "丽娟",
    "文静",
    "晓明",
    "亚楠",
    "嘉怡",
    "梦瑶",
    "天宇",
    "雨桐",
    "思琪",
    "家豪",
    "泽宇",
    "诗涵",
    "晓峰",
    "庆丰",
    "德胜",
    "秀梅",
    "丹",
    "蕊",
    "欢",
    "畅",
    "毅",
    "冰",
    "薇",
    "旭",
    "茜",
]


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
    limited_organizer: Member | None = None
    colleague: Member | None = None  # in the member's department

    def members_of(self, court: Court):
        return Member.objects.filter(court=court, is_active=True)


class _Accounts:
    """Creates demo users with one shared hash: hashing 150 passwords one by one takes a minute."""

    def __init__(self) -> None:
        self._hash: str | None = None

    def user(self, username: str, **extra):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults=extra)
        if created:
            if self._hash is None:
                self._hash = make_password(DEMO_PASSWORD)
            user.password = self._hash
            user.save(update_fields=["password"])
        return user


def _member(accounts: _Accounts, court: Court, number: str, name: str, **fields) -> Member:
    user = accounts.user(f"{court.code}-{number}")
    member, _ = Member.objects.update_or_create(
        court=court, employee_number=number, defaults={"user": user, "name": name, **fields}
    )
    return member


def _court(name: str, code: str, parent: Court | None) -> Court:
    court = Court.objects.filter(name=name).first()
    if court is None:
        court = Court.objects.create(name=name, code=code, parent=parent)
    return court


def _units(court: Court, *, city: bool) -> tuple[dict[str, Department], dict[str, PartyBranch]]:
    names = [*TRIAL_DEPARTMENTS, *(["审判监督庭"] if city else []), *OFFICE_DEPARTMENTS, POLICE]
    departments = {name: Department.objects.get_or_create(court=court, name=name)[0] for name in names}
    branches = {}
    for name in BRANCHES:
        branch = PartyBranch.objects.get_or_create(court=court, name=name)[0]
        for group in PARTY_GROUPS[: 3 if name == "机关党支部" else 2]:
            PartyGroup.objects.get_or_create(branch=branch, name=group)
        branches[name] = branch
    return departments, branches


def _branch_for(department: str, branches: dict[str, PartyBranch]) -> PartyBranch:
    for name, departments in BRANCHES.items():
        if department in departments:
            return branches[name]
    return branches["机关党支部"]


def _staffing(department: str) -> list[tuple[str, str]]:
    """(post, position category) slots, in the order people fill them."""
    if department == POLICE:
        return [(Member.Post.BAILIFF, Member.PositionCategory.SUPPORT)] * 5
    if department in OFFICE_DEPARTMENTS:
        return [(Member.Post.ADMIN_STAFF, Member.PositionCategory.ADMIN)] * 5
    return [
        (Member.Post.JUDGE, Member.PositionCategory.TRIAL),
        (Member.Post.ASSISTANT, Member.PositionCategory.SUPPORT),
        (Member.Post.CLERK, Member.PositionCategory.SUPPORT),
    ] * 3


def _staff(
    accounts: _Accounts,
    court: Court,
    departments: dict[str, Department],
    branches: dict[str, PartyBranch],
    *,
    count: int,
    first_number: int,
    taken: set[str],
) -> list[Member]:
    """`count` generated members spread over the departments. Stable across runs (seeded by court)."""
    rng = random.Random(f"courtlearn-{court.code}")
    # Round-robin over departments, so a smaller court still staffs every department.
    slots = [
        (name, *_staffing(name)[layer]) for layer in range(9) for name in departments if layer < len(_staffing(name))
    ]
    members = []
    for index in range(count):
        department, post, category = slots[index % len(slots)]
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if name not in taken:
                taken.add(name)
                break
        age = rng.randint(24, 58) if post != Member.Post.JUDGE else rng.randint(30, 58)
        birth = dt.date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))
        roll = rng.random()
        if age <= 28 and roll < 0.35:
            political = Member.PoliticalStatus.LEAGUE
        elif roll < 0.72:
            political = Member.PoliticalStatus.PARTY
        elif roll < 0.78:
            political = Member.PoliticalStatus.PROBATIONARY
        elif roll < 0.84:
            political = Member.PoliticalStatus.DEMOCRATIC
        else:
            political = Member.PoliticalStatus.MASSES
        fields = {
            "department": departments[department],
            "post": post,
            "position_category": category,
            "political_status": political,
            "birth_date": birth,
            "party_branch": None,
            "party_group": None,
        }
        if political in {Member.PoliticalStatus.PARTY, Member.PoliticalStatus.PROBATIONARY}:
            branch = _branch_for(department, branches)
            fields["party_branch"] = branch
            fields["party_group"] = rng.choice(list(branch.groups.order_by("name")))
        members.append(_member(accounts, court, str(first_number + index), name, **fields))
    return members


def _group(court: Court, name: str, kind: str, parent: StudyGroup | None = None) -> StudyGroup:
    group, _ = StudyGroup.objects.get_or_create(court=court, name=name, defaults={"kind": kind, "parent": parent})
    return group


def _join(group: StudyGroup, member: Member, leader: bool = False) -> None:
    role = StudyGroupMembership.Role.LEADER if leader else StudyGroupMembership.Role.MEMBER
    StudyGroupMembership.objects.update_or_create(group=group, member=member, defaults={"role": role})


def _study_groups(court: Court, people: list[Member], *, research: bool) -> None:
    today = dt.date(2026, 11, 1)
    youth = [m for m in people if m.is_youth(today)]
    group = _group(court, "青年理论学习小组", StudyGroup.Kind.YOUTH)
    for index, member in enumerate(youth):
        _join(group, member, leader=index == 0)
    trial = [m for m in people if m.department and m.department.name in BRANCHES["第一党支部"]]
    group = _group(court, "民商事审判学习小组", StudyGroup.Kind.STUDY)
    for index, member in enumerate(trial):
        _join(group, member, leader=index == 0)
    if not research:
        return
    # 研习小组: selected members from trial, support and admin posts in nine squads (学习小队).
    research_group = _group(court, "理论研习小组", StudyGroup.Kind.RESEARCH)
    selected = people[: len(SQUADS) * 6]
    for index, prefix in enumerate(SQUADS):
        squad = _group(court, f"{prefix}学习小队", StudyGroup.Kind.SQUAD, parent=research_group)
        for position, member in enumerate(selected[index::9]):
            _join(squad, member, leader=position == 0)
            _join(research_group, member, leader=index == 0 and position == 0)


def seed_people() -> People:
    accounts = _Accounts()
    city = _court("松原市中级人民法院", "sy", None)
    court = _court("前郭县人民法院", "qg", city)
    other = _court("长岭县人民法院", "cl", city)

    departments, branches = _units(court, city=False)
    member = _member(
        accounts,
        court,
        "1001",
        "张明",
        department=departments["民一庭"],
        party_branch=branches["第一党支部"],
        party_group=branches["第一党支部"].groups.get(name="第一党小组"),
        political_status=Member.PoliticalStatus.PARTY,
        post=Member.Post.JUDGE,
        position_category=Member.PositionCategory.TRIAL,
        birth_date=dt.date(1992, 5, 1),
    )
    colleague = _member(
        accounts,
        court,
        "1005",
        "李静",
        department=departments["民一庭"],
        post=Member.Post.CLERK,
        position_category=Member.PositionCategory.SUPPORT,
        political_status=Member.PoliticalStatus.LEAGUE,
        birth_date=dt.date(1998, 3, 12),
    )
    organizer = _member(
        accounts,
        court,
        "1002",
        "王芳",
        department=departments["政治部"],
        role=Member.Role.ORGANIZER,
        post=Member.Post.ADMIN_STAFF,
        position_category=Member.PositionCategory.ADMIN,
        political_status=Member.PoliticalStatus.PARTY,
        party_branch=branches["机关党支部"],
        birth_date=dt.date(1985, 9, 20),
    )
    leader = _member(
        accounts,
        court,
        "1003",
        "赵建国",
        department=departments["政治部"],
        role=Member.Role.LEADER,
        post=Member.Post.LEADER,
        position_category=Member.PositionCategory.TRIAL,
        political_status=Member.PoliticalStatus.PARTY,
        party_branch=branches["机关党支部"],
        birth_date=dt.date(1969, 2, 14),
    )
    limited = _member(
        accounts,
        court,
        "1004",
        "刘洪涛",
        department=departments["刑事审判庭"],
        role=Member.Role.ORGANIZER,
        scope_branch=branches["第二党支部"],
        post=Member.Post.JUDGE,
        position_category=Member.PositionCategory.TRIAL,
        political_status=Member.PoliticalStatus.PARTY,
        party_branch=branches["第二党支部"],
        birth_date=dt.date(1978, 11, 3),
    )
    PartyBranch.objects.filter(pk=branches["第二党支部"].pk).update(secretary=limited)
    PartyBranch.objects.filter(pk=branches["机关党支部"].pk).update(secretary=organizer)
    taken = {m.name for m in (member, colleague, organizer, leader, limited)}
    staff = _staff(accounts, court, departments, branches, count=80, first_number=1101, taken=taken)
    _heads(departments, staff)
    _study_groups(court, [member, colleague, limited, *staff], research=True)

    other_departments, other_branches = _units(other, city=False)
    _member(
        accounts,
        other,
        "3001",
        "孙晓梅",
        department=other_departments["政治部"],
        role=Member.Role.ORGANIZER,
        post=Member.Post.ADMIN_STAFF,
        position_category=Member.PositionCategory.ADMIN,
        political_status=Member.PoliticalStatus.PARTY,
        birth_date=dt.date(1988, 6, 8),
    )
    other_staff = _staff(accounts, other, other_departments, other_branches, count=36, first_number=3101, taken=set())
    _heads(other_departments, other_staff)
    _study_groups(other, other_staff, research=False)

    city_departments, city_branches = _units(city, city=True)
    city_leader = _member(
        accounts,
        city,
        "2001",
        "陈志远",
        department=city_departments["政治部"],
        role=Member.Role.LEADER,
        post=Member.Post.LEADER,
        position_category=Member.PositionCategory.TRIAL,
        political_status=Member.PoliticalStatus.PARTY,
        party_branch=city_branches["机关党支部"],
        birth_date=dt.date(1966, 8, 30),
    )
    city_staff = _staff(accounts, city, city_departments, city_branches, count=28, first_number=2101, taken=set())
    _heads(city_departments, city_staff)
    _study_groups(city, city_staff, research=False)

    admin = accounts.user(ADMIN_USERNAME, is_staff=True, is_superuser=True)
    people = People(
        city=city,
        courts=[city, court, other],
        member=member,
        organizer=organizer,
        leader=leader,
        city_leader=city_leader,
        limited_organizer=limited,
        colleague=colleague,
    )
    people.accounts = [
        ("member", member.user.username, DEMO_PASSWORD),
        ("organizer", organizer.user.username, DEMO_PASSWORD),
        ("limited organizer (第二党支部)", limited.user.username, DEMO_PASSWORD),
        ("leader", leader.user.username, DEMO_PASSWORD),
        ("city leader", city_leader.user.username, DEMO_PASSWORD),
        ("site admin", admin.username, DEMO_PASSWORD),
    ]
    return people


def _heads(departments: dict[str, Department], staff: list[Member]) -> None:
    """The first judge of each trial department heads it (庭长), where none is set."""
    for department in departments.values():
        if department.head_id is not None:
            continue
        judge = next(
            (m for m in staff if m.department_id == department.pk and m.post == Member.Post.JUDGE),
            None,
        )
        if judge is not None:
            Department.objects.filter(pk=department.pk).update(head=judge)
