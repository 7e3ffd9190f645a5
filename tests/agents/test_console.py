"""Facilitator agent management: list, add, edit (with conflicts), delete, seat at tables."""

import pytest

from agents import services
from agents.models import Agent
from tests import factories
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
VALID = {
    "name": "Invoice Triage Agent",
    "description": "Reads supplier invoices and routes exceptions.",
    "business_process": "Accounts payable",
    "priority_rank": "1",
    "owner_name": "Dana Whitfield",
    "owner_email": "dana@example.com",
}


def base(workshop):
    return f"/workshops/{workshop.pk}/agents/"


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


# --- List -------------------------------------------------------------------------------------


def test_agent_list_shows_rank_process_owner_and_table(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    agent = factories.make_agent(table=table, name="Invoice Triage Agent", priority_rank=2)
    text = facilitator_client.get(base(workshop)).text
    assert "Invoice Triage Agent" in text
    assert '<td class="num">2</td>' in text
    assert "Accounts payable" in text
    assert "Dana Whitfield" in text
    assert f'<option value="{table.pk}" selected>Table A</option>' in text
    assert f'href="{base(workshop)}{agent.pk}/edit/"' in text


def test_agent_list_marks_unassigned(facilitator_client, workshop):
    factories.make_table(workshop=workshop)
    agent = factories.make_agent(workshop=workshop)
    text = facilitator_client.get(base(workshop)).text
    assert f'<tr id="agent-{agent.pk}" class="unassigned">' in text
    assert '<option value="unassigned" selected>Unassigned</option>' in text
    assert "<strong>1 unassigned</strong>" in text


def test_agent_list_empty_explains(facilitator_client, workshop):
    text = facilitator_client.get(base(workshop)).text
    assert "No agents yet." in text
    assert f'href="{base(workshop)}new/"' in text


def test_agent_list_name_script_shown_escaped(facilitator_client, workshop):
    factories.make_agent(workshop=workshop, name="<script>alert(1)</script>")
    text = facilitator_client.get(base(workshop)).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)</script>" not in text


@pytest.mark.parametrize("count", [1, 50])
def test_agent_list_query_count_does_not_grow(
    facilitator_client, workshop, count, django_assert_num_queries
):
    tables = [factories.make_table(workshop=workshop) for _ in range(5)]
    for n in range(count):
        factories.make_agent(table=tables[n % 5] if n % 3 else None, workshop=workshop)
    with django_assert_num_queries(5):
        assert facilitator_client.get(base(workshop)).status_code == 200


# --- Add ----------------------------------------------------------------------------------------


def test_agent_add_at_table(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    response = facilitator_client.post(f"{base(workshop)}new/", dict(VALID, table=str(table.pk)))
    assert response.status_code == 302
    assert response.url == base(workshop)
    agent = workshop.agents.get()
    assert (agent.name, agent.priority_rank, agent.table_id) == (
        "Invoice Triage Agent",
        1,
        table.pk,
    )


def test_agent_add_unassigned_without_rank(facilitator_client, workshop):
    facilitator_client.post(
        f"{base(workshop)}new/", dict(VALID, priority_rank="", table="unassigned")
    )
    agent = workshop.agents.get()
    assert (agent.priority_rank, agent.table_id) == (None, None)


def test_agent_add_unicode_name_ok(facilitator_client, workshop):
    facilitator_client.post(f"{base(workshop)}new/", dict(VALID, name="Agente de Facturação 請求"))
    assert workshop.agents.get().name == "Agente de Facturação 請求"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the agent&#x27;s name."),
        ({"name": "   "}, "Enter the agent&#x27;s name."),
        ({"name": "x" * 201}, "Keep the agent&#x27;s name to 200 characters or fewer."),
        (
            {"name": "invoice TRIAGE agent"},
            "Another agent in this workshop is already called “invoice TRIAGE agent”. "
            "Use a different name.",
        ),
        ({"priority_rank": "first"}, "Enter the priority rank as a whole number, for example 3."),
        ({"priority_rank": "1.5"}, "Enter the priority rank as a whole number, for example 3."),
        ({"priority_rank": "0"}, "The priority rank starts at 1 (the highest priority)."),
        ({"priority_rank": "-3"}, "The priority rank starts at 1 (the highest priority)."),
        ({"priority_rank": "99999999999"}, "Enter a priority rank of 10,000 or less."),
        ({"owner_email": "dana at example"}, "Enter the owner&#x27;s email address"),
        ({"business_process": "p" * 201}, "Keep the business process to 200 characters"),
        ({"table": "999999"}, "Choose one of this workshop&#x27;s tables, or Unassigned."),
    ],
)
def test_agent_add_bad_input_explains_and_adds_nothing(
    facilitator_client, workshop, changes, message
):
    factories.make_agent(workshop=workshop, name="Invoice Triage Agent")
    before = revision(workshop)
    response = facilitator_client.post(f"{base(workshop)}new/", dict(VALID, **changes))
    assert response.status_code == 422
    assert message in response.text
    assert workshop.agents.count() == 1
    assert revision(workshop) == before


