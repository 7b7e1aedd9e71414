"""The five seed courts' programmes, each built in one quarter with its report's own numbers.

/work/shared/seeds/000–004 are real 情况总结 of five courts (前郭, 辽源, 茂名, 西城, 九原). Each
builder here sets up that court (departments, party branches, study groups, people with the
titles a roster would give them) and runs the programme its report describes, in one quarter,
through the product's services: the organizer creates campaigns, sessions, contests, quizzes,
assessments, outputs; members plan, reflect, enter and vote. Where a service would take hundreds
of calls (attendance sheets, reading plans, quiz attempts, a quarter of monthly plans) the rows
are bulk-created as the service would write them, so a builder stays well under 3 s on SQLite.

Everything happens on the day it would: `clock(when)` makes Django's `timezone.now()` (which
fills every `created_at`) return that moment, and the services that take `now`/`today` get the
same moment. The quarter lies in the past of the build (`Programme.now`, nine days after it), so
every session has ended and counts as held without minutes.

Not collected by pytest (no test_ prefix): tests/reports/test_seed_reports.py uses it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile

from activities.models import (
    Application,
    Attempt,
    Attendance,
    Award,
    Book,
    CalendarDay,
    Contest,
    MonthlyPlan,
    PartnerOrganization,
    PlanItem,
    Question,
    ReadingCampaign,
    ReadingLog,
    ReadingPlan,
    ReadingPlanItem,
    SeriesPlan,
    Session,
    SessionKind,
    Speaker,
)
from activities.selectors.contests import contest_standings
from activities.services import plans as plan_services
from activities.services import reading as reading_services
from activities.services import sessions as session_services
from activities.services.contests import assessments as assessment_services
from activities.services.contests import awards as award_services
from activities.services.contests import contest as contest_services
from activities.services.contests import judging as judging_services
from activities.services.contests import questions as question_services
from activities.services.contests import quizzes as quiz_services
from activities.services.contests import voting as voting_services
from members.models import Court, Department, Member, PartyBranch, StudyGroup, StudyGroupMembership
from members.services import branch_create, department_create, study_group_add_members, study_group_create
from reports.periods import QUARTER, Period

# ---------------------------------------------------------------------------------------------
# What a builder returns


@dataclass
class Programme:
    court: Court  # the court whose 情况总结 is drafted
    courts: list[Court]  # every court whose period must be built: the court, then the courts below it
    period: Period
    now: dt.datetime  # when the summaries are built: after the quarter
    with_children: bool = False  # the draft speaks for the court and the courts below it (两级法院)
    people: dict[str, Member] = field(default_factory=dict)  # the people the report names, by name


# ---------------------------------------------------------------------------------------------
# Time


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz())


@contextlib.contextmanager
def clock(when: dt.datetime) -> Iterator[None]:
    """Act on that day: every created_at/updated_at and audit row carries this moment."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


class Quarter:
    """Days of the quarter by (month of the quarter, day), skipping the holiday calendar's days off."""

    def __init__(self, start: dt.date):
        self.period = Period(QUARTER, start)
        self.start = start
        _KINDS.clear()
        self.holidays = set(
            CalendarDay.objects.filter(kind=CalendarDay.Kind.HOLIDAY)
            .between(start, self.period.last_day)
            .values_list("date", flat=True)
        )

    def day(self, month: int, day: int) -> dt.date:
        """The `day`th of the quarter's `month`th month (1–3), moved on past weekends and holidays."""
        first = self.period.months_in()[month - 1].start
        return self.workday(first.replace(day=day))

    def workday(self, day: dt.date) -> dt.date:
        while day.weekday() >= 5 or day in self.holidays:
            day += dt.timedelta(days=1)
        return day

    def weekly(self, weekday: int, *, count: int, first: dt.date | None = None) -> list[dt.date]:
        """`count` working days on this weekday (0 = Monday), from `first` on, holidays skipped."""
        day = first or self.start
        day += dt.timedelta(days=(weekday - day.weekday()) % 7)
        days = []
        while len(days) < count:
            if day > self.period.last_day:
                raise ValueError("the quarter has fewer such weekdays")
            if day not in self.holidays:
                days.append(day)
            day += dt.timedelta(days=7)
        return days

    def monthly(self, day: int) -> list[dt.date]:
        return [self.day(month, day) for month in (1, 2, 3)]

    @property
    def build_time(self) -> dt.datetime:
        """Nine days after the quarter: every session has ended and every month's plan report has closed."""
        return at(self.period.end + dt.timedelta(days=9), 10)


# ---------------------------------------------------------------------------------------------
# People

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔贺赖龚文"
GIVEN = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "超", "霞",
    "平", "刚", "建华", "晓东", "海燕", "志强", "雪梅", "国栋", "子涵", "浩然", "欣怡", "俊杰", "婷婷",
    "文博", "佳琪", "宇航", "梦瑶", "立新", "红梅", "春雨", "秋实", "嘉怡", "明轩", "雨萱", "振华",
    "淑珍", "玉兰", "凯", "鹏", "琳", "颖", "博", "慧",
]  # fmt: skip

POSTS = {  # the roster's 职务 → the product's post and position category
    "院长": (Member.Post.LEADER, Member.PositionCategory.TRIAL),
    "副院长": (Member.Post.LEADER, Member.PositionCategory.TRIAL),
    "院领导": (Member.Post.LEADER, Member.PositionCategory.ADMIN),
    "庭长": (Member.Post.JUDGE, Member.PositionCategory.TRIAL),
    "副庭长": (Member.Post.JUDGE, Member.PositionCategory.TRIAL),
    "法官": (Member.Post.JUDGE, Member.PositionCategory.TRIAL),
    "法官助理": (Member.Post.ASSISTANT, Member.PositionCategory.SUPPORT),
    "书记员": (Member.Post.CLERK, Member.PositionCategory.SUPPORT),
    "司法警察": (Member.Post.BAILIFF, Member.PositionCategory.SUPPORT),
    "主任": (Member.Post.ADMIN_STAFF, Member.PositionCategory.ADMIN),
    "副主任": (Member.Post.ADMIN_STAFF, Member.PositionCategory.ADMIN),
    "科员": (Member.Post.ADMIN_STAFF, Member.PositionCategory.ADMIN),
}


@dataclass
class Person:
    name: str
    department: str
    title: str  # 职务 as the roster writes it (院长, 庭长, 科员…)
    branch: str = ""
    role: str = Member.Role.MEMBER


class Roster:
    """A court's people, created as a roster import would (one account each), in bulk."""

    def __init__(self, court: Court):
        self.court = court
        self.people: list[Person] = []
        self._names = itertools.count()
        self._taken: set[str] = set()

    def add(self, name: str, department: str, title: str, **kwargs) -> Person:
        person = Person(name, department, title, **kwargs)
        self._taken.add(name)
        self.people.append(person)
        return person

    def staff(self, department: str, titles: Sequence[str], *, branch: str = "") -> list[Person]:
        """Unnamed colleagues of a department, one per title, with made-up but plausible names."""
        return [self.add(self._next_name(), department, title, branch=branch) for title in titles]

    def _next_name(self) -> str:
        while True:
            i = next(self._names)
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7 + i // len(SURNAMES)) % len(GIVEN)]
            if name not in self._taken:
                self._taken.add(name)
                return name

    def create(self, *, departments: dict[str, Department], branches: dict[str, PartyBranch]) -> dict[str, Member]:
        User = get_user_model()
        password = make_password("seed-pass-2026")  # one hash for all: hashing is the slow part
        code = self.court.code
        users = User.objects.bulk_create(
            User(username=f"{code}-{n:04d}", password=password) for n, _p in enumerate(self.people, start=1)
        )
        members = []
        for n, (person, user) in enumerate(zip(self.people, users, strict=True), start=1):
            post, category = POSTS[person.title]
            members.append(
                Member(
                    user=user,
                    court=self.court,
                    name=person.name,
                    employee_number=f"{n:04d}",
                    department=departments[person.department],
                    party_branch=branches.get(person.branch),
                    post=post,
                    position_category=category,
                    political_status=Member.PoliticalStatus.PARTY if person.branch else "",
                    role=person.role,
                )
            )
        Member.objects.bulk_create(members)
        return {m.name: m for m in Member.objects.filter(court=self.court).select_related("department")}


def make_units(
    court: Court, actor_user, *, departments: Sequence[str], branches: Sequence[str] = ()
) -> tuple[dict[str, Department], dict[str, PartyBranch]]:
    """The court's departments and party branches, as the organizer creates them on the units page."""
    made_departments = {name: department_create(actor=actor_user, court=court, name=name) for name in departments}
    made_branches = {name: branch_create(actor=actor_user, court=court, name=name) for name in branches}
    return made_departments, made_branches


