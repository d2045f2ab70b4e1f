"""The one way the service writes CSV and XLSX files, safe against formula injection.

A spreadsheet runs a cell that starts like a formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@``,
or a tab/carriage return before one). Names, municipalities and other text come from people
outside the council, so every export goes through this module: in CSV such a text cell gets a
leading apostrophe (as OWASP advises), in XLSX every string is written as a text cell (never a
formula) and a formula-like one also gets Excel's quote prefix, so editing it keeps it text.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

#: A text cell starting with one of these would be read as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number ("-12", "+3,5") cannot run anything: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def is_formula_like(text: str) -> bool:
    """Return whether a spreadsheet would treat this text as a formula."""
    return text[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text)


def csv_cell(value) -> str:
    """Return a CSV cell's text: empty for None, formula-like text behind an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text


def csv_text(rows: Iterable[Sequence], *, delimiter: str = ";") -> str:
    """Return rows as CSV text (CRLF line ends) with every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def write_rows(sheet, rows: Iterable[Sequence]) -> None:
    """Append rows to an openpyxl worksheet, every string as a text cell (never a formula)."""
    start = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=start + offset, column=column)
            cell.value = value
            if isinstance(value, str):
                # openpyxl makes any string starting with "=" a formula: force text.
                cell.data_type = "s"
                if is_formula_like(value):
                    cell.quotePrefix = True


def xlsx_bytes(title: str, rows: Iterable[Sequence]) -> bytes:
    """Return rows as a one-sheet XLSX workbook with every string as a text cell."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    write_rows(sheet, rows)
    return workbook_bytes(workbook)


def workbook_bytes(workbook) -> bytes:
    """Return an openpyxl workbook saved as XLSX bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
