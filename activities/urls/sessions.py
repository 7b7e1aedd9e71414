from django.urls import path

from ..views.sessions import attendance, calendars, core, exports, holidays, leave, planning, rotas, series, shares

urlpatterns = [
    path("sessions/", core.session_list, name="sessions_list"),
    path("sessions/new/", core.session_create, name="sessions_create"),
    path("sessions/<int:pk>/", core.session_detail, name="sessions_detail"),
    path("sessions/<int:pk>/edit/", core.session_edit, name="sessions_edit"),
    path("sessions/<int:pk>/cancel/", core.session_cancel, name="sessions_cancel"),
    path("sessions/<int:pk>/minutes/", core.session_minutes, name="sessions_minutes"),
    path("sessions/<int:pk>/speakers/", core.speaker_add, name="sessions_speaker_add"),
    path("sessions/speakers/<int:pk>/remove/", core.speaker_remove, name="sessions_speaker_remove"),
    path("sessions/<int:pk>/materials/", core.material_add, name="sessions_material_add"),
    path("sessions/materials/<int:pk>/", core.material_download, name="sessions_material_download"),
    path("sessions/materials/<int:pk>/delete/", core.material_delete, name="sessions_material_delete"),
    path("sessions/<int:pk>/photos/", core.photo_add, name="sessions_photo_add"),
    path("sessions/photos/<int:pk>/", core.photo_view, name="sessions_photo"),
    path("sessions/photos/<int:pk>/delete/", core.photo_delete, name="sessions_photo_delete"),
    path("sessions/<int:pk>/reflection/", core.reflection_save, name="sessions_reflection_save"),
    path("sessions/reflections/<int:pk>/reply/", core.reflection_reply, name="sessions_reflection_reply"),
    path("sessions/reflections/<int:pk>/feature/", core.reflection_feature, name="sessions_reflection_feature"),
    # Sign-in and attendance
    path("sessions/<int:pk>/sign-in/", attendance.sign_in, name="sessions_sign_in"),
    path("sessions/<int:pk>/code/", attendance.code_display, name="sessions_code"),
    path("sessions/<int:pk>/code.json", attendance.code_json, name="sessions_code_json"),
    path("sessions/<int:pk>/code.png", attendance.code_qr, name="sessions_code_qr"),
    path("sessions/<int:pk>/attendance/", attendance.attendance_manage, name="sessions_attendance"),
    path("sessions/<int:pk>/attendance/bulk/", attendance.attendance_bulk, name="sessions_attendance_bulk"),
    path("sessions/<int:pk>/attendance.xlsx", attendance.attendance_export, name="sessions_attendance_export"),
    # A court's holidays and 调休 days over the national calendar
    path("courts/<int:pk>/holidays/", holidays.court_holidays, name="holidays"),
    path("holidays/<int:pk>/delete/", holidays.court_holiday_delete, name="holidays_delete"),
    # Planning
    path("sessions/plan/", planning.plan_quarter, name="sessions_plan"),
    path("sessions/quarter/", planning.quarter_overview, name="sessions_quarter"),
    path("sessions/package/", exports.package, name="sessions_package"),
    # Calendars and the feed
    path("sessions/calendar/", calendars.my_calendar, name="sessions_calendar"),
    path("sessions/calendar/court/", calendars.court_calendar, name="sessions_calendar_court"),
    path("sessions/groups/<int:pk>/calendar/", calendars.group_calendar, name="sessions_calendar_group"),
    path("sessions/calendar/feed/", calendars.feed_settings, name="sessions_feed"),
    path("sessions/ical/<str:token>.ics", calendars.ical_feed, name="sessions_ical"),
    path("sessions/notification-settings/", calendars.notification_settings, name="sessions_notification_settings"),
    # Series plans
    path("sessions/series/", series.series_list, name="sessions_series_list"),
    path("sessions/series/new/", series.series_create, name="sessions_series_create"),
    path("sessions/series/<int:pk>/", series.series_detail, name="sessions_series_detail"),
    path("sessions/series/items/<int:pk>/edit/", series.series_item_edit, name="sessions_series_item_edit"),
    path("sessions/series/items/<int:pk>/move/", series.series_item_move, name="sessions_series_item_move"),
    path("sessions/series/items/<int:pk>/delete/", series.series_item_delete, name="sessions_series_item_delete"),
    # Rotas, swaps, unavailability
    path("sessions/rotas/", rotas.rota_list, name="sessions_rota_list"),
    path("sessions/rotas/new/", rotas.rota_create, name="sessions_rota_create"),
    path("sessions/rotas/<int:pk>/", rotas.rota_detail, name="sessions_rota_detail"),
    path("sessions/rotas/<int:pk>/quarter/", planning.rota_quarter, name="sessions_rota_quarter"),
    path("sessions/<int:pk>/swap/", rotas.swap_create, name="sessions_swap_create"),
    path("sessions/swaps/<int:pk>/decide/", rotas.swap_decide, name="sessions_swap_decide"),
    path("sessions/swaps/<int:pk>/withdraw/", rotas.swap_withdraw, name="sessions_swap_withdraw"),
    path("sessions/unavailability/", rotas.unavailability, name="sessions_unavailability"),
    path(
        "sessions/unavailability/<int:pk>/delete/", rotas.unavailability_delete, name="sessions_unavailability_delete"
    ),
    # Leave (请假)
    path("sessions/<int:pk>/leave/", leave.leave_create, name="sessions_leave_create"),
    path("sessions/leave/", leave.leave_list, name="sessions_leave_list"),
    path("sessions/leave/<int:pk>/decide/", leave.leave_decide, name="sessions_leave_decide"),
    path("sessions/leave/<int:pk>/withdraw/", leave.leave_withdraw, name="sessions_leave_withdraw"),
    # Self-reported shares
    path("sessions/shares/", shares.share_list, name="sessions_share_list"),
    path("sessions/shares/new/", shares.share_create, name="sessions_share_create"),
    path("sessions/shares/review/", shares.share_review_list, name="sessions_share_review_list"),
    path("sessions/shares/<int:pk>/review/", shares.share_review, name="sessions_share_review"),
    path("sessions/shares/<int:pk>/material/", shares.share_material, name="sessions_share_material"),
]
