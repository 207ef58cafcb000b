"""Text on the shared screen: the bundled fonts, right-to-left runs, wrapping, fitting, paging
and a cache.

Rendering a line of anti-aliased text is the most expensive thing the screen does, and the same
few lines are drawn frame after frame while a token moves or a card turns; so every rendered
line is kept (least recently used first out) and a frame only blits.

Nothing is ever cut: :meth:`TextKit.paginate` shrinks a text step by step down to its floor (the
smallest size readable from the back of the room, see :class:`~engine.screen.theme.Sizes`) and,
when it still does not fit, splits it into pages the screen turns. It never goes below the floor
and never ends a text in "…".

Two fonts draw the text. Atkinson Hyperlegible draws every letter it has; DejaVu Sans draws the
rest (Cyrillic, Arabic, Hebrew...), run by run. Right-to-left text is put in visual order by a
small bidirectional pass of our own (enough for names and sentences: a right-to-left or
left-to-right base from the first strong letter, numbers kept left to right) and each
right-to-left run is shaped, joined and mirrored by HarfBuzz through pygame-ce's
``Font.set_script`` and ``Font.set_direction``. A pygame-ce built without HarfBuzz still draws
such runs in visual order, in the letters' isolated forms.
"""

from __future__ import annotations

import math
import struct
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pygame

__all__ = [
    "FALLBACK_FILES",
    "FONT_DIR",
    "FONT_FILES",
    "TextKit",
    "Typeset",
    "font_coverage",
    "line_height",
]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    False: FONT_DIR / "AtkinsonHyperlegible-Regular.ttf",
    True: FONT_DIR / "AtkinsonHyperlegible-Bold.ttf",
}
#: Drawn where Atkinson Hyperlegible has no letter: Cyrillic, Greek, Arabic, Hebrew, symbols.
FALLBACK_FILES = {
    False: FONT_DIR / "DejaVuSans.ttf",
    True: FONT_DIR / "DejaVuSans-Bold.ttf",
}
#: DejaVu's capitals are about 7 % taller than Atkinson's at the same size: the fallback is
#: drawn this much smaller so that a Cyrillic name sits level with a Latin one.
FALLBACK_SCALE = 0.93

#: A page ends preferably after a line ending one of these (the end of a sentence).
_SENTENCE_ENDS = (".", "!", "?", ":", "…", "”", '"', "»", "؟", "۔")
#: HarfBuzz script tags of the right-to-left scripts DejaVu Sans draws.
_SCRIPTS = (("Arab", 0x0600, 0x08FF), ("Arab", 0xFB50, 0xFDFF), ("Arab", 0xFE70, 0xFEFF),
            ("Hebr", 0x0590, 0x05FF), ("Hebr", 0xFB1D, 0xFB4F))

RGB = tuple[int, int, int]


def line_height(size: int, spacing: float = 1.3) -> int:
    """Distance between baselines for text of ``size`` px: generous, for slow readers."""
    return round(size * spacing)


@lru_cache(maxsize=8)
def font_coverage(path: Path) -> frozenset[int]:
    """The code points ``path`` (a TrueType file) has a glyph for, read from its ``cmap``.

    >>> 0x0416 in font_coverage(FALLBACK_FILES[False])   # Ж
    True
    """
    data = path.read_bytes()
    tables = struct.unpack_from(">H", data, 4)[0]
    cmap = None
    for i in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    if cmap is None:
        return frozenset()
    best: tuple[int, int] | None = None  # (preference, offset of the subtable)
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, cmap + offset)[0]
        unicode = platform == 0 or (platform == 3 and encoding in (1, 10))
        if not unicode or fmt not in (4, 12):
            continue
        rank = 2 if fmt == 12 else 1
        if best is None or rank > best[0]:
            best = (rank, cmap + offset)
    if best is None:
        return frozenset()
    return frozenset(_format12(data, best[1]) if best[0] == 2 else _format4(data, best[1]))


