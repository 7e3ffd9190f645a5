"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of raw cell values.

Uploads are hostile until proven otherwise: the size, the container (OLE, zip), the zip's
unpacked size and compression ratio, macros and the XML are checked before any cell is read.
No Django here; `agents.imports` checks the cells.
"""

import csv
import io
import warnings
import zipfile

MAX_FILE_BYTES = 5 * 1024 * 1024
# Rows read from a sheet, blank ones included; a sheet formatted to the bottom stops here.
MAX_SCANNED_ROWS = 10_000
MAX_COLUMNS = 40
# A zip that unpacks to more than this, or packs tighter than a real workbook, is refused unread.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 500

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

TOO_LARGE = (
    "The file is larger than 5 MB. A list of agents is far smaller: remove pictures and other "
    "sheets, then upload it again."
)
EMPTY_FILE = "The file is empty. Fill in the template and upload it again."
NOT_XLSX = (
    "This file is not an Excel workbook (.xlsx). Upload the template saved as .xlsx, "
    "or a .csv file."
)
NOT_CSV = "This file is not a CSV text file. Upload the template saved as .xlsx, or a .csv file."
OLD_XLS = (
    "This is an old Excel 97-2003 workbook (.xls). In Excel choose Save As > Excel Workbook "
    "(.xlsx), or CSV UTF-8, and upload that file."
)
MACROS = (
    "This workbook contains macros (.xlsm), which are not accepted. In Excel choose Save As > "
    "Excel Workbook (.xlsx) and upload that file."
)
ENCRYPTED = "This file is password-protected; save it without a password and upload again"
XML_FORBIDDEN = (
    "This workbook contains XML entity declarations, which Excel never writes and which are "
    "not accepted. Open it in Excel, save a fresh copy as .xlsx and upload that."
)
ZIP_BOMB = (
    "This workbook would unpack to far more data than a list of agents needs (over 50 MB, or "
    "packed unusually tightly). It may be damaged: save a fresh copy as .xlsx and upload that."
)
DAMAGED = (
    "This workbook could not be read; it may be damaged. Open it in Excel, save it again as "
    ".xlsx and upload that."
)
BAD_ENCODING = (
    "This CSV file is not UTF-8 text. In Excel choose Save As > CSV UTF-8 (Comma delimited) "
    "and upload that file."
)
CSV_UNREADABLE = (
    "This CSV file could not be read: a cell is far too long, or a quote is never closed. "
    "Save it again from Excel as CSV UTF-8 and upload that file."
)
NO_SHEET = "The workbook has no worksheet. Fill in the template and upload it again."


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in the facilitator's words."""


def quote(value: str, limit: int = 40) -> str:
    """A value short enough to quote in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def read_table(*, filename: str, data: bytes) -> list[tuple[int, list]]:
    """The rows of an uploaded .xlsx or .csv file as (row number in the sheet, cell values).

    Raises ImportFileError when the file is too large, empty, of another kind, encrypted,
    macro-enabled, a zip or XML bomb, damaged, or a CSV that is not UTF-8.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(TOO_LARGE)
    if extension in {"xlsm", "xltm", "xlam"}:
        raise ImportFileError(MACROS)
    if extension in {"xls", "xlt"}:
        raise ImportFileError(OLD_XLS)
    if extension not in {"xlsx", "csv"}:
        raise ImportFileError(
            f"Upload an Excel workbook (.xlsx) or a CSV file (.csv); “{quote(filename)}” is "
            "neither."
        )
    if not data:
        raise ImportFileError(EMPTY_FILE)
    if data.startswith(OLE_MAGIC):
        # Excel keeps an encrypted .xlsx inside an OLE container; any other OLE file is a .xls.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ImportFileError(ENCRYPTED)
        raise ImportFileError(OLD_XLS)
    return _xlsx_rows(data) if extension == "xlsx" else _csv_rows(data)


def _xlsx_rows(data: bytes) -> list[tuple[int, list]]:
    if not data.startswith(ZIP_MAGIC):
        raise ImportFileError(NOT_XLSX)
    _check_zip(data)
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    workbook = None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it skips (extensions, styles); they do not matter here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            sheet = _agents_sheet(workbook)
            cells = sheet.iter_rows(max_row=MAX_SCANNED_ROWS, max_col=MAX_COLUMNS, values_only=True)
            return [(number, list(values)) for number, values in enumerate(cells, start=1)]
    except ImportFileError:
        raise
    except Exception as error:  # any failure inside an untrusted workbook means "damaged"
        # openpyxl wraps the refusal of entity declarations in its own ValueError.
        if _caused_by(error, DefusedXmlException):
            raise ImportFileError(XML_FORBIDDEN) from error
        raise ImportFileError(DAMAGED) from error
    finally:
        if workbook is not None:
            workbook.close()


def _caused_by(error: BaseException | None, kind: type) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _check_zip(data: bytes) -> None:
    """Refuse a zip bomb, a password-protected zip or a macro workbook before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise ImportFileError(ZIP_BOMB)
            unpacked = 0
            for entry in entries:
                if entry.flag_bits & 0x1:
                    raise ImportFileError(ENCRYPTED)
                unpacked += entry.file_size
                ratio = entry.file_size / max(entry.compress_size, 1)
                if entry.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO:
                    raise ImportFileError(ZIP_BOMB)
            if unpacked > MAX_UNPACKED_BYTES:
                raise ImportFileError(ZIP_BOMB)
            names = {entry.filename.lower() for entry in entries}
            if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
                raise ImportFileError(MACROS)
            if "[content_types].xml" not in names:
                raise ImportFileError(NOT_XLSX)
            content_types = archive.read("[Content_Types].xml").lower()
    except ImportFileError:
        raise
    except Exception as error:  # BadZipFile, truncated data, unknown compression
        raise ImportFileError(NOT_XLSX) from error
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise ImportFileError(MACROS)


def _agents_sheet(workbook):
    """The sheet called "Agents" (the template's), else the first sheet."""
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == "agents":
            return sheet
    if not workbook.worksheets:
        raise ImportFileError(NO_SHEET)
    return workbook.worksheets[0]


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    if data.startswith(ZIP_MAGIC) or b"\x00" in data:
        raise ImportFileError(NOT_CSV)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(BAD_ENCODING) from error
    # Excel in many European locales saves CSV with semicolons.
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):
            if number > MAX_SCANNED_ROWS:
                break
            rows.append((number, values[:MAX_COLUMNS]))
    except csv.Error as error:
        raise ImportFileError(CSV_UNREADABLE) from error
    return rows
