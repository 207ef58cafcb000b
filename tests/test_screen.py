"""The shared screen, headless: every element and built-in scene drawn and compared with the
reference pictures in ``tests/screen_refs/``, the join card's QR code read back with zbarimg,
calm animation, and a screen that outlives its server.

The reference pictures are the screen as a person saw and approved it. After a deliberate change
to the drawing, look at the new pictures and rewrite the references with::

    PIIRI_UPDATE_SCREEN_REFS=1 .venv/bin/pytest tests/test_screen.py

A failing comparison leaves the picture it drew, and the difference, in ``tests/output/``.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import json
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import get_args

import pygame
import pytest
from PIL import Image, ImageChops
from websockets.sync.client import connect

from engine import StartTable
from engine.registry import find_game, load_game_content
from engine.scene import (
    BoardElement,
    CardElement,
    Element,
    JoinCardElement,
    ReactionsElement,
    RosterElement,
    Scene,
    TextBlockElement,
    Token,
)
from engine.screen import Animator, Renderer, ScreenOptions, present, render
from engine.screen.animate import POP_MS
from engine.screen.client import (
    ConnectionState,
    SceneFeed,
    room_from_url,
    run_screen,
    websocket_url,
)
from engine.screen.qr import qr_matrix
from engine.screen.samples import LONG_PROMPT, board_scene, sample
from engine.screen.typeset import FONT_FILES, TextKit
from engine.testing import SimulatedTable
from engine.text import LocalizedText

from .live_server import running

HERE = Path(__file__).resolve().parent
REFS = HERE / "screen_refs"
OUTPUT = HERE / "output"
UPDATE = os.environ.get("PIIRI_UPDATE_SCREEN_REFS") == "1"
JOIN_URL = "http://192.168.1.20:5000/j/KX7PM"
#: The code page's short address, as the hub puts it on the join card beside the room code.
SHORT_URL = "192.168.1.20:5000/j"

#: A picture matches its reference when it differs on average by less than this (0–255 scale)…
MEAN_TOLERANCE = 2.0
#: …and fewer than this share of its pixels differ by more than 40 in any colour channel.
CHANGED_SHARE = 0.01


@pytest.fixture(scope="module", autouse=True)
def _pygame() -> Iterator[None]:
    pygame.display.init()
    pygame.font.init()
    yield


# -- built-in scenes, from the real circle game -------------------------------------------


def _circle(seats: int = 3, *, rounds: int = 1) -> SimulatedTable:
    sim = SimulatedTable(find_game("circle"), load_game_content("circle"), seed=3,
                         options={"rounds": rounds}, room_code="KX7PM")
    sim.join_many(seats)
    return sim


def _with_url(scene: Scene) -> Scene:
    """The lobby as the hub sends it: the join card carries the server's address and the code
    page's short address."""
    elements = [e.model_copy(update={"url": JOIN_URL, "short_url": SHORT_URL})
                if e.kind == "join" else e for e in scene.elements]
    return scene.model_copy(update={"elements": elements})


def circle_lobby() -> Scene:
    return _with_url(_circle(3).scene())


def circle_card() -> Scene:
    sim = _circle(3)
    sim.start()
    sim.move(sim.current, "done")
    return sim.scene()


def circle_paused() -> Scene:
    sim = _circle(3)
    sim.start()
    sim.pause()
    return sim.scene()


def circle_closing() -> Scene:
    sim = _circle(3)
    sim.start()
    sim.play(lambda s, seat: s.move(seat, "done"))
    return sim.scene()


def circle_checkin() -> Scene:
    """A check-in round: how many are done, in big numbers, and nothing else."""
    from engine import CheckinMark, OpenCheckin

    sim = _circle(4)
    sim.start()
    sim._must(sim.send(OpenCheckin(at=sim._stamp(), round="1", items=3)))
    for seat in [s.id for s in sim.table.meta.seats][:3]:
        sim._must(sim.send(CheckinMark(at=sim._stamp(), seat=seat, mark="declined")))
    return sim.scene()


