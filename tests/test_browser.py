"""Real tablets: pages in headless Chromium against a real server, joined from the real QR."""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from engine import StartTable, TableStatus

from .browser import SLOW_3G, throttle
from .live_server import LiveServer

pytestmark = pytest.mark.browser


def decode_qr(server: LiveServer, code: str, tmp_path: Path) -> str:
    png = tmp_path / "qr.png"
    png.write_bytes(urllib.request.urlopen(f"{server.url}/qr/{code}.png", timeout=5).read())
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True,
                         timeout=30, check=True)
    return out.stdout.strip()


def join(page: Page, url: str, nickname: str, timeout: float = 20_000,
         avatar: tuple[str, str] | None = None) -> str:
    """Join as a person would: type a nickname, maybe pick a picture, tap Join."""
    page.goto(url, timeout=timeout)
    expect(page.locator("body")).to_have_attribute("data-state", "join", timeout=timeout)
    page.fill("#nick", nickname)
    if avatar is not None:
        icon, colour = avatar
        page.click(f"[data-colour='{colour}']", timeout=timeout)
        page.click(f"[data-icon='{icon}']", timeout=timeout)
    page.click("[data-role=join]", timeout=timeout)
    expect(page.locator("body")).to_have_attribute("data-state", "seated", timeout=timeout)
    seat = page.locator("body").get_attribute("data-seat")
    assert seat
    return seat


def wait_turn(server: LiveServer, live: Any, previous: str | None, timeout: float = 20) -> Any:
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if live.table.meta.turn.current != previous or live.table.status is TableStatus.ended:
            return live.table.meta.turn.current
        time.sleep(0.05)
    raise AssertionError("the turn did not move on")


def test_four_tablets_join_from_the_qr_and_play_a_round(browser: Browser, server: LiveServer,
                                                        tmp_path: Path) -> None:
    live = server.hub.create_table("circle", {"rounds": 1}, seed=2)
    url = decode_qr(server, live.code, tmp_path)
    assert url == f"{server.url}/j/{live.code}"

    contexts = [browser.new_context() for _ in range(4)]
    pages = [context.new_page() for context in contexts]
    throttle(pages[3], SLOW_3G)
    names = ["Aino", "Bashir", "Camilla", "Dmitri"]
    seats = {}
    for page, name in zip(pages, names, strict=True):
        seats[join(page, url, name, timeout=60_000)] = page
    assert len(live.table.meta.seats) == 4

    server.hub.apply(live, StartTable(at=server.hub.now()))
    current = live.table.meta.turn.current
    turns = 0
    while live.table.status is not TableStatus.ended:
        page = seats[current]
        if turns == 1:
            # This tablet drops off the Wi-Fi in the middle of its turn, and comes back.
            # Chromium's offline mode does not cut an open WebSocket, so the server side of
            # the socket is dropped too, as a vanished Wi-Fi would.
            page.context.set_offline(True)
            live.seats[current].close()
            expect(page.locator("body")).not_to_have_attribute("data-conn", "open",
                                                               timeout=15_000)
            page.wait_for_timeout(1500)  # reconnect attempts fail while offline
            assert page.locator("body").get_attribute("data-conn") != "open"
            page.context.set_offline(False)
            expect(page.locator("body")).to_have_attribute("data-conn", "open",
                                                           timeout=20_000)
            assert page.locator("body").get_attribute("data-seat") == current
        button = (page.locator("[data-kind=pass]") if turns == 2
                  else page.locator("[data-move=done]"))
        button.first.click(timeout=30_000)
        current = wait_turn(server, live, current)
        turns += 1
    assert turns == 4
    assert len(live.table.meta.seats) == 4  # nobody got a second seat
    store = server.app.extensions["piiri.store"]
    facts = [f.kind for e in store.events(live.table_id) for f in e.facts]
    assert facts.count("turn_taken") == 3 and facts.count("turn_passed") == 1
    for page in pages:
        expect(page.locator("main")).to_contain_text("Thank you", timeout=30_000)
    for context in contexts:
        context.close()


def test_tablets_carry_on_after_the_server_restarts(browser: Browser, server: LiveServer) -> None:
    live = server.hub.create_table("circle", {"rounds": 2}, seed=4)
    url = f"{server.url}/j/{live.code}"
    contexts = [browser.new_context() for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    seats = {join(page, url, name): page for page, name in zip(pages, ["Eeva", "Fatima"],
                                                                 strict=True)}
    server.hub.apply(live, StartTable(at=server.hub.now()))
    first = live.table.meta.turn.current
    seats[first].locator("[data-move=done]").click()
    second = wait_turn(server, live, first)

    server.restart()  # the laptop's server process goes down and comes back
    resumed = server.hub.find(live.code)
    assert resumed is not None and resumed.table.meta.turn.current == second
    for seat, page in seats.items():
        expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=20_000)
        assert page.locator("body").get_attribute("data-seat") == seat
    seats[second].locator("[data-move=done]").click(timeout=20_000)
    assert wait_turn(server, resumed, second) == first
    assert len(resumed.table.meta.seats) == 2
    for context in contexts:
        context.close()


def test_a_second_tab_does_not_make_a_second_seat(browser: Browser, server: LiveServer) -> None:
    live = server.hub.create_table("circle", {"rounds": 1}, seed=4)
    url = f"{server.url}/j/{live.code}"
    context = browser.new_context()
    first = context.new_page()
    seat = join(first, url, "Göran")
    second = context.new_page()
    second.goto(url)
    expect(second.locator("body")).to_have_attribute("data-state", "seated", timeout=20_000)
    assert second.locator("body").get_attribute("data-seat") == seat
    expect(first.locator("body")).to_have_attribute("data-state", "gone", timeout=20_000)
    assert len(live.table.meta.seats) == 1
    context.close()


def test_join_page_is_small_and_not_cached(server: LiveServer) -> None:
    import gzip

    live = server.hub.create_table("circle", {"rounds": 1})
    total = 0
    page = urllib.request.urlopen(f"{server.url}/j/{live.code}", timeout=5)
    assert page.headers["Cache-Control"] == "no-store"
    total += len(gzip.compress(page.read()))
    for asset in ("common.js", "tablet.js", "tablet.css"):
        total += len(gzip.compress(urllib.request.urlopen(f"{server.url}/static/{asset}",
                                                          timeout=5).read()))
    assert total <= 60 * 1024


def test_unknown_room_gets_a_plain_page_in_three_languages(server: LiveServer) -> None:
    try:
        urllib.request.urlopen(f"{server.url}/j/ZZZZZ", timeout=5)
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        assert error.code == 404
        assert "Tällä koodilla ei löydy peliä" in body and "No game has this code" in body
    else:
        raise AssertionError("an unknown room must not open a game page")


def test_the_tablet_follows_the_readers_own_text_size(browser: Browser,
                                                      server: LiveServer) -> None:
    """A reader who has set larger text in their browser gets larger text here too."""
    live = server.hub.create_table("circle", {"rounds": 1}, seed=6)
    sizes = {}
    for standard in (16, 24):
        page = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
        session = page.context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": standard}})
        page.goto(f"{server.url}/j/{live.code}")
        expect(page.locator("body")).to_have_attribute("data-state", "join", timeout=20_000)
        sizes[standard] = page.evaluate(
            "parseFloat(getComputedStyle(document.documentElement).fontSize)")
        page.context.close()
    assert sizes[16] == 20
    assert sizes[24] == 30
