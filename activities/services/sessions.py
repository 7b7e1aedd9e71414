"""Writes for the sessions family. Keyword-only, typed, atomic; time comes in as `now`/`today`."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtlearn.text import in_quotes
from members.models import Court, Department, Member, NotificationMute, PartyBranch, StudyGroup
from members.services import audit, notify
from members.versions import bump_courts

from ..models.originality import TextKind
from ..models.sessions import (
    LATE_AFTER,
    Attendance,
    CalendarDay,
    CalendarFeedToken,
    CourtCalendarDay,
    LeaveRequest,
    Recurrence,
    ReflectionReply,
    Rota,
    SelfReportedShare,
    SeriesItem,
    SeriesPlan,
    Session,
    SessionKind,
    SessionMaterial,
    SessionPhoto,
    SessionReflection,
    Speaker,
    SwapRequest,
    Unavailability,
)
from ..selectors.sessions import (
    Occurrence,
    RecurrenceRule,
    Turn,
    assign_speakers,
    expected_members,
    is_expected,
    is_unit_member,
    leave_deciders,
    pick_reserve,
    rota_history,
    swap_deciders,
    unavailability_lookup,
    unit_members,
)
from ..services.originality import originality_queue

log = logging.getLogger(__name__)

# Notification kinds of this family (members can mute each one).
KIND_REMINDER = "session_reminder"
KIND_SPEAKER_REMINDER = "session_speaker_reminder"
KIND_CHANGED = "session_changed"
KIND_TURN = "session_turn"
KIND_SWAP = "session_swap"
KIND_REFLECTION = "session_reflection"
KIND_SHARE = "session_share"
KIND_LEAVE = "session_leave"
NOTIFICATION_KINDS = [
    (KIND_REMINDER, gettext_lazy("Reminder the day before a session I am expected at")),
    (KIND_SPEAKER_REMINDER, gettext_lazy("Reminder two days before I speak")),
    (KIND_TURN, gettext_lazy("I was given a speaking turn")),
    (KIND_CHANGED, gettext_lazy("A session I am expected at was cancelled")),
    (KIND_SWAP, gettext_lazy("Swap requests and decisions")),
    (KIND_LEAVE, gettext_lazy("Leave requests and decisions")),
    (KIND_REFLECTION, gettext_lazy("Replies to my reflections")),
    (KIND_SHARE, gettext_lazy("Confirmation of shares I reported")),
    ("comment", gettext_lazy("Comments by leaders and organizers on my work")),
]


class SessionError(Exception):
    """A refused action, with a message for the person."""


def _when(session: Session) -> str:
    return date_format(timezone.localtime(session.start), "Y-m-d H:i")


def _notify(member: Member, kind: str, text: str, url: str = "", dedupe_key: str | None = None) -> bool:
    """In the app, and by e-mail when e-mail is on and the member has an address. Once per dedupe_key."""
    sent = notify(recipient=member, kind=kind, text=text, url=url, dedupe_key=dedupe_key)
    if sent and settings.EMAIL_ENABLED and member.user.email:
        try:
            EmailMessage(subject=text[:78], body=text, to=[member.user.email]).send()
        except Exception:  # noqa: BLE001 - the in-app notification stands; a mail outage must not undo it
            log.exception("reminder e-mail to member %s failed", member.pk)
    return sent


# ---------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------


def _set_audience(session: Session, *, whole_court: bool, departments=(), branches=(), groups=()) -> None:
    if session.audience_court != whole_court:
        session.audience_court = whole_court
        session.save(update_fields=["audience_court", "updated_at"])
    session.audience_departments.set(departments)
    session.audience_branches.set(branches)
    session.audience_groups.set(groups)


def _set_cohosts(session: Session, *, departments=(), branches=(), groups=()) -> bool:
    """联学联建: the units holding the session with its organizer, all of the session's court.

    The organizing unit is not its own co-host (it would count twice). Returns whether they changed.
    """
    chosen = {"department": list(departments), "branch": list(branches), "group": list(groups)}
    for units in chosen.values():
        if any(unit.court_id != session.court_id for unit in units):
            raise SessionError(_("Co-hosts are units of the session's own court."))
    organizer = session.unit
    changed = False
    for kind, manager in (
        ("department", session.cohost_departments),
        ("branch", session.cohost_branches),
        ("group", session.cohost_groups),
    ):
        wanted = {unit.pk for unit in chosen[kind] if not (type(unit) is type(organizer) and unit.pk == organizer.pk)}
        if wanted != set(manager.values_list("pk", flat=True)):
            manager.set(wanted)
            changed = True
    return changed


def _unit_fields(unit) -> dict:
    return {
        "unit_department": unit if isinstance(unit, Department) else None,
        "unit_branch": unit if isinstance(unit, PartyBranch) else None,
        "unit_group": unit if isinstance(unit, StudyGroup) else None,
    }


@transaction.atomic
def session_create(
    *,
    actor: Member,
    kind: SessionKind,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    unit=None,
    topic: str = "",
    level: str = "",
    host_department: Department | None = None,
    place: str = "",
    is_online: bool = False,
    whole_court: bool = False,
    departments: Iterable[Department] = (),
    branches: Iterable[PartyBranch] = (),
    groups: Iterable[StudyGroup] = (),
    cohost_departments: Iterable[Department] = (),
    cohost_branches: Iterable[PartyBranch] = (),
    cohost_groups: Iterable[StudyGroup] = (),
    speakers: Sequence[dict] = (),
    series_plan: SeriesPlan | None = None,
    rota: Rota | None = None,
    reserve_speaker: Member | None = None,
    recurrence: Recurrence | None = None,
    notify_speakers: bool = True,
) -> Session:
    if end <= start:
        raise SessionError(_("The session must end after it starts."))
    session = Session.objects.create(
        court=actor.court,
        kind=kind,
        title=title.strip(),
        topic=topic.strip(),
        level=level,
        host_department=host_department,
        start=start,
        end=end,
        place=place.strip(),
        is_online=is_online,
        series_plan=series_plan,
        rota=rota,
        reserve_speaker=reserve_speaker,
        recurrence=recurrence,
        created_by=actor,
        **_unit_fields(unit),
    )
    groups = list(groups)
    if isinstance(unit, StudyGroup) and unit not in groups and not whole_court:
        groups.append(unit)
    _set_audience(session, whole_court=whole_court, departments=departments, branches=branches, groups=groups)
    _set_cohosts(session, departments=cohost_departments, branches=cohost_branches, groups=cohost_groups)
    for position, speaker in enumerate(speakers):
        Speaker.objects.create(session=session, position=position, **speaker)
    if series_plan is not None:
        series_plan_reassign(plan=series_plan)
    if recurrence is None:
        audit(actor=actor.user, action="session.created", target=session)
    if notify_speakers:
        for speaker in session.speakers.filter(member__isnull=False).select_related("member"):
            _notify_turn(session, speaker.member)
    return session


def _notify_turn(session: Session, member: Member) -> None:
    _notify(
        member,
        KIND_TURN,
        _("You are the speaker of “%(title)s” on %(when)s.")
        % {"title": in_quotes(session.title), "when": _when(session)},
        session.get_absolute_url(),
        dedupe_key=f"session:{session.pk}:turn:{member.pk}",
    )


SESSION_FIELDS = ("kind", "title", "topic", "level", "host_department", "start", "end", "place", "is_online")


@transaction.atomic
def session_update(
    *,
    actor: Member,
    session: Session,
    whole_court: bool,
    departments: Iterable[Department] = (),
    branches: Iterable[PartyBranch] = (),
    groups: Iterable[StudyGroup] = (),
    cohost_departments: Iterable[Department] | None = None,
    cohost_branches: Iterable[PartyBranch] | None = None,
    cohost_groups: Iterable[StudyGroup] | None = None,
    **fields,
) -> Session:
    """Edit one session; sessions made by the same recurrence are left alone.

    Co-hosts given as None are left as they are (callers that do not edit them).
    """
    if session.is_cancelled:
        raise SessionError(_("A cancelled session cannot be edited."))
    changed = [name for name in SESSION_FIELDS if name in fields and getattr(session, name) != fields[name]]
    for name in changed:
        setattr(session, name, fields[name])
    if session.end <= session.start:
        raise SessionError(_("The session must end after it starts."))
    session.save()
    _set_audience(session, whole_court=whole_court, departments=departments, branches=branches, groups=groups)
    if (cohost_departments, cohost_branches, cohost_groups) != (None, None, None) and _set_cohosts(
        session,
        departments=cohost_departments or (),
        branches=cohost_branches or (),
        groups=cohost_groups or (),
    ):
        changed.append("cohosts")
    if "start" in changed and session.series_plan_id:
        series_plan_reassign(plan=session.series_plan)
    audit(actor=actor.user, action="session.updated", target=session, fields=changed)
    return session


@transaction.atomic
def session_cancel(*, actor: Member, session: Session, reason: str) -> Session:
    """Cancel: the series item goes back to the plan (the later sessions take the items in turn)."""
    if session.status != Session.Status.PLANNED:
        raise SessionError(_("Only a planned session can be cancelled."))
    reason = reason.strip()
    if not reason:
        raise SessionError(_("Give a reason for cancelling."))
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.series_item = None
    session.save(update_fields=["status", "cancel_reason", "series_item", "updated_at"])
    SwapRequest.objects.filter(session=session, status=SwapRequest.Status.PENDING).update(
        status=SwapRequest.Status.WITHDRAWN
    )
    if session.series_plan_id:
        series_plan_reassign(plan=session.series_plan)
    audit(actor=actor.user, action="session.cancelled", target=session, reason=reason)
    recipients = set(expected_members(session)) | {
        s.member for s in session.speakers.select_related("member") if s.member
    }
    for member in recipients:
        _notify(
            member,
            KIND_CHANGED,
            _("“%(title)s” on %(when)s is cancelled: %(reason)s")
            % {"title": in_quotes(session.title), "when": _when(session), "reason": reason},
            session.get_absolute_url(),
            dedupe_key=f"session:{session.pk}:cancelled",
        )
    return session


@transaction.atomic
def session_record(*, actor: Member, session: Session, minutes: str, now: dt.datetime) -> Session:
    """Write the minutes (纪要); a session that has started is then marked held."""
    if session.is_cancelled:
        raise SessionError(_("A cancelled session has no minutes."))
    if session.start > now:
        raise SessionError(_("Minutes can be written once the session has started."))
    session.minutes = minutes.strip()
    session.status = Session.Status.HELD
    session.save(update_fields=["minutes", "status", "updated_at"])
    audit(actor=actor.user, action="session.recorded", target=session)
    return session


@transaction.atomic
def speaker_add(
    *,
    actor: Member,
    session: Session,
    member: Member | None,
    guest_name: str = "",
    guest_affiliation: str = "",
    role: str,
) -> Speaker:
    if member is None and not guest_name.strip():
        raise SessionError(_("Choose a member or enter a guest's name."))
    if member is not None and session.speakers.filter(member=member).exists():
        raise SessionError(_("%(name)s is already a speaker of this session.") % {"name": member.name})
    position = (session.speakers.aggregate(m=Max("position"))["m"] or 0) + 1
    speaker = Speaker.objects.create(
        session=session,
        member=member,
        guest_name="" if member else guest_name.strip(),
        guest_affiliation="" if member else guest_affiliation.strip(),
        role=role,
        position=position,
    )
    audit(actor=actor.user, action="session.speaker_added", target=session, speaker=speaker.name)
    if member is not None:
        _notify_turn(session, member)
    return speaker


@transaction.atomic
def speaker_remove(*, actor: Member, speaker: Speaker) -> None:
    audit(actor=actor.user, action="session.speaker_removed", target=speaker.session, speaker=speaker.name)
    speaker.delete()


# ---------------------------------------------------------------------------
# Planning a quarter
# ---------------------------------------------------------------------------


def plan_turns(unit, occurrences: Sequence[Occurrence]) -> list[Turn | None]:
    """The rota's proposal for the occurrences that will happen (None for skipped ones, or without a unit).

    `unit` is the rota's study group, party branch or department; its active members take turns.
    """
    days = [o.day for o in occurrences if not o.skipped]
    if unit is None or not days:
        return [None] * len(occurrences)
    rota = Rota.objects.filter(**Rota.unit_lookup(unit)).first()
    members = unit_members(unit)
    unavailable = unavailability_lookup([m.pk for m in members], min(days), max(days))
    history = rota_history(rota) if rota is not None else {}
    turns = iter(assign_speakers(days, [m.pk for m in members], history, unavailable))
    return [None if o.skipped else next(turns) for o in occurrences]


@transaction.atomic
def quarter_publish(
    *,
    actor: Member,
    token: str,
    rule: RecurrenceRule,
    occurrences: Sequence[Occurrence],
    first_day: dt.date,
    last_day: dt.date,
    kind: SessionKind,
    title: str,
    unit=None,
    rota: Rota | None = None,
    series_plan: SeriesPlan | None = None,
    **session_fields,
) -> Recurrence:
    """Create the sessions of a previewed plan. The preview's token makes a second publish a no-op."""
    try:
        with transaction.atomic():
            recurrence = Recurrence.objects.create(
                court=actor.court,
                frequency=rule.frequency,
                rule=rule.as_json(),
                first_day=first_day,
                last_day=last_day,
                token=token,
                created_by=actor,
            )
    except IntegrityError:
        raise SessionError(_("This plan has already been published.")) from None
    turns = plan_turns(rota.unit if rota else None, occurrences)
    members = {m.pk: m for m in unit_members(rota.unit)} if rota else {}
    count = 0
    for occurrence, turn in zip(occurrences, turns, strict=True):
        if occurrence.skipped:
            continue
        speakers = []
        if turn is not None and turn.speaker is not None:
            speakers = [{"member": members[turn.speaker], "role": Speaker.Role.OFFICER}]
        session_create(
            actor=actor,
            kind=kind,
            title=title,
            start=occurrence.start,
            end=occurrence.end,
            unit=unit,
            rota=rota,
            reserve_speaker=members.get(turn.reserve) if turn and turn.reserve else None,
            series_plan=series_plan,
            recurrence=recurrence,
            speakers=speakers,
            **session_fields,
        )
        count += 1
    audit(actor=actor.user, action="session.quarter_published", target=recurrence, sessions=count, title=title)
    return recurrence


