"""Which server process owns which live table: a lease per table in the shared store.

A table has one writer at a time. When several processes serve one Piiri, the process that
holds a table's lease is its owner: it applies the table's actions and writes its events; every
other process forwards to it. The lease lasts :data:`TTL_S` seconds and its owner renews it
every :data:`RENEW_EVERY_S`; an owner that dies (``kill -9``, a lost host) stops renewing, and
once its lease lapses another process may take the table and reload it from its event log.
Storage's unique ``(table, seq)`` stays the last line: a process that lost its lease without
noticing (stopped for longer than the lease) has its next append refused.

On one process (:class:`~facilitator.live.shared.MemoryStore`) the same calls work and that
process owns everything it acquires.

>>> from facilitator.live.shared import MemoryStore
>>> store = MemoryStore()
>>> a, b = TableLeases(store, "a"), TableLeases(store, "b")
>>> a.acquire("t1"), b.acquire("t1"), b.owner_of("t1")
(True, False, 'a')
>>> a.release("t1"), b.acquire("t1"), sorted(a.owners().items())
(True, True, [('t1', 'b')])
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterable

from .shared import SharedStore

__all__ = ["RENEW_EVERY_S", "TTL_S", "TableLeases", "process_owner_id"]

log = logging.getLogger("piiri.live")

#: How long a lease lasts without renewal: how long a table waits for a dead owner.
TTL_S = 5.0
#: How often the owner renews its leases (well inside TTL_S, so one slow renewal is not fatal).
RENEW_EVERY_S = 2.0
_KIND = "lease"


def process_owner_id() -> str:
    """A name for this process, unique among every process that ever runs (host, process id
    and a random part: a process id is reused after a restart, a lease's owner must not be)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class TableLeases:
    """One process's view of the table leases.

    Args:
        store: the store every process shares (Redis for several processes).
        owner: this process's name (default: :func:`process_owner_id`).
        ttl_s: how long a lease lasts unless renewed.
    """

    def __init__(self, store: SharedStore, owner: str | None = None,
                 ttl_s: float = TTL_S) -> None:
        self.store = store
        self.owner = owner or process_owner_id()
        self.ttl_s = ttl_s
        self._held: set[str] = set()
        self._lock = threading.Lock()

    @staticmethod
    def _key(table_id: str) -> str:
        return f"{_KIND}:{table_id}"

    def held(self) -> set[str]:
        """The tables this process believes it owns (renewed by :meth:`renew_all`)."""
        with self._lock:
            return set(self._held)

    def acquire(self, table_id: str) -> bool:
        """Own ``table_id``: True if it was free, lapsed or already ours (then renewed), False
        if another process holds it."""
        won = self.store.claim(self._key(table_id), self.owner, self.ttl_s)
        if won:
            with self._lock:
                self._held.add(table_id)
        return won

    def renew(self, table_id: str) -> bool:
        """Keep ``table_id`` another ``ttl_s``; False if the lease was lost (lapsed, maybe taken
        over): this process must stop writing the table."""
        key = self._key(table_id)
        # A lease that is simply gone (Redis restarted without its data, or this process was
        # held up past the lease) and that nobody else took is still this process's to keep:
        # its table is in memory here with its tablets. Claiming fails if another took it.
        kept = self.store.renew(key, self.owner, self.ttl_s) or (
            self.store.holder(key) is None and self.store.claim(key, self.owner, self.ttl_s))
        if not kept:
            with self._lock:
                self._held.discard(table_id)
        return kept

    def release(self, table_id: str) -> bool:
        """Give ``table_id`` up (the table ended or this process is shutting down)."""
        with self._lock:
            self._held.discard(table_id)
        return self.store.release(self._key(table_id), self.owner)

    def owner_of(self, table_id: str) -> str | None:
        """The process that owns ``table_id`` now, or None when no live process does."""
        return self.store.holder(self._key(table_id))

    def owners(self) -> dict[str, str]:
        """Every table some process owns now -> its owner: the live tables of every process."""
        return self.store.holders(_KIND)

    def renew_all(self, tables: Iterable[str] | None = None) -> list[str]:
        """Renew ``tables`` (default: every table held): returns those that were lost."""
        lost = [table_id for table_id in (self.held() if tables is None else tables)
                if not self.renew(table_id)]
        return lost

    def keep_renewing(self, on_lost: Callable[[str], None],
                      every_s: float = RENEW_EVERY_S) -> Callable[[], None]:
        """Renew every held lease every ``every_s`` seconds on a daemon thread, calling
        ``on_lost(table_id)`` for each one lost. Returns a function that stops it."""
        stop = threading.Event()

        def run() -> None:
            while not stop.wait(every_s):
                try:
                    lost = self.renew_all()
                except Exception:  # the store is unreachable: try again next round
                    log.exception("could not renew table leases")
                    continue
                for table_id in lost:
                    log.warning("lost the lease of table %s", table_id)
                    on_lost(table_id)

        threading.Thread(target=run, name="piiri-leases", daemon=True).start()
        return stop.set

    def release_all(self) -> None:
        """Give every held table up (a clean shutdown: others take them at once)."""
        for table_id in self.held():
            self.release(table_id)
