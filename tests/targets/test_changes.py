"""What changed since a sign-off, field by field: the pure diff, the signed values of version 2
(and version 1 sign-offs still comparing correctly), and the change list on the finance page,
the table's pages and the register; renaming refused after sign-off."""

import datetime
import html
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agents import services as agent_services
from agents.models import Agent
from foundation.models import PricePoint
from kpis.models import AgentKpi
from reports import selectors as report_selectors
from targets import selectors, services, signing
from targets.changes import ABSENT, Change, signoff_changes
from targets.locks import AgentLocked
from targets.models import BenchmarkEvidence, FinanceSignOff, ValueTarget
from targets.permissions import FinanceRole
from tests import factories

D = Decimal
TODAY = datetime.datetime(2026, 12, 10, 12, 0, tzinfo=datetime.UTC)


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign(agent, user):
    role = FinanceRole(workshop=agent.workshop, name="Fran Okafor", title="CFO", user=user)
    return services.signoff_record(
        agent=agent,
        role=role,
        title="CFO",
        seen_sha256=selectors.agent_finance(agent_id=agent.pk).sha256,
    )


def first_kpi(agent) -> AgentKpi:
    return AgentKpi.objects.filter(agent=agent).order_by("pk").first()


@pytest.fixture
def signed(table, finance_user):
    agent = factories.make_ready_agent(table=table, name="Invoice matcher")
    sign(agent, finance_user)
    return agent


def changes_of(agent) -> list[Change]:
    return selectors.agent_finance(agent_id=agent.pk).changes


# --- The pure diff ------------------------------------------------------------------------------


def values(**agent) -> dict:
    return {
        "canonical_version": 2,
        "agent": {"id": 1, "name": "Invoice matcher", "thesis": "T", **agent},
        "currency": "EUR",
        "kpis": [
            {
                "id": 7,
                "name": "Cycle time",
                "data_source_owner": "AP lead",
                "targets": {"6": {"floor": "110"}},
                "constraints": None,
                "benchmarks": [{"id": 3, "description": "Vendor", "discount_percent": "40"}],
            }
        ],
        "economics": None,
        "workload": None,
    }


def test_signoff_changes_none_when_equal():
    assert signoff_changes(values(), values()) == []


def test_signoff_changes_names_the_agent_name():
    assert signoff_changes(values(), values(name="Invoice bot")) == [
        Change("Agent name", "Invoice matcher", "Invoice bot")
    ]


def test_signoff_changes_names_a_kpi_field_and_a_benchmark_discount():
    new = values()
    new["kpis"][0]["data_source_owner"] = "Finance ops"
    new["kpis"][0]["benchmarks"][0]["discount_percent"] = "30"
    new["kpis"][0]["targets"]["6"]["floor"] = "105"
    assert signoff_changes(values(), new) == [
        Change("KPI “Cycle time”: data owner", "AP lead", "Finance ops"),
        Change("KPI “Cycle time”: 6-month floor", "110", "105"),
        Change("KPI “Cycle time”: benchmark “Vendor”: discount (%)", "40", "30"),
    ]


def test_signoff_changes_labels_a_renamed_kpi_with_its_new_name():
    new = values()
    new["kpis"][0]["name"] = "Days to close"
    assert signoff_changes(values(), new) == [
        Change("KPI “Days to close”: name", "Cycle time", "Days to close")
    ]


def test_signoff_changes_a_kpi_added_or_removed_is_one_change():
    new = values()
    new["kpis"].append({"id": 8, "name": "Errors", "benchmarks": [{"id": 4}]})
    assert signoff_changes(values(), new) == [Change("KPI “Errors”", ABSENT, "added")]
    assert signoff_changes(new, values()) == [Change("KPI “Errors”", "present", "removed")]


def test_signoff_changes_a_benchmark_removed():
    new = values()
    new["kpis"][0]["benchmarks"] = []
    assert signoff_changes(values(), new) == [
        Change("KPI “Cycle time”: benchmark “Vendor”", "present", "removed")
    ]


def test_signoff_changes_economics_entered_and_workload_priced():
    new = values()
    new["economics"] = {"build_cost": "40000"}
    new["workload"] = {"model": "Acme AI/swift-2", "input_usd_per_mtok": "3"}
    found = signoff_changes(values(), new)
    assert Change("Economics: one-off build cost", ABSENT, "40000") in found
    assert Change("AI workload: model", ABSENT, "Acme AI/swift-2") in found
    assert Change("AI workload: input price per million tokens (USD)", ABSENT, "3") in found


