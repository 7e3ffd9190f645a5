"""The AI Economics 101 toolkit. Readable by anyone: it holds no client data. Amounts show in
the workshop's currency when opened in a workshop context (see foundation.currency)."""

from decimal import Decimal
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import calculator, charts, economics, selectors
from ..capability import capability_classes
from ..currency import tool_currency
from ..forms import (
    BREAK_EVEN_SOURCES,
    BreakEvenForm,
    CalculatorForm,
    EvolutionForm,
    GlossarySearchForm,
    query_items,
)


def _freshness(currency):
    workshop = currency.workshop
    return selectors.price_freshness(workshop_date=workshop.date if workshop else None)


def _page(request, template: str, context: dict, *, partial: str, status: int = 200, prices=False):
    """The page, or its named partial for an htmx request. A page showing prices says how
    old they are (`prices`)."""
    currency = context.setdefault("currency", tool_currency(request))
    if prices:
        context.setdefault("freshness", _freshness(currency))
    context.setdefault(
        "context_query",
        f"workshop={currency.workshop.pk}"
        if currency.workshop and "workshop" in request.GET
        else "",
    )
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)


@require_GET
def index(request):
    return _page(request, "foundation/index.html", {}, partial="content")


@require_GET
def glossary(request):
    form = GlossarySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    terms = list(selectors.glossary_search(query=query))
    return _page(
        request,
        "foundation/glossary.html",
        {"form": form, "terms": terms, "query": query},
        partial="results",
    )


@require_GET
def catalogue(request):
    today = timezone.localdate()
    rows = selectors.catalogue(today=today)
    return _page(
        request,
        "foundation/catalogue.html",
        {"rows": rows, "today": today, "tiers": charts.TIER_LABELS},
        partial="content",
        prices=True,
    )


def number_format(currency) -> str | None:
    """The workshop's number format: how the tools read what people type."""
    return currency.workshop.number_format if currency.workshop else None


def _calculator_form(request) -> tuple[CalculatorForm, list]:
    rows = selectors.priced_models()
    fmt = number_format(tool_currency(request))
    return CalculatorForm.from_query(request.GET, priced_rows=rows, number_format=fmt), rows


@require_GET
def calculator_page(request):
    form, rows = _calculator_form(request)
    context = {"form": form, "result": None, "has_models": bool(rows)}
    if form.is_valid():
        context["result"] = calculator.calculate(
            workload=form.workload(),
            choice=form.cleaned_data["model"],
            priced_rows=rows,
            multiplier=form.cleaned_data["multiplier"],
        )
        context["workload_query"] = urlencode(form.query_items())
        context["project_items"] = form.query_items()
    status = 422 if request.htmx and form.errors else 200
    return _page(
        request,
        "foundation/calculator.html",
        context,
        partial="results",
        status=status,
        prices=True,
    )


@require_GET
def evolution(request):
    form, _rows = _calculator_form(request)
    currency = tool_currency(request)
    window = EvolutionForm.from_query(
        request.GET, default_tier=form.tier(), number_format=number_format(currency)
    )
    context = {
        "form": form,
        "window": window,
        "story": None,
        "present": "present" in request.GET,
        "currency": currency,
    }
    if form.is_valid() and window.is_valid():
        context.update(evolution_context(form, window, currency))
        context["project_items"] = form.query_items() + query_items(window)
    status = 422 if request.htmx and (form.errors or window.errors) else 200
    return _page(
        request, "foundation/evolution.html", context, partial="story", status=status, prices=True
    )


def evolution_context(
    form: CalculatorForm,
    window: EvolutionForm,
    currency,
    *,
    chart_size: tuple[int, int] = charts.EVOLUTION_PAGE,
) -> dict:
    """The cost evolution story for the calculator's workload (shared with the PDF and the
    projector), anchored on the newest date the prices reach, or the workshop's pricing date
    if earlier."""
    workshop = currency.workshop
    freshness = _freshness(currency)
    anchor = freshness.known_on(workshop.pricing_date if workshop else timezone.localdate())
    points = selectors.dated_prices()
    chosen = form.models_by_value.get(form.cleaned_data["model"])
    data = window.cleaned_data
    story = calculator.evolution_story(
        points=points,
        workload=form.workload(),
        tier=data["tier"],
        capability=capability_classes()[data["capability"]],
        months=data["months"],
        anchor=anchor,
        model=f"{chosen.model.provider} {chosen.model.name}" if chosen else None,
    )
    return {
        "story": story,
        "freshness": freshness,
        "chart": charts.evolution_chart(points, today=anchor, size=chart_size),
        "workload_query": urlencode(form.query_items() + list(data.items())),
        "today": anchor,
    }


@require_GET
def break_even(request):
    rows = selectors.priced_models()
    form = BreakEvenForm.from_query(
        request.GET, priced_rows=rows, number_format=number_format(tool_currency(request))
    )
    context = {"form": form}
    if form.is_valid():
        context.update(break_even_context(form, tool_currency(request)))
        context["project_items"] = query_items(form)
    status = 422 if request.htmx and form.errors else 200
    return _page(
        request,
        "foundation/break_even.html",
        context,
        partial="results",
        status=status,
        prices=True,
    )


def break_even_context(
    form: BreakEvenForm, currency, *, chart_size: tuple[int, int] = charts.BREAK_EVEN_PAGE
) -> dict:
    """API against self-hosting for the form's figures (shared with the projector)."""
    data = form.cleaned_data
    input_tokens = data["input_mtok"] * economics.MILLION
    output_tokens = data["output_mtok"] * economics.MILLION
    volume = input_tokens + output_tokens
    input_share = input_tokens / volume if volume else Decimal("0.75")
    mixed = economics.mixed_tokens_per_second(
        input_share=input_share,
        prefill_tokens_per_second=data["prefill_tokens_per_second"],
        generation_tokens_per_second=data["generation_tokens_per_second"],
    )
    hosting = economics.SelfHosting(
        gpu_price_per_hour=data["gpu_price_per_hour"],
        tokens_per_second_per_gpu=mixed,
        utilisation=data["utilisation_percent"] / 100,
        fixed_cost_per_month=data["ops_cost_per_month"],
    )
    result = economics.break_even(
        input_share=input_share,
        input_price_per_mtok=data["api_input_price"],
        output_price_per_mtok=data["api_output_price"],
        hosting=hosting,
    )
    api_now = result.api_cost(volume)
    hosted_now = result.self_hosted_cost(volume)
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency.code, currency.code + " ")
    return {
        "result": result,
        "volume": volume,
        "input_share": input_share,
        "output_share": 1 - input_share,
        "mixed_tokens_per_second": mixed,
        "assumptions": [
            (form[name].label, form[name].value(), source)
            for name, source in BREAK_EVEN_SOURCES.items()
        ],
        "api_now": api_now,
        "hosted_now": hosted_now,
        "gpus_now": hosting.gpus(volume),
        "advice": calculator.break_even_advice(
            result=result, volume=volume, api_now=api_now, hosted_now=hosted_now
        ),
        "price_label": data["price_label"],
        "chart": charts.break_even_chart(
            result, volume=volume, rate=currency.rate, symbol=symbol, size=chart_size
        ),
    }
