"""The ``bars`` control (a participant's own check-in summary) drawn by the real tablet client in
Debian's headless Chromium.

The page and its script come from a live server (``/j/<code>`` of a real table). The WebSocket is
replaced before the page loads by a small stand-in that answers ``hello`` with a ``welcome`` for
seat s1 and then one ``controls`` frame; both frames are built with the engine's own protocol
models, so they have exactly the shape the server sends. ``speechSynthesis`` is replaced too, by
one Finnish/Swedish/English voice that writes down what it is asked to say.

Screenshots go to /tmp/bars*.png for a person to look at.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from engine.controls import BarPair, BarsControl, SeatControls, TextControl
from engine.protocol import ControlsMessage, Welcome
from engine.text import LocalizedText

from .live_server import LiveServer

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
TABLET: ViewportSize = {"width": 1024, "height": 768}


def lt(**texts: str) -> LocalizedText:
    return LocalizedText({k.replace("_", "-"): v for k, v in texts.items()})


SUMMARY = BarsControl(
    title=lt(fi="Oma tilanne nyt", sv="Hur jag har det nu", en="How I'm doing now",
             fi_x_selko="Miten minulla menee nyt"),
    now_label=lt(fi="Nyt", sv="Nu", en="Now"),
    before_label=lt(fi="Viime kerta", sv="Förra gången", en="Last time"),
    bars=[
        BarPair(label=lt(fi="Hyvinvointi", sv="Välmående", en="Wellbeing"), icon="heart",
                now=6.5, before=4),
        BarPair(label=lt(fi="Ihmiset ympärilläsi", sv="Människor omkring dig",
                         en="People around you"), icon="people", now=8, before=8),
        BarPair(label=lt(fi="Mieli", sv="Sinnet", en="Mind"), icon="sun", now=7, before=5),
        BarPair(label=lt(fi="Arki ja keho", sv="Vardag och kropp", en="Everyday life and body"),
                icon="house", now=3, before=None),
        BarPair(label=lt(fi="Taidot ja vahvuudet", sv="Färdigheter och styrkor",
                         en="Skills and strengths"), icon="star", now=10, before=0),
        BarPair(label=lt(fi="Eteenpäin", sv="Framåt", en="Looking ahead"), icon="key",
                now=None, before=4),
    ],
)

FIRST_CHECKIN = BarsControl(
    now_label=lt(fi="Nyt", en="Now"),
    bars=[BarPair(label=lt(fi="Mieli", en="Mind"), icon="sun", now=7),
          BarPair(label=lt(fi="Eteenpäin", en="Looking ahead"), icon="key", now=2)],
)

FAKES = """
(() => {
  const frames = %(frames)s;
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      window.__socket = this;
      setTimeout(() => { this.readyState = 1; if (this.onopen) this.onopen({}); }, 10);
    }
    send(data) {
      const msg = JSON.parse(data);
      this.sent.push(msg);
      if (msg.t === 'hello') {
        frames.forEach((frame, i) => setTimeout(() => {
          if (this.onmessage) this.onmessage({ data: JSON.stringify(frame) });
        }, 10 * (i + 1)));
      }
    }
    close() { this.readyState = 3; }
  }
  FakeSocket.OPEN = 1;
  window.WebSocket = FakeSocket;

  window.__spoken = [];
  const voices = [{ lang: 'fi-FI', name: 'fi' }, { lang: 'sv-FI', name: 'sv' },
                  { lang: 'en-GB', name: 'en' }];
  const synth = {
    getVoices: () => voices,
    cancel: () => {},
    speak: (u) => window.__spoken.push({ text: u.text, lang: u.lang }),
    addEventListener: () => {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  if (%(lang)s) localStorage.setItem('piiri.lang', %(lang)s);
})();
"""


@pytest.fixture(scope="module")
def server(module_server: LiveServer) -> LiveServer:
    """These tests only read what one table shows: they share a server."""
    return module_server


@pytest.fixture(scope="module")
def room(server: LiveServer) -> str:
    return server.hub.create_table("circle", {"rounds": 1}, seed=1).code


def frames(room: str, *items: Any) -> list[dict[str, Any]]:
    welcome = Welcome(room=room, seat="s1", title=lt(fi="Piiri", en="Piiri"), status="lobby")
    controls = ControlsMessage(seq=1, controls=SeatControls(seat="s1", items=list(items)))
    return [welcome.model_dump(mode="json"), controls.model_dump(mode="json")]


def open_tablet(browser: Browser, server: LiveServer, room: str, lang: str,
                viewport: ViewportSize = PHONE, items: tuple[Any, ...] = (SUMMARY,),
                reduced_motion: Literal["reduce", "no-preference"] = "no-preference",
                scale: float = 1) -> Page:
    context = browser.new_context(viewport=viewport, device_scale_factor=scale,
                                  reduced_motion=reduced_motion)
    context.add_init_script(FAKES % {"frames": json.dumps(frames(room, *items)),
                                     "lang": json.dumps(lang)})
    page = context.new_page()
    page.goto(f"{server.url}/j/{room}")
    expect(page.locator("body")).to_have_attribute("data-state", "seated")
    expect(page.locator("[data-kind=bars]")).to_be_visible()
    return page


def spoken_rows(page: Page) -> list[str]:
    return [s.strip() for s in page.locator("[data-kind=bars] li .sr-only").all_inner_texts()]


def shown(page: Page | Locator, selector: str) -> list[str]:
    return [" ".join(s.split()) for s in page.locator(selector).all_inner_texts()]


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    found: list[dict[str, float]] = page.eval_on_selector_all(selector, """els => els.map(e => {
        const r = e.getBoundingClientRect();
        return {left: r.left, right: r.right, width: r.width, top: r.top, bottom: r.bottom};
    })""")
    return found


def finished(page: Page) -> None:
    """Wait until every animation has finished (polled with evaluate: the page's
    Content-Security-Policy forbids the string evaluation wait_for_function uses)."""
    for _ in range(200):
        if page.evaluate("() => document.getAnimations().every(a => a.playState === 'finished')"):
            return
        page.wait_for_timeout(50)
    raise AssertionError("the bars' animations did not finish")


def test_one_row_per_domain_with_words_numbers_and_spoken_sentences(
        browser: Browser, server: LiveServer, room: str) -> None:
    page = open_tablet(browser, server, room, "en", viewport=TABLET)
    bars = page.locator("[data-kind=bars]")
    rows = bars.locator("ul > li")
    expect(rows).to_have_count(6)
    assert spoken_rows(page) == [
        "Wellbeing: Now 6.5 out of 10, Last time 4 out of 10",
        "People around you: Now 8 out of 10, Last time 8 out of 10",
        "Mind: Now 7 out of 10, Last time 5 out of 10",
        "Everyday life and body: Now 3 out of 10",
        "Skills and strengths: Now 10 out of 10, Last time 0 out of 10",
        "Looking ahead: Now skipped, Last time 4 out of 10",
    ]
    # The accessibility tree: a list named by the title, one sentence per item; the drawing
    # itself is hidden from screen readers.
    snapshot = bars.get_by_role("list").aria_snapshot()
    assert 'list "How I\'m doing now"' in snapshot
    assert '- listitem: "Mind: Now 7 out of 10, Last time 5 out of 10"' in snapshot
    assert "10 / 10" not in snapshot and "Wellbeing\n" not in snapshot

    # On screen: the numbers written out, each bar labelled in words, a legend.
    assert shown(page, "[data-kind=bars] .bar-num") == [
        "6.5 / 10", "4 / 10", "8 / 10", "8 / 10", "7 / 10", "5 / 10", "3 / 10",
        "10 / 10", "0 / 10", "4 / 10"]
    assert shown(page, "[data-kind=bars] .bar-legend") == ["Now Last time"]
    mind = rows.nth(2)
    assert shown(mind, ".bar-lab") == ["Now", "Last time"]
    assert mind.locator(".bar-fill.now").count() == 1
    assert mind.locator(".bar-fill.before").count() == 1
    assert mind.locator(".ico svg").count() == 1  # the domain's icon

    # No bar for last time where there was no last time; "skipped" in words where skipped.
    everyday = rows.nth(3)
    assert everyday.locator(".bar-fill.before, .l-before").count() == 0
    assert shown(everyday, ".bar-lab") == ["Now"]
    ahead = rows.nth(5)
    assert shown(ahead, ".bar-skip") == ["skipped"]
    assert ahead.locator(".bar-fill.now").count() == 0
    assert ahead.locator(".bar-fill.before").count() == 1
    # Zero is an empty bar with its number, not a sliver.
    assert rows.nth(4).locator(".l-before.bar-track .bar-fill").count() == 0

    page.context.close()


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_bars_line_up_and_follow_the_scores(browser: Browser, server: LiveServer, room: str,
                                            viewport: ViewportSize) -> None:
    # The tablet puts words, bar and number side by side; the phone puts the bar under its
    # words. Either way every bar of every row starts and ends at the same place (also the row
    # with no "last time" and the row with a skipped "now"), and is long enough to compare.
    page = open_tablet(browser, server, room, "en", viewport=viewport)
    finished(page)
    tracks = boxes(page, "[data-kind=bars] .bar-track")
    assert len(tracks) == 10
    assert len({round(b["left"]) for b in tracks}) == 1
    assert len({round(b["width"]) for b in tracks}) == 1
    assert tracks[0]["width"] >= 250
    for selector, score in (("li:nth-child(3) .bar-fill.now", 7),
                            ("li:nth-child(3) .bar-fill.before", 5),
                            ("li:nth-child(1) .bar-fill.now", 6.5),
                            ("li:nth-child(5) .bar-fill.now", 10)):
        fill = boxes(page, f"[data-kind=bars] {selector}")[0]
        inner = tracks[0]["width"] - 2  # the track's 1 px border each side
        assert abs(fill["width"] - inner * score / 10) < 1.5, selector
        assert abs(fill["left"] - (tracks[0]["left"] + 1)) < 1.5, selector
    page.context.close()


def test_finnish_on_a_phone_and_a_tablet_with_read_aloud(
        browser: Browser, server: LiveServer, room: str) -> None:
    for viewport, png in ((PHONE, "/tmp/bars.png"), (TABLET, "/tmp/bars-tablet.png")):
        page = open_tablet(browser, server, room, "fi", viewport=viewport, scale=2)
        assert page.locator("html").get_attribute("lang") == "fi"
        assert spoken_rows(page)[0] == "Hyvinvointi: Nyt 6,5 kymmenestä, Viime kerta 4 kymmenestä"
        assert spoken_rows(page)[5] == "Eteenpäin: Nyt ohitettu, Viime kerta 4 kymmenestä"
        assert shown(page, "[data-kind=bars] .bar-skip") == ["ohitettu"]
        assert shown(page, "[data-kind=bars] .bar-num")[0] == "6,5 / 10"
        bars = page.locator("[data-kind=bars]")
        # Nothing sticks out sideways; tracks stay long enough to compare by eye.
        assert bars.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert min(b["width"] for b in boxes(page, "[data-kind=bars] .bar-track")) >= 250
        # One read-aloud button for the whole summary, in the reader's language.
        speak = bars.locator("[data-role=speak]")
        expect(speak).to_be_visible()
        expect(speak).to_have_text("Lue ääneen")
        box = speak.bounding_box()
        assert box is not None and box["height"] >= 48
        speak.click()
        said = page.evaluate("window.__spoken")
        assert said[-1]["lang"] == "fi-FI"
        assert said[-1]["text"].startswith("Oma tilanne nyt. Hyvinvointi: Nyt 6,5 kymmenestä")
        assert "Mieli: Nyt 7 kymmenestä, Viime kerta 5 kymmenestä." in said[-1]["text"]
        assert said[-1]["text"].endswith("Eteenpäin: Nyt ohitettu, Viime kerta 4 kymmenestä.")
        page.screenshot(path=png, full_page=True, animations="disabled")
        page.context.close()


def test_swedish_and_easy_finnish_words(browser: Browser, server: LiveServer, room: str) -> None:
    page = open_tablet(browser, server, room, "sv")
    assert spoken_rows(page)[5] == "Framåt: Nu överhoppad, Förra gången 4 av 10"
    assert shown(page, "[data-kind=bars] .bar-num")[0] == "6,5 / 10"
    # Easy Finnish: the client's own word differs, the summary's own texts fall back to Finnish.
    page.locator(".langs [lang=fi]").filter(has_text="Selko").click()
    assert spoken_rows(page)[5] == "Eteenpäin: Nyt et vastannut, Viime kerta 4 kymmenestä"
    assert shown(page, "[data-kind=bars] .bar-skip") == ["et vastannut"]
    page.context.close()


def test_first_check_in_has_no_last_time(browser: Browser, server: LiveServer, room: str) -> None:
    page = open_tablet(browser, server, room, "fi", items=(
        TextControl(text=lt(fi="Kiitos vastauksistasi!")), FIRST_CHECKIN))
    bars = page.locator("[data-kind=bars]")
    assert spoken_rows(page) == ["Mieli: Nyt 7 kymmenestä", "Eteenpäin: Nyt 2 kymmenestä"]
    assert shown(page, "[data-kind=bars] .bar-legend") == ["Nyt"]
    assert bars.locator(".bar-fill.before, .l-before").count() == 0
    assert bars.locator("h2").count() == 0
    assert bars.locator("ul").get_attribute("aria-labelledby") is None
    page.context.close()


def test_right_to_left_bars_grow_from_the_right(browser: Browser, server: LiveServer,
                                                 room: str) -> None:
    # Arabic has no texts here: the words fall back to English, the page still runs right to left.
    mind = "[data-kind=bars] li:nth-child(3)"
    for viewport, png in ((TABLET, "/tmp/bars-rtl-tablet.png"), (PHONE, "/tmp/bars-rtl.png")):
        page = open_tablet(browser, server, room, "ar", viewport=viewport, scale=2)
        assert page.locator("html").get_attribute("dir") == "rtl"
        finished(page)
        track = boxes(page, f"{mind} .l-now.bar-track")[0]
        now = boxes(page, f"{mind} .bar-fill.now")[0]
        before = boxes(page, f"{mind} .bar-fill.before")[0]
        label = boxes(page, f"{mind} .l-now.bar-lab")[0]
        number = boxes(page, f"{mind} .l-now.bar-num")[0]
        assert abs(now["right"] - (track["right"] - 1)) < 1.5
        assert abs(before["right"] - (track["right"] - 1)) < 1.5
        assert now["width"] > before["width"]
        if viewport is TABLET:  # words on the right, the number on the left of the bar
            assert label["left"] >= track["right"] and number["right"] <= track["left"]
        else:  # words above the bar, at its right end; the number at its left end
            assert label["bottom"] <= track["top"] and number["bottom"] <= track["top"]
            assert abs(label["right"] - track["right"]) < 2
            assert abs(number["left"] - track["left"]) < 2
        # The number reads left to right inside the right-to-left page.
        assert shown(page, f"{mind} .l-now.bar-num") == ["7 / 10"]
        page.screenshot(path=png, full_page=True, animations="disabled")
        page.context.close()


def test_large_text_stacks_the_words_above_each_bar(browser: Browser, server: LiveServer,
                                                    room: str) -> None:
    # A 390 px phone zoomed to 200 %: 195 CSS pixels across.
    page = open_tablet(browser, server, room, "fi", viewport={"width": 195, "height": 422},
                       scale=4)
    bars = page.locator("[data-kind=bars]")
    assert bars.evaluate("e => e.scrollWidth <= e.clientWidth")
    mind = "[data-kind=bars] li:nth-child(3)"
    label = boxes(page, f"{mind} .l-now.bar-lab")[0]
    track = boxes(page, f"{mind} .l-now.bar-track")[0]
    assert track["top"] >= label["bottom"] - 1  # the bar is under its words, across the row
    assert track["width"] >= 140
    page.screenshot(path="/tmp/bars-zoom.png", full_page=True, animations="disabled")
    page.context.close()


def test_reduced_motion_draws_the_bars_still(browser: Browser, server: LiveServer,
                                              room: str) -> None:
    page = open_tablet(browser, server, room, "en", reduced_motion="reduce")
    assert page.evaluate("document.getAnimations().length") == 0
    page.context.close()
    moving = open_tablet(browser, server, room, "en")
    assert moving.evaluate("""document.querySelector('[data-kind=bars] .bar-track .bar-fill')
                              .getAnimations().length""") == 1
    moving.context.close()


def test_people_and_the_check_in_icons_are_drawn(browser: Browser, server: LiveServer,
                                                 room: str) -> None:
    names = ["people", "heart", "sun", "house", "star", "bicycle", "mountain", "key"]
    control = BarsControl(now_label=lt(en="Now"),
                          bars=[BarPair(label=lt(en=n), icon=n, now=5) for n in names])
    page = open_tablet(browser, server, room, "en", items=(control,))
    drawn = page.eval_on_selector_all("[data-kind=bars] .bar-head svg", """els => els.map(
        s => { const b = s.getBBox(); return [s.children.length, b.width, b.height]; })""")
    assert len(drawn) == len(names)
    for name, (parts, width, height) in zip(names, drawn, strict=True):
        assert parts >= 1 and 10 <= width <= 24 and 10 <= height <= 24, name
    page.context.close()


def test_script_stays_small() -> None:
    import gzip

    static = Path(__file__).parent.parent / "facilitator" / "static"
    scripts = [static / "common.js", static / "tablet.js"]  # what a tablet loads
    assert sum(len(gzip.compress(s.read_bytes())) for s in scripts) < 26 * 1024
