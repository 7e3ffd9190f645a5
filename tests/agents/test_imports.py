import datetime

import pytest
from django.db import IntegrityError

from agents import import_files, imports
from agents.import_files import ImportFileError
from agents.imports import HEADERS, agents_import, check_rows, import_preview, read_upload
from agents.models import Agent
from tests import factories
from tests.agents.files import builders
from workshops.models import BreakoutTable, Workshop


def _row(*cells):
    """A data row in the template's column order, padded with empty cells."""
    return list(cells) + [None] * (len(HEADERS) - len(cells))


def _problems(rows):
    return [problem.message for row in rows for problem in row.problems]


def _values(name="Invoice triage", **fields):
    values = {
        "name": name,
        "description": "Routes exceptions.",
        "business_process": "Payables",
        "priority_rank": 1,
        "owner_name": "Dana",
        "owner_email": "dana@example.com",
        "table_name": "",
    }
    values.update(fields)
    return values


# --- Reading files ---------------------------------------------------------------------------


def test_read_upload_xlsx_gives_checked_values():
    rows, ignored = read_upload(filename="p1.xlsx", data=builders.xlsx_bytes(builders.AGENTS))
    assert [row.number for row in rows] == [2, 3, 4, 5, 6]
    assert rows[0].values == {
        "name": "Invoice exception triage",
        "description": "Routes exceptions.",
        "business_process": "Payables",
        "priority_rank": 1,
        "owner_name": "Dana Whitfield",
        "owner_email": "dana@example.com",
        "table_name": "Table 1",
    }
    assert _problems(rows) == []
    assert ignored == []


@pytest.mark.parametrize("bom", [True, False])
def test_read_upload_csv_with_or_without_bom(bom):
    rows, _ = read_upload(filename="p1.CSV", data=builders.csv_bytes(builders.AGENTS, bom=bom))
    assert [row.values["name"] for row in rows] == [agent[0] for agent in builders.AGENTS]
    assert rows[4].values["priority_rank"] == 5


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_read_upload_csv_other_delimiters(delimiter):
    data = builders.csv_bytes(builders.AGENTS[:2], delimiter=delimiter)
    rows, _ = read_upload(filename="p1.csv", data=data)
    assert [row.values["owner_email"] for row in rows] == ["dana@example.com", "lee@example.com"]


def test_read_upload_headers_any_case_spacing_and_order():
    headers = ["  owner EMAIL ", "NAME", "table", "Priority   rank", "owner", "description"]
    headers.append("Business\nprocess")
    data = builders.xlsx_bytes(
        [["o@example.com", "Claims intake", "T1", 2, "Ana", "d", "bp"]], headers=headers
    )
    rows, _ = read_upload(filename="p1.xlsx", data=data)
    assert rows[0].values == {
        "name": "Claims intake",
        "description": "d",
        "business_process": "bp",
        "priority_rank": 2,
        "owner_name": "Ana",
        "owner_email": "o@example.com",
        "table_name": "T1",
    }


def test_read_upload_extra_columns_are_listed_not_imported():
    data = builders.xlsx_bytes([_row("A") + ["a note"]], headers=[*HEADERS, "Notes"])
    rows, ignored = read_upload(filename="p1.xlsx", data=data)
    assert ignored == ["Notes"]
    assert "Notes" not in rows[0].values


def test_read_upload_prefers_the_agents_sheet():
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Read me"
    workbook.active.append(["Not", "the", "data"])
    sheet = workbook.create_sheet("Agents")
    sheet.append(HEADERS)
    sheet.append(_row("From the agents sheet"))
    buffer = BytesIO()
    workbook.save(buffer)
    rows, _ = read_upload(filename="p1.xlsx", data=buffer.getvalue())
    assert [row.values["name"] for row in rows] == ["From the agents sheet"]


def test_check_rows_skips_blank_rows_and_keeps_sheet_numbers():
    table = [
        (1, []),
        (2, HEADERS),
        (3, _row("First")),
        (4, _row(None, "   ")),
        (5, []),
        (6, _row("Second")),
    ]
    rows, _ = check_rows(table)
    assert [(row.number, row.values["name"]) for row in rows] == [(3, "First"), (6, "Second")]


def test_check_rows_row_with_values_only_in_other_columns_is_blank():
    rows, ignored = check_rows(
        [(1, [*HEADERS, "Notes"]), (2, _row("A") + ["n"]), (3, _row() + ["n"])]
    )
    assert [row.number for row in rows] == [2]
    assert ignored == ["Notes"]


def test_check_rows_joins_lines_in_single_line_fields_keeps_them_in_description():
    rows, _ = check_rows([(1, HEADERS), (2, _row(" Invoice \n triage ", "Line one\r\nLine two"))])
    assert rows[0].values["name"] == "Invoice triage"
    assert rows[0].values["description"] == "Line one\nLine two"