def circle_reactions_12() -> Scene:
    """Twelve people; the others have sent the speaker every kind of reaction."""
    sim = _circle(12)
    sim.start()
    speaker = sim.current
    others = [s.id for s in sim.table.meta.seats if s.id != speaker]
    for i, seat in enumerate(others):
        sim.move(seat, "react", value=("heart", "me_too", "clap", "thanks", "heart")[i % 5])
    return sim.scene()


def join_card_only() -> Scene:
    return Scene(layout="lobby", elements=[JoinCardElement(code="KX7PM", url=JOIN_URL)])


SCENES: dict[str, Callable[[], Scene]] = {
    "circle_lobby": circle_lobby,
    "circle_card": circle_card,
    "circle_paused": circle_paused,
    "circle_closing": circle_closing,
    "circle_checkin": circle_checkin,
    "join_card": join_card_only,
    "lobby_without_address": lambda: _circle(3).scene(),
    "lobby_empty": lambda: sample("lobby_empty"),
    "lobby_12": lambda: sample("lobby_12"),
    "card_theme_timer_hint": lambda: sample("card"),
    "card_long_text": lambda: sample("card_long"),
    "card_face_down": lambda: sample("card_face_down"),
    "board_12_tokens": lambda: board_scene(12),
    "board_reactions": lambda: sample("board_reactions"),
    "circle_reactions_12": circle_reactions_12,
    "vote_tally": lambda: sample("tally"),
    "story_page": lambda: sample("story"),
    "lock_panel": lambda: sample("locks"),
    "text_styles": lambda: sample("texts"),
}

VARIANTS: dict[str, tuple[str, ScreenOptions]] = {
    "board_12_tokens_high_contrast": ("board_12_tokens", ScreenOptions(high_contrast=True)),
    "card_theme_timer_hint_large_text": ("card_theme_timer_hint",
                                         ScreenOptions(large_text=True)),
    "lock_panel_sv": ("lock_panel", ScreenOptions(lang="sv")),
    "board_reactions_high_contrast": ("board_reactions", ScreenOptions(high_contrast=True)),
    "circle_lobby_en_high_contrast": ("circle_lobby",
                                      ScreenOptions(lang="en", high_contrast=True)),
}


# -- comparing with the references --------------------------------------------------------


def _image(surface: pygame.Surface) -> Image.Image:
    return Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))


def check_picture(name: str, surface: pygame.Surface) -> None:
    """Compare ``surface`` with ``screen_refs/<name>.png`` (or rewrite it on request)."""
    ref_path = REFS / f"{name}.png"
    if UPDATE:
        REFS.mkdir(exist_ok=True)
        pygame.image.save(surface, str(ref_path))
        return
    drawn = _image(surface)
    if not ref_path.exists():
        OUTPUT.mkdir(exist_ok=True)
        drawn.save(OUTPUT / f"{name}.png")
        pytest.fail(f"no reference picture {ref_path.name}; look at tests/output/{name}.png "
                    "and run with PIIRI_UPDATE_SCREEN_REFS=1 to make it the reference")
    with Image.open(ref_path) as opened:
        ref = opened.convert("RGB")
    assert ref.size == drawn.size, f"{name}: drawn {drawn.size}, reference {ref.size}"
    diff = ImageChops.difference(drawn, ref)
    mean = sum(band for band in _band_means(diff)) / 3
    r, g, b = diff.split()
    worst = ImageChops.lighter(ImageChops.lighter(r, g), b)
    changed = sum(worst.histogram()[41:]) / (drawn.width * drawn.height)
    if mean >= MEAN_TOLERANCE or changed >= CHANGED_SHARE:
        OUTPUT.mkdir(exist_ok=True)
        drawn.save(OUTPUT / f"{name}.png")
        worst.point(lambda v: 255 if v > 40 else v * 4).save(OUTPUT / f"{name}.diff.png")
        pytest.fail(f"{name} differs from its reference: mean difference {mean:.2f}, "
                    f"{changed:.2%} of pixels changed a lot; see tests/output/{name}.png "
                    f"and {name}.diff.png")


def _band_means(image: Image.Image) -> list[float]:
    from PIL import ImageStat

    return list(ImageStat.Stat(image).mean)


