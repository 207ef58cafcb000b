"""Pelitarina end to end in Chromium: three tablets build their life lines (a pick from the
catalogue's pictures, a search, a typed name, quick picks skipped), tell in turns (one shows
the whole line, one passes, one shows nothing), and get their summaries, while the browser
screen draws only what a person chose to show.

Every scene message the screen receives is recorded: a game kept to oneself (a typed name, a
searched game never shown) never appears in any of them. axe-core looks at every state a
tablet meets: consent, building, the category picker, search, quick picks, ready, the telling
choice, reacting and the summary. The browser screen draws the life line with the games'
category pictures and their words, and nothing on it is cut.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from engine import StartTable
from engine.registry import load_game_content
from games.pelitarina import words

from .browser import wait_for
from .live_server import LiveServer
from .test_browser import join
from .test_browser_screen import NOT_WHOLE
from .test_pelitarina_screen import _telling
from .test_story_browser import Walk

pytestmark = pytest.mark.browser

OUTPUT = Path(__file__).resolve().parent / "output"

WAIT = 20_000
#: Typed on Camilla's tablet and never shown: it must never reach the screen.
KEPT = "Salainen mökkipeli"




def button(page: Page, label: Any) -> Any:
    """The tablet's button with these words (a LocalizedText from the game's words)."""
    return page.get_by_role("button", name=label.pick("fi"), exact=True)


def ready(page: Page) -> None:
    button(page, words.READY).click(timeout=WAIT)
    page.locator("[data-role=confirm]").click(timeout=WAIT)


def test_three_tablets_build_tell_and_the_screen_shows_only_what_was_chosen(
        browser: Browser, server: LiveServer) -> None:
    content = load_game_content("pelitarina")
    live = server.hub.create_table("pelitarina", {}, seed=3)
    walk = Walk()

    screen = browser.new_context(locale="fi-FI",
                                 viewport={"width": 1920, "height": 1080}).new_page()
    frames: list[str] = []
    screen.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))))
    screen.goto(f"{server.url}/screen/{live.code}")
    expect(screen.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)

    url = f"{server.url}/j/{live.code}"
    tablets: dict[str, Page] = {}
    names: dict[str, str] = {}
    for name, avatar in [("Aino", ("sun", "#E69F00")), ("Bashir", ("boat", "#56B4E9")),
                         ("Camilla", ("tree", "#009E73"))]:
        page = browser.new_context(locale="fi-FI").new_page()
        seat = join(page, url, name, avatar=avatar)
        tablets[seat] = page
        names[name] = seat
    aino, bashir, camilla = (tablets[names[n]] for n in ("Aino", "Bashir", "Camilla"))
    server.hub.apply(live, StartTable(at=server.hub.now()))
    stages = live.table.state.stages

    # Consent, on every tablet first.
    expect(aino.locator("[data-move=consent]").first).to_be_visible(timeout=WAIT)
    walk.check("tablet: consent", aino)
    for page in tablets.values():
        page.locator("[data-move=consent]").first.click(timeout=WAIT)
    wait_for(lambda: all(line.consent == "given" for line in live.table.state.lines.values()))

    # Aino: the first stage, the card games' picture, Durak; quick picks: who with, skipped
    # the rest.
    expect(aino.locator(f"[data-move=open_stage][data-value={stages[0]}]")).to_be_visible(
        timeout=WAIT)
    walk.check("tablet: building (the stages)", aino)
    aino.locator(f"[data-move=open_stage][data-value={stages[0]}]").click()
    picker = aino.locator("[data-move=go][data-value=card]")
    expect(picker).to_be_visible(timeout=WAIT)
    pictures = aino.locator("[data-move=go][data-value] img.optimg")
    expect(pictures).to_have_count(len(content.catalogue.categories))
    card = content.category("card")
    assert card is not None
    expect(picker.locator("img.optimg")).to_have_attribute("alt", card.alt.pick("fi"))
    wait_for(lambda: picker.locator("img.optimg").evaluate(
        "img => img.complete && img.naturalWidth === 128"))
    box = picker.bounding_box()
    assert box is not None and box["height"] >= 64  # a large touch target
    walk.check("tablet: category picker", aino)
    picker.click()
    aino.locator("[data-move=pick_game][data-value=durak]").click(timeout=WAIT)
    expect(aino.locator("[data-role=send][data-move=set_who]")).to_be_visible(timeout=WAIT)
    walk.check("tablet: quick picks", aino)
    family = content.method.who_with[0].id
    aino.locator(f".ctl.choice:has([data-move=set_who]) [data-value={family}]").click()
    aino.locator("[data-role=send][data-move=set_who]").click()
    wait_for(lambda: live.table.state.lines[names["Aino"]].entries[0].who is not None)
    button(aino, words.DONE_GAME).click()
    button(aino, words.BACK).click(timeout=WAIT)
    ready(aino)
    expect(aino.locator("body")).to_contain_text(words.WAIT_OTHERS.pick("fi"), timeout=WAIT)
    walk.check("tablet: ready, waiting for the others", aino)

    # Bashir searches for Tetris and skips every quick pick.
    bashir.locator(f"[data-move=open_stage][data-value={stages[2]}]").click(timeout=WAIT)
    button(bashir, words.SEARCH).click(timeout=WAIT)
    bashir.locator("[data-kind=free_text] textarea, .free-text textarea").fill("tetr")
    walk.check("tablet: search", bashir)
    bashir.locator("[data-role=send][data-move=search]").click()
    bashir.locator("[data-move=pick_game][data-value=tetris]").click(timeout=WAIT)
    button(bashir, words.DONE_GAME).click(timeout=WAIT)
    button(bashir, words.BACK).click(timeout=WAIT)
    ready(bashir)

    # Camilla types a name of her own.
    camilla.locator(f"[data-move=open_stage][data-value={stages[5]}]").click(timeout=WAIT)
    button(camilla, words.TYPE_NAME).click(timeout=WAIT)
    camilla.locator(".free-text textarea").fill(KEPT)
    camilla.locator("[data-role=send][data-move=type_name]").click()
    button(camilla, words.DONE_GAME).click(timeout=WAIT)
    button(camilla, words.BACK).click(timeout=WAIT)
    ready(camilla)
    wait_for(lambda: live.table.meta.turn.phase == "tell")

    # Telling: Aino shows her whole line, Bashir reacts; Bashir passes; Camilla shows nothing.
    plan = {names["Aino"]: "line", names["Bashir"]: "pass", names["Camilla"]: "nothing"}
    told: list[str] = []
    while live.table.meta.turn.phase == "tell":
        current = live.table.meta.turn.current
        assert current is not None and current not in told
        page = tablets[current]
        what = plan[current]
        if what == "pass":
            page.locator(".pass").click(timeout=WAIT)
        else:
            choice = page.locator(f"[data-move=show][data-value={what}]")
            expect(choice).to_be_visible(timeout=WAIT)
            if what == "line":
                walk.check("tablet: choosing what to show", page)
            choice.click()
            wait_for(lambda w=what: (live.table.state.showing is not None) == (w != "nothing"))
            if what == "line":
                timeline = screen.locator("[data-kind=timeline]")
                expect(timeline).to_contain_text("Durak", timeout=WAIT)
                icon = timeline.locator("img.tlicon")
                expect(icon).to_have_count(1)
                expect(icon).to_have_attribute("alt", card.alt.pick("fi"))
                wait_for(lambda i=icon: i.evaluate("img => img.complete && img.naturalWidth > 0"))
                assert screen.evaluate(NOT_WHOLE) == []
                listener = tablets[names["Bashir"]]
                react = listener.locator("[data-kind=reactions] button, .react").first
                expect(react).to_be_visible(timeout=WAIT)
                walk.check("tablet: reacting to someone telling", listener)
                react.click()
                wait_for(lambda: sum(live.table.state.reactions.values()) == 1)
            page.locator("[data-move=told]").click(timeout=WAIT)
        told.append(current)
        wait_for(lambda c=current: live.table.meta.turn.current != c
                 or live.table.meta.turn.phase != "tell")

    # Summaries, each on its own tablet.
    assert live.table.meta.turn.phase == "summary"
    for page in (aino, bashir, camilla):
        expect(page.locator("body")).to_contain_text(words.SUMMARY_TITLE.pick("fi"),
                                                     timeout=WAIT)
    expect(aino.locator("body")).to_contain_text("Durak")
    expect(camilla.locator("body")).to_contain_text(KEPT)  # her own tablet, only hers
    walk.check("tablet: summary", aino)

    # The screen's whole stream: what was not chosen to be shown never reached it.
    scenes = [json.loads(f) for f in frames if f.startswith("{")]
    scenes = [m for m in scenes if m.get("t") == "scene"]
    assert scenes
    stream = json.dumps(scenes, ensure_ascii=False)
    assert "Durak" in stream  # Aino chose to show her line
    assert KEPT not in stream and "mökkipeli" not in stream.lower()
    assert "Tetris" not in stream  # Bashir passed: his line was never shown
    assert walk.met == [
        "tablet: consent", "tablet: building (the stages)", "tablet: category picker",
        "tablet: quick picks", "tablet: ready, waiting for the others", "tablet: search",
        "tablet: choosing what to show", "tablet: reacting to someone telling",
        "tablet: summary"]
    assert walk.problems == [], "\n\n".join(walk.problems)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
@pytest.mark.parametrize("show", ["line", "stage:2", "game:1"])
def test_the_browser_screen_draws_a_life_line_with_its_pictures_and_nothing_cut(
        browser: Browser, server: LiveServer, show: str, size: tuple[int, int]) -> None:
    """Six stages with up to three games each (names in Cyrillic and Arabic script too),
    in every language: every game's picture with its words, nothing cut or below its
    floor, the items of neighbouring stages in rows."""
    content = load_game_content("pelitarina")
    scene = _telling(content, show).model_dump(mode="json")
    live = server.hub.create_table("circle", {"rounds": 1}, seed=3)
    for lang in ("fi", "sv", "en", "fi-x-selko"):
        page = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
        page.goto(f"{server.url}/screen/{live.code}?lang={lang}")
        expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)
        page.evaluate("scene => window.PiiriScreen.show(scene)", scene)
        timeline = page.locator("[data-kind=timeline]")
        expect(timeline).to_be_visible()
        items = [i for s in scene["elements"] if s["kind"] == "timeline"
                 for st in s["stages"] for i in st["items"]]
        icons = timeline.locator("img.tlicon")
        expect(icons).to_have_count(sum(1 for i in items if i["icon"]))
        for n in range(icons.count()):
            assert icons.nth(n).get_attribute("alt")
        assert page.evaluate(NOT_WHOLE) == [], (lang, show)
        if show == "line":
            expect(timeline).to_contain_text("Чапаев")
            expect(timeline).to_contain_text("طرنيب")
        # Rows line up: the k-th items of every stage start at the same height.
        tops = page.evaluate("""() => {
          const rows = {};
          for (const el of document.querySelectorAll('.tlitem')) {
            const row = el.style.gridRow;
            (rows[row] = rows[row] || []).push(Math.round(el.getBoundingClientRect().top));
          }
          return Object.values(rows).map(r => new Set(r).size);
        }""")
        assert all(n == 1 for n in tops), tops
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"browser-pelitarina-{show.replace(':', '-')}-"
                                          f"{lang}-{size[1]}.png"))
        page.context.close()
