"""Summary rows built by Celery. Dashboards and exports read only these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Court

from .periods import KINDS, Period


class UnitKind(models.TextChoices):
    MEMBER = "member", _("member")
    DEPARTMENT = "department", _("department")
    BRANCH = "branch", _("party branch")
    GROUP = "group", _("study group")
    COURT = "court", _("court")


class SummaryQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> SummaryQuerySet:
        return self.filter(period_kind=period.kind, period_start=period.start)

    def for_periods(self, periods: list[Period]) -> SummaryQuerySet:
        kinds = {p.kind for p in periods}
        return self.filter(period_kind__in=kinds, period_start__in=[p.start for p in periods])

    def units(self, unit_kind: str) -> SummaryQuerySet:
        return self.filter(unit_kind=unit_kind)


class Summary(models.Model):
    """The metric values of one unit for one period, e.g. 民一庭 in 2026-10."""

    period_kind = models.CharField(max_length=10, choices=[(k, k) for k in KINDS], verbose_name=_("period kind"))
    period_start = models.DateField(verbose_name=_("period start"))
    unit_kind = models.CharField(max_length=12, choices=UnitKind.choices, verbose_name=_("unit kind"))
    unit_id = models.PositiveBigIntegerField(verbose_name=_("unit id"))
    # No database constraint or index of its own: a build writes a court's rows in bulk, and a
    # deferred foreign-key check per row cost more than the insert (the court is known to exist;
    # Django still deletes a court's summaries with the court). The index below starts with court.
    court = models.ForeignKey(
        Court,
        on_delete=models.CASCADE,
        related_name="summaries",
        db_constraint=False,
        db_index=False,
        verbose_name=_("court"),
    )
    values = models.JSONField(default=dict, verbose_name=_("values"))
    built_at = models.DateTimeField(verbose_name=_("built at"))

    objects = SummaryQuerySet.as_manager()

    class Meta:
        constraints = [
            # Unit first: it serves a member's history (one unit, many periods), and a court's rows
            # of a period are found through the court index below, never by scanning a period here.
            models.UniqueConstraint(
                fields=["unit_kind", "unit_id", "period_kind", "period_start"], name="summary_once_per_unit_period"
            )
        ]
        indexes = [models.Index(fields=["court", "period_kind", "period_start", "unit_kind"])]
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")

    def __str__(self) -> str:
        return f"{self.period_kind} {self.period_start} {self.unit_kind}#{self.unit_id}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)


class SummaryBuild(models.Model):
    """One court's build of one period: status and progress for the organizer's progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    # The error of a build that was queued or running longer than a task may run (the sweep,
    # reports.services.builds_sweep_stuck): the page says it timed out.
    TIMED_OUT = "timed out"

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="summary_builds", verbose_name=_("court"))
    period_kind = models.CharField(max_length=10, choices=[(k, k) for k in KINDS], verbose_name=_("period kind"))
    period_start = models.DateField(verbose_name=_("period start"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status"))
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("progress"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("build attempts"))
    error = models.CharField(max_length=300, blank=True, verbose_name=_("error"))
    queued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("queued at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "period_kind", "period_start"], name="summary_build_once")
        ]
        verbose_name = _("summary build")
        verbose_name_plural = _("summary builds")

    def __str__(self) -> str:
        return f"{self.court} {self.period_kind} {self.period_start}: {self.status}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    @property
    def timed_out(self) -> bool:
        return self.status == self.Status.FAILED and self.error == self.TIMED_OUT


class ReportFactsQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> ReportFactsQuerySet:
        return self.filter(period_kind=period.kind, period_start=period.start)


class ReportFacts(models.Model):
    """What happened in one court in one period, by name (activities.facts.court_facts), stored by
    every build next to the court's numbers; the 情况总结, the workbook and the 驾驶舱 read it."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="report_facts")
    period_kind = models.CharField(_("period kind"), max_length=10, choices=[(k, k) for k in KINDS])
    period_start = models.DateField(_("period start"))
    facts = models.JSONField(_("facts"), default=dict)
    built_at = models.DateTimeField(_("built at"))

    objects = ReportFactsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "period_kind", "period_start"], name="report_facts_once")
        ]
        verbose_name = _("report facts")
        verbose_name_plural = _("report facts")

    def __str__(self) -> str:
        return f"{self.court} {self.period_kind} {self.period_start}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)


class ReportTemplate(models.Model):
    """A court's own wording of the Word summary: sentences with {placeholders}."""

    court = models.OneToOneField(
        Court, on_delete=models.CASCADE, related_name="report_template", verbose_name=_("court")
    )
    title = models.CharField(_("title"), max_length=200, default="{court}{period}学习活动情况总结")
    sentences = models.JSONField(_("sentences"), default=dict, blank=True)
    closing = models.TextField(
        _("closing section"),
        default="下一步，我院将继续深化学习活动，……（请组织者补充）",
        help_text=_("The closing section for the organizer to complete."),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return str(self.court)


class PointsWeight(models.Model):
    """学习积分: how many points one unit of an output metric is worth in a court (optional).

    A court without weights has no points. Only outputs can carry points, never time online.
    """

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="points_weights", verbose_name=_("court"))
    metric_key = models.CharField(_("output"), max_length=50)
    weight = models.DecimalField(_("points each"), max_digits=6, decimal_places=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "metric_key"], name="points_weight_once")]
        verbose_name = _("points weight")
        verbose_name_plural = _("points weights")

    def __str__(self) -> str:
        return f"{self.court}: {self.metric_key} × {self.weight}"


class SummaryStaleQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> SummaryStaleQuerySet:
        return self.filter(period_kind=period.kind, period_start=period.start)


class SummaryStale(models.Model):
    """A court's period whose summary misses a write: reports.freshness marks it, a build clears it.

    One row per court and period whatever the number of writes; marked_at is the first unbuilt
    write's time (a later write leaves it), so a court written to without pause is still built
    once the first write is a few seconds old.
    """

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=10, choices=[(k, k) for k in KINDS])
    period_start = models.DateField()
    marked_at = models.DateTimeField()

    objects = SummaryStaleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "period_kind", "period_start"], name="summary_stale_once")
        ]
        indexes = [models.Index(fields=["marked_at"], name="summary_stale_marked")]
        verbose_name = _("stale summary")
        verbose_name_plural = _("stale summaries")

    def __str__(self) -> str:
        return f"{self.court_id} {self.period_kind} {self.period_start} since {self.marked_at:%Y-%m-%d %H:%M:%S}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)
