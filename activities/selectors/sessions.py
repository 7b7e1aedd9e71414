"""Reads for the sessions family: who may do what, recurrence and rota planning, summaries.

The planning functions are pure (dates in, dates out) so they are tested without a database;
the database-facing helpers around them load the calendar, the group and its history.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.access import current_member, is_leader_of, is_organizer_of, organizer_runs, visible_courts
from members.models import Court, Department, Member, PartyBranch, StudyGroup, StudyGroupMembership, unit_ordering

from ..models.sessions import (
    Attendance,
    CalendarDay,
    CourtCalendarDay,
    HolidayCalendar,
    LeaveRequest,
    Rota,
    SeriesPlan,
    Session,
    Speaker,
    Unavailability,
    local_tz,
)

# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------


def group_leader_ids(member: Member | None) -> set[int]:
    """The study groups the member leads (组长)."""
    if member is None:
        return set()
    return set(
        StudyGroupMembership.objects.filter(member=member, role=StudyGroupMembership.Role.LEADER).values_list(
            "group_id", flat=True
        )
    )


def is_group_leader(user, group_id: int | None) -> bool:
    if group_id is None:
        return False
    member = current_member(user)
    return bool(
        member
        and member.is_active
        and StudyGroupMembership.objects.filter(
            member=member, group_id=group_id, role=StudyGroupMembership.Role.LEADER
        ).exists()
    )


def can_plan(user, court_id: int) -> bool:
    """Create sessions, plan quarters, set up rotas and series plans: the court's organizers."""
    return is_organizer_of(user, court_id)


def in_organizer_scope(user, obj) -> bool:
    """An organizer limited to a department or branch manages only what that unit organizes."""
    return organizer_runs(
        user,
        obj,
        lambda me: bool(
            (me.scope_department_id and obj.unit_department_id == me.scope_department_id)
            or (me.scope_branch_id and obj.unit_branch_id == me.scope_branch_id)
        ),
    )


def can_manage_session(user, session: Session) -> bool:
    """Edit, cancel, take attendance, show the sign-in code: organizers in scope and the group's leader."""
    return in_organizer_scope(user, session) or is_group_leader(user, session.unit_group_id)


def is_member_speaker(user, session: Session) -> bool:
    member = current_member(user)
    return bool(member and session.speakers.filter(member=member).exists())


def can_upload_material(user, session: Session) -> bool:
    return not session.is_cancelled and (can_manage_session(user, session) or is_member_speaker(user, session))


def can_reply_to_reflections(user, session: Session) -> bool:
    """Speakers and leaders reply (and the session's managers)."""
    return is_member_speaker(user, session) or is_leader_of(user, session.court_id) or can_manage_session(user, session)


def can_feature_reflections(user, session: Session) -> bool:
    """优秀心得: the court's organizers feature 感想, as they feature reading reflections."""
    return is_organizer_of(user, session.court_id)


def in_rota_scope(user, rota: Rota) -> bool:
    """Organizers of the court run a rota; one limited to a branch or department, that unit's rota."""
    return organizer_runs(
        user,
        rota,
        lambda me: bool(
            (me.scope_department_id and rota.department_id == me.scope_department_id)
            or (me.scope_branch_id and rota.branch_id == me.scope_branch_id)
        ),
    )


def can_manage_rota(user, rota: Rota) -> bool:
    """Decide swaps, plan with it: organizers in scope and the unit's leader (组长, 支部书记, 庭长)."""
    if in_rota_scope(user, rota):
        return True
    me = current_member(user)
    return bool(me and me.is_active and me.pk in {m.pk for m in unit_leaders(rota.unit)})


def can_manage_series(user, plan: SeriesPlan) -> bool:
    return in_organizer_scope(user, plan) or is_group_leader(user, plan.unit_group_id)


def rotas_with_quarter_for(user) -> QuerySet[Rota]:
    """Rotas whose quarter view the user may look for: those of the courts they read, and those of
    the study groups open to their court from a court above (两级法院研习小组)."""
    return Rota.objects.filter(Q(court__in=visible_courts(user)) | Q(group__in=StudyGroup.objects.visible_to(user)))


