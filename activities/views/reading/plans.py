"""读书计划: a member's plan for one campaign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...forms.reading import PlanItemForm
from ...models.reading import ReadingCampaign, ReadingPlanItem, month_start
from ...selectors.reading import member_progress, plan_items
from ...services import reading as services
from .common import add_service_errors, get_id, require_member


@login_required
def reading_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """My reading plan in a campaign: the books with target months, progress, and adding a book."""
    member = require_member(request)
    campaign = get_object_or_404(ReadingCampaign.objects.visible_to(request.user), pk=pk)
    if not campaign.includes(member):
        raise PermissionDenied  # e.g. an organizer looking at a campaign meant for other departments
    today = timezone.localdate()
    default_month = min(max(month_start(today), month_start(campaign.starts_on)), month_start(campaign.ends_on))
    picked = get_id(request, "book")
    form = PlanItemForm(
        request.POST if request.method == "POST" else None,
        member=member,
        campaign=campaign,
        include=[picked] if picked else [],
        initial={"book": picked, "target_month": default_month},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.reading_plan_add_item(member=member, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(book)s is in your plan for %(month)s.")
                % {
                    "book": item.book,
                    "month": f"{item.target_month:%Y-%m}",
                },
            )
            return redirect("activities:reading_plan", pk=campaign.pk)
    return render(
        request,
        "activities/reading/plan.html",
        {
            "campaign": campaign,
            "items": plan_items(member, campaign),
            "progress": member_progress(member, campaign, today=today),
            "form": form,
            "editable": campaign.status == ReadingCampaign.Status.ACTIVE,
        },
    )


@login_required
@require_POST
def reading_plan_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_member(request)
    item = get_object_or_404(
        ReadingPlanItem.objects.select_related("plan__campaign", "book"), pk=pk, plan__member=member
    )
    try:
        services.reading_plan_remove_item(member=member, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(book)s was taken out of your plan.") % {"book": item.book})
    return redirect("activities:reading_plan", pk=item.plan.campaign_id)
