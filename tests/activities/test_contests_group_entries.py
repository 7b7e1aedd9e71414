"""前郭's 学习小组创新项目评选: study groups put forward projects. 研究室学习小组's project wins and
its certificate, the results, the workbook, the facts and the notice name the group; a member in
two groups picks which one enters; the group's members and its squads' members never review its
project (交叉互评); the city court's 两级法院研习小组, open to the courts below, enters the city
court's contest and no other."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.facts import court_facts
from activities.models import Award, Contest, Entry
from activities.services.contests import ActionRefused
from activities.services.contests.awards import award_create, award_notice, unit_certificate_body
from activities.services.contests.contest import contest_set_phase, contest_update, entry_create
from activities.services.contests.judging import assignment_score, contest_assign_judges, contest_set_judges
from members.models import Member, Notification, StudyGroup, StudyGroupMembership
from reports.models import ReportTemplate
from reports.narrative import draft_from_facts
from reports.periods import QUARTER, Period
from tests.activities.contests_helpers import add_criteria, make_contest
from tests.factories import make_group, make_member

AWARD = "优秀学习小组创新项目"
RESEARCH_PROJECT = "新时代人民法庭建设调研"
YOUTH_PROJECT = "青年干警理论宣讲团"
READING_PROJECT = "“书香法院”共读计划"


def login(person: Member):
    client = Client()
    client.force_login(person.user, backend="members.backends.MemberModelBackend")
    return client


@pytest.fixture
def groups(cast):
    """Three study groups of 前郭. 张明 (cast.member) is in 研究室学习小组 and leads 青年理论学习小组,
    whose 第一小队 has 孙小队; 王研 leads 研究室, 赵书 leads 读书学习小组."""
    wang = make_member(cast.court, "王研", department=cast.department)
    zhao = make_member(cast.court, "赵书", department=cast.department)
    sun = make_member(cast.court, "孙小队", department=cast.department)
    research = make_group(cast.court, "研究室学习小组", leader=wang, members=[cast.member],
                          kind=StudyGroup.Kind.RESEARCH)  # fmt: skip
    youth = make_group(cast.court, "青年理论学习小组", leader=cast.member, members=[cast.colleague],
                       kind=StudyGroup.Kind.YOUTH)  # fmt: skip
    squad = StudyGroup.objects.create(court=cast.court, name="青年第一小队", kind=StudyGroup.Kind.SQUAD, parent=youth)
    StudyGroupMembership.objects.create(group=squad, member=sun)
    reading = make_group(cast.court, "读书学习小组", leader=zhao)
    return {"research": research, "youth": youth, "reading": reading, "wang": wang, "zhao": zhao, "sun": sun}


@pytest.fixture
def contest(cast, groups):
    """The organizer sets up a judges-only contest in which study groups enter, with 交叉互评."""
    response = cast.client_for("organizer").post(
        reverse("activities:contest_create"),
        {
            "title": "2026年度学习小组创新项目评选",
            "kind": Contest.Kind.PARTY_PROJECT,
            "judging_enabled": "on",
            "votes_per_voter": 1,
            "results_visibility": Contest.ResultsVisibility.AFTER_CLOSE,
            "audience_weight": 0,
            "cross_review": "on",
            "unit_kind": Contest.UnitKind.GROUP,
            "entries_by_unit": "on",
            "tie_break": Contest.TieBreak.JUDGES,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    contest = Contest.objects.get()
    assert contest.unit_kind == Contest.UnitKind.GROUP and contest.entries_by_unit
    contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.ENTRIES, now=timezone.now())
    contest.refresh_from_db()
    return contest


def enter_all(cast, contest, groups) -> list[Entry]:
    """张明 puts forward 研究室's project and 青年's from her phone; 赵书 enters 读书学习小组's."""
    url = reverse("activities:entry_create", args=[contest.pk])
    li = login(cast.member)
    for group, title in ((groups["research"], RESEARCH_PROJECT), (groups["youth"], YOUTH_PROJECT)):
        assert li.post(url, {"unit": group.pk, "title": title}).status_code == 302
    assert login(groups["zhao"]).post(url, {"unit": groups["reading"].pk, "title": READING_PROJECT}).status_code == 302
    return list(contest.entries.select_related("group", "member").order_by("number"))