def rota_quarter_sessions(user, rota: Rota) -> QuerySet[Session] | None:
    """The sessions of the rota's unit the user may see in its quarter view; None: not theirs to see.

    Who runs the rota (its court's organizers, the unit's leader) sees them all, in whichever court
    a cross-court group met. An organizer or leader of a court below that the group takes members
    from sees the sessions held in the courts they read: their own people's, never a sibling court's.
    """
    sessions = Session.objects.for_unit(**Rota.unit_lookup(rota.unit))
    if can_manage_rota(user, rota):
        return sessions
    me = current_member(user)
    group = rota.group
    if (
        group is not None
        and me is not None
        and me.is_active
        and (me.is_organizer or me.is_leader)
        and me.court_id != rota.court_id
        and group.takes_members_of(me.court)
    ):
        return sessions.filter(court__in=visible_courts(user))
    return None


def can_review_share(user, share) -> bool:
    """The group leader named on the share, or an organizer of the member's court."""
    me = current_member(user)
    if me is not None and me.pk == share.member_id:
        return False
    return is_organizer_of(user, share.member.court_id) or is_group_leader(user, share.group_id)


def managed_sessions(user) -> QuerySet[Session]:
    """Sessions whose attendance the user keeps (the query form of can_manage_session)."""
    if getattr(user, "is_superuser", False):
        return Session.objects.all()
    me = current_member(user)
    if me is None or not me.is_active:
        return Session.objects.none()
    mine = Q(unit_group_id__in=group_leader_ids(me))
    if me.is_organizer:
        if me.scope_department_id is None and me.scope_branch_id is None:
            mine |= Q(court_id=me.court_id)
        else:
            scoped = Q(created_by=me)
            if me.scope_department_id:
                scoped |= Q(unit_department_id=me.scope_department_id)
            if me.scope_branch_id:
                scoped |= Q(unit_branch_id=me.scope_branch_id)
            mine |= Q(court_id=me.court_id) & scoped
    return Session.objects.filter(mine)


def visible_groups(user) -> QuerySet[StudyGroup]:
    return StudyGroup.objects.filter(court__in=visible_courts(user))


# ---------------------------------------------------------------------------
# The working-day calendar
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveDay:
    """A day of a court's effective calendar, and where it comes from (None: the national calendar)."""

    date: dt.date
    kind: str
    name: str
    court_id: int | None = None
    court_name: str = ""
    replaces: EffectiveDay | None = None  # the day it overrides, from the national calendar or a court above

    @property
    def is_national(self) -> bool:
        return self.court_id is None


def court_chain(court: Court | None) -> list[Court]:
    """The court and the courts above it, from the top down (province → city → basic)."""
    chain: list[Court] = []
    seen: set[int] = set()
    while court is not None and court.pk not in seen:  # a cycle made in the admin must not hang a page
        chain.append(court)
        seen.add(court.pk)
        court = court.parent
    return chain[::-1]


def effective_days(first: dt.date, last: dt.date, court: Court | int | None = None) -> dict[dt.date, EffectiveDay]:
    """The national holidays and 调休 days, overridden by those of the courts above `court`, then by its own.

    Two queries whatever the period (three with the chain of courts when parents are not loaded).
    """
    days = {
        d.date: EffectiveDay(date=d.date, kind=d.kind, name=d.name) for d in CalendarDay.objects.between(first, last)
    }
    court_id = court.pk if isinstance(court, Court) else court
    chain = court_chain(Court.objects.select_related("parent__parent").filter(pk=court_id).first()) if court_id else []
    if chain:
        rank = {c.pk: index for index, c in enumerate(chain)}
        names = {c.pk: c.name for c in chain}
        own = CourtCalendarDay.objects.filter(court_id__in=rank).between(first, last)
        for entry in sorted(own, key=lambda d: rank[d.court_id]):  # the court itself last: it wins
            days[entry.date] = EffectiveDay(
                date=entry.date,
                kind=entry.kind,
                name=entry.name,
                court_id=entry.court_id,
                court_name=names[entry.court_id],
                replaces=days.get(entry.date),
            )
    return days


