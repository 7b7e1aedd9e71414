"""Reads for the reading family: who may do what, a member's books and progress, campaign figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from members.access import current_member, is_leader_of, is_organizer_of
from members.models import Member, unit_ordering

from ..models.reading import (
    Book,
    BookRecommendation,
    Donation,
    ReadingCampaign,
    ReadingLog,
    ReadingPlanItem,
    Reflection,
    month_start,
)
from ..models.sessions import SessionReflection

TOP_READERS = 10

# --- permissions (the object is already known to be visible: these decide 403) ---------------


def can_manage_campaign(user, campaign: ReadingCampaign) -> bool:
    return is_organizer_of(user, campaign.court_id)


def can_read_campaign_figures(user, campaign: ReadingCampaign) -> bool:
    return is_organizer_of(user, campaign.court_id) or is_leader_of(user, campaign.court_id)


def can_recommend(user, campaign: ReadingCampaign) -> bool:
    """Leaders of the campaign's court, and the members the organizer chose, while it is open."""
    if not campaign.is_open:
        return False
    if getattr(user, "is_superuser", False):
        return True
    member = current_member(user)
    if member is None or not member.is_active or member.court_id != campaign.court_id:
        return False
    return member.is_leader or campaign.recommenders.filter(pk=member.pk).exists()


def recommendable_campaigns(user) -> QuerySet[ReadingCampaign]:
    """Open campaigns in which the user may recommend books (see can_recommend)."""
    open_campaigns = ReadingCampaign.objects.exclude(status=ReadingCampaign.Status.CLOSED)
    if getattr(user, "is_superuser", False):
        return open_campaigns
    member = current_member(user)
    if member is None or not member.is_active:
        return ReadingCampaign.objects.none()
    open_campaigns = open_campaigns.filter(court_id=member.court_id)
    if member.is_leader:
        return open_campaigns
    return open_campaigns.filter(recommenders=member).visible_to(user)


def can_edit_recommendation(user, recommendation: BookRecommendation) -> bool:
    member = current_member(user)
    return member is not None and member.pk == recommendation.recommender_id and recommendation.campaign.is_open


def can_delete_recommendation(user, recommendation: BookRecommendation) -> bool:
    member = current_member(user)
    own = member is not None and member.pk == recommendation.recommender_id
    return own or is_organizer_of(user, recommendation.campaign.court_id)


def can_edit_book(user, book: Book) -> bool:
    """The catalogue is shared: organizers and whoever added the book keep it right."""
    if getattr(user, "is_superuser", False):
        return True
    member = current_member(user)
    return member is not None and member.is_active and (member.is_organizer or member.pk == book.added_by_id)


def can_review_reflection(user, reflection: Reflection) -> bool:
    return reflection.status != Reflection.Status.DRAFT and is_organizer_of(user, reflection.author.court_id)


def can_manage_donations(user, court_id: int) -> bool:
    return is_organizer_of(user, court_id)


def can_read_donations(user, court_id: int) -> bool:
    return is_organizer_of(user, court_id) or is_leader_of(user, court_id)


# --- a member's reading ---------------------------------------------------------------------


def member_books(member: Member, *, include: list[int] | tuple[int, ...] = ()) -> QuerySet[Book]:
    """The books a member is likely to log: read before (most recent first), planned, or recommended
    in their active campaigns; `include` adds books picked elsewhere (e.g. from the catalogue)."""
    logged = ReadingLog.objects.filter(member=member).values("book_id")
    planned = ReadingPlanItem.objects.filter(plan__member=member).values("book_id")
    campaigns = ReadingCampaign.objects.active().for_audience_member(member)
    recommended = BookRecommendation.objects.filter(campaign__in=campaigns).values("book_id")
    last_read = (
        ReadingLog.objects.filter(member=member, book_id=OuterRef("pk")).order_by("-day", "-pk").values("day")[:1]
    )
    last_logged = (
        ReadingLog.objects.filter(member=member, book_id=OuterRef("pk")).order_by("-day", "-pk").values("pk")[:1]
    )
    extra = [pk for pk in include if pk]
    return (
        Book.objects.filter(Q(pk__in=logged) | Q(pk__in=planned) | Q(pk__in=recommended) | Q(pk__in=extra))
        .annotate(last_read=Subquery(last_read), last_log=Subquery(last_logged))
        .order_by(F("last_read").desc(nulls_last=True), F("last_log").desc(nulls_last=True), "title", "pk")
    )


def plan_items(member: Member, campaign: ReadingCampaign) -> QuerySet[ReadingPlanItem]:
    return (
        ReadingPlanItem.objects.filter(plan__member=member, plan__campaign=campaign)
        .with_progress()
        .select_related("book", "book__category")
    )


