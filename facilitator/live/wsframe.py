"""The server's outgoing WebSocket data frames, made here rather than by wsproto (issue 20).

A server's data frame is simple (RFC 6455 §5.2: no mask): a two-to-ten byte header and the
payload. wsproto still does the handshake, reads every incoming frame, and sends pings, pongs
and the closing handshake; only text messages from the server to a tablet or screen are
framed here, because the profile of a busy server found a quarter of its time in wsproto's
per-message compression:

- A connection that negotiated permessage-deflate (RFC 7692) gets its own compressor here,
  within what was negotiated (``server_max_window_bits``, ``server_no_context_takeover``).
  Our frames are small (a tablet's controls are about a kilobyte), so the compressor keeps a
  window of :data:`WINDOW_BITS` (4 KiB; the RFC lets a server use a smaller window than the
  one negotiated, and the client's decompressor reads it alike) and a small hash table: about
  20 KB per connection instead of zlib's default ~260 KB, which a server of a thousand
  tablets no longer pushes through the processor's cache once per frame. :data:`LEVEL` is
  zlib's fastest; see bench/README.md for what each choice measured.
- A message under :data:`MIN_COMPRESS` bytes (an ack, a pong, an error) goes uncompressed,
  with RSV1 off: RFC 7692 lets each message say whether it is compressed, and an uncompressed
  one leaves both sides' compression context as it was.
- A connection without compression gets the same frame bytes as every other connection that
  is sent the same text (the last text framed is remembered).

One connection's frames must be made in the order they are sent (the compressor's context
runs through them): the caller frames under the connection's lock, in queue order
(:class:`facilitator.live.sockets._Socket`).
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

__all__ = ["LEVEL", "MIN_COMPRESS", "WINDOW_BITS", "Outbound", "negotiated_deflate",
           "release_inbound", "text_frame"]

#: zlib's level for our frames: 1, the fastest. With 1,000 connections level 6 (zlib's and
#: wsproto's default) took ~3 times the CPU of level 1 for ~60 % more bytes saved.
LEVEL = 1
#: The compressor's window (2**12 = 4 KiB: the last frame or two, where most repeats are),
#: or the negotiated window when that is smaller.
WINDOW_BITS = 12
#: zlib's memLevel (its hash table: 2**(3+9) bytes); 8 is zlib's default.
MEM_LEVEL = 3
#: Messages shorter than this many bytes go uncompressed (compressing one costs more CPU than
#: the few bytes it saves are worth).
MIN_COMPRESS = 200

_FIN_TEXT = 0x81  # FIN, text
_FIN_TEXT_RSV1 = 0xC1  # FIN, RSV1 (compressed), text
_TAIL = b"\x00\x00\xff\xff"


def _header(first: int, length: int) -> bytes:
    if length < 126:
        return bytes((first, length))
    if length < 65536:
        return struct.pack("!BBH", first, 126, length)
    return struct.pack("!BBQ", first, 127, length)


def text_frame(payload: bytes, compressed: bool = False) -> bytes:
    """One unfragmented, unmasked text frame (what a server sends) carrying ``payload``
    (UTF-8; with ``compressed`` a permessage-deflate message, RSV1 on).

    >>> text_frame(b'{"t":"pong"}')
    b'\\x81\\x0c{"t":"pong"}'
    """
    return _header(_FIN_TEXT_RSV1 if compressed else _FIN_TEXT, len(payload)) + payload


#: The last text framed uncompressed, shared by every connection sent the same string (a
#: table's scene to its screens, an audience's text): (text, UTF-8 payload, frame).
_last: tuple[str, bytes, bytes] = ("", b"", text_frame(b""))


def _encoded(text: str) -> tuple[bytes, bytes]:
    """``text`` as UTF-8 and as an uncompressed frame, made once for consecutive sends of the
    same string object."""
    last = _last
    if last[0] is text:
        return last[1], last[2]
    payload = text.encode()
    frame = text_frame(payload)
    globals()["_last"] = (text, payload, frame)
    return payload, frame


class Outbound:
    """One connection's outgoing text frames, compressed as its handshake agreed.

    Args:
        deflate: the permessage-deflate extension the handshake enabled (wsproto's
            ``PerMessageDeflate``), or ``None`` for no compression.
        level, window_bits, min_compress: see :data:`LEVEL`, :data:`WINDOW_BITS` and
            :data:`MIN_COMPRESS`.
    """

    __slots__ = ("_compressor", "bits", "level", "min_compress", "reset_each")

    def __init__(self, deflate: Any = None, level: int = LEVEL,
                 window_bits: int = WINDOW_BITS, min_compress: int = MIN_COMPRESS) -> None:
        self.level = level
        self.min_compress = min_compress
        self.bits = 0
        """The compressor's window bits; 0 when this connection is not compressed."""
        self.reset_each = False
        """Whether every message is compressed on its own (``server_no_context_takeover``)."""
        self._compressor: Any = None
        if deflate is not None:
            bits = min(int(deflate.server_max_window_bits), window_bits)
            # zlib cannot make a raw stream for a 256-byte window (it makes 512): such a
            # connection is sent uncompressed messages only, which is always allowed.
            self.bits = bits if bits >= 9 else 0
            self.reset_each = bool(deflate.server_no_context_takeover)

    def release(self) -> None:
        """Free the compressor now (the connection has closed): its buffers are most of what
        a connection holds, and a closed connection's objects can wait a long time for the
        garbage collector (they are in reference cycles with their greenlets)."""
        self._compressor = None
        self.bits = 0

    @property
    def compressed(self) -> bool:
        """Whether this connection's larger messages are compressed."""
        return self.bits != 0

    def text(self, text: str) -> bytes:
        """The frame for one text message (call in sending order)."""
        payload, frame = _encoded(text)
        if not self.bits or len(payload) < self.min_compress:
            return frame
        compressor = self._compressor
        if compressor is None:
            compressor = zlib.compressobj(self.level, zlib.DEFLATED, -self.bits, MEM_LEVEL)
            if not self.reset_each:
                self._compressor = compressor
        data = compressor.compress(payload) + compressor.flush(zlib.Z_SYNC_FLUSH)
        if data.endswith(_TAIL):  # RFC 7692 §7.2.1: the flush's empty block is left off
            data = data[:-4]
        return text_frame(data, compressed=True)