@dataclass
class WorkCalendar:
    """Holidays and make-up working days (调休) between two dates, read once.

    With a court: its effective calendar (the national days, overridden by the courts above it and
    then by its own, see CourtCalendarDay); without: the national calendar.
    """

    days: dict[dt.date, EffectiveDay] = field(default_factory=dict)
    provisional_years: set[int] = field(default_factory=set)
    known_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, first: dt.date, last: dt.date, court: Court | int | None = None) -> WorkCalendar:
        days = effective_days(first - dt.timedelta(days=31), last + dt.timedelta(days=31), court)
        years = HolidayCalendar.objects.filter(year__gte=first.year, year__lte=last.year + 1)
        return cls(
            days=days,
            provisional_years={c.year for c in years if c.provisional},
            known_years={c.year for c in years},
        )

    def holiday_name(self, day: dt.date) -> str | None:
        entry = self.days.get(day)
        return entry.name if entry is not None and entry.kind == CalendarDay.Kind.HOLIDAY else None

    def is_holiday(self, day: dt.date) -> bool:
        return self.holiday_name(day) is not None

    def is_makeup_workday(self, day: dt.date) -> bool:
        entry = self.days.get(day)
        return entry is not None and entry.kind == CalendarDay.Kind.WORKDAY

    def is_working_day(self, day: dt.date) -> bool:
        if self.is_holiday(day):
            return False
        return day.weekday() < 5 or self.is_makeup_workday(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def working_days_of_month(self, year: int, month: int) -> list[dt.date]:
        last = pycalendar.monthrange(year, month)[1]
        return [d for d in (dt.date(year, month, n) for n in range(1, last + 1)) if self.is_working_day(d)]


# ---------------------------------------------------------------------------
# Recurrence
# ---------------------------------------------------------------------------

SKIP = "skip"
NEXT_WORKING_DAY = "next_working_day"
LAST = -1


@dataclass(frozen=True)
class RecurrenceRule:
    """Weekly on a weekday; monthly or quarterly on the Nth weekday or the Nth working day.

    weekday: 0 = Monday … 6 = Sunday; None with monthly/quarterly means "working day".
    ordinal: 1–5 or -1 (the last); month_in_quarter: 1–3 for quarterly rules.
    """

    frequency: str
    start_time: dt.time
    duration_minutes: int = 60
    weekday: int | None = 0
    ordinal: int = 1
    interval: int = 1
    month_in_quarter: int = 1
    on_holiday: str = SKIP

    def as_json(self) -> dict:
        return {
            "frequency": self.frequency,
            "start_time": self.start_time.strftime("%H:%M"),
            "duration_minutes": self.duration_minutes,
            "weekday": self.weekday,
            "ordinal": self.ordinal,
            "interval": self.interval,
            "month_in_quarter": self.month_in_quarter,
            "on_holiday": self.on_holiday,
        }


@dataclass
class Occurrence:
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    skipped: bool = False
    holiday: str = ""
    moved_from: dt.date | None = None


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return dt.date(year, first_month, 1), dt.date(year, last_month, pycalendar.monthrange(year, last_month)[1])


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> dt.date | None:
    """The Nth (or last, ordinal -1) given weekday of a month; None when the month has no such day."""
    days_in_month = pycalendar.monthrange(year, month)[1]
    if ordinal == LAST:
        day = dt.date(year, month, days_in_month)
        return day - dt.timedelta(days=(day.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
    return day if day.month == month else None


def _months(first: dt.date, last: dt.date) -> Iterable[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _nominal_days(rule: RecurrenceRule, first: dt.date, last: dt.date, cal: WorkCalendar) -> list[dt.date]:
    if rule.frequency == "weekly":
        day = first + dt.timedelta(days=(rule.weekday - first.weekday()) % 7)
        days = []
        while day <= last:
            days.append(day)
            day += dt.timedelta(weeks=max(rule.interval, 1))
        return days
    days = []
    for year, month in _months(first, last):
        if rule.frequency == "quarterly" and (month - 1) % 3 != rule.month_in_quarter - 1:
            continue
        if rule.weekday is None:
            working = cal.working_days_of_month(year, month)
            index = rule.ordinal - 1 if rule.ordinal > 0 else rule.ordinal
            day = working[index] if -len(working) <= index < len(working) else None
        else:
            day = nth_weekday(year, month, rule.weekday, rule.ordinal)
        if day is not None and first <= day <= last:
            days.append(day)
    return days


def plan_occurrences(rule: RecurrenceRule, first: dt.date, last: dt.date, cal: WorkCalendar) -> list[Occurrence]:
    """Every occurrence of the rule from first to last (local dates), holidays skipped or moved.

    Skipped occurrences are returned too (marked), so the preview can say why a week is missing.
    A moved occurrence must not reach the next one's day nor leave the period; else it is skipped.
    """
    tz = local_tz()
    nominal = _nominal_days(rule, first, last, cal)
    duration = dt.timedelta(minutes=rule.duration_minutes)
    result: list[Occurrence] = []
    taken: set[dt.date] = set()
    for index, day in enumerate(nominal):
        holiday = cal.holiday_name(day) or ""
        actual, moved_from = day, None
        if holiday and rule.on_holiday == NEXT_WORKING_DAY:
            candidate = cal.next_working_day(day)
            following = nominal[index + 1] if index + 1 < len(nominal) else None
            if candidate <= last and (following is None or candidate < following) and candidate not in taken:
                actual, moved_from = candidate, day
        skipped = bool(holiday) and moved_from is None
        start = dt.datetime.combine(actual, rule.start_time, tzinfo=tz)
        result.append(
            Occurrence(
                day=actual, start=start, end=start + duration, skipped=skipped, holiday=holiday, moved_from=moved_from
            )
        )
        if not skipped:
            taken.add(actual)
    return result


# ---------------------------------------------------------------------------
# The speaker rota
# ---------------------------------------------------------------------------


@dataclass
class Turn:
    day: dt.date
    speaker: int | None
    reserve: int | None


def assign_speakers(
    days: Sequence[dt.date],
    members: Sequence[int],
    history: dict[int, tuple[int, dt.date | None]],
    is_unavailable: Callable[[int, dt.date], bool],
) -> list[Turn]:
    """Pick a speaker and a reserve for each day, in order.

    Among the members available that day: fewest turns first (so everyone speaks once
    before anyone speaks twice), then the one who spoke least recently (never = first),
    then the group's order. The reserve is the next in that ranking.
    """
    order = {member: index for index, member in enumerate(members)}
    counts = {member: history.get(member, (0, None))[0] for member in members}
    last = {member: history.get(member, (0, None))[1] for member in members}
    turns = []
    for day in sorted(days):
        available = [m for m in members if not is_unavailable(m, day)]
        ranked = sorted(available, key=lambda m: (counts[m], last[m] or dt.date.min, order[m]))
        speaker = ranked[0] if ranked else None
        reserve = ranked[1] if len(ranked) > 1 else None
        if speaker is not None:
            counts[speaker] += 1
            last[speaker] = day
        turns.append(Turn(day=day, speaker=speaker, reserve=reserve))
    return turns


def unit_members(unit: StudyGroup | PartyBranch | Department) -> list[Member]:
    """A rota's members in a stable order: the unit's active members (a group's leader included)."""
    members = Member.objects.filter(is_active=True)  # a study group may reach across courts: no court filter
    if isinstance(unit, StudyGroup):
        members = members.filter(group_memberships__group=unit)
    elif isinstance(unit, PartyBranch):
        members = members.filter(party_branch=unit)
    else:
        members = members.filter(department=unit)
    return list(members.order_by("employee_number", "pk"))


def is_unit_member(unit, member: Member) -> bool:
    if not member.is_active:
        return False
    if isinstance(unit, StudyGroup):
        return member.group_memberships.filter(group=unit).exists()
    if isinstance(unit, PartyBranch):
        return member.party_branch_id == unit.pk
    return member.department_id == unit.pk


def unit_leaders(unit) -> list[Member]:
    """Who leads the unit: a group's leaders (组长), a branch's secretary, a department's head."""
    if isinstance(unit, StudyGroup):
        return list(
            Member.objects.filter(
                group_memberships__group=unit, group_memberships__role=StudyGroupMembership.Role.LEADER, is_active=True
            ).order_by("name")
        )
    leader_id = unit.secretary_id if isinstance(unit, PartyBranch) else unit.head_id
    return list(Member.objects.filter(pk=leader_id, is_active=True)) if leader_id else []


def unit_organizers(unit) -> list[Member]:
    """The organizers who run the unit: court-wide ones, and those limited to this branch or department."""
    in_scope = Q(scope_department__isnull=True, scope_branch__isnull=True)
    if isinstance(unit, PartyBranch):
        in_scope |= Q(scope_branch=unit)
    elif isinstance(unit, Department):
        in_scope |= Q(scope_department=unit)
    return list(
        Member.objects.filter(in_scope, court_id=unit.court_id, role=Member.Role.ORGANIZER, is_active=True).order_by(
            "name"
        )
    )


ORGANIZER_TITLE = _("organizer")
UNIT_LEADER_TITLES = {
    StudyGroup: _("group leader"),
    PartyBranch: _("branch secretary"),
    Department: _("department head"),
}


@dataclass
class Deciders:
    """Who decides a request about a unit, and in what capacity (for the requester to read)."""

    members: list[Member]
    title: str  # "branch secretary", or "organizer" when the unit has no leader

    @property
    def names(self) -> str:
        return "、".join(m.name for m in self.members)

    def __bool__(self) -> bool:
        return bool(self.members)


def unit_deciders(unit) -> Deciders:
    """The unit's leader decides; when it has none (or they left), the organizers who run it do."""
    leaders = unit_leaders(unit)
    if leaders:
        return Deciders(leaders, str(UNIT_LEADER_TITLES[type(unit)]))
    return Deciders(unit_organizers(unit), str(ORGANIZER_TITLE))


def swap_deciders(rota: Rota) -> Deciders:
    return unit_deciders(rota.unit)


def leave_deciders(session: Session) -> Deciders:
    """Who decides a member's leave: the organizer who made the session, while they still run it;
    else a study group's leader for the group's sessions; else the organizers who run its unit."""
    creator = session.created_by
    if creator is not None and creator.is_active and can_manage_session(creator.user, session):
        return Deciders([creator], str(ORGANIZER_TITLE))
    if session.unit_group_id:
        leaders = unit_leaders(session.unit_group)
        if leaders:
            return Deciders(leaders, str(UNIT_LEADER_TITLES[StudyGroup]))
    unit = session.unit_branch or session.unit_department
    if unit is not None:
        return Deciders(unit_organizers(unit), str(ORGANIZER_TITLE))
    organizers = Member.objects.filter(
        court_id=session.court_id,
        role=Member.Role.ORGANIZER,
        is_active=True,
        scope_department__isnull=True,
        scope_branch__isnull=True,
    ).order_by("name")
    return Deciders(list(organizers), str(ORGANIZER_TITLE))


def pending_leave_requests(user) -> QuerySet[LeaveRequest]:
    """Leave requests waiting for the user: those of the sessions they keep attendance for."""
    return (
        LeaveRequest.objects.pending()
        .filter(session__in=managed_sessions(user))
        .select_related("session", "session__kind", "member", "member__department")
        .order_by("session__start", "created_at")
    )


def rota_history(rota: Rota, *, before: dt.date | None = None) -> dict[int, tuple[int, dt.date | None]]:
    """Turns each member has had (or has planned) in this rota: count and latest day."""
    speakers = Speaker.objects.filter(session__rota=rota, member__isnull=False).exclude(
        session__status=Session.Status.CANCELLED
    )
    if before is not None:
        tz = local_tz()
        speakers = speakers.filter(session__start__lt=dt.datetime.combine(before, dt.time.min, tzinfo=tz))
    rows = speakers.values("member_id").annotate(n=Count("pk"), latest=Max("session__start"))
    return {row["member_id"]: (row["n"], timezone.localtime(row["latest"]).date()) for row in rows}


def unavailability_lookup(member_ids: Iterable[int], first: dt.date, last: dt.date) -> Callable[[int, dt.date], bool]:
    spans = defaultdict(list)
    for row in Unavailability.objects.filter(member_id__in=list(member_ids)).overlapping(first, last):
        spans[row.member_id].append((row.first_day, row.last_day))

    def is_unavailable(member_id: int, day: dt.date) -> bool:
        return any(a <= day <= b for a, b in spans.get(member_id, ()))

    return is_unavailable


def rota_overview(rota: Rota) -> list[dict]:
    """Each member of the unit with turns so far (held or planned) and their latest turn."""
    history = rota_history(rota)
    return [
        {"member": m, "turns": history.get(m.pk, (0, None))[0], "latest": history.get(m.pk, (0, None))[1]}
        for m in unit_members(rota.unit)
    ]


def pick_reserve(rota: Rota, session: Session, *, exclude: Iterable[int] = ()) -> Member | None:
    """The reserve for a turn, ranked as the rota ranks speakers (fewest turns, least recent, order).

    Never one of the session's speakers, nor anyone in `exclude` (who just gave the turn away),
    nor anyone unavailable that day.
    """
    day = timezone.localtime(session.start).date()
    members = unit_members(rota.unit)
    taken = set(session.speakers.filter(member__isnull=False).values_list("member_id", flat=True)) | set(exclude)
    unavailable = unavailability_lookup([m.pk for m in members], day, day)
    history = rota_history(rota)
    order = {m.pk: index for index, m in enumerate(members)}
    candidates = [m for m in members if m.pk not in taken and not unavailable(m.pk, day)]
    ranked = sorted(
        candidates,
        key=lambda m: (history.get(m.pk, (0, None))[0], history.get(m.pk, (0, None))[1] or dt.date.min, order[m.pk]),
    )
    return ranked[0] if ranked else None


# ---------------------------------------------------------------------------
# Audience and attendance
# ---------------------------------------------------------------------------


def expected_members(session: Session) -> QuerySet[Member]:
    """The expected attendees follow from the audience: whole court, departments, branches, groups."""
    members = Member.objects.filter(court_id=session.court_id, is_active=True)
    if session.audience_court:
        return members
    return members.in_units(
        departments=[d.pk for d in session.audience_departments.all()],
        branches=[b.pk for b in session.audience_branches.all()],
        groups=[g.pk for g in session.audience_groups.all()],
    )


def is_expected(session: Session, member: Member) -> bool:
    return expected_members(session).filter(pk=member.pk).exists()


@dataclass
class AttendanceSummary:
    expected: int
    present: int
    late: int
    leave: int
    absent: int
    unmarked: int
    extra: int  # attended without being in the audience

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def rate(self) -> float | None:
        """Share of the expected attendees (those on leave excused) who came (present or late)."""
        if not self.expected:
            return None
        return (self.attended - self.extra) / self.expected

    @property
    def rate_percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


def attendance_summary(session: Session) -> AttendanceSummary:
    """Those on leave (approved 请假, or marked by the organizer) are excused: not expected, not absent."""
    statuses = dict(Attendance.objects.filter(session=session).values_list("member_id", "status"))
    on_leave = {m for m, s in statuses.items() if s == Attendance.Status.LEAVE}
    expected_ids = set(expected_members(session).values_list("pk", flat=True)) - on_leave
    counts = defaultdict(int)
    for _member_id, status in statuses.items():
        counts[status] += 1
    extra = sum(1 for m, s in statuses.items() if m not in expected_ids and s in Attendance.ATTENDED)
    return AttendanceSummary(
        expected=len(expected_ids),
        present=counts[Attendance.Status.PRESENT],
        late=counts[Attendance.Status.LATE],
        leave=counts[Attendance.Status.LEAVE],
        absent=counts[Attendance.Status.ABSENT],
        unmarked=len(expected_ids - set(statuses)),
        extra=extra,
    )


def attended(session: Session | int, member: Member | int) -> bool:
    """Was the member at the session (signed in, or marked present or late)? For contests: only attendees vote."""
    return Attendance.objects.filter(session=session, member=member).attended().exists()


def attendance_roll(session: Session) -> list[dict]:
    """The sign-in list: expected members and anyone else who attended, with their attendance."""
    rows = {a.member_id: a for a in Attendance.objects.filter(session=session).select_related("member")}
    members = list(
        expected_members(session)
        .select_related("department")
        .order_by(*unit_ordering("department__", department=True), "name")
    )
    seen = {m.pk for m in members}
    extra = [a.member for a in rows.values() if a.member_id not in seen]
    return [{"member": m, "attendance": rows.get(m.pk), "expected": m.pk in seen} for m in members + extra]


def member_attendance_stats(member: Member, *, year: int) -> dict:
    rows = Attendance.objects.filter(member=member, session__start__year=year).values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return {
        "attended": counts.get(Attendance.Status.PRESENT, 0) + counts.get(Attendance.Status.LATE, 0),
        "late": counts.get(Attendance.Status.LATE, 0),
        "leave": counts.get(Attendance.Status.LEAVE, 0),
        "absent": counts.get(Attendance.Status.ABSENT, 0),
    }


# ---------------------------------------------------------------------------
# Calendars
# ---------------------------------------------------------------------------


@dataclass
class Period:
    view: str  # "week" or "month"
    first: dt.date
    last: dt.date
    previous: dt.date
    next: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def period_for(view: str, anchor: dt.date) -> Period:
    if view == "week":
        first = anchor - dt.timedelta(days=anchor.weekday())
        last = first + dt.timedelta(days=6)
        return Period("week", first, last, first - dt.timedelta(days=7), first + dt.timedelta(days=7))
    first = anchor.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return Period("month", first, last, previous, last + dt.timedelta(days=1))


def sessions_by_day(sessions: Iterable[Session], period: Period, cal: WorkCalendar) -> list[dict]:
    by_day = defaultdict(list)
    for session in sessions:
        by_day[timezone.localtime(session.start).date()].append(session)
    return [
        {
            "day": day,
            "sessions": by_day.get(day, []),
            "holiday": cal.holiday_name(day),
            "workday": cal.is_makeup_workday(day),
        }
        for day in period.days
    ]
