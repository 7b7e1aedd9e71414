from django.contrib import admin

from ..models import (
    Assessment,
    AssessmentResult,
    Attempt,
    AttemptAnswer,
    Award,
    Contest,
    Entry,
    JudgeAssignment,
    JudgingCriterion,
    Question,
    QuestionOption,
    QuestionTag,
    Quiz,
    QuizDrawRule,
    QuizQuestion,
    Score,
    Vote,
)


class CriterionInline(admin.TabularInline):
    model = JudgingCriterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "court", "kind", "phase", "voting_enabled", "judging_enabled", "vote_closes_at"]
    list_filter = ["court", "kind", "phase", "entries_by_unit", "unit_kind"]
    search_fields = ["title"]
    raw_id_fields = ["judges", "created_by"]
    filter_horizontal = ["audience_departments", "audience_groups"]
    inlines = [CriterionInline]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "member", "contest", "department", "branch", "group", "by_unit"]
    list_filter = ["contest__court", "by_unit"]
    search_fields = ["title", "member__name", "contest__title", "group__name", "branch__name"]
    raw_id_fields = ["contest", "member", "department", "branch", "group"]
    list_select_related = ["member", "contest", "department", "branch", "group"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    """Votes are evidence: read them here, change them through the app (or not at all)."""

    list_display = ["receipt", "contest", "entry", "voter", "slot", "source", "entered_by", "created_at"]
    list_filter = ["source", "contest__court"]
    search_fields = ["receipt", "voter__name", "contest__title"]
    list_select_related = ["contest", "entry", "voter", "entered_by"]
    readonly_fields = [f.name for f in Vote._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JudgingCriterion)
class JudgingCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "max_points", "contest", "order"]
    raw_id_fields = ["contest"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(JudgeAssignment)
class JudgeAssignmentAdmin(admin.ModelAdmin):
    list_display = ["contest", "entry", "judge", "submitted_at"]
    list_filter = ["contest__court"]
    raw_id_fields = ["contest", "entry", "judge"]
    list_select_related = ["contest", "entry", "judge"]
    inlines = [ScoreInline]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["assignment", "criterion", "points"]
    raw_id_fields = ["assignment", "criterion"]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["contest", "entry", "kind", "custom_name", "certificate_rendered_at"]
    list_filter = ["kind", "contest__court"]
    raw_id_fields = ["contest", "entry", "created_by"]
    list_select_related = ["contest", "entry"]


@admin.register(QuestionTag)
class QuestionTagAdmin(admin.ModelAdmin):
    list_display = ["name", "court"]
    list_filter = ["court"]
    search_fields = ["name"]


class OptionInline(admin.TabularInline):
    model = QuestionOption
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "difficulty", "court", "is_active"]
    list_filter = ["court", "kind", "difficulty", "is_active", "tags"]
    search_fields = ["text"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["tags"]
    inlines = [OptionInline]


@admin.register(QuestionOption)
class QuestionOptionAdmin(admin.ModelAdmin):
    list_display = ["text", "question", "is_correct"]
    raw_id_fields = ["question"]


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 0
    raw_id_fields = ["question"]


class DrawRuleInline(admin.TabularInline):
    model = QuizDrawRule
    extra = 0


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "court", "status", "opens_at", "closes_at", "time_limit_minutes"]
    list_filter = ["court", "status", "selection"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["audience_departments", "audience_groups"]
    inlines = [QuizQuestionInline, DrawRuleInline]


@admin.register(QuizQuestion)
class QuizQuestionAdmin(admin.ModelAdmin):
    list_display = ["quiz", "question", "order"]
    raw_id_fields = ["quiz", "question"]


@admin.register(QuizDrawRule)
class QuizDrawRuleAdmin(admin.ModelAdmin):
    list_display = ["quiz", "tag", "count"]
    raw_id_fields = ["quiz", "tag"]


class AttemptAnswerInline(admin.TabularInline):
    model = AttemptAnswer
    extra = 0
    raw_id_fields = ["question"]
    readonly_fields = ["order", "option_order", "response", "is_correct", "answered_at"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "member", "number", "status", "score", "started_at", "deadline", "submitted_at"]
    list_filter = ["status", "quiz__court"]
    search_fields = ["member__name", "quiz__title"]
    raw_id_fields = ["quiz", "member"]
    list_select_related = ["quiz", "member"]
    inlines = [AttemptAnswerInline]


@admin.register(AttemptAnswer)
class AttemptAnswerAdmin(admin.ModelAdmin):
    list_display = ["attempt", "order", "question", "is_correct"]
    raw_id_fields = ["attempt", "question"]


class ResultInline(admin.TabularInline):
    model = AssessmentResult
    extra = 0
    raw_id_fields = ["member", "recorded_by"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_on", "court"]
    list_filter = ["court", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    inlines = [ResultInline]


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["assessment", "member", "score", "chars_per_minute", "accuracy"]
    list_filter = ["assessment__kind", "assessment__court"]
    search_fields = ["member__name", "assessment__title"]
    raw_id_fields = ["assessment", "member", "recorded_by"]
    list_select_related = ["assessment", "member"]
