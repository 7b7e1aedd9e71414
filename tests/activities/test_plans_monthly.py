"""Monthly plans (工作手册): fill in, report in the month-end window, lock, reopen, carry over, assign."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from activities.models import Comment
from activities.models.plans import PLAN_TZ, MonthlyPlan, PlanItem, ReportWindow
from activities.services.plans import plans_send_report_reminders, plans_send_start_reminders
from members.models import AuditEvent, Member, Notification

from ..factories import make_member
from .plans_fixtures import (  # noqa: F401
    AFTER_DEADLINE,
    IN_WINDOW,
    MID_MONTH,
    clock_fixture,
    head_fixture,
    login_as,
    make_plan,
)

UTC = dt.UTC


def report_data(plan, status="done", note=""):
    data = {"summary": "本月按计划完成"}
    for item in plan.items.all():
        data[f"status_{item.pk}"] = status
        data[f"note_{item.pk}"] = note
    return data


# ---------------------------------------------------------------- the window, defined in one place


def test_window_opens_on_the_fifth_last_day_and_closes_after_2359_on_the_third():
    window = ReportWindow.for_month(2027, 1)
    assert window.opens_at == dt.datetime(2027, 1, 27, 0, 0, tzinfo=PLAN_TZ)
    assert window.deadline == dt.datetime(2027, 2, 3, 23, 59, tzinfo=PLAN_TZ)
    assert not window.is_open(dt.datetime(2027, 1, 26, 23, 59, 59, tzinfo=PLAN_TZ))
    assert window.is_open(dt.datetime(2027, 1, 27, 0, 0, tzinfo=PLAN_TZ))
    # 23:59 on the last day of the month, and the deadline minute itself, are inside.
    assert window.is_open(dt.datetime(2027, 1, 31, 23, 59, tzinfo=PLAN_TZ))
    assert window.is_open(dt.datetime(2027, 2, 3, 23, 59, tzinfo=PLAN_TZ))
    assert window.is_open(dt.datetime(2027, 2, 3, 23, 59, 59, 999999, tzinfo=PLAN_TZ))
    assert not window.is_open(dt.datetime(2027, 2, 4, 0, 0, tzinfo=PLAN_TZ))


def test_window_is_beijing_time_whatever_the_clock_zone():
    window = ReportWindow.for_month(2027, 1)
    # 15:59 UTC is 23:59 in Beijing: still open; 16:00 UTC is midnight: locked.
    assert window.is_open(dt.datetime(2027, 2, 3, 15, 59, tzinfo=UTC))
    assert window.has_closed(dt.datetime(2027, 2, 3, 16, 0, tzinfo=UTC))
    # The window opens at Beijing midnight, which is 16:00 UTC the day before.
    assert window.is_open(dt.datetime(2027, 1, 26, 16, 0, tzinfo=UTC))
    assert not window.is_open(dt.datetime(2027, 1, 26, 15, 59, tzinfo=UTC))


def test_window_handles_february_and_december():
    assert ReportWindow.for_month(2028, 2).opens_at.date() == dt.date(2028, 2, 25)  # leap year: 29 days
    assert ReportWindow.for_month(2027, 2).opens_at.date() == dt.date(2027, 2, 24)
    assert ReportWindow.for_month(2026, 12).deadline == dt.datetime(2027, 1, 3, 23, 59, tzinfo=PLAN_TZ)


def test_open_month_is_last_month_early_in_the_month_and_none_mid_month():
    assert ReportWindow.open_month(dt.datetime(2027, 2, 2, 9, 0, tzinfo=PLAN_TZ)) == (2027, 1)
    assert ReportWindow.open_month(MID_MONTH) is None
    assert ReportWindow.open_month(dt.datetime(2027, 1, 28, 9, 0, tzinfo=PLAN_TZ)) == (2027, 1)
    # 1 January 2027, 00:30 Beijing is still 31 December 2026 in UTC: the open month is December.
    assert ReportWindow.open_month(dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == (2026, 12)


def test_plan_locks_after_the_deadline_minute():
    plan = MonthlyPlan(year=2027, month=1)
    assert not plan.is_locked(dt.datetime(2027, 2, 3, 23, 59, tzinfo=PLAN_TZ))
    assert plan.is_locked(dt.datetime(2027, 2, 4, 0, 0, tzinfo=PLAN_TZ))


# ---------------------------------------------------------------- filling in and reporting


def test_member_starts_a_plan_and_adds_items(cast, clock):
    clock.set(MID_MONTH)
    client = cast.client_for("member")
    response = client.post(reverse("activities:plan_start"), {"year": 2027, "month": 1})
    plan = MonthlyPlan.objects.get(member=cast.member, year=2027, month=1)
    assert response.url == plan.get_absolute_url()
    client.post(
        reverse("activities:plan_item_add", args=[plan.pk]), {"kind": "learning", "text": "学习民法典婚姻家庭编"}
    )
    client.post(reverse("activities:plan_item_add", args=[plan.pk]), {"kind": "work", "text": "审结案件20件"})
    assert list(plan.items.values_list("text", "position")) == [("学习民法典婚姻家庭编", 1), ("审结案件20件", 2)]
    page = client.get(plan.get_absolute_url())
    assert "学习民法典婚姻家庭编" in page.content.decode()
    assert "report-button" not in page.content.decode()  # mid-month: no report button


def test_starting_a_plan_for_a_far_month_is_refused(cast, clock):
    clock.set(MID_MONTH)
    response = cast.client_for("member").post(reverse("activities:plan_start"), {"year": 2027, "month": 6}, follow=True)
    assert not MonthlyPlan.objects.exists()
    assert "只能" in response.content.decode() or "only start" in response.content.decode()


def test_malformed_month_is_refused(cast, clock):
    clock.set(MID_MONTH)
    response = cast.client_for("member").post(reverse("activities:plan_start"), {"year": "x", "month": 13})
    assert response.status_code == 302
    assert not MonthlyPlan.objects.exists()


def test_empty_item_is_refused(cast, clock):
    clock.set(MID_MONTH)
    plan = make_plan(cast.member, items=())
    cast.client_for("member").post(reverse("activities:plan_item_add", args=[plan.pk]), {"kind": "work", "text": "  "})
    cast.client_for("member").post(reverse("activities:plan_item_add", args=[plan.pk]), {"kind": "nap", "text": "x"})
    assert not plan.items.exists()


def test_member_reports_in_the_window_on_time(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    first, second = plan.items.all()
    client = cast.client_for("member")
    assert client.get(reverse("activities:plan_report", args=[plan.pk])).status_code == 200
    data = report_data(plan)
    data[f"status_{second.pk}"] = "partly"
    data[f"note_{second.pk}"] = "审结12件,3件因鉴定延期"
    response = client.post(reverse("activities:plan_report", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.reported_at == IN_WINDOW
    assert plan.timeliness(IN_WINDOW) == MonthlyPlan.Timeliness.ON_TIME
    assert list(plan.items.values_list("status", flat=True)) == ["done", "partly"]
    assert AuditEvent.objects.filter(action="plan.reported", target_id=str(plan.pk)).exists()


def test_report_at_the_deadline_minute_counts_on_time(cast, clock):
    deadline = clock.set(dt.datetime(2027, 2, 3, 23, 59, 30, tzinfo=PLAN_TZ))
    plan = make_plan(cast.member)
    cast.client_for("member").post(reverse("activities:plan_report", args=[plan.pk]), report_data(plan))
    plan.refresh_from_db()
    assert plan.reported_at == deadline
    assert plan.timeliness(AFTER_DEADLINE) == MonthlyPlan.Timeliness.ON_TIME


def test_report_before_the_window_is_refused_and_writes_nothing(cast, clock):
    clock.set(MID_MONTH)
    plan = make_plan(cast.member)
    client = cast.client_for("member")
    response = client.post(reverse("activities:plan_report", args=[plan.pk]), report_data(plan), follow=True)
    plan.refresh_from_db()
    assert plan.reported_at is None
    assert not plan.items.exclude(status="").exists()
    assert "2027-01-27 00:00" in response.content.decode()


def test_not_done_without_a_note_is_refused(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    response = cast.client_for("member").post(
        reverse("activities:plan_report", args=[plan.pk]), report_data(plan, status="not_done")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    plan.refresh_from_db()
    assert plan.reported_at is None
    assert not plan.items.exclude(status="").exists()


def test_missing_or_unknown_statuses_are_refused(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    client = cast.client_for("member")
    data = report_data(plan)
    first = plan.items.first()
    del data[f"status_{first.pk}"]
    assert client.post(reverse("activities:plan_report", args=[plan.pk]), data).status_code == 200
    data[f"status_{first.pk}"] = "finished-ish"
    assert client.post(reverse("activities:plan_report", args=[plan.pk]), data).status_code == 200
    plan.refresh_from_db()
    assert plan.reported_at is None


def test_plan_locks_after_the_deadline(cast, clock):
    plan = make_plan(cast.member)
    clock.set(AFTER_DEADLINE)
    client = cast.client_for("member")
    client.post(reverse("activities:plan_item_add", args=[plan.pk]), {"kind": "work", "text": "补一项"})
    client.post(reverse("activities:plan_report", args=[plan.pk]), report_data(plan))
    item = plan.items.first()
    client.post(reverse("activities:plan_item_edit", args=[item.pk]), {"kind": "work", "text": "改了"})
    client.post(reverse("activities:plan_item_delete", args=[item.pk]))
    plan.refresh_from_db()
    assert plan.items.count() == 2
    assert plan.reported_at is None
    assert plan.items.first().text == "读《习近平法治思想概论》第一章"
    assert plan.timeliness(AFTER_DEADLINE) == MonthlyPlan.Timeliness.NOT_SUBMITTED


def test_organizer_reopens_a_locked_plan_and_the_late_report_counts_late(cast, clock):
    plan = make_plan(cast.member)
    now = clock.set(AFTER_DEADLINE)
    response = cast.client_for("organizer").post(reverse("activities:plan_reopen", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.reopened_until == now + dt.timedelta(days=3)
    assert AuditEvent.objects.filter(action="plan.reopened", target_id=str(plan.pk)).exists()
    assert Notification.objects.filter(recipient=cast.member, kind="plan_reopened").exists()
    cast.client_for("member").post(reverse("activities:plan_report", args=[plan.pk]), report_data(plan))
    plan.refresh_from_db()
    assert plan.timeliness(now) == MonthlyPlan.Timeliness.LATE
    # Once the extra days pass, it locks again.
    assert plan.is_locked(now + dt.timedelta(days=3, seconds=1))


def test_only_the_members_organizer_reopens(cast, clock, head):
    plan = make_plan(cast.member)
    clock.set(AFTER_DEADLINE)
    assert cast.client_for("leader").post(reverse("activities:plan_reopen", args=[plan.pk])).status_code == 403
    assert login_as(head).post(reverse("activities:plan_reopen", args=[plan.pk])).status_code == 403
    assert cast.client_for("member").post(reverse("activities:plan_reopen", args=[plan.pk])).status_code == 403
    assert cast.client_for("colleague").post(reverse("activities:plan_reopen", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.reopened_until is None


def test_reopening_an_unlocked_plan_is_refused(cast, clock):
    plan = make_plan(cast.member)
    clock.set(IN_WINDOW)
    cast.client_for("organizer").post(reverse("activities:plan_reopen", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.reopened_until is None
    assert not AuditEvent.objects.filter(action="plan.reopened").exists()


# ---------------------------------------------------------------- someone else's plan, by direct POST


def test_colleague_cannot_touch_the_members_plan(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    item = plan.items.first()
    colleague = cast.client_for("colleague")
    assert colleague.get(plan.get_absolute_url()).status_code == 404
    assert (
        colleague.post(reverse("activities:plan_item_add", args=[plan.pk]), {"kind": "work", "text": "x"}).status_code
        == 404
    )
    assert colleague.post(reverse("activities:plan_report", args=[plan.pk]), report_data(plan)).status_code == 404
    assert (
        colleague.post(reverse("activities:plan_item_edit", args=[item.pk]), {"kind": "work", "text": "x"}).status_code
        == 404
    )
    assert colleague.post(reverse("activities:plan_item_delete", args=[item.pk])).status_code == 404
    assert colleague.post(reverse("activities:plan_carry_over", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.items.count() == 2 and plan.reported_at is None and item.text == plan.items.first().text


def test_organizer_sees_but_cannot_write_the_members_plan(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    organizer = cast.client_for("organizer")
    assert organizer.get(plan.get_absolute_url()).status_code == 200
    assert (
        organizer.post(reverse("activities:plan_item_add", args=[plan.pk]), {"kind": "work", "text": "x"}).status_code
        == 403
    )
    assert organizer.post(reverse("activities:plan_report", args=[plan.pk]), report_data(plan)).status_code == 403
    assert plan.items.count() == 2


def test_outsider_gets_404(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    assert cast.client_for("outsider").get(plan.get_absolute_url()).status_code == 404
    assert cast.client_for("city_leader").get(plan.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------- carry-over


def test_unfinished_items_carry_over_to_next_month_once(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member, items=("甲", "乙", "丙"))
    a, b, c = plan.items.all()
    data = report_data(plan)
    data.update(
        {f"status_{b.pk}": "partly", f"note_{b.pk}": "一半", f"status_{c.pk}": "not_done", f"note_{c.pk}": "未开始"}
    )
    client = cast.client_for("member")
    client.post(reverse("activities:plan_report", args=[plan.pk]), data)
    response = client.post(reverse("activities:plan_carry_over", args=[plan.pk]))
    february = MonthlyPlan.objects.get(member=cast.member, year=2027, month=2)
    assert response.url == february.get_absolute_url()
    carried = list(february.items.order_by("position"))
    assert [i.text for i in carried] == ["乙", "丙"]
    assert [i.carried_from_id for i in carried] == [b.pk, c.pk]
    assert all(i.status == "" for i in carried)
    # A second click carries nothing more.
    client.post(reverse("activities:plan_carry_over", args=[plan.pk]))
    assert february.items.count() == 2


def test_carry_over_appends_after_items_already_planned(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member, items=("甲",))
    february = make_plan(cast.member, 2027, 2, items=("二月已有",))
    item = plan.items.get()
    cast.client_for("member").post(
        reverse("activities:plan_report", args=[plan.pk]),
        {f"status_{item.pk}": "not_done", f"note_{item.pk}": "出差"},
    )
    cast.client_for("member").post(reverse("activities:plan_carry_over", args=[plan.pk]))
    assert list(february.items.order_by("position").values_list("text", flat=True)) == ["二月已有", "甲"]


def test_unreported_plan_does_not_carry_over(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    response = cast.client_for("member").post(reverse("activities:plan_carry_over", args=[plan.pk]), follow=True)
    assert not MonthlyPlan.objects.filter(year=2027, month=2).exists()
    assert response.context["messages"]


# ---------------------------------------------------------------- assignment by a head or organizer


def test_department_head_assigns_an_item_to_the_department(cast, clock, head):
    clock.set(MID_MONTH)
    make_plan(cast.member, items=("自己的",))
    client = cast.client_for("member")  # a plain member has no unit to assign to
    assert client.get(reverse("activities:plan_assign")).status_code == 403
    head_client = login_as(head)
    response = head_client.post(
        reverse("activities:plan_assign"),
        {
            "unit": f"department:{cast.department.pk}",
            "month": "2027-1",
            "kind": "learning",
            "text": "学习新修订的民事诉讼法",
        },
    )
    assert response.status_code == 302
    assigned = PlanItem.objects.filter(text="学习新修订的民事诉讼法")
    assert set(assigned.values_list("plan__member", flat=True)) == {cast.member.pk, cast.colleague.pk, head.pk}
    assert set(assigned.values_list("assigned_by", flat=True)) == {head.pk}
    assert assigned.get(plan__member=cast.member).position == 2
    assert Notification.objects.filter(recipient=cast.colleague, kind="plan_assigned").exists()
    # The member cannot change or remove the assigned item.
    item = assigned.get(plan__member=cast.member)
    client.post(reverse("activities:plan_item_edit", args=[item.pk]), {"kind": "work", "text": "不学了"})
    client.post(reverse("activities:plan_item_delete", args=[item.pk]))
    item.refresh_from_db()
    assert item.text == "学习新修订的民事诉讼法"


def test_head_cannot_assign_to_another_unit(cast, clock, head):
    clock.set(MID_MONTH)
    client = login_as(head)
    political = cast.organizer.department
    response = client.post(
        reverse("activities:plan_assign"),
        {"unit": f"department:{political.pk}", "month": "2027-1", "kind": "work", "text": "x"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not PlanItem.objects.exists()


def test_organizer_assigns_to_the_whole_court(cast, clock):
    clock.set(MID_MONTH)
    response = cast.client_for("organizer").post(
        reverse("activities:plan_assign"),
        {"unit": "court", "month": "2027-2", "kind": "learning", "text": "学习二十大报告"},
    )
    assert response.status_code == 302
    people = Member.objects.filter(court=cast.court).count()
    assert PlanItem.objects.filter(text="学习二十大报告", plan__month=2).count() == people
    assert not PlanItem.objects.filter(plan__member=cast.outsider).exists()


def test_assigning_to_a_locked_month_is_refused(cast, clock):
    clock.set(dt.datetime(2027, 2, 10, 9, 0, tzinfo=PLAN_TZ))
    response = cast.client_for("organizer").post(
        reverse("activities:plan_assign"), {"unit": "court", "month": "2027-1", "kind": "work", "text": "x"}
    )
    assert response.status_code == 200
    assert not PlanItem.objects.exists()


# ---------------------------------------------------------------- completion per department, head's view


def test_organizer_sees_on_time_late_and_not_submitted_per_department(cast, clock):
    make_plan(cast.member).items.update(status="done")
    MonthlyPlan.objects.filter(member=cast.member).update(reported_at=IN_WINDOW)
    late = make_plan(cast.colleague)
    late.reported_at = AFTER_DEADLINE
    late.save()
    clock.set(AFTER_DEADLINE + dt.timedelta(days=5))
    response = cast.client_for("organizer").get(reverse("activities:plan_completion"), {"year": 2027, "month": 1})
    assert response.status_code == 200
    rows = {row.department: row for row in response.context["rows"]}
    civil = rows["民一庭"]
    assert (civil.total, civil.on_time, civil.late, civil.not_submitted) == (2, 1, 1, 0)
    political = rows["政治部"]
    assert (political.total, political.not_submitted) == (2, 2)
    assert "刘洋" not in response.content.decode()  # the outsider's court is not counted


def test_completion_needs_an_organizer_or_leader(cast):
    for role, status in (("member", 403), ("colleague", 403), ("organizer", 200), ("leader", 200)):
        assert cast.client_for(role).get(reverse("activities:plan_completion")).status_code == status


def test_city_leader_reads_a_lower_courts_completion(cast):
    response = cast.client_for("city_leader").get(reverse("activities:plan_completion"), {"court": cast.court.pk})
    assert response.status_code == 200
    assert response.context["court"] == cast.court
    assert (
        cast.client_for("leader").get(reverse("activities:plan_completion"), {"court": cast.other_court.pk}).status_code
        == 404
    )
    assert cast.client_for("leader").get(reverse("activities:plan_completion"), {"court": "x"}).status_code == 404


def test_head_sees_the_departments_plans_and_comments(cast, clock, head):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    client = login_as(head)
    page = client.get(
        reverse("activities:plan_completion_department", args=[cast.department.pk]), {"year": 2027, "month": 1}
    )
    assert page.status_code == 200
    assert plan.get_absolute_url() in page.content.decode()
    detail = client.get(plan.get_absolute_url())
    assert 'name="text"' in detail.content.decode()  # the comment form
    response = client.post(
        reverse("activities:comment_add", args=[_ct(plan), plan.pk]),
        {"text": "计划具体,注意按期结案"},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.owner == cast.member and comment.author == head
    assert Notification.objects.filter(recipient=cast.member, kind="comment").exists()


def _ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_colleague_cannot_comment_on_a_plan(cast, clock):
    clock.set(IN_WINDOW)
    plan = make_plan(cast.member)
    response = cast.client_for("colleague").post(
        reverse("activities:comment_add", args=[_ct(plan), plan.pk]), {"text": "x"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_department_page_access(cast, head):
    url = reverse("activities:plan_completion_department", args=[cast.department.pk])
    assert cast.client_for("member").get(url).status_code == 403
    assert cast.client_for("organizer").get(url).status_code == 200
    assert cast.client_for("leader").get(url).status_code == 200
    assert cast.client_for("outsider").get(url).status_code == 404
    other = reverse("activities:plan_completion_department", args=[cast.other_department.pk])
    assert cast.client_for("organizer").get(other).status_code == 404


# ---------------------------------------------------------------- reminders


def test_start_of_month_reminder_reaches_each_member_once(cast):
    make_plan(cast.member, 2027, 3, items=("已写",))
    make_plan(cast.colleague, 2026, 3, items=("去年三月",))  # last year's March does not count
    make_plan(cast.colleague, 2027, 4, items=("四月",))
    sent = plans_send_start_reminders(today=dt.date(2027, 3, 1))
    assert Notification.objects.filter(recipient=cast.colleague, kind="plan_reminder").exists()
    assert sent == Member.objects.filter(is_active=True).count() - 1
    assert not Notification.objects.filter(recipient=cast.member, kind="plan_reminder").exists()
    assert plans_send_start_reminders(today=dt.date(2027, 3, 1)) == 0  # a rerun notifies nobody again


def test_report_reminder_three_days_before_the_end_once(cast):
    reported = make_plan(cast.member, 2027, 1)
    reported.reported_at = IN_WINDOW
    reported.save()
    assert plans_send_report_reminders(today=dt.date(2027, 1, 27)) == 0  # not three days before the 31st
    sent = plans_send_report_reminders(today=dt.date(2027, 1, 28))
    assert sent == Member.objects.filter(is_active=True).count() - 1
    assert not Notification.objects.filter(recipient=cast.member).exists()
    text = Notification.objects.filter(recipient=cast.colleague).get().text
    assert "2027-02-03 23:59" in text
    assert plans_send_report_reminders(today=dt.date(2027, 1, 28)) == 0
    # February 2027 has 28 days: the reminder goes on the 25th.
    assert plans_send_report_reminders(today=dt.date(2027, 2, 25)) > 0


def test_reminder_tasks_run_from_beat_schedule(cast):
    from activities.tasks.plans import BEAT_SCHEDULE, plans_report_reminders_task, plans_start_reminders_task

    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} == {
        "activities.plans.start_reminders",
        "activities.plans.report_reminders",
    }
    assert plans_start_reminders_task.delay("2027-03-01").get() > 0
    assert plans_start_reminders_task.delay("2027-03-01").get() == 0
    assert plans_report_reminders_task.delay("2027-03-28").get() > 0


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("n_plans", [2, 12])
def test_my_plans_list_queries_do_not_grow(cast, clock, django_assert_max_num_queries, n_plans):
    clock.set(MID_MONTH)
    for i in range(n_plans):
        year, month = 2026 - i // 12, 12 - i % 12
        make_plan(cast.member, year, month)
    client = cast.client_for("member")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("activities:plan_my")).status_code == 200


@pytest.mark.parametrize("n_members", [3, 30])
def test_completion_and_department_pages_queries_do_not_grow(cast, clock, django_assert_max_num_queries, n_members):
    clock.set(AFTER_DEADLINE)
    for i in range(n_members):
        person = make_member(cast.court, f"干警{i}", department=cast.department)
        plan = make_plan(person)
        if i % 2:
            plan.reported_at = IN_WINDOW
            plan.save()
    client = cast.client_for("organizer")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("activities:plan_completion"), {"year": 2027, "month": 1}).status_code == 200
    with django_assert_max_num_queries(14):
        url = reverse("activities:plan_completion_department", args=[cast.department.pk])
        assert client.get(url, {"year": 2027, "month": 1}).status_code == 200


def test_plan_detail_queries_do_not_grow_with_items(cast, clock, django_assert_max_num_queries):
    clock.set(IN_WINDOW)
    small = make_plan(cast.member, items=("一",))
    big = make_plan(cast.member, 2026, 12, items=[f"事项{i}" for i in range(30)])
    client = cast.client_for("member")
    with django_assert_max_num_queries(20) as small_count:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(small_count.captured_queries)):
        client.get(big.get_absolute_url())
