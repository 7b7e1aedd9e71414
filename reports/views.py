"""Leader dashboards. The summaries behind them arrive with the reports issue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.access import leader_required, visible_courts


@login_required
@leader_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """看板: the courts this leader reads. Figures come from summaries (reports issue)."""
    return render(request, "reports/dashboard.html", {"courts": visible_courts(request.user)})
