"""Tablets and screens: the join page, the code page, the QR image, and the WebSocket endpoint.

What a tablet may send is limited per connection, per seat (across its reconnects) and per
network address (:mod:`facilitator.live.limits`); wrong room codes are counted per address, on
the pages and on the socket alike. What the server sends each connection goes through a
bounded queue: a connection that does not read is dropped rather than held in memory. A
closing handshake ends with the server closing the TCP connection, under every server.
"""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
import socket as pysocket
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import qrcode
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_sock import ConnectionClosed, Sock
from pydantic import ValidationError
from wsproto.events import CloseConnection, TextMessage
from wsproto.utilities import LocalProtocolError

from engine import Avatar, LocalizedText, Rejected, Result, TableStatus, message
from engine.protocol import (
    PROTOCOL_VERSION,
    Ack,
    ErrorMessage,
    Follow,
    Gone,
    HandOver,
    Hello,
    JoinRequest,
    MoveRequest,
    PassRequest,
    Ping,
    Pong,
    ScreenInfo,
    ScreenSettings,
    Seated,
    Welcome,
    parse_client_message,
)

from .followup import followed
from .hub import Hub, LiveTable, PendingJoin, Replayed
from .limits import LiveLimits
from .roomcode import normalise
from .wsframe import Outbound, negotiated_deflate, release_inbound

__all__ = ["bp", "sock"]

log = logging.getLogger("piiri.live")

bp = Blueprint("live", __name__, template_folder="templates")
sock = Sock()

#: Per connection: a burst of this many messages, refilled at RATE_PER_S (the same holds per
#: seat across reconnects, and more generously per address: see LiveLimits).
RATE_BURST = 30
RATE_PER_S = 10.0
HELLO_TIMEOUT_S = 15
#: A connection that keeps sending this many frames over its limits in a row is dropped.
FLOOD_DROP = 200
#: Frames read but not yet handled before a connection counts as flooding and is dropped.
MAX_BACKLOG = 256
#: Bytes waiting to go out to one connection before it counts as not reading and is dropped.
MAX_QUEUED_BYTES = 512 * 1024
#: Seconds one write may wait for a connection that does not read before it is dropped.
SEND_TIMEOUT_S = 10.0
#: Seconds the server waits for the tablet's answer to its close frame before closing TCP.
CLOSE_WAIT_S = 2.0
#: How often a connection that has not said hello yet looks whether its time is up.
POLL_S = 2.0
#: The same once it has: a closing socket, a drop or a message wakes the loop at once
#: anyway, so this is only a safety net. (Every 2 s for each of 1,300 idle connections was
#: 650 wake-ups a second, a tenth of a move's CPU at 100 moves/s: bench/README.md.)
IDLE_POLL_S = 30.0


def hub() -> Hub:
    found: Hub = current_app.extensions["piiri.hub"]
    return found


def limits() -> LiveLimits:
    """This app's limits (made on first use, from the app's config)."""
    found = current_app.extensions.get("piiri.live_limits")
    if found is None:
        found = current_app.extensions.setdefault("piiri.live_limits",
                                                  LiveLimits(current_app.config))
    return found  # type: ignore[no-any-return]


def _address() -> str:
    return request.remote_addr or "?"


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


#: The code page's words, in the tablet's four languages (the tablet page's own are in
#: tablet.js). "selko" is easy Finnish (fi-x-selko).
CODE_PAGE_LANGS = {"fi": "Suomi", "sv": "Svenska", "en": "English", "selko": "Selkosuomi"}
_CODE_WORDS: dict[str, dict[str, str]] = {
    "fi": {"title": "Tule mukaan", "label": "Kirjoita huoneen koodi",
           "hint": "Koodi näkyy yhteisellä näytöllä. Kirjaimet ja numerot, ei välejä.",
           "go": "Jatka", "again": "Kirjoita koodi uudelleen"},
    "sv": {"title": "Var med", "label": "Skriv rummets kod",
           "hint": "Koden syns på den gemensamma skärmen. Bokstäver och siffror, inga mellanslag.",
           "go": "Fortsätt", "again": "Skriv koden igen"},
    "en": {"title": "Join in", "label": "Type the room code",
           "hint": "The code is on the shared screen. Letters and numbers, no spaces.",
           "go": "Continue", "again": "Type the code again"},
    "selko": {"title": "Tule mukaan", "label": "Kirjoita koodi",
              "hint": "Koodi on isolla näytöllä.",
              "go": "Jatka", "again": "Kirjoita koodi uudestaan"},
}


