"""Tables joining the room: join with a code, lock a table, remove a participant, presence.

A participant has no account: joining stores a random token in the browser session
(`permissions.PARTICIPANT_SESSION_KEY`), which brings the same browser back to its table after
a reload or a dropped Wi-Fi. A code that matches a table is never refused for throttling,
whatever the counters say: only wrong codes are counted, per client address and, for a code one
character away from a real one, per workshop; only wrong codes are refused when a count is
over its limit. So a flood of wrong codes, from one address or from everyone, never holds up a
table typing its code correctly.
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common import throttle

from . import codes
from .models import BreakoutTable, Participant, Workshop
from .services import workshop_touch

# Wrong codes allowed in JOIN_THROTTLE_WINDOW seconds from one address, and near one workshop's
# codes. A room of 60 laptops shares one Wi-Fi address, so its allowance covers a typo or two
# per laptop; guessing stays hopeless: with ten tables, a million guesses find a code with odds
# of about 1 in 40 million (29**10 codes).
JOIN_THROTTLE_WINDOW = 10 * 60
JOIN_FAILURES_PER_ADDRESS = 100
JOIN_FAILURES_PER_WORKSHOP = 200


def join_limits() -> tuple[int, int]:
    """(wrong codes per address, wrong codes near one workshop's codes) per window; settings
    may change them."""
    return (
        getattr(settings, "JOIN_FAILURES_PER_ADDRESS", JOIN_FAILURES_PER_ADDRESS),
        getattr(settings, "JOIN_FAILURES_PER_WORKSHOP", JOIN_FAILURES_PER_WORKSHOP),
    )


# A participant's last_seen_at is written at most this often, however often it polls.
PRESENCE_WRITE_SECONDS = 30
# Seen within this many seconds counts as present.
PRESENT_SECONDS = 60

BLOCKED_ADDRESS = (
    "Too many wrong codes were typed from this network. Check the code on the projector: the "
    "right code still works. Other codes are refused for 10 minutes."
)
BLOCKED_WORKSHOP = (
    "Too many wrong codes close to the table codes of this workshop were typed. Check the code "
    "on the projector: the right code still works. Other codes are refused for 10 minutes."
)
UNKNOWN_CODE = "That code does not match any table. Check it on the projector and try again."
LOCKED = "This table is locked; ask the facilitator."
CLOSED = "This workshop is closed, so tables can no longer join."


class JoinRefused(Exception):
    """Joining did not happen; the message tells the person what to do."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def near_miss_workshops(code: str) -> list[int]:
    """Workshops with a table code one character away from `code` (a typo rather than a
    guess): a wrong code can be attributed to a workshop only this way, since codes are random."""
    if len(code) != codes.LENGTH or any(ch not in codes.ALPHABET for ch in code):
        return []
    variants = {
        code[:i] + ch + code[i + 1 :]
        for i in range(len(code))
        for ch in codes.ALPHABET
        if ch != code[i]
    }
    return sorted(
        set(
            BreakoutTable.objects.filter(join_code__in=variants).values_list(
                "workshop_id", flat=True
            )
        )
    )


def join_failure_record(*, code: str, address: str) -> JoinRefused:
    """Count one wrong code against the address and the workshops it nearly matches; returns
    the refusal to give (429 once the address or such a workshop is over its limit)."""
    per_address, per_workshop = join_limits()
    workshop_ids = near_miss_workshops(code)
    if throttle.is_blocked("join-ip", address, per_address):
        return JoinRefused(BLOCKED_ADDRESS, status=429)
    if any(throttle.is_blocked("join-workshop", str(pk), per_workshop) for pk in workshop_ids):
        return JoinRefused(BLOCKED_WORKSHOP, status=429)
    throttle.record_failure("join-ip", address, JOIN_THROTTLE_WINDOW)
    for pk in workshop_ids:
        throttle.record_failure("join-workshop", str(pk), JOIN_THROTTLE_WINDOW)
    return JoinRefused(UNKNOWN_CODE)


def table_for_code(typed: str) -> BreakoutTable | None:
    code = codes.normalise_code(typed)
    if len(code) != codes.LENGTH:
        return None
    return BreakoutTable.objects.select_related("workshop").filter(join_code=code).first()


def participant_join(
    *, code: str, display_name: str, address: str, token: str | None = None
) -> Participant:
    """Seat a person at the table whose join code was typed; returns the participant.

    A code that matches a table is never throttled. Refuses (JoinRefused, nothing changed) a
    wrong code (counted; 429 once its address or nearly matched workshop is over the limit), a
    locked table or a closed workshop. `token` is the token this browser already holds: if it
    belongs to a participant at the same table, that participant is kept (its name updated)
    instead of adding a second one. A draft workshop may be joined, so tables can sit down
    before the start. Bumps the revision.

    Not one transaction: a wrong code must stay counted although the join is refused.
    """
    table = table_for_code(code)
    if table is None:
        raise join_failure_record(code=codes.normalise_code(code), address=address)
    if table.workshop.status == Workshop.Status.CLOSED:
        raise JoinRefused(CLOSED, status=403)
    if table.locked:
        raise JoinRefused(LOCKED, status=403)
    return _seat(table=table, display_name=display_name, token=token)


@transaction.atomic
def _seat(*, table: BreakoutTable, display_name: str, token: str | None) -> Participant:
    now = timezone.now()
    participant = None
    if token:
        participant = Participant.objects.filter(token=token, table=table, removed=False).first()
    if participant is not None:
        participant.display_name = display_name
        participant.last_seen_at = now
        participant.save(update_fields=["display_name", "last_seen_at"])
    else:
        participant = Participant.objects.create(
            table=table,
            display_name=display_name,
            token=secrets.token_urlsafe(32),
            last_seen_at=now,
        )
    workshop_touch(workshop_id=table.workshop_id)
    participant.table = table
    return participant


@transaction.atomic
def table_lock(*, table: BreakoutTable, locked: bool) -> BreakoutTable:
    """Lock the table (nobody new can join with its code) or unlock it. People already at
    the table stay."""
    table.locked = locked
    table.save(update_fields=["locked"])
    workshop_touch(workshop_id=table.workshop_id)
    return table


@transaction.atomic
def participant_remove(*, participant: Participant) -> Participant:
    """Take a person off their table: their browser loses access at its next request. They
    can join again with the code unless the table is locked or its code rotated."""
    participant.removed = True
    participant.save(update_fields=["removed"])
    workshop_touch(workshop_id=participant.table.workshop_id)
    return participant


def presence_due(last_seen_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Whether a participant's last_seen_at is old enough to be written again."""
    return (
        last_seen_at is None
        or (now - last_seen_at).total_seconds() >= PRESENCE_WRITE_SECONDS
        or now < last_seen_at
    )


def presence_touch(
    *, participant_id: int, last_seen_at: datetime.datetime | None, now: datetime.datetime
) -> bool:
    """Record that the participant is here, at most once per PRESENCE_WRITE_SECONDS; returns
    whether it wrote. Does not bump the revision (presence is refreshed by its own slow poll),
    so a room of polling laptops does not make every screen re-render."""
    if not presence_due(last_seen_at, now):
        return False
    Participant.objects.filter(pk=participant_id).update(last_seen_at=now)
    return True


def is_present(participant: Participant, now: datetime.datetime) -> bool:
    return (
        participant.last_seen_at is not None
        and (now - participant.last_seen_at).total_seconds() < PRESENT_SECONDS
    )
