"""Live connections under strain, over real sockets: closing properly (also under gevent),
limits that hold across reconnects and per address, wrong room codes, connections that do not
read, ordinary disconnects, nicknames, identity codes in any game's text, plain HTTP check-ins,
and admin commands that never write a table event."""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from websockets.exceptions import ConnectionClosed

from engine import StartTable
from facilitator.app import create_app

from .live_server import LiveServer, running
from .test_protocol import AVATAR, Client, table

ROOT = Path(__file__).parent.parent


# -- a raw WebSocket client: exact control of every byte and of not reading -------------------


class Raw:
    """A WebSocket client on a bare TCP socket: it sends what it is told, reads only when told."""

    def __init__(self, port: int, rcvbuf: int | None = None) -> None:
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(5)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            assert chunk, "the server closed during the handshake"
            head += chunk
        assert head.startswith(b"HTTP/1.1 101"), head
        self.buffer = b""

    def frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        size = len(payload)
        if size < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
        elif size < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + body)

    def send(self, **msg: Any) -> None:
        self.frame(0x1, json.dumps(msg).encode())

    def close_frame(self) -> None:
        self.frame(0x8, struct.pack("!H", 1000))

    def read_frame(self) -> tuple[int, bytes] | None:
        """The next frame (opcode, payload), or None when the server closed TCP."""
        while True:
            if len(self.buffer) >= 2:
                opcode, size = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F
                at = 2
                if size == 126:
                    size, at = struct.unpack("!H", self.buffer[2:4])[0], 4
                elif size == 127:
                    size, at = struct.unpack("!Q", self.buffer[2:10])[0], 10
                if len(self.buffer) >= at + size:
                    payload, self.buffer = self.buffer[at:at + size], self.buffer[at + size:]
                    return opcode, payload
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk

    def until_closed(self) -> list[int]:
        """Read until the server closes TCP (socket.timeout if it does not within 5 s);
        returns the opcodes seen."""
        seen = []
        while (frame := self.read_frame()) is not None:
            seen.append(frame[0])
        return seen


def limited(**settings: Any) -> dict[str, Any]:
    """A server config whose per-address limits apply to loopback too (tests come from it)."""
    return {"LIMITS_EXEMPT": [], **settings}


# -- closing properly -------------------------------------------------------------------------


def test_a_closing_handshake_the_server_starts_ends_with_tcp_closed(server: LiveServer) -> None:
    client = Client(server)
    client.ws.send("x" * 70_000)  # more than the server reads: it closes the connection
    with pytest.raises(ConnectionClosed):
        client.ws.recv(timeout=5)  # closed well within 5 s, not left for the client to end
    raw = Raw(server.port)
    raw.close_frame()
    assert raw.until_closed() == [0x8]  # its answer, then the server closed TCP


GEVENT_SERVER = """
from gevent import monkey; monkey.patch_all()
import sys
from facilitator.app import create_app
from gevent.pywsgi import WSGIServer
app = create_app({"DATABASE": sys.argv[2], "TICKS": False, "SECRET_KEY": "t"})
server = WSGIServer(("127.0.0.1", int(sys.argv[1])), app)
print("ready", flush=True)
server.serve_forever()
"""


