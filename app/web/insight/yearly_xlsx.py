"""The yearly report as XLSX: the totals, then one sheet per section with every table.

Numbers stay numbers (shares as fractions, kronor as whole kronor); a suppressed count is the
text "<5", as in the insight CSV files. Written through app/services/exports.py.
"""

from __future__ import annotations

from app.services.exports import workbook_bytes, write_rows
from app.services.insight.datasets import Dataset
from app.web.insight.present import category_labeller, series_label
from app.web.insight.specs import SPECS

FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(text: str) -> str:
    """Return a text usable as a sheet's name (at most 31 characters, no [ ] : * ? / \\)."""
    return text.translate(FORBIDDEN).strip()[:31]


def dataset_rows(dataset: Dataset, area_names: dict[str, str]) -> list[list]:
    """Return a dataset as rows: its title, the headers, then one row per category."""
    spec = SPECS[dataset.key]
    name = category_labeller(spec, area_names)
    headers = [
        str(spec.category_axis) or "",
        *(series_label(dataset.key, s.key) for s in dataset.series),
    ]
    body = [
        [name(category), *(s.values[index] for s in dataset.series)]
        for index, category in enumerate(dataset.categories)
    ]
    return [[str(spec.title)], headers, *body, []]


def report_xlsx(
    *,
    totals: tuple[str, list[list]],
    sections: list[tuple[str, list[Dataset]]],
    extra: list[tuple[str, list[str], list[list]]],
    area_names: dict[str, str],
) -> bytes:
    """Return the workbook: (sheet, rows) for the totals, per section, and extra tables."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(totals[0])
    write_rows(sheet, totals[1])
    for heading, datasets in sections:
        sheet = workbook.create_sheet(sheet_title(heading))
        for dataset in datasets:
            write_rows(sheet, dataset_rows(dataset, area_names))
    for heading, headers, rows in extra:
        sheet = workbook.create_sheet(sheet_title(heading))
        write_rows(sheet, [headers, *rows])
    return workbook_bytes(workbook)
