from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    Book,
    BookCategory,
    BookRecommendation,
    Donation,
    DonationItem,
    PartnerOrganization,
    ReadingCampaign,
    ReadingLog,
    ReadingPlan,
    ReadingPlanItem,
    Reflection,
)


@admin.register(ReadingCampaign)
class ReadingCampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "court", "starts_on", "ends_on", "status", "audience", "goal_books"]
    list_filter = ["status", "audience", "court"]
    search_fields = ["title"]
    filter_horizontal = ["departments", "study_groups"]
    raw_id_fields = ["recommenders", "created_by"]
    date_hierarchy = "starts_on"


@admin.register(BookCategory)
class BookCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "publisher", "year", "isbn", "category"]
    list_filter = ["category"]
    search_fields = ["title", "author", "isbn"]
    raw_id_fields = ["added_by"]


@admin.register(BookRecommendation)
class BookRecommendationAdmin(admin.ModelAdmin):
    list_display = ["book", "recommender", "campaign", "poster_status", "revision", "poster_revision", "created_at"]
    list_filter = ["poster_status", "campaign__court"]
    search_fields = ["book__title", "recommender__name", "text"]
    raw_id_fields = ["book", "recommender", "campaign"]
    readonly_fields = ["revision", "poster_revision", "poster_error"]
    actions = ["redraw_posters"]

    @admin.action(description=_("Draw the posters again"))
    def redraw_posters(self, request, queryset):
        from ..services.reading import recommendation_retry_posters

        for recommendation in queryset:
            recommendation_retry_posters(recommendation=recommendation)

    def save_model(self, request, obj, form, change):
        # An edit here changes what the posters show: draw them again, as the app does.
        from ..services.reading import recommendation_retry_posters

        super().save_model(request, obj, form, change)
        if change and form.has_changed():
            recommendation_retry_posters(recommendation=obj)


class ReadingPlanItemInline(admin.TabularInline):
    model = ReadingPlanItem
    raw_id_fields = ["book"]
    extra = 0


@admin.register(ReadingPlan)
class ReadingPlanAdmin(admin.ModelAdmin):
    list_display = ["member", "campaign", "updated_at"]
    list_filter = ["campaign"]
    search_fields = ["member__name"]
    raw_id_fields = ["member", "campaign"]
    inlines = [ReadingPlanItemInline]


@admin.register(ReadingLog)
class ReadingLogAdmin(admin.ModelAdmin):
    list_display = ["member", "book", "day", "minutes", "pages", "finished"]
    list_filter = ["finished"]
    search_fields = ["member__name", "book__title"]
    raw_id_fields = ["member", "book"]
    date_hierarchy = "day"


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "book", "campaign", "submitted_at", "featured_at"]
    list_filter = ["status", "author__court"]
    search_fields = ["title", "author__name", "body"]
    raw_id_fields = ["author", "book", "campaign", "reviewed_by"]
    readonly_fields = ["body_html"]


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "court", "contact"]
    list_filter = ["kind", "court"]
    search_fields = ["name"]


class DonationItemInline(admin.TabularInline):
    model = DonationItem
    extra = 0


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ["day", "partner", "court", "campaign"]
    list_filter = ["court"]
    raw_id_fields = ["partner", "campaign", "created_by"]
    inlines = [DonationItemInline]


@admin.register(ReadingPlanItem)
class ReadingPlanItemAdmin(admin.ModelAdmin):
    list_display = ["book", "plan", "target_month"]
    raw_id_fields = ["plan", "book"]
    date_hierarchy = "target_month"


@admin.register(DonationItem)
class DonationItemAdmin(admin.ModelAdmin):
    list_display = ["title", "count", "donation"]
    search_fields = ["title"]
    raw_id_fields = ["donation"]
