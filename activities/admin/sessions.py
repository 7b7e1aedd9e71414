from django.contrib import admin

from ..models.sessions import (
    Attendance,
    CalendarDay,
    CalendarFeedToken,
    CourtCalendarDay,
    HolidayCalendar,
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


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 1


@admin.register(HolidayCalendar)
class HolidayCalendarAdmin(admin.ModelAdmin):
    list_display = ["year", "provisional", "source"]
    inlines = [CalendarDayInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "calendar"]
    list_filter = ["kind", "calendar"]
    date_hierarchy = "date"


@admin.register(CourtCalendarDay)
class CourtCalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "court", "kind", "name", "created_by"]
    list_filter = ["kind", "court"]
    date_hierarchy = "date"
    raw_id_fields = ["created_by"]


@admin.register(SessionKind)
class SessionKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    raw_id_fields = ["member"]


class MaterialInline(admin.TabularInline):
    model = SessionMaterial
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "court", "start", "status", "place"]
    list_filter = ["status", "kind", "court"]
    search_fields = ["title", "topic"]
    date_hierarchy = "start"
    raw_id_fields = ["created_by", "reserve_speaker", "series_item", "recurrence"]
    filter_horizontal = ["audience_departments", "audience_branches", "audience_groups"]
    inlines = [SpeakerInline, MaterialInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "member", "status", "signed_in_at", "method"]
    list_filter = ["status", "method"]
    raw_id_fields = ["session", "member", "marked_by"]


class SeriesItemInline(admin.TabularInline):
    model = SeriesItem
    extra = 1


@admin.register(SeriesPlan)
class SeriesPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "court", "unit_branch", "unit_group", "is_active"]
    inlines = [SeriesItemInline]


@admin.register(SeriesItem)
class SeriesItemAdmin(admin.ModelAdmin):
    list_display = ["plan", "position", "topic"]


@admin.register(Rota)
class RotaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "court", "is_active", "created_at"]
    list_filter = ["court"]
    raw_id_fields = ["group", "branch", "department", "created_by"]


@admin.register(Recurrence)
class RecurrenceAdmin(admin.ModelAdmin):
    list_display = ["frequency", "first_day", "last_day", "court", "created_by", "created_at"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["session", "member", "guest_name", "role"]
    raw_id_fields = ["session", "member"]


@admin.register(SessionMaterial)
class SessionMaterialAdmin(admin.ModelAdmin):
    list_display = ["session", "original_name", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["session", "uploaded_by"]


@admin.register(SessionPhoto)
class SessionPhotoAdmin(admin.ModelAdmin):
    list_display = ["session", "caption", "uploaded_at"]
    raw_id_fields = ["session", "uploaded_by"]


@admin.register(SessionReflection)
class SessionReflectionAdmin(admin.ModelAdmin):
    list_display = ["session", "author", "created_at"]
    raw_id_fields = ["session", "author"]


@admin.register(ReflectionReply)
class ReflectionReplyAdmin(admin.ModelAdmin):
    list_display = ["reflection", "author", "created_at"]
    raw_id_fields = ["reflection", "author"]


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["member", "first_day", "last_day", "reason"]
    raw_id_fields = ["member", "created_by"]


@admin.register(SwapRequest)
class SwapRequestAdmin(admin.ModelAdmin):
    list_display = ["session", "requester", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["session", "requester", "other_session", "substitute", "decided_by"]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):
    list_display = ["session", "member", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["session", "member", "decided_by"]


@admin.register(SelfReportedShare)
class SelfReportedShareAdmin(admin.ModelAdmin):
    list_display = ["topic", "member", "date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["member", "reviewed_by"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["member", "created_at"]
    raw_id_fields = ["member"]
    readonly_fields = ["token"]