@pytest.fixture()
def gevent_server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """Piiri served as ``piiri run --server gevent`` serves it (gevent.pywsgi), in a child
    process; its log goes to a file the test reads."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = tmp_path / "gevent.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-c", GEVENT_SERVER, str(port),
                                 str(tmp_path / "g.sqlite3")], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if "ready" in log.read_text():
                break
            assert proc.poll() is None, log.read_text()
            time.sleep(0.1)
        yield port, log
    finally:
        proc.terminate()
        proc.wait(10)


def test_under_gevent_closing_is_prompt_and_never_read_as_http(
        gevent_server: tuple[int, Path]) -> None:
    port, log = gevent_server
    for _ in range(3):  # the tablet closes: its close is answered and TCP closed by the server
        raw = Raw(port)
        raw.send(t="ping")
        raw.close_frame()
        assert raw.until_closed() == [0x1, 0x8]
    for _ in range(3):  # the server closes (a frame too big): the tablet's answer is read
        raw = Raw(port)
        raw.frame(0x1, b"x" * 70_000)
        assert 0x8 in raw.until_closed()
        raw.close_frame()  # the answer arrives after the server's close
    raw = Raw(port)
    raw.send(t="ping")
    assert raw.read_frame() == (0x1, b'{"t":"pong"}')
    text = log.read_text()
    assert "Invalid HTTP method" not in text and "Traceback" not in text, text


# -- limits that hold across reconnects ------------------------------------------------------


def _too_many(client: Client, pings: int) -> int:
    for _ in range(pings):
        client.send(t="ping")
    replies = [json.loads(client.ws.recv(timeout=5)) for _ in range(pings)]
    return sum(1 for r in replies if r.get("reason") == "too_many")


@pytest.mark.parametrize("server_config", [limited(WS_SEAT_RATE=0.5, WS_SEAT_BURST=20)])
def test_a_seats_limit_holds_across_reconnects(server: LiveServer) -> None:
    live = table(server)
    first = Client(server)
    _seat, token = first.join(live.code, "Aino")
    first.drain(0.2)
    assert _too_many(first, 25) >= 5  # the seat's 20 are spent (the connection had 30)
    first.close()
    again = Client(server)
    again.hello(live.code, token=token)
    again.drain(0.2)
    assert _too_many(again, 10) >= 5  # a fresh connection, the same seat: still limited


@pytest.mark.parametrize("server_config", [limited(WS_ADDRESS_RATE=0.5, WS_ADDRESS_BURST=30)])
def test_an_address_is_limited_over_all_its_connections(server: LiveServer) -> None:
    refused = 0
    for _ in range(4):  # reconnecting gives a connection its own limit back, not the address
        client = Client(server)
        refused += _too_many(client, 12)
        client.close()
    assert refused >= 10


# -- guessing room codes ----------------------------------------------------------------------


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as page:
            return page.status, page.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("server_config", [limited(WRONG_CODES_BURST=5)])
def test_wrong_room_codes_are_limited_per_address_right_ones_never(server: LiveServer) -> None:
    live = table(server)
    for _ in range(12):  # a whole group behind one address opens the right code
        assert _get(f"{server.url}/j/{live.code}")[0] == 200
    seated = Client(server)
    _seat, token = seated.join(live.code, "Aino")
    seated.close()
    for n in range(4):
        status, body = _get(f"{server.url}/j/ZZZZ{n + 2}")
        assert status == 404 and "No game has this code" in body
    guesser = Client(server)
    guesser.send(t="hello", v=1, role="seat", room="ZZZZZ")  # the fifth wrong, on the socket
    assert guesser.until("error")["reason"] == "no_room"
    for path in (f"/j/{live.code}", "/j/ZZZZ9", "/j/"):  # now every code alike, and the page
        status, body = _get(f"{server.url}{path}")
        assert status == 429, path
        assert "Liian monta väärää koodia" in body and "Too many wrong codes" in body
    blocked = Client(server)
    blocked.send(t="hello", v=1, role="seat", room=live.code)
    error = blocked.until("error")
    assert error["reason"] == "too_many_codes" and error["message"]["sv"]
    with pytest.raises(ConnectionClosed):
        blocked.ws.recv(timeout=5)
    back = Client(server)  # a tablet that already sits at the table gets its seat back
    assert back.hello(live.code, token=token)["seat"] is not None


@pytest.mark.parametrize("server_config", [limited(UNJOINED_PER_ADDRESS=3)])
def test_connections_that_never_join_are_capped_per_address(server: LiveServer) -> None:
    live = table(server)
    lurkers = [Client(server) for _ in range(3)]
    for lurker in lurkers:
        lurker.hello(live.code)
    extra = Client(server)
    assert extra.until("error")["reason"] == "too_many_connections"
    with pytest.raises(ConnectionClosed):
        extra.ws.recv(timeout=5)
    lurkers[0].send(t="join", nickname="Aino", avatar=AVATAR)  # joining frees its place
    lurkers[0].until("seated")
    newcomer = Client(server)
    assert newcomer.hello(live.code)["t"] == "welcome"


# -- connections that do not read, and tablets that simply leave -----------------------------


@pytest.mark.parametrize("server_config", [{"WS_SEND_TIMEOUT_S": 1,
                                            "WS_MAX_QUEUED_BYTES": 64 * 1024}])
def test_a_tablet_that_does_not_read_is_dropped_and_others_go_on(server: LiveServer) -> None:
    live = table(server)
    reader = Client(server)
    reader_seat, _ = reader.join(live.code, "Aino")
    stuck = Raw(server.port, rcvbuf=4096)
    stuck.send(t="hello", v=1, role="seat", room=live.code)
    stuck.send(t="join", nickname="Bashir", avatar=AVATAR)
    for _ in range(100):
        if len(live.seats) == 2:
            break
        time.sleep(0.05)
    stuck_seat = next(s for s in live.seats if s != reader_seat)
    # The table keeps changing; the stuck tablet never reads a byte.
    done = threading.Event()

    def churn() -> None:
        for _ in range(20_000):
            if stuck_seat not in live.seats:
                break
            server.hub.broadcast(live)
        done.set()

    worker = threading.Thread(target=churn, daemon=True)
    worker.start()
    assert done.wait(60), "a broadcast hung on a tablet that does not read"
    with live.lock:  # the hub marks it not connected under the table's lock
        assert stuck_seat not in live.seats  # dropped: its memory is let go
        seat = live.table.seat(stuck_seat)
    assert seat is not None and not seat.connected
    reader.drain(0.2)
    server.hub.apply(live, StartTable(at=server.hub.now()))
    assert reader.until("controls")["controls"]  # the others are served as before


def test_a_tablet_that_leaves_at_once_is_not_an_error(server: LiveServer,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    live = table(server)
    caplog.set_level(logging.DEBUG)
    for _ in range(30):
        raw = Raw(server.port)
        raw.send(t="hello", v=1, role="seat", room=live.code)
        raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raw.sock.close()  # gone (a reset) before its welcome is sent
    check = Client(server)
    assert check.hello(live.code)["t"] == "welcome"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


# -- names and text from tablets -------------------------------------------------------------


def test_a_roster_name_of_forty_characters_joins_as_that_member(server: LiveServer) -> None:
    live = table(server)
    name = "Aino-Maria Katariina Virtanen-Korhonen " + "Ö"  # 40 characters, the panel's limit
    assert len(name) == 40
    live.roster = {name: "7", "Bashir": "8"}
    a, b = Client(server), Client(server)
    seat_a, _ = a.join(live.code, name)
    seat_b, _ = b.join(live.code, "  bashir ")  # however it is spaced or cased
    assert live.table.seat(seat_a).member == "7"  # type: ignore[union-attr]
    assert live.table.seat(seat_b).member == "8"  # type: ignore[union-attr]
    c = Client(server)
    c.hello(live.code)
    c.send(t="join", nickname="Cecilia", avatar={"icon": "moon", "colour": "#56B4E9"},
           member="8")  # a tablet cannot claim someone's record
    seat_c = c.until("seated")["seat"]
    assert live.table.seat(seat_c).member is None  # type: ignore[union-attr]


def test_identity_codes_are_refused_in_every_games_free_text(server: LiveServer) -> None:
    live = server.hub.create_table("escape_room", {"room": "lost-key"}, seed=5)
    tablet = Client(server)
    tablet.hello(live.code)
    tablet.send(t="join", nickname="Aino 131052-308T", avatar=AVATAR)
    refused = tablet.until("error")
    assert "henkilötunnus" in refused["message"]["fi"] and refused["message"]["fi-x-selko"]
    assert not live.table.meta.seats
    tablet.send(t="join", nickname="Aino", avatar=AVATAR)
    tablet.until("seated")
    server.hub.apply(live, StartTable(at=server.hub.now()))
    before = (live.table.seq, live.table.fingerprint())
    puzzle = next(iter(live.table.content.rooms["lost-key"].puzzles)).id
    for n, payload in enumerate([
            {"puzzle": puzzle, "value": "synt. 131052-308T"},
            {"puzzle": puzzle, "value": ["ok", "010203A1234"]},
            {"puzzle": puzzle, "value": {"131052 - 308t": "x"}}]):
        tablet.send(t="move", id=n + 1, name="try_answer", payload=payload)
        error = tablet.until("error")
        assert error["id"] == n + 1
        assert "identity code" in error["message"]["en"] and "personbeteckning" in (
            error["message"]["sv"])
    assert (live.table.seq, live.table.fingerprint()) == before


# -- a participant types the code -------------------------------------------------------------


def test_participants_can_type_the_code_on_a_page_the_screen_names(server: LiveServer) -> None:
    live = table(server)
    status, body = _get(f"{server.url}/j/")
    assert status == 200 and 'name="code"' in body and "Kirjoita huoneen koodi" in body
    for lang, words in (("sv", "Skriv rummets kod"), ("en", "Type the room code"),
                        ("selko", "Kirjoita koodi")):
        assert words in _get(f"{server.url}/j/?lang={lang}")[1]
    typed = " ".join(live.code.lower())  # as people type it
    with urllib.request.urlopen(f"{server.url}/j/?code={urllib.request.quote(typed)}",
                                timeout=5) as page:
        assert page.url.endswith(f"/j/{live.code}")
        assert f'data-room="{live.code}"' in page.read().decode()
    screen = Client(server)
    scene = screen.hello(live.code, role="screen")
    join = next(e for e in scene["scene"]["elements"] if e["kind"] == "join")
    assert join["short_url"] == f"127.0.0.1:{server.port}/j"
    assert "join_page" not in scene


# -- private rounds over plain HTTP -----------------------------------------------------------


@pytest.fixture()
def checkin_server(tmp_path: Path) -> Iterator[LiveServer]:
    from facilitator.checkins.sealing import new_key

    with running(tmp_path / "c.sqlite3", CHECKIN_KEYS=new_key()) as live:
        yield live


def test_a_checkin_over_plain_http_on_a_network_needs_the_leaders_confirmation(
        checkin_server: LiveServer) -> None:
    from .test_checkin_live import start_meeting

    server = checkin_server
    panel, code, _ids, token = start_meeting(server)
    page = panel.get(f"/panel/t/{code}/checkin").get_data(as_text=True)
    assert 'id="plain-http"' not in page  # this computer itself: nothing travels
    server.hub.public_url = "http://192.168.1.20:5000"
    page = panel.get(f"/panel/t/{code}/checkin").get_data(as_text=True)
    assert 'id="plain-http"' in page and "http://192.168.1.20:5000" in page
    form = {"csrf_token": token, "kind": "start", "form": "piiri-arki"}
    refused = panel.post(f"/panel/t/{code}/checkin/open", data=form, follow_redirects=True)
    assert "Oma arvio jäi avaamatta" in refused.get_data(as_text=True)  # the leader is told
    live = server.hub.find(code)
    assert live is not None and live.table.meta.checkin is None
    panel.post(f"/panel/t/{code}/checkin/open", data={**form, "private_network": "yes"})
    assert live.table.meta.checkin is not None
    server.hub.public_url = "https://piiri.example.org"
    assert 'id="plain-http"' not in panel.get(f"/panel/t/{code}/checkin").get_data(as_text=True)


# -- one writer ------------------------------------------------------------------------------


def test_an_admin_command_never_writes_into_a_running_servers_tables(server: LiveServer) -> None:
    from facilitator.accounts.commands import create_user_command

    live = table(server)
    tablet = Client(server)
    seat, _ = tablet.join(live.code, "Aino")
    store = server.app.extensions["piiri.store"]
    before = store.last_seq(live.table_id)
    result = CliRunner().invoke(create_user_command, [
        "--email", "new@a.example", "--name", "New", "--organisation", "Org",
        "--database", str(server.database), "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    assert store.last_seq(live.table_id) == before  # no "disconnected" event, nothing at all
    restarted = create_app({"DATABASE": str(server.database), "TICKS": False,
                            "SECRET_KEY": "t", "SERVE": False})
    try:
        assert not restarted.extensions["piiri.hub"].tables()
        with pytest.raises(RuntimeError):  # nothing outside the serving process can write
            restarted.extensions["piiri.hub"].apply(live, StartTable(at=server.hub.now()))
    finally:
        restarted.extensions["piiri.store"].close()
    assert live.table.seat(seat).connected  # type: ignore[union-attr]
