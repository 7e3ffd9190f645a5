"""Start and end times of agenda activities, counted from the workshop's start (0:00), in the
guide's notation ("1:30-1:45"), and as the clock at the venue shows them ("10:30-10:45").
Plain Python, no Django."""

import datetime


def clock(minutes: int) -> str:
    """Minutes from the start as hours:minutes, e.g. 90 -> "1:30"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"


def time_slots(planned_minutes: list[int]) -> list[tuple[int, int]]:
    """(start, end) minutes of each activity run back to back in the given order."""
    slots = []
    start = 0
    for minutes in planned_minutes:
        slots.append((start, start + minutes))
        start += minutes
    return slots


def slot_label(start: int, end: int) -> str:
    return f"{clock(start)}-{clock(end)}"


def at(start: datetime.datetime, minutes: int) -> datetime.datetime:
    """The moment `minutes` after `start`, on the wall clock of `start`'s zone (a change to or
    from summer time in between is kept: 90 minutes are 90 minutes)."""
    zone = start.tzinfo
    moment = start.astimezone(datetime.UTC) + datetime.timedelta(minutes=minutes)
    return moment.astimezone(zone)


def wall_label(start: datetime.datetime, slot: tuple[int, int]) -> str:
    """A slot as the venue's clock shows it, e.g. "10:30-10:45"."""
    return f"{at(start, slot[0]):%H:%M}-{at(start, slot[1]):%H:%M}"
