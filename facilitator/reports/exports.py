"""A report as a PDF (its charts and plain text, the bundled Atkinson Hyperlegible font, the
organisation's logo when one is configured) and as an XLSX workbook (one sheet per table).
Both are drawn from the same suppressed :class:`~facilitator.reports.tables.Report` as the
page."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

from flask_babel import gettext

from facilitator.checkins import FONTS, pdf_sheet
from facilitator.i18n import HELSINKI

from .tables import CATEGORY_WORDS, FREQUENCY_WORDS, Report, shown_count

__all__ = ["FONTS", "observation_rows", "pdf", "xlsx"]



def observation_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """The observations as a header and rows of text (people affected under five shown as
    "fewer than 5")."""
    header = [gettext("Group"), gettext("Period"), gettext("Category"), gettext("Phenomenon"),
              gettext("People affected"), gettext("How often"), gettext("Evidence"),
              gettext("Proposal")]
    rows = [[report.group_names.get(o.group_id, ""), report.period_names.get(o.period_id, ""),
             str(CATEGORY_WORDS.get(o.category, o.category)), o.phenomenon,
             shown_count(o.affected), str(FREQUENCY_WORDS.get(o.frequency, o.frequency)),
             o.evidence, o.proposal] for o in report.observations]
    return header, rows


def pdf(report: Report, lang: str, logo: Path | None = None) -> bytes:
    from fpdf.enums import XPos, YPos

    sheet = pdf_sheet(report.title, lang)
    width = sheet.epw

    def heading(text: str, size: int) -> None:
        sheet.set_font("Atkinson", "B", size)
        sheet.multi_cell(width, size * 0.55, text, align="L", new_x=XPos.LMARGIN,
                         new_y=YPos.NEXT)
        sheet.ln(2)

    def paragraph(text: str, size: int = 11) -> None:
        sheet.set_font("Atkinson", "", size)
        sheet.multi_cell(width, 5.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        sheet.ln(2)

    if logo is not None and logo.is_file():
        sheet.image(str(logo), x=sheet.w - sheet.r_margin - 40, y=10, w=40)
    heading(report.title, 20)
    paragraph(report.subtitle + " · " + gettext(
        "printed %(date)s", date=datetime.now(HELSINKI).strftime("%d.%m.%Y")))
    paragraph(gettext("Counts of fewer than 5 people are not shown, nor counts from which "
                      "one could be worked out."))
    for table in report.tables:
        if sheet.will_page_break(40):
            sheet.add_page()
        heading(table.title, 14)
        if table.rows:
            sheet.set_font("Atkinson", "", 10)
            widths = (3, *([2] * (len(table.columns) - 1)))
            with sheet.table(col_widths=widths, text_align="LEFT", line_height=5.5,
                             padding=1.2) as drawn:
                for cells in (table.columns, *[[c.text for c in r] for r in table.rows]):
                    row = drawn.row()
                    for cell in cells:
                        row.cell(cell)
            sheet.ln(3)
        if table.note:
            paragraph(table.note, 10)
        if table.chart is not None:
            svg = str(table.chart).encode("utf-8")
            # The chart's own size in points, scaled to the page width.
            box = re.search(r'viewBox="0 0 (\d+) (\d+)"', str(table.chart))
            ratio = int(box.group(2)) / int(box.group(1)) if box else 0.5
            if sheet.will_page_break(width * ratio + 4):
                sheet.add_page()
            sheet.image(io.BytesIO(svg), x=sheet.l_margin, w=width)
            sheet.ln(4)
    header, rows = observation_rows(report)
    if sheet.will_page_break(40):
        sheet.add_page()
    heading(gettext("Observations for social reporting"), 14)
    if not rows:
        paragraph(gettext("No observations were recorded."))
    for values in rows:
        if sheet.will_page_break(40):
            sheet.add_page()
        sheet.set_font("Atkinson", "B", 11)
        sheet.multi_cell(width, 5.5, f"{values[2]}: {values[3]}", align="L",
                         new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for label, value in zip(header, values, strict=True):
            if value and label not in (header[2], header[3]):
                paragraph(f"{label}: {value}", 10)
        sheet.ln(2)
    return bytes(sheet.output())


def xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    used: set[str] = set()

    def new_sheet(title: str) -> object:
        name, n = title, 2
        while name in used:
            name = f"{title[:28]} {n}"
            n += 1
        used.add(name)
        return book.create_sheet(name)

    for table in report.tables:
        sheet = new_sheet(table.sheet)
        sheet.append([report.title])  # type: ignore[attr-defined]
        sheet.append([report.subtitle])  # type: ignore[attr-defined]
        sheet.append(table.columns)  # type: ignore[attr-defined]
        for cell in sheet[3]:  # type: ignore[index]
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([c.value if c.value is not None and i else c.text  # type: ignore
                          for i, c in enumerate(row)])
        if table.note:
            sheet.append([])  # type: ignore[attr-defined]
            sheet.append([table.note])  # type: ignore[attr-defined]
        sheet.column_dimensions["A"].width = 34  # type: ignore[attr-defined]
    header, rows = observation_rows(report)
    sheet = new_sheet(gettext("Observations")[:31])
    sheet.append(header)  # type: ignore[attr-defined]
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)  # type: ignore[attr-defined]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
