"""Block 1 on the projector: cost evolution, model tiers and break-even for a workshop, from a
known price list (not the bundled one), at its pricing date and in its currency; the
facilitator's choice from the tools' pages, kept through `tool_inputs_set`."""

import datetime
from decimal import Decimal as D

import pytest

from foundation import projector_selectors
from foundation.forms import BreakEvenForm, CalculatorForm
from foundation.models import LLMModel, ToolInputs
from foundation.projector_services import tool_inputs_set
from tests import factories
from tests.live import projector_query
from workshops import live, projector
from workshops.models import Workshop

HX = {"HX-Request": "true"}
# One call of 1,000 input and 1,000 output tokens, 1,000 tasks a month: a month costs the
# input and output list prices added (USD per million tokens).
WORKLOAD = {
    "model": "mid-tier",
    "input_tokens": 1000,
    "output_tokens": 1000,
    "tasks_per_month": 1000,
    "calls_per_task": 1,
    "context_growth_per_call": 0,
    "cached_percent": D(0),
    "batch_percent": D(0),
    "multiplier": 2,
}
WINDOW = {"tier": "mid-tier", "capability": "gpt-4-class", "months": 12}
AS_OF = datetime.date(2025, 6, 1)  # the newest price below


@pytest.fixture
def prices(db):
    """Four models; the newest price is of 1 Jun 2025."""
    LLMModel.objects.all().delete()
    make = factories.make_llm_model
    return {
        "gpt-4": make(
            provider="OpenAI", name="gpt-4", tier="frontier", prices=(("2024-01-01", "30", "60"),)
        ),
        "mini": make(
            provider="OpenAI",
            name="gpt-4o-mini",
            tier="efficient",
            prices=(("2024-07-18", "0.15", "0.60"),),
        ),
        "mid": make(
            provider="Acme",
            name="mid-1",
            tier="mid-tier",
            prices=(("2024-01-01", "3", "15"), ("2025-06-01", "1", "5")),
        ),
        "frontier": make(
            provider="Acme",
            name="frontier-2",
            tier="frontier",
            prices=(("2025-01-01", "10", "30"),),
        ),
    }


@pytest.fixture
def room(prices, facilitator):
    return factories.make_workshop(
        facilitator=facilitator,
        client_organisation="Acme Freight",
        date=datetime.date(2026, 3, 10),
        pricing_date=datetime.date(2026, 3, 1),
        currency="EUR",
        usd_exchange_rate=D(2),
        usd_rate_date=datetime.date(2026, 3, 2),
        usd_rate_source="ECB",
    )


