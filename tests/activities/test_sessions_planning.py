"""Planning a quarter in the browser-less way: preview, publish once, edit one occurrence; series plans shift."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Recurrence, SeriesItem, SeriesPlan, Session
from activities.services import sessions as services
from tests.factories import make_member

from . import sessions_factories as f


def plan_data(cast, group, **overrides):
    data = {
        "kind": f.kind().pk,
        "title": "周一学习例会",
        "unit": f"group:{group.pk}",
        "year": 2027,
        "quarter": 1,
        "frequency": "weekly",
        "weekday": "0",
        "ordinal": "1",
        "month_in_quarter": "1",
        "start_time": "08:30",
        "duration_minutes": "45",
        "on_holiday": "skip",
        "place": "三楼会议室",
        "use_rota": "on",
    }
    data.update(overrides)
    return data


def test_organizer_previews_then_publishes_a_quarter_once(cast):
    group = f.study_group(cast)
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_plan")
    response = client.post(url, {**plan_data(cast, group), "action": "preview"})
    assert response.status_code == 200
    page = response.content.decode()
    assert not Session.objects.exists()  # a preview writes nothing
    assert "2027 年节假日安排为暂定" in page
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page)[1]
    # 2027 Q1: 13 Mondays, Feb 8 (春节, provisional) skipped.
    response = client.post(url, {**plan_data(cast, group), "token": token, "action": "publish"})
    assert response.status_code == 302
    sessions = Session.objects.order_by("start")
    assert sessions.count() == 12
    assert dt.date(2027, 2, 8) not in [timezone.localtime(s.start).date() for s in sessions]
    assert all(s.rota is not None and s.speakers.count() == 1 for s in sessions)
    assert {s.speakers.get().member for s in sessions[:2]} == {cast.member, cast.colleague}
    # Publishing the same preview again creates nothing.
    client.post(url, {**plan_data(cast, group), "token": token, "action": "publish"})
    assert Session.objects.count() == 12 and Recurrence.objects.count() == 1
    # The organizer's quarter view lists them.
    quarter = client.get(reverse("activities:sessions_quarter"), {"group": group.pk, "year": 2027, "quarter": 1})
    assert quarter.content.decode().count("周一学习例会") >= 12


def test_plan_form_errors_write_nothing(cast):
    group = f.study_group(cast)
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_plan")
    bad = [
        plan_data(cast, group, weekday="wd"),  # weekly on "working day"
        plan_data(cast, group, unit="court"),  # a rota needs a unit: a group, a branch or a department
        plan_data(cast, group, unit=f"group:{f.study_group(cast, name='外院小组').pk + 999}"),
        plan_data(cast, group, start_time="25:00"),
        plan_data(cast, group, place=""),
        plan_data(cast, group, year="abc"),
    ]
    for data in bad:
        response = client.post(url, {**data, "action": "publish", "token": "b" * 32})
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    assert not Session.objects.exists()
    # A malformed token is refused too.
    response = client.post(url, {**plan_data(cast, group), "action": "publish", "token": "../../x"})
    assert not Session.objects.exists()


def test_outsider_group_cannot_be_planned(cast):
    other_group = f.make_group(cast.other_court, "外院小组")
    client = cast.client_for("organizer")
    response = client.post(
        reverse("activities:sessions_plan"),
        {**plan_data(cast, other_group, use_rota=""), "action": "publish", "token": "c" * 32},
    )
    assert response.status_code == 200 and not Session.objects.exists()


def test_editing_one_occurrence_leaves_the_others_alone(cast):
    group = f.study_group(cast)
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_plan")
    data = plan_data(cast, group, use_rota="", year=2026, quarter=4)
    client.post(url, {**data, "action": "publish", "token": "d" * 32})
    first, second = Session.objects.order_by("start")[:2]
    edit = reverse("activities:sessions_edit", args=[first.pk])
    response = client.post(
        edit,
        {
            "kind": first.kind_id,
            "title": "专题：民法典",
            "unit": f"group:{group.pk}",
            "day": "2026-10-13",
            "start_time": "15:00",
            "end_time": "16:00",
            "place": "大会议室",
            "audience_groups": [group.pk],
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == "专题：民法典" and timezone.localtime(first.start).hour == 15
    assert second.title == "周一学习例会" and timezone.localtime(second.start).time() == dt.time(8, 30)
    # End before start is refused.
    response = client.post(
        edit,
        {
            "kind": first.kind_id,
            "title": "x",
            "unit": "court",
            "day": "2026-10-13",
            "start_time": "15:00",
            "end_time": "14:00",
            "place": "x",
            "audience_court": "on",
        },
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.title == "专题：民法典"


def test_series_items_shift_when_a_session_is_cancelled(cast):
    plan = services.series_plan_create(actor=cast.organizer, title="微课堂：二十大报告", unit=cast.branch)
    for topic in ("第一讲", "第二讲", "第三讲", "第四讲"):
        services.series_item_add(actor=cast.organizer, plan=plan, topic=topic)
    start = timezone.now() + dt.timedelta(days=1)
    sessions = [
        services.session_create(
            actor=cast.organizer,
            kind=f.kind("micro_class"),
            title=f"微课堂{n}",
            start=start + dt.timedelta(weeks=n),
            end=start + dt.timedelta(weeks=n, hours=1),
            unit=cast.branch,
            branches=[cast.branch],
            series_plan=plan,
        )
        for n in range(3)
    ]

    def topics():
        return [
            Session.objects.get(pk=s.pk).series_item.topic if Session.objects.get(pk=s.pk).series_item else None
            for s in sessions
        ]

    assert topics() == ["第一讲", "第二讲", "第三讲"]
    services.session_cancel(actor=cast.organizer, session=sessions[0], reason="停电")
    assert topics() == [None, "第一讲", "第二讲"]
    # Moving an item reorders the coming sessions; a held session keeps its topic.
    services.session_record(
        actor=cast.organizer, session=Session.objects.get(pk=sessions[1].pk), minutes="纪要", now=sessions[1].start
    )
    item4 = SeriesItem.objects.get(plan=plan, topic="第四讲")
    services.series_item_move(actor=cast.organizer, item=item4, up=True)
    assert topics() == [None, "第一讲", "第二讲"]
    services.series_item_move(actor=cast.organizer, item=item4, up=True)
    assert topics() == [None, "第一讲", "第四讲"]
    with pytest.raises(services.SessionError):
        services.series_item_delete(actor=cast.organizer, item=SeriesItem.objects.get(plan=plan, topic="第一讲"))
    page = cast.client_for("member").get(plan.get_absolute_url()).content.decode()
    assert "第四讲" in page and "25%" in page


def test_group_leader_manages_group_sessions_but_not_others(cast):
    group = f.study_group(cast)
    own = f.make_session(cast.court, unit_group=group, audience_court=False, groups=(group,))
    other = f.make_session(cast.court)
    leader = cast.client_for("colleague")
    assert leader.get(reverse("activities:sessions_attendance", args=[own.pk])).status_code == 200
    assert leader.get(reverse("activities:sessions_attendance", args=[other.pk])).status_code == 403


def test_scoped_organizer_manages_only_their_unit(cast):
    scoped = make_member(cast.court, "钱干事", role="organizer", scope_branch=cast.branch)
    from django.test import Client

    client = Client()
    client.force_login(scoped.user, backend="members.backends.MemberModelBackend")
    in_scope = f.make_session(cast.court, unit_branch=cast.branch)
    out_of_scope = f.make_session(cast.court, unit_department=cast.department)
    assert client.get(reverse("activities:sessions_edit", args=[in_scope.pk])).status_code == 200
    assert client.get(reverse("activities:sessions_edit", args=[out_of_scope.pk])).status_code == 403
    form_page = client.get(reverse("activities:sessions_create")).content.decode()
    assert f"branch:{cast.branch.pk}" in form_page and f"dept:{cast.department.pk}" not in form_page
    assert SeriesPlan.objects.count() == 0


def test_a_session_created_for_the_whole_court_is_stored_as_such(cast):
    start = timezone.now() + dt.timedelta(days=2)
    session = services.session_create(
        actor=cast.organizer,
        kind=f.kind(),
        title="全院学习",
        start=start,
        end=start + dt.timedelta(hours=1),
        whole_court=True,
    )
    assert Session.objects.get(pk=session.pk).audience_court
    services.session_update(actor=cast.organizer, session=session, whole_court=False, departments=[cast.department])
    assert not Session.objects.get(pk=session.pk).audience_court
