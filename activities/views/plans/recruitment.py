"""Study-group recruitment (研习小组招募): batches, applications, selection, squads, outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import visible_courts
from members.models import Member, StudyGroup

from ...forms.plans import (
    ApplicationForm,
    DecisionForm,
    OutcomeForm,
    RecruitmentBatchForm,
    SquadFormationForm,
    SquadLeaderForm,
    SquadMoveForm,
)
from ...models.plans import Application, MemberOutcome, RecruitmentBatch
from ...selectors import plans as select
from ...services import plans as services
from ._common import PAGE_SIZE, chosen_court, error_message, form_errors_message, require_member, today


def _batch_for(request: HttpRequest, pk: int, *, manage: bool = False) -> RecruitmentBatch:
    batch = get_object_or_404(RecruitmentBatch.objects.visible_to(request.user).select_related("group__court"), pk=pk)
    if manage and not select.can_manage_recruitment(request.user, batch.group.court_id):
        raise PermissionDenied
    return batch


@login_required
def recruitment_list(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    court = chosen_court(request, me)
    # A court's own batches and those of groups of the courts above open to it (两级法院).
    batches = RecruitmentBatch.objects.for_court(court).select_related("group__court").order_by("-opens_on", "-number")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = dict(
        Application.objects.filter(member=me, batch__in=list(page.object_list)).values_list("batch_id", "status")
    )
    labels = dict(Application.Status.choices)
    rows = [(batch, labels.get(mine.get(batch.pk), "")) for batch in page.object_list]
    return render(
        request,
        "activities/plans/recruitment_list.html",
        {
            "page": page,
            "rows": rows,
            "court": court,
            "courts": visible_courts(request.user),
            "today": today(timezone.now()),
            "can_manage": select.can_manage_recruitment(request.user, court),
        },
    )


@login_required
def recruitment_create(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    if not select.can_manage_recruitment(request.user, me.court):
        raise PermissionDenied
    groups = StudyGroup.objects.filter(court=me.court, kind=StudyGroup.Kind.RESEARCH)
    form = RecruitmentBatchForm(request.POST or None, groups=groups, courts_below=me.court.children.exists())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_create(
                actor=me,
                group=data["group"],
                new_group=data["new_group"],
                criteria=data["criteria"],
                capacity=data["capacity"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                spans_courts_below=True if data.get("spans_courts_below") else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(batch)s is open for applications.") % {"batch": batch.label})
            return redirect(batch)
    return render(request, "activities/plans/recruitment_form.html", {"form": form})


@login_required
def recruitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk, manage=True)
    me = require_member(request)
    form = RecruitmentBatchForm(
        request.POST or None,
        instance=RecruitmentBatch.objects.select_related("group").get(pk=batch.pk),
        courts_below=batch.group.spans_courts_below or batch.group.court.children.exists(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(
                batch=batch,
                actor=me,
                spans_courts_below=form.cleaned_data.get("spans_courts_below"),
                **{k: form.cleaned_data[k] for k in ("criteria", "capacity", "opens_on", "closes_on")},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(batch)
    return render(request, "activities/plans/recruitment_form.html", {"form": form, "batch": batch})


@login_required
def recruitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    me = require_member(request)
    now = timezone.now()
    mine = Application.objects.filter(batch=batch, member=me).first()
    is_open = batch.is_open(today(now))
    can_manage = select.can_manage_recruitment(request.user, batch.group.court_id)
    people = select.batch_people(request.user, batch)
    outcomes = batch.outcomes.select_related("member").order_by("-date")
    if people is not None:
        outcomes = outcomes.filter(member__in=people)
    return render(
        request,
        "activities/plans/recruitment_detail.html",
        {
            "batch": batch,
            "summary": select.batch_summary(batch),
            "per_court": select.batch_courts(batch, people),
            "mine": mine,
            "is_open": is_open,
            "apply_form": ApplicationForm()
            if is_open and mine is None and batch.group.takes_members_of(me.court)
            else None,
            "can_manage": can_manage,
            "can_read_applications": select.can_read_applications(request.user, batch),
            "squad_form": SquadFormationForm() if can_manage else None,
            "squads": select.squads_of(batch, people) if batch.squads_formed_at else [],
            "readable_courts": select.readable_court_ids(request.user),
            "outcomes": outcomes[:20],
        },
    )


@login_required
@require_POST
def recruitment_apply(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    me = require_member(request)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.application_submit(
                batch=batch, member=me, statement=form.cleaned_data["statement"], today=today(timezone.now())
            )
            messages.success(request, _("Your application is in. You will be told the decision."))
        except ValidationError as error:
            error_message(request, error)
    else:
        form_errors_message(request, form)
    return redirect(batch)


@login_required
@require_POST
def recruitment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    me = require_member(request)
    application = get_object_or_404(Application.objects.filter(batch=batch, member=me))
    try:
        services.application_withdraw(application=application, today=today(timezone.now()))
        messages.success(request, _("Your application is withdrawn."))
    except ValidationError as error:
        error_message(request, error)
    return redirect(batch)


@login_required
def recruitment_applications(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    if not select.can_read_applications(request.user, batch):
        raise PermissionDenied
    applications = batch.applications.select_related("member__department", "member__court").order_by("created_at", "pk")
    people = select.batch_people(request.user, batch)
    if people is not None:  # a court below reads its own people only
        applications = applications.filter(member__in=people)
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/plans/recruitment_applications.html",
        {
            "batch": batch,
            "page": page,
            "status": status,
            "statuses": Application.Status.choices,
            "summary": select.batch_summary(batch),
            "per_court": select.batch_courts(batch, people),
            "readable_courts": select.readable_court_ids(request.user),
            "can_manage": select.can_manage_recruitment(request.user, batch.group.court_id),
        },
    )


@login_required
@require_POST
def recruitment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.filter(batch__in=RecruitmentBatch.objects.visible_to(request.user)).select_related(
            "batch__group", "member"
        ),
        pk=pk,
    )
    if not select.can_manage_recruitment(request.user, application.batch.group.court_id):
        people = select.batch_people(request.user, application.batch)
        if people is not None and not people.filter(pk=application.member_id).exists():
            raise Http404  # a sibling court's applicant does not exist for a court below
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(
                application=application,
                actor=require_member(request),
                status=form.cleaned_data["status"],
                now=timezone.now(),
            )
        except ValidationError as error:
            error_message(request, error)
    else:
        messages.error(request, _("Unknown decision."))
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(url)
    return redirect("activities:recruitment_applications", application.batch_id)


@login_required
@require_POST
def recruitment_form_squads(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk, manage=True)
    form = SquadFormationForm(request.POST)
    if form.is_valid():
        try:
            squads = services.squads_form(
                batch=batch,
                actor=require_member(request),
                squad_count=form.cleaned_data["squad_count"],
                replace=form.cleaned_data["replace"],
                now=timezone.now(),
            )
        except ValidationError as error:
            error_message(request, error)
            return redirect(batch)
        messages.success(request, _("%(n)s squads formed. Adjust them below if needed.") % {"n": len(squads)})
        return redirect("activities:recruitment_squads", batch.pk)
    form_errors_message(request, form)
    return redirect(batch)


def _squad_members(batch: RecruitmentBatch):
    return Member.objects.filter(group_memberships__group__batch_squad__batch=batch).order_by("name")


def _batch_squads(batch: RecruitmentBatch):
    return StudyGroup.objects.filter(batch_squad__batch=batch).order_by("batch_squad__position")


@login_required
def recruitment_squads(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    can_manage = select.can_manage_recruitment(request.user, batch.group.court_id)
    squads = select.squads_of(batch, select.batch_people(request.user, batch))
    return render(
        request,
        "activities/plans/recruitment_squads.html",
        {
            "batch": batch,
            "squads": squads,
            "readable_courts": select.readable_court_ids(request.user),
            "can_manage": can_manage,
            "move_form": SquadMoveForm(members=_squad_members(batch), squads=_batch_squads(batch))
            if can_manage and squads
            else None,
        },
    )


@login_required
@require_POST
def recruitment_squad_move(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk, manage=True)
    form = SquadMoveForm(request.POST, members=_squad_members(batch), squads=_batch_squads(batch))
    if form.is_valid():
        try:
            services.squad_move_member(
                batch=batch,
                member=form.cleaned_data["member"],
                to=form.cleaned_data["squad"],
                actor=require_member(request),
            )
            messages.success(request, _("Moved."))
        except ValidationError as error:
            error_message(request, error)
    else:
        form_errors_message(request, form)
    return redirect("activities:recruitment_squads", batch.pk)


@login_required
@require_POST
def recruitment_squad_leader(request: HttpRequest, pk: int) -> HttpResponse:
    squad = get_object_or_404(
        StudyGroup.objects.filter(
            batch_squad__batch__in=RecruitmentBatch.objects.visible_to(request.user)
        ).select_related("batch_squad__batch"),
        pk=pk,
    )
    batch = squad.batch_squad.batch
    if not select.can_manage_recruitment(request.user, squad.court_id):
        raise PermissionDenied
    form = SquadLeaderForm(request.POST, members=Member.objects.filter(group_memberships__group=squad))
    if form.is_valid():
        try:
            services.squad_set_leader(squad=squad, member=form.cleaned_data["member"], actor=require_member(request))
            messages.success(request, _("Squad leader set."))
        except ValidationError as error:
            error_message(request, error)
    else:
        form_errors_message(request, form)
    return redirect("activities:recruitment_squads", batch.pk)


@login_required
def outcome_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    """Record what became of a member (e.g. promoted to a middle-management post)."""
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=member_pk)
    if not select.can_manage_member(request.user, member):
        raise PermissionDenied
    me = require_member(request)
    now = timezone.now()
    batches = RecruitmentBatch.objects.for_court(member.court).select_related("group")
    form = OutcomeForm(request.POST or None, batches=batches, today=today(now))
    if request.method == "POST" and form.is_valid():
        services.outcome_record(actor=me, member=member, **form.cleaned_data)
        messages.success(request, _("The outcome is on %(name)s's record.") % {"name": member.name})
        return redirect(member)
    return render(request, "activities/plans/outcome_form.html", {"form": form, "member": member})


@login_required
@require_POST
def outcome_delete(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(MemberOutcome.objects.visible_to(request.user).select_related("member"), pk=pk)
    if not select.can_manage_member(request.user, outcome.member):
        raise PermissionDenied
    services.outcome_delete(outcome=outcome, actor=require_member(request))
    messages.success(request, _("Removed."))
    return redirect(outcome.member)