def test_a_member_in_two_groups_picks_which_group_puts_its_project_forward(cast, contest, groups):
    url = reverse("activities:entry_create", args=[contest.pk])
    li = login(cast.member)
    assert "申报本单位项目" in li.get(contest.get_absolute_url()).content.decode()
    form = li.get(url).context["form"]
    offered = [label for _value, label in form.fields["unit"].choices][1:]
    assert offered == ["研究室学习小组", "青年理论学习小组"]  # her groups, not 读书学习小组
    assert form.fields["unit"].label == "学习小组" and "联系人" not in li.get(url).content.decode()

    # Not her group: refused on the form, nothing saved, no 500.
    response = li.post(url, {"unit": groups["reading"].pk, "title": READING_PROJECT})
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    assert li.post(url, {"unit": groups["research"].pk, "title": RESEARCH_PROJECT}).status_code == 302
    entry = contest.entries.get()
    assert (entry.group, entry.by_unit, entry.member, entry.branch_id, entry.department_id) == (
        groups["research"], True, cast.member, None, None
    )  # fmt: skip
    assert entry.entrant_name == "研究室学习小组"
    page = li.get(entry.get_absolute_url()).content.decode()
    assert "研究室学习小组 · 联系人：张明" in page
    # 青年理论学习小组 has not entered yet: she may still put its project forward.
    assert "申报本单位项目" in li.get(contest.get_absolute_url()).content.decode()

    # 王研 (研究室's leader) tries a second project for 研究室: refused in words.
    response = login(groups["wang"]).post(url, {"unit": groups["research"].pk, "title": "又一个项目"})
    assert "研究室学习小组已提交过参赛作品。" in str(response.context["form"].errors)
    assert li.post(url, {"unit": groups["youth"].pk, "title": YOUTH_PROJECT}).status_code == 302
    assert "申报本单位项目" not in li.get(contest.get_absolute_url()).content.decode()  # both her groups are in
    # A member in no group has nothing to put forward.
    assert "申报本单位项目" not in cast.client_for("leader").get(contest.get_absolute_url()).content.decode()
    with pytest.raises(ActionRefused):
        entry_create(actor=cast.leader, contest=contest, member=cast.leader, title="项目")


def test_the_organizer_enters_a_group_and_its_leader_is_the_contact(cast, contest, groups):
    url = reverse("activities:entry_create", args=[contest.pk])
    organizer = cast.client_for("organizer")
    page = organizer.get(url).content.decode()
    assert "读书学习小组" in page and "默认为小组组长" in page
    assert organizer.post(url, {"unit": groups["reading"].pk, "title": READING_PROJECT}).status_code == 302
    entry = contest.entries.get()
    assert entry.group == groups["reading"] and entry.member == groups["zhao"]
    # Another court's group is not on the list, and the service refuses it too.
    other = make_group(cast.other_court, "辽源学习小组")
    response = organizer.post(url, {"unit": other.pk, "title": "项目"})
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    with pytest.raises(ActionRefused):
        entry_create(actor=cast.organizer, contest=contest, title="项目", unit=other, by_organizer=True)
    with pytest.raises(ActionRefused):  # a branch in a contest of groups
        entry_create(actor=cast.organizer, contest=contest, title="项目", unit=cast.branch, by_organizer=True)
    # With a group's entry in, the contest's kind of unit is fixed.
    with pytest.raises(ActionRefused):
        contest_update(actor=cast.organizer, contest=contest, fields={"unit_kind": Contest.UnitKind.BRANCH})


