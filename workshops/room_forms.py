"""Forms of the live room: joining a table, the presenter's time controls."""

from django import forms

from common.forms import Form

from . import codes

NAME_MAX = 60


class JoinForm(Form):
    NAME_FIELDS = ("display_name",)

    code = forms.CharField(
        label="Table code",
        max_length=40,
        help_text="On the projector, e.g. ABCDE-FGHJK. Capitals, dashes and spaces don't matter.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code",
            }
        ),
        error_messages={
            "required": "Type your table's code from the projector.",
            "max_length": "That is longer than a table code. Check it on the projector.",
        },
    )
    display_name = forms.CharField(
        label="Your name",
        max_length=NAME_MAX,
        help_text="As your table should see it, e.g. Sam or Sam (Finance).",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Type your name, so your table knows who is here.",
            "max_length": f"Keep your name to {NAME_MAX} characters or fewer.",
        },
    )

    def clean_code(self):
        code = codes.normalise_code(self.cleaned_data["code"])
        if len(code) != codes.LENGTH:
            raise forms.ValidationError(
                f"A table code has {codes.LENGTH} letters and digits. Check it on the projector."
            )
        return code

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Type your name, so your table knows who is here.")
        return name


class AdjustForm(Form):
    """Minutes to add (positive) or remove (negative) on the current activity."""

    minutes = forms.IntegerField(
        min_value=-60,
        max_value=60,
        error_messages={
            "required": "Choose how many minutes to add or remove.",
            "invalid": "Minutes must be a whole number.",
            "min_value": "Remove at most 60 minutes at a time.",
            "max_value": "Add at most 60 minutes at a time.",
        },
    )

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes == 0:
            raise forms.ValidationError("Choose a number of minutes other than zero.")
        return minutes
