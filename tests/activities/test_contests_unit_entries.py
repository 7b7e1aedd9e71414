"""西城's 党建创新项目评选: branches put forward projects, branch secretaries review each other's
(交叉互评), five are named 优秀党建创新项目. Results, the workbook, certificates, notices, the facts
and the drafted 情况总结 name the branch and its project, never a person; a judges-only contest
offers no 论坛之星; the ranking line prints only the figures the contest has."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.facts import court_facts
from activities.models import Award, Contest, Entry
from activities.selectors.contests import contest_standings
from activities.services.contests import ActionRefused
from activities.services.contests.awards import award_create, awards_from_standings, unit_certificate_body
from activities.services.contests.contest import contest_set_phase, contest_update, entry_create
from activities.services.contests.judging import assignment_score, contest_assign_judges, contest_set_judges
from activities.services.contests.results import ranking_note, results_table
from members.models import Notification, PartyBranch
from reports.models import ReportTemplate
from reports.narrative import draft_from_facts
from reports.periods import QUARTER, Period
from tests.activities.contests_helpers import add_criteria, add_entry, make_contest
from tests.factories import make_member

PROJECTS = [  # branch, its secretary, the project as the branch wrote it
    ("审管办党支部", "郑杨", "打造学习型党支部，助推审判质效提升"),
    ("立案庭党支部", "孔德明", "“一站式”诉讼服务党员先锋岗"),
    ("民一庭党支部", "严秋实", "“党建+调解”多元解纷工作室"),
    ("民二庭党支部", "樊创", "金融审判党员攻坚队"),
    ("刑庭党支部", "刘敏", "“红色审判”党课进庭室"),
    ("执行局党支部", "何晓", "执行攻坚党员突击队"),
]
AWARD = "优秀党建创新项目"


@pytest.fixture
def xicheng(cast):
    """Six branches with their secretaries (ordinary members), and a judges-only contest in which
    the branches enter: 交叉互评 among the six secretaries."""
    branches, secretaries = [], []
    for name, secretary, _title in PROJECTS:
        branch = PartyBranch.objects.create(court=cast.court, name=name)
        person = make_member(cast.court, secretary, department=cast.department, branch=branch)
        branch.secretary = person
        branch.save()
        branches.append(branch)
        secretaries.append(person)
    response = cast.client_for("organizer").post(
        reverse("activities:contest_create"),
        {
            "title": "2021年度党建创新项目评选",
            "kind": Contest.Kind.PARTY_PROJECT,
            "judging_enabled": "on",
            "votes_per_voter": 1,
            "results_visibility": Contest.ResultsVisibility.AFTER_CLOSE,
            "audience_weight": 0,
            "cross_review": "on",
            "unit_kind": Contest.UnitKind.BRANCH,
            "entries_by_unit": "on",
            "tie_break": Contest.TieBreak.JUDGES,
        },
    )
    contest = Contest.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    assert contest.entries_by_unit and not contest.voting_enabled and contest.cross_review
    contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.ENTRIES, now=timezone.now())
    contest.refresh_from_db()
    return contest, branches, secretaries


def enter_all(cast, contest, branches, secretaries) -> list[Entry]:
    """The first four secretaries put forward their own branch's project from their phones; the
    political department enters the last two (刑庭 and 执行局 sent theirs on paper) as the contact."""
    for person, (_name, _secretary, title) in zip(secretaries[:4], PROJECTS[:4], strict=True):
        client = cast.client_for("member")
        client.force_login(person.user, backend="members.backends.MemberModelBackend")
        response = client.post(reverse("activities:entry_create", args=[contest.pk]), {"title": title, "text": "…"})
        assert response.status_code == 302
    organizer = cast.client_for("organizer")
    for branch, (_name, _secretary, title) in zip(branches[4:], PROJECTS[4:], strict=True):
        response = organizer.post(
            reverse("activities:entry_create", args=[contest.pk]),
            {"unit": branch.pk, "member": cast.organizer.pk, "title": title},
        )
        assert response.status_code == 302
    return list(contest.entries.select_related("branch", "member").order_by("number"))


def judge_all(cast, contest, secretaries) -> None:
    """Each secretary scores the projects of the other branches; 审管办 comes first, 执行局 last."""
    contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.JUDGING, now=timezone.now())
    contest.refresh_from_db()
    criteria = add_criteria(contest, [("创新性", 40), ("实效性", 40), ("可推广性", 20)])
    contest_set_judges(actor=cast.organizer, contest=contest, judges=secretaries)
    contest_assign_judges(actor=cast.organizer, contest=contest)
    for assignment in contest.assignments.select_related("entry", "judge"):
        points = Decimal(40 - assignment.entry.number)  # 39, 38, … by entry number
        assignment_score(
            judge=assignment.judge,
            assignment=assignment,
            points={criteria[0].pk: points, criteria[1].pk: points, criteria[2].pk: Decimal(18)},
            now=timezone.now(),
        )


def test_branches_put_forward_projects_and_each_branch_enters_once(cast, xicheng):
    contest, branches, secretaries = xicheng
    entries = enter_all(cast, contest, branches, secretaries)
    assert [(e.entrant_name, e.title, e.by_unit) for e in entries] == [
        (name, title, True) for name, _secretary, title in PROJECTS
    ]
    # The secretaries are their own branch's contacts; the paper ones name the organizer.
    assert [e.member for e in entries] == secretaries[:4] + [cast.organizer, cast.organizer]
    assert all(e.department_id is None for e in entries)  # only the contest's kind of unit is kept
    # A second project from 审管办 (another of its members tries) is refused in words.
    colleague = make_member(cast.court, "段文", department=cast.department, branch=branches[0])
    client = cast.client_for("member")
    client.force_login(colleague.user, backend="members.backends.MemberModelBackend")
    response = client.post(reverse("activities:entry_create", args=[contest.pk]), {"title": "又一个项目"})
    assert response.status_code == 200
    assert "审管办党支部已提交过参赛作品。" in str(response.context["form"].errors)
    assert contest.entries.count() == 6


def test_what_cannot_be_entered_as_a_unit(cast, xicheng):
    contest, branches, _secretaries = xicheng
    # A member in no branch has no project to put forward, and is told why.
    with pytest.raises(ActionRefused):
        entry_create(actor=cast.leader, contest=contest, member=cast.leader, title="项目")
    # A member may not put forward another branch's project.
    with pytest.raises(ActionRefused):
        entry_create(actor=cast.colleague, contest=contest, member=cast.colleague, title="项目", unit=branches[1])
    # The organizer names a branch of this court; another court's branch is not on the list (no 500).
    other = PartyBranch.objects.create(court=cast.other_court, name="刑事审判庭党支部")
    response = cast.client_for("organizer").post(
        reverse("activities:entry_create", args=[contest.pk]), {"unit": other.pk, "title": "项目"}
    )
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    with pytest.raises(ActionRefused):
        entry_create(actor=cast.organizer, contest=contest, title="项目", unit=other, by_organizer=True)
    with pytest.raises(ActionRefused):  # a department in a contest of branches
        entry_create(actor=cast.organizer, contest=contest, title="项目", unit=cast.department, by_organizer=True)
    with pytest.raises(ActionRefused):  # a unit in a contest where members enter
        speech = make_contest(cast.court, phase=Contest.Phase.ENTRIES)
        entry_create(actor=cast.organizer, contest=speech, member=cast.member, title="演讲", unit=branches[0],
                     by_organizer=True)  # fmt: skip
    # Once there are entries, the contest cannot switch between units and members.
    add_entry_for_unit = entry_create(actor=cast.organizer, contest=contest, title="项目", unit=branches[0],
                                      by_organizer=True)  # fmt: skip
    assert add_entry_for_unit.member == branches[0].secretary
    with pytest.raises(ActionRefused):
        contest_update(actor=cast.organizer, contest=contest, fields={"entries_by_unit": False})


def test_cross_review_keeps_each_secretary_off_their_own_branchs_project(cast, xicheng):
    contest, branches, secretaries = xicheng
    enter_all(cast, contest, branches, secretaries)
    judge_all(cast, contest, secretaries)
    for assignment in contest.assignments.select_related("entry", "judge"):
        assert assignment.entry.branch_id != assignment.judge.party_branch_id
    # The judge's task list names the branch, not the contact.
    client = cast.client_for("member")
    client.force_login(secretaries[1].user, backend="members.backends.MemberModelBackend")
    page = client.get(reverse("activities:judge_tasks", args=[contest.pk])).content.decode()
    assert "审管办党支部" in page and "郑杨" not in page


def test_a_judges_only_contest_offers_no_forum_star(cast, xicheng):
    contest, branches, secretaries = xicheng
    enter_all(cast, contest, branches, secretaries)
    judge_all(cast, contest, secretaries)
    url = reverse("activities:contest_awards", args=[contest.pk])
    organizer = cast.client_for("organizer")
    response = organizer.get(url)
    page = response.content.decode()
    assert "论坛之星" not in page
    assert "forum_star" not in response.context["ranking_form"].fields
    kinds = [value for value, _label in response.context["award_form"].fields["kind"].choices]
    assert kinds[0] == "" and Award.Kind.FORUM_STAR not in kinds  # nothing chosen for the organizer
    # Posted anyway (an old form, a hand-made request): refused, nothing given, no 500.
    entry = contest.entries.get(number=1)
    response = organizer.post(url, {"action": "one", "entry": entry.pk, "kind": Award.Kind.FORUM_STAR})
    assert response.status_code == 200 and not Award.objects.exists()
    response = organizer.post(url, {"action": "ranking", "first": 0, "second": 0, "third": 0, "excellence": 0,
                                    "forum_star": "on"})  # fmt: skip
    assert not Award.objects.exists()
    with pytest.raises(ActionRefused):
        award_create(actor=cast.organizer, contest=contest, entry=entry, kind=Award.Kind.FORUM_STAR)
    with pytest.raises(ActionRefused):
        awards_from_standings(actor=cast.organizer, contest=contest, forum_star=True)


def test_the_ranking_line_prints_only_the_figures_the_contest_has(cast, xicheng):
    contest, branches, secretaries = xicheng
    enter_all(cast, contest, branches, secretaries)
    judge_all(cast, contest, secretaries)
    page = cast.client_for("organizer").get(reverse("activities:contest_awards", args=[contest.pk]))
    html = page.content.decode()
    ranking = html[html.index('id="ranking"') : html.index("</ol>", html.index('id="ranking"'))]
    assert "审管办党支部 · 打造学习型党支部，助推审判质效提升" in ranking
    assert "（评委均分 96.00）" in ranking  # 39 + 39 + 18 from every judge
    assert "( ·" not in ranking and "（ ·" not in ranking and "· )" not in ranking and "()" not in ranking
    assert ranking.count(" · ") == 6  # name · title, once a line: no empty part, no repeated final

    # The same rule for the other kinds of contest.
    standings = contest_standings(contest)
    voting_only = make_contest(cast.court)
    assert ranking_note(voting_only, standings[0]) == "0票"
    both = make_contest(cast.court, judging=True)
    assert ranking_note(both, standings[0]) == "0票 · 评委均分 96.00 · 总分 96.00"
    nobody_scored = make_contest(cast.court, voting=False, judging=True)
    add_entry(nobody_scored, cast.member)
    assert ranking_note(nobody_scored, contest_standings(nobody_scored)[0]) == ""


@pytest.fixture
def awarded(cast, xicheng, django_capture_on_commit_callbacks):
    """Five projects named 优秀党建创新项目 one by one from the award form, then published."""
    contest, branches, secretaries = xicheng
    enter_all(cast, contest, branches, secretaries)
    judge_all(cast, contest, secretaries)
    organizer = cast.client_for("organizer")
    url = reverse("activities:contest_awards", args=[contest.pk])
    for standing in contest_standings(contest)[:5]:
        response = organizer.post(
            url, {"action": "one", "entry": standing.entry.pk, "kind": Award.Kind.CUSTOM, "custom_name": AWARD}
        )
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        contest_set_phase(actor=cast.organizer, contest=contest, phase=Contest.Phase.PUBLISHED, now=timezone.now())
    contest.refresh_from_db()
    return contest, branches, secretaries


def test_results_page_and_workbook_name_the_branch_and_its_project(cast, awarded):
    contest, _branches, _secretaries = awarded
    page = cast.client_for("member").get(reverse("activities:contest_results", args=[contest.pk]))
    html = page.content.decode()
    table = html[html.index('id="standings"') : html.index("</table>")]
    assert "审管办党支部" in table and "打造学习型党支部，助推审判质效提升" in table
    assert "郑杨" not in table  # the contact is not the entrant
    assert "票数" not in table  # no audience vote, no votes column

    response = cast.client_for("organizer").get(reverse("activities:contest_results_export", args=[contest.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("名次", "编号", "项目名称", "党支部", "联系人", "评委平均分", "评分评委数")
    assert rows[1][:5] == (1, 1, "打造学习型党支部，助推审判质效提升", "审管办党支部", "郑杨")
    assert rows[1][5:] == (96.0, 5)
    assert [row[3] for row in rows[1:]] == [name for name, _s, _t in PROJECTS]


def test_the_certificate_and_the_notice_go_to_the_branch_for_its_project(cast, awarded):
    contest, _branches, secretaries = awarded
    award = Award.objects.select_related("entry__branch", "entry__member", "contest").get(entry__number=1)
    body = unit_certificate_body(award)
    assert body.startswith("审管办党支部：\n")
    assert (
        "你单位申报的《打造学习型党支部，助推审判质效提升》在“2021年度党建创新项目评选”中被评为优秀党建创新项目" in body
    )
    assert "郑杨" not in body and "同志" not in body and "荣获" not in body
    assert str(award) == "优秀党建创新项目 · 审管办党支部"
    response = cast.client_for("organizer").get(reverse("activities:award_certificate", args=[award.pk]))
    assert response.status_code == 200
    assert "%E5%AE%A1%E7%AE%A1%E5%8A%9E%E5%85%9A%E6%94%AF%E9%83%A8" in response["Content-Disposition"]  # 审管办党支部
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (2000, 1414)
    notice = Notification.objects.get(recipient=secretaries[0])
    assert (
        notice.text
        == "审管办党支部申报的《打造学习型党支部，助推审判质效提升》在2021年度党建创新项目评选中被评为优秀党建创新项目。"
    )
    # The branch's award is not the secretary's own: not on their profile, not in 我的测评.
    client = cast.client_for("member")
    client.force_login(secretaries[0].user, backend="members.backends.MemberModelBackend")
    assert AWARD not in client.get(reverse("activities:my_results")).content.decode()


def test_facts_and_the_draft_name_the_branch_and_its_project(cast, awarded):
    contest, _branches, secretaries = awarded
    period = Period.containing(QUARTER, timezone.localdate())
    start, end = period.bounds()
    facts = court_facts(court=cast.court, start=start, end=end, start_date=period.start, end_date=period.end,
                        now=timezone.now())  # fmt: skip
    [row] = facts["contests"]
    assert row["by_unit"] and row["entries"] == 6
    assert row["entrants"] == 6  # six branches, though five people sent them
    assert row["winners"][0] == {
        "award": AWARD,
        "award_kind": "custom",
        "name": "审管办党支部",
        "unit": "审管办党支部",
        "title": "打造学习型党支部，助推审判质效提升",
        "by_unit": True,
    }
    assert len(row["winners"]) == 5
    text = draft_from_facts(cast.court.name, period, facts, ReportTemplate(), today=timezone.localdate()).text
    assert "申报项目6个" in text
    assert "经6名评审人员交叉互评" in text
    assert f"评选出“{AWARD}”5个，分别是审管办党支部《打造学习型党支部，助推审判质效提升》、立案庭党支部" in text
    assert not any(person.name in text for person in secretaries)

    # One winner alone reads "第三党支部《…》被评为…".
    row["winners"] = row["winners"][:1]
    text = draft_from_facts(cast.court.name, period, facts, ReportTemplate(), today=timezone.localdate()).text
    assert f"审管办党支部《打造学习型党支部，助推审判质效提升》被评为“{AWARD}”" in text


def test_a_members_contest_is_unchanged_and_its_forum_star_is_not_pre_ticked(cast):
    contest = make_contest(cast.court)
    add_entry(contest, cast.colleague, "我和我热爱的岗位")
    response = cast.client_for("organizer").get(reverse("activities:contest_awards", args=[contest.pk]))
    field = response.context["ranking_form"].fields["forum_star"]
    assert field.initial is False
    assert Award.Kind.FORUM_STAR in [v for v, _l in response.context["award_form"].fields["kind"].choices]
    headers, rows = results_table(contest, contest_standings(contest))
    assert headers == ["名次", "编号", "标题", "参赛选手", "部门", "票数"]
    assert rows == [[1, 1, "我和我热爱的岗位", "李静", "民一庭", 0]]


@pytest.mark.parametrize(
    "page", ["activities:contest_results", "activities:contest_awards", "activities:contest_detail"]
)
def test_unit_pages_do_not_grow_queries_with_the_entries(cast, page, django_assert_max_num_queries):
    def contest_with(n: int) -> Contest:
        contest = make_contest(cast.court, voting=False, judging=True, entries_by_unit=True,
                               unit_kind=Contest.UnitKind.BRANCH)  # fmt: skip
        for i in range(n):
            branch = PartyBranch.objects.create(court=cast.court, name=f"第{n}-{i}党支部")
            Entry.objects.create(contest=contest, member=cast.organizer, number=i + 1, title=f"项目{i}",
                                 branch=branch, by_unit=True)  # fmt: skip
            Award.objects.create(contest=contest, entry=contest.entries.get(number=i + 1), kind=Award.Kind.CUSTOM,
                                 custom_name=AWARD)  # fmt: skip
        return contest

    client = cast.client_for("organizer")
    small, large = contest_with(2), contest_with(12)
    client.get(reverse(page, args=[small.pk]))  # warm the session and caches
    with django_assert_max_num_queries(40) as small_run:
        client.get(reverse(page, args=[small.pk]))
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        response = client.get(reverse(page, args=[large.pk]))
    assert "第12-11党支部" in response.content.decode()


def test_the_entry_forms_ask_for_a_project_and_its_unit_in_chinese(cast, xicheng):
    contest, branches, secretaries = xicheng
    url = reverse("activities:entry_create", args=[contest.pk])
    organizer_form = cast.client_for("organizer").get(url).content.decode()
    assert (
        "项目名称" in organizer_form and "联系人" in organizer_form and "默认为支部书记或部门负责人" in organizer_form
    )
    assert "审管办党支部" in organizer_form and "Project" not in organizer_form and "Contact" not in organizer_form
    client = cast.client_for("member")
    client.force_login(secretaries[0].user, backend="members.backends.MemberModelBackend")
    assert "申报本单位项目" in client.get(contest.get_absolute_url()).content.decode()
    member_form = client.get(url).content.decode()
    assert "项目名称" in member_form and "联系人" not in member_form  # their own branch, themselves the contact
    client.post(url, {"title": PROJECTS[0][2]})
    entry = contest.entries.get()
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "审管办党支部 · 联系人：郑杨" in page
    assert "申报本单位项目" not in client.get(contest.get_absolute_url()).content.decode()  # entered once