def negotiated_deflate(ws: Any) -> tuple[bool, Any]:
    """What simple-websocket's connection ``ws`` agreed in its handshake: ``(known,
    deflate)``, where ``deflate`` is the enabled permessage-deflate extension or ``None``.
    ``known`` is False when wsproto's connection cannot be read (another version): then the
    caller keeps sending through wsproto, as before."""
    connection = getattr(getattr(ws, "ws", None), "connection", None)
    proto = getattr(connection, "_proto", None)
    extensions = getattr(proto, "extensions", None)
    if not isinstance(extensions, list):
        return False, None
    for extension in extensions:
        if getattr(extension, "name", None) == "permessage-deflate":
            if extension.enabled():
                return True, extension
            continue
        if extension.enabled():  # an extension we do not know how to frame for
            return False, None
    return True, None


def release_inbound(ws: Any) -> None:
    """Free wsproto's permessage-deflate state of simple-websocket's connection ``ws`` (once
    it has closed): its decompressor keeps a 32 KiB window per connection. wsproto makes a new
    one if a frame still comes, so this is safe at any time after the close."""
    connection = getattr(getattr(ws, "ws", None), "connection", None)
    proto = getattr(connection, "_proto", None)
    for extension in getattr(proto, "extensions", None) or ():
        if getattr(extension, "name", None) == "permessage-deflate":
            for name in ("_compressor", "_decompressor"):
                if hasattr(extension, name):
                    setattr(extension, name, None)
