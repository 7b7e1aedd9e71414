"""Research outputs (调研成果) from a spreadsheet: template, row-by-row check, import of the valid rows.

A court that wrote 22 papers and 100 typical cases in a year keeps them in a sheet already; it
uploads that sheet instead of filling 122 forms. The file is read by courtlearn.tabular, as every
import is, and checked in full first (contests.sheets: the same report, stash and confirm as the
question bank). Authors are written as courts write them: 工号 or names separated by 、, and an
outside co-author as 姓名(单位). Importing the same sheet again adds nothing: a row whose kind,
title and date are already recorded is shown as such and skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Court, Member
from members.roster import parse_date
from members.services import audit

from ..models.plans import ResearchOutput
from .contests import ActionRefused
from .contests.sheets import Column, ImportReport, RowReport, build_workbook, read_sheet
from .plans import AuthorSpec, output_create

COLUMNS = [
    Column("kind", gettext_lazy("Kind"), 12, required=True, chinese="类型"),
    Column("title", gettext_lazy("Title"), 40, required=True, chinese="标题"),
    Column("date", gettext_lazy("Date"), 12, required=True, chinese="日期"),
    Column("authors", gettext_lazy("Authors"), 28, required=True, chinese="作者"),
    Column("level", gettext_lazy("Level"), 10, chinese="级别"),
    Column("outlet", gettext_lazy("Outlet"), 24, chinese="刊发载体"),
    Column("abstract", gettext_lazy("Abstract"), 40, chinese="摘要"),
]

KIND_WORDS = {
    ResearchOutput.Kind.PAPER: {"论文", "学术论文", "paper"},
    ResearchOutput.Kind.TYPICAL_CASE: {"典型案例", "案例", "typical case", "typicalcase", "typical_case"},
    ResearchOutput.Kind.RESEARCH_REPORT: {"调研报告", "调研", "报告", "research report", "research_report"},
    ResearchOutput.Kind.BRIEFING: {"信息", "简报", "信息简报", "信息/简报", "briefing"},
    ResearchOutput.Kind.PUBLICITY: {"宣传稿件", "宣传", "稿件", "publicity", "publicity article"},
    ResearchOutput.Kind.CASE_ANALYSIS: {"案例分析", "case analysis", "case_analysis"},
}
LEVEL_WORDS = {
    ResearchOutput.Level.NATIONAL: {"国家级", "国家", "全国", "national"},
    ResearchOutput.Level.PROVINCIAL: {"省级", "省", "provincial"},
    ResearchOutput.Level.CITY: {"市级", "市", "city"},
    ResearchOutput.Level.COURT: {"院级", "本院", "院", "court"},
}
EXPORT_KIND = {
    ResearchOutput.Kind.PAPER: "论文",
    ResearchOutput.Kind.TYPICAL_CASE: "典型案例",
    ResearchOutput.Kind.RESEARCH_REPORT: "调研报告",
    ResearchOutput.Kind.BRIEFING: "信息简报",
    ResearchOutput.Kind.PUBLICITY: "宣传稿件",
    ResearchOutput.Kind.CASE_ANALYSIS: "案例分析",
}
AUTHOR_SPLIT = re.compile(r"[、,，;；/\n]+")
OUTSIDE = re.compile(r"^(?P<name>[^()]+)\((?P<affiliation>[^()]*)\)$")


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def _lookup(words: dict, text: str) -> str | None:
    word = _word(text)
    for value, accepted in words.items():
        if word in accepted or word.replace(" ", "") in accepted:
            return value
    return None


class People:
    """The court's members by 工号 and by name, read once for the whole sheet."""

    def __init__(self, court: Court):
        self.by_number: dict[str, Member] = {}
        self.by_name: dict[str, list[Member]] = defaultdict(list)
        for member in Member.objects.filter(court=court).order_by("-is_active", "pk"):
            self.by_number[member.employee_number] = member
            self.by_name[member.name].append(member)

    def authors(self, text: str) -> tuple[list[AuthorSpec], list[str]]:
        specs: list[AuthorSpec] = []
        errors: list[str] = []
        for raw in AUTHOR_SPLIT.split(unicodedata.normalize("NFKC", text or "")):
            token = re.sub(r"\s+", "", raw)
            if not token:
                continue
            if token in self.by_number:
                specs.append(AuthorSpec(member=self.by_number[token]))
                continue
            outside = OUTSIDE.match(token)
            if outside:
                specs.append(AuthorSpec(name=outside["name"][:50], affiliation=outside["affiliation"][:100]))
                continue
            named = [m for m in self.by_name.get(token, []) if m.is_active] or self.by_name.get(token, [])
            if len(named) == 1:
                specs.append(AuthorSpec(member=named[0]))
            elif named:
                errors.append(
                    _("%(count)s people are named %(name)s: write their employee number (工号) instead.")
                    % {"count": len(named), "name": token}
                )
            else:
                errors.append(
                    _(
                        "No one in the court has the employee number or name “%(value)s”; "
                        "write an outside co-author as 姓名(单位)."
                    )
                    % {"value": token}
                )
        if not specs and not errors:
            errors.append(_("The authors are missing."))
        elif specs and not errors:
            if not any(spec.member is not None for spec in specs):
                errors.append(_("At least one author must be a member of the court."))
            members = [spec.member.pk for spec in specs if spec.member is not None]
            if len(members) != len(set(members)):
                errors.append(_("The same member is listed twice among the authors."))
        return specs, errors


