"""The browser screen: /screen/<CODE> in headless Chromium against a real server.

Tablets join over the real WebSocket protocol; the page must follow every change of the table
the way the pygame screen does. Screenshots of the lobby, a card, the pause and the lost
connection go to ``$PIIRI_SCREEN_SHOTS`` (default: the test's temporary folder) to be looked at.
"""

from __future__ import annotations

import gzip
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from websockets.sync.client import ClientConnection, connect

from engine import PauseTable, ResumeTable, StartTable
from engine.scene import (
    CardElement,
    DieElement,
    JoinCardElement,
    RosterElement,
    Scene,
    TextBlockElement,
    TimerElement,
)
from engine.screen.samples import SAMPLES, sample
from engine.text import LocalizedText

from .live_server import LiveServer

pytestmark = pytest.mark.browser

HD = {"width": 1920, "height": 1080}
WAIT = 15_000


@pytest.fixture()
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PIIRI_SCREEN_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Tablet:
    """A participant's tablet speaking the protocol (as in test_protocol.py)."""

    def __init__(self, server: LiveServer) -> None:
        self.ws: ClientConnection = connect(server.ws_url, open_timeout=5).__enter__()

    def send(self, **msg: Any) -> None:
        self.ws.send(json.dumps(msg))

    def until(self, kind: str, timeout: float = 5.0) -> dict[str, Any]:
        while True:
            msg = json.loads(self.ws.recv(timeout=timeout))
            if msg["t"] == kind:
                return msg

    def join(self, room: str, nickname: str, icon: str, colour: str) -> str:
        self.send(t="hello", v=1, role="seat", room=room, token=None)
        self.until("welcome")
        self.send(t="join", nickname=nickname, avatar={"icon": icon, "colour": colour})
        seat: str = self.until("seated")["seat"]
        return seat

    def close(self) -> None:
        self.ws.close()


def table(server: LiveServer) -> Any:
    return server.hub.create_table("circle", {"rounds": 1}, seed=3)


#: Script errors of each screen page opened by a test, by page.
ERRORS: dict[int, list[str]] = {}


def open_screen(browser: Browser, server: LiveServer, code: str, query: str = "",
                viewport: dict[str, int] = HD, **context: Any) -> Page:
    page = browser.new_context(viewport=viewport, **context).new_page()
    errors = ERRORS.setdefault(id(page), [])
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{server.url}/screen/{code}{query}")
    expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)
    return page


def errors(page: Page) -> list[str]:
    return ERRORS.get(id(page), [])


def card_text(live: Any, lang: str = "fi") -> str:
    card = next(e for e in live.table.scene().elements if isinstance(e, CardElement))
    text: str = card.body.pick(lang)
    return text


def test_lobby_shows_the_code_and_the_qr_and_seats_appear_live(
        browser: Browser, server: LiveServer, shots: Path) -> None:
    live = table(server)
    page = open_screen(browser, server, live.code)
    body = page.locator("body")
    expect(body).to_have_attribute("data-layout", "lobby")
    join = page.locator("[data-kind=join]")
    expect(join.locator(".code")).to_have_text(live.code)
    expect(join).to_contain_text(f"127.0.0.1:{server.port}/j/{live.code}")
    qr = join.locator("img.qr")
    expect(qr).to_have_attribute("src", f"/qr/{live.code}.png")
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 100")
    expect(page.locator("[data-kind=text]")).to_contain_text("Kukaan ei ole vielä liittynyt")
    assert page.locator("[data-seat]").count() == 0

    tablets = [Tablet(server), Tablet(server)]
    tablets[0].join(live.code, "Aino", "sun", "#E69F00")
    expect(page.locator("[data-kind=roster] [data-seat]")).to_have_count(1, timeout=WAIT)
    tablets[1].join(live.code, "Bashir", "moon", "#56B4E9")
    seats = page.locator("[data-kind=roster] [data-seat]")
    expect(seats).to_have_count(2, timeout=WAIT)
    expect(seats.nth(0)).to_contain_text("Aino")
    expect(seats.nth(1)).to_contain_text("Bashir")
    expect(page.locator("[data-kind=roster]")).to_contain_text("Mukana: 2")
    # Each seat is its avatar: the colour AND the picture.
    assert seats.nth(0).locator("svg circle[fill='#e69f00']").count() == 1
    assert seats.nth(1).locator("svg .pic path").count() >= 1
    expect(page.locator("[data-kind=text]")).to_have_count(0)
    expect(body).to_have_attribute("data-seq", str(live.table.seq))
    page.wait_for_timeout(700)  # the newest seat has faded in
    page.screenshot(path=str(shots / "screen-lobby.png"))
    assert errors(page) == []
    for tablet in tablets:
        tablet.close()


