"""Panels of the plans family on shared pages: 我的学习, 管理 and the member profile."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from members.access import current_member

from ..models.plans import (
    PLAN_TZ,
    Application,
    Compilation,
    MonthlyPlan,
    PlanItem,
    RecruitmentBatch,
    ReportWindow,
    ResearchOutput,
    local_month,
    month_before,
    month_label,
)
from ..panels import cached_member_panel
from ..selectors import plans as select

register = template.Library()


def _with_counts(plans):
    return plans.annotate(
        n_items=Count("items", distinct=True),
        n_done=Count("items", filter=Q(items__status=PlanItem.Status.DONE), distinct=True),
    )


@cached_member_panel(register, "activities/plans/_panel_member.html")
def member_plans_panel(context):
    """My plan this month, and the report button while a month-end window is open."""
    me = current_member(context["request"].user)
    if me is None:
        return {"me": None}
    now = timezone.now()
    year, month = local_month(now)
    open_month = ReportWindow.open_month(now)
    wanted = Q(year=year, month=month)
    if open_month is not None:
        wanted |= Q(year=open_month[0], month=open_month[1])
    plans = {(p.year, p.month): p for p in _with_counts(MonthlyPlan.objects.filter(member=me).filter(wanted))}
    to_report = plans.get(open_month) if open_month else None
    return {
        "me": me,
        "this_month": plans.get((year, month)),
        "this_label": month_label(year, month),
        "year": year,
        "month": month,
        "open_month": open_month and month_label(*open_month),
        "open_window": open_month and ReportWindow.for_month(*open_month),
        "to_report": to_report,
        "reported": bool(to_report and to_report.reported_at),
        "open_batches": RecruitmentBatch.objects.for_court(me.court)
        .open_on(now.astimezone(PLAN_TZ).date())
        .exclude(applications__member=me)
        .count(),
        "departments": list(select.headed_departments(me)),
    }


@register.inclusion_tag("activities/plans/_panel_organizer.html", takes_context=True)
def organizer_plans_panel(context):
    me = current_member(context["request"].user)
    if me is None:
        return {"me": None}
    now = timezone.now()
    year, month = local_month(now)
    if now < ReportWindow.for_month(year, month).opens_at:
        year, month = month_before(year, month)
    rows = select.plan_completion(select.completion_members(context["request"].user, me.court), year, month)
    return {
        "me": me,
        "label": month_label(year, month),
        "year": year,
        "month": month,
        "total": sum(r.total for r in rows),
        "on_time": sum(r.on_time for r in rows),
        "late": sum(r.late for r in rows),
        "not_submitted": sum(r.not_submitted for r in rows),
        "outputs": ResearchOutput.objects.filter(court=me.court_id, date__year=year).count(),
        "compilations": Compilation.objects.filter(court=me.court_id).count(),
        "pending_applications": Application.objects.filter(
            batch__group__court=me.court_id, status=Application.Status.PENDING
        ).count(),
    }


@register.inclusion_tag("activities/plans/_profile.html", takes_context=True)
def profile_plans_section(context, member):
    request = context["request"]
    return {**select.profile_plans(member, request.user, timezone.now()), "request": request}
