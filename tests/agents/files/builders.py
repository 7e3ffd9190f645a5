"""Spreadsheets for the Pillar 1 import tests, good and hostile, built in memory.

encrypted.xlsx is a real Excel-encrypted workbook (ECMA-376 agile encryption, password
"secret"), made once with msoffcrypto-tool because encrypting needs that library.
"""

import csv
import io
import pathlib
import zipfile

from agents.imports import HEADERS

FILES = pathlib.Path(__file__).parent

_AGENTS = """
Invoice exception triage|Routes exceptions.|Payables|1|Dana Whitfield|dana@example.com|Table 1
Supplier onboarding|Checks new supplier documents.|Procurement|2|Lee Park|lee@example.com|Table 1
Claims intake|Reads claim forms and opens cases.|Claims|3|Ana Souza|ana@example.com|Table 2
Churn early warning|Flags accounts likely to leave.|Retention|4|Omar Haddad|omar@example.com|Table 2
Contract clause review|Compares clauses with the playbook.|Legal|5|Mia Chen|mia@example.com|
"""
# Five agents in the template's column order, ranks as numbers.
AGENTS = [
    [int(cell) if i == 3 else cell for i, cell in enumerate(line.split("|"))]
    for line in _AGENTS.strip().splitlines()
]


def xlsx_bytes(rows, *, headers=HEADERS, title="Agents", data=None) -> bytes:
    """A workbook with `headers` then `rows` on one sheet (or the downloaded template `data`
    with the rows added below its header)."""
    from openpyxl import Workbook, load_workbook

    if data is not None:
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook["Agents"]
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = title
        if headers:
            sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, headers=HEADERS, delimiter=",", bom=False, encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding)


def rewrite_zip(data: bytes, *, replace=None, add=None, level=zipfile.ZIP_DEFLATED) -> bytes:
    """The same zip with some members replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", level) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def billion_laughs_xlsx() -> bytes:
    """A workbook whose sheet XML declares nested entities that expand to gigabytes."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE worksheet [{''.join(entities)}]>\n"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return rewrite_zip(
        xlsx_bytes([AGENTS[0]]), replace={"xl/worksheets/sheet1.xml": sheet.encode()}
    )


def zip_bomb_xlsx(*, megabytes: int = 60) -> bytes:
    """A workbook carrying a member of zeros that unpacks to `megabytes` MB."""
    return rewrite_zip(
        xlsx_bytes([AGENTS[0]]), add={"xl/media/padding.bin": bytes(megabytes * 1024 * 1024)}
    )


def macro_xlsx(*, with_vba_project: bool = True, with_content_type: bool = True) -> bytes:
    """A workbook marked as macro-enabled and/or carrying a VBA project."""
    data = xlsx_bytes([AGENTS[0]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content_types = archive.read("[Content_Types].xml")
    replace, add = {}, {}
    if with_content_type:
        replace["[Content_Types].xml"] = content_types.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    if with_vba_project:
        add["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return rewrite_zip(data, replace=replace, add=add)


def encrypted_xlsx() -> bytes:
    return (FILES / "encrypted.xlsx").read_bytes()


def old_xls() -> bytes:
    """The start of an Excel 97-2003 file: an OLE compound document without encryption."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)


def png() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