def test_started_table_shows_the_prompt_and_whose_turn_it_is(
        browser: Browser, server: LiveServer, shots: Path) -> None:
    live = table(server)
    page = open_screen(browser, server, live.code)
    tablets = [Tablet(server), Tablet(server), Tablet(server)]
    for tablet, (name, icon, colour) in zip(tablets, [
            ("Aino", "sun", "#E69F00"), ("Bashir", "moon", "#56B4E9"),
            ("Camilla", "star", "#009E73")], strict=True):
        tablet.join(live.code, name, icon, colour)
    server.hub.apply(live, StartTable(at=server.hub.now()))

    body = page.locator("body")
    expect(body).to_have_attribute("data-layout", "card", timeout=WAIT)
    expect(page.locator("[data-kind=card]")).to_contain_text(card_text(live))
    expect(page.locator("[data-kind=progress]")).to_contain_text("Kierros 1/1")
    rows = page.locator("[data-kind=roster] [data-seat]")
    expect(rows).to_have_count(3)
    current = live.table.meta.turn.current
    turn = page.locator(f"[data-kind=roster] [data-seat={current}]")
    expect(turn).to_have_attribute("data-status", "turn")
    expect(turn).to_contain_text("Vuorossa")  # in words, not only in colour
    expect(body).to_have_attribute("data-seq", str(live.table.seq))
    assert page.locator("[data-kind=join]").count() == 0
    page.wait_for_timeout(700)
    page.screenshot(path=str(shots / "screen-card.png"))

    # The same table in Swedish, and right to left for Arabic (its texts fall back to English).
    sv = open_screen(browser, server, live.code, "?lang=sv")
    expect(sv.locator("[data-kind=card]")).to_contain_text(card_text(live, "sv"))
    expect(sv.locator(f"[data-seat={current}]")).to_contain_text("Har turen")
    assert sv.evaluate("document.documentElement.lang") == "sv"
    ar = open_screen(browser, server, live.code, "?lang=ar")
    expect(ar.locator("[data-kind=card]")).to_contain_text(card_text(live, "en"))
    assert ar.evaluate("[document.documentElement.dir, document.documentElement.lang]") == [
        "rtl", "ar"]
    for tab in (page, sv, ar):
        assert errors(tab) == []
    for tablet in tablets:
        tablet.close()


def test_leader_switches_the_screen_language_live(browser: Browser, server: LiveServer) -> None:
    live = table(server)
    tablets = [Tablet(server), Tablet(server)]
    for tablet, (name, icon, colour) in zip(tablets, [
            ("Aino", "sun", "#E69F00"), ("Bashir", "moon", "#56B4E9")], strict=True):
        tablet.join(live.code, name, icon, colour)
    server.hub.apply(live, StartTable(at=server.hub.now()))
    page = open_screen(browser, server, live.code)
    expect(page.locator("[data-kind=card]")).to_contain_text(card_text(live, "fi"))
    server.hub.set_screen_lang(live, "sv")
    expect(page.locator("body")).to_have_attribute("data-lang", "sv", timeout=WAIT)
    expect(page.locator("[data-kind=card]")).to_contain_text(card_text(live, "sv"))
    # A screen opened later follows the leader's choice too.
    late = open_screen(browser, server, live.code)
    expect(late.locator("[data-kind=card]")).to_contain_text(card_text(live, "sv"))
    for tablet in tablets:
        tablet.close()


