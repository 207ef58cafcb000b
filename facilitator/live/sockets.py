"""Tablets and screens: the join page, the QR image, and the WebSocket endpoint."""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
import socket as pysocket
import time
from typing import Any
from urllib.parse import urlsplit

import qrcode
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_sock import ConnectionClosed, Sock
from pydantic import ValidationError

from engine import Avatar, Rejected, Result, TableStatus, message
from engine.protocol import (
    PROTOCOL_VERSION,
    Ack,
    ErrorMessage,
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

from .hub import Hub, LiveTable, PendingJoin, Replayed

__all__ = ["bp", "sock"]

log = logging.getLogger("piiri.live")

bp = Blueprint("live", __name__, template_folder="templates")
sock = Sock()

#: Per connection: a burst of this many messages, refilled at RATE_PER_S.
RATE_BURST = 30
RATE_PER_S = 10.0
HELLO_TIMEOUT_S = 15


def hub() -> Hub:
    found: Hub = current_app.extensions["piiri.hub"]
    return found


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/j/<code>")
def join_page(code: str) -> Response:
    live = hub().find(code)
    if live is None or live.table.status is TableStatus.ended:
        page = render_template("live/no_room.html", text=message("no_room"))
        return _no_store(Response(page, status=404))
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
    if not current_app.config.get("WEBSOCKET_COMPRESSION", True):
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


class _Socket:
    """A WebSocket as the hub's Connection."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def send(self, text: str) -> None:
        self.ws.send(text)

    def close(self) -> None:
        self.ws.close()


class _Session:
    """One connection's conversation with the hub."""

    def __init__(self, hub: Hub, conn: _Socket) -> None:
        self.hub = hub
        self.conn = conn
        self.live: LiveTable | None = None
        self.role: str | None = None
        self.seat: str | None = None
        self.token: str | None = None
        self.waiting = False
        self.tokens = float(RATE_BURST)
        self.refilled = time.monotonic()

    def send(self, msg: Any) -> None:
        self.conn.send(msg.model_dump_json())

    def error(self, reason: str, msg_id: int | None = None, key: str | None = None) -> None:
        self.send(ErrorMessage(reason=reason, message=message(key or reason), id=msg_id))

    def allowed(self) -> bool:
        now = time.monotonic()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.refilled) * RATE_PER_S)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def handle(self, raw: str | bytes) -> None:
        if not self.allowed():
            self.error("too_many")
            return
        try:
            msg = parse_client_message(raw)
        except (ValueError, ValidationError):
            self.error("bad_message")
            return
        if isinstance(msg, Ping):
            self.send(Pong())
        elif isinstance(msg, Hello):
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
        if live is None:
            self.error("no_room")
            return
        self.live, self.role = live, msg.role
        if msg.role == "screen":
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
        return Welcome(room=live.code, seat=seat, title=live.table.module.title,
                       status=meta.status.value, avatars_taken=taken, admit=live.admit,
                       roster=roster)

    def join(self, msg: JoinRequest) -> None:
        assert self.live is not None
        if self.role != "seat" or self.seat is not None or self.waiting:
            self.error("bad_message")
            return
        avatar = Avatar.model_validate(msg.avatar)
        if self.live.admit:
            self.waiting = True
            self.hub.request_join(self.live, PendingJoin(
                id=secrets.token_urlsafe(6), conn=self.conn, nickname=msg.nickname,
                avatar=avatar, member=msg.member, decided=self.joined))
            return
        self.joined(*self.hub.join(self.live, msg.nickname, avatar, msg.member))

    def joined(self, result: Result, token: str | None) -> None:
        """Tell the tablet how its join went (at once, or when the leader decided)."""
        assert self.live is not None
        self.waiting = False
        if isinstance(result, Rejected) or token is None:
            assert isinstance(result, Rejected)
            self.send(ErrorMessage(reason=result.reason.value, message=result.message))
            return
        self.seat, self.token = result.event.facts[0].seat, token
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
    session = _Session(hub(), _Socket(socket))
    opened = time.monotonic()
    try:
        while True:
            raw = socket.receive(timeout=HELLO_TIMEOUT_S)
            if raw is None:
                if session.live is None and time.monotonic() - opened > HELLO_TIMEOUT_S:
                    break
                continue
            session.handle(raw)
    except ConnectionClosed:
        pass
    except Exception:  # one broken connection must never take the hub down
        log.exception("connection failed")
    finally:
        session.closed()


