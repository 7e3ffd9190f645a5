"""The finance lock reaches Block 2 and Block 3: a signed-off agent's classification, thesis,
workload and KPIs cannot change until the facilitator reopens it."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from agents import block2_services
from agents.models import Agent
from kpis import services as kpi_services
from kpis.models import AgentKpi
from targets import selectors, services
from targets.locks import AgentLocked, agent_is_locked
from targets.permissions import FinanceRole
from tests import factories

KPI_VALUES = {
    "name": "Invoices matched per day",
    "category": "capacity",
    "unit": "invoices per day",
    "direction": "higher",
    "data_source_system": "SAP",
    "data_source_owner": "AP lead",
    "measurement_frequency": "daily",
    "feasibility": "measurable",
    "baseline_value": Decimal("200"),
    "baseline_as_of": datetime.date(2026, 11, 1),
    "baseline_source": "SAP report",
    "no_baseline": False,
}


@pytest.fixture
def signed(table, live_workshop):
    agent = factories.make_ready_agent(table=table, name="Invoice matcher")
    services.signoff_record(
        agent=agent,
        role=FinanceRole(workshop=live_workshop, name="Fran Okafor", title="CFO"),
        title="CFO",
        seen_sha256=selectors.agent_finance(agent_id=agent.pk).sha256,
    )
    return agent


def test_agent_is_locked_only_with_a_valid_signoff(signed, facilitator):
    assert agent_is_locked(signed)
    services.signoff_reopen(agent=signed, reason="Fix volumes", voided_by=facilitator)
    assert not agent_is_locked(signed)


def test_kpi_add_refused_on_signed_agent(signed):
    with pytest.raises(AgentLocked):
        kpi_services.agent_kpi_add(agent=signed, values=KPI_VALUES)
    assert AgentKpi.objects.filter(agent=signed).count() == 2


def test_kpi_update_refused_on_signed_agent(signed):
    kpi = signed.kpis.first()
    values = {**KPI_VALUES, "name": kpi.name, "baseline_value": Decimal("999")}
    with pytest.raises(AgentLocked):
        kpi_services.agent_kpi_update(kpi=kpi, version=kpi.version, values=values)
    assert AgentKpi.objects.get(pk=kpi.pk).baseline_value == Decimal("120")


def test_kpi_delete_refused_on_signed_agent(signed):
    with pytest.raises(AgentLocked):
        kpi_services.agent_kpi_delete(kpi=signed.kpis.first())
    assert AgentKpi.objects.filter(agent=signed).count() == 2


def test_classify_refused_on_signed_agent(signed):
    with pytest.raises(AgentLocked):
        block2_services.agent_classify(
            agent=signed,
            version=signed.version,
            economic_class="top_line",
            value_driver="new_capacity",
            thesis_subject="premium upgrades sold to existing freight customers",
            thesis_mechanism="drafting tailored upgrade offers for account managers",
        )
    assert Agent.objects.get(pk=signed.pk).economic_class == "bottom_line"


def test_workload_refused_on_signed_agent(signed):
    with pytest.raises(AgentLocked):
        block2_services.agent_workload_set(
            agent=signed,
            version=signed.version,
            values={
                "workload_model": None,
                "input_tokens_per_call": None,
                "output_tokens_per_call": None,
                "model_calls_per_task": None,
                "tasks_per_month": None,
            },
        )


def test_kpi_pages_show_the_lock_sentence(client, signed, table):
    factories.join_table(client, factories.make_participant(table=table))
    kpi = signed.kpis.first()
    response = client.post(reverse("kpis:agent_kpi_delete", args=[signed.pk, kpi.pk]), follow=True)
    assert "Finance signed off this agent on" in html.unescape(response.content.decode())
    assert AgentKpi.objects.filter(agent=signed).count() == 2


def test_room_agent_page_shows_the_lock(client, signed, table):
    factories.join_table(client, factories.make_participant(table=table))
    page = html.unescape(
        client.get(reverse("workshops:table_agent", args=[signed.pk])).content.decode()
    )
    assert "Signed off by finance: Fran Okafor (CFO)" in page.replace("</strong>", "").replace(
        "<strong>", ""
    )


# --- Pages say what can be done -----------------------------------------------------------------
def test_agent_page_of_a_signed_agent_offers_no_edit_buttons(signed, table_client):
    page = table_client.get(f"/t/agents/{signed.pk}/").text
    assert "Finance has signed this agent off, so its name, thesis, KPIs and targets are" in page
    assert "Edit the thesis" not in page
    assert "Review the classification" not in page
    assert "Review the KPIs" not in page
    assert "Open targets" not in page and "Review targets" not in page
    assert "See the thesis (read-only)" in page
    assert "See the targets (read-only)" in page
    assert 'class="primary">Save details' not in page


def test_agent_page_of_an_open_agent_offers_its_buttons(agent, table_client):
    page = table_client.get(f"/t/agents/{agent.pk}/").text
    assert "Edit the thesis" in page or "Write the thesis" in page
    assert "Open targets" in page or "Review targets" in page
    assert "(read-only)" not in page


def test_agent_page_of_a_closed_workshop_says_why(agent, table_client, live_workshop):
    from workshops.models import Workshop

    Workshop.objects.filter(pk=live_workshop.pk).update(status=Workshop.Status.CLOSED)
    page = table_client.get(f"/t/agents/{agent.pk}/").text
    assert "The workshop is closed: everything your table saved is kept" in page
    assert "Write the thesis" not in page and "Open targets" not in page
    assert "Classify the agent" not in page
    assert "See the classification (read-only)" in page