def test_pause_overlay_comes_and_goes(browser: Browser, server: LiveServer,
                                      shots: Path) -> None:
    live = table(server)
    tablet = Tablet(server)
    tablet.join(live.code, "Aino", "sun", "#E69F00")
    server.hub.apply(live, StartTable(at=server.hub.now()))
    page = open_screen(browser, server, live.code)
    pause = page.locator("[data-kind=pause]")
    expect(pause).to_have_count(0)

    server.hub.apply(live, PauseTable(at=server.hub.now()))
    expect(pause).to_be_visible(timeout=WAIT)
    expect(pause).to_contain_text("Tauko")
    expect(pause).to_contain_text("Peli on tauolla")
    page.wait_for_timeout(700)
    page.screenshot(path=str(shots / "screen-paused.png"))

    server.hub.apply(live, ResumeTable(at=server.hub.now()))
    expect(pause).to_have_count(0, timeout=WAIT)
    expect(page.locator("[data-kind=card]")).to_contain_text(card_text(live))
    tablet.close()


def test_the_screen_survives_a_server_restart(browser: Browser, server: LiveServer,
                                              shots: Path) -> None:
    live = table(server)
    tablet = Tablet(server)
    tablet.join(live.code, "Aino", "sun", "#E69F00")
    server.hub.apply(live, StartTable(at=server.hub.now()))
    prompt = card_text(live)
    page = open_screen(browser, server, live.code)
    expect(page.locator("[data-kind=card]")).to_contain_text(prompt)
    # Remember every connection state the page goes through.
    page.evaluate("""() => {
        window.connStates = [];
        new MutationObserver(() => window.connStates.push(document.body.dataset.conn))
            .observe(document.body, {attributes: true, attributeFilter: ['data-conn']});
    }""")

    server.restart()
    page.wait_for_function("() => window.connStates.includes('retry')", timeout=WAIT)
    expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)
    resumed = server.hub.find(live.code)
    assert resumed is not None
    expect(page.locator("[data-kind=card]")).to_contain_text(prompt)
    expect(page.locator("body")).to_have_attribute("data-seq", str(resumed.table.seq))
    expect(page.locator("#conn")).not_to_be_visible()

    # While the server is away, the picture stays and the screen says it is reconnecting.
    port = server.port
    server.stop()
    expect(page.locator("body")).to_have_attribute("data-conn", "retry", timeout=WAIT)
    expect(page.locator("#conn")).to_be_visible(timeout=WAIT)
    expect(page.locator("#conn")).to_contain_text("Yhteys katkesi")
    expect(page.locator("[data-kind=card]")).to_contain_text(prompt)
    page.wait_for_timeout(1200)  # the panel fades in after a moment (no flash on a blink)
    page.screenshot(path=str(shots / "screen-lost.png"))
    server.start(port)
    expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)
    expect(page.locator("#conn")).not_to_be_visible(timeout=WAIT)
    tablet.close()


def test_unknown_room_gets_the_404_page(browser: Browser, server: LiveServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}/screen/ZZZZZ", timeout=5)
    assert refused.value.code == 404
    text = refused.value.read().decode()
    assert "Tällä koodilla ei löydy peliä" in text and "No game has this code" in text
    page = browser.new_page()
    page.goto(f"{server.url}/screen/ZZZZZ")
    expect(page.locator("body")).to_have_attribute("data-state", "no-room")


def test_page_is_small_and_not_cached(server: LiveServer) -> None:
    live = table(server)
    page = urllib.request.urlopen(f"{server.url}/screen/{live.code}", timeout=5)
    assert page.headers["Cache-Control"] == "no-store"
    total = len(gzip.compress(page.read()))
    for asset in ("common.js", "screen.js", "screen.css"):
        total += len(gzip.compress(urllib.request.urlopen(f"{server.url}/static/{asset}",
                                                          timeout=5).read()))
    assert total <= 40 * 1024


def _kinds_shown(scene: Scene) -> set[str]:
    """The element kinds a screen shows for ``scene`` (as engine/screen/render.py places them:
    one progress, roster, timer and board each; no timer in the lobby or the closing; a die on
    a board only right after a roll)."""
    kinds = {e.kind for e in scene.elements}
    if scene.layout in ("lobby", "closing"):
        kinds.discard("timer")
    if "board" in kinds:
        kinds.discard("die")
    if any(isinstance(e, RosterElement) and not e.entries for e in scene.elements):
        kinds.discard("roster")
    return kinds


