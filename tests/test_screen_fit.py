"""Every text of every shipped activity fits the shared screen: nothing cut, nothing too small.

Each built-in scene of each shipped content file (every circle prompt, every Elämän värit card
and space, every escape room's story, locks, pictures, clues, hints, answers and debrief) is
drawn in Finnish, Swedish, English and easy Finnish (and once more on a right-to-left Arabic
screen, the content falling back to English) at 1920×1080 and 1280×720, with participants
whose names are in Latin, Cyrillic and Arabic letters and group-written cards in Russian and
Arabic; the escape rooms' pictures are drawn as a screen gets them from the server, and once
more shown by their words, as when a picture cannot be loaded. The renderer reports every text
that overflowed its box, was drawn below its role's size floor or had a letter no bundled font
draws; the test fails on any. A text too long for its box at the floor is paged, which is
allowed and counted.

The scenes are made by the games' own ``scene`` functions from states set up for each piece of
content, so what is drawn is what a group would see.
"""

from __future__ import annotations

import os
import re

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest

from engine import OpenCheckin, TableStatus
from engine.content import content_root
from engine.module import TableView
from engine.registry import find_game, load_game_content
from engine.scene import (
    Avatar,
    AvatarColour,
    AvatarIcon,
    CardElement,
    ImageElement,
    ReactionsElement,
    Scene,
    StoryPageElement,
    TextBlockElement,
)
from engine.screen import Renderer, ScreenOptions
from engine.screen.paging import Pager
from engine.screen.pictures import Pictures
from engine.screen.theme import Sizes
from engine.screen.typeset import FALLBACK_FILES, TextKit, font_coverage
from engine.testing import SimulatedTable
from engine.text import LocalizedText
from games.elaman_varit.game import OwnCard
from games.escape_room.game import Feedback, HintGiven, PathStep, Shown

LANGUAGES = ["fi", "sv", "en", "fi-x-selko"]
SIZES = [(1920, 1080), (1280, 720)]
#: Six participants, as many as an escape room takes: Latin, Cyrillic and Arabic names.
PEOPLE = ["Aino", "Дмитрий", "فاطمة", "Göran", "Bashir", "Ольга-Мария"]
OUTPUT = Path(__file__).resolve().parent / "output"

SceneMaker = Callable[[], Scene]


@pytest.fixture(scope="module", autouse=True)
def _pygame() -> Iterator[None]:
    pygame.display.init()
    pygame.font.init()
    yield


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    """One renderer for the whole file: its typesetter and caches are shared, as on a screen;
    its pictures come from the content folder, as a screen gets them from the server."""
    return Renderer(pictures=Pictures(folder=content_root()))


# -- tables and views ----------------------------------------------------------------------


def _sim(game: str, options: dict[str, Any], seats: int = 6) -> SimulatedTable:
    sim = SimulatedTable(find_game(game), load_game_content(game), seed=3, options=options,
                         room_code="KX7PM")
    icons, colours = list(AvatarIcon), list(AvatarColour)
    for i, name in enumerate((PEOPLE * 2)[:seats]):
        sim.join(name if i < len(PEOPLE) else f"{name} {i}",
                 Avatar(icon=icons[(i * 5) % len(icons)], colour=colours[i % len(colours)]))
    return sim


def _view(sim: SimulatedTable, state: Any, *, current: str | None = None,
          phase: str | None = None, ended: bool = False) -> TableView[Any]:
    """A view of ``sim``'s table with the game state ``state`` (and whose turn or which phase
    it is): the game's own scene function draws exactly what a group would see then."""
    meta = sim.table.meta
    turn = meta.turn.model_copy(update={
        k: v for k, v in (("current", current), ("phase", phase)) if v is not None})
    status = TableStatus.ended if ended else meta.status
    meta = meta.model_copy(update={"turn": turn, "status": status})
    return TableView(meta=meta, state=state, content=sim.content, options=sim.table.options)


