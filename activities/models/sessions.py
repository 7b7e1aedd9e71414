"""Learning sessions: weekly shares, micro-classes, collective study and the like.

A Session is one scheduled gathering with speakers, an audience, attendance, materials,
minutes and photos. Sessions come one at a time or a quarter at a time from a Recurrence
(skipping the holidays of the CalendarDay table). A Rota picks the speakers of a unit's
weekly shares (a study group, a party branch or a department); a SeriesPlan gives micro-classes
their topics in order. A LeaveRequest (请假) asks the organizer to excuse a member from a session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Court, Department, Member, PartyBranch, StudyGroup

__all__ = [
    "HolidayCalendar",
    "CalendarDay",
    "CourtCalendarDay",
    "SessionKind",
    "SeriesPlan",
    "SeriesItem",
    "Rota",
    "Recurrence",
    "Session",
    "Speaker",
    "Attendance",
    "SessionMaterial",
    "SessionPhoto",
    "SessionReflection",
    "ReflectionReply",
    "Unavailability",
    "SwapRequest",
    "LeaveRequest",
    "SelfReportedShare",
    "CalendarFeedToken",
]

SIGN_IN_STEP_SECONDS = 60  # the sign-in code changes every minute
SIGN_IN_OPENS_BEFORE = dt.timedelta(minutes=30)
LATE_AFTER = dt.timedelta(minutes=10)  # signing in later than this after the start counts as late
SIGN_IN_CODE_DIGITS = 6


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def new_secret() -> str:
    return secrets.token_hex(20)


# ---------------------------------------------------------------------------
# The holiday calendar (statutory holidays and make-up working days, 调休)
# ---------------------------------------------------------------------------


class HolidayCalendar(models.Model):
    """One year of the national holiday arrangement (国务院办公厅 节假日安排)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The official arrangement is not published yet: only the statutory days are entered."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday calendar")
        verbose_name_plural = _("holiday calendars")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDayQuerySet(models.QuerySet):
    def between(self, first: dt.date, last: dt.date) -> CalendarDayQuerySet:
        return self.filter(date__gte=first, date__lte=last)


