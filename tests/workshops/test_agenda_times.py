import pytest

from workshops import guide
from workshops.agenda_times import clock, slot_label, time_slots


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0:00"), (5, "0:05"), (60, "1:00"), (90, "1:30"), (605, "10:05")]
)
def test_clock_hours_and_minutes(minutes, text):
    assert clock(minutes) == text


def test_time_slots_back_to_back():
    assert time_slots([15, 30, 10]) == [(0, 15), (15, 45), (45, 55)]


def test_time_slots_empty():
    assert time_slots([]) == []


def test_time_slots_reproduce_guide_agenda():
    slots = time_slots([minutes for _, _, minutes, _ in guide.AGENDA])
    assert [slot_label(*slot) for slot in slots] == [
        "0:00-0:15", "0:15-0:45", "0:45-1:00", "1:00-1:15", "1:15-1:30",
        "1:30-1:45", "1:45-2:15",
        "2:15-2:30", "2:30-3:00", "3:00-3:15",
        "3:15-3:30", "3:30-3:50", "3:50-4:00",
    ]  # fmt: skip