def set_heads(units: Iterable[Department | PartyBranch], people: dict[str, Member], heads: dict[str, str]) -> None:
    """Department heads and branch secretaries, once the people exist."""
    for unit in units:
        name = heads.get(unit.name)
        if name is None:
            continue
        if isinstance(unit, Department):
            unit.head = people[name]
            unit.save(update_fields=["head"])
        else:
            unit.secretary = people[name]
            unit.save(update_fields=["secretary"])


def group_with(
    court: Court, actor: Member, name: str, kind: str, members: Sequence[Member], leader: Member | None = None
):
    group = study_group_create(actor=actor.user, court=court, name=name, kind=kind)
    study_group_add_members(actor=actor.user, group=group, members=list(members))
    if leader is not None:
        StudyGroupMembership.objects.filter(group=group, member=leader).update(role=StudyGroupMembership.Role.LEADER)
    return group


# ---------------------------------------------------------------------------------------------
# Sessions


_KINDS: dict[str, SessionKind] = {}  # per build: every Quarter() empties it (a flushed database reloads the kinds)


def kind(code: str) -> SessionKind:
    if code not in _KINDS:
        _KINDS[code] = SessionKind.objects.get(code=code)
    return _KINDS[code]


def court_kind(name: str, code: str) -> SessionKind:
    """A kind the court's organizer adds to the editable list (管理 → 学习活动类型)."""
    position = (SessionKind.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return SessionKind.objects.get_or_create(code=code, defaults={"name": name, "position": position})[0]


def held(
    actor: Member,
    kind_code: str | SessionKind,
    title: str,
    day: dt.date,
    *,
    attendees: Sequence[Member],
    hour: int = 15,
    minutes: int = 90,
    speakers: Sequence[dict] = (),
    absent: Sequence[Member] = (),
    **fields,
) -> Session:
    """A session the organizer planned (a week before) and people attended; it ended in the quarter."""
    start = at(day, hour)
    with clock(start - dt.timedelta(days=7)):
        session = session_services.session_create(
            actor=actor,
            kind=kind_code if isinstance(kind_code, SessionKind) else kind(kind_code),
            title=title,
            start=start,
            end=start + dt.timedelta(minutes=minutes),
            speakers=speakers,
            notify_speakers=False,
            **fields,
        )
    with clock(start + dt.timedelta(minutes=minutes)):
        # The attendance sheet as the organizer marks it (one service call per person otherwise).
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    member=m,
                    status=Attendance.Status.PRESENT,
                    method=Attendance.Method.ORGANIZER,
                    marked_by=actor,
                )
                for m in attendees
            ]
            + [
                Attendance(
                    session=session,
                    member=m,
                    status=Attendance.Status.LEAVE,
                    reason="开庭",
                    method=Attendance.Method.ORGANIZER,
                    marked_by=actor,
                )
                for m in absent
            ]
        )
    return session


def speaker(member: Member, role: str = Speaker.Role.OFFICER) -> dict:
    return {"member": member, "role": role}


def guest(name: str, affiliation: str, role: str = Speaker.Role.EXPERT) -> dict:
    return {"member": None, "guest_name": name, "guest_affiliation": affiliation, "role": role}


def series(actor: Member, *, title: str, unit, theme: str, topics: Sequence[str]) -> SeriesPlan:
    plan = session_services.series_plan_create(actor=actor, title=title, unit=unit, theme=theme)
    for topic in topics:
        session_services.series_item_add(actor=actor, plan=plan, topic=topic)
    return plan


def in_branch(people: dict[str, Member], branch: PartyBranch) -> list[Member]:
    return [m for m in people.values() if m.party_branch_id == branch.pk]


def in_department(people: dict[str, Member], department: Department) -> list[Member]:
    return [m for m in people.values() if m.department_id == department.pk]


# ---------------------------------------------------------------------------------------------
# Contests


def run_contest(
    actor: Member,
    *,
    fields: dict,
    entries: Sequence[tuple[Member, str]],
    opened: dt.datetime,
    judging: dt.datetime,
    by_organizer: bool = False,
    text: str = "",
) -> tuple[Contest, list]:
    """Set up a contest, take its entries and move it to voting and judging."""
    with clock(opened):
        contest = contest_services.contest_create(actor=actor, court=actor.court, fields=fields)
        contest = contest_services.contest_set_phase(
            actor=actor, contest=contest, phase=Contest.Phase.ENTRIES, now=opened
        )
    made = []
    for i, (member, title) in enumerate(entries):
        with clock(opened + dt.timedelta(hours=2 + i)):
            made.append(
                contest_services.entry_create(
                    actor=actor if by_organizer else member,
                    contest=contest,
                    member=member,
                    title=title,
                    text=text or f"{title}。" * 3,
                    by_organizer=by_organizer,
                )
            )
    with clock(judging):
        contest = contest_services.contest_set_phase(
            actor=actor, contest=contest, phase=Contest.Phase.JUDGING, now=judging
        )
    return contest, made


def publish(actor: Member, contest: Contest, when: dt.datetime) -> Contest:
    with clock(when):
        return contest_services.contest_set_phase(actor=actor, contest=contest, phase=Contest.Phase.PUBLISHED, now=when)


def give(actor: Member, contest: Contest, entry, kind_: str, when: dt.datetime, custom_name: str = "") -> Award:
    with clock(when):
        return award_services.award_create(
            actor=actor, contest=contest, entry=entry, kind=kind_, custom_name=custom_name
        )


# ---------------------------------------------------------------------------------------------
# Small helpers


def upload(name: str, data: bytes = b"...") -> ContentFile:
    file = ContentFile(data, name="upload" + name[name.rfind(".") :])
    file.original_name = name
    return file


def book(actor: Member, title: str, author: str, publisher: str = "", year: int | None = None) -> Book:
    existing = Book.objects.filter(title=title).first()
    return existing or reading_services.book_create(
        actor=actor, title=title, author=author, publisher=publisher, year=year
    )


# =============================================================================================
# 000 前郭县人民法院: 书香法院, 周分享 and 微课堂


QIANGUO_DEPARTMENTS = ["政治部", "办公室", "立案庭", "民一庭", "民二庭", "刑事审判庭", "执行局"]
QIANGUO_BRANCHES = ["机关第一党支部", "机关第二党支部", "机关第三党支部"]
QIANGUO_BRANCH_OF = {  # department → branch
    "政治部": "机关第一党支部",
    "办公室": "机关第一党支部",
    "立案庭": "机关第二党支部",
    "民一庭": "机关第二党支部",
    "民二庭": "机关第二党支部",
    "刑事审判庭": "机关第三党支部",
    "执行局": "机关第三党支部",
}
# The eight members of the leading group (八位领导班子成员) and the red book each recommends.
QIANGUO_LEADERS = [
    ("赵建国", "党组书记、院长", "院长", "红岩", "罗广斌、杨益言"),
    ("孟庆华", "党组副书记、副院长", "副院长", "红星照耀中国", "埃德加·斯诺"),
    ("韩立军", "党组成员、副院长", "副院长", "青春之歌", "杨沫"),
    ("宋雅琴", "党组成员、副院长", "副院长", "林海雪原", "曲波"),
    ("邱振东", "党组成员、纪检组长", "院领导", "保卫延安", "杜鹏程"),
    ("白文华", "党组成员、政治部主任", "院领导", "红旗谱", "梁斌"),
    ("钱晓光", "审判委员会专职委员", "院领导", "长征", "王树增"),
    ("常思远", "执行局局长", "院领导", "平凡的世界", "路遥"),
]
QIANGUO_DONATED = [
    ("爱问法律百科：婚姻家庭、继承必知200问", 10),
    ("民法典（实用一本通）", 10),
    ("一看就懂的法律常识大全集", 10),
]
ESSAY_THEMES = [  # titles members give their essays
    "在新征程上担当作为",
    "以公正司法守护万家灯火",
    "把初心写在审判台上",
    "做人民群众信赖的法官",
    "从一份判决书看法治温度",
    "青春在执行一线闪光",
    "立案窗口里的为民情怀",
    "学思践悟二十大",
    "让群众感受到公平正义",
    "奋进新时代的书记员",
    "我身边的共产党员",
    "在调解中读懂民心",
    "做新时代的司法尖兵",
    "红色基因代代传",
    "法治护航高质量发展",
    "学习十九大 开启新征程",
]
QIANGUO_MICRO_CLASS_TOPICS = [
    "党的二十大报告全文通读",
    "新时代十年的伟大变革",
    "中国式现代化的中国特色和本质要求",
    "坚持全面依法治国，推进法治中国建设",
    "严格公正司法",
    "加快建设法治社会",
    "推进国家安全体系和能力现代化",
    "发展全过程人民民主",
    "坚持和发展马克思主义",
    "全面从严治党永远在路上",
]


