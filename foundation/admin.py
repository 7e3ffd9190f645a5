from django.contrib import admin

from common.admin import ModelAdmin, TabularInline

from .models import Answer, GlossaryTerm, LLMModel, PricePoint, Question, QuestionRun, QuizRound


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ModelAdmin):
    list_display = ["term", "category", "aliases"]
    list_filter = ["category"]
    search_fields = ["term", "aliases", "definition"]


class PricePointInline(TabularInline):
    model = PricePoint
    extra = 0
    ordering = ["effective_date"]


@admin.register(LLMModel)
class LLMModelAdmin(ModelAdmin):
    list_display = ["name", "provider", "tier", "context_window"]
    list_filter = ["tier", "provider"]
    search_fields = ["name", "provider"]
    inlines = [PricePointInline]


@admin.register(PricePoint)
class PricePointAdmin(ModelAdmin):
    list_display = [
        "model",
        "effective_date",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "source",
    ]
    list_filter = ["model__tier", "model__provider"]
    list_select_related = ["model"]
    search_fields = ["model__name", "source"]
    date_hierarchy = "effective_date"


@admin.register(Question)
class QuestionAdmin(ModelAdmin):
    list_display = ["position", "text", "concept", "active"]
    list_display_links = ["text"]
    list_editable = ["position", "active"]
    search_fields = ["text", "concept"]


class QuestionRunInline(TabularInline):
    model = QuestionRun
    extra = 0
    fields = ["question", "status", "opened_at", "closed_at"]
    readonly_fields = ["opened_at", "closed_at"]


@admin.register(QuizRound)
class QuizRoundAdmin(ModelAdmin):
    list_display = ["workshop", "current_run", "created_at"]
    list_select_related = ["workshop", "current_run__question"]
    inlines = [QuestionRunInline]


@admin.register(Answer)
class AnswerAdmin(ModelAdmin):
    list_display = ["run", "participant", "choice", "answered_at"]
    list_select_related = ["run__question", "participant__table"]
