"""Demo contests, quizzes and assessments: a 周分享 speech contest with 12 speakers open for votes,
a published essay contest with awards, a question bank, 微测验 第1期 with 20 questions, and a
速录 typing test. Safe to run twice: everything is looked up by its natural key first."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from members.demo import DEMO_PASSWORD, People
from members.models import Court, Department, Member

from ..models import (
    Assessment,
    AssessmentResult,
    Award,
    Contest,
    Entry,
    JudgingCriterion,
    Question,
    QuestionOption,
    QuestionTag,
    Quiz,
    QuizQuestion,
    Vote,
)
from ..services.contests.judging import contest_assign_judges
from ..services.contests.voting import new_receipt

SPEAKERS = [
    ("8101", "刘晓燕", "民一庭", "把每一件小案办成精品"),
    ("8102", "陈国栋", "民二庭", "我和我热爱的审判岗位"),
    ("8103", "孙丽娟", "刑事审判庭", "法槌背后的温度"),
    ("8104", "高俊峰", "执行局", "让胜诉权益不再是一纸空文"),
    ("8105", "马晓丹", "立案庭", "立案窗口的一天"),
    ("8106", "杨帆", "民一庭", "书记员的速录人生"),
    ("8107", "何静", "行政审判庭", "行政争议实质化解的探索"),
    ("8108", "郭磊", "司法警察大队", "守护法庭的安全"),
    ("8109", "林晓", "政治部", "青年干警的成长之路"),
    ("8110", "郑浩", "审判管理办公室", "数据里的审判质效"),
    ("8111", "谢婷", "民二庭", "调解桌上的智慧"),
    ("8112", "韩冬", "执行局", "凌晨五点的执行现场"),
]

QUESTIONS = [
    # (kind, tag, text, options, correct letters or answer, explanation, difficulty)
    (
        "single",
        "民法典",
        "《中华人民共和国民法典》自哪一天起施行？",
        ["2020年5月28日", "2021年1月1日", "2020年1月1日", "2021年5月28日"],
        "B",
        "民法典由十三届全国人大三次会议于2020年5月28日通过，自2021年1月1日起施行。",
        1,
    ),
    (
        "single",
        "民法典",
        "民法典共有几编？",
        ["六编", "七编", "八编", "九编"],
        "B",
        "民法典共7编、1260条，另有附则。",
        1,
    ),
    (
        "single",
        "民法典",
        "无民事行为能力人是指不满几周岁的未成年人？",
        ["六周岁", "八周岁", "十周岁", "十二周岁"],
        "B",
        "民法典第二十条：不满八周岁的未成年人为无民事行为能力人。",
        2,
    ),
    (
        "multiple",
        "民法典",
        "下列属于民法典人格权编规定的权利有：",
        ["生命权", "名誉权", "隐私权", "继承权"],
        "ABC",
        "继承权规定在继承编。",
        2,
    ),
    (
        "true_false",
        "民法典",
        "民法典规定，向人民法院请求保护民事权利的诉讼时效期间为三年。",
        [],
        "对",
        "民法典第一百八十八条。",
        1,
    ),
    (
        "fill",
        "民法典",
        "民法典规定，高空抛物致人损害，经调查难以确定具体侵权人的，除能够证明自己不是侵权人的外，由可能加害的建筑物____给予补偿。",
        [],
        "使用人",
        "民法典第一千二百五十四条。",
        3,
    ),
    (
        "single",
        "党的二十大精神",
        "党的二十大的主题中，“高举中国特色社会主义伟大旗帜，全面贯彻____”。",
        ["新时代中国特色社会主义思想", "科学发展观", "三个代表重要思想", "邓小平理论"],
        "A",
        "二十大主题：高举中国特色社会主义伟大旗帜，全面贯彻新时代中国特色社会主义思想……",
        1,
    ),
    (
        "fill",
        "党的二十大精神",
        "党的二十大报告指出，从现在起，中国共产党的中心任务就是团结带领全国各族人民全面建成社会主义现代化强国、实现第二个百年奋斗目标，以____全面推进中华民族伟大复兴。",
        [],
        "中国式现代化",
        "",
        2,
    ),
    (
        "multiple",
        "党的二十大精神",
        "党的二十大报告提出，坚持全面依法治国，推进法治中国建设，要求：",
        ["完善以宪法为核心的中国特色社会主义法律体系", "扎实推进依法行政", "严格公正司法", "加快建设法治社会"],
        "ABCD",
        "报告第七部分的四个方面。",
        2,
    ),
    ("true_false", "党的二十大精神", "党的二十大报告指出，公正司法是维护社会公平正义的最后一道防线。", [], "对", "", 1),
    (
        "single",
        "党的二十大精神",
        "党的二十大报告指出，要努力让人民群众在每一个司法案件中感受到：",
        ["公平正义", "司法温度", "高效便捷", "程序正当"],
        "A",
        "",
        1,
    ),
    (
        "fill",
        "党的二十大精神",
        "党的二十大报告提出，深化司法体制综合配套改革，全面准确落实司法____制。",
        [],
        "责任",
        "",
        2,
    ),
    (
        "single",
        "习近平法治思想",
        "习近平法治思想是在哪次会议上明确提出的？",
        ["中央全面依法治国工作会议", "党的十九届四中全会", "全国政法工作会议", "党的十八届四中全会"],
        "A",
        "2020年11月中央全面依法治国工作会议明确了习近平法治思想在全面依法治国中的指导地位。",
        2,
    ),
    (
        "multiple",
        "习近平法治思想",
        "“十一个坚持”包括：",
        ["坚持党对全面依法治国的领导", "坚持以人民为中心", "坚持中国特色社会主义法治道路", "坚持依宪治国、依宪执政"],
        "ABCD",
        "",
        2,
    ),
    ("true_false", "习近平法治思想", "坚持建设德才兼备的高素质法治工作队伍是“十一个坚持”之一。", [], "对", "", 1),
    ("fill", "习近平法治思想", "全面依法治国是国家治理的一场深刻____。", [], "革命", "", 2),
    (
        "single",
        "习近平法治思想",
        "全面依法治国的总抓手是：",
        ["建设中国特色社会主义法治体系", "建设法治政府", "推进科学立法", "加强宪法实施"],
        "A",
        "",
        2,
    ),
    ("true_false", "习近平法治思想", "依法治国和以德治国相结合是中国特色社会主义法治道路的鲜明特点。", [], "对", "", 1),
    (
        "single",
        "法院工作",
        "人民法院审理案件，实行两审终审制度，但下列哪类案件除外？",
        ["最高人民法院审理的第一审案件", "基层法院审理的民事案件", "中级法院审理的刑事案件", "行政案件"],
        "A",
        "最高人民法院审理的第一审案件为终审。",
        2,
    ),
    (
        "multiple",
        "法院工作",
        "司法责任制改革的核心内容包括：",
        ["让审理者裁判", "由裁判者负责", "院庭长审批案件", "完善审判监督管理"],
        "ABD",
        "院庭长不再审核签发未参加审理案件的裁判文书。",
        3,
    ),
    (
        "true_false",
        "法院工作",
        "书记员可以独立审理简单民事案件。",
        [],
        "错",
        "书记员负责记录等审判辅助工作，不行使审判权。",
        1,
    ),
    (
        "fill",
        "法院工作",
        "人民法院依照法律规定独立行使____权，不受行政机关、社会团体和个人的干涉。",
        [],
        "审判",
        "宪法第一百三十一条。",
        1,
    ),
]

TRUE_WORDS = {"对": True, "错": False}


def _demo_member(court: Court, number: str, name: str, department: str) -> Member:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=f"{court.code}-{number}")
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    dept, _ = Department.objects.get_or_create(court=court, name=department)
    member, _ = Member.objects.update_or_create(
        court=court, employee_number=number, defaults={"user": user, "name": name, "department": dept}
    )
    return member


def seed(people: People) -> None:
    court = people.member.court
    now = timezone.now()
    rng = random.Random(2026)
    speakers = [_demo_member(court, number, name, dept) for number, name, dept, _title in SPEAKERS]
    _speech_contest(people, court, speakers, now, rng)
    _essay_contest(people, court, speakers, now)
    questions = _question_bank(people, court)
    _quiz(people, court, questions, now)
    _assessment(people, court, speakers)


def _speech_contest(people: People, court: Court, speakers: list[Member], now: dt.datetime, rng: random.Random):
    contest, created = Contest.objects.get_or_create(
        court=court,
        title="“我和我热爱的岗位”周分享演讲比赛",
        defaults={
            "kind": Contest.Kind.SPEECH,
            "description": "以演讲比赛的形式开展“周分享”活动，现场干警投票评选“论坛之星”，评委按内容、表达、仪态、时间评分。",
            "phase": Contest.Phase.JUDGING,
            "voting_enabled": True,
            "votes_per_voter": 1,
            "vote_opens_at": now - dt.timedelta(hours=1),
            "vote_closes_at": now + dt.timedelta(days=7),
            "results_visibility": Contest.ResultsVisibility.LIVE,
            "judging_enabled": True,
            "audience_weight": 40,
            "drop_extremes": True,
            "created_by": people.organizer,
        },
    )
    if not created:
        return
    for i, (name, points) in enumerate([("内容", 40), ("表达", 30), ("仪态", 20), ("时间", 10)]):
        JudgingCriterion.objects.create(contest=contest, name=name, max_points=points, order=i)
    contest.judges.set([people.leader, people.organizer])
    entries = [
        Entry.objects.create(
            contest=contest,
            member=member,
            number=i,
            title=SPEAKERS[i - 1][3],
            department=member.department,
            branch=member.party_branch,
        )
        for i, member in enumerate(speakers, start=1)
    ]
    contest_assign_judges(actor=people.organizer, contest=contest)
    for voter in speakers:
        choices = [e for e in entries if e.member_id != voter.pk]
        entry = rng.choice(choices[:4])  # a few favourites, as in a real hall
        Vote.objects.create(contest=contest, entry=entry, voter=voter, slot=1, receipt=new_receipt())


def _essay_contest(people: People, court: Court, speakers: list[Member], now: dt.datetime) -> None:
    contest, created = Contest.objects.get_or_create(
        court=court,
        title="“书香法院”读书征文比赛",
        defaults={
            "kind": Contest.Kind.ESSAY,
            "description": "围绕“书香法院”建设开展读书征文活动，评委评分，评出一、二、三等奖。",
            "phase": Contest.Phase.PUBLISHED,
            "voting_enabled": False,
            "judging_enabled": True,
            "audience_weight": 0,
            "published_at": now - dt.timedelta(days=20),
            "created_by": people.organizer,
        },
    )
    if not created:
        return
    authors = [people.member, *speakers[:4]]
    entries = [
        Entry.objects.create(
            contest=contest,
            member=author,
            number=i,
            title=title,
            text="读书使人明理，学习使人进步。",
            department=author.department,
        )
        for i, (author, title) in enumerate(
            zip(
                authors,
                [
                    "读《习近平法治思想学习纲要》有感",
                    "在书香中涵养司法初心",
                    "一本书与一个案子",
                    "读书伴我成长",
                    "书香润心 司法为民",
                ],
                strict=True,
            ),
            start=1,
        )
    ]
    for entry, kind in zip(entries, [Award.Kind.FIRST, Award.Kind.SECOND, Award.Kind.THIRD], strict=False):
        Award.objects.create(contest=contest, entry=entry, kind=kind, created_by=people.organizer)


def _question_bank(people: People, court: Court) -> list[Question]:
    questions = []
    for kind, tag_name, text, options, answer, explanation, difficulty in QUESTIONS:
        question, created = Question.objects.get_or_create(
            court=court,
            text=text,
            defaults={
                "kind": kind,
                "explanation": explanation,
                "difficulty": difficulty,
                "answer_text": answer if kind == Question.Kind.FILL else "",
                "true_false_answer": TRUE_WORDS.get(answer) if kind == Question.Kind.TRUE_FALSE else None,
                "created_by": people.organizer,
            },
        )
        if created:
            for i, option in enumerate(options):
                QuestionOption.objects.create(question=question, text=option, is_correct="ABCDEF"[i] in answer, order=i)
            question.tags.add(QuestionTag.objects.get_or_create(court=court, name=tag_name)[0])
        questions.append(question)
    return questions


def _quiz(people: People, court: Court, questions: list[Question], now: dt.datetime) -> None:
    quiz, created = Quiz.objects.get_or_create(
        court=court,
        number=1,
        defaults={
            "title": "微测验 第1期：民法典与党的二十大精神",
            "description": "20道题，限时15分钟，60分及格。交卷后可查看成绩，测验结束后公布答案与解析。",
            "status": Quiz.Status.PUBLISHED,
            "opens_at": now - dt.timedelta(hours=1),
            "closes_at": now + dt.timedelta(days=7),
            "time_limit_minutes": 15,
            "created_by": people.organizer,
        },
    )
    if created:
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question=question, order=i) for i, question in enumerate(questions[:20])
        )


def _assessment(people: People, court: Court, speakers: list[Member]) -> None:
    assessment, created = Assessment.objects.get_or_create(
        court=court,
        title="2026年书记员速录技能考核",
        defaults={
            "kind": Assessment.Kind.TYPING,
            "held_on": dt.date(2026, 10, 20),
            "pass_speed": 120,
            "pass_accuracy": Decimal(95),
            "created_by": people.organizer,
        },
    )
    if created:
        for i, member in enumerate([people.member, *speakers[:6]]):
            AssessmentResult.objects.create(
                assessment=assessment,
                member=member,
                chars_per_minute=110 + i * 9,
                accuracy=Decimal("94.5") + Decimal(i) * Decimal("0.8"),
                recorded_by=people.organizer,
            )