# ---------------------------------------------------------------------------
# Sign-in and attendance
# ---------------------------------------------------------------------------


@transaction.atomic
def attendance_sign_in(
    *, session: Session, member: Member, code: str, now: dt.datetime, method: str = Attendance.Method.CODE
) -> Attendance:
    """签到 with the rotating code, only inside the session's window. Twice records once."""
    if member.court_id != session.court_id:
        raise SessionError(_("This session is not in your court."))
    if session.is_cancelled:
        raise SessionError(_("This session is cancelled."))
    opens, closes = session.sign_in_window()
    if now < opens:
        raise SessionError(
            _("Sign-in for this session opens at %(time)s.")
            % {"time": date_format(timezone.localtime(opens), "Y-m-d H:i")}
        )
    if now > closes:
        raise SessionError(
            _("Sign-in for this session closed at %(time)s.")
            % {"time": date_format(timezone.localtime(closes), "Y-m-d H:i")}
        )
    if not session.check_sign_in_code(code, now):
        raise SessionError(
            _(
                "This code is not the current code of this session. Check the code shown in the room (it changes every minute)."
            )
        )
    status = Attendance.Status.LATE if now > session.start + LATE_AFTER else Attendance.Status.PRESENT
    existing = Attendance.objects.filter(session=session, member=member).first()
    if existing is not None:
        if existing.signed_in_at is not None:
            raise SessionError(
                _("You already signed in at %(time)s.")
                % {"time": date_format(timezone.localtime(existing.signed_in_at), "H:i")}
            )
        existing.status, existing.signed_in_at, existing.method, existing.reason = status, now, method, ""
        existing.save(update_fields=["status", "signed_in_at", "method", "reason", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                session=session, member=member, status=status, signed_in_at=now, method=method
            )
    except IntegrityError:
        # The same person signed in from two tabs at once: the first one counts.
        raise SessionError(_("You have already signed in.")) from None


@transaction.atomic
def attendance_mark(*, actor: Member, session: Session, member: Member, status: str, reason: str = "") -> Attendance:
    """The organizer marks present, late, absent or on leave (with a reason)."""
    if session.is_cancelled:
        raise SessionError(_("A cancelled session has no attendance."))
    if status == Attendance.Status.LEAVE and not reason.strip():
        raise SessionError(_("Give the reason for the leave of %(name)s.") % {"name": member.name})
    attendance, created = Attendance.objects.get_or_create(
        session=session,
        member=member,
        defaults={
            "status": status,
            "reason": reason.strip(),
            "method": Attendance.Method.ORGANIZER,
            "marked_by": actor,
        },
    )
    if not created and (attendance.status != status or attendance.reason != reason.strip()):
        attendance.status, attendance.reason, attendance.marked_by = status, reason.strip(), actor
        attendance.save(update_fields=["status", "reason", "marked_by", "updated_at"])
    return attendance


@transaction.atomic
def attendance_mark_many(*, actor: Member, session: Session, marks: Sequence[tuple[Member, str, str]]) -> int:
    count = 0
    for member, status, reason in marks:
        if status:
            attendance_mark(actor=actor, session=session, member=member, status=status, reason=reason)
            count += 1
    audit(actor=actor.user, action="session.attendance_marked", target=session, count=count)
    return count


# ---------------------------------------------------------------------------
# Materials, photos, reflections
# ---------------------------------------------------------------------------


@transaction.atomic
def material_add(*, actor: Member, session: Session, file: ContentFile, title: str = "") -> SessionMaterial:
    material = SessionMaterial(
        session=session,
        original_name=getattr(file, "original_name", "") or file.name,
        title=title.strip(),
        uploaded_by=actor,
    )
    material.file.save(file.name, file, save=False)
    material.save()
    audit(actor=actor.user, action="session.material_added", target=session, file=material.original_name)
    return material


@transaction.atomic
def material_delete(*, actor: Member, material: SessionMaterial) -> None:
    audit(actor=actor.user, action="session.material_deleted", target=material.session, file=material.original_name)
    storage_file = material.file
    material.delete()
    transaction.on_commit(lambda: storage_file.delete(save=False))


@transaction.atomic
def photo_add(*, actor: Member, session: Session, image: ContentFile, caption: str = "") -> SessionPhoto:
    photo = SessionPhoto(session=session, caption=caption.strip(), uploaded_by=actor)
    photo.image.save(image.name, image, save=False)
    photo.save()
    audit(actor=actor.user, action="session.photo_added", target=session)
    return photo


@transaction.atomic
def photo_delete(*, actor: Member, photo: SessionPhoto) -> None:
    audit(actor=actor.user, action="session.photo_deleted", target=photo.session)
    storage_file = photo.image
    photo.delete()
    transaction.on_commit(lambda: storage_file.delete(save=False))


@transaction.atomic
def reflection_save(*, author: Member, session: Session, text: str, now: dt.datetime) -> SessionReflection:
    """An attendee's 感想, once the session has started; saving again edits it."""
    if session.is_cancelled:
        raise SessionError(_("This session is cancelled."))
    if session.start > now:
        raise SessionError(_("Reflections open once the session has started."))
    if not Attendance.objects.filter(session=session, member=author).attended().exists():
        raise SessionError(_("Only those who attended the session post reflections on it."))
    if SessionReflection.objects.filter(session=session, author=author).featured().exists():
        raise SessionError(_("A featured reflection can no longer be edited."))
    reflection, _created = SessionReflection.objects.update_or_create(
        session=session, author=author, defaults={"text": text.strip()}
    )
    originality_queue(kind=TextKind.SESSION_REFLECTION, object_id=reflection.pk, court=session.court)
    return reflection


@transaction.atomic
def reflection_feature(*, actor: Member, reflection: SessionReflection, now: dt.datetime) -> SessionReflection:
    """优秀心得: the 感想 shows on the court's excellent-reflections page (内网发布); the author is told."""
    if reflection.is_featured:
        raise SessionError(_("This reflection is already featured."))
    if reflection.session.is_cancelled:
        raise SessionError(_("This session is cancelled."))
    reflection.featured_at, reflection.featured_by = now, actor
    # A plain save (not update()): the summaries' freshness marks the featured day's period.
    reflection.save(update_fields=["featured_at", "featured_by", "updated_at"])
    audit(actor=actor.user, action="session.reflection_featured", target=reflection.session, reflection=reflection.pk)
    with translation.override(settings.LANGUAGE_CODE):  # the author reads it later, in the site's language
        text = _("Your reflection on “%(title)s” has been featured among the excellent reflections.") % {
            "title": in_quotes(reflection.session.title)
        }
    _notify(
        reflection.author,
        KIND_REFLECTION,
        text,
        reflection.get_absolute_url(),
        dedupe_key=f"session_reflection:{reflection.pk}:featured",
    )
    return reflection


@transaction.atomic
def reflection_unfeature(*, actor: Member, reflection: SessionReflection, now: dt.datetime) -> SessionReflection:
    """No longer among the excellent reflections; the author may edit it again."""
    if not reflection.is_featured:
        raise SessionError(_("This reflection is not featured."))
    reflection.featured_at, reflection.featured_by = None, None
    reflection.save(update_fields=["featured_at", "featured_by", "updated_at"])
    audit(actor=actor.user, action="session.reflection_unfeatured", target=reflection.session, reflection=reflection.pk)
    return reflection


@transaction.atomic
def reflection_reply(*, author: Member, reflection: SessionReflection, text: str) -> ReflectionReply:
    reply = ReflectionReply.objects.create(reflection=reflection, author=author, text=text.strip())
    if reflection.author_id != author.pk:
        _notify(
            reflection.author,
            KIND_REFLECTION,
            _("%(name)s replied to your reflection on “%(title)s”.")
            % {"name": author.name, "title": in_quotes(reflection.session.title)},
            reflection.session.get_absolute_url(),
        )
    return reply


# ---------------------------------------------------------------------------
# Series plans
# ---------------------------------------------------------------------------


@transaction.atomic
def series_plan_create(*, actor: Member, title: str, unit=None, theme: str = "", description: str = "") -> SeriesPlan:
    plan = SeriesPlan.objects.create(
        court=actor.court,
        title=title.strip(),
        theme=theme.strip(),
        description=description.strip(),
        created_by=actor,
        **_unit_fields(unit),
    )
    audit(actor=actor.user, action="series_plan.created", target=plan)
    return plan


@transaction.atomic
def series_item_add(*, actor: Member, plan: SeriesPlan, topic: str, readings: str = "") -> SeriesItem:
    position = (plan.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = SeriesItem.objects.create(plan=plan, position=position, topic=topic.strip(), readings=readings.strip())
    series_plan_reassign(plan=plan)
    return item


@transaction.atomic
def series_item_update(*, actor: Member, item: SeriesItem, topic: str, readings: str = "") -> SeriesItem:
    item.topic, item.readings = topic.strip(), readings.strip()
    item.save(update_fields=["topic", "readings"])
    return item


@transaction.atomic
def series_item_delete(*, actor: Member, item: SeriesItem) -> None:
    if Session.objects.filter(series_item=item, status=Session.Status.HELD).exists():
        raise SessionError(_("This item was covered by a session that was held; it stays in the plan."))
    plan = item.plan
    item.delete()
    series_plan_reassign(plan=plan)


@transaction.atomic
def series_item_move(*, actor: Member, item: SeriesItem, up: bool) -> None:
    """Swap an item with its neighbour; the sessions not yet held follow the new order."""
    items = list(SeriesItem.objects.filter(plan_id=item.plan_id).order_by("position"))
    index = [i.pk for i in items].index(item.pk)
    item = items[index]
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(items):
        return
    other = items[other_index]
    a, b = item.position, other.position
    # Two steps so the unique (plan, position) holds after each statement.
    SeriesItem.objects.filter(pk=item.pk).update(position=0)
    SeriesItem.objects.filter(pk=other.pk).update(position=a)
    SeriesItem.objects.filter(pk=item.pk).update(position=b)
    series_plan_reassign(plan=item.plan)


def series_plan_reassign(*, plan: SeriesPlan) -> None:
    """Sessions take the plan's items in order: held sessions keep theirs; planned ones, by start, take the rest."""
    sessions = list(plan.sessions.not_cancelled().order_by("start", "pk"))
    held_items = {s.series_item_id for s in sessions if s.status == Session.Status.HELD and s.series_item_id}
    free = [item for item in plan.items.order_by("position") if item.pk not in held_items]
    planned = [s for s in sessions if s.status == Session.Status.PLANNED]
    Session.objects.filter(pk__in=[s.pk for s in planned]).update(series_item=None)
    for session, item in zip(planned, free, strict=False):
        Session.objects.filter(pk=session.pk).update(series_item=item)


# ---------------------------------------------------------------------------
# Rotas, unavailability and swaps
# ---------------------------------------------------------------------------


@transaction.atomic
def rota_create(*, actor: Member, unit: StudyGroup | PartyBranch | Department) -> Rota:
    """The unit's rota (one per unit): a study group's, a party branch's or a department's."""
    if unit.court_id != actor.court_id:
        raise SessionError(_("This unit is not in your court."))
    rota, created = Rota.objects.get_or_create(
        **Rota.unit_lookup(unit), defaults={"court_id": unit.court_id, "created_by": actor}
    )
    if created:
        audit(actor=actor.user, action="rota.created", target=rota)
    return rota


@transaction.atomic
def unavailability_add(
    *, actor: Member, member: Member, first_day: dt.date, last_day: dt.date, reason: str, note: str = ""
) -> Unavailability:
    if last_day < first_day:
        raise SessionError(_("The last day cannot be before the first day."))
    row = Unavailability.objects.create(
        member=member, first_day=first_day, last_day=last_day, reason=reason, note=note.strip(), created_by=actor
    )
    return row


@transaction.atomic
def unavailability_delete(*, actor: Member, row: Unavailability) -> None:
    row.delete()


def _turn_speaker(session: Session) -> Speaker | None:
    return session.speakers.filter(member__isnull=False).select_related("member").order_by("position", "pk").first()


@transaction.atomic
def swap_request_create(
    *,
    requester: Member,
    session: Session,
    now: dt.datetime,
    other_session: Session | None = None,
    substitute: Member | None = None,
    note: str = "",
) -> SwapRequest:
    if session.rota_id is None or session.status != Session.Status.PLANNED or session.start <= now:
        raise SessionError(_("Only a coming rota turn can be swapped."))
    own = _turn_speaker(session)
    if own is None or own.member_id != requester.pk:
        raise SessionError(_("Only the speaker of this turn can ask to swap it."))
    if (other_session is None) == (substitute is None):
        raise SessionError(_("Choose either another turn to swap with, or a colleague to take the turn."))
    if other_session is not None and (
        other_session.pk == session.pk
        or other_session.rota_id != session.rota_id
        or other_session.status != Session.Status.PLANNED
        or other_session.start <= now
        or _turn_speaker(other_session) is None
    ):
        raise SessionError(_("The other turn must be a coming turn of the same rota, with a speaker."))
    rota = session.rota
    if substitute is not None and (substitute.pk == requester.pk or not is_unit_member(rota.unit, substitute)):
        raise SessionError(_("The colleague must be another member of the rota's unit."))
    deciders = swap_deciders(rota)
    if not deciders:
        raise SessionError(_("No one can decide swaps for this rota yet: ask an organizer to name the unit's leader."))
    try:
        with transaction.atomic():
            swap = SwapRequest.objects.create(
                session=session,
                requester=requester,
                other_session=other_session,
                substitute=substitute,
                note=note.strip(),
            )
    except IntegrityError:
        raise SessionError(_("This turn already has a swap request waiting for a decision.")) from None
    for decider in deciders.members:
        _notify(
            decider,
            KIND_SWAP,
            _("%(name)s asks to swap the speaking turn of %(when)s (%(unit)s).")
            % {"name": requester.name, "when": _when(session), "unit": rota.unit_name},
            rota.get_absolute_url(),
        )
    swap.deciders = deciders  # for the view to tell the requester who decides
    return swap


@transaction.atomic
def swap_request_decide(*, actor: Member, swap: SwapRequest, approve: bool, now: dt.datetime) -> SwapRequest:
    """The group leader approves (the speakers change places) or rejects."""
    swap = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    if swap.status != SwapRequest.Status.PENDING:
        raise SessionError(_("This request has already been decided."))
    session = swap.session
    if approve:
        own = _turn_speaker(session)
        if session.status != Session.Status.PLANNED or session.start <= now or own is None:
            raise SessionError(_("The turn has passed or changed; the swap can no longer be made."))
        if swap.other_session_id:
            other = _turn_speaker(swap.other_session)
            if swap.other_session.status != Session.Status.PLANNED or other is None:
                raise SessionError(_("The other turn has changed; the swap can no longer be made."))
            a, b = own.member, other.member
            # Through a blank step: each session has each member at most once.
            Speaker.objects.filter(pk=own.pk).update(member=None, guest_name="—")
            Speaker.objects.filter(pk=other.pk).update(member=a, guest_name="")
            Speaker.objects.filter(pk=own.pk).update(member=b, guest_name="")
            taking_over = [(session, b), (swap.other_session, a)]
            gave_up = {session.pk: a.pk, swap.other_session.pk: b.pk}
        else:
            if session.speakers.filter(member=swap.substitute).exists():
                raise SessionError(_("%(name)s already speaks at this session.") % {"name": swap.substitute.name})
            Speaker.objects.filter(pk=own.pk).update(member=swap.substitute)
            taking_over = [(session, swap.substitute)]
            gave_up = {session.pk: own.member_id}
        for turn_session, _member in taking_over:
            _reserve_repick(turn_session, gave_up=gave_up[turn_session.pk])
        bump_courts([session.court_id])  # speaking turns moved by UPDATE
        for turn_session, member in taking_over:
            _notify_turn(turn_session, member)
    swap.status = SwapRequest.Status.APPROVED if approve else SwapRequest.Status.REJECTED
    swap.decided_by, swap.decided_at = actor, now
    swap.save(update_fields=["status", "decided_by", "decided_at"])
    audit(actor=actor.user, action="rota.swap_decided", target=swap, approved=approve)
    _notify(
        swap.requester,
        KIND_SWAP,
        (
            _("Your swap request for %(when)s was approved.")
            if approve
            else _("Your swap request for %(when)s was declined.")
        )
        % {"when": _when(session)},
        session.get_absolute_url(),
    )
    return swap


def _reserve_repick(session: Session, *, gave_up: int) -> None:
    """After a swap: a reserve who now speaks at the turn (or just gave it away) is replaced.

    Before this, an approved swap could leave "李静（备选 李静）": the reserve picked at planning
    time was the colleague who has now taken the turn.
    """
    speaking = set(session.speakers.filter(member__isnull=False).values_list("member_id", flat=True))
    if session.reserve_speaker_id is not None and session.reserve_speaker_id not in speaking | {gave_up}:
        return
    reserve = pick_reserve(session.rota, session, exclude=[gave_up])
    Session.objects.filter(pk=session.pk).update(reserve_speaker=reserve)
    session.reserve_speaker = reserve


@transaction.atomic
def swap_request_withdraw(*, requester: Member, swap: SwapRequest) -> SwapRequest:
    if swap.requester_id != requester.pk or swap.status != SwapRequest.Status.PENDING:
        raise SessionError(_("Only a pending request of yours can be withdrawn."))
    swap.status = SwapRequest.Status.WITHDRAWN
    swap.save(update_fields=["status"])
    return swap


# ---------------------------------------------------------------------------
# Leave (请假)
# ---------------------------------------------------------------------------


@transaction.atomic
def leave_request_create(*, member: Member, session: Session, reason: str, now: dt.datetime) -> LeaveRequest:
    """A member asks to be excused from a session they are expected at (or speak at), before it ends."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise SessionError(_("Give the reason for your leave."))
    if member.court_id != session.court_id or not member.is_active:
        raise SessionError(_("This session is not in your court."))
    if session.is_cancelled:
        raise SessionError(_("This session is cancelled."))
    if session.end <= now:
        raise SessionError(_("This session is over; ask the organizer to mark your leave."))
    if not (is_expected(session, member) or session.speakers.filter(member=member).exists()):
        raise SessionError(_("You are not expected at this session."))
    attendance = Attendance.objects.filter(session=session, member=member).first()
    if attendance is not None and attendance.attended:
        raise SessionError(_("You have already signed in."))
    if attendance is not None and attendance.status == Attendance.Status.LEAVE:
        raise SessionError(_("Your leave for this session is already recorded."))
    if LeaveRequest.objects.filter(session=session, member=member, status=LeaveRequest.Status.APPROVED).exists():
        raise SessionError(_("Your leave for this session is already approved."))
    try:
        with transaction.atomic():
            leave = LeaveRequest.objects.create(session=session, member=member, reason=reason[:200])
    except IntegrityError:
        raise SessionError(_("Your leave request for this session is waiting for a decision.")) from None
    deciders = leave_deciders(session)
    for decider in deciders.members:
        if decider.pk != member.pk:
            _notify(
                decider,
                KIND_LEAVE,
                _("%(name)s asks for leave from “%(title)s” on %(when)s: %(reason)s")
                % {
                    "name": member.name,
                    "title": in_quotes(session.title),
                    "when": _when(session),
                    "reason": leave.reason,
                },
                reverse("activities:sessions_leave_list"),
            )
    audit(actor=member.user, action="session.leave_requested", target=session, reason=leave.reason)
    leave.deciders = deciders  # for the view to tell the member who decides
    return leave


@transaction.atomic
def leave_request_decide(
    *, actor: Member, leave: LeaveRequest, approve: bool, now: dt.datetime, note: str = ""
) -> LeaveRequest:
    """Approve (the member's attendance becomes LEAVE, with the reason) or decline; the member is told."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("session", "member").get(pk=leave.pk)
    if leave.status != LeaveRequest.Status.PENDING:
        raise SessionError(_("This request has already been decided."))
    session = leave.session
    if approve:
        if session.is_cancelled:
            raise SessionError(_("A cancelled session has no attendance."))
        attendance = Attendance.objects.filter(session=session, member=leave.member).first()
        if attendance is not None and attendance.attended:
            raise SessionError(_("%(name)s has signed in to this session.") % {"name": leave.member.name})
        attendance_mark(
            actor=actor, session=session, member=leave.member, status=Attendance.Status.LEAVE, reason=leave.reason
        )
    leave.status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.DECLINED
    leave.decided_by, leave.decided_at, leave.decision_note = actor, now, " ".join(note.split())[:200]
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit(actor=actor.user, action="session.leave_decided", target=session, member=leave.member.name, approved=approve)
    text = (
        _("Your leave from “%(title)s” on %(when)s was approved.")
        if approve
        else _("Your leave from “%(title)s” on %(when)s was declined: please attend.")
    ) % {"title": in_quotes(session.title), "when": _when(session)}
    if leave.decision_note:
        text = f"{text} {leave.decision_note}"
    _notify(leave.member, KIND_LEAVE, text, session.get_absolute_url())
    return leave


@transaction.atomic
def leave_request_withdraw(*, member: Member, leave: LeaveRequest) -> LeaveRequest:
    if leave.member_id != member.pk or leave.status != LeaveRequest.Status.PENDING:
        raise SessionError(_("Only a pending request of yours can be withdrawn."))
    leave.status = LeaveRequest.Status.WITHDRAWN
    leave.save(update_fields=["status"])
    return leave


# ---------------------------------------------------------------------------
# Self-reported shares
# ---------------------------------------------------------------------------


@transaction.atomic
def share_report(
    *,
    member: Member,
    topic: str,
    date: dt.date,
    place: str,
    listeners: str,
    listener_count: int,
    today: dt.date,
    group: StudyGroup | None = None,
    material: ContentFile | None = None,
) -> SelfReportedShare:
    if date > today:
        raise SessionError(_("Report a share after you have given it."))
    share = SelfReportedShare(
        member=member,
        group=group,
        topic=topic.strip(),
        date=date,
        place=place.strip(),
        listeners=listeners.strip(),
        listener_count=listener_count,
    )
    if material is not None:
        share.material_name = getattr(material, "original_name", "") or material.name
        share.material.save(material.name, material, save=False)
    share.save()
    audit(actor=member.user, action="share.reported", target=share)
    return share


@transaction.atomic
def share_review(
    *, actor: Member, share: SelfReportedShare, confirm: bool, note: str = "", now: dt.datetime
) -> SelfReportedShare:
    if share.status != SelfReportedShare.Status.PENDING:
        raise SessionError(_("This share has already been reviewed."))
    share.status = SelfReportedShare.Status.CONFIRMED if confirm else SelfReportedShare.Status.REJECTED
    share.review_note, share.reviewed_by, share.reviewed_at = note.strip(), actor, now
    share.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit(actor=actor.user, action="share.reviewed", target=share, confirmed=confirm)
    _notify(
        share.member,
        KIND_SHARE,
        (_("Your share “%(topic)s” was confirmed.") if confirm else _("Your share “%(topic)s” was not confirmed."))
        % {"topic": in_quotes(share.topic)},
        "",
    )
    return share


# ---------------------------------------------------------------------------
# Calendar feed and notification settings
# ---------------------------------------------------------------------------


@transaction.atomic
def feed_token_issue(*, member: Member) -> CalendarFeedToken:
    """A new secret address; the old one stops working at once."""
    CalendarFeedToken.objects.filter(member=member).delete()
    token = CalendarFeedToken.objects.create(member=member, token=secrets.token_urlsafe(32))
    audit(actor=member.user, action="calendar_feed.issued", target=member)
    return token


@transaction.atomic
def feed_token_revoke(*, member: Member) -> None:
    CalendarFeedToken.objects.filter(member=member).delete()
    audit(actor=member.user, action="calendar_feed.revoked", target=member)


@transaction.atomic
def notification_mutes_set(*, member: Member, muted: Iterable[str]) -> None:
    known = {kind for kind, _label in NOTIFICATION_KINDS}
    muted = set(muted) & known
    NotificationMute.objects.filter(member=member, kind__in=known - muted).delete()
    for kind in muted:
        NotificationMute.objects.get_or_create(member=member, kind=kind)


# ---------------------------------------------------------------------------
# Reminders (Celery beat)
# ---------------------------------------------------------------------------


def session_send_reminders(*, now: dt.datetime) -> int:
    """Speakers two days before, attendees the day before; each reminder once (dedupe keys).

    Runs hourly: a session is in reach when its local start day is at most two (speakers)
    or one (attendees) days away and it has not started yet.
    """
    today = timezone.localtime(now).date()
    tz = timezone.get_current_timezone()
    horizon = dt.datetime.combine(today + dt.timedelta(days=3), dt.time.min, tzinfo=tz)
    sessions = (
        Session.objects.filter(status=Session.Status.PLANNED, start__gt=now, start__lt=horizon)
        .select_related("kind")
        .prefetch_related("speakers__member__user", "audience_departments", "audience_branches", "audience_groups")
    )
    sent = 0
    for session in sessions:
        day = timezone.localtime(session.start).date()
        when = _when(session)
        speaker_ids = set()
        for speaker in session.speakers.all():
            if speaker.member is None:
                continue
            speaker_ids.add(speaker.member_id)
            sent += _notify(
                speaker.member,
                KIND_SPEAKER_REMINDER,
                _("Reminder: you speak at “%(title)s” on %(when)s. Upload your materials beforehand.")
                % {"title": in_quotes(session.title), "when": when},
                session.get_absolute_url(),
                dedupe_key=f"session:{session.pk}:speaker-reminder",
            )
        if day - today <= dt.timedelta(days=1):
            for member in expected_members(session).select_related("user").exclude(pk__in=speaker_ids):
                sent += _notify(
                    member,
                    KIND_REMINDER,
                    _("Reminder: “%(title)s” on %(when)s at %(place)s.")
                    % {"title": in_quotes(session.title), "when": when, "place": session.place or _("online")},
                    session.get_absolute_url(),
                    dedupe_key=f"session:{session.pk}:reminder",
                )
    return sent


# ---------------------------------------------------------------------------
# A court's own holidays and working days (over the national calendar)
# ---------------------------------------------------------------------------


@transaction.atomic
def court_calendar_day_set(*, actor, court: Court, date: dt.date, kind: str, name: str) -> CourtCalendarDay:
    """Make `date` a holiday or a working day for the court (and, unless they say otherwise, the courts below).

    One day per court and date: setting it again changes it. `actor` is the user (a site admin may
    have no member record).
    """
    if kind not in CalendarDay.Kind.values:
        raise SessionError(_("Choose holiday or working day."))
    name = " ".join(name.split())
    if not name:
        raise SessionError(_("Enter a name, for example 国庆节 or 调休上班."))
    member = Member.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    day, created = CourtCalendarDay.objects.update_or_create(
        court=court, date=date, defaults={"kind": kind, "name": name[:50], "created_by": member}
    )
    audit(
        actor=actor,
        action="calendar.day_set",
        target=day,
        date=date.isoformat(),
        kind=kind,
        name=day.name,
        created=created,
    )
    bump_courts(Court.objects.with_descendants(court).values_list("pk", flat=True))  # calendars below change too
    return day


@transaction.atomic
def court_calendar_day_delete(*, actor, day: CourtCalendarDay) -> None:
    """Remove the court's own day: the date follows the courts above, or the national calendar, again."""
    audit(actor=actor, action="calendar.day_removed", target=day, date=day.date.isoformat(), name=day.name)
    court = day.court
    day.delete()
    bump_courts(Court.objects.with_descendants(court).values_list("pk", flat=True))
