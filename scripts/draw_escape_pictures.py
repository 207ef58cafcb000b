"""Draw the escape rooms' pictures: ``content/escape_room/pictures/*.png``.

The find-in-the-picture puzzles ask the group to look at a picture on the shared screen and
choose one of its lettered places. These pictures are drawn here, with Pillow, from plain
shapes, so that anyone can change one and draw it again::

    .venv/bin/python scripts/draw_escape_pictures.py

What each picture must hold comes from its room's YAML (the places and their letters under
``pictures:``); the puzzles' answers are never drawn more plainly than the other places (the
code card under the flower pot is hidden, as the story says).

The pictures are read from five metres on a projector: large simple shapes, calm colours from
the Okabe–Ito palette (told apart also by people with colour-vision deficiency) on soft
backgrounds, and each place's letter in a big disc with a light ring, the same on every
picture. Each is drawn at twice its size and scaled down, for smooth edges, and saved as a
1280×720 PNG of well under 300 KB.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "escape_room" / "pictures"
FONT = ROOT / "engine" / "screen" / "fonts" / "AtkinsonHyperlegible-Bold.ttf"

SIZE = (1280, 720)
SCALE = 2  # drawn at twice the size, then scaled down

RGB = tuple[int, int, int]

# Okabe–Ito, and softer tints of it for large areas.
ORANGE: RGB = (230, 159, 0)
SKY: RGB = (86, 180, 233)
GREEN: RGB = (0, 158, 115)
YELLOW: RGB = (240, 228, 66)
BLUE: RGB = (0, 114, 178)
VERMILION: RGB = (213, 94, 0)
PURPLE: RGB = (204, 121, 167)
GREY: RGB = (127, 127, 127)

INK: RGB = (38, 44, 52)
MARKER: RGB = (30, 42, 54)  # the shared screen's background: the letters' discs
PAPER: RGB = (251, 248, 241)


def tint(colour: RGB, amount: float) -> RGB:
    """``colour`` mixed towards white by ``amount`` (0–1)."""
    r, g, b = colour
    return (round(r + (255 - r) * amount), round(g + (255 - g) * amount),
            round(b + (255 - b) * amount))


def shade(colour: RGB, amount: float) -> RGB:
    """``colour`` mixed towards black by ``amount`` (0–1)."""
    r, g, b = colour
    return (round(r * (1 - amount)), round(g * (1 - amount)), round(b * (1 - amount)))


class Canvas:
    """A picture drawn in 1280×720 coordinates on a surface twice that size."""

    def __init__(self, background: RGB) -> None:
        self.image = Image.new("RGB", (SIZE[0] * SCALE, SIZE[1] * SCALE), background)
        self.draw = ImageDraw.Draw(self.image)
        self.font = ImageFont.truetype(str(FONT), 84 * SCALE)

    @staticmethod
    def _xy(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * SCALE, y * SCALE) for x, y in points]

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: RGB,
             outline: RGB | None = INK, width: int = 4, radius: float = 0) -> None:
        box = (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE)
        self.draw.rounded_rectangle(box, radius=radius * SCALE, fill=fill, outline=outline,
                                    width=width * SCALE if outline else 0)

    def poly(self, points: list[tuple[float, float]], fill: RGB, outline: RGB | None = INK,
             width: int = 4) -> None:
        self.draw.polygon(self._xy(points), fill=fill, outline=outline,
                          width=width * SCALE if outline else 0)

    def ellipse(self, x0: float, y0: float, x1: float, y1: float, fill: RGB | None,
                outline: RGB | None = INK, width: int = 4) -> None:
        self.draw.ellipse((x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE), fill=fill,
                          outline=outline, width=width * SCALE if outline else 0)

    def line(self, points: list[tuple[float, float]], colour: RGB = INK, width: int = 4) -> None:
        self.draw.line(self._xy(points), fill=colour, width=width * SCALE, joint="curve")

    def letter(self, x: float, y: float, letter: str, radius: float = 58) -> None:
        """A place's letter: a big dark disc with a light ring, readable on any ground."""
        self.ellipse(x - radius - 6, y - radius - 6, x + radius + 6, y + radius + 6, PAPER,
                     outline=None)
        self.ellipse(x - radius, y - radius, x + radius, y + radius, MARKER, outline=None)
        self.draw.text((x * SCALE, y * SCALE + 3 * SCALE), letter, fill=PAPER, font=self.font,
                       anchor="mm")

    def save(self, path: Path) -> None:
        small = self.image.resize(SIZE, Image.Resampling.LANCZOS)
        # A palette of 128 colours keeps the file small; the shapes are flat colours anyway.
        small = small.quantize(colors=128, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
        small.save(path, format="PNG", optimize=True)


# -- the stairwell of Leena's house (lost-key.yaml) ---------------------------------------


def stairwell() -> Canvas:
    """Seen from the front door: a notice board, mailboxes and a radiator on the left wall,
    stairs up along the back wall under a window (a flower pot on its sill), a pram and a
    bike in the right corner, a doormat at the front."""
    c = Canvas(tint(SKY, 0.78))
    wall_back = tint(SKY, 0.7)
    wall_side = tint(SKY, 0.58)
    floor = tint(GREY, 0.45)
    # The back wall, the side walls in simple perspective, the floor.
    c.rect(250, 0, 1030, 520, wall_back, outline=None)
    c.poly([(0, 0), (250, 0), (250, 520), (0, 720)], wall_side, outline=None)
    c.poly([(1280, 0), (1030, 0), (1030, 520), (1280, 720)], wall_side, outline=None)
    c.poly([(0, 720), (250, 520), (1030, 520), (1280, 720)], floor, outline=None)
    c.line([(250, 0), (250, 520), (1030, 520), (1030, 0)], shade(wall_side, 0.25), 3)
    c.line([(0, 720), (250, 520)], shade(floor, 0.3), 3)
    c.line([(1280, 720), (1030, 520)], shade(floor, 0.3), 3)

    # The stairs go up along the back wall to a landing; the window is above the landing.
    steps = 7
    for i in range(steps):
        x0 = 430 + i * 58
        y = 520 - i * 44
        c.rect(x0, y - 44, 1030, y, tint(ORANGE, 0.55), outline=shade(ORANGE, 0.35), width=3)
    c.line([(430, 470), (836, 162)], shade(ORANGE, 0.5), 8)  # the handrail
    for i in range(0, steps, 2):
        x = 440 + i * 58
        c.line([(x, 520 - i * 44 - 44), (x, 470 - i * 44 * 0.98 - 10)], shade(ORANGE, 0.45), 4)

    # The window on the back wall, with daylight, and its sill.
    c.rect(560, 40, 820, 220, tint(YELLOW, 0.55), outline=PAPER, width=10)
    c.line([(690, 44), (690, 216)], PAPER, 8)
    c.line([(564, 130), (816, 130)], PAPER, 8)
    for x0, y0 in ((590, 62), (720, 62), (600, 150)):  # soft light on the panes
        c.line([(x0, y0 + 40), (x0 + 40, y0)], tint(YELLOW, 0.8), 6)
    c.rect(540, 220, 840, 238, PAPER, outline=shade(PAPER, 0.3), width=3)
    # The flower pot on the sill (the card under it is not seen).
    c.poly([(640, 220), (700, 220), (692, 180), (648, 180)], VERMILION,
           outline=shade(VERMILION, 0.35), width=3)
    for dx, h in ((-26, 70), (0, 92), (24, 74), (-10, 56), (14, 60)):
        c.line([(670, 182), (670 + dx, 182 - h)], shade(GREEN, 0.1), 6)
        c.ellipse(670 + dx - 14, 182 - h - 12, 670 + dx + 14, 182 - h + 12, GREEN,
                  outline=shade(GREEN, 0.35), width=2)

    # The mailboxes on the left wall: two rows of three, each with its slot.
    for row in range(2):
        for col in range(3):
            x0 = 36 + col * 66
            y0 = 250 + row * 92 + col * -4
            c.rect(x0, y0, x0 + 60, y0 + 84, tint(BLUE, 0.25), outline=shade(BLUE, 0.4), width=3,
                   radius=4)
            c.rect(x0 + 10, y0 + 14, x0 + 50, y0 + 22, shade(BLUE, 0.55), outline=None)
    # The notice board on the left wall, above the mailboxes, with papers pinned on it.
    c.poly([(30, 60), (236, 74), (236, 214), (30, 214)], tint(ORANGE, 0.2),
           outline=shade(ORANGE, 0.5), width=4)
    for x0, y0, w, h, colour in ((48, 88, 58, 72, PAPER), (118, 94, 52, 58, tint(YELLOW, 0.3)),
                                 (178, 98, 44, 84, PAPER), (60, 170, 76, 34, tint(SKY, 0.4))):
        c.rect(x0, y0, x0 + w, y0 + h, colour, outline=shade(GREY, 0.2), width=2)
        for k in range(1, 4):
            if 10 * k + 6 < h:
                c.line([(x0 + 8, y0 + 10 * k + 6), (x0 + w - 8, y0 + 10 * k + 6)], GREY, 2)

    # The radiator low on the left wall, under the mailboxes.
    c.poly([(40, 480), (210, 452), (210, 540), (40, 596)], PAPER,
           outline=shade(GREY, 0.2), width=4)
    for k in range(1, 10):
        x = 40 + k * 17
        top = 480 - k * 17 * 28 / 170
        bottom = 596 - k * 17 * 56 / 170
        c.line([(x, top + 8), (x, bottom - 8)], shade(PAPER, 0.25), 4)

    # The corner with a pram and a bike, on the floor at the right.
    c.ellipse(1052, 560, 1100, 608, None, outline=INK, width=6)  # the pram's wheels
    c.ellipse(1150, 560, 1198, 608, None, outline=INK, width=6)
    c.poly([(1040, 470), (1210, 470), (1190, 560), (1060, 560)], PURPLE,
           outline=shade(PURPLE, 0.4), width=4)
    c.ellipse(1040, 420, 1130, 510, tint(PURPLE, 0.3), outline=shade(PURPLE, 0.4), width=4)
    c.line([(1210, 470), (1240, 420)], INK, 6)
    c.ellipse(900, 560, 1010, 670, None, outline=INK, width=7)  # the bike
    c.ellipse(1080, 600, 1190, 710, None, outline=INK, width=7)
    c.line([(955, 615), (1010, 560), (1100, 585), (1135, 655), (1045, 645), (955, 615)],
           BLUE, 7)
    c.line([(1010, 560), (1000, 530), (1030, 528)], INK, 6)
    c.line([(1100, 585), (1095, 555), (1125, 552)], INK, 6)

    # The doormat at the front, by the door we look in from.
    c.poly([(470, 705), (810, 705), (770, 625), (510, 625)], shade(GREEN, 0.2),
           outline=shade(GREEN, 0.5), width=4)
    for k in range(1, 6):
        c.line([(510 - k * 7 + 4, 625 + k * 14), (770 + k * 7 - 4, 625 + k * 14)],
               shade(GREEN, 0.4), 3)

    # The six places' letters, beside each place.
    c.letter(304, 128, "F")  # the notice board
    c.letter(304, 304, "B")  # the mailboxes
    c.letter(880, 150, "C")  # the flower pot on the sill
    c.letter(304, 490, "D")  # the radiator
    c.letter(1170, 330, "E")  # the pram and the bike
    c.letter(640, 580, "A")  # the doormat
    return c


# -- the community garden's map (garden-party.yaml) ---------------------------------------


def garden_map() -> Canvas:
    """Pirkko's map, seen from above: a fence round the garden with a gate at the bottom, a
    bench beside the gate, paths, a compost, an apple tree, a greenhouse, a rain barrel under
    a small roof and a herb bed."""
    grass = tint(GREEN, 0.72)
    c = Canvas(tint(YELLOW, 0.82))
    c.rect(40, 40, 1240, 680, grass, outline=shade(ORANGE, 0.45), width=10, radius=30)
    path = tint(ORANGE, 0.62)
    # The paths: from the gate up the middle, and across.
    c.rect(590, 330, 690, 680, path, outline=None)
    c.rect(120, 300, 1160, 380, path, outline=None, radius=40)
    # The gate in the fence at the bottom, with three watering cans hanging by it.
    c.rect(580, 662, 700, 698, PAPER, outline=shade(ORANGE, 0.45), width=5)
    for k in range(4):
        c.line([(594 + k * 30, 666), (594 + k * 30, 694)], shade(ORANGE, 0.45), 4)
    for k in range(3):
        x = 740 + k * 50
        c.poly([(x, 650), (x + 30, 650), (x + 28, 690), (x + 2, 690)], SKY,
               outline=shade(SKY, 0.45), width=3)
        c.line([(x + 30, 660), (x + 44, 646)], shade(SKY, 0.45), 5)
    # D: the bench beside the gate.
    c.rect(400, 600, 560, 650, tint(ORANGE, 0.25), outline=shade(ORANGE, 0.5), width=4, radius=6)
    for k in range(1, 4):
        c.line([(400 + k * 40, 604), (400 + k * 40, 646)], shade(ORANGE, 0.45), 3)
    # A: the compost, three bins at the top left.
    for k in range(3):
        x = 90 + k * 100
        c.rect(x, 80, x + 90, 190, shade(ORANGE, 0.45), outline=INK, width=4, radius=4)
        for j in range(1, 4):
            c.line([(x + 8, 80 + j * 27), (x + 82, 80 + j * 27)], shade(ORANGE, 0.7), 3)
    # B: the apple tree at the top middle: a round crown with apples.
    c.ellipse(520, 70, 760, 280, shade(GREEN, 0.05), outline=shade(GREEN, 0.45), width=5)
    for ax, ay in ((580, 130), (650, 110), (700, 170), (600, 210), (680, 230), (560, 175),
                   (725, 120)):
        c.ellipse(ax - 13, ay - 13, ax + 13, ay + 13, VERMILION, outline=shade(VERMILION, 0.4),
                  width=2)
    # C: the greenhouse at the top right: a glass house with tomato plants inside.
    c.rect(880, 70, 1190, 270, tint(SKY, 0.55), outline=BLUE, width=6, radius=4)
    for k in range(1, 5):
        c.line([(880 + k * 62, 74), (880 + k * 62, 266)], BLUE, 3)
    c.line([(884, 170), (1186, 170)], BLUE, 3)
    for k in range(4):
        x = 920 + k * 70
        c.ellipse(x - 16, 110, x + 16, 142, GREEN, outline=shade(GREEN, 0.4), width=2)
        c.ellipse(x - 16, 200, x + 16, 232, GREEN, outline=shade(GREEN, 0.4), width=2)
        c.ellipse(x + 4, 126, x + 18, 140, VERMILION, outline=None)
        c.ellipse(x + 4, 216, x + 18, 230, VERMILION, outline=None)
    # E: the rain barrel under a small roof, at the bottom right.
    c.rect(930, 450, 1170, 610, tint(GREY, 0.55), outline=INK, width=5)
    for k in range(1, 6):
        c.line([(930 + k * 40, 454), (930 + k * 40, 606)], tint(GREY, 0.35), 3)
    c.ellipse(1010, 490, 1090, 570, BLUE, outline=INK, width=5)
    c.ellipse(1026, 506, 1074, 554, SKY, outline=None)
    # F: the herb bed at the bottom left: a raised bed with rows of herbs.
    c.rect(90, 420, 330, 540, shade(ORANGE, 0.5), outline=INK, width=5, radius=8)
    for row in range(3):
        for k in range(6):
            x = 115 + k * 38
            y = 442 + row * 36
            colour = (GREEN, tint(GREEN, 0.35), PURPLE)[row]
            c.ellipse(x - 12, y - 12, x + 12, y + 12, colour, outline=shade(GREEN, 0.5), width=2)

    # The six places' letters.
    c.letter(190, 245, "A")  # the compost
    c.letter(455, 175, "B")  # the apple tree
    c.letter(1035, 300, "C")  # the greenhouse
    c.letter(480, 540, "D")  # the bench by the gate
    c.letter(868, 530, "E")  # the rain barrel under the roof
    c.letter(210, 600, "F")  # the herb bed
    return c


PICTURES: dict[str, Callable[[], Canvas]] = {
    "stairwell.png": stairwell,
    "garden-map.png": garden_map,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the pictures to")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, draw in PICTURES.items():
        path = args.out / name
        draw().save(path)
        print(f"{path}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
