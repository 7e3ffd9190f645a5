"""The text rule on every path an agent name can arrive by: the table's form, the Pillar 1
import (CSV and XLSX), a catalogue import and a bundle; and the register's XLSX when such a
name is already in the database."""

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from agents.models import Agent
from bundles import export
from foundation.models import LLMModel
from tests import factories
from tests.bundles.helpers import seal
from tests.documents import download
from tests.security.conftest import db_snapshot, snapshot_diff
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

BELL_NAME = "Invoice\x07 matcher"
BELL_MESSAGE = "This text contains a control character (U+0007) at position 8; remove it."


@pytest.fixture
def live_workshop(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LIVE)
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def seated(live_workshop):
    """An agent at a table of a live workshop, and a participant of that table."""
    table = factories.make_table(workshop=live_workshop, name="Table 1")
    agent = factories.make_agent(table=table, name="Invoice matcher")
    participant = factories.make_participant(table=table)
    return agent, participant


def _agent_data(agent, **changes) -> dict:
    data = {
        "name": agent.name,
        "description": agent.description,
        "business_process": agent.business_process,
        "priority_rank": "1",
        "owner_name": agent.owner_name,
        "owner_email": agent.owner_email,
        "version": str(agent.version),
    }
    data.update(changes)
    return data


def test_table_form_refuses_a_control_character_in_the_agent_name(client, seated):
    agent, participant = seated
    factories.join_table(client, participant)
    before = db_snapshot()

    url = reverse("workshops:table_agent", args=[agent.pk])
    response = client.post(url, _agent_data(agent, name=BELL_NAME))

    assert response.status_code == 422
    assert response.context["form"].errors["name"] == [BELL_MESSAGE]
    assert snapshot_diff(before, db_snapshot()) == []


def test_table_form_refuses_a_bidi_override_in_the_owner_name(client, seated):
    agent, participant = seated
    factories.join_table(client, participant)
    before = db_snapshot()

    url = reverse("workshops:table_agent", args=[agent.pk])
    response = client.post(url, _agent_data(agent, owner_name="Dana \u202eCFO"))

    assert response.status_code == 422
    assert response.context["form"].errors["owner_name"] == [
        "This text contains an invisible formatting character (U+202E, right-to-left "
        "override) at position 6, which can make one name look like another; remove it."
    ]
    assert snapshot_diff(before, db_snapshot()) == []


def test_join_refuses_a_zero_width_character_in_a_display_name(client, seated):
    _, participant = seated
    before = Participant.objects.count()

    response = client.post(
        reverse("workshops:join"),
        {"code": participant.table.join_code, "display_name": "Sam\u200b"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["display_name"] == [
        "This text contains an invisible formatting character (U+200B, zero width space) at "
        "position 4, which can make one name look like another; remove it."
    ]
    assert Participant.objects.count() == before


def _csv(name: str, description: str = "Reads invoices") -> bytes:
    header = "Name,Description,Business process,Priority rank,Owner,Owner email,Table\n"
    row = f'"{name}","{description}",AP,1,Dana,dana@example.com,Table 1\n'
    return (header + row).encode()


@pytest.mark.parametrize(
    ("name", "description", "problem"),
    [
        (BELL_NAME, "Reads invoices", "Row 2, Name: " + BELL_MESSAGE[len("This text ") : -1]),
        (
            "Invoice matcher",
            "Reads\x1b[31m invoices",
            "Row 2, Description: contains a control character (U+001B) at position 6; remove it",
        ),
        (
            "Invoice\u202e matcher",
            "Reads invoices",
            "Row 2, Name: contains an invisible formatting character (U+202E, right-to-left "
            "override) at position 8, which can make one name look like another; remove it",
        ),
    ],
)
def test_pillar1_csv_with_a_hidden_character_is_refused_row_by_row(
    facilitator_client, workshop, name, description, problem
):
    before = db_snapshot()
    upload = SimpleUploadedFile("agents.csv", _csv(name, description), "text/csv")

    response = facilitator_client.post(
        reverse("agents:import", args=[workshop.pk]), {"file": upload}
    )

    assert response.status_code == 200
    assert response.context["preview"].problems == [problem]
    assert response.context["preview"].can_confirm is False
    assert "import_id" not in response.context
    assert snapshot_diff(before, db_snapshot()) == []


def test_pillar1_xlsx_with_a_control_character_is_refused(facilitator_client, workshop):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Description", "Business process", "Priority rank", "Owner",
                  "Owner email", "Table"])  # fmt: skip
    sheet.append(["Invoice matcher", "Reads\x7f invoices", "AP", 1, "Dana", "", "Table 1"])
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("agents.xlsx", buffer.getvalue())
    before = db_snapshot()

    response = facilitator_client.post(
        reverse("agents:import", args=[workshop.pk]), {"file": upload}
    )

    assert response.context["preview"].problems == [
        "Row 2, Description: contains a control character (U+007F) at position 6; remove it"
    ]
    assert snapshot_diff(before, db_snapshot()) == []