def _scene(sim: SimulatedTable, state: Any, **view: Any) -> Scene:
    return sim.module.scene(_view(sim, state, **view))


def _seats(sim: SimulatedTable) -> list[str]:
    return [s.id for s in sim.table.meta.seats if not s.gone]


# -- the circle ----------------------------------------------------------------------------


def circle_scenes() -> dict[str, SceneMaker]:
    content = load_game_content("circle")
    scenes: dict[str, SceneMaker] = {}

    def lobby(seats: int, url: str | None) -> Scene:
        scene = _sim("circle", {"rounds": 1}, seats=seats).scene()
        return scene.model_copy(update={"elements": [
            e.model_copy(update={"url": url}) if e.kind == "join" else e
            for e in scene.elements]})

    scenes["circle/lobby"] = lambda: lobby(6, "http://192.168.100.200:5000/j/KX7PM")
    scenes["circle/lobby_12_without_address"] = lambda: lobby(12, None)
    scenes["circle/lobby_empty"] = lambda: lobby(0, "https://piiri.example.fi/j/KX7PM")
    sim = _sim("circle", {"rounds": 2, "include_sensitive": True})
    sim.start()
    seats = _seats(sim)
    for i, prompt in enumerate(content.prompts.prompts):
        state = sim.state.model_copy(update={"prompt": prompt.id})
        seat = seats[i % len(seats)]
        scenes[f"circle/prompt/{prompt.id}"] = (
            lambda state=state, seat=seat: _scene(sim, state, current=seat))
    scenes["circle/closing"] = lambda: _scene(sim, sim.state, ended=True)

    def paused() -> Scene:
        table = _sim("circle", {"rounds": 1})
        table.start()
        table.hint("Muistakaa: jokainen saa ohittaa vuoronsa, eikä kenenkään tarvitse "
                   "kertoa enempää kuin haluaa. Pidetään kahvitauko kierroksen jälkeen.")
        table.set_timer(300)
        table.pause()
        return table.scene()

    scenes["circle/hint_timer_paused"] = paused

    def checkin() -> Scene:
        table = _sim("circle", {"rounds": 1})
        table.start()
        table._must(table.send(OpenCheckin(at=table._stamp(), round="1", items=3)))
        return table.scene()

    scenes["circle/checkin"] = checkin
    return scenes


# -- Elämän värit --------------------------------------------------------------------------

OWN_CARD = {
    "fi": "Ryhmän oma kortti: kertokaa vuorotellen, mikä on ollut tämän syksyn paras hetki, "
          "kuka oli mukana ja miksi se jäi mieleen. Voitte myös kertoa, mitä toivotte "
          "talvelta, ja mikä auttaa jaksamaan pimeinä aamuina, kun ei huvittaisi nousta.",
    "ru": "Расскажите по очереди о лучшем моменте этой осени: кто был рядом и почему он "
          "запомнился. Можно рассказать и о том, что помогает вставать тёмным утром.",
    "ar": "تحدثوا بالدور عن أجمل لحظة في هذا الخريف: من كان معكم ولماذا بقيت في الذاكرة؟ "
          "ويمكنكم أيضًا أن تقولوا ما الذي يساعدكم على النهوض في الصباح المظلم.",
}


