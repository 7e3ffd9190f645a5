"""The facilitator's side of the live room: presenter, projector, board, table controls."""

import time

import pytest

from tests import factories
from tests.live import overview_rev, projector_query
from workshops import joining, live, progress, projector
from workshops.models import Participant, Workshop


def fresh(workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


def live_query(url, workshop) -> str:
    """The query a region of the presenter, projector or board polls with right now."""
    if "/projector/" in url:
        return projector_query(workshop)
    return f"rev={overview_rev(workshop)}"


def poll(client, url, workshop):
    query = live_query(url, workshop)
    return client.get(f"{url}?{query}&at={int(time.time())}", headers={"HX-Request": "true"})


@pytest.fixture
def room(workshop):
    """A workshop with two tables, three agents and a participant."""
    a = factories.make_table(workshop=workshop, name="Table A")
    b = factories.make_table(workshop=workshop, name="Table B")
    factories.make_agent(table=a, name="Invoice Triage Agent")
    factories.make_agent(table=a, name="Customer Service Copilot")
    factories.make_agent(table=b, name="Freight Quote Generator")
    factories.make_participant(table=a, display_name="Sam")
    return workshop


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["presenter", "projector", "board"])
def test_room_pages_need_sign_in(client, workshop, page):
    response = client.get(f"/workshops/{workshop.pk}/{page}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["presenter", "projector", "board"])
def test_room_pages_hidden_from_other_facilitators(client, workshop, page):
    client.force_login(factories.make_user())
    assert client.get(f"/workshops/{workshop.pk}/{page}/").status_code == 404
    assert poll(client, f"/workshops/{workshop.pk}/{page}/", workshop).status_code == 404


@pytest.mark.django_db
def test_room_controls_hidden_from_other_facilitators(client, room):
    client.force_login(factories.make_user())
    table = room.tables.first()
    participant = Participant.objects.get()
    for url in [
        f"/workshops/{room.pk}/presenter/start/",
        f"/workshops/{room.pk}/projector/show/",
        f"/workshops/{room.pk}/board/tables/{table.pk}/lock/",
        f"/workshops/{room.pk}/board/tables/{table.pk}/rotate/",
        f"/workshops/{room.pk}/board/participants/{participant.pk}/remove/",
    ]:
        assert client.post(url, {"view": "join", "locked": "1"}).status_code == 404
    assert fresh(room).status == "draft"
    assert fresh(room).projector_view == "agenda"
    table.refresh_from_db()
    assert table.locked is False
    assert Participant.objects.get().removed is False


@pytest.mark.django_db
def test_presenter_shows_agenda_notes_and_links(facilitator_client, workshop):
    response = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/")
    assert response.status_code == 200
    assert "Welcome &amp; Context Setting" in response.text
    assert f'href="/workshops/{workshop.pk}/projector/"' in response.text
    assert f'href="/workshops/{workshop.pk}/board/"' in response.text
    assert "Not started" in response.text


@pytest.mark.django_db
def test_presenter_start_sets_live_and_shows_notes(facilitator_client, workshop):
    response = facilitator_client.post(f"/workshops/{workshop.pk}/presenter/start/")
    assert response.status_code == 302
    assert fresh(workshop).status == "live"
    page = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/")
    assert "Connect to the overall OAIO journey" in page.text
    assert "Next up" in page.text
    assert "AI Economics 101" in page.text


@pytest.mark.django_db
def test_presenter_control_htmx_returns_live_region(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/presenter/start/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="presenter-live"' in response.text
    assert f"rev={overview_rev(workshop)}" in response.text


@pytest.mark.django_db
def test_presenter_pause_resume_next_previous(facilitator_client, workshop):
    base = f"/workshops/{workshop.pk}/presenter"
    facilitator_client.post(f"{base}/start/")
    first, second = list(workshop.agenda_items.order_by("position"))[:2]
    facilitator_client.post(f"{base}/pause/")
    assert fresh(workshop).timer_running_since is None
    facilitator_client.post(f"{base}/resume/")
    assert fresh(workshop).timer_running_since is not None
    facilitator_client.post(f"{base}/next/", {"item": first.pk})
    assert fresh(workshop).current_item_id == second.pk
    facilitator_client.post(f"{base}/previous/", {"item": second.pk})
    assert fresh(workshop).current_item_id == first.pk


@pytest.mark.django_db
def test_presenter_stale_next_refused_with_message(facilitator_client, workshop):
    base = f"/workshops/{workshop.pk}/presenter"
    facilitator_client.post(f"{base}/start/")
    first, second = list(workshop.agenda_items.order_by("position"))[:2]
    facilitator_client.post(f"{base}/next/", {"item": first.pk})
    response = facilitator_client.post(
        f"{base}/next/", {"item": first.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert "The agenda had already moved on; nothing changed." in response.text
    assert fresh(workshop).current_item_id == second.pk


@pytest.mark.django_db
def test_presenter_adjust_minutes(facilitator_client, workshop):
    base = f"/workshops/{workshop.pk}/presenter"
    facilitator_client.post(f"{base}/start/")
    facilitator_client.post(f"{base}/adjust/", {"minutes": "5"})
    facilitator_client.post(f"{base}/adjust/", {"minutes": "-1"})
    first = workshop.agenda_items.order_by("position").first()
    assert first.adjustment_seconds == 240
    page = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/")
    assert "Running 4 min late" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("abc", "Minutes must be a whole number."),
        ("", "Choose how many minutes to add or remove."),
        ("0", "Choose a number of minutes other than zero."),
        ("-61", "Remove at most 60 minutes at a time."),
        ("99999999999", "Add at most 60 minutes at a time."),
        ("<script>", "Minutes must be a whole number."),
    ],
)
def test_presenter_adjust_bad_input_refused(facilitator_client, workshop, minutes, message):
    base = f"/workshops/{workshop.pk}/presenter"
    facilitator_client.post(f"{base}/start/")
    response = facilitator_client.post(
        f"{base}/adjust/", {"minutes": minutes}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert message in response.text
    assert workshop.agenda_items.order_by("position").first().adjustment_seconds == 0


@pytest.mark.django_db
def test_presenter_unknown_control_is_404(facilitator_client, workshop):
    assert (
        facilitator_client.post(f"/workshops/{workshop.pk}/presenter/explode/").status_code == 404
    )


@pytest.mark.django_db
def test_presenter_close_workshop(facilitator_client, workshop):
    facilitator_client.post(f"/workshops/{workshop.pk}/presenter/start/")
    response = facilitator_client.post(f"/workshops/{workshop.pk}/presenter/close/")
    assert response.status_code == 302
    assert fresh(workshop).status == "closed"
    page = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/")
    assert "This workshop is closed." in page.text


@pytest.mark.django_db
def test_presenter_planned_and_actual_times_recorded(facilitator_client, workshop):
    base = f"/workshops/{workshop.pk}/presenter"
    facilitator_client.post(f"{base}/start/")
    first = workshop.agenda_items.order_by("position").first()
    facilitator_client.post(f"{base}/next/", {"item": first.pk})
    first.refresh_from_db()
    assert first.actual_started_at is not None
    assert first.actual_ended_at is not None
    page = facilitator_client.get(f"{base}/")
    assert "Agenda: planned and actual" in page.text
    assert first.actual_ended_at.strftime("%H:%M") in page.text


@pytest.mark.django_db
def test_presenter_offers_only_registered_projector_views(facilitator_client, workshop):
    page = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/")
    for view in projector.available():
        assert f'value="{view.key}"' in page.text
    unregistered = set(Workshop.ProjectorView.values) - set(projector.REGISTRY)
    for key in unregistered:
        assert f'value="{key}"' not in page.text


@pytest.mark.django_db
def test_projector_show_switches_view(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/projector/show/", {"view": "join"}
    )
    assert response.status_code == 302
    assert fresh(workshop).projector_view == "join"


@pytest.mark.django_db
def test_projector_show_unknown_view_refused(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/projector/show/",
        {"view": "<script>"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "The projector cannot show that." in response.text
    assert fresh(workshop).projector_view == "agenda"


@pytest.mark.django_db
def test_projector_follows_presenter_choice(facilitator_client, room):
    url = f"/workshops/{room.pk}/projector/"
    shown = live_query(url, room)
    assert poll(facilitator_client, url, room).status_code == 204
    live.projector_show(workshop=room, view="join")
    stale = facilitator_client.get(
        f"{url}?{shown}&at={int(time.time())}", headers={"HX-Request": "true"}
    )
    assert stale.status_code == 200
    assert 'data-view="join"' in stale.text
    # The join screen shows the room and the overview (codes, tables).
    assert f"?rev={overview_rev(room)}&amp;" in stale.text
    assert "&amp;view=join" in stale.text


@pytest.mark.django_db
def test_projector_join_screen_codes_and_qr(facilitator_client, room):
    live.projector_show(workshop=room, view="join")
    page = facilitator_client.get(f"/workshops/{room.pk}/projector/")
    assert "http://testserver/join" in page.text
    for table in room.tables.all():
        assert table.join_code_display in page.text
    assert page.text.count('src="data:image/svg+xml') == 2
    assert 'class="site-header"' not in page.text


@pytest.mark.django_db
def test_projector_agenda_countdown_from_server_time(facilitator_client, workshop):
    live.run_start(workshop=workshop)
    page = facilitator_client.get(f"/workshops/{workshop.pk}/projector/")
    assert "data-server-now=" in page.text
    assert "data-ends-at=" in page.text
    assert "Welcome &amp; Context Setting" in page.text
    live.run_pause(workshop=workshop)
    page = facilitator_client.get(f"/workshops/{workshop.pk}/projector/")
    assert "data-remaining=" in page.text
    assert "Paused" in page.text


@pytest.mark.django_db
def test_projector_board_shows_tables_and_agents(facilitator_client, room):
    live.projector_show(workshop=room, view="board")
    page = facilitator_client.get(f"/workshops/{room.pk}/projector/")
    assert "Table A" in page.text
    assert "Freight Quote Generator" in page.text
    assert "<progress" in page.text


@pytest.mark.django_db
def test_board_lists_tables_agents_people(facilitator_client, room):
    page = facilitator_client.get(f"/workshops/{room.pk}/board/")
    assert page.status_code == 200
    for text in ["Table A", "Table B", "Invoice Triage Agent", "Sam", "<progress"]:
        assert text in page.text


@pytest.mark.django_db
def test_board_query_count_flat(facilitator_client, room, django_assert_max_num_queries):
    # Warm up, then count at 2 tables / 3 agents and at 8 tables / 20 agents: the same.
    facilitator_client.get(f"/workshops/{room.pk}/board/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    progress.rows_forget()  # the rows kept per table revision would hide the count
    with CaptureQueriesContext(connection) as few:
        facilitator_client.get(f"/workshops/{room.pk}/board/")
    for n in range(6):
        table = factories.make_table(workshop=room, name=f"Extra {n}")
        factories.make_participant(table=table, display_name=f"P{n}")
        for m in range(3):
            factories.make_agent(table=table, name=f"Agent {n}-{m}")
    progress.rows_forget()
    with CaptureQueriesContext(connection) as many:
        facilitator_client.get(f"/workshops/{room.pk}/board/")
    assert len(many) == len(few)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["presenter", "projector", "board"])
def test_facilitator_poll_unchanged_is_204_in_two_queries(
    facilitator_client, room, page, django_assert_max_num_queries
):
    url = f"/workshops/{room.pk}/{page}/"
    query = live_query(url, room)
    with django_assert_max_num_queries(2):
        response = facilitator_client.get(
            f"{url}?{query}&at={int(time.time())}", headers={"HX-Request": "true"}
        )
    assert response.status_code == 204


@pytest.mark.django_db
def test_facilitator_poll_changed_renders_new_rev(facilitator_client, room):
    url = f"/workshops/{room.pk}/board/"
    rev = overview_rev(room)
    joining.table_lock(table=room.tables.first(), locked=True)
    response = facilitator_client.get(
        f"{url}?rev={rev}&at={int(time.time())}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f"rev={rev + 1}&amp;" in response.text
    assert 'id="board-live"' in response.text
    assert "<html" not in response.text


@pytest.mark.django_db
def test_facilitator_poll_refreshes_after_thirty_seconds(facilitator_client, room):
    rev = overview_rev(room)
    old = int(time.time()) - 31
    response = facilitator_client.get(
        f"/workshops/{room.pk}/board/?rev={rev}&at={old}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_facilitator_poll_closed_workshop_stops_polling(facilitator_client, room):
    live.run_close(workshop=room)
    response = poll(facilitator_client, f"/workshops/{room.pk}/board/", room)
    assert response.status_code == 286
    assert 'id="board-live"' in response.text


@pytest.mark.django_db
def test_board_lock_and_unlock_table(facilitator_client, room):
    table = room.tables.get(name="Table A")
    url = f"/workshops/{room.pk}/board/tables/{table.pk}/lock/"
    assert facilitator_client.post(url, {"locked": "1"}).status_code == 302
    table.refresh_from_db()
    assert table.locked is True
    facilitator_client.post(url, {"locked": "0"})
    table.refresh_from_db()
    assert table.locked is False


@pytest.mark.django_db
def test_board_rotate_code(facilitator_client, room):
    table = room.tables.get(name="Table A")
    old = table.join_code
    response = facilitator_client.post(f"/workshops/{room.pk}/board/tables/{table.pk}/rotate/")
    assert response.status_code == 302
    table.refresh_from_db()
    assert table.join_code != old


@pytest.mark.django_db
def test_board_remove_participant(facilitator_client, room):
    participant = Participant.objects.get()
    response = facilitator_client.post(
        f"/workshops/{room.pk}/board/participants/{participant.pk}/remove/"
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.removed is True


@pytest.mark.django_db
def test_board_controls_refuse_other_workshops_tables(facilitator_client, workshop):
    other_table = factories.make_table(name="Elsewhere")
    url = f"/workshops/{workshop.pk}/board/tables/{other_table.pk}/lock/"
    assert facilitator_client.post(url, {"locked": "1"}).status_code == 404
    other_table.refresh_from_db()
    assert other_table.locked is False


@pytest.mark.django_db
def test_room_controls_refuse_get(facilitator_client, workshop):
    response = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/start/")
    assert response.status_code == 405
    assert fresh(workshop).status == "draft"


@pytest.mark.django_db
def test_presenter_waits_for_the_first_table_before_anyone_joins(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    page = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/").text
    assert "Waiting for the first table to join." in page
    assert "0 of 0 joined" not in page
    assert "Nobody yet" in page
    Participant.objects.create(table=table, display_name="Sam", token="t" * 40)
    page = facilitator_client.get(f"/workshops/{workshop.pk}/presenter/").text
    assert "Waiting for the first table to join." not in page
    assert "of 1 joined" in page
