"""书香法院: reading campaigns, the book catalogue, recommendations with posters, reading plans,
reading logs, reflections and book donations."""

from __future__ import annotations

import contextlib
import datetime as dt
import html

from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.access import current_member, visible_courts
from members.models import Court, Department, Member, StudyGroup, StudyGroupMembership

__all__ = [
    "Book",
    "BookCategory",
    "BookRecommendation",
    "Donation",
    "DonationItem",
    "PartnerOrganization",
    "ReadingCampaign",
    "ReadingLog",
    "ReadingPlan",
    "ReadingPlanItem",
    "Reflection",
]

MAX_MINUTES_PER_DAY = 16 * 60  # more than this in one day is not plausible reading
MAX_PAGES_PER_LOG = 2000

# The categories the seeds name (文史、理工、哲学、经济、艺术、科学…); an editable list, seeded once.
DEFAULT_BOOK_CATEGORIES = ["政治理论", "法律实务", "文史", "哲学", "经济", "科学", "艺术", "其他"]


def normalize_isbn(value: str) -> str:
    """An ISBN-10 or ISBN-13 (hyphens and spaces allowed) as 13 digits, checked by its checksum."""
    raw = "".join(ch for ch in (value or "").upper() if ch not in " -\u2010\u2011\u2012\u2013\u2014")
    if raw.startswith("ISBN"):
        raw = raw[4:].lstrip(":：")
    if len(raw) == 10:
        if not (raw[:9].isdigit() and (raw[9].isdigit() or raw[9] == "X")):
            raise ValidationError(_("An ISBN-10 has nine digits and a final digit or X."), code="isbn_format")
        digits = [int(ch) for ch in raw[:9]] + [10 if raw[9] == "X" else int(raw[9])]
        if sum((10 - i) * d for i, d in enumerate(digits)) % 11:
            raise ValidationError(_("This ISBN's check digit is wrong: please check the number."), code="isbn_checksum")
        return isbn13_with_check("978" + raw[:9])
    if len(raw) == 13 and raw.isdigit():
        if not raw.startswith(("978", "979")):
            raise ValidationError(_("An ISBN-13 starts with 978 or 979."), code="isbn_format")
        if isbn13_with_check(raw[:12]) != raw:
            raise ValidationError(_("This ISBN's check digit is wrong: please check the number."), code="isbn_checksum")
        return raw
    raise ValidationError(_("An ISBN has 10 or 13 digits (hyphens allowed)."), code="isbn_format")


def isbn13_with_check(first12: str) -> str:
    total = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@checks.register()
