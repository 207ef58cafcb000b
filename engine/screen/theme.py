"""Colours, sizes and viewing modes of the shared screen.

The screen is read from 3–5 m away on a projector or a TV, by adults some of whom read slowly,
are learning Finnish or see colours differently. So every size here is in pixels of the
1920×1080 design surface and errs on the large side, and every colour that carries meaning
comes with a shape or a word beside it (the icons module draws those shapes).

The default look is a calm dark slate with warm off-white text and paper-coloured cards;
high contrast is black, white and yellow with thicker outlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "DESIGN_SIZE",
    "Palette",
    "ScreenOptions",
    "Sizes",
    "contrast_ink",
    "mix",
    "palette_for",
    "parse_colour",
    "sizes_for",
]

#: Everything is drawn on a surface of this size and then scaled to the window.
DESIGN_SIZE = (1920, 1080)

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class ScreenOptions:
    """How the group leader wants the screen shown.

    Attributes:
        lang: language tag of the screen's words (``fi``, ``sv``, ``en``, ``fi-x-selko``...).
        high_contrast: black, white and yellow with thick outlines, for low vision or a
            washed-out projector.
        large_text: every text a quarter larger (cards shrink back towards their floor when
            a long text would not fit).
        reduced_motion: no animation at all; every change is shown at once.
    """

    lang: str = "fi"
    high_contrast: bool = False
    large_text: bool = False
    reduced_motion: bool = False


@dataclass(frozen=True)
class Palette:
    """The colours of one viewing mode. ``ink`` is text on the background, ``card_ink`` is
    text on a card."""

    background: RGB
    panel: RGB
    panel_edge: RGB
    ink: RGB
    muted: RGB
    accent: RGB
    card: RGB
    card_ink: RGB
    card_muted: RGB
    card_edge: RGB
    track: RGB
    good: RGB
    hint: RGB
    dim_alpha: int
    outline: int
    disc_ring: RGB


CALM = Palette(
    background=(30, 42, 54),
    panel=(42, 57, 72),
    panel_edge=(70, 90, 110),
    ink=(246, 242, 234),
    muted=(190, 200, 210),
    accent=(240, 228, 66),
    card=(251, 248, 241),
    card_ink=(27, 31, 36),
    card_muted=(84, 92, 102),
    card_edge=(214, 206, 190),
    track=(76, 94, 112),
    good=(0, 158, 115),
    hint=(240, 228, 66),
    dim_alpha=225,
    outline=3,
    disc_ring=(246, 242, 234),
)

HIGH_CONTRAST = Palette(
    background=(0, 0, 0),
    panel=(0, 0, 0),
    panel_edge=(255, 255, 255),
    ink=(255, 255, 255),
    muted=(255, 255, 255),
    accent=(255, 221, 0),
    card=(255, 255, 255),
    card_ink=(0, 0, 0),
    card_muted=(0, 0, 0),
    card_edge=(255, 221, 0),
    track=(255, 255, 255),
    good=(255, 221, 0),
    hint=(255, 221, 0),
    dim_alpha=235,
    outline=6,
    disc_ring=(255, 255, 255),
)


@dataclass(frozen=True)
class Sizes:
    """Text sizes in design pixels. The floors are the smallest a text may shrink to."""

    header: int = 50
    title: int = 76
    huge: int = 112
    body: int = 48
    body_floor: int = 40
    card_title: int = 62
    card_body: int = 64
    card_floor: int = 40
    name: int = 44
    status: int = 38
    small_floor: int = 32
    code: int = 190
    margin: int = 60
    gap: int = 36

    def scaled(self, factor: float) -> Sizes:
        """The same sizes, every text ``factor`` times larger (margins stay)."""
        def s(v: int) -> int:
            return round(v * factor)

        return Sizes(header=s(self.header), title=s(self.title), huge=s(self.huge),
                     body=s(self.body), body_floor=s(self.body_floor),
                     card_title=s(self.card_title), card_body=s(self.card_body),
                     card_floor=s(self.card_floor), name=s(self.name), status=s(self.status),
                     small_floor=s(self.small_floor), code=self.code, margin=self.margin,
                     gap=self.gap)


_NORMAL_SIZES = Sizes()
_LARGE_SIZES = _NORMAL_SIZES.scaled(1.25)


def palette_for(options: ScreenOptions) -> Palette:
    """The palette of ``options``' viewing mode."""
    return HIGH_CONTRAST if options.high_contrast else CALM


def sizes_for(options: ScreenOptions) -> Sizes:
    """The text sizes of ``options``' viewing mode."""
    return _LARGE_SIZES if options.large_text else _NORMAL_SIZES


@lru_cache(maxsize=256)
def parse_colour(value: str, default: RGB = (127, 127, 127)) -> RGB:
    """``#RRGGBB`` or ``#RGB`` as an RGB tuple; anything else gives ``default``.

    >>> parse_colour("#E69F00")
    (230, 159, 0)
    """
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        return default
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        return default


def _luminance(colour: RGB) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ink(colour: RGB) -> RGB:
    """Near-black or white, whichever reads better on ``colour`` (WCAG contrast ratio).

    >>> contrast_ink((240, 228, 66))
    (20, 24, 28)
    """
    lum = _luminance(colour)
    on_dark = (1.05) / (lum + 0.05)
    on_light = (lum + 0.05) / (_luminance((20, 24, 28)) + 0.05)
    return (255, 255, 255) if on_dark > on_light else (20, 24, 28)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))
