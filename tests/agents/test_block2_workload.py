"""An agent's AI workload: what one task costs at its model's list price."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agents import block2_selectors, block2_services
from agents.models import Agent
from tests import factories
from workshops.concurrency import EditConflict
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 1)


@pytest.fixture
def live_workshop(facilitator):
    return factories.make_workshop(
        facilitator=facilitator, status="live", currency="EUR", usd_exchange_rate=Decimal("0.9")
    )


@pytest.fixture
def table(live_workshop):
    return factories.make_table(workshop=live_workshop, name="Table A")


@pytest.fixture
def agent(table):
    return factories.make_agent(table=table, name="Invoice Triage Agent")


@pytest.fixture
def llm():
    # 3 / 15 USD per Mtok from 2025; 1 / 5 from 2026-06-01.
    return factories.make_llm_model(
        name="Test Model",
        prices=(("2025-01-01", "3.00", "15.00"), ("2026-06-01", "1.00", "5.00")),
    )


def with_workload(agent, llm, **changes):
    values = {
        "workload_model": llm,
        "input_tokens_per_call": 3000,
        "output_tokens_per_call": 500,
        "model_calls_per_task": 2,
        "tasks_per_month": 1000,
    }
    values.update(changes)
    return block2_services.agent_workload_set(agent=agent, version=agent.version, values=values)


# --- Cost per task ----------------------------------------------------------------------------
def test_cost_per_task_none_without_workload(agent):
    assert block2_selectors.agent_cost_per_task_usd(agent) is None
    assert block2_selectors.agent_workload_cost(agent) is None


def test_cost_per_task_at_current_price(agent, llm):
    saved = with_workload(agent, llm)
    # 2 calls x (3,000 in x 1 USD + 500 out x 5 USD) per Mtok = 0.006 + 0.005
    assert block2_selectors.agent_cost_per_task_usd(saved, day=DAY) == Decimal("0.011")


def test_cost_per_task_at_an_earlier_price(agent, llm):
    saved = with_workload(agent, llm)
    assert block2_selectors.agent_cost_per_task_usd(
        saved, day=datetime.date(2026, 1, 1)
    ) == Decimal("0.033")


def test_cost_per_task_none_before_first_price(agent, llm):
    saved = with_workload(agent, llm)
    assert block2_selectors.agent_cost_per_task_usd(saved, day=datetime.date(2024, 1, 1)) is None


def test_workload_cost_in_workshop_currency(agent, llm):
    cost = block2_selectors.agent_workload_cost(with_workload(agent, llm), day=DAY)
    assert (cost.per_task_usd, cost.per_task, cost.per_month, cost.currency) == (
        Decimal("0.011"),
        Decimal("0.0099"),
        Decimal("9.9"),
        "EUR",
    )
    assert (cost.per_task_text, cost.per_month_text, cost.price_date) == (
        "0.0099",
        "9.90",
        datetime.date(2026, 6, 1),
    )


def test_workload_cost_without_tasks_per_month(agent, llm):
    cost = block2_selectors.agent_workload_cost(
        with_workload(agent, llm, tasks_per_month=None), day=DAY
    )
    assert (cost.per_month, cost.per_month_text) == (None, "")


def test_money_text():
    assert block2_selectors.money_text(Decimal("0.00004")) == "0.000040"  # never 0.0000
    assert block2_selectors.money_text(Decimal("0.01235")) == "0.0124"
    assert block2_selectors.money_text(Decimal("12345.675")) == "12,345.68"


# --- Saving -----------------------------------------------------------------------------------
def test_workload_set_saves_and_bumps_revision(live_workshop, agent, llm):
    before = Workshop.objects.get(pk=live_workshop.pk).revision
    saved = with_workload(agent, llm)
    assert (saved.workload_model_id, saved.model_calls_per_task, saved.version) == (llm.pk, 2, 2)
    assert Workshop.objects.get(pk=live_workshop.pk).revision == before + 1


def test_workload_set_defaults_one_call(agent, llm):
    assert with_workload(agent, llm, model_calls_per_task=None).model_calls_per_task == 1


def test_workload_set_clears_with_everything_empty(agent, llm):
    saved = with_workload(agent, llm)
    cleared = block2_services.agent_workload_set(
        agent=saved, version=saved.version, values=dict.fromkeys(block2_services.WORKLOAD_FIELDS)
    )
    assert (cleared.workload_model_id, cleared.input_tokens_per_call, cleared.has_workload) == (
        None,
        None,
        False,
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"workload_model": None},
            {"workload_model": ["Choose the model the agent calls, so its tokens can be priced."]},
        ),
        (
            {"input_tokens_per_call": None},
            {"input_tokens_per_call": ["Enter the input tokens of one model call, e.g. 3,000."]},
        ),
        (
            {"output_tokens_per_call": -1},
            {"output_tokens_per_call": ["Enter a whole number from 0 to 2,000,000."]},
        ),
        (
            {"model_calls_per_task": 0},
            {"model_calls_per_task": ["Enter a whole number from 1 to 1,000."]},
        ),
        (
            {"tasks_per_month": 10**12},
            {"tasks_per_month": ["Enter a whole number from 0 to 100,000,000."]},
        ),
        ({"tasks_per_month": 2.5}, {"tasks_per_month": ["Enter a whole number."]}),
    ],
)
def test_workload_set_refuses_and_saves_nothing(agent, llm, changes, errors):
    with pytest.raises(ValidationError) as error:
        with_workload(agent, llm, **changes)
    assert error.value.message_dict == errors
    saved = Agent.objects.get(pk=agent.pk)
    assert (saved.workload_model_id, saved.version) == (None, 1)


def test_workload_set_conflict(agent, llm):
    with_workload(agent, llm)
    with pytest.raises(EditConflict):
        with_workload(agent, llm, tasks_per_month=5)
    assert Agent.objects.get(pk=agent.pk).tasks_per_month == 1000


# --- The page ---------------------------------------------------------------------------------
def url(agent):
    return reverse("block2:workload", kwargs={"agent_id": agent.pk})


def form_data(agent, llm, **changes):
    data = {
        "workload_model": str(llm.pk),
        "input_tokens_per_call": "3000",
        "output_tokens_per_call": "500",
        "model_calls_per_task": "2",
        "tasks_per_month": "1000",
        "version": str(agent.version),
    }
    data.update(changes)
    return data


def test_workload_page_saves_and_shows_cost(client, table, agent, llm):
    factories.join_table(client, factories.make_participant(table=table))
    response = client.post(url(agent), form_data(agent, llm))
    assert response.status_code == 302
    html = client.get(url(agent)).content.decode()
    assert "EUR 0.0099" in html and "(USD 0.0110, converted at 0.9 EUR per USD (" in html
    assert "EUR 9.90" in html
    kpis = client.get(reverse("kpis:agent_kpis", kwargs={"agent_id": agent.pk})).content.decode()
    assert "EUR 0.0099</strong> per task in model tokens, EUR 9.90 a month" in kpis


def test_workload_page_404_for_other_table(client, live_workshop, agent, llm):
    other = factories.make_table(workshop=live_workshop, name="Table B")
    factories.join_table(client, factories.make_participant(table=other))
    assert client.get(url(agent)).status_code == 404
    assert client.post(url(agent), form_data(agent, llm)).status_code == 404
    assert Agent.objects.get(pk=agent.pk).workload_model_id is None


def test_workload_page_read_only_when_not_live(client, live_workshop, table, agent, llm):
    Workshop.objects.filter(pk=live_workshop.pk).update(status="closed")
    factories.join_table(client, factories.make_participant(table=table))
    assert client.post(url(agent), form_data(agent, llm)).status_code == 403
    assert Agent.objects.get(pk=agent.pk).workload_model_id is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"input_tokens_per_call": "abc"}, "Enter a whole number, e.g. 3,000 (no units)."),
        ({"input_tokens_per_call": "3,00"}, "If you meant 3.00, write 3.00."),
        ({"input_tokens_per_call": "2.5"}, "Enter the input tokens per model call as a whole"),
        ({"input_tokens_per_call": "<script>x</script>"}, "Enter a whole number, e.g. 3,000"),
        ({"output_tokens_per_call": "-5"}, "Enter a whole number from 0 to 2,000,000."),
        ({"tasks_per_month": "9" * 30}, "Enter a whole number from 0 to 100,000,000."),
        ({"model_calls_per_task": "0"}, "Enter a whole number from 1 to 1,000."),
        ({"input_tokens_per_call": ""}, "Enter the input tokens of one model call, e.g. 3,000."),
        ({"workload_model": "999999"}, "Choose one of the models listed."),
        ({"workload_model": "é"}, "Choose one of the models listed."),
        ({"workload_model": ""}, "Choose the model the agent calls"),
    ],
)
def test_workload_page_bad_input(client, table, agent, llm, changes, message):
    factories.join_table(client, factories.make_participant(table=table))
    response = client.post(url(agent), form_data(agent, llm, **changes))
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert "<script>x</script>" not in html
    assert Agent.objects.get(pk=agent.pk).version == 1


def test_workload_page_conflict_409(client, table, agent, llm):
    factories.join_table(client, factories.make_participant(table=table))
    assert client.post(url(agent), form_data(agent, llm)).status_code == 302
    response = client.post(url(agent), form_data(agent, llm, tasks_per_month="5"))
    assert response.status_code == 409
    assert "Someone at your table saved this first" in response.content.decode()
    assert Agent.objects.get(pk=agent.pk).tasks_per_month == 1000


def test_workload_page_reads_numbers_in_the_workshops_format(client, table, agent, llm):
    type(agent.workshop).objects.filter(pk=agent.workshop_id).update(number_format="point-comma")
    agent.refresh_from_db()
    factories.join_table(client, factories.make_participant(table=table))
    response = client.post(
        url(agent), form_data(agent, llm, input_tokens_per_call="3.000", tasks_per_month="20.000")
    )
    assert response.status_code == 302
    saved = Agent.objects.get(pk=agent.pk)
    assert (saved.input_tokens_per_call, saved.tasks_per_month) == (3000, 20000)


def test_workload_page_links_to_the_cost_evolution_of_this_workload(facilitator_client, agent):
    from foundation.models import LLMModel

    nano = LLMModel.objects.get(name="gpt-5-nano")
    with_workload(agent, nano)
    response = facilitator_client.get(url(agent))
    link = response.context["evolution_url"]
    assert link.startswith("/foundation/evolution/?model=m")
    assert "input_tokens=3%2C000" in link and f"workshop={agent.workshop_id}" in link
    story = facilitator_client.get(link).context["story"]
    # The workshop is priced for 10 Dec 2026; the bundled prices reach 21 Aug 2026.
    assert story.anchor == datetime.date(2026, 8, 21)
    assert story.same_model.label == "OpenAI gpt-5-nano"
    capability = story.capability.chosen
    assert (capability.then.point.model, capability.now.point.model) == (
        "Google gemini-2.0-flash",
        "OpenAI gpt-5-nano",
    )
    # 2 calls of 3,000 in and 500 out, 1,000 tasks: then (6,000 x 0.10 + 1,000 x 0.40) / M
    # x 1,000 = 1.00; now (6,000 x 0.05 + 1,000 x 0.40) / M x 1,000 = 0.70
    assert (capability.then.cost.per_month, capability.now.cost.per_month) == (
        Decimal("1.000"),
        Decimal("0.700"),
    )
    assert capability.change_text == "1.4x cheaper"