def check_cjk_font(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Posters need the CJK font: say so at start-up rather than when the first poster fails."""
    from ..services.reading_posters import font_problem

    problem = font_problem()
    return [checks.Warning(problem, id="reading.W001")] if problem else []


# --- campaigns ------------------------------------------------------------------------------


class ReadingCampaignQuerySet(models.QuerySet):
    def for_audience_member(self, member: Member) -> ReadingCampaignQuerySet:
        """Campaigns whose audience includes the member (whatever their status)."""
        return self.filter(audience_q(member))

    def visible_to(self, user) -> ReadingCampaignQuerySet:
        """Members: their court's active or closed campaigns meant for them. Organizers: all of
        their court's. Leaders: all of their court's and of the courts below."""
        if getattr(user, "is_superuser", False):
            return self.all()
        member = current_member(user)
        if member is None or not member.is_active:
            return self.none()
        q = Q(court_id=member.court_id, status__in=[ReadingCampaign.Status.ACTIVE, ReadingCampaign.Status.CLOSED])
        q &= audience_q(member)
        if member.is_organizer:
            q |= Q(court_id=member.court_id)
        if member.is_leader:
            q |= Q(court__in=visible_courts(user))
        return self.filter(q)

    def active(self) -> ReadingCampaignQuerySet:
        return self.filter(status=ReadingCampaign.Status.ACTIVE)


def audience_q(member: Member) -> Q:
    """Q for campaigns of the member's court whose audience includes them."""
    in_department = ReadingCampaign.departments.through.objects.filter(
        readingcampaign_id=OuterRef("pk"), department_id=member.department_id
    )
    group_ids = StudyGroupMembership.objects.filter(member=member).values("group_id")
    in_group = ReadingCampaign.study_groups.through.objects.filter(readingcampaign_id=OuterRef("pk")).filter(
        Q(studygroup_id__in=group_ids) | Q(studygroup__squads__in=group_ids)
    )
    return Q(court_id=member.court_id) & (
        Q(audience=ReadingCampaign.Audience.COURT) | Exists(in_department) | Exists(in_group)
    )


class ReadingCampaign(models.Model):
    """书香法院 campaign: a period, a written plan (活动方案), an initiative letter (倡议书), an audience."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", pgettext_lazy("campaign status", "active")
        CLOSED = "closed", pgettext_lazy("campaign status", "closed")

    class Audience(models.TextChoices):
        COURT = "court", _("the whole court")
        UNITS = "units", _("chosen departments and study groups")

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="reading_campaigns"
    )
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goal_books = models.PositiveSmallIntegerField(
        _("goal (books per member)"), null=True, blank=True, help_text=_("Optional: books each member aims to finish.")
    )
    plan_document = models.FileField(_("plan document"), upload_to="reading/campaigns/", blank=True)
    plan_document_name = models.CharField(max_length=200, blank=True, verbose_name=_("plan document name"))
    initiative_letter = models.TextField(_("initiative letter"), blank=True, max_length=20000)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.COURT)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="reading_campaigns"
    )
    study_groups = models.ManyToManyField(
        StudyGroup, verbose_name=_("study groups"), blank=True, related_name="reading_campaigns"
    )
    recommenders = models.ManyToManyField(
        Member,
        verbose_name=_("other recommenders"),
        blank=True,
        related_name="+",
        help_text=_("Leaders always may recommend books; choose anyone else who may."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ReadingCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="readingcampaign_period",
                violation_error_message=_("The campaign must end on or after the day it starts."),
            ),
        ]
        verbose_name = _("reading campaign")
        verbose_name_plural = _("reading campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:reading_campaign_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Members plan and recommend only while the campaign has not closed."""
        return self.status != self.Status.CLOSED

    def months(self) -> list[dt.date]:
        """First days of the months of the period, for target months of plan items."""
        months, day = [], month_start(self.starts_on)
        while day <= self.ends_on:
            months.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return months

    def eligible_members(self) -> models.QuerySet[Member]:
        """Active members of the court the campaign is meant for."""
        members = Member.objects.active().filter(court_id=self.court_id)
        if self.audience == self.Audience.COURT:
            return members
        return members.in_units(departments=self.departments.values("pk"), groups=self.study_groups.values("pk"))

    def includes(self, member: Member) -> bool:
        return ReadingCampaign.objects.filter(pk=self.pk).for_audience_member(member).exists()


# --- books ----------------------------------------------------------------------------------


class BookCategory(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("book category")
        verbose_name_plural = _("book categories")

    def __str__(self) -> str:
        return self.name


class BookQuerySet(models.QuerySet):
    def search(self, text: str) -> BookQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        q = Q(title__icontains=text) | Q(author__icontains=text)
        digits = "".join(ch for ch in text.upper() if ch.isdigit() or ch == "X")
        if len(digits) >= 4:
            q |= Q(isbn__contains=digits[:13])
            with contextlib.suppress(ValidationError):
                q |= Q(isbn=normalize_isbn(text))
        return self.filter(q)


class Book(models.Model):
    """One book of the shared catalogue; one record per ISBN."""

    title = models.CharField(_("book title"), max_length=200)
    author = models.CharField(_("author"), max_length=120, blank=True)
    publisher = models.CharField(_("publisher"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(pgettext_lazy("publication", "year"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, help_text=_("ISBN-10 or ISBN-13; stored as ISBN-13."))
    category = models.ForeignKey(
        BookCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="books"
    )
    cover = models.FileField(_("cover"), upload_to="reading/covers/", blank=True)
    added_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = BookQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["isbn"],
                condition=~Q(isbn=""),
                name="book_unique_isbn",
                violation_error_message=_("This ISBN is already in the catalogue."),
            )
        ]
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def __str__(self) -> str:
        return f"《{self.title}》"

    def get_absolute_url(self) -> str:
        return reverse("activities:reading_book_detail", args=[self.pk])

    @property
    def isbn_display(self) -> str:
        i = self.isbn
        return f"{i[:3]}-{i[3:4]}-{i[4:8]}-{i[8:12]}-{i[12:]}" if len(i) == 13 else i


# --- recommendations (荐书台) -------------------------------------------------------------------


class BookRecommendationQuerySet(models.QuerySet):
    def visible_to(self, user) -> BookRecommendationQuerySet:
        return self.filter(campaign__in=ReadingCampaign.objects.visible_to(user))

    def with_related(self) -> BookRecommendationQuerySet:
        return self.select_related("book", "recommender", "campaign", "campaign__court")

    def needs_posters(self) -> BookRecommendationQuerySet:
        return self.exclude(poster_status=BookRecommendation.PosterStatus.READY, poster_revision=models.F("revision"))


class BookRecommendation(models.Model):
    """A leader's (or an allowed member's) recommendation with a 推荐语, shown as posters."""

    class PosterStatus(models.TextChoices):
        PENDING = "pending", _("being drawn")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    campaign = models.ForeignKey(
        ReadingCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="recommendations"
    )
    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="recommendations")
    recommender = models.ForeignKey(
        Member, verbose_name=_("recommender"), on_delete=models.CASCADE, related_name="book_recommendations"
    )
    recommender_title = models.CharField(
        _("title shown on the poster"),
        max_length=40,
        blank=True,
        help_text=_("For example 党组书记、院长. Empty: the member's post."),
    )
    text = models.TextField(_("recommendation"), max_length=600)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # Bumped by every change that shows on the poster; the task draws one revision at a time.
    revision = models.PositiveIntegerField(default=1, verbose_name=_("revision"))
    poster_revision = models.PositiveIntegerField(default=0, verbose_name=_("poster revision"))
    poster_status = models.CharField(
        _("poster"), max_length=10, choices=PosterStatus.choices, default=PosterStatus.PENDING
    )
    poster_error = models.CharField(max_length=300, blank=True, verbose_name=_("poster error"))
    poster_landscape = models.FileField(upload_to="reading/posters/", blank=True, verbose_name=_("poster landscape"))
    poster_portrait = models.FileField(upload_to="reading/posters/", blank=True, verbose_name=_("poster portrait"))

    objects = BookRecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "book", "recommender"], name="recommendation_once_per_book")
        ]
        verbose_name = _("book recommendation")
        verbose_name_plural = _("book recommendations")

    def __str__(self) -> str:
        return f"{self.recommender} · {self.book}"

    def get_absolute_url(self) -> str:
        return reverse("activities:reading_recommendation_detail", args=[self.pk])

    @property
    def shown_title(self) -> str:
        return self.recommender_title or self.recommender.title or self.recommender.get_post_display()

    @property
    def posters_ready(self) -> bool:
        return self.poster_status == self.PosterStatus.READY and bool(self.poster_landscape and self.poster_portrait)


