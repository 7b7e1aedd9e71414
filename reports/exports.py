"""One-click files: the Excel workbook of a period and the Word 情况总结 draft.

The workbook reads summary rows; numbers are stored as numbers. The Word draft is written from
the period's facts (reports.narrative) and laid out by reports.summary_docx.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from members.models import Court

from .metrics import all_metrics
from .models import ReportTemplate, UnitKind
from .narrative import draft_for
from .periods import Period
from .selectors import Row, child_court_rows, court_values, unit_rows
from .summary_docx import summary_docx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def workbook(court: Court, period: Period) -> Workbook:
    metrics = all_metrics()
    book = Workbook()
    book.remove(book.active)
    own = Row(UnitKind.COURT, court.pk, court.name, court_values(court, [period])[period])
    levels = [
        (_("Courts"), [own, *child_court_rows(court, period)]),
        (_("Departments"), unit_rows(court, period, UnitKind.DEPARTMENT)),
        (_("Party branches"), unit_rows(court, period, UnitKind.BRANCH)),
        (_("Study groups"), unit_rows(court, period, UnitKind.GROUP)),
    ]
    for title, rows in levels:
        sheet = book.create_sheet(title=str(title)[:31])
        sheet.append([str(_("Unit"))] + [str(m.label) for m in metrics])
        for row in rows:
            sheet.append([row.name] + [row.value(m) for m in metrics])
        style_sheet(sheet, len(metrics) + 1)
    sheet = book.create_sheet(title=str(_("Definitions"))[:31])
    sheet.append([str(_("Metric")), str(_("Definition"))])
    for metric in metrics:
        sheet.append([str(metric.label), str(metric.definition)])
    style_sheet(sheet, 2, width=60)
    return book


def style_sheet(sheet, columns: int, width: int = 14) -> None:
    sheet.freeze_panes = "B2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    for index in range(2, columns + 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def xlsx_response(court: Court, period: Period) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(court, period).save(buffer)
    return attachment(buffer.getvalue(), f"{court.name}-{period.key}.xlsx", XLSX)


def docx_response(
    court: Court, period: Period, template: ReportTemplate, *, with_children: bool = False
) -> HttpResponse:
    """The 情况总结 draft as a Word file; DraftUnavailable when the period was never built."""
    draft = draft_for(court, period, with_children=with_children, template=template)
    buffer = io.BytesIO()
    summary_docx(draft).save(buffer)
    return attachment(buffer.getvalue(), f"{court.name}-{period.key}-情况总结.docx", DOCX)
