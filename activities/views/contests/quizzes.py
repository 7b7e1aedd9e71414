"""Micro-quizzes: rounds, taking a timed attempt, results with explanations, statistics and rankings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import current_member, organizer_required

from ...forms.contests import DrawRuleFormSet, QuizForm, QuizQuestionsForm
from ...models import Attempt, Question, QuestionTag, Quiz
from ...selectors.contests import (
    for_audience_member,
    in_audience,
    manages,
    quiz_individual_ranking,
    quiz_statistics,
    quiz_unit_ranking,
)
from ...services.contests import ActionRefused
from ...services.contests.quizzes import (
    attempt_expire_if_due,
    attempt_save_answer,
    attempt_submit,
    quiz_create,
    quiz_publish,
    quiz_set_draw_rules,
    quiz_set_questions,
    quiz_start,
    quiz_update,
)
from .common import acting_member, is_staff_of, manager_for, paginate, search_text


def visible_quiz(request: HttpRequest, pk: int) -> Quiz:
    return get_object_or_404(Quiz.objects.visible_to(request.user).select_related("court"), pk=pk)


@login_required
def quiz_list(request: HttpRequest) -> HttpResponse:
    me = current_member(request.user)
    now = timezone.now()
    quizzes = Quiz.objects.visible_to(request.user).select_related("court")
    show = request.GET.get("show", "")
    if me is not None and show != "all":
        quizzes = for_audience_member(quizzes, me)
    if me is not None:
        quizzes = quizzes.annotate(
            my_attempts=Count("attempts", filter=Q(attempts__member=me), distinct=True),
            my_best=Max("attempts__score", filter=Q(attempts__member=me) & ~Q(attempts__status=Attempt.Status.ACTIVE)),
        )
    page = paginate(request, quizzes.order_by("-opens_at", "-id"))
    return render(
        request,
        "activities/contests/quiz_list.html",
        {"page": page, "now": now, "show": show, "can_create": bool(me and me.is_organizer)},
    )


@login_required
@organizer_required
def quiz_create_view(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    form = QuizForm(request.POST or None, court=member.court)
    if request.method == "POST" and form.is_valid():
        audience = form.audience()
        quiz = quiz_create(actor=member, court=member.court, fields=form.fields_for_service(), **audience)
        messages.success(request, _("The quiz is created as a draft. Choose its questions, then publish it."))
        return redirect("activities:quiz_questions", quiz.pk)
    return render(request, "activities/contests/form_page.html", {"form": form, "title": _("New quiz round")})


@login_required
def quiz_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = visible_quiz(request, pk)
    member = manager_for(request, quiz)
    form = QuizForm(request.POST or None, instance=quiz, court=quiz.court)
    if request.method == "POST" and form.is_valid():
        audience = form.audience()
        try:
            quiz_update(actor=member, quiz=Quiz.objects.get(pk=quiz.pk), fields=form.fields_for_service(), **audience)
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("activities:quiz_detail", quiz.pk)
    return render(
        request,
        "activities/contests/form_page.html",
        {"form": form, "title": _("Edit quiz round"), "back": reverse("activities:quiz_detail", args=[quiz.pk])},
    )


@login_required
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = visible_quiz(request, pk)
    me = current_member(request.user)
    now = timezone.now()
    attempts = []
    if me is not None:
        attempts = list(quiz.attempts.filter(member=me).order_by("number"))
        for i, attempt in enumerate(attempts):
            attempts[i] = attempt_expire_if_due(attempt=attempt, now=now)
    active = next((a for a in attempts if a.status == Attempt.Status.ACTIVE), None)
    audience = in_audience(quiz, me)
    if quiz.selection == Quiz.Selection.FIXED:
        question_count = quiz.quiz_questions.count()
    else:
        question_count = sum(rule.count for rule in quiz.draw_rules.all())
    return render(
        request,
        "activities/contests/quiz_detail.html",
        {
            "quiz": quiz,
            "now": now,
            "attempts": attempts,
            "active": active,
            "in_audience": audience,
            "can_start": audience and quiz.is_open(now) and active is None and len(attempts) < quiz.attempts_allowed,
            "organizer": manages(request.user, quiz),
            "staff": is_staff_of(request.user, quiz.court_id),
            "question_count": question_count,
            "ranking_visible": is_staff_of(request.user, quiz.court_id) or quiz.is_closed(now),
        },
    )


@login_required
def quiz_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """Fixed questions (chosen from the bank) or draw rules (tag and count), as the quiz is set."""
    quiz = visible_quiz(request, pk)
    member = manager_for(request, quiz)
    bank = Question.objects.filter(court=quiz.court, is_active=True)
    tags = QuestionTag.objects.filter(court=quiz.court).annotate(
        n=Count("questions", filter=Q(questions__is_active=True))
    )
    if quiz.selection == Quiz.Selection.RANDOM:
        initial = [{"tag": rule.tag, "count": rule.count} for rule in quiz.draw_rules.select_related("tag")]
        formset = DrawRuleFormSet(request.POST or None, initial=initial, form_kwargs={"court": quiz.court})
        if request.method == "POST" and formset.is_valid():
            rules = [
                (f.cleaned_data.get("tag"), f.cleaned_data["count"]) for f in formset if f.cleaned_data.get("count")
            ]
            try:
                if not rules:
                    raise ActionRefused(_("Give at least one rule: a tag and how many questions to draw."))
                quiz_set_draw_rules(actor=member, quiz=quiz, rules=rules)
            except ActionRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The draw rules are saved."))
                return redirect("activities:quiz_detail", quiz.pk)
        return render(
            request,
            "activities/contests/quiz_questions.html",
            {"quiz": quiz, "formset": formset, "tags": tags, "bank_size": bank.count()},
        )
    selected_ids = list(quiz.quiz_questions.order_by("order", "id").values_list("question_id", flat=True))
    candidates = bank
    tag = request.GET.get("tag", "")
    if tag.isdigit():
        candidates = candidates.filter(tags=int(tag))
    text = search_text(request)
    if text:
        candidates = candidates.filter(text__icontains=text)
    shown_ids = selected_ids + [pk for pk in candidates.values_list("pk", flat=True)[:200] if pk not in selected_ids]
    queryset = Question.objects.filter(court=quiz.court, pk__in=shown_ids)
    form = QuizQuestionsForm(request.POST or None, queryset=queryset, initial={"questions": selected_ids})
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["questions"])
        order = {pk: i for i, pk in enumerate(selected_ids)}
        chosen.sort(key=lambda q: (order.get(q.pk, len(order)), q.pk))
        try:
            quiz_set_questions(actor=member, quiz=quiz, questions=chosen)
        except ActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s questions chosen.") % {"n": len(chosen)})
            return redirect("activities:quiz_detail", quiz.pk)
    by_id = queryset.prefetch_related("tags").in_bulk()
    rows = [by_id[pk] for pk in shown_ids if pk in by_id]
    return render(
        request,
        "activities/contests/quiz_questions.html",
        {"quiz": quiz, "form": form, "rows": rows, "selected": set(selected_ids), "tags": tags, "tag": tag, "q": text},
    )


@login_required
@require_POST
def quiz_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = visible_quiz(request, pk)
    member = manager_for(request, quiz)
    publish = request.POST.get("publish") == "1"
    try:
        quiz_publish(actor=member, quiz=quiz, publish=publish)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The quiz is published.") if publish else _("The quiz is back to draft."))
    return redirect("activities:quiz_detail", quiz.pk)


@login_required
@require_POST
def quiz_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = visible_quiz(request, pk)
    member = acting_member(request)
    if not in_audience(quiz, member):
        raise PermissionDenied
    try:
        attempt = quiz_start(quiz=quiz, member=member, now=timezone.now())
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect("activities:quiz_detail", quiz.pk)
    return redirect("activities:attempt_take", attempt.pk)


# ---------------------------------------------------------------------------------------------
# Attempts


def visible_attempt(request: HttpRequest, pk: int) -> Attempt:
    return get_object_or_404(Attempt.objects.visible_to(request.user).select_related("quiz__court", "member"), pk=pk)


def own_attempt(request: HttpRequest, pk: int) -> Attempt:
    attempt = visible_attempt(request, pk)
    me = current_member(request.user)
    if me is None or attempt.member_id != me.pk:
        raise PermissionDenied
    return attempt


def attempt_paper(attempt: Attempt) -> list[dict]:
    """The attempt's questions in order, each with its options in the attempt's shuffled order."""
    answers = attempt.answers.select_related("question").prefetch_related("question__options", "question__tags")
    paper = []
    for answer in answers:
        question = answer.question
        options_by_id = {option.pk: option for option in question.options.all()}
        options = [options_by_id[pk] for pk in answer.option_order if pk in options_by_id]
        chosen = set(answer.response) if question.is_choice else set()
        blanks = len(question.blanks()) if question.kind == Question.Kind.FILL else 0
        texts = list(answer.response) if question.kind == Question.Kind.FILL else []
        texts += [""] * (blanks - len(texts))
        paper.append(
            {
                "answer": answer,
                "question": question,
                "options": [
                    {"option": option, "letter": "ABCDEF"[i] if i < 6 else str(i + 1), "chosen": option.pk in chosen}
                    for i, option in enumerate(options)
                ],
                "blanks": [{"index": i, "value": value} for i, value in enumerate(texts)],
                "tf": answer.response[0] if question.kind == Question.Kind.TRUE_FALSE and answer.response else None,
            }
        )
    return paper


def responses_from_post(attempt: Attempt, data) -> dict[int, list]:
    responses: dict[int, list] = {}
    for answer in attempt.answers.select_related("question"):
        key = f"a{answer.pk}"
        if answer.question.kind == Question.Kind.FILL:
            blanks = max(1, len(answer.question.blanks()))
            responses[answer.pk] = [data.get(f"{key}_{i}", "") for i in range(blanks)]
        else:
            responses[answer.pk] = data.getlist(key)
    return responses


@login_required
def attempt_take(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = own_attempt(request, pk)
    now = timezone.now()
    if request.method == "POST":
        attempt, refused = attempt_submit(
            attempt=attempt, responses=responses_from_post(attempt, request.POST), now=now
        )
        if refused and request.POST.get("auto"):
            messages.info(
                request, _("Time is up: your answers were handed in. Answers saved before the time limit count.")
            )
        elif refused:
            messages.warning(
                request,
                _(
                    "Time was up before your answers arrived: they were not accepted. The answers saved before the time limit count."
                ),
            )
        return redirect("activities:attempt_result", attempt.pk)
    attempt = attempt_expire_if_due(attempt=attempt, now=now)
    if attempt.status != Attempt.Status.ACTIVE:
        messages.info(request, _("Time is up: your attempt was submitted with the answers saved."))
        return redirect("activities:attempt_result", attempt.pk)
    return render(
        request,
        "activities/contests/attempt_take.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "paper": attempt_paper(attempt),
            "timer": {
                "deadline": attempt.deadline.isoformat(),
                "secondsLeft": attempt.seconds_left(now),
                "saveUrl": reverse("activities:attempt_save", args=[attempt.pk]),
            },
        },
    )


@login_required
@require_POST
def attempt_save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave one answer (called by static/js/contests.js as the member answers)."""
    attempt = own_attempt(request, pk)
    answer_id = request.POST.get("answer", "")
    if not answer_id.isdigit():
        return JsonResponse({"ok": False, "error": _("This question is not in your attempt.")}, status=400)
    values = request.POST.getlist("value")
    try:
        attempt_save_answer(attempt=attempt, answer_id=int(answer_id), raw=values, now=timezone.now())
    except ActionRefused as exc:
        return JsonResponse(
            {"ok": False, "error": exc.message, "result": reverse("activities:attempt_result", args=[attempt.pk])},
            status=409,
        )
    return JsonResponse({"ok": True})


