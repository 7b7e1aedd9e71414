"""Demo data of the plans family: monthly plans with a department head's comment, research
outputs and a compilation, a research study group with two recruitment batches, outcomes and
family-education instructor certificates. Safe to run twice (get_or_create by natural keys).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from members.demo import DEMO_PASSWORD, People
from members.models import Department, Member, StudyGroup

from ..models import Comment
from ..models.plans import (
    PLAN_TZ,
    Application,
    Compilation,
    CompilationItem,
    MemberOutcome,
    MonthlyPlan,
    OutputAuthor,
    PlanItem,
    Qualification,
    RecruitmentBatch,
    ResearchOutput,
    month_before,
)
from ..services.plans import squads_form

PEOPLE = [
    # employee number, name, department, post, position category
    ("6001", "刘建华", "民一庭", Member.Post.JUDGE, Member.PositionCategory.TRIAL),  # head of 民一庭
    ("6002", "孙晓梅", "民一庭", Member.Post.ASSISTANT, Member.PositionCategory.SUPPORT),
    ("6003", "周立新", "刑事审判庭", Member.Post.JUDGE, Member.PositionCategory.TRIAL),
    ("6004", "吴丽娟", "刑事审判庭", Member.Post.CLERK, Member.PositionCategory.SUPPORT),
    ("6005", "郑海涛", "立案庭", Member.Post.ASSISTANT, Member.PositionCategory.SUPPORT),
    ("6006", "冯雪", "立案庭", Member.Post.CLERK, Member.PositionCategory.SUPPORT),
    ("6007", "陈宇", "执行局", Member.Post.JUDGE, Member.PositionCategory.TRIAL),
    ("6008", "褚文静", "执行局", Member.Post.BAILIFF, Member.PositionCategory.SUPPORT),
    ("6009", "卫东", "办公室", Member.Post.ADMIN_STAFF, Member.PositionCategory.ADMIN),
    ("6010", "蒋玲", "政治部", Member.Post.ADMIN_STAFF, Member.PositionCategory.ADMIN),
    ("6011", "沈明杰", "刑事审判庭", Member.Post.ASSISTANT, Member.PositionCategory.SUPPORT),
    ("6012", "韩冰", "办公室", Member.Post.ADMIN_STAFF, Member.PositionCategory.ADMIN),
]

OUTPUTS = [
    (
        ResearchOutput.Kind.PAPER,
        "习近平法治思想在诉源治理中的实践路径",
        "人民法院报",
        "national",
        "adopted",
        ["6003", "1001"],
    ),
    (
        ResearchOutput.Kind.TYPICAL_CASE,
        "高空抛物致人损害案:以“小案例”讲述“大道理”",
        "吉林法制报",
        "provincial",
        "",
        ["1001"],
    ),
    (
        ResearchOutput.Kind.RESEARCH_REPORT,
        "关于基层法院家事审判改革的调研报告",
        "院内刊物",
        "court",
        "endorsed",
        ["6002", "6004"],
    ),
    (ResearchOutput.Kind.CASE_ANALYSIS, "未成年人盗窃案件中家庭教育令的适用", "", "", "", ["6004"]),
    (ResearchOutput.Kind.BRIEFING, "我院开展“三学三讲”活动情况简报", "市中院信息专刊", "city", "adopted", ["6010"]),
    (ResearchOutput.Kind.PUBLICITY, "法官进社区:送法上门解纠纷", "前郭发布", "court", "", ["6007", "6008"]),
]


def _person(court, number, name, department, post, category) -> Member:
    User = get_user_model()
    username = f"{court.code}-{number}"
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    dept, _ = Department.objects.get_or_create(court=court, name=department)
    member, _ = Member.objects.update_or_create(
        court=court,
        employee_number=number,
        defaults={"user": user, "name": name, "department": dept, "post": post, "position_category": category},
    )
    return member


def _plan(member: Member, year: int, month: int, items, *, assigned_by=None, reported_at=None) -> MonthlyPlan:
    plan, created = MonthlyPlan.objects.get_or_create(member=member, year=year, month=month)
    if created:
        for position, (kind, text, status, note) in enumerate(items, start=1):
            PlanItem.objects.create(
                plan=plan,
                kind=kind,
                text=text,
                position=position,
                status=status,
                note=note,
                assigned_by=assigned_by if position == 1 else None,
            )
        if reported_at is not None:
            plan.reported_at = reported_at
            plan.summary = "本月学习与办案任务基本完成,个别案件因鉴定程序顺延。"
            plan.save()
    return plan


def _comment(target, author: Member, text: str) -> None:
    Comment.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        author=author,
        defaults={"owner": target.comment_owner, "text": text},
    )


def seed(people: People) -> None:
    court = people.member.court
    staff = {number: _person(court, number, *rest) for number, *rest in PEOPLE}
    staff["1001"] = people.member
    head = staff["6001"]
    civil = people.member.department
    if civil is not None and civil.head_id != head.pk:
        civil.head = head
        civil.save(update_fields=["head"])
    people.accounts.append(("dept. head", head.user.username, DEMO_PASSWORD))

    # Monthly plans: this month in progress, last month reported and commented on.
    now = timezone.now().astimezone(PLAN_TZ)
    year, month = now.year, now.month
    last_year, last_month = month_before(year, month)
    learning, work = PlanItem.Kind.LEARNING, PlanItem.Kind.WORK
    _plan(
        people.member,
        year,
        month,
        [
            (learning, "学习《习近平法治思想学习纲要》第三章", "", ""),
            (learning, "参加本月“周一学习例会”并作一次分享", "", ""),
            (work, "审结民间借贷纠纷案件15件", "", ""),
            (work, "完成一篇典型案例撰写", "", ""),
        ],
        assigned_by=head,
    )
    last = _plan(
        people.member,
        last_year,
        last_month,
        [
            (learning, "学习新修订的《民事诉讼法》", "done", ""),
            (work, "审结物业服务合同纠纷案件12件", "partly", "审结9件,3件因鉴定顺延"),
            (work, "参与院级调研课题一项", "done", ""),
        ],
        assigned_by=head,
        reported_at=dt.datetime(last_year, last_month, 28, 17, 30, tzinfo=PLAN_TZ),
    )
    _comment(last, head, "计划落实较好;顺延的3件案件下月重点跟进,注意审限。")
    for number in ("6002", "6003"):
        _plan(
            staff[number], year, month, [(learning, "学习《习近平法治思想学习纲要》第三章", "", "")], assigned_by=head
        )

    # Research outputs and a compilation.
    outputs = []
    for i, (kind, title, outlet, level, recognition, authors) in enumerate(OUTPUTS):
        output, created = ResearchOutput.objects.get_or_create(
            court=court,
            title=title,
            defaults={
                "kind": kind,
                "date": dt.date(year, 1, 1) + dt.timedelta(days=20 * i) if month > 3 else dt.date(year - 1, 6, 1),
                "outlet": outlet,
                "level": level,
                "recognition": recognition,
                "abstract": f"{title}。本文结合审判实践,运用习近平法治思想分析问题、提出对策。",
                "body": "一、问题的提出\n近年来,相关案件数量持续上升。\n二、原因分析\n多种因素交织。\n三、对策建议\n坚持把非诉讼纠纷解决机制挺在前面。",
                "created_by": staff[authors[0]],
            },
        )
        if created:
            for position, number in enumerate(authors, start=1):
                OutputAuthor.objects.create(
                    output=output, position=position, member=staff[number], name=staff[number].name
                )
            if i == 0:
                OutputAuthor.objects.create(
                    output=output, position=len(authors) + 1, name="王立新", affiliation="吉林大学法学院"
                )
        outputs.append(output)
    _comment(outputs[1], people.leader, "案例选取典型,说理透彻,可推荐参加全省优秀案例评选。")
    compilation, created = Compilation.objects.get_or_create(
        court=court,
        title="习近平法治思想研习小组“学以致用”成果汇编(第一批)",
        defaults={"compiled_by": "前郭县人民法院政治部 编", "created_by": people.organizer},
    )
    if created:
        for position, output in enumerate(outputs[:4], start=1):
            CompilationItem.objects.create(compilation=compilation, output=output, position=position)

    # The research study group: the first batch formed squads; the second batch is open.
    group, _ = StudyGroup.objects.get_or_create(
        court=court, name="习近平法治思想研习小组", defaults={"kind": StudyGroup.Kind.RESEARCH}
    )
    today = now.date()
    first, _ = RecruitmentBatch.objects.get_or_create(
        group=group,
        number=1,
        defaults={
            "criteria": "政治坚定、业务精通;审判、审判辅助、司法行政岗位均可报名。",
            "capacity": 12,
            "opens_on": today - dt.timedelta(days=400),
            "closes_on": today - dt.timedelta(days=380),
            "created_by": people.organizer,
        },
    )
    for number in ("6002", "6003", "6004", "6005", "6007", "6008", "6009", "6010", "6011"):
        Application.objects.get_or_create(
            batch=first,
            member=staff[number],
            defaults={"statement": "希望系统学习习近平法治思想,学以致用。", "status": Application.Status.SELECTED},
        )
    if first.squads_formed_at is None:
        squads_form(batch=first, actor=people.organizer, squad_count=3, now=timezone.now())
    for number, text in (("6003", "晋升为刑事审判庭副庭长"), ("6010", "晋升为政治部副主任")):
        MemberOutcome.objects.get_or_create(
            member=staff[number],
            batch=first,
            kind=MemberOutcome.Kind.PROMOTION,
            defaults={"description": text, "date": today - dt.timedelta(days=60), "recorded_by": people.organizer},
        )
    second, _ = RecruitmentBatch.objects.get_or_create(
        group=group,
        number=2,
        defaults={
            "criteria": "40周岁以下,近两年有调研成果者优先。",
            "capacity": 20,
            "opens_on": today - dt.timedelta(days=5),
            "closes_on": today + dt.timedelta(days=20),
            "created_by": people.organizer,
        },
    )
    for number in ("6006", "6012"):
        Application.objects.get_or_create(
            batch=second, member=staff[number], defaults={"statement": "愿意参加第二批研习,提升调研能力。"}
        )

    # Nine family-education instructors (seed 004); here five.
    for number in ("6002", "6003", "6004", "6006", "6011"):
        Qualification.objects.get_or_create(
            member=staff[number],
            name="家庭教育指导师",
            issued_on=dt.date(2023, 9, 1),
            defaults={"issuer": "中国家庭教育学会", "recorded_by": people.organizer},
        )
