from django.contrib import admin

from common.admin import ModelAdmin

from .models import AgentKpi, KpiDefinition


@admin.register(KpiDefinition)
class KpiDefinitionAdmin(ModelAdmin):
    list_display = ["name", "category", "serves", "unit", "direction", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["category", "serves", "active"]
    search_fields = ["name", "definition", "typical_data_sources"]
    ordering = ["position", "name"]


@admin.register(AgentKpi)
class AgentKpiAdmin(ModelAdmin):
    list_display = ["name", "agent", "category", "feasibility", "baseline_value", "no_baseline"]
    list_filter = ["category", "feasibility", "no_baseline", "agent__workshop"]
    search_fields = ["name", "agent__name", "data_source_system", "data_source_owner"]
    list_select_related = ["agent"]
    raw_id_fields = ["agent"]
    readonly_fields = ["version", "created_at", "updated_at"]
