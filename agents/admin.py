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

    def has_delete_permission(self, request, obj=None):
        # One agent at a time (no bulk delete), and never one finance signed off: deleting it
        # would delete its sign-offs, which are kept for good.
        if obj is None or obj.finance_signoffs.exists():
            return False
        return super().has_delete_permission(request, obj)
