import datetime

from hypothesis import given
from hypothesis import strategies as st

from workshops import timer

T0 = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def test_clock_running_counts_down_from_its_start():
    clock = timer.Clock(duration=900, running_since=T0)
    assert timer.remaining_at(clock, at(0)) == 900
    assert timer.remaining_at(clock, at(61)) == 839
    assert timer.elapsed_at(clock, at(61)) == 61


def test_clock_pause_freezes_remaining():
    clock = timer.pause(timer.Clock(duration=900, running_since=T0), at(100))
    assert clock == timer.Clock(duration=900, elapsed=100, running_since=None)
    assert timer.remaining_at(clock, at(100)) == 800
    assert timer.remaining_at(clock, at(5000)) == 800
    assert timer.ends_at(clock) is None


def test_clock_pause_twice_changes_nothing():
    paused = timer.pause(timer.Clock(duration=900, running_since=T0), at(100))
    assert timer.pause(paused, at(300)) == paused


def test_clock_resume_continues_where_it_stopped():
    paused = timer.Clock(duration=900, elapsed=100)
    clock = timer.resume(paused, at(500))
    assert clock.running_since == at(500)
    assert timer.remaining_at(clock, at(500)) == 800
    assert timer.remaining_at(clock, at(530)) == 770


def test_clock_resume_running_changes_nothing():
    clock = timer.Clock(duration=900, running_since=T0)
    assert timer.resume(clock, at(50)) == clock


def test_clock_ends_at_same_instant_whenever_asked():
    clock = timer.Clock(duration=900, elapsed=100, running_since=at(500))
    assert timer.ends_at(clock) == at(1300)


def test_clock_overrun_counts_past_zero():
    clock = timer.Clock(duration=60, running_since=T0)
    assert timer.overrun_at(clock, at(30)) == 0
    assert timer.remaining_at(clock, at(75)) == -15
    assert timer.overrun_at(clock, at(75)) == 15


def test_adjust_adds_time():
    assert timer.adjust(planned_seconds=900, adjustment=0, delta=300) == 300
    assert timer.adjust(planned_seconds=900, adjustment=300, delta=60) == 360


def test_adjust_removes_time():
    assert timer.adjust(planned_seconds=900, adjustment=0, delta=-300) == -300


def test_adjust_never_below_zero_duration():
    assert timer.adjust(planned_seconds=300, adjustment=0, delta=-600) == -300
    assert timer.adjust(planned_seconds=300, adjustment=-300, delta=-60) == -300


def test_remove_time_below_elapsed_shows_overrun():
    adjustment = timer.adjust(planned_seconds=600, adjustment=0, delta=-300)
    clock = timer.Clock(duration=600 + adjustment, running_since=T0)
    assert timer.remaining_at(clock, at(400)) == -100


@given(
    planned=st.integers(min_value=60, max_value=7200),
    adjustment=st.integers(min_value=-7200, max_value=7200),
    delta=st.integers(min_value=-3600, max_value=3600),
)
def test_adjust_duration_never_negative(planned, adjustment, delta):
    adjustment = max(adjustment, -planned)
    assert planned + timer.adjust(planned_seconds=planned, adjustment=adjustment, delta=delta) >= 0


@given(
    pauses=st.lists(st.tuples(st.integers(0, 600), st.integers(0, 600)), max_size=8),
)
def test_pause_resume_elapsed_is_sum_of_running_spells(pauses):
    clock = timer.Clock(duration=3600)
    now = T0
    ran = 0
    for running, paused in pauses:
        clock = timer.resume(clock, now)
        now += datetime.timedelta(seconds=running)
        ran += running
        clock = timer.pause(clock, now)
        now += datetime.timedelta(seconds=paused)
    assert timer.elapsed_at(clock, now) == ran
    assert timer.remaining_at(clock, now) == 3600 - ran


def plan(*minutes):
    return [timer.PlannedItem(planned=m * 60, duration=m * 60, elapsed=0) for m in minutes]


