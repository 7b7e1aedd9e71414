"""Materials, photos, minutes, reflections (感想) and replies, self-reported shares."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import ReflectionReply, SelfReportedShare, SessionMaterial, SessionPhoto, SessionReflection
from members.models import Notification

from . import sessions_factories as f


def test_speaker_uploads_slides_and_attendees_download_them(cast):
    session = f.make_session(cast.court, speakers=(cast.member,))
    client = cast.client_for("member")
    upload = SimpleUploadedFile("讲稿.pdf", f.pdf_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("activities:sessions_material_add", args=[session.pk]), {"file": upload, "title": "第一讲课件"}
    )
    assert response.status_code == 302
    material = SessionMaterial.objects.get()
    assert material.original_name == "讲稿.pdf" and material.uploaded_by == cast.member
    download = cast.client_for("colleague").get(reverse("activities:sessions_material_download", args=[material.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_bad_files_are_refused_and_nothing_is_written(cast):
    session = f.make_session(cast.court, speakers=(cast.member,))
    client = cast.client_for("member")
    url = reverse("activities:sessions_material_add", args=[session.pk])
    for upload in (
        SimpleUploadedFile("slides.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"),
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("fake.docx", f.pdf_bytes(), content_type="application/pdf"),
    ):
        response = client.post(url, {"file": upload}, follow=True)
        assert response.status_code == 200
    assert not SessionMaterial.objects.exists()
    photo_url = reverse("activities:sessions_photo_add", args=[session.pk])
    response = cast.client_for("organizer").post(photo_url, {"image": SimpleUploadedFile("p.png", b"not an image")})
    assert response.status_code == 302 and not SessionPhoto.objects.exists()
    response = cast.client_for("organizer").post(photo_url, {"image": SimpleUploadedFile("p.png", f.png_bytes())})
    assert SessionPhoto.objects.count() == 1


def test_attendee_posts_a_reflection_and_the_speaker_replies(cast):
    session = f.make_session(cast.court, start=timezone.now() - dt.timedelta(hours=1), speakers=(cast.colleague,))
    member = cast.client_for("member")
    url = reverse("activities:sessions_reflection_save", args=[session.pk])
    # Not signed in: refused.
    assert member.post(url, {"text": "收获很大"}).status_code == 403
    f.attended(session, cast.member)
    assert member.post(url, {"text": "收获很大"}).status_code == 302
    assert member.post(url, {"text": "收获很大，改一下"}).status_code == 302  # editing, not a second one
    reflection = SessionReflection.objects.get()
    assert reflection.text == "收获很大，改一下"
    assert member.post(url, {"text": ""}).status_code == 302
    assert member.post(url, {"text": "长" * 1001}).status_code == 302
    assert SessionReflection.objects.get().text == "收获很大，改一下"
    reply_url = reverse("activities:sessions_reflection_reply", args=[reflection.pk])
    assert cast.client_for("colleague").post(reply_url, {"text": "谢谢，继续努力"}).status_code == 302
    assert cast.client_for("member").post(reply_url, {"text": "自问自答"}).status_code == 403
    assert ReflectionReply.objects.get().author == cast.colleague
    assert Notification.objects.filter(recipient=cast.member, kind="session_reflection").count() == 1
    page = member.get(session.get_absolute_url()).content.decode()
    assert "谢谢，继续努力" in page


def test_reflection_before_the_session_started_is_refused(cast):
    session = f.make_session(cast.court, start=timezone.now() + dt.timedelta(hours=1))
    f.attended(session, cast.member)
    assert (
        cast.client_for("member")
        .post(reverse("activities:sessions_reflection_save", args=[session.pk]), {"text": "提前写"})
        .status_code
        == 403
    )


def test_minutes_mark_the_session_held_but_not_before_it_starts(cast):
    future = f.make_session(cast.court)
    client = cast.client_for("organizer")
    response = client.post(reverse("activities:sessions_minutes", args=[future.pk]), {"minutes": "纪要"})
    assert response.status_code == 200
    future.refresh_from_db()
    assert future.status == "planned"
    past = f.make_session(cast.court, start=timezone.now() - dt.timedelta(hours=2))
    assert (
        client.post(reverse("activities:sessions_minutes", args=[past.pk]), {"minutes": "一、学习了……"}).status_code
        == 302
    )
    past.refresh_from_db()
    assert past.status == "held" and past.minutes.startswith("一、")


def test_cancel_needs_a_reason_and_tells_those_expected(cast):
    session = f.make_session(cast.court, speakers=(cast.member,))
    client = cast.client_for("organizer")
    client.post(reverse("activities:sessions_cancel", args=[session.pk]), {"reason": ""})
    session.refresh_from_db()
    assert session.status == "planned"
    client.post(reverse("activities:sessions_cancel", args=[session.pk]), {"reason": "与庭审冲突"})
    session.refresh_from_db()
    assert session.status == "cancelled" and session.cancel_reason == "与庭审冲突"
    assert Notification.objects.filter(recipient=cast.member, kind="session_changed").count() == 1
    assert client.get(reverse("activities:sessions_edit", args=[session.pk])).status_code == 403


def test_member_reports_a_share_and_the_group_leader_confirms_it(cast):
    group = f.study_group(cast)
    client = cast.client_for("member")
    upload = SimpleUploadedFile("讲稿.pdf", f.pdf_bytes(), content_type="application/pdf")
    data = {
        "topic": "民法典进社区",
        "date": timezone.localdate().isoformat(),
        "place": "前郭镇社区",
        "listeners": "社区居民",
        "listener_count": "40",
        "group": group.pk,
        "material": upload,
    }
    assert client.post(reverse("activities:sessions_share_create"), data).status_code == 302
    share = SelfReportedShare.objects.get()
    assert share.status == "pending" and share.material_name == "讲稿.pdf"
    assert not SelfReportedShare.objects.confirmed().exists()
    # A future date is refused.
    future = {**data, "date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(), "material": ""}
    assert client.post(reverse("activities:sessions_share_create"), future).status_code == 400
    assert SelfReportedShare.objects.count() == 1
    # The member cannot confirm their own share.
    assert (
        client.post(reverse("activities:sessions_share_review", args=[share.pk]), {"decision": "approve"}).status_code
        == 403
    )
    leader = cast.client_for("colleague")
    assert "民法典进社区" in leader.get(reverse("activities:sessions_share_review_list")).content.decode()
    leader.post(reverse("activities:sessions_share_review", args=[share.pk]), {"decision": "approve", "note": "属实"})
    share.refresh_from_db()
    assert share.status == "confirmed" and share.reviewed_by == cast.colleague
    assert SelfReportedShare.objects.confirmed().count() == 1
    assert Notification.objects.filter(recipient=cast.member, kind="session_share").exists()
    profile = cast.client_for("leader").get(cast.member.get_absolute_url()).content.decode()
    assert 'id="profile-sessions"' in profile


def test_speakers_with_guest_and_roles(cast):
    session = f.make_session(cast.court)
    client = cast.client_for("organizer")
    url = reverse("activities:sessions_speaker_add", args=[session.pk])
    client.post(url, {"guest_name": "李教授", "guest_affiliation": "吉林大学法学院", "role": "expert"})
    client.post(url, {"member": cast.leader.pk, "role": "leader"})
    client.post(url, {"member": cast.leader.pk, "role": "leader"})  # twice: refused
    client.post(url, {"role": "officer"})  # neither: refused
    client.post(url, {"member": cast.outsider.pk, "role": "officer"})  # another court: refused
    assert sorted(session.speakers.values_list("role", flat=True)) == ["expert", "leader"]


def test_malformed_input_gets_a_clear_error_and_writes_nothing(cast):
    from activities.models import Session

    client = cast.client_for("organizer")
    create = reverse("activities:sessions_create")
    base = {
        "kind": f.kind().pk,
        "title": "集中学习",
        "unit": "court",
        "start_time": "09:00",
        "end_time": "10:00",
        "place": "大会议室",
        "audience_court": "on",
    }
    for day in ("0001-01-01", "2026-02-30", "abc", "9999-12-31"):
        response = client.post(create, {**base, "day": day})
        assert response.status_code == 200 and "is-invalid" in response.content.decode()
    for unit in ("dept:abc", "group:999999", "court;drop", ""):
        assert client.post(create, {**base, "day": "2026-12-01", "unit": unit}).status_code == 200
    assert client.post(create, {**base, "day": "2026-12-01", "kind": "999"}).status_code == 200
    assert not Session.objects.exists()
    member = cast.client_for("member")
    for query in ("?date=0001-01-01", "?date=2026-13-45", "?view=year&date=", "?page=-1"):
        assert member.get(reverse("activities:sessions_calendar") + query).status_code == 200
    assert member.get(reverse("activities:sessions_list") + "?page=abc&when=zzz").status_code == 200
    assert member.get(reverse("activities:sessions_detail", args=[999999])).status_code == 404
    share = {"topic": "x", "date": "0001-01-01", "place": "x", "listeners": "x", "listener_count": "-3"}
    assert member.post(reverse("activities:sessions_share_create"), share).status_code == 400
    unavailable = {"member": cast.member.pk, "first_day": "2026-12-10", "last_day": "2026-12-01", "reason": "leave"}
    assert member.post(reverse("activities:sessions_unavailability"), unavailable).status_code == 400
    assert (
        member.post(
            reverse("activities:sessions_unavailability"), {**unavailable, "member": cast.outsider.pk}
        ).status_code
        == 400
    )


def test_every_sessions_model_has_a_working_admin_page(cast, admin_client):
    from django.contrib import admin

    from activities.models import sessions as models

    f.photo(f.make_session(cast.court, speakers=(cast.member,)))
    for name in models.__all__:
        model = getattr(models, name)
        assert model in admin.site._registry, name
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200, name
        assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200, name
