import pytest

from agents import services
from agents.models import Agent
from tests import factories
from workshops.concurrency import EditConflict
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


# --- agent_create -------------------------------------------------------------------------------


def test_agent_create_adds_agent_at_table(workshop):
    table = factories.make_table(workshop=workshop)
    before = revision(workshop)
    agent = services.agent_create(
        workshop=workshop,
        name="Invoice Triage Agent",
        business_process="Accounts payable",
        priority_rank=1,
        owner_name="Dana",
        owner_email="dana@example.com",
        table=table,
    )
    assert (agent.workshop_id, agent.table_id, agent.version) == (workshop.pk, table.pk, 1)
    assert revision(workshop) == before + 1


def test_agent_create_unassigned_by_default(workshop):
    agent = services.agent_create(workshop=workshop, name="Ünïcode Agent 🚚")
    assert (agent.name, agent.table_id, agent.priority_rank) == ("Ünïcode Agent 🚚", None, None)


def test_agent_create_refuses_table_of_another_workshop(workshop):
    foreign = factories.make_table(workshop=factories.make_workshop())
    with pytest.raises(ValueError, match="another workshop"):
        services.agent_create(workshop=workshop, name="Sneaky", table=foreign)
    assert Agent.objects.count() == 0


# --- agent_update (existing) ---------------------------------------------------------------------


def test_agent_update_saves_and_bumps_revision(workshop):
    agent = factories.make_agent(workshop=workshop, name="Old")
    before = revision(workshop)
    saved = services.agent_update(agent=agent, version=1, values={"name": "New"})
    assert (saved.name, saved.version) == ("New", 2)
    assert revision(workshop) == before + 1


def test_agent_update_stale_version_raises_conflict(workshop):
    agent = factories.make_agent(workshop=workshop, name="Old")
    services.agent_update(agent=agent, version=1, values={"name": "First"})
    with pytest.raises(EditConflict) as raised:
        services.agent_update(agent=agent, version=1, values={"name": "Second"})
    assert raised.value.current.name == "First"


def test_agent_update_limited_to_table_refuses_other_tables_agent(workshop):
    table = factories.make_table(workshop=workshop)
    other = factories.make_table(workshop=workshop)
    agent = factories.make_agent(table=other, name="Theirs")
    with pytest.raises(Agent.DoesNotExist):
        services.agent_update(agent=agent, version=1, values={"name": "Mine"}, table_id=table.pk)
    agent.refresh_from_db()
    assert agent.name == "Theirs"


def test_agent_update_refuses_table_field(workshop):
    agent = factories.make_agent(workshop=workshop)
    with pytest.raises(ValueError, match="Not editable here: table"):
        services.agent_update(agent=agent, version=1, values={"table": None})


# --- agent_delete -------------------------------------------------------------------------------


def test_agent_delete_removes_agent_and_bumps_revision(workshop):
    agent = factories.make_agent(workshop=workshop)
    keep = factories.make_agent(workshop=workshop)
    before = revision(workshop)
    services.agent_delete(agent=agent)
    assert list(Agent.objects.values_list("pk", flat=True)) == [keep.pk]
    assert revision(workshop) == before + 1


# --- agents_assign ------------------------------------------------------------------------------


def test_agents_assign_seats_several_agents(workshop):
    table = factories.make_table(workshop=workshop)
    agents = [factories.make_agent(workshop=workshop) for _ in range(3)]
    untouched = factories.make_agent(workshop=workshop)
    before = revision(workshop)
    count = services.agents_assign(
        workshop=workshop, agent_ids=[a.pk for a in agents[:2]], table=table
    )
    assert count == 2
    seated = dict(Agent.objects.values_list("pk", "table_id"))
    assert seated == {
        agents[0].pk: table.pk,
        agents[1].pk: table.pk,
        agents[2].pk: None,
        untouched.pk: None,
    }
    assert revision(workshop) == before + 1


def test_agents_assign_none_unassigns(workshop):
    table = factories.make_table(workshop=workshop)
    agent = factories.make_agent(table=table)
    assert services.agents_assign(workshop=workshop, agent_ids=[agent.pk], table=None) == 1
    agent.refresh_from_db()
    assert agent.table_id is None


def test_agents_assign_keeps_version(workshop):
    table = factories.make_table(workshop=workshop)
    agent = factories.make_agent(workshop=workshop)
    services.agents_assign(workshop=workshop, agent_ids=[agent.pk], table=table)
    agent.refresh_from_db()
    assert agent.version == 1


def test_agents_assign_refuses_table_of_another_workshop(workshop):
    agent = factories.make_agent(workshop=workshop)
    foreign = factories.make_table(workshop=factories.make_workshop())
    before = revision(workshop)
    with pytest.raises(ValueError, match="another workshop"):
        services.agents_assign(workshop=workshop, agent_ids=[agent.pk], table=foreign)
    agent.refresh_from_db()
    assert agent.table_id is None
    assert revision(workshop) == before


def test_agents_assign_refuses_agent_of_another_workshop_and_changes_nothing(workshop):
    table = factories.make_table(workshop=workshop)
    mine = factories.make_agent(workshop=workshop)
    theirs = factories.make_agent(workshop=factories.make_workshop())
    with pytest.raises(ValueError, match="not in this workshop"):
        services.agents_assign(workshop=workshop, agent_ids=[mine.pk, theirs.pk], table=table)
    assert list(Agent.objects.order_by("pk").values_list("table_id", flat=True)) == [None, None]


def test_agents_assign_refuses_unknown_agent_id(workshop):
    table = factories.make_table(workshop=workshop)
    with pytest.raises(ValueError, match="not in this workshop"):
        services.agents_assign(workshop=workshop, agent_ids=[999_999], table=table)


def test_agent_delete_removes_open_baseline_tasks_of_its_kpis():
    from kpis.services import agent_kpi_add
    from workshops.models import ActionItem

    agent = factories.make_agent()
    kpi = agent_kpi_add(
        agent=agent,
        values={
            "name": "Hours spent matching invoices per week",
            "category": "efficiency",
            "unit": "hours per week",
            "direction": "lower",
            "data_source_system": "SAP invoice log",
            "data_source_owner": "AP team lead",
            "measurement_frequency": "weekly",
            "feasibility": "instrument",
            "baseline_value": None,
            "baseline_as_of": None,
            "baseline_source": "",
            "no_baseline": True,
        },
    )
    key = f"baseline:kpi:{kpi.pk}"
    assert ActionItem.objects.filter(origin_key=key, status="open").count() == 1
    services.agent_delete(agent=agent)
    assert ActionItem.objects.filter(origin_key=key).count() == 0
