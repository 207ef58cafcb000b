"""Draw the story activity's scene pictures: flat shapes in calm colours, no words in them (the
screens tell each picture in the story's own languages).

Run from the top of the repository, and look at the pictures before committing them::

    .venv/bin/python content/story/pictures/make_pictures.py

Each picture is 1280 × 720 (the shape of the screen), written beside this file. Drawn here with
Pillow's ImageDraw, shape by shape, so anyone can change one and draw it again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = (1280, 720)
HERE = Path(__file__).resolve().parent

# A few calm colours, the same in every picture.
SKY = (205, 228, 242)
WALL = (236, 226, 207)
WALL_DARK = (214, 200, 176)
FLOOR = (196, 170, 134)
FLOOR_LINE = (170, 143, 108)
INK = (38, 50, 64)
WHITE = (250, 248, 242)
PAPER = (255, 252, 240)
YELLOW = (240, 200, 90)
ORANGE = (222, 132, 62)
GREEN = (46, 134, 104)
BLUE = (62, 124, 178)
BLUE_LIGHT = (150, 196, 226)
BROWN = (140, 92, 56)
BROWN_LIGHT = (196, 140, 88)
RED = (196, 78, 72)
GREY = (150, 156, 162)
LINE = 5

Draw = ImageDraw.ImageDraw


def locked_door(d: Draw) -> None:
    """The recycling centre's locked glass door with a note on it, a notice board beside."""
    d.rectangle((0, 0, 1280, 720), fill=WALL)
    d.rectangle((0, 600, 1280, 720), fill=GREY)
    d.line((0, 600, 1280, 600), fill=INK, width=LINE)
    # The door: a frame, two panes of glass, handles.
    d.rectangle((430, 110, 850, 600), fill=BLUE, outline=INK, width=LINE)
    for x in (450, 645):
        d.rectangle((x, 130, x + 185, 580), fill=BLUE_LIGHT, outline=INK, width=LINE)
        d.line((x + 30, 180, x + 90, 120 + 60), fill=WHITE, width=8)
        d.line((x + 30, 240, x + 130, 140 + 40), fill=WHITE, width=8)
    d.rounded_rectangle((612, 340, 628, 430), radius=8, fill=INK)
    d.rounded_rectangle((652, 340, 668, 430), radius=8, fill=INK)
    # The note taped to the glass, with lines for writing.
    d.rectangle((490, 230, 600, 330), fill=PAPER, outline=INK, width=3)
    for y in (255, 275, 295, 315):
        d.line((505, y, 585, y), fill=GREY, width=4)
    d.rectangle((525, 222, 565, 236), fill=YELLOW)
    # A padlock hanging on the handles.
    d.arc((618, 410, 662, 460), start=180, end=360, fill=INK, width=8)
    d.rounded_rectangle((610, 435, 670, 490), radius=8, fill=YELLOW, outline=INK, width=4)
    # The notice board beside the door, full of notes.
    d.rectangle((920, 170, 1200, 420), fill=BROWN_LIGHT, outline=INK, width=LINE)
    notes = [((940, 190, 1020, 280), PAPER), ((1035, 195, 1100, 260), YELLOW),
             ((1115, 185, 1185, 290), WHITE), ((945, 300, 1040, 400), BLUE_LIGHT),
             ((1055, 280, 1180, 395), PAPER)]
    for box, colour in notes:
        d.rectangle(box, fill=colour, outline=INK, width=3)
        d.ellipse((box[0] + (box[2] - box[0]) // 2 - 6, box[1] - 2,
                   box[0] + (box[2] - box[0]) // 2 + 6, box[1] + 10), fill=RED)
    # A lamp over the door and a shrub on the left.
    d.rectangle((600, 60, 680, 90), fill=INK)
    d.polygon([(590, 90), (690, 90), (670, 110), (610, 110)], fill=YELLOW, outline=INK)
    d.ellipse((80, 420, 330, 640), fill=GREEN, outline=INK, width=LINE)
    d.ellipse((170, 380, 380, 620), fill=GREEN, outline=INK, width=LINE)


def cafe_till(d: Draw) -> None:
    """A café counter: a cup of coffee, a bun on a plate, a few coins and the till."""
    d.rectangle((0, 0, 1280, 720), fill=WALL)
    # Shelves with cups on the back wall.
    for y in (140, 260):
        d.rectangle((80, y, 560, y + 16), fill=BROWN, outline=INK, width=3)
        for x in range(110, 540, 90):
            d.rounded_rectangle((x, y - 60, x + 56, y), radius=10, fill=WHITE, outline=INK,
                                width=3)
    # A window with the sky.
    d.rectangle((760, 60, 1180, 330), fill=SKY, outline=INK, width=LINE)
    d.line((970, 60, 970, 330), fill=INK, width=LINE)
    # The counter.
    d.rectangle((0, 420, 1280, 720), fill=BROWN_LIGHT)
    d.rectangle((0, 400, 1280, 440), fill=BROWN, outline=INK, width=LINE)
    # The till.
    d.polygon([(880, 250), (1140, 250), (1180, 420), (840, 420)], fill=GREY, outline=INK,
              width=LINE)
    d.rectangle((920, 280, 1100, 340), fill=INK)
    for row in range(2):
        for col in range(4):
            x, y = 910 + col * 52, 360 + row * 26
            d.rectangle((x, y, x + 40, y + 18), fill=WHITE, outline=INK, width=2)
    # The cup of coffee on its saucer, with steam.
    d.ellipse((180, 520, 460, 580), fill=WHITE, outline=INK, width=LINE)
    d.rounded_rectangle((230, 420, 410, 550), radius=30, fill=WHITE, outline=INK, width=LINE)
    d.ellipse((240, 410, 400, 450), fill=BROWN, outline=INK, width=LINE)
    d.arc((390, 450, 460, 520), start=270, end=90, fill=INK, width=LINE + 3)
    for x in (280, 330):
        d.arc((x - 20, 300, x + 20, 360), start=90, end=270, fill=GREY, width=6)
        d.arc((x - 20, 350, x + 20, 400), start=270, end=90, fill=GREY, width=6)
    # The bun on a plate.
    d.ellipse((520, 540, 800, 610), fill=WHITE, outline=INK, width=LINE)
    d.ellipse((560, 470, 760, 580), fill=ORANGE, outline=INK, width=LINE)
    for x, y in ((610, 500), (660, 490), (700, 515), (640, 530)):
        d.ellipse((x, y, x + 14, y + 10), fill=PAPER)
    # Coins on the counter.
    for x, y in ((880, 560), (950, 580), (1010, 550), (930, 520)):
        d.ellipse((x, y, x + 60, y + 36), fill=YELLOW, outline=INK, width=4)


def letter(d: Draw) -> None:
    """A hall floor with the post on it: adverts, a postcard of the sea and a white window
    envelope."""
    d.rectangle((0, 0, 1280, 720), fill=FLOOR)
    for y in range(0, 720, 90):
        d.line((0, y, 1280, y), fill=FLOOR_LINE, width=4)
        for x in range((y // 90) % 2 * 200, 1280, 400):
            d.line((x, y, x, y + 90), fill=FLOOR_LINE, width=4)
    # The door mat and the bottom of the door.
    d.rectangle((0, 0, 1280, 70), fill=WALL_DARK, outline=INK, width=LINE)
    d.rectangle((120, 90, 520, 300), fill=GREEN, outline=INK, width=LINE)
    for y in range(110, 290, 24):
        d.line((140, y, 500, y), fill=(36, 112, 86), width=6)
    # Adverts, coloured and crooked.
    d.polygon([(90, 380), (380, 340), (420, 600), (130, 640)], fill=YELLOW, outline=INK,
              width=LINE)
    d.polygon([(150, 420), (330, 396), (340, 460), (160, 484)], fill=RED)
    d.polygon([(300, 450), (560, 470), (540, 690), (280, 670)], fill=BLUE_LIGHT, outline=INK,
              width=LINE)
    # The postcard: a blue sea under a sun.
    d.polygon([(980, 120), (1220, 160), (1190, 340), (950, 300)], fill=BLUE, outline=INK,
              width=LINE)
    d.polygon([(980, 120), (1220, 160), (1205, 245), (965, 205)], fill=SKY)
    d.ellipse((1100, 160, 1150, 205), fill=YELLOW)
    d.line((965, 205, 1205, 245), fill=INK, width=3)
    # The white window envelope, in the middle, the one that matters.
    d.polygon([(600, 250), (1000, 290), (970, 560), (570, 520)], fill=WHITE, outline=INK,
              width=LINE)
    d.polygon([(650, 320), (860, 341), (850, 420), (640, 399)], fill=SKY, outline=INK, width=3)
    for i in range(3):
        y = 345 + i * 22
        d.line((665, y + i * 2, 830, y + 17 + i * 2), fill=INK, width=4)
    d.rectangle((900, 300, 960, 360), fill=GREY)


def stairwell(d: Draw) -> None:
    """The front door of a block of flats from inside, two full shopping bags beside it, the
    stairs going up."""
    d.rectangle((0, 0, 1280, 720), fill=SKY)
    d.rectangle((0, 560, 1280, 720), fill=GREY)
    d.line((0, 560, 1280, 560), fill=INK, width=LINE)
    # The front door with its window, ajar.
    d.rectangle((140, 130, 460, 560), fill=BROWN, outline=INK, width=LINE)
    d.rectangle((190, 180, 410, 330), fill=BLUE_LIGHT, outline=INK, width=LINE)
    d.line((220, 300, 280, 210), fill=WHITE, width=8)
    d.rounded_rectangle((400, 360, 430, 380), radius=6, fill=YELLOW, outline=INK, width=3)
    d.polygon([(460, 130), (520, 160), (520, 580), (460, 560)], fill=WHITE, outline=INK)
    # The stairs going up on the right, with a handrail.
    for step in range(8):
        x = 700 + step * 70
        y = 560 - (step + 1) * 55
        d.rectangle((x, y, 1280, y + 55), fill=YELLOW, outline=(150, 110, 40), width=3)
    d.line((690, 470, 1250, 60), fill=BROWN, width=10)
    # Two full shopping bags by the door.
    for x, colour in ((540, GREEN), (640, ORANGE)):
        d.polygon([(x, 470), (x + 90, 470), (x + 100, 600), (x - 10, 600)], fill=colour,
                  outline=INK, width=LINE)
        d.arc((x + 15, 420, x + 75, 500), start=180, end=360, fill=INK, width=6)
    d.ellipse((560, 440, 600, 480), fill=RED, outline=INK, width=3)  # an apple on top
    d.rectangle((660, 420, 690, 480), fill=WHITE, outline=INK, width=3)  # a milk carton
    # Letter boxes on the wall.
    for i in range(3):
        d.rectangle((40 + i * 0, 200 + i * 70, 110, 255 + i * 70), fill=BLUE, outline=INK,
                    width=3)


def buns(d: Draw) -> None:
    """A plate of home-made buns, a little lopsided, and two coffee cups on a table."""
    d.rectangle((0, 0, 1280, 720), fill=WALL)
    # A window with a curtain.
    d.rectangle((420, 40, 860, 300), fill=SKY, outline=INK, width=LINE)
    d.line((640, 40, 640, 300), fill=INK, width=LINE)
    d.polygon([(400, 30), (500, 30), (470, 320), (400, 320)], fill=RED, outline=INK)
    d.polygon([(780, 30), (880, 30), (880, 320), (810, 320)], fill=RED, outline=INK)
    # The table and its cloth.
    d.rectangle((0, 380, 1280, 720), fill=BLUE_LIGHT)
    d.line((0, 380, 1280, 380), fill=INK, width=LINE)
    for x in range(0, 1280, 80):
        d.line((x, 380, x - 120, 720), fill=(130, 178, 210), width=6)
    # The plate of buns, each a little different.
    d.ellipse((370, 470, 910, 650), fill=WHITE, outline=INK, width=LINE)
    for x, y, w, h in ((430, 470, 170, 120), (590, 450, 190, 130), (720, 490, 160, 110),
                       (500, 540, 180, 100), (660, 545, 170, 95)):
        d.ellipse((x, y, x + w, y + h), fill=ORANGE, outline=INK, width=LINE)
        d.arc((x + 30, y + 25, x + w - 30, y + h - 15), start=200, end=340, fill=BROWN,
              width=5)
        for dx, dy in ((0.35, 0.3), (0.6, 0.25), (0.5, 0.5)):
            cx, cy = x + int(w * dx), y + int(h * dy)
            d.ellipse((cx, cy, cx + 12, cy + 9), fill=PAPER)
    # Two cups of coffee.
    for x in (110, 1010):
        d.ellipse((x - 30, 560, x + 190, 610), fill=WHITE, outline=INK, width=LINE)
        d.rounded_rectangle((x, 470, x + 160, 585), radius=26, fill=WHITE, outline=INK,
                            width=LINE)
        d.ellipse((x + 10, 462, x + 150, 496), fill=BROWN, outline=INK, width=4)
        d.arc((x + 140, 495, x + 200, 555), start=270, end=90, fill=INK, width=LINE + 3)


PICTURES: dict[str, Callable[[Draw], None]] = {
    "locked-door.png": locked_door,
    "cafe-till.png": cafe_till,
    "letter.png": letter,
    "stairwell.png": stairwell,
    "buns.png": buns,
}


def main(out: Path = HERE) -> list[Path]:
    """Draw every picture into ``out``; the files written."""
    written = []
    for name, draw in PICTURES.items():
        picture = Image.new("RGB", SIZE, WHITE)
        draw(ImageDraw.Draw(picture))
        path = out / name
        # Few colours: a palette PNG is a few kilobytes and looks the same.
        picture.quantize(colors=64, dither=Image.Dither.NONE).save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(HERE.parent.parent.parent))
