"""Monthly plans (工作手册), research outputs and compilations (成果汇编), study-group
recruitment (研习小组招募), members' outcomes and qualifications.

The month-end report window is defined here, once: `ReportWindow.for_month(year, month)`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from members.models import Court, Member, StudyGroup

__all__ = [
    "Application",
    "BatchSquad",
    "Compilation",
    "CompilationItem",
    "MemberOutcome",
    "MonthlyPlan",
    "OutputAuthor",
    "PlanItem",
    "Qualification",
    "RecruitmentBatch",
    "ReportWindow",
    "ResearchOutput",
]

# Courts keep Beijing time whatever the server's clock says.
PLAN_TZ = ZoneInfo("Asia/Shanghai")
# The month-end report window opens on the fifth-last day of the month at 00:00 …
REPORT_WINDOW_DAYS = 5
# … and the deadline is 23:59 on this day of the next month; after it the plan locks.
REPORT_DEADLINE_DAY = 3
# An organizer who reopens a locked plan gives the member this many days.
REOPEN_DAYS = 3

CHINESE_NUMERALS = "〇一二三四五六七八九十"


def month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def local_month(now: dt.datetime) -> tuple[int, int]:
    local = now.astimezone(PLAN_TZ)
    return local.year, local.month


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (batch numbers: 第一批, 第二批)."""
    if 0 <= n <= 10:
        return CHINESE_NUMERALS[n]
    if n < 20:
        return "十" + CHINESE_NUMERALS[n % 10] * (n % 10 != 0)
    if n < 100:
        return CHINESE_NUMERALS[n // 10] + "十" + CHINESE_NUMERALS[n % 10] * (n % 10 != 0)
    return str(n)


@dataclass(frozen=True)
class ReportWindow:
    """When a month's plan is reported: [opens_at, closes_at) in Beijing time."""

    year: int
    month: int
    opens_at: dt.datetime
    closes_at: dt.datetime  # exclusive: the first instant after the deadline minute

    @classmethod
    def for_month(cls, year: int, month: int) -> ReportWindow:
        last_day = calendar.monthrange(year, month)[1]
        opens_at = dt.datetime(year, month, last_day - REPORT_WINDOW_DAYS + 1, tzinfo=PLAN_TZ)
        next_year, next_month = month_after(year, month)
        closes_at = dt.datetime(next_year, next_month, REPORT_DEADLINE_DAY, tzinfo=PLAN_TZ) + dt.timedelta(days=1)
        return cls(year, month, opens_at, closes_at)

    @property
    def deadline(self) -> dt.datetime:
        """The last minute people are told about (23:59 on the deadline day)."""
        return self.closes_at - dt.timedelta(minutes=1)

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: dt.datetime) -> bool:
        return now >= self.closes_at

    @staticmethod
    def open_month(now: dt.datetime) -> tuple[int, int] | None:
        """The month whose report window is open at `now` (at most one is), or None."""
        year, month = local_month(now)
        for candidate in ((year, month), month_before(year, month)):
            if ReportWindow.for_month(*candidate).is_open(now):
                return candidate
        return None