# --- plans and logs -------------------------------------------------------------------------


class ReadingPlan(models.Model):
    """读书计划: a member's chosen books for one campaign, each with a target month."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reading_plans", verbose_name=_("member"))
    campaign = models.ForeignKey(
        ReadingCampaign, on_delete=models.CASCADE, related_name="plans", verbose_name=_("campaign")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "campaign"], name="readingplan_once")]
        verbose_name = _("reading plan")
        verbose_name_plural = _("reading plans")

    def __str__(self) -> str:
        return f"{self.member} · {self.campaign}"


class ReadingPlanItemQuerySet(models.QuerySet):
    def with_progress(self) -> ReadingPlanItemQuerySet:
        """Annotate `finished`: the plan's member has logged the book as finished."""
        finished = ReadingLog.objects.filter(member_id=OuterRef("plan__member_id"), book_id=OuterRef("book_id"))
        return self.annotate(finished=Exists(finished.filter(finished=True)), started=Exists(finished))


class ReadingPlanItem(models.Model):
    plan = models.ForeignKey(ReadingPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="+")
    target_month = models.DateField(_("target month"), help_text=_("The month you aim to finish the book."))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = ReadingPlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["target_month", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "book"], name="readingplanitem_once")]
        verbose_name = _("reading plan item")
        verbose_name_plural = _("reading plan items")

    def __str__(self) -> str:
        return f"{self.book} · {self.target_month:%Y-%m}"


