"""Actuals entered by hand: every input checked, every error a sentence to act on."""

import datetime
import re
from decimal import Decimal

from django import forms

from common.forms import Form, NumberField

MONTH = re.compile(r"(\d{4})-(\d{2})")


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker); cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "month", "placeholder": "2027-03"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        match = MONTH.fullmatch(text.strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
            raise forms.ValidationError("Give the month as YYYY-MM, e.g. 2027-03.")
        return datetime.date(int(match[1]), int(match[2]), 1)


def _text(label: str, *, max_length: int, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "max_length": f"Keep the {label.lower()} to {max_length} characters or fewer.",
        },
        **kwargs,
    )


class KpiActualForm(Form):
    kpi = forms.TypedChoiceField(
        label="KPI",
        coerce=int,
        error_messages={
            "required": "Choose the KPI.",
            "invalid_choice": "Choose one of this agent's KPIs.",
        },
    )
    period = MonthField(label="Month", error_messages={"required": "Enter the month."})
    value = NumberField(
        label="Actual value",
        what="actual",
        example="118.5",
        min_value=Decimal("-9999999999999999"),
        max_value=Decimal("9999999999999999"),
        max_digits=20,
        decimal_places=4,
        help_text="In the KPI's unit, as measured for the whole month.",
    )
    source = _text("Source", max_length=200, help_text="The system or report it comes from.")
    note = _text("Note", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    replace = forms.BooleanField(label="Replace the month's actual", required=False)

    def __init__(self, *args, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = {kpi.pk: kpi for kpi in kpis}
        self.fields["kpi"].choices = [(kpi.pk, f"{kpi.name} ({kpi.unit})") for kpi in kpis]

    def clean(self):
        data = super().clean()
        kpi = self.kpis.get(data.get("kpi"))
        value = data.get("value")
        # A count, a time or an amount is not negative; only a KPI whose baseline is can be.
        baseline = kpi.baseline_value if kpi is not None else None
        if kpi is not None and value is not None and value < 0 and (baseline or 0) >= 0:
            self.add_error(
                "value",
                f"“{kpi.name}” is measured in {kpi.unit}, which is not negative here; "
                "check the sign.",
            )
        return data


class AgentActualForm(Form):
    period = MonthField(label="Month", error_messages={"required": "Enter the month."})
    run_cost = NumberField(
        label="Run cost",
        what="run cost",
        example="1250.00",
        min_value=0,
        max_value=Decimal("99999999999999.99"),
        max_digits=16,
        decimal_places=2,
        help_text="The AI workload's bill for the month (model or API usage, hosting), in "
        "the workshop's currency; Block 4's other monthly costs are added for ROI.",
    )
    tasks = NumberField(
        label="Tasks done",
        what="number of tasks",
        example="42000",
        min_value=0,
        max_value=2_000_000_000,
        whole=True,
        required=False,
    )
    source = _text("Source", max_length=200, help_text="Invoice, cloud bill or usage report.")
    note = _text("Note", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    replace = forms.BooleanField(label="Replace the month's figures", required=False)


class ApiTokenForm(Form):
    NAME_FIELDS = ("name",)

    name = _text("Name", max_length=100, help_text="Which system uses it, e.g. Pay-i sync.")
    scope = forms.ChoiceField(
        label="May",
        choices=[("write", "Read and write actuals"), ("read", "Read actuals")],
        error_messages={"invalid_choice": "Choose read, or read and write."},
    )


class OwnerLinkForm(Form):
    NAME_FIELDS = ("name",)

    name = _text("Owner's name", max_length=200, help_text="Who the link is for.")
