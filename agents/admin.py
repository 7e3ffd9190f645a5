from django.contrib import admin

from .models import Agent


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "workshop", "table", "priority_rank", "owner_name"]
    search_fields = ["name", "description", "business_process", "owner_name"]
    list_select_related = ["workshop", "table"]
    readonly_fields = ["version", "created_at", "updated_at"]
