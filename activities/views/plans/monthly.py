"""Monthly plans (工作手册): fill in, report at month-end, carry over, reopen, assign, completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import is_leader_of, managed_members, visible_courts
from members.models import Department, Member

from ...forms.plans import MonthForm, PlanAssignForm, PlanItemForm, PlanReportForm
from ...models.plans import MonthlyPlan, PlanItem, ReportWindow, local_month, month_after, month_before, month_label
from ...selectors import plans as select
from ...services import plans as services
from ._common import PAGE_SIZE, chosen_court, chosen_month, error_message, form_errors_message, require_member


def _plan_for(request: HttpRequest, pk: int) -> MonthlyPlan:
    return get_object_or_404(
        MonthlyPlan.objects.visible_to(request.user).select_related("member__department", "member__court"), pk=pk
    )


def _own_plan(request: HttpRequest, pk: int) -> MonthlyPlan:
    """A plan the user may see (404 otherwise) and owns (403 otherwise)."""
    plan = _plan_for(request, pk)
    if not select.is_plan_owner(request.user, plan):
        raise PermissionDenied
    return plan


def _own_item(request: HttpRequest, pk: int) -> PlanItem:
    item = get_object_or_404(
        PlanItem.objects.filter(plan__in=MonthlyPlan.objects.visible_to(request.user)).select_related(
            "plan__member", "assigned_by"
        ),
        pk=pk,
    )
    if not select.is_plan_owner(request.user, item.plan):
        raise PermissionDenied
    return item


@login_required
def plan_my(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    now = timezone.now()
    page = Paginator(select.plans_of(me), 12).get_page(request.GET.get("page"))
    existing = set(me.monthly_plans.values_list("year", "month"))
    startable = [(y, m, month_label(y, m)) for y, m in services.plan_months_open(now) if (y, m) not in existing]
    open_month = ReportWindow.open_month(now)
    to_report = None
    if open_month is not None:
        to_report = me.monthly_plans.filter(year=open_month[0], month=open_month[1]).first()
    return render(
        request,
        "activities/plans/plan_my.html",
        {
            "page": page,
            "startable": startable,
            "open_month": open_month and month_label(*open_month),
            "open_window": open_month and ReportWindow.for_month(*open_month),
            "to_report": to_report,
            "now": now,
            "departments": select.headed_departments(me),
            "can_assign": bool(select.assignable_units(request.user)),
        },
    )


@login_required
@require_POST
def plan_start(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid month."))
        return redirect("activities:plan_my")
    try:
        plan = services.plan_start(
            member=me, year=form.cleaned_data["year"], month=form.cleaned_data["month"], now=timezone.now()
        )
    except ValidationError as error:
        error_message(request, error)
        return redirect("activities:plan_my")
    return redirect(plan)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    now = timezone.now()
    is_owner = select.is_plan_owner(request.user, plan)
    items = list(select.plan_items(plan))
    locked = plan.is_locked(now)
    unfinished = [item for item in items if item.is_unfinished and not hasattr(item, "carried_to")]
    next_year, next_month = month_after(plan.year, plan.month)
    return render(
        request,
        "activities/plans/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "is_owner": is_owner,
            "locked": locked,
            "window": plan.window,
            "can_report": is_owner and plan.can_report(now),
            "item_form": PlanItemForm() if is_owner and not locked else None,
            "timeliness": plan.timeliness(now),
            "can_reopen": locked and select.can_reopen_plan(request.user, plan),
            "can_carry_over": is_owner
            and plan.reported_at is not None
            and bool(unfinished)
            and not ReportWindow.for_month(next_year, next_month).has_closed(now),
            "unfinished": unfinished,
            "next_month": month_label(next_year, next_month),
            "now": now,
        },
    )


@login_required
@require_POST
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        try:
            services.plan_item_add(plan=plan, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            error_message(request, error)
    else:
        form_errors_message(request, form)
    return redirect(plan)


@login_required
def plan_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    form = PlanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(item=item, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            error_message(request, error)
        return redirect(item.plan)
    return render(request, "activities/plans/plan_item_form.html", {"form": form, "item": item, "plan": item.plan})


@login_required
@require_POST
def plan_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    plan = item.plan
    try:
        services.plan_item_delete(item=item, now=timezone.now())
        messages.success(request, _("Item removed."))
    except ValidationError as error:
        error_message(request, error)
    return redirect(plan)


@login_required
def plan_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    now = timezone.now()
    if not plan.can_report(now):
        window = plan.window
        if now < window.opens_at:
            messages.error(
                request,
                _("Reporting for %(month)s opens on %(opens)s.")
                % {"month": plan.month_label, "opens": f"{window.opens_at:%Y-%m-%d %H:%M}"},
            )
        else:
            messages.error(request, _("The plan is locked: the deadline has passed."))
        return redirect(plan)
    items = list(plan.items.all())
    if not items:
        messages.error(request, _("The plan has no items to report on."))
        return redirect(plan)
    form = PlanReportForm(request.POST or None, items=items, initial={"summary": plan.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_report(plan=plan, reports=form.reports(), summary=form.cleaned_data["summary"], now=now)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your month-end report is saved."))
            return redirect(plan)
    return render(request, "activities/plans/plan_report.html", {"plan": plan, "form": form, "window": plan.window})


@login_required
@require_POST
def plan_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    try:
        next_plan, count = services.plan_carry_over(plan=plan, now=timezone.now())
    except ValidationError as error:
        error_message(request, error)
        return redirect(plan)
    messages.success(
        request, _("%(n)s unfinished items carried over to %(month)s.") % {"n": count, "month": next_plan.month_label}
    )
    return redirect(next_plan)


@login_required
@require_POST
def plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    if not select.can_reopen_plan(request.user, plan):
        raise PermissionDenied
    me = require_member(request)
    try:
        services.plan_reopen(plan=plan, actor=me, now=timezone.now())
        messages.success(request, _("The plan is reopened for %(name)s.") % {"name": plan.member.name})
    except ValidationError as error:
        error_message(request, error)
    return redirect(plan)


@login_required
def plan_assign(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    units = select.assignable_units(request.user)
    if not units:
        raise PermissionDenied
    now = timezone.now()
    form = PlanAssignForm(request.POST or None, units=units, months=services.plan_months_open(now))
    if request.method == "POST" and form.is_valid():
        unit = form.units[form.cleaned_data["unit"]]
        year, month = form.cleaned_data["month"]
        try:
            count = services.plan_assign(
                actor=me,
                members=unit.members,
                year=year,
                month=month,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                now=now,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The item was added to the plans of %(n)s people in %(unit)s.") % {"n": count, "unit": unit.label},
            )
            return redirect("activities:plan_assign")
    return render(request, "activities/plans/plan_assign.html", {"form": form})


def _month_nav(year: int, month: int) -> dict:
    return {
        "year": year,
        "month": month,
        "label": month_label(year, month),
        "previous": month_before(year, month),
        "next": month_after(year, month),
        "window": ReportWindow.for_month(year, month),
    }


@login_required
def plan_completion(request: HttpRequest) -> HttpResponse:
    """Organizers and leaders: per department, who reported on time, late, or not."""
    me = require_member(request)
    if not select.can_see_completion(request.user):
        raise PermissionDenied
    court = chosen_court(request, me)
    now = timezone.now()
    year, month = chosen_month(request, now)
    members = select.completion_members(request.user, court)
    rows = select.plan_completion(members, year, month)
    totals = {key: sum(getattr(row, key) for row in rows) for key in ("total", "on_time", "late", "not_submitted")}
    return render(
        request,
        "activities/plans/plan_completion.html",
        {
            "court": court,
            "courts": visible_courts(request.user),
            "rows": rows,
            "totals": totals,
            "closed": ReportWindow.for_month(year, month).has_closed(now),
            "nav": _month_nav(year, month),
            "current": local_month(now),
        },
    )


@login_required
def plan_completion_department(request: HttpRequest, pk: int) -> HttpResponse:
    """One department's plans for a month: the department head comments from here."""
    me = require_member(request)
    department = get_object_or_404(
        Department.objects.filter(court__in=visible_courts(request.user)).select_related("court", "head"), pk=pk
    )
    if not select.can_see_department_plans(request.user, department):
        raise PermissionDenied
    now = timezone.now()
    year, month = chosen_month(request, now)
    is_head = department.head_id == me.pk
    members = Member.objects.filter(department=department, is_active=True).order_by("name", "pk")
    if not (is_head or is_leader_of(request.user, department.court_id)):
        members = members.filter(pk__in=managed_members(request.user).values("pk"))
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = select.member_plan_rows(list(page.object_list), year, month, now)
    return render(
        request,
        "activities/plans/plan_department.html",
        {
            "department": department,
            "page": page,
            "rows": rows,
            "nav": _month_nav(year, month),
            "is_head": is_head,
        },
    )
