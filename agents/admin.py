from django.contrib import admin

from common.admin import ModelAdmin

from .models import Agent


@admin.register(Agent)
class AgentAdmin(ModelAdmin):
    list_display = ["name", "workshop", "table", "priority_rank", "owner_name"]
    search_fields = ["name", "description", "business_process", "owner_name"]
    list_select_related = ["workshop", "table"]
    # The copied list price changes only by saving the workload or re-pricing the workshop.
    readonly_fields = [
        "version",
        "created_at",
        "updated_at",
        "workload_price_date",
        "workload_input_usd_per_mtok",
        "workload_output_usd_per_mtok",
        "workload_cached_input_usd_per_mtok",
    ]