def author_label(spec: AuthorSpec) -> str:
    if spec.member is not None:
        return f"{spec.member.name}({spec.member.employee_number})"
    return f"{spec.name}({spec.affiliation})" if spec.affiliation else spec.name


def parse_row(values: dict[str, str], people: People) -> tuple[dict | None, list[str]]:
    """One row to the fields and authors of an output, or the reasons it cannot be one."""
    errors: list[str] = []
    kind = _lookup(KIND_WORDS, values.get("kind", ""))
    if kind is None:
        errors.append(
            _("Unknown kind “%(value)s”: use 论文, 典型案例, 调研报告, 信息简报, 宣传稿件 or 案例分析.")
            % {"value": values.get("kind", "")}
        )
    title = re.sub(r"\s+", " ", values.get("title", "")).strip()
    if not title:
        errors.append(_("The title is missing."))
    elif len(title) > 200:
        errors.append(_("The title is longer than 200 characters."))
    date = parse_date(values.get("date", ""))
    if date is None:
        errors.append(
            _("Unknown date “%(value)s”: write it as 2026-03-15 or 2026年3月15日.") % {"value": values.get("date", "")}
        )
    elif not 1990 <= date.year <= 2100:
        errors.append(_("The date %(date)s is out of range.") % {"date": date.isoformat()})
    level = ""
    if values.get("level", "").strip():
        level = _lookup(LEVEL_WORDS, values["level"]) or ""
        if not level:
            errors.append(_("Unknown level “%(value)s”: use 国家级, 省级, 市级 or 院级.") % {"value": values["level"]})
    outlet = values.get("outlet", "").strip()
    if len(outlet) > 200:
        errors.append(_("The outlet is longer than 200 characters."))
    abstract = values.get("abstract", "").strip()
    if len(abstract) > 3000:
        errors.append(_("The abstract is longer than 3000 characters."))
    authors, author_errors = people.authors(values.get("authors", ""))
    errors.extend(author_errors)
    if errors:
        return None, errors
    fields = {
        "kind": kind,
        "title": title,
        "abstract": abstract,
        "body": "",
        "date": date,
        "outlet": outlet,
        "level": level,
        "recognition": "",
        "recognition_note": "",
    }
    return {"fields": fields, "authors": authors}, []


def output_key(kind: str, title: str, date) -> tuple[str, str, str]:
    """What makes two outputs the same one: kind, title (spacing and full-width forms aside) and date."""
    return kind, "".join(unicodedata.normalize("NFKC", title).split()).casefold(), str(date)


