"""Sessions: list, detail, create and edit, cancel, minutes, speakers, materials, photos, reflections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from members.access import current_member, is_leader_of, visible_courts

from ...forms.sessions import (
    CancelForm,
    MaterialForm,
    MinutesForm,
    PhotoForm,
    ReflectionForm,
    ReplyForm,
    SessionForm,
    SpeakerForm,
)
from ...models.originality import TextKind
from ...models.sessions import (
    Attendance,
    ReflectionReply,
    Session,
    SessionKind,
    SessionMaterial,
    SessionPhoto,
    SessionReflection,
    Speaker,
    SwapRequest,
)
from ...selectors.originality import can_see_originality, originality_reports
from ...selectors.sessions import (
    attendance_summary,
    can_feature_reflections,
    can_manage_session,
    can_plan,
    can_reply_to_reflections,
    can_upload_material,
)
from ...services import sessions as services
from .common import member_or_403, paginate, require, visible_session


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    sessions = Session.objects.visible_to(request.user).with_listing()
    when = request.GET.get("when", "upcoming")
    sessions = sessions.past(now) if when == "past" else sessions.upcoming(now)
    kind = request.GET.get("kind", "")
    if kind.isdigit():
        sessions = sessions.filter(kind_id=int(kind))
    court = request.GET.get("court", "")
    courts = visible_courts(request.user)
    if court.isdigit():
        sessions = sessions.filter(court_id=int(court))
    me = current_member(request.user)
    return render(
        request,
        "activities/sessions/session_list.html",
        {
            "page": paginate(request, sessions),
            "when": when,
            "kinds": SessionKind.objects.filter(is_active=True),
            "kind": kind,
            "courts": courts if len(courts) > 1 else [],
            "court": court,
            "can_plan": me is not None and can_plan(request.user, me.court_id),
        },
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = current_member(request.user)
    now = timezone.now()
    manage = can_manage_session(request.user, session)
    my_attendance = Attendance.objects.filter(session=session, member=me).first() if me else None
    reflections = session.reflections.select_related("author").prefetch_related(
        Prefetch("replies", queryset=ReflectionReply.objects.select_related("author"))
    )
    cohosts = [
        *session.cohost_departments.all(),
        *session.cohost_branches.all(),
        *session.cohost_groups.all(),
    ]
    audience = [
        *session.audience_departments.all(),
        *session.audience_branches.all(),
        *session.audience_groups.all(),
    ]
    speakers = list(session.speakers.select_related("member"))
    turn_speaker = next((s for s in speakers if s.member_id), None)
    can_swap = bool(
        me
        and session.rota_id
        and turn_speaker
        and turn_speaker.member_id == me.pk
        and session.status == Session.Status.PLANNED
        and session.start > now
    )
    if can_see_originality(request.user, court_id=session.court_id, author_id=None):
        reports = originality_reports(
            request.user, kind=TextKind.SESSION_REFLECTION, object_ids=[r.pk for r in reflections]
        )
        for r in reflections:  # the writer sees nothing of their own text's check
            r.originality = reports.get(r.pk) if not (me and r.author_id == me.pk) else None
    my_reflection = next((r for r in reflections if me and r.author_id == me.pk), None)
    can_reflect = bool(my_attendance and my_attendance.attended and session.start <= now and not session.is_cancelled)
    context = {
        "session": session,
        "speakers": speakers,
        "materials": session.materials.all(),
        "photos": session.photos.all(),
        "reflections": reflections,
        "my_reflection": my_reflection,
        "can_feature": can_feature_reflections(request.user, session),
        "audience": audience,
        "cohosts": cohosts,
        "my_attendance": my_attendance,
        "open_for_sign_in": session.is_open_for_sign_in(now),
        "can_manage": manage,
        "can_upload": can_upload_material(request.user, session),
        "can_reply": can_reply_to_reflections(request.user, session),
        "can_reflect": can_reflect,
        "can_swap": can_swap,
        "pending_swap": session.swap_requests.filter(status=SwapRequest.Status.PENDING).first(),
        "reflection_form": ReflectionForm(initial={"text": my_reflection.text} if my_reflection else None),
        "reply_form": ReplyForm(),
        "material_form": MaterialForm(),
        "photo_form": PhotoForm(),
        "speaker_form": SpeakerForm(court=session.court) if manage else None,
        "cancel_form": CancelForm(),
        "summary": attendance_summary(session) if manage else None,
        "now": now,
    }
    return render(request, "activities/sessions/session_detail.html", context)


def _session_form_kwargs(data) -> dict:
    return {
        "kind": data["kind"],
        "title": data["title"],
        "topic": data["topic"],
        "level": data["level"],
        "host_department": data["host_department"],
        "start": data["start"],
        "end": data["end"],
        "place": data["place"],
        "is_online": data["is_online"],
        "whole_court": data["audience_court"],
        "departments": data["audience_departments"],
        "branches": data["audience_branches"],
        "groups": data["audience_groups"],
        "cohost_departments": data["cohost_departments"],
        "cohost_branches": data["cohost_branches"],
        "cohost_groups": data["cohost_groups"],
    }


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    me = member_or_403(request)
    require(can_plan(request.user, me.court_id))
    form = SessionForm(request.POST or None, user=request.user, court=me.court)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=me,
                unit=data["unit"],
                series_plan=data["series_plan"],
                **_session_form_kwargs(data),
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Session created. Add its speakers and materials."))
            return redirect(session)
    return render(request, "activities/sessions/session_form.html", {"form": form, "session": None})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, session) and not session.is_cancelled)
    form = SessionForm(
        request.POST or None,
        user=request.user,
        court=session.court,
        initial=SessionForm.initial_for(session),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                actor=me,
                session=session,
                **_session_form_kwargs(data),
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Session saved. Other sessions of the same plan are unchanged."))
            return redirect(session)
    return render(request, "activities/sessions/session_form.html", {"form": form, "session": session})


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, session))
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling (200 characters at most)."))
        return redirect(session)
    try:
        services.session_cancel(actor=me, session=session, reason=form.cleaned_data["reason"])
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The session is cancelled and those expected are told."))
    return redirect(session)


@login_required
def session_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, session) and not session.is_cancelled)
    form = MinutesForm(request.POST or None, initial={"minutes": session.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_record(actor=me, session=session, minutes=form.cleaned_data["minutes"], now=timezone.now())
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Minutes saved; the session is marked as held."))
            return redirect(session)
    return render(request, "activities/sessions/session_minutes.html", {"form": form, "session": session})


@login_required
@require_POST
def speaker_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, session) and not session.is_cancelled)
    form = SpeakerForm(request.POST, court=session.court)
    if form.is_valid():
        try:
            services.speaker_add(actor=me, session=session, **form.cleaned_data)
        except services.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Speaker added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(session)


@login_required
@require_POST
def speaker_remove(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = get_object_or_404(Speaker.objects.filter(session__in=Session.objects.visible_to(request.user)), pk=pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, speaker.session))
    services.speaker_remove(actor=me, speaker=speaker)
    messages.success(request, _("Speaker removed."))
    return redirect(speaker.session)


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_upload_material(request.user, session))
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        services.material_add(
            actor=me, session=session, file=form.cleaned_data["file"], title=form.cleaned_data["title"]
        )
        messages.success(request, _("Material uploaded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(session)


@login_required
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(
        SessionMaterial.objects.filter(session__in=Session.objects.visible_to(request.user)), pk=pk
    )
    return protected_file_response(material.file, download_name=material.original_name)


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(
        SessionMaterial.objects.filter(session__in=Session.objects.visible_to(request.user)).select_related("session"),
        pk=pk,
    )
    me = member_or_403(request)
    require(can_manage_session(request.user, material.session) or material.uploaded_by_id == me.pk)
    services.material_delete(actor=me, material=material)
    messages.success(request, _("Material deleted."))
    return redirect(material.session)


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = member_or_403(request)
    require(can_manage_session(request.user, session) and not session.is_cancelled)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.photo_add(
            actor=me, session=session, image=form.cleaned_data["image"], caption=form.cleaned_data["caption"]
        )
        messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(session)


@login_required
def photo_view(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(SessionPhoto.objects.filter(session__in=Session.objects.visible_to(request.user)), pk=pk)
    return protected_file_response(photo.image, inline=True)


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(
        SessionPhoto.objects.filter(session__in=Session.objects.visible_to(request.user)).select_related("session"),
        pk=pk,
    )
    me = member_or_403(request)
    require(can_manage_session(request.user, photo.session))
    services.photo_delete(actor=me, photo=photo)
    messages.success(request, _("Photo deleted."))
    return redirect(photo.session)


@login_required
@require_POST
def reflection_save(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    me = member_or_403(request)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reflection is 1 to 1000 characters."))
        return redirect(session)
    try:
        services.reflection_save(author=me, session=session, text=form.cleaned_data["text"], now=timezone.now())
    except services.SessionError as error:
        raise PermissionDenied(str(error)) from None
    messages.success(request, _("Your reflection is posted."))
    return redirect(f"{session.get_absolute_url()}#reflections")


@login_required
@require_POST
def reflection_reply(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(
        SessionReflection.objects.filter(session__in=Session.objects.visible_to(request.user)).select_related(
            "session", "author"
        ),
        pk=pk,
    )
    me = member_or_403(request)
    require(
        can_reply_to_reflections(request.user, reflection.session)
        or is_leader_of(request.user, reflection.session.court_id)
    )
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.reflection_reply(author=me, reflection=reflection, text=form.cleaned_data["text"])
        messages.success(request, _("Reply posted."))
    else:
        messages.error(request, _("A reply is 1 to 1000 characters."))
    return redirect(f"{reflection.session.get_absolute_url()}#reflections")


@login_required
@require_POST
def reflection_feature(request: HttpRequest, pk: int) -> HttpResponse:
    """优秀心得: an organizer features a 感想 (action=feature) or takes it back (action=unfeature)."""
    reflection = get_object_or_404(
        SessionReflection.objects.filter(session__in=Session.objects.visible_to(request.user)).select_related(
            "session", "author"
        ),
        pk=pk,
    )
    me = member_or_403(request)
    require(can_feature_reflections(request.user, reflection.session))
    action = request.POST.get("action")
    try:
        if action == "feature":
            services.reflection_feature(actor=me, reflection=reflection, now=timezone.now())
            messages.success(request, _("Featured: it now shows among the excellent reflections."))
        elif action == "unfeature":
            services.reflection_unfeature(actor=me, reflection=reflection, now=timezone.now())
            messages.success(request, _("No longer featured."))
        else:
            messages.error(request, _("Choose to feature the reflection or to take it back."))
    except services.SessionError as error:
        messages.error(request, str(error))
    return redirect(reflection.get_absolute_url())
