"""Planning a quarter (preview, then publish) and the organizer's quarter plan per group."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Department, Member, PartyBranch, StudyGroup

from ...forms.sessions import QuarterPlanForm
from ...models.sessions import Rota, Session, Speaker
from ...selectors.sessions import (
    WorkCalendar,
    can_plan,
    plan_occurrences,
    quarter_bounds,
    quarter_of,
    rota_quarter_sessions,
    rotas_with_quarter_for,
)
from ...services import sessions as services
from .common import member_or_403, require


@login_required
def plan_quarter(request: HttpRequest) -> HttpResponse:
    """Step 1 shows the form; "preview" lists the dates (and speakers); "publish" creates the sessions."""
    me = member_or_403(request)
    require(can_plan(request.user, me.court_id))
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    form = QuarterPlanForm(
        request.POST or None,
        user=request.user,
        court=me.court,
        initial={"year": year, "quarter": quarter, "frequency": "weekly", "weekday": "0", "start_time": "08:30"},
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        first, last = form.period()
        cal = WorkCalendar.load(first, last, me.court)  # the court's own holidays and 调休 days count
        occurrences = plan_occurrences(form.rule(), first, last, cal)
        unit = data["unit"]
        rota_unit = unit if data["use_rota"] else None  # a study group, party branch or department
        if request.POST.get("action") == "publish" and data["token"]:
            rota = services.rota_create(actor=me, unit=rota_unit) if rota_unit is not None else None
            try:
                recurrence = services.quarter_publish(
                    actor=me,
                    token=data["token"],
                    rule=form.rule(),
                    occurrences=occurrences,
                    first_day=first,
                    last_day=last,
                    kind=data["kind"],
                    title=data["title"],
                    unit=unit,
                    rota=rota,
                    series_plan=data["series_plan"],
                    place=data["place"],
                    is_online=data["is_online"],
                    whole_court=unit is None,
                    departments=[unit] if isinstance(unit, Department) else [],
                    branches=[unit] if isinstance(unit, PartyBranch) else [],
                )
            except services.SessionError as error:
                messages.error(request, str(error))
                return redirect("activities:sessions_list")
            count = recurrence.sessions.count()
            messages.success(
                request, _("%(n)s sessions published. Edit any one of them on its own page.") % {"n": count}
            )
            if isinstance(unit, StudyGroup):
                query = urlencode({"group": unit.pk, "year": data["year"], "quarter": data["quarter"]})
                return redirect(f"{reverse('activities:sessions_quarter')}?{query}")
            if rota is not None:
                return redirect(rota)
            return redirect("activities:sessions_list")
        turns = services.plan_turns(rota_unit, occurrences) if rota_unit is not None else None
        names = {}
        if turns:
            ids = {t.speaker for t in turns if t} | {t.reserve for t in turns if t}
            names = {m.pk: m for m in Member.objects.filter(pk__in=ids - {None})}
        rows = []
        for index, occurrence in enumerate(occurrences):
            turn = turns[index] if turns else None
            rows.append(
                {
                    "occurrence": occurrence,
                    "speaker": names.get(turn.speaker) if turn else None,
                    "reserve": names.get(turn.reserve) if turn else None,
                }
            )
        token = uuid.uuid4().hex
        form.data = form.data.copy()
        form.data["token"] = token
        preview = {
            "rows": rows,
            "count": sum(1 for o in occurrences if not o.skipped),
            "skipped": sum(1 for o in occurrences if o.skipped),
            "provisional": sorted(cal.provisional_years & {first.year, last.year}),
            "unknown_years": sorted({first.year, last.year} - cal.known_years),
            "with_rota": bool(turns),
            "unassigned": sum(1 for row in rows if turns and not row["occurrence"].skipped and row["speaker"] is None),
        }
    return render(request, "activities/sessions/plan_quarter.html", {"form": form, "preview": preview})


def _asked_quarter(request: HttpRequest) -> tuple[int, int]:
    """?year=&quarter= (this quarter when missing or nonsense)."""
    year, quarter = quarter_of(timezone.localdate())
    try:
        asked = int(request.GET.get("year", year)), int(request.GET.get("quarter", quarter))
    except ValueError:
        return year, quarter
    return asked if 2000 <= asked[0] <= 2100 and 1 <= asked[1] <= 4 else (year, quarter)


def _quarter_page(request: HttpRequest, *, sessions, year: int, quarter: int, **context) -> HttpResponse:
    first, last = quarter_bounds(year, quarter)
    if sessions is not None:
        sessions = (
            sessions.between(first, last)
            .select_related("kind", "series_item", "reserve_speaker")
            .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.select_related("member")))
            .order_by("start")
        )
    return render(
        request,
        "activities/sessions/quarter.html",
        {
            "year": year,
            "quarter": quarter,
            "sessions": sessions or [],
            "previous": (year - 1, 4) if quarter == 1 else (year, quarter - 1),
            "following": (year + 1, 1) if quarter == 4 else (year, quarter + 1),
            **context,
        },
    )


@login_required
def quarter_overview(request: HttpRequest) -> HttpResponse:
    """The organizer's view of a quarter for one group: dates, topics, speakers, reserves, status."""
    me = member_or_403(request)
    require(can_plan(request.user, me.court_id))
    year, quarter = _asked_quarter(request)
    groups = StudyGroup.objects.filter(court=me.court)
    group = None
    group_id = request.GET.get("group", "")
    if group_id.isdigit():
        group = groups.filter(pk=int(group_id)).first()
    if group is None:
        group = groups.filter(rota__isnull=False).first() or groups.first()
    sessions = Session.objects.filter(court=me.court).for_group(group) if group is not None else None
    return _quarter_page(
        request,
        sessions=sessions,
        year=year,
        quarter=quarter,
        groups=groups,
        group=group,
        unit_name=group.name if group else "",
        unit_query=f"group={group.pk}&" if group else "",
    )


@login_required
def rota_quarter(request: HttpRequest, pk: int) -> HttpResponse:
    """The quarter view of any rota's unit (a study group, a party branch, a department).

    Who runs the rota sees it: the court's organizers, an organizer limited to the rota's branch
    or department, and the unit's leader; for a study group open to the courts below, also the
    organizers and leaders of those courts, who see their own court's sessions only. Others who
    see the rota page get 403.
    """
    rota = get_object_or_404(rotas_with_quarter_for(request.user).with_unit(), pk=pk)
    sessions = rota_quarter_sessions(request.user, rota)
    require(sessions is not None)
    year, quarter = _asked_quarter(request)
    return _quarter_page(
        request,
        sessions=sessions,
        year=year,
        quarter=quarter,
        rota=rota,
        unit_name=rota.unit_name,
        rota_page=Rota.objects.visible_to(request.user).filter(pk=rota.pk).exists(),
    )
