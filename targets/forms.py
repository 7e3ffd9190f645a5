"""Block 4 forms: benchmark evidence, constraints and adoption, thresholds and assumptions,
economics; finance sign-off, change requests, reopening; finance reviewers and invites.

Each form checks what a person typed and explains in a sentence what to change; the rules
themselves live in targets.rules, shared with the services.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model, password_validation

from common.forms import Form, NumberField
from kpis import rules as kpi_rules

from . import economics, rules
from .permissions import reviewer_problem

NUMBER = "Enter {what} as a number, e.g. {example} (digits only, no units)."
TOO_LARGE = "That number is too large for {what}. Check the unit and the digits."


def _decimal(label: str, *, what: str, example: str, digits: int, places: int, **kwargs):
    """A number read in the workshop's number format (common.numbers), whose messages name
    what is wrong in words."""
    return NumberField(
        label=label,
        required=False,
        what=what,
        example=example,
        max_digits=digits,
        decimal_places=places,
        error_messages={
            "invalid": NUMBER.format(what=what, example=example),
            "max_digits": TOO_LARGE.format(what=what),
            "max_whole_digits": TOO_LARGE.format(what=what),
            "max_decimal_places": f"Use at most {places} decimal places for {what}.",
        },
        **kwargs,
    )


class _HiddenWithoutId(forms.HiddenInput):
    """A hidden input no label points at, rendered without an id: a KPI's page holds several
    Block 4 forms, each with its own `version`, and ids must stay unique on a page."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("id", None)
        return context


def _version_field():
    return forms.IntegerField(widget=_HiddenWithoutId, required=False, min_value=1)


class RuleForm(Form):
    """A form whose clean() adds the errors of a targets.rules function by field."""

    def add_rule_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            if isinstance(messages, str):
                messages = [messages]
            for message in messages:
                target = name if name in self.fields else None
                if target and target in self.errors and message in self.errors[target]:
                    continue
                self.add_error(target, message)


# --- Step 1 -----------------------------------------------------------------------------------


class AmbitionForm(RuleForm):
    """Step 1: what "good enough" and "transformational" look like for the KPI."""

    good_enough = forms.CharField(
        label="What does “good enough” look like?",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    transformational = forms.CharField(
        label="What does “transformational” look like?",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    version = _version_field()

    def clean(self):
        data = super().clean()
        for name in ("good_enough", "transformational"):
            data[name] = " ".join((data.get(name) or "").split())
        if not self.errors:
            self.add_rule_errors(
                kpi_rules.ambition_errors(
                    good_enough=data["good_enough"], transformational=data["transformational"]
                )
            )
        return data

    def values(self) -> dict:
        return {
            "good_enough": self.cleaned_data["good_enough"],
            "transformational": self.cleaned_data["transformational"],
        }


# --- Step 2 -----------------------------------------------------------------------------------


class BenchmarkForm(RuleForm):
    kind = forms.ChoiceField(
        label="Kind of evidence",
        choices=rules.KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether this is a similar organisation or a vendor case study.",
            "invalid_choice": "Say whether this is a similar organisation or a vendor case study.",
        },
    )
    description = forms.CharField(label="Who achieved it", required=False)
    improvement_percent = _decimal(
        "Improvement (% of their starting point)",
        what="the improvement",
        example="35",
        digits=7,
        places=2,
    )
    absolute_change = _decimal(
        "Or the improvement in the KPI's unit",
        what="the improvement",
        example="120",
        digits=20,
        places=4,
    )
    source = forms.CharField(label="Source", required=False)
    discount_percent = _decimal(
        "Discount on the vendor claim (%)",
        what="the discount",
        example="40",
        digits=5,
        places=2,
        initial=economics.DISCOUNT_DEFAULT,
        widget=forms.TextInput(
            attrs={
                "type": "range",
                "min": str(economics.DISCOUNT_MIN),
                "max": str(economics.DISCOUNT_MAX),
                "step": "1",
                "class": "discount-slider",
            }
        ),
    )
    version = _version_field()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.add_rule_errors(
            rules.benchmark_errors(
                kind=data.get("kind", ""),
                description=data.get("description", ""),
                improvement_percent=data.get("improvement_percent"),
                source=data.get("source", ""),
                discount_percent=data.get("discount_percent"),
                absolute_change=data.get("absolute_change"),
            )
        )
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in [
                "kind",
                "description",
                "improvement_percent",
                "source",
                "discount_percent",
                "absolute_change",
            ]
        }


# --- Step 3 -----------------------------------------------------------------------------------