def test_agent_add_table_of_other_workshop_refused(facilitator_client, workshop):
    foreign = factories.make_table(workshop=factories.make_workshop())
    response = facilitator_client.post(f"{base(workshop)}new/", dict(VALID, table=str(foreign.pk)))
    assert response.status_code == 422
    assert Agent.objects.count() == 0


# --- Edit ---------------------------------------------------------------------------------------


def edit(client, workshop, agent, **changes):
    data = dict(VALID, version=str(agent.version))
    data.update(changes)
    return client.post(f"{base(workshop)}{agent.pk}/edit/", data)


def test_agent_edit_form_carries_version(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop, name="Old name")
    text = facilitator_client.get(f"{base(workshop)}{agent.pk}/edit/").text
    assert '<input type="hidden" name="version" value="1"' in text
    assert 'value="Old name"' in text


def test_agent_edit_saves_and_moves_version(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop, name="Old name")
    response = edit(facilitator_client, workshop, agent, name="New name", priority_rank="4")
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.name, agent.priority_rank, agent.version) == ("New name", 4, 2)


def test_agent_edit_keeps_own_name_in_other_case(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop, name="Invoice Triage Agent")
    edit(facilitator_client, workshop, agent, name="INVOICE TRIAGE AGENT")
    agent.refresh_from_db()
    assert agent.name == "INVOICE TRIAGE AGENT"


def test_agent_edit_to_taken_name_explains_and_changes_nothing(facilitator_client, workshop):
    factories.make_agent(workshop=workshop, name="Taken")
    agent = factories.make_agent(workshop=workshop, name="Mine")
    response = edit(facilitator_client, workshop, agent, name="taken")
    assert response.status_code == 422
    assert "Another agent in this workshop is already called “taken”." in response.text
    agent.refresh_from_db()
    assert (agent.name, agent.version) == ("Mine", 1)


@pytest.mark.parametrize("version", ["", "abc", "0", "-1"])
def test_agent_edit_bad_version_asks_to_reload(facilitator_client, workshop, version):
    agent = factories.make_agent(workshop=workshop, name="Mine")
    response = edit(facilitator_client, workshop, agent, name="Other", version=version)
    assert response.status_code == 422
    assert "Reload the page and edit again." in response.text
    agent.refresh_from_db()
    assert agent.name == "Mine"


def test_agent_edit_conflict_answers_409_and_keeps_typed_text(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop, name="Original", description="Old text")
    services.agent_update(agent=agent, version=1, values={"description": "Their text"})
    response = edit(
        facilitator_client, workshop, agent, name="Original", description="My typed text"
    )
    assert response.status_code == 409
    assert "Someone at your table saved this first" in response.text
    assert "{#" not in response.text
    assert "<td>Their text</td><td>My typed text</td>" in response.text
    assert ">\nMy typed text</textarea>" in response.text
    assert '<input type="hidden" name="version" value="2"' in response.text
    assert 'name="resolve" value="mine"' in response.text
    assert f'href="{base(workshop)}{agent.pk}/edit/">Take theirs</a>' in response.text
    agent.refresh_from_db()
    assert (agent.description, agent.version) == ("Their text", 2)