def elaman_varit_scenes() -> dict[str, SceneMaker]:
    content = load_game_content("elaman_varit")
    decks = sorted(content.decks)
    sim = _sim("elaman_varit", {"rounds": 2, "decks": decks, "include_sensitive": True})
    sim.start()
    seats = _seats(sim)
    sim.move(sim.current, "roll")  # a die on the board from now on
    rolled = sim.state
    scenes: dict[str, SceneMaker] = {}
    n = 0
    for deck in decks:
        for card in content.decks[deck].cards:
            stage = "everyone" if card.kind == "together" else "card"
            state = rolled.model_copy(update={"stage": stage, "card": card.id, "deck": deck})
            seat = seats[n % len(seats)]
            n += 1
            scenes[f"elaman_varit/card/{card.id}"] = (
                lambda state=state, seat=seat: _scene(sim, state, current=seat))
    for key, text in OWN_CARD.items():
        own = {"own-1": OwnCard(id="own-1", deck=decks[0], text=text)}
        state = rolled.model_copy(update={"stage": "card", "card": "own-1", "deck": decks[0],
                                          "own": own})
        scenes[f"elaman_varit/own_card/{key}"] = (
            lambda state=state, seat=seats[2]: _scene(sim, state, current=seat))
    everyone = rolled.model_copy(update={"stage": "everyone", "card": content.decks[decks[0]]
                                         .cards[0].id, "deck": decks[0]})
    scenes["elaman_varit/everyone_space"] = lambda: _scene(sim, everyone, current=seats[1])
    for stage in ("roll", "kind_words", "rest", "choose"):
        state = rolled.model_copy(update={"stage": stage, "card": None, "deck": None})
        for seat in seats[:3]:
            scenes[f"elaman_varit/{stage}/{seat}"] = (
                lambda state=state, seat=seat: _scene(sim, state, current=seat))
    talked = rolled.model_copy(update={"talked": {deck: 3 + i for i, deck in enumerate(decks)}})
    scenes["elaman_varit/closing"] = lambda: _scene(sim, talked, ended=True)

    def twelve() -> Scene:
        table = _sim("elaman_varit", {"rounds": 3}, seats=12)
        table.start()
        table.move(table.current, "roll")
        return table.scene()

    scenes["elaman_varit/twelve_people"] = twelve
    return scenes


# -- the escape rooms ----------------------------------------------------------------------


def escape_room_scenes() -> dict[str, SceneMaker]:
    content = load_game_content("escape_room")
    scenes: dict[str, SceneMaker] = {}
    for room_id, room in content.rooms.items():
        sim = _sim("escape_room", {"room": room_id})
        sim.start()
        start = sim.state
        name = f"escape_room/{room_id}"
        scenes[f"{name}/intro"] = lambda sim=sim, start=start: _scene(sim, start)
        order = _solving_order(room)
        for i, pid in enumerate(order):
            puzzle = room.puzzle(pid)
            solved = order[:i]
            earlier = room.puzzle(order[i - 1]) if i else None
            clues = puzzle.clue_ids()
            steps = puzzle.step_count()
            for k, clue in enumerate(clues):
                shown = [Shown(clue=c) for c in ([clues[k - 1]] if k else []) + [clue]]
                feedback = (Feedback(puzzle=earlier.id, kind="solved") if earlier and k == 0
                            else Feedback(puzzle=pid, kind="not_yet"))
                state = start.model_copy(update={"solved": solved, "on_screen": shown,
                                                 "feedback": feedback})
                scenes[f"{name}/{pid}/clue/{clue}"] = (
                    lambda sim=sim, state=state: _scene(sim, state, phase="room"))
            for step in range(steps):
                for tier in range(1, len(puzzle.hints_for(step)) + 1):
                    kind = ("step" if step and tier == 1 else "resting" if tier == 2
                            else "not_yet")
                    state = start.model_copy(update={
                        "solved": solved, "steps": {pid: step},
                        "on_screen": [Shown(clue=clues[-1])] if clues else [],
                        "hints": [HintGiven(puzzle=pid, step=step, tier=tier)],
                        "feedback": Feedback(puzzle=pid, kind=kind, step=max(0, step - 1))})
                    scenes[f"{name}/{pid}/hint/{step}/{tier}"] = (
                        lambda sim=sim, state=state: _scene(sim, state, phase="room"))
            state = start.model_copy(update={"solved": [*solved, pid],
                                             "feedback": Feedback(puzzle=pid, kind="solved")})
            scenes[f"{name}/{pid}/solved"] = (
                lambda sim=sim, state=state: _scene(sim, state, phase="room"))
        path = [PathStep(puzzle=pid, hints=i % 3, by_leader=i == 2)
                for i, pid in enumerate(order)]
        escaped = start.model_copy(update={"solved": order, "path": path, "escaped": True})
        scenes[f"{name}/debrief"] = (
            lambda sim=sim, state=escaped: _scene(sim, state, phase="debrief"))
        halfway = start.model_copy(update={"solved": order[:2], "path": path[:2]})
        scenes[f"{name}/not_escaped"] = (
            lambda sim=sim, state=halfway: _scene(sim, state, ended=True))
    return scenes


