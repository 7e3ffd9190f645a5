"""Every write to an agent."""

from django.db import transaction

from workshops import locks
from workshops.changes import AGENT_WORK, SEATING
from workshops.concurrency import versioned_update
from workshops.models import ActionItem, BreakoutTable, Workshop
from workshops.services import workshop_touch

from .models import Agent

# Pillar 1 details a table or facilitator may edit.
DETAIL_FIELDS = [
    "name",
    "description",
    "business_process",
    "priority_rank",
    "owner_name",
    "owner_email",
]


@transaction.atomic
def agent_update(*, agent: Agent, version: int, values: dict, table_id: int | None = None) -> Agent:
    """Save `values` on the agent if nobody saved since `version` (else EditConflict).

    `table_id` limits the write to an agent of that table (participants). Refused
    (workshops.locks) while finance's sign-off locks the agent: its name is a
    signed value. Bumps the workshop revision. Returns the agent as saved.
    """
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    locks.refuse_if_locked(agent)
    scope = {"workshop_id": agent.workshop_id}
    if table_id is not None:
        scope["table_id"] = table_id
    versioned_update(Agent, pk=agent.pk, version=version, values=values, scope=scope)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return Agent.objects.get(pk=agent.pk)


# --- Facilitator agent management ----------------------------------------------------------


@transaction.atomic
def agent_create(
    *,
    workshop: Workshop,
    name: str,
    description: str = "",
    business_process: str = "",
    priority_rank: int | None = None,
    owner_name: str = "",
    owner_email: str = "",
    table: BreakoutTable | None = None,
) -> Agent:
    """Add an agent to the workshop, at `table` (a table of that workshop) or unassigned."""
    if table is not None and table.workshop_id != workshop.pk:
        raise ValueError("The table belongs to another workshop.")
    agent = Agent.objects.create(
        workshop=workshop,
        table=table,
        name=name,
        description=description,
        business_process=business_process,
        priority_rank=priority_rank,
        owner_name=owner_name,
        owner_email=owner_email,
    )
    workshop_touch(workshop_id=workshop.pk, scopes=SEATING, table_ids=[agent.table_id])
    return agent


@transaction.atomic
def agent_delete(*, agent: Agent) -> None:
    """Delete the agent and all its Block 2-4 work, with the open baseline tasks of its KPIs.
    Refused (ValidationError) when finance has ever signed it off: sign-offs are kept."""
    locks.refuse_if_undeletable(agent)
    workshop_id = agent.workshop_id
    baseline_keys = [f"baseline:kpi:{pk}" for pk in agent.kpis.values_list("pk", flat=True)]
    ActionItem.objects.filter(
        workshop_id=workshop_id, origin=ActionItem.Origin.BASELINE, origin_key__in=baseline_keys
    ).exclude(status=ActionItem.Status.DONE).delete()
    agent.delete()
    workshop_touch(workshop_id=workshop_id, scopes=SEATING, table_ids=[agent.table_id])


@transaction.atomic
def agents_assign(*, workshop: Workshop, agent_ids: list[int], table: BreakoutTable | None) -> int:
    """Seat the given agents at `table`, or unassign them when `table` is None.

    Refuses (ValueError, nothing changed) a table or an agent of another workshop. Returns how
    many agents were assigned.
    """
    if table is not None and table.workshop_id != workshop.pk:
        raise ValueError("The table belongs to another workshop.")
    ids = set(agent_ids)
    agents = Agent.objects.filter(workshop=workshop, pk__in=ids)
    if agents.count() != len(ids):
        raise ValueError("Some agents are not in this workshop.")
    changed = agents.update(table=table)
    workshop_touch(workshop_id=workshop.pk, scopes=SEATING)
    return changed
