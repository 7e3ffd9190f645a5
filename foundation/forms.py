"""Forms of the Block 1 tools. Every field says what is wrong in words a participant can act
on; numbers accept thousands separators ("20,000")."""

from decimal import Decimal

from django import forms

from common import numbers
from common.forms import Form, NumberField, NumberForm

from . import economics
from .capability import capability_classes

TIER_LABELS = {"frontier": "Frontier", "mid-tier": "Mid-tier", "efficient": "Efficient"}


def WholeNumberField(**kwargs) -> NumberField:
    """A count (tokens, tasks, calls), read in the workshop's number format."""
    return NumberField(whole=True, **kwargs)


def AmountField(*, percent: bool = False, **kwargs) -> NumberField:
    """A decimal amount (prices, volumes, percentages), read in the workshop's number format."""
    return NumberField(percent=percent, **kwargs)


def model_choices(rows) -> list:
    """The model picker: a tier's cheapest model first, then each priced model by tier."""
    choices = [
        (
            "Cheapest model of a tier",
            [(tier, f"Cheapest {label.lower()} model") for tier, label in TIER_LABELS.items()],
        )
    ]
    for tier, label in TIER_LABELS.items():
        models = [
            (f"m{row.model.pk}", f"{row.model.provider} {row.model.name}")
            for row in rows
            if row.model.tier == tier
        ]
        if models:
            choices.append((label, models))
    return choices


