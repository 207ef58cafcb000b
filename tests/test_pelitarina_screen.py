"""Pelitarina on the pygame screen: the life line with each game's category picture, the items
of neighbouring stages in rows, in every language (game names in Cyrillic and Arabic script
too), one stage, one game, the "4 of 6 ready" building screen and the closing screen, all kept
as reference pictures in ``tests/screen_refs/`` and looked at; nothing is cut or too small.

Rewrite the references after a deliberate change to the drawing (and look at them)::

    PIIRI_UPDATE_SCREEN_REFS=1 .venv/bin/pytest tests/test_pelitarina_screen.py
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Iterator
from typing import Any

import pygame
import pytest
from PIL import Image

from engine.content import content_root
from engine.registry import find_game, load_game_content
from engine.scene import Scene, TimelineElement
from engine.screen import Renderer, ScreenOptions
from engine.screen.pictures import Pictures
from engine.testing import SimulatedTable

from .test_pictures import _count, _picture_colours
from .test_screen import check_picture

LANGUAGES = ["fi", "sv", "en", "fi-x-selko"]

#: A whole life line: six stages, up to three games each, with names in Cyrillic and Arabic
#: script beside the reader's own, a typed name and a stage left empty.
LINE: dict[int, list[str]] = {
    0: ["kalaha", "chapayev", "piilosta"],
    1: ["durak"],
    2: ["tarneeb", "tetris", "jalkapallo"],
    3: [],
    4: ["baloot", "typed:Mökkiskaba"],
    5: ["preferans", "sudoku", "karaoke"],
}


@pytest.fixture(scope="module", autouse=True)
def _pygame() -> Iterator[None]:
    pygame.display.init()
    pygame.font.init()
    yield


@pytest.fixture(scope="module")
def content() -> Any:
    return load_game_content("pelitarina")


def _sim(content: Any, seats: int, **options: Any) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(find_game("pelitarina"), content, seed=5, options=options)
    joined = sim.join_many(seats)
    sim.start()
    return sim, joined


def _add(sim: SimulatedTable, content: Any, seat: str, stage: str, what: str) -> None:
    sim.move(seat, "open_stage", value=stage)
    if what.startswith("typed:"):
        sim.move(seat, "go", value="type")
        sim.move(seat, "type_name", value=what.removeprefix("typed:"))
    else:
        game = content.game(what)
        assert game is not None, what
        sim.move(seat, "go", value=game.category)
        sim.move(seat, "pick_game", value=what)
    sim.move(seat, "go", value="stages")


def _telling(content: Any, show: str) -> Scene:
    """Aino built the whole line above and shows ``show`` (line, stage:N, game:N)."""
    sim, (aino, bashir, camilla) = _sim(content, 3)
    for seat in (aino, bashir, camilla):
        sim.move(seat, "consent", value="yes")
    for index, games in LINE.items():
        for what in games:
            _add(sim, content, aino, sim.state.stages[index], what)
    for seat in (aino, bashir, camilla):
        sim.move(seat, "ready")
    assert sim.current == aino
    sim.move(aino, "show", value=show)
    return sim.scene()


def _building(content: Any) -> Scene:
    sim, seats = _sim(content, 6)
    for seat in seats[:4]:
        sim.move(seat, "consent", value="yes")
        sim.move(seat, "ready")
    return sim.scene()


def _closing(content: Any) -> Scene:
    """Four people; three showed a line with Durak in it, two with Tetris; one kept theirs."""
    sim, seats = _sim(content, 4)
    for seat in seats:
        sim.move(seat, "consent", value="yes")
    stages = sim.state.stages
    for seat in seats[:3]:
        _add(sim, content, seat, stages[1], "durak")
    for seat in seats[1:3]:
        _add(sim, content, seat, stages[2], "tetris")
    _add(sim, content, seats[3], stages[2], "shogi")
    for seat in seats:
        sim.move(seat, "ready")
    for seat in seats[:3]:
        sim.move(seat, "show", value="line")
        sim.move(seat, "told")
    sim.move(seats[3], "show", value="nothing")
    sim.move(seats[3], "told")
    assert sim.table.meta.turn.phase == "summary"
    return sim.scene()


def _draw(scene: Scene, lang: str, size: tuple[int, int] = (1920, 1080), *,
          pictures: bool = True, pages: int = 0) -> tuple[pygame.Surface, Any]:
    renderer = Renderer(pictures=Pictures(folder=content_root()) if pictures else None)
    surface = pygame.Surface(size)
    options = ScreenOptions(lang=lang)
    report = renderer.render(scene, surface, options=options)
    for _ in range(pages):
        renderer.turn_page(1)
        report = renderer.render(scene, surface, options=options)
    return surface, report


def _timeline(scene: Scene) -> TimelineElement:
    return next(e for e in scene.elements if isinstance(e, TimelineElement))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_whole_life_line_looks_like_its_reference_in_every_language(content: Any,
                                                                         lang: str) -> None:
    scene = _telling(content, "line")
    line = _timeline(scene)
    assert [len(s.items) for s in line.stages] == [len(g) for g in LINE.values()]
    originals = {i.original for s in line.stages for i in s.items if i.original}
    assert {"Чапаев", "طرنيب"} <= originals
    surface, report = _draw(scene, lang)
    assert report.ok, report.issues
    drawn = " ".join(text for element, text in report.texts if element == "timeline")
    for text in ("Чапаев", "Дурак", "طرنيب", "Mökkiskaba"):
        assert text in drawn, text
    check_picture(f"pelitarina_line_{lang}", surface)


def test_a_long_line_and_the_question_take_turns_rather_than_being_cut(content: Any) -> None:
    scene = _telling(content, "line")
    first, report = _draw(scene, "fi")
    assert report.ok and ("column", 0, 2) in report.paged
    second, report = _draw(scene, "fi", pages=1)
    assert report.ok, report.issues
    texts = " ".join(text for _, text in report.texts)
    assert "Kysymys ryhmälle" in texts and "Aino" in texts
    check_picture("pelitarina_line_fi_page_2", second)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
@pytest.mark.parametrize("show", ["line", "stage:0", "stage:2", "stage:5", "game:1"])
@pytest.mark.parametrize("lang", [*LANGUAGES, "ar"])
def test_every_way_of_showing_fits_without_cutting_or_tiny_text(content: Any, lang: str,
                                                               show: str,
                                                               size: tuple[int, int]) -> None:
    scene = _telling(content, show)
    for pictures in (True, False):
        _surface, report = _draw(scene, lang, size, pictures=pictures)
        assert report.ok, (lang, show, report.issues)


def test_one_stage_and_one_game_look_like_their_references(content: Any) -> None:
    stage = _telling(content, "stage:2")
    assert [len(s.items) for s in _timeline(stage).stages] == [3]
    surface, report = _draw(stage, "fi")
    assert report.ok and not report.paged, report
    check_picture("pelitarina_one_stage", surface)
    game = _telling(content, "game:1")
    assert [len(s.items) for s in _timeline(game).stages] == [1]
    surface, report = _draw(game, "fi")
    assert report.ok and not report.paged, report
    check_picture("pelitarina_one_game", surface)


def test_each_game_is_drawn_with_its_category_picture(content: Any) -> None:
    scene = _telling(content, "stage:2")
    icons = [i.icon for i in _timeline(scene).stages[0].items]
    assert icons == ["pelitarina/icons/card.png", "pelitarina/icons/video.png",
                     "pelitarina/icons/ball-sports.png"]
    with_pictures, _ = _draw(scene, "fi")
    words_only, report = _draw(scene, "fi", pictures=False)
    assert report.ok
    for src in icons:
        assert src is not None
        assert _shown(with_pictures, src) > 5 * max(1, _shown(words_only, src)), src


def _shown(surface: pygame.Surface, src: str) -> int:
    """How many pixels of ``surface`` are (nearly) one of the picture's own main colours."""
    colours = [c for c in _picture_colours(content_root() / src, 8)
               if max(abs(a - b) for a, b in zip(c, (0x2A, 0x38, 0x48), strict=True)) > 40
               and max(abs(a - b) for a, b in zip(c, (0x1E, 0x2A, 0x36), strict=True)) > 40
               and min(c) < 200]  # not the screen, and not the tile's pale paper
    assert colours, src
    return _count(surface, colours)


