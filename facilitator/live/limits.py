"""Limits on what tablets may send, kept across reconnects.

A connection's own limit is lost when it reconnects, so the same limits are also kept per
seat (across that seat's connections) and per network address (across every connection from
it). An address is generous, because a whole group, or an audience at a community event, may
sit behind one venue's address; what it may not do is guess room codes: wrong codes are counted
per address, right ones never are.

Everything is a token bucket: ``burst`` tries at once, refilled at ``rate`` per second. The
counts live in this process's memory, bounded by :data:`MAX_KEYS`; when several processes serve
tablets they share a store (:mod:`facilitator.live.shared`, Redis), so that a seat or an address
gets the same allowance whichever process its connections land on. A frame must stay cheap, so
a process does not ask Redis for every frame: it draws a few tokens at a time (``WS_SHARED_DRAW``,
10, and at most a third of the bucket) from the shared bucket and spends them here. Every token
spent was taken from the shared bucket, so no sender gets more than its limit across the
processes; at most a few drawn tokens go unspent when a seat moves on to another process.
Connections that have not joined are counted per process: they guard this process's own
sockets (and a count in Redis would outlive a process that died holding them).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .shared import SharedStore

__all__ = ["MAX_KEYS", "Bucket", "LiveLimits"]

#: Buckets held before the full (idle) ones are forgotten.
MAX_KEYS = 20_000

#: Seconds a shared store that could not be reached is left alone before it is asked again.
STORE_RETRY_S = 5.0

log = logging.getLogger("piiri.live")


@dataclass
class Bucket:
    """``burst`` tries at once, refilled at ``rate`` a second.

    >>> b = Bucket(rate=1.0, burst=2, tokens=2, stamp=0.0)
    >>> [b.take(0.0), b.take(0.0), b.take(0.0), b.take(1.0)]
    [True, True, False, True]
    """

    rate: float
    burst: float
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now

    def take(self, now: float) -> bool:
        self.refill(now)
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def has(self, now: float) -> bool:
        self.refill(now)
        return self.tokens >= 1

    def full(self, now: float) -> bool:
        self.refill(now)
        return self.tokens >= self.burst


class LiveLimits:
    """The limits of one server process (see the module's description).

    Settings (the app's config, each optional): ``WS_SEAT_RATE`` / ``WS_SEAT_BURST`` (frames a
    seat may send, across its reconnects: 10/s, 30 at once), ``WS_ADDRESS_RATE`` /
    ``WS_ADDRESS_BURST`` (frames from one address over all its connections: 100/s, 300 at
    once), ``WRONG_CODES_BURST`` / ``WRONG_CODE_REFILL_S`` (wrong room codes one address may try:
    20, then one more every 30 s), ``UNJOINED_PER_ADDRESS`` (connections from one address that
    have not joined or shown a screen, at the same time: 200), ``LIMITS_EXEMPT`` (addresses
    without per-address limits: this computer itself, ``127.0.0.1`` and ``::1``),
    ``WS_SHARED_DRAW`` (with a ``shared`` store: tokens drawn from it at a time, 10, at most a
    third of a bucket's burst).

    ``shared``: a store the server's processes share (a local one changes nothing). ``clock``
    gives seconds: monotonic by default, the wall clock with a shared store.
    """

    def __init__(self, settings: Mapping[str, Any] | None = None,
                 clock: Callable[[], float] | None = None,
                 shared: SharedStore | None = None) -> None:
        s = dict(settings or {})
        self.seat_rate = float(s.get("WS_SEAT_RATE", 10.0))
        self.seat_burst = float(s.get("WS_SEAT_BURST", 30))
        self.address_rate = float(s.get("WS_ADDRESS_RATE", 100.0))
        self.address_burst = float(s.get("WS_ADDRESS_BURST", 300))
        self.codes_burst = float(s.get("WRONG_CODES_BURST", 20))
        self.code_refill_s = float(s.get("WRONG_CODE_REFILL_S", 30.0))
        self.unjoined_cap = int(s.get("UNJOINED_PER_ADDRESS", 200))
        self.exempt = frozenset(s.get("LIMITS_EXEMPT", ("127.0.0.1", "::1")))
        """Addresses no per-address limit applies to: by default this computer itself (the
        leader's own screen, benchmarks). Behind a reverse proxy on the same computer set
        ``TRUST_PROXY``, so that each tablet has its own address here."""
        self.shared = shared if shared is not None and not shared.local else None
        self.draw = max(1, int(s.get("WS_SHARED_DRAW", 10)))
        self._clock = clock or (time.monotonic if self.shared is None else time.time)
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, ...], Bucket] = {}
        self._unjoined: dict[str, int] = {}
        #: With a shared store: tokens drawn from its buckets and not yet spent here.
        self._drawn: dict[tuple[str, ...], int] = {}
        self._store_down_until = 0.0

    def _bucket(self, key: tuple[str, ...], rate: float, burst: float, now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_KEYS:
                self._forget_idle(now)
            bucket = self._buckets[key] = Bucket(rate, burst, burst, now)
        return bucket

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items() if b.full(now)]:
            del self._buckets[key]
        if len(self._buckets) >= MAX_KEYS:  # nothing idle: the oldest go
            for key in list(self._buckets)[:MAX_KEYS // 10]:
                del self._buckets[key]

    def frame(self, address: str, seat: tuple[str, str] | None) -> bool:
        """Whether one more frame from ``address`` (and from ``seat``, a table and seat id,
        when the connection holds one) is allowed; counts it if so."""
        if self.shared is not None:
            return self._shared_frame(address, seat)
        now = self._clock()
        with self._lock:
            by_address = (self._bucket(("address", address), self.address_rate,
                                       self.address_burst, now)
                          if address not in self.exempt else None)
            by_seat = (self._bucket(("seat", *seat), self.seat_rate, self.seat_burst, now)
                       if seat is not None else None)
            if ((by_address is not None and not by_address.has(now))
                    or (by_seat is not None and not by_seat.has(now))):
                return False
            if by_address is not None:
                by_address.take(now)
            if by_seat is not None:
                by_seat.take(now)
            return True

    def _shared_frame(self, address: str, seat: tuple[str, str] | None) -> bool:
        """:meth:`frame` with the buckets in the shared store, spent from tokens drawn here.
        The store is asked outside the lock (a slow answer holds up no other connection); two
        connections that draw for one key at once only draw a few tokens early."""
        wanted: list[tuple[tuple[str, ...], float, float]] = []
        if address not in self.exempt:
            wanted.append((("address", address), self.address_rate, self.address_burst))
        if seat is not None:
            wanted.append((("seat", *seat), self.seat_rate, self.seat_burst))
        for key, rate, burst in wanted:
            with self._lock:
                held = self._drawn.get(key, 0)
            if held >= 1:
                continue
            got = self._draw(key, rate, burst)
            if got is None:  # the store cannot be reached: tablets play on unlimited
                return True
            if not got:
                return False  # nothing is spent of the other key's drawn tokens
            with self._lock:
                if len(self._drawn) >= MAX_KEYS:
                    self._drawn.clear()  # at most a few tokens each are lost
                self._drawn[key] = self._drawn.get(key, 0) + got
        with self._lock:
            if any(self._drawn.get(key, 0) < 1 for key, _, _ in wanted):
                return False  # another connection of the same key spent them meanwhile
            for key, _, _ in wanted:
                left = self._drawn[key] - 1
                if left:
                    self._drawn[key] = left
                else:
                    del self._drawn[key]
            return True

    def _draw(self, key: tuple[str, ...], rate: float, burst: float) -> int | None:
        assert self.shared is not None
        store = self.shared
        got: int | None = self._ask(lambda: store.take(
            store.key(key[0], *key[1:]), rate, burst, self._clock(),
            max(1, min(self.draw, int(burst // 3)))))
        return got

    def _ask(self, question: Callable[[], Any]) -> Any:
        """The shared store's answer, or None when it cannot be reached: then tablets play
        on unlimited rather than stop, and the store is not asked again for
        :data:`STORE_RETRY_S` (a store that does not answer would hold up every frame)."""
        if self._store_down_until and time.monotonic() < self._store_down_until:
            return None
        try:
            answer = question()
        except Exception:  # the store's client raises its own errors (Redis down or slow)
            if not self._store_down_until:
                log.exception("the shared store cannot be reached: tablets are not limited")
            self._store_down_until = time.monotonic() + STORE_RETRY_S
            return None
        if self._store_down_until:
            log.warning("the shared store answers again: tablets are limited again")
            self._store_down_until = 0.0
        return answer

    def may_try_code(self, address: str) -> bool:
        """Whether ``address`` may look a room code up now (it has not guessed too many)."""
        if address in self.exempt:
            return True
        if self.shared is not None:
            store = self.shared
            held = self._ask(lambda: store.tokens(store.key("codes", address),
                                                  1.0 / self.code_refill_s, self.codes_burst,
                                                  self._clock()))
            return held is None or bool(held >= 1)
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(("codes", address))
            return bucket is None or bucket.has(now)

    def wrong_code(self, address: str) -> None:
        """Count a room code that led nowhere."""
        if address in self.exempt:
            return
        if self.shared is not None:
            store = self.shared
            self._ask(lambda: store.take(store.key("codes", address), 1.0 / self.code_refill_s,
                                         self.codes_burst, self._clock()))
            return
        now = self._clock()
        with self._lock:
            self._bucket(("codes", address), 1.0 / self.code_refill_s, self.codes_burst,
                         now).take(now)

    def open_unjoined(self, address: str) -> bool:
        """A connection from ``address`` that has not joined yet: False (and not counted) when
        that address already holds the most such connections allowed."""
        with self._lock:
            held = self._unjoined.get(address, 0)
            if held >= self.unjoined_cap and address not in self.exempt:
                return False
            self._unjoined[address] = held + 1
            return True

    def close_unjoined(self, address: str) -> None:
        """That connection joined, became a screen, or closed."""
        with self._lock:
            held = self._unjoined.get(address, 0) - 1
            if held > 0:
                self._unjoined[address] = held
            else:
                self._unjoined.pop(address, None)

    def unjoined(self, address: str) -> int:
        with self._lock:
            return self._unjoined.get(address, 0)
