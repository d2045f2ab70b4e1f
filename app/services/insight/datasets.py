"""The data behind one picture: categories × named series, with the facts said about it.

A Dataset is what the insight service returns and what both the picture (app/services/insight/charts.py)
and the CSV download read, so a chart, its table and its CSV can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.services.exports import csv_text
from app.services.insight.metrics import SUPPRESSED

#: A cell: a number, None (no data), or app.services.insight.metrics.SUPPRESSED for a small count.
Cell = float | int | str | None


@dataclass(frozen=True)
class Series:
    """One column of a dataset: a key (e.g. "pool_share") and one value per category."""

    key: str
    values: tuple[Cell, ...]
    #: "people", "share", "days", "kr", "hours", "score", "count", "diversity".
    unit: str


@dataclass(frozen=True)
class Dataset:
    """A picture's numbers: categories (raw keys such as "2026-03" or "woman") and series."""

    key: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    #: Keys of the series the picture draws; the table and CSV show every series.
    plotted: tuple[str, ...]
    #: Named figures said in words beside the picture (e.g. {"gini_assignments": 0.42}).
    facts: dict[str, Cell] = field(default_factory=dict)

    def column(self, key: str) -> Series:
        """Return the series named ``key``."""
        return next(series for series in self.series if series.key == key)

    @property
    def is_empty(self) -> bool:
        """True when no plotted series has anything to show (a suppressed count is something)."""
        return not any(
            value == SUPPRESSED
            or (isinstance(value, int | float) and value and not isinstance(value, bool))
            for key in self.plotted
            for value in self.column(key).values
        )


def to_csv(
    dataset: Dataset,
    *,
    category_header: str,
    category_label: Callable[[str], str],
    series_label: Callable[[str], str],
    number: Callable[[Cell, str], str] | None = None,
) -> str:
    """Return the dataset as CSV (semicolon-separated, as Swedish spreadsheets expect).

    The first column is the category's readable label, the second its raw key; numbers are
    written plainly (point as decimal mark) unless ``number`` formats them.
    """
    number = number or _plain
    header = [category_header, "key", *(series_label(s.key) for s in dataset.series)]
    body = (
        [
            category_label(category),
            category,
            *(number(s.values[index], s.unit) for s in dataset.series),
        ]
        for index, category in enumerate(dataset.categories)
    )
    return csv_text([header, *body])


def _plain(value: Cell, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if unit == "share" else f"{value:.2f}"
    return str(value)


def columns(*pairs: tuple[str, Sequence[Cell], str]) -> tuple[Series, ...]:
    """Return series from (key, values, unit) triples."""
    return tuple(Series(key, tuple(values), unit) for key, values, unit in pairs)