def test_every_element_kind_is_drawn_and_unknown_kinds_are_skipped(
        browser: Browser, server: LiveServer, shots: Path) -> None:
    live = table(server)
    page = open_screen(browser, server, live.code)
    for name in SAMPLES:
        scene = sample(name)
        page.evaluate("scene => window.PiiriScreen.show(scene)", scene.model_dump(mode="json"))
        shown = set(page.eval_on_selector_all(
            "#stage [data-kind]", "els => els.filter(e => !e.hidden).map(e => e.dataset.kind)"))
        expected = _kinds_shown(scene) | ({"pause"} if scene.overlay else set())
        assert shown == expected, name
        assert page.locator("body").get_attribute("data-layout") == scene.layout
        page.screenshot(path=str(shots / f"screen-sample-{name}.png"))

    # A die on its own; an element kind from a newer server is left out, the rest is drawn.
    scene = Scene(layout="card", elements=[
        DieElement(value=5, roll=1),
        TextBlockElement(text=LocalizedText({"fi": "Heitä noppaa", "en": "Roll the die"}),
                         style="title"),
    ]).model_dump(mode="json")
    scene["elements"].insert(0, {"kind": "hologram", "beam": {"fi": "zzz"}})
    page.evaluate("scene => window.PiiriScreen.show(scene)", scene)
    assert page.locator("[data-kind=die] .pip").count() == 5
    expect(page.locator("[data-kind=text]")).to_have_text("Heitä noppaa")
    assert page.locator("[data-kind=hologram]").count() == 0
    assert errors(page) == []


def test_running_timer_counts_down_between_scenes(browser: Browser, server: LiveServer) -> None:
    live = table(server)
    page = open_screen(browser, server, live.code)
    scene = Scene(layout="card", elements=[
        CardElement(body=LocalizedText({"fi": "Kerro jotakin"})),
        TimerElement(remaining_ms=83_400, total_ms=120_000, running=True),
    ])
    page.evaluate("scene => window.PiiriScreen.show(scene)", scene.model_dump(mode="json"))
    label = page.locator("[data-kind=timer] .ring b")
    expect(label).to_have_text("1:24")
    expect(label).to_have_text("1:23", timeout=3000)
    stopped = scene.model_copy(update={"elements": [
        scene.elements[0], TimerElement(remaining_ms=60_000, total_ms=120_000, running=False)]})
    page.evaluate("scene => window.PiiriScreen.show(scene)", stopped.model_dump(mode="json"))
    expect(label).to_have_text("1:00")
    expect(page.locator("[data-kind=timer]")).to_contain_text("Aika seis")
    page.wait_for_timeout(1200)
    expect(label).to_have_text("1:00")


def test_reduced_motion_is_respected(browser: Browser, server: LiveServer) -> None:
    live = table(server)
    page = open_screen(browser, server, live.code, reduced_motion="reduce")
    page.evaluate("scene => window.PiiriScreen.show(scene)",
                  sample("board_12").model_dump(mode="json"))
    durations = page.eval_on_selector_all(
        ".tok, .trow .bar i, .enter", "els => els.map(e => getComputedStyle(e).transitionDuration)")
    assert durations and all(float(d.split(",")[0].rstrip("s")) < 0.001 for d in durations)
    normal = open_screen(browser, server, live.code)
    normal.evaluate("scene => window.PiiriScreen.show(scene)",
                    sample("board_12").model_dump(mode="json"))
    assert normal.eval_on_selector(".tok", "e => getComputedStyle(e).transitionDuration") != "0s"


