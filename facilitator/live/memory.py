"""Giving freed memory back to the system, so a long-running server's size follows its load.

A server that has run for hours has seen thousands of connections and tables come and go. Python
frees their objects, and zlib's per-connection state is freed with them, but glibc's allocator
keeps most of the freed heap for later instead of returning it: the process's resident size
then records the busiest moment it ever had, not what it holds now (measured with
``bench/live_latency.py --soak``: +61 % over 30 minutes without this, while tables ended and
were replaced; see bench/README.md). ``malloc_trim(0)`` returns the free pages at the top and
inside the heap. Before it, a collection frees the closed connections' objects, which are in
reference cycles and would otherwise wait for the collector's rare full pass. Both together
cost a few milliseconds to some tens of them, so the hub calls them at most once a minute
(:meth:`facilitator.live.hub.Hub.tick_all`); where the C library has no such call (musl,
macOS, Windows) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import time
from collections.abc import Callable

__all__ = ["TRIM_EVERY_S", "YOUNG_THRESHOLD", "Trimmer", "give_back", "settle_heap"]

log = logging.getLogger(__name__)

TRIM_EVERY_S = 60.0
"""The least time between two trims."""

YOUNG_THRESHOLD = 50_000
"""The serving process's threshold for the collector's young generation (Python's default
is 700): see :func:`settle_heap`."""


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


_TRIM = _malloc_trim()


def give_back() -> bool:
    """Collect the garbage in reference cycles (closed connections are: their greenlets, the
    WebSocket objects and the HTTP handler refer to each other), then return the allocator's
    free memory to the system. False where the second is not possible. After
    :func:`settle_heap` the collection walks only what the server made since it started;
    in a process that has not settled its heap (a test run, a script) the collector keeps its
    own schedule, as a full pass there would walk everything."""
    if gc.get_freeze_count():
        gc.collect()
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


class Trimmer:
    """Calls :func:`give_back` when at least ``every`` seconds have passed since the last call."""

    def __init__(self, every: float = TRIM_EVERY_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.monotonic = monotonic
        self.last = monotonic()
        self.trims = 0

    def maybe(self) -> bool:
        now = self.monotonic()
        if now - self.last < self.every:
            return False
        self.last = now
        if give_back():
            self.trims += 1
            return True
        return False


def settle_heap() -> None:
    """Call once the app is made, just before serving: collect what starting up left, then
    freeze the rest (modules, schemas, content: about 130,000 objects) out of the cyclic
    garbage collector's way. Its full collections otherwise walk all of it again and again
    while a busy server runs, each a pause of every connection of the process (measured
    200-300 ms with 1,000 audience connections a process; ``bench/audience.py``). Frozen
    objects are still freed when nothing refers to them; only cycles among them would stay,
    and the start-up heap lives as long as the process anyway.

    Then the young generation's threshold goes from 700 to :data:`YOUNG_THRESHOLD`. The
    collector counts objects made less objects freed; a server in its steady state frees
    about as many as it makes (each move's views replace the last), so the count says little
    of how much there is to walk: each young collection walked tens of thousands of views
    that had only to wait for their table's next move, 20-60 ms each, and every tenth one
    led to a full collection (about 200 ms at 1,300 connections). With the higher
    threshold the collector runs when the heap really grows (a meeting starting, tablets
    joining), and closed connections' cycles still go within the minute
    (:class:`Trimmer`). Measured with ``bench/live_latency.py`` (100 tables x 12 tablets,
    see bench/README.md): pauses of 20 ms or more in a closed-loop run's 30 s went from 43
    (3.6 s in all) to 4, and moves per second from about 390 to about 730."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