def _stored_name(folder: str, filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    return f"plans/{folder}/{dt.date.today():%Y/%m}/{uuid.uuid4().hex}{extension}"


def output_upload_to(instance, filename: str) -> str:
    return _stored_name("outputs", filename)


def compilation_upload_to(instance, filename: str) -> str:
    return _stored_name("compilations", filename)


def qualification_upload_to(instance, filename: str) -> str:
    return _stored_name("qualifications", filename)


# ---------------------------------------------------------------------------- monthly plans


class MonthlyPlanQuerySet(models.QuerySet):
    def for_member(self, member: Member) -> MonthlyPlanQuerySet:
        return self.filter(member=member)

    def in_month(self, year: int, month: int) -> MonthlyPlanQuerySet:
        return self.filter(year=year, month=month)

    def visible_to(self, user) -> MonthlyPlanQuerySet:
        """The member's own plans, their department head's view, their organizers' and leaders'."""
        from members.access import current_member, managed_members, visible_courts

        if getattr(user, "is_superuser", False):
            return self.all()
        me = current_member(user)
        if me is None or not me.is_active:
            return self.none()
        condition = Q(member=me) | Q(member__department__head=me)
        if me.is_organizer:
            condition |= Q(member__in=managed_members(user))
        if me.is_leader:
            condition |= Q(member__court__in=visible_courts(user))
        return self.filter(condition)


class MonthlyPlan(models.Model):
    """One member's plan for one month, reported at month-end (工作手册·月度计划)."""

    commentable = True

    class Timeliness(models.TextChoices):
        ON_TIME = "on_time", _("reported on time")
        LATE = "late", _("reported late")
        NOT_SUBMITTED = "not_submitted", _("not submitted")
        PENDING = "pending", _("not yet reported")

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="monthly_plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    summary = models.TextField(_("month-end summary"), max_length=2000, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reopened_until = models.DateTimeField(_("reopened until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = MonthlyPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "month"], name="monthlyplan_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthlyplan_month_range"),
        ]
        # Summaries find a court's plans of a period and whether each was reported from this index alone.
        indexes = [
            models.Index(fields=["member", "year", "month"], include=["id", "reported_at"], name="monthlyplan_summary")
        ]
        verbose_name = _("monthly plan")
        verbose_name_plural = _("monthly plans")

    def __str__(self) -> str:
        return f"{self.member} · {self.month_label}"

    def get_absolute_url(self) -> str:
        return reverse("activities:plan_detail", args=[self.pk])

    @property
    def comment_owner(self) -> Member:
        return self.member

    def allows_comment_from(self, user) -> bool:
        """The head of the member's department comments too (besides leaders and organizers)."""
        from members.access import current_member

        me = current_member(user)
        return bool(me and me.is_active and self.member.department_id and self.member.department.head_id == me.pk)

    @property
    def month_label(self) -> str:
        return month_label(self.year, self.month)

    @property
    def window(self) -> ReportWindow:
        return ReportWindow.for_month(self.year, self.month)

    def is_reopened(self, now: dt.datetime) -> bool:
        return self.reopened_until is not None and now < self.reopened_until

    def is_locked(self, now: dt.datetime) -> bool:
        """After the deadline nothing changes, unless an organizer reopened the plan."""
        return self.window.has_closed(now) and not self.is_reopened(now)

    def can_report(self, now: dt.datetime) -> bool:
        return self.window.is_open(now) or self.is_reopened(now)

    def timeliness(self, now: dt.datetime) -> str:
        if self.reported_at is not None:
            return self.Timeliness.ON_TIME if self.reported_at < self.window.closes_at else self.Timeliness.LATE
        return self.Timeliness.NOT_SUBMITTED if self.window.has_closed(now) else self.Timeliness.PENDING


def month_label(year: int, month: int) -> str:
    if (get_language() or "").startswith("zh"):
        return f"{year}年{month}月"
    return f"{year}-{month:02d}"