class CalendarDay(models.Model):
    """A day that differs from the usual week: a holiday, or a weekend day that is a working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")  # 放假
        WORKDAY = "workday", _("make-up working day")  # 调休上班

    calendar = models.ForeignKey(
        HolidayCalendar, on_delete=models.CASCADE, related_name="days", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.name} ({self.get_kind_display()})"


class CourtCalendarDay(models.Model):
    """A court's own holiday or working day, over the national calendar.

    The effective calendar of a court is the national one, changed by the days of the courts
    above it (a city court's 调休 for all its basic courts), changed by its own: a basic court
    that works on a national holiday, or closes for a local one. One day per court and date.
    """

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDay.Kind.choices)
    name = models.CharField(_("name"), max_length=50)
    created_by = models.ForeignKey(
        Member, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        ordering = ["court", "date"]
        constraints = [models.UniqueConstraint(fields=["court", "date"], name="court_calendar_day_once")]
        verbose_name = _("court calendar day")
        verbose_name_plural = _("court calendar days")

    def __str__(self) -> str:
        return f"{self.court} {self.date} {self.name} ({self.get_kind_display()})"


# ---------------------------------------------------------------------------
# Kinds, series plans and rotas
# ---------------------------------------------------------------------------


class SessionKind(models.Model):
    """集中学习, 周分享, 微课堂…: an editable list. `code` names the kinds the software relies on."""

    WEEKLY_SHARE = "weekly_share"
    MICRO_CLASS = "micro_class"

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("session kind")
        verbose_name_plural = _("session kinds")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """Abstract: the organizing unit of something — a department, a branch, a study group, or the court."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="+")
    unit_department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit_branch = models.ForeignKey(
        PartyBranch, verbose_name=_("party branch"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit_group = models.ForeignKey(
        StudyGroup, verbose_name=_("study group"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def unit(self):
        return self.unit_group or self.unit_branch or self.unit_department or self.court

    @property
    def unit_name(self) -> str:
        return str(self.unit)


def one_unit_constraint(name: str) -> models.CheckConstraint:
    """At most one of department, branch and group; none means the whole court."""
    return models.CheckConstraint(
        condition=(
            Q(unit_department__isnull=True, unit_branch__isnull=True)
            | Q(unit_department__isnull=True, unit_group__isnull=True)
            | Q(unit_branch__isnull=True, unit_group__isnull=True)
        ),
        name=name,
    )


class SeriesPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> SeriesPlanQuerySet:
        from members.access import visible_courts

        return self.filter(court__in=visible_courts(user))


class SeriesPlan(Unit):
    """系列学习方案: a branch's or group's ordered list of topics, one per session."""

    title = models.CharField(_("title"), max_length=120)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = SeriesPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [one_unit_constraint("seriesplan_one_unit")]
        verbose_name = _("series plan")
        verbose_name_plural = _("series plans")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:sessions_series_detail", args=[self.pk])


class SeriesItem(models.Model):
    plan = models.ForeignKey(SeriesPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    position = models.PositiveIntegerField(_("position"))
    topic = models.CharField(_("topic"), max_length=200)
    readings = models.TextField(_("readings"), max_length=2000, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="seriesitem_unique_position")]
        verbose_name = _("series item")
        verbose_name_plural = _("series items")

    def __str__(self) -> str:
        return f"{self.position}. {self.topic}"


class RotaQuerySet(models.QuerySet):
    def visible_to(self, user) -> RotaQuerySet:
        from members.access import visible_courts

        return self.filter(court__in=visible_courts(user))

    def with_unit(self) -> RotaQuerySet:
        return self.select_related("group", "branch", "department")


class Rota(models.Model):
    """轮值主讲: who speaks at a unit's weekly sessions, in turn.

    A rota belongs to exactly one unit — a study group, a party branch (a branch's 周一例会) or a
    department — and its members are that unit's active members. One rota per unit.
    """

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(
        StudyGroup, verbose_name=_("study group"), null=True, blank=True, on_delete=models.CASCADE, related_name="rota"
    )
    branch = models.OneToOneField(
        PartyBranch,
        verbose_name=_("party branch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rota",
    )
    department = models.OneToOneField(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.CASCADE, related_name="rota"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = RotaQuerySet.as_manager()

    class Meta:
        # By the unit's natural order of names (第二党支部 before 第十党支部), whichever kind it is.
        ordering = [
            "court",
            Coalesce("group__sort_key", "branch__sort_key", "department__sort_key").asc(),
            Coalesce("group__name", "branch__name", "department__name").asc(),
            "pk",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=False, branch__isnull=True, department__isnull=True)
                | Q(group__isnull=True, branch__isnull=False, department__isnull=True)
                | Q(group__isnull=True, branch__isnull=True, department__isnull=False),
                name="rota_exactly_one_unit",
            )
        ]
        verbose_name = _("speaker rota")
        verbose_name_plural = _("speaker rotas")

    def __str__(self) -> str:
        return str(self.unit)

    def get_absolute_url(self) -> str:
        return reverse("activities:sessions_rota_detail", args=[self.pk])

    @property
    def unit(self) -> StudyGroup | PartyBranch | Department:
        return self.group or self.branch or self.department

    @property
    def unit_name(self) -> str:
        return str(self.unit)

    @staticmethod
    def unit_lookup(unit) -> dict:
        """The field that names `unit`: {"branch": branch}, for filters and creation."""
        if isinstance(unit, StudyGroup):
            return {"group": unit}
        if isinstance(unit, PartyBranch):
            return {"branch": unit}
        if isinstance(unit, Department):
            return {"department": unit}
        raise TypeError(f"a rota belongs to a study group, a party branch or a department, not {unit!r}")


# ---------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------


class Recurrence(models.Model):
    """A rule published for a quarter: the sessions it made stay linked to it but are edited one by one."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+", verbose_name=_("court"))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    rule = models.JSONField(_("rule"), default=dict)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    # The preview's token: publishing the same preview twice makes the sessions once.
    token = models.CharField(max_length=32, unique=True, verbose_name=_("token"))
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recurrence")
        verbose_name_plural = _("recurrences")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} {self.first_day}–{self.last_day}"


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        from members.access import visible_courts

        return self.filter(court__in=visible_courts(user))

    def not_cancelled(self) -> SessionQuerySet:
        return self.exclude(status=Session.Status.CANCELLED)

    def upcoming(self, now: dt.datetime) -> SessionQuerySet:
        return self.not_cancelled().filter(end__gte=now).order_by("start")

    def past(self, now: dt.datetime) -> SessionQuerySet:
        return self.filter(end__lt=now).order_by("-start")

    def held(self, now: dt.datetime) -> SessionQuerySet:
        """Sessions that count as held at `now` (see session_is_held)."""
        return self.not_cancelled().filter(end__lt=now)

    def between(self, first: dt.date, last: dt.date) -> SessionQuerySet:
        """Sessions starting on local days first..last (inclusive), Asia/Shanghai."""
        tz = local_tz()
        start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return self.filter(start__gte=start, start__lt=end)

    def for_member(self, member: Member) -> SessionQuerySet:
        """Sessions the member is expected at, speaks at, or attended (one query, no joins outside subqueries)."""
        audience = Q(audience_court=True)
        if member.department_id:
            audience |= Q(audience_departments=member.department_id)
        if member.party_branch_id:
            audience |= Q(audience_branches=member.party_branch_id)
        audience |= Q(audience_groups__memberships__member=member)
        expected = Session.objects.filter(court_id=member.court_id).filter(audience).values("pk")
        return self.filter(
            Q(pk__in=expected)
            | Q(pk__in=Speaker.objects.filter(member=member).values("session_id"))
            | Q(pk__in=Attendance.objects.filter(member=member).values("session_id"))
        )

    def for_group(self, group: StudyGroup) -> SessionQuerySet:
        return self.filter(Q(unit_group=group) | Q(audience_groups=group) | Q(cohost_groups=group)).distinct()

    def for_unit(self, *, branch=None, group=None, department=None) -> SessionQuerySet:
        if branch is not None:
            return self.filter(
                Q(unit_branch=branch) | Q(audience_branches=branch) | Q(cohost_branches=branch)
            ).distinct()
        if group is not None:
            return self.for_group(group)
        if department is not None:
            return self.filter(
                Q(unit_department=department)
                | Q(audience_departments=department)
                | Q(host_department=department)
                | Q(cohost_departments=department)
            ).distinct()
        return self

    def with_listing(self) -> SessionQuerySet:
        """What list pages show, in a fixed number of queries."""
        return self.select_related(
            "kind", "court", "unit_department", "unit_branch", "unit_group", "series_item"
        ).prefetch_related(
            models.Prefetch("speakers", queryset=Speaker.objects.select_related("member").order_by("position", "pk"))
        )


class Session(Unit):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Level(models.TextChoices):
        # 三学
        CENTER_GROUP = "center_group", _("central group study")  # 中心组学
        BRANCH = "branch", _("branch study")  # 支部学
        SELF = "self", _("self-study")  # 自学

    kind = models.ForeignKey(SessionKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("title"), max_length=120)
    topic = models.TextField(_("topic"), max_length=2000, blank=True)
    level = models.CharField(_("study level"), max_length=20, choices=Level.choices, blank=True)
    host_department = models.ForeignKey(
        Department,
        verbose_name=_("host department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_sessions",
        help_text=_("A department giving the session to others, e.g. a training by the case-filing division."),
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    audience_court = models.BooleanField(_("whole court"), default=False)
    audience_departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="audience_sessions"
    )
    audience_branches = models.ManyToManyField(
        PartyBranch, verbose_name=_("party branches"), blank=True, related_name="audience_sessions"
    )
    audience_groups = models.ManyToManyField(
        StudyGroup, verbose_name=_("study groups"), blank=True, related_name="audience_sessions"
    )
    # 联学联建: units that hold the session together with the organizing unit; a held session
    # counts for each of them in the summaries (and once for the court).
    cohost_departments = models.ManyToManyField(
        Department, verbose_name=_("co-hosting departments"), blank=True, related_name="cohosted_sessions"
    )
    cohost_branches = models.ManyToManyField(
        PartyBranch, verbose_name=_("co-hosting party branches"), blank=True, related_name="cohosted_sessions"
    )
    cohost_groups = models.ManyToManyField(
        StudyGroup, verbose_name=_("co-hosting study groups"), blank=True, related_name="cohosted_sessions"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    minutes = models.TextField(pgettext_lazy("session record", "minutes"), max_length=20000, blank=True)
    series_plan = models.ForeignKey(
        SeriesPlan,
        verbose_name=_("series plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    series_item = models.OneToOneField(
        SeriesItem,
        verbose_name=_("series item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session",
    )
    rota = models.ForeignKey(
        Rota, verbose_name=_("speaker rota"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    reserve_speaker = models.ForeignKey(
        Member, verbose_name=_("reserve speaker"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recurrence = models.ForeignKey(
        Recurrence,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("recurrence"),
    )
    sign_in_secret = models.CharField(
        max_length=40, default=new_secret, editable=False, verbose_name=_("sign in secret")
    )
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            one_unit_constraint("session_one_unit"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["court", "start"])]
        verbose_name = _("learning session")
        verbose_name_plural = _("learning sessions")

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.start):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("activities:sessions_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_held(self, now: dt.datetime) -> bool:
        return session_is_held(self, now)

    # Sign-in (签到) ---------------------------------------------------------

    def sign_in_window(self) -> tuple[dt.datetime, dt.datetime]:
        return self.start - SIGN_IN_OPENS_BEFORE, self.end

    def is_open_for_sign_in(self, now: dt.datetime) -> bool:
        opens, closes = self.sign_in_window()
        return not self.is_cancelled and opens <= now <= closes

    def sign_in_code(self, now: dt.datetime, *, steps_back: int = 0) -> str:
        """A short numeric code: HMAC of the session's secret and the current minute."""
        step = int(now.timestamp()) // SIGN_IN_STEP_SECONDS - steps_back
        digest = hmac.new(self.sign_in_secret.encode(), f"{self.pk}:{step}".encode(), hashlib.sha256).digest()
        number = int.from_bytes(digest[:8], "big") % 10**SIGN_IN_CODE_DIGITS
        return f"{number:0{SIGN_IN_CODE_DIGITS}d}"

    def check_sign_in_code(self, code: str, now: dt.datetime) -> bool:
        """The current code, or the previous one (a code read just before it changed)."""
        code = (code or "").strip()
        return any(hmac.compare_digest(code, self.sign_in_code(now, steps_back=back)) for back in (0, 1))

    def code_seconds_left(self, now: dt.datetime) -> int:
        return SIGN_IN_STEP_SECONDS - int(now.timestamp()) % SIGN_IN_STEP_SECONDS


def session_is_held(session: Session, now: dt.datetime) -> bool:
    """A session counts as held once its end has passed and it was not cancelled.

    Minutes (and the HELD status an organizer sets by writing them) are optional evidence,
    never the switch: courts that hold a session and write nothing still held it. The
    summaries' SQL (activities/metrics.py) and the report facts follow the same rule.
    """
    return not session.is_cancelled and session.end < now


class Speaker(models.Model):
    """A speaker: a member or an outside guest, with a role (三讲: leaders, secretaries, experts lecture)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("leader")  # 领导
        SECRETARY = "secretary", _("party secretary")  # 书记
        EXPERT = "expert", _("expert")  # 专家
        OFFICER = "officer", _("staff member")  # 干警

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("session"))
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.CASCADE, related_name="speaking"
    )
    guest_name = models.CharField(_("guest name"), max_length=50, blank=True)
    guest_affiliation = models.CharField(_("guest's organization and title"), max_length=100, blank=True)
    role = models.CharField(pgettext_lazy("speaker", "role"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["session", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(guest_name=""), name="speaker_member_or_guest"
            ),
            models.UniqueConstraint(fields=["session", "member"], name="speaker_once_per_session"),
        ]
        indexes = [models.Index(fields=["member", "session"])]  # summaries: the talks of a court's members
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.member.name if self.member_id else self.guest_name


class AttendanceQuerySet(models.QuerySet):
    def attended(self) -> AttendanceQuerySet:
        return self.filter(status__in=Attendance.ATTENDED)


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", pgettext_lazy("attendance", "late")
        ABSENT = "absent", _("absent")
        LEAVE = "leave", _("on leave")  # 请假

    class Method(models.TextChoices):
        CODE = "code", _("sign-in code")
        QR = "qr", _("QR code")
        ORGANIZER = "organizer", _("marked by the organizer")

    ATTENDED = (Status.PRESENT, Status.LATE)

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="session_attendances", verbose_name=_("member")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    marked_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("marked by")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["session", "member__name"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_once")]
        # Summaries: who attended a court's sessions, answered from this index alone (PostgreSQL).
        indexes = [models.Index(fields=["session"], include=["member", "status"], name="attendance_session_status")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED


class SessionMaterial(models.Model):
    """学习资料: slides and readings, downloaded by those who may see the session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials", verbose_name=_("session"))
    file = models.FileField(upload_to="sessions/materials/%Y/%m/", verbose_name=_("file"))
    original_name = models.CharField(_("file name"), max_length=200)
    title = models.CharField(_("title"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")

    def __str__(self) -> str:
        return self.title or self.original_name


class SessionPhoto(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos", verbose_name=_("session"))
    image = models.ImageField(upload_to="sessions/photos/%Y/%m/", verbose_name=_("image"))
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")

    def __str__(self) -> str:
        return self.caption or f"{self.session} #{self.pk}"


class SessionReflectionQuerySet(models.QuerySet):
    def featured(self) -> SessionReflectionQuerySet:
        return self.filter(featured_at__isnull=False)

    def featured_visible_to(self, user) -> SessionReflectionQuerySet:
        """优秀心得: featured 感想 of the sessions of the viewer's courts (a leader's courts below too)."""
        from members.access import visible_courts

        return self.featured().filter(session__court__in=visible_courts(user))


class SessionReflection(models.Model):
    """感想: an attendee's short reflection after a session; speakers and leaders reply.

    Organizers feature the best (优秀心得, published on the intranet) as they feature reading
    reflections; a featured 感想 is no longer edited, so what was published stays what was chosen.
    """

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("session")
    )
    author = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="session_reflections", verbose_name=_("written by")
    )
    text = models.TextField(pgettext_lazy("session", "reflection"), max_length=1000)
    featured_at = models.DateTimeField(null=True, blank=True, verbose_name=_("featured at"))
    featured_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("featured by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = SessionReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["session", "author"], name="reflection_once_per_session")]
        indexes = [
            models.Index(fields=["author", "created_at"]),  # summaries: a court's month of 感想
            # 优秀心得 and the facts: a court's featured 感想, newest first.
            models.Index(
                fields=["author", "featured_at"],
                condition=Q(featured_at__isnull=False),
                name="sessionreflection_featured",
            ),
        ]
        verbose_name = _("session reflection")
        verbose_name_plural = _("session reflections")

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return f"{self.session.get_absolute_url()}#reflection-{self.pk}"

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None


class ReflectionReply(models.Model):
    reflection = models.ForeignKey(
        SessionReflection, on_delete=models.CASCADE, related_name="replies", verbose_name=_("session reflection")
    )
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("written by"))
    text = models.TextField(_("reply"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("reply to a reflection")
        verbose_name_plural = _("replies to reflections")

    def __str__(self) -> str:
        return self.text[:40]


# ---------------------------------------------------------------------------
# Rota support: unavailability and swaps
# ---------------------------------------------------------------------------


class UnavailabilityQuerySet(models.QuerySet):
    def overlapping(self, first: dt.date, last: dt.date) -> UnavailabilityQuerySet:
        return self.filter(first_day__lte=last, last_day__gte=first)


class Unavailability(models.Model):
    """Days a member cannot speak: leave, trial days, business trips."""

    class Reason(models.TextChoices):
        LEAVE = "leave", _("leave")  # 请假/休假
        TRIAL = "trial", _("trial days")  # 开庭
        TRIP = "trip", _("business trip")  # 出差
        OTHER = "other", _("other")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="unavailability"
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, default=Reason.LEAVE)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = UnavailabilityQuerySet.as_manager()

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="unavailability_order")
        ]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailability")

    def __str__(self) -> str:
        return f"{self.member} {self.first_day}–{self.last_day}"


class SwapRequest(models.Model):
    """A speaker asks to swap turns with another rota session, or to hand the turn to a colleague."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("swap request", "pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="swap_requests", verbose_name=_("session")
    )
    requester = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="swap_requests", verbose_name=_("requester")
    )
    other_session = models.ForeignKey(
        Session,
        verbose_name=_("swap with the turn on"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    substitute = models.ForeignKey(
        Member, verbose_name=_("hand the turn to"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(other_session__isnull=False, substitute__isnull=True)
                | Q(other_session__isnull=True, substitute__isnull=False),
                name="swap_one_target",
            ),
            models.UniqueConstraint(
                fields=["session"], condition=Q(status="pending"), name="swap_one_pending_per_session"
            ),
        ]
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")

    def __str__(self) -> str:
        return f"{self.requester} · {self.session}"

    @property
    def counterpart(self) -> Member | None:
        """Who takes the requester's turn."""
        if self.substitute_id:
            return self.substitute
        speaker = next(iter(self.other_session.speakers.all()), None) if self.other_session_id else None
        return speaker.member if speaker else None


class LeaveRequestQuerySet(models.QuerySet):
    def pending(self) -> LeaveRequestQuerySet:
        return self.filter(status=LeaveRequest.Status.PENDING)


class LeaveRequest(models.Model):
    """请假: a member asks to be excused from a session; the organizer approves or declines.

    An approved request marks the member's attendance LEAVE, which counts neither as attended
    nor as expected (see activities.metrics EXPECTED): excused, not absent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("leave request", "pending")
        APPROVED = "approved", pgettext_lazy("leave request", "approved")
        DECLINED = "declined", pgettext_lazy("leave request", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("leave request", "withdrawn")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="leave_requests", verbose_name=_("session")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="leave_requests", verbose_name=_("member")
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"], condition=Q(status="pending"), name="leave_one_pending_per_member"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="leave_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "session"], name="leave_status_session")]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")

    def __str__(self) -> str:
        return f"{self.member} · {self.session}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


# ---------------------------------------------------------------------------
# Shares given outside the plan, and the iCal feed
# ---------------------------------------------------------------------------


class SelfReportedShareQuerySet(models.QuerySet):
    def visible_to(self, user) -> SelfReportedShareQuerySet:
        from members.access import visible_courts

        return self.filter(member__court__in=visible_courts(user))

    def confirmed(self) -> SelfReportedShareQuerySet:
        return self.filter(status=SelfReportedShare.Status.CONFIRMED)


class SelfReportedShare(models.Model):
    """A share a member gave that no one planned here; it counts once a group leader or organizer confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("not confirmed")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="self_reported_shares", verbose_name=_("member")
    )
    group = models.ForeignKey(
        StudyGroup,
        verbose_name=_("study group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its leader can confirm the share."),
    )
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    listeners = models.CharField(_("listeners"), max_length=300, help_text=_("Who listened, e.g. 民一庭全体干警."))
    listener_count = models.PositiveIntegerField(_("number of listeners"))
    material = models.FileField(upload_to="sessions/shares/%Y/%m/", blank=True, verbose_name=_("material"))
    material_name = models.CharField(max_length=200, blank=True, verbose_name=_("material name"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    review_note = models.CharField(_("note"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = SelfReportedShareQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("self-reported share")
        verbose_name_plural = _("self-reported shares")

    def __str__(self) -> str:
        return self.topic


class CalendarFeedToken(models.Model):
    """The secret in a member's iCal feed address; revoking it makes a new one."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("member")
    )
    token = models.CharField(max_length=64, unique=True, verbose_name=_("token"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.member} feed"
