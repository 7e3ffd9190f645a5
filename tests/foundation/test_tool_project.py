"""'Show on the projector' from the Block 1 tools: the facilitator's figures are kept for the
workshop (tool_inputs_set) and the projector switches; anything that does not validate is
refused with a message and nothing is kept."""

import datetime
from decimal import Decimal as D

import pytest

from foundation.models import ToolInputs
from foundation.projector_services import tool_inputs_set
from tests import factories
from workshops.models import Workshop

CALCULATOR = {
    "model": "mid-tier",
    "input_tokens": "3,000",
    "output_tokens": "500",
    "tasks_per_month": "20,000",
    "calls_per_task": "4",
    "context_growth_per_call": "800",
    "cached_percent": "40",
    "batch_percent": "12.5",
    "multiplier": "3",
}
STORED_CALCULATOR = {
    "model": "mid-tier",
    "input_tokens": "3000",
    "output_tokens": "500",
    "tasks_per_month": "20000",
    "calls_per_task": "4",
    "context_growth_per_call": "800",
    "cached_percent": "40",
    "batch_percent": "12.5",
    "multiplier": "3",
}
WINDOW = {"tier": "frontier", "capability": "gpt-4-class", "months": "12"}
BREAK_EVEN = {
    "input_mtok": "900",
    "output_mtok": "300",
    "model": "",
    "api_input_price": "3.00",
    "api_output_price": "15.00",
    "gpu_price_per_hour": "2.50",
    "prefill_tokens_per_second": "5,000",
    "generation_tokens_per_second": "460",
    "utilisation_percent": "60",
    "ops_cost_per_month": "8,000",
}
CLEANED = {
    "model": "mid-tier",
    "input_tokens": 3000,
    "output_tokens": 500,
    "tasks_per_month": 20000,
    "calls_per_task": 4,
    "context_growth_per_call": 800,
    "cached_percent": D("40"),
    "batch_percent": D("12.5"),
    "multiplier": 3,
}


@pytest.fixture
def room(db, facilitator):
    return factories.make_workshop(
        facilitator=facilitator,
        date=datetime.date(2026, 3, 10),
        pricing_date=datetime.date(2026, 3, 1),
    )


def fresh(workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


def revisions(workshop) -> tuple[int, int, int, int]:
    w = fresh(workshop)
    return (w.revision, w.room_revision, w.board_revision, w.work_revision)


def project(client, workshop, tool, values, **kwargs):
    return client.post(
        f"/foundation/workshops/{workshop.pk}/project/", {"tool": tool, **values}, **kwargs
    )


# --- The service ------------------------------------------------------------------------------


def test_tool_inputs_set_keeps_plain_text_and_bumps_the_overview(room):
    before = revisions(room)
    inputs = tool_inputs_set(workshop=room, calculator=CLEANED)
    assert ToolInputs.objects.get(pk=room.pk).calculator == STORED_CALCULATOR
    assert (inputs.window, inputs.break_even) == ({}, {})
    revision, room_rev, board, work = before
    assert revisions(room) == (revision + 1, room_rev, board + 1, work)


def test_tool_inputs_set_keeps_the_parts_not_given(room):
    tool_inputs_set(workshop=room, calculator=CLEANED)
    tool_inputs_set(workshop=room, window={"tier": "efficient", "capability": "x", "months": 6})
    stored = ToolInputs.objects.get(pk=room.pk)
    assert stored.calculator == STORED_CALCULATOR
    assert stored.window == {"tier": "efficient", "capability": "x", "months": "6"}


@pytest.mark.parametrize(
    "calculator",
    [
        {k: v for k, v in CLEANED.items() if k != "multiplier"},  # a field missing
        {**CLEANED, "colour": "red"},  # a field unknown
        {**CLEANED, "input_tokens": 3000.5},  # a float, not Decimal
        {**CLEANED, "input_tokens": [3000]},
        {**CLEANED, "input_tokens": True},
        {**CLEANED, "cached_percent": D("NaN")},
        {**CLEANED, "cached_percent": D("Infinity")},
    ],
)
def test_tool_inputs_set_refuses_what_no_form_gives(room, calculator):
    before = revisions(room)
    with pytest.raises(ValueError):
        tool_inputs_set(workshop=room, calculator=calculator)
    assert ToolInputs.objects.count() == 0
    assert revisions(room) == before


# --- Show on the projector --------------------------------------------------------------------


def test_project_calculator_keeps_the_workload_and_shows_the_tiers(facilitator_client, room):
    response = project(facilitator_client, room, "calculator", CALCULATOR)
    assert response.status_code == 302
    assert response["Location"] == (
        "/foundation/calculator/?model=mid-tier&input_tokens=3%2C000&output_tokens=500"
        "&tasks_per_month=20%2C000&calls_per_task=4&context_growth_per_call=800"
        f"&cached_percent=40&batch_percent=12.5&multiplier=3&workshop={room.pk}"
    )
    assert ToolInputs.objects.get(pk=room.pk).calculator == STORED_CALCULATOR
    assert fresh(room).projector_view == "tiers"
    page = facilitator_client.get(response["Location"])
    assert "The projector shows the model tiers with these figures." in page.text


def test_project_evolution_keeps_workload_and_window(facilitator_client, room):
    response = project(facilitator_client, room, "evolution", {**CALCULATOR, **WINDOW})
    assert response.status_code == 302
    stored = ToolInputs.objects.get(pk=room.pk)
    assert (stored.calculator, stored.window) == (
        STORED_CALCULATOR,
        {"tier": "frontier", "capability": "gpt-4-class", "months": "12"},
    )
    assert fresh(room).projector_view == "evolution"


def test_project_break_even_keeps_the_figures(facilitator_client, room):
    response = project(facilitator_client, room, "break_even", BREAK_EVEN)
    assert response.status_code == 302
    assert ToolInputs.objects.get(pk=room.pk).break_even == {
        "input_mtok": "900",
        "output_mtok": "300",
        "model": "",
        "api_input_price": "3",
        "api_output_price": "15",
        "gpu_price_per_hour": "2.50",
        "prefill_tokens_per_second": "5000",
        "generation_tokens_per_second": "460",
        "utilisation_percent": "60",
        "ops_cost_per_month": "8000",
    }
    assert fresh(room).projector_view == "break_even"


def test_project_reads_the_workshops_number_format(facilitator_client, facilitator):
    workshop = factories.make_workshop(facilitator=facilitator, number_format="point-comma")
    typed = {**CALCULATOR, "input_tokens": "3.000", "tasks_per_month": "20.000"}
    response = project(
        facilitator_client, workshop, "calculator", {**typed, "batch_percent": "12,5"}
    )
    assert response.status_code == 302
    stored = ToolInputs.objects.get(pk=workshop.pk).calculator
    assert (stored["input_tokens"], stored["tasks_per_month"], stored["batch_percent"]) == (
        "3000",
        "20000",
        "12.5",
    )


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("input_tokens", "-5", "Input tokens per call: "),
        ("input_tokens", "lots", "Input tokens per call: "),
        ("input_tokens", "99999999999", "Input tokens per call: "),
        ("input_tokens", "", "Input tokens per call: "),
        ("tasks_per_month", "2,5", "Tasks per month: "),
        ("tasks_per_month", "<script>alert(1)</script>", "Tasks per month: "),
        ("cached_percent", "140", "Cached share of input (%): "),
        ("calls_per_task", "٠", "Model calls per task: "),  # Arabic-Indic zero: below 1
        ("model", "gpt-9", "Model: choose a model with a list price"),
    ],
)
def test_project_refuses_bad_figures_and_keeps_nothing(
    facilitator_client, room, field, typed, message
):
    before = revisions(room)
    response = project(facilitator_client, room, "calculator", {**CALCULATOR, field: typed})
    assert response.status_code == 302
    assert response["Location"].startswith("/foundation/calculator/?")
    assert ToolInputs.objects.count() == 0
    assert fresh(room).projector_view == "agenda"
    assert revisions(room) == before
    page = facilitator_client.get(response["Location"]).text
    assert "Nothing was put on the projector. " + message in page
    assert "<script>alert(1)</script>" not in page


