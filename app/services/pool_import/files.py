"""The pool register file: its documented columns, reading CSV/XLSX, and the template."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from app.services.errors import InvalidInput
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


@dataclass(frozen=True)
class SheetRow:
    """One data row: its line number in the file (header = 1) and its cells by column."""

    line: int
    cells: dict[str, str]


def read_register(filename: str, content: bytes) -> tuple[list[str], list[SheetRow]]:
    """Return the header and the non-empty rows of a .csv or .xlsx register file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif name.endswith(".csv"):
        table = _csv_rows(content)
    else:
        raise InvalidInput(
            N_("Upload a .csv or .xlsx file."), {"file": N_("Upload a .csv or .xlsx file.")}
        )
    if not table:
        raise InvalidInput(N_("The file is empty."), {"file": N_("The file is empty.")})
    header = [cell.strip().lower() for cell in table[0]]
    rows = []
    for line, values in enumerate(table[1:], start=2):
        cells = {
            header[i]: (values[i] if i < len(values) else "").strip() for i in range(len(header))
        }
        if any(cells.values()):
            rows.append(SheetRow(line, cells))
    if len(rows) > MAX_ROWS:
        raise InvalidInput(
            N_("The file has too many rows."), {"file": N_("The file has too many rows.")}
        )
    return header, rows


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # Excel's "CSV" export on Swedish Windows
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(
            N_("The file could not be read as XLSX."),
            {"file": N_("The file could not be read as XLSX.")},
        ) from error
    sheet = workbook.worksheets[0]
    table = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    writer.writerow([column.example for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """Return the XLSX template: the header (required columns in bold) and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "pool"
    sheet.append(COLUMN_NAMES)
    sheet.append([column.example for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=column.required)
        sheet.cell(row=2, column=index).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
