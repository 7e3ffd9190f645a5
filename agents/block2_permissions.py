"""Who may open and change an agent's classification, thesis, KPIs and workload.

A participant of the agent's table may, and may change them only while the workshop is live;
a facilitator of the workshop may at any time. Anyone else gets a 404, so a guessed id reveals
nothing.
"""

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from workshops import zones
from workshops.models import Participant, Workshop
from workshops.permissions import current_participant, facilitator_workshops

from .models import Agent

NOT_STARTED_MESSAGE = (
    "The workshop has not started yet, so this page is read-only. Editing opens when the "
    "facilitator starts the first activity."
)
CLOSED_MESSAGE = (
    "The workshop is closed: everything your table saved is kept, and is read-only now."
)


@dataclass(frozen=True)
class AgentAccess:
    agent: Agent
    participant: Participant | None
    is_facilitator: bool
    can_edit: bool
    # Why editing is off, in a sentence for the page ("" when it is on).
    read_only_reason: str

    @property
    def table_scope(self) -> int | None:
        """The table a participant's writes are limited to (None for a facilitator)."""
        return None if self.is_facilitator else self.participant.table_id


def agent_access(request: HttpRequest, agent_id: int) -> AgentAccess:
    """The agent with what this request may do to it; Http404 for anyone else."""
    agent = Agent.objects.select_related("workshop", "table").filter(pk=agent_id).first()
    if agent is None:
        raise Http404("No such agent.")
    zones.activate(agent.workshop)
    if (
        request.user.is_authenticated
        and facilitator_workshops(request.user).filter(pk=agent.workshop_id).exists()
    ):
        return AgentAccess(
            agent=agent, participant=None, is_facilitator=True, can_edit=True, read_only_reason=""
        )
    participant = current_participant(request)
    if (
        participant is None
        or agent.table_id is None
        or participant.table_id != agent.table_id
        or participant.table.workshop_id != agent.workshop_id
    ):
        raise Http404("No such agent at your table.")
    status = agent.workshop.status
    return AgentAccess(
        agent=agent,
        participant=participant,
        is_facilitator=False,
        can_edit=status == Workshop.Status.LIVE,
        read_only_reason={
            Workshop.Status.DRAFT: NOT_STARTED_MESSAGE,
            Workshop.Status.CLOSED: CLOSED_MESSAGE,
        }.get(status, ""),
    )