def test_agent_edit_keep_mine_after_conflict_saves_typed_text(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop, name="Original", description="Old text")
    services.agent_update(agent=agent, version=1, values={"description": "Their text"})
    edit(facilitator_client, workshop, agent, name="Original", description="My typed text")
    response = facilitator_client.post(
        f"{base(workshop)}{agent.pk}/edit/",
        dict(VALID, name="Original", description="My typed text", version="2", resolve="mine"),
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.description, agent.version) == ("My typed text", 3)


def test_agent_edit_of_other_workshop_404(facilitator_client, workshop):
    foreign = factories.make_agent(workshop=factories.make_workshop(), name="Foreign")
    response = facilitator_client.post(
        f"{base(workshop)}{foreign.pk}/edit/", dict(VALID, version="1")
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Foreign"


# --- Delete -------------------------------------------------------------------------------------


def test_agent_delete_confirm_then_delete(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop, name="Doomed")
    confirm = facilitator_client.get(f"{base(workshop)}{agent.pk}/delete/")
    assert "Delete Doomed?" in confirm.text
    assert Agent.objects.filter(pk=agent.pk).exists()
    response = facilitator_client.post(f"{base(workshop)}{agent.pk}/delete/", follow=True)
    assert "Doomed deleted." in response.text
    assert not Agent.objects.filter(pk=agent.pk).exists()


def test_agent_delete_of_other_workshop_404(facilitator_client, workshop):
    foreign = factories.make_agent(workshop=factories.make_workshop())
    assert facilitator_client.post(f"{base(workshop)}{foreign.pk}/delete/").status_code == 404
    assert Agent.objects.filter(pk=foreign.pk).exists()


# --- Seat one agent -------------------------------------------------------------------------------


def test_agent_assign_one_moves_agent(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table B")
    agent = factories.make_agent(workshop=workshop, name="Mover")
    response = facilitator_client.post(
        f"{base(workshop)}{agent.pk}/table/", {"table": str(table.pk)}, follow=True
    )
    assert "Mover now sits at Table B." in response.text
    agent.refresh_from_db()
    assert agent.table_id == table.pk


def test_agent_assign_one_htmx_answers_the_row(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table B")
    agent = factories.make_agent(workshop=workshop, name="Mover")
    response = facilitator_client.post(
        f"{base(workshop)}{agent.pk}/table/", {"table": str(table.pk)}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="agent-{agent.pk}">')
    assert "Now at Table B" in response.text
    assert f'<option value="{table.pk}" selected>Table B</option>' in response.text


def test_agent_assign_one_unassigned(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop)
    agent = factories.make_agent(table=table)
    facilitator_client.post(f"{base(workshop)}{agent.pk}/table/", {"table": "unassigned"})
    agent.refresh_from_db()
    assert agent.table_id is None


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999"])
def test_agent_assign_one_bad_table_explains_and_changes_nothing(
    facilitator_client, workshop, value
):
    table = factories.make_table(workshop=workshop)
    agent = factories.make_agent(table=table)
    response = facilitator_client.post(
        f"{base(workshop)}{agent.pk}/table/", {"table": value}, headers=HTMX
    )
    assert response.status_code == 422
    assert "Choose" in response.text
    agent.refresh_from_db()
    assert agent.table_id == table.pk


def test_agent_assign_one_foreign_table_refused(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop)
    foreign = factories.make_table(workshop=factories.make_workshop())
    response = facilitator_client.post(
        f"{base(workshop)}{agent.pk}/table/", {"table": str(foreign.pk)}, follow=True
    )
    assert "Choose one of this workshop&#x27;s tables, or Unassigned." in response.text
    agent.refresh_from_db()
    assert agent.table_id is None


def test_agent_assign_one_refuses_get(facilitator_client, workshop):
    agent = factories.make_agent(workshop=workshop)
    assert facilitator_client.get(f"{base(workshop)}{agent.pk}/table/").status_code == 405


# --- Bulk -----------------------------------------------------------------------------------------


def test_agents_bulk_assign_ticked(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table C")
    agents = [factories.make_agent(workshop=workshop) for _ in range(3)]
    response = facilitator_client.post(
        f"{base(workshop)}assign/",
        {"agent_ids": [agents[0].pk, agents[2].pk], "table": str(table.pk)},
        follow=True,
    )
    assert "2 agents now sit at Table C." in response.text
    assert [a.table_id for a in Agent.objects.order_by("pk")] == [table.pk, None, table.pk]


def test_agents_bulk_unassign(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop)
    agents = [factories.make_agent(table=table) for _ in range(2)]
    response = facilitator_client.post(
        f"{base(workshop)}assign/",
        {"agent_ids": [a.pk for a in agents], "table": "unassigned"},
        follow=True,
    )
    assert "2 agents are now unassigned." in response.text
    assert list(Agent.objects.values_list("table_id", flat=True)) == [None, None]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"table": "T"}, "Tick at least one agent to assign."),
        ({"agent_ids": ["A"], "table": ""}, "Choose a table, or Unassigned."),
        ({"agent_ids": ["A"], "table": "nope"}, "Choose one of this workshop&#x27;s tables"),
        ({"agent_ids": ["abc"], "table": "T"}, "One of the ticked agents is no longer"),
        ({"agent_ids": ["-1"], "table": "T"}, "One of the ticked agents is no longer"),
        ({"agent_ids": ["F"], "table": "T"}, "One of the ticked agents is no longer"),
        ({"agent_ids": ["A"], "table": "FT"}, "Choose one of this workshop&#x27;s tables"),
    ],
)
def test_agents_bulk_assign_bad_input_explains_and_changes_nothing(
    facilitator_client, workshop, data, message
):
    table = factories.make_table(workshop=workshop)
    agent = factories.make_agent(workshop=workshop)
    other = factories.make_workshop()
    foreign_agent = factories.make_agent(workshop=other)
    foreign_table = factories.make_table(workshop=other)
    swap = {"A": agent.pk, "F": foreign_agent.pk, "T": table.pk, "FT": foreign_table.pk}
    data = {
        key: [str(swap.get(v, v)) for v in value] if isinstance(value, list) else
        str(swap.get(value, value))
        for key, value in data.items()
    }  # fmt: skip
    before = revision(workshop)
    response = facilitator_client.post(f"{base(workshop)}assign/", data)
    assert response.status_code == 422
    assert message in response.text
    assert list(Agent.objects.values_list("table_id", flat=True)) == [None, None]
    assert revision(workshop) == before


# --- Permissions ----------------------------------------------------------------------------------


@pytest.fixture
def agent_pages(workshop):
    agent = factories.make_agent(workshop=workshop, name="Kept")
    b = base(workshop)
    return [
        ("get", b),
        ("get", f"{b}new/"),
        ("post", f"{b}new/"),
        ("post", f"{b}assign/"),
        ("get", f"{b}{agent.pk}/edit/"),
        ("post", f"{b}{agent.pk}/edit/"),
        ("get", f"{b}{agent.pk}/delete/"),
        ("post", f"{b}{agent.pk}/delete/"),
        ("post", f"{b}{agent.pk}/table/"),
    ]


def test_agent_pages_404_for_another_facilitator(client, agent_pages, workshop):
    client.force_login(factories.make_user(username="rival"))
    for method, url in agent_pages:
        response = getattr(client, method)(url, dict(VALID, name="Taken", version="1"))
        assert response.status_code == 404, url
    assert list(Agent.objects.values_list("name", flat=True)) == ["Kept"]


def test_agent_pages_redirect_anonymous_to_login(client, agent_pages):
    for method, url in agent_pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url == f"/accounts/login/?next={url}", url
    assert Agent.objects.count() == 1


def test_agents_bulk_assign_error_keeps_ticks_and_table_choice(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    agents = [factories.make_agent(workshop=workshop) for _ in range(2)]
    response = facilitator_client.post(
        f"{base(workshop)}assign/", {"agent_ids": [str(agents[1].pk)], "table": ""}
    )
    assert response.status_code == 422
    assert f'value="{agents[1].pk}" form="bulk-assign"' in response.text
    assert response.text.count(" checked>") == 1
    response = facilitator_client.post(f"{base(workshop)}assign/", {"table": str(table.pk)})
    assert f'<option value="{table.pk}" selected>Table A</option>' in response.text
