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

A refused attempt is not counted and its password is not checked. :class:`StoreThrottle` keeps
the counts in a shared store (:mod:`facilitator.live.shared`): in Redis when several processes
serve sign-ins (``REDIS_URL``), so that a guesser gains nothing by landing on another process;
:class:`MemoryThrottle` is the same over this process's memory (the default). Only a count and
the time of the last failure are kept per key, and no address or email in the clear.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from facilitator.live import SharedStore

__all__ = ["ACCOUNT_CAP_S", "ACCOUNT_FREE", "ADDRESS_CAP_S", "ADDRESS_FREE", "PAIR_CAP_S",
           "PAIR_FREE", "WINDOW_S", "MemoryThrottle", "SignInThrottle", "StoreThrottle"]

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


class StoreThrottle:
    """:class:`SignInThrottle` over a shared store. ``clock`` gives seconds: a wall clock when
    the store is shared between processes (their clocks agree, their monotonic ones do not)."""

    #: Failures counted per key: enough to reach every cap.
    KEEP = 64

    def __init__(self, store: SharedStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self._clock = clock

    def _keys(self, address: str, account: str) -> tuple[str, str, str]:
        key = self.store.key
        return (key("signin-pair", address, account), key("signin-account", account),
                key("signin-address", address))

    def wait_s(self, address: str, account: str) -> int:
        now = self._clock()
        caps = ((PAIR_FREE, PAIR_CAP_S), (ACCOUNT_FREE, ACCOUNT_CAP_S),
                (ADDRESS_FREE, ADDRESS_CAP_S))
        found = self.store.failures(self._keys(address, account), now, WINDOW_S)
        wait = max((last + delay_s(count, free, cap) - now
                    for (count, last), (free, cap) in zip(found, caps, strict=True) if count),
                   default=0.0)
        return math.ceil(max(0.0, wait))

    def failed(self, address: str, account: str) -> None:
        self.store.count_failure(self._keys(address, account), self._clock(), WINDOW_S,
                                 self.KEEP)

    def succeeded(self, address: str, account: str) -> None:
        self.store.forget(self._keys(address, account)[0])


class MemoryThrottle(StoreThrottle):
    """:class:`SignInThrottle` in this process's memory. ``clock`` gives seconds (monotonic).

    A run of failures ends after a quiet :data:`WINDOW_S` since the last one (dropping each
    failure WINDOW_S after it happened would let the waits themselves age the count down, so a
    patient guesser would never reach the longer waits)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        from facilitator.live import MemoryStore

        super().__init__(MemoryStore(), clock)
