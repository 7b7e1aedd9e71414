"""One definition of an audience (departments, party branches, study groups with their squads),
used alike by reading campaigns, sessions, contests and quizzes."""

from __future__ import annotations

from activities.models import ReadingCampaign
from activities.selectors.contests import audience_members
from activities.selectors.sessions import expected_members
from members.models import Member, StudyGroup, StudyGroupMembership
from tests.activities import sessions_factories as sf
from tests.activities.contests_helpers import make_contest
from tests.activities.reading_factories import make_campaign
from tests.factories import make_group


def research_group_with_a_squad(cast):
    group = make_group(cast.court, "理论研习小组", kind=StudyGroup.Kind.RESEARCH, members=[cast.member])
    squad = StudyGroup.objects.create(court=cast.court, name="第一学习小队", kind=StudyGroup.Kind.SQUAD, parent=group)
    StudyGroupMembership.objects.create(group=squad, member=cast.organizer)
    return group


def test_units_include_departments_branches_and_the_squads_of_a_group(cast):
    group = research_group_with_a_squad(cast)
    members = Member.objects.filter(court=cast.court)
    assert set(members.in_units(groups=[group.pk])) == {cast.member, cast.organizer}
    assert set(members.in_units(departments=[cast.department.pk])) == {cast.member, cast.colleague}
    assert set(members.in_units(branches=[cast.branch.pk])) == {cast.member, cast.colleague}
    assert not members.in_units().exists()


def test_sessions_campaigns_and_contests_agree_on_who_a_group_audience_is(cast):
    group = research_group_with_a_squad(cast)
    session = sf.make_session(cast.court, audience_court=False, groups=(group,))
    campaign = make_campaign(cast.court, audience=ReadingCampaign.Audience.UNITS)
    campaign.study_groups.set([group])
    contest = make_contest(cast.court)
    contest.audience_groups.set([group])
    expected = {cast.member, cast.organizer}  # the squad's member is in the group's audience too
    assert set(expected_members(session)) == expected
    assert set(campaign.eligible_members()) == expected
    assert set(audience_members(contest)) == expected
