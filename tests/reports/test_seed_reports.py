"""The five seed courts' stories: each builds its programme as its report describes it, with the
report's own numbers, and the drafted 情况总结 must state each countable claim of that report,
and state nothing as zero or “—”.

The seeds are /work/shared/seeds/000–004 (前郭, 辽源, 茂名, 西城, 九原); the programmes are built
by tests/reports/seed_programmes.py. Each claim list below is the report as its court would read
it back, one entry per countable claim, with the seed sentence it comes from. A claim is a phrase
that must appear (a name, a title), a `Num` (a number followed by one of its measure words, e.g.
Num(62, "人 名") for “62人” or “62名”), or a `OneOf` several phrases. Where the narrative's exact
wording is still being written, the claims stick to robust fragments: names and titles without
their quotation marks, and numbers next to their measure words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.db.models import Count, Q, Sum

from activities.models import (
    Application,
    AssessmentResult,
    Attempt,
    Attendance,
    Award,
    BatchSquad,
    BookRecommendation,
    Compilation,
    Contest,
    DonationItem,
    Entry,
    JudgeAssignment,
    MonthlyPlan,
    Qualification,
    Quiz,
    ReadingPlan,
    ReadingPlanItem,
    RecruitmentBatch,
    Reflection,
    ResearchOutput,
    Session,
    Speaker,
    Vote,
)
from members.models import Member

from .seed_programmes import BUILDERS, JIUYUAN_MONTH, LIAOYUAN_OUTPUTS, Programme

QUARTER_START = dt.date(2026, 4, 1)  # 2026-Q2: wholly in the past of every build


@dataclass(frozen=True)
class Num:
    """A count as a court writes it: Arabic digits, then a measure word (any of `words`)."""

    value: int
    words: str

    def found_in(self, text: str) -> bool:
        measures = "|".join(re.escape(w) for w in self.words.split())
        return re.search(rf"(?<![0-9.]){self.value}(?:{measures})", text) is not None

    def __str__(self) -> str:
        return f"{self.value}{self.words.split()[0]}"


@dataclass(frozen=True)
class OneOf:
    phrases: tuple[str, ...]

    def __init__(self, *phrases: str):
        object.__setattr__(self, "phrases", phrases)

    def found_in(self, text: str) -> bool:
        return any(p in text for p in self.phrases)

    def __str__(self) -> str:
        return " / ".join(self.phrases)


def states(text: str, claim) -> bool:
    return claim in text if isinstance(claim, str) else claim.found_in(text)


# ---------------------------------------------------------------------------------------------
# 000 前郭县人民法院开展干警学习交流活动情况总结

QIANGUO_CLAIMS = [
    # “出台下发了《前郭法院开展“点燃读书热情 创建书香法院”活动方案》”
    "点燃读书热情",
    "活动方案",
    # “向全院广大干警发起“点燃读书热情·创建书香法院”活动倡议书”
    "倡议书",
    # “八位领导班子成员……公开发布推荐的红色书籍，并附上推荐词”
    Num(8, "本 部 册 位 名 人"),
    "红岩",
    # “让所有干警……选择阅读书目，制定读书计划”
    "读书计划",
    Num(56, "人 名"),
    Num(140, "本 册 部"),
    # “以部门为单位，组件学习小组，每月开展一次集中学习活动，每季度开展一次小组交流活动”
    "集中学习",
    Num(21, "次 场 期"),
    "小组交流",
    Num(7, "次 场 期"),
    # “开展“红色传承·朗读者”活动”
    "红色传承·朗读者",
    # “各支部书记组织开展……主题党课”
    "党课",
    Num(3, "次 场 堂 节"),
    # “开展“奋进新征程，建功新时代”、学习贯彻党的二十大精神的主题征文活动，组织干警撰写体会文章”
    "征文",
    Num(15, "篇 人 名 件"),
    # “开展“薪火相传·走入经典”读书分享活动，一共选择4名干警对红色节选文章进行朗读”
    "薪火相传·走入经典",
    Num(4, "名 人 位"),
    # “为党建联盟巴彦社区捐赠书籍《爱问法律百科……》、《民法典（实用一本通）》、《一看就懂的法律常识大全集》，共计30本”
    "巴彦社区",
    "爱问法律百科",
    "民法典（实用一本通）",
    "一看就懂的法律常识大全集",
    Num(30, "本 册"),
    # “以演讲比赛的形式开展“周分享”活动，干警们踊跃参加，共有60余人参加活动”
    "周分享",
    Num(62, "人 名"),
    Num(12, "名 人 位"),
    # “比赛最后通过大众投票评选出“论坛之星””
    "论坛之星",
    "刘思雨",
    "民一庭",
    # “各支部围绕党的二十大精神等主题制定了系列学习方案。在每周的“微课堂”中……”
    "微课堂",
    "党的二十大精神",
    Num(30, "次 期 场 节 堂"),
]

# ---------------------------------------------------------------------------------------------
# 001 辽源法院“习近平法治思想研习小组”工作展示 (两级法院: the city court and the courts below it)

LIAOYUAN_CLAIMS = [
    # “组建“习近平法治思想研习小组””
    "习近平法治思想研习小组",
    # “精选的100名优秀干警，来自审判、司法辅助和行政各岗位”
    Num(100, "名 人"),
    # “搭建9支学习小队”
    Num(9, "支 个"),
    # “通过微信群开展理论知识“微测验”15期”
    "微测验",
    Num(15, "期 次 轮"),
    # “通过线下考试……就“高空抛物”等案例进行深刻剖析”
    "高空抛物",
    # “全市法院已撰写相关论文22篇，典型工作事例和案例100篇”
    "论文",
    Num(22, "篇"),
    Num(100, "篇 件 个"),
    # “研习小组第一批“学以致用”成果已印制成册”
    "学以致用",
    "成果汇编",
    # “在第二批研习小组招募过程中，干警报名参加的热情持续高涨”
    "第二批",
    Num(40, "人 名"),
    # “通过读理论原著、召开读书会和诵读会、分享优秀案例、开展专题脱产培训等方式开展线下研讨”
    "读书会",
    "诵读新思想、建功新时代",
    "专题培训",
]
# Claims of the report the product records but the facts (activities/facts.py) do not carry, so
# no draft can state them yet; kept here so they are not forgotten:
# “第一批组员的47名干警中，晋升到法院中层岗位人员达20人，深入一线办案人员21人” (MemberOutcome: no facts key);
# “两级法院院长在群中全程监督组员学习情况并做点评” (comments are not counted in the facts).

# ---------------------------------------------------------------------------------------------
# 002 茂名市中级人民法院研究室党支部：打造学习型党建品牌

MAOMING_CLAIMS = [
    # “围绕周一学习例会这个载体……由一名干警作为每周分享主讲人”
    "周一学习例会",
    Num(11, "次 期 场"),
    # “订购并组织党员干警学习《习近平谈治国理政》第二卷……《新时代面对面》等书籍，撰写学习体会”
    "新时代面对面",
    Num(9, "篇"),
    # “部分优秀心得体会在内网发布”
    Num(3, "篇"),
    # “支部两名党员在全市法院“学习十九大 开启新征程”文章竞赛活动分别荣获一、二等奖”
    "学习十九大 开启新征程",
    "一等奖",
    "二等奖",
    "黄晓婷",
    "林志远",
    "研究室",
    # “支部全体党员前往鳌头革命史迹展览馆”
    "鳌头革命史迹展览馆",
    # “组织全体党员同志前往肇庆包公祠参观学习”
    "包公祠",
    # “支部书记还以上党课的方式，为支部党员上了一节革命历史党课”
    "党课",
    # “圆满举办首届全市法院学术讨论会”
    "学术讨论会",
]

# ---------------------------------------------------------------------------------------------
# 003 西城法院优秀党建创新项目：“打造学习型党支部,助推审判质效提升”

XICHENG_CLAIMS = [
    # “经过各党支部书记交叉互评和机关党委专题研究，最终评选出优秀党建创新项目5个”
    "党建创新项目",
    "交叉互评",
    "优秀党建创新项目",
    Num(5, "个 项"),
    # “审管办党支部“打造学习型党支部,助推审判质效提升”党建创新项目”
    "审管办",
    "打造学习型党支部",
    "助推审判质效提升",
    # “开展“一刻钟”微党课活动，支部党员……讲述杨靖宇、谢觉哉、左权等人物事迹”
    "一刻钟",
    "微党课",
    Num(6, "次 期 堂 节 场"),
    # “在香山革命教育基地开展“百年征程 香山华章”主题党日活动”
    "百年征程 香山华章",
    "主题党日",
    # “通过外出见学、知识竞赛等深化干警对党的认识”
    "外出见学",
    "知识竞赛",
    # “邀请综合办信息技术组人员围绕多个操作系统进行专题培训”“邀请立案庭（诉讼服务中心）开展送达工作培训”
    "综合办",
    "立案庭",
    "专题培训",
    # “举办第一期“候英·善读”读书会”
    "候英·善读",
    # “建立“奋楫笃行”青年理论学习小组”
    "奋楫笃行",
    "青年理论学习小组",
    # “我院在《中国法院2022年度案例》系列丛书共计32篇案例被采用”
    Num(32, "篇 件"),
]
# Not carried by the facts: “支部书记郑杨获评北京法院党建工作先进个人，樊创获评北京市法院信息工作
# 先进个人” (honours of members: no facts key).

# ---------------------------------------------------------------------------------------------
# 004 党建领航“比创提”扬帆起航正当时——包头市九原区人民法院党建工作纪实

JIUYUAN_CLAIMS = [
    # “支部通过中心组带头学、支部常态学、个人自主学‘三学’深入开展学习活动”
    "中心组",
    Num(9, "次 场 期"),
    # “以领导讲、书记讲、专家讲‘三讲’开展党课教育活动”
    "专家",
    # “九原区人民法院全体书记员速录技能考核”
    "速录",
    Num(17, "人 名"),
    # “九原区人民法院全体法官助理业务技能评比”
    "业务技能评比",
    Num(15, "人 名"),
    # “每个部门每个人都有一个计划，到月底通报这个月干了什么，有什么计划未完成”
    Num(168, "份 人次 个 项"),
    Num(150, "份 人次 个 项"),
    Num(JIUYUAN_MONTH["late"] * 3, "份 人次 个 项"),
    Num(JIUYUAN_MONTH["without_plan"] * 3, "份 人次 人 个"),
    # “青年理论学习宣传调研组中已经有9位干警考取了家庭教育指导师资格”
    "青年理论学习宣传调研组",
    "家庭教育指导师",
    Num(9, "位 名 人"),
    "徐长芳",
]

CLAIMS = {
    "qianguo": QIANGUO_CLAIMS,
    "liaoyuan": LIAOYUAN_CLAIMS,
    "maoming": MAOMING_CLAIMS,
    "xicheng": XICHENG_CLAIMS,
    "jiuyuan": JIUYUAN_CLAIMS,
}

# What a court never sends: a count of nothing, a dash for a missing number, Python's words.
ZERO = re.compile(r"(?<![0-9.])0(?:\.0+)?\s*(?:次|人|本|篇|期|个|项|场|名|支|份|位|件|册|节|堂|轮|%|％)")
NEVER = ["—", "None", "nan", "null"]


def not_sendable(text: str) -> list[str]:
    problems = [m.group(0) for m in ZERO.finditer(text)]
    problems += [word for word in NEVER if word in text]
    problems += re.findall(r"[A-Za-z]+", text)  # no title of these programmes holds a Latin letter
    return problems


# ---------------------------------------------------------------------------------------------
# Building


def build(name: str) -> Programme:
    return BUILDERS[name](quarter_start=QUARTER_START)


def run_builds(programme: Programme) -> None:
    """What the beat (or the rebuild button) does: every court of the programme, for the quarter."""
    from reports.services import build_run

    for court in programme.courts:
        build_run(court_id=court.pk, period=programme.period, now=programme.now)


def in_quarter(programme: Programme):
    start, end = programme.period.bounds()
    return Q(created_at__gte=start, created_at__lt=end)


def check_everything_happened_in_the_quarter(programme: Programme) -> None:
    start, end = programme.period.bounds()
    courts = programme.courts
    sessions = Session.objects.filter(court__in=courts)
    assert sessions.exists()
    assert not sessions.filter(Q(start__lt=start) | Q(end__gte=min(end, programme.now))).exists()
    assert not sessions.filter(status=Session.Status.CANCELLED).exists()
    for model, member_path in [
        (Entry, "member__court__in"),
        (Vote, "voter__court__in"),
        (Award, "entry__member__court__in"),
        (BookRecommendation, "recommender__court__in"),
        (ReadingPlan, "member__court__in"),
        (Application, "member__court__in"),
    ]:
        rows = model.objects.filter(**{member_path: courts})
        assert rows.count() == rows.filter(in_quarter(programme)).count(), model.__name__


# ---------------------------------------------------------------------------------------------
# The database holds each report's numbers


def check_qianguo(p: Programme) -> None:
    court = p.court
    recommendations = BookRecommendation.objects.filter(campaign__court=court)
    assert recommendations.count() == 8
    assert set(recommendations.values_list("recommender__role", flat=True)) == {Member.Role.LEADER}
    assert all(r.text for r in recommendations)
    assert ReadingPlan.objects.filter(campaign__court=court).count() == 56
    assert ReadingPlanItem.objects.filter(plan__campaign__court=court).count() == 140
    by_kind = dict(
        Session.objects.filter(court=court)
        .values_list("kind__code")
        .annotate(n=Count("pk"))
        .values_list("kind__code", "n")
    )
    assert by_kind == {
        "collective_study": 21,
        "group_exchange": 7,
        "recitation": 2,
        "party_lesson": 3,
        "weekly_share": 1,
        "micro_class": 30,
    }
    lessons = Speaker.objects.filter(session__court=court, session__kind__code="party_lesson")
    assert set(lessons.values_list("role", flat=True)) == {Speaker.Role.SECRETARY}
    sharing = Session.objects.get(court=court, title__contains="薪火相传·走入经典")
    assert sharing.speakers.count() == 4
    donated = DonationItem.objects.filter(donation__court=court, donation__partner__name="巴彦社区")
    assert donated.count() == 3 and donated.aggregate(n=Sum("count"))["n"] == 30
    speech = Contest.objects.get(court=court, kind=Contest.Kind.SPEECH)
    assert speech.entries.count() == 12
    assert Vote.objects.filter(contest=speech).count() == 62
    assert Vote.objects.filter(contest=speech).values("voter").distinct().count() == 62
    assert Attendance.objects.filter(session=speech.session).attended().count() == 62
    star = Award.objects.get(contest=speech, kind=Award.Kind.FORUM_STAR)
    assert (star.entry.member.name, star.entry.member.department.name) == ("刘思雨", "民一庭")
    essay = Contest.objects.get(court=court, kind=Contest.Kind.ESSAY)
    assert essay.entries.count() == 15 and essay.awards.count() == 3
    micro = Session.objects.filter(court=court, kind__code="micro_class")
    assert micro.values("series_plan").distinct().count() == 3
    assert set(micro.values_list("series_plan__theme", flat=True)) == {"党的二十大精神"}
    assert micro.filter(series_item__isnull=False).count() == 30  # each weekly class covers one item


def check_liaoyuan(p: Programme) -> None:
    city = p.court
    first = RecruitmentBatch.objects.get(group__court=city, number=1)
    assert first.group.name == "习近平法治思想研习小组"
    assert first.applications.count() == 130
    selected = first.applications.filter(status=Application.Status.SELECTED)
    assert selected.count() == 100
    assert set(selected.values_list("member__position_category", flat=True)) == {"trial", "support", "admin"}
    assert BatchSquad.objects.filter(batch=first).count() == 9
    second = RecruitmentBatch.objects.get(group__court=city, number=2)
    assert second.applications.count() == 40
    assert Quiz.objects.filter(court=city, status=Quiz.Status.PUBLISHED).count() == 15
    assert Attempt.objects.filter(quiz__court=city).values("quiz").distinct().count() == 15
    assert AssessmentResult.objects.filter(assessment__court=city, assessment__kind="exam").count() == 100
    outputs = ResearchOutput.objects.filter(court__in=p.courts)
    assert outputs.filter(kind="paper").count() == 22
    assert outputs.filter(kind="typical_case").count() == 100
    for court in p.courts:
        papers, cases = LIAOYUAN_OUTPUTS["city" if court == city else court.name]
        assert outputs.filter(court=court, kind="paper").count() == papers
        assert outputs.filter(court=court, kind="typical_case").count() == cases
    compilation = Compilation.objects.get(court=city)
    assert compilation.status == Compilation.Status.READY and compilation.items.count() == 20
    assert {c.parent_id for c in p.courts[1:]} == {city.pk}
    assert p.with_children


def check_maoming(p: Programme) -> None:
    court = p.court
    mondays = Session.objects.filter(court=court, title="周一学习例会")
    assert mondays.count() == 11
    assert {s.start.weekday() for s in mondays} == {0}
    assert all(s.speakers.count() == 1 for s in mondays) and all(s.materials.count() == 1 for s in mondays)
    assert Speaker.objects.filter(session__in=mondays).values("member").distinct().count() == 9
    reflections = Reflection.objects.filter(author__court=court).exclude(status=Reflection.Status.DRAFT)
    assert reflections.count() == 9
    assert set(reflections.filter(status=Reflection.Status.FEATURED).values_list("author__name", flat=True)) >= {
        "黄晓婷",
        "林志远",
    }
    assert reflections.filter(status=Reflection.Status.FEATURED).count() == 3
    contest = Contest.objects.get(court=court, kind=Contest.Kind.ESSAY)
    prizes = {a.kind: a.entry.member.name for a in contest.awards.exclude(kind=Award.Kind.THIRD)}
    assert prizes == {Award.Kind.FIRST: "黄晓婷", Award.Kind.SECOND: "林志远"}
    assert Session.objects.filter(court=court, place="鳌头革命史迹展览馆", kind__code="field_trip").count() == 1
    lesson = Session.objects.get(court=court, title="革命历史党课")
    assert lesson.speakers.get().member == p.people["罗建华"]


def check_xicheng(p: Programme) -> None:
    court = p.court
    contest = Contest.objects.get(court=court, kind=Contest.Kind.PARTY_PROJECT)
    assert contest.cross_review and contest.entries.count() == 8
    assignments = JudgeAssignment.objects.filter(contest=contest).select_related("judge", "entry")
    assert assignments.count() == 24 and not assignments.filter(submitted_at__isnull=True).exists()
    assert all(a.judge.party_branch_id != a.entry.branch_id for a in assignments)  # never their own branch
    awarded = contest.awards.filter(kind=Award.Kind.CUSTOM, custom_name="优秀党建创新项目")
    assert awarded.count() == 5
    assert awarded.filter(
        entry__title="打造学习型党支部，助推审判质效提升", entry__branch__name="审管办党支部"
    ).exists()
    assert Session.objects.filter(court=court, title="“一刻钟”微党课").count() == 6
    hosts = set(
        Session.objects.filter(court=court, kind__code="training").values_list("host_department__name", flat=True)
    )
    assert hosts == {"综合办", "立案庭"}
    assert Session.objects.filter(court=court, kind__code="party_day", place__contains="香山").count() == 1
    assert Session.objects.filter(court=court, title__contains="候英·善读").count() == 1
    assert ResearchOutput.objects.filter(court=court, recognition="adopted").count() == 32


def check_jiuyuan(p: Programme) -> None:
    court = p.court
    levels = dict(Session.objects.filter(court=court).exclude(level="").values_list("level").annotate(n=Count("pk")))
    assert levels == {Session.Level.CENTER_GROUP: 3, Session.Level.BRANCH: 9, Session.Level.SELF: 2}
    roles = dict(Speaker.objects.filter(session__court=court).values_list("role").annotate(n=Count("pk")))
    assert roles == {Speaker.Role.LEADER: 3, Speaker.Role.SECRETARY: 9, Speaker.Role.EXPERT: 2}
    typing = AssessmentResult.objects.filter(assessment__court=court, assessment__kind="typing")
    assert typing.count() == 17 and not typing.filter(chars_per_minute__isnull=True).exists()
    assert set(typing.values_list("member__post", flat=True)) == {Member.Post.CLERK}
    skills = AssessmentResult.objects.filter(assessment__court=court, assessment__kind="skills")
    assert skills.count() == 15 and set(skills.values_list("member__post", flat=True)) == {Member.Post.ASSISTANT}
    plans = MonthlyPlan.objects.filter(member__court=court)
    months = 3
    assert plans.count() == 56 * months
    timeliness = [plan.timeliness(p.now) for plan in plans]
    assert timeliness.count(MonthlyPlan.Timeliness.ON_TIME) == JIUYUAN_MONTH["on_time"] * months
    assert timeliness.count(MonthlyPlan.Timeliness.LATE) == JIUYUAN_MONTH["late"] * months
    assert timeliness.count(MonthlyPlan.Timeliness.NOT_SUBMITTED) == JIUYUAN_MONTH["not_reported"] * months
    active = Member.objects.filter(court=court, is_active=True).count()
    assert active == 60
    assert active * months - plans.count() == JIUYUAN_MONTH["without_plan"] * months
    qualified = Qualification.objects.filter(member__court=court, name="家庭教育指导师")
    assert qualified.count() == 9 and qualified.filter(member__name="徐长芳").exists()


CHECKS = {
    "qianguo": check_qianguo,
    "liaoyuan": check_liaoyuan,
    "maoming": check_maoming,
    "xicheng": check_xicheng,
    "jiuyuan": check_jiuyuan,
}


# ---------------------------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize("name", list(BUILDERS))
def test_programmes_build(db, media_root, name):
    """Each court's programme, built through the product's services, holds its report's numbers."""
    programme = build(name)
    check_everything_happened_in_the_quarter(programme)
    CHECKS[name](programme)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_seed_report_states_its_claims(db, media_root, name):
    """The drafted 情况总结 says what the court did, as the court itself reported it, and nothing as zero."""
    from reports.narrative import draft_for

    programme = build(name)
    run_builds(programme)
    draft = draft_for(programme.court, programme.period, with_children=programme.with_children)
    text = draft.text
    missing = [str(claim) for claim in CLAIMS[name] if not states(text, claim)]
    assert not missing, f"the draft does not state: {missing}\n\n{text}"
    assert not not_sendable(text), f"the draft states: {not_sendable(text)}\n\n{text}"
    assert programme.court.name in text
