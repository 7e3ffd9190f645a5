import datetime

import pytest

from tests import factories
from workshops import live
from workshops.models import AgendaItem, Workshop

T0 = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def items(workshop) -> list[AgendaItem]:
    return list(workshop.agenda_items.order_by("position"))


def fresh(workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


@pytest.mark.django_db
def test_run_start_sets_live_and_starts_first_activity(workshop):
    revision = fresh(workshop).revision
    live.run_start(workshop=workshop, now=T0)
    workshop = fresh(workshop)
    first = items(workshop)[0]
    assert workshop.status == "live"
    assert workshop.current_item_id == first.pk
    assert workshop.timer_running_since == T0
    assert first.actual_started_at == T0
    assert workshop.revision == revision + 1


@pytest.mark.django_db
def test_run_start_twice_refused(workshop):
    live.run_start(workshop=workshop, now=T0)
    with pytest.raises(live.RunError, match="already running"):
        live.run_start(workshop=workshop, now=at(5))


@pytest.mark.django_db
def test_run_pause_and_resume_keep_elapsed(workshop):
    live.run_start(workshop=workshop, now=T0)
    live.run_pause(workshop=workshop, now=at(100))
    workshop = fresh(workshop)
    first = items(workshop)[0]
    assert workshop.timer_running_since is None
    assert first.elapsed_seconds == 100
    assert live.countdown(workshop, first, at(5000)).remaining == 15 * 60 - 100
    live.run_resume(workshop=workshop, now=at(200))
    workshop = fresh(workshop)
    assert live.countdown(workshop, first, at(230)).remaining == 15 * 60 - 130


@pytest.mark.django_db
def test_run_pause_when_paused_refused(workshop):
    live.run_start(workshop=workshop, now=T0)
    live.run_pause(workshop=workshop, now=at(10))
    with pytest.raises(live.RunError, match="not running"):
        live.run_pause(workshop=workshop, now=at(20))


@pytest.mark.django_db
def test_run_next_records_actual_end_and_starts_next(workshop):
    live.run_start(workshop=workshop, now=T0)
    first, second = items(workshop)[:2]
    live.run_next(workshop=workshop, from_item_id=first.pk, now=at(1200))
    workshop = fresh(workshop)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.actual_ended_at == at(1200)
    assert first.elapsed_seconds == 1200
    assert second.actual_started_at == at(1200)
    assert workshop.current_item_id == second.pk
    assert workshop.timer_running_since == at(1200)


@pytest.mark.django_db
def test_run_next_from_stale_screen_changes_nothing(workshop):
    live.run_start(workshop=workshop, now=T0)
    first, second = items(workshop)[:2]
    live.run_next(workshop=workshop, from_item_id=first.pk, now=at(60))
    revision = fresh(workshop).revision
    with pytest.raises(live.RunError, match="moved on"):
        live.run_next(workshop=workshop, from_item_id=first.pk, now=at(61))
    workshop = fresh(workshop)
    assert workshop.current_item_id == second.pk
    assert workshop.revision == revision


@pytest.mark.django_db
def test_run_next_after_last_leaves_no_current(workshop):
    live.run_start(workshop=workshop, now=T0)
    agenda = items(workshop)
    for n, item in enumerate(agenda, start=1):
        live.run_next(workshop=workshop, from_item_id=item.pk, now=at(60 * n))
    workshop = fresh(workshop)
    assert workshop.current_item_id is None
    state = live.run_state(workshop, now=at(60 * len(agenda)))
    assert state["finished"] is True
    assert state["countdown"] is None


@pytest.mark.django_db
def test_run_previous_continues_previous_activity(workshop):
    live.run_start(workshop=workshop, now=T0)
    first, second = items(workshop)[:2]
    live.run_next(workshop=workshop, now=at(600))
    live.run_previous(workshop=workshop, from_item_id=second.pk, now=at(660))
    workshop = fresh(workshop)
    first.refresh_from_db()
    second.refresh_from_db()
    assert workshop.current_item_id == first.pk
    assert first.actual_ended_at is None
    assert first.actual_started_at == T0
    assert second.elapsed_seconds == 60
    assert second.actual_ended_at is None
    assert live.countdown(workshop, first, at(660)).remaining == 15 * 60 - 600


@pytest.mark.django_db
def test_run_previous_on_first_refused(workshop):
    live.run_start(workshop=workshop, now=T0)
    with pytest.raises(live.RunError, match="first activity"):
        live.run_previous(workshop=workshop, now=at(5))


@pytest.mark.django_db
def test_run_adjust_adds_and_removes_minutes(workshop):
    live.run_start(workshop=workshop, now=T0)
    first = items(workshop)[0]
    live.run_adjust(workshop=workshop, seconds=300)
    live.run_adjust(workshop=workshop, seconds=-60)
    first.refresh_from_db()
    assert first.adjustment_seconds == 240
    assert live.countdown(fresh(workshop), first, T0).remaining == 15 * 60 + 240


@pytest.mark.django_db
def test_run_adjust_shifts_schedule(workshop):
    live.run_start(workshop=workshop, now=T0)
    live.run_adjust(workshop=workshop, seconds=300)
    state = live.run_state(fresh(workshop), now=at(60))
    assert state["shift"] == 300
    assert state["shift_text"] == "5 min late"
    assert state["rows"][1]["slot"].expected_start == at(15 * 60 + 300)


@pytest.mark.django_db
@pytest.mark.parametrize("seconds", [0, 3601, -3601])
def test_run_adjust_out_of_range_refused(workshop, seconds):
    live.run_start(workshop=workshop, now=T0)
    with pytest.raises(live.RunError):
        live.run_adjust(workshop=workshop, seconds=seconds)
    assert items(workshop)[0].adjustment_seconds == 0


@pytest.mark.django_db
def test_run_state_overrun_shown_for_current(workshop):
    live.run_start(workshop=workshop, now=T0)
    state = live.run_state(fresh(workshop), now=at(20 * 60))
    assert state["countdown"].remaining == -5 * 60
    assert state["countdown"].text == "-5:00"
    assert state["current_row"]["slot"].overrun == 5 * 60
    assert state["shift"] == 5 * 60


@pytest.mark.django_db
def test_run_close_ends_current_and_closes(workshop):
    live.run_start(workshop=workshop, now=T0)
    live.run_close(workshop=workshop, now=at(90))
    workshop = fresh(workshop)
    first = items(workshop)[0]
    assert workshop.status == "closed"
    assert workshop.current_item_id is None
    assert workshop.timer_running_since is None
    assert first.actual_ended_at == at(90)
    with pytest.raises(live.RunError, match="closed"):
        live.run_resume(workshop=workshop)


@pytest.mark.django_db
def test_projector_show_registered_view(workshop):
    live.projector_show(workshop=workshop, view="board")
    assert fresh(workshop).projector_view == "board"


@pytest.mark.django_db
def test_projector_show_unregistered_view_refused(workshop):
    revision = fresh(workshop).revision
    with pytest.raises(live.RunError):
        live.projector_show(workshop=workshop, view="<script>")
    assert fresh(workshop).projector_view == "agenda"
    assert fresh(workshop).revision == revision


@pytest.mark.django_db
def test_run_state_query_count_flat(workshop, django_assert_num_queries):
    live.run_start(workshop=workshop, now=T0)
    workshop = fresh(workshop)
    with django_assert_num_queries(1):
        live.run_state(workshop, now=at(10))


@pytest.mark.django_db
def test_run_start_empty_agenda_refused():
    workshop = factories.make_workshop()
    workshop.agenda_items.all().delete()
    with pytest.raises(live.RunError, match="no activities"):
        live.run_start(workshop=workshop)
    assert fresh(workshop).status == "draft"
