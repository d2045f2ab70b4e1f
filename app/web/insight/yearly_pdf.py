"""The yearly report as a PDF (fpdf2, DejaVu fonts for å, ä, ö): totals, pictures and tables.

The pictures are the insight charts' own shapes (app/services/insight/charts.py) drawn with
PDF lines, so the PDF shows what the page shows; every picture has its table and sentences.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _

from app.i18n import current_language
from app.services.insight import charts
from app.web.insight.present import ChartView

#: Debian's fonts-dejavu-core (installed by .ci/run); DejaVu covers every Swedish letter.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
PAGE_WIDTH = 180.0  # mm between the margins of an A4 page
SCALE = PAGE_WIDTH / charts.WIDTH  # mm per chart pixel
PT_PER_MM = 72 / 25.4


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class ReportPDF:
    """A thin writer over fpdf2 with the report's few kinds of block."""

    def __init__(self, title: str):
        from fpdf import FPDF

        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_margins(15, 15, 15)
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.pdf.set_title(title)
        self.pdf.set_lang(current_language())
        self.pdf.set_creator("Levande bibliotek")
        self.pdf.add_page()

    def heading(self, text: str, size: int = 14) -> None:
        """Write a bold heading, starting a page when little room is left."""
        if self.pdf.will_page_break(30):
            self.pdf.add_page()
        self.pdf.set_font(FONT, "B", size)
        self.pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def paragraph(self, text: str, size: int = 9) -> None:
        """Write a paragraph of running text."""
        self.pdf.set_font(FONT, "", size)
        self.pdf.multi_cell(0, size * 0.45, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.pdf.ln(1)

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        """Write a table: first column left, the numbers right."""
        if not rows:
            return
        from fpdf.fonts import FontFace

        size = 7 if len(headers) > 6 else 8
        self.pdf.set_font(FONT, "", size)
        self.pdf.set_fill_color(255, 255, 255)
        self.pdf.set_draw_color(*_rgb(charts.MUTED))
        self.pdf.set_line_width(0.2)
        self.pdf.set_dash_pattern()
        align = ("LEFT", *("RIGHT",) * (len(headers) - 1))
        widths = (3, *(2,) * (len(headers) - 1))
        with self.pdf.table(
            col_widths=widths,
            text_align=align,
            line_height=size * 0.5,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        ) as table:
            for values in [headers, *rows]:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.pdf.ln(3)

    def figure(self, figure: charts.Figure) -> None:
        """Draw a chart's shapes at the page's width."""
        height = figure.height * SCALE
        if self.pdf.will_page_break(height):
            self.pdf.add_page()
        left, top = self.pdf.l_margin, self.pdf.get_y()
        for shape in figure.shapes:
            self._shape(shape, left, top)
        self.pdf.set_dash_pattern()
        self.pdf.set_y(top + height + 2)

    def _shape(self, s, left: float, top: float) -> None:
        pdf, x, y = self.pdf, lambda v: left + v * SCALE, lambda v: top + v * SCALE
        if s.kind == "rect":
            pdf.set_fill_color(*_rgb(s.fill))
            pdf.set_draw_color(*_rgb(charts.INK))
            pdf.set_line_width(0.15)
            pdf.rect(x(s.x), y(s.y), s.w * SCALE, s.h * SCALE, style="FD")
        elif s.kind in ("segment", "polyline"):
            pdf.set_draw_color(*_rgb(s.stroke))
            pdf.set_line_width(s.width * SCALE)
            dash = [float(n) * SCALE for n in s.dash.split()] if s.dash else [0, 0]
            pdf.set_dash_pattern(dash=dash[0], gap=dash[1] if len(dash) > 1 else dash[0])
            if s.kind == "segment":
                pdf.line(x(s.x1), y(s.y1), x(s.x2), y(s.y2))
            else:
                points = [tuple(map(float, p.split(","))) for p in s.points.split()]
                pdf.polyline([(x(px), y(py)) for px, py in points])
            pdf.set_dash_pattern()
        elif s.kind == "mark":
            radius = 4 * SCALE
            pdf.set_fill_color(*_rgb(s.fill))
            pdf.ellipse(x(s.cx) - radius, y(s.cy) - radius, 2 * radius, 2 * radius, style="F")
        elif s.kind == "label":
            self._label(s, x(s.x), y(s.y))

    def _label(self, s, x: float, y: float) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if s.bold else "", s.size * SCALE * PT_PER_MM)
        pdf.set_text_color(*_rgb(s.fill))
        width = pdf.get_string_width(s.text)
        shift = {"middle": width / 2, "end": width}.get(s.anchor, 0)
        if s.rotate:
            with pdf.rotation(-s.rotate, x, y):
                pdf.text(x - shift, y, s.text)
        else:
            pdf.text(x - shift, y, s.text)
        pdf.set_text_color(0, 0, 0)

    def chart(self, view: ChartView) -> None:
        """Write one insight picture: title, what it shows, sentences, picture and table."""
        self.heading(str(view.spec.title), 11)
        if view.spec.what:
            self.paragraph(str(view.spec.what), 8)
        for fact in view.facts:
            self.paragraph(fact)
        if view.figure is not None and not view.is_empty:
            self.figure(view.figure)
        if view.is_empty:
            self.paragraph(_("No data for this year."))
        self.table(view.headers, view.rows)

    def output(self) -> bytes:
        """Return the finished PDF."""
        return bytes(self.pdf.output())


def report_pdf(
    *,
    title: str,
    intro: list[str],
    totals: list[tuple[str, str]],
    sections: list[tuple[str, str, list[ChartView]]],
    extra: list[tuple[str, str, list[str], list[list[str]]]],
) -> bytes:
    """Return the yearly report as PDF bytes.

    ``extra`` are (heading, text, headers, rows) blocks after the pictures: payers, targets.
    """
    doc = ReportPDF(title)
    doc.heading(title, 18)
    for text in intro:
        doc.paragraph(text)
    doc.heading(_("The year in figures"))
    doc.table([_("Measure"), _("Value")], [[name, value] for name, value in totals])
    for heading, text, views in sections:
        doc.heading(heading)
        doc.paragraph(text)
        for view in views:
            doc.chart(view)
    for heading, text, headers, rows in extra:
        doc.heading(heading)
        if text:
            doc.paragraph(text)
        doc.table(headers, rows)
    return doc.output()
