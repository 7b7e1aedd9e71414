"""One-click files: the Excel workbook of a period and the Word 情况总结 draft.

The workbook reads summary rows; numbers are stored as numbers. The Word draft is written from
the period's facts (reports.narrative) and laid out by reports.summary_docx.
"""

from __future__ import annotations

import datetime as dt
import io

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from courtlearn import xlsx
from courtlearn.xlsx import attachment
from members.models import Court

from .facts import facts_for
from .metrics import all_metrics
from .models import ReportTemplate, UnitKind
from .narrative import draft_for
from .periods import Period
from .selectors import Row, child_court_rows, court_values, unit_rows
from .sheets import Scope, family_sheets
from .summary_docx import summary_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def workbook(court: Court, period: Period, *, with_children: bool = False) -> Workbook:
    """The period's workbook: 说明, the numbers per unit level, then what happened per family.

    with_children (scope=tree) reads the facts of the court and every court below it; each
    family row then starts with its court. The facts are read as built: a period never built
    says so on 说明 and on every family sheet (building first is the caller's business).
    """
    tree = with_children and Court.objects.filter(parent=court).exists()
    facts = facts_for(court, period, with_children=tree)
    scope = Scope(court.name, tree)
    book = xlsx.new_workbook()
    about_sheet(book, court, period, facts, scope)
    unit_sheets(book, court, period, tree=tree)
    family_sheets(book, facts, scope)
    metrics = all_metrics()
    xlsx.add_sheet(
        book,
        _("Definitions"),
        [_("Metric"), _("Definition")],
        [[metric.label, metric.definition] for metric in metrics],
        widths=(24, 60),
        freeze="B2",
    )
    return book


def built_line(facts: dict | None) -> str:
    """When the figures were built, on the court's clock: 数据生成于 2026年12月6日 17:42."""
    if facts is None:
        return pgettext("workbook", "The figures of this period have not been built yet.")
    try:
        built = dt.datetime.fromisoformat(str(facts.get("built_at")))
    except ValueError:
        return pgettext("workbook", "The figures of this period have been built.")
    if built.tzinfo is None:
        built = built.replace(tzinfo=dt.UTC)
    local = timezone.localtime(built)
    return pgettext("workbook", "Figures built on %(when)s") % {"when": formats.date_format(local, "DATETIME_FORMAT")}


def about_sheet(book: Workbook, court: Court, period: Period, facts: dict | None, scope: Scope) -> None:
    sheet = xlsx.add_sheet(book, pgettext("workbook sheet", "About"), freeze=None)
    xlsx.append_row(sheet, [pgettext("workbook", "Court"), scope.total])
    xlsx.append_row(sheet, [pgettext("workbook", "Period"), period.label])
    xlsx.append_row(sheet, [built_line(facts)])
    missing = (facts or {}).get("missing_courts") or []
    if missing:
        # Merged over the courts below: those never built are not in the figures, and the reader must know.
        line = pgettext("workbook", "Not built yet, so not counted: %(courts)s") % {"courts": "、".join(missing)}
        xlsx.append_row(sheet, [line])
    xlsx.append_row(sheet, [])
    xlsx.append_row(
        sheet,
        [
            pgettext(
                "workbook",
                "The unit sheets give this period's figures per court, department, party branch and study "
                "group; the sheets after them list what was done, family by family. A sheet with nothing "
                "in this period says so.",
            )
        ],
    )
    xlsx.fit_columns(sheet, widths=(14, 40))


def unit_sheets(book: Workbook, court: Court, period: Period, *, tree: bool = False) -> None:
    """One sheet per unit level, a row per unit, a column per metric (numbers as numbers)."""
    metrics = all_metrics()
    own = Row(UnitKind.COURT, court.pk, court.name, court_values(court, [period])[period])
    courts = [own, *child_court_rows(court, period)]
    if tree:
        total = court_values(court, [period], with_children=True)[period]
        courts.append(Row(UnitKind.COURT, court.pk, Scope(court.name, True).total, total))
    levels = [
        (_("Courts"), courts),
        (_("Departments"), unit_rows(court, period, UnitKind.DEPARTMENT)),
        (_("Party branches"), unit_rows(court, period, UnitKind.BRANCH)),
        (_("Study groups"), unit_rows(court, period, UnitKind.GROUP)),
    ]
    widths = [24] + [14] * len(metrics)
    headers = [_("Unit")] + [metric.label for metric in metrics]
    for title, rows in levels:
        data = [[row.name] + [row.value(metric) for metric in metrics] for row in rows]
        xlsx.add_sheet(book, title, headers, data, widths=widths, freeze="B2")


def xlsx_response(court: Court, period: Period, *, with_children: bool = False) -> HttpResponse:
    name = f"{court.name}-{period.key}.xlsx"
    return xlsx.xlsx_response(workbook(court, period, with_children=with_children), name)


def docx_response(
    court: Court, period: Period, template: ReportTemplate, *, with_children: bool = False
) -> HttpResponse:
    """The 情况总结 draft as a Word file; DraftUnavailable when the period was never built."""
    draft = draft_for(court, period, with_children=with_children, template=template)
    buffer = io.BytesIO()
    summary_docx(draft).save(buffer)
    return attachment(buffer.getvalue(), f"{court.name}-{period.key}-情况总结.docx", DOCX)
