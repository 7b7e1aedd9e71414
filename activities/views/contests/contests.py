"""Contests: list, set-up, phases, entries, votes, receipts, paper ballots and results."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn import xlsx
from courtlearn.uploads import protected_file_response
from members.access import current_member, organizer_required

from ...forms.contests import ContestForm, EntryForm, PaperBallotForm
from ...models import Award, Contest, Entry, Vote
from ...models.originality import TextKind
from ...selectors.contests import (
    contest_standings,
    criteria_total,
    eligible_voters,
    for_audience_member,
    has_entered,
    in_audience,
    judging_progress,
    manages,
    own_units,
    vote_refusal,
    votes_left,
)
from ...selectors.originality import can_see_originality, originality_report
from ...services.contests import ActionRefused
from ...services.contests.contest import (
    contest_close_voting,
    contest_create,
    contest_set_phase,
    contest_update,
    entry_create,
    entry_delete,
    entry_editable_by,
    entry_update,
)
from ...services.contests.results import results_table
from ...services.contests.voting import AlreadyVoted, paper_ballot_record, vote_cast
from .common import acting_member, client_ip, is_staff_of, manager_for, paginate

RECEIPT_CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")


def visible_contest(request: HttpRequest, pk: int) -> Contest:
    return get_object_or_404(Contest.objects.visible_to(request.user).select_related("court", "session"), pk=pk)


@login_required
def contest_list(request: HttpRequest) -> HttpResponse:
    contests = (
        Contest.objects.visible_to(request.user)
        .select_related("court")
        .annotate(n_entries=Count("entries", distinct=True))
        .order_by("-created_at")
    )
    show = request.GET.get("show", "")
    me = current_member(request.user)
    now = timezone.now()
    if show == "mine" and me is not None:
        contests = for_audience_member(contests, me)
    elif show == "voting":
        contests = contests.filter(
            phase=Contest.Phase.JUDGING, voting_enabled=True, vote_opens_at__lte=now, vote_closes_at__gt=now
        )
    elif show == "published":
        contests = contests.filter(phase=Contest.Phase.PUBLISHED)
    page = paginate(request, contests)
    return render(
        request,
        "activities/contests/contest_list.html",
        {"page": page, "show": show, "now": now, "can_create": bool(me and me.is_organizer)},
    )


@login_required
@organizer_required
def contest_create_view(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = ContestForm(request.POST or None, court=member.court)
    if request.method == "POST" and form.is_valid():
        audience = form.audience()
        contest = contest_create(actor=member, court=member.court, fields=form.fields_for_service(), **audience)
        messages.success(request, _("The contest is created. Add entries, then open it."))
        return redirect(contest)
    return render(
        request, "activities/contests/form_page.html", {"form": form, "title": _("New contest"), "multipart": False}
    )


@login_required
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    me = current_member(request.user)
    now = timezone.now()
    organizer = manages(request.user, contest)
    staff = organizer or is_staff_of(request.user, contest.court_id)
    tally_visible = staff or contest.tally_is_public(now)
    entries = (
        Entry.objects.visible_to(request.user)
        .filter(contest=contest)
        .select_related("member", "member__department", "branch", "department", "group")
        .annotate(n_votes=Count("votes"))
        .order_by("number")
    )
    my_votes = list(Vote.objects.filter(contest=contest, voter=me).select_related("entry")) if me else []
    refusal = vote_refusal(contest, me, now) if contest.voting_enabled else ""
    awards = []
    if contest.phase == Contest.Phase.PUBLISHED or organizer:
        awards = sorted(
            Award.objects.filter(contest=contest).select_related(
                "entry__member", "entry__member__department", "entry__branch", "entry__department", "entry__group"
            ),
            key=lambda a: (a.rank, a.entry.number),
        )
    is_judge = bool(me) and contest.judging_enabled and contest.judges.filter(pk=me.pk).exists()
    context = {
        "contest": contest,
        "entries": entries,
        "me": me,
        "now": now,
        "organizer": organizer,
        "staff": staff,
        "tally_visible": tally_visible,
        "my_votes": my_votes,
        "my_voted_entry_ids": {vote.entry_id for vote in my_votes},
        "votes_left": votes_left(contest, me) if me and contest.voting_enabled else 0,
        "can_vote": contest.voting_enabled and not refusal,
        "voting_open": contest.is_voting_open(now),
        "vote_refusal": refusal,
        "awards": awards,
        "is_judge": is_judge,
        "can_enter": contest.accepts_entries
        and me is not None
        and in_audience(contest, me)
        and (not contest.entries_by_unit or bool(own_units(contest, me))),
        "has_entry": has_entered(contest, me),
        "next_phase": contest.next_phase(),
        "progress": judging_progress(contest) if organizer and contest.judging_enabled else None,
        "results_visible": staff or contest.phase == Contest.Phase.PUBLISHED or contest.tally_is_public(now),
    }
    return render(request, "activities/contests/contest_detail.html", context)


@login_required
def contest_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    form = ContestForm(request.POST or None, instance=contest, court=contest.court)
    if request.method == "POST" and form.is_valid():
        audience = form.audience()
        try:
            contest_update(
                actor=member, contest=Contest.objects.get(pk=contest.pk), fields=form.fields_for_service(), **audience
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The contest is saved."))
            return redirect(contest)
    return render(
        request,
        "activities/contests/form_page.html",
        {"form": form, "title": _("Edit contest"), "back": contest.get_absolute_url(), "object": contest},
    )


@login_required
@require_POST
def contest_phase(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    phase = request.POST.get("phase", "")
    if phase not in Contest.Phase.values:
        messages.error(request, _("Unknown phase."))
        return redirect(contest)
    try:
        contest_set_phase(actor=member, contest=contest, phase=phase, now=timezone.now())
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The contest is now: %(phase)s.") % {"phase": Contest.Phase(phase).label})
    return redirect(contest)


@login_required
@require_POST
def contest_close_voting_view(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    try:
        contest_close_voting(actor=member, contest=contest, now=timezone.now())
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Voting is closed."))
    return redirect(contest)


# ---------------------------------------------------------------------------------------------
# Entries


def visible_entry(request: HttpRequest, pk: int) -> Entry:
    return get_object_or_404(
        Entry.objects.visible_to(request.user).select_related(
            "contest__court", "member", "department", "branch", "group", "session"
        ),
        pk=pk,
    )


@login_required
def entry_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = acting_member(request)
    organizer = manages(request.user, contest)
    if not organizer and not (contest.accepts_entries and in_audience(contest, member)):
        raise PermissionDenied
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        court=contest.court,
        choose_member=organizer,
        unit_kind=contest.unit_kind if contest.entries_by_unit else None,
        own_units=own_units(contest, member) if contest.entries_by_unit and not organizer else (),
    )
    if request.method == "POST" and form.is_valid():
        entrant = form.cleaned_data.get("member", member)
        try:
            entry = entry_create(
                actor=member,
                contest=contest,
                member=entrant,
                unit=form.cleaned_data.get("unit"),
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                file=form.cleaned_data.get("file"),
                by_organizer=organizer,
                session=form.cleaned_data.get("session"),
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Entry %(n)s is saved.") % {"n": entry.number})
            return redirect(contest if organizer else entry)
    return render(
        request,
        "activities/contests/form_page.html",
        {
            "form": form,
            "title": _("New entry"),
            "subtitle": contest.title,
            "back": contest.get_absolute_url(),
            "multipart": True,
        },
    )


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    me = current_member(request.user)
    organizer = manages(request.user, entry.contest)
    reviewer = can_see_originality(request.user, court_id=entry.contest.court_id, author_id=entry.member_id)
    return render(
        request,
        "activities/contests/entry_detail.html",
        {
            "originality": originality_report(request.user, kind=TextKind.ENTRY, object_id=entry.pk)
            if reviewer and entry.text
            else None,
            "entry": entry,
            "contest": entry.contest,
            "can_edit": entry_editable_by(entry, me, is_organizer=organizer),
            "organizer": organizer,
            "unit": entry.entrant_unit or entry.unit_for(entry.contest.unit_kind),
        },
    )


@login_required
def entry_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    member = acting_member(request)
    if not entry_editable_by(entry, member, is_organizer=manages(request.user, entry.contest)):
        raise PermissionDenied
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        initial={"title": entry.title, "text": entry.text, "session": entry.session_id},
        court=entry.contest.court,
        editing=True,
        unit_kind=entry.contest.unit_kind if entry.by_unit else None,
    )
    if request.method == "POST" and form.is_valid():
        entry_update(
            actor=member,
            entry=entry,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            file=form.cleaned_data.get("file"),
            clear_file=form.cleaned_data.get("clear_file", False),
            session=form.cleaned_data.get("session"),
        )
        messages.success(request, _("The entry is saved."))
        return redirect(entry)
    return render(
        request,
        "activities/contests/form_page.html",
        {
            "form": form,
            "title": _("Edit entry"),
            "subtitle": entry.contest.title,
            "back": entry.get_absolute_url(),
            "multipart": True,
        },
    )


@login_required
@require_POST
def entry_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    member = acting_member(request)
    if not entry_editable_by(entry, member, is_organizer=manages(request.user, entry.contest)):
        raise PermissionDenied
    try:
        entry_delete(actor=member, entry=entry)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(entry)
    messages.success(request, _("The entry is removed."))
    return redirect(entry.contest)


@login_required
def entry_file(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    return protected_file_response(entry.file, download_name=entry.file_name)


# ---------------------------------------------------------------------------------------------
# Votes


@login_required
@require_POST
def contest_vote(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = acting_member(request)
    if not contest.voting_enabled or not eligible_voters(contest).filter(pk=member.pk).exists():
        raise PermissionDenied
    entry_id = request.POST.get("entry", "")
    entry = contest.entries.filter(pk=int(entry_id)).first() if entry_id.isdigit() else None
    if entry is None:
        messages.error(request, _("Choose an entry to vote for."))
        return redirect(contest)
    try:
        vote = vote_cast(contest=contest, voter=member, entry=entry, now=timezone.now(), ip=client_ip(request))
    except AlreadyVoted as exc:
        messages.info(request, exc.message)
        return redirect("activities:vote_receipt", contest.pk, exc.vote.receipt)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(contest)
    messages.success(request, _("Your vote is in. Keep your receipt: %(code)s") % {"code": vote.receipt})
    return redirect("activities:vote_receipt", contest.pk, vote.receipt)


@login_required
def vote_receipt(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A voter's receipt: only the voter (and the contest's organizers) can open it."""
    contest = visible_contest(request, pk)
    if not RECEIPT_CODE.fullmatch(code.upper()):
        raise Http404
    me = current_member(request.user)
    votes = Vote.objects.filter(contest=contest, receipt=code.upper()).select_related("entry", "voter", "entered_by")
    if not manages(request.user, contest):
        votes = votes.filter(voter=me) if me else votes.none()
    vote = votes.first()
    if vote is None:
        raise Http404
    return render(
        request,
        "activities/contests/vote_receipt.html",
        {
            "contest": contest,
            "vote": vote,
            "votes_left": votes_left(contest, vote.voter),
            "now": timezone.now(),
            "own": me is not None and vote.voter_id == me.pk,
        },
    )


