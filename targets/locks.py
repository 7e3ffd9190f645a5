"""The finance lock: once finance signs an agent off, its thesis, KPIs, targets and economics are
locked for the table until the facilitator reopens it (which voids the sign-off).

Every service that changes those values calls `refuse_if_locked(agent)` inside its transaction
(Block 2 classification, Block 3 KPIs, and this app's target and economics writes).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats, timezone

from .models import FinanceSignOff


class AgentLocked(ValidationError):
    """Raised by a write to a signed-off agent. A ValidationError (not tied to a field), so
    forms show its sentence above the fields."""

    def __init__(self, signoff: FinanceSignOff):
        self.signoff = signoff
        super().__init__({NON_FIELD_ERRORS: [lock_message(signoff)]})


def valid_signoff(agent) -> FinanceSignOff | None:
    """The sign-off in force (valid and verified); an imported, unverified one does not lock."""
    return FinanceSignOff.objects.in_force().filter(agent_id=agent.pk).first()


def agent_is_locked(agent) -> bool:
    """True while the agent has a valid, verified finance sign-off."""
    return FinanceSignOff.objects.in_force().filter(agent_id=agent.pk).exists()


def locked_agent_ids(*, workshop_id: int) -> set[int]:
    """The workshop's agents locked by a sign-off in force (valid and verified; one query)."""
    return set(
        FinanceSignOff.objects.in_force()
        .filter(agent__workshop_id=workshop_id)
        .values_list("agent_id", flat=True)
    )


def lock_message(signoff: FinanceSignOff) -> str:
    when = formats.date_format(timezone.localtime(signoff.signed_at), "j M Y, H:i T")
    return (
        f"Finance signed off this agent on {when} ({signoff.signer_name}, "
        f"{signoff.signer_title}), so its name, thesis, KPIs, targets and economics are locked. "
        "Ask the facilitator to reopen it before changing anything."
    )


def refuse_if_locked(agent) -> None:
    """Raise AgentLocked when the agent has a valid finance sign-off. Call inside the write's
    transaction."""
    signoff = valid_signoff(agent)
    if signoff is not None:
        raise AgentLocked(signoff)


AGENT_KEEPS_HISTORY = (
    "Finance has signed this agent off before, and sign-offs are never deleted, so the agent "
    "stays. Reopen it if its table must change it; its history keeps every sign-off."
)


def refuse_if_signoff_history(agent) -> None:
    """Raise ValidationError when the agent has any sign-off, valid or void: deleting the
    agent would delete them."""
    if FinanceSignOff.objects.filter(agent_id=agent.pk).exists():
        raise ValidationError(AGENT_KEEPS_HISTORY)
