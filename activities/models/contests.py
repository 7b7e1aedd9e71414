"""Contests, quizzes and assessments.

Contests (演讲比赛, 征文比赛, 党建创新项目评选…) are decided by audience votes, judges or both.
Micro-quizzes (微测验) draw on a question bank. Assessments record offline exams and
skills tests (速录, 业务技能评比) measured outside the app.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.access import current_member, visible_courts
from members.models import Court, Department, Member, PartyBranch, StudyGroup

__all__ = [
    "Contest",
    "Entry",
    "Vote",
    "JudgingCriterion",
    "JudgeAssignment",
    "Score",
    "Award",
    "QuestionTag",
    "Question",
    "QuestionOption",
    "Quiz",
    "QuizQuestion",
    "QuizDrawRule",
    "Attempt",
    "AttemptAnswer",
    "Assessment",
    "AssessmentResult",
]


def organizer_court_ids(user) -> list[int]:
    """Courts in which the user organizes (draft contests and quizzes are theirs to see)."""
    member = current_member(user)
    if member is None or not member.is_active or not member.is_organizer:
        return []
    return [member.court_id]


class AudienceScoped(models.Model):
    """Who a contest or quiz is for: the whole court, or some departments and study groups."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="+")
    audience_departments = models.ManyToManyField(
        Department,
        verbose_name=_("departments"),
        blank=True,
        related_name="+",
        help_text=_("Leave departments and study groups empty for the whole court."),
    )
    audience_groups = models.ManyToManyField(StudyGroup, verbose_name=_("study groups"), blank=True, related_name="+")

    class Meta:
        abstract = True


# ---------------------------------------------------------------------------------------------
# Contests


class ContestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContestQuerySet:
        """Contests of the courts the user sees; drafts only for the court's organizers."""
        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(court__in=visible_courts(user)).filter(
            ~Q(phase=Contest.Phase.DRAFT) | Q(court_id__in=organizer_court_ids(user))
        )