def build_qianguo(*, quarter_start: dt.date) -> Programme:
    q = Quarter(quarter_start)
    court = Court.objects.create(name="前郭县人民法院", code="qg")
    departments, branches = make_units(court, None, departments=QIANGUO_DEPARTMENTS, branches=QIANGUO_BRANCHES)
    roster = Roster(court)
    for name, _full_title, title, _book, _author in QIANGUO_LEADERS:
        roster.add(name, "政治部" if title == "院领导" else "办公室", title, role=Member.Role.LEADER)
    organizer = roster.add("王芳", "政治部", "科员", branch="机关第一党支部", role=Member.Role.ORGANIZER)
    roster.add("刘思雨", "民一庭", "法官助理", branch="机关第二党支部")
    # Secretaries of the three branches, then every department's people (66 in all besides the leaders).
    roster.add("高志强", "办公室", "主任", branch="机关第一党支部")
    roster.add("林淑珍", "民二庭", "庭长", branch="机关第二党支部")
    roster.add("何俊杰", "刑事审判庭", "庭长", branch="机关第三党支部")
    staff = {
        "政治部": ["副主任", "科员", "科员", "科员", "科员", "科员"],
        "办公室": ["副主任", "科员", "科员", "科员", "科员", "司法警察", "司法警察"],
        "立案庭": ["庭长", "法官", "法官助理", "书记员", "书记员", "书记员", "书记员", "书记员", "书记员", "书记员"],
        "民一庭": [
            "庭长",
            "副庭长",
            "法官",
            "法官",
            "法官助理",
            "法官助理",
            "法官助理",
            "书记员",
            "书记员",
            "书记员",
            "书记员",
        ],
        "民二庭": ["副庭长", "法官", "法官", "法官助理", "书记员", "书记员", "书记员", "书记员"],
        "刑事审判庭": ["副庭长", "法官", "法官", "法官助理", "书记员", "书记员", "书记员", "书记员"],
        "执行局": [
            "副庭长",
            "法官",
            "法官",
            "法官助理",
            "法官助理",
            "书记员",
            "书记员",
            "书记员",
            "司法警察",
            "司法警察",
            "司法警察",
        ],
    }
    for department, titles in staff.items():
        roster.staff(department, titles, branch=QIANGUO_BRANCH_OF[department])
    people = roster.create(departments=departments, branches=branches)
    organizer = people[organizer.name]
    set_heads(
        branches.values(), people, {"机关第一党支部": "高志强", "机关第二党支部": "林淑珍", "机关第三党支部": "何俊杰"}
    )
    leaders = [people[row[0]] for row in QIANGUO_LEADERS]
    staff_members = [m for m in people.values() if m.role != Member.Role.LEADER]

    # 以部门为单位组建学习小组.
    groups = {
        name: group_with(
            court, organizer, f"{name}学习小组", StudyGroup.Kind.STUDY, in_department(people, departments[name])
        )
        for name in QIANGUO_DEPARTMENTS
    }

    # The campaign: its plan (活动方案) and the initiative letter (倡议书), opened on the first day.
    with clock(at(q.day(1, 1), 9)):
        campaign = reading_services.reading_campaign_create(
            actor=organizer,
            court=court,
            title="点燃读书热情 创建书香法院",
            starts_on=q.start,
            ends_on=q.start.replace(year=q.start.year + 1) - dt.timedelta(days=1),
            audience=ReadingCampaign.Audience.COURT,
            initiative_letter=(
                "“点燃读书热情·创建书香法院”活动倡议书：全院干警根据个人兴趣、工作特点、岗位需求，"
                "选择阅读书目，制定读书计划，养成良好的阅读习惯。"
            ),
            plan_document=upload("前郭法院开展“点燃读书热情 创建书香法院”活动方案.docx"),
        )
        reading_services.reading_campaign_set_status(
            actor=organizer, campaign=campaign, status=ReadingCampaign.Status.ACTIVE
        )

    # 八位领导班子成员 recommend red books with a recommendation text (荐书台).
    for i, (name, full_title, _title, title, author) in enumerate(QIANGUO_LEADERS):
        with clock(at(q.day(1, 3 + i), 10)):
            reading_services.recommendation_create(
                recommender=people[name],
                campaign=campaign,
                book=book(organizer, title, author),
                text=f"《{title}》是一部红色经典，读来令人心潮澎湃，推荐全院干警细细品读，赓续红色血脉。",
                recommender_title=full_title,
            )

    # Everyone chooses books and makes a reading plan (读书计划): 56 members, 140 books.
    shelf = [book(organizer, title, author) for _n, _f, _t, title, author in QIANGUO_LEADERS] + [
        book(organizer, "民法典与日常生活", "王利明"),
        book(organizer, "乡土中国", "费孝通"),
        book(organizer, "万历十五年", "黄仁宇"),
        book(organizer, "法治的细节", "罗翔"),
    ]
    planners = staff_members[:56]
    with clock(at(q.day(1, 14), 11)):
        plans = ReadingPlan.objects.bulk_create(ReadingPlan(member=m, campaign=campaign) for m in planners)
        ReadingPlanItem.objects.bulk_create(
            ReadingPlanItem(
                plan=plan,
                book=shelf[(i + k) % len(shelf)],
                target_month=q.period.months_in()[k % 3].start,
            )
            for i, plan in enumerate(plans)
            for k in range(2 if i % 2 else 3)  # 28 plans of three books, 28 of two: 140
        )
    # They read: logs over the quarter (a reading log per member and week would be thousands of calls).
    with clock(q.build_time):
        ReadingLog.objects.bulk_create(
            ReadingLog(
                member=m,
                book=shelf[(i + week) % len(shelf)],
                day=q.start + dt.timedelta(days=7 * week + i % 5),
                minutes=40 + (i * 7 + week) % 50,
                finished=week == 9 and i % 3 == 0,
            )
            for i, m in enumerate(planners[:48])
            for week in range(10)
        )

    # Monthly 集中学习 and quarterly 小组交流 of every department's study group.
    for n, name in enumerate(QIANGUO_DEPARTMENTS):
        group = groups[name]
        members = in_department(people, departments[name])
        for day in q.monthly(10 + n):
            held(
                organizer,
                "collective_study",
                f"{name}学习小组集中学习",
                day,
                unit=group,
                attendees=members,
                place=f"{name}会议室",
            )
        held(
            organizer, "group_exchange", f"{name}学习小组读书交流", q.day(3, 22 + n % 3), unit=group, attendees=members
        )

    # “红色传承·朗读者”, with the 主题大党日 “建功新时代 奋进新征程”.
    readers = [people["刘思雨"], *staff_members[10:15]]
    held(
        organizer,
        "recitation",
        "“红色传承·朗读者”活动",
        q.day(1, 28),
        whole_court=True,
        topic="结合“建功新时代 奋进新征程”主题大党日活动，传承革命精神",
        speakers=[speaker(m) for m in readers],
        attendees=staff_members[:58],
        place="一楼大厅",
    )
    # 主题党课 by each branch secretary.
    for n, (branch_name, secretary) in enumerate(
        [("机关第一党支部", "高志强"), ("机关第二党支部", "林淑珍"), ("机关第三党支部", "何俊杰")]
    ):
        branch = branches[branch_name]
        held(
            organizer,
            "party_lesson",
            "增强“八项本领”、提升“七种能力”，实施“一主六双”发展战略主题党课",
            q.day(2, 12 + n),
            unit=branch,
            branches=[branch],
            level=Session.Level.BRANCH,
            speakers=[speaker(people[secretary], Speaker.Role.SECRETARY)],
            attendees=in_branch(people, branch),
        )
    # 主题征文 “奋进新征程，建功新时代”: 15 essays, judged by the organizer's panel, three prizes.
    authors = staff_members[5::4][:15]  # from every department
    essay, essays = run_contest(
        organizer,
        fields={
            "title": "“奋进新征程，建功新时代”学习贯彻党的二十大精神主题征文",
            "kind": Contest.Kind.ESSAY,
            "voting_enabled": False,
        },
        entries=[(m, f"{ESSAY_THEMES[i % len(ESSAY_THEMES)]}") for i, m in enumerate(authors)],
        opened=at(q.day(2, 4), 9),
        judging=at(q.day(2, 25), 9),
    )
    for entry, prize in zip(essays, [Award.Kind.FIRST, Award.Kind.SECOND, Award.Kind.THIRD], strict=False):
        give(organizer, essay, entry, prize, at(q.day(2, 28), 15))
    publish(organizer, essay, at(q.day(2, 28), 16))

    # “薪火相传·走入经典” 读书分享: four members read red excerpts aloud.
    four = staff_members[40:44]
    held(
        organizer,
        "recitation",
        "“薪火相传·走入经典”读书分享活动",
        q.day(3, 3),
        whole_court=True,
        speakers=[speaker(m) for m in four],
        attendees=staff_members[:50],
        place="一楼大厅",
    )
    # 阅读“结对子”: 30 books for 巴彦社区, the party-building alliance's community.
    with clock(at(q.day(3, 9), 10)):
        partner = reading_services.partner_create(
            actor=organizer,
            court=court,
            name="巴彦社区",
            kind=PartnerOrganization.Kind.COMMUNITY,
            contact="社区党委书记",
        )
        reading_services.donation_create(
            actor=organizer,
            court=court,
            partner=partner,
            day=q.day(3, 9),
            items=QIANGUO_DONATED,
            today=q.day(3, 9),
            campaign=campaign,
            note="党建联盟阅读“结对子”",
        )

    # 周分享 as a speech contest “我和我热爱的岗位”, mid-April: 12 speakers, 62 people present,
    # everyone present votes once, the audience elects the 论坛之星.
    share_day = q.day(1, 15)
    star = people["刘思雨"]
    entrants = [star, *[m for m in staff_members if m.pk not in (organizer.pk, star.pk)][:11]]
    audience = list(dict.fromkeys([*entrants, *staff_members]))[:62]
    share = held(
        organizer,
        "weekly_share",
        "“周分享”演讲比赛：我和我热爱的岗位",
        share_day,
        hour=14,
        minutes=150,
        whole_court=True,
        speakers=[speaker(m) for m in entrants],
        attendees=audience,
        place="四楼大审判庭",
    )
    opens, closes = share.start, share.end
    speech, speeches = run_contest(
        organizer,
        fields={
            "title": "“周分享”演讲比赛",
            "kind": Contest.Kind.SPEECH,
            "session": share,
            "voters_must_attend": True,
            "voting_enabled": True,
            "votes_per_voter": 1,
            "vote_opens_at": opens,
            "vote_closes_at": closes,
            "results_visibility": Contest.ResultsVisibility.LIVE,
        },
        entries=[(m, f"我和我热爱的岗位：{m.department.name}的一天") for m in entrants],
        opened=at(share_day - dt.timedelta(days=7), 9),
        judging=at(share_day - dt.timedelta(days=1), 9),
        by_organizer=True,
    )
    # 刘思雨 (entry 1) gets 20 votes; the rest spread over the other entries.
    for i, voter in enumerate(audience):
        choice = speeches[0] if i < 21 else speeches[1 + i % 11]
        if choice.member_id == voter.pk:
            choice = speeches[1 + (i + 1) % 11] if choice is speeches[0] else speeches[0]
        when = opens + dt.timedelta(minutes=100, seconds=i * 20)
        with clock(when):
            voting_services.vote_cast(contest=speech, voter=voter, entry=choice, now=when)
    with clock(closes):
        award_services.awards_from_standings(actor=organizer, contest=speech, forum_star=True)
    publish(organizer, speech, closes + dt.timedelta(minutes=10))

    # 微课堂: every branch's series plan on 党的二十大精神, one item a week, then discussion.
    for n, branch in enumerate(branches.values()):
        plan = series(
            organizer,
            title=f"{branch.name}学习党的二十大精神系列微课堂",
            unit=branch,
            theme="党的二十大精神",
            topics=QIANGUO_MICRO_CLASS_TOPICS,
        )
        members = in_branch(people, branch)
        weekly = [
            held(
                organizer,
                "micro_class",
                f"微课堂：{topic}",
                day,
                hour=12,
                minutes=30,
                unit=branch,
                branches=[branch],
                attendees=members,
            )
            for day, topic in zip(q.weekly(1 + n, count=10, first=q.day(1, 6)), QIANGUO_MICRO_CLASS_TOPICS, strict=True)
        ]
        # Linked to the plan at once: session_create would hand out the items again for each session.
        Session.objects.filter(pk__in=[s.pk for s in weekly]).update(series_plan=plan)
        session_services.series_plan_reassign(plan=plan)

    people_named = {name: people[name] for name in ("刘思雨", "高志强", "林淑珍", "何俊杰", "王芳")}
    people_named.update({m.name: m for m in leaders})
    return Programme(court=court, courts=[court], period=q.period, now=q.build_time, people=people_named)


