"""Debian's headless Chromium driven by Playwright: never a downloaded browser."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

#: Chrome DevTools' "Slow 3G" profile.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 400 * 1024 / 8 * 0.8,
           "uploadThroughput": 400 * 1024 / 8 * 0.8}


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def throttle(page: Any, profile: dict[str, Any]) -> None:
    """Emulate a slow network for one page (Chromium's network emulation)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", profile)


def wait_for(check: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll until ``check()`` holds (the pages' CSP blocks Playwright's wait_for_function with
    a string). No timing is asserted: only that it gets there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError("timed out: it never got there")


def settle(page: Any) -> None:
    """Let one-off animations finish so that axe sees the colours the reader sees. (The pages'
    Content Security Policy forbids the eval behind wait_for_function, so this polls.)"""
    for _ in range(200):
        if page.evaluate("document.getAnimations().every(a => a.playState !== 'running'"
                         " || a.effect.getTiming().iterations === Infinity)"):
            return
        page.wait_for_timeout(50)
    raise AssertionError("an animation never ended")
