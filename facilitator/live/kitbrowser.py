"""The module kit's browser part (``piiri check-game NAME --browser``): every scene the kit saw
is shown on the browser screen (``/screen/<code>``) in every language of the activity's content
and must be whole (nothing cut, nothing below the size floor, long text paged to its end); every
controls list it saw is shown in the real tablet client (``/j/<code>``) and axe-core must find
no WCAG 2.1 A/AA violation on it.

It runs Piiri on a loopback port with a throwaway database, and Debian's Chromium through
Playwright (never a downloaded browser). The tablet gets its controls from a stand-in for the
WebSocket that sends the frames the server would send, so any controls list can be shown
without playing up to it.

Example::

    report = check_module(find_game("circle"), browser=browser_check("circle"))
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werkzeug.serving import WSGIRequestHandler

from engine.controls import SeatControls
from engine.kit import BrowserCheck
from engine.protocol import ControlsMessage, Welcome
from engine.scene import Scene
from engine.text import LocalizedText

__all__ = ["browser_check"]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
#: WCAG 2.0 and 2.1, levels A and AA (EN 301 549, as the panel's own pages are checked).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WAIT = 15_000

#: Every text on the stage that is cut (an ellipsis, a hidden overflow, wider than a no-wrap
#: box), smaller than the smallest floor, or on pages that show part of a line or cannot reach
#: the end of the text.
NOT_WHOLE = """() => {
  const stage = document.getElementById('stage');
  const bad = [];
  const shown = el => !el.closest('[hidden]') && el.getClientRects().length > 0;
  for (const el of stage.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const cs = getComputedStyle(el);
    if (cs.textOverflow === 'ellipsis') bad.push('an ellipsis cuts ' + el.className);
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const what = JSON.stringify(el.textContent.trim().slice(0, 50));
    if (parseFloat(cs.fontSize) < 32) bad.push(what + ' is drawn at ' + cs.fontSize);
    if (cs.whiteSpace === 'nowrap' && el.scrollWidth > el.clientWidth + 1)
      bad.push(what + ' is wider than its box');
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (a.classList.contains('paged')) break;
      if (getComputedStyle(a).overflow !== 'visible') {
        const b = a.getBoundingClientRect();
        if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1 ||
            r.right > b.right + 1) bad.push(what + ' is cut by its box');
      }
      if (a === stage) break;
    }
  }
  for (const win of stage.querySelectorAll('.paged')) {
    if (!shown(win)) continue;
    const txt = win.firstElementChild;
    const mark = win.parentElement.querySelector(':scope > .pmark');
    const reach = mark ? +mark.dataset.pages * win.clientHeight : 0;
    if (reach < txt.offsetHeight - 1) bad.push('the end of a long text cannot be reached');
  }
  return bad;
}"""

#: A stand-in for the tablet's WebSocket: answers 'hello' with the frames given, and lets the
#: check send more with window.__piiriKitPush(frame).
FAKE_SOCKET = """
(() => {
  const frames = %(frames)s;
  class KitSocket {
    constructor(url) {
      this.url = url; this.readyState = 0;
      window.__piiriKitSocket = this;
      setTimeout(() => { this.readyState = 1; if (this.onopen) this.onopen({}); }, 10);
    }
    send(data) {
      if (JSON.parse(data).t !== 'hello') return;
      frames.forEach((frame, i) => setTimeout(() => window.__piiriKitPush(frame), 10 * (i + 1)));
    }
    close() { this.readyState = 3; }
  }
  KitSocket.OPEN = 1;
  window.WebSocket = KitSocket;
  window.__piiriKitPush = frame => {
    const socket = window.__piiriKitSocket;
    if (socket && socket.onmessage) socket.onmessage({ data: JSON.stringify(frame) });
  };
  localStorage.setItem('piiri.lang', %(lang)s);
})();
"""

_AXE = """([tags]) => {
  const experimental = axe.getRules(tags)
    .filter(r => r.tags.includes('experimental')).map(r => r.ruleId);
  const rules = {};
  experimental.forEach(id => { rules[id] = { enabled: true }; });
  return axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: rules,
                             resultTypes: ['violations'] });
}"""

_SETTLED = ("document.getAnimations().every(a => a.playState !== 'running'"
            " || a.effect.getTiming().iterations === Infinity)")


def browser_check(game_id: str | None = None, browser: Any = None) -> BrowserCheck:
    """The kit's browser part. ``game_id`` names the installed activity whose room the pages
    open (the circle by default: the scenes and controls are sent to the pages directly, so
    any room does); ``browser`` is a Playwright browser to use (else Debian's Chromium is
    started and stopped for the check)."""

    def check(scenes: list[Scene], tablets: list[SeatControls],
              languages: list[str]) -> tuple[list[str], list[str]]:
        with _piiri() as (url, hub), _chromium(browser) as chromium:
            code = hub.create_table(game_id or "circle", {}, seed=1).code
            on_screen = _screen(chromium, url, code, scenes, languages)
            on_tablet = _tablet(chromium, url, code, tablets, languages)
        return on_screen, on_tablet

    return check


def _screen(browser: Any, url: str, code: str, scenes: list[Scene],
            languages: list[str]) -> list[str]:
    problems: list[str] = []
    for language in languages:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        page.goto(f"{url}/screen/{code}?lang={language}")
        page.wait_for_selector("body[data-conn=open]", timeout=WAIT)
        for scene in scenes:
            page.evaluate("scene => window.PiiriScreen.show(scene)",
                          scene.model_dump(mode="json"))
            title = scene.title.pick(language) if scene.title is not None else scene.layout
            for trouble in page.evaluate(NOT_WHOLE):
                problems.append(f"[{language}] in the scene '{title[:40]}' ({scene.layout}) on "
                                f"the browser screen, {trouble}")
        context.close()
    return problems


def _tablet(browser: Any, url: str, code: str, tablets: list[SeatControls],
            languages: list[str]) -> list[str]:
    from axe_playwright_python.base import AXE_SCRIPT

    problems: list[str] = []
    for language in languages:
        welcome = Welcome(room=code, seat="s1", title=LocalizedText({"fi": "Piiri"}),
                          status="playing", nickname="Aino")
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(FAKE_SOCKET % {
            "frames": json.dumps([welcome.model_dump(mode="json")]),
            "lang": json.dumps(language)})
        page = context.new_page()
        page.goto(f"{url}/j/{code}")
        page.wait_for_selector("body[data-state=seated]", timeout=WAIT)
        for seq, controls in enumerate(tablets, start=1):
            frame = ControlsMessage(seq=seq, controls=controls.model_copy(update={"seat": "s1"}))
            page.evaluate("frame => window.__piiriKitPush(frame)", frame.model_dump(mode="json"))
            # The client draws a frame as it arrives: it is on the page when this returns.
            kinds = [item.kind for item in controls.items]
            for _ in range(100):
                if page.evaluate(_SETTLED):
                    break
                page.wait_for_timeout(50)
            if not page.evaluate("typeof window.axe === 'object'"):
                page.evaluate(AXE_SCRIPT)
            found = page.evaluate(_AXE, [TAGS])["violations"]
            for violation in found:
                for node in violation["nodes"]:
                    where = " ".join(str(t) for t in node["target"])
                    problems.append(f"[{language}] the tablet showing {', '.join(kinds)}: "
                                    f"{violation['id']} ({violation['impact']}) at {where}: "
                                    f"{violation['help']}")
        context.close()
    return problems


class _Quiet(WSGIRequestHandler):
    """No line per request: the report is what the developer reads."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def _piiri() -> Iterator[tuple[str, Any]]:
    """Piiri on a free loopback port with a throwaway database, in a thread."""
    from werkzeug.serving import make_server

    from facilitator.app import create_app

    with tempfile.TemporaryDirectory(prefix="piiri-kit-") as folder:
        app = create_app({"DATABASE": str(Path(folder) / "kit.sqlite3"), "TICKS": False,
                          "SECRET_KEY": secrets.token_hex(16)})
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        url = f"http://127.0.0.1:{server.server_port}"
        hub = app.extensions["piiri.hub"]
        hub.public_url = url
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield url, hub
        finally:
            server.shutdown()
            server.server_close()
            app.extensions["piiri.store"].close()


@contextmanager
def _chromium(given: Any = None) -> Iterator[Any]:
    if given is not None:
        yield given
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