@dataclass
class MemberProgress:
    planned: int
    planned_finished: int
    finished_in_period: int
    goal: int | None

    @property
    def percent(self) -> int:
        target = self.goal or self.planned
        if not target:
            return 0
        return min(100, round(100 * self.finished_in_period / target))


def member_progress(member: Member, campaign: ReadingCampaign, *, today: dt.date) -> MemberProgress:
    items = list(plan_items(member, campaign).values_list("finished", flat=True))
    finished = (
        ReadingLog.objects.filter(member=member, finished=True)
        .between(campaign.starts_on, min(campaign.ends_on, today))
        .values("book_id")
        .distinct()
        .count()
    )
    return MemberProgress(
        planned=len(items), planned_finished=sum(items), finished_in_period=finished, goal=campaign.goal_books
    )


def _count(queryset: QuerySet, group: str, expression) -> Coalesce:
    """A correlated COUNT/SUM over `queryset` per outer row (no join multiplication)."""
    return Coalesce(
        Subquery(queryset.order_by().values(group).annotate(n=expression).values("n")[:1], output_field=IntegerField()),
        0,
    )


def campaigns_for_member_panel(member: Member) -> QuerySet[ReadingCampaign]:
    """Active campaigns meant for the member, with their plan size and finished plan books."""
    items = ReadingPlanItem.objects.filter(plan__member=member, plan__campaign_id=OuterRef("pk"))
    finished = ReadingLog.objects.filter(member=member, finished=True, book_id=OuterRef("book_id"))
    return (
        ReadingCampaign.objects.active()
        .for_audience_member(member)
        .annotate(
            n_planned=_count(items, "plan__campaign_id", Count("pk")),
            n_planned_finished=_count(items.filter(Exists(finished)), "plan__campaign_id", Count("pk")),
        )
        .order_by("ends_on", "pk")
    )


@dataclass
class ReadingSummary:
    year: int
    books_finished: int
    logs: int
    featured: int
    recent_finished: list[ReadingLog] = field(default_factory=list)


def member_reading_summary(member: Member, *, today: dt.date) -> ReadingSummary:
    year_logs = ReadingLog.objects.filter(member=member, day__year=today.year)
    figures = year_logs.aggregate(
        logs=Count("pk"), books_finished=Count("book_id", distinct=True, filter=Q(finished=True))
    )
    recent = list(
        ReadingLog.objects.filter(member=member, finished=True).select_related("book").order_by("-day", "-pk")[:5]
    )
    featured = Reflection.objects.filter(author=member).featured().count()
    return ReadingSummary(
        year=today.year,
        books_finished=figures["books_finished"],
        logs=figures["logs"],
        featured=featured,
        recent_finished=recent,
    )


# --- campaign figures -----------------------------------------------------------------------


def campaign_member_rows(campaign: ReadingCampaign, *, today: dt.date) -> QuerySet[Member]:
    """Every eligible member with their figures for the campaign, in one query."""
    end = min(campaign.ends_on, today)
    logs = ReadingLog.objects.filter(member_id=OuterRef("pk"), day__gte=campaign.starts_on, day__lte=end)
    items = ReadingPlanItem.objects.filter(plan__member_id=OuterRef("pk"), plan__campaign=campaign)
    reflections = Reflection.objects.filter(author_id=OuterRef("pk"), campaign=campaign).exclude(
        status=Reflection.Status.DRAFT
    )
    this_month = ReadingLog.objects.filter(member_id=OuterRef("pk"), day__gte=month_start(today), day__lte=today)
    return (
        campaign.eligible_members()
        .select_related("department")
        .annotate(
            n_logs=_count(logs, "member_id", Count("pk")),
            n_finished=_count(logs.filter(finished=True), "member_id", Count("book_id", distinct=True)),
            n_minutes=_count(logs, "member_id", Sum("minutes")),
            n_pages=_count(logs, "member_id", Sum("pages")),
            n_planned=_count(items, "plan__member_id", Count("pk")),
            n_reflections=_count(reflections, "author_id", Count("pk")),
            n_featured=_count(reflections.filter(status=Reflection.Status.FEATURED), "author_id", Count("pk")),
            read_this_month=Exists(this_month),
        )
        .order_by(*unit_ordering("department__", department=True), "name", "pk")
    )


def members_without_reading(campaign: ReadingCampaign, *, today: dt.date) -> QuerySet[Member]:
    this_month = ReadingLog.objects.filter(member_id=OuterRef("pk"), day__gte=month_start(today), day__lte=today)
    return campaign.eligible_members().exclude(Exists(this_month))


@dataclass
class DepartmentFigures:
    name: str
    eligible: int = 0
    participating: int = 0
    finished: int = 0
    reflections: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.participating / self.eligible) if self.eligible else 0