class NoEvidenceForm(RuleForm):
    """Step 2 when nothing comparable exists: say so, and why (untick to withdraw it)."""

    no_evidence = forms.BooleanField(
        label="There is no comparable evidence for this KPI", required=False
    )
    reason = forms.CharField(
        label="Why not (finance reads this)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = _version_field()

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("no_evidence"):
            return data
        if problem := rules.no_evidence_error(data.get("reason", "")):
            self.add_error("reason", problem)
        return data

    def values(self) -> dict:
        return {"reason": " ".join(self.cleaned_data.get("reason", "").split())}


class ConstraintForm(RuleForm):
    change_management = forms.BooleanField(label="Change management", required=False)
    data_readiness = forms.BooleanField(label="Data readiness", required=False)
    organisational_capacity = forms.BooleanField(label="Organisational capacity", required=False)
    other = forms.BooleanField(label="Other", required=False)
    notes = forms.CharField(
        label="Notes: what exactly limits adoption, and what is realistic",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    adoption_6m_percent = _decimal(
        "Expected adoption at 6 months (%)",
        what="the adoption",
        example="40",
        digits=7,
        places=2,
        widget=forms.TextInput(attrs={"min": "0", "max": "100", "step": "any"}),
    )
    adoption_12m_percent = _decimal(
        "Expected adoption at 12 months (%)",
        what="the adoption",
        example="75",
        digits=7,
        places=2,
        widget=forms.TextInput(attrs={"min": "0", "max": "100", "step": "any"}),
    )
    version = _version_field()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.add_rule_errors(
            rules.adoption_errors(
                adoption_6m_percent=data.get("adoption_6m_percent"),
                adoption_12m_percent=data.get("adoption_12m_percent"),
                constraints={"other": data.get("other")},
                notes=data.get("notes", ""),
            )
        )
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in [
                "change_management",
                "data_readiness",
                "organisational_capacity",
                "other",
                "notes",
                "adoption_6m_percent",
                "adoption_12m_percent",
            ]
        }


# --- Step 4 -----------------------------------------------------------------------------------


class ThresholdForm(RuleForm):
    assumptions = forms.CharField(
        label="Assumptions behind these targets",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Volumes, adoption, data, people: what must be true for these numbers to hold.",
    )
    version = _version_field()

    def __init__(self, *args, kpi=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        for horizon in economics.HORIZONS:
            for level in economics.LEVELS:
                name = rules.field_name(horizon, level)
                self.fields[name] = _decimal(
                    f"{horizon}-month {level}",
                    what=f"the {horizon}-month {level}",
                    example="95",
                    digits=20,
                    places=4,
                    widget=forms.TextInput(attrs={"step": "any", "inputmode": "decimal"}),
                )
        # Thresholds first, in reading order; then the assumptions and version.
        self.order_fields([*rules.THRESHOLD_FIELDS, "assumptions", "version"])
        self._number_fields_follow()

    def clean(self):
        data = super().clean()
        if self.kpi is None:
            return data
        values = {
            (h, level): data.get(rules.field_name(h, level))
            for h in economics.HORIZONS
            for level in economics.LEVELS
        }
        errors = rules.target_errors(
            kpi_name=self.kpi.name,
            direction=self.kpi.direction,
            baseline=self.kpi.baseline_value,
            values=values,
            assumptions=data.get("assumptions", ""),
        )
        # A field that did not parse already says so; do not add "Enter the ..." too.
        for name in list(errors):
            if name in self.errors:
                del errors[name]
        self.add_rule_errors(errors)
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data.get(name) for name in [*rules.THRESHOLD_FIELDS, "assumptions"]
        }

    def rows(self, suggestions: dict | None = None) -> list[dict]:
        """Floor, target and stretch, each with its 6- and 12-month bound field, its horizon
        in months and the suggested value (or None)."""
        suggestions = suggestions or {}
        return [
            {
                "level": level,
                "cells": [
                    {
                        "field": self[rules.field_name(h, level)],
                        "horizon": h,
                        "suggested": suggestions.get((h, level)),
                    }
                    for h in economics.HORIZONS
                ],
            }
            for level in economics.LEVELS
        ]


# --- Economics --------------------------------------------------------------------------------


class EconomicsForm(RuleForm):
    value_kpi = forms.ModelChoiceField(
        label="KPI that carries the value",
        queryset=None,
        required=False,
        empty_label="Choose a KPI",
        error_messages={"invalid_choice": "Choose one of this agent's KPIs."},
    )
    value_per_unit = _decimal(
        "Value of one unit of the KPI", what="the value per unit", example="45", digits=16, places=2
    )
    value_basis = forms.CharField(
        label="How the value per unit is worked out",
        required=False,
        help_text="E.g. loaded hourly cost of an AP clerk, or margin per extra request.",
    )
    period = forms.ChoiceField(
        label="The KPI is counted",
        choices=economics.PERIOD_CHOICES,
        error_messages={
            "required": "Say what period the KPI is counted in (per week, per month, ...).",
            "invalid_choice": "Say what period the KPI is counted in (per week, per month, ...).",
        },
    )
    tasks_per_month = _decimal(
        "Tasks a month", what="the tasks per month", example="4000", digits=16, places=2
    )
    model_cost_monthly = _decimal(
        "AI run cost per month (models and tokens)",
        what="the monthly AI run cost",
        example="850",
        digits=16,
        places=2,
    )
    other_monthly_cost = _decimal(
        "Other monthly costs (hosting, licences, support)",
        what="the other monthly costs",
        example="400",
        digits=16,
        places=2,
    )
    build_cost = _decimal(
        "One-off build cost", what="the build cost", example="40000", digits=16, places=2
    )
    version = _version_field()

    def __init__(self, *args, agent=None, workload_known: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.workload_known = workload_known
        self.fields["value_kpi"].queryset = agent.kpis.order_by("created_at", "pk")
        if workload_known:
            del self.fields["model_cost_monthly"]
        else:
            del self.fields["tasks_per_month"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.add_rule_errors(
            rules.economics_errors(
                value_kpi_chosen=data.get("value_kpi") is not None,
                value_per_unit=data.get("value_per_unit"),
                period=data.get("period", ""),
                build_cost=data.get("build_cost"),
                other_monthly_cost=data.get("other_monthly_cost"),
                model_cost_monthly=data.get("model_cost_monthly"),
                tasks_per_month=data.get("tasks_per_month"),
                workload_known=self.workload_known,
                value_basis=data.get("value_basis", ""),
            )
        )
        return data

    def values(self) -> dict:
        values = {
            name: self.cleaned_data.get(name)
            for name in [
                "value_kpi",
                "value_per_unit",
                "value_basis",
                "period",
                "tasks_per_month",
                "model_cost_monthly",
                "other_monthly_cost",
                "build_cost",
            ]
        }
        if values["other_monthly_cost"] is None:
            values["other_monthly_cost"] = Decimal(0)
        return values


# --- Finance ----------------------------------------------------------------------------------


class SignOffForm(RuleForm):
    NAME_FIELDS = ("title",)

    title = forms.CharField(
        label="Your role or title",
        max_length=120,
        error_messages={
            "required": "Give your role or title, e.g. 'CFO' or 'Finance lead'.",
            "max_length": "Keep the role or title to at most 120 characters.",
        },
    )
    values_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ChangeRequestForm(RuleForm):
    comment = forms.CharField(
        label="What should the table change?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if "comment" not in self.errors and (problem := rules.comment_error(data.get("comment"))):
            self.add_error("comment", problem)
        return data


class ReopenForm(RuleForm):
    reason = forms.CharField(label="Reason for reopening", required=False)

    def clean(self):
        data = super().clean()
        if "reason" not in self.errors and (problem := rules.reason_error(data.get("reason"))):
            self.add_error("reason", problem)
        return data


class InviteForm(RuleForm):
    NAME_FIELDS = ("name", "title")

    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={
            "required": "Give the finance representative's name.",
            "max_length": "Keep the name to at most 120 characters.",
        },
    )
    title = forms.CharField(
        label="Role or title",
        max_length=120,
        error_messages={
            "required": "Give their role or title, e.g. 'CFO'.",
            "max_length": "Keep the role or title to at most 120 characters.",
        },
    )
    valid_days = forms.IntegerField(
        label="Link valid for (days)",
        initial=7,
        min_value=1,
        max_value=30,
        error_messages={
            "required": "Say for how many days the link works (1 to 30).",
            "invalid": "Enter the number of days as a whole number from 1 to 30.",
            "min_value": "The link must work for at least 1 day.",
            "max_value": "A link works for at most 30 days.",
        },
    )


class ReviewerAddForm(Form):
    NAME_FIELDS = ("username",)

    username = forms.CharField(
        label="Username of an existing account",
        max_length=150,
        error_messages={
            "required": "Enter the username of an existing account.",
            "max_length": "A username has at most 150 characters; check what you typed.",
        },
    )

    def __init__(self, *args, workshop=None, **kwargs):
        # Its own ids: the finance status page also shows the new-account form's username.
        kwargs.setdefault("auto_id", "reviewer_add_%s")
        super().__init__(*args, **kwargs)
        self.workshop = workshop

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                f"There is no active account called '{username}'. Create one below instead."
            )
        if self.workshop is not None and (
            problem := reviewer_problem(workshop=self.workshop, user=user)
        ):
            raise forms.ValidationError(problem)
        self.user = user
        return username


class ReviewerCreateForm(Form):
    NAME_FIELDS = ("username", "full_name")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reviewer_new_%s")  # beside the add form's username
        super().__init__(*args, **kwargs)

    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Choose a username for the account."},
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Give the finance representative's name."},
    )
    email = forms.EmailField(
        label="Email",
        required=False,
        error_messages={"invalid": "Enter a valid email address, e.g. jane@example.com."},
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        error_messages={"required": "Choose a password for the account."},
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user_model = get_user_model()
        validator = user_model.username_validator
        try:
            validator(username)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Use only letters, digits and @ . + - _ in the username."
            ) from None
        if user_model.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                f"An account called '{username}' exists already. Add it above instead."
            )
        return username

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password:
            user = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data