def _format4(data: bytes, at: int) -> set[int]:
    """Code points with a glyph in a format 4 (BMP segments) ``cmap`` subtable."""
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", data, ranges_at)
    found: set[int] = set()
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, ranges,
                                                        strict=True)):
        if start == 0xFFFF:
            continue
        for code in range(start, end + 1):
            if offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                where = ranges_at + 2 * i + offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, where)[0] if where + 2 <= len(data) else 0
                if glyph:
                    glyph = (glyph + delta) & 0xFFFF
            if glyph:
                found.add(code)
    return found


def _format12(data: bytes, at: int) -> set[int]:
    """Code points with a glyph in a format 12 (all planes, groups) ``cmap`` subtable."""
    groups = struct.unpack_from(">I", data, at + 12)[0]
    found: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        found.update(range(start + (1 if glyph == 0 else 0), end + 1))
    return found


def _direction(ch: str) -> str:
    """``R`` (right-to-left letter), ``L`` (left-to-right letter or a digit) or ``N``."""
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    if kind in ("L", "EN", "AN"):
        return "L"  # numbers read left to right even inside Arabic
    if kind == "NSM":
        return "M"  # a mark takes the direction of its letter
    return "N"


def _script(text: str) -> str:
    for ch in text:
        code = ord(ch)
        for tag, low, high in _SCRIPTS:
            if low <= code <= high:
                return tag
    return ""


@dataclass(frozen=True)
class _Run:
    """A piece of a line drawn in one go: its text in logical order, which font, and whether
    it reads right to left (and in which script, for shaping)."""

    text: str
    fallback: bool
    rtl: bool
    script: str = ""


@dataclass(frozen=True)
class Typeset:
    """A text set for a box: its size, its lines page by page, and whether it fits.

    ``overflow`` is true when even at the floor a page is taller than the box or a line wider
    (a box too small for a single line): the renderer reports it.
    """

    size: int
    pages: tuple[tuple[str, ...], ...]
    overflow: bool = False

    @property
    def lines(self) -> list[str]:
        """The lines of the first page."""
        return list(self.pages[0]) if self.pages else []

    def page(self, index: int) -> list[str]:
        """The lines of page ``index`` (counted from 0, wrapping round)."""
        return list(self.pages[index % len(self.pages)]) if self.pages else []


