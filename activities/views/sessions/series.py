"""Series plans (系列学习方案) and their ordered items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import current_member

from ...forms.sessions import SeriesItemForm, SeriesPlanForm
from ...models.sessions import SeriesItem, SeriesPlan, Session
from ...selectors.sessions import can_manage_series, can_plan
from ...services import sessions as services
from .common import member_or_403, paginate, require


@login_required
def series_list(request: HttpRequest) -> HttpResponse:
    plans = (
        SeriesPlan.objects.visible_to(request.user)
        .select_related("court", "unit_department", "unit_branch", "unit_group")
        .annotate(
            n_items=Count("items", distinct=True),
            n_held=Count("sessions", filter=Q(sessions__status=Session.Status.HELD), distinct=True),
        )
        .order_by("-is_active", "-created_at")
    )
    me = current_member(request.user)
    return render(
        request,
        "activities/sessions/series_list.html",
        {"page": paginate(request, plans), "can_plan": me is not None and can_plan(request.user, me.court_id)},
    )


@login_required
def series_create(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    require(can_plan(request.user, me.court_id))
    form = SeriesPlanForm(request.POST or None, user=request.user, court=me.court)
    if request.method == "POST" and form.is_valid():
        plan = services.series_plan_create(actor=me, **form.cleaned_data)
        messages.success(request, _("Series plan created. Add its items in order."))
        return redirect(plan)
    return render(request, "activities/sessions/series_form.html", {"form": form})


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        SeriesPlan.objects.visible_to(request.user).select_related("unit_department", "unit_branch", "unit_group"),
        pk=pk,
    )
    manage = can_manage_series(request.user, plan)
    form = SeriesItemForm(request.POST or None)
    if request.method == "POST":
        require(manage)
        me = member_or_403(request)
        if form.is_valid():
            services.series_item_add(actor=me, plan=plan, **form.cleaned_data)
            messages.success(request, _("Item added."))
            return redirect(plan)
    items = list(plan.items.select_related("session").order_by("position"))
    covered = {item.pk: getattr(item, "session", None) for item in items}
    held = sum(1 for session in covered.values() if session is not None and session.status == Session.Status.HELD)
    next_item = next(
        (item for item in items if covered[item.pk] is None or covered[item.pk].status != Session.Status.HELD), None
    )
    return render(
        request,
        "activities/sessions/series_detail.html",
        {
            "plan": plan,
            "items": [{"item": item, "session": covered[item.pk]} for item in items],
            "held": held,
            "total": len(items),
            "percent": round(held * 100 / len(items)) if items else 0,
            "next_item": next_item,
            "uncovered_sessions": plan.sessions.not_cancelled().filter(series_item__isnull=True).count(),
            "can_manage": manage,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _managed_item(request: HttpRequest, pk: int) -> SeriesItem:
    item = get_object_or_404(
        SeriesItem.objects.filter(plan__in=SeriesPlan.objects.visible_to(request.user)).select_related("plan"), pk=pk
    )
    require(can_manage_series(request.user, item.plan))
    return item


@login_required
def series_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed_item(request, pk)
    me = member_or_403(request)
    form = SeriesItemForm(request.POST or None, initial={"topic": item.topic, "readings": item.readings})
    if request.method == "POST" and form.is_valid():
        services.series_item_update(actor=me, item=item, **form.cleaned_data)
        messages.success(request, _("Item saved."))
        return redirect(item.plan)
    return render(request, "activities/sessions/series_item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def series_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed_item(request, pk)
    services.series_item_move(actor=member_or_403(request), item=item, up=request.POST.get("direction") == "up")
    return redirect(item.plan)


@login_required
@require_POST
def series_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed_item(request, pk)
    try:
        services.series_item_delete(actor=member_or_403(request), item=item)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Item deleted; the later sessions move up one topic."))
    return redirect(item.plan)
