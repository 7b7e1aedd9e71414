"""One-click files: the Excel workbook of a period and the Word 情况总结 draft.

Both read summary rows only. Numbers are stored as numbers; Chinese text in Word gets
its East Asian font set explicitly (python-docx does not do it for us).
"""

from __future__ import annotations

import datetime as dt
import io
from string import Formatter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook

from courtlearn import xlsx
from courtlearn.xlsx import attachment
from members.models import Court

from .facts import facts_for
from .metrics import all_highlights, all_metrics, all_sections
from .models import ReportTemplate, Summary, UnitKind
from .periods import Period
from .selectors import Row, child_court_rows, court_values, unit_rows
from .sheets import Scope, family_sheets

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
    local = built.astimezone(ZoneInfo(settings.TIME_ZONE))
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
