import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from agents import import_files, import_views, imports
from agents.imports import HEADERS
from agents.models import Agent
from tests import factories
from tests.agents.files import builders
from workshops.models import BreakoutTable, Workshop

pytestmark = pytest.mark.django_db


def _upload(client, workshop, filename, data):
    return client.post(
        reverse("agents:import", args=[workshop.pk]),
        {"file": SimpleUploadedFile(filename, data)},
    )


def _confirm(client, workshop, import_id):
    return client.post(
        reverse("agents:import_confirm", args=[workshop.pk]), {"import_id": import_id}
    )


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _row(*cells):
    return list(cells) + [None] * (len(HEADERS) - len(cells))


def _saved(workshop):
    return list(
        Agent.objects.filter(workshop=workshop)
        .order_by("priority_rank", "name")
        .values_list(
            "name",
            "description",
            "business_process",
            "priority_rank",
            "owner_name",
            "owner_email",
            "table__name",
        )
    )


@pytest.fixture
def seeded(workshop):
    """A workshop with one table and one agent, to show nothing changes."""
    table = factories.make_table(workshop=workshop, name="Table 1")
    factories.make_agent(workshop=workshop, table=table, name="Existing agent")
    return workshop


def _state(workshop):
    workshop.refresh_from_db()
    return (Agent.objects.count(), BreakoutTable.objects.count(), workshop.revision)


# --- Upload page and template ----------------------------------------------------------------


