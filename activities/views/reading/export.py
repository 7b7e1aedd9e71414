"""Excel export of a campaign's figures: Chinese headers, numbers as numbers, frozen header rows.

Headers use the context "reading export" so short generic words (Name, Summary…) keep their own
translation whatever other families choose for them."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import pgettext
from openpyxl import Workbook

from courtlearn import xlsx

from ...selectors.reading import CampaignFigures, takes_part

HEADER_FILL = "F2E6D0"


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list]):
    return xlsx.add_sheet(workbook, title, headers, rows, header_fill=HEADER_FILL)


def campaign_workbook(figures: CampaignFigures) -> bytes:
    campaign = figures.campaign
    workbook = xlsx.new_workbook()
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
    )
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
    return xlsx.to_bytes(workbook)


def campaign_workbook_response(figures: CampaignFigures) -> HttpResponse:
    name = f"reading-campaign-{figures.campaign.pk}-{figures.today:%Y%m%d}.xlsx"
    return xlsx.xlsx_response(campaign_workbook(figures), name)
