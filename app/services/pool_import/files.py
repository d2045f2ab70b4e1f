"""The pool register file: its documented columns, reading CSV/XLSX, and the template."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from app.services.errors import InvalidInput
from app.services.exports import csv_text, workbook_bytes, write_rows
from app.services.messages import N_


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    example: str


#: The column layout (docs/import.md describes each column; keep the two in step).
COLUMNS = [
    Column("first_name", True, "Anna"),
    Column("last_name", True, "Andersson"),
    Column("email", True, "anna.andersson@example.org"),
    Column("birth_year", True, "1968"),
    Column("gender", True, "woman"),
    Column("pool", True, "levande_bibliotek"),
    Column("phone", False, "070-123 45 67"),
    Column("municipality", False, "Jönköping"),
    Column("languages", False, "sv, en"),
    Column("experiences", False, "cancer/breast:own; sepsis:relative"),
    Column("assignment_types", False, "lecture, review"),
    Column("onsite", False, "yes"),
    Column("digital", False, "yes"),
    Column("max_per_month", False, "2"),
    Column("mandate", False, "self"),
    Column("mandate_organisation", False, ""),
    Column("employer", False, ""),
    Column("training_completed_on", False, "2025-09-15"),
    Column("signed_agreement", False, "yes"),
    Column("consent_given_on", False, "2025-09-15"),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
MAX_ROWS = 5000
#: A register of MAX_ROWS rows is a megabyte or two; a bigger file is refused unread.
MAX_FILE_BYTES = 10 * 1024 * 1024
#: No register cell is near this long (the csv module's own field limit, 128 KB).
MAX_CELL_CHARS = 128 * 1024

SAVE_AS_UTF8 = N_(
    "The file could not be read as text. In Excel, choose Save as → CSV UTF-8 "
    "(comma delimited) and upload that file."
)
TOO_BIG = N_("The file is larger than 10 MB; a register of 5000 rows is much smaller.")
TOO_MANY_ROWS = N_("The file has too many rows.")
CELL_TOO_LONG = N_("A cell in the file is longer than 128 KB; no register value is that long.")


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, {"file": message})


@dataclass(frozen=True)
class SheetRow:
    """One data row: its line number in the file (header = 1) and its cells by column."""

    line: int
    cells: dict[str, str]


def read_register(filename: str, content: bytes) -> tuple[list[str], list[SheetRow]]:
    """Return the header and the non-empty rows of a .csv or .xlsx register file.

    A file that cannot be read (too big, not UTF-8 or cp1252, UTF-16, a broken workbook, a
    huge cell, too many rows) is refused with InvalidInput before any row is looked at.
    """
    name = filename.lower()
    if not name.endswith((".csv", ".xlsx")):
        raise _refuse(N_("Upload a .csv or .xlsx file."))
    if len(content) > MAX_FILE_BYTES:
        raise _refuse(TOO_BIG)
    table = _xlsx_rows(content) if name.endswith(".xlsx") else _csv_rows(content)
    if not table:
        raise _refuse(N_("The file is empty."))
    if any(len(cell) > MAX_CELL_CHARS for values in table for cell in values):
        raise _refuse(CELL_TOO_LONG)
    header = [cell.strip().lower() for cell in table[0]]
    rows = []
    for line, values in enumerate(table[1:], start=2):
        cells = {
            header[i]: (values[i] if i < len(values) else "").strip() for i in range(len(header))
        }
        if any(cells.values()):
            rows.append(SheetRow(line, cells))
    if len(rows) > MAX_ROWS:
        raise _refuse(TOO_MANY_ROWS)
    return header, rows


def _within_limit(rows) -> list[list[str]]:
    """Return the rows read so far, refusing once more than MAX_ROWS non-empty ones are seen."""
    table, filled = [], 0
    for values in rows:
        table.append(values)
        filled += any(values)
        if filled > MAX_ROWS + 1:  # the header and one row past the limit: stop reading
            raise _refuse(TOO_MANY_ROWS)
    return table


def _decode(content: bytes) -> str:
    start = content[:4096]
    # UTF-16 ("Unicode text" in Excel) has a byte-order mark, or a NUL in every other byte.
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or start.count(b"\x00") > len(start) // 4:
        raise _refuse(SAVE_AS_UTF8)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")  # Excel's "CSV" export on Swedish Windows
    except UnicodeDecodeError as error:
        raise _refuse(SAVE_AS_UTF8) from error


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return _within_limit(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        too_long = "field larger than field limit" in str(error)
        raise _refuse(CELL_TOO_LONG if too_long else SAVE_AS_UTF8) from error


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise _refuse(N_("The file could not be read as XLSX.")) from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        return _within_limit([_cell_text(value) for value in row] for row in rows)
    except InvalidInput:
        raise
    except Exception as error:  # a broken sheet inside a readable archive
        raise _refuse(N_("The file could not be read as XLSX.")) from error
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def template_csv() -> bytes:
    """Return the CSV template: the header and one example row (UTF-8 with BOM, for Excel)."""
    rows = [COLUMN_NAMES, [column.example for column in COLUMNS]]
    return csv_text(rows, delimiter=",").encode("utf-8-sig")


def template_xlsx() -> bytes:
    """Return the XLSX template: the header (required columns in bold) and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "pool"
    write_rows(sheet, [COLUMN_NAMES, [column.example for column in COLUMNS]])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=column.required)
        sheet.cell(row=2, column=index).number_format = "@"
    return workbook_bytes(workbook)