def _solving_order(room: Any) -> list[str]:
    """The room's puzzles in an order a group can open them."""
    order: list[str] = []
    while len(order) < len(room.puzzles):
        for puzzle in room.puzzles:
            if puzzle.id not in order and all(r in order for r in puzzle.requires):
                order.append(puzzle.id)
    return order


# -- reactions ------------------------------------------------------------------------------

#: Every reaction, with counts of two digits: the widest the reactions get with 12 people.
MANY_REACTIONS = {"heart": 11, "me_too": 10, "clap": 11, "thanks": 9}


def reaction_scenes() -> dict[str, SceneMaker]:
    """Twelve people, and the speaker has received every reaction: the circle's longest prompt
    and Elämän värit's longest card on the board, its free spaces, each with the counts sent
    over the protocol's moves and with two-digit counts."""
    scenes: dict[str, SceneMaker] = {}
    circle = _sim("circle", {"rounds": 1, "include_sensitive": True}, seats=12)
    circle.start()
    speaker = circle.current
    for i, seat in enumerate(s for s in _seats(circle) if s != speaker):
        circle.move(seat, "react", value=("heart", "me_too", "clap", "thanks")[i % 4])
    prompts = load_game_content("circle").prompts.prompts
    longest = max(prompts, key=lambda p: len(p.text.pick("fi")))
    scenes["reactions/circle/sent"] = circle.scene
    for name, state in (("sent", circle.state), ("many", circle.state.model_copy(
            update={"reactions": MANY_REACTIONS}))):
        state = state.model_copy(update={"prompt": longest.id})
        scenes[f"reactions/circle/longest_prompt/{name}"] = (
            lambda state=state: _scene(circle, state, current=speaker))

    board = _sim("elaman_varit", {"rounds": 3, "decks": sorted(
        load_game_content("elaman_varit").decks), "include_sensitive": True}, seats=12)
    board.start()
    board.move(board.current, "roll")
    speaker = board.current
    content = load_game_content("elaman_varit")
    deck, card = max(((d, c) for d in content.decks for c in content.decks[d].cards),
                     key=lambda dc: len(dc[1].text.pick("fi")))
    rolled = board.state.model_copy(update={"reactions": MANY_REACTIONS})
    for stage in ("card", "everyone", "kind_words", "rest", "roll"):
        update: dict[str, Any] = {"stage": stage, "card": None, "deck": None}
        if stage in ("card", "everyone"):
            update.update(card=card.id, deck=deck)
        state = rolled.model_copy(update=update)
        scenes[f"reactions/elaman_varit/{stage}"] = (
            lambda state=state: _scene(board, state, current=speaker))
    return scenes


def all_scenes() -> dict[str, SceneMaker]:
    return {**circle_scenes(), **elaman_varit_scenes(), **escape_room_scenes(),
            **reaction_scenes()}


# -- the test ------------------------------------------------------------------------------


def _problems(renderer: Renderer, name: str, scene: Scene, lang: str) -> list[str]:
    """What the renderer reported on ``scene`` at each window size; a picture of a scene with
    problems is left in ``tests/output/`` to be looked at."""
    problems = []
    for size in SIZES:
        surface = pygame.Surface(size)
        report = renderer.render(scene, surface, options=ScreenOptions(lang=lang), now_ms=0)
        problems += [f"{size[0]}x{size[1]} {issue}" for issue in report.issues]
        if report.issues and size == SIZES[0]:
            OUTPUT.mkdir(exist_ok=True)
            picture = f"fit-{lang}-{name.replace('/', '-')}.png"
            pygame.image.save(surface, str(OUTPUT / picture))
    return problems