def test_schedule_before_start_is_the_plan_from_now():
    slots = timer.schedule(plan(15, 30, 15), anchor=T0, current=None, now=T0)
    assert [(s.planned_start, s.planned_end) for s in slots] == [
        (at(0), at(900)),
        (at(900), at(2700)),
        (at(2700), at(3600)),
    ]
    assert [s.expected_start for s in slots] == [at(0), at(900), at(2700)]
    assert [s.state for s in slots] == ["upcoming"] * 3
    assert timer.schedule_shift(slots) == 0


def test_schedule_overrun_shifts_the_rest():
    # The first activity (15 min) ran 20 min; the second has run 5 of its 30 min.
    items = [
        timer.PlannedItem(900, 900, 1200, started_at=at(0), ended_at=at(1200)),
        timer.PlannedItem(1800, 1800, 300, started_at=at(1200)),
        timer.PlannedItem(900, 900, 0),
    ]
    slots = timer.schedule(items, anchor=at(0), current=1, now=at(1500))
    assert slots[0].state == "done"
    assert slots[0].overrun == 300
    assert slots[0].actual_end == at(1200)
    assert slots[1].state == "current"
    assert slots[1].expected_end == at(3000)
    assert slots[2].expected_start == at(3000)
    assert slots[2].planned_start == at(2700)
    assert slots[2].shift == 300
    assert timer.schedule_shift(slots) == 300


def test_schedule_added_minutes_shift_the_rest():
    items = [
        timer.PlannedItem(900, 900 + 300, 60, started_at=at(0)),
        timer.PlannedItem(900, 900, 0),
    ]
    slots = timer.schedule(items, anchor=at(0), current=0, now=at(60))
    assert slots[0].expected_end == at(1200)
    assert slots[1].expected_start == at(1200)
    assert timer.schedule_shift(slots) == 300


def test_schedule_removed_minutes_pull_the_rest_earlier():
    items = [
        timer.PlannedItem(900, 900 - 300, 60, started_at=at(0)),
        timer.PlannedItem(900, 900, 0),
    ]
    slots = timer.schedule(items, anchor=at(0), current=0, now=at(60))
    assert slots[1].expected_start == at(600)
    assert timer.schedule_shift(slots) == -300


def test_schedule_current_over_time_pushes_the_rest_with_now():
    items = [
        timer.PlannedItem(600, 600, 900, started_at=at(0)),
        timer.PlannedItem(600, 600, 0),
    ]
    slots = timer.schedule(items, anchor=at(0), current=0, now=at(900))
    assert slots[0].overrun == 300
    assert slots[1].expected_start == at(900)
    assert timer.schedule_shift(slots) == 300


def test_schedule_paused_current_keeps_shifting_while_paused():
    items = [
        timer.PlannedItem(600, 600, 120, started_at=at(0)),
        timer.PlannedItem(600, 600, 0),
    ]
    # Paused at 2 min elapsed; ten minutes later 8 minutes are still to run.
    slots = timer.schedule(items, anchor=at(0), current=0, now=at(720))
    assert slots[1].expected_start == at(1200)
    assert timer.schedule_shift(slots) == 600


def test_schedule_finished_early_is_a_negative_overrun():
    items = [timer.PlannedItem(900, 900, 600, started_at=at(0), ended_at=at(600))]
    slots = timer.schedule(items, anchor=at(0), current=None, now=at(700))
    assert slots[0].overrun == -300
    assert timer.schedule_shift(slots) == -300


def test_clock_text_formats():
    assert timer.clock_text(0) == "0:00"
    assert timer.clock_text(65) == "1:05"
    assert timer.clock_text(900) == "15:00"
    assert timer.clock_text(3725) == "1:02:05"
    assert timer.clock_text(-75) == "-1:15"


def test_minutes_text_words():
    assert timer.minutes_text(0) == "on time"
    assert timer.minutes_text(29) == "on time"
    assert timer.minutes_text(420) == "7 min late"
    assert timer.minutes_text(-120) == "2 min early"
