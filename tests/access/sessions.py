"""Access cases of the sessions family: every URL, every role.

Session pages exist only inside the viewer's courts (the outsider gets 404); managing a
session is for the court's organizers (and a group's leader for the group's sessions).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from activities.models import CalendarFeedToken, Rota
from tests.activities import sessions_factories as f
from tests.factories import make_group

from . import Case, everyone


def session(cast):
    return f.make_session(cast.court, created_by=cast.organizer, speakers=(cast.member,))


def soon(cast):
    """Starts in ten minutes: the sign-in window is open."""
    return f.make_session(cast.court, start=timezone.now() + dt.timedelta(minutes=10))


def cross_court_rota(cast) -> Rota:
    group = make_group(cast.city, "两级法院研习小组", members=[cast.member, cast.outsider])
    group.spans_courts_below = True
    group.save()
    return Rota.objects.create(court=cast.city, group=group)


def manage(status: int, **overrides) -> dict[str, int]:
    """The organizer may; others in the court are refused; the outsider does not see it."""
    return {"organizer": status, "outsider": 404, **overrides}


CASES = [
    Case("activities:sessions_list", everyone()),
    Case("activities:sessions_list", everyone(), query="?when=past&kind=abc&court=x"),
    Case("activities:sessions_create", {"organizer": 200}),
    Case("activities:sessions_detail", everyone(200, outsider=404), args=lambda c: [session(c).pk]),
    Case("activities:sessions_edit", manage(200), args=lambda c: [session(c).pk]),
    Case(
        "activities:sessions_cancel",
        manage(302),
        args=lambda c: [session(c).pk],
        method="post",
        data=lambda c: {"reason": "与庭审冲突"},
    ),
    Case("activities:sessions_minutes", manage(200), args=lambda c: [session(c).pk]),
    Case(
        "activities:sessions_speaker_add",
        manage(302),
        args=lambda c: [session(c).pk],
        method="post",
        data=lambda c: {"guest_name": "王教授", "role": "expert"},
    ),
    Case(
        "activities:sessions_speaker_remove",
        manage(302),
        args=lambda c: [session(c).speakers.get().pk],
        method="post",
    ),
    # Speakers upload too (the member speaks at this session).
    Case("activities:sessions_material_add", manage(302, member=302), args=lambda c: [session(c).pk], method="post"),
    Case(
        "activities:sessions_material_download",
        everyone(200, outsider=404),
        args=lambda c: [f.material(session(c), by=c.member).pk],
    ),
    Case(
        "activities:sessions_material_delete",
        manage(302, member=302),
        args=lambda c: [f.material(session(c), by=c.member).pk],
        method="post",
    ),
    Case("activities:sessions_photo_add", manage(302), args=lambda c: [session(c).pk], method="post"),
    Case("activities:sessions_photo", everyone(200, outsider=404), args=lambda c: [f.photo(session(c)).pk]),
    Case("activities:sessions_photo_delete", manage(302), args=lambda c: [f.photo(session(c)).pk], method="post"),
    # Only those who attended post a reflection.
    Case(
        "activities:sessions_reflection_save",
        {"member": 302, "outsider": 404},
        args=lambda c: [f.reflection(c).session_id],
        method="post",
        data=lambda c: {"text": "体会"},
    ),
    # Speakers (the colleague), leaders and organizers reply.
    Case(
        "activities:sessions_reflection_reply",
        {"colleague": 302, "organizer": 302, "leader": 302, "city_leader": 302, "outsider": 404},
        args=lambda c: [f.reflection(c).pk],
        method="post",
        data=lambda c: {"text": "说得好"},
    ),
    # 优秀心得: the court's organizers feature a 感想 (leaders and the speaker may not).
    Case(
        "activities:sessions_reflection_feature",
        manage(302),
        args=lambda c: [f.reflection(c).pk],
        method="post",
        data=lambda c: {"action": "feature"},
    ),
    Case("activities:sessions_sign_in", everyone(200, outsider=404), args=lambda c: [soon(c).pk]),
    Case("activities:sessions_code", manage(200), args=lambda c: [soon(c).pk]),
    Case("activities:sessions_code_json", manage(200), args=lambda c: [soon(c).pk]),
    Case("activities:sessions_code_qr", manage(200), args=lambda c: [soon(c).pk]),
    Case("activities:sessions_attendance", manage(200), args=lambda c: [session(c).pk]),
    Case("activities:sessions_attendance_export", manage(200), args=lambda c: [session(c).pk]),
    Case(
        "activities:sessions_attendance_bulk",
        manage(302),
        args=lambda c: [session(c).pk],
        method="post",
        data=lambda c: {"bulk_status": "present", "numbers": c.member.employee_number},
    ),
    Case("activities:sessions_plan", {"organizer": 200}),
    Case("activities:sessions_quarter", {"organizer": 200}),
    Case("activities:sessions_quarter", {"organizer": 200}, query="?year=x&quarter=9&group=abc"),
    Case("activities:sessions_package", {"organizer": 200}),
    Case("activities:sessions_calendar", everyone()),
    Case("activities:sessions_calendar", everyone(), query="?view=week&date=not-a-date"),
    Case("activities:sessions_calendar_court", everyone()),
    Case("activities:sessions_calendar_group", everyone(200, outsider=404), args=lambda c: [f.study_group(c).pk]),
    Case("activities:sessions_feed", everyone()),
    Case(
        "activities:sessions_ical",
        everyone(),
        anon=200,
        args=lambda c: [CalendarFeedToken.objects.create(member=c.member, token="t" * 43).token],
    ),
    Case("activities:sessions_ical", everyone(404), anon=404, args=lambda c: ["not-a-token"]),
    Case("activities:sessions_notification_settings", everyone()),
    Case("activities:sessions_series_list", everyone()),
    Case("activities:sessions_series_create", {"organizer": 200}),
    Case("activities:sessions_series_detail", everyone(200, outsider=404), args=lambda c: [f.series_item(c).plan_id]),
    Case("activities:sessions_series_item_edit", manage(200), args=lambda c: [f.series_item(c).pk]),
    Case(
        "activities:sessions_series_item_move",
        manage(302),
        args=lambda c: [f.series_item(c).pk],
        method="post",
        data=lambda c: {"direction": "down"},
    ),
    Case("activities:sessions_series_item_delete", manage(302), args=lambda c: [f.series_item(c).pk], method="post"),
    Case("activities:sessions_rota_list", everyone()),
    Case("activities:sessions_rota_create", {"organizer": 200}),
    Case("activities:sessions_rota_detail", everyone(200, outsider=404), args=lambda c: [f.rota(c).pk]),
    # The quarter view of a rota: those who run it (organizers, the group leader, the colleague).
    Case("activities:sessions_rota_quarter", manage(200, colleague=200), args=lambda c: [f.rota(c).pk]),
    Case(
        "activities:sessions_rota_quarter",
        manage(200, colleague=200),
        args=lambda c: [f.rota(c).pk],
        query="?year=x&quarter=9",
    ),
    # A city court's group open to the courts below: court A's organizer and president see court A's
    # meetings in its quarter view; its members, court B's member and the city's president do not plan it.
    Case(
        "activities:sessions_rota_quarter",
        everyone(403, organizer=200, leader=200),
        args=lambda c: [cross_court_rota(c).pk],
    ),
    # Only the turn's speaker asks to swap it.
    Case("activities:sessions_swap_create", {"member": 200, "outsider": 404}, args=lambda c: [f.rota_session(c).pk]),
    # The group leader (the colleague) or an organizer decides.
    Case(
        "activities:sessions_swap_decide",
        manage(302, colleague=302),
        args=lambda c: [f.swap(c).pk],
        method="post",
        data=lambda c: {"decision": "reject"},
    ),
    Case("activities:sessions_swap_withdraw", everyone(404, member=302), args=lambda c: [f.swap(c).pk], method="post"),
    # 请假: those expected at a session ask (the city leader sees it but is not in the court).
    Case(
        "activities:sessions_leave_create",
        everyone(200, outsider=404, city_leader=403),
        args=lambda c: [session(c).pk],
    ),
    Case(
        "activities:sessions_leave_create",
        {"member": 302, "outsider": 404, "city_leader": 403},
        default=302,
        args=lambda c: [session(c).pk],
        method="post",
        data=lambda c: {"reason": "外出开庭"},
    ),
    # Organizers, and group leaders (the colleague leads the group), see the leave waiting for them.
    Case(
        "activities:sessions_leave_list",
        {"organizer": 200, "colleague": 200},
        args=lambda c: [] if f.study_group(c) else [],
    ),
    Case(
        "activities:sessions_leave_decide",
        manage(302),
        args=lambda c: [f.leave_request(c).pk],
        method="post",
        data=lambda c: {"decision": "approve"},
    ),
    Case(
        "activities:sessions_leave_withdraw",
        everyone(404, member=302),
        args=lambda c: [f.leave_request(c).pk],
        method="post",
    ),
    Case("activities:sessions_unavailability", everyone()),
    Case(
        "activities:sessions_unavailability_delete",
        everyone(404, member=302, colleague=302, organizer=302),
        args=lambda c: [f.unavailability(c).pk],
        method="post",
    ),
    Case("activities:sessions_share_list", everyone()),
    Case("activities:sessions_share_create", everyone()),
    Case(
        "activities:sessions_share_review_list",
        {"organizer": 200, "colleague": 200},
        args=lambda c: [] if f.study_group(c) else [],
    ),
    Case(
        "activities:sessions_share_review",
        manage(302, colleague=302),
        args=lambda c: [f.share(c).pk],
        method="post",
        data=lambda c: {"decision": "approve"},
    ),
    Case(
        "activities:sessions_share_material",
        {"member": 200, "colleague": 200, "organizer": 200, "leader": 200, "city_leader": 200, "outsider": 404},
        args=lambda c: [f.share(c, with_material=True).pk],
    ),
]