def _page_lang() -> str:
    chosen = request.args.get("lang", "")
    if chosen in CODE_PAGE_LANGS:
        return chosen
    best = request.accept_languages.best_match(["fi", "sv", "en"])
    return best or "fi"


def _in_every_language(text: LocalizedText, lang: str) -> list[tuple[str, str]]:
    """``text`` in the reader's language first, then in the others (a learner may need
    another), each once: (HTML language tag, text)."""
    lines: list[tuple[str, str]] = []
    for tag in (lang, "fi", "sv", "en"):
        line = text.pick("fi-x-selko" if tag == "selko" else tag)
        if line not in {seen for _, seen in lines}:
            lines.append(("fi" if tag == "selko" else tag, line))
    return lines


def _code_page(status: int, problem: LocalizedText | None = None, code: str = "") -> Response:
    lang = _page_lang()
    state = {200: "code", 404: "no-room", 429: "limited"}[status]
    page = render_template(
        "live/join_code.html", lang=lang, html_lang="fi" if lang == "selko" else lang,
        words=_CODE_WORDS[lang], langs=CODE_PAGE_LANGS, code=code, state=state,
        problem=_in_every_language(problem, lang) if problem is not None else [])
    response = _no_store(Response(page, status=status))
    if status == 429:
        response.headers["Retry-After"] = str(int(limits().code_refill_s))
    return response


def join_page_address() -> str:
    """The code page's short address to show beside the room code, e.g. ``192.168.1.20:5000/j``
    (what a participant types when they cannot scan the QR code)."""
    base = hub().public_url or request.host_url.rstrip("/")
    return base.split("://", 1)[-1] + "/j"


@bp.get("/j/")
def code_page() -> Any:
    """Where a participant types the room code (its address is short and on the screen)."""
    if not limits().may_try_code(_address()):
        return _code_page(429, message("too_many_codes"))
    typed = request.args.get("code")
    if typed is not None:
        code = normalise(typed)
        if code:
            lang = request.args.get("lang")
            target = url_for("live.join_page", code=code)
            return redirect(f"{target}?lang={lang}" if lang in CODE_PAGE_LANGS else target)
    return _code_page(200)


@bp.get("/j/<code>")
def join_page(code: str) -> Response:
    address = _address()
    if not limits().may_try_code(address):
        return _code_page(429, message("too_many_codes"))
    live = hub().find(code)
    if live is None or live.table.status is TableStatus.ended:
        if live is None:
            limits().wrong_code(address)
        return _code_page(404, message("no_room"), code=normalise(code)[:16])
    page = render_template("live/tablet.html", room=live.code, ws_url_path=url_for("live.ws"),
                           static=url_for("static", filename="").rstrip("/"))
    return _no_store(Response(page))


@bp.get("/screen/<code>")
def screen_page(code: str) -> Response:
    """The shared screen in a browser, for a smart TV or a laptop without pygame."""
    live = hub().find(code)
    if live is None:
        page = render_template("live/no_room.html", text=message("no_room"))
        return _no_store(Response(page, status=404))
    lang = request.args.get("lang", "fi")
    page = render_template("live/screen.html", room=live.code, ws_url_path=url_for("live.ws"),
                           static=url_for("static", filename="").rstrip("/"), lang=lang)
    return _no_store(Response(page))


