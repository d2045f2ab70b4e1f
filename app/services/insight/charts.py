"""Chart geometry: turn labelled numbers into SVG shapes (templates/insight/_chart.html draws them).

Pure Python, no Flask: a Figure is a list of rectangles, lines, marks and labels in a fixed
coordinate system (viewBox 640 wide), with a legend. Colours are the Okabe–Ito palette (safe for
the common colour-vision deficiencies); every bar and mark also carries its value as text in a
tooltip, lines differ by dash pattern as well as colour, and each picture has a data table beside
it, so nothing depends on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

#: Okabe & Ito (2008), darkest first; the yellow comes last because it is faint on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 2", "1 2", "12 4", "3 6")
INK, GRID, MUTED = "#1b1b1b", "#d0d0d0", "#4a4a4a"
WIDTH = 640
CHAR = 6.4  # average width of a 12 px character, for laying out labels
Number = float | int | str | None


@dataclass(frozen=True)
class Rect:
    kind: ClassVar[str] = "rect"
    x: float
    y: float
    w: float
    h: float
    fill: str
    tip: str


@dataclass(frozen=True)
class Segment:
    kind: ClassVar[str] = "segment"
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    width: float = 1
    dash: str = ""


@dataclass(frozen=True)
class Polyline:
    kind: ClassVar[str] = "polyline"
    points: str
    stroke: str
    dash: str = ""
    width: float = 2.5


@dataclass(frozen=True)
class Mark:
    kind: ClassVar[str] = "mark"
    cx: float
    cy: float
    fill: str
    tip: str


@dataclass(frozen=True)
class Label:
    kind: ClassVar[str] = "label"
    x: float
    y: float
    text: str
    anchor: str = "start"
    size: int = 12
    bold: bool = False
    rotate: int = 0
    fill: str = INK


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    dash: str
    is_line: bool


@dataclass
class Figure:
    """Everything the template needs to draw one picture."""

    width: int
    height: int
    shapes: list = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)


@dataclass(frozen=True)
class Plot:
    """One series to draw: its label and one value per category (or per x position)."""

    label: str
    values: Sequence[Number]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Return evenly spaced round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [round(i * step, 10) for i in range(math.ceil(top / step - 1e-9) + 1)]


def _r(value: float) -> float:
    return round(value, 1)


def _is_number(value: Number) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


def _legend(plots: Sequence[Plot], is_line: bool, top: float) -> tuple[list, list, float]:
    """Lay the legend out in rows across the top; return items, shapes and the height used."""
    items, shapes, x, y = [], [], 0.0, top
    for i, plot in enumerate(plots):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)] if is_line else ""
        width = 26 + len(plot.label) * CHAR
        if x and x + width > WIDTH:
            x, y = 0.0, y + 18
        items.append(LegendItem(plot.label, colour, dash, is_line))
        if is_line:
            shapes.append(Segment(x, y + 6, x + 20, y + 6, colour, 3, dash))
        else:
            shapes.append(Rect(x, y, 12, 12, colour, plot.label))
        shapes.append(Label(x + (24 if is_line else 16), y + 10, plot.label))
        x += width + 12
    return items, shapes, (y - top + 24) if plots else 0.0


def _tip(category: str, plot: Plot, text: str, many: bool) -> str:
    return f"{category} – {plot.label}: {text}" if many else f"{category}: {text}"


def bar_chart(
    categories: Sequence[str],
    plots: Sequence[Plot],
    *,
    fmt: Callable[[float], str],
    value_axis: str,
    category_axis: str,
    horizontal: bool = True,
    stacked: bool = False,
    empty_text: str = "",
) -> Figure:
    """Return a bar chart: grouped or stacked, horizontal (long labels) or vertical (time)."""
    items, legend_shapes, legend_h = _legend(plots, False, 0) if len(plots) > 1 else ([], [], 0.0)
    totals = [
        [v for v in (plot.values[i] for plot in plots) if _is_number(v)]
        for i in range(len(categories))
    ]
    top = max([sum(t) if stacked else max(t, default=0) for t in totals if t] or [0], default=0)
    ticks = nice_ticks(top)
    layout = _horizontal if horizontal else _vertical
    figure = layout(categories, plots, ticks, fmt, stacked, legend_h, (value_axis, category_axis))
    figure.shapes = legend_shapes + figure.shapes
    figure.legend = items
    if not any(value for values in totals for value in values) and empty_text:
        figure.shapes.append(Label(WIDTH / 2, figure.height / 2, empty_text, "middle", 14, True))
    return figure


def _horizontal(categories, plots, ticks, fmt, stacked, top, axes) -> Figure:
    value_axis, _ = axes
    longest = max((len(c) for c in categories), default=4)
    left = min(max(longest * CHAR + 12, 60), 230)
    right = 70
    bar_h = 18 if stacked or len(plots) == 1 else 13
    band = bar_h + 10 if stacked else bar_h * len(plots) + 10
    plot_top = top + 8
    plot_w = WIDTH - left - right
    scale = plot_w / ticks[-1]
    height = int(plot_top + band * max(len(categories), 1) + 44)
    shapes: list = []
    bottom = plot_top + band * len(categories)
    for tick in ticks:
        x = _r(left + tick * scale)
        shapes.append(Segment(x, plot_top, x, bottom))
        shapes.append(Label(x, bottom + 14, fmt(tick), "middle", 11, fill=MUTED))
    shapes.append(Label(left + plot_w / 2, bottom + 34, value_axis, "middle", 12, True))
    chars = int((left - 12) / CHAR)
    for i, category in enumerate(categories):
        y0 = plot_top + i * band + 5
        shapes.append(Label(left - 6, y0 + (band - 10) / 2 + 4, _fit(category, chars), "end"))
        x = left
        for j, plot in enumerate(plots):
            value, colour = plot.values[i], PALETTE[j % len(PALETTE)]
            y = y0 if stacked else y0 + j * bar_h
            if not _is_number(value):
                if value:  # a suppressed small count: say so where the bar would be
                    shapes.append(Label(x + 4, y + bar_h - 4, str(value), size=11, fill=MUTED))
                continue
            w = value * scale
            tip = _tip(category, plot, fmt(value), len(plots) > 1)
            shapes.append(Rect(_r(x), _r(y), _r(max(w, 0.5)), bar_h - 2, colour, tip))
            if not stacked:
                shapes.append(Label(_r(x + w + 4), y + bar_h - 5, fmt(value), size=11))
            else:
                x += w
        if stacked and x > left:
            total = sum(v for v in (p.values[i] for p in plots) if _is_number(v))
            shapes.append(Label(_r(x + 4), y0 + bar_h - 5, fmt(total), size=11))
    shapes.append(Segment(left, plot_top, left, bottom, INK))
    return Figure(WIDTH, height, shapes)


def _vertical(categories, plots, ticks, fmt, stacked, top, axes) -> Figure:
    value_axis, category_axis = axes
    left, right = 64, 12
    rotate = len(categories) > 8 or max((len(c) for c in categories), default=0) > 9
    plot_top = top + 12
    plot_h = 200
    bottom = plot_top + plot_h
    plot_w = WIDTH - left - right
    band = plot_w / max(len(categories), 1)
    scale = plot_h / ticks[-1]
    shapes: list = []
    for tick in ticks:
        y = _r(bottom - tick * scale)
        shapes.append(Segment(left, y, WIDTH - right, y))
        shapes.append(Label(left - 6, y + 4, fmt(tick), "end", 11, fill=MUTED))
    shapes.append(Label(14, plot_top + plot_h / 2, value_axis, "middle", 12, True, rotate=-90))
    groups = 1 if stacked else max(len(plots), 1)
    bar_w = max(min((band - 6) / groups, 28), 2)
    show_values = len(categories) * groups <= 24
    for i, category in enumerate(categories):
        x0 = left + i * band + (band - bar_w * groups) / 2
        y = bottom
        for j, plot in enumerate(plots):
            value, colour = plot.values[i], PALETTE[j % len(PALETTE)]
            x = x0 if stacked else x0 + j * bar_w
            if not _is_number(value):
                if value:
                    shapes.append(Label(_r(x + bar_w / 2), bottom - 4, str(value), "middle", 10))
                continue
            h = value * scale
            top_y = (y if stacked else bottom) - h
            tip = _tip(category, plot, fmt(value), len(plots) > 1)
            shapes.append(Rect(_r(x), _r(top_y), _r(bar_w - 1), _r(max(h, 0.5)), colour, tip))
            if stacked:
                y = top_y
            elif show_values and value:
                shapes.append(Label(_r(x + bar_w / 2), _r(top_y - 3), fmt(value), "middle", 10))
        cx = _r(left + (i + 0.5) * band)
        if rotate:
            shapes.append(Label(cx, bottom + 12, _fit(category, 14), "end", 11, rotate=-45))
        else:
            shapes.append(Label(cx, bottom + 16, category, "middle", 11))
    shapes.append(Segment(left, bottom, WIDTH - right, bottom, INK))
    label_y = bottom + (66 if rotate else 38)
    shapes.append(Label(left + plot_w / 2, label_y, category_axis, "middle", 12, True))
    return Figure(WIDTH, int(label_y + 10), shapes)


def line_chart(
    x_ticks: Sequence[tuple[float, str]],
    plots: Sequence[Plot],
    xs: Sequence[float],
    *,
    fmt: Callable[[float], str],
    value_axis: str,
    category_axis: str,
    y_max: float | None = None,
    tip_labels: Sequence[str] | None = None,
    diagonal: str = "",
    empty_text: str = "",
) -> Figure:
    """Return a line chart of ``plots`` over x positions ``xs`` (0–1); gaps where values are missing.

    ``diagonal`` names a dashed reference line from (0, 0) to (1, y_max), e.g. "equality" on a
    Lorenz curve.
    """
    items, shapes, legend_h = _legend(plots, True, 0)
    left, right, plot_top, plot_h = 64, 16, legend_h + 12, 200
    bottom, plot_w = plot_top + plot_h, WIDTH - left - right
    found = [v for plot in plots for v in plot.values if _is_number(v)]
    ticks = nice_ticks(y_max if y_max is not None else max(found, default=0))
    scale = plot_h / ticks[-1]
    for tick in ticks:
        y = _r(bottom - tick * scale)
        shapes += [
            Segment(left, y, WIDTH - right, y),
            Label(left - 6, y + 4, fmt(tick), "end", 11, fill=MUTED),
        ]
    rotate = len(x_ticks) > 6
    for x, text in x_ticks:
        px = _r(left + x * plot_w)
        shapes.append(Segment(px, bottom, px, bottom + 4, INK))
        if rotate:
            shapes.append(Label(px, bottom + 12, _fit(text, 14), "end", 11, rotate=-45))
        else:
            shapes.append(Label(px, bottom + 16, text, "middle", 11))
    if diagonal:
        top_y = bottom - (y_max or ticks[-1]) * scale
        shapes.append(Segment(left, bottom, left + plot_w, _r(top_y), MUTED, 1.5, "4 4"))
        shapes.append(Label(left + plot_w - 4, _r(top_y + 16), diagonal, "end", 11, fill=MUTED))
    tips = tip_labels or [f"{x:g}" for x in xs]
    for j, plot in enumerate(plots):
        colour, dash = PALETTE[j % len(PALETTE)], DASHES[j % len(DASHES)]
        run: list[str] = []
        for i, value in enumerate(plot.values):
            if not _is_number(value):
                shapes += _flush(run, colour, dash)
                run = []
                continue
            px, py = _r(left + xs[i] * plot_w), _r(bottom - value * scale)
            run.append(f"{px},{py}")
            shapes.append(Mark(px, py, colour, f"{tips[i]} – {plot.label}: {fmt(value)}"))
        shapes += _flush(run, colour, dash)
    shapes.append(Segment(left, bottom, WIDTH - right, bottom, INK))
    shapes.append(Segment(left, plot_top, left, bottom, INK))
    shapes.append(Label(14, plot_top + plot_h / 2, value_axis, "middle", 12, True, rotate=-90))
    label_y = bottom + (66 if rotate else 38)
    shapes.append(Label(left + plot_w / 2, label_y, category_axis, "middle", 12, True))
    if not found and empty_text:
        shapes.append(Label(WIDTH / 2, plot_top + plot_h / 2, empty_text, "middle", 14, True))
    # Lines first, so the marks with their tooltips sit on top.
    shapes.sort(key=lambda shape: isinstance(shape, Mark))
    return Figure(WIDTH, int(label_y + 10), shapes, items)


def _flush(run: list[str], colour: str, dash: str) -> list:
    return [Polyline(" ".join(run), colour, dash)] if len(run) > 1 else []


def spaced(count: int) -> list[float]:
    """Return ``count`` x positions spread evenly over 0–1 (one value sits in the middle)."""
    if count <= 1:
        return [0.5] * count
    return [i / (count - 1) for i in range(count)]
