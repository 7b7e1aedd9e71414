"""Excel export of a campaign's figures: Chinese headers, numbers as numbers, frozen header rows."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ...selectors.reading import CampaignFigures, takes_part

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2E6D0")


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header)) * 2] + [len(str(r[index - 1])) * 2 for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 50)
    return sheet


def campaign_workbook(figures: CampaignFigures) -> bytes:
    campaign = figures.campaign
    workbook = Workbook()
    _sheet(
        workbook,
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("Campaign"), campaign.title],
            [_("Court"), campaign.court.name],
            [_("Period"), f"{campaign.starts_on:%Y-%m-%d} – {campaign.ends_on:%Y-%m-%d}"],
            [_("Figures as of"), figures.today],
            [_("Eligible members"), figures.eligible],
            [_("Members taking part"), figures.participating],
            [_("Participation (%)"), figures.participation_percent],
            [_("Members with a reading plan"), figures.with_plan],
            [_("Books finished"), figures.books_finished],
            [_("Reading logs"), figures.logs],
            [_("Minutes read"), figures.minutes],
            [_("Pages read"), figures.pages],
            [_("Reflections submitted"), figures.reflections_submitted],
            [_("Reflections featured"), figures.reflections_featured],
            [_("Donations"), figures.donations],
            [_("Books donated (copies)"), figures.donated_copies],
        ],
        first=True,
    )
    workbook.active["B5"].number_format = "yyyy-mm-dd"
    _sheet(
        workbook,
        _("Departments"),
        [
            _("Department"),
            _("Eligible members"),
            _("Members taking part"),
            _("Participation (%)"),
            _("Books finished"),
            _("Reflections submitted"),
        ],
        [[d.name, d.eligible, d.participating, d.percent, d.finished, d.reflections] for d in figures.departments],
    )
    _sheet(
        workbook,
        _("Members"),
        [
            _("Name"),
            _("Employee number"),
            _("Department"),
            _("Taking part"),
            _("Books in plan"),
            _("Books finished"),
            _("Reading logs"),
            _("Minutes read"),
            _("Pages read"),
            _("Reflections submitted"),
            _("Reflections featured"),
            _("Read this month"),
        ],
        [
            [
                r.name,
                r.employee_number,
                r.department.name if r.department_id else "",
                _("yes") if takes_part(r) else _("no"),
                r.n_planned,
                r.n_finished,
                r.n_logs,
                r.n_minutes,
                r.n_pages,
                r.n_reflections,
                r.n_featured,
                _("yes") if r.read_this_month else _("no"),
            ]
            for r in figures.rows
        ],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def campaign_workbook_response(figures: CampaignFigures) -> HttpResponse:
    response = HttpResponse(campaign_workbook(figures), content_type=XLSX)
    name = f"reading-campaign-{figures.campaign.pk}-{figures.today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
