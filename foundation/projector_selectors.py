"""What the Block 1 projector views show: cost evolution, model tiers and break-even for a
workshop, through the same calculations as the tools' pages, at the prices in force on the
workshop's pricing date, in its currency. The inputs are what the facilitator last put on
the projector from a tool (foundation.models.ToolInputs), else the tools' defaults.

Query counts do not grow with the number of models or price points.
"""

from decimal import Decimal

from workshops.models import Workshop

from . import calculator, charts, selectors
from .currency import Currency
from .forms import BreakEvenForm, CalculatorForm, EvolutionForm
from .models import ToolInputs
from .views.tools import break_even_context, evolution_context


def tool_inputs(workshop: Workshop) -> ToolInputs:
    """The workshop's stored tool inputs (empty, unsaved, when none). One query."""
    return ToolInputs.objects.filter(workshop=workshop).first() or ToolInputs(workshop=workshop)


def workshop_currency(workshop: Workshop) -> Currency:
    return Currency(
        code=workshop.currency, rate=Decimal(workshop.usd_exchange_rate), workshop=workshop
    )


def _bound(form_class, stored: dict, defaults: dict, **kwargs):
    """The form bound to the stored values when they are still valid (a stored model may
    have no price on the pricing date), else to the defaults; and whether stored were used."""
    if stored:
        form = form_class(dict(stored), **kwargs)
        if form.is_valid():
            return form, True
    form = form_class(dict(defaults), **kwargs)
    form.is_valid()
    return form, False


def _workload(inputs: ToolInputs, rows: list) -> tuple[CalculatorForm, bool]:
    return _bound(CalculatorForm, inputs.calculator, CalculatorForm.DEFAULTS, priced_rows=rows)


def _priced_rows(workshop: Workshop) -> list:
    return selectors.priced_models(today=workshop.pricing_date)


def evolution_view(workshop: Workshop) -> dict:
    """The cost evolution story for the chosen workload and window: a headline lens (equal
    capability, else the tier, else the same model: the first with a price then and now),
    the other lenses, the chart."""
    inputs = tool_inputs(workshop)
    form, workload_set = _workload(inputs, _priced_rows(workshop))
    defaults = {**EvolutionForm.DEFAULTS, "tier": form.tier() or EvolutionForm.DEFAULTS["tier"]}
    window, window_set = _bound(EvolutionForm, inputs.window, defaults)
    currency = workshop_currency(workshop)
    context = evolution_context(form, window, currency, chart_size=charts.EVOLUTION_PROJECTOR)
    chart = context["chart"]
    if chart is not None:
        # Read from afar: the step lines without the dot of every price, a shorter axis title.
        chart.y_title = "USD per M tokens"
        for series in chart.series:
            series.points = []
    story = context["story"]
    # Equal capability then and now tells the story best; else the tier's, else the model's.
    complete = [
        lens
        for lens in (story.capability, story.tier, story.same_model)
        if lens and lens.chosen.then and lens.chosen.now
    ]
    headline = complete[0] if complete else None
    return {
        "currency": currency,
        "story": story,
        "chart": chart,
        "prices_as_of": context["today"],
        "headline": headline,
        "other_lenses": [lens for lens in story.lenses if lens is not headline],
        "workload": form.workload(),
        "set_by_facilitator": workload_set or window_set,
    }


def _shares(priced: calculator.Priced, **extra) -> dict:
    """A model's row: its cost, and the input and output shares of it."""
    task = priced.cost.task
    output = 1 - task.input_share if task.total else Decimal(0)
    return {"priced": priced, "input_share": task.input_share, "output_share": output, **extra}


def tiers_view(workshop: Workshop) -> dict:
    """The chosen workload on each tier's cheapest model: per task, per month, the input and
    output shares of the cost."""
    rows = _priced_rows(workshop)
    form, workload_set = _workload(tool_inputs(workshop), rows)
    result = calculator.calculate(
        workload=form.workload(),
        choice=form.cleaned_data["model"],
        priced_rows=rows,
        multiplier=form.cleaned_data["multiplier"],
    )
    priced = [tier for tier in result.tiers if tier.best]
    bests = {tier.best.row.model.pk for tier in priced}
    costs = [tier.best.cost.per_month for tier in priced]
    chosen = result.chosen if result.chosen and result.chosen.row.model.pk not in bests else None
    return {
        "currency": workshop_currency(workshop),
        "result": result,
        "tiers": [_shares(tier.best, tier=tier) for tier in priced],
        "missing": [tier.tier for tier in result.tiers if not tier.best],
        # A chosen model that is no tier's cheapest gets a row of its own.
        "chosen_apart": _shares(chosen) if chosen else None,
        # The dearest tier's cost against the cheapest's, for this workload.
        "spread": max(costs) / min(costs) if costs and min(costs) > 0 else None,
        "workload": result.workload,
        "prices_as_of": selectors.workshop_price_freshness(workshop).as_of,
        "set_by_facilitator": workload_set,
    }


def break_even_view(workshop: Workshop) -> dict:
    """API against self-hosting for the chosen figures: the break-even volume, the chart and
    the assumptions it rests on."""
    rows = _priced_rows(workshop)
    inputs = tool_inputs(workshop)
    form, figures_set = _bound(
        BreakEvenForm, inputs.break_even, BreakEvenForm.DEFAULTS, priced_rows=rows
    )
    currency = workshop_currency(workshop)
    return {
        **break_even_context(form, currency, chart_size=charts.BREAK_EVEN_PROJECTOR),
        "form": form,
        "currency": currency,
        "prices_as_of": selectors.workshop_price_freshness(workshop).as_of,
        "set_by_facilitator": figures_set,
    }
