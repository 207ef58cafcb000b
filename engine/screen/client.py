"""The shared-screen process: a window that follows one room over a WebSocket.

It runs as a process of its own (``python -m engine.screen URL ROOM``, or a child process of
``piiri run``), so a crash or a closed window never touches the server, and the server going
away never closes the window: the screen says so in the group's language and reconnects by
itself, with a growing pause between tries, until the server is back.

Two threads:

- :class:`SceneFeed` (background) holds the WebSocket (``websockets.sync.client``), sends the
  screen's ``hello`` and turns every ``scene`` message into a :class:`~engine.scene.Scene`;
  it hands scenes and connection states over through a thread-safe queue and wakes the window.
- :func:`run_screen` (main thread, as SDL wants) owns the window and draws only when something
  changed, an animation runs or a running timer ticks over a second. In between it sleeps on
  the feed's wake-up event and looks at the window's events a few times a second, so an idle
  screen costs next to no CPU (``pygame.event.wait`` polls SDL every millisecond; that alone
  was over 1.5 % of a core on the group laptop).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import queue
import random
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError

from engine.protocol import PROTOCOL_VERSION, SceneMessage
from engine.scene import Scene, TimerElement

from .pictures import Pictures, server_base
from .theme import DESIGN_SIZE, ScreenOptions

__all__ = ["ConnectionState", "SceneFeed", "StaticFeed", "main", "room_from_url",
           "run_screen", "websocket_url"]

log = logging.getLogger("piiri.screen")

WINDOW_SIZE = (1280, 720)
#: How often an idle screen looks at its window's events (keys, resizes), in milliseconds.
IDLE_POLL_MS = 50
#: Frames per second while something moves.
ANIMATION_FPS = 60


class ConnectionState(StrEnum):
    """What the screen's connection is doing, shown on the screen unless ``connected``."""

    connecting = "connecting"
    connected = "connected"
    lost = "lost"
    no_room = "no_room"
    stopped = "stopped"


def websocket_url(url: str) -> str:
    """The server's WebSocket address from the address people use.

    >>> websocket_url("http://192.168.1.20:5000")
    'ws://192.168.1.20:5000/ws'
    >>> websocket_url("https://piiri.example.fi/j/KX7PM")
    'wss://piiri.example.fi/ws'
    """
    parts = urlsplit(url if "://" in url else f"http://{url}")
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme)
    if scheme is None or not parts.netloc:
        raise ValueError(f"not a Piiri server address: {url!r}")
    path = parts.path.rstrip("/")
    if "/j/" in f"{path}/":
        path = path[: f"{path}/".index("/j/")]
    if not path.endswith("/ws"):
        path = f"{path}/ws"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def room_from_url(url: str) -> str | None:
    """The room code in a join address (``…/j/KX7PM``), if it has one.

    >>> room_from_url("http://192.168.1.20:5000/j/KX7PM")
    'KX7PM'
    """
    path = urlsplit(url if "://" in url else f"http://{url}").path.rstrip("/")
    _, sep, code = path.rpartition("/j/")
    return code.upper() if sep and code and "/" not in code else None


@dataclass(frozen=True)
class _Update:
    state: ConnectionState | None = None
    seq: int = 0
    scene: Scene | None = None
    lang: str | None = None
    room: str | None = None