class CalculatorForm(NumberForm):
    """A workload: what one model call sends and gets back, how many calls a task makes, how
    many tasks a month. Submitted by GET, so a result can be shared as a link."""

    model = forms.ChoiceField(
        label="Model",
        help_text="A tier picks its cheapest current model for this workload.",
        error_messages={"invalid_choice": "Choose a model or a tier from the list."},
    )
    input_tokens = WholeNumberField(
        label="Input tokens per call",
        min_value=0,
        max_value=10_000_000,
        what="input tokens per call",
        example="3,000",
        help_text="Instructions, documents and question sent in one model call.",
    )
    output_tokens = WholeNumberField(
        label="Output tokens per call",
        min_value=0,
        max_value=1_000_000,
        what="output tokens per call",
        example="500",
        help_text="What the model writes back, reasoning tokens included.",
    )
    tasks_per_month = WholeNumberField(
        label="Tasks per month",
        min_value=0,
        max_value=1_000_000_000,
        what="tasks per month",
        example="20,000",
    )
    calls_per_task = WholeNumberField(
        label="Model calls per task",
        min_value=1,
        max_value=1_000,
        what="model calls per task",
        example="4",
        help_text="Agent loop iterations; 1 for a single question and answer.",
    )
    context_growth_per_call = WholeNumberField(
        label="Context growth per call (tokens)",
        min_value=0,
        max_value=1_000_000,
        what="context growth per call",
        example="800",
        help_text="Tool results and earlier steps added to the context before the next call.",
    )
    cached_percent = AmountField(
        label="Cached share of input (%)",
        min_value=Decimal(0),
        max_value=Decimal(100),
        what="cached share of input",
        percent=True,
        example="40",
        help_text="Input the provider has seen recently, billed at the cached price.",
    )
    batch_percent = AmountField(
        label="Batch share of tasks (%)",
        min_value=Decimal(0),
        max_value=Decimal(100),
        what="batch share of tasks",
        percent=True,
        example="25",
        help_text="Tasks that can wait for a batch API at half price.",
    )
    multiplier = WholeNumberField(
        label="What-if multiplier (N)",
        min_value=2,
        max_value=20,
        what="what-if multiplier",
        example="3",
        help_text="For the cost drivers: the loop runs N times, or the output is N times longer.",
    )

    DEFAULTS = {
        "model": "mid-tier",
        "input_tokens": 3000,
        "output_tokens": 500,
        "tasks_per_month": 20000,
        "calls_per_task": 4,
        "context_growth_per_call": 800,
        "cached_percent": Decimal(40),
        "batch_percent": Decimal(0),
        "multiplier": 3,
    }

    def __init__(self, *args, priced_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = model_choices(priced_rows)
        self.models_by_value = {f"m{row.model.pk}": row for row in priced_rows}

    @classmethod
    def from_query(cls, query, **kwargs) -> "CalculatorForm":
        """Bound to the query when it names any field, else to the defaults."""
        if any(name in query for name in cls.base_fields):
            data = {name: query.get(name, "") for name in cls.base_fields}
            return cls(data, **kwargs)
        return cls(cls.DEFAULTS, **kwargs)

    def workload(self) -> economics.Workload:
        data = self.cleaned_data
        return economics.Workload(
            input_tokens=data["input_tokens"],
            output_tokens=data["output_tokens"],
            tasks_per_month=data["tasks_per_month"],
            calls_per_task=data["calls_per_task"],
            context_growth_per_call=data["context_growth_per_call"],
            cached_share=data["cached_percent"] / 100,
            batch_share=data["batch_percent"] / 100,
        )

    def tier(self) -> str | None:
        """The tier of the chosen model (or the chosen tier); None when invalid."""
        choice = self.cleaned_data.get("model") if self.is_valid() else None
        if choice in TIER_LABELS:
            return choice
        row = self.models_by_value.get(choice or "")
        return row.model.tier if row else None

    def query_items(self) -> list[tuple[str, str]]:
        """The workload as query parameters, to carry it to the other tools, written in the
        form's number format so the next page reads them back the same."""
        return query_items(self)


def query_items(form: NumberForm) -> list[tuple[str, str]]:
    """A valid form's values as query parameters (or hidden fields), written in the form's
    number format so the next request reads them back the same."""
    items = []
    for name in form.base_fields:
        value = form.cleaned_data.get(name)
        if value is None:
            value = ""
        elif isinstance(value, (int, Decimal)):
            value = numbers.format_number(Decimal(value), form.number_format)
        items.append((name, str(value)))
    return items


def _capability_choices():
    return [(c.key, c.label) for c in capability_classes().values()]


class EvolutionForm(NumberForm):
    tier = forms.ChoiceField(
        label="Tier",
        choices=list(TIER_LABELS.items()),
        error_messages={"invalid_choice": "Choose frontier, mid-tier or efficient."},
    )
    capability = forms.ChoiceField(
        label="Capability class",
        choices=_capability_choices,
        help_text="Models judged of equal capability; the list is kept as data.",
        error_messages={"invalid_choice": "Choose a capability class from the list."},
    )
    months = WholeNumberField(
        label="Months ago",
        min_value=6,
        max_value=36,
        what="number of months",
        example="18",
        help_text="Compare the newest prices with 6 to 36 months before.",
    )

    DEFAULTS = {"tier": "frontier", "capability": "gpt-4-class", "months": 18}

    @classmethod
    def from_query(cls, query, *, default_tier: str | None = None, **kwargs) -> "EvolutionForm":
        """Bound to the query; the tier defaults to the calculator model's tier."""
        defaults = {**cls.DEFAULTS, **({"tier": default_tier} if default_tier else {})}
        if any(name in query for name in cls.base_fields):
            data = {name: query.get(name, defaults[name]) for name in cls.base_fields}
            return cls(data, **kwargs)
        return cls(defaults, **kwargs)


# Where each break-even default comes from (data README, "Other facts"), or "Assumption".
BREAK_EVEN_SOURCES = {
    "gpu_price_per_hour": "H100 rental is $1.99 to $5.00 per GPU-hour by provider class "
    "(public write-ups, 2025-2026).",
    "generation_tokens_per_second": "Llama 3.1 70B FP8 on one H100 generates about 460 "
    "tokens/s at batch 64 (public write-ups, 2025-2026): a generation figure.",
    "prefill_tokens_per_second": "Assumption: reading a prompt is several times faster than "
    "writing; no measured prefill figure is in the reference data.",
    "utilisation_percent": "Assumption: share of the month the GPUs do useful work.",
    "ops_cost_per_month": "Assumption: engineers and on-call who run the model servers.",
}


class BreakEvenForm(NumberForm):
    """API vs self-hosted: monthly volume, API price and the self-hosting figures."""

    input_mtok = AmountField(
        label="Input tokens a month (M)",
        min_value=Decimal(0),
        max_value=Decimal(100_000_000),
        what="monthly input tokens",
        example="900",
        help_text="In millions: 900 means 900 million.",
    )
    output_mtok = AmountField(
        label="Output tokens a month (M)",
        min_value=Decimal(0),
        max_value=Decimal(100_000_000),
        what="monthly output tokens",
        example="300",
    )
    model = forms.ChoiceField(
        label="API prices from",
        required=False,
        help_text="A model's current list price, or type the prices below.",
        error_messages={"invalid_choice": "Choose a model from the list, or type the prices."},
    )
    api_input_price = AmountField(
        label="API input $ per M tokens",
        min_value=Decimal(0),
        max_value=Decimal(10_000),
        what="API input price",
        example="3.00",
        required=False,
    )
    api_output_price = AmountField(
        label="API output $ per M tokens",
        min_value=Decimal(0),
        max_value=Decimal(10_000),
        what="API output price",
        example="15.00",
        required=False,
    )
    gpu_price_per_hour = AmountField(
        label="GPU $ per hour",
        min_value=Decimal(0),
        max_value=Decimal(1_000),
        what="GPU price per hour",
        example="2.50",
    )
    prefill_tokens_per_second = AmountField(
        label="Input (prefill) tokens/s per GPU",
        min_value=Decimal(0),
        exclusive_min=True,
        max_value=Decimal(10_000_000),
        what="prefill tokens per second per GPU",
        example="5,000",
    )
    generation_tokens_per_second = AmountField(
        label="Output (generation) tokens/s per GPU",
        min_value=Decimal(0),
        exclusive_min=True,
        max_value=Decimal(10_000_000),
        what="generation tokens per second per GPU",
        example="460",
    )
    utilisation_percent = AmountField(
        label="Utilisation (%)",
        min_value=Decimal(0),
        exclusive_min=True,
        max_value=Decimal(100),
        what="utilisation",
        percent=True,
        example="60",
    )
    ops_cost_per_month = AmountField(
        label="Operations $ a month",
        min_value=Decimal(0),
        max_value=Decimal(100_000_000),
        what="engineering and operations cost",
        example="8,000",
    )

    DEFAULTS = {
        "input_mtok": Decimal(900),
        "output_mtok": Decimal(300),
        "model": "",
        "api_input_price": Decimal("3.00"),
        "api_output_price": Decimal("15.00"),
        "gpu_price_per_hour": Decimal("2.50"),
        "prefill_tokens_per_second": Decimal(5000),
        "generation_tokens_per_second": Decimal(460),
        "utilisation_percent": Decimal(60),
        "ops_cost_per_month": Decimal(8000),
    }

    def __init__(self, *args, priced_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, source in BREAK_EVEN_SOURCES.items():
            self.fields[name].help_text = source
        self.models_by_value = {f"m{row.model.pk}": row for row in priced_rows}
        self.fields["model"].choices = [("", "Type the prices below")] + [
            (group, items) for group, items in model_choices(priced_rows)[1:]
        ]

    @classmethod
    def from_query(cls, query, **kwargs) -> "BreakEvenForm":
        if any(name in query for name in cls.base_fields):
            return cls({name: query.get(name, "") for name in cls.base_fields}, **kwargs)
        return cls(cls.DEFAULTS, **kwargs)

    def clean(self):
        data = super().clean()
        row = self.models_by_value.get(data.get("model") or "")
        if row is not None:
            data["api_input_price"] = row.current.input_usd_per_mtok
            data["api_output_price"] = row.current.output_usd_per_mtok
            data["price_label"] = f"{row.model.provider} {row.model.name}"
        else:
            for name, what in (("api_input_price", "input"), ("api_output_price", "output")):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(
                        name, f"Enter the API {what} price, or choose a model to take it from."
                    )
            data["price_label"] = "typed prices"
        return data


class GlossarySearchForm(Form):
    q = forms.CharField(
        label="Search the glossary",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search for at most 100 characters."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AnswerForm(Form):
    run = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.TypedChoiceField(
        label="Your answer",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one of the answers.",
            "invalid_choice": "Choose one of the answers shown.",
        },
    )

    def __init__(self, *args, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        if question is not None:
            self.fields["choice"].choices = [
                (i, f"{letter}. {text}") for i, (letter, text) in enumerate(question.letters)
            ]