def draw(scene: Scene, options: ScreenOptions | None = None, *, now_ms: int = 0,
         motion: Animator | None = None, size: tuple[int, int] = (1920, 1080)) -> pygame.Surface:
    surface = pygame.Surface(size)
    render(scene, surface, options=options or ScreenOptions(), now_ms=now_ms, motion=motion)
    return surface


# -- pictures -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_looks_like_its_reference(name: str) -> None:
    check_picture(name, draw(SCENES[name]()))


@pytest.mark.parametrize("name", list(VARIANTS))
def test_viewing_modes_and_languages_look_like_their_references(name: str) -> None:
    base, options = VARIANTS[name]
    check_picture(name, draw(SCENES[base](), options))


def test_a_laptop_panel_gets_the_whole_picture_letterboxed() -> None:
    window = pygame.Surface((1366, 768))
    window.fill((255, 0, 255))
    render(circle_lobby(), window)
    check_picture("circle_lobby_1366x768", window)
    # Nearly 16:9: the picture fills the panel, nothing of the old window shows.
    for corner in ((0, 0), (1365, 0), (0, 767), (1365, 767), (683, 384)):
        assert window.get_at(corner)[:3] != (255, 0, 255)


def test_connection_lost_overlay_says_so_in_the_screen_language() -> None:
    renderer = Renderer()
    surface = pygame.Surface((1920, 1080))
    renderer.render(circle_card(), surface)
    renderer.connection_overlay(surface, state="lost", options=ScreenOptions(reduced_motion=True))
    check_picture("connection_lost", surface)


def test_a_token_walks_and_a_card_turns_between_scenes() -> None:
    before = board_scene(12)
    after = board_scene(12, moved={4: 8}, highlight=8)
    cards = [e for e in after.elements if isinstance(e, CardElement)]
    after.elements[after.elements.index(cards[0])] = cards[0].model_copy(
        update={"body": LONG_PROMPT, "title": LocalizedText.of("Eeva")})
    motion = Animator()
    motion.update(before, now_ms=0)
    motion.update(after, now_ms=1000)
    assert motion.active(1000)
    die = motion.die_roll(1100)
    assert die is not None and die.seat == "s5"
    walking = motion.token_position("s5", 1000 + 450 + 300)
    assert walking is not None and 5 < walking < 8
    turning = motion.card_turn(0, 1000 + 200)
    assert turning is not None and 0 < turning.squeeze < 1
    # Two moments: the die tumbling as the card turns, then the token on its way.
    check_picture("board_move_die_and_card_turning", draw(after, now_ms=1000 + 250,
                                                          motion=motion))
    check_picture("board_move_token_walking", draw(after, now_ms=1000 + 450 + 300,
                                                   motion=motion))
    assert not motion.active(5000)
    assert motion.token_position("s5", 5000) is None


def test_reduced_motion_shows_every_change_at_once() -> None:
    motion = Animator(reduced_motion=True)
    motion.update(board_scene(12), now_ms=0)
    motion.update(board_scene(12, moved={4: 8}), now_ms=10)
    assert not motion.active(10)
    assert motion.token_position("s5", 10) is None
    assert motion.card_turn(0, 10) is None


def test_any_key_skips_the_animation() -> None:
    motion = Animator()
    motion.update(board_scene(12), now_ms=0)
    motion.update(board_scene(12, moved={4: 8}), now_ms=10)
    assert motion.active(20)
    motion.skip()
    assert not motion.active(20)


def test_tally_bars_fill_from_the_old_counts() -> None:
    first = sample("tally")
    second = first.model_copy(deep=True)
    tally = second.elements[0]
    tally.rows[1].count = 4  # type: ignore[union-attr]
    motion = Animator()
    motion.update(first, now_ms=0)
    motion.update(second, now_ms=100)
    counts = motion.tally_counts(0, 100 + 300)
    assert counts is not None and 2 < counts[1] < 4 and counts[0] == 4


# -- what the drawing promises ------------------------------------------------------------


def test_every_element_kind_has_a_drawing() -> None:
    kinds = {model.model_fields["kind"].default for model in get_args(get_args(Element)[0])}
    assert kinds <= set(Renderer()._drawers())