def test_groups_take_part_only_as_units(cast, groups):
    response = cast.client_for("organizer").post(
        reverse("activities:contest_create"),
        {"title": "小组演讲比赛", "kind": Contest.Kind.SPEECH, "judging_enabled": "on", "votes_per_voter": 1,
         "results_visibility": Contest.ResultsVisibility.AFTER_CLOSE, "audience_weight": 0,
         "unit_kind": Contest.UnitKind.GROUP, "tie_break": Contest.TieBreak.JUDGES},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["entries_by_unit"] == ["学习小组以单位身份参评，请勾选“以单位申报”。"]
    assert not Contest.objects.exists()
    # The database says the same, and keeps a group off members' entries and one unit on a unit's entry.
    with pytest.raises(IntegrityError), transaction.atomic():
        make_contest(cast.court, unit_kind=Contest.UnitKind.GROUP, entries_by_unit=False)
    contest = make_contest(cast.court, unit_kind=Contest.UnitKind.GROUP, entries_by_unit=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(contest=contest, member=cast.member, number=1, title="演讲", group=groups["youth"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(contest=contest, member=cast.member, number=1, title="项目", group=groups["youth"],
                             branch=cast.branch, by_unit=True)  # fmt: skip
    Entry.objects.create(contest=contest, member=cast.member, number=1, title="项目", group=groups["youth"],
                         by_unit=True)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(contest=contest, member=cast.colleague, number=2, title="项目二", group=groups["youth"],
                             by_unit=True)  # fmt: skip


def judge_all(cast, contest, judges) -> None:
    contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.JUDGING, now=timezone.now())
    contest.refresh_from_db()
    criteria = add_criteria(contest, [("创新性", 50), ("实效性", 50)])
    contest_set_judges(actor=cast.organizer, contest=contest, judges=judges)
    contest_assign_judges(actor=cast.organizer, contest=contest)
    for assignment in contest.assignments.select_related("entry", "judge"):
        points = Decimal(50 - assignment.entry.number)  # 研究室 first
        assignment_score(judge=assignment.judge, assignment=assignment,
                         points={criteria[0].pk: points, criteria[1].pk: points}, now=timezone.now())  # fmt: skip


def test_no_judge_reviews_a_project_of_a_group_they_are_in(cast, contest, groups):
    entries = enter_all(cast, contest, groups)
    # 王研 leads 研究室, 张明 is in 研究室 and 青年, 孙小队 is in 青年's squad, 赵书 leads 读书;
    # 周评 is in no group and may review all three.
    zhou = make_member(cast.court, "周评", department=cast.department)
    judges = [groups["wang"], cast.member, groups["sun"], groups["zhao"], zhou]
    judge_all(cast, contest, judges)
    reviewed = {(a.entry.group.name, a.judge.name) for a in contest.assignments.select_related("entry__group", "judge")}
    assert reviewed == {
        ("研究室学习小组", "孙小队"), ("研究室学习小组", "赵书"), ("研究室学习小组", "周评"),
        ("青年理论学习小组", "王研"), ("青年理论学习小组", "赵书"), ("青年理论学习小组", "周评"),
        ("读书学习小组", "王研"), ("读书学习小组", "张明"), ("读书学习小组", "孙小队"), ("读书学习小组", "周评"),
    }  # fmt: skip
    assert len(entries) == 3
    # The judges' page names each judge's groups and each entry's group.
    page = cast.client_for("organizer").get(reverse("activities:contest_judges", args=[contest.pk])).content.decode()
    assert '张明 <small class="text-body-secondary">研究室学习小组、青年理论学习小组</small>' in page
    assert "<td>读书学习小组</td>" in page


@pytest.fixture
def awarded(cast, contest, groups, django_capture_on_commit_callbacks):
    enter_all(cast, contest, groups)
    judge_all(cast, contest, [make_member(cast.court, f"评委{i}", department=cast.department) for i in range(3)])
    winner = contest.entries.get(group=groups["research"])
    award_create(actor=cast.organizer, contest=contest, entry=winner, kind=Award.Kind.CUSTOM, custom_name=AWARD)
    with django_capture_on_commit_callbacks(execute=True):
        contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.PUBLISHED, now=timezone.now())
    contest.refresh_from_db()
    return contest


def test_research_groups_project_wins_and_its_certificate_names_the_group(cast, groups, awarded):
    contest = awarded
    award = Award.objects.select_related("entry__group", "entry__member", "contest").get()
    body = unit_certificate_body(award)
    assert body.startswith("研究室学习小组：\n")
    assert f"《{RESEARCH_PROJECT}》在“2026年度学习小组创新项目评选”中被评为{AWARD}" in body
    assert "张明" not in body and "王研" not in body
    assert str(award) == f"{AWARD} · 研究室学习小组"
    response = cast.client_for("organizer").get(reverse("activities:award_certificate", args=[award.pk]))
    assert response.status_code == 200
    assert "%E7%A0%94%E7%A9%B6%E5%AE%A4" in response["Content-Disposition"]  # 研究室
    # The notice goes to the entry's contact (张明 put it forward) and names the group and project.
    notice = Notification.objects.get(recipient=cast.member, kind="contest_award")
    assert notice.text == award_notice(award)
    assert notice.text.startswith(f"研究室学习小组申报的《{RESEARCH_PROJECT}》")
    # The group's award is not 张明's own.
    assert AWARD not in login(cast.member).get(reverse("activities:my_results")).content.decode()

    # The results page, the awards page's ranking and the workbook name the group and the project.
    html = cast.client_for("colleague").get(reverse("activities:contest_results", args=[contest.pk])).content.decode()
    table = html[html.index('id="standings"') : html.index("</table>")]
    assert "研究室学习小组" in table and RESEARCH_PROJECT in table and "张明" not in table
    html = cast.client_for("organizer").get(reverse("activities:contest_awards", args=[contest.pk])).content.decode()
    ranking = html[html.index('id="ranking"') : html.index("</ol>", html.index('id="ranking"'))]
    assert f"研究室学习小组 · {RESEARCH_PROJECT}" in ranking
    response = cast.client_for("organizer").get(reverse("activities:contest_results_export", args=[contest.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("名次", "编号", "项目名称", "学习小组", "联系人", "评委平均分", "评分评委数")
    assert [row[:5] for row in rows[1:]] == [
        (1, 1, RESEARCH_PROJECT, "研究室学习小组", "张明"),
        (2, 2, YOUTH_PROJECT, "青年理论学习小组", "张明"),
        (3, 3, READING_PROJECT, "读书学习小组", "赵书"),
    ]

    # The facts a summary is drafted from name the group, never a person.
    period = Period.containing(QUARTER, timezone.localdate())
    start, end = period.bounds()
    facts = court_facts(court=cast.court, start=start, end=end, start_date=period.start, end_date=period.end,
                        now=timezone.now())  # fmt: skip
    [row] = facts["contests"]
    assert row["entrants"] == 3 and row["by_unit"]
    assert row["winners"] == [
        {"award": AWARD, "award_kind": "custom", "name": "研究室学习小组", "unit": "研究室学习小组",
         "title": RESEARCH_PROJECT, "by_unit": True}
    ]  # fmt: skip
    text = draft_from_facts(cast.court.name, period, facts, ReportTemplate(), today=timezone.localdate()).text
    assert f"研究室学习小组《{RESEARCH_PROJECT}》被评为“{AWARD}”" in text
    assert "张明" not in text and "王研" not in text

    # The admin's list of entries shows the group.
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw"))
    changelist = admin.get(reverse("admin:activities_entry_changelist") + "?by_unit__exact=1").content.decode()
    assert "研究室学习小组" in changelist and "读书学习小组" in changelist


def test_a_cross_court_group_enters_its_own_courts_contest(cast):
    """The city court's 两级法院研习小组 is open to the courts below; 张明 of 前郭 leads it. It enters
    the city court's contest, not 前郭's. 张明 cannot open the city court's contest, so the city
    organizer who enters it is its contact."""
    city_organizer = make_member(cast.city, "市院政治部", role=Member.Role.ORGANIZER)
    group = make_group(cast.city, "两级法院研习小组", leader=cast.member, kind=StudyGroup.Kind.RESEARCH)
    group.spans_courts_below = True
    group.save()
    city_contest = make_contest(cast.city, phase=Contest.Phase.ENTRIES, voting=False, judging=True,
                                unit_kind=Contest.UnitKind.GROUP, entries_by_unit=True)  # fmt: skip
    entry = entry_create(actor=city_organizer, contest=city_contest, title="两级法院联学共建", unit=group,
                         by_organizer=True)  # fmt: skip
    assert entry.group == group and entry.member == city_organizer and entry.entrant_name == "两级法院研习小组"
    response = login(city_organizer).get(reverse("activities:entry_create", args=[city_contest.pk]))
    assert "两级法院研习小组" in response.content.decode()

    basic_contest = make_contest(cast.court, phase=Contest.Phase.ENTRIES, voting=False, judging=True,
                                 unit_kind=Contest.UnitKind.GROUP, entries_by_unit=True)  # fmt: skip
    with pytest.raises(ActionRefused):
        entry_create(actor=cast.organizer, contest=basic_contest, title="项目", unit=group, by_organizer=True)
    with pytest.raises(ActionRefused):  # its leader cannot put it forward in 前郭 either
        entry_create(actor=cast.member, contest=basic_contest, member=cast.member, title="项目", unit=group)
    assert (
        group.name
        not in cast.client_for("organizer")
        .get(reverse("activities:entry_create", args=[basic_contest.pk]))
        .content.decode()
    )


@pytest.mark.parametrize(
    "page",
    [
        "activities:contest_results",
        "activities:contest_awards",
        "activities:contest_detail",
        "activities:contest_judges",
        "activities:contest_results_export",
    ],
)
def test_group_pages_do_not_grow_queries_with_the_entries(cast, page, django_assert_max_num_queries):
    def contest_with(n: int) -> Contest:
        contest = make_contest(cast.court, voting=False, judging=True, entries_by_unit=True,
                               unit_kind=Contest.UnitKind.GROUP)  # fmt: skip
        judges = []
        for i in range(n):
            judge = make_member(cast.court, f"评委{n}-{i}", department=cast.department)
            group = make_group(cast.court, f"第{n}-{i}学习小组", members=[judge])
            judges.append(judge)
            entry = Entry.objects.create(contest=contest, member=cast.organizer, number=i + 1, title=f"项目{i}",
                                         group=group, by_unit=True)  # fmt: skip
            Award.objects.create(contest=contest, entry=entry, kind=Award.Kind.CUSTOM, custom_name=AWARD)
        contest.judges.set(judges)
        return contest

    client = cast.client_for("organizer")
    small, large = contest_with(2), contest_with(12)
    client.get(reverse(page, args=[small.pk]))  # warm the session and caches
    with django_assert_max_num_queries(40) as small_run:
        client.get(reverse(page, args=[small.pk]))
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        response = client.get(reverse(page, args=[large.pk]))
    if page != "activities:contest_results_export":
        assert "第12-11学习小组" in response.content.decode()
