from django.contrib import admin

from .models import ReportFacts, ReportTemplate, Summary, SummaryBuild


@admin.register(Summary)
class SummaryAdmin(admin.ModelAdmin):
    list_display = ["period_kind", "period_start", "unit_kind", "unit_id", "court", "built_at"]
    list_filter = ["period_kind", "unit_kind", "court"]
    date_hierarchy = "period_start"


@admin.register(SummaryBuild)
class SummaryBuildAdmin(admin.ModelAdmin):
    list_display = ["court", "period_kind", "period_start", "status", "progress", "attempts", "finished_at"]
    list_filter = ["status", "period_kind"]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["court", "title", "updated_at"]


@admin.register(ReportFacts)
class ReportFactsAdmin(admin.ModelAdmin):
    """Read-only: the facts are derived, and every build writes them again."""

    list_display = ["court", "period_kind", "period_start", "built_at"]
    list_filter = ["period_kind", "court"]
    date_hierarchy = "period_start"
    readonly_fields = ["court", "period_kind", "period_start", "facts", "built_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
