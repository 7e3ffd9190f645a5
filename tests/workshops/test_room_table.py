"""The tables' side of the live room: workspace, agent page, isolation, conflicts, polling."""

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone

from agents.models import Agent
from tests import factories
from tests.live import agent_rev, workspace_rev
from workshops import live, progress
from workshops.models import Participant, Workshop

HX = {"HX-Request": "true"}


def fresh(workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


def seat(table, name="Sam") -> Client:
    """A browser that joined `table`."""
    client = Client()
    response = client.post(
        "/join", {"code": table.join_code, "display_name": name}, REMOTE_ADDR="198.51.100.10"
    )
    assert response.status_code == 302
    return client


def details(agent, **changes) -> dict:
    data = {
        "name": agent.name,
        "description": agent.description,
        "business_process": agent.business_process,
        "priority_rank": agent.priority_rank or "",
        "owner_name": agent.owner_name,
        "owner_email": agent.owner_email,
        "version": agent.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def live_workshop(workshop):
    live.run_start(workshop=workshop)
    return fresh(workshop)


@pytest.fixture
def table(live_workshop):
    return factories.make_table(workshop=live_workshop, name="Table A")


@pytest.fixture
def agent(table):
    return factories.make_agent(table=table, name="Invoice Triage Agent")


@pytest.fixture
def sam(table, agent):
    return seat(table, "Sam")


@pytest.mark.django_db
def test_workspace_lists_agents_activity_and_people(sam, table, agent):
    seat(table, "Ana")
    page = sam.get("/t/")
    assert page.status_code == 200
    assert "Invoice Triage Agent" in page.text
    assert "Welcome &amp; Context Setting" in page.text
    assert "data-ends-at=" in page.text
    assert "Sam" in page.text
    assert "Ana" in page.text
    for step in progress.steps():
        assert step.label in page.text


@pytest.mark.django_db
def test_workspace_empty_table_says_what_happens(table):
    client = seat(table)
    page = client.get("/t/")
    assert "No agents at this table yet." in page.text


@pytest.mark.django_db
def test_workspace_without_joining_goes_to_join(client):
    response = client.get("/t/")
    assert response.status_code == 302
    assert response.url == "/join"


@pytest.mark.django_db
def test_workspace_query_count_flat(table, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.make_agent(table=table, name="First")
    client = seat(table)
    client.get("/t/")
    with CaptureQueriesContext(connection) as few:
        client.get("/t/")
    for n in range(12):
        factories.make_agent(table=table, name=f"Agent {n}")
    for n in range(5):
        seat(table, f"Person {n}")
    client.get("/t/")
    with CaptureQueriesContext(connection) as many:
        client.get("/t/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_poll_unchanged_is_204_in_two_queries(sam, table, django_assert_max_num_queries):
    revision = workspace_rev(table)
    with django_assert_max_num_queries(2):
        response = sam.get(f"/t/?rev={revision}&at={int(time.time())}", headers=HX)
    assert response.status_code == 204
    with django_assert_max_num_queries(2):
        response = sam.get(f"/t/?rev={revision}&at={int(time.time())}", headers=HX)
    assert response.status_code == 204


@pytest.mark.django_db
def test_poll_unchanged_agent_page_is_204_in_two_queries(
    sam, table, agent, django_assert_max_num_queries
):
    revision = agent_rev(agent)
    with django_assert_max_num_queries(2):
        response = sam.get(
            f"/t/agents/{agent.pk}/?rev={revision}&at={int(time.time())}&seen={agent.version}",
            headers=HX,
        )
    assert response.status_code == 204


@pytest.mark.django_db
def test_poll_changed_returns_partial_with_new_rev(sam, table, agent):
    revision = workspace_rev(table)
    other = seat(table, "Ana")
    other.post(f"/t/agents/{agent.pk}/", details(agent, name="Invoice Triage v2"))
    response = sam.get(f"/t/?rev={revision}&at={int(time.time())}", headers=HX)
    assert response.status_code == 200
    assert "Invoice Triage v2" in response.text
    assert f"rev={workspace_rev(table)}&amp;" in response.text
    assert 'id="table-live"' in response.text
    assert "<html" not in response.text


@pytest.mark.django_db
def test_poll_closed_workshop_stops_polling(sam, table):
    revision = workspace_rev(table)
    live.run_close(workshop=table.workshop)
    response = sam.get(f"/t/?rev={revision}&at={int(time.time())}", headers=HX)
    assert response.status_code == 286
    assert "The workshop is closed" in response.text


@pytest.mark.django_db
def test_agent_page_shows_details_and_steps(sam, agent):
    page = sam.get(f"/t/agents/{agent.pk}/")
    assert page.status_code == 200
    assert 'value="Invoice Triage Agent"' in page.text
    assert "Work on this agent" in page.text
    assert [step["key"] for step in page.context["agent_steps"]] == [
        step.key for step in progress.steps()
    ]
    assert "Save details" in page.text


@pytest.mark.django_db
def test_agent_save_changes_details_and_bumps_revision(sam, agent, table):
    revision = fresh(table.workshop).revision
    response = sam.post(
        f"/t/agents/{agent.pk}/", details(agent, owner_name="Priya N.", priority_rank="2")
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.owner_name == "Priya N."
    assert agent.priority_rank == 2
    assert agent.version == 2
    assert fresh(table.workshop).revision == revision + 1


@pytest.mark.django_db
def test_agent_save_htmx_returns_form_with_new_version(sam, agent):
    response = sam.post(f"/t/agents/{agent.pk}/", details(agent, owner_name="Lee"), headers=HX)
    assert response.status_code == 200
    assert "Saved." in response.text
    assert 'name="version" value="2"' in response.text
    assert 'hx-swap-oob="true"' in response.text


@pytest.mark.django_db
def test_agent_conflict_second_save_gets_409_and_nothing_lost(table, agent):
    sam = seat(table, "Sam")
    ana = seat(table, "Ana")
    form = details(agent)  # both opened the form at version 1
    first = sam.post(f"/t/agents/{agent.pk}/", {**form, "owner_name": "Sam's owner"}, headers=HX)
    assert first.status_code == 200
    second = ana.post(
        f"/t/agents/{agent.pk}/", {**form, "description": "Ana's longer description"}, headers=HX
    )
    assert second.status_code == 409
    assert "Someone at your table saved this first" in second.text
    assert "Ana&#x27;s longer description" in second.text  # her text is still in the form
    assert "Sam&#x27;s owner" in second.text  # and she sees what was saved
    assert 'name="version" value="2"' in second.text
    agent.refresh_from_db()
    assert agent.owner_name == "Sam's owner"
    assert agent.description == "Reads invoices and routes exceptions."
    # "Keep mine" saves her form over the version she has now seen.
    mine = ana.post(
        f"/t/agents/{agent.pk}/",
        {
            **form,
            "owner_name": "Sam's owner",
            "description": "Ana's longer description",
            "version": 2,
        },
        headers=HX,
    )
    assert mine.status_code == 200
    agent.refresh_from_db()
    assert agent.description == "Ana's longer description"
    assert agent.owner_name == "Sam's owner"
    assert agent.version == 3


@pytest.mark.django_db
def test_agent_save_sent_again_after_its_answer_was_lost_is_saved_not_a_conflict(table, agent):
    """The connection dropped after the server saved: the laptop sends the same form again
    (same version). What is stored is what this person typed, so it is a success carrying
    the version now saved, and nothing is written twice."""
    sam = seat(table, "Sam")
    form = {**details(agent), "owner_name": "Sam's owner"}
    first = sam.post(f"/t/agents/{agent.pk}/", form, headers=HX)
    again = sam.post(f"/t/agents/{agent.pk}/", form, headers=HX)
    assert (first.status_code, again.status_code) == (200, 200)
    assert "Someone at your table saved this first" not in again.text
    assert "Saved." in again.text
    assert 'name="version" value="2"' in again.text
    agent.refresh_from_db()
    assert (agent.owner_name, agent.version) == ("Sam's owner", 2)


@pytest.mark.django_db
def test_agent_conflict_without_htmx_is_409_full_page(table, agent):
    sam = seat(table, "Sam")
    ana = seat(table, "Ana")
    form = details(agent)
    sam.post(f"/t/agents/{agent.pk}/", {**form, "name": "Sam's name"})
    response = ana.post(f"/t/agents/{agent.pk}/", {**form, "name": "Ana's name"})
    assert response.status_code == 409
    assert "<html" in response.text
    assert "Ana&#x27;s name" in response.text
    agent.refresh_from_db()
    assert agent.name == "Sam's name"


@pytest.mark.django_db
def test_agent_live_region_says_when_someone_saved(table, agent):
    sam = seat(table, "Sam")
    ana = seat(table, "Ana")
    revision = agent_rev(agent)
    ana.post(f"/t/agents/{agent.pk}/", details(agent, name="Renamed by Ana"))
    response = sam.get(
        f"/t/agents/{agent.pk}/?rev={revision}&at={int(time.time())}&seen=1", headers=HX
    )
    assert response.status_code == 200
    assert "Renamed by Ana" in response.text
    assert "Someone at your table saved changes to this agent" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the agent&#x27;s name."),
        ({"name": "x" * 201}, "Keep the agent&#x27;s name to 200 characters or fewer."),
        ({"priority_rank": "abc"}, "Enter the priority rank as a whole number"),
        ({"priority_rank": "-3"}, "The priority rank starts at 1"),
        ({"priority_rank": "99999999999999"}, "Enter a priority rank of 10,000 or less."),
        ({"owner_email": "not-an-email"}, "Enter the owner&#x27;s email address"),
    ],
)
def test_agent_bad_input_refused_nothing_changed(sam, agent, changes, message):
    response = sam.post(f"/t/agents/{agent.pk}/", details(agent, **changes), headers=HX)
    assert response.status_code == 422
    assert message in response.text
    saved = Agent.objects.get(pk=agent.pk)
    assert saved.name == "Invoice Triage Agent"
    assert saved.priority_rank == 1
    assert saved.version == 1


@pytest.mark.django_db
def test_agent_unicode_saved(sam, agent):
    sam.post(f"/t/agents/{agent.pk}/", details(agent, owner_name="Zoë Ñúñez 山田"))
    agent.refresh_from_db()
    assert agent.owner_name == "Zoë Ñúñez 山田"


@pytest.mark.django_db
def test_agent_script_shown_escaped(sam, agent, table):
    sam.post(f"/t/agents/{agent.pk}/", details(agent, name="<script>alert(1)</script>"))
    for url in ["/t/", f"/t/agents/{agent.pk}/"]:
        page = sam.get(url)
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


@pytest.mark.django_db
def test_agent_of_another_table_is_404(sam, live_workshop):
    other_table = factories.make_table(workshop=live_workshop, name="Table B")
    other = factories.make_agent(table=other_table, name="Freight Quote Generator")
    assert sam.get(f"/t/agents/{other.pk}/").status_code == 404
    response = sam.post(f"/t/agents/{other.pk}/", details(other, name="Taken over"))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "Freight Quote Generator"
    assert "Freight Quote Generator" not in sam.get("/t/").text


@pytest.mark.django_db
def test_agent_of_another_workshop_is_404(sam):
    elsewhere = factories.make_agent(
        table=factories.make_table(name="Other room"), name="Secret Agent"
    )
    assert sam.get(f"/t/agents/{elsewhere.pk}/").status_code == 404
    assert sam.post(f"/t/agents/{elsewhere.pk}/", details(elsewhere)).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.version == 1


@pytest.mark.django_db
def test_agent_unassigned_is_404(sam, live_workshop):
    loose = factories.make_agent(workshop=live_workshop, name="Unseated")
    assert sam.get(f"/t/agents/{loose.pk}/").status_code == 404


@pytest.mark.django_db
def test_agent_moved_away_while_editing_is_404(sam, agent, live_workshop):
    form = details(agent)
    Agent.objects.filter(pk=agent.pk).update(table=None)
    assert sam.post(f"/t/agents/{agent.pk}/", form).status_code == 404


@pytest.mark.django_db
def test_agent_read_only_before_start(agent):
    Workshop.objects.filter(pk=agent.workshop_id).update(
        status="draft", current_item=None, timer_running_since=None
    )
    client = seat(agent.table)
    page = client.get(f"/t/agents/{agent.pk}/")
    assert "The workshop has not started yet" in page.text
    assert "Save details" not in page.text
    assert " disabled" in page.text
    response = client.post(f"/t/agents/{agent.pk}/", details(agent, name="Too early"))
    assert response.status_code == 403
    assert "The workshop has not started yet" in response.text
    assert 'value="Too early"' in response.text  # what they typed is still there
    agent.refresh_from_db()
    assert agent.name == "Invoice Triage Agent"


@pytest.mark.django_db
def test_agent_read_only_after_close(sam, agent):
    live.run_close(workshop=agent.workshop)
    page = sam.get(f"/t/agents/{agent.pk}/")
    assert "The workshop is closed" in page.text
    response = sam.post(f"/t/agents/{agent.pk}/", details(agent, name="Too late"))
    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.name == "Invoice Triage Agent"


@pytest.mark.django_db
def test_removed_participant_cannot_edit(sam, agent):
    Participant.objects.filter(display_name="Sam").update(removed=True)
    response = sam.post(f"/t/agents/{agent.pk}/", details(agent, name="Ghost edit"))
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.name == "Invoice Triage Agent"


@pytest.mark.django_db
def test_presence_shown_here_and_away(table, agent):
    sam = seat(table, "Sam")
    seat(table, "Ana")
    Participant.objects.filter(display_name="Ana").update(
        last_seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = sam.get("/t/")
    people = {p.display_name: p.present for p in page.context["people"]}
    assert people == {"Ana": False, "Sam": True}


@pytest.mark.django_db
def test_agent_progress_reports_every_step(agent):
    statuses = progress.agent_progress(agent)
    assert list(statuses) == [step.key for step in progress.steps()]
    assert all(value in (True, False, None) for value in statuses.values())


def test_progress_completion_counts_available_steps_only():
    assert progress.completion([{"a": True, "b": False, "c": None}, {"a": True}]) == (2, 3)
    assert progress.completion([]) == (0, 0)


@pytest.mark.django_db
def test_progress_provide_plugs_a_step_into_agent_page_and_board(sam, agent, facilitator):
    saved = dict(progress.STEPS)
    try:
        progress.provide(
            "review",
            label="Peer review",
            block=4,
            done=lambda a: a.owner_name == "Reviewed",
            url=lambda a: f"/review/{a.pk}/",
        )
        page = sam.get(f"/t/agents/{agent.pk}/")
        assert f'href="/review/{agent.pk}/"' in page.text
        assert "Peer review" in page.text
        Agent.objects.filter(pk=agent.pk).update(owner_name="Reviewed")
        board = progress.board(workshop=agent.workshop, now=timezone.now())
        assert board["tables"][0]["agents"][0]["progress"]["review"] is True
    finally:
        progress.STEPS.clear()
        progress.STEPS.update(saved)
