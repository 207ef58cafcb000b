"""The pygame shared screen (``piiri screen``) follows its table to a follow-up table, as
tablets and the browser screen do: a workshop going on to play what the group made, and back."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"  # before pygame is imported anywhere

import threading
import time
from collections.abc import Callable

from engine import StartTable
from engine.screen.client import ConnectionState, SceneFeed, run_screen
from engine.screen.render import ScreenOptions

from .live_server import LiveServer
from .test_protocol import Client


def _wait(condition: Callable[[], bool], timeout: float = 8.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_the_screen_feed_goes_on_to_the_follow_up_room_and_keeps_following(
        server: LiveServer) -> None:
    from facilitator.live.followup import carry_over

    hub = server.hub
    first = hub.create_table("circle", {"rounds": 1}, seed=3)
    feed = SceneFeed(server.url, first.code, backoff=(0.05, 0.3)).start()
    try:
        assert _wait(lambda: feed.scenes_received >= 1)
        feed.updates()
        then = carry_over(hub, first, "workshop", {"target": "circle", "name": "Omat"})
        assert _wait(lambda: feed.room == then.code and feed.state is ConnectionState.connected)
        found: list[object] = []
        assert _wait(lambda: bool(found.extend(feed.updates())) or any(
            getattr(u, "scene", None) is not None and u.scene.title == then.table.scene().title
            for u in found))
        assert then.code in [getattr(u, "room", None) for u in found]
        # It follows the new table from here: a tablet joins and the game starts.
        tablet = Client(server)
        tablet.join(then.code, "Aino")
        hub.apply(then, StartTable(at=hub.now()))
        assert _wait(lambda: bool(found.extend(feed.updates())) or any(
            getattr(u, "scene", None) is not None and "Omat" in u.scene.model_dump_json()
            for u in found))
        # And back again.
        back = carry_over(hub, then, "circle", {"rounds": 1})
        assert _wait(lambda: feed.room == back.code and feed.state is ConnectionState.connected)
    finally:
        feed.stop()


def test_the_screen_window_follows_while_it_runs(server: LiveServer) -> None:
    import pygame

    from facilitator.live.followup import carry_over

    hub = server.hub
    first = hub.create_table("circle", {"rounds": 1}, seed=3)
    feed = SceneFeed(server.url, first.code, backoff=(0.05, 0.3))
    moved: list[str] = []

    def go_on() -> None:
        """Once the window shows the first room, the table goes on; once the window has the
        new room's scene, the window is closed as a leader would close it."""
        if _wait(lambda: feed.scenes_received >= 1):
            then = carry_over(hub, first, "workshop", {"target": "circle", "name": "Omat"})
            seen = feed.scenes_received
            if _wait(lambda: feed.room == then.code and feed.scenes_received > seen):
                moved.append(then.code)
        pygame.event.post(pygame.event.Event(pygame.QUIT))

    helper = threading.Thread(target=go_on)
    helper.start()
    try:
        # SDL wants its window on the main thread. (max_seconds only keeps a broken run from
        # hanging the suite.)
        assert run_screen(server.url, first.code, options=ScreenOptions(), feed=feed,
                          max_seconds=60) == 0
    finally:
        helper.join()
        feed.stop()
    assert moved and feed.room == moved[0]
    assert pygame.display.get_init() is False or moved[0] in pygame.display.get_caption()[0]