def test_reactions_show_a_count_per_reaction_and_nobody_who_sent_them() -> None:
    scene = circle_reactions_12()
    reactions = next(e for e in scene.elements if isinstance(e, ReactionsElement))
    assert [(c.reaction.value, c.count) for c in reactions.counts] == [
        ("heart", 5), ("me_too", 2), ("clap", 2), ("thanks", 2)]
    for size in ((1920, 1080), (1280, 720)):
        renderer = Renderer()
        report = renderer.render(scene, pygame.Surface(size))
        assert report.ok, report.issues
        assert [t for e, t in report.texts if e == "reactions"] == ["5", "2", "2", "2"]
    # Without a roster the reactions go with the card.
    alone = Scene(layout="card", elements=[e for e in scene.elements
                                           if not isinstance(e, RosterElement)])
    report = Renderer().render(alone, pygame.Surface((1920, 1080)))
    assert report.ok and [t for e, t in report.texts if e == "reactions"] == ["5", "2", "2", "2"]


def test_a_reaction_pops_gently_when_its_count_grows_but_not_in_reduced_motion() -> None:
    before = sample("board_reactions")
    after = before.model_copy(deep=True)
    grown = next(e for e in after.elements if isinstance(e, ReactionsElement))
    grown.counts[1].count += 1  # one more "me too"
    motion = Animator()
    motion.update(before, now_ms=0)
    motion.update(after, now_ms=1000)
    assert motion.active(1000 + POP_MS // 2)
    assert 1.0 < motion.reaction_pop("me_too", 1000 + POP_MS // 2) < 1.25
    assert motion.reaction_pop("heart", 1000 + POP_MS // 2) == 1.0
    assert motion.reaction_pop("me_too", 1000 + POP_MS) == 1.0
    assert not motion.active(1000 + POP_MS)
    popping = _image(draw(after, now_ms=1000 + POP_MS // 2, motion=motion))
    at_rest = _image(draw(after, now_ms=1000 + POP_MS, motion=motion))
    assert ImageChops.difference(popping, at_rest).getbbox() is not None
    calm = Animator(reduced_motion=True)
    calm.update(before, now_ms=0)
    calm.update(after, now_ms=1000)
    assert calm.reaction_pop("me_too", 1000 + POP_MS // 2) == 1.0
    assert not calm.active(1000)


@pytest.mark.parametrize(("lang", "words"), [
    ("fi", "Tai kirjoita koodi osoitteessa"), ("sv", "Eller skriv koden på"),
    ("en", "Or type the code at"), ("fi-x-selko", "Tai kirjoita koodi täällä:")])
def test_the_join_card_names_the_page_where_the_code_is_typed(lang: str, words: str) -> None:
    for scene in (circle_lobby(), _with_url(_circle(12).scene())):
        for size in ((1920, 1080), (1280, 720)):
            report = Renderer().render(scene, pygame.Surface(size),
                                       options=ScreenOptions(lang=lang))
            assert report.ok, report.issues
            said = [t for e, t in report.texts if e == "join"]
            assert words in said and SHORT_URL in said
    # Without the server's address there is nothing to name.
    report = Renderer().render(_circle(3).scene(), pygame.Surface((1920, 1080)))
    assert not any(SHORT_URL in t for _, t in report.texts)


def test_drawing_only_reads_the_scene() -> None:
    scene = board_scene(12)
    before = scene.model_dump()
    motion = Animator()
    motion.update(scene, 0)
    draw(scene, now_ms=50, motion=motion)
    assert scene.model_dump() == before


def test_card_text_shrinks_rather_than_losing_words() -> None:
    kit = TextKit()
    text = LONG_PROMPT.pick("fi") * 2
    size, lines = kit.fit(text, 900, 400, size=64, floor=40)
    assert size < 64
    assert " ".join(lines).split() == text.split()
    assert not any(line.endswith("…") for line in lines)


def test_the_bundled_font_and_its_licence_travel_with_the_package() -> None:
    for path in FONT_FILES.values():
        assert path.is_file()
    licence = (FONT_FILES[False].parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    font = TextKit().font(48)
    # Finnish and Swedish letters have their own glyphs, not the missing-glyph box.
    box = font.metrics("\uffff")[0]
    assert all(font.metrics(ch)[0] != box for ch in "äöåÄÖÅšž…—")


def test_board_spaces_never_rely_on_colour_alone() -> None:
    scene = Scene(layout="board", elements=[board_scene(2).elements[0]])
    grey = Scene(layout="board", elements=[BoardElement(
        spaces=[s.model_copy(update={"colour": "#7F7F7F"})
                for s in scene.elements[0].spaces],  # type: ignore[union-attr]
        tokens=[Token(seat="s1", space=0)])])
    # With every colour the same, the icons still tell the spaces apart.
    picture = _image(draw(grey)).convert("L")
    assert sum(1 for count in picture.histogram() if count) > 20


def test_addresses_are_understood() -> None:
    assert websocket_url("http://10.0.0.5:5000/") == "ws://10.0.0.5:5000/ws"
    assert websocket_url("https://piiri.example.fi/ryhmat/j/KX7PM") == \
        "wss://piiri.example.fi/ryhmat/ws"
    assert websocket_url("ws://127.0.0.1:5000/ws") == "ws://127.0.0.1:5000/ws"
    assert room_from_url("http://10.0.0.5:5000/j/kx7pm") == "KX7PM"
    assert room_from_url("http://10.0.0.5:5000") is None


# -- the QR code --------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is not installed")
def test_join_card_qr_code_reads_back_as_the_join_address(tmp_path: Path) -> None:
    path = tmp_path / "join.png"
    pygame.image.save(draw(join_card_only()), str(path))
    read = subprocess.run(["zbarimg", "-q", "--raw", str(path)], capture_output=True,
                          text=True, timeout=20, check=False)
    assert read.stdout.strip() == JOIN_URL
    # Drawn at phone-friendly scale: a projected module is several pixels wide.
    assert len(qr_matrix(JOIN_URL)) <= 33


# -- the screen and its server ------------------------------------------------------------


def _wait(condition: Callable[[], bool], timeout: float = 8.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_screen_survives_the_server_going_away_and_reconnects(tmp_path: Path) -> None:
    with running(tmp_path / "db.sqlite3") as server:
        live = server.hub.create_table("circle", {"rounds": 1}, seed=3)
        feed = SceneFeed(server.url, live.code, backoff=(0.05, 0.3)).start()
        try:
            assert _wait(lambda: feed.scenes_received >= 1)
            assert feed.state is ConnectionState.connected
            first = [u.scene for u in feed.updates() if u.scene is not None]
            assert first and first[-1].layout == "lobby"
            port = server.port
            server.stop()
            assert _wait(lambda: feed.state is ConnectionState.lost)
            states = [u.state for u in feed.updates() if u.state is not None]
            assert ConnectionState.lost in states
            time.sleep(0.3)  # a few failed tries while nobody listens
            assert feed.state is ConnectionState.lost
            received = feed.scenes_received
            server.start(port)
            assert _wait(lambda: feed.scenes_received > received)
            assert feed.state is ConnectionState.connected
            again = [u.scene for u in feed.updates() if u.scene is not None]
            assert again and again[-1].layout == "lobby"
            # And it keeps following the table: the game starts, the screen sees it.
            # The restarted server read the table back from its database.
            live = next(t for t in server.hub.tables() if t.code == live.code)
            before = feed.scenes_received
            with connect(server.ws_url, open_timeout=5) as tablet:
                tablet.send(json.dumps({"t": "hello", "v": 1, "role": "seat",
                                        "room": live.code}))
                tablet.send(json.dumps({"t": "join", "nickname": "Aino",
                                        "avatar": {"icon": "sun", "colour": "#E69F00"}}))
                assert _wait(lambda: feed.scenes_received > before)  # Aino in the lobby
                server.hub.apply(live, StartTable(at=server.hub.now()))
                assert _wait(lambda: any(u.scene is not None and u.scene.layout == "card"
                                         for u in feed.updates()))
        finally:
            feed.stop()
        assert feed.state is ConnectionState.stopped


def test_unknown_room_is_said_plainly(tmp_path: Path) -> None:
    with running(tmp_path / "db.sqlite3") as server:
        feed = SceneFeed(server.url, "ZZZZZ", backoff=(0.05, 0.2)).start()
        try:
            assert _wait(lambda: feed.state is ConnectionState.no_room)
        finally:
            feed.stop()


def test_screen_window_runs_against_a_server_and_closes(tmp_path: Path) -> None:
    with running(tmp_path / "db.sqlite3") as server:
        live = server.hub.create_table("circle", {"rounds": 1}, seed=3)
        # SDL wants its window on the main thread: the server is the one in the background.
        started = time.monotonic()
        assert run_screen(server.url, live.code, options=ScreenOptions(), max_seconds=1.0) == 0
        assert time.monotonic() - started < 5
        assert not any(t.name == "piiri-screen-feed" for t in threading.enumerate())
    pygame.display.init()


def test_text_block_styles_are_all_drawn() -> None:
    styles = {e.style for e in sample("texts").elements if isinstance(e, TextBlockElement)}
    styles |= {e.style for e in sample("card").elements if isinstance(e, TextBlockElement)}
    assert styles == {"body", "title", "hint", "note"}


def test_a_window_of_any_size_gets_the_design_scaled_in() -> None:
    design = draw(sample("closing"))
    for size in ((1280, 720), (1024, 768), (3840, 2160)):
        window = pygame.Surface(size)
        landed = present(design, window)
        assert window.get_rect().contains(landed)
        assert abs(landed.width / landed.height - 16 / 9) < 0.02


def test_odd_scenes_are_drawn_without_failing() -> None:
    from engine.scene import (
        LockPanelElement,
        ProgressElement,
        RosterElement,
        TimerElement,
        VoteTallyElement,
    )

    long_name = sample("lobby_3").elements[1].model_copy(deep=True)
    long_name.entries[0].nickname = "Maria-Magdalena Korhonen"  # type: ignore[union-attr]
    odd = [
        Scene(),
        Scene(layout="board", elements=[BoardElement(spaces=[], tokens=[Token(seat="x",
                                                                              space=3)])]),
        Scene(layout="room", elements=[LockPanelElement(locks=[]), RosterElement(entries=[]),
                                       ProgressElement(done=5, total=0),
                                       TimerElement(remaining_ms=5000, total_ms=0,
                                                    running=True),
                                       VoteTallyElement(question=LocalizedText.of("?"), rows=[],
                                                        voters=0, voted=0)]),
        Scene(layout="closing", elements=[long_name]),
        Scene(layout="story", elements=[CardElement(body=LocalizedText.of("x" * 400))]),
        board_scene(12).model_copy(update={"layout": "lobby"}),
    ]
    for layout in ("lobby", "board", "card", "story", "room", "closing"):
        odd.append(board_scene(3).model_copy(update={"layout": layout}))
    for scene in odd:
        for options in (ScreenOptions(), ScreenOptions(large_text=True, high_contrast=True,
                                                       lang="ar")):
            draw(scene, options)


def test_full_screen_can_be_switched_on_and_off() -> None:
    from engine.screen.client import _Window

    window = _Window(pygame, fullscreen=False, display_index=None, title="Piiri — test")
    assert window.surface.get_size() == (1280, 720)
    window.set_fullscreen(True)
    assert window.fullscreen
    window.set_fullscreen(False)
    assert window.surface.get_size() == (1280, 720)


def test_a_drawing_failure_does_not_close_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.screen.client import StaticFeed
    from engine.screen.render import Renderer as RealRenderer

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in drawing")

    monkeypatch.setattr(RealRenderer, "render", broken)
    assert run_screen("http://localhost", "TEST", feed=StaticFeed(sample("card")),
                      max_seconds=0.5) == 0
    pygame.display.init()


def test_a_running_timer_wakes_the_screen_once_a_second() -> None:
    from engine.scene import TimerElement
    from engine.screen.client import _next_second_ms

    scene = Scene(elements=[TimerElement(remaining_ms=83_000, total_ms=120_000, running=True)])
    assert _next_second_ms(scene, since_ms=0, now_ms=0) == 1000
    assert _next_second_ms(scene, since_ms=0, now_ms=250) == 750
    stopped = Scene(elements=[TimerElement(remaining_ms=83_000, total_ms=120_000,
                                           running=False)])
    assert _next_second_ms(stopped, since_ms=0, now_ms=0) is None
    assert _next_second_ms(scene, since_ms=0, now_ms=90_000) is None
