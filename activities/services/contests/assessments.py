"""Offline exams and skills assessments (速录 speed and accuracy, 业务技能评比 scores):
results recorded by form or Excel import."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtlearn.text import plain_number
from members.models import Court, Member, unit_ordering
from members.services import audit

from ...models import Assessment, AssessmentResult
from . import ActionRefused
from .sheets import Column, ImportReport, RowReport, build_workbook, read_sheet

MAX_SPEED = 1000  # characters per minute: well above any stenographer

COLUMNS = [
    Column("employee_number", gettext_lazy("Employee number"), 14, required=True, chinese="工号"),
    Column("name", gettext_lazy("Member name"), 12, required=True, chinese="姓名"),
    Column("score", gettext_lazy("Score"), 10, chinese="成绩"),
    Column("chars_per_minute", gettext_lazy("Characters per minute"), 14, chinese="速度（字/分钟）"),
    Column("accuracy", gettext_lazy("Accuracy (%)"), 12, chinese="正确率（%）"),
    Column("remark", gettext_lazy("Remark"), 30, chinese="备注"),
]


@dataclass
class ResultData:
    member: Member
    score: Decimal | None = None
    chars_per_minute: int | None = None
    accuracy: Decimal | None = None
    remark: str = ""


def result_problems(
    assessment: Assessment, *, score: Decimal | None, chars_per_minute: int | None, accuracy: Decimal | None
) -> list[str]:
    problems = []
    if assessment.is_typing:
        if chars_per_minute is None:
            problems.append(_("Enter the speed in characters per minute."))
        elif not 0 <= chars_per_minute <= MAX_SPEED:
            problems.append(_("The speed must be between 0 and %(max)s characters per minute.") % {"max": MAX_SPEED})
        if accuracy is None:
            problems.append(_("Enter the accuracy in percent."))
    elif score is None:
        problems.append(_("Enter the score."))
    if accuracy is not None and not 0 <= accuracy <= 100:
        problems.append(_("The accuracy must be between 0 and 100."))
    if score is not None and not 0 <= score <= assessment.max_score:
        problems.append(_("The score must be between 0 and %(max)s.") % {"max": plain_number(assessment.max_score)})
    return problems


@transaction.atomic
def assessment_create(*, actor: Member, court: Court, fields: dict) -> Assessment:
    assessment = Assessment.objects.create(court=court, created_by=actor, **fields)
    audit(actor=actor.user, action="assessment.created", target=assessment, title=assessment.title)
    return assessment


@transaction.atomic
def assessment_update(*, actor: Member, assessment: Assessment, fields: dict) -> Assessment:
    if "kind" in fields and fields["kind"] != assessment.kind and assessment.results.exists():
        raise ActionRefused(_("Results are recorded: the kind of assessment can no longer change."))
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save()
    audit(actor=actor.user, action="assessment.updated", target=assessment)
    return assessment


@transaction.atomic
def assessment_result_save(
    *, actor: Member, assessment: Assessment, data: ResultData, audit_it: bool = True
) -> AssessmentResult:
    """Record (or correct) one member's result."""
    if data.member.court_id != assessment.court_id:
        raise ActionRefused(_("The member is not in the assessment's court."))
    problems = result_problems(
        assessment, score=data.score, chars_per_minute=data.chars_per_minute, accuracy=data.accuracy
    )
    if problems:
        raise ActionRefused(" ".join(problems))
    result, created = AssessmentResult.objects.update_or_create(
        assessment=assessment,
        member=data.member,
        defaults={
            "score": data.score,
            "chars_per_minute": data.chars_per_minute,
            "accuracy": data.accuracy,
            "remark": data.remark.strip()[:200],
            "recorded_by": actor,
        },
    )
    if audit_it:
        audit(
            actor=actor.user,
            action="assessment.result_recorded" if created else "assessment.result_corrected",
            target=result,
            score=str(data.score),
            chars_per_minute=data.chars_per_minute,
            accuracy=str(data.accuracy),
        )
    return result


@transaction.atomic
def assessment_result_delete(*, actor: Member, result: AssessmentResult) -> None:
    audit(actor=actor.user, action="assessment.result_deleted", target=result, member=result.member_id)
    result.delete()


