from django.apps import apps
from django.contrib import admin

from common.admin import ModelAdmin, TabularInline
from common.forms import ModelForm

from .models import ActionItem, AgendaItem, BreakoutTable, Participant, PreworkItem, Workshop
from .roles import is_facilitator


class BreakoutTableInline(TabularInline):
    model = BreakoutTable
    extra = 0
    readonly_fields = ["join_code"]


class AgendaItemInline(TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "block", "title", "planned_minutes", "facilitator_notes"]


class WorkshopAdminForm(ModelForm):
    """Whoever runs a workshop never reviews it for finance: the same rules as the console."""

    NAME_FIELDS = ("client_organisation", "title")

    class Meta:
        model = Workshop
        fields = "__all__"  # noqa: DJ007  (the admin lays out the fields)

    def clean(self):
        data = super().clean()
        facilitators = list(data.get("facilitators") or [])
        reviewers = list(data.get("finance_reviewers") or [])
        if both := sorted(
            {u.get_username() for u in facilitators} & {u.get_username() for u in reviewers}
        ):
            self.add_error(
                "finance_reviewers",
                f"{', '.join(both)} facilitate this workshop, so they cannot also review it for "
                "finance.",
            )
        if supers := sorted(u.get_username() for u in reviewers if u.is_superuser):
            self.add_error(
                "finance_reviewers",
                f"{', '.join(supers)} can run every workshop (superuser), so they cannot review "
                "one for finance.",
            )
        if missing := sorted(u.get_username() for u in facilitators if not is_facilitator(u)):
            self.add_error(
                "facilitators",
                f"{', '.join(missing)} do not have the facilitator role: add them to the "
                "Facilitators group first.",
            )
        return data


@admin.register(Workshop)
class WorkshopAdmin(ModelAdmin):
    form = WorkshopAdminForm
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

    def get_readonly_fields(self, request, obj=None):
        # A new pricing date goes through the console's re-pricing, which voids what it changes.
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else [*fields, "pricing_date"]


@admin.register(BreakoutTable)
class BreakoutTableAdmin(ModelAdmin):
    list_display = ["name", "workshop", "join_code", "locked"]
    list_filter = ["locked"]
    search_fields = ["name", "workshop__client_organisation"]
    list_select_related = ["workshop"]


@admin.register(Participant)
class ParticipantAdmin(ModelAdmin):
    list_display = ["display_name", "table", "joined_at", "last_seen_at", "removed"]
    list_select_related = ["table"]
    exclude = ["token"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ModelAdmin):
    list_display = ["title", "workshop", "block", "position", "planned_minutes"]
    list_filter = ["block"]
    list_select_related = ["workshop"]


@admin.register(PreworkItem)
class PreworkItemAdmin(ModelAdmin):
    list_display = ["title", "workshop", "status"]
    list_filter = ["status"]
    list_select_related = ["workshop"]


@admin.register(ActionItem)
class ActionItemAdmin(ModelAdmin):
    list_display = ["action", "owner", "due_date", "status", "origin", "workshop"]
    list_filter = ["status", "origin"]
    search_fields = ["action", "owner"]
    list_select_related = ["workshop"]