def fresh(workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


def _money(lens) -> tuple:
    c = lens.chosen
    return (lens.label, c.then.cost.per_month, c.now.cost.per_month, c.change_text)


# --- The three views' contexts ----------------------------------------------------------------


def test_evolution_view_tells_the_chosen_window_with_equal_capability_as_headline(room):
    tool_inputs_set(workshop=room, calculator=WORKLOAD, window=WINDOW)
    context = projector_selectors.evolution_view(fresh(room))
    story = context["story"]
    assert (story.anchor, story.months, context["prices_as_of"]) == (AS_OF, 12, AS_OF)
    # GPT-4 class: gpt-4 alone a year before ($30 + $60), gpt-4o-mini now ($0.15 + $0.60).
    assert _money(context["headline"]) == ("GPT-4 class", D(90), D("0.75"), "120x cheaper")
    c = context["headline"].chosen
    assert (c.then_date, c.then.point.model, c.now.point.model) == (
        datetime.date(2024, 6, 1),
        "OpenAI gpt-4",
        "OpenAI gpt-4o-mini",
    )
    assert [_money(lens) for lens in context["other_lenses"]] == [
        ("Acme mid-1", D(18), D(6), "3.0x cheaper"),
        ("Mid-tier", D(18), D(6), "3.0x cheaper"),
    ]
    assert context["set_by_facilitator"] is True
    assert (context["currency"].code, context["currency"].rate) == ("EUR", D(2))
    chart = context["chart"]
    assert (chart.width, chart.height, chart.y_title) == (400, 210, "USD per M tokens")
    assert [s.key for s in chart.series] == ["frontier", "mid-tier", "efficient"]
    assert [s.points for s in chart.series] == [[], [], []]


def test_evolution_view_without_a_choice_tells_the_default_workload(room):
    context = projector_selectors.evolution_view(fresh(room))
    assert context["set_by_facilitator"] is False
    assert context["story"].months == 18
    assert context["workload"].tasks_per_month == CalculatorForm.DEFAULTS["tasks_per_month"]


def test_tiers_view_prices_the_workload_on_each_tiers_cheapest_model(room):
    tool_inputs_set(workshop=room, calculator=WORKLOAD)
    context = projector_selectors.tiers_view(fresh(room))
    rows = [
        (
            row["tier"].tier,
            row["priced"].label,
            row["priced"].cost.per_task,
            row["priced"].cost.per_month,
            row["input_share"],
            row["output_share"],
        )
        for row in context["tiers"]
    ]
    assert rows == [
        ("frontier", "Acme frontier-2", D("0.04"), D(40), D("0.25"), D("0.75")),
        ("mid-tier", "Acme mid-1", D("0.006"), D(6), D(1) / D(6), 1 - D(1) / D(6)),
        ("efficient", "OpenAI gpt-4o-mini", D("0.00075"), D("0.75"), D("0.2"), D("0.8")),
    ]
    assert context["spread"] == D(40) / D("0.75")
    assert (context["missing"], context["chosen_apart"]) == ([], None)
    assert context["result"].chosen.label == "Acme mid-1"
    assert (context["prices_as_of"], context["set_by_facilitator"]) == (AS_OF, True)


def test_tiers_view_gives_a_chosen_model_that_is_no_tiers_cheapest_its_own_row(room, prices):
    tool_inputs_set(workshop=room, calculator={**WORKLOAD, "model": f"m{prices['gpt-4'].pk}"})
    context = projector_selectors.tiers_view(fresh(room))
    chosen = context["chosen_apart"]
    # $30 of input and $60 of output a month.
    assert (chosen["priced"].label, chosen["priced"].cost.per_month) == ("OpenAI gpt-4", D(90))
    assert (chosen["input_share"], chosen["output_share"]) == (D(1) / D(3), 1 - D(1) / D(3))


def test_tiers_view_uses_the_prices_in_force_on_the_pricing_date(prices, facilitator):
    workshop = factories.make_workshop(
        facilitator=facilitator,
        date=datetime.date(2025, 3, 10),
        pricing_date=datetime.date(2025, 3, 1),
    )
    tool_inputs_set(workshop=workshop, calculator=WORKLOAD)
    context = projector_selectors.tiers_view(fresh(workshop))
    # Before 1 Jun 2025 mid-1 cost $3 + $15.
    mid = context["tiers"][1]["priced"]
    assert (mid.label, mid.cost.per_month) == ("Acme mid-1", D(18))
    assert context["prices_as_of"] == datetime.date(2025, 3, 1)


def test_tiers_view_falls_back_to_the_defaults_when_the_chosen_model_is_gone(room, prices):
    tool_inputs_set(workshop=room, calculator={**WORKLOAD, "model": f"m{prices['gpt-4'].pk}"})
    prices["gpt-4"].delete()
    context = projector_selectors.tiers_view(fresh(room))
    assert context["set_by_facilitator"] is False
    assert context["workload"].input_tokens == CalculatorForm.DEFAULTS["input_tokens"]


def test_break_even_view_takes_api_prices_from_the_chosen_model(room, prices):
    figures = {**BreakEvenForm.DEFAULTS, "model": f"m{prices['mid'].pk}"}
    tool_inputs_set(workshop=room, break_even=figures)
    context = projector_selectors.break_even_view(fresh(room))
    result = context["result"]
    # 900M input at $1 and 300M output at $5; one GPU: 730 h x $2.50 + $8,000 operations.
    assert (context["price_label"], context["api_now"], context["hosted_now"]) == (
        "Acme mid-1",
        D(2400),
        D(9825),
    )
    # $2 a million blended; three GPUs ($13,475) break even at 6,737.5M tokens.
    assert (result.api_price_per_mtok, result.volume, result.gpus_at_break_even) == (
        D(2),
        D("6737500000"),
        3,
    )
    assert [label for label, _value, _source in context["assumptions"]] == [
        "GPU $ per hour",
        "Output (generation) tokens/s per GPU",
        "Input (prefill) tokens/s per GPU",
        "Utilisation (%)",
        "Operations $ a month",
    ]
    chart = context["chart"]
    assert (chart.width, chart.height) == (520, 250)
    assert [m[2] for m in chart.markers] == ["Break-even 6.74B"]
    assert (context["prices_as_of"], context["set_by_facilitator"]) == (AS_OF, True)


def test_break_even_view_without_a_choice_uses_the_typed_default_prices(room):
    context = projector_selectors.break_even_view(fresh(room))
    assert (context["price_label"], context["api_now"], context["set_by_facilitator"]) == (
        "typed prices",
        D(7200),
        False,
    )
    assert context["result"].volume == D("1637500000")


# --- Query counts: not growing with the catalogue ----------------------------------------------


def _more_models(count: int) -> None:
    for i in range(count):
        factories.make_llm_model(
            name=f"extra-{i}",
            tier=("frontier", "mid-tier", "efficient")[i % 3],
            prices=(("2024-02-01", "5", "9"), ("2024-09-01", "4", "8"), ("2025-02-01", "3", "7")),
        )


@pytest.mark.parametrize(("view", "queries"), [("evolution", 5), ("tiers", 4), ("break_even", 4)])
def test_block1_view_queries_do_not_grow_with_the_catalogue(
    room, view, queries, django_assert_num_queries
):
    tool_inputs_set(workshop=room, calculator=WORKLOAD, window=WINDOW)
    context = projector.REGISTRY[view].context
    workshop = fresh(room)
    with django_assert_num_queries(queries):
        context(workshop)
    _more_models(12)
    with django_assert_num_queries(queries):
        context(workshop)


# --- The presenter offers them; the projector shows them --------------------------------------


def test_presenter_offers_the_block1_views_after_the_board(facilitator_client, room):
    page = facilitator_client.get(f"/workshops/{room.pk}/presenter/").text
    offered = [view.key for view in projector.available()]
    assert offered[:7] == [
        "agenda",
        "schedule",
        "join",
        "board",
        "evolution",
        "tiers",
        "break_even",
    ]
    for key, label in (
        ("evolution", "Cost evolution"),
        ("tiers", "Model tiers"),
        ("break_even", "Break-even"),
    ):
        assert f'value="{key}" id="show-{key}"' in page
        assert f">{label}</button>" in page


@pytest.mark.parametrize(
    ("view", "shows"),
    [
        (
            "evolution",
            "12 months ago this workload cost <strong>€180</strong> a month; now "
            "<strong>€1.50</strong>",
        ),
        ("tiers", "The dearest tier costs <strong>53x</strong> the cheapest"),
        ("break_even", "Self-hosting breaks even at <strong>6.74B</strong> tokens a month"),
    ],
)
def test_switching_the_projector_to_a_block1_view_shows_it(
    facilitator_client, room, prices, view, shows
):
    tool_inputs_set(
        workshop=room,
        calculator=WORKLOAD,
        window=WINDOW,
        break_even={**BreakEvenForm.DEFAULTS, "model": f"m{prices['mid'].pk}"},
    )
    response = facilitator_client.post(f"/workshops/{room.pk}/projector/show/", {"view": view})
    assert response.status_code == 302
    assert fresh(room).projector_view == view
    page = facilitator_client.get(f"/workshops/{room.pk}/projector/")
    assert page.status_code == 200
    assert f'data-view="{view}"' in page.text
    assert shows in page.text
    assert (
        'Prices as of <strong><time datetime="2025-06-01">1 Jun 2025</time></strong>' in page.text
    )
    assert "in EUR at 2 EUR per USD (ECB, 2 Mar 2026)" in page.text
    assert "as set on the Block 1 page" in page.text


def test_projector_says_when_it_shows_the_tools_defaults(facilitator_client, room):
    live.projector_show(workshop=room, view="tiers")
    page = facilitator_client.get(f"/workshops/{room.pk}/projector/").text
    assert "the tools' defaults (nothing set on the Block 1 page)" in page


def test_projector_on_a_block1_view_redraws_when_new_figures_are_put_on_it(
    facilitator_client, room
):
    live.projector_show(workshop=room, view="evolution")
    url = f"/workshops/{room.pk}/projector/"
    unchanged = facilitator_client.get(f"{url}?{projector_query(room)}", headers=HX)
    assert unchanged.status_code == 204
    rev = projector_query(room)
    tool_inputs_set(workshop=room, calculator=WORKLOAD, window=WINDOW)
    redrawn = facilitator_client.get(f"{url}?{rev}", headers=HX)
    assert redrawn.status_code == 200
    assert "€180</strong>" in redrawn.text


# --- Access: only the workshop's facilitators switch; the projector page is theirs -----------


@pytest.mark.parametrize("view", ["evolution", "tiers", "break_even"])
def test_other_facilitator_cannot_switch_to_a_block1_view(client, room, view):
    client.force_login(factories.make_facilitator())
    response = client.post(f"/workshops/{room.pk}/projector/show/", {"view": view})
    assert response.status_code == 404
    assert fresh(room).projector_view == "agenda"
    assert client.get(f"/workshops/{room.pk}/projector/").status_code == 404


def test_participant_cannot_switch_or_see_the_projector(client, room):
    table = factories.make_table(workshop=room)
    factories.join_table(client, factories.make_participant(table=table))
    response = client.post(f"/workshops/{room.pk}/projector/show/", {"view": "tiers"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert fresh(room).projector_view == "agenda"
    assert client.get(f"/workshops/{room.pk}/projector/").status_code == 302


def test_stored_inputs_go_with_their_workshop(room):
    tool_inputs_set(workshop=room, calculator=WORKLOAD)
    room.delete()
    assert ToolInputs.objects.count() == 0


@pytest.mark.parametrize(
    ("view", "says"),
    [
        ("evolution", "No model has a price 18 months ago and now for this workload."),
        ("tiers", "No model has a price on the pricing date."),
        ("break_even", "The catalogue holds no prices"),
    ],
)
def test_block1_views_with_an_empty_catalogue_say_so(facilitator_client, room, view, says):
    LLMModel.objects.all().delete()
    live.projector_show(workshop=room, view=view)
    page = facilitator_client.get(f"/workshops/{room.pk}/projector/")
    assert page.status_code == 200
    assert says in page.text