def test_upload_page_explains_columns_and_links_template(facilitator_client, workshop):
    response = facilitator_client.get(reverse("agents:import", args=[workshop.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/workshops/{workshop.pk}/agents/import/template/"' in html
    for header in HEADERS:
        assert f'<th scope="row">{header}</th>' in html
    assert 'enctype="multipart/form-data"' in html


def test_template_download_is_the_import_template(facilitator_client, workshop):
    from openpyxl import load_workbook

    factories.make_table(workshop=workshop, name="Blue table")
    response = facilitator_client.get(reverse("agents:import_template", args=[workshop.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="pillar1-agents-template.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Agents", "Instructions"]
    sheet = workbook["Agents"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 60
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    assert (rules["D2:D501"].type, rules["D2:D501"].formula1) == ("whole", "1")
    assert (rules["A2:A501"].type, rules["A2:A501"].formula1) == ("textLength", "200")
    assert (rules["F2:F501"].type, rules["F2:F501"].formula1) == ("textLength", "254")
    assert (rules["G2:G501"].type, rules["G2:G501"].formula1) == ("textLength", "80")
    instructions = [row[0] for row in workbook["Instructions"].iter_rows(values_only=True)]
    assert "Breakout tables in this workshop: Blue table." in instructions


# --- The whole journey -----------------------------------------------------------------------


def test_import_happy_path_then_reimport_updates(facilitator_client, workshop):
    template = facilitator_client.get(reverse("agents:import_template", args=[workshop.pk]))
    data = builders.xlsx_bytes(builders.AGENTS, data=template.content)
    revision = Workshop.objects.get(pk=workshop.pk).revision

    preview = _upload(facilitator_client, workshop, "pillar1.xlsx", data)
    assert preview.status_code == 200
    assert preview.templates[0].name == "agents/import_preview.html"
    html = preview.content.decode()
    assert [f'id="row-{n}"' in html for n in range(2, 8)] == [True] * 5 + [False]
    assert html.count('<span class="badge ok">New</span>') == 5
    assert "Importing creates 2 new breakout tables: Table 1, Table 2." in html
    assert Agent.objects.count() == 0

    response = _confirm(facilitator_client, workshop, preview.context["import_id"])
    assert response.status_code == 302
    assert response.url == f"/workshops/{workshop.pk}/"
    assert _messages(response) == ["Imported 5 agents (5 new, 0 updated)"]
    expected = [
        (name, description, process, rank, owner, email, table or None)
        for name, description, process, rank, owner, email, table in builders.AGENTS
    ]
    assert _saved(workshop) == expected
    assert list(workshop.tables.values_list("name", flat=True)) == ["Table 1", "Table 2"]
    # One bump for the import, one per created table.
    assert Workshop.objects.get(pk=workshop.pk).revision == revision + 3

    again = _upload(facilitator_client, workshop, "pillar1.xlsx", data)
    assert again.content.decode().count("no change") == 5
    response = _confirm(facilitator_client, workshop, again.context["import_id"])
    assert _messages(response) == ["Imported 5 agents (0 new, 5 updated)"]
    assert _saved(workshop) == expected
    assert BreakoutTable.objects.count() == 2


def test_import_csv_updates_existing_agent_by_name_any_case(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Kept table")
    agent = factories.make_agent(workshop=workshop, table=table, name="CLAIMS INTAKE")
    rows = [["Claims intake", "New text", "Claims", "2", "Ana", "ana@example.com", ""]]
    data = builders.csv_bytes(rows, headers=[h.upper() for h in HEADERS], bom=True)
    preview = _upload(facilitator_client, workshop, "agents.csv", data)
    assert "changes Name, Description, Business process, Priority rank, Owner, Owner email" in (
        preview.content.decode()
    )
    response = _confirm(facilitator_client, workshop, preview.context["import_id"])
    assert _messages(response) == ["Imported 1 agent (0 new, 1 updated)"]
    agent.refresh_from_db()
    assert (agent.name, agent.description, agent.priority_rank, agent.table_id) == (
        "Claims intake",
        "New text",
        2,
        table.pk,
    )
    assert agent.version == 2


def test_import_unicode_names(facilitator_client, workshop):
    rows = [_row("Ärztliche Abrechnung 🤖", "Prüft Rechnungen"), _row("請求書の確認", "", "", 2)]
    preview = _upload(facilitator_client, workshop, "agents.xlsx", builders.xlsx_bytes(rows))
    assert "Ärztliche Abrechnung 🤖" in preview.content.decode()
    _confirm(facilitator_client, workshop, preview.context["import_id"])
    assert sorted(Agent.objects.values_list("name", flat=True)) == [
        "Ärztliche Abrechnung 🤖",
        "請求書の確認",
    ]


def test_import_html_in_cells_shown_escaped(facilitator_client, workshop):
    script = "<script>alert('x')</script>"
    rows = [_row(script, '<img src=x onerror="alert(1)">', "", "", "", "", "<b>T</b>")]
    preview = _upload(facilitator_client, workshop, "agents.xlsx", builders.xlsx_bytes(rows))
    html = preview.content.decode()
    assert script not in html
    assert "<img src=x" not in html
    assert escape(script) in html
    assert "Importing creates 1 new breakout table: &lt;b&gt;T&lt;/b&gt;." in html
    _confirm(facilitator_client, workshop, preview.context["import_id"])
    assert Agent.objects.get().name == script


# --- Files that are refused ------------------------------------------------------------------

BAD_FILES = [
    ("big.xlsx", lambda: bytes(5 * 1024 * 1024 + 1), import_files.TOO_LARGE),
    ("empty.xlsx", lambda: b"", import_files.EMPTY_FILE),
    ("picture.xlsx", builders.png, import_files.NOT_XLSX),
    ("notes.xlsx", lambda: b"Name,Description\nA,B\n", import_files.NOT_XLSX),
    ("picture.csv", builders.png, import_files.NOT_CSV),
    (
        "agents.pdf",
        lambda: b"%PDF-1.7",
        "Upload an Excel workbook (.xlsx) or a CSV file (.csv); “agents.pdf” is neither.",
    ),
    (
        "wrong-headers.xlsx",
        lambda: builders.xlsx_bytes([["A"]], headers=["Agent", "Description", "Owner"]),
        "The header row is missing these columns: Name, Business process, Priority rank, "
        "Owner email, Table. The first row must hold: Name, Description, Business process, "
        "Priority rank, Owner, Owner email, Table (download the template).",
    ),
    ("headers-only.xlsx", lambda: builders.xlsx_bytes([]), imports.NO_DATA),
    ("blank.xlsx", lambda: builders.xlsx_bytes([], headers=[]), imports.NO_ROWS),
    (
        "many.csv",
        lambda: builders.csv_bytes([_row(f"Agent {n}") for n in range(501)]),
        "The file has more than 500 agents. Import at most 500 at a time.",
    ),
    ("locked.xlsx", builders.encrypted_xlsx, import_files.ENCRYPTED),
    ("laughs.xlsx", builders.billion_laughs_xlsx, import_files.XML_FORBIDDEN),
    ("bomb.xlsx", builders.zip_bomb_xlsx, import_files.ZIP_BOMB),
    ("macros.xlsm", lambda: builders.xlsx_bytes([_row("A")]), import_files.MACROS),
    ("renamed-macros.xlsx", builders.macro_xlsx, import_files.MACROS),
    ("old.xls", builders.old_xls, import_files.OLD_XLS),
    ("old-renamed.xlsx", builders.old_xls, import_files.OLD_XLS),
    (
        "latin1.csv",
        lambda: builders.csv_bytes([_row("Café")], encoding="cp1252"),
        import_files.BAD_ENCODING,
    ),
]


@pytest.mark.parametrize(("filename", "build", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_import_refuses_bad_file_and_saves_nothing(
    facilitator_client, seeded, filename, build, message
):
    before = _state(seeded)
    response = _upload(facilitator_client, seeded, filename, build())
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [message]
    assert escape(message) in response.content.decode()
    assert _state(seeded) == before
    assert f"agents_import:{seeded.pk}" not in facilitator_client.session


def test_import_refuses_request_over_upload_memory_limit(facilitator_client, seeded):
    before = _state(seeded)
    response = _upload(facilitator_client, seeded, "huge.xlsx", bytes(7 * 1024 * 1024))
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [import_files.TOO_LARGE]
    assert _state(seeded) == before


def test_import_without_file_asks_for_one(facilitator_client, seeded):
    response = facilitator_client.post(reverse("agents:import", args=[seeded.pk]), {})
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == ["Choose the spreadsheet to upload."]


def test_import_rows_with_problems_cannot_be_confirmed(facilitator_client, seeded):
    rows = [
        _row("Good one", "", "", 1),
        _row("Formula", "=1+2", "", 2),
        _row("Bad rank", "", "", "abc"),
        _row("", "No name"),
        _row("Bad email", "", "", 3, "", "dana@"),
        _row("N" * 201),
        _row("good ONE"),
    ]
    before = _state(seeded)
    response = _upload(facilitator_client, seeded, "agents.xlsx", builders.xlsx_bytes(rows))
    assert response.status_code == 200
    assert response.context["preview"].problems == [
        "Row 2: the name “Good one” appears in rows 2 and 8; each agent may appear only once",
        "Row 3, Description: formulas are not allowed; paste the value instead",
        "Row 4: priority rank must be a whole number of 1 or more, not 'abc'",
        "Row 5: the name is empty; every agent needs a name",
        "Row 6, Owner email: “dana@” is not a valid email address",
        "Row 7, Name: 201 characters is too long; the most allowed is 200",
        "Row 8: the name “good ONE” appears in rows 2 and 8; each agent may appear only once",
    ]
    html = response.content.decode()
    assert "7 rows need fixing</strong> (rows 2, 3, 4, 5, 6, 7, 8)" in html
    assert html.count('<tbody class="has-problem">') == 7
    assert html.count("cell-problem") == 7
    assert "import_confirm" not in html and "/agents/import/confirm/" not in html
    assert f"agents_import:{seeded.pk}" not in facilitator_client.session
    response = _confirm(facilitator_client, seeded, "anything")
    assert _messages(response) == [import_views.EXPIRED]
    assert _state(seeded) == before


def test_import_preview_queries_do_not_grow_with_rows(facilitator_client, workshop):
    def queries(count):
        rows = [_row(f"Agent {n}", "", "", n, "", "", f"Table {n}") for n in range(count)]
        with CaptureQueriesContext(connection) as context:
            response = _upload(facilitator_client, workshop, "a.xlsx", builders.xlsx_bytes(rows))
        assert response.status_code == 200
        return len(context.captured_queries)

    assert queries(1) == queries(200)


# --- Confirming ------------------------------------------------------------------------------


def test_confirm_twice_imports_once(facilitator_client, workshop):
    preview = _upload(
        facilitator_client, workshop, "a.csv", builders.csv_bytes(builders.AGENTS[:2])
    )
    first = _confirm(facilitator_client, workshop, preview.context["import_id"])
    assert _messages(first) == ["Imported 2 agents (2 new, 0 updated)"]
    facilitator_client.get(reverse("agents:import", args=[workshop.pk]))  # shows the message
    response = _confirm(facilitator_client, workshop, preview.context["import_id"])
    assert response.url == f"/workshops/{workshop.pk}/agents/import/"
    assert _messages(response) == [import_views.EXPIRED]
    assert Agent.objects.count() == 2


def test_confirm_with_wrong_id_or_replaced_upload_saves_nothing(facilitator_client, workshop):
    first = _upload(facilitator_client, workshop, "a.csv", builders.csv_bytes(builders.AGENTS))
    assert _messages(_confirm(facilitator_client, workshop, "guess")) == [import_views.EXPIRED]
    # A newer upload (here, one with problems) replaces the pending one.
    _upload(facilitator_client, workshop, "b.csv", builders.csv_bytes([_row("")]))
    response = _confirm(facilitator_client, workshop, first.context["import_id"])
    assert _messages(response) == [import_views.EXPIRED]
    assert Agent.objects.count() == 0


def test_confirm_previewed_in_another_workshop_refused(facilitator, facilitator_client, workshop):
    other = factories.make_workshop(facilitator=facilitator)
    preview = _upload(facilitator_client, workshop, "a.csv", builders.csv_bytes(builders.AGENTS))
    response = _confirm(facilitator_client, other, preview.context["import_id"])
    assert _messages(response) == [import_views.EXPIRED]
    assert Agent.objects.count() == 0


def test_confirm_only_by_post(facilitator_client, workshop):
    response = facilitator_client.get(reverse("agents:import_confirm", args=[workshop.pk]))
    assert response.status_code == 405


# --- Who may import --------------------------------------------------------------------------

URL_NAMES = ["agents:import", "agents:import_template", "agents:import_confirm"]


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_import_pages_anonymous_redirected_to_login(client, workshop, url_name):
    url = reverse(url_name, args=[workshop.pk])
    response = client.post(url) if url_name == "agents:import_confirm" else client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_import_pages_other_facilitator_gets_404(client, workshop, url_name):
    client.force_login(factories.make_user())
    url = reverse(url_name, args=[workshop.pk])
    response = client.post(url) if url_name == "agents:import_confirm" else client.get(url)
    assert response.status_code == 404


def test_import_upload_by_other_facilitator_saves_nothing(client, seeded):
    client.force_login(factories.make_user())
    before = _state(seeded)
    response = _upload(client, seeded, "a.csv", builders.csv_bytes(builders.AGENTS))
    assert response.status_code == 404
    assert _state(seeded) == before


def test_import_by_other_facilitators_pending_import_id_saves_nothing(client, workshop):
    owner = workshop.facilitators.get()
    client.force_login(owner)
    preview = _upload(client, workshop, "a.csv", builders.csv_bytes(builders.AGENTS))
    intruder = factories.make_user()
    other = factories.make_workshop(facilitator=intruder)
    client.force_login(intruder)
    response = _confirm(client, workshop, preview.context["import_id"])
    assert response.status_code == 404
    response = _confirm(client, other, preview.context["import_id"])
    assert _messages(response) == [import_views.EXPIRED]
    assert Agent.objects.count() == 0