def test_signoff_changes_shows_booleans_and_empty_text_in_words():
    old, new = values(), values()
    old["kpis"][0]["no_baseline"], new["kpis"][0]["no_baseline"] = False, True
    new["kpis"][0]["data_source_owner"] = ""
    assert signoff_changes(old, new) == [
        Change("KPI “Cycle time”: no baseline yet", "no", "yes"),
        Change("KPI “Cycle time”: data owner", "AP lead", ABSENT),
    ]


def test_signoff_changes_of_unreadable_signed_values_lists_everything_as_new():
    found = signoff_changes({}, values())
    assert Change("Agent name", ABSENT, "Invoice matcher") in found
    assert Change("KPI “Cycle time”", ABSENT, "added") in found


# --- The signed values (version 2) --------------------------------------------------------------


def test_signed_values_include_everything_finance_sees(signed):
    finance = selectors.agent_finance(agent_id=signed.pk)
    kpi = finance.values["kpis"][0]
    assert finance.values["canonical_version"] == signing.CANONICAL_VERSION == 3
    assert finance.values["agent"]["name"] == "Invoice matcher"
    assert (kpi["data_source_system"], kpi["data_source_owner"]) == (
        "SAP invoice log",
        "AP team lead",
    )
    assert (kpi["measurement_frequency"], kpi["feasibility"]) == ("weekly", "measurable")
    assert kpi["no_comparable_evidence"] is None
    assert kpi["benchmarks"][0]["discount_percent"] == "40"
    assert finance.values["workload"] is None


def test_signed_values_carry_the_no_comparable_evidence_reason(table):
    agent = factories.make_ready_agent(table=table)
    kpi = first_kpi(agent)
    BenchmarkEvidence.objects.filter(kpi=kpi).delete()
    factories.make_no_evidence(kpi=kpi, reason="Nobody has automated this yet.")
    values = selectors.agent_finance(agent_id=agent.pk).values
    assert values["kpis"][0]["no_comparable_evidence"] == "Nobody has automated this yet."


@time_machine.travel(TODAY, tick=False)
def test_signed_values_carry_the_prices_used(table):
    agent = factories.make_ready_agent(table=table)
    model = factories.make_llm_model(
        provider="Acme AI",
        name="swift-2",
        prices=(("2025-01-01", "3.00", "15.00"),),
        cached="0.30",
    )
    Agent.objects.filter(pk=agent.pk).update(
        workload_model=model,
        input_tokens_per_call=2500,
        output_tokens_per_call=400,
        model_calls_per_task=3,
        tasks_per_month=4000,
    )
    finance = selectors.agent_finance(agent_id=agent.pk)
    assert finance.values["workload"] == {
        "model": "Acme AI/swift-2",
        "input_tokens_per_call": 2500,
        "output_tokens_per_call": 400,
        "model_calls_per_task": 3,
        "tokens_per_task": 8700,
        "tasks_per_month": 4000,
        "price_effective_date": "2025-01-01",
        "input_usd_per_mtok": "3",
        "output_usd_per_mtok": "15",
        "cached_input_usd_per_mtok": "0.3",
    }
    # 3 x (2500 x 3 + 400 x 15) / 1,000,000
    assert finance.values["economics"]["workload_cost_per_task_usd"] == "0.0405"


# --- Version 1 sign-offs ------------------------------------------------------------------------

V1_KPI_KEYS = {
    "id",
    "name",
    "category",
    "unit",
    "direction",
    "baseline_value",
    "baseline_as_of",
    "baseline_source",
    "no_baseline",
    "targets",
    "assumptions",
    "constraints",
    "benchmarks",
}


def _as_version_1(signoff: FinanceSignOff, agent) -> None:
    """Turn the sign-off into one made before version 2: its values as version 1 wrote them."""
    v1 = signing.at_version(selectors.agent_finance(agent_id=agent.pk).values, 1)
    FinanceSignOff.objects.filter(pk=signoff.pk).update(
        signed_values=signing.canonical_json(v1), values_sha256=signing.values_sha256(v1)
    )


def test_at_version_1_gives_version_1_keys_exactly(signed):
    v1 = signing.at_version(selectors.agent_finance(agent_id=signed.pk).values, 1)
    assert set(v1) == {"canonical_version", "agent", "currency", "kpis", "economics"}
    assert v1["canonical_version"] == 1
    assert set(v1["agent"]) == {
        "id",
        "name",
        "economic_class",
        "value_driver",
        "value_driver_other",
        "thesis",
    }
    assert all(set(kpi) == V1_KPI_KEYS for kpi in v1["kpis"])


