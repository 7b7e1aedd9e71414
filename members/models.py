"""Courts, their units, and the people in them."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .ordering import unit_sort_key

YOUTH_MAX_AGE = 35  # 青年干警: 35 or younger


def keep_cache_version(instance: models.Model, kwargs: dict) -> dict:
    """Save arguments that write every field but `cache_version` of a row that exists.

    The version only goes up, by an UPDATE that adds one in the database; writing back the
    value an instance was loaded with would lower it again and bring back stale cache entries.
    """
    if not instance._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
        skip = {"cache_version", *instance.get_deferred_fields()}  # Django skips deferred fields too
        kwargs["update_fields"] = [
            f.name for f in instance._meta.concrete_fields if not f.primary_key and f.attname not in skip
        ]
    elif kwargs.get("update_fields") is not None:
        kwargs["update_fields"] = [name for name in kwargs["update_fields"] if name != "cache_version"]
    return kwargs


class CourtQuerySet(models.QuerySet):
    def with_descendants(self, court: Court) -> CourtQuerySet:
        """The court and every court below it (province → city → basic: three levels)."""
        return self.filter(Q(pk=court.pk) | Q(parent=court) | Q(parent__parent=court))


class Court(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("supervising court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    rankings_enabled = models.BooleanField(
        _("individual rankings"),
        default=False,
        help_text=_("Off by default: show individual top lists only when the court turns them on."),
    )
    originality_check = models.BooleanField(
        _("originality check"),
        default=False,
        help_text=_(
            "Off by default: when on, each submitted reflection, session reflection and contest entry text "
            "is compared with the earlier ones, and reviewers see the similar texts."
        ),
    )
    originality_threshold = models.PositiveSmallIntegerField(
        _("similarity threshold (%)"),
        default=25,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
        help_text=_("Reviewers are shown the earlier texts that contain at least this share of a new text."),
    )

    # Raised (never set) by members.versions whenever something a cached page fragment of this
    # court shows changes; part of the cache keys of the 我的学习 panels.
    cache_version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("cache version"))

    objects = CourtQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **keep_cache_version(self, kwargs))

    def get_absolute_url(self) -> str:
        return reverse("members:court_detail", args=[self.pk])

    def is_below(self, court_id: int) -> bool:
        """Whether `court_id` supervises this court, directly or through the court between (three levels)."""
        if self.parent_id is None or self.pk == court_id:
            return False
        return self.parent_id == court_id or Court.objects.filter(pk=self.parent_id, parent_id=court_id).exists()


class NaturallyOrdered(models.Model):
    """A unit listed in natural order of its name (第二 before 第十; members.ordering).

    The key is stored so that every query (selects, admin, lists) can order by it in the database;
    it follows the name on every save, and a save of the name alone saves the key with it.
    """

    sort_key = models.CharField(_("sort key"), max_length=300, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sort_key = unit_sort_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields and "sort_key" not in fields:
            kwargs["update_fields"] = [*fields, "sort_key"]
        super().save(*args, **kwargs)


def unit_ordering(path: str = "", *, department: bool = False) -> list:
    """ORDER BY terms for units reached through `path` (e.g. "member__department__"): natural
    order of names, ties by name; departments first by the court's own order (`position`)."""
    fields = ["position", "sort_key", "name"] if department else ["sort_key", "name"]
    # nulls last: people without a department come after those with one, on every database
    return [models.F(f"{path}{field}").asc(nulls_last=True) for field in fields]


