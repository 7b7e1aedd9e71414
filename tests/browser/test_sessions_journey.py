"""An organizer plans a quarter of weekly shares with a rota; the speaker uploads slides;
a member on a phone signs in with the rotating code and posts a reflection (感想)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Attendance, Session, SessionMaterial, SessionReflection
from tests.activities import sessions_factories as f
from tests.browser.conftest import login, shot


def ongoing_window() -> tuple[dt.datetime, dt.datetime]:
    """Started five minutes ago, ends within the same local day."""
    now = timezone.localtime()
    start = max(now - dt.timedelta(minutes=5), now.replace(hour=0, minute=0, second=0, microsecond=0))
    start = start.replace(second=0, microsecond=0)
    end = min(start + dt.timedelta(hours=1), now.replace(hour=23, minute=59, second=0, microsecond=0))
    return start, end


def test_plan_quarter_upload_slides_sign_in_and_reflect(
    live_server, cast, password, browser_page, phone_page, tmp_path
):
    group = f.study_group(cast)  # the colleague leads it; the member is in it
    page = browser_page

    # 1. The organizer plans next quarter's Monday weekly shares with the group's rota.
    login(page, live_server, "organizer", password)
    page.goto(f"{live_server.url}/activities/sessions/plan/")
    page.select_option("#id_kind", label="周分享")
    page.fill("#id_title", "周一学习例会")
    page.select_option("#id_unit", value=f"group:{group.pk}")
    page.select_option("#id_frequency", value="weekly")
    page.select_option("#id_weekday", value="0")
    page.fill("#id_start_time", "08:30")
    page.fill("#id_duration_minutes", "45")
    page.fill("#id_place", "三楼会议室")
    page.check("#id_use_rota")
    page.click("button[value=preview]")
    page.wait_for_selector("#preview-table")
    shot(page, "sessions-01-plan-preview")
    assert Session.objects.count() == 0
    assert "张明" in page.inner_text("#preview-table")
    page.click("#publish")
    page.wait_for_selector("#quarter-table")
    shot(page, "sessions-02-quarter-plan")
    sessions = list(Session.objects.order_by("start"))
    assert len(sessions) >= 11
    first = sessions[0]
    assert first.speakers.get().member == cast.member

    # The organizer moves this one occurrence to now, so the journey can sign in today.
    start, end = ongoing_window()
    page.goto(f"{live_server.url}/activities/sessions/{first.pk}/edit/")
    page.fill("#id_day", start.date().isoformat())
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_end_time", end.strftime("%H:%M"))
    page.click("form button.btn-primary")
    page.wait_for_url(re.compile(rf".*/sessions/{first.pk}/$"))
    assert Session.objects.get(pk=sessions[1].pk).start == sessions[1].start  # the others are unchanged

    # 2. The speaker uploads slides.
    speaker_context = page.context.browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    speaker = speaker_context.new_page()
    login(speaker, live_server, "member", password)
    speaker.goto(f"{live_server.url}/activities/sessions/{first.pk}/")
    slides = tmp_path / "周分享课件.pdf"
    slides.write_bytes(f.pdf_bytes())
    speaker.set_input_files("#materials input[type=file]", str(slides))
    speaker.fill("#materials input[name=title]", "第一讲课件")
    speaker.click("#materials form button")
    speaker.wait_for_selector("text=第一讲课件")
    shot(speaker, "sessions-03-speaker-uploaded-slides")
    assert SessionMaterial.objects.get().uploaded_by == cast.member
    speaker_context.close()

    # 3. The organizer shows the rotating code and its QR code in the room.
    page.goto(f"{live_server.url}/activities/sessions/{first.pk}/code/")
    page.wait_for_selector("#sign-in-qr")
    code = page.inner_text("#sign-in-code").strip()
    assert re.fullmatch(r"\d{6}", code)
    shot(page, "sessions-04-sign-in-code")

    # 4. The colleague (in the group) signs in on a phone with the code, then writes a 感想.
    phone = phone_page
    login(phone, live_server, "colleague", password)
    phone.goto(f"{live_server.url}/me/")
    phone.click("#panel-sessions a.btn-success")
    phone.fill("#id_code", page.inner_text("#sign-in-code").strip())
    shot(phone, "sessions-05-phone-sign-in")
    phone.click("#sign-in-form button")
    phone.wait_for_selector("#sign-in-card")
    shot(phone, "sessions-06-phone-signed-in")
    attendance = Attendance.objects.get(session=first, member=cast.colleague)
    assert attendance.status == Attendance.Status.PRESENT and attendance.signed_in_at is not None
    phone.fill("#reflection-form textarea", "主讲人结合案例讲解，深受启发。")
    phone.click("#reflection-form button")
    phone.wait_for_selector(".reflection")
    shot(phone, "sessions-07-phone-reflection")
    assert SessionReflection.objects.get(session=first).author == cast.colleague
    # The room screen counts the sign-in.
    expect(page.locator("#signed-in-count")).to_have_text("1", timeout=15_000)
    shot(page, "sessions-08-code-screen-count")
    for p in (page, phone):
        assert not [e for e in p.console_errors if "Content Security Policy" in e], p.console_errors