def _decimal(text: str, label: str, errors: list[str]) -> Decimal | None:
    text = text.strip().rstrip("%％")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(_("%(field)s “%(value)s” is not a number.") % {"field": label, "value": text})
        return None
    if not value.is_finite():
        errors.append(_("%(field)s “%(value)s” is not a number.") % {"field": label, "value": text})
        return None
    return value.quantize(Decimal("0.01"))


def import_report(source, *, assessment: Assessment, managed: QuerySet[Member]) -> ImportReport:
    """Check the rows: the member by employee number (and name), numbers, ranges, duplicates."""
    report = ImportReport()
    rows = read_sheet(source, COLUMNS, report)
    members = {m.employee_number: m for m in Member.objects.filter(court_id=assessment.court_id)}
    managed_ids = set(managed.values_list("pk", flat=True))
    recorded = set(assessment.results.values_list("member_id", flat=True))
    seen: dict[str, int] = {}
    for number, values in rows:
        if not any(values.get(key, "").strip() for key in ("score", "chars_per_minute", "accuracy")):
            continue  # a roster row of the template left without results
        errors: list[str] = []
        employee_number = values.get("employee_number", "").strip()
        name = "".join(values.get("name", "").split())
        member = members.get(employee_number)
        if not employee_number:
            errors.append(_("The employee number is missing."))
        elif member is None:
            errors.append(_("No member of this court has employee number %(n)s.") % {"n": employee_number})
        elif name and "".join(member.name.split()) != name:
            errors.append(
                _("Employee number %(n)s belongs to %(member)s, not %(name)s.")
                % {"n": employee_number, "member": member.name, "name": name}
            )
        elif member.pk not in managed_ids:
            errors.append(_("%(name)s is not among the members you manage.") % {"name": member.name})
        if employee_number in seen:
            errors.append(_("The same employee number as row %(row)s.") % {"row": seen[employee_number]})
        seen.setdefault(employee_number, number)
        score = _decimal(values.get("score", ""), str(_("Score")), errors)
        accuracy = _decimal(values.get("accuracy", ""), str(_("Accuracy (%)")), errors)
        speed_text = values.get("chars_per_minute", "").strip()
        speed = None
        if speed_text:
            if speed_text.isdigit():
                speed = int(speed_text)
            else:
                errors.append(
                    _("%(field)s “%(value)s” is not a whole number.")
                    % {"field": _("Characters per minute"), "value": speed_text}
                )
        if not errors:
            errors.extend(result_problems(assessment, score=score, chars_per_minute=speed, accuracy=accuracy))
        parsed = None
        if not errors:
            parsed = ResultData(
                member=member, score=score, chars_per_minute=speed, accuracy=accuracy, remark=values.get("remark", "")
            )
            if member.pk in recorded:
                values["note"] = str(_("replaces the recorded result"))
        report.rows.append(RowReport(number=number, values=values, errors=errors, parsed=parsed))
    if not report.rows and not report.file_errors:
        report.file_errors.append(_("No row has results to import."))
    return report


@transaction.atomic
def results_import(*, actor: Member, assessment: Assessment, report: ImportReport, only_valid: bool) -> int:
    if report.file_errors:
        raise ActionRefused(_("The file has errors; nothing was imported."))
    if report.invalid and not only_valid:
        raise ActionRefused(_("Some rows have errors; nothing was imported. Fix them, or import only the valid rows."))
    for row in report.valid:
        assessment_result_save(actor=actor, assessment=assessment, data=row.parsed, audit_it=False)
    audit(
        actor=actor.user,
        action="assessment.results_imported",
        target=assessment,
        rows=len(report.valid),
        skipped_rows=[row.number for row in report.invalid],
    )
    return len(report.valid)


def template_workbook(assessment: Assessment, members: QuerySet[Member]):
    """The import template, filled with the members' employee numbers and names."""
    rows = [
        [m.employee_number, m.name, "", "", "", ""]
        for m in members.order_by(*unit_ordering("department__", department=True), "name")
    ]
    notes = [
        _("Fill in one row per member; the employee number and the name must match the roster."),
        _("Typing-speed tests: characters per minute and accuracy (%). Other assessments: the score."),
        _("Rows left without results are skipped. A member's earlier result is replaced."),
    ]
    return build_workbook(COLUMNS, rows, title=assessment.title, notes=notes)