def test_join_card_is_the_only_place_for_the_code_and_it_is_huge(
        browser: Browser, server: LiveServer) -> None:
    """Read from 5 m: the room code fills its card and body text is at least 40 design px."""
    live = table(server)
    page = open_screen(browser, server, live.code)
    size = page.eval_on_selector("[data-kind=join] .code",
                                 "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 120
    scene = Scene(layout="card", elements=[JoinCardElement(code=live.code, url=None),
                                           TextBlockElement(text=LocalizedText({"fi": "Hei"}))])
    page.evaluate("scene => window.PiiriScreen.show(scene)", scene.model_dump(mode="json"))
    sizes = page.eval_on_selector_all(
        "[data-kind=text] p, [data-kind=join] .scan, [data-kind=join] h2",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 40


#: Every text on the stage that is cut (an ellipsis, a hidden overflow, wider than a no-wrap
#: box), smaller than the smallest floor, or on pages that show part of a line or cannot
#: reach the end of the text.
NOT_WHOLE = """() => {
  const stage = document.getElementById('stage');
  const bad = [];
  const shown = el => !el.closest('[hidden]') && el.getClientRects().length > 0;
  for (const el of stage.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const cs = getComputedStyle(el);
    if (cs.textOverflow === 'ellipsis') bad.push('ellipsis: ' + el.className);
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const what = el.className + ' ' + JSON.stringify(el.textContent.slice(0, 40));
    if (parseFloat(cs.fontSize) < 32) bad.push('small ' + cs.fontSize + ': ' + what);
    const wide = el.scrollWidth > el.clientWidth + 1;
    if (cs.whiteSpace === 'nowrap' && wide) bad.push('wide: ' + what);
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (a.classList.contains('paged')) break;  // a page window: checked below
      if (getComputedStyle(a).overflow !== 'visible') {
        const b = a.getBoundingClientRect();
        if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1 ||
            r.right > b.right + 1) bad.push('cut by ' + a.className + ': ' + what);
      }
      if (a === stage) break;
    }
  }
  for (const win of stage.querySelectorAll('.paged')) {
    if (!shown(win)) continue;
    const txt = win.firstElementChild;
    const lines = win.clientHeight / parseFloat(getComputedStyle(txt).lineHeight);
    const mark = win.parentElement.querySelector(':scope > .pmark');
    if (Math.abs(lines - Math.round(lines)) > 0.02) bad.push('part of a line: ' + win.className);
    const reach = mark ? +mark.dataset.pages * win.clientHeight : 0;
    if (reach < txt.offsetHeight - 1) bad.push('unreachable');
    if (parseFloat(getComputedStyle(txt).fontSize) < 40) bad.push('paged below 40 px');
  }
  return bad;
}"""


def test_long_texts_are_paged_never_cut_at_720p(browser: Browser, server: LiveServer,
                                               shots: Path) -> None:
    """On a 1280×720 screen the lost key's story goes on to a second page ("1/2") instead of
    stopping at "…Kertokaa"; its ending and an Elämän värit card's long theme are whole, the
    die beside the card's title; a room with more to show than fits shows it a page at a
    time. The leader's Page Down turns a page, and so does the calm timer; nothing anywhere
    is cut or smaller than its floor."""
    from .test_screen_fit import elaman_varit_scenes, escape_room_scenes

    live = table(server)
    page = open_screen(browser, server, live.code, "?page=20",
                       viewport={"width": 1280, "height": 720})
    page.clock.install()
    rooms, cards = escape_room_scenes(), elaman_varit_scenes()

    def show(scene: Scene) -> None:
        page.evaluate("scene => window.PiiriScreen.show(scene)", scene.model_dump(mode="json"))
        assert page.evaluate(NOT_WHOLE) == []

    intro = rooms["escape_room/lost-key/intro"]()
    show(intro)
    story = page.locator("[data-kind=story]")
    mark = story.locator(".pmark")
    expect(mark).to_have_attribute("data-pages", "2")
    expect(mark).to_have_text("1/2")
    expect(story).to_contain_text("Kertokaa")
    page.screenshot(path=str(shots / "screen-paged-story-1.png"))
    page.keyboard.press("PageDown")
    expect(mark).to_have_text("2/2")
    assert page.evaluate(NOT_WHOLE) == []
    page.screenshot(path=str(shots / "screen-paged-story-2.png"))
    # Each page stays a calm while (20 s here; a page with many words longer), then the
    # first comes back.
    page.clock.fast_forward(10_000)
    page.wait_for_timeout(700)
    expect(mark).to_have_text("2/2")
    page.clock.fast_forward(15_000)
    expect(mark).to_have_text("1/2")
    # The same scene again keeps its page; a new text starts at its first.
    show(intro)
    expect(mark).to_have_text("1/2")

    show(rooms["escape_room/lost-key/debrief"]())
    expect(page.locator("[data-kind=story]")).to_contain_text("Vihdoin kotona")
    expect(page.locator("[data-kind=story]")).to_contain_text("eivät tienneet.")
    page.screenshot(path=str(shots / "screen-paged-debrief.png"))

    show(rooms["escape_room/lost-key/stairwell/clue/stairwell.1"]())
    column = page.locator(".paged-col > .pmark")
    expect(column).to_have_text("1/2")
    assert page.locator("[data-kind=locks]").is_visible()
    page.keyboard.press("PageDown")
    expect(column).to_have_text("2/2")
    assert page.locator("[data-kind=locks]").is_visible()  # the locks stay on every page
    assert page.evaluate(NOT_WHOLE) == []

    show(cards["elaman_varit/card/relationships-01"]())
    card = page.locator("[data-kind=card]")
    expect(card.locator(".name")).to_have_text("Ihmissuhteet ja oma hyvinvointi")
    die = page.locator(".bdie").bounding_box()
    heading = card.locator(".ctop").bounding_box()
    assert die is not None and heading is not None
    assert die["x"] >= heading["x"] + heading["width"] - 1  # beside the heading, not over it
    page.screenshot(path=str(shots / "screen-card-die.png"))
    assert errors(page) == []


# -- reactions, the code page's address, the content security policy --------------------------


def test_the_speakers_reactions_show_their_counts_and_pop_when_they_grow(
        browser: Browser, server: LiveServer, shots: Path) -> None:
    live = table(server)
    tablets = [Tablet(server) for _ in range(4)]
    seats = [tablet.join(live.code, name, icon, "#E69F00") for tablet, (name, icon) in zip(
        tablets, [("Aino", "sun"), ("Bashir", "moon"), ("Camilla", "star"), ("Dmitri", "tree")],
        strict=True)]
    server.hub.apply(live, StartTable(at=server.hub.now()))
    page = open_screen(browser, server, live.code)
    calm = open_screen(browser, server, live.code, reduced_motion="reduce")
    expect(page.locator("[data-kind=card]")).to_contain_text(card_text(live))
    assert page.locator("[data-kind=reactions]").count() == 0  # nothing received yet
    speaker = live.table.meta.turn.current
    others = [t for t, seat in zip(tablets, seats, strict=True) if seat != speaker]
    for n, (tablet, value) in enumerate(zip(others, ["heart", "clap", "heart"], strict=True)):
        tablet.send(t="move", id=n + 1, name="react", payload={"value": value})
        tablet.until("ack")
    reactions = page.locator("[data-kind=reactions]")
    expect(reactions.locator("[data-reaction=heart] .n")).to_have_text("2", timeout=WAIT)
    expect(reactions.locator("[data-reaction=clap] .n")).to_have_text("1")
    assert reactions.locator("[data-reaction]").count() == 2
    assert reactions.get_attribute("data-seat") == speaker
    # Beside the roster, where the speaker's row is lit; a count and a picture, no names.
    assert page.locator(".side [data-kind=reactions] + [data-kind=roster]").count() == 1
    assert reactions.locator("svg").count() == 2
    for name in ("Aino", "Bashir", "Camilla", "Dmitri"):
        expect(reactions).not_to_contain_text(name)
    size = reactions.locator(".n").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 48
    assert page.evaluate(NOT_WHOLE) == []
    # One more "me too": it pops (not where the viewer asked for less motion).
    others[0].send(t="move", id=10, name="react", payload={"value": "me_too"})
    others[0].until("ack")
    expect(reactions.locator("[data-reaction=me_too] .n")).to_have_text("1", timeout=WAIT)
    expect(reactions.locator("[data-reaction=me_too]")).to_have_class("rx pop")
    assert reactions.locator("[data-reaction=heart]").get_attribute("class") == "rx"
    expect(calm.locator("[data-kind=reactions] [data-reaction=me_too] .n")).to_have_text("1")
    assert calm.locator(".rx.pop").count() == 0
    page.screenshot(path=str(shots / "screen-reactions.png"))
    assert errors(page) == [] and errors(calm) == []
    for tablet in tablets:
        tablet.close()


def test_reactions_beside_twelve_people_leave_every_name_whole(
        browser: Browser, server: LiveServer, shots: Path) -> None:
    """Twelve people and all four reactions, on a card and on the board, in every language at
    1280×720: the reactions stay in the side column while the roster keeps its room, else
    they go under the card; nothing is cut or smaller than its floor."""
    from .test_screen_fit import LANGUAGES, reaction_scenes

    live = table(server)
    scenes = reaction_scenes()
    for lang in LANGUAGES:
        page = open_screen(browser, server, live.code, f"?lang={lang}",
                           viewport={"width": 1280, "height": 720})
        for name in (*scenes, "sample/card_reactions_12", "sample/board_reactions"):
            scene = (sample(name.split("/", 1)[1]) if name.startswith("sample/")
                     else scenes[name]())
            page.evaluate("scene => window.PiiriScreen.show(scene)",
                          scene.model_dump(mode="json"))
            counts = page.locator("[data-kind=reactions] .n").all_inner_texts()
            assert len(counts) == 4 and all(c.isdigit() for c in counts), (lang, name)
            assert page.evaluate(NOT_WHOLE) == [], (lang, name)
            sizes = page.eval_on_selector_all(
                "[data-kind=reactions] .n",
                "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
            assert min(sizes) >= 40, (lang, name)
        page.screenshot(path=str(shots / f"screen-reactions-12-{lang}.png"))
        assert errors(page) == []
        page.context.close()


def test_the_join_card_names_the_page_where_the_code_is_typed(
        browser: Browser, server: LiveServer) -> None:
    live = table(server)
    short = f"127.0.0.1:{server.port}/j"
    for query, words in (("", "Tai kirjoita koodi osoitteessa"),
                         ("?lang=sv", "Eller skriv koden på"),
                         ("?lang=en", "Or type the code at"),
                         ("?lang=fi-x-selko", "Tai kirjoita koodi täällä:")):
        page = open_screen(browser, server, live.code, query)
        typed = page.locator("[data-kind=join] .typed")
        expect(typed).to_have_text(f"{words} {short}")
        size = typed.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 36
        assert page.evaluate(NOT_WHOLE) == []
        page.context.close()
    # A join card without the server's address shows none (here the page is on the laptop
    # itself, so it has no address of its own to offer either).
    page = open_screen(browser, server, live.code)
    scene = Scene(layout="lobby", elements=[JoinCardElement(code=live.code)])
    page.evaluate("scene => window.PiiriScreen.show(scene)", scene.model_dump(mode="json"))
    expect(page.locator("[data-kind=join] .code")).to_have_text(live.code)
    assert page.locator("[data-kind=join] .typed").count() == 0


CSP_WATCH = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample);
});
"""


def test_the_screen_draws_everything_under_a_policy_without_inline_styles(
        browser: Browser, server: LiveServer) -> None:
    """No style="…" attribute anywhere: the board's spaces, the avatars, the reactions and the
    join card are drawn with presentation attributes, classes and element.style, so the page
    needs no 'unsafe-inline' and the browser reports no violation."""
    live = table(server)
    with urllib.request.urlopen(f"{server.url}/screen/{live.code}", timeout=5) as response:
        policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self';" in policy and "unsafe-inline" not in policy
    context = browser.new_context(viewport=HD)
    context.add_init_script(CSP_WATCH)  # injected by the browser: not under the page's policy
    page = context.new_page()
    page.goto(f"{server.url}/screen/{live.code}")
    expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)
    for name in SAMPLES:
        page.evaluate("scene => window.PiiriScreen.show(scene)",
                      sample(name).model_dump(mode="json"))
    page.evaluate("scene => window.PiiriScreen.show(scene)",
                  sample("board_reactions").model_dump(mode="json"))
    # The highlighted space's halo takes the accent colour from its class; the avatars' ink
    # comes from a presentation attribute.
    halo = page.locator(".board .sp-halo")
    expect(halo).to_have_count(1)
    assert halo.evaluate("e => getComputedStyle(e).fill") == "rgb(240, 228, 66)"
    assert page.locator(".tok g[color]").count() >= 12
    assert page.evaluate("window.cspViolations") == []
    context.close()
