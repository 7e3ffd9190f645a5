"""The facilitator's re-pricing form: the day to price as of, and what the preview showed."""

import datetime
import re

from django import forms

from common.forms import Form

EARLIEST = datetime.date(2015, 1, 1)
FINGERPRINT = re.compile(r"[0-9a-f]{64}")
RELOAD = "This page is out of date. Reload it to see the changes before re-pricing."


class RepriceForm(Form):
    as_of = forms.DateField(
        label="Prices as of",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the day to price as of, for example 2026-12-10.",
            "invalid": "Enter the day to price as of as a date, for example 2026-12-10.",
        },
    )
    # Present on confirmation only: the preview the facilitator saw.
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, today: datetime.date, confirming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.confirming = confirming

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        latest = self.today + datetime.timedelta(days=366)
        if not EARLIEST <= day <= latest:
            raise forms.ValidationError(
                f"Choose a day from {EARLIEST:%Y-%m-%d} to {latest:%Y-%m-%d}: model prices are "
                "dated within those days."
            )
        return day

    def clean_fingerprint(self):
        value = self.cleaned_data.get("fingerprint", "")
        if self.confirming and not FINGERPRINT.fullmatch(value):
            raise forms.ValidationError(RELOAD)
        return value