def test_check_rows_cell_types_become_text():
    when = datetime.datetime(2026, 12, 10)
    rows, _ = check_rows([(1, HEADERS), (2, _row(1234, when, True, 3.0, 2.5))])
    assert rows[0].texts["name"] == "1234"
    assert rows[0].texts["description"] == "2026-12-10"
    assert rows[0].texts["business_process"] == "TRUE"
    assert rows[0].values["priority_rank"] == 3
    assert rows[0].texts["owner_name"] == "2.5"


def test_check_rows_500_rows_accepted_501_refused():
    header = [(1, HEADERS)]
    rows, _ = check_rows(header + [(n, _row(f"Agent {n}")) for n in range(2, 502)])
    assert len(rows) == 500
    with pytest.raises(ImportFileError) as error:
        check_rows(header + [(n, _row(f"Agent {n}")) for n in range(2, 503)])
    assert str(error.value) == "The file has more than 500 agents. Import at most 500 at a time."


def test_check_rows_missing_headers_named():
    with pytest.raises(ImportFileError) as error:
        check_rows([(1, ["Agent name", "Description", "Owner", "Table"]), (2, ["x"])])
    assert str(error.value) == (
        "The header row is missing these columns: Name, Business process, Priority rank, "
        "Owner email. The first row must hold: Name, Description, Business process, "
        "Priority rank, Owner, Owner email, Table (download the template)."
    )


def test_check_rows_duplicate_header_refused():
    with pytest.raises(ImportFileError) as error:
        check_rows([(1, [*HEADERS, " name "]), (2, _row("x"))])
    assert str(error.value) == "The column “Name” appears twice in the header row; keep one."


@pytest.mark.parametrize(
    ("rank", "expected"),
    [
        (1, 1),
        ("7", 7),
        (" 12 ", 12),
        (4.0, 4),
        ("4.0", 4),
        (None, None),
        ("", None),
        (100_000, 100_000),
        ("１２", 12),
    ],
)
def test_check_rows_rank_accepted(rank, expected):
    rows, _ = check_rows([(1, HEADERS), (2, _row("A", "", "", rank))])
    assert rows[0].values["priority_rank"] == expected
    assert _problems(rows) == []


@pytest.mark.parametrize(
    ("rank", "message"),
    [
        ("abc", "Row 2: priority rank must be a whole number of 1 or more, not 'abc'"),
        (0, "Row 2: priority rank must be a whole number of 1 or more, not '0'"),
        (-3, "Row 2: priority rank must be a whole number of 1 or more, not '-3'"),
        (2.5, "Row 2: priority rank must be a whole number of 1 or more, not '2.5'"),
        ("NaN", "Row 2: priority rank must be a whole number of 1 or more, not 'NaN'"),
        (True, "Row 2: priority rank must be a whole number of 1 or more, not 'TRUE'"),
        (100_001, "Row 2: priority rank must be 100000 or less, not '100001'"),
        ("9" * 60, f"Row 2: priority rank must be 100000 or less, not '{'9' * 39}…'"),
    ],
)
def test_check_rows_rank_refused(rank, message):
    rows, _ = check_rows([(1, HEADERS), (2, _row("A", "", "", rank))])
    assert _problems(rows) == [message]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            _row("", "Has a description"),
            "Row 2: the name is empty; every agent needs a name",
        ),
        (
            _row("A", "", "", 1, "", "dana@"),
            "Row 2, Owner email: “dana@” is not a valid email address",
        ),
        (
            _row("A", "", "", 1, "", "<script>@x"),
            "Row 2, Owner email: “<script>@x” is not a valid email address",
        ),
        (
            _row("N" * 201),
            "Row 2, Name: 201 characters is too long; the most allowed is 200",
        ),
        (
            _row("A", "d" * 4001),
            "Row 2, Description: 4001 characters is too long; the most allowed is 4000",
        ),
        (
            _row("A", "", "", 1, "", "", "T" * 81),
            "Row 2, Table: 81 characters is too long; the most allowed is 80",
        ),
        (
            _row("A", '=HYPERLINK("http://x")'),
            "Row 2, Description: formulas are not allowed; paste the value instead",
        ),
    ],
)
def test_check_rows_row_problems(cells, message):
    rows, _ = check_rows([(1, HEADERS), (2, cells)])
    assert _problems(rows) == [message]


