"""Builders for sessions-family tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from activities.models import (
    Attendance,
    LeaveRequest,
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
from members.models import Member, StudyGroup, StudyGroupMembership
from tests.factories import make_group


def kind(code: str = "weekly_share") -> SessionKind:
    return SessionKind.objects.get(code=code)


def make_session(
    court,
    *,
    start: dt.datetime | None = None,
    minutes: int = 60,
    title: str = "周一学习例会",
    kind_code: str = "weekly_share",
    speakers: tuple[Member, ...] = (),
    audience_court: bool = True,
    groups: tuple[StudyGroup, ...] = (),
    created_by: Member | None = None,
    **fields,
) -> Session:
    start = start or timezone.now() + dt.timedelta(days=1)
    session = Session.objects.create(
        court=court,
        kind=kind(kind_code),
        title=title,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        place="三楼会议室",
        audience_court=audience_court,
        created_by=created_by,
        **fields,
    )
    if groups:
        session.audience_groups.set(groups)
    for position, member in enumerate(speakers):
        Speaker.objects.create(session=session, member=member, position=position)
    return session


def study_group(cast, *, name: str = "青年理论学习小组") -> StudyGroup:
    """A group in court A led by the colleague, with the member in it."""
    group = StudyGroup.objects.filter(court=cast.court, name=name).first()
    if group is None:
        group = make_group(cast.court, name, leader=cast.colleague, members=[cast.member])
    return group


def rota(cast) -> Rota:
    group = study_group(cast)
    return Rota.objects.get_or_create(group=group, defaults={"court": group.court})[0]


def rota_session(cast, *, speaker: Member | None = None, days: int = 3) -> Session:
    r = rota(cast)
    return make_session(
        cast.court,
        start=timezone.now() + dt.timedelta(days=days),
        speakers=(speaker or cast.member,),
        rota=r,
        unit_group=r.group,
        audience_court=False,
        groups=(r.group,),
    )


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def material(session: Session, *, by: Member | None = None) -> SessionMaterial:
    m = SessionMaterial(session=session, original_name="讲稿.pdf", uploaded_by=by)
    m.file.save("slides.pdf", ContentFile(pdf_bytes()), save=False)
    m.save()
    return m


def photo(session: Session) -> SessionPhoto:
    p = SessionPhoto(session=session)
    p.image.save("p.png", ContentFile(png_bytes()), save=False)
    p.save()
    return p


def attended(session: Session, member: Member, status: str = Attendance.Status.PRESENT) -> Attendance:
    return Attendance.objects.create(
        session=session, member=member, status=status, method=Attendance.Method.ORGANIZER, signed_in_at=session.start
    )


def reflection(cast) -> SessionReflection:
    session = make_session(cast.court, start=timezone.now() - dt.timedelta(hours=2), speakers=(cast.colleague,))
    attended(session, cast.member)
    return SessionReflection.objects.create(session=session, author=cast.member, text="很有收获")


def series_item(cast) -> SeriesItem:
    plan = SeriesPlan.objects.create(court=cast.court, title="学习二十大精神系列", unit_branch=cast.branch)
    return SeriesItem.objects.create(plan=plan, position=1, topic="第一讲")


def swap(cast) -> SwapRequest:
    session = rota_session(cast)
    return SwapRequest.objects.create(session=session, requester=cast.member, substitute=cast.colleague)


def leave_request(cast, *, session: Session | None = None, reason: str = "外出开庭") -> LeaveRequest:
    """The member asks for leave from a coming whole-court session the organizer made."""
    session = session or make_session(cast.court, created_by=cast.organizer)
    return LeaveRequest.objects.create(session=session, member=cast.member, reason=reason)


def unavailability(cast) -> Unavailability:
    study_group(cast)
    today = timezone.localdate()
    return Unavailability.objects.create(member=cast.member, first_day=today, last_day=today + dt.timedelta(days=3))


def share(cast, *, with_material: bool = False) -> SelfReportedShare:
    s = SelfReportedShare(
        member=cast.member,
        group=study_group(cast),
        topic="民法典婚姻家庭编解读",
        date=timezone.localdate(),
        place="社区",
        listeners="社区居民",
        listener_count=30,
    )
    if with_material:
        s.material.save("share.pdf", ContentFile(pdf_bytes()), save=False)
        s.material_name = "讲稿.pdf"
    s.save()
    return s


def membership(group: StudyGroup, member: Member, role: str = StudyGroupMembership.Role.MEMBER):
    return StudyGroupMembership.objects.create(group=group, member=member, role=role)