class SceneFeed:
    """The screen's side of the wire: connect, say hello, receive scenes, reconnect.

    Runs in a background thread; everything it learns goes into a queue that the window reads
    with :meth:`updates`. ``on_change`` is called (from the feed's thread) after each new item,
    to wake the window.

    Example::

        feed = SceneFeed("http://127.0.0.1:5000", "KX7PM").start()
        ...
        for update in feed.updates():
            ...
        feed.stop()
    """

    def __init__(self, url: str, room: str, *, lang: str | None = None,
                 on_change: Callable[[], None] | None = None,
                 displays: tuple[int, int] | None = None,
                 backoff: tuple[float, float] = (0.5, 8.0), open_timeout: float = 5.0,
                 pictures: Pictures | None = None) -> None:
        self.url = websocket_url(url)
        self.pictures = pictures
        """Where the scenes' pictures are fetched to, before each scene is handed on."""
        self.room = room.strip().upper()
        self.lang = lang
        self.displays = displays
        """(how many displays, which one the screen is on), told to the server."""
        self.on_change = on_change
        self.backoff = backoff
        self.open_timeout = open_timeout
        self.state = ConnectionState.connecting
        self.scenes_received = 0
        self.last_seq = 0
        self.wake = threading.Event()
        self._queue: queue.Queue[_Update] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ws: Any = None
        self._ever_connected = False
        self._followed = False

    # -- the window's side ------------------------------------------------------------------

    def start(self) -> SceneFeed:
        """Start following the room in a background thread."""
        self._thread = threading.Thread(target=self._run, name="piiri-screen-feed",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        """Close the connection and end the thread."""
        self._stop.set()
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                ws.close()
        if self._thread is not None:
            self._thread.join(timeout)
        self._set_state(ConnectionState.stopped)

    def updates(self) -> list[_Update]:
        """Everything that arrived since the last call, oldest first (never blocks)."""
        self.wake.clear()
        found = []
        while True:
            try:
                found.append(self._queue.get_nowait())
            except queue.Empty:
                return found

    # -- the feed's thread ------------------------------------------------------------------

    def _put(self, update: _Update) -> None:
        self._queue.put(update)
        self.wake.set()
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:  # waking the window must never kill the feed
                log.debug("screen wake-up failed", exc_info=True)

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self.state:
            self.state = state
            self._put(_Update(state=state))

    def _run(self) -> None:
        from websockets.exceptions import InvalidHandshake, InvalidURI, WebSocketException
        from websockets.sync.client import connect

        delay = self.backoff[0]
        while not self._stop.is_set():
            refused = False
            try:
                with connect(self.url, open_timeout=self.open_timeout, close_timeout=1,
                             max_size=4 * 1024 * 1024) as ws:
                    self._ws = ws
                    hello: dict[str, Any] = {"t": "hello", "v": PROTOCOL_VERSION,
                                             "role": "screen", "room": self.room}
                    if self.lang:
                        hello["lang"] = self.lang
                    ws.send(json.dumps(hello))
                    if self.displays is not None:
                        ws.send(json.dumps({"t": "screen_info", "displays": self.displays[0],
                                            "shown_on": self.displays[1]}))
                    refused = self._receive(ws)
                    if not refused:
                        delay = self.backoff[0]
            except InvalidURI:
                log.error("screen: bad server address %s", self.url)
                refused = True
            except (OSError, TimeoutError, InvalidHandshake, WebSocketException) as error:
                if not self._stop.is_set():
                    log.info("screen: connection to %s ended or failed (%s)", self.url, error)
            finally:
                self._ws = None
            if self._stop.is_set():
                break
            if self._followed:  # the table went on at another room: go there now
                self._followed = False
                continue
            if not refused:
                self._set_state(ConnectionState.lost if self._ever_connected
                                else ConnectionState.connecting)
            pause = delay * (0.8 + 0.4 * random.random())
            delay = min(delay * 2, self.backoff[1])
            self._stop.wait(pause)

    def _receive(self, ws: Any) -> bool:
        """Read until the connection ends; True when the server refused this room."""
        while not self._stop.is_set():
            try:
                raw = ws.recv(timeout=1.0)
            except TimeoutError:
                continue
            try:
                msg = json.loads(raw)
            except ValueError:
                log.warning("screen: a frame that is not JSON was ignored")
                continue
            kind = msg.get("t") if isinstance(msg, dict) else None
            if kind == "scene":
                try:
                    parsed = SceneMessage.model_validate(msg)
                except ValidationError as error:
                    # A newer server may send an element this screen does not know: keep the
                    # last picture rather than crash.
                    log.warning("screen: a scene could not be read and was skipped: %s", error)
                    continue
                if parsed.seq < self.last_seq:
                    continue  # an older picture overtaken by a newer one: keep the newer
                if self.pictures is not None:
                    # Here, in the feed's thread, so the window never waits on the network.
                    try:
                        self.pictures.prefetch(parsed.scene)
                    except Exception:  # a picture must never stop the scenes
                        log.warning("screen: fetching a picture failed", exc_info=True)
                self._ever_connected = True
                self.scenes_received += 1
                self.last_seq = parsed.seq
                self._set_state(ConnectionState.connected)
                self._put(_Update(seq=parsed.seq, scene=parsed.scene))
            elif kind == "follow" and isinstance(msg.get("room"), str) and msg["room"].strip():
                # The table's people went on to a follow-up table (another activity): the
                # screen follows them there, as the browser screen does.
                self.room = msg["room"].strip().upper()
                self.last_seq = 0  # the new table counts its scenes from the start
                log.info("screen: following the table to room %s", self.room)
                self._followed = True
                self._put(_Update(room=self.room))
                return False
            elif kind == "settings" and isinstance(msg.get("lang"), str):
                self.lang = msg["lang"]  # the leader chose the screen's language
                self._put(_Update(lang=self.lang))
            elif kind == "error":
                reason = msg.get("reason")
                log.warning("screen: the server refused: %s", reason)
                if reason in ("no_room", "old_version"):
                    self._set_state(ConnectionState.no_room)
                    return True
        return False


class StaticFeed:
    """A feed with one scene that never changes: for ``--preview``, tests and the benchmark's
    idle measurement (the window loop cannot tell it from a quiet server)."""

    def __init__(self, scene: Scene, room: str = "", pictures: Pictures | None = None) -> None:
        self.room = room
        self.pictures = pictures
        self.state = ConnectionState.connected
        self.wake = threading.Event()
        self._pending: list[_Update] = [_Update(state=self.state), _Update(seq=1, scene=scene)]

    def start(self) -> StaticFeed:
        self.wake.set()
        return self

    def stop(self, timeout: float = 0.0) -> None:
        self.state = ConnectionState.stopped

    def updates(self) -> list[_Update]:
        self.wake.clear()
        found, self._pending = self._pending, []
        return found


# -- the window ---------------------------------------------------------------------------


class _Window:
    """The screen's window: 1280×720 and resizable, or full screen on the chosen display."""

    def __init__(self, pygame: Any, *, fullscreen: bool, display_index: int | None,
                 title: str) -> None:
        self.pg = pygame
        count = pygame.display.get_num_displays()
        if display_index is None and count > 1:
            # A laptop with a projector or TV: the group's picture goes on the second display.
            display_index, fullscreen = 1, True
        self.display = min(max(0, display_index or 0), max(0, count - 1))
        pygame.display.set_caption(title)
        self.fullscreen = False
        self.surface = self._open(fullscreen)

    def _open(self, fullscreen: bool) -> Any:
        pg = self.pg
        self.fullscreen = fullscreen
        if fullscreen:
            try:
                size = pg.display.get_desktop_sizes()[self.display]
            except (IndexError, pg.error):
                size = (0, 0)
            surface = pg.display.set_mode(size, pg.FULLSCREEN, display=self.display)
            pg.mouse.set_visible(False)
        else:
            surface = pg.display.set_mode(WINDOW_SIZE, pg.RESIZABLE, display=self.display)
            pg.mouse.set_visible(True)
        return surface

    def set_fullscreen(self, on: bool) -> None:
        if on != self.fullscreen:
            self.surface = self._open(on)

    def refresh(self) -> None:
        self.surface = self.pg.display.get_surface()


def feed_seq(feed: SceneFeed | StaticFeed) -> int:
    """The sequence number of the last scene ``feed`` received (for the log)."""
    return getattr(feed, "last_seq", 0)


def _next_second_ms(scene: Scene | None, since_ms: int, now_ms: int) -> int | None:
    """Milliseconds until a running timer's shown seconds change, if a timer runs."""
    if scene is None:
        return None
    for element in scene.elements:
        if isinstance(element, TimerElement) and element.running and scene.overlay is None:
            remaining = element.remaining_ms - (now_ms - since_ms)
            if remaining <= 0:
                return None
            return max(1, int(remaining - (math.ceil(remaining / 1000) - 1) * 1000))
    return None


def run_screen(url: str, room: str, *, lang: str = "fi", fullscreen: bool = False,
               display_index: int | None = None, options: ScreenOptions | None = None,
               max_seconds: float | None = None, feed: SceneFeed | StaticFeed | None = None,
               on_frame: Callable[[], None] | None = None) -> int:
    """Open the screen window and show room ``room`` of the server at ``url`` until the
    window is closed.

    Args:
        url: the server's address as people use it (``http://192.168.1.20:5000``), its
            WebSocket address, or a join address (``…/j/KX7PM``).
        room: the room code.
        lang: the language of the screen's words and of the scene's texts.
        fullscreen: start full screen (F11 toggles, Esc leaves full screen). With more than one
            display the screen opens full screen on the second one anyway.
        display_index: which display to open on (0 is the first).
        options: high contrast, large text, reduced motion, page time. Page Down, → or space
            turn a long text's pages on, Page Up or ← back.
        max_seconds: close by itself after this long (for tests and the benchmark).
        feed: where scenes come from; by default a :class:`SceneFeed` following ``url``.
        on_frame: called after each frame is shown (the benchmark counts frames with it).

    Returns:
        The process exit code (0).
    """
    import pygame

    from .animate import Animator
    from .render import Renderer, present

    options = replace(options or ScreenOptions(), lang=lang)
    # A long text's pages: on, or back. (Any other key skips an animation.)
    page_keys = {pygame.K_PAGEDOWN: 1, pygame.K_RIGHT: 1, pygame.K_SPACE: 1,
                 pygame.K_PAGEUP: -1, pygame.K_LEFT: -1}
    pygame.display.init()
    pygame.font.init()
    window = _Window(pygame, fullscreen=fullscreen, display_index=display_index,
                     title=f"Piiri — {room.upper()}")
    wake_event = pygame.event.custom_type()

    def wake() -> None:
        if pygame.display.get_init():
            pygame.event.post(pygame.event.Event(wake_event))

    pictures = feed.pictures if feed is not None else Pictures(base_url=server_base(url))
    if feed is None:
        feed = SceneFeed(url, room, lang=lang, on_change=wake,
                         displays=(pygame.display.get_num_displays(), window.display),
                         pictures=pictures)
    feed.start()
    renderer = Renderer(pictures=pictures)
    animator = Animator(reduced_motion=options.reduced_motion)
    design = pygame.Surface(DESIGN_SIZE).convert()
    scene: Scene | None = None
    state = feed.state
    clock = pygame.time.Clock()
    started = time.monotonic()
    dirty = True
    last_drawn_ms = 0
    turn_due: int | None = None  # when a long text on show turns its page by itself
    told: Scene | None = None  # the last scene whose text trouble went into the log
    broken: Scene | None = None  # a scene that failed to draw is not tried again

    def now_ms() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        while True:
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
            for event in pygame.event.get():
                if event.type == pygame.QUIT:
                    return 0
                if event.type == pygame.KEYDOWN:
                    if event.key == pygame.K_F11:
                        window.set_fullscreen(not window.fullscreen)
                    elif event.key == pygame.K_ESCAPE:
                        window.set_fullscreen(False)
                    elif event.key == pygame.K_q and event.mod & pygame.KMOD_CTRL:
                        return 0
                    elif event.key in page_keys:
                        # The leader at the laptop turns a long text's pages at the group's
                        # pace; the calm timer goes on from there.
                        renderer.turn_page(page_keys[event.key], now_ms())
                    animator.skip()
                    dirty = True
                elif event.type == pygame.MOUSEBUTTONDOWN:
                    animator.skip()
                    dirty = True
                elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED,
                                    pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED,
                                    pygame.WINDOWSHOWN):
                    window.refresh()
                    dirty = True
            for update in feed.updates():
                if update.room is not None:
                    pygame.display.set_caption(f"Piiri — {update.room}")
                if update.lang is not None and update.lang != options.lang:
                    options = replace(options, lang=update.lang)
                    dirty = True
                if update.state is not None and update.state is not state:
                    state = update.state
                    dirty = True
                if update.scene is not None:
                    scene = update.scene
                    animator.update(scene, now_ms())
                    dirty = True
            now = now_ms()
            moving = animator.active(now)
            tick = _next_second_ms(scene, animator.scene_at_ms, now)
            overlay = state is not ConnectionState.connected or scene is None
            if tick is not None and now - last_drawn_ms >= tick:
                dirty = True
            if turn_due is not None and now >= turn_due:
                dirty = True
            if overlay and not options.reduced_motion and now - last_drawn_ms >= 500:
                dirty = True  # the "reconnecting" dots, twice a second
            if (dirty or moving) and (scene is None or scene is not broken):
                target = window.surface
                direct = target.get_size() == DESIGN_SIZE
                canvas = target if direct else design
                if scene is not None:
                    try:
                        report = renderer.render(scene, canvas, options=options, now_ms=now,
                                                 motion=animator)
                        if report.issues and scene is not told:
                            told = scene
                            log.warning("screen: text that does not fit in scene %s: %s",
                                        feed_seq(feed), "; ".join(map(str, report.issues)))
                    except Exception:
                        # A drawing bug must not close the group's screen: keep the window,
                        # say it in the log, and show the next scene when it comes.
                        log.exception("screen: could not draw scene %s", feed_seq(feed))
                        animator.skip()
                        broken, dirty = scene, False
                        continue
                else:
                    canvas.fill((0, 0, 0))
                if overlay:
                    renderer.connection_overlay(
                        canvas, state=("connecting" if scene is None
                                       and state is not ConnectionState.no_room
                                       else state.value),
                        room=feed.room, options=options, now_ms=now, scene=scene)
                if not direct:
                    present(design, target)
                pygame.display.flip()
                dirty = False
                last_drawn_ms = now
                left = renderer.next_page_ms(now) if scene is not None else None
                turn_due = now + left if left is not None else None
                if on_frame is not None:
                    on_frame()
            if moving:
                clock.tick(ANIMATION_FPS)
                continue
            wait_ms = IDLE_POLL_MS
            if tick is not None:
                wait_ms = min(wait_ms, tick)
            if turn_due is not None:
                wait_ms = max(1, min(wait_ms, turn_due - now_ms()))
            feed.wake.wait(wait_ms / 1000)
    except KeyboardInterrupt:
        return 0
    finally:
        feed.stop()
        pygame.display.quit()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m engine.screen URL [ROOM] [--lang fi] [--fullscreen] [--display N]
    [--high-contrast] [--large-text] [--reduced-motion]``."""
    parser = argparse.ArgumentParser(
        prog="python -m engine.screen",
        description="Piiri's shared screen: shows a room's board, cards and turns for the "
                    "whole group.")
    parser.add_argument("url", nargs="?", help="server address, e.g. http://192.168.1.20:5000 "
                        "(a join address …/j/CODE also gives the room)")
    parser.add_argument("room", nargs="?", help="room code, e.g. KX7PM")
    parser.add_argument("--lang", default="fi", help="language: fi, sv, en, fi-x-selko ...")
    parser.add_argument("--fullscreen", action="store_true", help="start full screen")
    parser.add_argument("--display", type=int, default=None,
                        help="display number (0 = first); default: the second when there is one")
    parser.add_argument("--high-contrast", action="store_true")
    parser.add_argument("--large-text", action="store_true")
    parser.add_argument("--reduced-motion", action="store_true", help="no animation")
    parser.add_argument("--page-seconds", type=float, default=15.0, metavar="SECONDS",
                        help="how long each page of a long text stays (default 15; pages with "
                             "many words stay longer; Page Down / Page Up turn them)")
    parser.add_argument("--preview", metavar="SAMPLE",
                        help="show a sample scene without a server (lobby_3, card, board_12, "
                             "tally, story, locks, closing, paused ...)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    options = ScreenOptions(lang=args.lang, high_contrast=args.high_contrast,
                            large_text=args.large_text, reduced_motion=args.reduced_motion,
                            page_seconds=max(3.0, args.page_seconds))
    if args.preview:
        from engine.content import content_root

        from .samples import SAMPLES, sample

        if args.preview not in SAMPLES:
            parser.error(f"no sample {args.preview!r}; try one of: {', '.join(SAMPLES)}")
        # A sample scene without a server: for trying a projector's distance and colours
        # before the group comes.
        return run_screen("http://localhost", "PREVIEW", lang=args.lang,
                          fullscreen=args.fullscreen, display_index=args.display,
                          options=options,
                          feed=StaticFeed(sample(args.preview),
                                          pictures=Pictures(folder=content_root())))
    if not args.url:
        parser.error("give the server address, e.g. http://192.168.1.20:5000 KX7PM")
    room = args.room or room_from_url(args.url)
    if not room:
        parser.error("give the room code, e.g. KX7PM (or a join address …/j/KX7PM)")
    try:
        websocket_url(args.url)
    except ValueError as error:
        parser.error(str(error))
    return run_screen(args.url, room, lang=args.lang, fullscreen=args.fullscreen,
                      display_index=args.display, options=options)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
