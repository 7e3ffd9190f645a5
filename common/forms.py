"""The project's form base: every text field follows the text rule (common.text) by default.

A form lists the fields that hold names in NAME_FIELDS; those follow the stricter rule for
names. Fields added in `__init__` are covered too: the rule is applied when the form cleans.
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from .text import normalise_newlines, validate_name, validate_text

RULES = (validate_text, validate_name)


def text_rule_apply(field: forms.Field, *, name: bool = False) -> None:
    """Give a CharField the text rule (or the name rule), replacing Django's own NUL check,
    whose message the text rule's makes more precise. Other fields are left alone."""
    if not isinstance(field, forms.CharField):
        return
    rule = validate_name if name else validate_text
    kept = [
        validator
        for validator in field.validators
        if validator not in RULES and not isinstance(validator, ProhibitNullCharactersValidator)
    ]
    field.validators = [*kept, rule]


class TextRulesMixin:
    """Applies the text rule to every CharField of the form and stores text with LF line
    ends; the fields named in NAME_FIELDS get the rule for names."""

    NAME_FIELDS: tuple[str, ...] = ()

    def full_clean(self):
        for field_name, field in self.fields.items():
            text_rule_apply(field, name=field_name in self.NAME_FIELDS)
        super().full_clean()

    def clean(self):
        data = super().clean()
        for field_name, field in self.fields.items():
            value = data.get(field_name)
            if isinstance(field, forms.CharField) and isinstance(value, str):
                data[field_name] = normalise_newlines(value)
        return data


class Form(TextRulesMixin, forms.Form):
    """A Django form whose text fields follow the text rule."""
