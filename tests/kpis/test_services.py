"""Block 3 writes: an agent's KPIs and their baseline tasks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from agents.models import Agent
from kpis import services
from kpis.models import AgentKpi, KpiDefinition
from tests import factories
from workshops.concurrency import EditConflict
from workshops.models import ActionItem, Workshop

pytestmark = pytest.mark.django_db

GUIDE_MESSAGE = (
    '"Improve efficiency" is not a KPI: it names an intention. Say what is counted, its unit '
    'and which way is better, e.g. "Hours saved per week/month (hours per week, higher is '
    'better)".'
)


@pytest.fixture
def table(workshop):
    return factories.make_table(workshop=workshop, name="Table A")


@pytest.fixture
def agent(table):
    return factories.make_agent(table=table, name="Invoice Triage Agent", owner_name="Dana")


def values(**changes) -> dict:
    data = {
        "name": "Hours spent matching invoices per week",
        "category": "efficiency",
        "unit": "hours per week",
        "direction": "lower",
        "data_source_system": "SAP invoice log",
        "data_source_owner": "AP team lead",
        "measurement_frequency": "weekly",
        "feasibility": "measurable",
        "baseline_value": Decimal("120"),
        "baseline_as_of": datetime.date(2026, 11, 1),
        "baseline_source": "October AP report",
        "no_baseline": False,
    }
    data.update(changes)
    return data


NO_BASELINE = {"baseline_value": None, "baseline_as_of": None, "no_baseline": True}


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


def baseline_tasks(workshop):
    return list(ActionItem.objects.filter(workshop=workshop, origin="baseline"))


# --- The library ------------------------------------------------------------------------------
def test_library_seeded_with_every_kpi_the_guide_names():
    names = list(KpiDefinition.objects.values_list("category", "name"))
    assert names == [
        ("efficiency", "Hours saved per week/month"),
        ("efficiency", "Tasks automated (count)"),
        ("efficiency", "Error/rework reduction rate"),
        ("efficiency", "Cycle time reduction (days → hours)"),
        ("capacity", "Additional throughput enabled"),
        ("capacity", "New customers/requests serviceable"),
        ("capacity", "Time-to-market acceleration"),
        ("quality", "Consistency scores"),
        ("quality", "Compliance/accuracy rates"),
        ("quality", "Customer satisfaction deltas"),
        ("economic", "Cost per task/transaction"),
        ("economic", "ROI ratio (value delivered / cost incurred)"),
        ("economic", "Payback period"),
    ]


def test_library_every_definition_complete():
    for definition in KpiDefinition.objects.all():
        assert definition.definition and definition.unit and definition.typical_data_sources
        assert definition.direction in ("higher", "lower")
    serves = dict(KpiDefinition.objects.values_list("key", "serves"))
    assert (serves["hours-saved"], serves["time-to-market"]) == ("bottom_line", "top_line")
    assert (serves["consistency-score"], serves["payback-period"]) == ("both", "finops")


def test_library_seed_is_idempotent():
    import importlib

    from django.apps import apps

    seed = importlib.import_module("kpis.migrations.0002_seed_kpi_library")
    KpiDefinition.objects.filter(key="payback-period").update(name="Edited")
    seed.seed_library(apps, None)
    assert KpiDefinition.objects.count() == 13
    assert KpiDefinition.objects.get(key="payback-period").name == "Payback period"


# --- Adding -----------------------------------------------------------------------------------
def test_agent_kpi_add_custom_with_baseline(workshop, agent):
    before = revision(workshop)
    kpi = services.agent_kpi_add(agent=agent, values=values())
    assert (kpi.name, kpi.category, kpi.baseline_value, kpi.is_custom) == (
        "Hours spent matching invoices per week",
        "efficiency",
        Decimal("120"),
        True,
    )
    assert baseline_tasks(workshop) == []
    assert revision(workshop) == before + 1


def test_agent_kpi_add_from_library_takes_its_category(agent):
    definition = KpiDefinition.objects.get(key="cost-per-task")
    kpi = services.agent_kpi_add(
        agent=agent,
        definition=definition,
        values=values(name="Cost per invoice processed", category="quality", unit="EUR per task"),
    )
    assert (kpi.definition_id, kpi.category) == (definition.pk, "economic")


def test_agent_kpi_add_without_baseline_creates_task(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**NO_BASELINE))
    [task] = baseline_tasks(workshop)
    assert (task.action, task.owner, task.due_date, task.status, task.origin_key) == (
        "Establish baseline for Hours spent matching invoices per week (Invoice Triage Agent)",
        "AP team lead",
        workshop.date + datetime.timedelta(days=14),
        "open",
        f"baseline:kpi:{kpi.pk}",
    )


def test_agent_kpi_baseline_task_owned_by_agent_owner_without_data_owner(workshop, agent):
    services.agent_kpi_add(agent=agent, values=values(data_source_owner="", **NO_BASELINE))
    assert baseline_tasks(workshop)[0].owner == "Dana"


def test_agent_kpi_baseline_task_owner_placeholder_without_any_owner(workshop, table):
    agent = factories.make_agent(table=table, owner_name="")
    services.agent_kpi_add(agent=agent, values=values(data_source_owner="", **NO_BASELINE))
    assert baseline_tasks(workshop)[0].owner == "Agent owner (to be named)"


def test_agent_kpi_add_no_more_than_three(workshop, agent):
    for n in range(3):
        services.agent_kpi_add(agent=agent, values=values(name=f"Invoices matched per week {n}"))
    before = revision(workshop)
    with pytest.raises(ValidationError) as error:
        services.agent_kpi_add(agent=agent, values=values(name="Invoices rejected", **NO_BASELINE))
    assert error.value.message_dict == {
        NON_FIELD_ERRORS: [
            "This agent already has 3 KPIs, the most it can have. Remove one before adding another."
        ]
    }
    assert AgentKpi.objects.filter(agent=agent).count() == 3
    assert baseline_tasks(workshop) == []
    assert revision(workshop) == before


def test_agent_kpi_add_refuses_duplicate_name(agent):
    services.agent_kpi_add(agent=agent, values=values())
    with pytest.raises(ValidationError) as error:
        services.agent_kpi_add(
            agent=agent, values=values(name="HOURS spent matching invoices per week")
        )
    assert error.value.message_dict == {
        "name": [
            "This agent already has a KPI called "
            "\u201cHOURS spent matching invoices per week\u201d."
        ]
    }


def test_agent_kpi_add_refuses_vague_name_and_saves_nothing(workshop, agent):
    with pytest.raises(ValidationError) as error:
        services.agent_kpi_add(agent=agent, values=values(name="improve efficiency", **NO_BASELINE))
    assert error.value.message_dict == {"name": [GUIDE_MESSAGE]}
    assert AgentKpi.objects.count() == 0
    assert baseline_tasks(workshop) == []


def test_agent_kpi_add_refuses_float_baseline(agent):
    with pytest.raises(ValidationError):
        services.agent_kpi_add(agent=agent, values=values(baseline_value=120.5))
    assert AgentKpi.objects.count() == 0


def test_agent_kpi_add_refuses_unknown_field(agent):
    with pytest.raises(ValueError, match="Not editable here: version"):
        services.agent_kpi_add(agent=agent, values=values(version=3))


def test_agent_kpi_add_table_scope(workshop, agent):
    other = factories.make_table(workshop=workshop, name="Table B")
    with pytest.raises(Agent.DoesNotExist):
        services.agent_kpi_add(agent=agent, values=values(), table_id=other.pk)
    assert AgentKpi.objects.count() == 0


# --- Changing ---------------------------------------------------------------------------------
def test_agent_kpi_update_entering_baseline_closes_task(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**NO_BASELINE))
    before = revision(workshop)
    saved = services.agent_kpi_update(kpi=kpi, version=1, values=values())
    assert (saved.baseline_value, saved.no_baseline, saved.version) == (Decimal("120"), False, 2)
    assert [task.status for task in baseline_tasks(workshop)] == ["done"]
    assert revision(workshop) == before + 1


def test_agent_kpi_update_removing_baseline_reopens_task(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**NO_BASELINE))
    services.agent_kpi_update(kpi=kpi, version=1, values=values())
    services.agent_kpi_update(
        kpi=kpi, version=2, values=values(name="Invoices per hour", **NO_BASELINE)
    )
    [task] = baseline_tasks(workshop)
    assert (task.status, task.action) == (
        "open",
        "Establish baseline for Invoices per hour (Invoice Triage Agent)",
    )


def test_agent_kpi_update_conflict_keeps_first_save(agent):
    kpi = services.agent_kpi_add(agent=agent, values=values())
    services.agent_kpi_update(kpi=kpi, version=1, values=values(unit="hours per month"))
    with pytest.raises(EditConflict) as conflict:
        services.agent_kpi_update(kpi=kpi, version=1, values=values(unit="minutes per week"))
    assert conflict.value.current.unit == "hours per month"
    assert AgentKpi.objects.get(pk=kpi.pk).unit == "hours per month"


def test_agent_kpi_update_table_scope(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values())
    other = factories.make_table(workshop=workshop, name="Table B")
    with pytest.raises(AgentKpi.DoesNotExist):
        services.agent_kpi_update(kpi=kpi, version=1, values=values(unit="x"), table_id=other.pk)
    assert AgentKpi.objects.get(pk=kpi.pk).unit == "hours per week"


def test_agent_kpi_update_refuses_name_of_sibling(agent):
    services.agent_kpi_add(agent=agent, values=values(name="Invoices per hour"))
    kpi = services.agent_kpi_add(agent=agent, values=values())
    with pytest.raises(ValidationError):
        services.agent_kpi_update(kpi=kpi, version=1, values=values(name="invoices per hour"))


# --- Removing ---------------------------------------------------------------------------------
def test_agent_kpi_delete_removes_open_task(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**NO_BASELINE))
    before = revision(workshop)
    services.agent_kpi_delete(kpi=kpi)
    assert AgentKpi.objects.count() == 0
    assert baseline_tasks(workshop) == []
    assert revision(workshop) == before + 1


def test_agent_kpi_delete_keeps_done_task(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**NO_BASELINE))
    services.agent_kpi_update(kpi=kpi, version=1, values=values())
    services.agent_kpi_delete(kpi=kpi)
    assert [task.status for task in baseline_tasks(workshop)] == ["done"]


def test_agent_kpi_delete_table_scope(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values())
    other = factories.make_table(workshop=workshop, name="Table B")
    with pytest.raises(AgentKpi.DoesNotExist):
        services.agent_kpi_delete(kpi=kpi, table_id=other.pk)
    assert AgentKpi.objects.count() == 1


# --- "To be instrumented by <owner> by <date>" -------------------------------------------------
INSTRUMENT = {
    "feasibility": "instrument",
    "data_source_system": "",
    "data_source_owner": "Ops analyst",
    "instrument_by": datetime.date(2027, 1, 15),
}


def instrument_tasks(workshop):
    return list(
        ActionItem.objects.filter(workshop=workshop, origin="instrument").values_list(
            "owner", "action", "due_date", "status"
        )
    )


def test_agent_kpi_add_to_be_instrumented_creates_action(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**INSTRUMENT))
    assert kpi.has_data_source is True
    assert kpi.data_source_text == "to be instrumented by Ops analyst by 15 Jan 2027"
    assert instrument_tasks(workshop) == [
        (
            "Ops analyst",
            "Instrument Hours spent matching invoices per week (Invoice Triage Agent)",
            datetime.date(2027, 1, 15),
            "open",
        )
    ]


def test_agent_kpi_update_measurable_closes_instrument_action(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**INSTRUMENT))
    saved = services.agent_kpi_update(
        kpi=kpi, version=kpi.version, values=values(instrument_by=datetime.date(2027, 1, 15))
    )
    assert saved.instrument_by is None
    assert [task[3] for task in instrument_tasks(workshop)] == ["done"]


def test_agent_kpi_update_new_date_moves_the_action(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**INSTRUMENT))
    services.agent_kpi_update(
        kpi=kpi,
        version=kpi.version,
        values=values(**{**INSTRUMENT, "instrument_by": datetime.date(2027, 2, 1)}),
    )
    assert [task[2] for task in instrument_tasks(workshop)] == [datetime.date(2027, 2, 1)]


def test_agent_kpi_without_date_has_no_action_and_no_data_source(workshop, agent):
    kpi = services.agent_kpi_add(
        agent=agent, values=values(**{**INSTRUMENT, "instrument_by": None})
    )
    assert kpi.has_data_source is False
    assert instrument_tasks(workshop) == []


def test_agent_kpi_delete_removes_open_instrument_action(workshop, agent):
    kpi = services.agent_kpi_add(agent=agent, values=values(**INSTRUMENT))
    services.agent_kpi_delete(kpi=kpi)
    assert instrument_tasks(workshop) == []


@pytest.mark.parametrize("bad", ["2027-01-15", 20270115, "tomorrow"])
def test_agent_kpi_add_refuses_instrument_date_of_wrong_type(agent, bad):
    with pytest.raises(ValidationError) as caught:
        services.agent_kpi_add(agent=agent, values=values(**{**INSTRUMENT, "instrument_by": bad}))
    assert caught.value.message_dict == {
        "instrument_by": ["Enter the date as YYYY-MM-DD, e.g. 2026-11-30."]
    }


def test_kpi_step_incomplete_everywhere_without_data_source(workshop, agent):
    from workshops import progress

    services.agent_kpi_add(agent=agent, values=values())
    services.agent_kpi_add(
        agent=agent,
        values=values(name="Invoices per clerk per day", **{**INSTRUMENT, "instrument_by": None}),
    )
    fresh = type(agent).objects.get(pk=agent.pk)
    assert progress.step_status("kpis", fresh) is False
    second = fresh.kpis.get(name="Invoices per clerk per day")
    services.agent_kpi_update(
        kpi=second,
        version=second.version,
        values=values(name="Invoices per clerk per day", **INSTRUMENT),
    )
    fresh = type(agent).objects.get(pk=agent.pk)
    assert progress.step_status("kpis", fresh) is True
