"""Synthetic province: 120 courts, 30,000 members (× scale) and years of activity rows.

Organisation rows go through the ORM in bulk; activity rows through PostgreSQL COPY,
from generators that each activity family registers in GENERATORS.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from members.models import Court, Department, Member, PartyBranch, StudyGroup, StudyGroupMembership

FULL_MEMBERS = 30_000
COURTS = 120  # 1 high court, 14 intermediate courts, 105 basic courts
START = dt.date(2023, 11, 1)
END = dt.date(2026, 11, 1)  # exclusive: three years of activity
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "明华建国军平志红丽静敏强磊洋艳勇杰娟涛超霞刚桂英秀兰芳燕玲鹏辉斌宇浩凯鑫晨阳雪梅琳慧颖博文"
DEPARTMENTS = [
    "立案庭",
    "民一庭",
    "民二庭",
    "刑事审判庭",
    "行政审判庭",
    "执行局",
    "审判管理办公室",
    "政治部",
    "办公室",
    "研究室",
]


@dataclass
class Context:
    """What an activity generator gets: members by court and a seeded random source."""

    scale: float
    rng: random.Random
    members: list[tuple[int, int, int | None]] = field(default_factory=list)  # (member_id, court_id, department_id)
    courts: list[int] = field(default_factory=list)

    def days(self) -> int:
        return (END - START).days

    def random_day(self) -> dt.date:
        return START + dt.timedelta(days=self.rng.randrange(self.days()))


GENERATORS: list[Callable[[Context, object], int]] = []  # (ctx, psycopg cursor) -> rows written


def generator(fn: Callable[[Context, object], int]) -> Callable:
    GENERATORS.append(fn)
    return fn


def create_organisation(scale: float, seed: int = 2026) -> Context:
    rng = random.Random(seed)
    ctx = Context(scale=scale, rng=rng)
    high = Court.objects.create(name="省高级人民法院", code="p")
    courts = [high]
    for c in range(1, 15):
        city = Court.objects.create(name=f"第{c}市中级人民法院", code=f"c{c:02d}", parent=high)
        courts.append(city)
        for b in range(1, 8 if c <= 7 else 9):  # 7×7 + 7×8 = 105 basic courts
            courts.append(Court.objects.create(name=f"第{c}市第{b}基层人民法院", code=f"c{c:02d}b{b:02d}", parent=city))
    assert len(courts) == COURTS
    per_court = max(3, round(FULL_MEMBERS * scale / COURTS))
    password = make_password("bench-password")
    User = get_user_model()
    for court in courts:
        departments = Department.objects.bulk_create(Department(court=court, name=n) for n in DEPARTMENTS)
        branches = PartyBranch.objects.bulk_create(PartyBranch(court=court, name=f"第{i}党支部") for i in range(1, 4))
        groups = StudyGroup.objects.bulk_create(
            [
                StudyGroup(court=court, name="青年理论学习小组", kind=StudyGroup.Kind.YOUTH),
                StudyGroup(court=court, name="研习小组", kind=StudyGroup.Kind.RESEARCH),
            ]
        )
        users = User.objects.bulk_create(
            User(username=f"{court.code}-{i:05d}", password=password) for i in range(per_court)
        )
        members = Member.objects.bulk_create(
            Member(
                user=user,
                court=court,
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                employee_number=f"{i:05d}",
                department=departments[i % len(departments)],
                party_branch=branches[i % len(branches)],
                role=Member.Role.LEADER if i == 0 else Member.Role.ORGANIZER if i == 1 else Member.Role.MEMBER,
                birth_date=dt.date(1965 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            )
            for i, user in enumerate(users)
        )
        StudyGroupMembership.objects.bulk_create(
            StudyGroupMembership(group=groups[i % 2], member=m) for i, m in enumerate(members) if i % 5 == 0
        )
        ctx.courts.append(court.pk)
        ctx.members.extend((m.pk, court.pk, m.department_id) for m in members)
    return ctx


def generate(scale: float) -> dict[str, int]:
    """Create the whole data set; returns row counts per generator."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        ctx = create_organisation(scale)
    counts["members"] = len(ctx.members)
    from . import generators  # noqa: F401  (registers the activity generators)

    for fn in GENERATORS:
        with transaction.atomic(), connection.cursor() as cursor:
            counts[fn.__name__] = fn(ctx, cursor.cursor)
    with connection.cursor() as cursor:
        # What autovacuum does on a live server: statistics, and the visibility map that lets
        # summary builds answer from covering indexes alone.
        cursor.execute("VACUUM ANALYZE")
    return counts