@login_required
def contest_paper_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    member = manager_for(request, contest)
    form = PaperBallotForm(request.POST or None, contest=contest, voters=eligible_voters(contest))
    if request.method == "POST" and form.is_valid():
        try:
            votes = paper_ballot_record(
                contest=contest,
                voter=form.cleaned_data["voter"],
                entries=list(form.cleaned_data["entries"]),
                entered_by=member,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
                ip=client_ip(request),
            )
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Paper ballot of %(name)s entered: %(codes)s")
                % {"name": form.cleaned_data["voter"].name, "codes": "、".join(v.receipt for v in votes)},
            )
            return redirect("activities:contest_paper_ballot", contest.pk)
    recent = (
        Vote.objects.filter(contest=contest, source=Vote.Source.PAPER)
        .select_related("voter", "entry", "entered_by")
        .order_by("-created_at")[:50]
    )
    return render(
        request, "activities/contests/paper_ballot.html", {"contest": contest, "form": form, "recent": recent}
    )


# ---------------------------------------------------------------------------------------------
# Results


def _results_allowed(request: HttpRequest, contest: Contest) -> bool:
    # Published results are everyone's, also where judges alone decide (there is no tally to wait for).
    return (
        is_staff_of(request.user, contest.court_id)
        or contest.phase == Contest.Phase.PUBLISHED
        or contest.tally_is_public(timezone.now())
    )


@login_required
def contest_results(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    if not _results_allowed(request, contest):
        raise PermissionDenied
    staff = is_staff_of(request.user, contest.court_id)
    standings = contest_standings(contest)
    return render(
        request,
        "activities/contests/contest_results.html",
        {
            "contest": contest,
            "standings": standings,
            "staff": staff,
            # Members see the judges' side and the final ranking once the results are published.
            "show_judges": contest.judging_enabled and (staff or contest.phase == Contest.Phase.PUBLISHED),
            "show_final": staff or contest.phase == Contest.Phase.PUBLISHED,
            "full_marks": criteria_total(contest) if contest.judging_enabled else 0,
            "live": contest.voting_enabled and not contest.is_voting_over(timezone.now()),
            "progress": judging_progress(contest) if staff and contest.judging_enabled else None,
        },
    )


@login_required
def contest_results_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    if not is_staff_of(request.user, contest.court_id):
        raise PermissionDenied
    headers, rows = results_table(contest, contest_standings(contest))
    workbook = xlsx.new_workbook()
    xlsx.add_sheet(workbook, _("Results"), headers, rows)
    return xlsx.xlsx_response(workbook, f"{contest.title}-{_('Results')}.xlsx")
