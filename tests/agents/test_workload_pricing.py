"""A workshop prices AI workloads as of its own pricing date, with the list price copied onto
the agent: later catalogue changes (new, back-dated or edited prices) never move it."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from agents import block2_selectors, block2_services
from agents.models import Agent
from foundation import services as catalogue_services
from foundation.imports import ImportRow
from foundation.models import PricePoint
from tests import factories
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

PRICING_DATE = datetime.date(2026, 12, 10)  # the factories' workshop date


@pytest.fixture
def live_workshop(facilitator):
    return factories.make_workshop(
        facilitator=facilitator, status="live", currency="EUR", usd_exchange_rate=D("0.9")
    )


@pytest.fixture
def agent(live_workshop):
    table = factories.make_table(workshop=live_workshop, name="Table A")
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


def pinned(agent) -> tuple:
    agent = Agent.objects.get(pk=agent.pk)
    return (
        agent.workload_price_date,
        agent.workload_input_usd_per_mtok,
        agent.workload_output_usd_per_mtok,
        agent.workload_cached_input_usd_per_mtok,
    )


def cost(agent):
    return block2_selectors.agent_workload_cost(
        Agent.objects.select_related("workshop", "workload_model").get(pk=agent.pk)
    )


def import_price(llm, *, day: datetime.date, input_price: str, output_price: str):
    row = ImportRow(
        provider=llm.provider,
        name=llm.name,
        input_per_mtok=D(input_price),
        output_per_mtok=D(output_price),
        cached_input_per_mtok=None,
        context_window=None,
        effective_date=None,
    )
    return catalogue_services.catalogue_import(rows=[row], import_date=day, source="Test import")


# --- The pricing date -------------------------------------------------------------------------
def test_pricing_date_defaults_to_the_workshop_date(live_workshop):
    assert live_workshop.pricing_date == PRICING_DATE


def test_pricing_date_set_on_create(facilitator):
    workshop = factories.make_workshop(
        facilitator=facilitator, pricing_date=datetime.date(2026, 11, 1)
    )
    assert Workshop.objects.get(pk=workshop.pk).pricing_date == datetime.date(2026, 11, 1)


# --- Copying the price ------------------------------------------------------------------------
def test_workload_set_copies_the_price_in_force_on_the_pricing_date(agent, llm):
    with_workload(agent, llm)
    assert pinned(agent) == (datetime.date(2026, 6, 1), D("1.000000"), D("5.000000"), None)


def test_workload_set_copies_the_price_as_of_an_earlier_pricing_date(agent, llm):
    Workshop.objects.filter(pk=agent.workshop_id).update(pricing_date=datetime.date(2026, 1, 1))
    with_workload(Agent.objects.get(pk=agent.pk), llm)
    assert pinned(agent) == (datetime.date(2025, 1, 1), D("3.000000"), D("15.000000"), None)
    assert cost(agent).per_task_usd == D("0.033")


def test_workload_set_keeps_the_price_of_the_same_model(agent, llm):
    saved = with_workload(agent, llm)
    PricePoint.objects.filter(model=llm, effective_date=datetime.date(2026, 6, 1)).update(
        input_usd_per_mtok=D("9")
    )
    with_workload(saved, llm, input_tokens_per_call=6000)
    assert pinned(agent) == (datetime.date(2026, 6, 1), D("1.000000"), D("5.000000"), None)


def test_workload_set_copies_the_price_of_a_new_model(agent, llm):
    saved = with_workload(agent, llm)
    other = factories.make_llm_model(name="Other", prices=(("2026-01-01", "0.40", "1.60"),))
    with_workload(saved, other)
    assert pinned(agent) == (datetime.date(2026, 1, 1), D("0.400000"), D("1.600000"), None)


def test_workload_cleared_clears_the_price(agent, llm):
    saved = with_workload(agent, llm)
    block2_services.agent_workload_set(
        agent=saved, version=saved.version, values=dict.fromkeys(block2_services.WORKLOAD_FIELDS)
    )
    assert pinned(agent) == (None, None, None, None)


def test_workload_without_a_price_on_the_pricing_date_is_not_priced(agent):
    later = factories.make_llm_model(name="Future", prices=(("2027-03-01", "1.00", "2.00"),))
    with_workload(agent, later)
    assert (pinned(agent), cost(agent)) == ((None, None, None, None), None)


def test_workload_cost_carries_the_prices_used(agent, llm):
    with_workload(agent, llm)
    found = cost(agent)
    assert (
        found.model,
        found.price_date,
        found.input_usd_per_mtok,
        found.output_usd_per_mtok,
        found.cached_input_usd_per_mtok,
        found.prices_as_of,
        found.per_task_usd,
        found.per_task,
        found.per_month,
    ) == (
        "Acme AI Test Model",
        datetime.date(2026, 6, 1),
        D("1.000000"),
        D("5.000000"),
        None,
        PRICING_DATE,
        D("0.011"),
        D("0.0099"),
        D("9.9"),
    )


# --- Catalogue changes do not move a workshop -------------------------------------------------
def test_newer_catalogue_import_leaves_the_cost_unchanged(agent, llm):
    with_workload(agent, llm)
    import_price(llm, day=datetime.date(2027, 1, 15), input_price="0.10", output_price="0.50")
    assert (cost(agent).per_task_usd, cost(agent).price_date) == (
        D("0.011"),
        datetime.date(2026, 6, 1),
    )


def test_back_dated_catalogue_import_leaves_the_cost_unchanged(agent, llm):
    with_workload(agent, llm)
    import_price(llm, day=datetime.date(2026, 12, 1), input_price="0.10", output_price="0.50")
    assert PricePoint.objects.filter(model=llm).count() == 3
    assert (cost(agent).per_task_usd, cost(agent).price_date) == (
        D("0.011"),
        datetime.date(2026, 6, 1),
    )


def test_catalogue_import_on_the_same_day_edits_the_point_but_not_the_cost(agent, llm):
    with_workload(agent, llm)
    import_price(llm, day=datetime.date(2026, 6, 1), input_price="7.00", output_price="9.00")
    point = PricePoint.objects.get(model=llm, effective_date=datetime.date(2026, 6, 1))
    assert (point.input_usd_per_mtok, cost(agent).per_task_usd) == (D("7.000000"), D("0.011"))


def test_deleted_price_point_leaves_the_cost_unchanged(agent, llm):
    with_workload(agent, llm)
    PricePoint.objects.filter(model=llm).delete()
    assert cost(agent).per_task_usd == D("0.011")


def test_workloads_pin_prices_an_unpriced_workload_once(agent, llm):
    # A workload written without a copied price (as a bundle import writes it).
    Agent.objects.filter(pk=agent.pk).update(
        workload_model=llm, input_tokens_per_call=3000, output_tokens_per_call=500
    )
    assert block2_services.workloads_pin(workshop=agent.workshop) == 1
    assert pinned(agent) == (datetime.date(2026, 6, 1), D("1.000000"), D("5.000000"), None)
    assert block2_services.workloads_pin(workshop=agent.workshop) == 0


def test_unpinned_workload_is_priced_as_of_the_pricing_date(agent, llm):
    Agent.objects.filter(pk=agent.pk).update(
        workload_model=llm, input_tokens_per_call=3000, output_tokens_per_call=500
    )
    assert (cost(agent).price_date, cost(agent).per_task_usd) == (
        datetime.date(2026, 6, 1),
        D("0.0055"),
    )


# --- Pages say what day prices are as of -------------------------------------------------------
def test_workload_page_says_prices_as_of(facilitator_client, agent, llm):
    with_workload(agent, llm)
    html = facilitator_client.get(reverse("block2:workload", args=[agent.pk])).content.decode()
    assert "Priced for 10 Dec 2026, the workshop's pricing date." in html
    assert "list price from 1 Jun 2026" in html
    # The bundled catalogue reaches 21 Aug 2026: 111 days before the workshop's date.
    text = re.sub(r"<[^>]+>", "", html)
    assert "Prices as of 21 Aug 2026 (newest price in the catalogue)." in text
    assert (
        "The newest price in the catalogue is 111 days older than the workshop&#x27;s date "
        "(10 Dec 2026)" in text
    )


def test_workload_page_says_when_the_pricing_date_has_no_price(facilitator_client, agent):
    later = factories.make_llm_model(name="Future", prices=(("2027-03-01", "1.00", "2.00"),))
    with_workload(agent, later)
    html = facilitator_client.get(reverse("block2:workload", args=[agent.pk])).content.decode()
    assert (
        "The catalogue has no price for Acme AI Future as of 10 Dec 2026, the workshop's "
        "pricing date." in html
    )


def test_kpi_page_says_prices_as_of(facilitator_client, agent, llm):
    with_workload(agent, llm)
    html = facilitator_client.get(reverse("kpis:agent_kpis", args=[agent.pk])).content.decode()
    assert "Priced for 10 Dec 2026, the workshop's pricing date." in html


# --- The admin cannot move a workshop's prices either -------------------------------------------
@pytest.fixture
def admin_client(client):
    client.force_login(factories.make_user(superuser=True))
    return client


def test_admin_cannot_delete_a_model_a_workload_uses(admin_client, agent, llm):
    with_workload(agent, llm)
    url = reverse("admin:foundation_llmmodel_delete", args=[llm.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete LLM model" in response.content.decode()
    assert Agent.objects.get(pk=agent.pk).workload_model_id == llm.pk
    assert cost(agent).per_task_usd == D("0.011")


def test_admin_shows_the_copied_price_read_only(admin_client, agent, llm):
    with_workload(agent, llm)
    html = admin_client.get(reverse("admin:agents_agent_change", args=[agent.pk])).content.decode()
    assert 'name="workload_input_usd_per_mtok"' not in html
    assert 'name="workload_price_date"' not in html
    assert "1.000000" in html


def test_admin_shows_the_pricing_date_read_only(admin_client, live_workshop):
    url = reverse("admin:workshops_workshop_change", args=[live_workshop.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="pricing_date"' not in html
    assert "10 Dec 2026" in html


def test_admin_add_workshop_asks_for_the_pricing_date(admin_client):
    html = admin_client.get(reverse("admin:workshops_workshop_add")).content.decode()
    assert 'name="pricing_date"' in html


def test_agents_cost_per_task_query_count_is_flat(live_workshop, llm, django_assert_num_queries):
    def priced(count):
        for number in range(count):
            agent = factories.make_agent(workshop=live_workshop, name=f"Agent {count}-{number}")
            with_workload(agent, llm)
        return list(Agent.objects.filter(workshop=live_workshop))

    one = priced(1)
    with django_assert_num_queries(3):
        assert block2_selectors.agents_cost_per_task_usd(one) == {one[0].pk: D("0.011")}
    many = priced(5)
    with django_assert_num_queries(3):
        costs = block2_selectors.agents_cost_per_task_usd(many)
    assert list(costs.values()) == [D("0.011")] * 6