def test_items_of_neighbouring_stages_line_up_in_rows(content: Any) -> None:
    """The rows start at the same height in every stage, whatever the stage names' lengths
    and the games' names: each item box's fill begins at the same y in every column."""
    scene = _telling(content, "line")
    surface, _ = _draw(scene, "fi-x-selko")  # (its stage names take one and two lines)
    line = _timeline(scene)
    image = Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))
    panel = (42, 57, 72)
    columns = len(line.stages)
    column = (1800 - 18 * (columns - 1)) // columns
    tops: list[list[int]] = []
    for i, stage in enumerate(line.stages):
        x = 60 + i * (column + 18) + 6  # inside a box, before its picture
        starts = [y for y in range(150, 1036) if image.getpixel((x, y)) == panel
                  and image.getpixel((x, y - 1)) != panel]
        assert len(starts) == len(stage.items), (i, starts)
        tops.append(starts)
    for row in range(max(len(t) for t in tops)):
        assert len({t[row] for t in tops if len(t) > row}) == 1, tops


def test_the_building_screen_says_only_how_many_are_ready(content: Any) -> None:
    scene = _building(content)
    assert not any(isinstance(e, TimelineElement) for e in scene.elements)
    surface, report = _draw(scene, "fi")
    assert report.ok, report.issues
    assert any("4/6" in text for _, text in report.texts)
    check_picture("pelitarina_building_4_of_6", surface)


def test_the_closing_screen_counts_what_was_shown_never_who(content: Any) -> None:
    scene = _closing(content)
    surface, report = _draw(scene, "fi")
    assert report.ok, report.issues
    texts = " ".join(text for _, text in report.texts)
    assert "Durak" in texts and "Tetris" in texts
    assert "shakki" not in texts.lower()  # only one person had it, and kept it to themselves
    for nickname in ("Aino", "Bashir", "Camilla", "Dmitri"):
        assert nickname not in texts
    check_picture("pelitarina_closing", surface)
