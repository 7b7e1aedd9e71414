from django.contrib import admin

from ..models.plans import (
    Application,
    BatchSquad,
    Compilation,
    CompilationItem,
    MemberOutcome,
    MonthlyPlan,
    OutputAuthor,
    PlanItem,
    Qualification,
    RecruitmentBatch,
    ResearchOutput,
)


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    fk_name = "plan"
    extra = 0
    raw_id_fields = ["assigned_by", "carried_from"]


@admin.register(MonthlyPlan)
class MonthlyPlanAdmin(admin.ModelAdmin):
    list_display = ["member", "year", "month", "reported_at", "reopened_until"]
    list_filter = ["year", "month", "member__court"]
    search_fields = ["member__name", "member__employee_number"]
    raw_id_fields = ["member"]
    inlines = [PlanItemInline]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["text", "plan", "kind", "status", "assigned_by"]
    list_filter = ["kind", "status"]
    search_fields = ["text", "plan__member__name"]
    raw_id_fields = ["plan", "assigned_by", "carried_from"]


class OutputAuthorInline(admin.TabularInline):
    model = OutputAuthor
    extra = 0
    raw_id_fields = ["member"]


@admin.register(ResearchOutput)
class ResearchOutputAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "court", "date", "level", "recognition"]
    list_filter = ["kind", "level", "recognition", "court"]
    search_fields = ["title", "outlet", "authors__name"]
    date_hierarchy = "date"
    raw_id_fields = ["created_by"]
    inlines = [OutputAuthorInline]


@admin.register(OutputAuthor)
class OutputAuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "output", "position", "member"]
    search_fields = ["name", "output__title"]
    raw_id_fields = ["output", "member"]


class CompilationItemInline(admin.TabularInline):
    model = CompilationItem
    extra = 0
    raw_id_fields = ["output"]


@admin.register(Compilation)
class CompilationAdmin(admin.ModelAdmin):
    list_display = ["title", "court", "status", "progress", "built_at"]
    list_filter = ["status", "court"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    inlines = [CompilationItemInline]


@admin.register(CompilationItem)
class CompilationItemAdmin(admin.ModelAdmin):
    list_display = ["compilation", "position", "output"]
    raw_id_fields = ["compilation", "output"]


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    raw_id_fields = ["member", "decided_by"]


@admin.register(RecruitmentBatch)
class RecruitmentBatchAdmin(admin.ModelAdmin):
    list_display = ["group", "number", "capacity", "opens_on", "closes_on", "squads_formed_at"]
    list_filter = ["group__court"]
    raw_id_fields = ["created_by"]
    inlines = [ApplicationInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["member", "batch", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["member__name"]
    raw_id_fields = ["batch", "member", "decided_by"]


@admin.register(BatchSquad)
class BatchSquadAdmin(admin.ModelAdmin):
    list_display = ["group", "batch", "position"]
    raw_id_fields = ["batch", "group"]


@admin.register(MemberOutcome)
class MemberOutcomeAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "description", "date", "batch"]
    list_filter = ["kind"]
    search_fields = ["member__name", "description"]
    raw_id_fields = ["member", "batch", "recorded_by"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["member", "name", "issuer", "issued_on"]
    list_filter = ["name"]
    search_fields = ["member__name", "name", "issuer", "number"]
    raw_id_fields = ["member", "recorded_by"]
