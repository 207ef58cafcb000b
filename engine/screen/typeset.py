"""Text on the shared screen: the bundled font, word wrapping, shrink-to-fit, and a cache.

Rendering a line of anti-aliased text is the most expensive thing the screen does, and the same
few lines are drawn frame after frame while a token moves or a card turns; so every rendered
line is kept (least recently used first out) and a frame only blits.

Card text is never cut with an ellipsis: :meth:`TextKit.fit` shrinks the size step by step down
to a floor instead, so a participant always sees the whole question. Only short labels such as
nicknames may end in "…" when even the floor size does not fit.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame

__all__ = ["FONT_DIR", "FONT_FILES", "TextKit", "line_height"]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    False: FONT_DIR / "AtkinsonHyperlegible-Regular.ttf",
    True: FONT_DIR / "AtkinsonHyperlegible-Bold.ttf",
}

RGB = tuple[int, int, int]


def line_height(size: int, spacing: float = 1.3) -> int:
    """Distance between baselines for text of ``size`` px: generous, for slow readers."""
    return round(size * spacing)


class TextKit:
    """Fonts by size, rendered lines, and wrapping, all cached.

    Example::

        kit = TextKit()
        size, lines = kit.fit("Mikä sai sinut hymyilemään tällä viikolla?", 900, 400,
                              size=64, floor=40)
        for i, line in enumerate(lines):
            surface.blit(kit.render(line, size, (0, 0, 0)), (x, y + i * line_height(size)))
    """

    def __init__(self, max_surfaces: int = 768) -> None:
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._surfaces: OrderedDict[tuple[str, int, bool, RGB], pygame.Surface] = OrderedDict()
        self._widths: dict[tuple[str, int, bool], int] = {}
        self._wraps: dict[tuple[str, int, int, bool], list[str]] = {}
        self._max = max_surfaces

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        """The bundled font at ``size`` px."""
        key = (size, bold)
        found = self._fonts.get(key)
        if found is None:
            if not pygame.font.get_init():
                pygame.font.init()
            found = pygame.font.Font(str(FONT_FILES[bold]), size)
            self._fonts[key] = found
        return found

    def render(self, text: str, size: int, colour: RGB, bold: bool = False) -> pygame.Surface:
        """``text`` on one line, anti-aliased, on a transparent background."""
        key = (text, size, bold, colour)
        found = self._surfaces.get(key)
        if found is not None:
            self._surfaces.move_to_end(key)
            return found
        found = self.font(size, bold).render(text, True, colour)
        self._surfaces[key] = found
        if len(self._surfaces) > self._max:
            self._surfaces.popitem(last=False)
        return found

    def width(self, text: str, size: int, bold: bool = False) -> int:
        """How wide ``text`` is at ``size`` px."""
        key = (text, size, bold)
        found = self._widths.get(key)
        if found is None:
            found = self.font(size, bold).size(text)[0]
            if len(self._widths) > 20000:
                self._widths.clear()
            self._widths[key] = found
        return found

    def wrap(self, text: str, size: int, width: int, bold: bool = False) -> list[str]:
        """``text`` broken into lines no wider than ``width``, between words.

        Line breaks in the text start a new line. A single word wider than ``width`` is broken
        with a hyphen as a last resort (long Finnish compounds in a narrow column).
        """
        key = (text, size, width, bold)
        found = self._wraps.get(key)
        if found is not None:
            return found
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words = paragraph.split()
            if not words:
                lines.append("")
                continue
            line = ""
            for word in words:
                candidate = f"{line} {word}" if line else word
                if self.width(candidate, size, bold) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = word
                while self.width(line, size, bold) > width and len(line) > 1:
                    cut = self._longest_prefix(line, size, width, bold)
                    lines.append(line[:cut] + "-")
                    line = line[cut:]
            lines.append(line)
        if len(self._wraps) > 4000:
            self._wraps.clear()
        self._wraps[key] = lines
        return lines

    def _longest_prefix(self, word: str, size: int, width: int, bold: bool) -> int:
        cut = len(word) - 1
        while cut > 1 and self.width(word[:cut] + "-", size, bold) > width:
            cut -= 1
        return max(cut, 1)

    def block_height(self, size: int, lines: int, bold: bool = False,
                     spacing: float = 1.3) -> int:
        """Height of ``lines`` lines of text at ``size``, from the top of the first line to the
        bottom of the last."""
        if lines <= 0:
            return 0
        return line_height(size, spacing) * (lines - 1) + self.font(size, bold).get_height()

    def fits_unbroken(self, text: str, size: int, width: int, bold: bool = False) -> bool:
        """Whether every word of ``text`` fits on a line of ``width`` at ``size``."""
        return all(self.width(word, size, bold) <= width for word in text.split())

    def fit(self, text: str, width: int, height: int, *, size: int, floor: int,
            bold: bool = False, spacing: float = 1.3, step: int = 2) -> tuple[int, list[str]]:
        """The largest size from ``size`` down to ``floor`` at which ``text`` fits the box
        without breaking a word, and its lines.

        When even ``floor`` does not fit, the text keeps shrinking below the floor (in steps,
        down to 24 px) rather than losing words: a participant must see the whole card.
        """
        current = size
        while True:
            lines = self.wrap(text, current, width, bold)
            needed = self.block_height(current, len(lines), bold, spacing)
            if (needed <= height and self.fits_unbroken(text, current, width, bold)) \
                    or current <= 24:
                return current, lines
            if current <= floor:
                current -= step
            else:
                current = max(floor, current - step)

    def ellipsize(self, text: str, size: int, width: int, bold: bool = False) -> str:
        """``text`` cut to ``width`` with "…" (for nicknames and labels, never card text)."""
        if self.width(text, size, bold) <= width:
            return text
        cut = len(text)
        while cut > 1 and self.width(text[:cut].rstrip() + "…", size, bold) > width:
            cut -= 1
        return text[:cut].rstrip() + "…"

    def fit_line(self, text: str, width: int, *, size: int, floor: int,
                 bold: bool = False) -> tuple[int, str]:
        """One line: the largest size down to ``floor`` that fits; below it, an ellipsis."""
        current = size
        while current > floor and self.width(text, current, bold) > width:
            current -= 2
        return current, self.ellipsize(text, current, width, bold)
