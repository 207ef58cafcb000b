"""The leader's panel (first cut): tables opened with the game's own options, and the game's
leader actions, driven in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from engine import StartTable

from .accounts import login, login_page, make_user
from .browser import chromium
from .live_server import LiveServer, running

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        yield found


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with running(tmp_path / "piiri.sqlite3") as live:
        yield live


def test_panel_needs_a_signed_in_leader(server: LiveServer) -> None:
    client = server.app.test_client()
    assert "/login" in client.get("/panel/").headers["Location"]
    make_user(server.app)
    login(client)
    assert client.get("/panel/").status_code == 200


def test_leader_chooses_decks_and_runs_elaman_varit(browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    page = browser.new_page()
    login_page(page, server.url)
    page.click("text=Elämän värit")
    # Only two themes, sensitive cards out, two rounds.
    for deck in ("relationships", "parenthood", "family"):
        page.uncheck(f"input[name=decks][value={deck}]")
    page.check("input[name=decks][value=everyday]")
    page.check("input[name=decks][value=future]")
    page.fill("input[name=rounds]", "2")
    page.click("#options button[type=submit]")
    code = page.locator("#room-code").inner_text()
    live = server.hub.find(code)
    assert live is not None
    assert live.table.options.decks == ["everyday", "future"]
    assert live.table.options.include_sensitive is False

    from .test_protocol import Client
    tablets = [Client(server) for _ in range(2)]
    for tablet, name in zip(tablets, ["Aino", "Bashir"], strict=True):
        tablet.join(code, name)
    server.hub.apply(live, StartTable(at=server.hub.now()))
    page.reload()
    # The group's own card, from the panel.
    form = page.locator("form[data-move=add_card]")
    form.locator("input[name=text]").fill("Mikä on tämän ryhmän paras muisto?")
    form.locator("select[name=deck]").select_option("future")
    form.locator("button[type=submit]").click()
    expect(page.locator("form[data-move=add_card]")).to_be_visible()
    own = list(live.table.state.own.values())
    assert [(c.deck, c.text) for c in own] == [("future", "Mikä on tämän ryhmän paras muisto?")]
    # Sensitive cards can be let in mid-game.
    sensitive = page.locator("form[data-move=set_sensitive]")
    sensitive.locator("input[name=value]").check()
    sensitive.locator("button[type=submit]").click()
    assert live.table.state.include_sensitive is True
    # Skipping a card when none is up is refused with words, not an error page.
    page.locator("form[data-move=skip_card] button[type=submit]").click()
    expect(page.locator(".notice")).to_contain_text("ei onnistu")


def test_bad_options_are_shown_next_to_the_field(browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    page = browser.new_page()
    login_page(page, server.url)
    page.goto(f"{server.url}/panel/new/elaman_varit")
    page.evaluate("document.querySelector('input[name=rounds]').removeAttribute('max')")
    page.fill("input[name=rounds]", "99")
    page.click("#options button[type=submit]")
    expect(page.locator(".field.invalid .error")).to_be_visible()
    assert server.hub.tables() == []