def _bundle_with(workshop, **agent_changes) -> bytes:
    factories.make_agent(workshop=workshop, name="Invoice matcher")
    _, _, content = export.workshop_bundle(workshop=workshop)
    document = json.loads(content)
    document["agents"][0].update(agent_changes)
    return seal(document)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"name": BELL_NAME},
            "The bundle has a wrong value at agents[0].name: the text contains a control "
            "character (U+0007) at position 8; remove it.",
        ),
        (
            {"owner_name": "Dana\u2066 CFO"},
            "The bundle has a wrong value at agents[0].owner_name: the text contains an "
            "invisible formatting character (U+2066, left-to-right isolate) at position 5, "
            "which can make one name look like another; remove it.",
        ),
        (
            {"description": "Reads\x85invoices"},
            "The bundle has a wrong value at agents[0].description: the text contains a control "
            "character (U+0085) at position 6; remove it.",
        ),
    ],
)
def test_bundle_with_a_hidden_character_is_refused_and_saves_nothing(
    facilitator_client, workshop, changes, message
):
    content = _bundle_with(workshop, **changes)
    before = db_snapshot()

    upload = SimpleUploadedFile("w.finops.json", content, "application/json")
    response = facilitator_client.post(reverse("bundles:import"), {"file": upload})

    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [message]
    assert snapshot_diff(before, db_snapshot()) == []


def test_bundle_free_text_keeps_bidi_characters(facilitator_client, workshop):
    """Only names refuse invisible formatting; a description may quote right-to-left text."""
    content = _bundle_with(workshop, description="Reads \u202binvoices\u202c in Hebrew")
    upload = SimpleUploadedFile("w.finops.json", content, "application/json")
    response = facilitator_client.post(reverse("bundles:import"), {"file": upload})
    assert response.status_code == 200


def _catalogue(name: str, provider: str = "acme") -> bytes:
    entry = {
        "litellm_provider": provider,
        "mode": "chat",
        "input_cost_per_token": 0.000001,
        "output_cost_per_token": 0.000002,
    }
    return json.dumps({name: entry}).encode()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            _catalogue("acme\x07large"),
            "“acme\ufffdlarge”: the model name contains a control character (U+0007) at "
            "position 5; remove it.",
        ),
        (
            _catalogue("acme-large", provider="ac\u200bme"),
            "“acme-large”: the provider contains an invisible formatting character (U+200B, "
            "zero width space) at position 3, which can make one name look like another; "
            "remove it.",
        ),
    ],
)
def test_catalogue_with_a_hidden_character_in_a_name_is_refused(client, content, error):
    client.force_login(factories.make_catalogue_admin(username="prices"))
    before = db_snapshot()
    upload = SimpleUploadedFile("prices.json", content, "application/json")

    response = client.post(reverse("foundation:catalogue_import"), {"file": upload})

    assert response.status_code == 422
    assert response.context["errors"] == [error]
    assert LLMModel.objects.filter(name__startswith="acme").exists() is False
    assert snapshot_diff(before, db_snapshot()) == []


def test_register_xlsx_answers_with_control_characters_already_stored(client, workshop):
    """Text stored before the rule (or written past it) never makes the download fail."""
    agent = factories.make_agent(workshop=workshop, name="Esc\x1bape \x07bell")
    Workshop.objects.filter(pk=workshop.pk).update(
        client_organisation="Acme\x1f Freight",
        title="Day\x01 one",  # PostgreSQL refuses NUL
    )
    Agent.objects.filter(pk=agent.pk).update(owner_name="=cmd\x0b")
    client.force_login(workshop.facilitators.get())

    response = download(client, reverse("reports:register_xlsx", args=[workshop.pk]))

    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    agents = [[cell.value for cell in row] for row in book["Agents"].iter_rows(min_row=2)]
    assert agents[0][1] == "Esc\ufffdape \ufffdbell"
    assert agents[0][4] == "=cmd\ufffd"
    assert book["Agents"].cell(row=2, column=5).data_type == "s"
    assert book.properties.title == "Agent Economics Register: Acme\ufffd Freight"
    workshop_rows = [[cell.value for cell in row][:2] for row in book["Workshop"].iter_rows()]
    assert workshop_rows[1:3] == [["Client", "Acme\ufffd Freight"], ["Workshop", "Day\ufffd one"]]