class ReadingLogQuerySet(models.QuerySet):
    def for_member(self, member: Member) -> ReadingLogQuerySet:
        return self.filter(member=member)

    def in_month(self, year: int, month: int) -> ReadingLogQuerySet:
        return self.filter(day__year=year, day__month=month)

    def between(self, start: dt.date, end: dt.date) -> ReadingLogQuerySet:
        return self.filter(day__gte=start, day__lte=end)

    def visible_to(self, user) -> ReadingLogQuerySet:
        """A reading log is the member's own: nobody else sees or changes it."""
        member = current_member(user)
        return self.filter(member=member) if member is not None else self.none()


class ReadingLog(models.Model):
    """One stretch of reading: a book, a day, minutes or pages, finished or not."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reading_logs", verbose_name=_("member"))
    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="reading_logs")
    day = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(pgettext_lazy("duration", "minutes"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    finished = models.BooleanField(_("finished the book"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ReadingLogQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-created_at"]
        # Summaries count a court's month of logs from this index alone (PostgreSQL: index-only scan).
        indexes = [models.Index(fields=["member", "day"], include=["finished"], name="readinglog_member_day")]
        constraints = [
            # IS NOT NULL too: in SQL a NULL comparison would let an empty log through.
            models.CheckConstraint(
                condition=Q(minutes__isnull=False, minutes__gt=0) | Q(pages__isnull=False, pages__gt=0),
                name="readinglog_minutes_or_pages",
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__lte=MAX_MINUTES_PER_DAY), name="readinglog_minutes_max"
            ),
        ]
        verbose_name = _("reading log")
        verbose_name_plural = _("reading logs")

    def __str__(self) -> str:
        return f"{self.member} · {self.book} · {self.day}"

    def get_absolute_url(self) -> str:
        return reverse("activities:reading_log_edit", args=[self.pk])


# --- reflections (读书心得 / 学习体会) -------------------------------------------------------------


class ReflectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReflectionQuerySet:
        """The author sees their own; colleagues of the court see featured ones; organizers of the
        court and leaders (court and below) see everything submitted."""
        if getattr(user, "is_superuser", False):
            return self.all()
        member = current_member(user)
        if member is None or not member.is_active:
            return self.none()
        q = Q(author=member) | Q(status=Reflection.Status.FEATURED, author__court_id=member.court_id)
        if member.is_organizer:
            q |= Q(author__court_id=member.court_id) & ~Q(status=Reflection.Status.DRAFT)
        if member.is_leader:
            q |= Q(author__court__in=visible_courts(user)) & ~Q(status=Reflection.Status.DRAFT)
        return self.filter(q)

    def featured(self) -> ReflectionQuerySet:
        return self.filter(status=Reflection.Status.FEATURED)

    def submitted_or_later(self) -> ReflectionQuerySet:
        return self.exclude(status=Reflection.Status.DRAFT)

    def with_related(self) -> ReflectionQuerySet:
        return self.select_related("author", "author__department", "author__court", "book", "campaign")


class Reflection(models.Model):
    """读书心得 / 学习体会: sanitized Markdown, reviewed by organizers, the best featured (优秀心得)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        FEATURED = "featured", _("featured")
        RETURNED = "returned", _("returned for revision")

    commentable = True

    author = models.ForeignKey(Member, verbose_name=_("author"), on_delete=models.CASCADE, related_name="reflections")
    title = models.CharField(_("title"), max_length=120)
    book = models.ForeignKey(
        Book, verbose_name=_("book"), null=True, blank=True, on_delete=models.PROTECT, related_name="reflections"
    )
    campaign = models.ForeignKey(
        ReadingCampaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflections",
    )
    body = models.TextField(_("text"), max_length=30000)
    body_html = models.TextField(editable=False, blank=True, verbose_name=_("body html"))  # sanitized rendering of body
    attachment = models.FileField(_("attachment"), upload_to="reading/reflections/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True, verbose_name=_("attachment name"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reviewed by")
    )
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    featured_at = models.DateTimeField(null=True, blank=True, verbose_name=_("featured at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "featured_at"]),
            models.Index(fields=["author", "submitted_at"]),  # summaries: a court's month of reflections
            # Summaries: a court's featured reflections of a period, named in the Word summary.
            models.Index(
                fields=["author", "featured_at"], condition=Q(status="featured"), name="reflection_featured_author"
            ),
        ]
        verbose_name = pgettext_lazy("book", "reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:reading_reflection_detail", args=[self.pk])

    @property
    def comment_owner(self) -> Member:
        return self.author

    @property
    def excerpt(self) -> str:
        return Truncator(html.unescape(strip_tags(self.body_html))).chars(140)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


# --- donations (捐书台账) -----------------------------------------------------------------------


class PartnerOrganization(models.Model):
    """A community, school or unit the court pairs with for reading (阅读结对子)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("community")
        VILLAGE = "village", _("village")
        SCHOOL = "school", _("school")
        ENTERPRISE = "enterprise", _("enterprise")
        OTHER = "other", _("other")

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="reading_partners", verbose_name=_("court"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMUNITY)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["court", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="partner_unique_name")]
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")

    def __str__(self) -> str:
        return self.name


class DonationQuerySet(models.QuerySet):
    def visible_to(self, user) -> DonationQuerySet:
        return self.filter(court__in=visible_courts(user))

    def with_totals(self) -> DonationQuerySet:
        return self.annotate(
            n_books=models.Sum("items__count", default=0), n_titles=models.Count("items", distinct=True)
        )


class Donation(models.Model):
    """捐赠书籍: books given to a partner organization on a day, with the receipt photo."""

    court = models.ForeignKey(
        Court, on_delete=models.CASCADE, related_name="reading_donations", verbose_name=_("court")
    )
    partner = models.ForeignKey(
        PartnerOrganization, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="donations"
    )
    campaign = models.ForeignKey(
        ReadingCampaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    day = models.DateField(_("date"))
    receipt = models.FileField(_("receipt photo"), upload_to="reading/receipts/", blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("book donation")
        verbose_name_plural = _("book donations")

    def __str__(self) -> str:
        return f"{self.day} · {self.partner}"

    def get_absolute_url(self) -> str:
        return reverse("activities:reading_donation_detail", args=[self.pk])


class DonationItem(models.Model):
    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="items", verbose_name=_("donation"))
    title = models.CharField(_("book title"), max_length=200)
    count = models.PositiveIntegerField(_("copies"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="donationitem_count_positive")]
        verbose_name = _("donated title")
        verbose_name_plural = _("donated titles")

    def __str__(self) -> str:
        return f"{self.title} × {self.count}"