class Contest(AudienceScoped):
    class Kind(models.TextChoices):
        SPEECH = "speech", _("speech contest / weekly share")  # 演讲比赛 / 周分享评比
        ESSAY = "essay", _("essay contest")  # 征文比赛
        PARTY_PROJECT = "party_project", _("party-building innovation projects")  # 党建创新项目评选
        RECITATION = "recitation", _("recitation contest")  # 朗读比赛
        KNOWLEDGE = "knowledge", _("knowledge contest")  # 知识竞赛
        OTHER = "other", _("other")

    class Phase(models.TextChoices):
        DRAFT = "draft", _("in preparation")
        ENTRIES = "entries", _("entries open")
        JUDGING = "judging", _("voting and judging")
        PUBLISHED = "published", _("results published")

    class ResultsVisibility(models.TextChoices):
        LIVE = "live", _("live, while voting runs")
        AFTER_CLOSE = "after_close", _("after voting closes")

    class UnitKind(models.TextChoices):
        DEPARTMENT = "department", _("department")
        BRANCH = "branch", _("party branch")
        GROUP = "group", _("study group")  # a 研习小组 puts forward its project

    class TieBreak(models.TextChoices):
        JUDGES = "judges", _("higher judges' score, then more votes, then the lower entry number")
        VOTES = "votes", _("more votes, then higher judges' score, then the lower entry number")

    PHASE_ORDER = [Phase.DRAFT, Phase.ENTRIES, Phase.JUDGING, Phase.PUBLISHED]

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SPEECH)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.DRAFT)

    session = models.ForeignKey(
        "activities.Session",
        verbose_name=_("linked session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contests",
        help_text=_("The session where the entrants speak, e.g. a weekly share."),
    )
    voters_must_attend = models.BooleanField(
        _("only attendees vote"),
        default=False,
        help_text=_("Only members who signed in to the linked session may vote."),
    )
    voting_enabled = models.BooleanField(_("audience vote"), default=True)
    votes_per_voter = models.PositiveSmallIntegerField(
        _("votes per voter"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    vote_opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    results_visibility = models.CharField(
        _("vote tally shown"), max_length=12, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_CLOSE
    )

    judging_enabled = models.BooleanField(_("judges score entries"), default=False)
    audience_weight = models.PositiveSmallIntegerField(
        _("weight of the audience vote (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_("The judges' weight is the rest of 100."),
    )
    judges = models.ManyToManyField(
        Member, verbose_name=pgettext_lazy("contests", "judges"), blank=True, related_name="judged_contests"
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty: every judge who may scores every entry."),
    )
    cross_review = models.BooleanField(
        _("cross-review"), default=False, help_text=_("No judge scores an entry from their own unit (交叉互评).")
    )
    unit_kind = models.CharField(
        _("entries belong to"), max_length=12, choices=UnitKind.choices, default=UnitKind.DEPARTMENT
    )
    entries_by_unit = models.BooleanField(
        _("units enter, not members"),
        default=False,
        help_text=_(
            "Each unit of the kind above puts forward one project (e.g. 党建创新项目): "
            "results and certificates name the unit and its project."
        ),
    )
    drop_extremes = models.BooleanField(
        _("drop the highest and lowest judge score"),
        default=False,
        help_text=_("Applied to entries with at least three judges' scores."),
    )
    tie_break = models.CharField(_("ties broken by"), max_length=10, choices=TieBreak.choices, default=TieBreak.JUDGES)

    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    objects = ContestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vote_opens_at__isnull=True)
                | Q(vote_closes_at__isnull=True)
                | Q(vote_opens_at__lt=models.F("vote_closes_at")),
                name="contest_vote_window_order",
                violation_error_message=_("Voting must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(audience_weight__lte=100),
                name="contest_weight_max_100",
                violation_error_message=_("The weight is at most 100."),
            ),
            # A member belongs to many study groups: groups take part only as units.
            models.CheckConstraint(
                condition=~Q(unit_kind="group") | Q(entries_by_unit=True),
                name="contest_groups_enter_as_units",
                violation_error_message=_("Study groups take part as units: tick that units enter."),
            ),
        ]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:contest_detail", args=[self.pk])

    @property
    def judge_weight(self) -> int:
        return 100 - self.audience_weight

    def is_voting_open(self, now: dt.datetime) -> bool:
        return (
            self.voting_enabled
            and self.phase == self.Phase.JUDGING
            and self.vote_opens_at is not None
            and self.vote_closes_at is not None
            and self.vote_opens_at <= now < self.vote_closes_at
        )

    def is_voting_over(self, now: dt.datetime) -> bool:
        if self.phase == self.Phase.PUBLISHED:
            return True
        return self.vote_closes_at is not None and now >= self.vote_closes_at

    def tally_is_public(self, now: dt.datetime) -> bool:
        """Whether members may see the vote counts (organizers always may)."""
        if not self.voting_enabled or self.phase in (self.Phase.DRAFT, self.Phase.ENTRIES):
            return False
        if self.phase == self.Phase.PUBLISHED:
            return True
        if self.results_visibility == self.ResultsVisibility.LIVE:
            return self.vote_opens_at is not None and now >= self.vote_opens_at
        return self.is_voting_over(now)

    @property
    def accepts_entries(self) -> bool:
        return self.phase == self.Phase.ENTRIES

    def next_phase(self) -> str | None:
        index = self.PHASE_ORDER.index(self.phase)
        return self.PHASE_ORDER[index + 1] if index + 1 < len(self.PHASE_ORDER) else None


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> EntryQuerySet:
        """Entries of visible contests. While entries are open, members see only their own."""
        if getattr(user, "is_superuser", False):
            return self.all()
        member = current_member(user)
        own = Q(member=member) if member else Q(pk__in=[])
        return self.filter(contest__in=Contest.objects.visible_to(user)).filter(
            ~Q(contest__phase__in=[Contest.Phase.DRAFT, Contest.Phase.ENTRIES])
            | own
            | Q(contest__court_id__in=organizer_court_ids(user))
        )


class Entry(models.Model):
    """One member's entry: a talk (title only), a text, a file, or several of these.

    Or, in a contest whose units enter (`Contest.entries_by_unit`), a unit's project: `by_unit` is
    set, the unit is the one of the contest's `unit_kind` (the other unit field stays empty), the
    title is the project's, and `member` is the unit's contact, not the entrant.
    """

    commentable = True

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries", verbose_name=_("contest"))
    member = models.ForeignKey(
        Member, verbose_name=_("entrant"), on_delete=models.PROTECT, related_name="contest_entries"
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Order of appearance or entry number."))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(pgettext_lazy("contests", "text"), blank=True, max_length=30000)
    file = models.FileField(_("file"), upload_to="contests/entries/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("file name"))
    session = models.ForeignKey(
        "activities.Session",
        verbose_name=_("session where they spoke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contest_entries",
    )
    # The unit the entry belongs to, fixed when it is entered (people move between departments).
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    branch = models.ForeignKey(
        PartyBranch, verbose_name=_("party branch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        StudyGroup, verbose_name=_("study group"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_unit = models.BooleanField(_("a unit's entry"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["contest", "number"]
        constraints = [
            # A contact may send several units' projects; a member enters once.
            models.UniqueConstraint(
                fields=["contest", "member"], condition=Q(by_unit=False), name="entry_one_per_member"
            ),
            models.UniqueConstraint(
                fields=["contest", "branch"], condition=Q(by_unit=True), name="entry_one_per_branch"
            ),
            models.UniqueConstraint(
                fields=["contest", "department"], condition=Q(by_unit=True), name="entry_one_per_department"
            ),
            models.UniqueConstraint(fields=["contest", "group"], condition=Q(by_unit=True), name="entry_one_per_group"),
            # A member's entry keeps their department and branch, never a group (they have many); a
            # unit's entry names one unit (none once that unit is deleted).
            models.CheckConstraint(
                condition=Q(by_unit=False, group__isnull=True)
                | Q(by_unit=True, branch__isnull=True, department__isnull=True)
                | Q(by_unit=True, group__isnull=True, department__isnull=True)
                | Q(by_unit=True, group__isnull=True, branch__isnull=True),
                name="entry_unit_fields",
            ),
            models.UniqueConstraint(fields=["contest", "number"], name="entry_unique_number"),
        ]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("activities:entry_detail", args=[self.pk])

    @property
    def comment_owner(self) -> Member:
        return self.member

    # The entry's field that holds a unit of each kind.
    UNIT_FIELDS = {
        Contest.UnitKind.DEPARTMENT: "department",
        Contest.UnitKind.BRANCH: "branch",
        Contest.UnitKind.GROUP: "group",
    }

    def unit_key(self, unit_kind: str) -> tuple[str, int] | None:
        """The entry's unit for cross-review, e.g. ("department", 3), or None."""
        unit_id = getattr(self, f"{self.UNIT_FIELDS[unit_kind]}_id")
        return (unit_kind, unit_id) if unit_id else None

    def unit_for(self, unit_kind: str) -> Department | PartyBranch | StudyGroup | None:
        return getattr(self, self.UNIT_FIELDS[unit_kind])

    @property
    def entrant_unit(self) -> Department | PartyBranch | StudyGroup | None:
        """The unit that entered (a unit's entry only; select_related group, branch and department)."""
        if not self.by_unit:
            return None
        # Only one is set (entry_unit_fields); an empty id costs no query.
        return (
            (self.group if self.group_id else None)
            or (self.branch if self.branch_id else None)
            or (self.department if self.department_id else None)
        )

    @property
    def entrant_name(self) -> str:
        """Who results, awards and certificates name: the unit for a unit's entry, else the member."""
        unit = self.entrant_unit
        return unit.name if unit is not None else self.member.name


class Vote(models.Model):
    """One vote of one voter. The database refuses a second vote for the same slot or entry."""

    class Source(models.TextChoices):
        ONLINE = "online", pgettext_lazy("vote source", "online")
        PAPER = "paper", _("paper ballot")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="votes", verbose_name=_("contest"))
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Member, verbose_name=_("voter"), on_delete=models.PROTECT, related_name="contest_votes")
    slot = models.PositiveSmallIntegerField(_("vote number"))
    receipt = models.CharField(_("receipt code"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    entered_by = models.ForeignKey(
        Member,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["contest", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "voter", "slot"], name="vote_one_per_slot"),
            models.UniqueConstraint(fields=["contest", "voter", "entry"], name="vote_once_per_entry"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="vote_slot_positive"),
            models.CheckConstraint(condition=Q(source="online") | ~Q(reason=""), name="vote_paper_has_reason"),
        ]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return self.receipt


class JudgingCriterion(models.Model):
    """e.g. 内容 40, 表达 30, 仪态 20, 时间 10."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("contest"))
    name = models.CharField(_("criterion"), max_length=50)
    max_points = models.PositiveSmallIntegerField(
        _("points"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contest", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="criterion_points_positive"),
        ]
        verbose_name = _("judging criterion")
        verbose_name_plural = _("judging criteria")

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class JudgeAssignment(models.Model):
    """A judge's task: score one entry on every criterion."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("contest")
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("entry"))
    judge = models.ForeignKey(
        Member, verbose_name=pgettext_lazy("contests", "judge"), on_delete=models.PROTECT, related_name="judge_tasks"
    )
    remark = models.TextField(pgettext_lazy("contests", "remark"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["contest", "entry__number", "judge__name"]
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="assignment_unique")]
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")

    def __str__(self) -> str:
        return f"{self.judge} → {self.entry}"

    def get_absolute_url(self) -> str:
        return reverse("activities:assignment_score", args=[self.pk])


class Score(models.Model):
    assignment = models.ForeignKey(
        JudgeAssignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assignment")
    )
    criterion = models.ForeignKey(
        JudgingCriterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.points}"


class AwardQuerySet(models.QuerySet):
    def published(self) -> AwardQuerySet:
        return self.filter(contest__phase=Contest.Phase.PUBLISHED)

    def visible_to(self, user) -> AwardQuerySet:
        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(contest__in=Contest.objects.visible_to(user)).filter(
            Q(contest__phase=Contest.Phase.PUBLISHED) | Q(contest__court_id__in=organizer_court_ids(user))
        )


class Award(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", _("first prize")  # 一等奖
        SECOND = "second", _("second prize")  # 二等奖
        THIRD = "third", _("third prize")  # 三等奖
        EXCELLENCE = "excellence", _("excellence award")  # 优秀奖
        FORUM_STAR = "forum_star", _("forum star")  # 论坛之星
        CUSTOM = "custom", _("other award")

    RANK = {Kind.FIRST: 1, Kind.SECOND: 2, Kind.THIRD: 3, Kind.EXCELLENCE: 4, Kind.FORUM_STAR: 5, Kind.CUSTOM: 6}

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="awards", verbose_name=_("contest"))
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("award"), max_length=12, choices=Kind.choices)
    custom_name = models.CharField(_("name of the award"), max_length=40, blank=True)
    certificate = models.FileField(
        pgettext_lazy("award", "certificate"), upload_to="contests/certificates/%Y/", blank=True
    )
    certificate_rendered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("certificate rendered at"))
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["contest", "kind", "entry__number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "custom_name"], name="award_unique"),
            models.CheckConstraint(condition=~Q(kind="custom") | ~Q(custom_name=""), name="award_custom_has_name"),
        ]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.name} · {self.entry.entrant_name}"

    @property
    def name(self) -> str:
        return self.custom_name if self.kind == self.Kind.CUSTOM else str(self.get_kind_display())

    @property
    def rank(self) -> int:
        return self.RANK.get(self.kind, 9)


# ---------------------------------------------------------------------------------------------
# Question bank and quizzes


class QuestionTag(models.Model):
    """e.g. 党的二十大精神, 民法典, 习近平法治思想."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+", verbose_name=_("court"))
    name = models.CharField(_("tag"), max_length=40)

    class Meta:
        ordering = ["court", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="questiontag_unique")]
        verbose_name = _("question tag")
        verbose_name_plural = _("question tags")

    def __str__(self) -> str:
        return self.name


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """The bank holds answers: only the court's organizers see it."""
        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(court_id__in=organizer_court_ids(user))

    def active(self) -> QuestionQuerySet:
        return self.filter(is_active=True)


BLANK_SEPARATOR = ";"
ALTERNATIVE_SEPARATOR = "|"


def normalize_answer(text: str) -> str:
    """Full-width to half-width, no spaces, case and end punctuation ignored: 民法典 == 民法典。"""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"\s+", "", text)
    return text.rstrip("。.")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")  # 单选题
        MULTIPLE = "multiple", _("multiple choice")  # 多选题
        TRUE_FALSE = "true_false", _("true or false")  # 判断题
        FILL = "fill", _("fill in the blank")  # 填空题

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("easy")
        MEDIUM = 2, _("medium")
        HARD = 3, _("hard")

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+", verbose_name=_("court"))
    kind = models.CharField(_("question type"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question"), max_length=2000)
    # Fill in the blank: blanks separated by ";", accepted alternatives by "|", e.g. "人民|群众;公正".
    answer_text = models.CharField(_("answer"), max_length=500, blank=True)
    true_false_answer = models.BooleanField(_("the statement is true"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True, max_length=3000)
    tags = models.ManyToManyField(QuestionTag, verbose_name=_("tags"), blank=True, related_name="questions")
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def is_choice(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    def blanks(self) -> list[list[str]]:
        """Accepted answers per blank, as written (fill in the blank only)."""
        text = unicodedata.normalize("NFKC", self.answer_text)
        groups = [group.strip() for group in text.split(BLANK_SEPARATOR)]
        return [[alt.strip() for alt in group.split(ALTERNATIVE_SEPARATOR) if alt.strip()] for group in groups if group]

    def correct_option_ids(self) -> set[int]:
        """Uses prefetched options when there are any."""
        return {option.pk for option in self.options.all() if option.is_correct}

    def grade(self, response: list) -> bool:
        """Whether a response is right. Multiple choice counts only the exact set; every blank must match."""
        if self.is_choice:
            try:
                chosen = {int(value) for value in response}
            except (TypeError, ValueError):
                return False
            correct = self.correct_option_ids()
            return bool(chosen) and chosen == correct
        if self.kind == self.Kind.TRUE_FALSE:
            return len(response) == 1 and response[0] is self.true_false_answer
        blanks = self.blanks()
        if len(response) != len(blanks):
            return False
        return all(
            normalize_answer(given) in {normalize_answer(alt) for alt in accepted}
            for given, accepted in zip(response, blanks, strict=True)
        )

    def correct_answer_display(self) -> str:
        if self.is_choice:
            return "、".join(option.text for option in self.options.all() if option.is_correct)
        if self.kind == self.Kind.TRUE_FALSE:
            return str(_("true")) if self.true_false_answer else str(_("false"))
        return "；".join(" / ".join(accepted) for accepted in self.blanks())


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    text = models.CharField(_("option"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text


class QuizQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuizQuerySet:
        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(court__in=visible_courts(user)).filter(
            Q(status=Quiz.Status.PUBLISHED) | Q(court_id__in=organizer_court_ids(user))
        )

    def open_at(self, now: dt.datetime) -> QuizQuerySet:
        return self.filter(status=Quiz.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now)


class Quiz(AudienceScoped):
    """A round of micro-quiz (微测验 第N期)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Selection(models.TextChoices):
        FIXED = "fixed", _("fixed questions")
        RANDOM = "random", _("drawn at random by tag")

    class Reveal(models.TextChoices):
        AFTER_CLOSE = "after_close", _("after the quiz closes")
        AFTER_SUBMIT = "after_submit", _("right after submitting")

    title = models.CharField(_("title"), max_length=120)
    number = models.PositiveSmallIntegerField(_("round number"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    selection = models.CharField(_("questions"), max_length=10, choices=Selection.choices, default=Selection.FIXED)
    questions = models.ManyToManyField(
        Question, through="QuizQuestion", blank=True, related_name="quizzes", verbose_name=_("questions")
    )
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    shuffle_questions = models.BooleanField(_("shuffle question order"), default=False)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (out of 100)"), default=60, validators=[MaxValueValidator(100)]
    )
    reveal = models.CharField(
        _("answers and explanations shown"), max_length=12, choices=Reveal.choices, default=Reveal.AFTER_CLOSE
    )
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")),
                name="quiz_window_order",
                violation_error_message=_("The quiz must close after it opens."),
            ),
            models.UniqueConstraint(
                fields=["court", "number"], condition=Q(number__isnull=False), name="quiz_unique_number"
            ),
        ]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:quiz_detail", args=[self.pk])

    def is_open(self, now: dt.datetime) -> bool:
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at

    def is_closed(self, now: dt.datetime) -> bool:
        return now >= self.closes_at

    def reveals_answers(self, attempt: Attempt | None, now: dt.datetime) -> bool:
        if self.is_closed(now):
            return True
        return (
            self.reveal == self.Reveal.AFTER_SUBMIT and attempt is not None and attempt.status != Attempt.Status.ACTIVE
        )

    @property
    def time_limit(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.time_limit_minutes)


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions", verbose_name=_("quiz"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question"))
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        ordering = ["quiz", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="quizquestion_unique")]
        verbose_name = _("question of a quiz")
        verbose_name_plural = _("questions of quizzes")

    def __str__(self) -> str:
        return f"{self.quiz} · {self.question}"


class QuizDrawRule(models.Model):
    """Draw `count` random questions with this tag (any tag when empty) for each attempt."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules", verbose_name=_("quiz"))
    tag = models.ForeignKey(QuestionTag, verbose_name=_("tag"), null=True, blank=True, on_delete=models.PROTECT)
    count = models.PositiveSmallIntegerField(_("count"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        ordering = ["quiz", "id"]
        verbose_name = _("draw rule")
        verbose_name_plural = _("draw rules")

    def __str__(self) -> str:
        return f"{self.tag or '*'} × {self.count}"


class AttemptQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttemptQuerySet:
        """Your own attempts; organizers and leaders see the attempts in their courts."""
        if getattr(user, "is_superuser", False):
            return self.all()
        member = current_member(user)
        if member is None or not member.is_active:
            return self.none()
        if member.is_leader:
            return self.filter(Q(member=member) | Q(quiz__court__in=visible_courts(user)))
        return self.filter(Q(member=member) | Q(quiz__court_id__in=organizer_court_ids(user)))

    def finished(self) -> AttemptQuerySet:
        return self.exclude(status=Attempt.Status.ACTIVE)


class Attempt(models.Model):
    """One member's try at a quiz. Time is kept on the server: `deadline` is fixed at the start."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("quiz attempt", "in progress")
        SUBMITTED = "submitted", pgettext_lazy("quiz attempt", "submitted")
        EXPIRED = "expired", _("submitted when time ran out")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("member"))
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(pgettext_lazy("quiz attempt", "submitted"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    question_count = models.PositiveSmallIntegerField(_("questions"), default=0)
    passed = models.BooleanField(pgettext_lazy("quiz", "passed"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "member", "number"], name="attempt_unique_number"),
            models.UniqueConstraint(fields=["quiz", "member"], condition=Q(status="active"), name="attempt_one_active"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            # Summaries: a court's month of attempts, answered from this index alone (PostgreSQL).
            models.Index(
                fields=["member", "submitted_at"],
                include=["status", "score", "passed"],
                name="attempt_member_submitted",
            ),
        ]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.quiz} · {self.member} #{self.number}"

    def get_absolute_url(self) -> str:
        if self.status == self.Status.ACTIVE:
            return reverse("activities:attempt_take", args=[self.pk])
        return reverse("activities:attempt_result", args=[self.pk])

    def seconds_left(self, now: dt.datetime) -> int:
        return max(0, int((self.deadline - now).total_seconds()))


class AttemptAnswer(models.Model):
    """The attempt's paper, frozen at the start (questions, their order, shuffled options), and the answer."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("quiz attempt")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="attempt_answers", verbose_name=_("question")
    )
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    option_order = models.JSONField(default=list, blank=True, verbose_name=_("option order"))
    # Option ids (choice), [true]/[false] (true or false) or one text per blank (fill in).
    response = models.JSONField(default=list, blank=True, verbose_name=_("response"))
    is_correct = models.BooleanField(null=True, blank=True, verbose_name=_("is correct"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))

    class Meta:
        ordering = ["attempt", "order"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="attemptanswer_unique")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.order}"


# ---------------------------------------------------------------------------------------------
# Offline exams and skills assessments


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Organizers and leaders see the assessments of their courts; members see their own results."""
        if getattr(user, "is_superuser", False):
            return self.all()
        member = current_member(user)
        if member is None or not member.is_active:
            return self.none()
        if member.is_leader:
            return self.filter(court__in=visible_courts(user))
        if member.is_organizer:
            return self.filter(court_id=member.court_id)
        return self.none()


class Assessment(models.Model):
    class Kind(models.TextChoices):
        EXAM = "exam", _("offline exam")  # 线下考试
        TYPING = "typing", _("typing-speed test")  # 速录测试
        SKILLS = "skills", _("skills contest")  # 业务技能评比
        OTHER = "other", _("other assessment")

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EXAM)
    held_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True, max_length=3000)
    max_score = models.DecimalField(
        _("full marks"), max_digits=6, decimal_places=2, default=Decimal("100"), validators=[MinValueValidator(1)]
    )
    pass_score = models.DecimalField(_("pass score"), max_digits=6, decimal_places=2, null=True, blank=True)
    pass_speed = models.PositiveIntegerField(_("pass speed (characters per minute)"), null=True, blank=True)
    pass_accuracy = models.DecimalField(
        _("pass accuracy (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:assessment_detail", args=[self.pk])

    @property
    def is_typing(self) -> bool:
        return self.kind == self.Kind.TYPING


class AssessmentResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name=_("assessment")
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="assessment_results"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    chars_per_minute = models.PositiveIntegerField(_("characters per minute"), null=True, blank=True)
    accuracy = models.DecimalField(_("accuracy (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    remark = models.CharField(_("remark"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["assessment", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "member"], name="assessmentresult_unique"),
            models.CheckConstraint(
                condition=Q(accuracy__isnull=True) | Q(accuracy__gte=0, accuracy__lte=100),
                name="assessmentresult_accuracy_range",
            ),
        ]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.member}"

    @property
    def passed(self) -> bool | None:
        """None when the assessment sets no pass line."""
        assessment = self.assessment
        if assessment.is_typing:
            if assessment.pass_speed is None and assessment.pass_accuracy is None:
                return None
            speed_ok = assessment.pass_speed is None or (self.chars_per_minute or 0) >= assessment.pass_speed
            accuracy_ok = assessment.pass_accuracy is None or (self.accuracy or 0) >= assessment.pass_accuracy
            return speed_ok and accuracy_ok
        if assessment.pass_score is None:
            return None
        return (self.score or 0) >= assessment.pass_score
