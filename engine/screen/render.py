"""Drawing a :class:`~engine.scene.Scene` onto the shared screen: pure, read-only, no rules.

Everything is drawn on a 1920×1080 *design surface* and :func:`present` scales that, with black
bars where the shape differs, to whatever the window is (a 1366×768 laptop panel, a 4K TV). So
sizes here are design pixels, and a body text of 48 px is about 4 cm tall on a 2 m wide
projection: readable from the back of a group room.

The scene's ``layout`` decides where things go; each element kind has one drawing function.
Drawing reads the scene, the viewing options and, for a moment after each change, the
:class:`~engine.screen.animate.Animator`; it never decides anything a game decides.

Frames are cheap because what does not move is drawn once and kept: every element that is not
animating is drawn onto its own surface the first time and then only blitted, and text lines
and pictures are cached by the typesetter and the icon module.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pygame

from engine.scene import (
    BoardElement,
    CardElement,
    JoinCardElement,
    LockPanelElement,
    PauseOverlay,
    ProgressElement,
    RosterElement,
    RosterEntry,
    Scene,
    SeatStatus,
    StoryPageElement,
    TextBlockElement,
    TimerElement,
    VoteTallyElement,
)
from engine.text import LocalizedText, is_rtl

from . import icons
from .animate import Animator
from .qr import qr_surface
from .theme import (
    DESIGN_SIZE,
    Palette,
    ScreenOptions,
    Sizes,
    mix,
    palette_for,
    parse_colour,
    sizes_for,
)
from .typeset import TextKit, line_height
from .words import say

__all__ = ["Renderer", "draw_connection_overlay", "present", "render"]

RGB = tuple[int, int, int]
Rect = pygame.Rect

HEADER_TOP = 34
BODY_TOP = 150
BODY_BOTTOM = 1036
SIDE_WIDTH = 600
TIMER_HEIGHT = 250


@dataclass
class _Ctx:
    """What every drawing function needs to know about this frame."""

    pal: Palette
    sz: Sizes
    lang: str
    options: ScreenOptions
    now_ms: int
    motion: Animator | None
    scene: Scene
    text: TextKit
    avatars: dict[str, RosterEntry] = field(default_factory=dict)

    def pick(self, text: LocalizedText | None) -> str:
        return text.pick(self.lang) if text is not None else ""

    @property
    def rtl(self) -> bool:
        return is_rtl(self.lang)


@dataclass
class _Placed:
    element: Any
    rect: Rect
    role: str = ""
    index: int = 0


# -- text helpers -------------------------------------------------------------------------


def _blit_lines(surface: pygame.Surface, ctx: _Ctx, lines: Sequence[str], size: int,
                colour: RGB, box: Rect, *, bold: bool = False, align: str = "left",
                valign: str = "top", spacing: float = 1.3) -> int:
    """Draw ``lines`` in ``box``; returns the y just below the last line."""
    kit = ctx.text
    height = kit.block_height(size, len(lines), bold, spacing)
    if valign == "middle":
        y = box.y + (box.height - height) // 2
    elif valign == "bottom":
        y = box.bottom - height
    else:
        y = box.y
    if ctx.rtl and align == "left":
        align = "right"
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
    return y - step + kit.font(size, bold).get_height()


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


# -- layout -------------------------------------------------------------------------------


def _fixed_height(ctx: _Ctx, element: Any, width: int) -> int | None:
    """The height an element needs at ``width``, or None when it takes what is left."""
    kit, sz = ctx.text, ctx.sz
    if isinstance(element, TextBlockElement):
        size, title_size = _text_sizes(ctx, element)
        inner = width - (140 if element.style == "hint" else 0)
        h = 0
        if element.title is not None:
            lines = kit.wrap(ctx.pick(element.title), title_size, inner, True)
            h += kit.block_height(title_size, len(lines), True) + 16
        lines = kit.wrap(ctx.pick(element.text), size, inner)
        h += kit.block_height(size, len(lines))
        return h + (60 if element.style == "hint" else 0)
    if isinstance(element, VoteTallyElement):
        q = kit.wrap(ctx.pick(element.question), sz.title * 3 // 4, width, True)
        return (kit.block_height(sz.title * 3 // 4, len(q), True) + 30
                + len(element.rows) * (sz.body + 44) + sz.body + 40)
    if isinstance(element, LockPanelElement):
        cols = _lock_columns(len(element.locks), width)
        rows = math.ceil(len(element.locks) / cols) if element.locks else 0
        return rows * 280 + max(0, rows - 1) * sz.gap
    if isinstance(element, ProgressElement):
        return 96
    return None


def _text_sizes(ctx: _Ctx, element: TextBlockElement) -> tuple[int, int]:
    sz = ctx.sz
    if element.style == "title":
        return (sz.title * 3 // 4, sz.huge) if element.title is not None else (sz.title, sz.huge)
    if element.style == "hint":
        return sz.body, sz.status + 4
    if element.style == "note":
        return sz.body_floor, sz.body_floor
    return sz.body, sz.title * 3 // 4


def _stack(ctx: _Ctx, items: list[Any], area: Rect, gap: int) -> list[_Placed]:
    """Place ``items`` top to bottom in ``area``: fixed-height items get what they need, the
    others share the rest; cards side by side share a row."""
    if not items:
        return []
    rows: list[list[Any]] = []
    for item in items:
        if isinstance(item, CardElement) and rows and all(
                isinstance(e, CardElement) for e in rows[-1]):
            rows[-1].append(item)
        else:
            rows.append([item])
    fixed = [_fixed_height(ctx, row[0], area.width) if len(row) == 1 else None for row in rows]
    flex = sum(1 for h in fixed if h is None)
    used = sum(h for h in fixed if h is not None) + gap * (len(rows) - 1)
    spare = area.height - used
    if flex == 0 and spare < 0:
        factor = (area.height - gap * (len(rows) - 1)) / max(1, used - gap * (len(rows) - 1))
        fixed = [max(60, int(h * factor)) if h is not None else None for h in fixed]
        spare = 0
    flex_h = max(160, spare // flex) if flex else 0
    placed: list[_Placed] = []
    y = area.y
    if flex == 0 and spare > 0 and all(isinstance(row[0], TextBlockElement) for row in rows):
        y += spare // 2  # words alone sit in the middle of the screen, not stuck to the top
    for row, h in zip(rows, fixed, strict=True):
        height = h if h is not None else flex_h
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
        placed.append(_Placed(progress, Rect(DESIGN_SIZE[0] - m - 660, HEADER_TOP - 6, 660, 96),
                              role="header"))
    rosters = by_kind.pop("roster", [])
    timers = by_kind.pop("timer", [])
    joins = by_kind.pop("join", [])
    boards = by_kind.pop("board", [])
    if boards:
        by_kind.pop("die", None)  # on a board the die is drawn tumbling beside the token
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

    area = body
    side_items = rosters[:1] + timers[:1]
    if side_items:
        side_w = min(SIDE_WIDTH, area.width * 2 // 5)
        side = Rect(area.right - side_w, area.y, side_w, area.height)
        area = Rect(area.x, area.y, area.width - side_w - gap * 3 // 2, area.height)
        y = side.y
        for timer in timers[:1]:
            th = min(TIMER_HEIGHT, side.height // 3)
            placed.append(_Placed(timer, Rect(side.x, y, side.width, th)))
            y += th + gap // 2
        for roster in rosters[:1]:
            placed.append(_Placed(roster, Rect(side.x, y, side.width, side.bottom - y),
                                  role="list"))
    if boards:
        placed.insert(0, _Placed(boards[0], area))
        area = _board_geometry(len(boards[0].spaces), area).inner
    placed += _stack(ctx, main + joins, area, gap)
    return placed


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


class Renderer:
    """Draws scenes, keeping what it drew for the next frame. One per screen window.

    Use :func:`render` unless you need a renderer of your own (a test drawing two screens
    side by side, say).
    """

    def __init__(self) -> None:
        self.text = TextKit()
        self._elements: OrderedDict[tuple[Any, ...], pygame.Surface] = OrderedDict()
        self._design: pygame.Surface | None = None
        self._veil: pygame.Surface | None = None

    # -- the frame -------------------------------------------------------------------------

    def render(self, scene: Scene, surface: pygame.Surface, *, lang: str | None = None,
               options: ScreenOptions | None = None, now_ms: int = 0,
               motion: Animator | None = None) -> None:
        """Draw ``scene`` onto ``surface``. See :func:`render`."""
        options = options or ScreenOptions()
        if surface.get_size() != DESIGN_SIZE:
            if self._design is None:
                self._design = pygame.Surface(DESIGN_SIZE)
            self.render(scene, self._design, lang=lang, options=options, now_ms=now_ms,
                        motion=motion)
            present(self._design, surface)
            return
        ctx = _Ctx(pal=palette_for(options), sz=sizes_for(options), lang=lang or options.lang,
                   options=options, now_ms=now_ms, motion=motion, scene=scene, text=self.text)
        for element in scene.elements:
            if isinstance(element, RosterElement):
                for entry in element.entries:
                    ctx.avatars[entry.seat] = entry
        surface.fill(ctx.pal.background)
        self._header(surface, ctx, scene)
        counters: dict[str, int] = {}
        plan = _plan(ctx, scene)
        for placed in plan:
            kind = placed.element.kind
            placed.index = counters.get(kind, 0)
            counters[kind] = placed.index + 1
            self._element(surface, ctx, placed)
        for placed in plan:
            # Tokens and the die go over everything, so a walking token is never hidden.
            if isinstance(placed.element, BoardElement):
                self._tokens(surface, ctx, placed.element, placed.rect)
        if scene.overlay is not None:
            self._pause(surface, ctx, scene.overlay)

    def _header(self, surface: pygame.Surface, ctx: _Ctx, scene: Scene) -> None:
        if scene.title is None:
            return
        has_progress = any(isinstance(e, ProgressElement) for e in scene.elements)
        width = DESIGN_SIZE[0] - 2 * ctx.sz.margin - (720 if has_progress else 0)
        size, line = self.text.fit_line(ctx.pick(scene.title), width, size=ctx.sz.header,
                                        floor=ctx.sz.small_floor, bold=True)
        box = Rect(ctx.sz.margin, HEADER_TOP, width, 90)
        _blit_lines(surface, ctx, [line], size, ctx.pal.muted, box, bold=True, valign="middle")

    def _element(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        element, rect = placed.element, placed.rect
        if rect.width <= 0 or rect.height <= 0:
            return
        draw = self._drawers()[element.kind]
        animated = self._animated(ctx, placed)
        if animated or isinstance(element, TimerElement):
            draw(surface, ctx, placed)
            return
        if isinstance(element, BoardElement):
            # Tokens are drawn on top every frame: a move must not redraw the whole board.
            content = repr((element.spaces, element.highlight))
        else:
            content = element.model_dump_json()
        key = (element.kind, content, tuple(rect), placed.role, ctx.options, ctx.lang)
        cached = self._elements.get(key)
        if cached is None:
            cached = pygame.Surface(rect.size)
            cached.fill(ctx.pal.background)
            local = _Placed(element, Rect(0, 0, rect.width, rect.height), placed.role,
                            placed.index)
            draw(cached, ctx, local)
            self._elements[key] = cached
            if len(self._elements) > 48:
                self._elements.popitem(last=False)
        else:
            self._elements.move_to_end(key)
        surface.blit(cached, rect)

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
        return False

    def _drawers(self) -> dict[str, Callable[[pygame.Surface, _Ctx, _Placed], None]]:
        return {
            "board": self._board, "card": self._card, "text": self._text_block,
            "roster": self._roster, "timer": self._timer, "progress": self._progress,
            "join": self._join, "tally": self._tally, "story": self._story,
            "locks": self._locks, "die": self._die_face,
        }

    def _die_face(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        """A die without a board (a game that only rolls): its face, centred in its place."""
        element = placed.element
        size = min(placed.rect.height, placed.rect.width, 220)
        img = icons.draw_die(min(max(element.value, 1), 6), size, ctx.pal.card, ctx.pal.card_ink,
                             ctx.pal.accent)
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
        self._die(surface, ctx, geo, rect)

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

    def _die(self, surface: pygame.Surface, ctx: _Ctx, geo: _BoardGeometry, rect: Rect) -> None:
        roll = ctx.motion.die_roll(ctx.now_ms) if ctx.motion else None
        if roll is None or not geo.centres:
            return
        sx, sy = geo.centres[roll.space % len(geo.centres)]
        nx, ny = geo.inward[roll.space % len(geo.centres)]
        cx, cy = sx + nx * geo.side * 1.7, sy + ny * geo.side * 1.7
        size = round(geo.side * 1.0)
        img = icons.draw_die(roll.face, size, ctx.pal.card, ctx.pal.card_ink, ctx.pal.accent)
        if roll.angle:
            img = pygame.transform.rotate(img, roll.angle)
        if roll.alpha < 255:
            img = img.copy()
            img.set_alpha(roll.alpha)
        surface.blit(img, (round(cx - img.get_width() / 2), round(cy - img.get_height() / 2)))

    # -- card ------------------------------------------------------------------------------

    def _card(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        card: CardElement = placed.element
        rect = placed.rect
        turn = ctx.motion.card_turn(placed.index, ctx.now_ms) if ctx.motion else None
        if turn is None:
            self._card_face(surface, ctx, card if card.face_up else None, rect)
            return
        face = self._card_surface(ctx, turn.showing, rect.size)
        width = max(2, round(rect.width * turn.squeeze))
        squeezed = pygame.transform.scale(face, (width, rect.height))
        surface.blit(squeezed, (rect.centerx - width // 2, rect.y))

    def _card_surface(self, ctx: _Ctx, card: CardElement | None,
                      size: tuple[int, int]) -> pygame.Surface:
        key = ("cardface", card.model_dump_json() if card else None, size, ctx.options,
               ctx.lang)
        found = self._elements.get(key)
        if found is None:
            found = pygame.Surface(size)
            found.fill(ctx.pal.background)
            self._card_face(found, ctx, card, Rect((0, 0), size))
            self._elements[key] = found
            if len(self._elements) > 48:
                self._elements.popitem(last=False)
        return found

    def _card_face(self, surface: pygame.Surface, ctx: _Ctx, card: CardElement | None,
                   rect: Rect) -> None:
        """A card as large as ``rect``: theme badge and kind, title, and the whole text."""
        pal, sz, kit = ctx.pal, ctx.sz, self.text
        box = rect.inflate(-8, -20)
        box.y = rect.y + 4
        _panel(surface, ctx, box, fill=pal.card, edge=pal.card_edge, radius=36, shadow=True,
               width=max(3, pal.outline))
        if card is None:
            self._card_back(surface, ctx, box)
            return
        # A small card (inside a board) keeps its room for the text: when the text would have
        # to shrink, the title goes beside the theme badge and the card's kind is left out.
        compact = (self._card_body_size(ctx, card, box, compact=True)
                   > self._card_body_size(ctx, card, box, compact=False))
        pad, badge_h = (36 if compact else 52), sz.status + 36
        inner = box.inflate(-2 * pad, -2 * pad + 12)
        y = inner.y
        title = ctx.pick(card.title) if card.title is not None else None
        if compact and card.theme is not None:
            self._theme_badge(surface, ctx, card, Rect(inner.x, y, inner.width // 2, badge_h))
            if title:
                size, line = kit.fit_line(title, inner.width // 2 - 20, size=sz.card_title,
                                          floor=sz.body_floor, bold=True)
                _blit_lines(surface, ctx, [line], size, pal.card_ink,
                            Rect(inner.centerx + 20, y - 6, inner.width // 2 - 20, badge_h + 12),
                            bold=True, align="right", valign="middle")
            title = None
            y += badge_h + 20
        elif card.theme is not None or (card.card_kind is not None and not compact):
            if card.theme is not None:
                self._theme_badge(surface, ctx, card, Rect(inner.x, y, inner.width * 2 // 3,
                                                           badge_h))
            if card.card_kind is not None and not compact:
                size, line = kit.fit_line(ctx.pick(card.card_kind), inner.width // 3,
                                          size=sz.status, floor=sz.small_floor)
                _blit_lines(surface, ctx, [line], size, pal.card_muted,
                            Rect(inner.right - inner.width // 3, y, inner.width // 3, badge_h),
                            align="right", valign="middle")
            y += badge_h + 24
        if title:
            size, lines = kit.fit(title, inner.width, sz.card_title * 3,
                                  size=sz.card_title, floor=sz.body_floor, bold=True)
            y = _blit_lines(surface, ctx, lines, size, pal.card_ink,
                            Rect(inner.x, y, inner.width, 400), bold=True, align="center")
            if compact:
                y += 20
            else:
                rule_y = y + 22
                pygame.draw.line(surface, pal.card_edge, (inner.centerx - 120, rule_y),
                                 (inner.centerx + 120, rule_y), 4)
                y = rule_y + 26
        body_box = Rect(inner.x, y, inner.width, inner.bottom - y)
        size, lines = kit.fit(ctx.pick(card.body), body_box.width, body_box.height,
                              size=sz.card_body, floor=sz.card_floor, spacing=1.35)
        # A short question sits in the middle; a longer text reads easier from a straight edge.
        _blit_lines(surface, ctx, lines, size, pal.card_ink, body_box,
                    align="center" if len(lines) <= 3 else "left", valign="middle",
                    spacing=1.35)

    def _card_body_size(self, ctx: _Ctx, card: CardElement, box: Rect, *,
                        compact: bool) -> int:
        """The text size a card's body gets with the full or the compact heading."""
        sz, kit = ctx.sz, self.text
        pad, badge_h = (36 if compact else 52), sz.status + 36
        inner = box.inflate(-2 * pad, -2 * pad + 12)
        used = 0
        has_title = card.title is not None
        if compact and card.theme is not None:
            used += badge_h + 20
            has_title = False
        elif card.theme is not None or (card.card_kind is not None and not compact):
            used += badge_h + 24
        if has_title and card.title is not None:
            size, lines = kit.fit(ctx.pick(card.title), inner.width, sz.card_title * 3,
                                  size=sz.card_title, floor=sz.body_floor, bold=True)
            used += kit.block_height(size, len(lines), True) + (20 if compact else 48)
        size, _ = kit.fit(ctx.pick(card.body), inner.width, inner.height - used,
                          size=sz.card_body, floor=sz.card_floor, spacing=1.35)
        return size

    def _theme_badge(self, surface: pygame.Surface, ctx: _Ctx, card: CardElement,
                     rect: Rect) -> None:
        theme = card.theme
        assert theme is not None
        colour = parse_colour(theme.colour)
        d = rect.height
        surface.blit(icons.disc(theme.icon, colour, d, ring=ctx.pal.card_ink, ring_width=2),
                     (rect.x, rect.y))
        size, line = self.text.fit_line(ctx.pick(theme.name), rect.width - d - 20,
                                        size=ctx.sz.status + 4, floor=ctx.sz.small_floor,
                                        bold=True)
        _blit_lines(surface, ctx, [line], size, ctx.pal.card_ink,
                    Rect(rect.x + d + 20, rect.y, rect.width - d - 20, rect.height), bold=True,
                    valign="middle")
        pygame.draw.line(surface, colour, (rect.x + d + 20, rect.bottom - 2),
                         (rect.x + d + 20 + self.text.width(line, size, True), rect.bottom - 2),
                         6)

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
        img = self.text.render(say("card.back", ctx.lang), ctx.sz.body, pal.card, True)
        surface.blit(img, img.get_rect(center=(cx, cy + r + ctx.sz.body)))

    # -- text ------------------------------------------------------------------------------

    def _text_block(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: TextBlockElement = placed.element
        rect = placed.rect
        pal, kit = ctx.pal, self.text
        size, title_size = _text_sizes(ctx, el)
        if el.style == "hint":
            _panel(surface, ctx, rect, fill=pal.panel, edge=pal.hint,
                   radius=24, width=max(3, pal.outline))
            icon_size = 84
            surface.blit(icons.icon("bulb", icon_size, pal.hint), (rect.x + 28, rect.y + 28))
            box = Rect(rect.x + 140, rect.y + 30, rect.width - 170, rect.height - 60)
            y = box.y
            if el.title is not None:
                lines = kit.wrap(ctx.pick(el.title), title_size, box.width, True)
                y = _blit_lines(surface, ctx, lines, title_size, pal.hint,
                                Rect(box.x, y, box.width, box.height), bold=True) + 12
            fit, lines = kit.fit(ctx.pick(el.text), box.width, box.bottom - y, size=size,
                                 floor=ctx.sz.body_floor)
            _blit_lines(surface, ctx, lines, fit, pal.ink, Rect(box.x, y, box.width,
                                                                box.bottom - y))
            return
        align = "center" if el.style in ("title", "note") else "left"
        colour = pal.muted if el.style == "note" else pal.ink
        title_h = 0
        title_lines: list[str] = []
        if el.title is not None:
            title_size, title_lines = kit.fit(ctx.pick(el.title), rect.width, rect.height // 2,
                                              size=title_size, floor=ctx.sz.body, bold=True)
            title_h = kit.block_height(title_size, len(title_lines), True) + 24
        fit, lines = kit.fit(ctx.pick(el.text), rect.width, rect.height - title_h, size=size,
                             floor=ctx.sz.body_floor if el.style != "note" else 28)
        total = title_h + kit.block_height(fit, len(lines))
        y = rect.y + max(0, (rect.height - total) // 2)
        if title_lines:
            title_colour = pal.accent if el.style == "title" else pal.ink
            y = _blit_lines(surface, ctx, title_lines, title_size, title_colour,
                            Rect(rect.x, y, rect.width, title_h), bold=True, align=align) + 24
        _blit_lines(surface, ctx, lines, fit, colour, Rect(rect.x, y, rect.width,
                                                           rect.bottom - y), align=align)

    # -- roster ----------------------------------------------------------------------------

    def _roster(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: RosterElement = placed.element
        if placed.role == "tiles":
            self._roster_tiles(surface, ctx, el, placed.rect)
        else:
            self._roster_list(surface, ctx, el, placed.rect)

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
                        Rect(rect.x, rect.y, rect.width, sz.name * 2), bold=True,
                        align="center")
            rect = Rect(rect.x, rect.y + sz.name * 2, rect.width, rect.height - sz.name * 2)
        best = None
        for cols in range(1, n + 1):
            rows = math.ceil(n / cols)
            w = rect.width // cols
            h = rect.height // rows
            disc = min(w - 40, h - sz.name - 50, 190)
            if best is None or disc > best[0]:
                best = (disc, cols, rows)
        assert best is not None
        disc, cols, rows = best
        disc = max(48, disc)
        tile_w = rect.width // cols
        # One name size for everyone (the smallest any name needs), so no name looks lesser.
        name_size = min(kit.fit_line(e.nickname, tile_w - 16, size=sz.name,
                                     floor=sz.small_floor, bold=True)[0] for e in el.entries)
        tile_h = min(rect.height // rows, disc + sz.name + 70)
        top = rect.y + (rect.height - tile_h * rows) // 2 if rows * tile_h < rect.height \
            and rect.height < 500 else rect.y
        for i, entry in enumerate(el.entries):
            row, col = divmod(i, cols)
            in_row = min(cols, n - row * cols)
            x0 = rect.x + (rect.width - in_row * tile_w) // 2 + col * tile_w
            y0 = top + row * tile_h
            appear = ctx.motion.appear(entry.seat, ctx.now_ms) if ctx.motion else 1.0
            img = self._avatar(ctx, entry, disc)
            _, name = kit.fit_line(entry.nickname, tile_w - 16, size=name_size,
                                   floor=name_size, bold=True)
            text = kit.render(name, name_size, pal.ink, True)
            tile = pygame.Surface((tile_w, tile_h), pygame.SRCALPHA)
            tile.blit(img, ((tile_w - disc) // 2, 10))
            tile.blit(text, ((tile_w - text.get_width()) // 2, disc + 24))
            if not entry.connected:
                status = self._status_chip(ctx, entry, sz.status, pal.muted)
                if status is not None:
                    tile.blit(status, ((tile_w - status.get_width()) // 2,
                                       disc + 24 + text.get_height()))
            if appear < 1:
                tile.set_alpha(round(255 * appear))
                y0 += round((1 - appear) * 40)
            surface.blit(tile, (x0, y0))

    def _avatar(self, ctx: _Ctx, entry: RosterEntry, size: int) -> pygame.Surface:
        turn = entry.status is SeatStatus.turn
        return icons.disc(entry.avatar.icon.value, parse_colour(entry.avatar.colour.value), size,
                          ring=ctx.pal.disc_ring, ring_width=max(3, size // 22),
                          dim=not entry.connected, halo=ctx.pal.accent if turn else None)

    def _status_chip(self, ctx: _Ctx, entry: RosterEntry, size: int,
                     colour: RGB) -> pygame.Surface | None:
        """The status as a picture and words ("▶ Vuorossa"); None while simply waiting."""
        status = SeatStatus.away if not entry.connected else entry.status
        if status is SeatStatus.waiting:
            return None
        words = say(f"status.{status.value}", ctx.lang)
        text = self.text.render(words, size, colour, status is SeatStatus.turn)
        picture = icons.icon(status.value, round(size * 0.95), colour)
        chip = pygame.Surface((picture.get_width() + 12 + text.get_width(),
                               max(picture.get_height(), text.get_height())), pygame.SRCALPHA)
        chip.blit(picture, (0, (chip.get_height() - picture.get_height()) // 2))
        chip.blit(text, (picture.get_width() + 12, (chip.get_height() - text.get_height()) // 2))
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
        name_px = max(sz.small_floor, round(sz.name * scale))
        status_px = max(28, round(sz.status * scale))
        disc = max(36, min(row_h - 14, 92))
        # Side by side, the statuses form a column just after the longest name.
        names_w = max(self.text.width(e.nickname, name_px, True) for e in el.entries)
        for i, entry in enumerate(el.entries):
            col, row = divmod(i, rows)
            cell = Rect(rect.x + col * (col_w + gap), rect.y + row * row_h, col_w, row_h - 8)
            self._roster_row(surface, ctx, entry, cell, disc, name_px, status_px, stacked,
                             names_w)

    def _roster_row(self, surface: pygame.Surface, ctx: _Ctx, entry: RosterEntry, cell: Rect,
                    disc: int, name_px: int, status_px: int, stacked: bool,
                    names_w: int) -> None:
        pal, kit = ctx.pal, self.text
        turn = entry.status is SeatStatus.turn and entry.connected
        if turn:
            _panel(surface, ctx, cell, fill=mix(pal.panel, pal.accent, 0.08), edge=pal.accent,
                   radius=20, width=max(4, pal.outline))
        appear = ctx.motion.appear(entry.seat, ctx.now_ms) if ctx.motion else 1.0
        img = self._avatar(ctx, entry, disc)
        if appear < 1:
            img = img.copy()
            img.set_alpha(round(255 * appear))
        surface.blit(img, (cell.x + 8, cell.centery - disc // 2))
        tx = cell.x + disc + 24
        tw = cell.right - tx - 14
        chip = self._status_chip(ctx, entry, status_px, pal.accent if turn else pal.muted)
        if stacked or chip is None:
            name_size, name = kit.fit_line(entry.nickname, tw, size=name_px,
                                           floor=min(name_px, ctx.sz.small_floor), bold=True)
            name_img = kit.render(name, name_size, pal.ink, True)
            block = name_img.get_height() + (chip.get_height() - 4 if chip else 0)
            y = cell.centery - block // 2
            surface.blit(name_img, (tx, y))
            if chip is not None:
                surface.blit(self._fit_chip(chip, tw), (tx, y + name_img.get_height() - 4))
            return
        chip = self._fit_chip(chip, tw // 2)
        chip_x = min(tx + names_w + 28, cell.right - 14 - chip.get_width())
        name_size, name = kit.fit_line(entry.nickname, chip_x - tx - 16, size=name_px,
                                       floor=min(name_px, ctx.sz.small_floor), bold=True)
        name_img = kit.render(name, name_size, pal.ink, True)
        surface.blit(name_img, (tx, cell.centery - name_img.get_height() // 2))
        surface.blit(chip, (chip_x, cell.centery - chip.get_height() // 2))

    @staticmethod
    def _fit_chip(chip: pygame.Surface, width: int) -> pygame.Surface:
        if chip.get_width() <= width:
            return chip
        return pygame.transform.smoothscale(
            chip, (width, max(1, round(chip.get_height() * width / chip.get_width()))))

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
        img = kit.render(label, sz.body + 8, pal.ink, True)
        surface.blit(img, img.get_rect(center=(round(centre[0]), round(centre[1]))))
        words_box = Rect(rect.x + d + 30, rect.y, rect.right - rect.x - d - 30, d)
        if remaining == 0:
            size, lines = kit.fit(say("time_up", ctx.lang), words_box.width, words_box.height,
                                  size=sz.status, floor=28)
            _blit_lines(surface, ctx, lines, size, pal.ink, words_box, valign="middle")
        elif not el.running:
            pic = icons.icon("pause", sz.status, pal.muted)
            size, lines = kit.fit(say("timer.paused", ctx.lang), words_box.width - 60,
                                  words_box.height, size=sz.status, floor=28)
            surface.blit(pic, (words_box.x, words_box.centery - pic.get_height() // 2))
            _blit_lines(surface, ctx, lines, size, pal.muted, words_box.inflate(-60, 0).move(
                30, 0), valign="middle")

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
        size, line = kit.fit_line(label, rect.width - track_w - 30, size=sz.status + 4,
                                  floor=sz.small_floor, bold=True)
        img = kit.render(line, size, pal.ink, True)
        x = rect.right - track_w
        cy = rect.centery
        surface.blit(img, (x - 30 - img.get_width(), cy - img.get_height() // 2))
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
        in huge spaced letters."""
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
        bottom = Rect(inner.x, inner.bottom - label_size - 16 - code_h, inner.width,
                      label_size + 16 + code_h)
        top = Rect(inner.x, inner.y, inner.width, bottom.y - inner.y - 24)
        heading = say("join_here", ctx.lang)
        if el.url:
            qr = qr_surface(el.url, min(top.height, top.width * 11 // 20))
            surface.blit(qr, (top.x, top.y + (top.height - qr.get_height()) // 2))
            words = Rect(top.x + qr.get_width() + 48, top.y,
                         top.width - qr.get_width() - 48, top.height)
            head_size, head = kit.fit(heading, words.width, 200, size=sz.title,
                                      floor=sz.body, bold=True)
            y = _blit_lines(surface, ctx, head, head_size, pal.accent, words, bold=True)
            scan_size, scan = kit.fit(say("join.scan", ctx.lang), words.width, 200,
                                      size=sz.body, floor=sz.body_floor)
            y = _blit_lines(surface, ctx, scan, scan_size, pal.ink,
                            Rect(words.x, y + 20, words.width, 200))
            address = self._address_lines(el.url, words.width, sz.status)
            or_go = say("join.or_go", ctx.lang)
            or_size, or_lines = kit.fit(or_go, words.width, 120, size=sz.status, floor=28)
            block = (kit.block_height(or_size, len(or_lines))
                     + kit.block_height(address[0], len(address[1]), True) + 8)
            y = max(y + 40, words.bottom - block)
            y = _blit_lines(surface, ctx, or_lines, or_size, pal.muted,
                            Rect(words.x, y, words.width, 120)) + 8
            _blit_lines(surface, ctx, address[1], address[0], pal.ink,
                        Rect(words.x, y, words.width, 200), bold=True)
        else:
            head_size, head = kit.fit(heading, top.width, 200, size=sz.title, floor=sz.body,
                                      bold=True)
            y = _blit_lines(surface, ctx, head, head_size, pal.accent, top, bold=True,
                            align="center")
            size, lines = kit.fit(say("join.no_url", ctx.lang), top.width, top.bottom - y - 30,
                                  size=sz.body, floor=sz.body_floor)
            _blit_lines(surface, ctx, lines, size, pal.ink,
                        Rect(top.x, y + 30, top.width, top.bottom - y - 30), align="center",
                        valign="middle")
        pygame.draw.line(surface, pal.panel_edge, (inner.x, bottom.y - 16),
                         (inner.right, bottom.y - 16), 3)
        _blit_lines(surface, ctx, [say("room_code", ctx.lang)], label_size, pal.muted,
                    Rect(bottom.x, bottom.y, bottom.width, label_size + 16), align="center")
        self._spaced(surface, ctx, code, code_size, bottom.centerx,
                     bottom.y + label_size + 16)

    def _address_lines(self, url: str, width: int, size: int) -> tuple[int, list[str]]:
        """The join address without ``http://``, on one line if it fits at a readable size,
        else broken before its path."""
        address = self._address(url)
        kit = self.text
        fit, line = kit.fit_line(address, width, size=size, floor=30, bold=True)
        if kit.width(address, fit, True) <= width:
            return fit, [line]
        head, _, tail = address.partition("/")
        parts = [head, "/" + tail] if tail else [head]
        fit = size
        while fit > 22 and max(kit.width(p, fit, True) for p in parts) > width:
            fit -= 2
        return fit, parts

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

    # -- tally, story, locks ---------------------------------------------------------------

    def _tally(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: VoteTallyElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        q_size = sz.title * 3 // 4
        q_size, q_lines = kit.fit(ctx.pick(el.question), rect.width, rect.height // 3,
                                  size=q_size, floor=sz.body_floor, bold=True)
        y = _blit_lines(surface, ctx, q_lines, q_size, pal.ink, rect, bold=True) + 30
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
            s, _ = kit.fit_line(text, label_w - 24, size=sz.body, floor=sz.body_floor)
            label_size = min(label_size, s)
        bar_x = rect.x + label_w
        bar_w = rect.width - label_w - 110
        colour = parse_colour("#56B4E9") if not ctx.options.high_contrast else pal.accent
        for i, (text, count) in enumerate(zip(labels, counts, strict=True)):
            ry = y + i * row_h
            _, line = kit.fit_line(text, label_w - 24, size=label_size, floor=label_size)
            _blit_lines(surface, ctx, [line], label_size, pal.ink,
                        Rect(rect.x, ry, label_w - 24, row_h - 12), valign="middle")
            bar = Rect(bar_x, ry + 8, bar_w, row_h - 28)
            pygame.draw.rect(surface, pal.track, bar, border_radius=12)
            fill = bar.copy()
            fill.width = round(bar.width * count / most)
            if fill.width > 0:
                pygame.draw.rect(surface, colour, fill, border_radius=12)
            pygame.draw.rect(surface, pal.muted, bar, 2, border_radius=12)
            num = kit.render(str(round(count)), sz.body, pal.ink, True)
            surface.blit(num, (bar.right + 24, bar.centery - num.get_height() // 2))
        voted = say("tally.voted", ctx.lang, voted=el.voted, voters=el.voters)
        _blit_lines(surface, ctx, [voted], sz.status, pal.muted,
                    Rect(rect.x, y + rows * row_h + 10, rect.width, footer))

    def _story(self, surface: pygame.Surface, ctx: _Ctx, placed: _Placed) -> None:
        el: StoryPageElement = placed.element
        rect = placed.rect
        pal, kit, sz = ctx.pal, self.text, ctx.sz
        box = rect.inflate(-8, -20)
        box.y = rect.y + 4
        _panel(surface, ctx, box, fill=pal.card, edge=pal.card_edge, radius=22, shadow=True,
               width=max(3, pal.outline))
        inner = box.inflate(-2 * 64, -2 * 52)
        y = inner.y
        if el.title is not None:
            size, lines = kit.fit(ctx.pick(el.title), inner.width, inner.height // 3,
                                  size=sz.card_title, floor=sz.body_floor, bold=True)
            y = _blit_lines(surface, ctx, lines, size, pal.card_ink,
                            Rect(inner.x, y, inner.width, inner.height), bold=True) + 28
        size, lines = kit.fit(ctx.pick(el.body), inner.width, inner.bottom - y,
                              size=sz.body + 6, floor=sz.card_floor, spacing=1.4)
        _blit_lines(surface, ctx, lines, size, pal.card_ink,
                    Rect(inner.x, y, inner.width, inner.bottom - y), spacing=1.4)

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
        h = min(300, (rect.height - gap * (rows - 1)) // rows)
        pic = min(96, h // 3)
        label_box_h = h - pic - sz.status - 90
        label_size = sz.name
        for lock in el.locks:
            size, _ = kit.fit(ctx.pick(lock.label), w - 56, label_box_h, size=sz.name,
                              floor=sz.small_floor, bold=True)
            label_size = min(label_size, size)
        for i, lock in enumerate(el.locks):
            row, col = divmod(i, cols)
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
            surface.blit(icons.icon(picture, pic, edge if lock.solved else ink),
                         (tile.x + 28, tile.y + 26))
            lines = kit.wrap(ctx.pick(lock.label), label_size, w - 56, True)
            _blit_lines(surface, ctx, lines, label_size, ink,
                        Rect(tile.x + 28, tile.y + 26 + pic + 14, w - 56, label_box_h),
                        bold=True)
            status_y = tile.bottom - sz.status - 30
            x = tile.x + 28
            if mark:
                surface.blit(icons.icon(mark, sz.status, edge), (x, status_y + 4))
                x += sz.status + 12
            _, label = kit.fit_line(say(word, ctx.lang), tile.right - x - 20, size=sz.status,
                                    floor=sz.status, bold=lock.solved)
            surface.blit(kit.render(label, sz.status, edge if lock.solved else ink,
                                    lock.solved), (x, status_y))

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
        t_size, t_lines = kit.fit(title, inner.width, 200, size=sz.huge, floor=sz.body,
                                  bold=True)
        y = _blit_lines(surface, ctx, t_lines, t_size, pal.ink,
                        Rect(inner.x, panel.y + 236, inner.width, 200), bold=True,
                        align="center")
        if body:
            b_size, b_lines = kit.fit(body, inner.width, panel.bottom - y - 70, size=sz.body + 4,
                                      floor=sz.body_floor)
            _blit_lines(surface, ctx, b_lines, b_size, pal.muted,
                        Rect(inner.x, y + 30, inner.width, panel.bottom - y - 70),
                        align="center")
        if extra is not None:
            extra(panel)

    def _pause(self, surface: pygame.Surface, ctx: _Ctx, overlay: PauseOverlay) -> None:
        self._message_panel(surface, ctx, "pause", ctx.pick(overlay.title),
                            ctx.pick(overlay.body) if overlay.body else None)

    def connection_overlay(self, surface: pygame.Surface, *, state: str, room: str = "",
                           options: ScreenOptions | None = None, lang: str | None = None,
                           now_ms: int = 0, scene: Scene | None = None) -> None:
        """Cover the picture with what the connection is doing: ``lost``, ``connecting`` or
        ``no_room``. See :func:`draw_connection_overlay`."""
        options = options or ScreenOptions()
        if surface.get_size() != DESIGN_SIZE:
            if self._design is None:
                self._design = pygame.Surface(DESIGN_SIZE)
            self._design.fill(palette_for(options).background)
            self.connection_overlay(self._design, state=state, room=room, options=options,
                                    lang=lang, now_ms=now_ms, scene=scene)
            present(self._design, surface)
            return
        lang = lang or options.lang
        ctx = _Ctx(pal=palette_for(options), sz=sizes_for(options), lang=lang, options=options,
                   now_ms=now_ms, motion=None, scene=scene or Scene(), text=self.text)
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
           motion: Animator | None = None) -> None:
    """Draw ``scene`` onto ``surface``.

    Args:
        scene: what to show; only read.
        surface: the 1920×1080 design surface (any other size is drawn at design size and
            scaled onto it with :func:`present`).
        lang: language of the screen's words and of the scene's texts; by default
            ``options.lang``.
        options: viewing modes (high contrast, large text, reduced motion).
        now_ms: a monotonic clock in milliseconds, for animation and the running timer.
        motion: the :class:`~engine.screen.animate.Animator` that saw the scenes arrive;
            without one, the scene is drawn at rest.

    Example::

        design = pygame.Surface((1920, 1080))
        render(scene, design, lang="sv", options=ScreenOptions(high_contrast=True))
        present(design, window)
    """
    _renderer().render(scene, surface, lang=lang, options=options, now_ms=now_ms,
                       motion=motion)


def draw_connection_overlay(surface: pygame.Surface, *, state: str, room: str = "",
                            options: ScreenOptions | None = None, lang: str | None = None,
                            now_ms: int = 0) -> None:
    """Dim ``surface`` and say what the connection is doing, in the screen's language.

    ``state`` is ``lost`` ("Yhteys katkesi — yhdistetään uudelleen…"), ``connecting`` or
    ``no_room`` (the room code is unknown to the server).
    """
    _renderer().connection_overlay(surface, state=state, room=room, options=options, lang=lang,
                                   now_ms=now_ms)


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
