"""Countdown and schedule arithmetic for the agenda, in whole seconds. Plain Python, no Django.

An activity's clock is its duration (planned minutes plus the minutes added or removed on the
day), the seconds it ran before its latest pause, and the moment it was last started or resumed
(None while paused). Every screen computes the same remaining time from these and the server's
clock, so nothing is lost on a reload.
"""

import datetime
from dataclasses import dataclass, replace

MIN_DURATION_SECONDS = 0


@dataclass(frozen=True)
class Clock:
    duration: int  # planned seconds plus adjustments
    elapsed: int = 0  # seconds run before the latest pause
    running_since: datetime.datetime | None = None

    @property
    def running(self) -> bool:
        return self.running_since is not None


def _seconds(delta: datetime.timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def elapsed_at(clock: Clock, now: datetime.datetime) -> int:
    """Seconds the activity has run, pauses excluded."""
    if clock.running_since is None:
        return clock.elapsed
    return clock.elapsed + _seconds(now - clock.running_since)


def remaining_at(clock: Clock, now: datetime.datetime) -> int:
    """Seconds left; negative once the activity runs over."""
    return clock.duration - elapsed_at(clock, now)


def overrun_at(clock: Clock, now: datetime.datetime) -> int:
    """Seconds past the activity's duration (0 while time is left)."""
    return max(0, -remaining_at(clock, now))


def ends_at(clock: Clock) -> datetime.datetime | None:
    """When the countdown reaches zero if it keeps running; None while paused."""
    if clock.running_since is None:
        return None
    # From the resume moment, not from `now`: every screen gets the very same instant.
    return clock.running_since + datetime.timedelta(seconds=clock.duration - clock.elapsed)


def pause(clock: Clock, now: datetime.datetime) -> Clock:
    """Stop the clock, keeping the seconds run so far. Pausing a paused clock changes nothing."""
    if clock.running_since is None:
        return clock
    return replace(clock, elapsed=elapsed_at(clock, now), running_since=None)


def resume(clock: Clock, now: datetime.datetime) -> Clock:
    """Run the clock again from where it stopped. Resuming a running clock changes nothing."""
    if clock.running_since is not None:
        return clock
    return replace(clock, running_since=now)


def adjust(*, planned_seconds: int, adjustment: int, delta: int) -> int:
    """The new adjustment after adding (`delta` > 0) or removing (`delta` < 0) seconds.

    The duration never drops below zero: removing more than is planned leaves zero, and the
    countdown shows the overrun.
    """
    return max(adjustment + delta, MIN_DURATION_SECONDS - planned_seconds)


@dataclass(frozen=True)
class PlannedItem:
    """One activity as the schedule needs it."""

    planned: int  # planned seconds, as in the agenda (no adjustments)
    duration: int  # planned seconds plus adjustments made on the day
    elapsed: int  # seconds run so far (for the current activity: up to now)
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Slot:
    planned_start: datetime.datetime
    planned_end: datetime.datetime
    expected_start: datetime.datetime  # actual where it happened, projected otherwise
    expected_end: datetime.datetime
    actual_start: datetime.datetime | None
    actual_end: datetime.datetime | None
    overrun: int | None  # seconds run beyond the plan (negative: finished early); None if not run
    state: str  # "done", "current", "upcoming"

    @property
    def shift(self) -> int:
        """Seconds the activity starts later than planned (negative: earlier)."""
        return int((self.expected_start - self.planned_start).total_seconds())


def schedule(
    items: list[PlannedItem],
    *,
    anchor: datetime.datetime,
    current: int | None,
    now: datetime.datetime,
) -> list[Slot]:
    """Planned, actual and expected start and end of every activity.

    The plan runs the activities back to back from `anchor` (when the first activity started,
    or now before the start). Done activities keep their actual times; the current one is
    expected to end when its remaining time runs out (or now, when it is over time); every
    later activity is shifted to follow on, with its adjusted duration. `current` is the index
    of the current activity, None before the start or after the last one.
    """
    slots: list[Slot] = []
    planned_cursor = anchor
    expected_cursor = anchor
    for index, item in enumerate(items):
        planned_start = planned_cursor
        planned_end = planned_start + datetime.timedelta(seconds=item.planned)
        planned_cursor = planned_end
        if current is not None and index == current:
            state = "current"
            start = item.started_at or now
            remaining = max(0, item.duration - item.elapsed)
            end = now + datetime.timedelta(seconds=remaining)
            overrun = item.elapsed - item.planned if item.started_at else None
        elif item.ended_at is not None and (current is None or index < current):
            state = "done"
            start = item.started_at or item.ended_at
            end = item.ended_at
            overrun = item.elapsed - item.planned
        elif current is not None and index < current:
            # Passed over without being run: takes no time.
            state = "done"
            start = end = max(expected_cursor, item.started_at or expected_cursor)
            overrun = None
        else:
            state = "upcoming"
            start = max(expected_cursor, now) if current is not None else expected_cursor
            end = start + datetime.timedelta(seconds=item.duration)
            overrun = None
        slots.append(
            Slot(
                planned_start=planned_start,
                planned_end=planned_end,
                expected_start=start,
                expected_end=end,
                actual_start=item.started_at if state != "upcoming" else None,
                actual_end=item.ended_at if state == "done" else None,
                overrun=overrun,
                state=state,
            )
        )
        expected_cursor = end
    return slots


def schedule_shift(slots: list[Slot]) -> int:
    """Seconds the whole agenda is expected to end later than planned (negative: earlier)."""
    if not slots:
        return 0
    last = slots[-1]
    return int((last.expected_end - last.planned_end).total_seconds())


def clock_text(seconds: int) -> str:
    """Seconds as m:ss or h:mm:ss, with a minus sign when negative (over time)."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def minutes_text(seconds: int) -> str:
    """A shift or overrun in words: "7 min late", "2 min early", "on time"."""
    minutes = round(abs(seconds) / 60)
    if minutes == 0:
        return "on time"
    return f"{minutes} min {'late' if seconds > 0 else 'early'}"
