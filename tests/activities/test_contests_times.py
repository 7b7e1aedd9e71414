"""Contest voting windows and quiz rounds are set with a date picker and a 24-hour time box (no
browser shows 08:30 AM), and lists of people follow the court's order of its departments."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.forms.contests import AssessmentResultForm, court_members
from activities.models import Contest, Quiz, Rota
from activities.services import sessions as session_services
from activities.services.contests.assessments import template_workbook
from members.models import Department, Member, PartyBranch, StudyGroup
from tests.activities.contests_helpers import make_assessment, make_contest, make_quiz
from tests.factories import make_member

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
CHINESE_ERROR = "请填写日期和24小时制时间，如 2026-12-08 和 20:00。"


def contest_post(**times) -> dict:
    data = {
        "title": "“我和我热爱的岗位”周分享",
        "kind": Contest.Kind.SPEECH,
        "voting_enabled": "on",
        "votes_per_voter": 1,
        "vote_opens_at_date": "2026-12-08",
        "vote_opens_at_time": "08:30",
        "vote_closes_at_date": "2026-12-08",
        "vote_closes_at_time": "20:00",
        "results_visibility": Contest.ResultsVisibility.AFTER_CLOSE,
        "audience_weight": 100,
        "judges_per_entry": 3,
        "unit_kind": Contest.UnitKind.DEPARTMENT,
        "tie_break": Contest.TieBreak.VOTES,
    }
    return {**data, **times}


def quiz_post(**times) -> dict:
    data = {
        "title": "微测验 第5期",
        "number": 5,
        "opens_at_date": "2026-12-08",
        "opens_at_time": "8:30",  # as typed on a phone: read as 08:30
        "closes_at_date": "2026-12-15",
        "closes_at_time": "2000",
        "time_limit_minutes": 15,
        "selection": Quiz.Selection.FIXED,
        "attempts_allowed": 1,
        "pass_mark": 60,
        "reveal": Quiz.Reveal.AFTER_CLOSE,
    }
    return {**data, **times}


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


@pytest.mark.parametrize("url", ["activities:contest_create", "activities:quiz_create"])
def test_the_forms_draw_a_date_and_a_24_hour_time_box(cast, url):
    page = cast.client_for("organizer").get(reverse(url)).content.decode()
    assert "datetime-local" not in page
    assert re.search(r'name="(vote_)?opens_at_date"[^>]*type="date"|type="date"[^>]*name="(vote_)?opens_at_date"', page)
    assert 'placeholder="08:30"' in page


def test_an_organizer_sets_a_voting_window_in_24_hour_times(cast):
    response = cast.client_for("organizer").post(reverse("activities:contest_create"), contest_post())
    contest = Contest.objects.get()
    assert response.status_code == 302
    assert local(contest.vote_opens_at) == dt.datetime(2026, 12, 8, 8, 30)
    assert local(contest.vote_closes_at) == dt.datetime(2026, 12, 8, 20, 0)


def test_an_organizer_sets_a_quiz_round_in_24_hour_times(cast):
    response = cast.client_for("organizer").post(reverse("activities:quiz_create"), quiz_post())
    quiz = Quiz.objects.get()
    assert response.status_code == 302
    assert local(quiz.opens_at) == dt.datetime(2026, 12, 8, 8, 30)
    assert local(quiz.closes_at) == dt.datetime(2026, 12, 15, 20, 0)


@pytest.mark.parametrize(
    "half",
    [
        {"vote_closes_at_time": ""},  # a date without a time is not midnight
        {"vote_closes_at_date": ""},
        {"vote_closes_at_time": "8 PM"},
    ],
)
def test_half_a_closing_time_is_refused_in_chinese_and_kept_to_correct(cast, half):
    response = cast.client_for("organizer").post(reverse("activities:contest_create"), contest_post(**half))
    assert response.status_code == 200 and not Contest.objects.exists()
    page = response.content.decode()
    assert CHINESE_ERROR in page
    assert 'value="2026-12-08"' in page and 'value="08:30"' in page  # what was typed is still there
    kept = half.get("vote_closes_at_time") or half.get("vote_closes_at_date")
    if kept:
        assert f'value="{kept}"' in page


def test_a_quiz_round_missing_its_opening_date_is_refused_in_chinese(cast):
    response = cast.client_for("organizer").post(reverse("activities:quiz_create"), quiz_post(opens_at_date=""))
    assert response.status_code == 200 and not Quiz.objects.exists()
    page = response.content.decode()
    assert CHINESE_ERROR in page and 'value="08:30"' in page and 'value="2026-12-15"' in page


def test_editing_shows_the_saved_times_in_24_hours(cast):
    evening = dt.datetime(2026, 12, 8, 20, 0, tzinfo=SHANGHAI)
    contest = make_contest(cast.court, phase=Contest.Phase.DRAFT, opens=evening - dt.timedelta(hours=6), closes=evening)
    quiz = make_quiz(cast.court, status=Quiz.Status.DRAFT, opens_at=evening, closes_at=evening + dt.timedelta(days=2))
    client = cast.client_for("organizer")
    page = client.get(reverse("activities:contest_update", args=[contest.pk])).content.decode()
    assert re.search(r'name="vote_opens_at_time"[^>]*value="14:00"|value="14:00"[^>]*name="vote_opens_at_time"', page)
    assert re.search(r'name="vote_closes_at_time"[^>]*value="20:00"|value="20:00"[^>]*name="vote_closes_at_time"', page)
    page = client.get(reverse("activities:quiz_update", args=[quiz.pk])).content.decode()
    assert 'value="2026-12-10"' in page and 'value="20:00"' in page
    assert not re.search(r"\b(AM|PM)\b", page) and "下午" not in page


# ---------------------------------------------------------------------------------------------
# Lists of people and of rotas in the order the court expects


@pytest.fixture
def court_order(cast):
    """The court puts 民一庭 before 政治部 (its own order, not the order of the names)."""
    Department.objects.filter(pk=cast.department.pk).update(position=1)
    Department.objects.filter(pk=cast.organizer.department_id).update(position=2)  # 政治部
    return make_member(cast.court, "钱多多", username="nodept")  # no department: last


def test_people_are_listed_department_by_department_in_the_courts_order(cast, court_order):
    names = [m.name for m in court_members(cast.court)]
    assert names.index("张明") < names.index("王芳") and names.index("李静") < names.index("赵院长")
    assert names[-1] == "钱多多"

    members = Member.objects.filter(court=cast.court, is_active=True)
    assessment = make_assessment(cast.court)
    form = AssessmentResultForm(assessment=assessment, members=members)
    chosen = [m.name for m in form.fields["member"].queryset]
    assert chosen.index("张明") < chosen.index("王芳") and chosen[-1] == "钱多多"

    sheet = template_workbook(assessment, members).worksheets[0]
    listed = [row[1] for row in sheet.iter_rows(values_only=True) if row[1] in set(names)]
    assert listed.index("张明") < listed.index("王芳") and listed[-1] == "钱多多"


def test_rotas_follow_the_natural_order_of_their_units(cast):
    second = StudyGroup.objects.create(court=cast.court, name="第2学习小组")
    tenth = StudyGroup.objects.create(court=cast.court, name="第10学习小组")
    branch = PartyBranch.objects.create(court=cast.court, name="第3党支部")
    for unit in (tenth, cast.department, branch, second):
        session_services.rota_create(actor=cast.organizer, unit=unit)
    assert [rota.unit_name for rota in Rota.objects.with_unit()] == [
        "第2学习小组",
        "第3党支部",
        "第10学习小组",
        "民一庭",
    ]
