"""The escape room end to end: three real tablets get Leena home ("lost-key") through the
tablet UI alone, every kind of lock with the control its tablet shows; the shared screen mid-game
is kept as a reference picture."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import time

import pygame
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from engine import StartTable, TableStatus
from engine.screen.render import render
from games.escape_room.content import puzzle_of_clue
from games.escape_room.game import EscapeState

from .browser import wait_for
from .live_server import LiveServer
from .test_browser import join
from .test_screen import check_picture

pytestmark = pytest.mark.browser

WAIT = 20_000
#: The locks of the room as the tablets title them (Finnish), in the order the group opens them.
TITLES = {
    "bus-time": "Bussi kotiin",
    "shopping-order": "Kauppalista",
    "neighbour-note": "Naapurin lappu",
    "stairwell": "Porraskäytävä",
    "laundry-board": "Pesutuvan vuorot",
    "way-home": "Kotimatka",
    "key-safe": "Avainkaappi",
}
NOT_YET = "Ei vielä. Katsokaa vihjeitä yhdessä ja kokeilkaa uudelleen."
HINT = "Leena lähti kahvilasta klo 14.25. Mitkä bussit lähtevät sen jälkeen?"
PEOPLE = [("Aino", ("sun", "#E69F00")), ("Bashir", ("boat", "#56B4E9")),
          ("Camilla", ("tree", "#009E73"))]




def quoted(text: str) -> str:
    assert "'" not in text
    return f"'{text}'"


def after_title(page: Page, title: str, what: str) -> Locator:
    """The first control matching ``what`` (an XPath test) after the text titled ``title``:
    on the tablet a lock's task comes first, then its hints and notes, then its input."""
    return page.locator(f"xpath=//section[contains(@class, 'game')]/*[@data-kind='text']"
                        f"[h2[normalize-space()={quoted(title)}]]"
                        f"/following-sibling::*[{what}][1]")


def lock_input(page: Page, pid: str, kind: str) -> Locator:
    return after_title(page, TITLES[pid], f"@data-kind='{kind}'")


def settled(page: Page) -> None:
    """Nothing sent is waiting for the server (an ack clears a sent code's draft)."""
    expect(page.locator("body")).not_to_have_attribute("data-pending", "1", timeout=WAIT)


def send(page: Page, control: Locator) -> None:
    button = control.locator("[data-role=send]")
    expect(button).not_to_have_attribute("aria-disabled", "true")
    button.click(timeout=WAIT)
    settled(page)


def type_code(page: Page, pid: str, keys: list[str], by_name: bool = False) -> None:
    """Tap a code on the lock's keypad: by the key's symbol (digits, letters) or by the name
    it says (colours and arrows, as the clues say them)."""
    pad = lock_input(page, pid, "code")
    for key in keys:
        if by_name:
            pad.get_by_role("button", name=key, exact=True).click(timeout=WAIT)
        else:
            pad.locator(f"[data-value='{key}']").click(timeout=WAIT)
    expect(pad.locator(".slot.full")).to_have_count(len(keys))
    send(page, pad)