def test_check_rows_formula_in_xlsx_cell_refused():
    data = builders.xlsx_bytes([_row("A"), _row("B", '=A2&" copy"', "", "=1+1")])
    rows, _ = read_upload(filename="p1.xlsx", data=data)
    assert _problems(rows) == [
        "Row 3, Description: formulas are not allowed; paste the value instead",
        "Row 3, Priority rank: formulas are not allowed; paste the value instead",
    ]
    assert rows[1].cells[1] == ('=A2&" copy"', True)


def test_check_rows_duplicate_names_name_the_rows():
    table = [(1, HEADERS), (2, _row("Claims")), (3, _row("Other")), (4, _row(" CLAIMS"))]
    table.append((7, _row("claims")))
    rows, _ = check_rows(table)
    message = "the name “{}” appears in rows 2, 4 and 7; each agent may appear only once"
    assert _problems(rows) == [
        "Row 2: " + message.format("Claims"),
        "Row 4: " + message.format("CLAIMS"),
        "Row 7: " + message.format("claims"),
    ]


def test_check_rows_unicode_names_fine():
    rows, _ = check_rows([(1, HEADERS), (2, _row("Ärztliche Abrechnung 🤖")), (3, _row("請求書"))])
    assert [row.values["name"] for row in rows] == ["Ärztliche Abrechnung 🤖", "請求書"]
    assert _problems(rows) == []


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("p1.xlsx", b"", import_files.EMPTY_FILE),
        ("p1.csv", b"", import_files.EMPTY_FILE),
        ("p1.xlsx", bytes(5 * 1024 * 1024 + 1), import_files.TOO_LARGE),
        (
            "p1.pdf",
            b"%PDF-1.7",
            "Upload an Excel workbook (.xlsx) or a CSV file (.csv); “p1.pdf” is neither.",
        ),
        (
            "agents",
            b"Name",
            "Upload an Excel workbook (.xlsx) or a CSV file (.csv); “agents” is neither.",
        ),
        ("p1.xls", builders.old_xls(), import_files.OLD_XLS),
        ("p1.xlsx", builders.old_xls(), import_files.OLD_XLS),
        ("p1.xlsm", builders.xlsx_bytes([_row("A")]), import_files.MACROS),
        ("p1.xlsx", builders.macro_xlsx(with_vba_project=False), import_files.MACROS),
        ("p1.xlsx", builders.macro_xlsx(with_content_type=False), import_files.MACROS),
        ("p1.xlsx", builders.encrypted_xlsx(), import_files.ENCRYPTED),
        ("p1.xlsx", builders.png(), import_files.NOT_XLSX),
        ("p1.xlsx", b"Name,Description\nA,B\n", import_files.NOT_XLSX),
        ("p1.xlsx", b"PK\x03\x04 truncated", import_files.NOT_XLSX),
        ("p1.xlsx", builders.billion_laughs_xlsx(), import_files.XML_FORBIDDEN),
        ("p1.xlsx", builders.zip_bomb_xlsx(megabytes=60), import_files.ZIP_BOMB),
        ("p1.xlsx", builders.zip_bomb_xlsx(megabytes=10), import_files.ZIP_BOMB),
        ("p1.csv", builders.png(), import_files.NOT_CSV),
        ("p1.csv", builders.xlsx_bytes([_row("A")]), import_files.NOT_CSV),
        (
            "p1.csv",
            builders.csv_bytes([_row("Café")], encoding="cp1252"),
            import_files.BAD_ENCODING,
        ),
        ("p1.csv", builders.csv_bytes([_row("x" * 200_000)]), import_files.CSV_UNREADABLE),
        ("p1.csv", b"\n\n  \n", imports.NO_ROWS),
        ("p1.csv", builders.csv_bytes([]), imports.NO_DATA),
        ("p1.xlsx", builders.xlsx_bytes([], headers=[]), imports.NO_ROWS),
    ],
)
def test_read_upload_refuses_unusable_files(filename, data, message):
    with pytest.raises(ImportFileError) as error:
        read_upload(filename=filename, data=data)
    assert str(error.value) == message


def test_read_upload_damaged_workbook():
    data = builders.rewrite_zip(
        builders.xlsx_bytes([_row("A")]), replace={"xl/worksheets/sheet1.xml": b"<worksheet"}
    )
    with pytest.raises(ImportFileError) as error:
        read_upload(filename="p1.xlsx", data=data)
    assert str(error.value) == import_files.DAMAGED


def test_read_upload_xml_bomb_in_workbook_part():
    import zipfile
    from io import BytesIO

    data = builders.xlsx_bytes([_row("A")])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        workbook_xml = archive.read("xl/workbook.xml").decode()
    doctype = '<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    workbook_xml = workbook_xml.replace("<workbook ", doctype + "<workbook ", 1)
    data = builders.rewrite_zip(data, replace={"xl/workbook.xml": workbook_xml.encode()})
    with pytest.raises(ImportFileError) as error:
        read_upload(filename="p1.xlsx", data=data)
    assert str(error.value) == import_files.XML_FORBIDDEN