# =============================================================================================
# 001 辽源市中级人民法院 and the basic courts below it: the 习近平法治思想研习小组


LIAOYUAN_DEPARTMENTS = [
    "立案庭", "刑事审判庭", "民一庭", "民二庭", "行政审判庭", "审判监督庭", "执行局", "研究室", "政治部", "办公室",
]  # fmt: skip
LIAOYUAN_TITLES = {  # ten departments of 14: 140 people in trial, support and administrative posts
    "trial": ["庭长", "副庭长", "法官", "法官", "法官", "法官助理", "法官助理", "法官助理", "书记员", "书记员",
              "书记员", "书记员", "书记员", "司法警察"],
    "admin": ["主任", "副主任", "科员", "科员", "科员", "科员", "科员", "科员", "科员", "科员", "科员", "科员",
              "司法警察", "司法警察"],
}  # fmt: skip
# Outputs of the two levels of courts (全市法院): papers and typical cases per court.
LIAOYUAN_OUTPUTS = {"city": (12, 60), "辽源市龙山区人民法院": (6, 25), "辽源市西安区人民法院": (4, 15)}
CASE_TOPICS = ["高空抛物", "物业服务合同", "民间借贷", "劳动争议", "交通事故", "相邻关系", "婚姻家庭", "网络侵权"]


def _basic_court(
    name: str, code: str, parent: Court, q: Quarter, *, organizer: str
) -> tuple[Court, Member, dict[str, Member]]:
    court = Court.objects.create(name=name, code=code, parent=parent)
    departments, branches = make_units(
        court, None, departments=["立案庭", "民事审判庭", "刑事审判庭", "执行局", "政治部"], branches=["机关党支部"]
    )
    roster = Roster(court)
    roster.add(organizer, "政治部", "科员", branch="机关党支部", role=Member.Role.ORGANIZER)
    for department in ["立案庭", "民事审判庭", "刑事审判庭", "执行局", "政治部"]:
        roster.staff(department, ["庭长", "法官", "法官助理", "书记员", "书记员"], branch="机关党支部")
    people = roster.create(departments=departments, branches=branches)
    organizer = next(m for m in people.values() if m.role == Member.Role.ORGANIZER)
    # Its own 集中学习 of 习近平法治思想 (monthly), so the basic court's period is not empty of sessions.
    for day in q.monthly(16):
        held(
            organizer,
            "collective_study",
            "习近平法治思想集中学习",
            day,
            whole_court=True,
            attendees=list(people.values()),
        )
    return court, organizer, people


def _outputs(organizer: Member, authors: Sequence[Member], *, papers: int, cases: int, q: Quarter) -> list:
    made = []
    for i in range(papers + cases):
        is_paper = i < papers
        author = authors[i % len(authors)]
        day = q.day(1 + i % 3, 5 + i % 20)
        topic = CASE_TOPICS[i % len(CASE_TOPICS)]
        with clock(at(day, 16)):
            made.append(
                plan_services.output_create(
                    actor=organizer,
                    fields={
                        "kind": "paper" if is_paper else "typical_case",
                        "title": (
                            f"习近平法治思想在{topic}纠纷审理中的运用研究（{i + 1}）"
                            if is_paper
                            else f"以“小案例”讲“大道理”：{topic}案（{i + 1 - papers}）"
                        ),
                        "abstract": "运用习近平法治思想解决审判实践难题。",
                        "body": "",
                        "date": day,
                        "outlet": "",
                        "level": "",
                        "recognition": "",
                        "recognition_note": "",
                    },
                    authors=[plan_services.AuthorSpec(member=author)],
                )
            )
    return made


