from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import (
    AuditEvent,
    Court,
    Department,
    ImportBatch,
    Member,
    Notification,
    NotificationMute,
    PartyBranch,
    PartyGroup,
    RosterValueMapping,
    StudyGroup,
    StudyGroupMembership,
)


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "rankings_enabled"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "court", "head"]
    raw_id_fields = ["head"]
    list_filter = ["court"]
    search_fields = ["name"]


class PartyGroupInline(admin.TabularInline):
    model = PartyGroup
    extra = 0


@admin.register(PartyBranch)
class PartyBranchAdmin(admin.ModelAdmin):
    list_display = ["name", "court", "secretary"]
    list_filter = ["court"]
    search_fields = ["name"]
    raw_id_fields = ["secretary"]
    inlines = [PartyGroupInline]


@admin.register(PartyGroup)
class PartyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "branch"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = StudyGroupMembership
    extra = 0
    raw_id_fields = ["member"]


@admin.register(StudyGroup)
class StudyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "court", "kind", "parent"]
    list_filter = ["court", "kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "employee_number", "court", "department", "title", "post", "role", "is_active"]
    list_filter = ["court", "role", "is_active", "position_category", "post"]
    search_fields = ["name", "employee_number", "title", "user__username"]
    raw_id_fields = ["user", "department", "party_branch", "party_group", "scope_department", "scope_branch"]
    list_select_related = ["court", "department"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "court", "action", "actor", "target_type", "target_id", "ip_address"]
    list_filter = ["action", "court"]
    search_fields = ["action", "target_id", "actor__username"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]


@admin.register(NotificationMute)
class NotificationMuteAdmin(admin.ModelAdmin):
    list_display = ["member", "kind"]
    raw_id_fields = ["member"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: imports happen through the preview and confirmation pages."""

    list_display = ["created_at", "court", "file_name", "created_by", "status", "applied_at", "result"]
    list_filter = ["status", "court"]
    exclude = ["rows"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields if f.name != "rows"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RosterValueMapping)
class RosterValueMappingAdmin(admin.ModelAdmin):
    """What each court means by its own wordings of 岗位类别 and 政治面貌; set in roster previews."""

    list_display = ["court", "field", "raw_value", "value_label", "created_by", "created_at"]
    list_filter = ["court", "field"]
    search_fields = ["raw_value"]
    readonly_fields = ["created_by", "created_at"]

    @admin.display(description=pgettext_lazy("roster", "recorded as"))
    def value_label(self, obj: RosterValueMapping) -> str:
        return obj.value_label or "—"


# django-axes ships no Chinese and names one column by its method ("Status"): give it a label our
# catalogue translates (locale/fragments/members_setup.po holds axes' other words).
if admin.site.is_registered(AccessAttempt):
    AccessAttemptAdmin.status.short_description = _("lock status")
    AccessAttemptAdmin.expiration.short_description = _("expires at")
