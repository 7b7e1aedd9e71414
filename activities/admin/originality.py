"""Originality check results, read-only: the task writes them (activities.services.originality);
a site admin looks, for example to see why a text was or was not matched."""

from django.contrib import admin

from ..models.originality import OriginalityCheck, OriginalityMatch, TextSignature


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OriginalityMatchInline(admin.TabularInline):
    model = OriginalityMatch
    fields = ["source", "similarity"]
    readonly_fields = fields
    raw_id_fields = ["source"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OriginalityCheck)
class OriginalityCheckAdmin(ReadOnlyAdmin):
    list_display = ["kind", "object_id", "similarity", "checked_at"]
    list_filter = ["kind"]
    date_hierarchy = "checked_at"
    inlines = [OriginalityMatchInline]


@admin.register(TextSignature)
class TextSignatureAdmin(ReadOnlyAdmin):
    list_display = ["kind", "object_id", "court", "author", "group_key", "written_at", "size"]
    list_filter = ["kind"]
    list_select_related = ["court", "author"]
    fields = ["kind", "object_id", "court", "author", "group_key", "written_at", "digest", "size"]
    search_fields = ["group_key"]
