"""One-click files: the Excel workbook of a period and the Word 情况总结 draft.

Both read summary rows only. Numbers are stored as numbers; Chinese text in Word gets
its East Asian font set explicitly (python-docx does not do it for us).
"""

from __future__ import annotations

import io
from string import Formatter
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from members.models import Court

from .metrics import all_highlights, all_metrics, all_sections
from .models import ReportTemplate, Summary, UnitKind
from .periods import Period
from .selectors import Row, child_court_rows, court_values, unit_rows

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


class _Figures(dict):
    """Formatting values for sentence templates: unknown names show as a dash."""

    def __missing__(self, key: str) -> str:
        return "—"


def figures(court: Court, period: Period, values: dict) -> _Figures:
    out = _Figures(court=court.name, period=period.label)
    for metric in all_metrics():
        value = metric.value(values)
        out[metric.key] = "—" if value is None else value
    return out


def fill(template: str, data: _Figures) -> str:
    try:
        return Formatter().vformat(template, (), data)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template  # a broken template is shown as written, never a 500


def set_chinese_font(run, name: str = "宋体", size: float | None = None) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)


def add_paragraph(document, text: str, *, size: float = 12, bold: bool = False, font: str = "宋体", center=False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    set_chinese_font(run, font, size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def summary_document(court: Court, period: Period, template: ReportTemplate) -> Document:
    values = court_values(court, [period])[period]
    data = figures(court, period, values)
    court_row = Summary.objects.for_period(period).filter(unit_kind=UnitKind.COURT, unit_id=court.pk).first()
    highlights = court_row.highlights if court_row else {}
    document = Document()
    add_paragraph(document, fill(template.title, data), size=18, bold=True, font="黑体", center=True)
    add_paragraph(document, str(period.label), size=12, center=True)
    sentences = template.sentences or {}
    for number, section in enumerate(all_sections(), start=1):
        add_paragraph(document, f"{number_cn(number)}、{section.title}", size=14, bold=True, font="黑体")
        add_paragraph(document, fill(sentences.get(section.key, str(section.sentence)), data))
    for highlight in all_highlights():
        items = highlights.get(highlight.key) or []
        if items:
            add_paragraph(document, str(highlight.title), size=12, bold=True)
            for item in items:
                add_paragraph(document, f"· {item}")
    add_paragraph(document, str(_("Next steps")), size=14, bold=True, font="黑体")
    add_paragraph(document, template.closing)
    return document


def number_cn(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else f"十{digits[n - 10]}" if n < 20 else str(n)


def docx_response(court: Court, period: Period, template: ReportTemplate) -> HttpResponse:
    buffer = io.BytesIO()
    summary_document(court, period, template).save(buffer)
    return attachment(buffer.getvalue(), f"{court.name}-{period.key}-情况总结.docx", DOCX)