@bp.get("/qr/<code>.png")
def qr_image(code: str) -> Response:
    live = hub().find(code)
    if live is None:
        abort(404)
    url = join_url(live)
    image = qrcode.make(url, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return _no_store(Response(buffer.getvalue(), mimetype="image/png"))


def join_url(live: LiveTable) -> str:
    base = hub().public_url or request.host_url.rstrip("/")
    return f"{base}/j/{live.code}"


@bp.before_app_request
def _check_websocket_origin() -> Any:
    """Refuse a WebSocket upgrade from a page of another site (cross-site hijacking)."""
    if request.path != "/ws":
        return None
    if not current_app.config.get("WEBSOCKET_COMPRESSION", True) or (
            request.args.get("role") == "audience"):
        # (An audience of thousands gets the same text, never compressed per connection.)
        # Compression saves bandwidth on poor Wi-Fi but costs ~110 KB of memory and CPU per
        # connection; a server holding thousands of tablets may turn it off.
        request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    origin = request.headers.get("Origin")
    if origin is None:
        return None  # not a browser (screens, tests, benchmarks)
    allowed = {request.host_url.rstrip("/")}
    allowed.update(current_app.config.get("ALLOWED_ORIGINS", []))
    if hub().public_url:
        allowed.add(hub().public_url)
    parts = urlsplit(origin)
    if f"{parts.scheme}://{parts.netloc}".replace("https://", "http://") not in {
            a.replace("https://", "http://") for a in allowed}:
        log.warning("refused WebSocket from origin %s", origin)
        abort(403)
    return None


def _tcp_socket(environ: dict[str, Any], ws: Any) -> Any:
    """The connection's own TCP socket. Under gevent the WebSocket reads a duplicate of it
    that it closes when done; closing a duplicate leaves the connection open, and gevent would
    then read the tablet's next bytes as a new HTTP request. Shutting this one down ends the
    connection for everyone holding it."""
    for key in ("werkzeug.socket", "gunicorn.socket"):
        if key in environ:
            return environ[key]
    stream = environ.get("wsgi.input")
    if stream is not None and not hasattr(stream, "raw"):
        stream = getattr(stream, "rfile", stream)
    found = getattr(getattr(stream, "raw", None), "_sock", None)
    return found if found is not None else getattr(ws, "sock", None)


class _Socket:
    """A WebSocket as the hub's Connection, with a bounded queue of frames to send.

    Frames are sent in order by whichever thread finds nobody sending (no thread of its own
    per connection); others only queue. A connection whose queue passes
    :data:`MAX_QUEUED_BYTES`, or whose write waits longer than :data:`SEND_TIMEOUT_S`, does not
    read what it is sent: it is dropped, its memory freed. Sending never raises: a tablet
    that has gone is an ordinary event, not an error.
    """

    def __init__(self, ws: Any, tcp: Any = None, max_queued: int = MAX_QUEUED_BYTES,
                 send_timeout: float | None = SEND_TIMEOUT_S) -> None:
        self.ws = ws
        self.tcp = tcp
        self.max_queued = max_queued
        self.dead = False
        """Dropped, or gone: nothing more is sent."""
        self._lock = threading.Lock()
        self._queue: deque[bytes] = deque()
        self._queued = 0
        self._writing = False
        known, deflate = negotiated_deflate(ws)
        self.out: Outbound | None = Outbound(deflate) if known else None
        """This connection's text frames, made here (:mod:`facilitator.live.wsframe`);
        ``None`` when wsproto's handshake cannot be read: then wsproto frames them."""
        sock = getattr(ws, "sock", None)
        if sock is not None and send_timeout and getattr(ws, "ping_interval", None):
            # The reader waits for data with select() before each recv (it pings), so this
            # timeout only bounds writes.
            with contextlib.suppress(OSError):
                sock.settimeout(send_timeout)
        self.raw = sock
        """The connection's socket (what :meth:`_drain` writes to)."""

    def send(self, text: str) -> None:
        out = self.out
        if out is not None:
            self._put(out.text, text)
        else:
            self._put(self._wsproto_text, text)

    def _wsproto_text(self, text: str) -> bytes:
        return self.ws.ws.send(TextMessage(data=text))  # type: ignore[no-any-return]

    def send_framed(self, data: bytes) -> None:
        """Queue a WebSocket frame made once for many connections (an audience's text,
        uncompressed: valid on every connection)."""
        self._put(bytes, data)

    def _put(self, frame: Callable[[Any], bytes], arg: Any) -> None:
        with self._lock:
            if self.dead or not self.ws.connected:
                return
            try:
                data = frame(arg)  # framed (and compressed) in queue order
            except LocalProtocolError:  # closing already
                return
            self._queue.append(data)
            self._queued += len(data)
            if self._queued > self.max_queued:
                self._drop_locked("does not read: %d bytes waiting", self._queued)
                return
            if self._writing:
                return
            self._writing = True
        self._drain()

    def _drain(self) -> None:
        sent = b""
        while True:
            with self._lock:
                self._queued -= len(sent)
                if self.dead or not self._queue:
                    self._writing = False
                    self._queue.clear()
                    return
                data = sent = self._queue.popleft()
            try:
                sock = self.raw
                # One send() nearly always takes a whole frame; gevent's sendall() costs a
                # getsockopt() and more per call (a tenth of a busy server's socket time).
                done = sock.send(data)
                if done < len(data):
                    sock.sendall(memoryview(data)[done:])
            except OSError as error:  # gone, or not reading (timed out)
                with self._lock:
                    self._writing = False
                    self._drop_locked("send failed: %s", error)
                return

    def _drop_locked(self, why: str, *args: Any) -> None:
        log.debug("dropping a connection: " + why, *args)
        self.dead = True
        self._queue.clear()
        self._queued = 0
        self.ws.connected = False
        self.ws.event.set()  # the session's receive() wakes up and ends
        self.shutdown()

    def drop(self, why: str) -> None:
        """End this connection at once, without a closing handshake (it floods, or it does
        not read)."""
        with self._lock:
            if not self.dead:
                self._drop_locked(why)

    @property
    def queued(self) -> int:
        """Bytes waiting to be sent."""
        return self._queued

    def close(self) -> None:
        """Start the closing handshake (after what is queued): the tablet answers, then
        :meth:`finish` closes TCP. Safe from any thread."""
        self._put(self.ws.ws.send, CloseConnection(code=1000))
        self.ws.connected = False
        self.ws.event.set()

    def finish(self) -> None:
        """The session is over: close properly and promptly. Wait a moment for the tablet's
        answer to our close frame (if we sent one), then close the TCP connection ourselves,
        as the server should."""
        if self.ws.connected:
            self.close()
        self._wait_sent(CLOSE_WAIT_S)  # what is queued (a last message, the close) goes first
        thread = getattr(self.ws, "thread", None)
        if thread is not None and not self.dead:
            thread.join(CLOSE_WAIT_S)
        self.dead = True
        self._linger()
        self.shutdown()
        self.release()

    def release(self) -> None:
        """Free this closed connection's compression state at once rather than when the
        garbage collector finds it (measured in bench/README.md's soak: it was most of a
        long-running server's growth)."""
        out = self.out
        if out is not None:
            out.release()
        thread = getattr(self.ws, "thread", None)
        if thread is None or not thread.is_alive():  # nobody reads frames any more
            release_inbound(self.ws)

    def _wait_sent(self, timeout: float) -> None:
        """Wait, briefly, until another thread writing to this socket has sent the queue."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.dead or not (self._writing or self._queue):
                    return
            time.sleep(0.005)

    def _linger(self) -> None:
        """Send our FIN, then read (and drop) what the tablet still sends until it closes too,
        briefly: its answer to a close frame must not be left for the HTTP server to read as
        a new request."""
        sock = self.tcp
        if sock is None:
            return
        deadline = time.monotonic() + CLOSE_WAIT_S
        with contextlib.suppress(OSError, ValueError):
            sock.shutdown(pysocket.SHUT_WR)
            for _ in range(64):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                sock.settimeout(left)
                if not sock.recv(4096):
                    break

    def shutdown(self) -> None:
        for sock in (self.tcp, self.raw):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(pysocket.SHUT_RDWR)


class _Session:
    """One connection's conversation with the hub."""

    def __init__(self, hub: Hub, conn: _Socket, limits: LiveLimits | None = None,
                 address: str = "?") -> None:
        self.hub = hub
        self.conn = conn
        self.limits = limits or LiveLimits()
        self.address = address
        self.live: LiveTable | None = None
        self.role: str | None = None
        self.seat: str | None = None
        self.token: str | None = None
        self.waiting = False
        self.tokens = float(RATE_BURST)
        self.refilled = time.monotonic()
        self.over_limit = 0
        """Frames refused in a row for going over a limit."""
        self.unjoined = False
        """Whether this connection counts among its address's connections that never joined."""
        self.refused: dict[str, int] = {}
        """Frames refused, by reason (for the fuzz benchmark and the log)."""
        self.proxy: Any = None
        """When the table is owned by another server process: where every frame goes
        (:mod:`facilitator.live.cluster`)."""

    def open(self) -> bool:
        """A new connection: False (told why) when its address holds too many that never
        joined."""
        if not self.limits.open_unjoined(self.address):
            self.error("too_many_connections")
            return False
        self.unjoined = True
        return True

    def _joined_something(self) -> None:
        if self.unjoined:
            self.unjoined = False
            self.limits.close_unjoined(self.address)

    def send(self, msg: Any) -> None:
        self.conn.send(msg.model_dump_json())

    def error(self, reason: str, msg_id: int | None = None, key: str | None = None) -> None:
        self.refused[reason] = self.refused.get(reason, 0) + 1
        self.send(ErrorMessage(reason=reason, message=message(key or reason), id=msg_id))

    def allowed(self) -> bool:
        """Whether one more frame is within this connection's, its seat's and its address's
        limits (the seat's and the address's hold across reconnects)."""
        now = time.monotonic()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.refilled) * RATE_PER_S)
        self.refilled = now
        if self.tokens < 1:
            return False
        seat = (self.live.table_id, self.seat) if self.live and self.seat else None
        if not self.limits.frame(self.address, seat):
            return False
        self.tokens -= 1
        return True

    def handle(self, raw: str | bytes) -> None:
        audience = self.hub.audience
        if audience is not None and self.proxy is None and (
                self.role == "audience" or self.live is None) and audience.handle(self, raw):
            return  # an audience keeps limits of its own (facilitator.live.audience)
        if not self.allowed():
            self.over_limit += 1
            if self.over_limit >= FLOOD_DROP:
                self.conn.drop("floods")
                return
            self.error("too_many")
            return
        self.over_limit = 0
        if self.proxy is not None:
            self.proxy.forward(raw)
            return
        try:
            msg = parse_client_message(raw)
        except (ValueError, ValidationError):
            self.error("bad_message")
            return
        if isinstance(msg, Ping):
            self.send(Pong())
        elif isinstance(msg, Hello):
            cluster = self.hub.cluster
            if self.live is None and cluster is not None and cluster.route(self, msg.room, raw):
                return
            self.hello(msg)
        elif self.live is None:
            self.error("bad_message")
        elif isinstance(msg, JoinRequest):
            self.join(msg)
        elif isinstance(msg, MoveRequest | PassRequest):
            self.act(msg)
        elif isinstance(msg, HandOver):
            self.handover()
        elif isinstance(msg, ScreenInfo):
            if self.role != "screen":
                self.error("bad_message")
                return
            self.live.screen_info[id(self.conn)] = msg

    def hello(self, msg: Hello) -> None:
        if msg.v != PROTOCOL_VERSION:
            self.error("old_version")
            return
        if self.live is not None:
            self.error("bad_message")
            return
        live = self.hub.find(msg.room)
        if msg.token and msg.role == "seat" and (live is None or live.table.status is
                                                  TableStatus.ended):
            room = followed(self.hub, live, msg.token)
            if room is not None:  # its seat went on to a follow-up table: go there
                self.send(Follow(room=room))
                return
        if not self.limits.may_try_code(self.address) and not (
                live is not None and msg.token and self.hub.seat_of_token(live, msg.token)):
            # Too many wrong codes from this address: every code is refused alike (else a
            # right guess would show), except a returning tablet's own seat.
            self.error("too_many_codes")
            self.conn.close()
            return
        if live is None:
            self.limits.wrong_code(self.address)
            self.error("no_room")
            return
        self.live, self.role = live, msg.role
        if msg.role == "screen":
            self._joined_something()
            with live.lock:
                live.screens.add(self.conn)
                frame = self.hub.scene_frame(live)
                lang = live.screen_lang
            if lang is not None:
                self.send(ScreenSettings(lang=lang))
            self.conn.send(frame)
            return
        seat = None
        if msg.token:
            seat = self.hub.reclaim(live, self.conn, msg.token)
            if seat is None:
                ended = live.table.status is TableStatus.ended
                self.send(Gone(reason="ended" if ended else "unknown",
                               message=message("ended_body" if ended else "reject.seat_gone")))
            else:
                self.seat, self.token = seat, msg.token
                self._joined_something()
        self.send(self.welcome(live, seat))
        if seat is not None:
            self.conn.send(self.hub.controls_frame(live, seat))

    def welcome(self, live: LiveTable, seat: str | None) -> Welcome:
        meta = live.table.meta
        taken = [s.avatar for s in meta.seats if not s.gone]
        roster: list[str] = []
        if live.show_roster and live.roster:
            joined = {s.member for s in meta.seats if not s.gone}
            roster = [name for name, member in live.roster.items() if member not in joined]
        mine = live.table.seat(seat) if seat is not None else None
        return Welcome(room=live.code, seat=seat, title=live.table.module.title,
                       status=meta.status.value, avatars_taken=taken, admit=live.admit,
                       roster=roster, nickname=mine.nickname if mine else None,
                       avatar=mine.avatar if mine else None)

    def join(self, msg: JoinRequest) -> None:
        assert self.live is not None
        if self.role != "seat" or self.seat is not None or self.waiting:
            self.error("bad_message")
            return
        avatar = Avatar.model_validate(msg.avatar)
        if self.live.admit:
            self.waiting = True
            # A tablet never names a member: the roster name it chose does (in the hub).
            self.hub.request_join(self.live, PendingJoin(
                id=secrets.token_urlsafe(6), conn=self.conn, nickname=msg.nickname,
                avatar=avatar, member=None, decided=self.joined))
            return
        self.joined(*self.hub.join(self.live, msg.nickname, avatar))

    def joined(self, result: Result, token: str | None) -> None:
        """Tell the tablet how its join went (at once, or when the leader decided)."""
        assert self.live is not None
        self.waiting = False
        if isinstance(result, Rejected) or token is None:
            assert isinstance(result, Rejected)
            self.send(ErrorMessage(reason=result.reason.value, message=result.message))
            return
        self.seat, self.token = result.event.facts[0].seat, token
        self._joined_something()
        # Tell the tablet its token before anything else can reach it.
        self.send(Seated(seat=self.seat, token=token))
        self.hub.attach(self.live, self.conn, self.seat)

    def act(self, msg: MoveRequest | PassRequest) -> None:
        assert self.live is not None
        if self.seat is None:
            self.error("not_seated", msg.id)
            return
        if isinstance(msg, MoveRequest):
            result = self.hub.move(self.live, self.seat, msg.id, msg.name, msg.payload)
        else:
            result = self.hub.pass_turn(self.live, self.seat, msg.id)
        if isinstance(result, Replayed):
            self.error("replayed", msg.id)
        elif isinstance(result, Rejected):
            self.send(ErrorMessage(reason=result.reason.value, message=result.message,
                                   id=msg.id))
        else:
            self.send(Ack(id=msg.id, seq=self.live.table.seq))

    def handover(self) -> None:
        assert self.live is not None
        if self.seat is None:
            self.error("not_seated")
            return
        self.hub.handover(self.live, self.conn, self.seat, self.token)
        self.seat = self.token = None
        self.send(Gone(reason="handed_over", message=message("handed_over")))

    def closed(self) -> None:
        self._joined_something()
        if self.role == "audience" and self.hub.audience is not None:
            self.hub.audience.left(self)
        if self.proxy is not None:
            self.proxy.closed()
        if self.live is not None:
            self.hub.disconnected(self.live, self.conn, self.seat)


