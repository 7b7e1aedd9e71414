"""Panels of the contests family on shared pages: 我的学习, 管理 and the member's profile."""

from __future__ import annotations

from django import template
from django.db.models import Avg, Count, Q
from django.utils import timezone

from members.access import current_member, is_leader_of, is_organizer_of

from ..models import AssessmentResult, Attempt, Award, Contest, Question, Quiz
from ..panels import cached_member_panel
from ..selectors.contests import for_audience_member, open_quizzes_for, pending_judge_tasks, votable_contests

register = template.Library()


@cached_member_panel(register, "activities/contests/_panel_member.html")
def member_contests_panel(context) -> dict:
    """Open quizzes for me, contests I can vote in or enter, and my judging tasks."""
    me = context.get("me")
    if me is None:
        return {"me": None}
    now = timezone.now()
    quizzes = [q for q in open_quizzes_for(me, now)[:10] if q.my_attempts < q.attempts_allowed][:5]
    entering = for_audience_member(Contest.objects.filter(phase=Contest.Phase.ENTRIES), me).exclude(entries__member=me)
    return {
        "me": me,
        "quizzes": quizzes,
        "contests": list(votable_contests(me, now)[:5]),
        "entering": list(entering[:3]),
        "judge_tasks": pending_judge_tasks(me),
    }


@register.inclusion_tag("activities/contests/_panel_organizer.html", takes_context=True)
def organizer_contests_panel(context) -> dict:
    me = context.get("me")
    if me is None:
        return {"me": None}
    now = timezone.now()
    return {
        "me": me,
        "running": Contest.objects.filter(
            court=me.court, phase__in=[Contest.Phase.ENTRIES, Contest.Phase.JUDGING]
        ).count(),
        "open_quizzes": Quiz.objects.filter(court=me.court).open_at(now).count(),
        "questions": Question.objects.filter(court=me.court, is_active=True).count(),
    }


@register.inclusion_tag("activities/contests/_profile.html", takes_context=True)
def profile_contests(context, member) -> dict:
    """Awards for everyone who sees the profile; quiz and assessment results only for those who may see private data."""
    request = context["request"]
    awards = (
        Award.objects.visible_to(request.user)
        .published()
        .filter(entry__member=member, entry__by_unit=False)  # a unit's award is not its contact's
        .select_related("contest")
        .order_by("-contest__published_at", "-id")[:20]
    )
    viewer = current_member(request.user)
    can_download = (viewer is not None and viewer.pk == member.pk) or (
        is_organizer_of(request.user, member.court_id) or is_leader_of(request.user, member.court_id)
    )
    private = request.user.has_perm("members.see_member_private", member)
    data = {"member": member, "awards": list(awards), "can_download": can_download, "private": private}
    if private:
        data["quiz_summary"] = (
            Attempt.objects.filter(member=member)
            .finished()
            .aggregate(n=Count("id"), average=Avg("score"), passed=Count("id", filter=Q(passed=True)))
        )
        data["results"] = list(
            AssessmentResult.objects.filter(member=member)
            .select_related("assessment")
            .order_by("-assessment__held_on")[:5]
        )
        data["own"] = viewer is not None and viewer.pk == member.pk
    return data


@register.filter
def phase_class(phase: str) -> str:
    return {
        Contest.Phase.DRAFT: "text-bg-secondary",
        Contest.Phase.ENTRIES: "text-bg-info",
        Contest.Phase.JUDGING: "text-bg-warning",
        Contest.Phase.PUBLISHED: "text-bg-success",
    }.get(phase, "text-bg-light")


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "")


@register.simple_tag
def quiz_state(quiz: Quiz, now) -> str:
    """open / upcoming / closed / draft, for badges."""
    if quiz.status == Quiz.Status.DRAFT:
        return "draft"
    if now < quiz.opens_at:
        return "upcoming"
    if now >= quiz.closes_at:
        return "closed"
    return "open"