@pytest.mark.parametrize("lang", [*LANGUAGES, "ar"])  # ar: a right-to-left screen
def test_every_built_in_scene_fits_without_cutting_or_tiny_text(renderer: Renderer,
                                                                 lang: str) -> None:
    scenes = all_scenes()
    failures: list[str] = []
    paged = 0
    for name, make in scenes.items():
        scene = make()
        for problem in _problems(renderer, name, scene, lang):
            failures.append(f"{name} [{lang}] {problem}")
        paged += bool(renderer.report.paged)
    assert not failures, "\n".join(failures[:40])
    # The generator reached every piece of content (a broken generator would pass vacuously).
    assert len(scenes) > 300
    assert paged < len(scenes) // 4, "most scenes should fit on one page"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reactions_fit_beside_twelve_people_in_every_language(renderer: Renderer,
                                                              lang: str) -> None:
    """Every reaction's count is drawn, big and whole, with twelve people on the roster, on
    a card and on the board, at 1920×1080 and 1280×720; nothing else gets cut for it."""
    failures = []
    scenes = reaction_scenes()
    for name, make in scenes.items():
        scene = make()
        failures += [f"{name} [{lang}] {p}" for p in _problems(renderer, name, scene, lang)]
        counts = next(e for e in scene.elements if isinstance(e, ReactionsElement)).counts
        assert len(counts) == 4, name
        shown = [text for element, text in renderer.report.texts if element == "reactions"]
        assert shown == [str(c.count) for c in counts], name
    assert not failures, "\n".join(failures[:40])
    assert len(scenes) >= 8


def test_the_long_escape_room_story_is_paged_not_cut(renderer: Renderer) -> None:
    """The lost key's introduction (it used to stop at "…Kertokaa") is on pages, and every
    word of it is on one of them."""
    make = escape_room_scenes()["escape_room/lost-key/intro"]
    scene = make()
    story = next(e for e in scene.elements if isinstance(e, StoryPageElement))
    words: list[str] = []
    seen = set()
    for now in range(0, 200_000, 5_000):
        report = renderer.render(scene, pygame.Surface((1920, 1080)),
                                 options=ScreenOptions(lang="fi", large_text=True),
                                 now_ms=now)
        assert report.ok, report.issues
        pages = [p for p in report.paged if p[0] == "story"]
        assert pages, "the story needs pages at large text"
        page = pages[0][1]
        if page not in seen:
            seen.add(page)
            title = story.title.pick("fi") if story.title else ""
            words += [w for element, text in report.texts
                      if element == "story" and text != title and not re.fullmatch(r"\d+/\d+", text)
                      for w in text.split()]
    assert seen == set(range(pages[0][2]))
    assert " ".join(words).split() == story.body.pick("fi").split()
    # The leader's Page Down turns it at once, and the screen knows when it turns by itself.
    fresh = Renderer()
    options = ScreenOptions(lang="fi", large_text=True)
    surface = pygame.Surface((1920, 1080))
    assert fresh.render(scene, surface, options=options, now_ms=0).paged[0][1] == 0
    wait = fresh.next_page_ms(1_000)
    assert wait is not None and wait >= 10_000
    assert fresh.turn_page(1, now_ms=1_000)
    assert fresh.render(scene, surface, options=options, now_ms=1_000).paged[0][1] == 1
    assert fresh.turn_page(-1, now_ms=2_000)
    assert fresh.render(scene, surface, options=options, now_ms=2_000).paged[0][1] == 0


