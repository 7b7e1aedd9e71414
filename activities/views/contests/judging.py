"""Judging: criteria, the judges' panel and assignment, scoring; awards and certificates."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from members.access import current_member, is_leader_of, is_organizer_of

from ...forms.awards import AwardManyForm, select_entries
from ...forms.contests import AwardForm, AwardsFromRankingForm, CriteriaForm, JudgesForm, ScoreForm
from ...models import Award, Contest, JudgeAssignment, Score
from ...selectors.contests import contest_standings, forum_star_candidate
from ...services.contests import ActionRefused
from ...services.contests.awards import (
    CertificateFontMissing,
    award_certificate_render,
    award_create,
    award_delete,
    awards_from_standings,
    awards_give_many,
    certificate_pdf,
)
from ...services.contests.contest import contest_set_criteria
from ...services.contests.judging import assignment_score, contest_assign_judges, contest_set_judges
from ...services.contests.results import ranking_note
from ..plans._common import form_errors_message
from .common import acting_member, manager_for
from .contests import visible_contest


@login_required
def contest_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    current = "\n".join(f"{c.name} {c.max_points}" for c in contest.criteria.all())
    form = CriteriaForm(request.POST or None, initial={"criteria": current or "内容 40\n表达 30\n仪态 20\n时间 10"})
    if request.method == "POST" and form.is_valid():
        try:
            contest_set_criteria(actor=member, contest=contest, criteria=form.cleaned_data["criteria"])
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The judging criteria are saved."))
            return redirect("activities:contest_judges", contest.pk)
    return render(
        request,
        "activities/contests/form_page.html",
        {"form": form, "title": _("Judging criteria"), "subtitle": contest.title, "back": contest.get_absolute_url()},
    )


@login_required
def contest_judges(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    form = JudgesForm(request.POST or None, court=contest.court, initial={"judges": list(contest.judges.all())})
    if request.method == "POST" and form.is_valid():
        try:
            contest_set_judges(actor=member, contest=contest, judges=list(form.cleaned_data["judges"]))
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The judges' panel is saved. Now assign the entries."))
            return redirect("activities:contest_judges", contest.pk)
    judges = list(
        contest.judges.select_related("department", "party_branch")
        .prefetch_related(*(["study_groups"] if contest.unit_kind == Contest.UnitKind.GROUP else []))
        .annotate(
            load=Count("judge_tasks", filter=Q(judge_tasks__contest=contest), distinct=True),
            done=Count(
                "judge_tasks",
                filter=Q(judge_tasks__contest=contest, judge_tasks__submitted_at__isnull=False),
                distinct=True,
            ),
        )
    )
    assignments = (
        JudgeAssignment.objects.filter(contest=contest)
        .select_related("entry", "entry__member", "entry__department", "entry__branch", "entry__group", "judge")
        .order_by("entry__number", "judge__name")
    )
    by_entry: dict[int, dict] = {}
    for assignment in assignments:
        row = by_entry.setdefault(assignment.entry_id, {"entry": assignment.entry, "judges": []})
        row["judges"].append(assignment)
    return render(
        request,
        "activities/contests/contest_judges.html",
        {
            "contest": contest,
            "form": form,
            "judges": judges,
            "rows": list(by_entry.values()),
            "criteria": list(contest.criteria.all()),
            "unit_label": Contest.UnitKind(contest.unit_kind).label,
        },
    )


@login_required
@require_POST
def contest_assign(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    try:
        plan = contest_assign_judges(actor=member, contest=contest)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        if plan.balanced:
            messages.success(request, _("Entries are assigned; every judge has an even share."))
        else:
            messages.warning(
                request,
                _(
                    "Entries are assigned, but the units do not allow even shares: the largest share is as small as possible."
                ),
            )
    return redirect("activities:contest_judges", contest.pk)


@login_required
def judge_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    me = acting_member(request)
    if not contest.judges.filter(pk=me.pk).exists():
        raise PermissionDenied
    tasks = (
        JudgeAssignment.objects.filter(contest=contest, judge=me)
        .select_related("entry", "entry__member", "entry__branch", "entry__department", "entry__group")
        .annotate(total=Sum("scores__points"))
        .order_by("entry__number")
    )
    return render(request, "activities/contests/judge_tasks.html", {"contest": contest, "tasks": tasks})


@login_required
def assignment_score_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        JudgeAssignment.objects.filter(contest__in=Contest.objects.visible_to(request.user)).select_related(
            "contest__court", "entry__member", "entry__branch", "entry__department", "entry__group", "judge"
        ),
        pk=pk,
    )
    me = acting_member(request)
    if assignment.judge_id != me.pk:
        raise PermissionDenied
    contest = assignment.contest
    criteria = list(contest.criteria.all())
    existing = {s.criterion_id: s.points for s in Score.objects.filter(assignment=assignment)}
    form = ScoreForm(
        request.POST or None, criteria=criteria, initial_points=existing, initial={"remark": assignment.remark}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment_score(
                judge=me,
                assignment=assignment,
                points=form.points(),
                remark=form.cleaned_data["remark"],
                now=timezone.now(),
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your scores for entry %(n)s are saved.") % {"n": assignment.entry.number})
            return redirect("activities:judge_tasks", contest.pk)
    return render(
        request,
        "activities/contests/assignment_score.html",
        {
            "assignment": assignment,
            "contest": contest,
            "entry": assignment.entry,
            "form": form,
            "open": contest.phase == Contest.Phase.JUDGING,
        },
    )


# ---------------------------------------------------------------------------------------------
# Awards


@login_required
def contest_awards(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    action = request.POST.get("action") if request.method == "POST" else None
    award_form = AwardForm(request.POST if action == "one" else None, contest=contest)
    ranking_form = AwardsFromRankingForm(request.POST if action == "ranking" else None, contest=contest)
    try:
        if action == "one" and award_form.is_valid():
            award_create(
                actor=member,
                contest=contest,
                entry=award_form.cleaned_data["entry"],
                kind=award_form.cleaned_data["kind"],
                custom_name=award_form.cleaned_data.get("custom_name", ""),
            )
            messages.success(request, _("The award is given."))
            return redirect("activities:contest_awards", contest.pk)
        if action == "ranking" and ranking_form.is_valid():
            given = awards_from_standings(actor=member, contest=contest, **ranking_form.cleaned_data)
            messages.success(request, _("%(n)s awards given down the ranking.") % {"n": len(given)})
            return redirect("activities:contest_awards", contest.pk)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    standings = contest_standings(contest)
    awards = sorted(
        Award.objects.filter(contest=contest).select_related(
            "entry__member", "entry__branch", "entry__department", "entry__group"
        ),
        key=lambda a: (a.rank, a.entry.number),
    )
    return render(
        request,
        "activities/contests/contest_awards.html",
        {
            "contest": contest,
            "award_form": award_form,
            "ranking_form": ranking_form,
            "awards": awards,
            "ranking": [(s, ranking_note(contest, s)) for s in standings[:10]],
            "star": forum_star_candidate(contest, standings) if contest.voting_enabled else None,
            "many_form": AwardManyForm(contest=contest),
            "entries": _award_candidates(contest).prefetch_related("awards"),
        },
    )


def _award_candidates(contest: Contest):
    return contest.entries.select_related("member", "branch", "department", "group").order_by("number")


@login_required
@require_POST
def awards_give_many_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One award to every ticked, listed or pasted entry, in one action (awards page)."""
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    form = AwardManyForm(request.POST, contest=contest)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect("activities:contest_awards", contest.pk)
    selection = select_entries(form, candidates=_award_candidates(contest))
    for line in selection.problems:
        messages.warning(request, line)
    if not selection.chosen:
        return redirect("activities:contest_awards", contest.pk)
    try:
        result = awards_give_many(
            actor=member,
            contest=contest,
            entries=selection.chosen,
            kind=form.cleaned_data["kind"],
            custom_name=form.cleaned_data.get("custom_name", ""),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect("activities:contest_awards", contest.pk)
    if result.given:
        n = len(result.given)
        messages.success(
            request,
            ngettext("%(award)s given to %(n)s entry.", "%(award)s given to %(n)s entries.", n)
            % {"award": result.given[0].name, "n": n},
        )
    if result.already:
        messages.warning(
            request,
            _("These entries hold this award already and were left as they are: %(entries)s.")
            % {"entries": "、".join(f"{e.number}. {e.entrant_name}" for e in result.already)},
        )
    return redirect("activities:contest_awards", contest.pk)


@login_required
@require_POST
def award_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_object_or_404(Award.objects.visible_to(request.user).select_related("contest"), pk=pk)
    member = manager_for(request, award.contest)
    award_delete(actor=member, award=award)
    messages.success(request, _("The award is removed."))
    return redirect("activities:contest_awards", award.contest_id)


@login_required
def award_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate for the winner, the court's organizers and its leaders; PNG, or PDF with ?format=pdf."""
    award = get_object_or_404(
        Award.objects.visible_to(request.user).select_related(
            "contest__court", "entry__member", "entry__branch", "entry__department", "entry__group"
        ),
        pk=pk,
    )
    me = current_member(request.user)
    court_id = award.contest.court_id
    allowed = (
        (me is not None and award.entry.member_id == me.pk)
        or is_organizer_of(request.user, court_id)
        or is_leader_of(request.user, court_id)
    )
    if not allowed:
        raise PermissionDenied
    if not award.certificate:
        # Not drawn yet (the worker is behind or down): draw it now; it is the same drawing either way.
        try:
            award = award_certificate_render(award_id=award.pk)
        except CertificateFontMissing as exc:
            messages.error(request, _("The certificate cannot be drawn: %(reason)s") % {"reason": exc})
            return redirect(award.contest)
    name = f"{award.contest.title}-{award.name}-{award.entry.entrant_name}"
    if request.GET.get("format") == "pdf":
        with award.certificate.open("rb") as handle:
            pdf = certificate_pdf(handle.read())
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name + '.pdf')}"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return protected_file_response(award.certificate, download_name=f"{name}.png")
