"""The sign-off checklist: the guide's outputs item by item, each missing item blocking the
sign-off in the service and over HTTP with its reason shown, on the finance page, the table's
pages and the facilitator's view; query counts."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agents.models import Agent
from kpis.models import AgentKpi
from targets import checklist, selectors, services
from targets.models import (
    BenchmarkEvidence,
    ConstraintAnalysis,
    FinanceSignOff,
    ValueTarget,
)
from targets.permissions import FinanceRole
from tests import factories
from workshops.models import ActionItem

KPI_ITEMS = ["data_sources", "baselines", "benchmarks", "constraints", "targets"]
ALL_ITEMS = ["classification", "thesis", "kpis", *KPI_ITEMS]


def text(response) -> str:
    return html.unescape(response.content.decode())


def first_kpi(agent) -> AgentKpi:
    return AgentKpi.objects.filter(agent=agent).order_by("pk").first()


def items(agent) -> dict[str, checklist.ChecklistItem]:
    finance = selectors.agent_finance(agent_id=agent.pk)
    return {item.key: item for item in finance.checklist}


def open_items(agent) -> dict[str, list[str]]:
    return {key: item.reasons for key, item in items(agent).items() if not item.done}


@pytest.fixture
def ready(table):
    return factories.make_ready_agent(table=table, name="Invoice matcher")


# --- Each item, one by one ---------------------------------------------------------------------


def _unclassified(agent):
    Agent.objects.filter(pk=agent.pk).update(
        economic_class="", value_driver="", thesis_subject="", thesis_mechanism=""
    )


def _no_thesis(agent):
    Agent.objects.filter(pk=agent.pk).update(thesis_mechanism="")


def _one_kpi(agent):
    AgentKpi.objects.filter(pk=AgentKpi.objects.filter(agent=agent).order_by("-pk")[0].pk).delete()


def _four_kpis(agent):
    for _ in range(2):
        kpi = factories.make_agent_kpi(agent=agent)
        factories.make_benchmark(kpi=kpi)
        factories.make_constraints(kpi=kpi)
        factories.make_value_target(kpi=kpi)


def _no_data_source(agent):
    AgentKpi.objects.filter(pk=first_kpi(agent).pk).update(name="Cycle time", data_source_system="")


def _no_data_owner(agent):
    AgentKpi.objects.filter(pk=first_kpi(agent).pk).update(
        name="Cycle time", data_source_owner="  "
    )


def _no_baseline_no_task(agent):
    AgentKpi.objects.filter(pk=first_kpi(agent).pk).update(
        name="Cycle time", baseline_value=None, baseline_as_of=None, no_baseline=True
    )


def _baseline_task_done(agent):
    _no_baseline_no_task(agent)
    kpi = first_kpi(agent)
    ActionItem.objects.create(
        workshop=agent.workshop,
        owner="AP lead",
        action="Measure the cycle time",
        due_date=datetime.date(2027, 1, 15),
        origin=ActionItem.Origin.BASELINE,
        origin_key=kpi.baseline_action_key,
        status=ActionItem.Status.DONE,
    )


def _no_benchmarks(agent):
    kpi = first_kpi(agent)
    AgentKpi.objects.filter(pk=kpi.pk).update(name="Cycle time")
    BenchmarkEvidence.objects.filter(kpi=kpi).delete()


def _no_constraints(agent):
    kpi = first_kpi(agent)
    AgentKpi.objects.filter(pk=kpi.pk).update(name="Cycle time")
    ConstraintAnalysis.objects.filter(kpi=kpi).delete()


def _no_targets(agent):
    kpi = first_kpi(agent)
    AgentKpi.objects.filter(pk=kpi.pk).update(name="Cycle time")
    ValueTarget.objects.filter(kpi=kpi).delete()


BREAKS = [
    (_unclassified, "classification", "Classify the agent and choose its value driver."),
    (_no_thesis, "thesis", "Write the economic thesis: “This agent exists to … by …”."),
    (_one_kpi, "kpis", "The agent has 1 KPI: choose 2 or 3."),
    (_four_kpis, "kpis", "The agent has 4 KPIs: keep 2 or 3."),
    (
        _no_data_source,
        "data_sources",
        "“Cycle time” has no data source: name the system and its owner (or, when it cannot "
        "be measured today, who will instrument it and by when).",
    ),
    (
        _no_data_owner,
        "data_sources",
        "“Cycle time” has no data source: name the system and its owner (or, when it cannot "
        "be measured today, who will instrument it and by when).",
    ),
    (
        _no_baseline_no_task,
        "baselines",
        "“Cycle time” has no baseline and no open task to establish one.",
    ),
    (
        _baseline_task_done,
        "baselines",
        "“Cycle time” has no baseline and no open task to establish one.",
    ),
    (
        _no_benchmarks,
        "benchmarks",
        "“Cycle time” has no benchmark evidence: add some, or state that there is no "
        "comparable evidence and why.",
    ),
    (
        _no_constraints,
        "constraints",
        "“Cycle time” has no constraint analysis with the adoption at 6 and 12 months.",
    ),
    (
        _no_targets,
        "targets",
        "“Cycle time” has no confirmed floor, target and stretch at 6 and 12 months with their "
        "assumptions.",
    ),
]
BREAK_IDS = [f"{key}-{make.__name__.strip('_')}" for make, key, _ in BREAKS]


def test_checklist_of_a_complete_agent_is_all_done(ready):
    found = items(ready)
    assert list(found) == ALL_ITEMS
    assert all(item.done for item in found.values())
    assert selectors.agent_finance(agent_id=ready.pk).missing_for_signoff == []
    assert selectors.agent_finance(agent_id=ready.pk).status == selectors.READY


@pytest.mark.parametrize(("make", "key", "reason"), BREAKS, ids=BREAK_IDS)
def test_checklist_item_missing_names_it(ready, make, key, reason):
    make(ready)
    found = open_items(ready)
    assert found[key] == [reason]
    if key not in ("classification", "thesis"):
        assert list(found) == [key]
    assert selectors.agent_finance(agent_id=ready.pk).status == selectors.INCOMPLETE


@pytest.mark.parametrize(("make", "key", "reason"), BREAKS, ids=BREAK_IDS)
def test_signoff_record_refuses_each_missing_item(
    live_workshop, ready, finance_user, make, key, reason
):
    make(ready)
    role = FinanceRole(workshop=live_workshop, name="Fran Okafor", title="CFO", user=finance_user)
    with pytest.raises(ValidationError) as raised:
        services.signoff_record(
            agent=ready,
            role=role,
            title="CFO",
            seen_sha256=selectors.agent_finance(agent_id=ready.pk).sha256,
        )
    assert reason in raised.value.messages
    assert FinanceSignOff.objects.count() == 0


@pytest.mark.parametrize(("make", "key", "reason"), BREAKS, ids=BREAK_IDS)
def test_signoff_over_http_refuses_each_missing_item(
    finance_client, live_workshop, ready, make, key, reason
):
    make(ready)
    page = finance_client.get(reverse("targets:finance_review", args=[live_workshop.pk]))
    assert reason in text(page)
    assert f'disabled aria-describedby="checklist-{ready.pk}"' in text(page)

    response = finance_client.post(
        reverse("targets:signoff", args=[live_workshop.pk, ready.pk]),
        {
            f"s{ready.pk}-title": "CFO",
            f"s{ready.pk}-values_sha256": selectors.agent_finance(agent_id=ready.pk).sha256,
        },
    )
    assert response.status_code == 422
    assert reason in text(response)
    assert FinanceSignOff.objects.count() == 0


def test_checklist_accepts_an_instrumented_kpi_with_an_owner_and_a_date(ready):
    AgentKpi.objects.filter(pk=first_kpi(ready).pk).update(
        feasibility="instrument", data_source_system="", instrument_by=datetime.date(2027, 1, 15)
    )
    assert open_items(ready) == {}


def test_checklist_refuses_an_instrumented_kpi_without_a_date(ready):
    kpi = first_kpi(ready)
    AgentKpi.objects.filter(pk=kpi.pk).update(feasibility="instrument", data_source_system="")
    assert open_items(ready) == {
        "data_sources": [
            f"“{kpi.name}” has no data source: name the system and its owner (or, when it "
            "cannot be measured today, who will instrument it and by when)."
        ]
    }


def test_checklist_refuses_a_kpi_not_measurable_yet_without_owner(ready):
    kpi = first_kpi(ready)
    AgentKpi.objects.filter(pk=kpi.pk).update(
        feasibility="not_yet",
        data_source_system="",
        data_source_owner="",
        instrument_by=datetime.date(2027, 1, 15),
    )
    assert list(open_items(ready)) == ["data_sources"]


def test_checklist_refuses_an_instrumented_kpi_without_an_owner(ready):
    AgentKpi.objects.filter(pk=first_kpi(ready).pk).update(
        name="Cycle time", feasibility="instrument", data_source_system="", data_source_owner=""
    )
    assert list(open_items(ready)) == ["data_sources"]


def test_checklist_accepts_an_open_baseline_task(ready):
    _no_baseline_no_task(ready)
    kpi = first_kpi(ready)
    ActionItem.objects.create(
        workshop=ready.workshop,
        owner="AP lead",
        action="Measure the cycle time",
        due_date=datetime.date(2027, 1, 15),
        origin=ActionItem.Origin.BASELINE,
        origin_key=kpi.baseline_action_key,
    )
    assert open_items(ready) == {}


def test_checklist_accepts_no_comparable_evidence_with_a_reason(ready):
    _no_benchmarks(ready)
    factories.make_no_evidence(kpi=first_kpi(ready))
    assert open_items(ready) == {}


def test_checklist_without_kpis_asks_for_them_first(table):
    agent = factories.classify_agent(factories.make_agent(table=table))
    found = open_items(agent)
    assert found == {
        "kpis": ["The agent has no KPIs yet: choose 2 or 3."],
        **{key: [checklist.NEEDS_KPIS] for key in KPI_ITEMS},
    }


def test_checklist_missing_lists_reasons_once_in_order():
    items_ = [
        checklist.ChecklistItem("a", "A", False, ["one", "two"]),
        checklist.ChecklistItem("b", "B", True, []),
        checklist.ChecklistItem("c", "C", False, ["two", "three"]),
    ]
    assert checklist.missing(items_) == ["one", "two", "three"]


# --- The table's and the facilitator's pages -------------------------------------------------


def test_checklist_shows_on_the_table_targets_page(table_client, ready):
    _no_constraints(ready)
    response = table_client.get(reverse("targets:agent", args=[ready.pk]))
    assert response.status_code == 200
    assert "Complete before sign-off" in text(response)
    assert "“Cycle time” has no constraint analysis with the adoption at 6 and 12 months." in text(
        response
    )


def test_checklist_shows_on_the_table_agent_page(table_client, ready):
    _no_benchmarks(ready)
    response = table_client.get(reverse("workshops:table_agent", args=[ready.pk]))
    assert response.status_code == 200
    assert (
        "“Cycle time” has no benchmark evidence: add some, or state that there is no "
        "comparable evidence and why." in text(response)
    )


def test_checklist_shows_on_the_facilitator_view_of_the_agent(facilitator_client, ready):
    _no_thesis(ready)
    response = facilitator_client.get(reverse("targets:agent", args=[ready.pk]))
    assert response.status_code == 200
    assert "Write the economic thesis: “This agent exists to … by …”." in text(response)


def test_checklist_is_escaped_on_the_page(table_client, ready):
    _no_benchmarks(ready)
    AgentKpi.objects.filter(pk=first_kpi(ready).pk).update(name="<script>alert(1)</script>")
    body = table_client.get(reverse("targets:agent", args=[ready.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- Query counts -------------------------------------------------------------------------------


def _mixed_agent(table):
    """A ready agent, one KPI of which waits for its baseline (open task) and has no
    comparable evidence."""
    agent = factories.make_ready_agent(table=table)
    kpi = first_kpi(agent)
    AgentKpi.objects.filter(pk=kpi.pk).update(
        baseline_value=None, baseline_as_of=None, no_baseline=True
    )
    BenchmarkEvidence.objects.filter(kpi=kpi).delete()
    factories.make_no_evidence(kpi=kpi)
    ActionItem.objects.create(
        workshop=agent.workshop,
        owner="AP lead",
        action="Measure it",
        due_date=datetime.date(2027, 1, 15),
        origin=ActionItem.Origin.BASELINE,
        origin_key=kpi.baseline_action_key,
    )
    return agent


def test_finance_review_query_count_with_checklists_does_not_grow(
    finance_client, live_workshop, table, django_assert_num_queries
):
    url = reverse("targets:finance_review", args=[live_workshop.pk])
    _mixed_agent(table)
    finance_client.get(url)  # the first visit also notes finance's presence in the room
    # session, user, finance role, workshop, finance's presence, six Block 4 reads, baseline
    # tasks
    with django_assert_num_queries(11):
        assert finance_client.get(url).status_code == 200
    for _ in range(5):
        _mixed_agent(table)
    with django_assert_num_queries(11):
        response = finance_client.get(url)
    assert text(response).count("Complete before sign-off") == 6


def test_checklist_and_changes_need_no_queries_once_loaded(signed_ready, django_assert_num_queries):
    finance = selectors.agent_finance(agent_id=signed_ready.pk)
    with django_assert_num_queries(0):
        assert [item.done for item in finance.checklist] == [True] * len(ALL_ITEMS)
        assert finance.changes == []
        assert finance.status == selectors.SIGNED


@pytest.fixture
def signed_ready(ready, live_workshop, finance_user):
    role = FinanceRole(workshop=live_workshop, name="Fran Okafor", title="CFO", user=finance_user)
    services.signoff_record(
        agent=ready,
        role=role,
        title="CFO",
        seen_sha256=selectors.agent_finance(agent_id=ready.pk).sha256,
    )
    return ready