@login_required
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = visible_attempt(request, pk)
    me = current_member(request.user)
    now = timezone.now()
    own = me is not None and attempt.member_id == me.pk
    attempt = attempt_expire_if_due(attempt=attempt, now=now)
    if attempt.status == Attempt.Status.ACTIVE:
        if own:
            return redirect("activities:attempt_take", attempt.pk)
        messages.info(request, _("This attempt is still in progress."))
    quiz = attempt.quiz
    staff = is_staff_of(request.user, quiz.court_id)
    reveal = staff or quiz.reveals_answers(attempt, now)
    return render(
        request,
        "activities/contests/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "own": own,
            "reveal": reveal,
            "paper": attempt_paper(attempt) if reveal and attempt.status != Attempt.Status.ACTIVE else [],
            "now": now,
        },
    )


# ---------------------------------------------------------------------------------------------
# Statistics and rankings


@login_required
def quiz_stats(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = visible_quiz(request, pk)
    if not is_staff_of(request.user, quiz.court_id):
        raise PermissionDenied
    return render(
        request,
        "activities/contests/quiz_stats.html",
        {
            "quiz": quiz,
            "stats": quiz_statistics(quiz),
            "units": quiz_unit_ranking(quiz),
            "individuals": quiz_individual_ranking(quiz),
            "now": timezone.now(),
        },
    )


@login_required
def quiz_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """Unit ranking for everyone once the round closes; individual names only where the court allows."""
    quiz = visible_quiz(request, pk)
    now = timezone.now()
    if not (is_staff_of(request.user, quiz.court_id) or quiz.is_closed(now)):
        raise PermissionDenied
    return render(
        request,
        "activities/contests/quiz_ranking.html",
        {"quiz": quiz, "units": quiz_unit_ranking(quiz), "individuals": quiz_individual_ranking(quiz)},
    )
