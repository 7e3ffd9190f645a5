"""The token calculator, the cost evolution story and the break-even page: results, partials,
the workshop's currency, and every field's bad inputs."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from foundation.models import GlossaryTerm, LLMModel, PricePoint
from tests import factories

pytestmark = pytest.mark.usefixtures("seeded")

CALCULATOR = reverse("foundation:calculator")
BREAK_EVEN = reverse("foundation:break_even")
EVOLUTION = reverse("foundation:evolution")

GOOD = {
    "model": "mid-tier",
    "input_tokens": "3000",
    "output_tokens": "500",
    "tasks_per_month": "20000",
    "calls_per_task": "4",
    "context_growth_per_call": "800",
    "cached_percent": "40",
    "batch_percent": "0",
    "multiplier": "3",
}


@pytest.fixture
def catalogue(db):
    """A small known catalogue instead of the seeded one."""
    LLMModel.objects.all().delete()
    return {
        "mid": factories.make_llm_model(
            provider="Acme", name="mid-a", tier="mid-tier", prices=(("2025-01-01", "3", "15"),)
        ),
        "mid_cheap": factories.make_llm_model(
            provider="Acme", name="mid-b", tier="mid-tier", prices=(("2025-01-01", "1", "5"),)
        ),
        "frontier": factories.make_llm_model(
            provider="Acme",
            name="big",
            tier="frontier",
            prices=(("2024-01-01", "30", "60"), ("2025-06-01", "10", "40")),
        ),
        "efficient": factories.make_llm_model(
            provider="Acme",
            name="small",
            tier="efficient",
            prices=(("2025-01-01", "0.10", "0.40"),),
            cached="0.05",
        ),
    }


def test_calculator_defaults_show_the_cheapest_mid_tier_model(client, catalogue):
    response = client.get(CALCULATOR)
    assert response.status_code == 200
    result = response.context["result"]
    # mid-b at $1/$5 has no cached price, so cached tokens are billed as input:
    # input 16,800 x 1 / 1M = 0.0168; output 2,000 x 5 / 1M = 0.01
    assert result.chosen.row.model == catalogue["mid_cheap"]
    assert result.chosen.cost.per_task == D("0.0268")
    assert result.no_cached_price is True
    content = response.content.decode()
    assert '<span class="stat-value" id="cost-per-task">$0.02680</span>' in content
    assert '<span class="stat-value" id="cost-per-month">$536</span>' in content
    assert '<span class="stat-value" id="cost-per-year">$6,432</span>' in content
    assert "cached tokens are priced as input" in content


@time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False)
def test_calculator_compares_each_tier_cheapest_model(client, catalogue):
    response = client.get(CALCULATOR, GOOD)
    tiers = {t.tier: t for t in response.context["result"].tiers}
    assert tiers["frontier"].best.row.model == catalogue["frontier"]
    assert tiers["frontier"].best.cost.per_task == D("0.248")  # 16,800 x 10/M + 2,000 x 40/M
    assert tiers["efficient"].best.row.model == catalogue["efficient"]
    assert tiers["mid-tier"].models == 2


def test_calculator_named_model_and_drivers(client, catalogue):
    query = {**GOOD, "model": f"m{catalogue['mid'].pk}", "cached_percent": "0"}
    result = client.get(CALCULATOR, query).context["result"]
    # 16,800 x 3 / M + 2,000 x 15 / M = 0.0504 + 0.03 = 0.0804 per task, x 20,000 = 1,608
    assert result.chosen.cost.per_month == result.chosen.cost.per_task * 20000
    assert result.chosen.cost.per_month == D("1608.0000")
    assert [d.per_month for d in result.drivers] == [D(2616), D(7128), D(2808)]
    assert result.chosen_by_tier is None


def test_calculator_htmx_request_gets_results_partial(client, catalogue):
    response = client.get(CALCULATOR, GOOD, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="calc-results"')
    assert "<html" not in content
    assert 'id="err-input_tokens" class="error-slot" hx-swap-oob="true"' in content


def test_calculator_in_a_workshop_shows_its_currency(facilitator_client, workshop, catalogue):
    workshop.usd_exchange_rate = "0.5"
    workshop.usd_rate_source = "ECB"
    workshop.usd_rate_date = dt.date(2026, 12, 1)
    workshop.save()
    response = facilitator_client.get(CALCULATOR, {**GOOD, "workshop": workshop.pk})
    content = response.content.decode()
    assert "Amounts in <strong>EUR</strong> at 0.5 EUR per USD (ECB, 1 Dec 2026)" in content
    assert '<span class="stat-value" id="cost-per-month">€268</span>' in content  # 536 x 0.5


def test_calculator_participant_sees_their_workshop_currency(client, workshop, catalogue):
    workshop.usd_exchange_rate = "2"
    workshop.save()
    participant = factories.make_participant(table=factories.make_table(workshop=workshop))
    factories.join_table(client, participant)
    content = client.get(CALCULATOR, GOOD).content.decode()
    assert '<span class="stat-value" id="cost-per-month">€1,072</span>' in content


def test_calculator_other_facilitators_workshop_is_404(client, workshop, catalogue):
    client.force_login(factories.make_user())
    assert client.get(CALCULATOR, {**GOOD, "workshop": workshop.pk}).status_code == 404
    assert client.get(CALCULATOR, {**GOOD, "workshop": "abc"}).status_code == 404


def test_calculator_anonymous_gets_usd(client, catalogue):
    content = client.get(CALCULATOR, GOOD).content.decode()
    assert "Amounts in" not in content
    assert '<span class="stat-value" id="cost-per-month">$536</span>' in content


def test_calculator_without_models_says_so(client, db):
    LLMModel.objects.all().delete()
    content = client.get(CALCULATOR).content.decode()
    assert "No model has a price yet." in content


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("input_tokens", "", "Enter the input tokens per call, for example 3,000."),
        ("input_tokens", "-5", "The input tokens per call cannot be negative."),
        (
            "input_tokens",
            "lots",
            "Enter the input tokens per call as a whole number, for example 3,000.",
        ),
        ("input_tokens", "99999999999", "The input tokens per call can be at most 10,000,000."),
        ("input_tokens", "1" * 40, "The input tokens per call can be at most 10,000,000."),
        (
            "input_tokens",
            "²",
            "Enter the input tokens per call as a whole number, for example 3,000.",
        ),
        (
            "output_tokens",
            "12.5",
            "Enter the output tokens per call as a whole number, for example 500.",
        ),
        ("output_tokens", "-1", "The output tokens per call cannot be negative."),
        ("output_tokens", "2000000", "The output tokens per call can be at most 1,000,000."),
        ("tasks_per_month", "", "Enter the tasks per month, for example 20,000."),
        (
            "tasks_per_month",
            "ten",
            "Enter the tasks per month as a whole number, for example 20,000.",
        ),
        ("tasks_per_month", "2000000000", "The tasks per month can be at most 1,000,000,000."),
        ("calls_per_task", "0", "The model calls per task must be at least 1."),
        ("calls_per_task", "-3", "The model calls per task cannot be negative."),
        ("calls_per_task", "5000", "The model calls per task can be at most 1,000."),
        ("context_growth_per_call", "-800", "The context growth per call cannot be negative."),
        (
            "context_growth_per_call",
            "<script>",
            "Enter the context growth per call as a whole number, for example 800.",
        ),
        ("cached_percent", "150", "The cached share of input can be at most 100."),
        ("cached_percent", "-1", "The cached share of input cannot be negative."),
        ("cached_percent", "forty", "Enter the cached share of input as a number, for example 40."),
        ("cached_percent", "NaN", "Enter the cached share of input as a number, for example 40."),
        ("cached_percent", "", "Enter the cached share of input, for example 40."),
        (
            "batch_percent",
            "Infinity",
            "Enter the batch share of tasks as a number, for example 25.",
        ),
        ("batch_percent", "101", "The batch share of tasks can be at most 100."),
        ("multiplier", "1", "The what-if multiplier must be at least 2."),
        ("multiplier", "100", "The what-if multiplier can be at most 20."),
        ("model", "m999999", "Choose a model or a tier from the list."),
        ("model", "", "This field is required."),
    ],
)
def test_calculator_bad_input_is_explained(client, catalogue, field, value, message):
    before = (LLMModel.objects.count(), PricePoint.objects.count(), GlossaryTerm.objects.count())
    response = client.get(CALCULATOR, {**GOOD, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert response.context["result"] is None
    assert (
        LLMModel.objects.count(),
        PricePoint.objects.count(),
        GlossaryTerm.objects.count(),
    ) == before


def test_calculator_bad_input_in_htmx_is_422_with_field_error(client, catalogue):
    response = client.get(
        CALCULATOR,
        {**GOOD, "input_tokens": "<script>alert(1)</script>"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "Enter the input tokens per call as a whole number, for example 3,000." in content
    assert "<script>alert" not in content


def test_calculator_typed_script_is_shown_escaped(client, catalogue):
    content = client.get(
        CALCULATOR, {**GOOD, "tasks_per_month": "<script>x</script>"}
    ).content.decode()
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in content
    assert "<script>x</script>" not in content


def test_calculator_accepts_thousands_separators(client, catalogue):
    response = client.get(CALCULATOR, {**GOOD, "tasks_per_month": "20,000"})
    assert response.context["form"].cleaned_data["tasks_per_month"] == 20000


def test_calculator_refuses_another_formats_number_and_says_how_it_was_read(client, catalogue):
    response = client.get(CALCULATOR, {**GOOD, "cached_percent": "40,5", "input_tokens": "3 000"})
    errors = response.context["form"].errors
    assert errors["cached_percent"] == [
        "Read in the “1,234.56”: “,” between thousands, “.” before "
        "decimals format, “40,5” is not a number: “,” separates thousands, in groups of three "
        "digits (1,234). If you meant 40.5, write 40.5."
    ]
    assert errors["input_tokens"] == [
        "Enter the input tokens per call as a whole number, for example 3,000."
    ]


@pytest.mark.parametrize(
    ("number_format", "tasks", "cached", "gpu"),
    [("point-comma", "20.000", "40,5", "2,50"), ("space-comma", "20 000", "40,5", "2,50")],
)
def test_tools_read_numbers_in_the_workshops_format(
    facilitator_client, workshop, catalogue, number_format, tasks, cached, gpu
):
    workshop.number_format = number_format
    workshop.save()
    query = {**GOOD, "workshop": workshop.pk, "tasks_per_month": tasks, "cached_percent": cached}
    form = facilitator_client.get(CALCULATOR, query).context["form"]
    assert (form.cleaned_data["tasks_per_month"], form.cleaned_data["cached_percent"]) == (
        20000,
        D("40.5"),
    )
    # The workload travels to the other tools written in the same format.
    assert ("cached_percent", "40,5") in form.query_items()
    response = facilitator_client.get(
        BREAK_EVEN, {**BREAK_EVEN_GOOD, "workshop": workshop.pk, "gpu_price_per_hour": gpu}
    )
    assert response.context["form"].cleaned_data["gpu_price_per_hour"] == D("2.50")


def test_break_even_refuses_a_european_price_in_the_default_format(client, catalogue):
    response = client.get(BREAK_EVEN, {**BREAK_EVEN_GOOD, "gpu_price_per_hour": "2,50"})
    assert (
        response.context["form"]
        .errors["gpu_price_per_hour"][0]
        .endswith("If you meant 2.50, write 2.50.")
    )


def test_calculator_zero_and_largest_inputs_do_not_crash(client, catalogue):
    zero = {
        **GOOD,
        "input_tokens": "0",
        "output_tokens": "0",
        "tasks_per_month": "0",
        "context_growth_per_call": "0",
    }
    response = client.get(CALCULATOR, zero)
    assert response.status_code == 200
    assert response.context["result"].chosen.cost.per_year == 0
    largest = {
        **GOOD,
        "input_tokens": "10000000",
        "output_tokens": "1000000",
        "tasks_per_month": "1000000000",
        "calls_per_task": "1000",
        "context_growth_per_call": "1000000",
        "multiplier": "20",
    }
    assert client.get(CALCULATOR, largest).status_code == 200


# --- Cost evolution --------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 9, 5, 12, tzinfo=dt.UTC), tick=False)
def test_evolution_story_for_the_calculator_tier(client, catalogue):
    # The small catalogue's newest price took effect on 2025-06-01: the story is told as of
    # then, not of today. 12 months before, the frontier model "big" cost $30/$60.
    response = client.get(
        EVOLUTION, {**GOOD, "model": "frontier", "cached_percent": "0", "months": "12"}
    )
    story = response.context["story"]
    assert story.anchor == dt.date(2025, 6, 1)
    tier = story.tier.chosen
    assert (tier.then_date, tier.then.point.model, tier.now.point.model) == (
        dt.date(2024, 6, 1),
        "Acme big",
        "Acme big",
    )
    # then (16,800 x 30 + 2,000 x 60) / M x 20,000 = 12,480;
    # now (16,800 x 10 + 2,000 x 40) / M x 20,000 = 4,960
    assert tier.then.cost.per_month == D("12480.0000")
    assert tier.now.cost.per_month == D("4960.0000")
    assert tier.change_text == "2.5x cheaper"
    assert story.same_model.chosen.then.point.model == "Acme big"
    assert story.capability.note == "No GPT-4 class model has a price in the catalogue."
    content = response.content.decode()
    assert (
        "12 months earlier (1 Jun 2024) this workload cost <strong>$12,480</strong> a month,"
        in content
    )
    assert "on 1 Jun 2025 <strong>$4,960</strong>" in content
    assert "$12,480 ÷ $4,960 = 2.5x" in content
    assert "then (3 x 30 + 60) / 4 = 37.5; now (3 x 10 + 40) / 4 = 17.5; 37.5 / 17.5 = 2.1x" in (
        content
    )
    assert "Acme price list" in content  # sources cited


def test_evolution_svg_chart_has_no_style_attributes(client, catalogue):
    content = client.get(EVOLUTION, GOOD).content.decode()
    assert '<svg class="chart"' in content
    assert "style=" not in content


@pytest.mark.parametrize(
    "value, message",
    [
        ("5", "The number of months must be at least 6."),
        ("37", "The number of months can be at most 36."),
        ("soon", "Enter the number of months as a whole number, for example 18."),
        ("", "Enter the number of months, for example 18."),
    ],
)
def test_evolution_window_out_of_range_is_explained(client, catalogue, value, message):
    response = client.get(EVOLUTION, {**GOOD, "months": value, "tier": "frontier"})
    assert response.context["window"].errors["months"] == [message]
    assert response.context["story"] is None


def test_evolution_present_mode_hides_the_chrome(client, catalogue):
    content = client.get(EVOLUTION, {**GOOD, "present": "1"}).content.decode()
    assert 'class="tools present"' in content


# --- Break-even ------------------------------------------------------------------------------

BREAK_EVEN_GOOD = {
    "input_mtok": "900",
    "output_mtok": "300",
    "model": "",
    "api_input_price": "3",
    "api_output_price": "15",
    "gpu_price_per_hour": "2.50",
    # The same rate for input and output keeps these worked examples at 460 tokens/s a GPU.
    "prefill_tokens_per_second": "460",
    "generation_tokens_per_second": "460",
    "utilisation_percent": "60",
    "ops_cost_per_month": "10000",
}


def test_break_even_below_volume_recommends_the_api(client, catalogue):
    response = client.get(BREAK_EVEN, BREAK_EVEN_GOOD)
    context = response.context
    assert context["api_now"] == D("7200.00")
    assert context["hosted_now"] == D("13650.00")  # 2 GPUs x 1,825 + 10,000
    assert context["result"].gpus_at_break_even == 4
    assert context["advice"].kind == "api"
    content = response.content.decode()
    assert "Stay on the API." in content
    assert "2.88B" in content
    assert "style=" not in content


def test_break_even_above_volume_recommends_self_hosting(client, catalogue):
    response = client.get(
        BREAK_EVEN, {**BREAK_EVEN_GOOD, "input_mtok": "3000", "output_mtok": "1000"}
    )
    assert response.context["advice"].kind == "self-host"
    assert "Self-hosting would save" in response.content.decode()


def test_break_even_never(client, catalogue):
    response = client.get(
        BREAK_EVEN, {**BREAK_EVEN_GOOD, "api_input_price": "0.1", "api_output_price": "0.4"}
    )
    assert response.context["result"].never is True
    content = response.content.decode()
    assert "self-hosting never breaks even at these prices" in content
    assert '<span class="stat-value" id="break-even-volume">never</span>' in content


def test_break_even_zero_volume(client, catalogue):
    response = client.get(BREAK_EVEN, {**BREAK_EVEN_GOOD, "input_mtok": "0", "output_mtok": "0"})
    assert response.status_code == 200
    assert response.context["advice"].kind == "no-volume"


def test_break_even_prices_from_a_catalogue_model(client, catalogue):
    query = {
        **BREAK_EVEN_GOOD,
        "model": f"m{catalogue['mid'].pk}",
        "api_input_price": "",
        "api_output_price": "",
    }
    response = client.get(BREAK_EVEN, query)
    assert response.context["price_label"] == "Acme mid-a"
    assert response.context["api_now"] == D("7200.000000")


def test_break_even_absurd_inputs_do_not_crash(client, catalogue):
    absurd = {
        **BREAK_EVEN_GOOD,
        "input_mtok": "100000000",
        "output_mtok": "100000000",
        "prefill_tokens_per_second": "0.001",
        "generation_tokens_per_second": "0.001",
        "utilisation_percent": "0.01",
        "gpu_price_per_hour": "1000",
        "ops_cost_per_month": "100000000",
    }
    response = client.get(BREAK_EVEN, absurd)
    assert response.status_code == 200
    assert response.context["result"].never is True


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("input_mtok", "-1", "The monthly input tokens cannot be negative."),
        ("input_mtok", "", "Enter the monthly input tokens, for example 900."),
        ("output_mtok", "many", "Enter the monthly output tokens as a number, for example 300."),
        ("output_mtok", "1e12", "Enter the monthly output tokens as a number, for example 300."),
        ("api_input_price", "", "Enter the API input price, or choose a model to take it from."),
        ("api_output_price", "-2", "The API output price cannot be negative."),
        (
            "gpu_price_per_hour",
            "abc",
            "Enter the GPU price per hour as a number, for example 2.50.",
        ),
        ("gpu_price_per_hour", "5000", "The GPU price per hour can be at most 1,000."),
        (
            "generation_tokens_per_second",
            "0",
            "The generation tokens per second per GPU must be more than 0.",
        ),
        (
            "prefill_tokens_per_second",
            "-460",
            "The prefill tokens per second per GPU cannot be negative.",
        ),
        ("utilisation_percent", "0", "The utilisation must be more than 0."),
        ("utilisation_percent", "120", "The utilisation can be at most 100."),
        (
            "ops_cost_per_month",
            "<b>8000</b>",
            "Enter the engineering and operations cost as a number, for example 8,000.",
        ),
        ("model", "m0", "Choose a model from the list, or type the prices."),
    ],
)
def test_break_even_bad_input_is_explained(client, catalogue, field, value, message):
    before = (LLMModel.objects.count(), PricePoint.objects.count())
    response = client.get(BREAK_EVEN, {**BREAK_EVEN_GOOD, field: value})
    assert response.context["form"].errors[field] == [message]
    assert "result" not in response.context
    assert (LLMModel.objects.count(), PricePoint.objects.count()) == before


def test_break_even_htmx_partial(client, catalogue):
    response = client.get(BREAK_EVEN, BREAK_EVEN_GOOD, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<section id="break-even-results"')


def test_break_even_counts_input_at_prefill_and_output_at_generation_speed(client, catalogue):
    query = {**BREAK_EVEN_GOOD, "prefill_tokens_per_second": "5000"}
    context = client.get(BREAK_EVEN, query).context
    # 900M in, 300M out: 75% input. 1 / (0.75 / 5,000 + 0.25 / 460) = 1,442.01 tokens/s
    assert context["mixed_tokens_per_second"].quantize(D("0.01")) == D("1442.01")
    hosting = context["result"].hosting
    # One GPU: 1,442.01 x 3,600 x 730 x 0.6 = 2.27 billion tokens a month; 1.2 billion -> 1 GPU
    assert context["gpus_now"] == 1
    assert hosting.tokens_per_gpu_month.quantize(D(1)) == D("2273755486")


def test_break_even_defaults_name_their_sources_or_say_assumption(client, catalogue):
    content = client.get(BREAK_EVEN).content.decode()
    assert "generates about 460 tokens/s at batch 64" in content
    assert "H100 rental is $1.99 to $5.00 per GPU-hour" in content
    assert content.count("Assumption:") >= 3
    assert "1 / (75% / 5,000 + 25% / 460) = 1,442 tokens/s per GPU" in content
