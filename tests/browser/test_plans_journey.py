"""A member fills in a monthly plan and reports it at month-end; the department head comments."""

from __future__ import annotations

import datetime as dt

import pytest

from activities.models import Comment
from activities.models.plans import PLAN_TZ, MonthlyPlan
from tests.activities.plans_fixtures import clock_fixture, head_fixture  # noqa: F401
from tests.browser.conftest import login, shot

# Inside January 2027's month-end window (it runs until 23:59 on 3 February).
MONTH_END = dt.datetime(2027, 1, 30, 20, 0, tzinfo=PLAN_TZ)


def csp_errors(page) -> list[str]:
    return [e for e in page.console_errors if "Content Security Policy" in e]


@pytest.mark.django_db(transaction=True)
def test_member_reports_monthly_plan_and_head_comments(live_server, cast, password, head, clock, phone_page, chromium):
    clock.set(MONTH_END)
    page = phone_page

    # The member starts January's plan from 我的学习 and writes two items.
    login(page, live_server, "member", password)
    page.wait_for_url(f"{live_server.url}/me/")
    page.click("#panel-plans button")  # write this month's plan
    page.wait_for_url("**/activities/plans/monthly/*/")
    plan = MonthlyPlan.objects.get(member=cast.member, year=2027, month=1)
    page.check("#add-item-form input[name=kind][value=learning]")
    page.fill("#add-item-form input[name=text]", "学习《习近平法治思想学习纲要》第三章")
    page.click("#add-item-form button")
    page.wait_for_selector("#plan-items >> text=学习《习近平法治思想学习纲要》第三章")
    page.check("#add-item-form input[name=kind][value=work]")
    page.fill("#add-item-form input[name=text]", "审结民间借贷纠纷案件15件")
    page.click("#add-item-form button")
    page.wait_for_selector("#plan-items >> text=审结民间借贷纠纷案件15件")
    shot(page, "plans-1-member-fills-plan")

    # It is the month-end window: report each item.
    page.click("#report-button")
    page.wait_for_url(f"**/activities/plans/monthly/{plan.pk}/report/")
    learning, work = plan.items.order_by("position")
    page.check(f"input[name=status_{learning.pk}][value=done]")
    page.check(f"input[name=status_{work.pk}][value=partly]")
    page.fill(f"input[name=note_{work.pk}]", "审结12件,3件因鉴定顺延")
    page.fill("textarea[name=summary]", "学习任务完成,办案任务基本完成。")
    shot(page, "plans-2-member-reports")
    page.click("#report-form button")
    page.wait_for_url(f"**/activities/plans/monthly/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.reported_at == MONTH_END
    assert list(plan.items.order_by("position").values_list("status", flat=True)) == ["done", "partly"]
    assert page.locator("text=审结12件,3件因鉴定顺延").is_visible()
    shot(page, "plans-3-member-reported")
    assert not csp_errors(page), page.console_errors

    # The department head opens the department's plans and comments on the member's.
    context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    head_page = context.new_page()
    head_errors: list[str] = []
    head_page.on("console", lambda msg: head_errors.append(msg.text) if msg.type == "error" else None)
    login(head_page, live_server, "head", password)
    head_page.wait_for_url(f"{live_server.url}/me/")
    head_page.click(f"#panel-plans a[href*='/activities/plans/completion/{cast.department.pk}/']")
    head_page.wait_for_selector("#department-plans")
    shot(head_page, "plans-4-head-department-plans")
    head_page.click(f"#department-plans a[href='{plan.get_absolute_url()}']")
    head_page.fill("textarea[name=text]", "计划具体,落实较好;顺延的案件下月重点跟进。")
    head_page.click("form[action*='/comments/'] button")
    head_page.wait_for_selector("text=计划具体,落实较好;顺延的案件下月重点跟进。")
    shot(head_page, "plans-5-head-comments")
    comment = Comment.objects.get()
    assert (comment.owner, comment.author) == (cast.member, head)
    assert not [e for e in head_errors if "Content Security Policy" in e], head_errors
    context.close()

    # The member is notified and sees the comment on the learning profile.
    page.goto(f"{live_server.url}{cast.member.get_absolute_url()}")
    page.wait_for_selector("#profile-plans-title")
    assert page.locator("text=计划具体,落实较好;顺延的案件下月重点跟进。").is_visible()
    assert cast.member.notifications.filter(kind="comment").exists()
    shot(page, "plans-6-member-profile-comment")
