"""Every write to an agent."""

from django.db import transaction

from workshops.concurrency import versioned_update
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
def agent_update(
    *, agent: Agent, version: int, values: dict, table_id: int | None = None
) -> Agent:
    """Save `values` on the agent if nobody saved since `version` (else EditConflict).

    `table_id` limits the write to an agent of that table (participants). Bumps the workshop
    revision. Returns the agent as saved.
    """
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    scope = {"workshop_id": agent.workshop_id}
    if table_id is not None:
        scope["table_id"] = table_id
    versioned_update(Agent, pk=agent.pk, version=version, values=values, scope=scope)
    workshop_touch(workshop_id=agent.workshop_id)
    return Agent.objects.get(pk=agent.pk)