def build_liaoyuan(*, quarter_start: dt.date) -> Programme:
    q = Quarter(quarter_start)
    city = Court.objects.create(name="辽源市中级人民法院", code="lyzy")
    departments, branches = make_units(
        city, None, departments=LIAOYUAN_DEPARTMENTS, branches=["机关第一党支部", "机关第二党支部", "机关第三党支部"]
    )
    roster = Roster(city)
    roster.add("于振华", "办公室", "院长", role=Member.Role.LEADER, branch="机关第一党支部")
    roster.add("曹立新", "办公室", "副院长", role=Member.Role.LEADER, branch="机关第一党支部")
    roster.add("石玉兰", "政治部", "科员", role=Member.Role.ORGANIZER, branch="机关第一党支部")
    branch_names = list(branches)
    for n, department in enumerate(LIAOYUAN_DEPARTMENTS):
        titles = LIAOYUAN_TITLES["admin" if department in ("研究室", "政治部", "办公室") else "trial"]
        roster.staff(department, titles, branch=branch_names[n % 3])
    people = roster.create(departments=departments, branches=branches)
    organizer = people["石玉兰"]
    president = people["于振华"]
    staff = [m for m in people.values() if m.role == Member.Role.MEMBER]

    # The 研习小组 and its first batch: 130 applied, 100 selected from trial, support and admin posts, 9 squads.
    with clock(at(q.day(1, 1), 9)):
        batch = plan_services.batch_create(
            actor=organizer,
            new_group="习近平法治思想研习小组",
            criteria="政治素质过硬、业务能力突出的审判、司法辅助和行政岗位干警",
            capacity=100,
            opens_on=q.start,
            closes_on=q.start + dt.timedelta(days=14),
        )
    applicants = staff[:130]
    with clock(at(q.day(1, 8), 10)):
        # 130 applications (one service call each otherwise), as application_submit writes them.
        Application.objects.bulk_create(
            Application(batch=batch, member=m, statement="希望加入研习小组，学深悟透习近平法治思想。")
            for m in applicants
        )
    decided = at(q.day(1, 17), 10)
    with clock(decided):
        Application.objects.filter(batch=batch, member__in=applicants[:100]).update(
            status=Application.Status.SELECTED, decided_by=organizer, decided_at=decided
        )
        Application.objects.filter(batch=batch, member__in=applicants[100:]).update(
            status=Application.Status.REJECTED, decided_by=organizer, decided_at=decided
        )
        plan_services.squads_form(batch=batch, actor=organizer, squad_count=9, now=decided)
    group = batch.group
    fellows = applicants[:100]

    # 15 rounds of 微测验 in the group's WeChat, on a small bank of questions.
    with clock(at(q.day(1, 18), 9)):
        bank = [
            question_services.question_create(
                actor=organizer,
                court=city,
                data=question_services.QuestionData(
                    kind=Question.Kind.SINGLE,
                    text=f"习近平法治思想的核心要义第{n}问：以下哪一项表述正确？",
                    options=[("坚持党对全面依法治国的领导", True), ("坚持以经济建设为中心", False)],
                    tags=["习近平法治思想"],
                ),
                audit_it=False,
            )
            for n in range(1, 6)
        ]
    rounds = q.weekly(2, count=10, first=q.day(1, 20)) + q.weekly(4, count=5, first=q.day(2, 6))
    for n, day in enumerate(sorted(rounds), start=1):
        opens = at(day, 8)
        with clock(opens - dt.timedelta(days=1)):
            quiz = quiz_services.quiz_create(
                actor=organizer,
                court=city,
                fields={
                    "title": f"习近平法治思想“微测验”第{n}期",
                    "number": n,
                    "opens_at": opens,
                    "closes_at": opens + dt.timedelta(days=2),
                    "time_limit_minutes": 15,
                    "pass_mark": 60,
                },
                groups=[group],
            )
            quiz_services.quiz_set_questions(actor=organizer, quiz=quiz, questions=bank)
            quiz_services.quiz_publish(actor=organizer, quiz=quiz, publish=True)
        # The attempts of the round (hundreds of timed attempts otherwise), as attempt_submit leaves them.
        takers = fellows[n % 7 : n % 7 + 85]
        with clock(opens + dt.timedelta(hours=3)):
            Attempt.objects.bulk_create(
                Attempt(
                    quiz=quiz,
                    member=m,
                    number=1,
                    status=Attempt.Status.SUBMITTED,
                    started_at=opens + dt.timedelta(minutes=i),
                    deadline=opens + dt.timedelta(minutes=i + 15),
                    submitted_at=opens + dt.timedelta(minutes=i + 9),
                    score=Decimal(100 - 20 * ((i + n) % 4 == 0) - 20 * ((i + n) % 9 == 0)),
                    correct_count=5 - ((i + n) % 4 == 0) - ((i + n) % 9 == 0),
                    question_count=5,
                    passed=True,
                )
                for i, m in enumerate(takers)
            )

    # The offline exam: applying 习近平法治思想 to cases such as 高空抛物.
    with clock(at(q.day(3, 19), 9)):
        exam = assessment_services.assessment_create(
            actor=organizer,
            court=city,
            fields={
                "title": "研习小组线下考试：运用习近平法治思想剖析“高空抛物”等案例",
                "kind": "exam",
                "held_on": q.day(3, 19),
                "pass_score": Decimal(60),
            },
        )
        for i, m in enumerate(fellows):
            assessment_services.assessment_result_save(
                actor=organizer,
                assessment=exam,
                data=assessment_services.ResultData(member=m, score=Decimal(72 + (i * 7) % 27)),
                audit_it=False,
            )

    # 读书会, 诵读会 and the 专题培训班 for the whole city's courts.
    for n, day in enumerate(q.monthly(24)):
        held(
            organizer,
            "book_club",
            f"研习小组读书会：共读《习近平法治思想学习纲要》第{n + 1}讲",
            day,
            unit=group,
            attendees=fellows[n * 10 : n * 10 + 60],
        )
    held(
        organizer,
        "recitation",
        "“诵读新思想、建功新时代”主题活动",
        q.day(2, 12),
        unit=group,
        attendees=fellows[:80],
        speakers=[speaker(m) for m in fellows[:6]],
    )
    held(
        organizer,
        "training",
        "全市法院“两个确立”主题教育暨习近平法治思想专题培训班",
        q.day(3, 8),
        minutes=360,
        whole_court=True,
        attendees=staff[:120],
        speakers=[speaker(president, Speaker.Role.LEADER), guest("陶然", "吉林大学法学院教授")],
    )

    # The courts below: their people write too (全市法院).
    lsq, lsq_organizer, lsq_people = _basic_court("辽源市龙山区人民法院", "lyls", city, q, organizer="邵雨萱")
    xaq, xaq_organizer, xaq_people = _basic_court("辽源市西安区人民法院", "lyxa", city, q, organizer="龚明轩")
    papers, cases = LIAOYUAN_OUTPUTS["city"]
    city_outputs = _outputs(organizer, fellows, papers=papers, cases=cases, q=q)
    for court_name, (court_organizer, court_people) in {
        "辽源市龙山区人民法院": (lsq_organizer, lsq_people),
        "辽源市西安区人民法院": (xaq_organizer, xaq_people),
    }.items():
        papers, cases = LIAOYUAN_OUTPUTS[court_name]
        _outputs(
            court_organizer,
            [m for m in court_people.values() if m.role == Member.Role.MEMBER],
            papers=papers,
            cases=cases,
            q=q,
        )

    # The first batch's results printed as a book (成果汇编), built as the worker builds it.
    built = at(q.day(3, 26), 10)
    with clock(built):
        compilation = plan_services.compilation_create(
            actor=organizer,
            title="“学以致用”成果汇编（第一批）",
            compiled_by="辽源市中级人民法院政治部",
            preface="研习小组第一批“学以致用”成果。",
            content="abstracts",
        )
        # The papers and the best cases: small enough to be built during the request.
        picked = city_outputs[: LIAOYUAN_OUTPUTS["city"][0] + 8]
        plan_services.compilation_add_outputs(compilation=compilation, outputs=picked)
        plan_services.compilation_request_build(compilation=compilation, actor=organizer, now=built)

    # The second batch is recruiting at the end of the quarter: 40 have applied so far.
    with clock(at(q.day(3, 15), 9)):
        second = plan_services.batch_create(
            actor=organizer,
            group=group,
            criteria="第二批研习小组组员招募",
            capacity=100,
            opens_on=q.day(3, 15),
            closes_on=q.period.end + dt.timedelta(days=14),
        )
    for i, m in enumerate(staff[100:140]):
        with clock(at(q.day(3, 16 + i % 10), 10)):
            plan_services.application_submit(
                batch=second, member=m, statement="报名参加第二批研习小组。", today=q.day(3, 16 + i % 10)
            )
    return Programme(
        court=city,
        courts=[city, lsq, xaq],
        period=q.period,
        now=q.build_time,
        with_children=True,
        people={"于振华": president, "石玉兰": organizer},
    )


# =============================================================================================
# 002 茂名市中级人民法院: the 研究室党支部's learning-type branch


MAOMING_DEPARTMENTS = ["研究室", "政治部", "办公室", "立案庭", "民一庭", "刑事审判庭", "执行局"]
MAOMING_BOOKS = [
    ("习近平谈治国理政（第二卷）", "习近平", "外文出版社"),
    ("习近平新时代中国特色社会主义思想三十讲", "中共中央宣传部", "学习出版社"),
    ("新时代面对面", "中共中央宣传部理论局", "学习出版社"),
]


