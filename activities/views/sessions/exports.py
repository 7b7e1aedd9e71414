"""Documents for inspections: sign-in sheets (xlsx), notices and minutes (docx), the monthly package (zip)."""

from __future__ import annotations

import calendar
import io
import os
import re
import zipfile

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.styles import Alignment

from courtlearn import xlsx
from members.models import PartyBranch, StudyGroup

from ...forms.sessions import PackageForm
from ...models.sessions import Session
from ...selectors.sessions import attendance_roll, attendance_summary, can_plan, expected_members
from .common import member_or_403, require


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _when(session: Session) -> str:
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def signin_sheet_xlsx(session: Session) -> bytes:
    """签到表: everyone expected (and anyone else who came), with status, time and reason."""
    book = xlsx.new_workbook()
    sheet = xlsx.add_sheet(book, _("Sign-in sheet"), freeze=None)
    xlsx.append_row(sheet, [session.title])
    xlsx.style_row(sheet, 1, size=14)
    xlsx.append_row(sheet, [_("Time"), _when(session), _("Place"), session.place or _("online")])
    summary = attendance_summary(session)
    xlsx.append_row(
        sheet,
        [
            _("Expected"),
            summary.expected,
            _("Attended"),
            summary.attended,
            _("Attendance rate"),
            f"{summary.rate_percent}%" if summary.rate_percent is not None else "—",
        ],
    )
    xlsx.append_row(sheet, [])
    header = [_("No."), _("Name"), _("Department"), _("Status"), _("Signed in at"), _("Reason"), _("Signature")]
    xlsx.append_row(sheet, header, bold=True)
    for number, row in enumerate(attendance_roll(session), start=1):
        attendance = row["attendance"]
        xlsx.append_row(
            sheet,
            [
                number,
                row["member"].name,
                row["member"].department.name if row["member"].department_id else "",
                attendance.get_status_display() if attendance else "",
                f"{timezone.localtime(attendance.signed_in_at):%H:%M}"
                if attendance and attendance.signed_in_at
                else "",
                attendance.reason if attendance else "",
                "",
            ],
        )
    xlsx.fit_columns(sheet, widths=(6, 12, 14, 10, 10, 24, 14))
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(vertical="center")
    return xlsx.to_bytes(book)


def _docx(title: str, paragraphs: list[str]) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = document.add_paragraph()
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(16)
    run.font.name = "宋体"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for text in paragraphs:
        for line in text.splitlines() or [""]:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_docx(session: Session) -> bytes:
    """通知: what, when, where, who speaks, who is expected."""
    speakers = "、".join(f"{s.name}（{s.get_role_display()}）" for s in session.speakers.select_related("member"))
    expected = expected_members(session).count()
    lines = [
        _("Kind") + f"：{session.kind.name}",
        _("Time") + f"：{_when(session)}",
        _("Place") + f"：{session.place or _('online')}",
        _("Organized by") + f"：{session.unit_name}",
    ]
    if session.host_department_id:
        lines.append(_("Host department") + f"：{session.host_department.name}")
    if speakers:
        lines.append(_("Speakers") + f"：{speakers}")
    if session.series_item_id:
        lines.append(_("Series item") + f"：{session.series_item.topic}")
    if session.topic:
        lines.append(_("Topic") + f"：{session.topic}")
    lines.append(_("Expected attendees") + f"：{expected}")
    if session.is_cancelled:
        lines.append(_("Cancelled") + f"：{session.cancel_reason}")
    return _docx(_("Notice") + f"：{session.title}", lines)


def minutes_docx(session: Session) -> bytes:
    summary = attendance_summary(session)
    rate = f"{summary.rate_percent}%" if summary.rate_percent is not None else "—"
    lines = [
        _("Time") + f"：{_when(session)}",
        _("Place") + f"：{session.place or _('online')}",
        _("Attended") + f"：{summary.attended} / {summary.expected}（{rate}）",
        "",
        session.minutes or _("No minutes were written."),
    ]
    return _docx(pgettext("session record", "Minutes") + f"：{session.title}", lines)


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_")[:60] or "session"


def package_zip(sessions: list[Session]) -> bytes:
    """One folder per session: notice, sign-in sheet, minutes and photos."""
    notice_name, sheet_name, minutes_name, photos_name = (
        _("notice"),
        _("sign-in sheet"),
        pgettext("session record", "minutes"),
        _("photos"),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for session in sessions:
            folder = f"{timezone.localtime(session.start):%Y%m%d-%H%M}-{_safe(session.title)}-{session.pk}"
            archive.writestr(f"{folder}/{notice_name}.docx", notice_docx(session))
            if session.is_cancelled:
                continue
            archive.writestr(f"{folder}/{sheet_name}.xlsx", signin_sheet_xlsx(session))
            archive.writestr(f"{folder}/{minutes_name}.docx", minutes_docx(session))
            for number, photo in enumerate(session.photos.all(), start=1):
                try:
                    with photo.image.open("rb") as handle:
                        extension = os.path.splitext(photo.image.name)[1]
                        archive.writestr(f"{folder}/{photos_name}/{number:02d}{extension}", handle.read())
                except FileNotFoundError:
                    continue
    return buffer.getvalue()


@login_required
def package(request: HttpRequest) -> HttpResponse:
    """The per-branch (or group, or department), per-month package inspections ask for, as a .zip."""
    me = member_or_403(request)
    require(can_plan(request.user, me.court_id))
    form = PackageForm(request.GET or None, user=request.user, court=me.court)
    sessions = None
    if request.GET and form.is_valid():
        unit, month = form.cleaned_data["unit"], form.cleaned_data["month"]
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        if isinstance(unit, PartyBranch):
            kwargs = {"branch": unit}
        elif isinstance(unit, StudyGroup):
            kwargs = {"group": unit}
        else:
            kwargs = {"department": unit}
        sessions = list(
            Session.objects.filter(court=me.court)
            .for_unit(**kwargs)
            .between(month, last)
            .select_related("kind", "series_item", "host_department", "unit_department", "unit_branch", "unit_group")
            .prefetch_related("photos", "audience_departments", "audience_branches", "audience_groups")
            .order_by("start")
        )
        if request.GET.get("download") == "1":
            if not sessions:
                form.add_error(None, _("There are no sessions of this unit in this month."))
            else:
                response = HttpResponse(package_zip(sessions), content_type="application/zip")
                filename = f"{_safe(str(unit))}-{month:%Y-%m}.zip"
                response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
                return response
    return render(request, "activities/sessions/package.html", {"form": form, "sessions": sessions})
