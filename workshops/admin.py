from django.apps import apps
from django.contrib import admin

from .models import ActionItem, AgendaItem, BreakoutTable, Participant, PreworkItem, Workshop


class BreakoutTableInline(admin.TabularInline):
    model = BreakoutTable
    extra = 0
    readonly_fields = ["join_code"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "block", "title", "planned_minutes", "facilitator_notes"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["client_organisation", "title", "date", "status", "currency", "revision"]
    list_filter = ["status", "currency"]
    search_fields = ["client_organisation", "title", "venue"]
    filter_horizontal = ["facilitators", "finance_reviewers"]
    readonly_fields = ["revision", "created_at", "updated_at"]
    inlines = [BreakoutTableInline, AgendaItemInline]

    # Models never deleted on their own (finance sign-offs are kept, so are the agents that
    # carry them) but deleted with their whole workshop.
    DELETED_WITH_THE_WORKSHOP = ("targets.FinanceSignOff", "agents.Agent")

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        names = {
            str(apps.get_model(label)._meta.verbose_name)
            for label in self.DELETED_WITH_THE_WORKSHOP
        }
        return deleted, counts, perms_needed - names, protected


@admin.register(BreakoutTable)
class BreakoutTableAdmin(admin.ModelAdmin):
    list_display = ["name", "workshop", "join_code", "locked"]
    list_filter = ["locked"]
    search_fields = ["name", "workshop__client_organisation"]
    list_select_related = ["workshop"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["display_name", "table", "joined_at", "last_seen_at", "removed"]
    list_select_related = ["table"]
    exclude = ["token"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "workshop", "block", "position", "planned_minutes"]
    list_filter = ["block"]
    list_select_related = ["workshop"]


@admin.register(PreworkItem)
class PreworkItemAdmin(admin.ModelAdmin):
    list_display = ["title", "workshop", "status"]
    list_filter = ["status"]
    list_select_related = ["workshop"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["action", "owner", "due_date", "status", "origin", "workshop"]
    list_filter = ["status", "origin"]
    search_fields = ["action", "owner"]
    list_select_related = ["workshop"]
