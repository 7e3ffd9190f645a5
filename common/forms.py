"""The project's form base: every text field follows the text rule (common.text) by default.

A form lists the fields that hold names in NAME_FIELDS; those follow the stricter rule for
names. Fields added in `__init__` are covered too: the rule is applied when the form cleans.
"""

import contextlib
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, ProhibitNullCharactersValidator

from . import numbers
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


class NumberField(forms.Field):
    """A number read with common.numbers in the form's number format, between `min_value` and
    `max_value`; `whole` for counts. Errors are sentences naming `what` and an `example`;
    `read_as` is the value written back in the format, to show what was understood."""

    uses_number_format = True

    def __init__(
        self,
        *,
        what: str,
        example: str,
        min_value=None,
        max_value=None,
        whole: bool = False,
        exclusive_min: bool = False,
        percent: bool = False,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs,
    ):
        self.min_value = None if min_value is None else Decimal(min_value)
        self.max_value = None if max_value is None else Decimal(max_value)
        self.what, self.example = what, example
        self.whole, self.exclusive_min, self.percent = whole, exclusive_min, percent
        self.number_format = numbers.DEFAULT
        self.read_as = ""
        kwargs.setdefault(
            "error_messages", {"required": f"Enter the {what}, for example {example}."}
        )
        super().__init__(**kwargs)
        if max_digits is not None:
            # Its errors take this field's "max_digits", "max_decimal_places" and
            # "max_whole_digits" messages (Field.run_validators).
            self.validators.append(DecimalValidator(max_digits, decimal_places))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric" if self.whole else "decimal", "autocomplete": "off"})
        return attrs

    def _shown(self, value) -> str:
        return numbers.format_number(Decimal(value), self.number_format)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
        else:
            text = str(value).strip()
            if self.percent:
                text = text.removesuffix("%").rstrip()
            try:
                number = numbers.parse_number(text, self.number_format, example=self.example)
            except numbers.NumberError as error:
                if str(error).startswith("Read in"):
                    raise forms.ValidationError(str(error)) from None
                kind = "a whole number" if self.whole else "a number"
                raise forms.ValidationError(
                    self.error_messages.get("invalid")
                    or f"Enter the {self.what} as {kind}, for example {self.example}."
                ) from None
        if self.whole:
            if number != number.to_integral_value():
                raise forms.ValidationError(
                    f"Enter the {self.what} as a whole number, for example {self.example}."
                )
            if self.max_value is not None and abs(number) > self.max_value * 10:
                raise forms.ValidationError(self._too_big())
            number = int(number)
        self.read_as = self._shown(number)
        return number

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return self._shown(value)
        return value

    def _too_big(self) -> str:
        return f"The {self.what} can be at most {self._shown(self.max_value)}."

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        low, high = self.min_value, self.max_value
        if low is not None:
            if value < 0 <= low:
                raise forms.ValidationError(f"The {self.what} cannot be negative.")
            if value < low or (self.exclusive_min and value == low):
                bound = "more than" if self.exclusive_min else "at least"
                raise forms.ValidationError(f"The {self.what} must be {bound} {self._shown(low)}.")
        if high is not None and value > high:
            raise forms.ValidationError(self._too_big())


class NumberFormatMixin:
    """Gives the form's NumberFields the number format to read with: `number_format` (a key
    of common.numbers.FORMATS or a NumberFormat; the default reads "1,234.56")."""

    def __init__(self, *args, number_format=None, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(number_format, numbers.NumberFormat):
            self.number_format = number_format
        else:
            self.number_format = numbers.number_format(number_format)
        self._number_fields_follow()

    def _number_fields_follow(self):
        """Give every NumberField the form's format (call again after adding fields). Initial
        values given as plain text ("35.5") then show in that format too."""
        if not self.is_bound:
            self.initial = dict(self.initial)
            for name, field in self.fields.items():
                value = self.initial.get(name)
                if getattr(field, "uses_number_format", False) and isinstance(value, str):
                    with contextlib.suppress(ArithmeticError):
                        self.initial[name] = Decimal(value)
        for field in self.fields.values():
            if getattr(field, "uses_number_format", False):
                field.number_format = self.number_format

    def full_clean(self):
        self._number_fields_follow()
        super().full_clean()


class Form(NumberFormatMixin, TextRulesMixin, forms.Form):
    """A Django form whose text fields follow the text rule and whose NumberFields read the
    workshop's number format (`number_format=`)."""


class ModelForm(NumberFormatMixin, TextRulesMixin, forms.ModelForm):
    """A Django model form whose text fields follow the text rule and whose NumberFields read
    the workshop's number format (`number_format=`)."""


NumberForm = Form


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on `form`: errors of fields the form shows by those
    fields, the rest (and errors not tied to a field) above the fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
