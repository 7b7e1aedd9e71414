"""Dashboards, drill-down, learning profiles, rebuilds and exports. They read summary rows and stored facts only."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from courtlearn import outbox
from members.access import current_member
from members.models import Court, Member
from members.services import audit

from . import exports, freshness
from . import facts as report_facts
from .access import can_rebuild, can_see_profile, reportable_courts
from .dashboard import COMPARE_KINDS, DEFAULT_COMPARE, compare_bars, compare_choice, highlights, kpis, trend_charts
from .forms import PointsWeightsForm, ReportTemplateForm
from .metrics import member_metrics, table_metrics
from .models import PointsWeight, SummaryBuild, UnitKind
from .narrative import DraftUnavailable, draft_for
from .periods import MONTH, QUARTER, YEAR, Period
from .selectors import DASHBOARD_CACHE_SECONDS, UNIT_MODELS, dashboard_numbers, member_history, unit_rows
from .services import points_weights_set, report_template_for
from .tasks import fan_out


def period_from_request(request: HttpRequest) -> Period:
    key = request.GET.get("period", "")
    if key:
        try:
            return Period.from_key(key)
        except ValueError:
            messages.warning(request, _("“%(key)s” is not a period such as 2026-10, 2026-Q3 or 2026.") % {"key": key})
    return Period.containing(MONTH, timezone.localdate())


def period_choices(period: Period) -> list[Period]:
    today = timezone.localdate()
    choices = Period.containing(MONTH, today).back(12)[::-1]
    choices += Period.containing(QUARTER, today).back(4)[::-1]
    choices += Period.containing(YEAR, today).back(2)[::-1]
    if period not in choices:
        choices.insert(0, period)
    return choices


def court_for(request: HttpRequest, courts: list[Court]) -> Court:
    """The court asked for (404 outside the user's courts), else the user's own, else the topmost."""
    by_pk = {court.pk: court for court in courts}
    court_id = request.GET.get("court", "")
    if court_id:
        if not court_id.isdigit() or int(court_id) not in by_pk:
            raise Http404
        return by_pk[int(court_id)]
    member = current_member(request.user)
    if member is not None and member.court_id in by_pk:
        return by_pk[member.court_id]
    return min(courts, key=lambda c: (c.parent_id is not None, c.parent_id or 0, c.code))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """驾驶舱: the period's highlights by name, key figures with their change, two trend charts
    and the units compared on one chosen figure."""
    # One query for the courts the user may read: the court picker, the access check and
    # whether the court uses points. The numbers come from the cache keyed by their builds.
    courts = list(
        reportable_courts(request.user).annotate(uses_points=Exists(PointsWeight.objects.filter(court=OuterRef("pk"))))
    )
    if not courts:
        raise PermissionDenied
    court = court_for(request, courts)
    period = period_from_request(request)
    with_children = request.GET.get("scope") == "tree"
    # Never a silent zero: a period never built is built now (the courts below too, whose
    # table this page shows); stale periods too when no worker runs (the embedded default).
    # One query when nothing is due. A failure leaves the page to say the numbers are missing.
    with contextlib.suppress(freshness.BuildFailed):
        freshness.ensure_fresh(court, period, with_children=True)
    numbers = dashboard_numbers(court, period, with_children=with_children)
    totals = numbers.totals
    metrics = table_metrics(points=court.uses_points)
    facts = report_facts.facts_for(court, period, with_children=with_children)

    # Units compared on one figure, chosen by GET parameters (works without JavaScript).
    unit_rows_by_kind = {**numbers.breakdowns, UnitKind.COURT: numbers.children}
    compare_kinds = [(kind, label) for kind, label in COMPARE_KINDS if kind != UnitKind.COURT or numbers.children]
    by = compare_choice(
        compare_kinds, request.GET.get("by", ""), UnitKind.COURT if numbers.children else UnitKind.DEPARTMENT
    )
    compare_metrics = [(m.key, m.label) for m in metrics]
    compare_key = compare_choice(compare_metrics, request.GET.get("compare", ""), DEFAULT_COMPARE)
    compare_metric = next(m for m in metrics if m.key == compare_key)

    build = SummaryBuild.objects.filter(court=court, period_kind=period.kind, period_start=period.start).first()
    context = {
        "court": court,
        "period": period,
        "periods": period_choices(period),
        "with_children": with_children,
        "has_children": bool(numbers.children),
        "courts": courts,
        "built_at": numbers.built_at,
        "courts_unbuilt": numbers.courts_unbuilt,
        "facts_stored": facts is not None,
        "highlights": highlights(facts),
        "kpis": kpis(totals[period], totals[period.previous()]),
        "metrics": metrics,
        "children": numbers.children,
        "compare_kinds": compare_kinds,
        "compare_metrics": compare_metrics,
        "by": by,
        "compare_metric": compare_metric,
        # The courts below are compared even when this court's own period was never built.
        "show_compare": numbers.built_at is not None
        or (by == UnitKind.COURT and any(r.values for r in numbers.children)),
        "bars": compare_bars(unit_rows_by_kind[by], compare_metric),
        "table_rows": unit_rows_by_kind[by],
        "build": build,
        # The progress bar, or a failed build's error; a finished build is said once, by "数据更新于".
        "active_build": build if build and build.status != SummaryBuild.Status.DONE else None,
        "can_rebuild": can_rebuild(request.user, court),
        "numbers_key": numbers.key,
        "cache_seconds": DASHBOARD_CACHE_SECONDS,
        "chart_data": trend_charts(totals, period.back(12)),
        "day_format": pgettext("a day in a list of events", "n/j"),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def unit_detail(request: HttpRequest, court_pk: int, unit_kind: str, unit_pk: int) -> HttpResponse:
    """Drill-down: a department, branch or study group and its members' numbers."""
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    if unit_kind not in (UnitKind.DEPARTMENT, UnitKind.BRANCH, UnitKind.GROUP):
        raise Http404
    unit = get_object_or_404(UNIT_MODELS[unit_kind].objects.filter(court=court), pk=unit_pk)
    period = period_from_request(request)
    member_of = {
        UnitKind.DEPARTMENT: "department",
        UnitKind.BRANCH: "party_branch",
        UnitKind.GROUP: "group_memberships__group",
    }[unit_kind]
    members = Member.objects.filter(court=court, is_active=True, **{member_of: unit})
    context = {
        "court": court,
        "unit": unit,
        "unit_kind": unit_kind,
        "period": period,
        "periods": period_choices(period),
        "metrics": table_metrics(points=court.points_weights.exists()),
        "unit_row": next(
            iter(unit_rows(court, period, unit_kind, UNIT_MODELS[unit_kind].objects.filter(pk=unit.pk))), None
        ),
        "rows": unit_rows(court, period, UnitKind.MEMBER, members),
    }
    return render(request, "reports/unit_detail.html", context)


@login_required
def member_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """学习档案: a member's numbers period by period."""
    member = get_object_or_404(Member.objects.select_related("court", "department"), pk=pk)
    if not can_see_profile(request.user, member):
        raise Http404
    kind = request.GET.get("kind", MONTH)
    if kind not in (MONTH, QUARTER, YEAR):
        kind = MONTH
    periods = Period.containing(kind, timezone.localdate()).back(12 if kind == MONTH else 8 if kind == QUARTER else 3)
    history = member_history(member, periods)
    metrics = member_metrics(points=member.court.points_weights.exists())
    rows = [(p, [m.value(history[p]) for m in metrics]) for p in reversed(periods)]
    return render(
        request, "reports/member_profile.html", {"member": member, "metrics": metrics, "rows": rows, "kind": kind}
    )


@login_required
@require_POST
def rebuild(request: HttpRequest, court_pk: int) -> HttpResponse:
    """重新生成: the court's period and every court below it (a city court's numbers include them)."""
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    if not can_rebuild(request.user, court):
        raise PermissionDenied
    try:
        period = Period.from_key(request.POST.get("period", ""))
    except ValueError:
        messages.error(request, _("Choose a period such as 2026-10, 2026-Q3 or 2026."))
        return redirect("reports:dashboard")
    court_ids = list(Court.objects.with_descendants(court).values_list("pk", flat=True))
    queued = fan_out(period, court_ids)
    audit(actor=request.user, action="reports.rebuild", target=court, period=period.key, queued=queued)
    # Without a worker the builds have run by now: say how they ended, not that they are under way.
    builds = list(
        SummaryBuild.objects.filter(court_id__in=court_ids, period_kind=period.kind, period_start=period.start)
    )
    failed = [b for b in builds if b.status == SummaryBuild.Status.FAILED]
    if outbox.broker_unavailable() and not outbox.tasks_run_in_process():
        # The builds are recorded (courtlearn.outbox) and go to the workers when the queue is back.
        messages.warning(
            request,
            _("The task queue cannot be reached right now: the summary for %(period)s will be rebuilt when it is back.")
            % {"period": period.label},
        )
    elif failed:
        messages.error(
            request, _("The summary for %(period)s could not be built. Try again.") % {"period": period.label}
        )
    elif builds and all(b.status == SummaryBuild.Status.DONE for b in builds):
        when = max(b.finished_at for b in builds)
        messages.success(
            request,
            _("The summary for %(period)s has been rebuilt: data updated %(when)s.")
            % {"period": period.label, "when": freshness.built_when(when)},
        )
    else:
        messages.info(request, _("The summary for %(period)s is being rebuilt.") % {"period": period.label})
    return redirect(f"{reverse('reports:dashboard')}?court={court.pk}&period={period.key}")


@login_required
def build_status(request: HttpRequest, court_pk: int) -> HttpResponse:
    """The progress bar (polled by htmx while a build is queued or running)."""
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    try:
        period = Period.from_key(request.GET.get("period", ""))
    except ValueError:
        raise Http404 from None
    build = SummaryBuild.objects.filter(court=court, period_kind=period.kind, period_start=period.start).first()
    context = {"build": build, "court": court, "period": period, "can_rebuild": can_rebuild(request.user, court)}
    return render(request, "reports/_build_status.html", context)


def _fresh_or_back(
    request: HttpRequest, court: Court, period: Period, *, with_children: bool = True
) -> HttpResponse | None:
    """Build what the file reads and is missing or behind, the courts below included (never a
    silent zero); when a build fails, back to the dashboard with the reason instead of a file."""
    try:
        freshness.ensure_fresh(court, period, with_children=with_children, stale=True, strict=True)
    except freshness.BuildFailed:
        messages.error(
            request, _("The summary for %(period)s could not be built. Try again.") % {"period": period.label}
        )
        return redirect(f"{reverse('reports:dashboard')}?court={court.pk}&period={period.key}")
    return None


@login_required
def export_xlsx(request: HttpRequest, court_pk: int) -> HttpResponse:
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    period = period_from_request(request)
    with_children = request.GET.get("scope") == "tree"
    return _fresh_or_back(request, court, period) or exports.xlsx_response(court, period, with_children=with_children)


def summary_query(period: Period, with_children: bool) -> str:
    return f"?period={period.key}" + ("&scope=tree" if with_children else "")


@login_required
def export_docx(request: HttpRequest, court_pk: int) -> HttpResponse:
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    period = period_from_request(request)
    with_children = request.GET.get("scope") == "tree"
    # The draft reads this court alone unless the courts below were asked for.
    back = _fresh_or_back(request, court, period, with_children=with_children)
    if back is not None:
        return back
    try:
        return exports.docx_response(court, period, report_template_for(court), with_children=with_children)
    except DraftUnavailable as error:
        messages.warning(request, str(error))
        return redirect(reverse("reports:summary_preview", args=[court.pk]) + summary_query(period, with_children))


@login_required
def summary_preview(request: HttpRequest, court_pk: int) -> HttpResponse:
    """情况总结: the Word draft as a page, with the download and (for organizers) the wording."""
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    period = period_from_request(request)
    with_children = request.GET.get("scope") == "tree"
    try:
        freshness.ensure_fresh(court, period, with_children=with_children, stale=True, strict=True)
        draft = draft_for(court, period, with_children=with_children)
    except (DraftUnavailable, freshness.BuildFailed):
        draft = None
    context = {
        "court": court,
        "period": period,
        "periods": period_choices(period),
        "with_children": with_children,
        "has_children": court.children.exists(),
        "draft": draft,
        "blocks": list(draft.blocks()) if draft else [],
        "query": summary_query(period, with_children),
        "can_edit": can_rebuild(request.user, court),
    }
    return render(request, "reports/summary_preview.html", context)


@login_required
def template_edit(request: HttpRequest, court_pk: int) -> HttpResponse:
    """Organizers edit the sentences of the Word summary."""
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    if not can_rebuild(request.user, court):
        raise PermissionDenied
    template = report_template_for(court)
    form = ReportTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(actor=request.user, action="reports.template_changed", target=court)
        messages.success(request, _("The summary sentences have been saved."))
        period = period_from_request(request)
        query = summary_query(period, request.GET.get("scope") == "tree")
        return redirect(reverse("reports:summary_preview", args=[court.pk]) + query)
    return render(request, "reports/template_form.html", {"court": court, "form": form, "groups": form.rows()})


@login_required
def points_edit(request: HttpRequest, court_pk: int) -> HttpResponse:
    """学习积分: the organizer sets how many points each kind of output is worth (optional)."""
    court = get_object_or_404(reportable_courts(request.user), pk=court_pk)
    if not can_rebuild(request.user, court):
        raise PermissionDenied
    current = {key: float(w) for key, w in court.points_weights.values_list("metric_key", "weight")}
    form = PointsWeightsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        points_weights_set(court=court, weights=form.weights(), actor=request.user)
        messages.success(request, _("Points weights saved. They apply from the next build of each period."))
        return redirect(f"{reverse('reports:dashboard')}?court={court.pk}")
    return render(request, "reports/points_form.html", {"court": court, "form": form})