class PlanItem(models.Model):
    class Kind(models.TextChoices):
        LEARNING = "learning", _("learning")  # 学习
        WORK = "work", _("work task")  # 工作

    class Status(models.TextChoices):
        DONE = "done", _("done")  # 已完成
        PARTLY = "partly", _("partly done")  # 部分完成
        NOT_DONE = "not_done", _("not done")  # 未完成

    plan = models.ForeignKey(MonthlyPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WORK)
    text = models.CharField(_("item"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    # Set when a department head or organizer assigned the item to everyone in a unit.
    assigned_by = models.ForeignKey(
        Member, verbose_name=_("assigned by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["plan", "position", "pk"]
        # Summaries count a plan's items and those done from this index alone (PostgreSQL).
        indexes = [models.Index(fields=["plan"], include=["status"], name="planitem_plan_status")]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.text

    @property
    def is_unfinished(self) -> bool:
        return self.status in {self.Status.PARTLY, self.Status.NOT_DONE}


# ---------------------------------------------------------------------------- research outputs


class ResearchOutputQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResearchOutputQuerySet:
        from members.access import visible_courts

        return self.filter(court__in=visible_courts(user))

    def by_member(self, member: Member) -> ResearchOutputQuerySet:
        return self.filter(authors__member=member)


class ResearchOutput(models.Model):
    """调研成果: a paper, a typical case, a report… with ordered authors."""

    commentable = True

    class Kind(models.TextChoices):
        PAPER = "paper", _("paper")  # 论文
        TYPICAL_CASE = "typical_case", _("typical case")  # 典型案例
        RESEARCH_REPORT = "research_report", _("research report")  # 调研报告
        BRIEFING = "briefing", _("information / briefing")  # 信息/简报
        PUBLICITY = "publicity", _("publicity article")  # 宣传稿件
        CASE_ANALYSIS = "case_analysis", _("case analysis")  # 案例分析

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")  # 国家级
        PROVINCIAL = "provincial", _("provincial")  # 省级
        CITY = "city", _("city")  # 市级
        COURT = "court", pgettext_lazy("output level", "court")  # 院级

    class Recognition(models.TextChoices):
        ADOPTED = "adopted", _("adopted")  # 采用
        AWARDED = "awarded", _("awarded")  # 获奖
        ENDORSED = "endorsed", _("endorsed by a leader")  # 批示

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="research_outputs")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), max_length=3000, blank=True)
    body = models.TextField(_("full text"), max_length=60000, blank=True)
    date = models.DateField(_("date"))
    outlet = models.CharField(
        _("outlet"), max_length=200, blank=True, help_text=_("Where it was published (刊发载体).")
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    recognition = models.CharField(_("recognition"), max_length=12, choices=Recognition.choices, blank=True)
    recognition_note = models.CharField(_("recognition details"), max_length=200, blank=True)
    attachment = models.FileField(_("attachment"), upload_to=output_upload_to, blank=True, max_length=200)
    attachment_name = models.CharField(max_length=200, blank=True, verbose_name=_("attachment name"))
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ResearchOutputQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["court", "kind", "date"]),
            models.Index(fields=["court", "date"]),  # summaries: a court's outputs of a period
            models.Index(fields=["date"]),  # summaries: a period's outputs, whose authors a court counts
        ]
        verbose_name = _("research output")
        verbose_name_plural = _("research outputs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:output_detail", args=[self.pk])

    @property
    def comment_owner(self) -> Member | None:
        """The first author who is a member (whose work it is), else who recorded it."""
        first = self.authors.filter(member__isnull=False).select_related("member").first()
        return first.member if first else self.created_by

    @property
    def author_names(self) -> str:
        """Uses the prefetched authors when there are any."""
        return "、".join(author.display_name for author in self.authors.all())


class OutputAuthor(models.Model):
    """An author of an output, in order: a member, or an outside co-author by name."""

    output = models.ForeignKey(
        ResearchOutput, on_delete=models.CASCADE, related_name="authors", verbose_name=_("research output")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.SET_NULL, related_name="authorships"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)

    class Meta:
        ordering = ["output", "position"]
        constraints = [
            models.UniqueConstraint(fields=["output", "position"], name="outputauthor_unique_position"),
            models.UniqueConstraint(
                fields=["output", "member"], condition=Q(member__isnull=False), name="outputauthor_unique_member"
            ),
        ]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.member_id is None and self.affiliation:
            return f"{self.name}({self.affiliation})"
        return self.name


class CompilationQuerySet(models.QuerySet):
    def visible_to(self, user) -> CompilationQuerySet:
        from members.access import visible_courts

        return self.filter(court__in=visible_courts(user))


