"""The agent-lock registry (workshops.locks): Blocks 2 and 3 ask it; targets fills it."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from targets import locks as finance_locks
from workshops import locks

AGENT = SimpleNamespace(pk=7)


@pytest.fixture
def no_locks():
    kept = dict(locks.LOCKS)
    locks.LOCKS.clear()
    yield
    locks.LOCKS.clear()
    locks.LOCKS.update(kept)


def _refuse(message: str):
    def refuse(agent) -> None:
        raise ValidationError(f"{message} {agent.pk}")

    return refuse


def _allow(agent) -> None:
    return None


def test_locks_finance_lock_is_provided_by_targets():
    lock = locks.LOCKS["finance"]
    assert lock.refuse_change is finance_locks.refuse_if_locked
    assert lock.refuse_delete is finance_locks.refuse_if_signoff_history
    assert lock.locked_ids is finance_locks.locked_agent_ids


def test_locks_without_a_lock_hold_nothing(no_locks):
    assert locks.refuse_if_locked(AGENT) is None
    assert locks.refuse_if_undeletable(AGENT) is None
    assert locks.locked_agent_ids(workshop_id=1) == set()


def test_locks_every_lock_is_asked(no_locks):
    locks.provide(
        "one", refuse_change=_allow, refuse_delete=_allow, locked_ids=lambda workshop_id: {1, 2}
    )
    locks.provide(
        "two",
        refuse_change=_refuse("changed"),
        refuse_delete=_refuse("deleted"),
        locked_ids=lambda workshop_id: {2, workshop_id},
    )
    assert locks.locked_agent_ids(workshop_id=9) == {1, 2, 9}
    with pytest.raises(ValidationError) as changed:
        locks.refuse_if_locked(AGENT)
    assert changed.value.messages == ["changed 7"]
    with pytest.raises(ValidationError) as deleted:
        locks.refuse_if_undeletable(AGENT)
    assert deleted.value.messages == ["deleted 7"]


def test_locks_provide_again_replaces_the_lock(no_locks):
    locks.provide(
        "one", refuse_change=_refuse("a"), refuse_delete=_allow, locked_ids=lambda **_: {1}
    )
    locks.provide("one", refuse_change=_allow, refuse_delete=_allow, locked_ids=lambda **_: {3})
    assert locks.refuse_if_locked(AGENT) is None
    assert locks.locked_agent_ids(workshop_id=1) == {3}
