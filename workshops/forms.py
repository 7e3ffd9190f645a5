"""Facilitator console forms: every input checked, every error a sentence to act on."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from common import numbers
from common.forms import Form, NumberField

from . import zones
from .currencies import CURRENCY_CHOICES
from .models import ActionItem, BreakoutTable, PreworkItem, Workshop

MAX_AGENDA_MINUTES = 240


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _text(label: str, *, max_length: int, required: bool = True, what: str = "", **kwargs):
    what = what or label.lower()
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": f"Enter the {what}.",
            "max_length": f"Keep the {what} to {max_length} characters or fewer.",
        },
        **kwargs,
    )


def _date(label: str, *, what: str) -> forms.DateField:
    def in_range(value):
        # Due dates are counted in days from the workshop date; keep them on the calendar.
        if not 2000 <= value.year <= 2999:
            raise forms.ValidationError(f"Enter a {what} between the years 2000 and 2999.")

    return forms.DateField(
        label=label,
        widget=DateInput(),
        validators=[in_range],
        error_messages={
            "required": f"Enter the {what}.",
            "invalid": f"Enter the {what} as a date, for example 2026-12-10.",
        },
    )


class WorkshopForm(Form):
    NAME_FIELDS = ("client_organisation", "title")

    client_organisation = _text("Client organisation", max_length=200)
    title = _text("Workshop title", max_length=200)
    date = _date("Date", what="workshop date")
    venue = _text("Venue", max_length=200, required=False)
    start_time = forms.TimeField(
        label="Starts at",
        required=False,
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Local time at the venue; the agenda, run sheet and room screens count from it. "
        "Empty: 09:00.",
        error_messages={"invalid": "Enter the start as hours and minutes, e.g. 09:00 or 13:30."},
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        choices=[(name, name.replace("_", " ")) for name in zones.names()],
        help_text="Where the workshop happens. Every time on its pages and documents is shown "
        "in this zone.",
        error_messages={
            "invalid_choice": "Choose the time zone from the list, e.g. Europe/Berlin."
        },
    )
    currency = forms.ChoiceField(
        label="Currency",
        choices=CURRENCY_CHOICES,
        help_text="Money on every page and in the register is shown in this currency.",
        error_messages={
            "required": "Choose the currency the client reports in.",
            "invalid_choice": "Choose a currency from the list.",
        },
    )
    usd_exchange_rate = NumberField(
        label="Exchange rate (units of the workshop currency per US dollar)",
        help_text="Model prices are in US dollars. For euros at 1 USD = 0.92 EUR, enter 0.92.",
        min_value=0,
        exclusive_min=True,
        max_value=Decimal("999999.999999"),
        what="exchange rate",
        example="0.92",
        error_messages={"required": "Enter the exchange rate (1 for US dollars)."},
    )
    usd_rate_date = _date("Exchange rate as of", what="date of the exchange rate")
    usd_rate_source = _text("Exchange rate source", max_length=100, required=False)
    number_format = forms.ChoiceField(
        label="Number format",
        required=False,
        choices=numbers.CHOICES_BY_KEY,
        help_text="How people at this workshop write 1234.56; every number field reads it so.",
        error_messages={
            "required": "Choose how numbers are written.",
            "invalid_choice": "Choose a number format from the list.",
        },
    )
    pricing_date = _date("Priced for", what="pricing date")
    why_now = _text(
        "Why FinOps matters now",
        max_length=1000,
        required=False,
        what="context",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "A few sentences for the welcome: where this workshop sits in the client's OAIO "
            "journey and why AI FinOps matters now. Shown on the projector, the pre-work list "
            "and the Block 2 pages."
        ),
    )
    narrative_url = _text(
        "Pillar 5 narrative (link)",
        max_length=500,
        required=False,
        what="link",
        help_text="Where participants read the AI FinOps & Operational Economics narrative.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Workshop.Status.choices,
        help_text="Tables can join and edit only while the workshop is live.",
        error_messages={
            "required": "Choose a status.",
            "invalid_choice": "Choose draft, live or closed.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = "AI FinOps Workshop"
        self.fields["currency"].initial = "USD"
        self.fields["usd_exchange_rate"].initial = Decimal("1")
        self.fields["status"].initial = Workshop.Status.DRAFT
        self.fields["number_format"].initial = numbers.DEFAULT.key
        self.fields["start_time"].initial = datetime.time(9, 0)
        self.fields["time_zone"].initial = zones.default_name()
        if not self.is_bound and not self.initial.get("time_zone"):
            # A new workshop: the page picks the facilitator's browser zone (static/js/app.js).
            self.fields["time_zone"].widget.attrs["data-browser-zone"] = ""
        # The rate is shown and read in the number format chosen on this same form.
        key = (
            self.data.get(self.add_prefix("number_format"))
            if self.is_bound
            else self.initial.get("number_format")
        )
        self.number_format = numbers.number_format(key)
        self._number_fields_follow()
        self.fields["usd_rate_date"].required = False
        self.fields["usd_rate_date"].help_text = "The day the rate was read, e.g. 2026-12-01."
        self.fields[
            "usd_rate_source"
        ].help_text = "Where the rate comes from, e.g. ECB. Shown beside every converted amount."
        self.fields["pricing_date"].required = False
        self.fields["pricing_date"].help_text = (
            "Every AI workload is priced at the model list prices in force on this day, so later "
            "catalogue changes do not move the figures. Empty: the workshop date. Changing it "
            "later shows what would change before anything is re-priced."
        )

    def clean_start_time(self):
        return self.cleaned_data.get("start_time") or datetime.time(9, 0)

    def clean_time_zone(self):
        return self.cleaned_data.get("time_zone") or zones.default_name()

    def clean_number_format(self):
        return self.cleaned_data.get("number_format") or numbers.DEFAULT.key

    def clean_usd_exchange_rate(self):
        rate = self.cleaned_data["usd_exchange_rate"]
        if rate is not None and rate != rate.quantize(Decimal("0.000001")):
            raise forms.ValidationError("Use at most 6 decimal places in the exchange rate.")
        return rate

    def clean_narrative_url(self):
        url = self.cleaned_data["narrative_url"].strip()
        if not url:
            return ""
        if "://" not in url:
            url = f"https://{url}"
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise forms.ValidationError(
                "Enter a web address, e.g. https://intranet.example.com/pillar-5.pdf."
            ) from None
        return url

    def clean(self):
        cleaned = super().clean()
        rate = cleaned.get("usd_exchange_rate")
        if cleaned.get("currency") == "USD" and rate is not None and rate != 1:
            self.add_error(
                "usd_exchange_rate", "For US dollars the exchange rate is 1: one dollar per dollar."
            )
        if cleaned.get("currency") not in (None, "USD") and "usd_exchange_rate" not in self.errors:
            if not cleaned.get("usd_rate_date") and "usd_rate_date" not in self.errors:
                self.add_error(
                    "usd_rate_date", "Enter the day the exchange rate was read, e.g. 2026-12-01."
                )
            if not cleaned.get("usd_rate_source") and "usd_rate_source" not in self.errors:
                self.add_error(
                    "usd_rate_source", "Enter where the exchange rate comes from, e.g. ECB."
                )
        return cleaned

    @classmethod
    def initial_for(cls, workshop: Workshop) -> dict:
        return {name: getattr(workshop, name) for name in cls.base_fields}


class TableForm(Form):
    NAME_FIELDS = ("name",)

    name = _text("Table name", max_length=80, what="table name")

    def __init__(self, *args, workshop: Workshop, table: BreakoutTable | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.table = table

    def clean_name(self):
        name = self.cleaned_data["name"]
        taken = self.workshop.tables.filter(name__iexact=name)
        if self.table is not None:
            taken = taken.exclude(pk=self.table.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"There is already a table called “{name}” in this workshop. Choose another name."
            )
        return name


class AgendaItemForm(Form):
    planned_minutes = forms.IntegerField(
        label="Planned minutes",
        min_value=1,
        max_value=MAX_AGENDA_MINUTES,
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the planned minutes, for example 15.",
            "invalid": "Enter the planned minutes as a whole number, for example 15.",
            "min_value": "Plan at least 1 minute for an activity.",
            "max_value": f"Plan at most {MAX_AGENDA_MINUTES} minutes (4 hours) for one activity.",
        },
    )
    facilitator_notes = _text(
        "Facilitator notes",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PreworkForm(Form):
    status = forms.ChoiceField(
        label="Status",
        choices=PreworkItem.Status.choices,
        error_messages={
            "required": "Choose open or done.",
            "invalid_choice": "Choose open or done.",
        },
    )
    note = _text("Note", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(Form):
    NAME_FIELDS = ("owner",)

    owner = _text("Owner", max_length=200)
    action = _text("Action", max_length=500)
    due_date = _date("Due date", what="due date")
    status = forms.ChoiceField(
        label="Status",
        choices=ActionItem.Status.choices,
        error_messages={
            "required": "Choose a status.",
            "invalid_choice": "Choose open, in progress or done.",
        },
    )
    # The version the edit started from (see workshops.concurrency); not used when adding.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={
            "invalid": "Reload the page and edit again.",
            "min_value": "Reload the page and edit again.",
        },
    )

    FIELDS = ["owner", "action", "due_date", "status"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = "Reload the page and edit again."
        else:
            del self.fields["version"]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, item: ActionItem) -> dict:
        initial = {name: getattr(item, name) for name in cls.FIELDS}
        initial["version"] = item.version
        return initial


class NarrativeForm(Form):
    """The Pillar 5 narrative as a PDF (checked by common.pdffile when it is saved)."""

    file = forms.FileField(
        label="Pillar 5 narrative (PDF)",
        help_text="At most 5 MB. Participants, finance and facilitators of this workshop can "
        "download it from the pre-work list and the Block 2 pages.",
        error_messages={
            "required": "Choose the PDF to upload.",
            "empty": "The file is empty.",
            "invalid": "That was not a file; choose the PDF to upload.",
        },
    )
