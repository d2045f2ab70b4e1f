"""Chart geometry: bars scale with their values, lines break where values are missing."""

from app.services.insight import charts
from app.services.insight.charts import (
    Label,
    Mark,
    Polyline,
    Rect,
    bar_chart,
    line_chart,
    nice_ticks,
)


def fmt(value: float) -> str:
    return f"{value:g}"


def test_nice_ticks_are_round_and_reach_the_top():
    assert nice_ticks(9) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0.31) == [0, 0.1, 0.2, 0.3, 0.4]
    assert nice_ticks(0) == [0.0, 1.0]


def test_horizontal_bars_scale_with_their_values_and_carry_them_as_tooltips():
    figure = bar_chart(
        ["Under 35", "35 and over"],
        [charts.Plot("Pool", [2, 8])],
        fmt=fmt,
        value_axis="Members",
        category_axis="Age",
    )

    bars = [shape for shape in figure.shapes if isinstance(shape, Rect)]
    assert [bar.tip for bar in bars] == ["Under 35: 2", "35 and over: 8"]
    assert bars[1].w == 4 * bars[0].w
    assert bars[0].fill == charts.PALETTE[0]


def test_a_suppressed_value_draws_no_bar_but_says_so():
    figure = bar_chart(
        ["A", "B"], [charts.Plot("Members", ["<5", 7])], fmt=fmt, value_axis="", category_axis=""
    )

    assert len([s for s in figure.shapes if isinstance(s, Rect)]) == 1
    assert "<5" in [s.text for s in figure.shapes if isinstance(s, Label)]


def test_stacked_vertical_bars_sit_on_each_other_and_have_a_legend():
    figure = bar_chart(
        ["2026-01"],
        [charts.Plot("Fees", [300]), charts.Plot("Travel", [100])],
        fmt=fmt,
        value_axis="kr",
        category_axis="Month",
        horizontal=False,
        stacked=True,
    )

    fees, travel = [s for s in figure.shapes if isinstance(s, Rect) and "–" in s.tip]
    assert fees.y == travel.y + travel.h
    assert fees.h == 3 * travel.h
    assert [item.label for item in figure.legend] == ["Fees", "Travel"]


def test_line_chart_breaks_at_missing_values_and_marks_every_point():
    figure = line_chart(
        [(0, "Jan"), (1, "Apr")],
        [charts.Plot("Score", [4.0, None, 3.5, 4.5])],
        [0, 1 / 3, 2 / 3, 1],
        fmt=fmt,
        value_axis="Score",
        category_axis="Month",
        y_max=5,
    )

    lines = [s for s in figure.shapes if isinstance(s, Polyline)]
    marks = [s for s in figure.shapes if isinstance(s, Mark)]
    assert len(lines) == 1 and len(lines[0].points.split()) == 2
    assert len(marks) == 3


def test_an_empty_chart_says_there_is_no_data():
    figure = bar_chart(
        ["A"],
        [charts.Plot("X", [0])],
        fmt=fmt,
        value_axis="",
        category_axis="",
        empty_text="No data",
    )

    assert "No data" in [s.text for s in figure.shapes if isinstance(s, Label)]
