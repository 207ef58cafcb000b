"""Drawing a :class:`~engine.scene.Scene` onto the shared screen: pure, read-only, no rules.

Everything is drawn on a 1920×1080 *design surface* and :func:`present` scales that, with black
bars where the shape differs, to whatever the window is (a 1366×768 laptop panel, a 4K TV). So
sizes here are design pixels, and a body text of 48 px is about 4 cm tall on a 2 m wide
projection: readable from the back of a group room.

The scene's ``layout`` decides where things go; each element kind has one drawing function.
Drawing reads the scene, the viewing options and, for a moment after each change, the
:class:`~engine.screen.animate.Animator`; it never decides anything a game decides.

No text is cut and none is drawn below the floor of its role (:class:`~engine.screen.theme.Sizes`):
a text shrinks towards its floor, and what still does not fit goes on to a next page that turns
by itself (:mod:`engine.screen.paging`). When a column holds more elements than fit even at their
floors, the column itself is shown a page of elements at a time. Each frame returns a
:class:`~engine.screen.paging.RenderReport` that says which text, if any, overflowed or was
below its floor; the screen's tests fail on any.

Frames are cheap because what does not move is drawn once and kept: every element that is not
animating is drawn onto its own surface the first time (once per page) and then only blitted,
and text lines and pictures are cached by the typesetter and the icon module.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import pygame

from engine.scene import (
    BoardElement,
    CardElement,
    DieElement,
    ImageElement,
    JoinCardElement,
    LockPanelElement,
    PauseOverlay,
    ProgressElement,
    ReactionsElement,
    RosterElement,
    RosterEntry,
    Scene,
    SeatStatus,
    StoryPageElement,
    TextBlockElement,
    TimelineElement,
    TimelineItem,
    TimerElement,
    VoteTallyElement,
)
from engine.text import LocalizedText, is_rtl

from . import icons
from .animate import Animator
from .paging import Pager, RenderReport, TextIssue
from .pictures import Pictures
from .qr import qr_surface
from .theme import (
    DESIGN_SIZE,
    Palette,
    ScreenOptions,
    Sizes,
    TextRole,
    mix,
    page_ms,
    palette_for,
    parse_colour,
    sizes_for,
)
from .typeset import TextKit, Typeset, line_height
from .words import say

__all__ = ["RenderReport", "Renderer", "TextIssue", "draw_connection_overlay", "present",
           "render"]

RGB = tuple[int, int, int]
Rect = pygame.Rect

#: The scene's title sits in this band (two lines at the title floor fit).
HEADER_Y = 21
HEADER_H = 116
BODY_TOP = 150
BODY_BOTTOM = 1036
SIDE_WIDTH = 600
TIMER_HEIGHT = 250
#: The least height of an element that takes what is left (a card, a join card, a die).
MIN_FLEX = 160
#: A card or a story page keeps at least this share of its column before the column is paged;
#: inside it, its own text pages.
FLEX_SHARE = 0.55
#: How far the die sits from the card's top end corner, and the room its heading leaves it.
DIE_INSET = 26
#: A picture is drawn at most this many times its own size: larger, it would only blur.
MAX_UPSCALE = 2.0
#: A picture keeps at least this share of its column before the column is paged (then the
#: picture and the words under it take turns).
PICTURE_SHARE = 0.5
#: The same share for a picture that shares its column with a story page: the picture shows
#: what the words tell, so the words keep the larger part.
PICTURE_SHARE_BY_STORY = 0.35
#: The frame round a picture, and the gap between it and its caption.
PICTURE_PAD = 10
CAPTION_GAP = 14
#: Each supportive reaction's colour, as on the tablet (tablet.css): drawn on a paper disc, so
#: it reads on the dark screen and in high contrast alike. The shape tells them apart too.
REACTION_COLOURS: dict[str, tuple[int, int, int]] = {
    "heart": (0xB3, 0x26, 0x3E), "me_too": (0x1B, 0x4E, 0x86), "clap": (0xA0, 0x4D, 0x00),
    "thanks": (0x1E, 0x6B, 0x43)}
#: The reactions panel's inside margin (across, down; down leaves room for a disc's pop), the
#: gap between a disc and its count, and between reactions side by side and one under another.
REACTION_PAD = (26, 20)
REACTION_NUMBER_GAP = 14
REACTION_GAP = 26
REACTION_ROW_GAP = 16


@dataclass
class _Ctx:
    """What every drawing function needs to know about this frame, and where it writes what
    became of the text it drew."""

    pal: Palette
    sz: Sizes
    lang: str
    options: ScreenOptions
    now_ms: int
    motion: Animator | None
    scene: Scene
    text: TextKit
    avatars: dict[str, RosterEntry] = field(default_factory=dict)
    pager: Pager | None = None
    issues: list[TextIssue] = field(default_factory=list)
    paged: list[tuple[str, int, int]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    element: str = ""
    pictures: Pictures | None = None
    roster_fits: Callable[[RosterElement, tuple[int, int]], bool] | None = None

    def pick(self, text: LocalizedText | None) -> str:
        return text.pick(self.lang) if text is not None else ""

    @property
    def rtl(self) -> bool:
        return is_rtl(self.lang)

    def note(self, text: str, size: int, role: TextRole, *, fits: bool = True,
             bold: bool = False) -> None:
        """Write down a text drawn at ``size``: below its role's floor, overflowing its box or
        with letters no font has, it goes into the frame's report."""
        if not text.strip():
            return
        self.texts.append((self.element, text))
        floor = self.sz.floor(role)
        if size < floor:
            self.issues.append(TextIssue(self.element, "below_floor", text, size, floor))
        if not fits:
            self.issues.append(TextIssue(self.element, "overflow", text, size, floor))
        missing = self.text.missing(text, bold)
        if missing:
            self.issues.append(TextIssue(self.element, "missing_glyph", missing, size, floor))

    def page(self, key: Hashable, durations: Sequence[int]) -> int:
        """The page on show now of paged text ``key``."""
        return self.pager.page(key, durations, self.now_ms) if self.pager else 0

    def durations(self, pages: Sequence[Sequence[str]]) -> list[int]:
        """How long each page stays (nothing for a text on one page)."""
        if len(pages) <= 1:
            return []
        return [page_ms(self.options, sum(len(line.split()) for line in page))
                for page in pages]


@dataclass
class _Placed:
    element: Any
    rect: Rect
    role: str = ""
    index: int = 0
    page: int = 0
    durations: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _PageMarker:
    """The "2/3" under a column shown a page of elements at a time."""

    page: int
    pages: int
    kind: str = "pages"


# -- text helpers -------------------------------------------------------------------------


