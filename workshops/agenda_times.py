"""Start and end times of agenda activities, counted from the workshop's start (0:00), in the
guide's notation ("1:30-1:45"). Plain Python, no Django."""


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