def test_three_tablets_get_leena_home(browser: Browser, server: LiveServer) -> None:
    started = time.monotonic()
    live = server.hub.create_table("escape_room", {"room": "lost-key"}, seed=5)
    room = live.table.content.rooms["lost-key"]
    url = f"{server.url}/j/{live.code}"
    contexts = [browser.new_context(locale="fi-FI") for _ in range(3)]
    pages: dict[str, Page] = {}
    errors: list[str] = []
    for context, (name, avatar) in zip(contexts, PEOPLE, strict=True):
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages[join(page, url, name, avatar=avatar)] = page
    seats = list(pages)
    server.hub.apply(live, StartTable(at=server.hub.now()))

    def state() -> EscapeState:
        found = live.table.state
        assert isinstance(found, EscapeState)
        return found

    def everyone_sees(text: str) -> None:
        for page in pages.values():
            expect(page.locator("main")).to_contain_text(text, timeout=WAIT)
            settled(page)

    def read_clues(pid: str) -> None:
        """Each tablet opens its own clues of the lock: tap, and the clue is there."""
        title = TITLES[pid]
        for seat, page in pages.items():
            buttons = page.locator("[data-move=read_clue]", has_text=f"Lue vihjeesi: {title}")
            cards = page.locator("[data-kind=text]", has=page.locator(
                "h2", has_text=f"Sinun vihjeesi: {title}"))
            mine = [c for c in state().hands[seat] if puzzle_of_clue(c) == pid]
            expect(buttons).to_have_count(len(mine), timeout=WAIT)
            for n in range(len(mine)):
                buttons.first.click(timeout=WAIT)
                expect(cards).to_have_count(n + 1, timeout=WAIT)
            settled(page)
            assert set(mine) <= set(state().read[seat])
            for clue in mine:
                expect(page.locator("main")).to_contain_text(room.clue_text(clue)["fi"])

    def solved(pid: str) -> None:
        wait_for(lambda: pid in state().solved)
        if pid != "key-safe":
            everyone_sees(f"Auki: {TITLES[pid]}")

    # The story on the screen; any tablet says "we are ready".
    expect(pages[seats[2]].locator("[data-move=start_room]")).to_contain_text("Olemme valmiita")
    pages[seats[2]].locator("[data-move=start_room]").click(timeout=WAIT)
    wait_for(lambda: live.table.meta.turn.phase == "room")
    for pid in ("bus-time", "shopping-order", "neighbour-note"):
        read_clues(pid)

    # The bus: one wrong guess (bus 7 at 14.50) gets a gentle "not yet" on every tablet; the
    # group asks for a hint from another tablet, then enters the right time.
    a, b, c = (pages[s] for s in seats)
    type_code(a, "bus-time", list("1450"))
    wait_for(lambda: state().tries.get("bus-time") == 1)
    everyone_sees(NOT_YET)
    assert "bus-time" not in state().solved
    after_title(c, TITLES["bus-time"], "@data-move='ask_hint'").click(timeout=WAIT)
    wait_for(lambda: len(state().hints) == 1)
    everyone_sees("Vinkki 1: Bussi kotiin")
    everyone_sees(HINT)
    words = live.table.scene().model_dump_json()
    assert HINT in words and NOT_YET in words  # the screen says both too
    type_code(b, "bus-time", list("1435"))
    solved("bus-time")
    assert NOT_YET not in (a.locator("main").text_content() or "")

    # The shopping list: put in order with the arrow buttons, the first at the top.
    order = lock_input(c, "shopping-order", "order")
    wanted = ["apples", "rye-bread", "coffee", "milk"]
    shown = order.locator("li").evaluate_all("els => els.map(e => e.dataset.value)")
    assert sorted(shown) == sorted(wanted) and shown != wanted  # the tablet mixes them
    for at, value in enumerate(wanted):
        now = order.locator("li").evaluate_all("els => els.map(e => e.dataset.value)")
        for _ in range(now.index(value) - at):
            order.locator(f"li[data-value='{value}'] [data-role=up]").click(timeout=WAIT)
    assert order.locator("li").evaluate_all("els => els.map(e => e.dataset.value)") == wanted
    send(c, order)
    solved("shopping-order")

    # The neighbour's note: the tablet with the pictures shows its clue on the big screen.
    holder = next(s for s in seats if "neighbour-note.1" in state().hands[s])
    after_title(pages[holder], "Sinun vihjeesi: Naapurin lappu",
                "@data-move='show_clue'").click(timeout=WAIT)
    wait_for(lambda: [s.clue for s in state().on_screen] == ["neighbour-note.1"])
    settled(pages[holder])

    # Mid-game, two locks open: the shared screen as the group sees it from across the room
    # (the bus hint left it with its lock; the shown clue and the last lock's story stay).
    scene = live.table.scene()
    words = scene.model_dump_json()
    assert "Naapurin lappu" in words and "Kotimatka" in words
    assert room.clue_text("neighbour-note.1")["fi"] in words and HINT not in words
    for secret in ("RAILI", "Raili", "postilaatikko", "ylös", "1435"):
        assert secret not in words  # answers of open locks never reach the screen
    pygame.init()
    surface = pygame.Surface((1920, 1080))
    render(scene, surface, lang="fi")
    check_picture("escape_room_mid_game", surface)

    # The note in letters, from the picture key on the other tablet.
    type_code(b, "neighbour-note", list("RAILI"))
    solved("neighbour-note")

    # The stairwell: choose the place in the picture.
    read_clues("stairwell")
    place = lock_input(c, "stairwell", "choice").locator("[data-value='C']")
    expect(place).to_contain_text("C: kukkaruukku ikkunalaudalla")
    place.click(timeout=WAIT)
    solved("stairwell")

    # The laundry board: tap a neighbour, then their day.
    read_clues("laundry-board")
    board = lock_input(a, "laundry-board", "match")
    for who, day in (("raili", "monday"), ("ahmed", "tuesday"), ("sanna", "wednesday"),
                     ("leena", "thursday")):
        board.locator(f"[data-side=L][data-value='{who}']").click(timeout=WAIT)
        board.locator(f"[data-side=R][data-value='{day}']").click(timeout=WAIT)
    expect(board.locator("[data-side=R].paired")).to_have_count(4)
    send(a, board)
    solved("laundry-board")

    # The way home, in two steps: the arrows of the route, then Raili's riddle in words.
    read_clues("way-home")
    type_code(b, "way-home", ["Ylös", "Oikealle", "Ylös", "Vasemmalle"], by_name=True)
    wait_for(lambda: state().steps.get("way-home") == 1)
    everyone_sees("Vaihe 2/2")
    riddle = lock_input(c, "way-home", "free_text")
    riddle.locator("textarea").fill("Postilaatikko")
    send(c, riddle)
    solved("way-home")

    # The key safe: the colours of the laundry turns, Monday first, by the names on the keys.
    read_clues("key-safe")
    type_code(a, "key-safe", ["vihreä", "keltainen", "sininen", "punainen"], by_name=True)
    solved("key-safe")

    # Out: the debrief, with the way the group came, on the screen and on every tablet.
    assert state().escaped and live.table.meta.turn.phase == "debrief"
    path = ("1. Bussi kotiin (1 vinkki)  ·  2. Kauppalista  ·  3. Naapurin lappu  ·  "
            "4. Porraskäytävä  ·  5. Pesutuvan vuorot  ·  6. Kotimatka  ·  7. Avainkaappi")
    closing = live.table.scene()
    assert closing.layout == "closing"
    texts = {e.title["fi"]: e.text["fi"] for e in closing.elements
             if e.kind == "text" and e.title is not None}
    assert texts["Näin etenimme"] == path
    for name, _ in PEOPLE:  # the path is the group's, never who did what
        assert name not in closing.model_dump_json()
    for page in pages.values():
        main = page.locator("main")
        for text in ("Vihdoin kotona", "Näin etenimme", path, "Kysymys 3"):
            expect(main).to_contain_text(text, timeout=WAIT)
        expect(page.locator("[data-move=try_answer]")).to_have_count(0)

    store = server.app.extensions["piiri.store"]
    facts = [f for e in store.events(live.table_id) for f in e.facts]
    kinds = [f.kind for f in facts]
    assert kinds.count("clue_viewed") == len(room.clues_in_deal_order())
    assert kinds.count("clue_shown_on_screen") == 1 and kinds.count("hint_asked") == 1
    assert [f.data["right"] for f in facts if f.kind == "answer_tried"].count(False) == 1
    assert [f.data["puzzle"] for f in facts if f.kind == "puzzle_solved"] == list(TITLES)
    assert kinds.count("room_escaped") == 1

    # The leader ends the session: the screen keeps the debrief, the tablets say thank you.
    server.hub.end(live)
    assert live.table.status is TableStatus.ended
    assert live.table.scene().layout == "closing"
    for page in pages.values():
        expect(page.locator("main")).to_contain_text("Kiitos", timeout=WAIT)
    assert not errors  # the tablet client never threw
    for context in contexts:
        context.close()
    assert time.monotonic() - started < 60