@dataclass
class CampaignFigures:
    campaign: ReadingCampaign
    today: dt.date
    rows: list[Member]
    eligible: int
    participating: int
    with_plan: int
    books_finished: int
    logs: int
    minutes: int
    pages: int
    reflections_submitted: int
    reflections_featured: int
    donations: int
    donated_copies: int
    departments: list[DepartmentFigures]
    without_plan: list[Member]
    without_reading_this_month: list[Member]
    top_readers: list[Member] | None

    @property
    def participation_percent(self) -> int:
        return round(100 * self.participating / self.eligible) if self.eligible else 0


def takes_part(row: Member) -> bool:
    return bool(row.n_logs or row.n_planned or row.n_reflections)


def campaign_figures(campaign: ReadingCampaign, *, today: dt.date) -> CampaignFigures:
    """The organizer's dashboard: a fixed number of queries whatever the court's size."""
    rows = list(campaign_member_rows(campaign, today=today))
    reflections = Reflection.objects.filter(campaign=campaign).aggregate(
        submitted=Count("pk", filter=~Q(status=Reflection.Status.DRAFT)),
        featured=Count("pk", filter=Q(status=Reflection.Status.FEATURED)),
    )
    donated = Donation.objects.filter(campaign=campaign).aggregate(
        n=Count("pk", distinct=True), copies=Sum("items__count", default=0)
    )
    departments: dict[str, DepartmentFigures] = {}
    for row in rows:
        name = row.department.name if row.department_id else "—"
        figures = departments.setdefault(name, DepartmentFigures(name))
        figures.eligible += 1
        figures.participating += takes_part(row)
        figures.finished += row.n_finished
        figures.reflections += row.n_reflections
    top = None
    if campaign.court.rankings_enabled:
        top = sorted((r for r in rows if r.n_finished), key=lambda r: (-r.n_finished, -r.n_minutes, r.name))
        top = top[:TOP_READERS]
    return CampaignFigures(
        campaign=campaign,
        today=today,
        rows=rows,
        eligible=len(rows),
        participating=sum(takes_part(r) for r in rows),
        with_plan=sum(1 for r in rows if r.n_planned),
        books_finished=sum(r.n_finished for r in rows),
        logs=sum(r.n_logs for r in rows),
        minutes=sum(r.n_minutes for r in rows),
        pages=sum(r.n_pages for r in rows),
        reflections_submitted=reflections["submitted"],
        reflections_featured=reflections["featured"],
        donations=donated["n"],
        donated_copies=donated["copies"],
        departments=list(departments.values()),  # in the rows' order: the court's order of departments
        without_plan=[r for r in rows if not r.n_planned],
        without_reading_this_month=[r for r in rows if not r.read_this_month],
        top_readers=top,
    )


# --- 优秀心得: featured reading reflections and session 感想, on one page -------------------------


def featured_reflections(user, *, court_id: int | None = None) -> QuerySet:
    """Rows (kind, id, featured_at) of both kinds the user may read, newest first: "reading" for a
    读书心得, "session" for a session 感想. One UNION, so the page paginates both as one list."""
    reading = Reflection.objects.visible_to(user).featured()
    sessions = SessionReflection.objects.featured_visible_to(user)
    if court_id:
        reading = reading.filter(author__court_id=court_id)
        sessions = sessions.filter(session__court_id=court_id)
    # order_by(): the models' own orderings are not allowed inside a compound statement.
    columns = ("kind", "id", "featured_at")
    reading = reading.order_by().annotate(kind=Value("reading", output_field=CharField())).values_list(*columns)
    sessions = sessions.order_by().annotate(kind=Value("session", output_field=CharField())).values_list(*columns)
    return reading.union(sessions, all=True).order_by("-featured_at", "-id")


def featured_objects(rows) -> list[Reflection | SessionReflection]:
    """The page's rows as objects, in the rows' order: one query per kind, whatever the page's size.
    Each object says its kind in `featured_kind`."""
    rows = list(rows)
    ids = {kind: [pk for k, pk, _at in rows if k == kind] for kind in ("reading", "session")}
    found = {}
    if ids["reading"]:
        for reflection in Reflection.objects.filter(pk__in=ids["reading"]).with_related():
            found[("reading", reflection.pk)] = reflection
    if ids["session"]:
        for reflection in SessionReflection.objects.filter(pk__in=ids["session"]).select_related(
            "author", "author__department", "session", "session__kind", "session__court"
        ):
            found[("session", reflection.pk)] = reflection
    objects = []
    for kind, pk, _at in rows:
        obj = found.get((kind, pk))
        if obj is not None:  # deleted between the two reads
            obj.featured_kind = kind
            objects.append(obj)
    return objects
