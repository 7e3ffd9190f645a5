"""Block 2 forms: the agent's archetype, primary value driver and economic thesis; its AI
workload."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from common.forms import Form, NumberField
from foundation.models import LLMModel

from . import block2_services, classification

RELOAD_MESSAGE = "This form is out of date. Reload the page and make your change again."


class ClassificationForm(Form):
    NAME_FIELDS = ("value_driver_other",)

    economic_class = forms.ChoiceField(
        label="Economic archetype",
        choices=classification.ECONOMIC_CLASS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": classification.class_error(""),
            "invalid_choice": classification.class_error(""),
        },
    )
    value_driver = forms.CharField(
        label="Primary value driver", required=False, widget=forms.RadioSelect
    )
    value_driver_other = forms.CharField(
        label="Name the other value driver",
        required=False,
        max_length=classification.MAX_OTHER_DRIVER_LENGTH,
        strip=True,
        error_messages={
            "max_length": (
                "Keep the value driver's name short: at most "
                f"{classification.MAX_OTHER_DRIVER_LENGTH} characters."
            )
        },
    )
    thesis_subject = forms.CharField(
        label="What is reduced or generated",
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    thesis_mechanism = forms.CharField(
        label="By (the mechanism)",
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": RELOAD_MESSAGE,
            "invalid": RELOAD_MESSAGE,
            "min_value": RELOAD_MESSAGE,
        },
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        errors = classification.classification_errors(
            economic_class=data.get("economic_class", ""),
            value_driver=data.get("value_driver", ""),
            value_driver_other=data.get("value_driver_other", ""),
            subject=data.get("thesis_subject", ""),
            mechanism=data.get("thesis_mechanism", ""),
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    @property
    def preview(self) -> tuple[str, bool]:
        """(sentence, complete) from what was typed, valid or not, as the page shows it."""
        data = self.data if self.is_bound else self.initial
        return classification.thesis_preview(
            str(data.get("economic_class") or ""),
            str(data.get("thesis_subject") or ""),
            str(data.get("thesis_mechanism") or ""),
        )

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in [
                "economic_class",
                "value_driver",
                "value_driver_other",
                "thesis_subject",
                "thesis_mechanism",
            ]
        }


WHOLE_NUMBER = "Enter a whole number, e.g. 3,000 (no units)."


def _count_field(label: str, help_text: str = "") -> NumberField:
    return NumberField(
        label=label,
        required=False,
        help_text=help_text,
        what=label.lower(),
        example="3,000",
        whole=True,
        error_messages={"invalid": WHOLE_NUMBER},
    )


class WorkloadForm(Form):
    """The agent's AI workload: which model, tokens per call, calls per task, tasks a month."""

    workload_model = forms.ModelChoiceField(
        label="Model",
        queryset=LLMModel.objects.order_by("provider", "name"),
        required=False,
        empty_label="No model chosen",
        error_messages={"invalid_choice": "Choose one of the models listed."},
    )
    input_tokens_per_call = _count_field(
        "Input tokens per model call", "Prompt, instructions and context sent with each call."
    )
    output_tokens_per_call = _count_field("Output tokens per model call")
    model_calls_per_task = _count_field(
        "Model calls per task", "An agent loop calls the model several times; 1 if once."
    )
    tasks_per_month = _count_field("Tasks per month")
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": RELOAD_MESSAGE,
            "invalid": RELOAD_MESSAGE,
            "min_value": RELOAD_MESSAGE,
        },
    )

    def __init__(self, *args, agent=None, **kwargs):
        """Offers the models on sale on the workshop's pricing date (today without an agent),
        and the agent's own model, even if retired since, so a saved workload stays shown."""
        if agent is not None:
            kwargs.setdefault("number_format", agent.workshop.number_format)
        super().__init__(*args, **kwargs)
        day = agent.workshop.pricing_date if agent is not None else timezone.localdate()
        on_sale = Q(retired_date_unknown=False) & (
            Q(retired_on__isnull=True) | Q(retired_on__gt=day)
        )
        if agent is not None and agent.workload_model_id:
            on_sale |= Q(pk=agent.workload_model_id)
        self.fields["workload_model"].queryset = LLMModel.objects.filter(on_sale).order_by(
            "provider", "name"
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {field: data.get(field) for field in block2_services.WORKLOAD_FIELDS}
        for field, message in block2_services.workload_errors(values).items():
            self.add_error(field, message)
        return data

    def values(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in block2_services.WORKLOAD_FIELDS}
