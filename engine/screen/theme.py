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
from typing import Literal

__all__ = [
    "DESIGN_SIZE",
    "Palette",
    "ScreenOptions",
    "Sizes",
    "TextRole",
    "contrast_ink",
    "mix",
    "page_ms",
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
        large_text: every text and every floor a quarter larger (a long text goes on to
            more pages).
        reduced_motion: no animation at all; every change is shown at once, and a long text's
            pages turn without a transition.
        page_seconds: how long a page of a text that needs several stays before the next one
            comes; a page with many words stays longer (see :func:`page_ms`).
    """

    lang: str = "fi"
    high_contrast: bool = False
    large_text: bool = False
    reduced_motion: bool = False
    page_seconds: float = 15.0


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


#: The text roles of the screen, each with its own size floor (see :class:`Sizes`).
TextRole = Literal["title", "body", "note", "label"]


@dataclass(frozen=True)
class Sizes:
    """Text sizes in design pixels, and the floor of each text role.

    A text starts at its size and may shrink to fit its box, but never below the floor of its
    role: what still does not fit goes on to a next page that the screen turns. The floors are
    for reading from the back of a group room: on a 2 m wide projection of the 1920×1080
    design surface one design pixel is about a millimetre, a capital letter is about 0.7 of the
    size, and signage practice asks for about 5 mm of capital height per metre of distance,
    25 mm at 5 m, which is a size of 36 px. Running text gets some margin above that, titles
    more; only short labels beside a picture (names, "Vuorossa", "2/3") sit just under it.

    ============  =====  ====================================================================
    role          floor  texts
    ============  =====  ====================================================================
    ``title``        44  the scene's title, card, story and block titles, panel headings
    ``body``         40  card and story text, instructions, hints, clues, questions
    ``note``         36  quiet notes under the main text, the join card's small words
    ``label``        32  names, statuses, theme and card kinds, lock names, progress, pages
    ============  =====  ====================================================================
    """

    header: int = 50
    title: int = 76
    huge: int = 112
    body: int = 48
    note: int = 40
    card_title: int = 62
    card_body: int = 64
    name: int = 44
    status: int = 38
    code: int = 190
    margin: int = 60
    gap: int = 36
    title_floor: int = 44
    body_floor: int = 40
    note_floor: int = 36
    label_floor: int = 32

    def floor(self, role: TextRole) -> int:
        """The smallest size a text of ``role`` may be drawn at.

        >>> Sizes().floor("body")
        40
        """
        return {"title": self.title_floor, "body": self.body_floor, "note": self.note_floor,
                "label": self.label_floor}[role]

    def scaled(self, factor: float) -> Sizes:
        """The same sizes and floors, every text ``factor`` times larger (margins stay)."""
        def s(v: int) -> int:
            return round(v * factor)

        return Sizes(header=s(self.header), title=s(self.title), huge=s(self.huge),
                     body=s(self.body), note=s(self.note), card_title=s(self.card_title),
                     card_body=s(self.card_body), name=s(self.name), status=s(self.status),
                     code=self.code, margin=self.margin, gap=self.gap,
                     title_floor=s(self.title_floor), body_floor=s(self.body_floor),
                     note_floor=s(self.note_floor), label_floor=s(self.label_floor))


_NORMAL_SIZES = Sizes()
_LARGE_SIZES = _NORMAL_SIZES.scaled(1.25)


def palette_for(options: ScreenOptions) -> Palette:
    """The palette of ``options``' viewing mode."""
    return HIGH_CONTRAST if options.high_contrast else CALM


def sizes_for(options: ScreenOptions) -> Sizes:
    """The text sizes of ``options``' viewing mode."""
    return _LARGE_SIZES if options.large_text else _NORMAL_SIZES


#: A slow reader's pace, reading aloud to the group: about 120 words a minute.
MS_PER_WORD = 500


def page_ms(options: ScreenOptions, words: int) -> int:
    """How long a page of ``words`` words stays on the screen: the leader's calm pace
    (``page_seconds``), longer when the page has many words.

    >>> page_ms(ScreenOptions(page_seconds=15), 10), page_ms(ScreenOptions(page_seconds=15), 60)
    (15000, 30000)
    """
    return max(round(options.page_seconds * 1000), words * MS_PER_WORD, 3000)


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
