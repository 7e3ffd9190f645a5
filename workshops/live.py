"""Running the agenda live: start, pause, resume, next, previous, add or remove minutes, what
the projector shows, closing the workshop. Reads of the run state for the presenter, the
projector and the tables.

The state lives on the workshop (`current_item`, `timer_running_since`, `projector_view`) and on
each agenda item (`elapsed_seconds` before the latest pause, `adjustment_seconds`,
`actual_started_at`, `actual_ended_at`); the arithmetic is in `workshops.timer`. Every write
locks the workshop row, so two presenter screens pressing "Next" at once move one step, and
bumps the revision so every screen follows within one poll.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import agenda_times, changes, projector, timer, zones
from .models import AgendaItem, Workshop
from .services import workshop_touch


class RunError(Exception):
    """The control does not apply now; the message says why, for the facilitator."""


def _clock(item: AgendaItem, workshop: Workshop) -> timer.Clock:
    running = workshop.timer_running_since if workshop.current_item_id == item.pk else None
    return timer.Clock(
        duration=item.duration_seconds, elapsed=item.elapsed_seconds, running_since=running
    )


def _locked(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def _items(workshop: Workshop) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(workshop=workshop).order_by("position"))


def _stop_current(workshop: Workshop, now: datetime.datetime, *, ended: bool) -> None:
    """Fold the running time into the current item; mark it ended when leaving it forward."""
    item = workshop.current_item
    if item is None:
        return
    clock = timer.pause(_clock(item, workshop), now)
    item.elapsed_seconds = clock.elapsed
    fields = ["elapsed_seconds"]
    if ended:
        item.actual_ended_at = now
        fields.append("actual_ended_at")
    item.save(update_fields=fields)
    workshop.timer_running_since = None


def _enter(workshop: Workshop, item: AgendaItem, now: datetime.datetime) -> None:
    """Make `item` current and run its clock from where it stopped."""
    fields = []
    if item.actual_started_at is None:
        item.actual_started_at = now
        fields.append("actual_started_at")
    if item.actual_ended_at is not None:
        item.actual_ended_at = None
        fields.append("actual_ended_at")
    if fields:
        item.save(update_fields=fields)
    workshop.current_item = item
    workshop.timer_running_since = now


def _save(
    workshop: Workshop, *fields: str, scopes: frozenset[changes.Scope] = changes.RUN
) -> Workshop:
    workshop.save(update_fields=[*fields, "updated_at"])
    workshop_touch(workshop_id=workshop.pk, scopes=scopes)
    workshop.refresh_from_db()
    return workshop


def _check_open(workshop: Workshop) -> None:
    if workshop.status == Workshop.Status.CLOSED:
        raise RunError("The workshop is closed.")


def _check_on(workshop: Workshop, from_item_id: int | None) -> None:
    """Refuse a control pressed on a screen that had not yet seen the latest step."""
    if from_item_id is not None and workshop.current_item_id != from_item_id:
        raise RunError("The agenda had already moved on; nothing changed. Check and try again.")


@transaction.atomic
def run_start(*, workshop: Workshop, now: datetime.datetime | None = None) -> Workshop:
    """Start the first activity and set the workshop live. Changes the workshop's status,
    current item and timer, and the item's actual start."""
    now = now or timezone.now()
    workshop = _locked(workshop)
    _check_open(workshop)
    if workshop.current_item_id is not None:
        raise RunError("The agenda is already running.")
    items = _items(workshop)
    if not items:
        raise RunError("The agenda has no activities yet.")
    first = next((item for item in items if item.actual_ended_at is None), None)
    if first is None:
        raise RunError("Every activity has ended. Use Previous to go back to one.")
    _enter(workshop, first, now)
    workshop.status = Workshop.Status.LIVE
    return _save(workshop, "current_item", "timer_running_since", "status")


@transaction.atomic
def run_pause(*, workshop: Workshop, now: datetime.datetime | None = None) -> Workshop:
    """Pause the current activity's countdown, keeping the seconds it ran."""
    now = now or timezone.now()
    workshop = _locked(workshop)
    _check_open(workshop)
    if workshop.current_item_id is None or workshop.timer_running_since is None:
        raise RunError("The countdown is not running.")
    _stop_current(workshop, now, ended=False)
    return _save(workshop, "timer_running_since")


