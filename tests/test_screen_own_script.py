"""A game's name in its own script (a timeline item's ``original``) on the browser screen: drawn
only where the screen's bundled fonts have every letter, as the pygame screen decides
(engine/screen/render.py ``_drawable_original``), so that a name in Chinese or Devanagari never
shows as empty boxes on a machine without a font for it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from engine.registry import load_game_content
from engine.scene import Scene, TimelineElement, TimelineItem, TimelineStage
from engine.screen.typeset import TextKit
from engine.text import LocalizedText

from .live_server import LiveServer

SCREEN_JS = Path(__file__).resolve().parent.parent / "facilitator" / "static" / "screen.js"
WAIT = 20_000

#: Names in scripts the bundled fonts draw and in scripts they do not, beside the catalogue's.
SAMPLES = ["Чапаев", "طرنيب", "هفت سنگ", "Τάβλι", "Շախմատ", "שש בש", "ლელო", "Kyykkä",
           "Sjörövarspel", "Ô ăn quan", "围棋", "じゃんけん", "윷놀이", "ตะกร้อ", "कबड्डी", "ገበጣ",
           "Go 囲碁", "Дурак ♠"]


def _drawn_by_pygame(name: str) -> bool:
    """The pygame screen's rule: every letter is in a bundled font (regular or bold)."""
    kit = TextKit()
    return kit.missing(name) == "" and kit.missing(name, bold=True) == ""


def _originals() -> list[str]:
    content = load_game_content("pelitarina")
    return sorted({game.original for game in content.catalogue.games if game.original})


def _js_ranges() -> list[tuple[int, int]]:
    source = SCREEN_JS.read_text(encoding="utf-8")
    table = re.search(r"var DRAWN = \[(.*?)\];", source, re.S)
    assert table is not None, "screen.js keeps the letters its fonts draw in DRAWN"
    return [(int(a, 16), int(b, 16))
            for a, b in re.findall(r"\[0x([0-9A-F]+), 0x([0-9A-F]+)\]", table.group(1))]


def test_every_letter_the_browser_screen_draws_is_in_the_bundled_fonts() -> None:
    ranges = _js_ranges()
    assert len(ranges) > 10
    kit = TextKit()
    lacking = [f"U+{code:04X}" for start, end in ranges for code in range(start, end + 1)
               if kit.missing(chr(code)) or kit.missing(chr(code), bold=True)]
    assert lacking == []


def test_the_catalogue_has_names_the_fonts_draw_and_names_they_do_not() -> None:
    originals = _originals()
    assert any(_drawn_by_pygame(name) for name in originals)
    assert any(not _drawn_by_pygame(name) for name in originals)  # 围棋, कबड्डी, …


@pytest.mark.browser
def test_the_browser_screen_shows_an_own_script_name_only_where_pygame_would(
        browser: Browser, server: LiveServer) -> None:
    names = sorted(set(_originals()) | set(SAMPLES))
    expected = {name: _drawn_by_pygame(name) for name in names}
    assert expected["Чапаев"] and expected["طرنيب"] and not expected["围棋"]
    live = server.hub.create_table("circle", {"rounds": 1}, seed=3)
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    try:
        page.goto(f"{server.url}/screen/{live.code}?lang=fi")
        expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)
        # The rule itself, name by name, against the pygame screen's.
        decided = page.evaluate("names => names.map(n => window.PiiriScreen.drawable(n))",
                                names)
        assert dict(zip(names, decided, strict=True)) == expected
        # And as drawn: a timeline of these names shows exactly the ones pygame draws.
        for chunk in (names[i:i + 18] for i in range(0, len(names), 18)):
            page.evaluate("scene => window.PiiriScreen.show(scene)", _timeline(chunk))
            timeline = page.locator("[data-kind=timeline]")
            expect(timeline).to_be_visible(timeout=WAIT)
            expect(timeline.locator(".tlname")).to_have_count(len(chunk))
            shown = timeline.locator(".tlorig").all_inner_texts()
            assert sorted(shown) == sorted(n for n in chunk if expected[n]), chunk
    finally:
        page.context.close()


def _timeline(names: list[str]) -> dict[str, Any]:
    """Up to 18 games over six stages, each with a Latin name and its own-script name."""
    stages = [TimelineStage(label=LocalizedText({"fi": f"Vaihe {i + 1}"}), items=[
        TimelineItem(label=LocalizedText({"fi": f"Peli {i * 3 + k + 1}"}), original=name)
        for k, name in enumerate(names[i * 3:i * 3 + 3])]) for i in range(6)]
    return Scene(layout="story", elements=[TimelineElement(stages=stages)]).model_dump(
        mode="json")