def test_version_1_signoff_unchanged_still_counts_as_signed(signed):
    _as_version_1(FinanceSignOff.objects.get(), signed)
    finance = selectors.agent_finance(agent_id=signed.pk)
    assert finance.changed_since_signoff is False
    assert finance.status == selectors.SIGNED


def test_version_1_signoff_compares_only_what_it_signed(signed):
    _as_version_1(FinanceSignOff.objects.get(), signed)
    # The data owner was not part of version 1: changing it does not void what was signed.
    AgentKpi.objects.filter(pk=first_kpi(signed).pk).update(data_source_owner="Finance ops")
    assert selectors.agent_finance(agent_id=signed.pk).status == selectors.SIGNED
    # A target was.
    kpi = first_kpi(signed)
    ValueTarget.objects.filter(kpi=kpi).update(stretch_12m=D("55"))
    assert changes_of(signed) == [Change(f"KPI “{kpi.name}”: 12-month stretch", "60", "55")]


def test_at_version_2_drops_only_version_3_keys(signed):
    values = selectors.agent_finance(agent_id=signed.pk).values
    v2 = signing.at_version(values, 2)
    assert v2["canonical_version"] == 2
    assert set(v2) == set(values)
    for new, old in zip(values["kpis"], v2["kpis"], strict=True):
        assert set(new) - set(old) == {"instrument_by", "good_enough", "transformational"}


def test_version_2_signoff_compares_only_what_it_signed(signed):
    signoff = FinanceSignOff.objects.get()
    v2 = signing.at_version(selectors.agent_finance(agent_id=signed.pk).values, 2)
    FinanceSignOff.objects.filter(pk=signoff.pk).update(
        signed_values=signing.canonical_json(v2), values_sha256=signing.values_sha256(v2)
    )
    assert selectors.agent_finance(agent_id=signed.pk).status == selectors.SIGNED
    AgentKpi.objects.filter(pk=first_kpi(signed).pk).update(good_enough="Half the backlog")
    assert selectors.agent_finance(agent_id=signed.pk).status == selectors.SIGNED


def test_version_3_signoff_names_a_changed_ambition(signed):
    kpi = first_kpi(signed)
    AgentKpi.objects.filter(pk=kpi.pk).update(transformational="No manual matching at all")
    assert changes_of(signed) == [
        Change(f"KPI “{kpi.name}”: transformational", "—", "No manual matching at all")
    ]


def test_signed_version_of_unreadable_text_is_1():
    assert signing.signed_version("not json") == 1
    assert signing.signed_version('{"canonical_version": 2}') == 2
    assert signing.signed_version('{"canonical_version": "2"}') == 1


# --- The change list on the pages ---------------------------------------------------------------


def test_changes_name_the_agent_name(signed):
    # As an edit in the admin or the database would: the services refuse it.
    Agent.objects.filter(pk=signed.pk).update(name="Invoice bot")
    assert changes_of(signed) == [Change("Agent name", "Invoice matcher", "Invoice bot")]


def test_changes_name_the_kpi_data_owner(signed):
    kpi = first_kpi(signed)
    AgentKpi.objects.filter(pk=kpi.pk).update(data_source_owner="Finance ops")
    assert changes_of(signed) == [
        Change(f"KPI “{kpi.name}”: data owner", "AP team lead", "Finance ops")
    ]


def test_changes_name_a_benchmark_discount(signed):
    kpi = first_kpi(signed)
    BenchmarkEvidence.objects.filter(kpi=kpi).update(discount_percent=D("30"))
    assert changes_of(signed) == [
        Change(f"KPI “{kpi.name}”: benchmark “Vendor case study”: discount (%)", "40", "30")
    ]


@time_machine.travel(TODAY, tick=False)
def test_changes_name_a_price_change(table, finance_user):
    agent = factories.make_ready_agent(table=table)
    model = factories.make_llm_model(provider="Acme AI", name="swift-2")
    Agent.objects.filter(pk=agent.pk).update(
        workload_model=model, input_tokens_per_call=1000, output_tokens_per_call=1000
    )
    sign(agent, finance_user)
    PricePoint.objects.filter(model=model).update(input_usd_per_mtok=D("5"))
    assert changes_of(agent) == [
        Change("Economics: cost per task (USD)", "0.018", "0.02"),
        Change("AI workload: input price per million tokens (USD)", "3", "5"),
    ]


def test_changes_show_on_the_finance_page(finance_client, live_workshop, signed):
    Agent.objects.filter(pk=signed.pk).update(name="Invoice bot")
    page = text(finance_client.get(reverse("targets:finance_review", args=[live_workshop.pk])))
    assert "Changed since sign-off." in page
    assert (
        '<tr><th scope="row">Agent name</th><td>Invoice matcher</td><td>Invoice bot</td></tr>'
        in page
    )


