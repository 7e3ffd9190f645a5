"""Block 3 form: one KPI of an agent, from the library or custom, with its data source,
measurement feasibility and baseline."""

from django import forms
from django.utils import timezone

from common.forms import Form, NumberField

from . import rules
from .models import KpiDefinition

RELOAD_MESSAGE = "This form is out of date. Reload the page and make your change again."

NUMBER_MESSAGE = "Enter the baseline as a number, e.g. 120 or 4.5 (no units)."
DATE_MESSAGE = "Enter the date as YYYY-MM-DD, e.g. 2026-11-30."
TEXT_FIELDS = ["name", "unit", "data_source_system", "data_source_owner", "baseline_source"]


class AgentKpiForm(Form):
    NAME_FIELDS = ("name",)

    name = forms.CharField(label="KPI", required=False, strip=True)
    category = forms.ChoiceField(
        label="Category",
        choices=rules.CATEGORY_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose one of the four KPI categories."},
    )
    unit = forms.CharField(label="Unit", required=False, strip=True)
    direction = forms.ChoiceField(
        label="Which way is better?",
        choices=rules.DIRECTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether higher or lower is better for this KPI.",
            "invalid_choice": "Say whether higher or lower is better for this KPI.",
        },
    )
    data_source_system = forms.CharField(label="Data source (system)", required=False)
    data_source_owner = forms.CharField(label="Data owner", required=False)
    measurement_frequency = forms.ChoiceField(
        label="Measured",
        choices=[("", "Choose how often"), *rules.FREQUENCY_CHOICES],
        error_messages={
            "required": "Say how often the KPI will be measured.",
            "invalid_choice": "Say how often the KPI will be measured.",
        },
    )
    feasibility = forms.ChoiceField(
        label="Can you measure it today?",
        choices=rules.FEASIBILITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you can measure this today.",
            "invalid_choice": "Say whether you can measure this today.",
        },
    )
    baseline_value = NumberField(
        label="Baseline value (today)",
        required=False,
        what="baseline",
        example="120",
        max_digits=20,
        decimal_places=4,
        error_messages={
            "invalid": NUMBER_MESSAGE,
            "max_digits": "That number is too large for a baseline. Check the unit and the digits.",
            "max_whole_digits": (
                "That number is too large for a baseline. Check the unit and the digits."
            ),
            "max_decimal_places": "Use at most 4 decimal places.",
        },
    )
    baseline_as_of = forms.DateField(
        label="Measured on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_MESSAGE},
    )
    baseline_source = forms.CharField(label="Baseline source", required=False)
    instrument_by = forms.DateField(
        label="To be instrumented by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_MESSAGE},
    )
    no_baseline = forms.BooleanField(label="No baseline yet", required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": RELOAD_MESSAGE,
            "invalid": RELOAD_MESSAGE,
            "min_value": RELOAD_MESSAGE,
        },
    )

    def __init__(
        self,
        *args,
        definition: KpiDefinition | None = None,
        editing=False,
        currency: str = "EUR",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.currency = currency
        if not editing:
            del self.fields["version"]

    def clean(self):
        data = super().clean()
        for name in TEXT_FIELDS:
            data[name] = " ".join((data.get(name) or "").split())
        if self.definition is not None:
            data["category"] = self.definition.category
        elif not data.get("category") and "category" not in self.errors:
            self.add_error("category", "Choose the KPI's category.")
        if self.errors:
            return data
        errors = rules.kpi_errors(
            name=data["name"],
            unit=data["unit"],
            category=data["category"],
            direction=data["direction"],
            measurement_frequency=data["measurement_frequency"],
            feasibility=data["feasibility"],
            data_source_system=data["data_source_system"],
            data_source_owner=data["data_source_owner"],
            baseline_value=data.get("baseline_value"),
            baseline_as_of=data.get("baseline_as_of"),
            baseline_source=data["baseline_source"],
            no_baseline=data.get("no_baseline", False),
            today=timezone.localdate(),
            currency=self.currency,
            instrument_by=data.get("instrument_by"),
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in [
                "name",
                "category",
                "unit",
                "direction",
                "data_source_system",
                "data_source_owner",
                "measurement_frequency",
                "feasibility",
                "baseline_value",
                "baseline_as_of",
                "baseline_source",
                "no_baseline",
                "instrument_by",
            ]
        }

    @classmethod
    def initial_from_definition(cls, definition: KpiDefinition | None) -> dict:
        if definition is None:
            return {"feasibility": rules.MEASURABLE}
        return {
            "name": definition.name,
            "category": definition.category,
            "unit": definition.unit,
            "direction": definition.direction,
            "feasibility": rules.MEASURABLE,
        }