# --- Preview and save ------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_preview_marks_new_and_updated_and_tables_to_create(workshop):
    table = factories.make_table(workshop=workshop, name="Table 1")
    factories.make_agent(
        workshop=workshop, table=table, name="invoice EXCEPTION triage", priority_rank=1
    )
    data = builders.xlsx_bytes([*builders.AGENTS[:3], _row("Extra", "", "", "", "", "", "table 2")])
    rows, _ = read_upload(filename="p1.xlsx", data=data)
    preview = import_preview(workshop=workshop, rows=rows)
    assert [row.action for row in rows] == ["update", "new", "new", "new"]
    assert rows[0].changes == ["Name", "Description", "Business process"]
    assert preview.tables_to_create == ["Table 2"]
    assert (preview.new_count, preview.update_count, preview.can_confirm) == (3, 1, True)


@pytest.mark.django_db
def test_import_preview_queries_do_not_grow_with_rows(workshop, django_assert_num_queries):
    factories.make_agent(workshop=workshop, name="Agent 1")
    few, _ = check_rows([(1, HEADERS), (2, _row("Agent 1", "", "", 1, "", "", "T"))])
    many, _ = check_rows(
        [(1, HEADERS)]
        + [(n, _row(f"Agent {n}", "", "", n, "", "", f"T{n}")) for n in range(2, 300)]
    )
    with django_assert_num_queries(2):
        import_preview(workshop=workshop, rows=few)
    with django_assert_num_queries(2):
        import_preview(workshop=workshop, rows=many)


@pytest.mark.django_db
def test_agents_import_creates_updates_and_makes_tables(workshop):
    kept_table = factories.make_table(workshop=workshop, name="Kept")
    existing = factories.make_agent(workshop=workshop, table=kept_table, name="CLAIMS intake")
    revision = Workshop.objects.get(pk=workshop.pk).revision
    result = agents_import(
        workshop=workshop,
        rows=[
            _values("Claims intake", description="New text", table_name=""),
            _values("Churn early warning", priority_rank=None, table_name="table 9"),
            _values("Supplier onboarding", table_name="Table 9"),
        ],
    )
    assert (result.created, result.updated, result.total) == (2, 1, 3)
    assert result.tables_created == ["table 9"]
    existing.refresh_from_db()
    assert (existing.name, existing.description, existing.table_id) == (
        "Claims intake",
        "New text",
        kept_table.pk,
    )
    assert existing.version == 2
    churn = Agent.objects.get(workshop=workshop, name="Churn early warning")
    supplier = Agent.objects.get(workshop=workshop, name="Supplier onboarding")
    assert churn.priority_rank is None
    assert churn.table_id == supplier.table_id == BreakoutTable.objects.get(name="table 9").pk
    # One bump for the import and one for the table it created.
    assert Workshop.objects.get(pk=workshop.pk).revision == revision + 2


@pytest.mark.django_db
def test_agents_import_again_changes_nothing_and_bumps_revision_once(workshop):
    rows = [_values("Claims intake"), _values("Legal review")]
    agents_import(workshop=workshop, rows=rows)
    revision = Workshop.objects.get(pk=workshop.pk).revision
    result = agents_import(workshop=workshop, rows=rows)
    assert (result.created, result.updated) == (0, 2)
    assert Agent.objects.filter(workshop=workshop).count() == 2
    assert set(Agent.objects.values_list("version", flat=True)) == {1}
    assert Workshop.objects.get(pk=workshop.pk).revision == revision + 1


@pytest.mark.django_db
def test_agents_import_same_name_in_another_workshop_is_separate(workshop):
    other = factories.make_agent(name="Claims intake", description="Theirs")
    agents_import(workshop=workshop, rows=[_values("Claims intake")])
    other.refresh_from_db()
    assert other.description == "Theirs"
    assert Agent.objects.filter(name="Claims intake").count() == 2


@pytest.mark.django_db
def test_agents_import_all_or_nothing(workshop):
    existing = factories.make_agent(workshop=workshop, name="Claims intake", description="Old")
    tables = BreakoutTable.objects.count()
    with pytest.raises(IntegrityError):
        agents_import(
            workshop=workshop,
            rows=[
                _values("Claims intake", description="New", table_name="Table 5"),
                # A rank the checks would have refused reaches the database constraint.
                _values("Bad rank", priority_rank=0),
            ],
        )
    existing.refresh_from_db()
    assert existing.description == "Old"
    assert BreakoutTable.objects.count() == tables
    assert Agent.objects.count() == 1
