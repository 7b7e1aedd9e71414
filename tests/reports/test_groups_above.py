"""A basic court's report says how many of its people are in the city court's 研习小组 (两级法院).

The city court (cast.city) runs a research group open to its basic courts; court A's facts list the
group with A's people in it (its squads' too, each person once), court B's list nothing of A's, and
the draft says "我院2名干警参加松原市中级人民法院“…研习小组”". A city draft (全市法院) names the basic
court and leaves out the city's own groups.
"""

from __future__ import annotations

import datetime as dt

from activities.facts import court_facts
from members.models import StudyGroup, StudyGroupMembership
from reports.facts import merge_facts
from reports.models import ReportTemplate
from reports.narrative import PLACEHOLDERS, SENTENCES, draft_from_facts
from reports.periods import Period
from reports.services import window_for

from ..factories import make_member
from .facts_samples import COURT, quiet_quarter

Q2 = Period.from_key("2026-Q2")
GROUP = "习近平法治思想研习小组"
CITY = "松原市中级人民法院"


def facts_of(court) -> dict:
    window = window_for(court, Q2)
    return court_facts(
        court=court,
        start=window.start,
        end=window.end,
        start_date=window.start_date,
        end_date=window.end_date,
        now=window.end,
    )


def test_a_basic_courts_facts_count_its_people_in_the_city_group_once(cast):
    group = StudyGroup.objects.create(
        court=cast.city, name=GROUP, kind=StudyGroup.Kind.RESEARCH, spans_courts_below=True
    )
    squad = StudyGroup.objects.create(court=cast.city, name="第一小队", kind=StudyGroup.Kind.SQUAD, parent=group)
    gone = make_member(cast.court, "离职人员", is_active=False)
    for member, unit in [
        (cast.member, group),
        (cast.member, squad),  # in the group and its squad: one person
        (cast.colleague, squad),  # only in a squad: still in the group
        (gone, group),  # inactive: not counted
        (cast.outsider, group),  # court B
        (cast.city_leader, group),  # the city court's own
    ]:
        StudyGroupMembership.objects.create(group=unit, member=member)
    StudyGroupMembership.objects.create(
        group=StudyGroup.objects.create(court=cast.court, name="本院学习小组"), member=cast.member
    )  # the court's own group is not "above"

    assert facts_of(cast.court)["groups_above"] == [{"group": GROUP, "group_court": cast.city.name, "members": 2}]
    assert facts_of(cast.other_court)["groups_above"] == [{"group": GROUP, "group_court": cast.city.name, "members": 1}]
    assert facts_of(cast.city)["groups_above"] == []


def test_the_draft_says_how_many_of_our_people_are_in_the_group_above():
    facts = quiet_quarter()
    facts["groups_above"] = [{"group": GROUP, "group_court": CITY, "members": 3}]
    text = draft_from_facts(COURT, Q2, facts, ReportTemplate(), today=dt.date(2026, 12, 6)).text
    assert f"我院3名干警参加{CITY}“{GROUP}”。" in text
    assert "一、加强研习小组建设" in text  # under the study groups heading
    facts["groups_above"] = [{"group": GROUP, "group_court": CITY, "members": 0}]
    assert GROUP not in draft_from_facts(COURT, Q2, facts, ReportTemplate(), today=dt.date(2026, 12, 6)).text


def test_a_city_draft_names_the_basic_court_and_not_the_citys_own_group():
    city, basic, elsewhere = quiet_quarter(), quiet_quarter(), quiet_quarter()
    basic["groups_above"] = [{"group": GROUP, "group_court": CITY, "members": 3}]
    elsewhere["groups_above"] = [{"group": "青年理论学习小组", "group_court": "吉林省高级人民法院", "members": 2}]
    merged = merge_facts([(CITY, city), (COURT, basic), ("辽源市龙山区人民法院", elsewhere)])
    text = draft_from_facts(CITY, Q2, merged, ReportTemplate(), today=dt.date(2026, 12, 6), merged=True).text
    assert GROUP not in text  # the city's own group: its own summary tells it
    assert "辽源市龙山区人民法院2名干警参加吉林省高级人民法院“青年理论学习小组”" in text


def test_the_sentence_is_rewritable_and_its_placeholders_explained():
    sentence = SENTENCES["group_above"]
    assert set(sentence.placeholders) <= set(PLACEHOLDERS)
    facts = quiet_quarter()
    facts["groups_above"] = [{"group": GROUP, "group_court": CITY, "members": 3}]
    template = ReportTemplate(sentences={"group_above": "{whose}选派{group_members}人参加{group}"})
    text = draft_from_facts(COURT, Q2, facts, template, today=dt.date(2026, 12, 6)).text
    assert f"我院选派3人参加“{GROUP}”" in text
