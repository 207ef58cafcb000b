"""The tablet client's slider, its reaction tally, its footer and its language buttons, in
Debian's headless Chromium.

The slider and the tally are drawn from frames made with the engine's own protocol models (the
WebSocket stand-in of :mod:`tests.test_tablet_bars`); the footer is checked against a real
server, since it is what the server tells a reloaded page that matters there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from engine import StartTable
from engine.controls import ReactionTallyControl, SliderControl, reaction_counts

from .live_server import LiveServer
from .test_browser import join
from .test_tablet_bars import FAKES, frames, lt

pytestmark = pytest.mark.browser

SLIDER = SliderControl(move="rate", label=lt(fi="Miten jaksat?", en="How are you?"),
                       low_label=lt(fi="huonosti", en="badly"),
                       high_label=lt(fi="hyvin", en="well"))


@pytest.fixture(scope="module")
def server(module_server: LiveServer) -> LiveServer:
    return module_server


@pytest.fixture(scope="module")
def room(server: LiveServer) -> str:
    return server.hub.create_table("circle", {"rounds": 1}, seed=1).code


def fake_tablet(browser: Browser, server: LiveServer, room: str, *items: Any,
                lang: str = "fi", touch: bool = False) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=touch,
                                  is_mobile=touch)
    context.add_init_script(FAKES % {"frames": json.dumps(frames(room, *items)),
                                     "lang": json.dumps(lang)})
    page = context.new_page()
    page.goto(f"{server.url}/j/{room}")
    expect(page.locator("body")).to_have_attribute("data-state", "seated")
    return page


def tap_at(page: Page, value: int, low: int = 0, high: int = 10) -> None:
    """Tap the range exactly where ``value`` lies on it (the thumb's centre at that value)."""
    box = page.locator("[data-kind=slider] input[type=range]").bounding_box()
    assert box is not None
    thumb = 44  # the thumb's width in tablet.css: its centre travels width - thumb
    x = box["x"] + thumb / 2 + (box["width"] - thumb) * (value - low) / (high - low)
    page.touchscreen.tap(x, box["y"] + box["height"] / 2)


def thumb_pixels(page: Page) -> int:
    """How many pixels of the range are the thumb's colour (tablet.css --primary)."""
    from io import BytesIO

    from PIL import Image

    shot = page.locator("[data-kind=slider] input[type=range]").screenshot(animations="disabled")
    image = Image.open(BytesIO(shot)).convert("RGB")
    raw = image.tobytes()
    return sum(1 for i in range(0, len(raw), 3)
               if abs(raw[i] - 0x1B) + abs(raw[i + 1] - 0x4E) + abs(raw[i + 2] - 0x86) < 30)


def sent_moves(page: Page) -> list[dict[str, Any]]:
    return [m for m in page.evaluate("window.__socket.sent") if m["t"] == "move"]


def test_one_tap_in_the_exact_middle_of_the_slider_chooses_it(browser: Browser,
                                                               server: LiveServer,
                                                               room: str) -> None:
    page = fake_tablet(browser, server, room, SLIDER, touch=True)
    slider = page.locator("[data-kind=slider]")
    send = slider.locator("[data-role=send]")
    expect(slider.locator(".big-value")).to_have_text("?")
    expect(send).to_have_attribute("aria-disabled", "true")
    # Before anything is chosen, the thumb is not drawn: no point looks like a default answer.
    assert thumb_pixels(page) == 0

    tap_at(page, 5)
    expect(slider.locator(".big-value")).to_have_text("5")
    expect(send).not_to_have_attribute("aria-disabled", "true")
    assert thumb_pixels(page) > 300  # now the thumb shows where the answer is
    send.click()
    page.wait_for_function("window.__socket.sent.some(m => m.t === 'move')")
    assert sent_moves(page)[-1]["name"] == "rate"
    assert sent_moves(page)[-1]["payload"] == {"value": 5}
    page.context.close()


@pytest.mark.parametrize("value", [0, 1, 4, 6, 9, 10])
def test_every_point_of_the_scale_is_one_tap_away(browser: Browser, server: LiveServer,
                                                  room: str, value: int) -> None:
    page = fake_tablet(browser, server, room, SLIDER, touch=True)
    tap_at(page, value)
    expect(page.locator("[data-kind=slider] .big-value")).to_have_text(str(value))
    expect(page.locator("[data-kind=slider] [data-role=send]")).not_to_have_attribute(
        "aria-disabled", "true")
    page.context.close()


def test_a_mouse_click_and_the_keyboard_choose_the_middle_too(browser: Browser,
                                                              server: LiveServer,
                                                              room: str) -> None:
    page = fake_tablet(browser, server, room, SLIDER)
    page.locator("[data-kind=slider] input[type=range]").click()  # its centre: the middle
    expect(page.locator("[data-kind=slider] .big-value")).to_have_text("5")
    page.context.close()
    page = fake_tablet(browser, server, room, SLIDER)
    page.locator("[data-kind=slider] input[type=range]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-kind=slider] .big-value")).to_have_text("5")
    page.context.close()


def test_the_speaker_sees_counts_and_icons_of_reactions(browser: Browser, server: LiveServer,
                                                         room: str) -> None:
    tally = ReactionTallyControl(counts=reaction_counts({"heart": 3, "clap": 1}))
    page = fake_tablet(browser, server, room, tally)
    box = page.locator("[data-kind=reaction_tally]")
    expect(box.locator("h2")).to_have_text("Kannustukset sinulle")
    rows = box.locator("li")
    expect(rows).to_have_count(2)
    assert [r.get_attribute("data-value") for r in rows.all()] == ["heart", "clap"]
    assert [" ".join(t.split()) for t in rows.all_inner_texts()] == ["3 Sydän", "1 Aplodit"]
    assert rows.first.locator("svg").count() == 1
    page.context.close()


def test_language_buttons_are_named_by_what_they_show(browser: Browser, server: LiveServer,
                                                      room: str) -> None:
    page = fake_tablet(browser, server, room, SLIDER)
    names = page.locator("#langs button").evaluate_all(
        "bs => bs.map(b => [b.firstChild.textContent.trim(), b.textContent.trim()])")
    for shown, name in names:
        assert name.startswith(shown), (shown, name)  # the visible words begin the name
    assert [s for s, _ in names] == ["FI", "SV", "EN", "Selko"]
    snapshot = page.locator("#langs").aria_snapshot()
    assert 'button "FI suomi"' in snapshot and 'button "Selko selkosuomi"' in snapshot
    page.context.close()


def test_a_reloaded_tablet_still_says_who_sits_there(browser: Browser,
                                                     server: LiveServer) -> None:
    live = server.hub.create_table("circle", {"rounds": 1}, seed=3)
    context = browser.new_context()
    page = context.new_page()
    join(page, f"{server.url}/j/{live.code}", "Aino", avatar=("boat", "#0072B2"))
    server.hub.apply(live, StartTable(at=server.hub.now()))
    me = page.locator("#foot .me")
    expect(me).to_contain_text("Aino")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-state", "seated")
    expect(me).to_have_text("You: Aino")  # the browser reads English
    expect(me.locator(".avatar")).to_have_css("background-color", "rgb(0, 114, 178)")
    context.close()