def test_pages_turn_on_a_calm_timer_and_on_a_key() -> None:
    pager = Pager()
    durations = [15_000, 30_000]
    pager.begin_frame()
    assert pager.page("story", durations, 0) == 0
    pager.end_frame()
    pager.begin_frame()
    assert pager.page("story", durations, 14_999) == 0
    assert pager.page("story", durations, 15_000) == 1
    assert pager.page("story", durations, 44_999) == 1
    assert pager.page("story", durations, 45_000) == 0
    pager.end_frame()
    assert pager.next_turn_ms(45_000) == 15_000
    assert pager.turn(1, 50_000)
    pager.begin_frame()
    assert pager.page("story", durations, 50_000) == 1
    assert pager.page("story", durations, 79_999) == 1
    pager.end_frame()
    # A text that leaves the screen starts from its first page when it comes back.
    pager.begin_frame()
    pager.end_frame()
    pager.begin_frame()
    assert pager.page("story", durations, 90_000) == 0


def test_no_floor_is_below_what_reads_from_five_metres() -> None:
    sizes = Sizes()
    assert sizes.floor("body") >= 36 and sizes.floor("note") >= 36
    assert sizes.floor("title") > sizes.floor("body") > sizes.floor("label") >= 32
    large = Sizes().scaled(1.25)
    assert large.floor("body") == 50


def test_the_fitter_never_goes_below_the_floor() -> None:
    kit = TextKit()
    text = "Pitkä " * 200
    size, lines = kit.fit(text, 600, 200, size=64, floor=40)
    assert size == 40 and len(lines) > 3
    paged = kit.paginate(text, 600, 300, size=64, floor=40, marker=50)
    assert paged.size == 40 and len(paged.pages) > 3
    assert [w for page in paged.pages for line in page for w in line.split()] == text.split()
    assert all(kit.block_height(40, len(page)) <= 300 - 50 for page in paged.pages)


def test_cyrillic_and_arabic_draw_with_the_bundled_fallback_font() -> None:
    kit = TextKit()
    assert kit.missing("Дмитрий Ольга Ёё فاطمة عمر مرحبا بكم") == ""
    licence = (FALLBACK_FILES[False].parent / "DejaVu-LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence
    assert 0x0416 in font_coverage(FALLBACK_FILES[True])  # Ж in bold too
    # Right to left: an Arabic name is shaped as one run, numbers stay left to right.
    arabic = kit.render("فاطمة", 48, (0, 0, 0))
    assert arabic.get_width() > 40
    if kit.shaping:
        joined = kit.width("فاطمة", 48)
        apart = sum(kit.width(ch, 48) for ch in "فاطمة")
        assert joined < apart  # contextual forms join the letters


def test_a_right_to_left_screen_draws_arabic_content(renderer: Renderer) -> None:
    scene = Scene(title=LocalizedText({"ar": "دائرة الحديث", "fi": "Kierros"}), layout="card",
                  elements=[CardElement(title=LocalizedText.of("فاطمة"),
                                        body=LocalizedText({"ar": OWN_CARD["ar"]})),
                            TextBlockElement(text=LocalizedText({"ar": "يمكنك دائمًا أن تتخطى "
                                                                 "دورك."}), style="note")])
    for size in SIZES:
        report = renderer.render(scene, pygame.Surface(size), options=ScreenOptions(lang="ar"))
        assert report.ok, report.issues


def test_scenes_with_pictures_fit_also_when_the_pictures_cannot_be_loaded() -> None:
    """A screen that cannot fetch a picture shows its words (alt) in its place: those words,
    and the caption under the picture, fit like every other text."""
    without = Renderer()  # no pictures at all: every picture is shown by its words
    scenes = {name: make() for name, make in escape_room_scenes().items()}
    with_pictures = {name: scene for name, scene in scenes.items()
                     if any(isinstance(e, ImageElement) for e in scene.elements)}
    assert len(with_pictures) > 20  # the find-in-the-picture locks and the rooms around them
    failures = []
    for lang in LANGUAGES:
        for name, scene in with_pictures.items():
            failures += [f"{name} [{lang}] {p}" for p in _problems(without, name, scene, lang)]
            alt = next(e for e in scene.elements if isinstance(e, ImageElement)).alt.pick(lang)
            shown = " ".join(text for element, text in without.report.texts
                             if element == "image")
            assert alt.split()[0] in shown, name
    assert not failures, "\n".join(failures[:40])