@transaction.atomic
def run_resume(*, workshop: Workshop, now: datetime.datetime | None = None) -> Workshop:
    """Run the paused countdown again from where it stopped."""
    now = now or timezone.now()
    workshop = _locked(workshop)
    _check_open(workshop)
    if workshop.current_item_id is None:
        raise RunError("No activity is current. Start the agenda first.")
    if workshop.timer_running_since is not None:
        raise RunError("The countdown is already running.")
    workshop.timer_running_since = now
    return _save(workshop, "timer_running_since")


@transaction.atomic
def run_next(
    *,
    workshop: Workshop,
    from_item_id: int | None = None,
    now: datetime.datetime | None = None,
) -> Workshop:
    """End the current activity (its actual end is now) and start the next one. After the
    last activity no activity is current. `from_item_id` is the activity the presenter saw
    as current; if it has changed meanwhile nothing happens (RunError)."""
    now = now or timezone.now()
    workshop = _locked(workshop)
    _check_open(workshop)
    if workshop.current_item_id is None:
        raise RunError("No activity is current. Start the agenda first.")
    _check_on(workshop, from_item_id)
    items = _items(workshop)
    index = next(i for i, item in enumerate(items) if item.pk == workshop.current_item_id)
    workshop.current_item = items[index]
    _stop_current(workshop, now, ended=True)
    if index + 1 < len(items):
        _enter(workshop, items[index + 1], now)
    else:
        workshop.current_item = None
    return _save(workshop, "current_item", "timer_running_since")


@transaction.atomic
def run_previous(
    *,
    workshop: Workshop,
    from_item_id: int | None = None,
    now: datetime.datetime | None = None,
) -> Workshop:
    """Go back to the activity before the current one (or to the last one after the end);
    its countdown continues from where it stopped and its end is cleared. The activity left
    keeps the seconds it ran and counts as not yet ended."""
    now = now or timezone.now()
    workshop = _locked(workshop)
    _check_open(workshop)
    _check_on(workshop, from_item_id)
    items = _items(workshop)
    if workshop.current_item_id is None:
        if not any(item.actual_started_at for item in items):
            raise RunError("The agenda has not started yet.")
        target = items[-1]
    else:
        index = next(i for i, item in enumerate(items) if item.pk == workshop.current_item_id)
        if index == 0:
            raise RunError("This is the first activity.")
        workshop.current_item = items[index]
        _stop_current(workshop, now, ended=False)
        left = items[index]
        if left.actual_ended_at is not None:
            left.actual_ended_at = None
            left.save(update_fields=["actual_ended_at"])
        target = items[index - 1]
    _enter(workshop, target, now)
    return _save(workshop, "current_item", "timer_running_since")


MAX_ADJUST_SECONDS = 60 * 60


@transaction.atomic
def run_adjust(
    *,
    workshop: Workshop,
    seconds: int,
    from_item_id: int | None = None,
) -> AgendaItem:
    """Add (positive) or remove (negative) seconds on the current activity's countdown; the
    rest of the schedule shifts with it. The duration never drops below zero."""
    if not -MAX_ADJUST_SECONDS <= seconds <= MAX_ADJUST_SECONDS or seconds == 0:
        raise RunError("Add or remove between 1 and 60 minutes at a time.")
    workshop = _locked(workshop)
    _check_open(workshop)
    if workshop.current_item_id is None:
        raise RunError("No activity is current. Start the agenda first.")
    _check_on(workshop, from_item_id)
    item = AgendaItem.objects.get(pk=workshop.current_item_id)
    item.adjustment_seconds = timer.adjust(
        planned_seconds=item.planned_minutes * 60,
        adjustment=item.adjustment_seconds,
        delta=seconds,
    )
    item.save(update_fields=["adjustment_seconds"])
    workshop_touch(workshop_id=workshop.pk, scopes=changes.RUN)
    return item


@transaction.atomic
def run_close(*, workshop: Workshop, now: datetime.datetime | None = None) -> Workshop:
    """Close the workshop: the current activity ends now, the countdown stops, tables become
    read-only and can no longer join."""
    now = now or timezone.now()
    workshop = _locked(workshop)
    _check_open(workshop)
    _stop_current(workshop, now, ended=True)
    workshop.current_item = None
    workshop.status = Workshop.Status.CLOSED
    return _save(workshop, "current_item", "timer_running_since", "status")


