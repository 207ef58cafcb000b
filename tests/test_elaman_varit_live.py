"""Elämän värit end to end: three real tablets play two rounds; the shared screen mid-game is
kept as a reference picture."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


import pygame
import pytest
from playwright.sync_api import Browser, Page, expect

from engine import StartTable, TableStatus
from engine.screen.render import render

from .browser import wait_for
from .live_server import LiveServer
from .test_browser import join
from .test_screen import check_picture

pytestmark = pytest.mark.browser




def play_turn(live, pages: dict[str, Page], seat: str,  # type: ignore[no-untyped-def]
              after_roll=None) -> None:
    """The seat rolls on its tablet and answers what the space asks, as a person would."""
    page = pages[seat]
    rolls = live.table.state.rolls
    page.locator("[data-kind=die] button, button[data-move=roll]").first.click(timeout=20_000)
    wait_for(lambda: live.table.state.rolls > rolls)
    stage = live.table.state.stage
    if stage == "choose":
        page.locator("[data-kind=choice] button").first.click(timeout=20_000)
        wait_for(lambda: live.table.state.stage != "choose")
        stage = live.table.state.stage
    if after_roll is not None:
        after_roll()
    if stage == "everyone":
        for other in list(live.table.meta.turn.waiting):
            pages[other].locator("[data-move=answered]").first.click(timeout=20_000)
            wait_for(lambda o=other: o not in live.table.meta.turn.waiting
                     or live.table.state.stage != "everyone")
    else:
        number = live.table.meta.turn.number
        page.locator("[data-move=done]").first.click(timeout=20_000)
        wait_for(lambda: live.table.meta.turn.number != number
                 or live.table.status is TableStatus.ended)


def test_three_tablets_play_two_rounds(browser: Browser, server: LiveServer) -> None:
    live = server.hub.create_table(
        "elaman_varit", {"rounds": 2, "decks": ["relationships", "everyday", "future"]}, seed=7)
    url = f"{server.url}/j/{live.code}"
    contexts = [browser.new_context(locale="fi-FI") for _ in range(3)]
    pages = {}
    people = [("Aino", ("sun", "#E69F00")), ("Bashir", ("boat", "#56B4E9")),
              ("Camilla", ("tree", "#009E73"))]
    for context, (name, avatar) in zip(contexts, people, strict=True):
        page = context.new_page()
        pages[join(page, url, name, avatar=avatar)] = page
    server.hub.apply(live, StartTable(at=server.hub.now()))
    turns = 0
    while live.table.status is TableStatus.playing and turns < 20:
        seat = live.table.meta.turn.current
        assert seat is not None
        expect(pages[seat].locator("body")).to_have_attribute("data-state", "seated")
        def look() -> None:
            # Mid-game, a card up: the shared screen as the group sees it.
            pygame.init()
            surface = pygame.Surface((1920, 1080))
            render(live.table.scene(), surface, lang="fi")
            check_picture("elaman_varit_mid_game", surface)
        play_turn(live, pages, seat, after_roll=look if turns == 3 else None)
        turns += 1
    assert live.table.status is TableStatus.ended
    assert live.table.meta.turn.round == 3
    store = server.app.extensions["piiri.store"]
    facts = [f.kind for e in store.events(live.table_id) for f in e.facts]
    assert facts.count("die_rolled") == turns
    for page in pages.values():
        expect(page.locator("main")).to_contain_text("Kiitos", timeout=20_000)
    for context in contexts:
        context.close()