def test_project_refuses_a_model_without_a_price_on_the_pricing_date(facilitator_client, room):
    later = factories.make_llm_model(name="later-1", prices=(("2026-06-01", "1", "2"),))
    response = project(
        facilitator_client, room, "calculator", {**CALCULATOR, "model": f"m{later.pk}"}
    )
    page = facilitator_client.get(response["Location"]).text
    assert (
        "Nothing was put on the projector. Model: choose a model with a list price on the "
        "workshop&#x27;s pricing date (1 Mar 2026), or a tier." in page
    )
    assert ToolInputs.objects.count() == 0


def test_project_break_even_takes_a_catalogue_model(facilitator_client, room):
    model = factories.make_llm_model(name="open-1", prices=(("2026-01-01", "1", "2"),))
    response = project(
        facilitator_client, room, "break_even", {**BREAK_EVEN, "model": f"m{model.pk}"}
    )
    assert response.status_code == 302
    assert ToolInputs.objects.get(pk=room.pk).break_even["model"] == f"m{model.pk}"


def test_project_unknown_tool_is_404_and_keeps_nothing(facilitator_client, room):
    response = project(facilitator_client, room, "<b>quiz</b>", CALCULATOR)
    assert response.status_code == 404
    assert ToolInputs.objects.count() == 0


def test_project_refuses_a_get(facilitator_client, room):
    response = facilitator_client.get(f"/foundation/workshops/{room.pk}/project/")
    assert response.status_code == 405


def test_project_by_another_facilitator_is_404_and_keeps_nothing(client, room):
    client.force_login(factories.make_facilitator())
    response = project(client, room, "calculator", CALCULATOR)
    assert response.status_code == 404
    assert ToolInputs.objects.count() == 0
    assert fresh(room).projector_view == "agenda"


def test_project_by_a_participant_goes_to_sign_in(client, room):
    factories.join_table(
        client, factories.make_participant(table=factories.make_table(workshop=room))
    )
    response = project(client, room, "calculator", CALCULATOR)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert ToolInputs.objects.count() == 0


# --- The button -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "tool"),
    [("calculator", "calculator"), ("evolution", "evolution"), ("break-even", "break_even")],
)
def test_tool_pages_offer_the_projector_to_the_workshops_facilitator(
    facilitator_client, room, page, tool
):
    text = facilitator_client.get(f"/foundation/{page}/?workshop={room.pk}").text
    assert f'action="/foundation/workshops/{room.pk}/project/"' in text
    assert f'<input type="hidden" name="tool" value="{tool}">' in text


@pytest.mark.parametrize("page", ["calculator", "evolution", "break-even"])
def test_tool_pages_offer_no_projector_outside_a_workshop(facilitator_client, client, room, page):
    assert "/project/" not in facilitator_client.get(f"/foundation/{page}/").text
    factories.join_table(
        client, factories.make_participant(table=factories.make_table(workshop=room))
    )
    assert "/project/" not in client.get(f"/foundation/{page}/").text
