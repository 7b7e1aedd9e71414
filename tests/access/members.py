from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.models import Department, PartyBranch, StudyGroup
from members.roster import parse_roster
from members.services import roster_batch_create
from tests.factories import make_group

from . import Case, everyone

# Managing a member of court A: only the court's organizer; people who can see the member
# but not manage them get 403; the outsider (sibling court) cannot see them at all.
MANAGE = everyone(403, organizer=200, outsider=404)
# Changing court A's units (departments, branches, study groups): the same, with a redirect after a POST.
CHANGE_UNIT = everyone(403, organizer=302, outsider=404)


def empty_group(cast) -> list:
    return [make_group(cast.court, "待删学习小组").pk]


def group_with_colleague(cast) -> list:
    return [make_group(cast.court, "青年理论学习小组", members=[cast.colleague]).pk, cast.colleague.pk]


def organizer_batch(cast) -> list:
    upload = SimpleUploadedFile("roster.csv", "姓名,工号,部门\n孙丽,3001,民一庭\n".encode())
    batch = roster_batch_create(
        actor=cast.organizer.user,
        court=cast.court,
        file_name="roster.csv",
        parsed=parse_roster(upload),
        now=timezone.now(),
    )
    return [batch.token]


def city_group_across(cast) -> StudyGroup:
    """The city court's 研习小组 open to its basic courts, with a person of court A and one of B in it."""
    group = make_group(cast.city, "研习小组", members=[cast.colleague, cast.outsider], kind=StudyGroup.Kind.RESEARCH)
    group.spans_courts_below = True
    group.save(update_fields=["spans_courts_below"])
    return group


CASES = [
    Case("home", everyone(302)),
    Case("my_learning", everyone()),
    Case("manage", {"organizer": 200}),
    Case("healthz", everyone(), anon=200),
    Case("login", everyone(302), anon=200),
    Case("logout", everyone(302), method="post", anon=302),
    Case("password_change", everyone()),
    Case("set_language", everyone(302), method="post", anon=302, data=lambda cast: {"language": "en"}),
    Case("members:notification_list", everyone()),
    Case("members:notification_read_all", everyone(302), method="post"),
    Case(
        "members:notification_read",
        # A notification of the member's: only they can open it; for anyone else it does not exist.
        everyone(404, member=302),
        args=lambda cast: [cast.member.notifications.create(kind="test", text="hi").pk],
        method="post",
    ),
    Case("members:my_court", everyone(302)),
    Case("members:court_detail", everyone(200, outsider=404), args=lambda cast: [cast.court.pk]),
    Case(
        "members:court_detail",
        everyone(404, outsider=200, city_leader=200),
        args=lambda cast: [cast.other_court.pk],
    ),
    Case("members:department_detail", everyone(200, outsider=404), args=lambda cast: [cast.department.pk]),
    Case("members:branch_detail", everyone(200, outsider=404), args=lambda cast: [cast.branch.pk]),
    Case(
        "members:group_detail",
        everyone(200, outsider=404),
        args=lambda cast: [make_group(cast.court, "青年理论学习小组", members=[cast.member]).pk],
    ),
    Case("members:department_create", MANAGE, args=lambda cast: [cast.court.pk]),
    Case("members:department_edit", MANAGE, args=lambda cast: [cast.department.pk]),
    Case(
        "members:department_delete",
        CHANGE_UNIT,
        args=lambda cast: [Department.objects.create(court=cast.court, name="待删庭").pk],
        method="post",
    ),
    Case(
        "members:department_move",
        CHANGE_UNIT,
        args=lambda cast: [cast.department.pk],
        method="post",
        data=lambda cast: {"direction": "down"},
    ),
    Case("members:branch_create", MANAGE, args=lambda cast: [cast.court.pk]),
    Case("members:branch_edit", MANAGE, args=lambda cast: [cast.branch.pk]),
    Case(
        "members:branch_delete",
        CHANGE_UNIT,
        args=lambda cast: [PartyBranch.objects.create(court=cast.court, name="待删党支部").pk],
        method="post",
    ),
    Case("members:group_create", MANAGE, args=lambda cast: [cast.court.pk]),
    Case("members:group_edit", MANAGE, args=empty_group),
    Case("members:group_delete", CHANGE_UNIT, args=empty_group, method="post"),
    Case("members:group_members_add", MANAGE, args=empty_group),
    Case("members:group_member_remove", CHANGE_UNIT, args=group_with_colleague, method="post"),
    Case(
        "members:group_member_role",
        CHANGE_UNIT,
        args=group_with_colleague,
        method="post",
        data=lambda cast: {"role": "leader"},
    ),
    # 两级法院: the city court's group is seen by both basic courts; only the city court runs it.
    Case("members:group_detail", everyone(), args=lambda cast: [city_group_across(cast).pk]),
    Case("members:group_members_add", everyone(403), args=lambda cast: [city_group_across(cast).pk]),
    # A person of court B in it: court A (its leader, organizer, members) never sees them.
    Case(
        "members:member_detail",
        everyone(404, outsider=200, city_leader=200),
        args=lambda cast: [city_group_across(cast).memberships.get(member=cast.outsider).member_id],
    ),
    Case("members:member_list", everyone()),
    Case("members:member_detail", everyone(200, outsider=404), args=lambda cast: [cast.member.pk]),
    Case("members:member_edit", MANAGE, args=lambda cast: [cast.member.pk]),
    Case("members:member_role", MANAGE, args=lambda cast: [cast.member.pk]),
    Case("members:member_password_reset", MANAGE, args=lambda cast: [cast.colleague.pk], method="post"),
    Case(
        "members:member_set_active",
        everyone(403, organizer=302, outsider=404),
        args=lambda cast: [cast.colleague.pk],
        method="post",
        data=lambda cast: {"active": "0"},
    ),
    Case("members:roster_import", {"organizer": 200}),
    # An upload is reachable only by the person who made it.
    Case("members:roster_preview", everyone(404, organizer=200), args=organizer_batch),
    Case("members:roster_confirm", everyone(404, organizer=200), args=organizer_batch, method="post"),
    Case("members:roster_template", {"organizer": 200}),
    Case("members:roster_export", {"organizer": 200}),
    Case("members:audit_list", {"organizer": 200}),
]
