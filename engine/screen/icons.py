"""Simple vector pictures drawn with ``pygame.draw``: avatars, themes, statuses, locks,
reactions.

Nothing on the screen is told by colour alone, so every avatar, board space, theme, seat status
and lock has a shape too. The shapes are plain silhouettes (things, never faces) drawn in a
unit square from -1 to 1, four times larger than needed and then smoothly scaled down, which
gives soft edges without an image library. Each picture is drawn once per size and colour and
then kept.

Icon names a scene uses that are not drawn here (theme icons are free text in content) get one
of a few distinct patterns, chosen by a stable hash of the name, so the same theme always looks
the same on every machine.
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence

import pygame

from .theme import contrast_ink, mix

__all__ = ["ICON_NAMES", "badge", "disc", "draw_die", "icon", "shadow", "tile"]

RGB = tuple[int, int, int]
Point = tuple[float, float]
CLEAR = (0, 0, 0, 0)


class _Pen:
    """Draws in unit coordinates (-1..1 across the square) onto a supersampled surface."""

    def __init__(self, surface: pygame.Surface, colour: RGB) -> None:
        self.surface = surface
        self.colour: tuple[int, ...] = (*colour, 255)
        self.half = surface.get_width() / 2

    def p(self, x: float, y: float) -> tuple[float, float]:
        return (self.half + x * self.half, self.half + y * self.half)

    def _c(self, erase: bool) -> tuple[int, ...]:
        return CLEAR if erase else self.colour

    def circle(self, x: float, y: float, r: float, *, width: float = 0,
               erase: bool = False) -> None:
        w = 0 if width == 0 else max(1, round(width * self.half))
        pygame.draw.circle(self.surface, self._c(erase), self.p(x, y), r * self.half, w)

    def poly(self, points: Sequence[Point], *, erase: bool = False) -> None:
        pygame.draw.polygon(self.surface, self._c(erase), [self.p(x, y) for x, y in points])

    def rect(self, x0: float, y0: float, x1: float, y1: float, *, radius: float = 0,
             erase: bool = False) -> None:
        a, b = self.p(x0, y0), self.p(x1, y1)
        box = pygame.Rect(round(a[0]), round(a[1]), round(b[0] - a[0]), round(b[1] - a[1]))
        pygame.draw.rect(self.surface, self._c(erase), box,
                         border_radius=round(radius * self.half))

    def ellipse(self, x0: float, y0: float, x1: float, y1: float, *, erase: bool = False) -> None:
        a, b = self.p(x0, y0), self.p(x1, y1)
        pygame.draw.ellipse(self.surface, self._c(erase),
                            pygame.Rect(a[0], a[1], b[0] - a[0], b[1] - a[1]))

    def stroke(self, points: Sequence[Point], width: float, *, erase: bool = False) -> None:
        """A thick line through ``points`` with round joints and ends."""
        colour = self._c(erase)
        r = width / 2
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            dx, dy = x1 - x0, y1 - y0
            length = math.hypot(dx, dy) or 1.0
            nx, ny = -dy / length * r, dx / length * r
            self.poly([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny),
                       (x0 - nx, y0 - ny)], erase=erase)
        for x, y in points:
            pygame.draw.circle(self.surface, colour, self.p(x, y), r * self.half)

    def arc(self, x: float, y: float, r: float, start: float, end: float, width: float, *,
            erase: bool = False, steps: int = 24) -> None:
        """An arc from angle ``start`` to ``end`` (radians, 0 = right, clockwise on screen)."""
        pts = [(x + r * math.cos(start + (end - start) * i / steps),
                y + r * math.sin(start + (end - start) * i / steps)) for i in range(steps + 1)]
        self.stroke(pts, width, erase=erase)


# -- the pictures -------------------------------------------------------------------------


def _sun(p: _Pen) -> None:
    p.circle(0, 0, 0.42)
    for i in range(8):
        a = i * math.pi / 4
        p.stroke([(0.6 * math.cos(a), 0.6 * math.sin(a)), (0.88 * math.cos(a),
                                                            0.88 * math.sin(a))], 0.13)


def _moon(p: _Pen) -> None:
    p.circle(-0.05, 0, 0.78)
    p.circle(0.33, -0.2, 0.62, erase=True)


def _star(p: _Pen) -> None:
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        r = 0.92 if i % 2 == 0 else 0.4
        pts.append((r * math.cos(a), r * math.sin(a) + 0.06))
    p.poly(pts)


def _tree(p: _Pen) -> None:
    p.rect(-0.12, 0.5, 0.12, 0.92)
    p.poly([(0, -0.92), (0.42, -0.35), (-0.42, -0.35)])
    p.poly([(0, -0.6), (0.6, 0.05), (-0.6, 0.05)])
    p.poly([(0, -0.25), (0.78, 0.55), (-0.78, 0.55)])


def _leaf(p: _Pen) -> None:
    pts = []
    for i in range(21):
        t = i / 20
        pts.append((0.58 * math.sin(math.pi * t), -0.8 + 1.5 * t))
    for i in range(20, -1, -1):
        t = i / 20
        pts.append((-0.58 * math.sin(math.pi * t), -0.8 + 1.5 * t))
    rot = math.radians(35)

    def turn(x: float, y: float) -> Point:
        return (x * math.cos(rot) - y * math.sin(rot), x * math.sin(rot) + y * math.cos(rot))

    p.poly([turn(x, y) for x, y in pts])
    p.stroke([turn(0, -0.55), turn(0, 0.7)], 0.08, erase=True)
    p.stroke([turn(0, 0.68), turn(0, 0.98)], 0.1)


def _flower(p: _Pen) -> None:
    for i in range(6):
        a = i * math.pi / 3 - math.pi / 2
        p.circle(0.5 * math.cos(a), 0.5 * math.sin(a), 0.34)
    p.circle(0, 0, 0.3, erase=True)
    p.circle(0, 0, 0.2)


def _bird(p: _Pen) -> None:
    p.ellipse(-0.72, -0.18, 0.42, 0.58)
    p.circle(0.38, -0.32, 0.3)
    p.poly([(0.62, -0.42), (0.95, -0.3), (0.62, -0.2)])
    p.poly([(-0.6, 0.05), (-0.98, -0.3), (-0.9, 0.35)])
    p.circle(0.42, -0.38, 0.07, erase=True)
    p.poly([(-0.45, 0.05), (0.15, 0.05), (-0.3, 0.35)], erase=True)


def _fish(p: _Pen) -> None:
    p.ellipse(-0.55, -0.42, 0.92, 0.42)
    p.poly([(-0.4, 0), (-0.95, -0.5), (-0.95, 0.5)])
    p.circle(0.52, -0.08, 0.09, erase=True)
    p.arc(0.55, 0.0, 0.42, math.pi * 0.72, math.pi * 1.28, 0.07, erase=True)


def _boat(p: _Pen) -> None:
    p.poly([(-0.92, 0.3), (0.92, 0.3), (0.6, 0.72), (-0.6, 0.72)])
    p.stroke([(0, -0.88), (0, 0.3)], 0.09)
    p.poly([(0.1, -0.85), (0.1, 0.18), (0.72, 0.18)])
    p.poly([(-0.1, -0.58), (-0.1, 0.18), (-0.55, 0.18)])


def _bicycle(p: _Pen) -> None:
    p.circle(-0.5, 0.28, 0.4, width=0.1)
    p.circle(0.5, 0.28, 0.4, width=0.1)
    frame = [(-0.5, 0.28), (-0.12, -0.28), (0.06, 0.28), (-0.5, 0.28)]
    p.stroke(frame, 0.09)
    p.stroke([(-0.12, -0.28), (0.36, -0.28), (0.06, 0.28)], 0.09)
    p.stroke([(0.5, 0.28), (0.3, -0.5)], 0.09)
    p.stroke([(0.18, -0.52), (0.46, -0.52)], 0.1)
    p.stroke([(-0.3, -0.42), (0.0, -0.42)], 0.12)
    p.stroke([(-0.14, -0.42), (-0.12, -0.28)], 0.08)


def _mountain(p: _Pen) -> None:
    p.poly([(-0.98, 0.72), (-0.15, -0.78), (0.68, 0.72)])
    p.poly([(0.0, 0.72), (0.5, -0.22), (0.98, 0.72)])
    p.poly([(-0.4, -0.33), (-0.15, -0.78), (0.1, -0.33), (-0.02, -0.22), (-0.15, -0.36),
            (-0.28, -0.22)], erase=True)
    p.poly([(-0.36, -0.4), (-0.15, -0.78), (0.06, -0.4)])


def _cup(p: _Pen) -> None:
    p.poly([(-0.62, -0.25), (0.38, -0.25), (0.28, 0.58), (-0.52, 0.58)])
    p.circle(0.48, 0.1, 0.24, width=0.1)
    p.stroke([(-0.85, 0.74), (0.65, 0.74)], 0.11)
    for x in (-0.32, 0.02):
        p.stroke([(x, -0.45), (x + 0.1, -0.6), (x, -0.75), (x + 0.1, -0.9)], 0.08)


def _key(p: _Pen) -> None:
    p.circle(-0.52, 0, 0.38)
    p.circle(-0.52, 0, 0.16, erase=True)
    p.rect(-0.2, -0.09, 0.92, 0.09)
    p.rect(0.55, 0.05, 0.7, 0.38)
    p.rect(0.76, 0.05, 0.9, 0.3)


def _note(p: _Pen) -> None:
    p.ellipse(-0.62, 0.3, 0.02, 0.76)
    p.rect(-0.12, -0.86, 0.02, 0.52)
    p.poly([(-0.05, -0.86), (0.62, -0.5), (0.62, -0.18), (-0.05, -0.52)])


def _drop(p: _Pen) -> None:
    p.circle(0, 0.3, 0.55)
    p.poly([(0, -0.95), (-0.5, 0.08), (0.5, 0.08)])
    p.arc(0, 0.3, 0.36, math.pi * 0.55, math.pi * 0.95, 0.09, erase=True)


def _house(p: _Pen) -> None:
    p.rect(0.38, -0.78, 0.58, -0.3)
    p.poly([(-0.95, -0.02), (0, -0.88), (0.95, -0.02)])
    p.rect(-0.68, -0.05, 0.68, 0.85)
    p.rect(-0.17, 0.3, 0.17, 0.85, erase=True)
    p.rect(-0.5, 0.08, -0.26, 0.3, erase=True)


def _heart(p: _Pen) -> None:
    p.circle(-0.38, -0.25, 0.42)
    p.circle(0.38, -0.25, 0.42)
    p.poly([(-0.78, -0.1), (0.78, -0.1), (0, 0.85)])


def _chat(p: _Pen) -> None:
    p.rect(-0.9, -0.75, 0.9, 0.4, radius=0.3)
    p.poly([(-0.45, 0.3), (-0.1, 0.3), (-0.55, 0.85)])
    for x in (-0.45, 0.0, 0.45):
        p.circle(x, -0.17, 0.11, erase=True)


def _people(p: _Pen) -> None:
    for x, s in ((-0.38, 0.85), (0.38, 1.0)):
        p.circle(x, -0.42 * s, 0.26 * s)
        p.rect(x - 0.4 * s, 0.0, x + 0.4 * s, 0.78, radius=0.3 * s)


def _child(p: _Pen) -> None:
    # A grown-up and a child side by side (parenthood).
    p.circle(-0.32, -0.5, 0.24)
    p.rect(-0.66, -0.16, 0.02, 0.84, radius=0.26)
    p.circle(0.44, -0.05, 0.17)
    p.rect(0.2, 0.2, 0.68, 0.84, radius=0.2)


def _bulb(p: _Pen) -> None:
    p.circle(0, -0.2, 0.52)
    p.poly([(-0.3, 0.15), (0.3, 0.15), (0.22, 0.5), (-0.22, 0.5)])
    p.rect(-0.24, 0.56, 0.24, 0.68, radius=0.05)
    p.rect(-0.18, 0.74, 0.18, 0.86, radius=0.05)
    p.stroke([(-0.14, -0.12), (0, 0.12), (0.14, -0.12)], 0.07, erase=True)


def _question(p: _Pen) -> None:
    p.arc(0, -0.35, 0.38, math.pi, math.pi * 2.35, 0.2)
    p.stroke([(0.14, 0.02), (0.0, 0.12), (0.0, 0.3)], 0.2)
    p.circle(0, 0.66, 0.14)


# The supportive reactions (the tablet's heart, me_too, clap and thanks, as solid shapes).


def _me_too(p: _Pen) -> None:
    # Two people side by side: "me too", "I feel the same".
    for x in (-0.4, 0.4):
        p.circle(x, -0.42, 0.27)
    p.ellipse(-0.9, -0.02, 0.1, 0.98)
    p.ellipse(-0.1, -0.02, 0.9, 0.98)
    p.rect(-0.95, 0.52, 0.95, 1.0, erase=True)
    p.stroke([(0.0, 0.0), (0.0, 0.5)], 0.1, erase=True)


def _clap(p: _Pen) -> None:
    # A burst of applause: rays all round, long and short in turn.
    for i in range(8):
        a = i * math.pi / 4 - math.pi / 2
        inner, outer = (0.34, 0.92) if i % 2 == 0 else (0.4, 0.76)
        p.stroke([(inner * math.cos(a), inner * math.sin(a)),
                  (outer * math.cos(a), outer * math.sin(a))], 0.17)
    p.circle(0, 0, 0.14)


def _thanks(p: _Pen) -> None:
    # A speech bubble with a heart cut into it.
    p.rect(-0.9, -0.82, 0.9, 0.5, radius=0.22)
    p.poly([(-0.6, 0.4), (-0.12, 0.4), (-0.62, 0.9)])
    p.circle(-0.17, -0.26, 0.2, erase=True)
    p.circle(0.17, -0.26, 0.2, erase=True)
    p.poly([(-0.36, -0.19), (0.36, -0.19), (0.0, 0.22)], erase=True)


# Status, lock and system pictures.


def _turn(p: _Pen) -> None:
    p.poly([(-0.55, -0.8), (0.85, 0), (-0.55, 0.8)])


def _passed(p: _Pen) -> None:
    p.arc(0.0, 0.25, 0.62, math.pi, math.pi * 1.92, 0.17)
    tip = (0.62 * math.cos(math.pi * 1.92), 0.25 + 0.62 * math.sin(math.pi * 1.92))
    p.poly([(tip[0] - 0.34, tip[1] + 0.06), (tip[0] + 0.26, tip[1] - 0.28),
            (tip[0] + 0.22, tip[1] + 0.42)])
    p.rect(-0.85, 0.62, 0.85, 0.8, radius=0.05)


def _answered(p: _Pen) -> None:
    p.stroke([(-0.72, 0.02), (-0.22, 0.55), (0.78, -0.6)], 0.26)


def _away(p: _Pen) -> None:
    for r in (0.9, 0.6, 0.3):
        p.arc(0, 0.62, r, math.pi * 1.25, math.pi * 1.75, 0.15)
    p.circle(0, 0.62, 0.11)
    p.stroke([(-0.78, -0.72), (0.78, 0.82)], 0.15, erase=True)
    p.stroke([(-0.7, -0.7), (0.7, 0.74)], 0.12)


def _lock(p: _Pen, opened: bool) -> None:
    if opened:
        p.arc(0.42, -0.3, 0.32, math.pi, math.pi * 2, 0.15)
        p.stroke([(0.74, -0.3), (0.74, 0.0)], 0.15)
    else:
        p.arc(0, -0.2, 0.38, math.pi, math.pi * 2, 0.16)
        p.stroke([(-0.38, -0.2), (-0.38, 0.05)], 0.16)
        p.stroke([(0.38, -0.2), (0.38, 0.05)], 0.16)
    p.rect(-0.62, -0.02, 0.62, 0.88, radius=0.12)
    p.circle(0, 0.32, 0.13, erase=True)
    p.rect(-0.05, 0.35, 0.05, 0.6, erase=True)


def _pause(p: _Pen) -> None:
    p.rect(-0.55, -0.75, -0.15, 0.75, radius=0.1)
    p.rect(0.15, -0.75, 0.55, 0.75, radius=0.1)


def _stopwatch(p: _Pen) -> None:
    p.circle(0, 0.12, 0.74, width=0.14)
    p.rect(-0.18, -0.98, 0.18, -0.76, radius=0.05)
    p.stroke([(0, 0.12), (0, -0.35)], 0.12)


# Patterns for icon names this module does not know.


def _pat_circle(p: _Pen) -> None:
    p.circle(0, 0, 0.7)


def _pat_ring(p: _Pen) -> None:
    p.circle(0, 0, 0.72, width=0.24)


def _pat_triangle(p: _Pen) -> None:
    p.poly([(0, -0.82), (0.82, 0.62), (-0.82, 0.62)])


def _pat_square(p: _Pen) -> None:
    p.rect(-0.62, -0.62, 0.62, 0.62)


def _pat_diamond(p: _Pen) -> None:
    p.poly([(0, -0.88), (0.7, 0), (0, 0.88), (-0.7, 0)])


def _pat_plus(p: _Pen) -> None:
    p.rect(-0.22, -0.8, 0.22, 0.8)
    p.rect(-0.8, -0.22, 0.8, 0.22)


def _pat_hexagon(p: _Pen) -> None:
    p.poly([(0.8 * math.cos(a), 0.8 * math.sin(a))
            for a in (i * math.pi / 3 for i in range(6))])


def _pat_stripes(p: _Pen) -> None:
    for y in (-0.55, 0.0, 0.55):
        p.rect(-0.8, y - 0.14, 0.8, y + 0.14, radius=0.08)


_DRAW: dict[str, Callable[[_Pen], None]] = {
    "sun": _sun, "moon": _moon, "star": _star, "tree": _tree, "leaf": _leaf,
    "flower": _flower, "bird": _bird, "fish": _fish, "boat": _boat, "bicycle": _bicycle,
    "mountain": _mountain, "cup": _cup, "key": _key, "note": _note, "drop": _drop,
    "house": _house, "heart": _heart, "chat": _chat, "people": _people, "bulb": _bulb,
    "child": _child, "me_too": _me_too, "clap": _clap, "thanks": _thanks,
    "question": _question, "turn": _turn, "passed": _passed, "answered": _answered,
    "away": _away, "lock_closed": lambda p: _lock(p, False),
    "lock_open": lambda p: _lock(p, True), "pause": _pause, "stopwatch": _stopwatch,
}
_ALIASES = {
    "home": "house", "music": "note", "speech": "chat", "talk": "chat", "water": "drop",
    "coffee": "cup", "rest": "cup", "nature": "tree", "forest": "tree", "group": "people",
    "friends": "people", "feelings": "heart", "love": "heart", "idea": "bulb", "hint": "bulb",
    "lightbulb": "bulb", "check": "answered", "done": "answered", "lock": "lock_closed",
    "unlock": "lock_open", "skip": "passed", "play": "turn", "timer": "stopwatch",
    "wifi_off": "away", "offline": "away", "family": "child", "parent": "child",
    "choice": "question",
}
_PATTERNS: list[Callable[[_Pen], None]] = [_pat_circle, _pat_ring, _pat_triangle, _pat_square,
                                           _pat_diamond, _pat_plus, _pat_hexagon, _pat_stripes]

#: Every icon name drawn as a picture (aliases included); other names get a pattern.
ICON_NAMES = frozenset(_DRAW) | frozenset(_ALIASES)


def _drawer(name: str) -> Callable[[_Pen], None]:
    key = _ALIASES.get(name, name)
    found = _DRAW.get(key)
    if found is not None:
        return found
    return _PATTERNS[zlib.crc32(name.encode()) % len(_PATTERNS)]


_cache: OrderedDict[tuple[object, ...], pygame.Surface] = OrderedDict()


def _remember(key: tuple[object, ...], surface: pygame.Surface) -> pygame.Surface:
    _cache[key] = surface
    if len(_cache) > 600:
        _cache.popitem(last=False)
    return surface


def _supersample(size: int) -> int:
    return 4 if size <= 160 else 2


def icon(name: str, size: int, colour: RGB) -> pygame.Surface:
    """The picture ``name`` in ``colour`` on a transparent square of ``size`` px."""
    size = max(4, int(size))
    key = ("icon", name, size, colour)
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found
    k = _supersample(size)
    big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
    _drawer(name)(_Pen(big, colour))
    return _remember(key, pygame.transform.smoothscale(big, (size, size)))


def disc(name: str, fill: RGB, size: int, *, ring: RGB | None = None, ring_width: int = 0,
         dim: bool = False, halo: RGB | None = None) -> pygame.Surface:
    """An avatar or board-space disc: ``fill`` with the picture ``name`` on it in the ink that
    reads best, an optional ``ring`` round it and an optional outer ``halo`` (for the seat whose
    turn it is). ``dim`` greys it out (a seat that is away)."""
    size = max(6, int(size))
    key = ("disc", name, fill, size, ring, ring_width, dim, halo)
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found
    k = _supersample(size)
    big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
    centre = (size * k / 2, size * k / 2)
    radius = size * k / 2
    colour = mix(fill, (128, 128, 128), 0.65) if dim else fill
    if halo is not None:
        pygame.draw.circle(big, (*halo, 255), centre, radius)
        radius -= max(2, size // 12) * k
    if ring is not None and ring_width > 0:
        pygame.draw.circle(big, (*ring, 255), centre, radius)
        radius -= ring_width * k
    pygame.draw.circle(big, (*colour, 255), centre, radius)
    ink = contrast_ink(colour)
    inner = round(radius * 2 * 0.66)
    sub = pygame.Surface((inner, inner), pygame.SRCALPHA)
    _drawer(name)(_Pen(sub, ink))
    big.blit(sub, (round(centre[0] - inner / 2), round(centre[1] - inner / 2)))
    return _remember(key, pygame.transform.smoothscale(big, (size, size)))


def badge(name: str, colour: RGB, paper: RGB, size: int) -> pygame.Surface:
    """The picture ``name`` in ``colour`` on a ``paper`` disc of ``size`` px with a thin ring
    of ``colour``: a reaction on the screen, in its tablet colour whatever the palette round
    it (the paper keeps a dark red or blue readable on a dark screen)."""
    size = max(6, int(size))
    key = ("badge", name, colour, paper, size)
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found
    k = _supersample(size)
    big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
    centre = (size * k / 2, size * k / 2)
    radius = size * k / 2
    pygame.draw.circle(big, (*colour, 255), centre, radius)
    pygame.draw.circle(big, (*paper, 255), centre, radius - max(2, size // 18) * k)
    inner = round(radius * 2 * 0.62)
    sub = pygame.Surface((inner, inner), pygame.SRCALPHA)
    _drawer(name)(_Pen(sub, colour))
    big.blit(sub, (round(centre[0] - inner / 2), round(centre[1] - inner / 2)))
    return _remember(key, pygame.transform.smoothscale(big, (size, size)))


def _rounded_square(cx: float, cy: float, side: float, angle: float,
                    corner: float) -> list[tuple[float, float]]:
    """Outline points of a square with rounded corners, turned by ``angle`` radians."""
    half = side / 2 - corner
    pts = []
    for k, (sx, sy) in enumerate(((1, 1), (-1, 1), (-1, -1), (1, -1))):
        start = k * math.pi / 2
        for i in range(7):
            a = start + i * (math.pi / 2) / 6
            x = sx * half + corner * math.cos(a)
            y = sy * half + corner * math.sin(a)
            pts.append((cx + x * math.cos(angle) - y * math.sin(angle),
                        cy + x * math.sin(angle) + y * math.cos(angle)))
    return pts


def tile(name: str, fill: RGB, side: int, *, angle: float = 0.0, edge: RGB | None = None,
         edge_width: int = 0, halo: RGB | None = None) -> pygame.Surface:
    """A board space: a rounded square of ``fill``, turned ``angle`` degrees to follow the
    track, with the picture ``name`` upright on it. The surface is larger than ``side`` to hold
    the turned corners and the ``halo`` (the highlighted space); blit it centred."""
    side = max(8, int(side))
    angle = round(angle) % 90
    key = ("tile", name, fill, side, angle, edge, edge_width, halo)
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found
    k = 3
    grow = round(side * 0.18) if halo is not None else 0
    box = round(side * 1.42) + 2 * grow
    big = pygame.Surface((box * k, box * k), pygame.SRCALPHA)
    c = box * k / 2
    rad = math.radians(angle)
    corner = side * k * 0.2
    if halo is not None:
        pygame.draw.polygon(big, (*halo, 255),
                            _rounded_square(c, c, (side + 2 * grow) * k, rad, corner * 1.4))
    outer = side * k
    if edge is not None and edge_width > 0:
        pygame.draw.polygon(big, (*edge, 255), _rounded_square(c, c, outer, rad, corner))
        outer -= 2 * edge_width * k
    pygame.draw.polygon(big, (*fill, 255), _rounded_square(c, c, outer, rad, corner * 0.85))
    inner = round(side * k * 0.62)
    sub = pygame.Surface((inner, inner), pygame.SRCALPHA)
    _drawer(name)(_Pen(sub, contrast_ink(fill)))
    big.blit(sub, (round(c - inner / 2), round(c - inner / 2)))
    return _remember(key, pygame.transform.smoothscale(big, (box, box)))


def shadow(size: int) -> pygame.Surface:
    """A soft dark disc of ``size`` px to blit a little below a token, so it stands out from
    the space under it."""
    key = ("shadow", size)
    found = _cache.get(key)
    if found is not None:
        return found
    k = 3
    big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
    pygame.draw.circle(big, (0, 0, 0, 120), (size * k / 2, size * k / 2), size * k / 2)
    return _remember(key, pygame.transform.smoothscale(big, (size, size)))


_PIPS = {
    1: [(0, 0)], 2: [(-1, -1), (1, 1)], 3: [(-1, -1), (0, 0), (1, 1)],
    4: [(-1, -1), (1, -1), (-1, 1), (1, 1)], 5: [(-1, -1), (1, -1), (0, 0), (-1, 1), (1, 1)],
    6: [(-1, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (1, 1)],
}


def draw_die(face: int, size: int, paper: RGB, ink: RGB, edge: RGB) -> pygame.Surface:
    """A die showing ``face`` (1–6) as pips, on a transparent square of ``size`` px."""
    size = max(8, int(size))
    key = ("die", face, size, paper, ink, edge)
    found = _cache.get(key)
    if found is not None:
        return found
    k = 3
    big = pygame.Surface((size * k, size * k), pygame.SRCALPHA)
    box = big.get_rect()
    pygame.draw.rect(big, (*edge, 255), box, border_radius=size * k // 6)
    pygame.draw.rect(big, (*paper, 255), box.inflate(-size * k // 12, -size * k // 12),
                     border_radius=size * k // 7)
    step = size * k * 0.26
    for dx, dy in _PIPS.get(face, _PIPS[1]):
        pygame.draw.circle(big, (*ink, 255), (box.centerx + dx * step, box.centery + dy * step),
                           size * k * 0.09)
    return _remember(key, pygame.transform.smoothscale(big, (size, size)))