def build_maoming(*, quarter_start: dt.date) -> Programme:
    q = Quarter(quarter_start)
    court = Court.objects.create(name="茂名市中级人民法院", code="mmzy")
    departments, branches = make_units(
        court, None, departments=MAOMING_DEPARTMENTS, branches=["研究室党支部", "机关第一党支部", "机关第二党支部"]
    )
    roster = Roster(court)
    roster.add("梁国栋", "办公室", "院长", role=Member.Role.LEADER, branch="机关第一党支部")
    roster.add("罗建华", "研究室", "主任", branch="研究室党支部")  # the branch secretary
    roster.add("林志远", "研究室", "副主任", branch="研究室党支部")
    roster.add("黄晓婷", "研究室", "科员", branch="研究室党支部")
    roster.staff("研究室", ["法官", "法官助理", "法官助理", "科员", "科员", "书记员"], branch="研究室党支部")
    roster.add("冯雪梅", "政治部", "科员", role=Member.Role.ORGANIZER, branch="机关第一党支部")
    for n, department in enumerate(MAOMING_DEPARTMENTS[1:]):
        roster.staff(
            department,
            ["庭长", "法官", "法官助理", "书记员", "科员"][: 5 - (n % 2)],
            branch=f"机关第{'一二'[n % 2]}党支部",
        )
    people = roster.create(departments=departments, branches=branches)
    organizer = people["冯雪梅"]
    secretary = people["罗建华"]
    branch = branches["研究室党支部"]
    set_heads([branch, departments["研究室"]], people, {"研究室党支部": "罗建华", "研究室": "罗建华"})
    research = in_branch(people, branch)  # the nine party members of the 研究室

    # 周一学习例会: every Monday one member is the speaker (轮值主讲) and hands out the materials.
    group = group_with(court, secretary, "研究室党支部学习小组", StudyGroup.Kind.STUDY, research, leader=secretary)
    with clock(at(q.start, 9)):
        rota = session_services.rota_create(actor=secretary, unit=group)
    topics = ["政治理论学习体会", "信息材料撰写技巧", "宣传稿件写作经验", "学术调研方法交流"]
    for n, day in enumerate(q.weekly(0, count=11)):
        turn = research[n % len(research)]
        session = held(
            secretary,
            "weekly_share",
            "周一学习例会",
            day,
            hour=8,
            minutes=60,
            unit=group,
            rota=rota,
            topic=topics[n % len(topics)],
            speakers=[speaker(turn)],
            attendees=[m for m in research if m.pk != research[(n + 3) % len(research)].pk],
            absent=[research[(n + 3) % len(research)]],
            place="研究室会议室",
        )
        with clock(session.start):
            session_services.material_add(
                actor=turn, session=session, file=upload(f"{topics[n % len(topics)]}（{turn.name}）.docx")
            )

    # The books the branch ordered, and the reflections (学习体会) its members wrote; the best on the intranet.
    books = [book(organizer, title, author, publisher) for title, author, publisher in MAOMING_BOOKS]
    featured = {"黄晓婷", "林志远", research[4].name}
    for n, member in enumerate(research):
        when = at(q.day(1 + n % 3, 8 + n), 17)
        with clock(when):
            reflection = reading_services.reflection_create(
                author=member,
                title=f"学习《{books[n % 3].title}》的体会",
                body="结合信息、宣传、学术调研工作，谈学习体会。\n\n" * 3,
                book=books[n % 3],
                now=when,
                submit=True,
            )
        if member.name in featured:
            with clock(when + dt.timedelta(days=2)):
                reading_services.reflection_feature(
                    reviewer=secretary, reflection=reflection, now=when + dt.timedelta(days=2)
                )

    # The city courts' article contest “学习十九大 开启新征程”: two of the branch win first and second prize.
    writers = [people["黄晓婷"], people["林志远"]] + [
        m for m in people.values() if m.role == Member.Role.MEMBER and m.party_branch_id != branch.pk
    ][:14]
    contest, entries = run_contest(
        organizer,
        fields={"title": "“学习十九大 开启新征程”文章竞赛", "kind": Contest.Kind.ESSAY, "voting_enabled": False},
        entries=[(m, ESSAY_THEMES[-1 - i % len(ESSAY_THEMES)]) for i, m in enumerate(writers)],
        opened=at(q.day(1, 13), 9),
        judging=at(q.day(2, 11), 9),
    )
    awarded = at(q.day(2, 20), 15)
    give(organizer, contest, entries[0], Award.Kind.FIRST, awarded)
    give(organizer, contest, entries[1], Award.Kind.SECOND, awarded)
    for entry in entries[2:5]:
        give(organizer, contest, entry, Award.Kind.THIRD, awarded)
    publish(organizer, contest, awarded + dt.timedelta(hours=1))

    # Back to the revolutionary sites (重返革命旧址), then the secretary's party lesson on that history.
    trip_day = q.day(2, 26)
    held(
        secretary,
        "field_trip",
        "重返革命旧址 重温历史胜地",
        trip_day,
        hour=9,
        minutes=240,
        unit=branch,
        branches=[branch],
        place="鳌头革命史迹展览馆",
        topic="现场参观、听讲解、观看视频",
        attendees=research,
    )
    held(
        secretary,
        "field_trip",
        "外出培训期间参观学习肇庆包公祠",
        q.day(3, 10),
        hour=15,
        minutes=120,
        unit=branch,
        branches=[branch],
        place="肇庆包公祠",
        attendees=research,
    )
    held(
        secretary,
        "party_lesson",
        "革命历史党课",
        trip_day + dt.timedelta(days=6),
        unit=branch,
        branches=[branch],
        level=Session.Level.BRANCH,
        speakers=[speaker(secretary, Speaker.Role.SECRETARY)],
        attendees=research,
    )
    # 首届全市法院学术讨论会, a kind the court adds to its list.
    held(
        organizer,
        court_kind("学术讨论会", "symposium"),
        "首届全市法院学术讨论会",
        q.day(3, 18),
        hour=9,
        minutes=300,
        whole_court=True,
        host_department=departments["研究室"],
        attendees=[m for m in people.values() if m.role != Member.Role.LEADER][:30],
        speakers=[speaker(people["林志远"]), speaker(people["黄晓婷"])],
    )
    named = ("罗建华", "林志远", "黄晓婷", "冯雪梅")
    return Programme(
        court=court, courts=[court], period=q.period, now=q.build_time, people={n: people[n] for n in named}
    )


# =============================================================================================
# 003 北京市西城区人民法院: 党建创新项目 and the 审管办党支部's learning


XICHENG_DEPARTMENTS = ["审管办", "综合办", "立案庭", "民一庭", "综审庭", "刑事审判庭", "执行局", "政治部"]
XICHENG_PROJECTS = {  # branch → its 党建创新项目, best first
    "审管办党支部": "打造学习型党支部，助推审判质效提升",
    "立案庭党支部": "“一站式”诉讼服务党员先锋岗",
    "民一庭党支部": "“党建+调解”多元解纷工作室",
    "执行局党支部": "“红色引擎”助推执行攻坚",
    "综审庭党支部": "“支部建在庭上”审判团队党建",
    "刑事审判庭党支部": "以案促廉 廉洁司法",
    "综合办党支部": "“智慧党建”信息化平台",
    "政治部党支部": "“书香机关”阅读品牌",
}
XICHENG_SECRETARIES = {
    "审管办党支部": "郑杨",
    "立案庭党支部": "孔德明",
    "民一庭党支部": "严秋实",
    "执行局党支部": "葛振华",
    "综审庭党支部": "柏玉兰",
    "刑事审判庭党支部": "鲁文博",
    "综合办党支部": "岳立新",
    "政治部党支部": "齐淑珍",
}
XICHENG_MICRO_LESSONS = ["杨靖宇", "谢觉哉", "左权", "长征精神", "伟大建党精神", "理塘脱贫征程"]


