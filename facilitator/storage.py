"""Where tables live between restarts: the event log, snapshots, room codes and seat tokens.

The hub talks to storage only through :class:`Store`; the default is :class:`SqliteStore`, a
single SQLite file in WAL mode. ``(table_id, seq)`` is unique, so a second writer's append fails
with :class:`SeqConflict` instead of forking the table.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from engine import Event, Snapshot

__all__ = ["OpenTable", "SeqConflict", "SqliteStore", "Store"]


class SeqConflict(Exception):
    """Another writer appended this event number first; reload the table and retry."""


@dataclass(frozen=True)
class OpenTable:
    table_id: str
    room_code: str
    game: str


class Store(Protocol):
    def create_table(self, table_id: str, room_code: str, game: str, at: datetime) -> None: ...
    def append(self, table_id: str, event: Event) -> None: ...
    def events(self, table_id: str, after: int = 0) -> list[Event]: ...
    def last_seq(self, table_id: str) -> int: ...
    def open_tables(self) -> list[OpenTable]: ...
    def mark_ended(self, table_id: str, at: datetime) -> None: ...
    def save_snapshot(self, table_id: str, snapshot: Snapshot) -> None: ...
    def latest_snapshot(self, table_id: str) -> Snapshot | None: ...
    def save_token(self, token_hash: str, table_id: str, seat_id: str) -> None: ...
    def find_token(self, token_hash: str) -> tuple[str, str] | None: ...
    def release_token(self, token_hash: str) -> None: ...
    def room_in_use(self, room_code: str) -> bool: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS live_tables (
    id TEXT PRIMARY KEY,
    room_code TEXT NOT NULL,
    game TEXT NOT NULL,
    created_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS live_tables_open_room
    ON live_tables(room_code) WHERE ended_at IS NULL;
CREATE TABLE IF NOT EXISTS table_events (
    table_id TEXT NOT NULL REFERENCES live_tables(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (table_id, seq)
);
CREATE TABLE IF NOT EXISTS table_snapshots (
    table_id TEXT NOT NULL REFERENCES live_tables(id),
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (table_id, seq)
);
CREATE TABLE IF NOT EXISTS seat_tokens (
    token_hash TEXT PRIMARY KEY,
    table_id TEXT NOT NULL REFERENCES live_tables(id),
    seat_id TEXT NOT NULL,
    released_at TEXT
);
"""


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


class SqliteStore:
    """The default store: one SQLite file (WAL) in the instance folder.

    Every append is its own committed transaction, with ``synchronous=FULL``: once ``append``
    returns, the event survives a crash or a power cut.
    """

    def __init__(self, path: str | Path, synchronous: str = "FULL") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={synchronous}")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def create_table(self, table_id: str, room_code: str, game: str, at: datetime) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO live_tables (id, room_code, game, created_at) "
                       "VALUES (?, ?, ?, ?)", (table_id, room_code, game, _iso(at)))

    def append(self, table_id: str, event: Event) -> None:
        try:
            with self._tx() as db:
                db.execute("INSERT INTO table_events (table_id, seq, at, type, body) "
                           "VALUES (?, ?, ?, ?, ?)",
                           (table_id, event.seq, _iso(event.action.at), event.action.type,
                            event.model_dump_json()))
        except sqlite3.IntegrityError as error:
            raise SeqConflict(f"event {event.seq} of {table_id} exists already") from error

    def events(self, table_id: str, after: int = 0) -> list[Event]:
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM table_events WHERE table_id = ? AND (seq = 1 OR seq > ?) "
                "ORDER BY seq", (table_id, after)).fetchall()
        return [Event.model_validate_json(row[0]) for row in rows]

    def last_seq(self, table_id: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT MAX(seq) FROM table_events WHERE table_id = ?",
                                   (table_id,)).fetchone()
        return int(row[0] or 0)

    def open_tables(self) -> list[OpenTable]:
        with self._lock:
            rows = self._db.execute("SELECT id, room_code, game FROM live_tables "
                                    "WHERE ended_at IS NULL ORDER BY created_at").fetchall()
        return [OpenTable(*row) for row in rows]

    def mark_ended(self, table_id: str, at: datetime) -> None:
        with self._tx() as db:
            db.execute("UPDATE live_tables SET ended_at = ? WHERE id = ?", (_iso(at), table_id))
            db.execute("UPDATE seat_tokens SET released_at = ? WHERE table_id = ? "
                       "AND released_at IS NULL", (_iso(at), table_id))

    def save_snapshot(self, table_id: str, snapshot: Snapshot) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO table_snapshots (table_id, seq, body) "
                       "VALUES (?, ?, ?)", (table_id, snapshot.seq, snapshot.model_dump_json()))

    def latest_snapshot(self, table_id: str) -> Snapshot | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM table_snapshots WHERE table_id = ? "
                                   "ORDER BY seq DESC LIMIT 1", (table_id,)).fetchone()
        return Snapshot.model_validate_json(row[0]) if row else None

    def save_token(self, token_hash: str, table_id: str, seat_id: str) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO seat_tokens (token_hash, table_id, seat_id) VALUES (?, ?, ?)",
                       (token_hash, table_id, seat_id))

    def find_token(self, token_hash: str) -> tuple[str, str] | None:
        with self._lock:
            row = self._db.execute("SELECT table_id, seat_id FROM seat_tokens "
                                   "WHERE token_hash = ? AND released_at IS NULL",
                                   (token_hash,)).fetchone()
        return (row[0], row[1]) if row else None

    def release_token(self, token_hash: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE seat_tokens SET released_at = ? WHERE token_hash = ?",
                       (_iso(datetime.now(UTC)), token_hash))

    def room_in_use(self, room_code: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM live_tables WHERE room_code = ? "
                                   "AND ended_at IS NULL", (room_code,)).fetchone()
        return row is not None