def test_changes_show_on_the_table_pages_instead_of_signed(table_client, signed):
    Agent.objects.filter(pk=signed.pk).update(name="Invoice bot")
    targets_page = text(table_client.get(reverse("targets:agent", args=[signed.pk])))
    agent_page = text(table_client.get(reverse("workshops:table_agent", args=[signed.pk])))
    for page in (targets_page, agent_page):
        assert "Changed since sign-off" in page
        assert "<td>Invoice matcher</td><td>Invoice bot</td>" in page
    assert "Signed off by finance" not in agent_page


def test_table_agent_page_says_signed_while_unchanged(table_client, signed):
    page = text(table_client.get(reverse("workshops:table_agent", args=[signed.pk])))
    assert "Signed off by finance" in page
    assert "Changed since sign-off" not in page


def test_changes_show_in_the_register(signed):
    Agent.objects.filter(pk=signed.pk).update(name="Invoice bot")
    register = report_selectors.register_for(signed.workshop)
    assert register.agents[0].changes == [Change("Agent name", "Invoice matcher", "Invoice bot")]
    assert register.is_draft is True


def test_changes_of_a_kpi_edited_in_the_admin(admin_client, signed):
    kpi = first_kpi(signed)
    url = reverse("admin:kpis_agentkpi_change", args=[kpi.pk])
    data = {
        "agent": signed.pk,
        "definition": "",
        "name": kpi.name,
        "category": kpi.category,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "data_source_system": kpi.data_source_system,
        "data_source_owner": "Someone else",
        "measurement_frequency": "monthly",
        "feasibility": kpi.feasibility,
        "baseline_value": "120",
        "baseline_as_of": "2026-11-01",
        "baseline_source": kpi.baseline_source,
    }
    assert admin_client.post(url, data).status_code == 302
    assert changes_of(signed) == [
        Change(f"KPI “{kpi.name}”: data owner", "AP team lead", "Someone else"),
        Change(f"KPI “{kpi.name}”: measurement frequency", "weekly", "monthly"),
    ]


# --- Renaming a signed-off agent ----------------------------------------------------------------


def test_agent_update_refuses_a_rename_after_signoff(signed):
    with pytest.raises(AgentLocked):
        agent_services.agent_update(agent=signed, version=signed.version, values={"name": "New"})
    assert Agent.objects.get(pk=signed.pk).name == "Invoice matcher"


def test_agent_rename_by_the_table_refused_after_signoff(table_client, signed):
    response = table_client.post(
        reverse("workshops:table_agent", args=[signed.pk]),
        {"name": "Invoice bot", "version": signed.version},
    )
    assert response.status_code == 422
    assert "its name, thesis, KPIs, targets and economics are locked" in text(response)
    assert Agent.objects.get(pk=signed.pk).name == "Invoice matcher"


def test_agent_rename_by_the_facilitator_refused_after_signoff(
    facilitator_client, live_workshop, signed
):
    response = facilitator_client.post(
        reverse("agents:edit", args=[live_workshop.pk, signed.pk]),
        {"name": "Invoice bot", "version": signed.version},
    )
    assert response.status_code == 422
    assert "Ask the facilitator to reopen it" in text(response)
    assert Agent.objects.get(pk=signed.pk).name == "Invoice matcher"


def test_agent_rename_allowed_again_after_reopening(signed, facilitator):
    services.signoff_reopen(agent=signed, reason="Rename for the CFO", voided_by=facilitator)
    saved = agent_services.agent_update(
        agent=signed, version=signed.version, values={"name": "Invoice bot"}
    )
    assert saved.name == "Invoice bot"


def test_agent_import_refuses_renaming_a_signed_agent(signed):
    from agents.imports import agents_import

    row = {
        "name": "INVOICE MATCHER",
        "description": "",
        "business_process": "",
        "priority_rank": None,
        "owner_name": "",
        "owner_email": "",
        "table_name": "",
    }
    with pytest.raises(ValidationError) as raised:
        agents_import(workshop=signed.workshop, rows=[row])
    assert raised.value.messages == [
        "“Invoice matcher” is signed off by finance, so its name cannot change to “INVOICE "
        "MATCHER”. Keep the name as it is, or ask the facilitator to reopen the agent first."
    ]
    assert Agent.objects.get(pk=signed.pk).name == "Invoice matcher"


def test_signed_values_stored_are_the_canonical_json(signed):
    signoff = FinanceSignOff.objects.get()
    assert json.loads(signoff.signed_values) == selectors.agent_finance(agent_id=signed.pk).values
