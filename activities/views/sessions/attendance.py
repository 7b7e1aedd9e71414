"""Sign-in (签到) with the rotating code or QR, and the organizer's attendance sheet."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courtlearn import xlsx
from members.models import Member
from members.selection import SelectManyForm, select_many

from ...forms.sessions import SignInForm
from ...models.sessions import Attendance
from ...selectors.sessions import attendance_roll, attendance_summary, can_manage_session, expected_members
from ...services import bulk
from ...services import sessions as services
from .common import member_or_403, require, visible_session
from .exports import signin_sheet_xlsx


@login_required
@never_cache
def sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's page: enter the code shown in the room (or arrive here from the QR code)."""
    session = visible_session(request, pk)
    me = member_or_403(request)
    now = timezone.now()
    via_qr = request.GET.get("via") == "qr" or request.POST.get("via") == "qr"
    form = SignInForm(request.POST or None, initial={"code": request.GET.get("code", "")[:12]})
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_sign_in(
                session=session,
                member=me,
                code=form.cleaned_data["code"],
                now=now,
                method=Attendance.Method.QR if via_qr else Attendance.Method.CODE,
            )
        except services.SessionError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Signed in. Welcome!"))
            return redirect(session)
    opens, closes = session.sign_in_window()
    return render(
        request,
        "activities/sessions/sign_in.html",
        {
            "session": session,
            "form": form,
            "via_qr": via_qr,
            "open": session.is_open_for_sign_in(now),
            "opens": opens,
            "closes": closes,
            "attendance": Attendance.objects.filter(session=session, member=me).first(),
        },
    )


def _sign_in_url(request: HttpRequest, session, code: str) -> str:
    path = reverse("activities:sessions_sign_in", args=[session.pk])
    return request.build_absolute_uri(f"{path}?{urlencode({'code': code, 'via': 'qr'})}")


@login_required
@never_cache
def code_display(request: HttpRequest, pk: int) -> HttpResponse:
    """The organizer's screen for the room: the code, its QR, and who has signed in."""
    session = visible_session(request, pk)
    require(can_manage_session(request.user, session))
    now = timezone.now()
    opens, closes = session.sign_in_window()
    return render(
        request,
        "activities/sessions/code_display.html",
        {
            "session": session,
            "open": session.is_open_for_sign_in(now),
            "opens": opens,
            "closes": closes,
            "code": session.sign_in_code(now) if session.is_open_for_sign_in(now) else "",
            "seconds_left": session.code_seconds_left(now),
            "summary": attendance_summary(session),
        },
    )


@login_required
@never_cache
def code_json(request: HttpRequest, pk: int) -> JsonResponse:
    session = visible_session(request, pk)
    require(can_manage_session(request.user, session))
    now = timezone.now()
    is_open = session.is_open_for_sign_in(now)
    summary = attendance_summary(session)
    return JsonResponse(
        {
            "open": is_open,
            "code": session.sign_in_code(now) if is_open else "",
            "seconds_left": session.code_seconds_left(now),
            "signed_in": summary.attended,
            "expected": summary.expected,
        }
    )


@login_required
@never_cache
def code_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """A PNG QR code of the sign-in address with the current code."""
    session = visible_session(request, pk)
    require(can_manage_session(request.user, session))
    now = timezone.now()
    require(session.is_open_for_sign_in(now))
    image = qrcode.make(_sign_in_url(request, session, session.sign_in_code(now)), box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def attendance_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark present, late, absent or on leave (with a reason) for everyone expected."""
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, session))
    roll = attendance_roll(session)
    errors: list[str] = []
    if request.method == "POST":
        if session.is_cancelled:
            errors.append(_("A cancelled session has no attendance."))
        members = {row["member"].pk: row["member"] for row in roll}
        valid = set(Attendance.Status.values)
        marks: list[tuple[Member, str, str]] = []
        fill_absent = request.POST.get("fill_absent") == "1"
        for member_id, member in members.items():
            status = request.POST.get(f"status_{member_id}", "")
            reason = request.POST.get(f"reason_{member_id}", "")[:200]
            if fill_absent:
                current = next(row["attendance"] for row in roll if row["member"].pk == member_id)
                status, reason = ("", "") if current else (Attendance.Status.ABSENT, "")
            if status and status not in valid:
                errors.append(_("Unknown status for %(name)s.") % {"name": member.name})
            elif status == Attendance.Status.LEAVE and not reason.strip():
                errors.append(_("Give the reason for the leave of %(name)s.") % {"name": member.name})
            elif status:
                marks.append((member, status, reason))
        if not errors:
            try:
                count = services.attendance_mark_many(actor=me, session=session, marks=marks)
            except services.SessionError as error:
                errors.append(str(error))
            else:
                messages.success(request, _("Attendance saved (%(n)s marked).") % {"n": count})
                return redirect("activities:sessions_attendance", pk=session.pk)
    return render(
        request,
        "activities/sessions/attendance.html",
        {
            "session": session,
            "roll": roll,
            "summary": attendance_summary(session),
            "statuses": Attendance.Status.choices,
            "errors": errors,
            "posted": request.POST if request.method == "POST" else None,
        },
        status=400 if errors else 200,
    )


@login_required
def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    require(can_manage_session(request.user, session))
    local = timezone.localtime(session.start)
    return xlsx.xlsx_response(signin_sheet_xlsx(session), f"签到表-{local:%Y%m%d}-{session.pk}.xlsx")


@login_required
@require_POST
def attendance_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark everyone ticked, everyone on the roll, or the pasted 工号 present, late, on leave or absent at once."""
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, session))
    back = redirect("activities:sessions_attendance", pk=session.pk)
    status = request.POST.get("bulk_status", "")
    if status not in Attendance.Status.values:
        messages.error(request, _("Choose present, late, on leave or absent."))
        return back
    form = SelectManyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return back
    # The roll: everyone expected, and anyone else already marked or signed in.
    roll = Member.objects.filter(
        Q(pk__in=expected_members(session).values("pk")) | Q(session_attendances__session=session)
    ).distinct()
    selection = select_many(form, candidates=roll, number_path="employee_number", court=session.court_id)
    for line in selection.problems:
        messages.warning(request, line)
    if selection.chosen:
        try:
            count = bulk.attendance_mark_all(
                actor=me,
                session=session,
                members=selection.chosen,
                status=status,
                reason=request.POST.get("bulk_reason", ""),
            )
        except services.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext("%(n)s person marked “%(status)s”.", "%(n)s people marked “%(status)s”.", count)
                % {"n": count, "status": Attendance.Status(status).label},
            )
    return back
