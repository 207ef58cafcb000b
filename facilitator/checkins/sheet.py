"""One A4 PDF sheet as Piiri prints it: the bundled Atkinson Hyperlegible font (regular and
bold), page numbers in the footer, the document's title and language set, automatic page
breaks. The member's own data and the reports both start from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import engine

__all__ = ["FONTS", "pdf_sheet"]

FONTS = Path(engine.__file__).parent / "screen" / "fonts"


def pdf_sheet(title: str, lang: str) -> Any:
    """A new FPDF document with its first page added, ready to write on."""
    from fpdf import FPDF

    class Sheet(FPDF):
        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("Atkinson", size=10)
            self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")

    sheet = Sheet(format="A4")
    sheet.add_font("Atkinson", "", str(FONTS / "AtkinsonHyperlegible-Regular.ttf"))
    sheet.add_font("Atkinson", "B", str(FONTS / "AtkinsonHyperlegible-Bold.ttf"))
    sheet.set_title(title)
    sheet.set_lang(lang)
    sheet.set_creator("Piiri")
    sheet.set_auto_page_break(True, margin=18)
    sheet.add_page()
    return sheet
