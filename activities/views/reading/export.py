"""Excel export of a campaign's figures: Chinese headers, numbers as numbers, frozen header rows.

Headers use the context "reading export" so short generic words (Name, Summary…) keep their own
translation whatever other families choose for them."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import pgettext
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
        pgettext("reading export", "Summary"),
        [pgettext("reading export", "Item"), pgettext("reading export", "Value")],
        [
            [pgettext("reading export", "Campaign"), campaign.title],
            [pgettext("reading export", "Court"), campaign.court.name],
            [pgettext("reading export", "Period"), f"{campaign.starts_on:%Y-%m-%d} – {campaign.ends_on:%Y-%m-%d}"],
            [pgettext("reading export", "Figures as of"), figures.today],
            [pgettext("reading export", "Eligible members"), figures.eligible],
            [pgettext("reading export", "Members taking part"), figures.participating],
            [pgettext("reading export", "Participation (%)"), figures.participation_percent],
            [pgettext("reading export", "Members with a reading plan"), figures.with_plan],
            [pgettext("reading export", "Books finished"), figures.books_finished],
            [pgettext("reading export", "Reading logs"), figures.logs],
            [pgettext("reading export", "Minutes read"), figures.minutes],
            [pgettext("reading export", "Pages read"), figures.pages],
            [pgettext("reading export", "Reflections submitted"), figures.reflections_submitted],
            [pgettext("reading export", "Reflections featured"), figures.reflections_featured],
            [pgettext("reading export", "Donations"), figures.donations],
            [pgettext("reading export", "Books donated (copies)"), figures.donated_copies],
        ],
        first=True,
    )
    workbook.active["B5"].number_format = "yyyy-mm-dd"
    _sheet(
        workbook,
        pgettext("reading export", "Departments"),
        [
            pgettext("reading export", "Department"),
            pgettext("reading export", "Eligible members"),
            pgettext("reading export", "Members taking part"),
            pgettext("reading export", "Participation (%)"),
            pgettext("reading export", "Books finished"),
            pgettext("reading export", "Reflections submitted"),
        ],
        [[d.name, d.eligible, d.participating, d.percent, d.finished, d.reflections] for d in figures.departments],
    )
    _sheet(
        workbook,
        pgettext("reading export", "Members"),
        [
            pgettext("reading export", "Name"),
            pgettext("reading export", "Employee number"),
            pgettext("reading export", "Department"),
            pgettext("reading export", "Taking part"),
            pgettext("reading export", "Books in plan"),
            pgettext("reading export", "Books finished"),
            pgettext("reading export", "Reading logs"),
            pgettext("reading export", "Minutes read"),
            pgettext("reading export", "Pages read"),
            pgettext("reading export", "Reflections submitted"),
            pgettext("reading export", "Reflections featured"),
            pgettext("reading export", "Read this month"),
        ],
        [
            [
                r.name,
                r.employee_number,
                r.department.name if r.department_id else "",
                pgettext("reading export", "yes") if takes_part(r) else pgettext("reading export", "no"),
                r.n_planned,
                r.n_finished,
                r.n_logs,
                r.n_minutes,
                r.n_pages,
                r.n_reflections,
                r.n_featured,
                pgettext("reading export", "yes") if r.read_this_month else pgettext("reading export", "no"),
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
