"""Pillar 1 import: check every row of an uploaded spreadsheet of prioritised agents, show
what would change, then save all rows at once.

`read_upload` and `check_rows` touch no database; `import_preview` reads it and `agents_import`
writes it. The file itself is opened by `agents.import_files`.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common.numbers import NumberError, parse_number
from common.text import name_problem, text_problem
from workshops import locks
from workshops.changes import EVERYTHING
from workshops.models import BreakoutTable, Workshop
from workshops.services import table_create, workshop_touch

from .import_files import ImportFileError, quote, read_table
from .models import Agent

# A spreadsheet writes large numbers in exponent form ("1E21").
EXPONENT = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
MAX_ROWS = 500
MAX_RANK = 100_000
MAX_RANK_DIGITS = 20  # beyond this a rank is refused before it is turned into an int
DESCRIPTION_MAX_LENGTH = 4000


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    max_length: int | None
    help: str
    example: str
    width: int


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


COLUMNS = (
    Column(
        header="Name",
        field="name",
        max_length=_max_length(Agent, "name"),
        help="The agent opportunity's name, unique in the workshop.",
        example="Invoice exception triage",
        width=32,
    ),
    Column(
        header="Description",
        field="description",
        max_length=DESCRIPTION_MAX_LENGTH,
        help="What the agent does, in a sentence or two.",
        example="Reads supplier invoices and routes exceptions to the right approver.",
        width=60,
    ),
    Column(
        header="Business process",
        field="business_process",
        max_length=_max_length(Agent, "business_process"),
        help="The business process it serves.",
        example="Accounts payable",
        width=26,
    ),
    Column(
        header="Priority rank",
        field="priority_rank",
        max_length=None,
        help="Its rank from the Pillar 1 prioritisation: a whole number, 1 is the highest. "
        "May be left empty.",
        example="1",
        width=14,
    ),
    Column(
        header="Owner",
        field="owner_name",
        max_length=_max_length(Agent, "owner_name"),
        help="The business owner's name.",
        example="Dana Whitfield",
        width=24,
    ),
    Column(
        header="Owner email",
        field="owner_email",
        max_length=_max_length(Agent, "owner_email"),
        help="The business owner's email address.",
        example="dana@example.com",
        width=30,
    ),
    Column(
        header="Table",
        field="table_name",
        max_length=_max_length(BreakoutTable, "name"),
        help="The breakout table that works on it. A new name creates that table; "
        "empty keeps the agent's current table.",
        example="Table 1",
        width=16,
    ),
)
HEADERS = [column.header for column in COLUMNS]
SINGLE_LINE_FIELDS = {"name", "business_process", "owner_name", "owner_email", "table_name"}
# Names identify an agent, a person or a table in lists: the stricter text rule applies.
NAME_FIELDS = {"name", "owner_name", "owner_email", "table_name"}

# File-level messages about the rows (nothing is saved when any of these is shown).
NO_ROWS = "The sheet has no rows. Fill in the template and upload it again."
NO_DATA = (
    "The file has the column headings but no agents below them. Add one row per agent and "
    "upload it again."
)
TOO_MANY_ROWS = f"The file has more than {MAX_ROWS} agents. Import at most {MAX_ROWS} at a time."


@dataclass
class Problem:
    field: str | None
    message: str


@dataclass
class ImportRow:
    """One spreadsheet row: its number in the sheet, the text as read, the checked values."""

    number: int
    texts: dict[str, str]
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Filled by import_preview.
    action: str = ""
    changes: list[str] = field(default_factory=list)

    def add_problem(self, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(field_name, message))

    @property
    def cells(self) -> list[tuple[str, bool]]:
        """The row's text per column and whether that cell has a problem, in column order."""
        bad = {problem.field for problem in self.problems}
        return [(self.texts[c.field], c.field in bad) for c in COLUMNS]


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    tables_to_create: list[str]
    ignored_headers: list[str]

    @property
    def problems(self) -> list[str]:
        return [problem.message for row in self.rows for problem in row.problems]

    @property
    def problem_rows(self) -> list[int]:
        return [row.number for row in self.rows if row.problems]

    @property
    def can_confirm(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def new_count(self) -> int:
        return sum(row.action == "new" for row in self.rows)

    @property
    def update_count(self) -> int:
        return sum(row.action == "update" for row in self.rows)


@dataclass
class ImportResult:
    created: int
    updated: int
    tables_created: list[str]

    @property
    def total(self) -> int:
        return self.created + self.updated


# --- Reading and checking ---------------------------------------------------------------------


def read_upload(*, filename: str, data: bytes) -> tuple[list[ImportRow], list[str]]:
    """Read and check an uploaded file: its rows (each with its problems) and the headers of
    columns that are not imported. Raises ImportFileError when the file itself is unusable."""
    return check_rows(read_table(filename=filename, data=data))


def _header_key(value) -> str:
    return " ".join(str(value or "").split()).lower()


def _is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    # Array and data-table formulas arrive as objects, not strings.
    return type(value).__name__ in {"ArrayFormula", "DataTableFormula"}


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if _is_formula(value) and not isinstance(value, str):
        return getattr(value, "text", "=")
    return str(value).strip()


def check_rows(table: list[tuple[int, list]]) -> tuple[list[ImportRow], list[str]]:
    """Take the first non-blank row as the header, then read and check each row below it that
    has a value in an imported column. Row numbers stay those of the spreadsheet."""
    table = [(number, values) for number, values in table if any(map(_cell_text, values))]
    if not table:
        raise ImportFileError(NO_ROWS)
    positions, ignored = _map_headers(table[0][1])
    data_rows = []
    for number, values in table[1:]:
        raw = {c.field: (values[i] if i < len(values) else None) for c, i in positions.items()}
        if any(map(_cell_text, raw.values())):
            data_rows.append((number, raw))
    if not data_rows:
        raise ImportFileError(NO_DATA)
    if len(data_rows) > MAX_ROWS:
        raise ImportFileError(TOO_MANY_ROWS)
    rows = [_check_row(number, raw) for number, raw in data_rows]
    _check_duplicates(rows)
    return rows, ignored


def _map_headers(header: list) -> tuple[dict[Column, int], list[str]]:
    wanted = {_header_key(column.header): column for column in COLUMNS}
    positions: dict[Column, int] = {}
    ignored = []
    for index, value in enumerate(header):
        column = wanted.get(_header_key(value))
        if column is None:
            if _header_key(value):
                ignored.append(quote(_cell_text(value)))
        elif column in positions:
            raise ImportFileError(
                f"The column “{column.header}” appears twice in the header row; keep one."
            )
        else:
            positions[column] = index
    missing = [column.header for column in COLUMNS if column not in positions]
    if missing:
        raise ImportFileError(
            f"The header row is missing these columns: {', '.join(missing)}. The first row must "
            f"hold: {', '.join(HEADERS)} (download the template)."
        )
    return positions, ignored


def _check_row(number: int, raw: dict) -> ImportRow:
    row = ImportRow(number=number, texts={c.field: _cell_text(raw[c.field]) for c in COLUMNS})
    for column in COLUMNS:
        text = row.texts[column.field]
        if _is_formula(raw[column.field]):
            row.add_problem(
                column.field,
                f"Row {number}, {column.header}: formulas are not allowed; paste the value instead",
            )
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        rule = name_problem if column.field in NAME_FIELDS else text_problem
        if problem := rule(text):
            row.add_problem(column.field, f"Row {number}, {column.header}: {problem}")
            continue
        if column.field in SINGLE_LINE_FIELDS:
            text = " ".join(text.split())
        if column.max_length and len(text) > column.max_length:
            row.add_problem(
                column.field,
                f"Row {number}, {column.header}: {len(text)} characters is too long; the most "
                f"allowed is {column.max_length}",
            )
            continue
        row.values[column.field] = text
    if "name" in row.values and not row.values["name"]:
        row.add_problem("name", f"Row {number}: the name is empty; every agent needs a name")
    if "priority_rank" in row.values:
        row.values["priority_rank"] = _check_rank(row, raw["priority_rank"])
    if row.values.get("owner_email"):
        try:
            validate_email(row.values["owner_email"])
        except ValidationError:
            row.add_problem(
                "owner_email",
                f"Row {number}, Owner email: “{quote(row.values['owner_email'])}” is not a valid "
                "email address",
            )
    return row


def _check_rank(row: ImportRow, value) -> int | None:
    text = row.values["priority_rank"]
    if text == "":
        return None
    rank = None
    if not isinstance(value, bool):
        # The same reader as every number typed in the app (common.numbers).
        try:
            number = parse_number(text)
        except NumberError:
            number = None
            # A spreadsheet writes large numbers in exponent form ("1E21"), a person never.
            if EXPONENT.fullmatch(text.strip()):
                number = Decimal(text.strip())
        if number is None:
            pass
        elif number.adjusted() > MAX_RANK_DIGITS:
            rank = MAX_RANK + 1 if number > 0 else None
        elif number == number.to_integral_value():
            rank = int(number)
    if rank is None or rank < 1:
        row.add_problem(
            "priority_rank",
            f"Row {row.number}: priority rank must be a whole number of 1 or more, not "
            f"'{quote(text)}'",
        )
    elif rank > MAX_RANK:
        row.add_problem(
            "priority_rank",
            f"Row {row.number}: priority rank must be {MAX_RANK} or less, not '{quote(text)}'",
        )
    return rank


def _check_duplicates(rows: list[ImportRow]) -> None:
    by_name: dict[str, list[ImportRow]] = {}
    for row in rows:
        if row.values.get("name"):
            by_name.setdefault(row.values["name"].lower(), []).append(row)
    for same in by_name.values():
        if len(same) < 2:
            continue
        numbers = [str(row.number) for row in same]
        listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
        for row in same:
            row.add_problem(
                "name",
                f"Row {row.number}: the name “{quote(row.values['name'])}” appears in rows "
                f"{listed}; each agent may appear only once",
            )


# --- Preview and save ------------------------------------------------------------------------


def import_preview(
    *, workshop: Workshop, rows: list[ImportRow], ignored_headers: tuple | list = ()
) -> ImportPreview:
    """Mark each row new or update (same name in this workshop, any letter case), list the
    fields an update changes and the tables that would be created. Two queries."""
    agents = {agent.name.lower(): agent for agent in Agent.objects.filter(workshop=workshop)}
    tables = {table.name.lower(): table for table in workshop.tables.all()}
    tables_to_create: dict[str, str] = {}
    for row in rows:
        existing = agents.get(row.values.get("name", "").lower())
        row.action = "update" if existing else "new"
        if existing:
            row.changes = [
                column.header
                for column in COLUMNS
                if column.field in row.values
                and _differs(existing, column.field, row.values[column.field], tables)
            ]
        table_name = row.values.get("table_name", "")
        if table_name and table_name.lower() not in tables:
            tables_to_create.setdefault(table_name.lower(), table_name)
    return ImportPreview(rows, list(tables_to_create.values()), list(ignored_headers))


def _differs(agent: Agent, field_name: str, value, tables: dict) -> bool:
    if field_name == "table_name":
        return bool(value) and agent.table_id != getattr(tables.get(value.lower()), "pk", None)
    return getattr(agent, field_name) != value


@transaction.atomic
def agents_import(*, workshop: Workshop, rows: list[dict]) -> ImportResult:
    """Create or update one agent per row (matching names in the workshop, any letter case),
    creating breakout tables named in the Table column that do not exist yet. All rows or none;
    bumps the workshop revision. Each row holds checked values as made by `read_upload`.
    Refused (ValidationError) when a row would change the name of an agent finance signed
    off: the name is a signed value."""
    agents = {
        agent.name.lower(): agent
        for agent in Agent.objects.select_for_update().filter(workshop=workshop)
    }
    tables = {table.name.lower(): table for table in workshop.tables.all()}
    locked = locks.locked_agent_ids(workshop_id=workshop.pk)
    tables_created = []
    new_agents = []
    updated = 0
    for values in rows:
        details = {c.field: values[c.field] for c in COLUMNS if c.field != "table_name"}
        table_name = values.get("table_name", "")
        if table_name and table_name.lower() not in tables:
            tables[table_name.lower()] = table_create(workshop=workshop, name=table_name)
            tables_created.append(table_name)
        if table_name:
            details["table_id"] = tables[table_name.lower()].pk
        existing = agents.get(details["name"].lower())
        if existing is None:
            new_agents.append(Agent(workshop=workshop, **details))
            continue
        if existing.pk in locked and existing.name != details["name"]:
            raise ValidationError(
                f"“{existing.name}” is signed off by finance, so its name cannot change to "
                f"“{details['name']}”. Keep the name as it is, or ask the facilitator to reopen "
                "the agent first."
            )
        updated += 1
        if any(getattr(existing, key) != value for key, value in details.items()):
            Agent.objects.filter(pk=existing.pk).update(
                **details, version=F("version") + 1, updated_at=timezone.now()
            )
    Agent.objects.bulk_create(new_agents)
    workshop_touch(workshop_id=workshop.pk, scopes=EVERYTHING)
    return ImportResult(created=len(new_agents), updated=updated, tables_created=tables_created)
