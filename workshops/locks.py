"""Agent locks: a registry higher apps fill, so Blocks 2 and 3 refuse to change a locked agent
without importing the app that locks it.

Block 4 (targets) locks an agent once finance signs it off; it provides its checks from its
app's `ready()`:

    from workshops import locks
    locks.provide(
        "finance",
        refuse_change=refuse_if_locked,    # raises a ValidationError while the agent is locked
        refuse_delete=refuse_if_signoff_history,  # raises when deleting would lose history
        locked_ids=locked_agent_ids,       # (workshop_id=...) -> the locked agents' ids
    )

With nothing provided, no agent is locked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Lock:
    refuse_change: Callable[[Any], None]
    refuse_delete: Callable[[Any], None]
    locked_ids: Callable[..., set[int]]


LOCKS: dict[str, Lock] = {}


def provide(
    key: str,
    *,
    refuse_change: Callable[[Any], None],
    refuse_delete: Callable[[Any], None],
    locked_ids: Callable[..., set[int]],
) -> None:
    """Register (or replace) the lock named `key`."""
    LOCKS[key] = Lock(
        refuse_change=refuse_change, refuse_delete=refuse_delete, locked_ids=locked_ids
    )


def refuse_if_locked(agent) -> None:
    """Raise the lock's ValidationError when any lock holds the agent. Call inside the write's
    transaction."""
    for lock in LOCKS.values():
        lock.refuse_change(agent)


def refuse_if_undeletable(agent) -> None:
    """Raise a ValidationError when deleting the agent would lose what a lock keeps."""
    for lock in LOCKS.values():
        lock.refuse_delete(agent)


def locked_agent_ids(*, workshop_id: int) -> set[int]:
    """The ids of the workshop's agents any lock holds."""
    locked: set[int] = set()
    for lock in LOCKS.values():
        locked |= lock.locked_ids(workshop_id=workshop_id)
    return locked
