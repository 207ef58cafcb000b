"""Draw the ten Pelitarina category icons as 128x128 RGBA PNG files next to this script.

Each icon is a few flat shapes on a soft rounded tile, drawn with PIL's ImageDraw at four
times the size and scaled down so that edges are smooth. No fonts and no outside pictures are
used, so the result is the same on every machine. Run it again after changing a drawing:

    .venv/bin/python content/pelitarina/icons/make_icons.py
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 128
SCALE = 4
BIG = SIZE * SCALE

INK = (38, 50, 72, 255)
WHITE = (255, 255, 255, 255)
RED = (206, 62, 62, 255)
BLUE = (52, 110, 196, 255)
GREEN = (58, 150, 88, 255)
YELLOW = (244, 190, 48, 255)
ORANGE = (236, 128, 44, 255)
PURPLE = (124, 84, 176, 255)
SKY = (150, 200, 240, 255)
BROWN = (140, 92, 52, 255)
CREAM = (248, 232, 200, 255)

Draw = ImageDraw.ImageDraw


def px(value: float) -> int:
    """A length given on the 128-pixel grid, in pixels of the big canvas."""
    return round(value * SCALE)


def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
    return (px(x0), px(y0), px(x1), px(y1))


def tile(draw: Draw, colour: tuple[int, int, int, int]) -> None:
    draw.rounded_rectangle(box(4, 4, 124, 124), radius=px(24), fill=colour)


def star(draw: Draw, cx: float, cy: float, outer: float, inner: float,
         colour: tuple[int, int, int, int]) -> None:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((px(cx + radius * math.cos(angle)), px(cy + radius * math.sin(angle))))
    draw.polygon(points, fill=colour, outline=INK, width=px(2))


def board(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (255, 236, 214, 255))
    draw.rounded_rectangle(box(20, 20, 108, 108), radius=px(6), fill=BROWN, outline=INK,
                           width=px(3))
    cell = 19
    for row in range(4):
        for col in range(4):
            x, y = 26 + col * cell, 26 + row * cell
            colour = CREAM if (row + col) % 2 == 0 else (92, 58, 32, 255)
            draw.rectangle(box(x, y, x + cell, y + cell), fill=colour)
    draw.ellipse(box(29, 29, 42, 42), fill=RED, outline=INK, width=px(2))
    draw.ellipse(box(86, 86, 99, 99), fill=BLUE, outline=INK, width=px(2))


def card(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (226, 238, 250, 255))
    back = Image.new("RGBA", (BIG, BIG), (0, 0, 0, 0))
    back_draw = ImageDraw.Draw(back)
    back_draw.rounded_rectangle(box(30, 26, 80, 98), radius=px(7), fill=BLUE, outline=INK,
                                width=px(3))
    back_draw.rounded_rectangle(box(37, 33, 73, 91), radius=px(4), outline=WHITE, width=px(2))
    back = back.rotate(12, center=(px(55), px(62)), resample=Image.Resampling.BICUBIC)
    canvas.alpha_composite(back)
    draw.rounded_rectangle(box(50, 30, 100, 102), radius=px(7), fill=WHITE, outline=INK,
                           width=px(3))
    # a heart: two circles over a triangle
    draw.ellipse(box(61, 52, 77, 68), fill=RED)
    draw.ellipse(box(73, 52, 89, 68), fill=RED)
    draw.polygon([(px(61.5), px(62)), (px(88.5), px(62)), (px(75), px(82))], fill=RED)


def outdoor(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, SKY)
    draw.rounded_rectangle(box(4, 92, 124, 124), radius=px(24), fill=GREEN)
    draw.rectangle(box(4, 92, 124, 104), fill=GREEN)
    draw.ellipse(box(80, 14, 110, 44), fill=YELLOW, outline=ORANGE, width=px(2))
    draw.rectangle(box(38, 62, 50, 98), fill=BROWN, outline=INK, width=px(2))
    draw.ellipse(box(18, 22, 70, 72), fill=(46, 128, 70, 255), outline=INK, width=px(3))


def ball_sports(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (222, 244, 226, 255))
    draw.ellipse(box(22, 22, 106, 106), fill=ORANGE, outline=INK, width=px(4))
    draw.arc(box(-10, 22, 64, 106), start=-60, end=60, fill=INK, width=px(3))
    draw.arc(box(64, 22, 138, 106), start=120, end=240, fill=INK, width=px(3))
    draw.line([(px(64), px(22)), (px(64), px(106))], fill=INK, width=px(3))
    draw.line([(px(22), px(64)), (px(106), px(64))], fill=INK, width=px(3))


def video(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (236, 228, 250, 255))
    draw.rounded_rectangle(box(14, 40, 114, 92), radius=px(24), fill=PURPLE, outline=INK,
                           width=px(3))
    # direction pad
    draw.rectangle(box(30, 60, 52, 70), fill=INK)
    draw.rectangle(box(36, 54, 46, 76), fill=INK)
    # four buttons
    for (x, y), colour in zip([(86, 52), (96, 62), (86, 72), (76, 62)],
                              [YELLOW, RED, GREEN, BLUE], strict=True):
        draw.ellipse(box(x - 5, y - 5, x + 5, y + 5), fill=colour, outline=INK, width=px(1.5))


def phone(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (250, 236, 226, 255))
    draw.rounded_rectangle(box(38, 14, 90, 114), radius=px(9), fill=INK)
    draw.rectangle(box(43, 24, 85, 98), fill=WHITE)
    colours = [RED, YELLOW, GREEN, BLUE, ORANGE, PURPLE]
    for i, colour in enumerate(colours):
        x = 47 + (i % 3) * 12
        y = 32 + (i // 3) * 12
        draw.rounded_rectangle(box(x, y, x + 10, y + 10), radius=px(2), fill=colour)
    draw.rounded_rectangle(box(47, 60, 81, 92), radius=px(3), fill=SKY)
    draw.ellipse(box(60, 102, 68, 110), fill=WHITE)


def role_play(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (252, 232, 240, 255))
    draw.rounded_rectangle(box(10, 54, 30, 62), radius=px(4), fill=BROWN)
    draw.rounded_rectangle(box(98, 54, 118, 62), radius=px(4), fill=BROWN)
    draw.ellipse(box(22, 22, 106, 108), fill=YELLOW, outline=INK, width=px(3))
    draw.ellipse(box(38, 46, 58, 62), fill=INK)
    draw.ellipse(box(70, 46, 90, 62), fill=INK)
    draw.arc(box(42, 60, 86, 94), start=20, end=160, fill=INK, width=px(4))
    draw.ellipse(box(30, 68, 42, 78), fill=(240, 150, 160, 255))
    draw.ellipse(box(86, 68, 98, 78), fill=(240, 150, 160, 255))


def puzzle_quiz(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (255, 246, 212, 255))
    body = box(26, 38, 94, 106)
    draw.rectangle(body, fill=GREEN, outline=INK, width=px(3))
    draw.ellipse(box(48, 22, 72, 46), fill=GREEN, outline=INK, width=px(3))
    draw.ellipse(box(86, 60, 108, 84), fill=GREEN, outline=INK, width=px(3))
    # cover the inner outlines so the knobs join the piece
    draw.rectangle(box(51, 40, 69, 50), fill=GREEN)
    draw.rectangle(box(84, 63, 95, 81), fill=GREEN)
    # question mark: an arc, a short stem and a dot
    draw.arc(box(46, 50, 74, 78), start=180, end=90, fill=WHITE, width=px(6))
    draw.line([(px(60), px(77)), (px(60), px(86))], fill=WHITE, width=px(6))
    draw.ellipse(box(56, 91, 64, 99), fill=WHITE)


def music_dance(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (226, 244, 248, 255))
    draw.ellipse(box(26, 80, 50, 100), fill=INK)
    draw.ellipse(box(74, 72, 98, 92), fill=INK)
    draw.rectangle(box(44, 30, 50, 90), fill=INK)
    draw.rectangle(box(92, 22, 98, 82), fill=INK)
    draw.polygon([(px(44), px(30)), (px(98), px(22)), (px(98), px(36)), (px(44), px(44))],
                 fill=INK)


def made_up(canvas: Image.Image) -> None:
    draw = ImageDraw.Draw(canvas)
    tile(draw, (240, 240, 230, 255))
    pencil = Image.new("RGBA", (BIG, BIG), (0, 0, 0, 0))
    pen = ImageDraw.Draw(pencil)
    pen.rectangle(box(56, 28, 72, 84), fill=YELLOW, outline=INK, width=px(2))
    pen.rectangle(box(56, 20, 72, 30), fill=(240, 150, 160, 255), outline=INK, width=px(2))
    pen.polygon([(px(56), px(84)), (px(72), px(84)), (px(64), px(104))], fill=CREAM,
                outline=INK, width=px(2))
    pen.polygon([(px(61), px(96)), (px(67), px(96)), (px(64), px(104))], fill=INK)
    pencil = pencil.rotate(-35, center=(px(64), px(64)), resample=Image.Resampling.BICUBIC)
    canvas.alpha_composite(pencil)
    star(draw, 34, 36, 20, 8, ORANGE)


DRAWINGS: dict[str, Callable[[Image.Image], None]] = {
    "board": board,
    "card": card,
    "outdoor": outdoor,
    "ball-sports": ball_sports,
    "video": video,
    "phone": phone,
    "role-play": role_play,
    "puzzle-quiz": puzzle_quiz,
    "music-dance": music_dance,
    "made-up": made_up,
}


def draw_icon(category: str) -> Image.Image:
    """The icon of ``category`` as a 128x128 RGBA picture."""
    canvas = Image.new("RGBA", (BIG, BIG), (0, 0, 0, 0))
    DRAWINGS[category](canvas)
    return canvas.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    folder = Path(__file__).resolve().parent
    for category in DRAWINGS:
        draw_icon(category).save(folder / f"{category}.png", optimize=True)


if __name__ == "__main__":
    main()
