"""Demo data of the reading family: a 书香法院 campaign with the seeds' details. Safe to run twice."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from members.demo import People

from ..models.reading import (
    Book,
    BookCategory,
    BookRecommendation,
    Donation,
    PartnerOrganization,
    ReadingCampaign,
    ReadingLog,
    ReadingPlanItem,
    Reflection,
    isbn13_with_check,
    month_start,
)
from ..services import reading as services

INITIATIVE_LETTER = """全院干警：

读书使人明智，学习使人进步。为深入学习贯彻党的二十大精神，营造“书声琅琅、书香满院”的良好氛围，政治部向全院干警发出倡议：

一、每人根据个人兴趣、工作特点和岗位需求，选择阅读书目，制定读书计划；
二、坚持读原著、学原文、悟原理，做到学有所获、读有所得、讲有所感；
三、以部门为单位组建学习小组，每月开展一次集中学习，每季度开展一次小组交流；
四、积极撰写读书心得，优秀心得将在内网发布。

让我们点燃读书热情，共同创建书香法院！

前郭县人民法院政治部"""

# (title, author, publisher, year, category, ISBN serial): demo ISBNs with valid check digits.
BOOKS = [
    ("习近平新时代中国特色社会主义思想学习纲要（2023年版）", "中共中央宣传部", "学习出版社", 2023, "政治理论", 1),
    ("中华人民共和国民法典（实用版）", "中国法制出版社 编", "中国法制出版社", 2020, "法律实务", 2),
    ("爱问法律百科：婚姻家庭、继承必知200问", "", "中国法制出版社", 2021, "法律实务", 3),
    ("一看就懂的法律常识大全集", "", "中国华侨出版社", 2019, "法律实务", 4),
    ("乡土中国", "费孝通", "北京大学出版社", 2012, "文史", 5),
    ("红岩", "罗广斌、杨益言", "中国青年出版社", 2019, "文史", 6),
    ("万历十五年", "黄仁宇", "生活·读书·新知三联书店", 2015, "文史", 7),
    ("实践论 矛盾论", "毛泽东", "人民出版社", 2018, "哲学", 8),
    ("国富论", "亚当·斯密", "商务印书馆", 2015, "经济", 9),
    ("时间简史", "史蒂芬·霍金", "湖南科学技术出版社", 2010, "科学", 10),
]

RECOMMENDATIONS = [
    (
        0,
        "党组书记、院长",
        "这是一部系统阐述新时代党的创新理论的权威读本。希望全院干警读原著、学原文、悟原理，"
        "把学习成果转化为公正司法、司法为民的实际行动。",
    ),
    (
        4,
        "党组书记、院长",
        "《乡土中国》篇幅不长，却把基层社会的礼治秩序讲得透彻。办理婚姻家庭、邻里纠纷案件，"
        "读懂乡土人情，才能让判决既合法又合情。",
    ),
]

REFLECTION = """读《纲要》有三点体会。

**一是学深悟透。** 把党的创新理论作为看家本领，逐章研读，边读边记。

**二是联系实际。** 结合民事审判工作，想一想“如案在身”的要求怎样落实到每一件案子。

**三是久久为功。** 读书不在一时，每天读半小时，积少成多。

> 学而不思则罔，思而不学则殆。"""


def _isbn(serial: int) -> str:
    return isbn13_with_check(f"978790000{serial:03d}")


def seed(people: People) -> None:
    services.book_categories_ensure()
    categories = {c.name: c for c in BookCategory.objects.all()}
    books = []
    for title, author, publisher, year, category, serial in BOOKS:
        book, _ = Book.objects.get_or_create(
            isbn=_isbn(serial),
            defaults={
                "title": title,
                "author": author,
                "publisher": publisher,
                "year": year,
                "category": categories[category],
                "added_by": people.organizer,
            },
        )
        books.append(book)

    today = timezone.localdate()
    court = people.member.court
    campaign, _ = ReadingCampaign.objects.get_or_create(
        court=court,
        title="点燃读书热情·创建书香法院",
        defaults={
            "starts_on": dt.date(today.year, 1, 1),
            "ends_on": dt.date(today.year, 12, 31),
            "goal_books": 6,
            "initiative_letter": INITIATIVE_LETTER,
            "status": ReadingCampaign.Status.ACTIVE,
            "created_by": people.organizer,
        },
    )

    for index, title, text in RECOMMENDATIONS:
        exists = BookRecommendation.objects.filter(campaign=campaign, book=books[index], recommender=people.leader)
        if not exists.exists():
            services.recommendation_create(
                recommender=people.leader, campaign=campaign, book=books[index], text=text, recommender_title=title
            )

    member = people.member
    for book, month in ((books[0], month_start(today)), (books[4], month_start(today))):
        if not ReadingPlanItem.objects.filter(plan__member=member, plan__campaign=campaign, book=book).exists():
            services.reading_plan_add_item(member=member, campaign=campaign, book=book, target_month=month)

    if not ReadingLog.objects.filter(member=member).exists():
        for days_ago, minutes, finished in ((9, 40, False), (6, 35, False), (3, 50, False), (1, 45, True)):
            services.reading_log_create(
                member=member, book=books[0], day=today - dt.timedelta(days=days_ago), minutes=minutes,
                finished=finished, today=today,
            )  # fmt: skip
        services.reading_log_create(
            member=member, book=books[4], day=today, pages=32, note="读完《差序格局》一章", today=today
        )

    others = (
        people.members_of(court).exclude(pk__in=[member.pk, people.organizer.pk, people.leader.pk]).order_by("pk")[:40]
    )
    for other in others:
        rng = random.Random(other.pk)  # the same choices for this member on every run
        if rng.random() < 0.3 or ReadingLog.objects.filter(member=other).exists():
            continue
        book = rng.choice(books)
        for _ in range(rng.randint(1, 4)):
            services.reading_log_create(
                member=other,
                book=book,
                day=today - dt.timedelta(days=rng.randint(0, 40)),
                minutes=rng.choice([20, 30, 45, 60]),
                finished=rng.random() < 0.3,
                today=today,
            )

    if not Reflection.objects.filter(author=member, title="学习《纲要》的三点体会").exists():
        reflection = services.reflection_create(
            author=member,
            title="学习《纲要》的三点体会",
            body=REFLECTION,
            book=books[0],
            campaign=campaign,
            submit=True,
            now=timezone.now(),
        )
        services.reflection_feature(reviewer=people.organizer, reflection=reflection, now=timezone.now())

    partner, _ = PartnerOrganization.objects.get_or_create(
        court=court,
        name="巴彦社区",
        defaults={"kind": PartnerOrganization.Kind.COMMUNITY, "note": "党建联盟单位，阅读“结对子”。"},
    )
    if not Donation.objects.filter(court=court, partner=partner).exists():
        services.donation_create(
            actor=people.organizer,
            court=court,
            partner=partner,
            campaign=campaign,
            day=max(campaign.starts_on, today - dt.timedelta(days=20)),
            items=[(books[2].title, 10), (books[1].title, 10), (books[3].title, 10)],
            note="法官进网格，为社区群众捐赠法律读物，共计30本。",
            today=today,
        )