class TextKit:
    """Fonts by size, rendered lines, and wrapping, all cached.

    Example::

        kit = TextKit()
        set_ = kit.paginate("Mikä sai sinut hymyilemään tällä viikolla?", 900, 400,
                            size=64, floor=40)
        for i, line in enumerate(set_.page(0)):
            surface.blit(kit.render(line, set_.size, (0, 0, 0)),
                         (x, y + i * line_height(set_.size)))
    """

    def __init__(self, max_surfaces: int = 768) -> None:
        self._fonts: dict[tuple[int, bool, bool, str], pygame.font.Font] = {}
        self._surfaces: OrderedDict[tuple[str, int, bool, RGB], pygame.Surface] = OrderedDict()
        self._widths: dict[tuple[str, int, bool], int] = {}
        self._wraps: dict[tuple[str, int, int, bool], list[tuple[str, bool]]] = {}
        self._runs: dict[tuple[str, bool], tuple[_Run, ...]] = {}
        self._max = max_surfaces
        self._shaping: bool | None = None

    # -- fonts -----------------------------------------------------------------------------

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        """The bundled font at ``size`` px (its line metrics are the screen's)."""
        return self._face(size, bold, False, "")

    def _face(self, size: int, bold: bool, fallback: bool, script: str) -> pygame.font.Font:
        key = (size, bold, fallback, script)
        found = self._fonts.get(key)
        if found is None:
            if not pygame.font.get_init():
                pygame.font.init()
            if fallback:
                found = pygame.font.Font(str(FALLBACK_FILES[bold]),
                                         max(1, round(size * FALLBACK_SCALE)))
            else:
                found = pygame.font.Font(str(FONT_FILES[bold]), size)
            if script and self.shaping:
                found.set_script(script)
                found.set_direction(pygame.DIRECTION_RTL)
            self._fonts[key] = found
        return found

    @property
    def shaping(self) -> bool:
        """Whether this pygame-ce shapes right-to-left text (built with HarfBuzz)."""
        if self._shaping is None:
            try:
                if not pygame.font.get_init():
                    pygame.font.init()
                probe = pygame.font.Font(str(FALLBACK_FILES[False]), 12)
                probe.set_script("Arab")
                probe.set_direction(pygame.DIRECTION_RTL)
                self._shaping = True
            except (AttributeError, pygame.error, NotImplementedError, ValueError):
                self._shaping = False
        return self._shaping

    # -- runs ------------------------------------------------------------------------------

    def _runs_of(self, text: str, bold: bool) -> tuple[_Run, ...]:
        """``text`` (one line) as runs in visual order, left to right on the screen."""
        key = (text, bold)
        found = self._runs.get(key)
        if found is not None:
            return found
        main = font_coverage(FONT_FILES[bold])
        if all(ord(ch) in main and _direction(ch) != "R" for ch in text):
            found = (_Run(text, False, False),)
        else:
            found = self._bidi_runs(text, bold, main)
        if len(self._runs) > 20000:
            self._runs.clear()
        self._runs[key] = found
        return found

    def _bidi_runs(self, text: str, bold: bool, main: frozenset[int]) -> tuple[_Run, ...]:
        back = font_coverage(FALLBACK_FILES[bold])
        kinds = [_direction(ch) for ch in text]
        for i, kind in enumerate(kinds):
            if kind == "M":
                kinds[i] = kinds[i - 1] if i else "N"
        strong = [k for k in kinds if k in ("L", "R")]
        base = strong[0] if strong else "L"
        # A neutral between letters of one direction takes it; elsewhere the line's base.
        resolved = list(kinds)
        i = 0
        while i < len(kinds):
            if kinds[i] != "N":
                i += 1
                continue
            j = i
            while j < len(kinds) and kinds[j] == "N":
                j += 1
            before = next((k for k in reversed(kinds[:i]) if k != "N"), base)
            after = next((k for k in kinds[j:] if k != "N"), base)
            for n in range(i, j):
                resolved[n] = before if before == after else base
            i = j
        # Spans of one direction, in logical order, each split where the font changes.
        spans: list[tuple[str, list[_Run]]] = []
        start = 0
        for end in range(1, len(text) + 1):
            if end < len(text) and resolved[end] == resolved[start]:
                continue
            rtl = resolved[start] == "R"
            piece = text[start:end]
            pieces: list[_Run] = []
            for ch in piece:
                code = ord(ch)
                if rtl:
                    # Inside Arabic, spaces and commas stay with their words so HarfBuzz
                    # shapes the run as one.
                    use_back = code in back or code not in main
                else:
                    use_back = code not in main and code in back
                if pieces and pieces[-1].fallback == use_back:
                    pieces[-1] = _Run(pieces[-1].text + ch, use_back, rtl)
                else:
                    pieces.append(_Run(ch, use_back, rtl))
            if rtl:
                pieces = [_Run(p.text, p.fallback, True, _script(p.text) or "Arab")
                          for p in reversed(pieces)]
            spans.append((resolved[start], pieces))
            start = end
        if base == "R":
            spans.reverse()
        return tuple(run for _, pieces in spans for run in pieces)

    def missing(self, text: str, bold: bool = False) -> str:
        """The characters of ``text`` neither bundled font has (drawn as empty boxes)."""
        main = font_coverage(FONT_FILES[bold])
        back = font_coverage(FALLBACK_FILES[bold])
        return "".join(dict.fromkeys(
            ch for ch in text if ord(ch) not in main and ord(ch) not in back
            and not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")))

    # -- drawing and measuring -------------------------------------------------------------

    def render(self, text: str, size: int, colour: RGB, bold: bool = False) -> pygame.Surface:
        """``text`` on one line, anti-aliased, on a transparent background."""
        key = (text, size, bold, colour)
        found = self._surfaces.get(key)
        if found is not None:
            self._surfaces.move_to_end(key)
            return found
        runs = self._runs_of(text, bold)
        if len(runs) == 1 and not runs[0].fallback and not runs[0].rtl:
            found = self.font(size, bold).render(text, True, colour)
        else:
            found = self._compose(runs, size, colour, bold)
        self._surfaces[key] = found
        if len(self._surfaces) > self._max:
            self._surfaces.popitem(last=False)
        return found

    def _run_text(self, run: _Run) -> str:
        if run.rtl and not self.shaping:
            return run.text[::-1]  # visual order at least, letters in their isolated forms
        return run.text

    def _compose(self, runs: tuple[_Run, ...], size: int, colour: RGB,
                 bold: bool) -> pygame.Surface:
        """Runs side by side on the main font's baseline."""
        main = self.font(size, bold)
        images = []
        for run in runs:
            face = self._face(size, bold, run.fallback, run.script)
            images.append((face.render(self._run_text(run), True, colour), face))
        width = sum(img.get_width() for img, _ in images)
        surface = pygame.Surface((max(1, width), main.get_height()), pygame.SRCALPHA)
        x = 0
        for img, face in images:
            surface.blit(img, (x, main.get_ascent() - face.get_ascent()))
            x += img.get_width()
        return surface

    def width(self, text: str, size: int, bold: bool = False) -> int:
        """How wide ``text`` is at ``size`` px."""
        key = (text, size, bold)
        found = self._widths.get(key)
        if found is None:
            runs = self._runs_of(text, bold)
            found = sum(self._face(size, bold, run.fallback, run.script)
                        .size(self._run_text(run))[0] for run in runs if run.text)
            if len(self._widths) > 20000:
                self._widths.clear()
            self._widths[key] = found
        return found

    # -- wrapping --------------------------------------------------------------------------

    def wrap(self, text: str, size: int, width: int, bold: bool = False) -> list[str]:
        """``text`` broken into lines no wider than ``width``, between words.

        Line breaks in the text start a new line. A single word wider than ``width`` is broken
        with a hyphen as a last resort (long Finnish compounds in a narrow column), at its own
        hyphen when it has one that fits ("Anna-" / "Maija").
        """
        return [line for line, _ in self._wrap_marked(text, size, width, bold)]

    def _wrap_marked(self, text: str, size: int, width: int,
                     bold: bool) -> list[tuple[str, bool]]:
        """Lines, each with whether it ends a paragraph (a good place for a page to end)."""
        key = (text, size, width, bold)
        found = self._wraps.get(key)
        if found is not None:
            return found
        lines: list[tuple[str, bool]] = []
        for paragraph in text.split("\n"):
            words = paragraph.split()
            if not words:
                lines.append(("", True))
                continue
            line = ""
            for word in words:
                candidate = f"{line} {word}" if line else word
                if self.width(candidate, size, bold) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append((line, False))
                line = word
                while self.width(line, size, bold) > width and len(line) > 1:
                    cut = self._longest_prefix(line, size, width, bold)
                    hyphen = line.rfind("-", 0, cut + 1)
                    if hyphen > 0:  # a double name breaks at its own hyphen
                        lines.append((line[:hyphen + 1], False))
                        line = line[hyphen + 1:]
                    else:
                        lines.append((line[:cut] + "-", False))
                        line = line[cut:]
            lines.append((line, True))
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

    def lines_in(self, height: int, size: int, bold: bool = False,
                 spacing: float = 1.3) -> int:
        """How many lines of ``size`` fit in ``height``."""
        first = self.font(size, bold).get_height()
        if height < first:
            return 0
        return 1 + (height - first) // line_height(size, spacing)

    def fits_unbroken(self, text: str, size: int, width: int, bold: bool = False) -> bool:
        """Whether every word of ``text`` fits on a line of ``width`` at ``size``."""
        return all(self.width(word, size, bold) <= width for word in text.split())

    # -- fitting ---------------------------------------------------------------------------

    def fit(self, text: str, width: int, height: int, *, size: int, floor: int,
            bold: bool = False, spacing: float = 1.3, step: int = 2) -> tuple[int, list[str]]:
        """The largest size from ``size`` down to ``floor`` at which ``text`` fits the box
        without breaking a word, and its lines.

        It never goes below ``floor``: when even the floor does not fit, the lines at the floor
        are returned whole and taller than the box (see :meth:`paginate` for pages).
        """
        current = max(size, floor)
        while True:
            lines = self.wrap(text, current, width, bold)
            needed = self.block_height(current, len(lines), bold, spacing)
            if (needed <= height and self.fits_unbroken(text, current, width, bold)) \
                    or current <= floor:
                return current, lines
            current = max(floor, current - step)

    def paginate(self, text: str, width: int, height: int, *, size: int, floor: int,
                 bold: bool = False, spacing: float = 1.3, step: int = 2,
                 marker: int = 0) -> Typeset:
        """``text`` set for a ``width`` × ``height`` box: on one page at the largest size from
        ``size`` down to ``floor`` that fits, else at ``floor`` on as many pages as it needs.

        ``marker`` is the height the page marker ("2/3") takes from the box when there is more
        than one page. Pages end after a paragraph or a sentence where one is near, and are
        about evenly full.
        """
        current = max(size, floor)
        while True:
            marked = self._wrap_marked(text, current, width, bold)
            needed = self.block_height(current, len(marked), bold, spacing)
            if needed <= height and self.fits_unbroken(text, current, width, bold):
                return Typeset(current, (tuple(line for line, _ in marked),))
            if current <= floor:
                break
            current = max(floor, current - step)
        per_page = self.lines_in(height - marker, floor, bold, spacing)
        lines = [line for line, _ in marked]
        wide = any(self.width(line, floor, bold) > width for line in lines)
        if per_page < 1:
            return Typeset(floor, (tuple(lines),), overflow=True)
        if len(marked) <= self.lines_in(height, floor, bold, spacing):
            return Typeset(floor, (tuple(lines),), overflow=wide)
        return Typeset(floor, _split_pages(marked, per_page), overflow=wide)

    def fit_line(self, text: str, width: int, *, size: int, floor: int,
                 bold: bool = False) -> tuple[int, str]:
        """One line: the largest size from ``size`` down to ``floor`` at which it is no wider
        than ``width``. Never below the floor and never cut: at the floor the whole text comes
        back even when it is wider (the caller says so, see :meth:`width`)."""
        current = max(size, floor)
        while current > floor and self.width(text, current, bold) > width:
            current = max(floor, current - 2)
        return current, text

    def fit_label(self, text: str, width: int, height: int, *, size: int, floor: int,
                  bold: bool = False, spacing: float = 1.15) -> Typeset:
        """A short label (a name, a lock's title): one line shrinking to ``floor``, else
        wrapped over as many lines as ``height`` holds; ``overflow`` when even that fails."""
        one, _ = self.fit_line(text, width, size=size, floor=floor, bold=bold)
        if self.width(text, one, bold) <= width:
            return Typeset(one, ((text,),), overflow=self.font(one, bold).get_height() > height)
        current = max(size, floor)
        while True:
            lines = self.wrap(text, current, width, bold)
            fits = self.block_height(current, len(lines), bold, spacing) <= height
            if (fits and self.fits_unbroken(text, current, width, bold)) or current <= floor:
                wide = any(self.width(line, current, bold) > width for line in lines)
                return Typeset(current, (tuple(lines),), overflow=not fits or wide)
            current = max(floor, current - 2)


def _split_pages(marked: list[tuple[str, bool]], per_page: int) -> tuple[tuple[str, ...], ...]:
    """Lines into pages of at most ``per_page``, ending each page after a paragraph or a
    sentence when one is in its last third, and never starting a page with an empty line."""
    pages: list[tuple[str, ...]] = []
    start = 0
    total = len(marked)
    while start < total:
        while start < total and not marked[start][0]:
            start += 1  # an empty line at the top of a page is only a gap
        if start >= total:
            break
        if total - start <= per_page:
            pages.append(tuple(line for line, _ in marked[start:]))
            break
        left = math.ceil((total - start) / per_page)
        even = math.ceil((total - start) / left)
        lowest = start + max(1, min(even, per_page * 2 // 3))
        best, best_score = start + per_page, -1
        for end in range(start + per_page, lowest - 1, -1):
            line, ends_paragraph = marked[end - 1]
            score = 2 if ends_paragraph else 1 if line.rstrip().endswith(_SENTENCE_ENDS) else 0
            if score > best_score:
                best, best_score = end, score
        page = [line for line, _ in marked[start:best]]
        while page and not page[-1]:
            page.pop()
        pages.append(tuple(page))
        start = best
    return tuple(pages) or ((),)