def build_xicheng(*, quarter_start: dt.date) -> Programme:
    q = Quarter(quarter_start)
    court = Court.objects.create(name="北京市西城区人民法院", code="xc")
    branch_of = {d: f"{d}党支部" for d in XICHENG_DEPARTMENTS}
    departments, branches = make_units(court, None, departments=XICHENG_DEPARTMENTS, branches=list(branch_of.values()))
    roster = Roster(court)
    roster.add("潘思远", "政治部", "院长", role=Member.Role.LEADER, branch="政治部党支部")
    roster.add("马方涵", "政治部", "科员", role=Member.Role.ORGANIZER, branch="政治部党支部")
    for department in XICHENG_DEPARTMENTS:
        branch_name = branch_of[department]
        roster.add(
            XICHENG_SECRETARIES[branch_name], department, "庭长" if "庭" in department else "主任", branch=branch_name
        )
    roster.add("樊创", "审管办", "法官助理", branch="审管办党支部")
    roster.add("刘敏", "审管办", "科员", branch="审管办党支部")
    roster.staff("审管办", ["副主任", "法官", "法官助理", "法官助理", "书记员", "科员", "科员"], branch="审管办党支部")
    for department in XICHENG_DEPARTMENTS[1:]:
        roster.staff(department, ["副庭长", "法官", "法官助理", "书记员", "书记员"], branch=branch_of[department])
    people = roster.create(departments=departments, branches=branches)
    organizer = people["马方涵"]
    set_heads(branches.values(), people, XICHENG_SECRETARIES)
    shenguan = branches["审管办党支部"]
    zheng = people["郑杨"]
    secretaries = [people[name] for name in XICHENG_SECRETARIES.values()]

    # 党建创新项目评选: every branch enters its project; the secretaries review each other's (交叉互评).
    contest, entries = run_contest(
        organizer,
        fields={
            "title": "党建创新项目评选",
            "kind": Contest.Kind.PARTY_PROJECT,
            "voting_enabled": False,
            "judging_enabled": True,
            "audience_weight": 0,
            "cross_review": True,
            "unit_kind": Contest.UnitKind.BRANCH,
            "judges_per_entry": 3,
        },
        entries=[(people[XICHENG_SECRETARIES[b]], title) for b, title in XICHENG_PROJECTS.items()],
        opened=at(q.day(1, 7), 9),
        judging=at(q.day(1, 27), 9),
    )
    with clock(at(q.day(1, 27), 10)):
        contest_services.contest_set_criteria(
            actor=organizer, contest=contest, criteria=[("创新性", 40), ("实效性", 40), ("示范性", 20)]
        )
        judging_services.contest_set_judges(actor=organizer, contest=contest, judges=secretaries)
        judging_services.contest_assign_judges(actor=organizer, contest=contest, seed=1)
    criteria = list(contest.criteria.all())
    rank = {entry.pk: n for n, entry in enumerate(entries)}
    for assignment in contest.assignments.select_related("judge", "entry"):
        share = Decimal(1) - Decimal(rank[assignment.entry_id]) / 20
        when = at(q.day(2, 6), 16)
        with clock(when):
            judging_services.assignment_score(
                judge=assignment.judge,
                assignment=assignment,
                points={c.pk: (c.max_points * share).quantize(Decimal("1")) for c in criteria},
                now=when,
            )
    decided = at(q.day(2, 15), 10)  # 机关党委专题研究 decides the five
    for standing in contest_standings(contest)[:5]:
        give(organizer, contest, standing.entry, Award.Kind.CUSTOM, decided, custom_name="优秀党建创新项目")
    publish(organizer, contest, decided + dt.timedelta(hours=2))

    # The 审管办党支部's own learning: “一刻钟”微党课 by its members, a kind the court adds to its list.
    members = in_branch(people, shenguan)
    micro = court_kind("微党课", "micro_party_lesson")
    for n, (day, subject) in enumerate(
        zip(q.weekly(3, count=6, first=q.day(1, 9)), XICHENG_MICRO_LESSONS, strict=True)
    ):
        held(
            zheng,
            micro,
            "“一刻钟”微党课",
            day,
            hour=12,
            minutes=15,
            unit=shenguan,
            branches=[shenguan],
            level=Session.Level.BRANCH,
            topic=f"讲述{subject}",
            speakers=[speaker(members[2 + n])],
            attendees=members,
        )
    held(
        zheng,
        "party_day",
        "“百年征程 香山华章”主题党日活动",
        q.day(2, 8),
        hour=9,
        minutes=240,
        unit=shenguan,
        branches=[shenguan],
        place="香山革命纪念地",
        attendees=members,
    )
    held(
        zheng,
        "field_trip",
        "李大钊故居外出见学",
        q.day(3, 5),
        hour=9,
        minutes=180,
        unit=shenguan,
        branches=[shenguan],
        place="李大钊故居",
        attendees=members,
    )
    # 知识竞赛 in the branch: a party-history quiz contest between its members, three prizes.
    quiz_contest, quiz_entries = run_contest(
        zheng,
        fields={"title": "党史知识竞赛", "kind": Contest.Kind.KNOWLEDGE, "voting_enabled": False},
        entries=[(m, f"第{n}号选手") for n, m in enumerate(members[:8], start=1)],
        opened=at(q.day(3, 1), 9),
        judging=at(q.day(3, 12), 15),
        by_organizer=True,
    )
    for entry, prize in zip(quiz_entries, [Award.Kind.FIRST, Award.Kind.SECOND, Award.Kind.THIRD], strict=False):
        give(zheng, quiz_contest, entry, prize, at(q.day(3, 12), 17))
    publish(zheng, quiz_contest, at(q.day(3, 12), 18))
    # Trainings given by other departments (专题培训): 综合办's IT staff, 立案庭 on service of documents.
    for day, title, host in [
        (q.day(1, 21), "多个操作系统使用专题培训", "综合办"),
        (q.day(2, 19), "送达工作专题培训", "立案庭"),
    ]:
        held(
            zheng,
            "training",
            title,
            day,
            unit=departments["审管办"],
            departments=[departments["审管办"]],
            host_department=departments[host],
            speakers=[speaker(in_department(people, departments[host])[1])],
            attendees=members,
        )
    # The first “候英·善读” book club, for the whole court.
    held(
        organizer,
        "book_club",
        "第一期“候英·善读”读书会",
        q.day(3, 17),
        whole_court=True,
        attendees=[m for m in people.values() if m.role == Member.Role.MEMBER][:36],
        speakers=[speaker(people["樊创"]), speaker(people["刘敏"])],
    )
    # The “奋楫笃行” 青年理论学习小组 shares what it learned, monthly.
    youth = group_with(
        court, organizer, "“奋楫笃行”青年理论学习小组", StudyGroup.Kind.YOUTH, members[4:] + secretaries[1:3]
    )
    for n, day in enumerate(q.monthly(27)):
        held(
            organizer,
            "group_exchange",
            "青年理论学习小组学习心得分享",
            day,
            unit=youth,
            speakers=[speaker(members[4 + n])],
            attendees=members[4:] + secretaries[1:3],
        )
    # 32 cases adopted by 《中国法院年度案例》.
    for n in range(32):
        author = [m for m in people.values() if m.post == Member.Post.JUDGE][n % 8]
        day = q.day(1 + n % 3, 3 + n % 20)
        with clock(at(day, 17)):
            plan_services.output_create(
                actor=organizer,
                fields={
                    "kind": "typical_case",
                    "title": f"{CASE_TOPICS[n % len(CASE_TOPICS)]}纠纷案（{n + 1}）",
                    "abstract": "",
                    "body": "",
                    "date": day,
                    "outlet": "《中国法院年度案例》",
                    "level": "national",
                    "recognition": "adopted",
                    "recognition_note": "被《中国法院年度案例》系列丛书采用",
                },
                authors=[plan_services.AuthorSpec(member=author)],
            )
    named = ("郑杨", "樊创", "刘敏", "马方涵")
    return Programme(
        court=court, courts=[court], period=q.period, now=q.build_time, people={n: people[n] for n in named}
    )


# =============================================================================================
# 004 包头市九原区人民法院: 三学三讲, skills tests, the work handbook's monthly plans


JIUYUAN_DEPARTMENTS = ["办公室", "政治部", "立案庭", "民事审判庭", "刑事审判庭", "行政庭", "执行局"]
JIUYUAN_BRANCH_OF = {
    "办公室": "第一党支部",
    "政治部": "第一党支部",
    "行政庭": "第二党支部",
    "民事审判庭": "第二党支部",
    "立案庭": "第三党支部",
    "刑事审判庭": "第三党支部",
    "执行局": "第三党支部",
}
JIUYUAN_SECRETARIES = {"第一党支部": "郑怡君", "第二党支部": "逯瑞杰", "第三党支部": "贺春雨"}
# Every month of the quarter: of the court's 60 people (the president too), 56 plan; of them 50
# report on time, 3 late and 3 not at all; 4 make no plan.
JIUYUAN_MONTH = {"on_time": 50, "late": 3, "not_reported": 3, "without_plan": 4}