@sock.route("/ws", bp=bp)
def ws(socket: Any) -> None:
    raw = getattr(socket, "sock", None)
    if raw is not None:
        # Small frames must go out at once: without this, Nagle's algorithm and delayed ACKs
        # hold a tablet's ack back by ~40 ms under steady traffic.
        with contextlib.suppress(OSError, AttributeError):
            raw.setsockopt(pysocket.IPPROTO_TCP, pysocket.TCP_NODELAY, 1)
    config = current_app.config
    conn = _Socket(socket, _tcp_socket(request.environ, socket),
                   max_queued=int(config.get("WS_MAX_QUEUED_BYTES", MAX_QUEUED_BYTES)),
                   send_timeout=float(config.get("WS_SEND_TIMEOUT_S", SEND_TIMEOUT_S)))
    session = _Session(hub(), conn, limits(), _address())
    try:
        if session.open():
            _serve(socket, session)
    except (ConnectionClosed, OSError) as error:  # the tablet went: an ordinary event
        log.debug("connection ended: %r", error)
    except Exception:  # one broken connection must never take the hub down
        log.exception("connection failed")
    finally:
        try:
            session.closed()
        finally:
            conn.finish()


def _serve(socket: Any, session: _Session) -> None:
    opened = time.monotonic()
    conn = session.conn
    while not conn.dead:
        greeted = (session.live is not None or session.proxy is not None
                   or session.role is not None)
        raw = socket.receive(timeout=IDLE_POLL_S if greeted else POLL_S)
        if raw is None:
            if not socket.connected:  # closed while we waited (e.g. a frame too big)
                break
            if not greeted and time.monotonic() - opened > HELLO_TIMEOUT_S:
                break
            continue
        if len(getattr(socket, "input_buffer", ())) > MAX_BACKLOG:
            conn.drop("floods: too many frames waiting")
            break
        session.handle(raw)