@transaction.atomic
def projector_show(*, workshop: Workshop, view: str) -> Workshop:
    """Switch what the projector shows to a registered view."""
    if view not in projector.REGISTRY:
        raise RunError("The projector cannot show that.")
    workshop = _locked(workshop)
    workshop.projector_view = view
    return _save(workshop, "projector_view", scopes=changes.OVERVIEW)


def projector_turn(*, workshop: Workshop, step: int) -> Workshop:
    """Turn the projector's page forward (1) or back (-1). Moves the workshop's revision only:
    the projector's poll compares the turns itself, so no other screen re-renders."""
    if step not in (1, -1):
        raise RunError("Turn the page forward or back.")
    with transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(projector_turns=F("projector_turns") + step)
        workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)
    workshop.refresh_from_db()
    return workshop


# --- Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Countdown:
    """What a screen needs to draw the countdown from the server's clock."""

    remaining: int  # seconds at `server_now`; negative when over time
    duration: int
    running: bool
    server_now_ms: int
    ends_at_ms: int | None  # server clock; None while paused

    @property
    def text(self) -> str:
        return timer.clock_text(self.remaining)

    @property
    def over(self) -> bool:
        return self.remaining < 0

    @property
    def state(self) -> str:
        return "running" if self.running else "paused"


def _ms(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1000)


def countdown(
    workshop: Workshop, item: AgendaItem | None, now: datetime.datetime
) -> Countdown | None:
    """The current activity's countdown, or None when no activity is current."""
    if item is None:
        return None
    clock = _clock(item, workshop)
    end = timer.ends_at(clock)
    return Countdown(
        remaining=timer.remaining_at(clock, now),
        duration=clock.duration,
        running=clock.running,
        server_now_ms=_ms(now),
        ends_at_ms=_ms(end) if end else None,
    )


def run_state(workshop: Workshop, *, now: datetime.datetime | None = None) -> dict:
    """The agenda with planned, actual and expected times, the current and next activity and
    its countdown. One query (the agenda items)."""
    now = now or timezone.now()
    items = _items(workshop)
    current_index = next(
        (i for i, item in enumerate(items) if item.pk == workshop.current_item_id), None
    )
    planned = [
        timer.PlannedItem(
            planned=item.planned_minutes * 60,
            duration=item.duration_seconds,
            elapsed=timer.elapsed_at(_clock(item, workshop), now),
            started_at=item.actual_started_at,
            ended_at=item.actual_ended_at,
        )
        for item in items
    ]
    started = [item.actual_started_at for item in items if item.actual_started_at]
    anchor = min(started) if started else now
    slots = timer.schedule(planned, anchor=anchor, current=current_index, now=now)
    # The schedule on the venue's clock, from the workshop's start time.
    opening = zones.starts_at(workshop)
    scheduled = agenda_times.time_slots([item.planned_minutes for item in items])
    rows = [
        {
            "item": item,
            "slot": slot,
            "plan": plan,
            "scheduled_start": agenda_times.at(opening, start),
            "scheduled_end": agenda_times.at(opening, end),
        }
        for item, slot, plan, (start, end) in zip(items, slots, planned, scheduled, strict=True)
    ]
    current = items[current_index] if current_index is not None else None
    if current_index is not None:
        upcoming = items[current_index + 1 :]
    elif started:
        upcoming = []
    else:
        upcoming = items
    shift = timer.schedule_shift(slots) if started else 0
    return {
        "items": items,
        "rows": rows,
        "current": current,
        "current_row": rows[current_index] if current_index is not None else None,
        "next_item": upcoming[0] if upcoming and current is not None else None,
        "first_item": items[0] if items and not started else None,
        "finished": bool(items) and not upcoming and current is None and bool(started),
        "countdown": countdown(workshop, current, now),
        "shift": shift,
        "shift_text": timer.minutes_text(shift),
        "planned_end": slots[-1].planned_end if slots else None,
        "started": bool(started),
        "opening": opening,
        "scheduled_end": rows[-1]["scheduled_end"] if rows else opening,
        "zone_label": zones.label(workshop),
        "expected_end": slots[-1].expected_end if slots else None,
        "now": now,
    }