def build_jiuyuan(*, quarter_start: dt.date) -> Programme:
    q = Quarter(quarter_start)
    court = Court.objects.create(name="包头市九原区人民法院", code="jy")
    departments, branches = make_units(
        court, None, departments=JIUYUAN_DEPARTMENTS, branches=["第一党支部", "第二党支部", "第三党支部"]
    )
    roster = Roster(court)
    roster.add("肖强", "办公室", "院长", role=Member.Role.LEADER, branch="第一党支部")
    roster.add("郑怡君", "政治部", "主任", role=Member.Role.ORGANIZER, branch="第一党支部")
    roster.add("逯瑞杰", "办公室", "主任", branch="第二党支部")
    roster.add("贺春雨", "立案庭", "庭长", branch="第三党支部")
    roster.add("徐长芳", "刑事审判庭", "副庭长", branch="第三党支部")
    staff = {
        "办公室": ["副主任", "科员", "科员", "科员", "司法警察", "司法警察"],
        "政治部": ["科员", "科员"],
        "立案庭": ["法官", "法官助理", "法官助理", "书记员", "书记员", "书记员"],
        "民事审判庭": ["庭长", "副庭长", "法官", "法官", "法官助理", "法官助理", "法官助理", "法官助理",
                  "书记员", "书记员", "书记员", "书记员", "书记员"],
        "刑事审判庭": ["庭长", "法官", "法官助理", "法官助理", "法官助理", "书记员", "书记员", "书记员"],
        "行政庭": ["庭长", "法官", "法官助理", "法官助理", "书记员", "书记员"],
        "执行局": ["副庭长", "法官", "法官助理", "法官助理", "法官助理", "法官助理", "书记员", "书记员",
                "书记员", "书记员", "司法警察", "司法警察", "司法警察", "司法警察"],
    }  # fmt: skip
    for department, titles in staff.items():
        roster.staff(department, titles, branch=JIUYUAN_BRANCH_OF[department])
    people = roster.create(departments=departments, branches=branches)
    organizer = people["郑怡君"]
    president = people["肖强"]
    set_heads(branches.values(), people, JIUYUAN_SECRETARIES)
    everyone = [m for m in people.values() if m.role != Member.Role.LEADER]
    leaders = [president]

    # 三学: the party group's central-group study (中心组带头学) monthly, led by the president (领导讲).
    for day in q.monthly(8):
        held(
            organizer,
            "collective_study",
            "党组理论学习中心组学习",
            day,
            whole_court=False,
            departments=[departments["办公室"]],
            level=Session.Level.CENTER_GROUP,
            speakers=[speaker(president, Speaker.Role.LEADER)],
            attendees=leaders + [people["郑怡君"], people["逯瑞杰"], people["贺春雨"]],
        )
    # 支部常态学: each branch monthly, its secretary lecturing (书记讲).
    for n, (branch_name, secretary) in enumerate(JIUYUAN_SECRETARIES.items()):
        branch = branches[branch_name]
        for day in q.monthly(14 + n):
            held(
                organizer,
                "party_lesson",
                f"{branch_name}主题党日学习",
                day,
                unit=branch,
                branches=[branch],
                level=Session.Level.BRANCH,
                speakers=[speaker(people[secretary], Speaker.Role.SECRETARY)],
                attendees=in_branch(people, branch),
            )
    # 个人自主学: two self-study days on the calendar.
    for day in (q.day(1, 24), q.day(3, 5)):
        held(
            organizer,
            court_kind("个人自学", "self_study"),
            "个人自主学习日",
            day,
            whole_court=True,
            level=Session.Level.SELF,
            attendees=everyone,
        )
    # 专家讲: two lectures by outside experts for the 青年理论学习宣传调研组 and everyone.
    youth_members = [people["徐长芳"], *[m for m in everyone if m.post == Member.Post.ASSISTANT][:11]]
    youth = group_with(court, organizer, "青年理论学习宣传调研组", StudyGroup.Kind.YOUTH, youth_members)
    for day, title, expert in [
        (q.day(1, 22), "家庭教育促进法专题培训", guest("乌兰", "内蒙古科技大学文法学院教授")),
        (q.day(2, 20), "调研文章写作专题培训", guest("张景明", "内蒙古大学法学院教授")),
    ]:
        held(
            organizer, "training", title, day, unit=youth, whole_court=True, speakers=[expert], attendees=everyone[:45]
        )

    # 速录测试 of all clerks, then the 业务技能评比 of all judges' assistants.
    clerks = [m for m in everyone if m.post == Member.Post.CLERK]
    assistants = [m for m in everyone if m.post == Member.Post.ASSISTANT]
    with clock(at(q.day(2, 12), 9)):
        typing = assessment_services.assessment_create(
            actor=organizer,
            court=court,
            fields={
                "title": "全体书记员速录技能考核",
                "kind": "typing",
                "held_on": q.day(2, 12),
                "pass_speed": 120,
                "pass_accuracy": Decimal(95),
            },
        )
        for n, clerk in enumerate(clerks):
            assessment_services.assessment_result_save(
                actor=organizer,
                assessment=typing,
                data=assessment_services.ResultData(
                    member=clerk, chars_per_minute=110 + (n * 13) % 80, accuracy=Decimal(93 + (n * 3) % 7)
                ),
                audit_it=False,
            )
    with clock(at(q.day(2, 19), 9)):
        skills = assessment_services.assessment_create(
            actor=organizer,
            court=court,
            fields={
                "title": "全体法官助理业务技能评比",
                "kind": "skills",
                "held_on": q.day(2, 19),
                "pass_score": Decimal(60),
            },
        )
        for n, assistant in enumerate(assistants):
            assessment_services.assessment_result_save(
                actor=organizer,
                assessment=skills,
                data=assessment_services.ResultData(member=assistant, score=Decimal(68 + (n * 11) % 30)),
                audit_it=False,
            )

    # 工作手册: everyone's monthly plan, reported at month-end (bulk: ~170 plans by hand otherwise).
    _monthly_plans(q, [president, *everyone])  # everyone has a plan, the president too (人手一本)

    # 9 members of the youth group qualify as 家庭教育指导师.
    for n, member in enumerate(youth_members[:9]):
        issued = q.day(2, 25)
        with clock(at(issued + dt.timedelta(days=3), 10)):
            plan_services.qualification_save(
                actor=organizer,
                member=member,
                name="家庭教育指导师",
                issuer="包头市妇女联合会",
                issued_on=issued,
                number=f"JTJY2026{n + 1:04d}",
            )
    named = ("肖强", "郑怡君", "逯瑞杰", "贺春雨", "徐长芳")
    return Programme(
        court=court, courts=[court], period=q.period, now=q.build_time, people={n: people[n] for n in named}
    )


def _monthly_plans(q: Quarter, everyone: Sequence[Member]) -> None:
    """Each month: 50 report on time, 3 late (after the organizer reopened their plans), 3 never; 4 plan nothing.

    The rows are what plan_start, plan_item_add, plan_reopen and plan_report leave behind.
    """
    counts = JIUYUAN_MONTH
    for month_period in q.period.months_in():
        year, month = month_period.start.year, month_period.start.month
        window = MonthlyPlan(year=year, month=month).window
        # A different four go without a plan each month (people on leave, on secondment…).
        shift = month % 3 * 4
        order = everyone[shift:] + everyone[:shift]
        planners = order[: len(order) - counts["without_plan"]]
        with clock(at(month_period.start, 9)):
            plans = MonthlyPlan.objects.bulk_create(MonthlyPlan(member=m, year=year, month=month) for m in planners)
            PlanItem.objects.bulk_create(
                PlanItem(plan=plan, kind=kind_, text=text, position=k)
                for plan in plans
                for k, (kind_, text) in enumerate(
                    [
                        (PlanItem.Kind.WORK, "审结案件，按期完成本月审判执行任务"),
                        (PlanItem.Kind.LEARNING, "学习党的二十大精神，撰写学习体会"),
                        (PlanItem.Kind.WORK, "完成部门分配的调研任务"),
                    ],
                    start=1,
                )
            )
        on_time = plans[: counts["on_time"]]
        late = plans[counts["on_time"] : counts["on_time"] + counts["late"]]
        MonthlyPlan.objects.filter(pk__in=[p.pk for p in on_time]).update(
            reported_at=window.opens_at + dt.timedelta(days=2), summary="本月计划已完成。"
        )
        MonthlyPlan.objects.filter(pk__in=[p.pk for p in late]).update(
            reported_at=window.closes_at + dt.timedelta(days=2),
            reopened_until=window.closes_at + dt.timedelta(days=3),
            summary="逾期补报：调研任务部分完成。",
        )
        PlanItem.objects.filter(plan__in=on_time).update(status=PlanItem.Status.DONE)
        PlanItem.objects.filter(plan__in=late, position=3).update(status=PlanItem.Status.PARTLY, note="调研报告未定稿")
        PlanItem.objects.filter(plan__in=late).exclude(position=3).update(status=PlanItem.Status.DONE)


BUILDERS = {
    "qianguo": build_qianguo,
    "liaoyuan": build_liaoyuan,
    "maoming": build_maoming,
    "xicheng": build_xicheng,
    "jiuyuan": build_jiuyuan,
}