class Department(NaturallyOrdered):
    """庭室/部门."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="departments", verbose_name=_("court"))
    name = models.CharField(_("name"), max_length=100)
    head = models.ForeignKey(
        "Member",
        verbose_name=_("department head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Comments on the monthly plans of the department."),
    )
    # The court's own order of its departments (政治部 first, 民一庭 before 民二庭…), set by an
    # organizer on the court's page; departments without one follow in natural order of names.
    position = models.PositiveIntegerField(_("position"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["court", models.F("position").asc(nulls_last=True), "sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="department_unique_name")]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:department_detail", args=[self.pk])


class PartyBranch(NaturallyOrdered):
    """党支部."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="party_branches", verbose_name=_("court"))
    name = models.CharField(_("name"), max_length=100)
    secretary = models.ForeignKey(
        "Member",
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["court", "sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="branch_unique_name")]
        verbose_name = _("party branch")
        verbose_name_plural = _("party branches")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:branch_detail", args=[self.pk])


class PartyGroup(NaturallyOrdered):
    """党小组, inside a branch."""

    branch = models.ForeignKey(PartyBranch, on_delete=models.CASCADE, related_name="groups", verbose_name=_("branch"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["branch", "sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="partygroup_unique_name")]
        verbose_name = _("party group")
        verbose_name_plural = _("party groups")

    def __str__(self) -> str:
        return self.name


class StudyGroupQuerySet(models.QuerySet):
    def visible_to(self, user) -> StudyGroupQuerySet:
        """Groups of the courts the user reads, and the groups of courts above theirs that are open to
        their court (两级法院 研习小组) with those groups' squads: members below apply to them and take part."""
        from .access import courts_above, current_member, visible_courts

        seen = Q(court__in=visible_courts(user))
        member = current_member(user)
        if member is not None and member.is_active and member.court.parent_id is not None:
            above = courts_above(member.court)
            seen |= Q(spans_courts_below=True, court__in=above) | Q(
                parent__spans_courts_below=True, parent__court__in=above
            )
        return self.filter(seen)


class StudyGroup(NaturallyOrdered):
    """A study group across departments; a squad (学习小队) is a study group with a parent.

    A group of an upper court may be open to the courts below it (`spans_courts_below`): their
    members apply to its batches, are selected and placed in its squads, and count in their own
    court's summaries and in the group's (and squads') rows of the upper court. The group stays the
    upper court's: its organizers run it and open its people's profiles while they are in it;
    leaders and organizers of a court below read their own court's people in it, never a sibling court's.
    """

    class Kind(models.TextChoices):
        STUDY = "study", _("study group")  # 学习小组
        RESEARCH = "research", _("research study group")  # 研习小组
        YOUTH = "youth", _("youth theory study group")  # 青年理论学习小组
        SQUAD = "squad", _("squad")  # 学习小队
        OTHER = "other", _("other")

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="study_groups", verbose_name=_("court"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STUDY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="squads",
    )
    members = models.ManyToManyField(
        "Member", through="StudyGroupMembership", related_name="study_groups", verbose_name=_("members")
    )
    spans_courts_below = models.BooleanField(
        _("open to the courts below"),
        default=False,
        help_text=_("Members of the courts this court supervises may apply, be selected and join its squads."),
    )

    objects = StudyGroupQuerySet.as_manager()

    class Meta:
        ordering = ["court", "sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="studygroup_unique_name")]
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:group_detail", args=[self.pk])

    @property
    def top(self) -> StudyGroup:
        """The group itself, or the group a squad belongs to (which says whether it spans courts)."""
        return self.parent if self.parent_id else self

    def member_courts(self) -> models.QuerySet[Court]:
        """The courts whose members may be in the group: its own, and the courts below when it is open to them."""
        top = self.top
        if top.spans_courts_below:
            return Court.objects.with_descendants(top.court)
        return Court.objects.filter(pk=top.court_id)

    def takes_members_of(self, court: Court) -> bool:
        """Whether members of this court may apply to and join the group."""
        top = self.top
        if court.pk == top.court_id:
            return True
        return top.spans_courts_below and court.parent_id is not None and court.is_below(top.court_id)


class StudyGroupMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("group leader")  # 组长
        MEMBER = "member", _("group member")  # 组员

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group"))
    member = models.ForeignKey(
        "Member", on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "member"], name="membership_unique")]
        verbose_name = _("study group membership")
        verbose_name_plural = _("study group memberships")

    def __str__(self) -> str:
        return f"{self.group} · {self.member}"


class MemberQuerySet(models.QuerySet):
    def active(self) -> MemberQuerySet:
        return self.filter(is_active=True)

    def in_units(self, *, departments=(), branches=(), groups=()) -> MemberQuerySet:
        """Members of any of these units (ids or id querysets): the one definition of an audience
        that names departments, party branches or study groups. A study group includes its squads."""
        memberships = StudyGroupMembership.objects.filter(Q(group_id__in=groups) | Q(group__parent_id__in=groups))
        return self.filter(
            Q(department_id__in=departments)
            | Q(party_branch_id__in=branches)
            | Q(pk__in=memberships.values("member_id"))
        )

    def in_court(self, court: Court) -> MemberQuerySet:
        return self.filter(court=court)

    def visible_to(self, user) -> MemberQuerySet:
        from .access import visible_courts

        return self.filter(court__in=visible_courts(user))

    def search(self, text: str) -> MemberQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(employee_number__icontains=text) | Q(department__name__icontains=text)
        )


class Member(models.Model):
    """A person in a court (干警). One per user account."""

    class PositionCategory(models.TextChoices):
        TRIAL = "trial", _("trial")  # 审判
        SUPPORT = "support", _("trial support")  # 审判辅助
        ADMIN = "admin", _("judicial administration")  # 司法行政

    class Post(models.TextChoices):
        JUDGE = "judge", _("judge")  # 员额法官
        ASSISTANT = "assistant", _("judge's assistant")  # 法官助理
        CLERK = "clerk", _("clerk")  # 书记员
        BAILIFF = "bailiff", _("judicial police")  # 司法警察
        ADMIN_STAFF = "admin_staff", _("administrative staff")  # 行政人员
        LEADER = "leader", _("court leader")  # 院领导
        OTHER = "other", _("other")

    class PoliticalStatus(models.TextChoices):
        PARTY = "party", _("CPC member")  # 中共党员
        PROBATIONARY = "probationary", _("probationary CPC member")  # 中共预备党员
        LEAGUE = "league", _("CYL member")  # 共青团员
        DEMOCRATIC = "democratic", _("democratic party member")  # 民主党派
        MASSES = "masses", _("the masses")  # 群众

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        ORGANIZER = "organizer", _("organizer")
        LEADER = "leader", _("leader")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member", verbose_name=_("user")
    )
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    employee_number = models.CharField(_("employee number"), max_length=30)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    position_category = models.CharField(
        _("position category"), max_length=10, choices=PositionCategory.choices, blank=True
    )
    # 职务 as the roster writes it (科员, 副庭长, 四级高级法官…): shown on the member's pages.
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=50, blank=True)
    # The category reports count by; filled from the title on import where the title says it.
    post = models.CharField(
        pgettext_lazy("member category", "post"),
        max_length=20,
        choices=Post.choices,
        blank=True,
        help_text=_(
            "The category reports count by. A roster import fills it from the title where the title says it "
            "(庭长 → judge, 法官助理 → judge's assistant); other titles leave it as it is."
        ),
    )
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    party_branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("party branch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    party_group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    # An organizer limited to one department or one branch manages only that unit.
    scope_department = models.ForeignKey(
        Department,
        verbose_name=_("organizer limited to department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scope_branch = models.ForeignKey(
        PartyBranch,
        verbose_name=_("organizer limited to branch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # Raised (never set) by members.versions whenever the member's own records shown on a cached
    # page fragment change (logs, plans, attempts, attendance…); part of the panels' cache keys.
    cache_version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("cache version"))

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["court", "employee_number"]
        constraints = [
            models.UniqueConstraint(fields=["court", "employee_number"], name="member_unique_employee_number")
        ]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **keep_cache_version(self, kwargs))

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def is_youth(self, day: dt.date | None = None) -> bool:
        """青年干警: 35 or younger on the given day (today by default)."""
        age = self.age_on(day or timezone.localdate())
        return age is not None and age <= YOUTH_MAX_AGE

    @property
    def is_organizer(self) -> bool:
        return self.role == self.Role.ORGANIZER

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER


class AuditEvent(models.Model):
    """Who did what, when: logins, failed logins, role changes, imports, votes…"""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The court the event belongs to (the target's, else the actor's): the audit page is per court.
    court = models.ForeignKey(
        Court, verbose_name=_("court"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=50, db_index=True)
    target_type = models.CharField(max_length=50, blank=True, verbose_name=_("target type"))
    target_id = models.CharField(max_length=50, blank=True, verbose_name=_("target id"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["court", "-created_at"], name="audit_court_recent")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class TaskOutbox(models.Model):
    """A task that a write queued and the broker does not have yet (courtlearn/outbox.py).

    Written in the writer's transaction, so it exists exactly when the write does; deleted
    once the broker took the task. A row older than half a minute is one the broker missed (down
    or hung when the write committed): beat's courtlearn.outbox_flush hands it over again.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)  # apply_async options, e.g. queue
    created_at = models.DateTimeField(_("created at"), db_index=True)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class Notification(models.Model):
    """An in-app message to one member (the notification centre)."""

    recipient = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("addressee")
    )
    kind = models.CharField(_("kind"), max_length=50)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(max_length=300, blank=True, verbose_name=_("URL"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    # Set by senders that must never notify twice (e.g. a reminder for one session).
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, verbose_name=_("dedupe key"))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notification_once",
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text


class NotificationMute(models.Model):
    """A member who does not want notifications of one kind."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="muted_kinds", verbose_name=_("member"))
    kind = models.CharField(max_length=50, verbose_name=_("kind"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="mute_unique")]
        verbose_name = _("muted notification kind")
        verbose_name_plural = _("muted notification kinds")

    def __str__(self) -> str:
        return f"{self.member} mutes {self.kind}"


class ImportBatch(models.Model):
    """An uploaded roster kept between preview and confirmation.

    The parsed rows live here as JSON (never the file itself), reachable only through an
    unguessable token by the person who uploaded them. Nothing touches members until the
    batch is applied; a batch is applied at most once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        APPLIED = "applied", _("imported")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("token"))
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=200)
    columns = models.JSONField(
        default=list, help_text=_("The roster's columns present in the file."), verbose_name=_("columns")
    )
    rows = models.JSONField(
        default=list, help_text=_("The rows as read, with their errors; emptied once imported."), verbose_name=_("rows")
    )
    ignored_columns = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Headers in the file that the roster does not use, e.g. 性别, 学历."),
        verbose_name=_("ignored columns"),
    )
    create_units = models.JSONField(
        default=list,
        help_text=_("Departments, branches and groups the organizer chose to create."),
        verbose_name=_("create units"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, verbose_name=_("result"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("members:roster_preview", args=[self.token])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class RosterValueMapping(models.Model):
    """What a court means by a 岗位类别 or 政治面貌 written its own way ("司法辅助", "无党派人士").

    Asked once in a roster preview, then used by every later import of the court without asking.
    An empty value means: leave the field empty for this wording.
    """

    class Field(models.TextChoices):
        POSITION_CATEGORY = "position_category", _("position category")
        POLITICAL_STATUS = "political_status", _("political status")

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="+")
    field = models.CharField(pgettext_lazy("roster", "column"), max_length=30, choices=Field.choices)
    raw_value = models.CharField(pgettext_lazy("roster", "as written in the roster"), max_length=100)
    value = models.CharField(
        pgettext_lazy("roster", "recorded as"),
        max_length=20,
        blank=True,
        help_text=_("A value of the column's list; empty leaves the field empty."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("roster", "chosen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("roster", "chosen at"), auto_now_add=True)

    class Meta:
        ordering = ["court", "field", "raw_value"]
        constraints = [
            models.UniqueConstraint(fields=["court", "field", "raw_value"], name="roster_value_mapping_unique")
        ]
        verbose_name = _("roster value mapping")
        verbose_name_plural = _("roster value mappings")

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.raw_value} → {self.value_label or '—'}"

    def value_choices(self) -> type[models.TextChoices] | None:
        return {
            self.Field.POSITION_CATEGORY: Member.PositionCategory,
            self.Field.POLITICAL_STATUS: Member.PoliticalStatus,
        }.get(self.field)

    @property
    def value_label(self) -> str:
        choices = self.value_choices()
        return str(choices(self.value).label) if choices and self.value in choices.values else ""

    def clean(self) -> None:
        choices = self.value_choices()
        if choices is not None and self.value and self.value not in choices.values:
            raise ValidationError({"value": _("Choose one of the column's values, or leave it empty.")})


def initial_password() -> str:
    """A printable initial password: no look-alike characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))