def _blit_lines(surface: pygame.Surface, ctx: _Ctx, lines: Sequence[str], size: int,
                colour: RGB, box: Rect, *, role: TextRole, bold: bool = False,
                align: str = "left", valign: str = "top", spacing: float = 1.3) -> int:
    """Draw ``lines`` in ``box`` and write down how they fitted; returns the y just below the
    last line."""
    kit = ctx.text
    height = kit.block_height(size, len(lines), bold, spacing)
    fits = height <= box.height + 2 and all(kit.width(line, size, bold) <= box.width + 1
                                            for line in lines)
    ctx.note(" ".join(line for line in lines if line), size, role, fits=fits, bold=bold)
    if valign == "middle":
        y = box.y + max(0, (box.height - height) // 2)
    elif valign == "bottom":
        y = box.y + max(0, box.height - height)
    else:
        y = box.y
    if ctx.rtl and align == "left":
        align = "right"  # "left" is where lines start; "right" stays right
    elif align == "end":
        align = "left" if ctx.rtl else "right"
    step = line_height(size, spacing)
    for line in lines:
        if line:
            img = kit.render(line, size, colour, bold)
            if align == "center":
                x = box.x + (box.width - img.get_width()) // 2
            elif align == "right":
                x = box.right - img.get_width()
            else:
                x = box.x
            surface.blit(img, (x, y))
        y += step
    return y - step + kit.font(size, bold).get_height() if lines else box.y


def _marker_height(ctx: _Ctx) -> int:
    """The room a page marker takes under a paged text."""
    return ctx.text.font(ctx.sz.status, True).get_height() + 8


def _page_marker(surface: pygame.Surface, ctx: _Ctx, box: Rect, page: int, pages: int,
                 colour: RGB) -> None:
    """"2/3" with a dot per page at the bottom end of ``box``: there is more, and it comes."""
    kit, size = ctx.text, ctx.sz.status
    label = f"{page + 1}/{pages}"
    img = kit.render(label, size, colour, True)
    ctx.note(label, size, "label", bold=True)
    dot, step = 16, 28
    dots = pages if pages <= 8 else 0
    dots_w = step * (dots - 1) + dot if dots else 0
    total = dots_w + (20 if dots else 0) + img.get_width()
    y = box.bottom - img.get_height()
    x = box.x if ctx.rtl else box.right - total
    label_x = x if ctx.rtl else x + total - img.get_width()
    first_dot = x + img.get_width() + 20 if ctx.rtl else x
    for i in range(dots):
        shown = dots - 1 - i if ctx.rtl else i
        centre = (first_dot + dot // 2 + i * step, y + img.get_height() // 2)
        if shown == page:
            pygame.draw.circle(surface, colour, centre, dot // 2 + 2)
        else:
            pygame.draw.circle(surface, colour, centre, dot // 2, 3)
    surface.blit(img, (label_x, y))


def _panel(surface: pygame.Surface, ctx: _Ctx, rect: Rect, *, fill: RGB | None = None,
           edge: RGB | None = None, radius: int = 28, width: int | None = None,
           shadow: bool = False) -> None:
    if shadow and not ctx.options.high_contrast:
        shade = mix(ctx.pal.background, (0, 0, 0), 0.45)
        pygame.draw.rect(surface, shade, rect.move(0, 10), border_radius=radius)
    pygame.draw.rect(surface, fill or ctx.pal.panel, rect, border_radius=radius)
    w = ctx.pal.outline if width is None else width
    if w > 0:
        pygame.draw.rect(surface, edge or ctx.pal.panel_edge, rect, w, border_radius=radius)


def _dashed_rect(surface: pygame.Surface, colour: RGB, rect: Rect, width: int,
                 dash: int = 22) -> None:
    for x0, y0, x1, y1 in ((rect.left, rect.top, rect.right, rect.top),
                           (rect.right, rect.top, rect.right, rect.bottom),
                           (rect.right, rect.bottom, rect.left, rect.bottom),
                           (rect.left, rect.bottom, rect.left, rect.top)):
        length = math.hypot(x1 - x0, y1 - y0)
        n = max(1, int(length // (dash * 2)))
        for i in range(n):
            a = i * 2 * dash / length
            b = min(1.0, a + dash / length)
            pygame.draw.line(surface, colour, (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                             (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b), width)


def _ring_segment(surface: pygame.Surface, colour: RGB, centre: tuple[float, float],
                  radius: float, width: float, start: float, sweep: float) -> None:
    """A thick arc as one polygon (``pygame.draw.arc`` leaves gaps at large widths)."""
    if sweep <= 0.001:
        return
    steps = max(2, int(abs(sweep) / (2 * math.pi) * 120))
    outer, inner = [], []
    for i in range(steps + 1):
        a = start + sweep * i / steps
        outer.append((centre[0] + radius * math.cos(a), centre[1] + radius * math.sin(a)))
        inner.append((centre[0] + (radius - width) * math.cos(a),
                      centre[1] + (radius - width) * math.sin(a)))
    pygame.draw.polygon(surface, colour, outer + inner[::-1])
    cap = width / 2
    for a in (start, start + sweep):
        pygame.draw.circle(surface, colour, (centre[0] + (radius - cap) * math.cos(a),
                                             centre[1] + (radius - cap) * math.sin(a)), cap)


# -- text blocks: sizes and setting -------------------------------------------------------


@dataclass(frozen=True)
class _BlockSpec:
    """The sizes, floors and roles of a text block's title and text, and the room its frame
    takes (a hint's panel and bulb)."""

    size: int
    floor: int
    role: TextRole
    title_size: int
    title_floor: int
    title_role: TextRole
    inset: tuple[int, int, int, int] = (0, 0, 0, 0)  # start, top, end, bottom
    least: int = 0
    title_gap: int = 20


def _block_spec(ctx: _Ctx, el: TextBlockElement) -> _BlockSpec:
    sz = ctx.sz
    if el.style == "title":
        if el.title is not None:
            return _BlockSpec(sz.title * 3 // 4, sz.body_floor, "body", sz.huge,
                              sz.title_floor, "title", title_gap=24)
        return _BlockSpec(sz.title, sz.title_floor, "title", sz.huge, sz.title_floor, "title")
    if el.style == "hint":
        return _BlockSpec(sz.body, sz.body_floor, "body", sz.status + 4, sz.label_floor,
                          "label", inset=(140, 30, 30, 30), least=140, title_gap=12)
    if el.style == "note":
        return _BlockSpec(sz.note, sz.note_floor, "note", sz.note, sz.note_floor, "note")
    return _BlockSpec(sz.body, sz.body_floor, "body", sz.title * 3 // 4, sz.title_floor,
                      "title")


def _block_need(ctx: _Ctx, el: TextBlockElement, width: int, *, at_floor: bool) -> int:
    """The height a text block takes at ``width``, at its full sizes or at its floors."""
    spec, kit = _block_spec(ctx, el), ctx.text
    start, top, end, bottom = spec.inset
    w = max(1, width - start - end)
    h = 0
    if el.title is not None:
        ts = spec.title_floor if at_floor else spec.title_size
        lines = kit.wrap(ctx.pick(el.title), ts, w, True)
        h += kit.block_height(ts, len(lines), True) + spec.title_gap
    size = spec.floor if at_floor else spec.size
    h += kit.block_height(size, len(kit.wrap(ctx.pick(el.text), size, w)))
    return max(spec.least, h + top + bottom)


def _set_block(ctx: _Ctx, el: TextBlockElement, box: Rect) -> tuple[Typeset | None, Typeset]:
    """A text block's title and text set for ``box``."""
    spec = _block_spec(ctx, el)
    return _title_and_body(ctx, ctx.pick(el.title) if el.title is not None else None,
                           ctx.pick(el.text), box, title=(spec.title_size, spec.title_floor),
                           body=(spec.size, spec.floor), gap=spec.title_gap)


def _title_and_body(ctx: _Ctx, heading: str | None, text: str, box: Rect, *,
                    title: tuple[int, int], body: tuple[int, int], gap: int,
                    spacing: float = 1.3) -> tuple[Typeset | None, Typeset]:
    """A title over a text in ``box``: the title as large as it may be while the text fits
    without overflowing, on as few pages as it can (at least the title's floor)."""
    kit, marker = ctx.text, _marker_height(ctx)

    def body_under(head: Typeset | None) -> Typeset:
        used = (kit.block_height(head.size, len(head.lines), True) + gap
                if head is not None else 0)
        return kit.paginate(text, box.width, box.height - used, size=body[0], floor=body[1],
                            spacing=spacing, marker=marker)

    if heading is None:
        return None, body_under(None)
    size, floor = title
    best: tuple[tuple[bool, int], Typeset, Typeset] | None = None
    for tried in dict.fromkeys((size, (size + floor) // 2, floor)):
        head = kit.paginate(heading, box.width, box.height // 2, size=tried, floor=floor,
                            bold=True)
        head = Typeset(head.size, (tuple(line for page in head.pages for line in page),),
                       head.overflow)
        under = body_under(head)
        rank = (under.overflow, len(under.pages))
        if best is None or rank < best[0]:
            best = (rank, head, under)
        if rank == (False, 1):
            break
    assert best is not None
    return best[1], best[2]


# -- layout -------------------------------------------------------------------------------


def _card_need(ctx: _Ctx, card: CardElement, width: int, most_lines: int | None = None) -> int:
    """The height a card needs at ``width`` with its text at the floor (``most_lines``: with
    at most that many lines of its text, the rest on its own pages)."""
    sz, kit = ctx.sz, ctx.text
    if not card.face_up:
        return MIN_FLEX
    pad = 52
    w = max(1, width - 8 - 2 * pad)
    h = 20 + 2 * pad - 12
    if card.theme is not None or card.card_kind is not None:
        h += sz.status + 36 + 24
    if card.title is not None:
        lines = kit.wrap(ctx.pick(card.title), sz.title_floor, w, True)
        h += kit.block_height(sz.title_floor, len(lines), True) + 48
    lines = kit.wrap(ctx.pick(card.body), sz.body_floor, w)
    n = len(lines) if most_lines is None else min(len(lines), most_lines)
    return h + kit.block_height(sz.body_floor, n, False, 1.35)


def _story_need(ctx: _Ctx, story: StoryPageElement, width: int,
                most_lines: int | None = None) -> int:
    sz, kit = ctx.sz, ctx.text
    w = max(1, width - 8 - 128)
    h = 20 + 104
    if story.title is not None:
        lines = kit.wrap(ctx.pick(story.title), sz.title_floor, w, True)
        h += kit.block_height(sz.title_floor, len(lines), True) + 28
    lines = kit.wrap(ctx.pick(story.body), sz.body_floor, w)
    n = len(lines) if most_lines is None else min(len(lines), most_lines)
    return h + kit.block_height(sz.body_floor, n, False, 1.4)


def _fixed_height(ctx: _Ctx, element: Any, width: int) -> int | None:
    """The height an element needs at ``width`` at its full sizes, or None when it takes what
    is left."""
    kit, sz = ctx.text, ctx.sz
    if isinstance(element, TextBlockElement):
        return _block_need(ctx, element, width, at_floor=False)
    if isinstance(element, VoteTallyElement):
        q = kit.wrap(ctx.pick(element.question), sz.title * 3 // 4, width, True)
        return (kit.block_height(sz.title * 3 // 4, len(q), True) + 30
                + len(element.rows) * (sz.body + 44) + sz.body + 40)
    if isinstance(element, LockPanelElement):
        cols = _lock_columns(len(element.locks), width)
        rows = math.ceil(len(element.locks) / cols) if element.locks else 0
        return rows * _lock_height(sz) + max(0, rows - 1) * sz.gap
    if isinstance(element, ProgressElement):
        return 96
    if isinstance(element, ReactionsElement):
        return _reactions_layout(ctx, element, width).height
    if isinstance(element, TimelineElement):
        return _timeline_layout(ctx, element, width).height
    if isinstance(element, ImageElement):
        # As tall as its shape asks at this width: it grows with the words round it, not
        # only into what they leave.
        want = (_picture_want(element, width) if _picture_of(ctx, element) is not None
                else _alt_need(ctx, element, width))
        return _caption_need(ctx, element, width) + want
    return None


def _least_height(ctx: _Ctx, element: Any, width: int, room: int,
                  picture_share: float = PICTURE_SHARE) -> int:
    """The least height an element can be given in a column ``room`` high before the column
    must be paged: a text block at its floors (a longer one pages itself), a card or a story
    page a good share of the column (its text pages inside it)."""
    if isinstance(element, TextBlockElement):
        return min(_block_need(ctx, element, width, at_floor=True), room)
    if isinstance(element, CardElement):
        return min(max(MIN_FLEX, _card_need(ctx, element, width)), int(room * FLEX_SHARE))
    if isinstance(element, StoryPageElement):
        return min(max(MIN_FLEX, _story_need(ctx, element, width)), int(room * FLEX_SHARE))
    if isinstance(element, ImageElement):
        caption = _caption_need(ctx, element, width)
        if _picture_of(ctx, element) is None:  # its words stand in: room for them
            return min(caption + _alt_need(ctx, element, width), int(room * FLEX_SHARE))
        return min(caption + max(MIN_FLEX, _picture_want(element, width)),
                   max(MIN_FLEX, int(room * picture_share)))
    fixed = _fixed_height(ctx, element, width)
    if fixed is not None:
        return fixed
    if isinstance(element, JoinCardElement):
        return min(room, 480)
    return MIN_FLEX


def _picture_want(el: ImageElement, width: int) -> int:
    """The height a picture would like at ``width``: its shape kept, at most
    :data:`MAX_UPSCALE` times its own size (an unknown size: a 16:9 picture)."""
    w, h = (el.width, el.height) if el.width and el.height else (16, 9)
    inner = max(1, width - 2 * PICTURE_PAD)
    scale = inner / w if not el.width else min(inner / w, MAX_UPSCALE)
    return round(h * scale) + 2 * PICTURE_PAD


def _picture_of(ctx: _Ctx, el: ImageElement) -> pygame.Surface | None:
    return ctx.pictures.surface(el.src) if ctx.pictures is not None else None


def _alt_need(ctx: _Ctx, el: ImageElement, width: int) -> int:
    """The room a picture's words take where the picture cannot be shown, at their floor."""
    kit, sz = ctx.text, ctx.sz
    lines = kit.wrap(ctx.pick(el.alt), sz.note_floor, max(1, width - 8 - 80))
    return kit.block_height(sz.note_floor, len(lines)) + 8 + 56


def _caption_need(ctx: _Ctx, el: ImageElement, width: int) -> int:
    """The room a picture's caption takes under it, at the caption's floor."""
    if el.caption is None or not ctx.pick(el.caption).strip():
        return 0
    kit, sz = ctx.text, ctx.sz
    lines = kit.wrap(ctx.pick(el.caption), sz.note_floor, width)
    return kit.block_height(sz.note_floor, len(lines)) + CAPTION_GAP


#: A timeline's dots, the room the line and its dots take, the gap under the stage names and
#: the title, an item's inside margin, the gap between its picture and its words, and between
#: its name and the name in its own script.
TIMELINE_DOT = 12
TIMELINE_LINE_H = 2 * TIMELINE_DOT + 10
TIMELINE_GAP = 10
TIMELINE_PAD = 10
TIMELINE_ICON_GAP = 12
TIMELINE_LINE_GAP = 4
TIMELINE_ROW_GAP = 8
#: The sizes a timeline item's picture may have, largest first (the content's icons are
#: drawn at 128 px).
TIMELINE_ICONS = (96, 80, 64, 56, 48)
#: The least room a timeline leaves under it for the rest of its scene (a question, the
#: people); when the line needs more, the line and the rest take turns.
TIMELINE_LEAST = 240


@dataclass(frozen=True)
class _TimelineLayout:
    """A timeline set for a width: its title, the stage names (each stage's lines, one size
    for all, in a band as high as the tallest), and one item height for every item, so that
    the items of neighbouring stages line up in rows."""

    title: Typeset | None
    title_h: int
    column: int
    gap: int
    labels: list[list[str]]
    label_size: int
    label_h: int
    icon: int
    item_size: int
    item_h: int
    rows: int
    height: int


def _drawable_original(ctx: _Ctx, item: TimelineItem) -> str:
    """The name in its own script, when it differs from the name shown and a bundled font
    draws every letter of it (Cyrillic, Arabic; not Chinese or Devanagari): otherwise the
    name in the reader's language stands alone, rather than boxes for letters."""
    original = (item.original or "").strip()
    if not original or original == ctx.pick(item.label).strip():
        return ""
    return "" if ctx.text.missing(original) else original


def _timeline_layout(ctx: _Ctx, el: TimelineElement, width: int,
                     room: int | None = None) -> _TimelineLayout:
    """The timeline at ``width``: the largest picture and text sizes at which it fits in
    ``room`` (its need at the largest sizes when no room is given), else at the floors."""
    kit, sz = ctx.text, ctx.sz
    title: Typeset | None = None
    title_h = 0
    if el.title is not None and ctx.pick(el.title).strip():
        # (Under the scene's own header: a heading, not a second title.)
        title = kit.fit_label(ctx.pick(el.title), width, sz.title * 3, size=sz.card_title,
                              floor=sz.title_floor, bold=True)
        title_h = kit.block_height(title.size, len(title.lines), True)
    n = len(el.stages)
    gap = max(8, sz.gap // 2)
    column = max(1, (width - gap * (n - 1)) // n)
    stage_names = [ctx.pick(s.label) for s in el.stages]
    # The stage names at one size, on one line each if they go, else on two.
    label_size = sz.label_floor
    sizes = range(max(sz.name, sz.label_floor), sz.label_floor - 1, -2)
    found = next((size for most in (1, 2) for size in sizes
                  if all(len(kit.wrap(t, size, column, True)) <= most
                         and kit.fits_unbroken(t, size, column, True) for t in stage_names)),
                 None)
    if found is not None:
        label_size = found
    labels = [kit.wrap(t, label_size, column, True) for t in stage_names]
    label_h = kit.block_height(label_size, max((len(x) for x in labels), default=1), True,
                               1.15)
    rows = max((len(s.items) for s in el.stages), default=0)
    items = [item for s in el.stages for item in s.items]
    head = title_h + (TIMELINE_GAP if title else 0) + TIMELINE_LINE_H + label_h

    def item_height(icon: int, size: int) -> int | None:
        text_w = column - 2 * TIMELINE_PAD - icon - TIMELINE_ICON_GAP
        if text_w < size * 3:
            return None
        need = icon
        for item in items:
            name = ctx.pick(item.label)
            if not kit.fits_unbroken(name, size, text_w, True):
                return None
            h = kit.block_height(size, len(kit.wrap(name, size, text_w, True)), True, 1.15)
            original = _drawable_original(ctx, item)
            if original:
                h += TIMELINE_LINE_GAP + kit.block_height(
                    size, len(kit.wrap(original, size, text_w)))
            need = max(need, h)
        return need + 2 * TIMELINE_PAD

    def total(item_h: int) -> int:
        return head + (TIMELINE_GAP + rows * item_h + (rows - 1) * TIMELINE_ROW_GAP if rows else 0)

    sizes = range(max(sz.status, sz.label_floor), sz.label_floor - 1, -2)
    chosen: tuple[int, int, int] | None = None
    for size in sizes:  # the words as large as they go, then the pictures
        for icon in TIMELINE_ICONS:
            h = item_height(icon, size)
            if h is not None and (room is None or total(h) <= room):
                chosen = (icon, size, h)
                break
        if chosen is not None:
            break
    if chosen is None:  # at the floors: the words wrap as they must (and say so if cut)
        icon, size = TIMELINE_ICONS[-1], sz.label_floor
        text_w = max(1, column - 2 * TIMELINE_PAD - icon - TIMELINE_ICON_GAP)
        need = icon
        for item in items:
            h = kit.block_height(size, len(kit.wrap(ctx.pick(item.label), size, text_w, True)),
                                 True, 1.15)
            if _drawable_original(ctx, item):
                h += TIMELINE_LINE_GAP + kit.block_height(size, 1)
            need = max(need, h)
        chosen = (icon, size, need + 2 * TIMELINE_PAD)
    icon, size, item_h = chosen
    return _TimelineLayout(title, title_h, column, gap, labels, label_size, label_h, icon,
                           size, item_h, rows, total(item_h))


@dataclass(frozen=True)
class _ReactionsLayout:
    """The reactions in ``rows`` × ``cols``: a disc of ``disc`` px and its count at ``size``
    each, ``item`` px wide; the panel is ``height`` high and ``fits`` its width."""

    rows: int
    cols: int
    disc: int
    size: int
    item: int
    height: int
    fits: bool = True

    @property
    def width(self) -> int:
        return self.cols * self.item + (self.cols - 1) * REACTION_GAP


def _reactions_layout(ctx: _Ctx, el: ReactionsElement, width: int, *,
                      compact: bool = False) -> _ReactionsLayout:
    """The counts as large as they go (from a card's text size down to the body floor), on one
    row while they are at least body size there, else on as few rows as make them larger;
    ``compact``: on as few rows as fit at all (a crowded side column)."""
    n = len(el.counts)
    if n == 0:
        return _ReactionsLayout(0, 0, 0, 0, 0, 0)
    kit, sz = ctx.text, ctx.sz
    room = width - 2 * REACTION_PAD[0]

    def at(rows: int, size: int) -> _ReactionsLayout:
        cols = math.ceil(n / rows)
        rows = math.ceil(n / cols)
        disc = round(size * 1.3)
        number = max(kit.width(str(c.count), size, True) for c in el.counts)
        item = disc + REACTION_NUMBER_GAP + number
        height = rows * disc + (rows - 1) * REACTION_ROW_GAP + 2 * REACTION_PAD[1]
        lay = _ReactionsLayout(rows, cols, disc, size, item, height)
        return replace(lay, fits=lay.width <= room)

    sizes = [*range(sz.card_body, sz.body_floor, -4), sz.body_floor]
    best: _ReactionsLayout | None = None
    for rows in range(1, n + 1):
        lay = next((lay for lay in (at(rows, size) for size in sizes) if lay.fits), None)
        if lay is None:
            continue
        if lay.size >= sz.body or compact:
            return lay
        if best is None or lay.size > best.size:
            best = lay
    return best if best is not None else at(n, sz.body_floor)


def _rows(items: list[Any]) -> list[list[Any]]:
    """Items in rows: cards next to each other share a row."""
    rows: list[list[Any]] = []
    for item in items:
        if isinstance(item, CardElement) and rows and all(
                isinstance(e, CardElement) for e in rows[-1]):
            rows[-1].append(item)
        else:
            rows.append([item])
    return rows


def _stack(ctx: _Ctx, items: list[Any], area: Rect, gap: int) -> list[_Placed]:
    """Place ``items`` top to bottom in ``area``: fixed-height items get what they need, the
    others share the rest; cards side by side share a row. When even their least heights do
    not fit, the column is shown a page of items at a time with a marker under it."""
    if not items or area.height <= 0:
        return []
    rows = _rows(items)

    def row_width(row: list[Any]) -> int:
        return (area.width - gap * (len(row) - 1)) // len(row)

    full = [_fixed_height(ctx, row[0], area.width) if len(row) == 1 else None for row in rows]
    share = (PICTURE_SHARE_BY_STORY if any(isinstance(row[0], StoryPageElement) for row in rows)
             else PICTURE_SHARE)
    least = [max(_least_height(ctx, e, row_width(row), area.height, share) for e in row)
             for row in rows]
    if sum(least) + gap * (len(rows) - 1) <= area.height or len(rows) == 1:
        return _lay_rows(ctx, rows, full, least, area, gap)
    marker = _marker_height(ctx) + 12
    # What cannot page its own words (a room's locks, a vote's tally) stays on every page,
    # wherever it is in the column, while the words round it keep room to take turns in.
    # (A vote's tally under a long scene would otherwise wait on page 2.)
    pinned: list[int] = []
    for i, row in enumerate(rows):
        words_with_tally = _with_tally(rows, i) and i - 1 in pinned
        if len(pinned) == len(rows) - 1 or (isinstance(row[0], _PAGED_KINDS)
                                            and not words_with_tally):
            continue
        left = area.height - marker - sum(least[j] + gap for j in [*pinned, i])
        if all(_turns_need(ctx, e, row_width(rows[j])) <= left
               for j in range(len(rows)) if j != i and j not in pinned for e in rows[j]):
            pinned.append(i)
    top = sum(least[j] for j in pinned) + gap * len(pinned)
    room = Rect(area.x, area.y + top, area.width, area.height - marker - top)
    groups: list[list[int]] = []
    for i in range(len(rows)):
        if i in pinned:
            continue
        if groups and sum(least[j] + gap for j in groups[-1]) + least[i] <= room.height:
            groups[-1].append(i)
        else:
            groups.append([i])
    words = [sum(len(_words_of(ctx, e)) for i in group for e in rows[i]) for group in groups]
    durations = [max(page_ms(ctx.options, n),
                     *(_inner_pages_ms(ctx, e, row_width(rows[i]), min(least[i], room.height))
                       for i in group for e in rows[i]))
                 for group, n in zip(groups, words, strict=True)]
    key = ("column", tuple(e.model_dump_json() for e in items), tuple(area), ctx.options,
           ctx.lang)
    page = ctx.page(key, durations)
    ctx.paged.append(("column", page, len(groups)))
    chosen = sorted([*pinned, *groups[page]])
    placed = _lay_rows(ctx, [rows[i] for i in chosen], [full[i] for i in chosen],
                       [least[i] if i in pinned else min(least[i], room.height)
                        for i in chosen],
                       Rect(area.x, area.y, area.width, area.height - marker), gap)
    placed.append(_Placed(_PageMarker(page, len(groups)),
                          Rect(area.x, area.bottom - marker + 12, area.width, marker - 12)))
    return placed


def _with_tally(rows: list[list[Any]], i: int) -> bool:
    """Whether row ``i`` is words right under a vote's tally: a tally without its counts
    (results hidden until the vote closes) names no options, so the words under it that do
    stay with it on every page."""
    return (i > 0 and isinstance(rows[i][0], TextBlockElement)
            and isinstance(rows[i - 1][0], VoteTallyElement) and not rows[i - 1][0].rows)


def _inner_pages_ms(ctx: _Ctx, element: Any, width: int, height: int) -> int:
    """How long a card or a story page given ``height`` in a paged column needs to show each
    of its own pages (over-counted by one page rather than under: its last page must come up
    before the column turns, since a text that leaves the screen starts again)."""
    if isinstance(element, StoryPageElement):
        need = _story_need(ctx, element, width)
        first = _story_need(ctx, element, width, most_lines=0)
    elif isinstance(element, CardElement):
        need = _card_need(ctx, element, width)
        first = _card_need(ctx, element, width, most_lines=0)
    else:
        return 0
    room = height - first - _marker_height(ctx)
    if need <= height or room <= 0:
        return 0
    pages = math.ceil((need - first) / room) + 1
    return pages * page_ms(ctx.options, math.ceil(len(_words_of(ctx, element)) / pages))


def _turns_need(ctx: _Ctx, element: Any, width: int) -> int:
    """The least room an element needs on a page of a paged column: a card or a story page its
    title and a line of its text with its own page marker (the rest of its text pages inside
    it), anything else its least height."""
    if isinstance(element, StoryPageElement):
        return _story_need(ctx, element, width, most_lines=1) + _marker_height(ctx)
    if isinstance(element, CardElement):
        return _card_need(ctx, element, width, most_lines=1) + _marker_height(ctx)
    return _least_height(ctx, element, width, BODY_BOTTOM - BODY_TOP)


#: Elements whose words a column may show a page at a time.
_PAGED_KINDS = (TextBlockElement, StoryPageElement, CardElement)


def _words_of(ctx: _Ctx, element: Any) -> list[str]:
    texts: list[str] = []
    for name in ("title", "text", "body", "question"):
        value = getattr(element, name, None)
        if isinstance(value, LocalizedText):
            texts.append(ctx.pick(value))
    return " ".join(texts).split()


def _lay_rows(ctx: _Ctx, rows: list[list[Any]], full: list[int | None], least: list[int],
              area: Rect, gap: int) -> list[_Placed]:
    """Rows at their least heights, grown towards their full heights with what is spare; the
    rest goes to the rows that take what is left, or centres words alone on the screen."""
    heights = list(least)
    extra = area.height - sum(heights) - gap * (len(rows) - 1)
    wants = [max(0, f - h) if f is not None else 0 for f, h in zip(full, heights, strict=True)]
    wanted: int = sum(wants)
    if extra > 0 and wanted > 0:
        share = min(1.0, extra / wanted)
        grown = [int(w * share) for w in wants]
        heights = [h + g for h, g in zip(heights, grown, strict=True)]
        extra -= sum(grown)
    flex = [i for i, f in enumerate(full) if f is None]
    if flex and extra > 0:
        for i in flex:
            heights[i] += extra // len(flex)
        extra -= extra // len(flex) * len(flex)
    placed: list[_Placed] = []
    y = area.y
    if not flex and extra > 0 and all(isinstance(row[0], TextBlockElement) for row in rows):
        y += extra // 2  # words alone sit in the middle of the screen, not stuck to the top
    for row, height in zip(rows, heights, strict=True):
        if len(row) == 1:
            placed.append(_Placed(row[0], Rect(area.x, y, area.width, height)))
        else:
            w = (area.width - gap * (len(row) - 1)) // len(row)
            for i, item in enumerate(row):
                placed.append(_Placed(item, Rect(area.x + i * (w + gap), y, w, height)))
        y += height + gap
    return placed


def _plan(ctx: _Ctx, scene: Scene) -> list[_Placed]:
    """Decide where each element goes for the scene's layout."""
    m, gap = ctx.sz.margin, ctx.sz.gap
    body = Rect(m, BODY_TOP, DESIGN_SIZE[0] - 2 * m, BODY_BOTTOM - BODY_TOP)
    by_kind: dict[str, list[Any]] = {}
    for element in scene.elements:
        by_kind.setdefault(element.kind, []).append(element)
    placed: list[_Placed] = []
    for progress in by_kind.pop("progress", [])[:1]:
        x = m if ctx.rtl else DESIGN_SIZE[0] - m - 660
        placed.append(_Placed(progress, Rect(x, HEADER_Y, 660, HEADER_H), role="header"))
    rosters = by_kind.pop("roster", [])
    timers = by_kind.pop("timer", [])
    joins = by_kind.pop("join", [])
    boards = by_kind.pop("board", [])
    dice = by_kind.pop("die", []) if boards else []
    side_kinds = scene.layout not in ("lobby", "closing") and bool(rosters or timers)
    # The speaker's reactions sit in the side column, over the roster where the speaker's row
    # is lit; without a side column they go with the other elements.
    reactions = [e for e in by_kind.pop("reactions", []) if e.counts] if side_kinds else []
    rest = [e for e in scene.elements if e.kind in by_kind]
    hints = [e for e in rest if isinstance(e, TextBlockElement) and e.style == "hint"]
    main = [e for e in rest if e not in hints] + hints

    if scene.layout == "lobby":
        right_w = 620 if rosters else 0
        left = Rect(body.x, body.y, body.width - right_w - (gap * 2 if right_w else 0),
                    body.height)
        right = Rect(body.right - right_w, body.y, right_w, body.height)
        if joins:
            placed.append(_Placed(joins[0], left))
        else:
            right = body
        if not any(r.entries for r in rosters):
            placed += _stack(ctx, main, right, gap)
            return placed
        notes_h = sum((_fixed_height(ctx, e, right.width) or 0) + gap for e in main)
        for roster in rosters[:1]:
            placed.append(_Placed(roster, Rect(right.x, right.y, right.width,
                                               right.height - notes_h), role="tiles"))
        placed += _stack(ctx, main, Rect(right.x, right.bottom - notes_h + gap, right.width,
                                         max(0, notes_h - gap)), gap)
        return placed

    if scene.layout == "closing":
        tiles_h = 330 if rosters else 0
        placed += _stack(ctx, main + joins, Rect(body.x, body.y, body.width,
                                                 body.height - tiles_h), gap)
        for roster in rosters[:1]:
            placed.append(_Placed(roster, Rect(body.x, body.bottom - tiles_h + gap, body.width,
                                               tiles_h - gap), role="tiles"))
        return placed

    timelines = [e for e in main if isinstance(e, TimelineElement)][:1]
    if timelines:
        # A life line reads across the whole screen, as wide as it goes; what else the scene
        # has (a question, the side column) shares the room under it.
        main = [e for e in main if e not in timelines]
        others = bool(main or joins or rosters or timers or reactions)
        under = 0
        if others:
            under = max(TIMELINE_LEAST, sum(
                (_card_need(ctx, e, body.width * 3 // 5) if isinstance(e, CardElement)
                 else _fixed_height(ctx, e, body.width * 3 // 5) or MIN_FLEX) + gap
                for e in main + joins))
        line_room = body.height - (under + gap if others else 0)
        need = _timeline_layout(ctx, timelines[0], body.width, line_room).height
        if others and need > line_room:
            # Too long to share the screen: the line and the rest take turns, as a column
            # too long for the screen does.
            marker = _marker_height(ctx) + 12
            words = [len(" ".join(ctx.pick(i.label) for st in timelines[0].stages
                                  for i in st.items).split()),
                     sum(len(_words_of(ctx, e)) for e in main)]
            key = ("timeline", timelines[0].model_dump_json(), tuple(body), ctx.options,
                   ctx.lang)
            page = ctx.page(key, [page_ms(ctx.options, n) for n in words])
            ctx.paged.append(("column", page, 2))
            placed.append(_Placed(_PageMarker(page, 2), Rect(
                body.x, body.bottom - marker + 12, body.width, marker - 12)))
            body = Rect(body.x, body.y, body.width, body.height - marker)
            if page == 0:
                placed.append(_Placed(timelines[0], body))
                return placed
        else:
            placed.append(_Placed(timelines[0], Rect(body.x, body.y, body.width, need)))
            body = Rect(body.x, body.y + need + gap, body.width, body.height - need - gap)
            if not others or body.height <= 0:
                return placed
    area = body
    side_items = rosters[:1] + timers[:1]
    if side_items:
        side_w = min(SIDE_WIDTH, area.width * 2 // 5)
        if ctx.rtl:
            side = Rect(area.x, area.y, side_w, area.height)
            area = Rect(area.x + side_w + gap * 3 // 2, area.y,
                        area.width - side_w - gap * 3 // 2, area.height)
        else:
            side = Rect(area.right - side_w, area.y, side_w, area.height)
            area = Rect(area.x, area.y, area.width - side_w - gap * 3 // 2, area.height)
        y = side.y
        for timer in timers[:1]:
            th = min(TIMER_HEIGHT, side.height // 3)
            placed.append(_Placed(timer, Rect(side.x, y, side.width, th)))
            y += th + gap // 2
        for reacts in reactions[:1]:
            for compact in (False, True):
                rh = _reactions_layout(ctx, reacts, side.width, compact=compact).height
                room = (side.width, side.bottom - y - rh - gap // 2)
                if not rosters or ctx.roster_fits is None or ctx.roster_fits(rosters[0], room):
                    placed.append(_Placed(reacts, Rect(side.x, y, side.width, rh),
                                          role="compact" if compact else ""))
                    y += rh + gap // 2
                    break
            else:
                # Under the card instead: the roster keeps its room.
                cards = [i for i, e in enumerate(main) if isinstance(e, CardElement)]
                main.insert(cards[-1] + 1 if cards else 0, reacts)
        for roster in rosters[:1]:
            placed.append(_Placed(roster, Rect(side.x, y, side.width, side.bottom - y),
                                  role="list"))
    if boards:
        placed.insert(0, _Placed(boards[0], area))
        geo = _board_geometry(len(boards[0].spaces), area)
        area = geo.inner
        if dice:
            # The die has a place of its own, so it never covers a word: the top end corner
            # of a card (whose heading leaves it free), else above the words.
            d = _die_size(ctx)
            stacked = _stack(ctx, main + joins, area, gap)
            card = next((p for p in stacked if isinstance(p.element, CardElement)), None)
            if card is not None and card.rect.y == area.y:
                card.role = "die"
                corner = _die_corner(ctx, card.rect, d)
                return [*placed, *stacked, _Placed(dice[0], corner)]
            corner = Rect(area.x if ctx.rtl else area.right - d, area.y, d, d)
            placed.append(_Placed(dice[0], corner))
            area = Rect(area.x, area.y + d + gap // 2, area.width, area.height - d - gap // 2)
    placed += _stack(ctx, main + joins, area, gap)
    return placed


def _die_size(ctx: _Ctx) -> int:
    """The die beside a board's card: a little larger than the card's theme disc."""
    return ctx.sz.status + 58


def _die_corner(ctx: _Ctx, card: Rect, d: int) -> Rect:
    """Where the die lies on a card placed at ``card`` (see ``_card_layout``)."""
    box = card.inflate(-8, -20)
    box.y = card.y + 4
    x = box.x + DIE_INSET if ctx.rtl else box.right - DIE_INSET - d
    return Rect(x, box.y + DIE_INSET, d, d)


# -- the board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _BoardGeometry:
    centres: tuple[tuple[float, float], ...]
    angles: tuple[float, ...]
    inward: tuple[tuple[float, float], ...]
    side: int
    inner: Rect


_geometry_cache: dict[tuple[int, tuple[int, int, int, int]], _BoardGeometry] = {}


def _board_geometry(count: int, rect: Rect) -> _BoardGeometry:
    """Where the spaces of a board of ``count`` go in ``rect``: round a rectangle with rounded
    corners, clockwise from the top left; with each space's turn (degrees), the direction
    towards the inside of the loop, the spaces' side and the free area inside the loop."""
    key = (count, (rect.x, rect.y, rect.width, rect.height))
    found = _geometry_cache.get(key)
    if found is not None:
        return found
    count = max(1, count)
    side = min(132.0, rect.height / 6, rect.width / 6)

    def segments_for(side: float) -> tuple[list[tuple[str, tuple[float, float], Any, float,
                                                      tuple[float, float]]], float]:
        path = Rect(rect).inflate(-round(side * 1.3), -round(side * 1.3))
        corner = min(side * 1.25, path.height / 2, path.width / 2)
        sw, sh = path.width - 2 * corner, path.height - 2 * corner
        arc = math.pi * corner / 2
        return [
            ("line", (path.left + corner, path.top), (1, 0), sw, (0, 1)),
            ("arc", (path.right - corner, path.top + corner), -math.pi / 2, arc, (0, 0)),
            ("line", (path.right, path.top + corner), (0, 1), sh, (-1, 0)),
            ("arc", (path.right - corner, path.bottom - corner), 0.0, arc, (0, 0)),
            ("line", (path.right - corner, path.bottom), (-1, 0), sw, (0, -1)),
            ("arc", (path.left + corner, path.bottom - corner), math.pi / 2, arc, (0, 0)),
            ("line", (path.left, path.bottom - corner), (0, -1), sh, (1, 0)),
            ("arc", (path.left + corner, path.top + corner), math.pi, arc, (0, 0)),
        ], corner

    for _ in range(4):
        segments, corner = segments_for(side)
        spacing = sum(seg[3] for seg in segments) / count
        side = min(132.0, rect.height / 6, rect.width / 6, spacing * 0.8)
    segments, corner = segments_for(side)
    length = sum(seg[3] for seg in segments)
    centres: list[tuple[float, float]] = []
    angles: list[float] = []
    inward: list[tuple[float, float]] = []
    for i in range(count):
        d = (i + 0.5) * length / count
        point: tuple[float, float] = (rect.centerx, rect.centery)
        angle, normal = 0.0, (0.0, 0.0)
        for kind, origin, direction, seg_len, towards in segments:
            if d > seg_len:
                d -= seg_len
                continue
            if kind == "line":
                dx, dy = direction
                point, angle, normal = (origin[0] + dx * d, origin[1] + dy * d), 0.0, towards
            else:
                a = float(direction) + (d / corner if corner else 0.0)
                point = (origin[0] + corner * math.cos(a), origin[1] + corner * math.sin(a))
                angle = math.degrees(a) + 90
                normal = (-math.cos(a), -math.sin(a))
            break
        centres.append(point)
        angles.append(angle)
        inward.append((float(normal[0]), float(normal[1])))
    margin = round(side * 1.3 + 20)
    inner = Rect(rect).inflate(-2 * margin, -2 * margin)
    found = _BoardGeometry(tuple(centres), tuple(angles), tuple(inward), round(side), inner)
    _geometry_cache[key] = found
    return found


def _token_slots(count: int, side: int) -> tuple[list[tuple[float, float]], int]:
    """Offsets and disc diameter for ``count`` tokens sharing one space of ``side`` px."""
    if count <= 1:
        return [(0.0, 0.0)], round(side * 0.72)
    if count <= 4:
        ring, size = side * 0.3, side * 0.56
    elif count <= 7:
        ring, size = side * 0.42, side * 0.48
    else:
        ring, size = side * 0.55, side * 0.42
    slots = [(ring * math.cos(-math.pi / 2 + 2 * math.pi * i / count),
              ring * math.sin(-math.pi / 2 + 2 * math.pi * i / count)) for i in range(count)]
    return slots, round(size)


@dataclass(frozen=True)
class _Drawn:
    """An element drawn once and kept: its picture and what became of its text."""

    surface: pygame.Surface
    issues: tuple[TextIssue, ...] = ()
    texts: tuple[tuple[str, str], ...] = ()


@dataclass
class _CardLayout:
    """Where the parts of a card go in its box, and their text set."""

    compact: bool
    inner: Rect
    body: Typeset
    body_rect: Rect
    badge: Rect | None = None
    badge_name: Typeset | None = None
    kind: Typeset | None = None
    kind_rect: Rect | None = None
    title: Typeset | None = None
    title_rect: Rect | None = None
    title_align: str = "center"
    rule_y: int | None = None


class Renderer:
    """Draws scenes, keeping what it drew for the next frame. One per screen window.

    Use :func:`render` unless you need a renderer of your own (a test drawing two screens
    side by side, say). :attr:`report` is what became of the last frame's text.
    """

    def __init__(self, pictures: Pictures | None = None) -> None:
        self.pictures = pictures
        """Where content pictures come from; without it a picture is shown by its words."""
        self.text = TextKit()
        self.pager = Pager()
        self.report = RenderReport()
        self._elements: OrderedDict[tuple[Any, ...], _Drawn] = OrderedDict()
        self._durations: dict[tuple[Any, ...], tuple[int, ...]] = {}
        self._design: pygame.Surface | None = None
        self._veil: pygame.Surface | None = None
        self._roster_fit: dict[tuple[Any, ...], bool] = {}

    # -- the frame -------------------------------------------------------------------------

    def render(self, scene: Scene, surface: pygame.Surface, *, lang: str | None = None,
               options: ScreenOptions | None = None, now_ms: int = 0,
               motion: Animator | None = None) -> RenderReport:
        """Draw ``scene`` onto ``surface``. See :func:`render`."""
        options = options or ScreenOptions()
        if surface.get_size() != DESIGN_SIZE:
            if self._design is None:
                self._design = pygame.Surface(DESIGN_SIZE)
            report = self.render(scene, self._design, lang=lang, options=options,
                                 now_ms=now_ms, motion=motion)
            present(self._design, surface)
            return report
        ctx = _Ctx(pal=palette_for(options), sz=sizes_for(options), lang=lang or options.lang,
                   options=options, now_ms=now_ms, motion=motion, scene=scene, text=self.text,
                   pager=self.pager, pictures=self.pictures)
        ctx.roster_fits = lambda roster, size: self._roster_list_fits(ctx, roster, size)
        for element in scene.elements:
            if isinstance(element, RosterElement):
                for entry in element.entries:
                    ctx.avatars[entry.seat] = entry
        self.pager.begin_frame()
        surface.fill(ctx.pal.background)
        self._header(surface, ctx, scene)
        counters: dict[str, int] = {}
        plan = _plan(ctx, scene)
        for placed in plan:
            if isinstance(placed.element, _PageMarker):
                ctx.element = "column"
                _page_marker(surface, ctx, placed.rect, placed.element.page,
                             placed.element.pages, ctx.pal.muted)
                continue
            kind = placed.element.kind
            placed.index = counters.get(kind, 0)
            counters[kind] = placed.index + 1
            self._element(surface, ctx, placed)
        for placed in plan:
            # Tokens go over everything, so a walking token is never hidden.
            if isinstance(placed.element, BoardElement):
                self._tokens(surface, ctx, placed.element, placed.rect)
        if scene.overlay is not None:
            ctx.element = "pause"
            self._pause(surface, ctx, scene.overlay)
        self.pager.end_frame()
        if len(self._durations) > 512:
            self._durations.clear()
        self.report = RenderReport(issues=ctx.issues, paged=ctx.paged, texts=ctx.texts)
        return self.report

    def turn_page(self, step: int = 1, now_ms: int = 0) -> bool:
        """Turn every paged text on show ``step`` pages on (back when negative), as a key on
        the screen's keyboard does. Returns whether anything was paged."""
        return self.pager.turn(step, now_ms)

    def next_page_ms(self, now_ms: int) -> int | None:
        """Milliseconds until a paged text turns by itself (the screen wakes up for it)."""
        return self.pager.next_turn_ms(now_ms)

    def _header(self, surface: pygame.Surface, ctx: _Ctx, scene: Scene) -> None:
        if scene.title is None:
            return
        ctx.element = "header"
        has_progress = any(isinstance(e, ProgressElement) for e in scene.elements)
        width = DESIGN_SIZE[0] - 2 * ctx.sz.margin - (720 if has_progress else 0)
        x = ctx.sz.margin + (720 if has_progress and ctx.rtl else 0)
        title = self.text.fit_label(ctx.pick(scene.title), width, HEADER_H,
                                    size=ctx.sz.header, floor=ctx.sz.title_floor, bold=True)
        _blit_lines(surface, ctx, title.lines, title.size, ctx.pal.muted,
                    Rect(x, HEADER_Y, width, HEADER_H), role="title", bold=True,
                    valign="middle", spacing=1.15)

    def _element(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        element, rect = placed.element, placed.rect
        if rect.width <= 0 or rect.height <= 0:
            return
        draw = self._drawers()[element.kind]
        if isinstance(element, BoardElement):
            # Tokens are drawn on top every frame: a move must not redraw the whole board.
            content = repr((element.spaces, element.highlight))
        else:
            content = element.model_dump_json()
        if isinstance(element, ImageElement):
            # Drawn again once the picture has arrived (its words stood in until then).
            content = f"{content}|{_picture_of(ctx, element) is not None}"
        elif isinstance(element, TimelineElement) and ctx.pictures is not None:
            content = f"{content}|" + "".join(
                "1" if item.icon and ctx.pictures.state(item.icon) == "ready" else "0"
                for stage in element.stages for item in stage.items)
        base = (element.kind, content, tuple(rect), placed.role, ctx.options, ctx.lang)
        known = self._durations.get(base)
        if known:
            placed.page = ctx.page(base, known)
            ctx.paged.append((element.kind, placed.page, len(known)))
        sub = replace(ctx, issues=[], paged=[], texts=[], element=element.kind)
        if self._animated(ctx, placed) or isinstance(element, TimerElement | DieElement):
            # (A die is drawn afresh each frame: it lies on a card, with the card showing
            # round it.)
            draw(surface, sub, placed)
            ctx.issues.extend(sub.issues)
            ctx.texts.extend(sub.texts)
            self._learn(ctx, base, placed.durations, known)
            return
        key = (*base, placed.page)
        entry = self._elements.get(key)
        if entry is None:
            cached = pygame.Surface(rect.size)
            cached.fill(ctx.pal.background)
            local = _Placed(element, Rect(0, 0, rect.width, rect.height), placed.role,
                            placed.index, placed.page)
            draw(cached, sub, local)
            entry = _Drawn(cached, tuple(sub.issues), tuple(sub.texts))
            self._elements[key] = entry
            if len(self._elements) > 48:
                self._elements.popitem(last=False)
            self._learn(ctx, base, local.durations, known)
        else:
            self._elements.move_to_end(key)
        ctx.issues.extend(entry.issues)
        ctx.texts.extend(entry.texts)
        surface.blit(entry.surface, rect)

    def _learn(self, ctx: _Ctx, base: tuple[Any, ...], durations: Sequence[int],
               known: tuple[int, ...] | None) -> None:
        """An element found to need pages: its first page is on show from now."""
        if len(durations) > 1 and known is None:
            self._durations[base] = tuple(durations)
            ctx.page(base, durations)
            ctx.paged.append((str(base[0]), 0, len(durations)))

    def _animated(self, ctx: _Ctx, placed: _Placed) -> bool:
        motion = ctx.motion
        if motion is None or not motion.active(ctx.now_ms):
            return False
        element = placed.element
        if isinstance(element, CardElement):
            return motion.card_turn(placed.index, ctx.now_ms) is not None
        if isinstance(element, VoteTallyElement):
            return motion.tally_counts(placed.index, ctx.now_ms) is not None
        if isinstance(element, RosterElement):
            return any(motion.appear(e.seat, ctx.now_ms) < 1 for e in element.entries)
        if isinstance(element, DieElement):
            return motion.die_roll(ctx.now_ms) is not None
        if isinstance(element, ReactionsElement):
            return any(motion.reaction_pop(c.reaction.value, ctx.now_ms) != 1.0
                       for c in element.counts)
        return False

    def _drawers(self) -> dict[str, Callable[[pygame.Surface, _Ctx, _Placed], None]]:
        return {
            "board": self._board, "card": self._card, "text": self._text_block,
            "roster": self._roster, "timer": self._timer, "progress": self._progress,
            "join": self._join, "tally": self._tally, "story": self._story,
            "locks": self._locks, "die": self._die_face, "image": self._image,
            "timeline": self._timeline,
            "reactions": self._reactions,
        }

    def _die_face(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """The die in its place: tumbling while a roll is explained, then at rest showing the
        number rolled."""
        element: DieElement = placed.element
        size = min(placed.rect.height, placed.rect.width, 220)
        face, angle = min(max(element.value, 1), 6), 0.0
        roll = ctx.motion.die_roll(ctx.now_ms) if ctx.motion else None
        if roll is not None:
            face, angle = roll.face, roll.angle
        img = icons.draw_die(face, size, ctx.pal.card, ctx.pal.card_ink, ctx.pal.accent)
        if angle:
            img = pygame.transform.rotate(img, angle)
        surface.blit(img, (placed.rect.centerx - img.get_width() // 2,
                           placed.rect.centery - img.get_height() // 2))

    # -- board -----------------------------------------------------------------------------

    def _board(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """The still part of the board: the track and its spaces (tokens move, so they are
        drawn every frame on top)."""
        board: BoardElement = placed.element
        geo = _board_geometry(len(board.spaces), placed.rect)
        pal = ctx.pal
        if len(geo.centres) > 1:
            pygame.draw.lines(surface, pal.track, True, geo.centres, max(12, geo.side // 4))
        lit_at: tuple[pygame.Surface, tuple[int, int]] | None = None
        for i, (space, centre, angle) in enumerate(zip(board.spaces, geo.centres, geo.angles,
                                                       strict=False)):
            lit = board.highlight == i
            img = icons.tile(space.icon, parse_colour(space.colour), geo.side, angle=angle,
                             edge=pal.disc_ring if lit else pal.background,
                             edge_width=max(4, geo.side // 22) if lit else 3,
                             halo=pal.accent if lit else None)
            at = (round(centre[0] - img.get_width() / 2), round(centre[1] - img.get_height() / 2))
            if lit:
                lit_at = (img, at)
            else:
                surface.blit(img, at)
        if lit_at is not None:
            surface.blit(*lit_at)
        self._start_arrow(surface, ctx, geo)

    def _start_arrow(self, surface: pygame.Surface, ctx: _Ctx, geo: _BoardGeometry) -> None:
        """A chevron on the track after the first space, so the direction of play is clear."""
        if len(geo.centres) < 2:
            return
        (x0, y0), (x1, y1) = geo.centres[0], geo.centres[1]
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1
        dx, dy = dx / length, dy / length
        s = max(10.0, min(geo.side * 0.2, (length - geo.side) * 0.45))
        pts = [(mx + dx * s, my + dy * s), (mx - dx * s - dy * s, my - dy * s + dx * s),
               (mx - dx * s + dy * s, my - dy * s - dx * s)]
        pygame.draw.polygon(surface, ctx.pal.ink, pts)

    def _tokens(self, surface: pygame.Surface, ctx: _Ctx, board: BoardElement,
                rect: Rect) -> None:
        """Each seat's token on its space: avatar discs, spread out when several share a
        space, the one whose turn it is on top with a halo; a token that is walking is drawn
        where the animator says."""
        geo = _board_geometry(len(board.spaces), rect)
        if not geo.centres:
            return
        n = len(geo.centres)
        standing: dict[int, list[str]] = {}
        moving: list[tuple[str, float]] = []
        for token in board.tokens:
            pos = ctx.motion.token_position(token.seat, ctx.now_ms) if ctx.motion else None
            if pos is None:
                standing.setdefault(token.space % n, []).append(token.seat)
            else:
                moving.append((token.seat, pos))
        last: list[tuple[pygame.Surface, float, float]] = []
        for space, seats in standing.items():
            slots, size = _token_slots(len(seats), geo.side)
            cx, cy = geo.centres[space]
            nx, ny = geo.inward[space]
            shift = geo.side * (0.2 if len(seats) > 1 else 0.12)
            cx, cy = cx + nx * shift, cy + ny * shift
            for seat, (ox, oy) in zip(seats, slots, strict=True):
                img = self._token_disc(ctx, seat, size)
                entry = ctx.avatars.get(seat)
                if entry is not None and entry.status is SeatStatus.turn:
                    last.append((img, cx + ox, cy + oy))
                    continue
                self._blit_token(surface, img, cx + ox, cy + oy)
        for img, x, y in last:
            self._blit_token(surface, img, x, y)
        for seat, pos in moving:
            i = math.floor(pos) % n
            frac = pos - math.floor(pos)
            (x0, y0), (x1, y1) = geo.centres[i], geo.centres[(i + 1) % n]
            x, y = x0 + (x1 - x0) * frac, y0 + (y1 - y0) * frac
            y -= math.sin(math.pi * frac) * geo.side * 0.45
            self._blit_token(surface, self._token_disc(ctx, seat, round(geo.side * 0.8)), x, y)

    @staticmethod
    def _blit_token(surface: pygame.Surface, img: pygame.Surface, x: float, y: float) -> None:
        size = img.get_width()
        drop = max(3, size // 12)
        surface.blit(icons.shadow(size), (round(x - size / 2 + drop / 2),
                                          round(y - size / 2 + drop)))
        surface.blit(img, (round(x - size / 2), round(y - size / 2)))

    def _token_disc(self, ctx: _Ctx, seat: str, size: int) -> pygame.Surface:
        entry = ctx.avatars.get(seat)
        ring = max(3, size // 14)
        if entry is None:
            return icons.disc("question", (127, 127, 127), size, ring=ctx.pal.disc_ring,
                              ring_width=ring)
        turn = entry.status is SeatStatus.turn
        return icons.disc(entry.avatar.icon.value, parse_colour(entry.avatar.colour.value), size,
                          ring=ctx.pal.disc_ring, ring_width=ring, dim=not entry.connected,
                          halo=ctx.pal.accent if turn else None)

    # -- card ------------------------------------------------------------------------------

    def _card(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        card: CardElement = placed.element
        rect = placed.rect
        turn = ctx.motion.card_turn(placed.index, ctx.now_ms) if ctx.motion else None
        if turn is None:
            self._card_face(surface, ctx, card if card.face_up else None, rect, placed)
            return
        face = self._card_surface(ctx, turn.showing, rect.size, placed.role)
        width = max(2, round(rect.width * turn.squeeze))
        squeezed = pygame.transform.scale(face, (width, rect.height))
        surface.blit(squeezed, (rect.centerx - width // 2, rect.y))

    def _card_surface(self, ctx: _Ctx, card: CardElement | None, size: tuple[int, int],
                      role: str) -> pygame.Surface:
        """A card's first page, for turning over."""
        key = ("cardface", card.model_dump_json() if card else None, size, role, ctx.options,
               ctx.lang)
        found = self._elements.get(key)
        if found is None:
            face = pygame.Surface(size)
            face.fill(ctx.pal.background)
            quiet = replace(ctx, issues=[], paged=[], texts=[])
            self._card_face(face, quiet, card, Rect((0, 0), size),
                            _Placed(card, Rect((0, 0), size), role))
            found = _Drawn(face)
            self._elements[key] = found
            if len(self._elements) > 48:
                self._elements.popitem(last=False)
        return found.surface

    def _card_face(self, surface: pygame.Surface, ctx: _Ctx, card: CardElement | None,
                   rect: Rect, placed: _Placed) -> None:
        """A card as large as ``rect``: theme badge and kind, title, and the text (a page of it
        when it needs more than one)."""
        pal = ctx.pal
        box = rect.inflate(-8, -20)
        box.y = rect.y + 4
        _panel(surface, ctx, box, fill=pal.card, edge=pal.card_edge, radius=36, shadow=True,
               width=max(3, pal.outline))
        if card is None:
            self._card_back(surface, ctx, box)
            return
        die = placed.role == "die"
        lay = self._card_layout(ctx, card, box, compact=False, die=die)
        if card.theme is not None and (len(lay.body.pages) > 1 or lay.body.overflow
                                       or lay.body.size < ctx.sz.card_body):
            # A small card (inside a board) keeps its room for the text: the title goes beside
            # the theme badge and the card's kind is left out, when the text gains by it.
            small = self._card_layout(ctx, card, box, compact=True, die=die)

            def rank(lay: _CardLayout) -> tuple[bool, int, int]:
                return lay.body.overflow, len(lay.body.pages), -lay.body.size

            if rank(small) < rank(lay):
                lay = small
        if lay.badge is not None and lay.badge_name is not None and card.theme is not None:
            self._theme_badge(surface, ctx, card, lay.badge, lay.badge_name)
        if lay.kind is not None and lay.kind_rect is not None:
            _blit_lines(surface, ctx, lay.kind.lines, lay.kind.size, pal.card_muted,
                        lay.kind_rect, role="label", align="end", valign="middle",
                        spacing=1.15)
        if lay.title is not None and lay.title_rect is not None:
            _blit_lines(surface, ctx, lay.title.lines, lay.title.size, pal.card_ink,
                        lay.title_rect, role="title", bold=True, align=lay.title_align,
                        valign="middle")
        if lay.rule_y is not None:
            cx = lay.inner.centerx
            pygame.draw.line(surface, pal.card_edge, (cx - 120, lay.rule_y),
                             (cx + 120, lay.rule_y), 4)
        body, area = lay.body, lay.body_rect
        lines = body.page(placed.page)
        placed.durations = ctx.durations(body.pages)
        if len(body.pages) > 1:
            marker = _marker_height(ctx)
            _page_marker(surface, ctx, area, placed.page % len(body.pages), len(body.pages),
                         pal.card_muted)
            area = Rect(area.x, area.y, area.width, area.height - marker)
        # A short question sits in the middle; a longer text reads easier from a straight edge.
        _blit_lines(surface, ctx, lines, body.size, pal.card_ink, area, role="body",
                    align="center" if len(body.lines) <= 3 and len(body.pages) == 1
                    else "left", valign="middle" if len(body.pages) == 1 else "top",
                    spacing=1.35)

    def _card_layout(self, ctx: _Ctx, card: CardElement, box: Rect, *, compact: bool,
                     die: bool = False) -> _CardLayout:
        """Where a card's parts go in ``box``: the badge (a name that does not fit one line
        wraps), the kind at the other end, the title beside the badge when compact and it
        fits there, else under them, and the text in what is left. With ``die`` the heading
        leaves the top end corner to the die."""
        sz, kit = ctx.sz, self.text
        pad = 36 if compact else 52
        inner = box.inflate(-2 * pad, -2 * pad + 12)
        disc = sz.status + 36
        y = inner.y
        d = _die_size(ctx)
        row_w = inner.width - (d + DIE_INSET + 16 - pad if die else 0)
        title = ctx.pick(card.title) if card.title is not None else None
        show_kind = card.card_kind is not None and not compact
        badge: Rect | None = None
        badge_name: Typeset | None = None
        kind: Typeset | None = None
        kind_rect: Rect | None = None
        title_set: Typeset | None = None
        title_rect: Rect | None = None
        title_align = "center"
        rule_y: int | None = None

        def mirrored(r: Rect) -> Rect:
            return Rect(inner.x + inner.right - r.right, r.y, r.width, r.height) if ctx.rtl \
                else r

        if card.theme is not None or show_kind:
            kind_w = 0
            if show_kind:
                kind = kit.fit_label(ctx.pick(card.card_kind), row_w // 3, disc + 40,
                                     size=sz.status, floor=sz.label_floor)
                kind_w = max(kit.width(line, kind.size) for line in kind.lines)
            row_h = max(disc, kit.block_height(kind.size, len(kind.lines), False, 1.15)
                        if kind is not None else 0)
            if card.theme is not None:
                name_w = row_w - disc - 20 - (kind_w + 24 if show_kind else 0)
                badge_name = kit.fit_label(ctx.pick(card.theme.name), name_w, disc + 40,
                                           size=sz.status + 4, floor=sz.label_floor, bold=True)
                row_h = max(row_h, kit.block_height(badge_name.size, len(badge_name.lines),
                                                    True, 1.15))
                used = max(kit.width(line, badge_name.size, True) for line in badge_name.lines)
                badge = mirrored(Rect(inner.x, y, min(row_w, disc + 20 + used), row_h))
            if kind is not None:
                kind_rect = mirrored(Rect(inner.x + row_w - kind_w, y, kind_w, row_h))
            if compact and title and badge is not None:
                room = row_w - badge.width - 32
                size, _ = kit.fit_line(title, room, size=sz.card_title, floor=sz.title_floor,
                                       bold=True)
                if room > 0 and kit.width(title, size, True) <= room:
                    title_set = Typeset(size, ((title,),))
                    title_rect = mirrored(Rect(inner.x + row_w - room, y - 6, room,
                                               row_h + 12))
                    title_align = "end"
                    title = None
            y += row_h + (20 if compact else 24)
        if die:
            y = max(y, box.y + DIE_INSET + d + 12)
        gap = 20 if compact else 48
        rest = Rect(inner.x, y, inner.width, max(0, inner.bottom - y))
        head, body = _title_and_body(ctx, title or None, ctx.pick(card.body), rest,
                                     title=(sz.card_title, sz.title_floor),
                                     body=(sz.card_body, sz.body_floor), gap=gap,
                                     spacing=1.35)
        if head is not None:
            h = kit.block_height(head.size, len(head.lines), True)
            title_set, title_rect = head, Rect(inner.x, y, inner.width, h)
            if not compact:
                rule_y = y + h + 22
            y += h + gap
        body_rect = Rect(inner.x, y, inner.width, max(0, inner.bottom - y))
        return _CardLayout(compact=compact, inner=inner, body=body, body_rect=body_rect,
                           badge=badge, badge_name=badge_name, kind=kind, kind_rect=kind_rect,
                           title=title_set, title_rect=title_rect, title_align=title_align,
                           rule_y=rule_y)

    def _theme_badge(self, surface: pygame.Surface, ctx: _Ctx, card: CardElement,
                     rect: Rect, name: Typeset) -> None:
        """The theme's disc and its name, underlined in its colour: never colour alone."""
        theme = card.theme
        assert theme is not None
        colour = parse_colour(theme.colour)
        d = ctx.sz.status + 36
        disc_x = rect.right - d if ctx.rtl else rect.x
        surface.blit(icons.disc(theme.icon, colour, d, ring=ctx.pal.card_ink, ring_width=2),
                     (disc_x, rect.y + (rect.height - d) // 2))
        words = Rect(rect.x if ctx.rtl else rect.x + d + 20, rect.y, rect.width - d - 20,
                     rect.height)
        bottom = _blit_lines(surface, ctx, name.lines, name.size, ctx.pal.card_ink, words,
                             role="label", bold=True, valign="middle", spacing=1.15)
        last = self.text.width(name.lines[-1], name.size, True) if name.lines else 0
        x0 = words.right - last if ctx.rtl else words.x
        y = min(rect.bottom - 2, bottom + 4)
        pygame.draw.line(surface, colour, (x0, y), (x0 + last, y), 6)

    def _card_back(self, surface: pygame.Surface, ctx: _Ctx, box: Rect) -> None:
        """A card not yet turned: a calm pattern of Piiri's circle and the word "card"."""
        pal = ctx.pal
        inner = box.inflate(-40, -40)
        back = mix(pal.card, pal.background, 0.8)
        pygame.draw.rect(surface, back, inner, border_radius=26)
        cx, cy = inner.center
        r = min(inner.width, inner.height) // 4
        line = mix(back, pal.card, 0.35)
        for dx in (-r * 0.6, r * 0.6):
            pygame.draw.circle(surface, line, (cx + dx, cy - r * 0.15), r, 8)
        word = say("card.back", ctx.lang)
        ctx.note(word, ctx.sz.body, "body", bold=True)
        img = self.text.render(word, ctx.sz.body, pal.card, True)
        surface.blit(img, img.get_rect(center=(cx, cy + r + ctx.sz.body)))

    # -- text ------------------------------------------------------------------------------

    def _text_block(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: TextBlockElement = placed.element
        rect = placed.rect
        pal = ctx.pal
        spec = _block_spec(ctx, el)
        start, top, end, bottom = spec.inset
        if el.style == "hint":
            _panel(surface, ctx, rect, fill=pal.panel, edge=pal.hint,
                   radius=24, width=max(3, pal.outline))
            icon_size = 84
            icon_x = rect.right - 28 - icon_size if ctx.rtl else rect.x + 28
            surface.blit(icons.icon("bulb", icon_size, pal.hint), (icon_x, rect.y + 28))
        box = Rect(rect.x + (end if ctx.rtl else start), rect.y + top,
                   rect.width - start - end, rect.height - top - bottom)
        title, body = _set_block(ctx, el, box)
        lines = body.page(placed.page)
        placed.durations = ctx.durations(body.pages)
        paged = len(body.pages) > 1
        kit = self.text
        align = "center" if el.style in ("title", "note") else "left"
        colour = pal.muted if el.style == "note" else pal.ink
        title_h = (kit.block_height(title.size, len(title.lines), True) + spec.title_gap
                   if title is not None else 0)
        total = title_h + kit.block_height(body.size, len(lines))
        y = box.y
        if el.style != "hint" and not paged:
            y += max(0, (box.height - total) // 2)
        if title is not None:
            title_colour = (pal.accent if el.style == "title" else pal.hint
                            if el.style == "hint" else pal.ink)
            _blit_lines(surface, ctx, title.lines, title.size, title_colour,
                        Rect(box.x, y, box.width, title_h - spec.title_gap),
                        role=spec.title_role, bold=True, align=align)
            y += title_h
        area = Rect(box.x, y, box.width, box.bottom - y)
        if paged:
            _page_marker(surface, ctx, area, placed.page % len(body.pages), len(body.pages),
                         pal.muted)
            area = Rect(area.x, area.y, area.width, area.height - _marker_height(ctx))
        _blit_lines(surface, ctx, lines, body.size, colour, area, role=spec.role, align=align)

    # -- roster ----------------------------------------------------------------------------

    def _roster(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: RosterElement = placed.element
        if placed.role == "tiles":
            self._roster_tiles(surface, ctx, el, placed.rect)
        else:
            self._roster_list(surface, ctx, el, placed.rect)

    def _roster_list_fits(self, ctx: _Ctx, el: RosterElement, size: tuple[int, int]) -> bool:
        """Whether the roster list ``el`` fits ``size`` with every name and status whole (it is
        drawn once aside to see; the answer is kept)."""
        key = (el.model_dump_json(), size, ctx.options, ctx.lang)
        found = self._roster_fit.get(key)
        if found is None:
            if size[0] <= 0 or size[1] <= 0:
                return False
            quiet = replace(ctx, issues=[], paged=[], texts=[], motion=None, element="roster")
            self._roster_list(pygame.Surface(size), quiet, el, Rect((0, 0), size))
            found = not quiet.issues
            if len(self._roster_fit) > 64:
                self._roster_fit.clear()
            self._roster_fit[key] = found
        return found

    def _roster_tiles(self, surface: pygame.Surface, ctx: _Ctx, el: RosterElement,
                      rect: Rect) -> None:
        """Big avatars with names, for the lobby and the closing: who is here."""
        n = len(el.entries)
        if n == 0:
            return
        kit, pal, sz = self.text, ctx.pal, ctx.sz
        if ctx.scene.layout == "lobby":
            # Everyone sees their name appear under "Mukana: 3" as they join.
            heading = f"{say('lobby.here', ctx.lang)}: {n}"
            _blit_lines(surface, ctx, [heading], sz.name, pal.muted,
                        Rect(rect.x, rect.y, rect.width, sz.name * 2), role="label",
                        bold=True, align="center")
            rect = Rect(rect.x, rect.y + sz.name * 2, rect.width, rect.height - sz.name * 2)
        best = None
        for cols in range(1, n + 1):
            rows = math.ceil(n / cols)
            w = rect.width // cols
            h = rect.height // rows
            # Every name on at most two lines at the label floor, before the largest avatars.
            lines = max(len(kit.wrap(e.nickname, sz.label_floor, w - 16, True))
                        for e in el.entries)
            name_h = max(sz.name, kit.block_height(sz.label_floor, lines, True, 1.15))
            disc = min(w - 40, h - name_h - 50, 190)
            if best is None or (lines <= 2, disc) > (best[3] <= 2, best[0]):
                best = (disc, cols, rows, lines, name_h)
        assert best is not None
        disc, cols, rows, _, name_h = best
        disc = max(48, disc)
        tile_w = rect.width // cols
        # One name size for everyone (the smallest any name needs), so no name looks lesser.
        name_size = min(kit.fit_line(e.nickname, tile_w - 16, size=sz.name,
                                     floor=sz.label_floor, bold=True)[0] for e in el.entries)
        tile_h = min(rect.height // rows, disc + name_h + 70)
        top = rect.y + (rect.height - tile_h * rows) // 2 if rows * tile_h < rect.height \
            and rect.height < 500 else rect.y
        for i, entry in enumerate(el.entries):
            row, col = divmod(i, cols)
            in_row = min(cols, n - row * cols)
            x0 = rect.x + (rect.width - in_row * tile_w) // 2 + col * tile_w
            y0 = top + row * tile_h
            appear = ctx.motion.appear(entry.seat, ctx.now_ms) if ctx.motion else 1.0
            img = self._avatar(ctx, entry, disc)
            tile = pygame.Surface((tile_w, tile_h), pygame.SRCALPHA)
            tile.blit(img, ((tile_w - disc) // 2, 10))
            status = None if entry.connected else self._status_chip(ctx, entry, sz.status,
                                                                    pal.muted, tile_w - 16)
            room = tile_h - disc - 24 - (status.get_height() if status is not None else 0)
            name = kit.fit_label(entry.nickname, tile_w - 16, room, size=name_size,
                                 floor=sz.label_floor, bold=True)
            y = _blit_lines(tile, ctx, name.lines, name.size, pal.ink,
                            Rect(8, disc + 24, tile_w - 16, room), role="label", bold=True,
                            align="center", spacing=1.15)
            if status is not None:
                tile.blit(status, ((tile_w - status.get_width()) // 2, y))
            if appear < 1:
                tile.set_alpha(round(255 * appear))
                y0 += round((1 - appear) * 40)
            surface.blit(tile, (x0, y0))

    def _avatar(self, ctx: _Ctx, entry: RosterEntry, size: int) -> pygame.Surface:
        turn = entry.status is SeatStatus.turn
        return icons.disc(entry.avatar.icon.value, parse_colour(entry.avatar.colour.value), size,
                          ring=ctx.pal.disc_ring, ring_width=max(3, size // 22),
                          dim=not entry.connected, halo=ctx.pal.accent if turn else None)

    def _status_chip(self, ctx: _Ctx, entry: RosterEntry, size: int, colour: RGB,
                     width: int, height: int = 0) -> pygame.Surface | None:
        """The status as a picture and words ("▶ Vuorossa") at most ``width`` wide: the words
        shrink to the label floor, never smaller, and take a second line when ``height``
        allows. None while simply waiting."""
        status = SeatStatus.away if not entry.connected else entry.status
        if status is SeatStatus.waiting:
            return None
        kit = self.text
        words = say(f"status.{status.value}", ctx.lang)
        bold = status is SeatStatus.turn
        room = width - round(size * 0.95) - 12
        floor = min(size, ctx.sz.label_floor)
        one = kit.font(size, bold).get_height()
        said = kit.fit_label(words, room, max(height, one), size=size, floor=floor, bold=bold,
                             spacing=1.05)
        ctx.note(words, said.size, "label", fits=not said.overflow, bold=bold)
        lines = [kit.render(line, said.size, colour, bold) for line in said.lines]
        step = line_height(said.size, 1.05)
        text_h = step * (len(lines) - 1) + lines[0].get_height()
        text_w = max(img.get_width() for img in lines)
        picture = icons.icon(status.value, round(size * 0.95), colour)
        chip = pygame.Surface((picture.get_width() + 12 + text_w,
                               max(picture.get_height(), text_h)), pygame.SRCALPHA)
        pic_x, text_x = (text_w + 12, 0) if ctx.rtl else (0, picture.get_width() + 12)
        first = lines[0].get_height()
        chip.blit(picture, (pic_x, max(0, (first - picture.get_height()) // 2)))
        for i, img in enumerate(lines):
            x = text_x + (text_w - img.get_width() if ctx.rtl else 0)
            chip.blit(img, (x, i * step))
        return chip

    def _roster_list(self, surface: pygame.Surface, ctx: _Ctx, el: RosterElement,
                     rect: Rect) -> None:
        """One row per person: avatar, nickname, and what they are doing in a picture and
        words. Two lines a row while they fit, then name and status side by side, then two
        columns."""
        n = len(el.entries)
        if n == 0:
            return
        sz = ctx.sz
        two_line = sz.name + sz.status + 40
        one_line = max(sz.name, sz.status) + 34
        if n * two_line * 0.9 <= rect.height:
            cols, row_h, stacked = 1, min(two_line + 16, rect.height // n), True
        elif n * one_line <= rect.height:
            cols, row_h, stacked = 1, min(one_line + 12, rect.height // n), False
        else:
            cols = 2
            row_h = rect.height // math.ceil(n / 2)
            stacked = True
        rows = math.ceil(n / cols)
        gap = 14 if cols > 1 else 0
        col_w = (rect.width - gap * (cols - 1)) // cols
        scale = min(1.0, row_h / (two_line if stacked else one_line))
        name_px = max(sz.label_floor, round(sz.name * scale))
        status_px = max(sz.label_floor, round(sz.status * scale))
        disc = max(36, min(row_h - 14, 64 if cols > 1 else 92))
        # Side by side, the statuses form a column just after the longest name.
        names_w = max(self.text.width(e.nickname, name_px, True) for e in el.entries)
        for i, entry in enumerate(el.entries):
            col, row = divmod(i, rows)
            if ctx.rtl:
                col = cols - 1 - col
            cell = Rect(rect.x + col * (col_w + gap), rect.y + row * row_h, col_w, row_h - 8)
            self._roster_row(surface, ctx, entry, cell, disc, name_px, status_px, stacked,
                             names_w)

    def _roster_row(self, surface: pygame.Surface, ctx: _Ctx, entry: RosterEntry, cell: Rect,
                    disc: int, name_px: int, status_px: int, stacked: bool,
                    names_w: int) -> None:
        pal, kit, floor = ctx.pal, self.text, ctx.sz.label_floor
        turn = entry.status is SeatStatus.turn and entry.connected
        if turn:
            _panel(surface, ctx, cell, fill=mix(pal.panel, pal.accent, 0.08), edge=pal.accent,
                   radius=20, width=max(4, pal.outline))
        appear = ctx.motion.appear(entry.seat, ctx.now_ms) if ctx.motion else 1.0
        img = self._avatar(ctx, entry, disc)
        if appear < 1:
            img = img.copy()
            img.set_alpha(round(255 * appear))

        def mirrored(r: Rect) -> Rect:
            return Rect(cell.x + cell.right - r.right, r.y, r.width, r.height) if ctx.rtl \
                else r

        surface.blit(img, mirrored(Rect(cell.x + 8, cell.centery - disc // 2, disc, disc)))
        tx = cell.x + disc + 24
        tw = cell.right - tx - 14
        colour = pal.accent if turn else pal.muted
        waiting = entry.connected and entry.status is SeatStatus.waiting
        if stacked or waiting:
            chip_least = 0 if waiting else kit.font(status_px).get_height() - 4
            name = kit.fit_label(entry.nickname, tw, cell.height - chip_least, size=name_px,
                                 floor=floor, bold=True)
            name_h = kit.block_height(name.size, len(name.lines), True, 1.15)
            chip = self._status_chip(ctx, entry, status_px, colour, tw,
                                     cell.height - name_h + 4)
            chip_h = chip.get_height() - 4 if chip is not None else 0
            y = cell.centery - (name_h + chip_h) // 2
            _blit_lines(surface, ctx, name.lines, name.size, pal.ink,
                        mirrored(Rect(tx, y, tw, name_h)), role="label", bold=True,
                        spacing=1.15)
            if chip is not None:
                surface.blit(chip, mirrored(Rect(tx, y + name_h - 4, chip.get_width(),
                                                 chip.get_height())))
            return
        chip = self._status_chip(ctx, entry, status_px, colour, tw // 2)
        assert chip is not None  # not waiting
        chip_x = min(tx + names_w + 28, cell.right - 14 - chip.get_width())
        room = chip_x - tx - 16
        name = kit.fit_label(entry.nickname, room, cell.height, size=name_px, floor=floor,
                             bold=True)
        _blit_lines(surface, ctx, name.lines, name.size, pal.ink,
                    mirrored(Rect(tx, cell.y, room, cell.height)), role="label", bold=True,
                    valign="middle", spacing=1.15)
        surface.blit(chip, mirrored(Rect(chip_x, cell.centery - chip.get_height() // 2,
                                         chip.get_width(), chip.get_height())))

    # -- timer and progress ----------------------------------------------------------------

    def _timer(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: TimerElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        remaining = el.remaining_ms
        if el.running and ctx.motion is not None:
            remaining -= max(0, ctx.now_ms - ctx.motion.scene_at_ms)
        remaining = max(0, remaining)
        fraction = remaining / el.total_ms if el.total_ms > 0 else 0.0
        d = min(rect.height, 230)
        centre = (rect.x + d / 2, rect.y + d / 2)
        colour = parse_colour("#56B4E9") if not ctx.options.high_contrast else pal.accent
        pygame.draw.circle(surface, pal.track, centre, d / 2, 22)
        _ring_segment(surface, colour, centre, d / 2, 22, -math.pi / 2, 2 * math.pi * fraction)
        seconds = math.ceil(remaining / 1000)
        label = f"{seconds // 60}:{seconds % 60:02d}"
        ctx.note(label, sz.body + 8, "body", bold=True)
        img = kit.render(label, sz.body + 8, pal.ink, True)
        surface.blit(img, img.get_rect(center=(round(centre[0]), round(centre[1]))))
        words_box = Rect(rect.x + d + 30, rect.y, rect.right - rect.x - d - 30, d)
        if remaining == 0:
            size, lines = kit.fit(say("time_up", ctx.lang), words_box.width, words_box.height,
                                  size=sz.status, floor=sz.note_floor)
            _blit_lines(surface, ctx, lines, size, pal.ink, words_box, role="note",
                        valign="middle")
        elif not el.running:
            pic = icons.icon("pause", sz.status, pal.muted)
            box = Rect(words_box.x + 60, words_box.y, words_box.width - 60, words_box.height)
            size, lines = kit.fit(say("timer.paused", ctx.lang), box.width, box.height,
                                  size=sz.status, floor=sz.note_floor)
            surface.blit(pic, (words_box.x, words_box.centery - pic.get_height() // 2))
            _blit_lines(surface, ctx, lines, size, pal.muted, box, role="note",
                        valign="middle")

    def _progress(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: ProgressElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        total = max(1, el.total)
        done = max(0, min(el.done, total))
        label = ctx.pick(el.label) if el.label is not None else f"{done}/{total}"
        if total <= 12:
            dot = 30
            step = 44
            track_w = step * (total - 1) + dot
        else:
            track_w = min(360, rect.width // 2)
        room = rect.width - track_w - 30
        words = kit.fit_label(label, room, rect.height, size=sz.status + 4,
                              floor=sz.label_floor, bold=True)
        x = rect.right - track_w
        cy = rect.centery
        _blit_lines(surface, ctx, words.lines, words.size, pal.ink,
                    Rect(x - 30 - room, rect.y, room, rect.height), role="label", bold=True,
                    align="right", valign="middle", spacing=1.15)
        if total <= 12:
            for i in range(total):
                c = (x + dot // 2 + i * step, cy)
                if i < done:
                    pygame.draw.circle(surface, pal.accent, c, dot // 2)
                else:
                    pygame.draw.circle(surface, pal.muted, c, dot // 2, 4)
        else:
            bar = Rect(x, cy - 14, track_w, 28)
            pygame.draw.rect(surface, pal.track, bar, border_radius=14)
            fill = bar.copy()
            fill.width = round(bar.width * done / total)
            if fill.width:
                pygame.draw.rect(surface, pal.accent, fill, border_radius=14)
            pygame.draw.rect(surface, pal.muted, bar, 3, border_radius=14)

    # -- join card -------------------------------------------------------------------------

    def _join(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """How to join: the words, a big QR code, the address for typing, and the room code
        in huge spaced letters with, under it, the short address of the page where the code is
        typed ("Tai kirjoita koodi osoitteessa 192.168.1.20:5000/j")."""
        el: JoinCardElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        _panel(surface, ctx, rect, radius=32)
        inner = rect.inflate(-64, -56)
        code = el.code.upper()
        code_size = sz.code
        while code_size > 80 and self._spaced_width(code, code_size) > inner.width:
            code_size -= 6
        code_h = kit.font(code_size, True).get_height()
        label_size = sz.status
        typed = self._type_code(ctx, el.short_url, inner.width) if el.short_url else None
        typed_h = typed[1] + 12 if typed is not None else 0
        bottom = Rect(inner.x, inner.bottom - label_size - 16 - code_h - typed_h, inner.width,
                      label_size + 16 + code_h + typed_h)
        top = Rect(inner.x, inner.y, inner.width, bottom.y - inner.y - 24)
        heading = say("join_here", ctx.lang)
        if el.url:
            qr = qr_surface(el.url, min(top.height, top.width * 11 // 20))
            surface.blit(qr, (top.x, top.y + (top.height - qr.get_height()) // 2))
            words = Rect(top.x + qr.get_width() + 48, top.y,
                         top.width - qr.get_width() - 48, top.height)
            head_size, head = kit.fit(heading, words.width, 200, size=sz.title,
                                      floor=sz.title_floor, bold=True)
            y = _blit_lines(surface, ctx, head, head_size, pal.accent, words, role="title",
                            bold=True)
            scan_size, scan = kit.fit(say("join.scan", ctx.lang), words.width, 200,
                                      size=sz.body, floor=sz.body_floor)
            y = _blit_lines(surface, ctx, scan, scan_size, pal.ink,
                            Rect(words.x, y + 20, words.width, words.bottom - y - 20),
                            role="body")
            address = self._address_lines(ctx, el.url, words.width, sz.status)
            or_go = say("join.or_go", ctx.lang)
            or_size, or_lines = kit.fit(or_go, words.width, 120, size=sz.status,
                                        floor=sz.note_floor)
            block = (kit.block_height(or_size, len(or_lines))
                     + kit.block_height(address[0], len(address[1]), True) + 8)
            y = max(y + 40, words.bottom - block)
            y = _blit_lines(surface, ctx, or_lines, or_size, pal.muted,
                            Rect(words.x, y, words.width, words.bottom - y), role="note") + 8
            _blit_lines(surface, ctx, address[1], address[0], pal.ink,
                        Rect(words.x, y, words.width, words.bottom - y), role="label",
                        bold=True)
        else:
            head_size, head = kit.fit(heading, top.width, 200, size=sz.title,
                                      floor=sz.title_floor, bold=True)
            y = _blit_lines(surface, ctx, head, head_size, pal.accent, top, role="title",
                            bold=True, align="center")
            size, lines = kit.fit(say("join.no_url", ctx.lang), top.width, top.bottom - y - 30,
                                  size=sz.body, floor=sz.body_floor)
            _blit_lines(surface, ctx, lines, size, pal.ink,
                        Rect(top.x, y + 30, top.width, top.bottom - y - 30), role="body",
                        align="center", valign="middle")
        pygame.draw.line(surface, pal.panel_edge, (inner.x, bottom.y - 16),
                         (inner.right, bottom.y - 16), 3)
        _blit_lines(surface, ctx, [say("room_code", ctx.lang)], label_size, pal.muted,
                    Rect(bottom.x, bottom.y, bottom.width, label_size + 16), role="label",
                    align="center")
        ctx.note(code, code_size, "title", bold=True)
        self._spaced(surface, ctx, code, code_size, bottom.centerx,
                     bottom.y + label_size + 16)
        if typed is not None:
            rows, rows_h = typed
            y = bottom.bottom - rows_h
            for row_size, runs in rows:
                imgs = [kit.render(text, row_size, pal.ink if bold else pal.muted, bold)
                        for text, bold in runs]
                if ctx.rtl:
                    imgs.reverse()  # the words first, from the right; the address stays LTR
                space = kit.width(" ", row_size)
                row_w = sum(img.get_width() for img in imgs) + space * (len(imgs) - 1)
                x = bottom.centerx - row_w // 2
                for img in imgs:
                    surface.blit(img, (x, y))
                    x += img.get_width() + space
                for text, bold in runs:
                    ctx.note(text, row_size, "label" if bold else "note",
                             fits=row_w <= bottom.width + 1, bold=bold)
                y += line_height(row_size, 1.15)

    def _type_code(self, ctx: _Ctx, address: str,
                   width: int) -> tuple[list[tuple[int, list[tuple[str, bool]]]], int]:
        """The words and the short address of the code page: on one line as large as fits
        (body size down to the note floor), else the words over the address. Returns the lines,
        each its size and its (text, bold) runs, and their height."""
        kit, sz = self.text, ctx.sz
        words = say("join.type_code", ctx.lang)
        for size in range(sz.body, sz.note_floor - 1, -2):
            if (kit.width(words, size) + kit.width(" ", size)
                    + kit.width(address, size, True) <= width):
                return [(size, [(words, False), (address, True)])], kit.font(size).get_height()
        said = kit.fit_label(words, width, 3 * sz.body, size=sz.status, floor=sz.note_floor)
        size, parts = self._address_lines(ctx, f"//{address}", width, said.size)
        lines = [(said.size, [(line, False)]) for line in said.lines]
        lines += [(size, [(part, True)]) for part in parts]
        height = sum(line_height(s, 1.15) for s, _ in lines[:-1]) + kit.font(
            lines[-1][0], True).get_height()
        return lines, height

    def _address_lines(self, ctx: _Ctx, url: str, width: int,
                       size: int) -> tuple[int, list[str]]:
        """The join address without ``http://``, on one line if it fits at a readable size,
        else broken before its path."""
        address = self._address(url)
        kit, floor = self.text, ctx.sz.label_floor
        fit, _ = kit.fit_line(address, width, size=size, floor=floor, bold=True)
        if kit.width(address, fit, True) <= width:
            return fit, [address]
        head, _, tail = address.partition("/")
        parts = [head, "/" + tail] if tail else [head]
        fit = size
        while fit > floor and max(kit.width(p, fit, True) for p in parts) > width:
            fit -= 2
        return max(fit, floor), parts

    def _spaced_width(self, code: str, size: int) -> int:
        return sum(self.text.width(ch, size, True) for ch in code) + round(size * 0.32) * (
            len(code) - 1)

    def _spaced(self, surface: pygame.Surface, ctx: _Ctx, code: str, size: int, centre_x: int,
                y: int) -> None:
        """The room code in huge letters with air between them, easy to copy from afar."""
        x = centre_x - self._spaced_width(code, size) // 2
        for ch in code:
            img = self.text.render(ch, size, ctx.pal.ink, True)
            surface.blit(img, (x, y))
            x += img.get_width() + round(size * 0.32)

    @staticmethod
    def _address(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.netloc}{parts.path}" if parts.netloc else url

    # -- reactions -------------------------------------------------------------------------

    def _reactions(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """The supportive reactions the speaker has received this turn: per reaction its
        picture on a paper disc in the tablet's colour and a big count; never who sent it. A
        count that grows pops gently (not in reduced motion)."""
        el: ReactionsElement = placed.element
        rect = placed.rect
        if not el.counts:
            return
        pal, kit = ctx.pal, self.text
        lay = _reactions_layout(ctx, el, rect.width, compact=placed.role == "compact")
        _panel(surface, ctx, rect, radius=24)
        block_h = lay.rows * lay.disc + (lay.rows - 1) * REACTION_ROW_GAP
        y0 = rect.y + (rect.height - block_h) // 2
        fits = lay.fits and lay.height <= rect.height + 1
        # On one row each takes its own width; on several they line up in columns.
        widths = [lay.disc + REACTION_NUMBER_GAP + kit.width(str(c.count), lay.size, True)
                  if lay.rows == 1 else lay.item for c in el.counts[:lay.cols]]
        starts, x = [], rect.x + (rect.width - sum(widths) - REACTION_GAP * (lay.cols - 1)) // 2
        for w in widths if not ctx.rtl else reversed(widths):
            starts.append(x)
            x += w + REACTION_GAP
        if ctx.rtl:
            starts.reverse()
        for i, count in enumerate(el.counts):
            row, col = divmod(i, lay.cols)
            item = Rect(starts[col], y0 + row * (lay.disc + REACTION_ROW_GAP), widths[col],
                        lay.disc)
            name = count.reaction.value
            pop = ctx.motion.reaction_pop(name, ctx.now_ms) if ctx.motion else 1.0
            disc = icons.badge(name, REACTION_COLOURS.get(name, pal.accent), pal.card,
                               round(lay.disc * pop))
            centre_x = item.right - lay.disc // 2 if ctx.rtl else item.x + lay.disc // 2
            surface.blit(disc, disc.get_rect(center=(centre_x, item.centery)))
            number = str(count.count)
            ctx.note(number, lay.size, "body", fits=fits, bold=True)
            img = kit.render(number, lay.size, pal.ink, True)
            x = (item.right - lay.disc - REACTION_NUMBER_GAP - img.get_width() if ctx.rtl
                 else item.x + lay.disc + REACTION_NUMBER_GAP)
            surface.blit(img, (x, item.centery - img.get_height() // 2))

    # -- tally, story, locks ---------------------------------------------------------------

    def _tally(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: VoteTallyElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        q_box = Rect(rect.x, rect.y, rect.width, rect.height // 3)
        q_size, q_lines = kit.fit(ctx.pick(el.question), q_box.width, q_box.height,
                                  size=sz.title * 3 // 4, floor=sz.title_floor, bold=True)
        y = _blit_lines(surface, ctx, q_lines, q_size, pal.ink, q_box, role="title",
                        bold=True) + 30
        counts: Sequence[float] = [r.count for r in el.rows]
        animated = ctx.motion.tally_counts(placed.index, ctx.now_ms) if ctx.motion else None
        if animated is not None:
            counts = animated
        most = max([el.voters, *[r.count for r in el.rows], 1])
        rows = len(el.rows)
        footer = sz.body + 30
        row_h = min(sz.body + 44, (rect.bottom - y - footer) // max(1, rows))
        label_w = rect.width * 2 // 5
        labels = [ctx.pick(r.label) for r in el.rows]
        label_size = sz.body
        for text in labels:
            s, _ = kit.fit_line(text, label_w - 24, size=sz.body, floor=sz.label_floor)
            label_size = min(label_size, s)
        bar_x = rect.x + label_w
        bar_w = rect.width - label_w - 110
        colour = parse_colour("#56B4E9") if not ctx.options.high_contrast else pal.accent
        for text, count, ry in zip(labels, counts, (y + i * row_h for i in range(rows)),
                                   strict=False):
            label = kit.fit_label(text, label_w - 24, row_h - 12, size=label_size,
                                  floor=sz.label_floor)
            _blit_lines(surface, ctx, label.lines, label.size, pal.ink,
                        Rect(rect.x, ry, label_w - 24, row_h - 12), role="label",
                        valign="middle", spacing=1.15)
            bar = Rect(bar_x, ry + 8, bar_w, row_h - 28)
            pygame.draw.rect(surface, pal.track, bar, border_radius=12)
            fill = bar.copy()
            fill.width = round(bar.width * count / most)
            if fill.width > 0:
                pygame.draw.rect(surface, colour, fill, border_radius=12)
            pygame.draw.rect(surface, pal.muted, bar, 2, border_radius=12)
            ctx.note(str(round(count)), sz.body, "body", bold=True)
            num = kit.render(str(round(count)), sz.body, pal.ink, True)
            surface.blit(num, (bar.right + 24, bar.centery - num.get_height() // 2))
        voted = say("tally.voted", ctx.lang, voted=el.voted, voters=el.voters)
        _blit_lines(surface, ctx, [voted], sz.status, pal.muted,
                    Rect(rect.x, y + rows * row_h + 10, rect.width, footer), role="note")

    def _story(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: StoryPageElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        box = rect.inflate(-8, -20)
        box.y = rect.y + 4
        _panel(surface, ctx, box, fill=pal.card, edge=pal.card_edge, radius=22, shadow=True,
               width=max(3, pal.outline))
        inner = box.inflate(-2 * 64, -2 * 52)
        title, body = _title_and_body(ctx, ctx.pick(el.title) if el.title is not None else None,
                                      ctx.pick(el.body), inner,
                                      title=(sz.card_title, sz.title_floor),
                                      body=(sz.body + 6, sz.body_floor), gap=28, spacing=1.4)
        y = inner.y
        if title is not None:
            h = kit.block_height(title.size, len(title.lines), True)
            y = _blit_lines(surface, ctx, title.lines, title.size, pal.card_ink,
                            Rect(inner.x, y, inner.width, h), role="title", bold=True) + 28
        area = Rect(inner.x, y, inner.width, max(0, inner.bottom - y))
        placed.durations = ctx.durations(body.pages)
        if len(body.pages) > 1:
            _page_marker(surface, ctx, area, placed.page % len(body.pages), len(body.pages),
                         pal.card_muted)
            area = Rect(area.x, area.y, area.width, area.height - _marker_height(ctx))
        _blit_lines(surface, ctx, body.page(placed.page), body.size, pal.card_ink, area,
                    role="body", spacing=1.4)

    def _image(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """A content picture in its box: its shape kept, as large as the box allows but never
        more than :data:`MAX_UPSCALE` times its own size, on a quiet frame; the caption under
        it. A picture that is not here (yet) is shown by its words (``alt``) in a dashed
        frame, so the group still has what it shows."""
        el: ImageElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        box = Rect(rect)
        caption = ctx.pick(el.caption) if el.caption is not None else ""
        if caption.strip():
            need = _caption_need(ctx, el, rect.width)
            room = min(need, rect.height // 2)
            cap_box = Rect(rect.x, rect.bottom - room + CAPTION_GAP, rect.width,
                           room - CAPTION_GAP)
            cap = kit.paginate(caption, cap_box.width, cap_box.height, size=sz.note,
                               floor=sz.note_floor, marker=_marker_height(ctx))
            placed.durations = ctx.durations(cap.pages)
            if len(cap.pages) > 1:
                _page_marker(surface, ctx, cap_box, placed.page % len(cap.pages),
                             len(cap.pages), pal.muted)
                cap_box = Rect(cap_box.x, cap_box.y, cap_box.width,
                               cap_box.height - _marker_height(ctx))
            _blit_lines(surface, ctx, cap.page(placed.page), cap.size, pal.ink, cap_box,
                        role="note", align="center")
            box = Rect(rect.x, rect.y, rect.width, rect.height - room)
        picture = _picture_of(ctx, el)
        if picture is None:
            self._picture_words(surface, ctx, placed, box)
            return
        pw, ph = picture.get_size()
        inner = box.inflate(-2 * PICTURE_PAD, -2 * PICTURE_PAD)
        scale = min(inner.width / pw, inner.height / ph, MAX_UPSCALE)
        size = (max(1, round(pw * scale)), max(1, round(ph * scale)))
        shown = picture if size == (pw, ph) else pygame.transform.smoothscale(picture, size)
        frame = Rect(0, 0, size[0] + 2 * PICTURE_PAD, size[1] + 2 * PICTURE_PAD)
        frame.center = box.center
        _panel(surface, ctx, frame, fill=pal.card, edge=pal.card_edge, radius=16,
               width=max(2, pal.outline))
        surface.blit(shown, shown.get_rect(center=frame.center))

    def _picture_words(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed,
                       box: Rect) -> None:
        """A picture's words where the picture would be."""
        el: ImageElement = placed.element
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        frame = box.inflate(-8, -8)
        if frame.width <= 0 or frame.height <= 0:
            return
        pygame.draw.rect(surface, pal.panel, frame, border_radius=16)
        _dashed_rect(surface, pal.muted, frame, 4)
        inner = frame.inflate(-2 * 40, -2 * 28)
        words = kit.paginate(ctx.pick(el.alt), inner.width, inner.height, size=sz.note,
                             floor=sz.note_floor, marker=_marker_height(ctx))
        if len(words.pages) > 1:
            # Rarely: a long description in a small box; it turns with the calm timer (with
            # the caption's pages, when that has some too).
            if not placed.durations:
                placed.durations = ctx.durations(words.pages)
            page = placed.page % len(words.pages)
            _page_marker(surface, ctx, inner, page, len(words.pages), pal.muted)
            inner = Rect(inner.x, inner.y, inner.width, inner.height - _marker_height(ctx))
        else:
            page = 0
        _blit_lines(surface, ctx, words.page(page), words.size, pal.ink, inner, role="note",
                    align="center", valign="middle")

    def _timeline(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """A line of stages in order, left to right (right to left in a right-to-left
        language): a dot on the line and the stage's name, and under it its items in rows
        that line up across the stages, each a box with its picture at the start and its name
        (and, when a bundled font draws it, the name in its own script) beside it. A picture
        that is not here (yet) leaves a plain mark; the words are always there."""
        el: TimelineElement = placed.element
        rect = placed.rect
        pal = ctx.pal
        lay = _timeline_layout(ctx, el, rect.width, rect.height)
        y = rect.y
        if lay.title is not None:
            _blit_lines(surface, ctx, lay.title.lines, lay.title.size, pal.ink,
                        Rect(rect.x, y, rect.width, lay.title_h), role="title", bold=True)
            y += lay.title_h + TIMELINE_GAP
        line_y = y + TIMELINE_DOT
        pygame.draw.line(surface, pal.accent, (rect.x, line_y), (rect.right, line_y),
                         max(4, pal.outline))
        top = y + TIMELINE_LINE_H
        n = len(el.stages)
        for i, stage in enumerate(el.stages):
            col = n - 1 - i if ctx.rtl else i
            x = rect.x + col * (lay.column + lay.gap)
            pygame.draw.circle(surface, pal.accent, (x + lay.column // 2, line_y), TIMELINE_DOT)
            _blit_lines(surface, ctx, lay.labels[i], lay.label_size, pal.ink,
                        Rect(x, top, lay.column, lay.label_h), role="label", bold=True,
                        align="center", spacing=1.15)
            cy = top + lay.label_h + TIMELINE_GAP
            for item in stage.items:
                box = Rect(x, cy, lay.column, lay.item_h)
                self._timeline_item(surface, ctx, item, box, lay)
                cy += lay.item_h + TIMELINE_ROW_GAP

    def _timeline_item(self, surface: pygame.Surface, ctx: _Ctx, item: TimelineItem,
                       box: Rect, lay: _TimelineLayout) -> None:
        pal = ctx.pal
        _panel(surface, ctx, box, fill=pal.panel, edge=pal.muted, radius=16,
               width=max(2, pal.outline // 2))
        inner = box.inflate(-2 * TIMELINE_PAD, -2 * TIMELINE_PAD)
        icon_x = inner.right - lay.icon if ctx.rtl else inner.x
        icon_box = Rect(icon_x, inner.y + (inner.height - lay.icon) // 2, lay.icon, lay.icon)
        picture = ctx.pictures.surface(item.icon) if (
            ctx.pictures is not None and item.icon is not None) else None
        if picture is not None:
            pw, ph = picture.get_size()
            scale = min(lay.icon / pw, lay.icon / ph)
            size = (max(1, round(pw * scale)), max(1, round(ph * scale)))
            shown = picture if size == (pw, ph) else pygame.transform.smoothscale(picture, size)
            surface.blit(shown, (icon_box.x + (lay.icon - size[0]) // 2,
                                 icon_box.y + (lay.icon - size[1]) // 2))
        else:  # a typed name, or a picture that has not arrived: a calm mark, not a hole
            pygame.draw.circle(surface, pal.muted, icon_box.center, lay.icon // 3,
                               max(3, pal.outline // 2))
        text_x = inner.x if ctx.rtl else inner.x + lay.icon + TIMELINE_ICON_GAP
        text = Rect(text_x, inner.y, inner.width - lay.icon - TIMELINE_ICON_GAP, inner.height)
        name = ctx.text.wrap(ctx.pick(item.label), lay.item_size, text.width, True)
        original = _drawable_original(ctx, item)
        lines_h = ctx.text.block_height(lay.item_size, len(name), True, 1.15) + (
            TIMELINE_LINE_GAP + ctx.text.block_height(lay.item_size, 1) if original else 0)
        ty = text.y + max(0, (text.height - lines_h) // 2)
        ty = _blit_lines(surface, ctx, name, lay.item_size, pal.ink,
                         Rect(text.x, ty, text.width, text.bottom - ty), role="label",
                         bold=True, spacing=1.15)
        if original:
            ty += TIMELINE_LINE_GAP
            _blit_lines(surface, ctx, ctx.text.wrap(original, lay.item_size, text.width),
                        lay.item_size, pal.ink, Rect(text.x, ty, text.width, text.bottom - ty),
                        role="label")

    def _locks(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """The room's locks as tiles: an open or closed padlock, the name, and the state in
        words ("Avattu", "Ratkaistavana", "Myöhemmin"); a lock for later has a dashed edge."""
        el: LockPanelElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        n = len(el.locks)
        if n == 0:
            return
        cols = _lock_columns(n, rect.width)
        rows = math.ceil(n / cols)
        gap = sz.gap
        w = (rect.width - gap * (cols - 1)) // cols
        h = min(_lock_height(sz) + 20, (rect.height - gap * (rows - 1)) // rows)
        status_h = kit.font(sz.status).get_height()
        labels = [ctx.pick(lock.label) for lock in el.locks]
        # One name size for every lock; a smaller padlock when a name needs two lines.
        for pic in (min(96, h // 3), min(56, h // 5)):
            label_box_h = h - 26 - pic - 14 - status_h - 34
            sets = [kit.fit_label(text, w - 56, label_box_h, size=sz.name, floor=sz.label_floor,
                                  bold=True) for text in labels]
            if not any(s.overflow for s in sets):
                break
        label_size = min(s.size for s in sets)
        for i, lock in enumerate(el.locks):
            row, col = divmod(i, cols)
            if ctx.rtl:
                col = cols - 1 - col
            tile = Rect(rect.x + col * (w + gap), rect.y + row * (h + gap), w, h)
            if lock.solved:
                edge, mark, picture, word = pal.good, "answered", "lock_open", "lock.solved"
            elif lock.available:
                edge, mark, picture, word = pal.accent, "", "lock_closed", "lock.open"
            else:
                edge, mark, picture, word = pal.muted, "", "lock_closed", "lock.later"
            if lock.available or lock.solved:
                fill = mix(pal.panel, pal.good, 0.2) if lock.solved else pal.panel
                _panel(surface, ctx, tile, fill=fill, edge=edge, radius=24,
                       width=max(5, pal.outline))
                ink = pal.ink
            else:
                pygame.draw.rect(surface, mix(pal.background, pal.panel, 0.5), tile,
                                 border_radius=24)
                _dashed_rect(surface, pal.muted, tile.inflate(-6, -6), 4)
                ink = pal.muted
            pic_x = tile.right - 28 - pic if ctx.rtl else tile.x + 28
            surface.blit(icons.icon(picture, pic, edge if lock.solved else ink),
                         (pic_x, tile.y + 26))
            lines = kit.wrap(labels[i], label_size, w - 56, True)
            _blit_lines(surface, ctx, lines, label_size, ink,
                        Rect(tile.x + 28, tile.y + 26 + pic + 14, w - 56, label_box_h),
                        role="label", bold=True, spacing=1.15)
            status_y = tile.bottom - status_h - 26
            x = tile.x + 28
            if mark:
                mark_x = tile.right - 28 - sz.status if ctx.rtl else x
                surface.blit(icons.icon(mark, sz.status, edge), (mark_x, status_y + 4))
                x += sz.status + 12
            said = say(word, ctx.lang)
            size, _ = kit.fit_line(said, tile.right - x - 20, size=sz.status,
                                   floor=sz.label_floor, bold=lock.solved)
            _blit_lines(surface, ctx, [said], size, edge if lock.solved else ink,
                        Rect(x if not ctx.rtl else tile.x + 20, status_y, tile.right - x - 20,
                             status_h), role="label", bold=lock.solved)

    # -- overlays --------------------------------------------------------------------------

    def _dim(self, surface: pygame.Surface, ctx: _Ctx) -> None:
        if self._veil is None or self._veil.get_size() != surface.get_size():
            self._veil = pygame.Surface(surface.get_size())
        self._veil.fill(ctx.pal.background)
        self._veil.set_alpha(ctx.pal.dim_alpha)
        surface.blit(self._veil, (0, 0))

    def _message_panel(self, surface: pygame.Surface, ctx: _Ctx, picture: str, title: str,
                       body: str | None, *, extra: Callable[[Rect], None] | None = None) -> None:
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        self._dim(surface, ctx)
        panel = Rect(0, 0, 1280, 620)
        panel.center = (DESIGN_SIZE[0] // 2, DESIGN_SIZE[1] // 2)
        _panel(surface, ctx, panel, radius=40, edge=pal.accent, width=max(4, pal.outline))
        pic = icons.icon(picture, 150, pal.accent)
        surface.blit(pic, (panel.centerx - 75, panel.y + 56))
        inner = panel.inflate(-120, 0)
        t_size, t_lines = kit.fit(title, inner.width, 200, size=sz.huge, floor=sz.title_floor,
                                  bold=True)
        y = _blit_lines(surface, ctx, t_lines, t_size, pal.ink,
                        Rect(inner.x, panel.y + 236, inner.width, 200), role="title",
                        bold=True, align="center")
        if body:
            box = Rect(inner.x, y + 30, inner.width, panel.bottom - y - 70)
            b_size, b_lines = kit.fit(body, box.width, box.height, size=sz.body + 4,
                                      floor=sz.body_floor)
            _blit_lines(surface, ctx, b_lines, b_size, pal.muted, box, role="body",
                        align="center")
        if extra is not None:
            extra(panel)

    def _pause(self, surface: pygame.Surface, ctx: _Ctx, overlay: PauseOverlay) -> None:
        self._message_panel(surface, ctx, "pause", ctx.pick(overlay.title),
                            ctx.pick(overlay.body) if overlay.body else None)

    def connection_overlay(self, surface: pygame.Surface, *, state: str, room: str = "",
                           options: ScreenOptions | None = None, lang: str | None = None,
                           now_ms: int = 0, scene: Scene | None = None) -> RenderReport:
        """Cover the picture with what the connection is doing: ``lost``, ``connecting`` or
        ``no_room``. See :func:`draw_connection_overlay`."""
        options = options or ScreenOptions()
        if surface.get_size() != DESIGN_SIZE:
            if self._design is None:
                self._design = pygame.Surface(DESIGN_SIZE)
            self._design.fill(palette_for(options).background)
            report = self.connection_overlay(self._design, state=state, room=room,
                                             options=options, lang=lang, now_ms=now_ms,
                                             scene=scene)
            present(self._design, surface)
            return report
        lang = lang or options.lang
        ctx = _Ctx(pal=palette_for(options), sz=sizes_for(options), lang=lang, options=options,
                   now_ms=now_ms, motion=None, scene=scene or Scene(), text=self.text,
                   element="connection")
        pal = ctx.pal

        def dots(panel: Rect) -> None:
            lit = -1 if options.reduced_motion else (now_ms // 500) % 3
            for i in range(3):
                c = (panel.centerx + (i - 1) * 44, panel.bottom - 50)
                if i == lit:
                    pygame.draw.circle(surface, pal.accent, c, 12)
                else:
                    pygame.draw.circle(surface, pal.muted, c, 12, 4)

        if state == "no_room":
            self._message_panel(surface, ctx, "question", say("net.no_room", lang, room=room),
                                None)
        elif state == "connecting":
            self._message_panel(surface, ctx, "stopwatch", say("net.connecting", lang),
                                room or None, extra=dots)
        else:
            self._message_panel(surface, ctx, "away", say("net.lost", lang),
                                say("net.lost_body", lang), extra=dots)
        return RenderReport(issues=ctx.issues, texts=ctx.texts)


def _lock_height(sz: Sizes) -> int:
    """A lock tile's height: its padlock, a name and its state (taller with large text)."""
    return round(280 * max(1.0, sz.status / 38))


def _lock_columns(n: int, width: int) -> int:
    """As many columns as fit, then evened out (four locks are two by two, not three and
    one)."""
    widest = max(1, min(n, 4, width // 340))
    rows = max(1, math.ceil(n / widest))
    return max(1, math.ceil(n / rows))


# -- module-level API ---------------------------------------------------------------------

_default: Renderer | None = None


def _renderer() -> Renderer:
    global _default
    if _default is None:
        _default = Renderer()
    return _default


def render(scene: Scene, surface: pygame.Surface, *, lang: str | None = None,
           options: ScreenOptions | None = None, now_ms: int = 0,
           motion: Animator | None = None) -> RenderReport:
    """Draw ``scene`` onto ``surface`` and say what became of its text.

    Args:
        scene: what to show; only read.
        surface: the 1920×1080 design surface (any other size is drawn at design size and
            scaled onto it with :func:`present`).
        lang: language of the screen's words and of the scene's texts; by default
            ``options.lang``.
        options: viewing modes (high contrast, large text, reduced motion, page time).
        now_ms: a monotonic clock in milliseconds, for animation, the running timer and the
            pages of a long text.
        motion: the :class:`~engine.screen.animate.Animator` that saw the scenes arrive;
            without one, the scene is drawn at rest.

    Returns:
        The frame's :class:`~engine.screen.paging.RenderReport`: every text that overflowed
        its box or was drawn below its floor (none, when all is well), and which are paged.

    Example::

        design = pygame.Surface((1920, 1080))
        report = render(scene, design, lang="sv", options=ScreenOptions(high_contrast=True))
        assert report.ok, report.issues
        present(design, window)
    """
    return _renderer().render(scene, surface, lang=lang, options=options, now_ms=now_ms,
                              motion=motion)


def draw_connection_overlay(surface: pygame.Surface, *, state: str, room: str = "",
                            options: ScreenOptions | None = None, lang: str | None = None,
                            now_ms: int = 0) -> RenderReport:
    """Dim ``surface`` and say what the connection is doing, in the screen's language.

    ``state`` is ``lost`` ("Yhteys katkesi — yhdistetään uudelleen…"), ``connecting`` or
    ``no_room`` (the room code is unknown to the server).
    """
    return _renderer().connection_overlay(surface, state=state, room=room, options=options,
                                          lang=lang, now_ms=now_ms)


def present(design: pygame.Surface, window: pygame.Surface) -> Rect:
    """Scale the design surface onto ``window``, keeping its shape, with black bars on the
    sides or top and bottom. Returns where the picture landed.

    A window of exactly the design size gets a plain copy (no blur at 1080p).
    """
    ww, wh = window.get_size()
    dw, dh = design.get_size()
    if (ww, wh) == (dw, dh):
        window.blit(design, (0, 0))
        return Rect(0, 0, dw, dh)
    scale = min(ww / dw, wh / dh)
    w, h = max(1, round(dw * scale)), max(1, round(dh * scale))
    target = Rect((ww - w) // 2, (wh - h) // 2, w, h)
    black = (0, 0, 0)
    if target.width < ww:
        window.fill(black, Rect(0, 0, target.x, wh))
        window.fill(black, Rect(target.right, 0, ww - target.right, wh))
    if target.height < wh:
        window.fill(black, Rect(0, 0, ww, target.y))
        window.fill(black, Rect(0, target.bottom, ww, wh - target.bottom))
    try:
        pygame.transform.smoothscale(design, target.size, window.subsurface(target))
    except (ValueError, pygame.error):
        window.blit(pygame.transform.smoothscale(design, target.size), target)
    return target
