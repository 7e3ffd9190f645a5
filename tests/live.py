"""The `rev` a live region carries, read fresh from the database as the server computes it,
for tests that poll."""

from agents.models import Agent
from workshops import changes, projector
from workshops.models import BreakoutTable, Workshop


def region_rev(workshop, watches, *, table=None) -> int:
    fresh = Workshop.objects.get(pk=workshop.pk)
    if table is not None:
        table = BreakoutTable.objects.get(pk=table.pk)
    return changes.workshop_rev(fresh, watches, table=table)


def table_rev(table) -> int:
    """An agent's Block 4 page: the room and the agent's table."""
    return region_rev(table.workshop, changes.TABLE_REGION, table=table)


def workspace_rev(table) -> int:
    """A table's workspace: the room and the table's summary."""
    return region_rev(table.workshop, changes.WORKSPACE_REGION, table=table)


def agent_rev(agent) -> int:
    """An agent page at a table: the room and the agent."""
    fresh = Agent.objects.get(pk=agent.pk)
    return changes.workshop_rev(
        Workshop.objects.get(pk=agent.workshop_id), changes.AGENT_REGION, agent=fresh
    )


def overview_rev(workshop) -> int:
    """The presenter and the progress board."""
    return region_rev(workshop, changes.ROOM_OVERVIEW)


def review_rev(workshop) -> int:
    """Portfolio, feasibility check, finance pages, the facilitator's knowledge check."""
    return region_rev(workshop, changes.WORK_REVIEW)


def projector_query(workshop) -> str:
    """`rev=N&view=key` of the projector showing what it shows now."""
    key = Workshop.objects.get(pk=workshop.pk).projector_view
    view = projector.REGISTRY.get(key) or projector.REGISTRY["agenda"]
    return f"rev={region_rev(workshop, view.watches)}&view={view.key}"
