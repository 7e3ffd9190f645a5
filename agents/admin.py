from django.contrib import admin

from common.admin import ModelAdmin

from .models import Agent


@admin.register(Agent)
class AgentAdmin(ModelAdmin):
    list_display = ["name", "workshop", "table", "priority_rank", "owner_name"]
    search_fields = ["name", "description", "business_process", "owner_name"]
    list_select_related = ["workshop", "table"]
    readonly_fields = ["version", "created_at", "updated_at"]
