"""Who a session is for, and who holds it: the audience and the co-hosts (联学联建) on the session
page; a co-hosted session counts for each unit holding it, and for the court once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from activities.facts import court_facts
from activities.models import Session
from activities.services import sessions as services
from members.models import AuditEvent, Department, PartyBranch
from reports.models import Summary
from reports.periods import MONTH, Period
from reports.services import summary_build
from tests.activities import sessions_factories as sf
from tests.factories import make_group

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = Period(MONTH, dt.date(2026, 10, 1))


def form_data(cast, **fields) -> dict:
    political = Department.objects.get(court=cast.court, name="政治部")
    return {
        "kind": sf.kind().pk,
        "title": "联学联建：民法典专题学习",
        "unit": f"dept:{political.pk}",
        "day": "2026-12-21",
        "start_time": "15:00",
        "end_time": "16:30",
        "place": "二楼大会议室",
        "audience_departments": [political.pk, cast.department.pk],
        "audience_branches": [cast.branch.pk],
        **fields,
    }


def test_organizer_names_co_hosts_and_the_session_page_shows_them_with_the_audience(cast):
    youth = make_group(cast.court, "青年理论学习小组", members=[cast.member])
    client = cast.client_for("organizer")
    form_page = client.get(reverse("activities:sessions_create")).content.decode()
    assert 'name="cohost_departments"' in form_page and "刑事审判庭" not in form_page  # only their own court's units
    response = client.post(
        reverse("activities:sessions_create"),
        form_data(
            cast, cohost_departments=[cast.department.pk], cohost_branches=[cast.branch.pk], cohost_groups=[youth.pk]
        ),
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert list(session.cohost_departments.all()) == [cast.department]
    assert list(session.cohost_branches.all()) == [cast.branch] and list(session.cohost_groups.all()) == [youth]

    body = cast.client_for("member").get(session.get_absolute_url()).content.decode()
    cohosts = body.split('id="session-cohosts">')[1].split("</dd>")[0]
    assert cohosts == "民一庭、第一党支部、青年理论学习小组"
    audience = body.split('id="session-audience">')[1].split("</dd>")[0]
    assert sorted(audience.split("、")) == sorted(["民一庭", "政治部", "第一党支部"])
    assert "政治部" in body.split('id="session-cohosts">')[0]  # the organizer, named before the co-hosts

    whole = sf.make_session(cast.court, title="全院大会")
    body = cast.client_for("member").get(whole.get_absolute_url()).content.decode()
    assert body.split('id="session-audience">')[1].split("</dd>")[0] == "全院"
    assert 'id="session-cohosts"' not in body  # no co-hosts: no empty line


def test_editing_changes_the_co_hosts_and_the_audit_says_so(cast):
    session = sf.make_session(cast.court, unit_department=Department.objects.get(name="政治部"))
    client = cast.client_for("organizer")
    edit = reverse("activities:sessions_edit", args=[session.pk])
    assert client.post(edit, form_data(cast, cohost_branches=[cast.branch.pk])).status_code == 302
    assert list(session.cohost_branches.all()) == [cast.branch]
    assert "cohosts" in AuditEvent.objects.filter(action="session.updated").latest("pk").detail["fields"]
    assert client.post(edit, form_data(cast)).status_code == 302  # none chosen: none left
    assert not session.cohost_branches.exists()


@pytest.mark.parametrize(
    "bad",
    [
        lambda cast: {"cohost_departments": [cast.other_department.pk]},  # another court's department
        lambda cast: {"cohost_departments": [Department.objects.get(name="政治部").pk]},  # the organizer itself
        lambda cast: {"cohost_branches": ["abc"]},
        lambda cast: {"cohost_groups": ["99999999999999999999"]},
    ],
)
def test_bad_co_hosts_are_explained_and_nothing_is_written(cast, bad):
    response = cast.client_for("organizer").post(reverse("activities:sessions_create"), form_data(cast, **bad(cast)))
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not Session.objects.exists()


def test_the_service_keeps_co_hosts_inside_the_court_and_never_the_organizer_itself(cast):
    start = dt.datetime(2026, 12, 21, 15, tzinfo=SHANGHAI)
    kwargs = {
        "actor": cast.organizer,
        "kind": sf.kind(),
        "title": "联学",
        "start": start,
        "end": start + dt.timedelta(hours=1),
    }
    with pytest.raises(services.SessionError):
        services.session_create(**kwargs, unit=cast.department, cohost_departments=[cast.other_department])
    assert not Session.objects.exists()
    session = services.session_create(
        **kwargs,
        unit=cast.department,
        whole_court=True,
        cohost_departments=[cast.department],
        cohost_branches=[cast.branch],
    )
    assert not session.cohost_departments.exists() and list(session.cohost_branches.all()) == [cast.branch]


def held(cast, day: int, **units) -> Session:
    return sf.make_session(cast.court, start=dt.datetime(2026, 10, day, 8, 30, tzinfo=SHANGHAI), **units)


def summary(unit_kind: str, unit_id: int) -> dict:
    return Summary.objects.get(
        period_kind=OCTOBER.kind, period_start=OCTOBER.start, unit_kind=unit_kind, unit_id=unit_id
    ).values


def test_a_co_hosted_session_counts_for_each_unit_and_for_the_court_once(cast):
    political = Department.objects.get(name="政治部")
    second = PartyBranch.objects.create(court=cast.court, name="第二党支部")
    youth = make_group(cast.court, "青年理论学习小组")
    # 政治部 organizes, 民一庭, two branches and the youth group hold it with them.
    joint = held(cast, 12, unit_department=political)
    joint.cohost_departments.set([cast.department])
    joint.cohost_branches.set([cast.branch, second])
    joint.cohost_groups.set([youth])
    # 民一庭's own share, with 民一庭 also ticked as co-host (as the admin could): still once.
    own = held(cast, 19, unit_department=cast.department)
    own.cohost_departments.set([cast.department])
    # Cancelled or not yet ended: no unit gets anything.
    cancelled = held(cast, 26, status=Session.Status.CANCELLED)
    cancelled.cohost_departments.set([political])

    summary_build(court=cast.court, period=OCTOBER)
    assert summary("court", cast.court.pk)["sessions_held"] == 2
    assert summary("department", political.pk)["sessions_held"] == 1
    assert summary("department", cast.department.pk)["sessions_held"] == 2  # co-host once, organizer once
    assert summary("branch", cast.branch.pk)["sessions_held"] == 1
    assert summary("branch", second.pk)["sessions_held"] == 1
    assert summary("group", youth.pk)["sessions_held"] == 1


def test_the_facts_list_each_events_co_hosts(cast):
    political = Department.objects.get(name="政治部")
    youth = make_group(cast.court, "青年理论学习小组")
    joint = held(cast, 12, unit_department=political)
    joint.cohost_groups.set([youth])
    joint.cohost_departments.set([cast.department])
    held(cast, 19)
    start, end = OCTOBER.bounds()
    facts = court_facts(
        court=cast.court, start=start, end=end, start_date=OCTOBER.start, end_date=OCTOBER.end,
        now=dt.datetime(2026, 11, 1, tzinfo=SHANGHAI),
    )  # fmt: skip
    first, second = facts["sessions"]["events"]
    assert first["unit"] == "政治部" and first["cohosts"] == ["民一庭", "青年理论学习小组"]
    assert second["cohosts"] == []
