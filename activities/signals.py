"""Raise the cache versions of the 我的学习 panels (activities.panels) when what they show changes.

Saves and deletes of the models below raise the version of the member whose record it is, or of
the court whose members all see it. Writes that bypass signals (QuerySet.update, bulk_create,
bulk_update) call members.versions themselves, next to the write.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from members.models import Court, Department, Member, StudyGroup, StudyGroupMembership
from members.versions import bump_all_courts, bump_courts, bump_members

from .models import (
    Application,
    Attempt,
    Attendance,
    Book,
    BookRecommendation,
    Contest,
    Entry,
    JudgeAssignment,
    LeaveRequest,
    MonthlyPlan,
    PlanItem,
    Quiz,
    ReadingCampaign,
    ReadingLog,
    ReadingPlan,
    ReadingPlanItem,
    RecruitmentBatch,
    Score,
    SelfReportedShare,
    Session,
    SessionKind,
    Speaker,
    SwapRequest,
    Vote,
)

# A member's own records: model -> the attribute holding the member's id.
MEMBER_RECORDS = {
    ReadingLog: "member_id",
    ReadingPlan: "member_id",
    Attempt: "member_id",
    Attendance: "member_id",
    LeaveRequest: "member_id",  # 请假 status on the member's coming sessions
    Entry: "member_id",
    Vote: "voter_id",
    JudgeAssignment: "judge_id",
    MonthlyPlan: "member_id",
    Application: "member_id",
    StudyGroupMembership: "member_id",
}

# Records whose owner is one step away: model -> (parent model, parent's id attribute, member attribute).
MEMBER_CHILD_RECORDS = {
    ReadingPlanItem: (ReadingPlan, "plan_id", "member_id"),
    PlanItem: (MonthlyPlan, "plan_id", "member_id"),
    Score: (JudgeAssignment, "assignment_id", "judge_id"),
}

# What the whole court sees: model -> the attribute holding the court's id.
COURT_CONTENT = {
    ReadingCampaign: "court_id",
    Contest: "court_id",
    Quiz: "court_id",
    Session: "court_id",
    Department: "court_id",  # heads see their department's plans
    StudyGroup: "court_id",
    Member: "court_id",  # names of speakers, roles
}

# Court content one step away: model -> (parent model, parent's id attribute).
COURT_CHILD_CONTENT = {
    BookRecommendation: (ReadingCampaign, "campaign_id"),
    Speaker: (Session, "session_id"),
    SwapRequest: (Session, "session_id"),
    SelfReportedShare: (StudyGroup, "group_id"),
    RecruitmentBatch: (StudyGroup, "group_id"),
}

# Shared by every court; a new row is on nobody's panel yet, so only changes and deletes count.
SHARED = (Book, SessionKind)


def _member_record_changed(sender, instance, **kwargs) -> None:
    bump_members([getattr(instance, MEMBER_RECORDS[sender])])


def _member_child_changed(sender, instance, **kwargs) -> None:
    parent, link, owner = MEMBER_CHILD_RECORDS[sender]
    bump_members(parent.objects.filter(pk=getattr(instance, link)).values_list(owner, flat=True))


def _court_content_changed(sender, instance, **kwargs) -> None:
    bump_courts([getattr(instance, COURT_CONTENT[sender])])


def _court_child_changed(sender, instance, **kwargs) -> None:
    parent, link = COURT_CHILD_CONTENT[sender]
    courts = list(parent.objects.filter(pk=getattr(instance, link)).values_list("court_id", flat=True))
    if sender is RecruitmentBatch and instance.group.spans_courts_below:
        # The courts below may apply to a batch of a group open to them: their panels count it.
        courts += Court.objects.filter(Q(parent_id__in=courts) | Q(parent__parent_id__in=courts)).values_list(
            "pk", flat=True
        )
    bump_courts(courts)


def _shared_changed(sender, instance, created: bool = False, **kwargs) -> None:
    if not created:
        bump_all_courts()


def _audience_changed(sender, instance, action: str, **kwargs) -> None:
    """Who a campaign, session, contest or quiz is for (its departments and groups)."""
    if action.startswith("post_") and isinstance(instance, tuple(COURT_CONTENT)):
        bump_courts([getattr(instance, "court_id", None)])


def connect() -> None:
    handlers = [
        (MEMBER_RECORDS, _member_record_changed),
        (MEMBER_CHILD_RECORDS, _member_child_changed),
        (COURT_CONTENT, _court_content_changed),
        (COURT_CHILD_CONTENT, _court_child_changed),
        (SHARED, _shared_changed),
    ]
    for models, handler in handlers:
        for model in models:
            uid = f"panel-versions-{model._meta.label_lower}"
            post_save.connect(handler, sender=model, dispatch_uid=uid)
            post_delete.connect(handler, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_audience_changed, dispatch_uid="panel-versions-audience")
