"""Sign-in throttling: slow a guesser down without ever locking the owner out.

Three counts of failed sign-ins, each forgotten after :data:`WINDOW_S` seconds without a
failure:

- per address and account: after :data:`PAIR_FREE` failures, each further attempt from that
  address for that account waits 1, 2, 4 … seconds after the last failure, at most
  :data:`PAIR_CAP_S`. Only that address waits: the owner signing in from elsewhere does not.
- per account, from any address: after :data:`ACCOUNT_FREE` failures, a small wait (at most
  :data:`ACCOUNT_CAP_S`) for everyone, so that many addresses guessing one password get few
  guesses while the owner waits seconds at worst.
- per address, over any accounts: after :data:`ADDRESS_FREE` failures, that address waits
  1, 2, 4 … seconds (at most :data:`ADDRESS_CAP_S`) whichever account it tries: spraying one
  password over many accounts gets nowhere.

A refused attempt is not counted and its password is not checked. :class:`MemoryThrottle` keeps
the counts in this process; a shared store (Redis) can stand behind the same
:class:`SignInThrottle` interface when several processes serve sign-ins.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

__all__ = ["ACCOUNT_CAP_S", "ACCOUNT_FREE", "ADDRESS_CAP_S", "ADDRESS_FREE", "PAIR_CAP_S",
           "PAIR_FREE", "WINDOW_S", "MemoryThrottle", "SignInThrottle"]

WINDOW_S = 15 * 60
PAIR_FREE, PAIR_CAP_S = 5, 15 * 60
ACCOUNT_FREE, ACCOUNT_CAP_S = 10, 30
ADDRESS_FREE, ADDRESS_CAP_S = 10, 15 * 60


class SignInThrottle(Protocol):
    """What the sign-in page asks of a throttle."""

    def wait_s(self, address: str, account: str) -> int:
        """Seconds before ``address`` may try signing in as ``account`` (0: now)."""
        ...

    def failed(self, address: str, account: str) -> None:
        """Count a wrong password (or an unknown account) from ``address``."""
        ...

    def succeeded(self, address: str, account: str) -> None:
        """The right password: this address's failures for this account are forgotten."""
        ...


def delay_s(failures: int, free: int, cap: float) -> float:
    """The wait after ``failures`` failures: none up to ``free``, then doubling from one second.

    >>> [delay_s(n, 5, 60) for n in (4, 5, 6, 7, 20)]
    [0.0, 1.0, 2.0, 4.0, 60.0]
    """
    if failures < free:
        return 0.0
    return min(2.0 ** min(failures - free, 32), float(cap))


class MemoryThrottle:
    """:class:`SignInThrottle` in this process's memory. ``clock`` gives seconds (monotonic)."""

    #: Counts kept per key: enough to reach every cap.
    KEEP = 64
    #: Keys held before forgetting those without a failure in the window.
    MAX_KEYS = 20_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[tuple[str, ...], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, ...], now: float) -> deque[float]:
        """The failures of the current run: a quiet :data:`WINDOW_S` since the last one ends
        it. (Dropping each failure WINDOW_S after it happened would let the waits themselves
        age the count down, so a patient guesser would never reach the longer waits.)"""
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        if failures and now - failures[-1] > WINDOW_S:
            failures.clear()
        return failures

    def _wait(self, key: tuple[str, ...], now: float, free: int, cap: float) -> float:
        failures = self._recent(key, now)
        if not failures:
            return 0
        return max(0.0, failures[-1] + delay_s(len(failures), free, cap) - now)

    def wait_s(self, address: str, account: str) -> int:
        now = self._clock()
        with self._lock:
            wait = max(self._wait(("pair", address, account), now, PAIR_FREE, PAIR_CAP_S),
                       self._wait(("account", account), now, ACCOUNT_FREE, ACCOUNT_CAP_S),
                       self._wait(("address", address), now, ADDRESS_FREE, ADDRESS_CAP_S))
        return math.ceil(wait)

    def failed(self, address: str, account: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) > self.MAX_KEYS:
                self._forget_old(now)
            for key in (("pair", address, account), ("account", account), ("address", address)):
                self._failures.setdefault(key, deque(maxlen=self.KEEP)).append(now)

    def succeeded(self, address: str, account: str) -> None:
        with self._lock:
            self._failures.pop(("pair", address, account), None)

    def _forget_old(self, now: float) -> None:
        for key in [k for k, v in self._failures.items() if not v or now - v[-1] > WINDOW_S]:
            del self._failures[key]