class OutputsReport(ImportReport):
    """The question bank's report, plus rows already recorded: valid, shown, never written again."""

    @property
    def new(self) -> list[RowReport]:
        return [row for row in self.valid if not row.parsed.get("recorded")]

    @property
    def recorded(self) -> list[RowReport]:
        return [row for row in self.valid if row.parsed.get("recorded")]

    @property
    def can_import_all(self) -> bool:
        return not self.file_errors and bool(self.new) and not self.invalid

    @property
    def can_import_valid(self) -> bool:
        return not self.file_errors and bool(self.new) and bool(self.invalid)


def import_report(source, *, court: Court) -> OutputsReport:
    """Check a sheet row by row: bad rows with their reasons, rows already recorded marked so."""
    report = OutputsReport()
    rows = read_sheet(source, COLUMNS, report)
    if not rows:
        return report
    people = People(court)
    recorded = {
        output_key(kind, title, date)
        for kind, title, date in ResearchOutput.objects.filter(court=court).values_list("kind", "title", "date")
    }
    seen: dict[tuple, int] = {}
    for number, values in rows:
        parsed, errors = parse_row(values, people)
        if parsed is not None:
            fields = parsed["fields"]
            key = output_key(fields["kind"], fields["title"], fields["date"])
            values["authors"] = "、".join(author_label(spec) for spec in parsed["authors"])
            if key in seen:
                errors.append(_("The same output as row %(row)s.") % {"row": seen[key]})
                parsed = None
            elif key in recorded:
                # Not an error: the sheet was imported before. Shown, and skipped on import.
                values["note"] = str(_("already recorded: skipped"))
                parsed["recorded"] = True
            seen.setdefault(key, number)
        report.rows.append(RowReport(number=number, values=values, errors=errors, parsed=parsed))
    return report


@transaction.atomic
def outputs_import(*, actor: Member, court: Court, report: ImportReport, only_valid: bool) -> int:
    """Record the checked rows that are not recorded yet. One audit row for the import."""
    if report.file_errors:
        raise ActionRefused(_("The file has errors; nothing was imported."))
    if report.invalid and not only_valid:
        raise ActionRefused(_("Some rows have errors; nothing was imported. Fix them, or import only the valid rows."))
    if actor.court_id != court.pk:
        raise ActionRefused(_("Outputs are imported into your own court."))
    created = 0
    for row in report.valid:
        if row.parsed.get("recorded"):
            continue
        output_create(actor=actor, fields=row.parsed["fields"], authors=row.parsed["authors"], audit_it=False)
        created += 1
    audit(
        actor=actor.user,
        action="output.imported",
        target=court,
        created=created,
        already_recorded=sum(1 for row in report.valid if row.parsed.get("recorded")),
        skipped_rows=[row.number for row in report.invalid],
    )
    return created


def template_workbook():
    notes = [
        _("Kind: 论文, 典型案例, 调研报告, 信息简报, 宣传稿件 or 案例分析."),
        _("Date: when it was written or published, e.g. 2026-03-15 or 2026年3月15日."),
        _(
            "Authors in order, separated by 、: the employee number (工号) or the name of each member; "
            "an outside co-author as 姓名(单位). At least one author is a member of the court."
        ),
        _("Level (may be empty): 国家级, 省级, 市级 or 院级. Outlet: where it was published (刊发载体)."),
        _("Rows with errors are reported one by one; nothing is written until you confirm."),
        _("An output with the same kind, title and date as one already recorded is skipped: importing twice is safe."),
    ]
    examples = [
        ["论文", "论新时代人民法庭参与基层社会治理的路径", "2026-03-15", "1001、张明", "省级", "《人民司法》", ""],
        ["典型案例", "王某诉李某民间借贷纠纷案", "2026-04-02", "1002", "市级", "市中院典型案例汇编", ""],
        [
            "调研报告",
            "关于涉农民事纠纷多元化解的调研报告",
            "2026年5月8日",
            "1001、陈教授(吉林大学法学院)",
            "院级",
            "",
            "",
        ],
    ]
    return build_workbook(COLUMNS, [], title=_("Research outputs"), notes=notes, examples=examples)
