"""Facilitator agent forms: Pillar 1 details and seating agents at tables."""

from django import forms

from common.forms import Form
from workshops.models import BreakoutTable, Workshop

from .models import Agent
from .services import DETAIL_FIELDS

MAX_PRIORITY_RANK = 10_000
UNASSIGNED = "unassigned"


class AgentForm(Form):
    NAME_FIELDS = ("name", "owner_name")

    name = forms.CharField(
        label="Agent name",
        max_length=200,
        error_messages={
            "required": "Enter the agent's name.",
            "max_length": "Keep the agent's name to 200 characters or fewer.",
        },
    )
    description = forms.CharField(
        label="What it does",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the description to 5,000 characters or fewer."},
    )
    business_process = forms.CharField(
        label="Business process",
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep the business process to 200 characters or fewer."},
    )
    priority_rank = forms.IntegerField(
        label="Priority rank (Pillar 1)",
        required=False,
        min_value=1,
        max_value=MAX_PRIORITY_RANK,
        help_text="1 is the highest priority. Leave empty if the agent has no rank.",
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the priority rank as a whole number, for example 3.",
            "min_value": "The priority rank starts at 1 (the highest priority).",
            "max_value": f"Enter a priority rank of {MAX_PRIORITY_RANK:,} or less.",
        },
    )
    owner_name = forms.CharField(
        label="Business owner",
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep the owner's name to 200 characters or fewer."},
    )
    owner_email = forms.EmailField(
        label="Owner's email",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter the owner's email address, like name@example.com.",
            "max_length": "Keep the email address to 254 characters or fewer.",
        },
    )

    FIELDS = DETAIL_FIELDS

    def __init__(self, *args, workshop: Workshop, agent: Agent | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.agent = agent
        if agent is None:
            self.fields["table"] = TableChoiceField(workshop=workshop, required=False)
        else:
            # The version the edit started from (see workshops.concurrency).
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=1,
                error_messages={
                    "required": "Reload the page and edit again.",
                    "invalid": "Reload the page and edit again.",
                    "min_value": "Reload the page and edit again.",
                },
            )

    def clean_name(self):
        name = self.cleaned_data["name"]
        taken = Agent.objects.filter(workshop=self.workshop, name__iexact=name)
        if self.agent is not None:
            taken = taken.exclude(pk=self.agent.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"Another agent in this workshop is already called “{name}”. Use a different name."
            )
        return name

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, agent: Agent) -> dict:
        initial = {name: getattr(agent, name) for name in cls.FIELDS}
        initial["version"] = agent.version
        return initial


class TableChoiceField(forms.ChoiceField):
    """A table of the workshop, or "Unassigned". Cleans to a BreakoutTable or None."""

    def __init__(self, *, workshop: Workshop, tables=None, required: bool = True, **kwargs):
        tables = list(workshop.tables.all()) if tables is None else tables
        self.tables = {str(table.pk): table for table in tables}
        choices = [(UNASSIGNED, "Unassigned")] + [(pk, t.name) for pk, t in self.tables.items()]
        if required:
            choices = [("", "Choose a table…"), *choices]
        super().__init__(
            label="Table",
            choices=choices,
            required=required,
            error_messages={
                "required": "Choose a table, or Unassigned.",
                "invalid_choice": "Choose one of this workshop's tables, or Unassigned.",
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        if value in ("", UNASSIGNED):
            return None
        return self.tables[value]


class AssignForm(Form):
    """Seat one or more agents at a table (or unassign them)."""

    agent_ids = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "Tick at least one agent to assign.",
            "invalid_choice": "One of the ticked agents is no longer in this workshop. "
            "Reload the page and try again.",
        },
    )

    def __init__(self, *args, workshop: Workshop, agents, tables: list[BreakoutTable], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent_ids"].choices = [(agent.pk, agent.name) for agent in agents]
        self.fields["table"] = TableChoiceField(workshop=workshop, tables=tables)
