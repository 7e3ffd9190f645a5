"""The admin's forms follow the text rule too (common.text): a catalogue administrator's edit
is one more path text arrives by. Admin classes derive from these instead of Django's."""

from django.contrib import admin

from .forms import text_rule_apply

# Model fields that name a person or a thing in a list: the stricter rule for names.
NAME_FIELDS = frozenset(
    {
        "client_organisation",
        "display_name",
        "name",
        "owner",
        "owner_name",
        "provider",
        "reviewer_name",
        "reviewer_title",
        "signer_name",
        "signer_title",
        "title",
        "value_driver_other",
    }
)


class TextRulesAdminMixin:
    """Gives every text field of the admin's form the text rule, names the rule for names."""

    name_fields = NAME_FIELDS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            text_rule_apply(field, name=db_field.name in self.name_fields)
        return field


class ModelAdmin(TextRulesAdminMixin, admin.ModelAdmin):
    pass


class TabularInline(TextRulesAdminMixin, admin.TabularInline):
    pass