class Compilation(models.Model):
    """成果汇编: outputs an organizer picked and ordered, built into a Word document."""

    class Content(models.TextChoices):
        ABSTRACTS = "abstracts", _("abstracts")
        FULL_TEXT = "full", _("full texts (abstract when there is no text)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("building")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="compilations")
    title = models.CharField(_("title"), max_length=200)
    compiled_by = models.CharField(
        _("compiled by"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the title page, e.g. the political department."),
    )
    preface = models.TextField(_("preface"), max_length=5000, blank=True)
    content = models.CharField(_("content"), max_length=10, choices=Content.choices, default=Content.FULL_TEXT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(upload_to=compilation_upload_to, blank=True, max_length=200, verbose_name=_("file"))
    built_at = models.DateTimeField(null=True, blank=True, verbose_name=_("built at"))
    error = models.CharField(max_length=300, blank=True, verbose_name=_("error"))
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = CompilationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="compilation_progress_percent"),
        ]
        verbose_name = _("compilation")
        verbose_name_plural = _("compilations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:compilation_detail", args=[self.pk])

    @property
    def is_busy(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}


class CompilationItem(models.Model):
    compilation = models.ForeignKey(
        Compilation, on_delete=models.CASCADE, related_name="items", verbose_name=_("compilation")
    )
    output = models.ForeignKey(
        ResearchOutput, on_delete=models.CASCADE, related_name="+", verbose_name=_("research output")
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["compilation", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["compilation", "output"], name="compilationitem_once")]
        verbose_name = _("compilation item")
        verbose_name_plural = _("compilation items")

    def __str__(self) -> str:
        return f"{self.compilation} #{self.position}"


# ---------------------------------------------------------------------------- recruitment


class RecruitmentBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> RecruitmentBatchQuerySet:
        """Batches of the groups the user sees: their courts' and those of courts above open to theirs."""
        return self.filter(group__in=StudyGroup.objects.visible_to(user))

    def for_court(self, court: Court) -> RecruitmentBatchQuerySet:
        """The batches a court's members may apply to: the court's own and those of groups of the
        courts above it that are open to the courts below."""
        from members.access import courts_above

        return self.filter(
            Q(group__court=court) | Q(group__spans_courts_below=True, group__court__in=courts_above(court))
        )

    def open_on(self, day: dt.date) -> RecruitmentBatchQuerySet:
        return self.filter(opens_on__lte=day, closes_on__gte=day, squads_formed_at__isnull=True)


class RecruitmentBatch(models.Model):
    """研习小组招募: one batch (第一批, 第二批…) of a research study group."""

    group = models.ForeignKey(
        StudyGroup, verbose_name=_("study group"), on_delete=models.PROTECT, related_name="recruitment_batches"
    )
    number = models.PositiveSmallIntegerField(_("batch number"))
    criteria = models.TextField(_("criteria"), max_length=3000)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1), MaxValueValidator(1000)])
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    squads_formed_at = models.DateTimeField(_("squads formed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = RecruitmentBatchQuerySet.as_manager()

    class Meta:
        ordering = ["group", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="recruitmentbatch_unique_number"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="recruitmentbatch_dates"),
        ]
        verbose_name = _("recruitment batch")
        verbose_name_plural = _("recruitment batches")

    def __str__(self) -> str:
        return f"{self.group} · {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("activities:recruitment_detail", args=[self.pk])

    @property
    def label(self) -> str:
        if (get_language() or "").startswith("zh"):
            return f"第{chinese_number(self.number)}批"
        return f"Batch {self.number}"

    def is_open(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.closes_on and self.squads_formed_at is None


class Application(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("application", "pending")
        SELECTED = "selected", _("selected")
        REJECTED = "rejected", _("not selected")

    batch = models.ForeignKey(
        RecruitmentBatch, on_delete=models.CASCADE, related_name="applications", verbose_name=_("batch")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="study_group_applications", verbose_name=_("member")
    )
    statement = models.TextField(_("statement"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["batch", "created_at"]
        constraints = [models.UniqueConstraint(fields=["batch", "member"], name="application_once_per_batch")]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.member} → {self.batch}"


class BatchSquad(models.Model):
    """Which squads (学习小队: StudyGroup kind=squad) a batch formed."""

    batch = models.ForeignKey(
        RecruitmentBatch, on_delete=models.CASCADE, related_name="squads", verbose_name=_("batch")
    )
    group = models.OneToOneField(
        StudyGroup, on_delete=models.CASCADE, related_name="batch_squad", verbose_name=_("group")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["batch", "position"]
        verbose_name = _("squad of a batch")
        verbose_name_plural = _("squads of batches")

    def __str__(self) -> str:
        return str(self.group)


class MemberOutcomeQuerySet(models.QuerySet):
    def visible_to(self, user) -> MemberOutcomeQuerySet:
        from members.access import visible_courts

        return self.filter(member__court__in=visible_courts(user))


class MemberOutcome(models.Model):
    """What became of a member, recorded by an organizer (e.g. 晋升中层)."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", _("promotion")  # 晋升
        FRONTLINE = "frontline", _("moved to front-line casework")  # 充实办案一线
        HONOR = "honor", _("honour")  # 表彰
        OTHER = "other", _("other")

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="outcomes")
    batch = models.ForeignKey(
        RecruitmentBatch,
        verbose_name=_("recruitment batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = MemberOutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.member} · {self.description}"


# ---------------------------------------------------------------------------- qualifications


class QualificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> QualificationQuerySet:
        from members.access import visible_courts

        return self.filter(member__court__in=visible_courts(user))


class Qualification(models.Model):
    """A certificate or qualification a member holds, e.g. 家庭教育指导师."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="qualifications"
    )
    name = models.CharField(_("qualification"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=100)
    issued_on = models.DateField(_("date issued"))
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    file = models.FileField(_("scan or photo"), upload_to=qualification_upload_to, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("file name"))
    recorded_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "name", "issued_on"], name="qualification_unique"),
        ]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return f"{self.member} · {self.name}"
