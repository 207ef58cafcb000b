"""The server frames its own outgoing text messages (facilitator.live.wsframe, issue 20): with
the compression the handshake agreed, large messages compressed and small ones not, one
connection's frames in the order they were sent, readable by a raw client that checks every
bit, by the websockets library and by Chromium."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.client import connect

from engine import Avatar, AvatarColour, AvatarIcon
from facilitator.live.hub import LiveTable
from facilitator.live.wsframe import MIN_COMPRESS, Outbound, text_frame

AVATAR = Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange)


class RawClient:
    """A WebSocket client written out by hand: it reads every frame's bits itself and
    inflates compressed messages with zlib as RFC 7692 says, so nothing is forgiven."""

    def __init__(self, port: int, extensions: str | None) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET /ws HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if extensions:
            lines.append(f"Sec-WebSocket-Extensions: {extensions}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            assert chunk, "the server closed during the handshake"
            head += chunk
        status, *headers = head.decode().split("\r\n")
        assert status.startswith("HTTP/1.1 101"), status
        found = {h.split(":", 1)[0].lower(): h.split(":", 1)[1].strip() for h in headers if h}
        self.agreed = found.get("sec-websocket-extensions", "")
        params = [p.strip() for p in self.agreed.split(";")]
        self.deflate = params[0] == "permessage-deflate"
        self.no_context = "server_no_context_takeover" in params
        bits = [int(p.split("=")[1]) for p in params if p.startswith("server_max_window_bits")]
        self.bits = bits[0] if bits else 15
        self._inflate: Any = None

    def _exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            assert chunk, "the server closed the connection"
            data += chunk
        return data

    def frame(self) -> tuple[int, bool, bytes]:
        """The next frame: (opcode, RSV1, payload as it came)."""
        first, second = self._exactly(2)
        assert first & 0x80, "the server fragmented a message"
        assert not first & 0x30, "RSV2/RSV3 set"
        assert not second & 0x80, "a server frame must not be masked"
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._exactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._exactly(8))[0]
        return first & 0x0F, bool(first & 0x40), self._exactly(length)

    def message(self) -> tuple[dict[str, Any], bool, int]:
        """The next text message (pings answered on the way): (message, compressed, bytes
        on the wire)."""
        while True:
            opcode, rsv1, payload = self.frame()
            if opcode == 0x9:  # the server's keepalive ping
                self.send_frame(0xA, payload)
                continue
            assert opcode == 0x1, f"opcode {opcode}"
            break
        if rsv1:
            assert self.deflate, "compressed without permessage-deflate agreed"
            if self._inflate is None or self.no_context:
                self._inflate = zlib.decompressobj(-self.bits)
            text = self._inflate.decompress(payload + b"\x00\x00\xff\xff")
        else:
            text = payload
        return json.loads(text.decode()), rsv1, len(payload)

    def send_frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        length = len(payload)
        head = bytes((0x80 | opcode, 0x80 | length)) if length < 126 else \
            bytes((0x80 | opcode, 0x80 | 126)) + struct.pack("!H", length)
        self.sock.sendall(head + mask + masked)

    def send(self, **msg: Any) -> None:
        self.send_frame(0x1, json.dumps(msg).encode())

    def until(self, kind: str) -> tuple[dict[str, Any], bool, int]:
        while True:
            found = self.message()
            if found[0]["t"] == kind:
                return found

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def table(module_server: Any) -> Iterator[LiveTable]:
    live = module_server.hub.create_table("circle", {"rounds": 2}, seed=4)
    yield live
    for conn in [*live.screens, *live.seats.values()]:
        conn.close()


OFFERS = {
    "none": None,
    "deflate": "permessage-deflate",
    "browser": "permessage-deflate; client_max_window_bits",
    "no_context_takeover": "permessage-deflate; server_no_context_takeover",
    "small_window": "permessage-deflate; server_max_window_bits=9",
}


@pytest.mark.parametrize("offer", OFFERS)
def test_large_messages_are_compressed_as_agreed_and_small_ones_never(
        module_server: Any, table: LiveTable, offer: str) -> None:
    client = RawClient(module_server.port, OFFERS[offer])
    try:
        assert client.deflate == (offer != "none")
        client.send(t="hello", v=1, role="screen", room=table.code)
        scenes = [client.until("scene")]
        hub = module_server.hub
        # The lobby's scene changes with each join (its roster): large frames, each a little
        # different, so that the compressor reaches back into earlier ones.
        for n in range(6):
            hub.join(table, f"Pelaaja {n}", AVATAR)
            scenes.append(client.until("scene"))
        client.send(t="ping")
        pong = client.until("pong")

        for message, compressed, _wire in scenes:
            assert message["scene"]["layout"] == "lobby"
            # Compressed exactly when agreed; a message under MIN_COMPRESS bytes never.
            assert compressed == client.deflate
        assert [m["scene"]["elements"][1]["entries"][-1]["nickname"] for m, _, _ in scenes[1:]] \
            == [f"Pelaaja {n}" for n in range(6)]
        assert pong[0] == {"t": "pong"} and pong[1] is False and pong[2] < MIN_COMPRESS
        if client.deflate and offer != "no_context_takeover":
            # With the context kept, a scene like the one before costs a fraction of it.
            assert scenes[-1][2] < len(json.dumps(scenes[-1][0])) / 3
    finally:
        client.close()


def test_one_connections_frames_keep_their_order_when_many_threads_send(
        module_server: Any, table: LiveTable) -> None:
    client = RawClient(module_server.port, "permessage-deflate")
    try:
        client.send(t="hello", v=1, role="screen", room=table.code)
        client.until("scene")
        (conn,) = table.screens
        assert conn.out is not None and conn.out.compressed  # type: ignore[attr-defined]
        filler = "x" * 300

        def sender(thread: int) -> None:
            for n in range(40):
                conn.send(json.dumps({"t": "test", "thread": thread, "n": n, "pad": filler}))

        threads = [threading.Thread(target=sender, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seen: dict[int, list[int]] = {i: [] for i in range(6)}
        for _ in range(6 * 40):  # every one inflates with the one context, in order
            message, compressed, _wire = client.until("test")
            assert compressed
            seen[message["thread"]].append(message["n"])
        assert all(got == list(range(40)) for got in seen.values())
    finally:
        client.close()


@pytest.mark.parametrize("compression", ["deflate", None])
def test_the_websockets_client_reads_every_frame_with_and_without_compression(
        module_server: Any, table: LiveTable, compression: str | None) -> None:
    with connect(module_server.ws_url, open_timeout=5, compression=compression) as ws:

        def until(kind: str) -> dict[str, Any]:
            while True:
                msg = json.loads(ws.recv(timeout=5))
                if msg["t"] == kind:
                    return msg

        ws.send(json.dumps({"t": "hello", "v": 1, "role": "seat", "room": table.code}))
        until("welcome")
        ws.send(json.dumps({"t": "join", "nickname": "Aino", "avatar": AVATAR.model_dump()}))
        seat = until("seated")["seat"]
        assert until("controls")["controls"]["seat"] == seat
        conn = table.seats[seat]
        assert conn.out is not None  # type: ignore[attr-defined]
        assert conn.out.compressed == (compression is not None)  # type: ignore[attr-defined]
        module_server.hub.apply(table, _start(module_server, table))
        controls = until("controls")["controls"]
        assert controls["your_turn"] is True
        ws.send(json.dumps({"t": "move", "id": 1, "name": "done", "payload": {}}))
        assert until("ack")["id"] == 1
        ws.send(json.dumps({"t": "ping"}))
        assert until("pong") == {"t": "pong"}


def _start(server: Any, live: LiveTable) -> Any:
    from engine import StartTable

    return StartTable(at=server.hub.now())


def test_chromium_reads_compressed_and_uncompressed_frames(
        module_server: Any, table: LiveTable, browser: Any) -> None:
    page = browser.new_context().new_page()
    page.goto(module_server.url + "/j/")
    got = page.evaluate("""([url, room]) => new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        const seen = [];
        ws.onerror = () => reject("error");
        ws.onopen = () => ws.send(JSON.stringify({t: "hello", v: 1, role: "screen", room}));
        ws.onmessage = (event) => {
            const msg = JSON.parse(event.data);
            seen.push(msg);
            if (msg.t === "scene") ws.send(JSON.stringify({t: "ping"}));
            if (msg.t === "pong") { resolve([seen, ws.extensions]); ws.close(); }
        };
        setTimeout(() => reject("timeout"), 10000);
    })""", [module_server.ws_url, table.code])
    seen, extensions = got
    assert extensions.startswith("permessage-deflate")  # Chromium asks for compression
    assert [m["t"] for m in seen] == ["scene", "pong"]
    assert seen[0]["scene"]["layout"] == "lobby"


def test_a_frame_is_the_rfc_6455_layout_at_every_length_boundary() -> None:
    for length in (0, 1, 125, 126, 127, 65535, 65536, 70000):
        frame = text_frame(b"a" * length)
        if length < 126:
            assert frame[:2] == bytes((0x81, length))
            assert len(frame) == 2 + length
        elif length < 65536:
            assert frame[:4] == bytes((0x81, 126)) + struct.pack("!H", length)
            assert len(frame) == 4 + length
        else:
            assert frame[:10] == bytes((0x81, 127)) + struct.pack("!Q", length)
            assert len(frame) == 10 + length
    assert text_frame(b"x", compressed=True)[0] == 0xC1


def test_without_compression_one_text_is_framed_once_for_every_connection() -> None:
    text = json.dumps({"t": "scene", "pad": "y" * 500})
    first, second = Outbound(), Outbound()
    assert first.text(text) is second.text(text)


@pytest.mark.parametrize("offer", ["none", "deflate"])
def test_a_message_larger_than_the_sockets_buffer_arrives_whole(
        module_server: Any, table: LiveTable, offer: str) -> None:
    """The first send() takes part of it; the rest follows before any other frame."""
    client = RawClient(module_server.port, OFFERS[offer])
    try:
        client.send(t="hello", v=1, role="screen", room=table.code)
        client.until("scene")
        (conn,) = table.screens
        # The server's side of the connection takes a few KB at a time (loopback's own buffer
        # would take the whole message at once).
        conn.raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)  # type: ignore[attr-defined]
        big = base64.b64encode(os.urandom(300_000)).decode()  # hardly compressible

        def send_both() -> None:  # (it waits while we read)
            conn.send(json.dumps({"t": "test", "n": 1, "pad": big}))
            conn.send(json.dumps({"t": "test", "n": 2, "pad": "after"}))

        sender = threading.Thread(target=send_both)
        sender.start()
        first, _compressed, _wire = client.until("test")
        second, _compressed, _wire = client.until("test")
        sender.join()
        assert not conn.dead  # type: ignore[attr-defined]
        assert (first["n"], first["pad"]) == (1, big)
        assert (second["n"], second["pad"]) == (2, "after")
    finally:
        client.close()



def test_a_closed_connection_frees_its_compression_at_once(
        module_server: Any, table: LiveTable) -> None:
    """A closed connection's zlib state (most of what it holds) is freed when it closes, not
    when the garbage collector gets to it (bench/README.md: the soak)."""
    import time

    with connect(module_server.ws_url, open_timeout=5, compression="deflate") as ws:
        ws.send(json.dumps({"t": "hello", "v": 1, "role": "seat", "room": table.code}))
        ws.send(json.dumps({"t": "join", "nickname": "Bashir", "avatar": AVATAR.model_dump()}))
        while True:
            msg = json.loads(ws.recv(timeout=5))
            if msg["t"] == "seated":
                break
        conn: Any = table.seats[msg["seat"]]
        while json.loads(ws.recv(timeout=5))["t"] != "controls":
            pass
        ws.send(json.dumps({"t": "ping", "pad": "x" * 600}))  # inflated by wsproto
        ws.recv(timeout=5)
        extension = next(e for e in conn.ws.ws.connection._proto.extensions
                         if e.name == "permessage-deflate")
        assert conn.out.compressed and conn.out._compressor is not None
        assert extension._decompressor is not None
    deadline = time.monotonic() + 10
    while extension._decompressor is not None or conn.out._compressor is not None:
        assert time.monotonic() < deadline, "the closed connection kept its zlib state"
        time.sleep(0.02)
