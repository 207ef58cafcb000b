"""Where tables live between restarts: the event log, snapshots, room codes and seat tokens.

The hub talks to storage only through :class:`Store`; the implementation is :class:`SqlStore`,
SQLAlchemy over a SQLite file in WAL mode (the laptop default) or PostgreSQL. The schema is
made by the Alembic migrations in ``facilitator/migrations`` (:func:`facilitator.db.upgrade`).
``(table_id, seq)`` is unique, so a second writer's append fails with :class:`SeqConflict`
instead of forking the table.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import (
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from engine import Event, Snapshot
from facilitator.db import Base, UTCDateTime, make_engine, sqlite_url, upgrade

__all__ = [
    "LiveTableRow",
    "OpenTable",
    "SeatTokenRow",
    "SeqConflict",
    "SnapshotRow",
    "SqlStore",
    "SqliteStore",
    "Store",
    "TableEventRow",
]


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
    def close(self) -> None: ...


# -- the tables (created by the migration 0001_live_tables) -----------------------------------


class LiveTableRow(Base):
    """A live table: its room code while it is open, which game, when it began and ended."""

    __tablename__ = "live_tables"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_code: Mapped[str] = mapped_column(String(16))
    game: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        # One open table per room code; an ended table's code can be drawn again.
        Index("ix_live_tables_open_room", "room_code", unique=True,
              sqlite_where=text("ended_at IS NULL"),
              postgresql_where=text("ended_at IS NULL")),
    )


class TableEventRow(Base):
    """One event of a table's append-only log; ``(table_id, seq)`` is the primary key."""

    __tablename__ = "table_events"

    table_id: Mapped[str] = mapped_column(ForeignKey("live_tables.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    """The whole event as JSON (``Event.model_dump_json()``)."""


class SnapshotRow(Base):
    """A table's state at event ``seq``, so a restart replays only the events after it."""

    __tablename__ = "table_snapshots"

    table_id: Mapped[str] = mapped_column(ForeignKey("live_tables.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[str] = mapped_column(Text)


class SeatTokenRow(Base):
    """A tablet's claim on its seat, kept as a hash; released when it leaves or the table ends."""

    __tablename__ = "seat_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    table_id: Mapped[str] = mapped_column(ForeignKey("live_tables.id"), index=True)
    seat_id: Mapped[str] = mapped_column(String(16))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


_events = cast(Table, TableEventRow.__table__)
_snapshots = cast(Table, SnapshotRow.__table__)
_tables = cast(Table, LiveTableRow.__table__)
_tokens = cast(Table, SeatTokenRow.__table__)


# -- the store ------------------------------------------------------------------------------


class SqlStore:
    """The store over a SQLAlchemy engine (SQLite or PostgreSQL) whose schema is up to date.

    Every call takes its own connection from the engine's pool, so one store serves every
    thread; every write is committed before it returns: once ``append`` returns, the event
    is in the database (events that several tables append at the same moment share one
    transaction: :class:`_GroupCommit`; ``group_commit=False`` commits each alone). The
    statements are SQLAlchemy Core on the mapped tables, built once: an
    ORM session around each one-row statement cost about 40 µs more per event (measured).
    """

    def __init__(self, engine: Engine, group_commit: bool = True) -> None:
        self.engine = engine
        self._off_loop = _OffLoop() if _commits_block_the_loop(engine) else None
        self._group = (_GroupCommit(self._append_batch,
                                    self._off_loop.run if self._off_loop else None)
                       if group_commit else None)

    def close(self) -> None:
        if self._off_loop is not None:
            self._off_loop.close()
        self.engine.dispose()

    def create_table(self, table_id: str, room_code: str, game: str, at: datetime) -> None:
        with self.engine.begin() as db:
            db.execute(_CREATE_TABLE, {"id": table_id, "room_code": room_code, "game": game,
                                       "created_at": at})

    def append(self, table_id: str, event: Event) -> None:
        """Commit one event; it is in the database when this returns. Events that other
        tables append at the same moment share its transaction (group commit: one commit,
        and with SQLite one fsync, for all of them); each caller returns only after that
        commit, and a failing event fails alone (:class:`SeqConflict` for a taken number)."""
        row = {"table_id": table_id, "seq": event.seq, "at": event.action.at,
               "type": event.action.type, "body": event.model_dump_json()}
        if self._group is not None:
            self._group.commit(row)
            return
        self._append_rows([row])

    def _append_rows(self, rows: list[dict[str, Any]]) -> None:
        """Events and seat tokens, in one transaction."""
        events = [row for row in rows if "seq" in row]
        tokens = [row for row in rows if "token_hash" in row]
        try:
            with self.engine.begin() as db:
                if events:
                    db.execute(_APPEND, events[0] if len(events) == 1 else events)
                if tokens:
                    db.execute(_SAVE_TOKEN, tokens[0] if len(tokens) == 1 else tokens)
        except IntegrityError as error:
            if len(rows) > 1 or not events:
                raise
            table_id, seq = rows[0]["table_id"], rows[0]["seq"]
            if self.last_seq(table_id) < seq:
                raise  # not a taken event number (an unknown table, say)
            raise SeqConflict(f"event {seq} of {table_id} exists already") from error

    def _append_batch(self, rows: list[dict[str, Any]]) -> list[BaseException | None]:
        """Commit ``rows`` in one transaction; if that fails, each on its own, so that one
        bad event (a taken number) does not fail the others. The outcome of each row."""
        try:
            self._append_rows(rows)
            return [None] * len(rows)
        except IntegrityError:
            if len(rows) == 1:
                raise
        outcomes: list[BaseException | None] = []
        for row in rows:
            try:
                self._append_rows([row])
                outcomes.append(None)
            except Exception as error:  # handed to that row's caller
                outcomes.append(error)
        return outcomes

    def events(self, table_id: str, after: int = 0) -> list[Event]:
        with self.engine.connect() as db:
            bodies = db.scalars(_EVENTS, {"table_id": table_id, "after": after}).all()
        return [Event.model_validate_json(body) for body in bodies]

    def last_seq(self, table_id: str) -> int:
        with self.engine.connect() as db:
            found = db.scalar(_LAST_SEQ, {"table_id": table_id})
        return int(found or 0)

    def open_tables(self) -> list[OpenTable]:
        with self.engine.connect() as db:
            rows = db.execute(select(_tables.c.id, _tables.c.room_code, _tables.c.game)
                              .where(_tables.c.ended_at.is_(None))
                              .order_by(_tables.c.created_at, _tables.c.id)).all()
        return [OpenTable(table_id=row.id, room_code=row.room_code, game=row.game)
                for row in rows]

    def mark_ended(self, table_id: str, at: datetime) -> None:
        with self.engine.begin() as db:
            db.execute(update(_tables).where(_tables.c.id == table_id).values(ended_at=at))
            db.execute(update(_tokens)
                       .where(_tokens.c.table_id == table_id, _tokens.c.released_at.is_(None))
                       .values(released_at=at))

    def save_snapshot(self, table_id: str, snapshot: Snapshot) -> None:
        values = {"table_id": table_id, "seq": snapshot.seq, "body": snapshot.model_dump_json()}
        with self.engine.begin() as db:
            db.execute(_upsert(db.dialect.name, _snapshots, values, ["table_id", "seq"]))

    def latest_snapshot(self, table_id: str) -> Snapshot | None:
        with self.engine.connect() as db:
            body = db.scalar(select(_snapshots.c.body)
                             .where(_snapshots.c.table_id == table_id)
                             .order_by(_snapshots.c.seq.desc()).limit(1))
        return Snapshot.model_validate_json(body) if body is not None else None

    def save_token(self, token_hash: str, table_id: str, seat_id: str) -> None:
        """Committed when this returns, in the transaction of the events being stored at
        the same moment, if any (a join's token beside the moves of other tables)."""
        row = {"token_hash": token_hash, "table_id": table_id, "seat_id": seat_id}
        if self._group is not None:
            self._group.commit(row)
            return
        self._append_rows([row])

    def find_token(self, token_hash: str) -> tuple[str, str] | None:
        with self.engine.connect() as db:
            row = db.execute(select(_tokens.c.table_id, _tokens.c.seat_id)
                             .where(_tokens.c.token_hash == token_hash,
                                    _tokens.c.released_at.is_(None))).first()
        return (row.table_id, row.seat_id) if row is not None else None

    def release_token(self, token_hash: str) -> None:
        with self.engine.begin() as db:
            db.execute(update(_tokens).where(_tokens.c.token_hash == token_hash)
                       .values(released_at=datetime.now(UTC)))

    def room_in_use(self, room_code: str) -> bool:
        with self.engine.connect() as db:
            found = db.scalar(select(_tables.c.id)
                              .where(_tables.c.room_code == room_code,
                                     _tables.c.ended_at.is_(None)).limit(1))
        return found is not None


class _GroupCommit:
    """Commits the rows that callers hand in at about the same moment in one transaction.

    No thread of its own: the first caller to find nobody committing becomes the committer.
    It yields once (``time.sleep(0)``: under gevent the other greenlets that have a move to
    store get to queue theirs; with threads it is a plain yield), then commits everything
    queued and wakes each caller with its own outcome; what queued meanwhile is committed
    next by the first of its callers.
    A caller returns only after the transaction holding its row is committed.
    """

    def __init__(self, commit: Callable[[list[dict[str, Any]]], list[BaseException | None]],
                 run: Callable[[Callable[[Any], Any], Any], Any] | None = None) -> None:
        self._commit = commit
        self._run = run if run is not None else _call
        """How the transaction is run: in the caller's thread, or (SQLite under gevent)
        in a thread of its own (:class:`_OffLoop`)."""
        self._lock = threading.Lock()
        self._queue: list[_Pending] = []
        self._committing = False

    def commit(self, row: dict[str, Any]) -> None:
        mine = _Pending(row)
        with self._lock:
            self._queue.append(mine)
            lead = not self._committing
            if lead:
                self._committing = True
        if not lead:
            mine.done.wait()
            lead = mine.lead  # the last committer handed on, with this row still queued
        if lead:
            self._lead()
        if mine.error is not None:
            raise mine.error

    def _lead(self) -> None:
        time.sleep(0)  # let the others that have an event now queue it
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            outcomes = self._run(self._commit, [p.row for p in batch])
        except BaseException as error:  # the whole transaction failed: all of it
            outcomes = [error] * len(batch)
        for pending, outcome in zip(batch, outcomes, strict=True):
            pending.error = outcome
            pending.done.set()
        with self._lock:
            if self._queue:  # queued meanwhile: its first caller commits next
                self._queue[0].lead = True
                self._queue[0].done.set()
            else:
                self._committing = False


def _call(function: Callable[[Any], Any], arg: Any) -> Any:
    return function(arg)


class _OffLoop:
    """Runs the group commit's transactions in one native thread of their own, for SQLite
    under gevent.

    SQLite's commit waits for the disk (``synchronous=FULL``, the default: an ``fdatasync``
    per commit), and under gevent every connection of the process runs in one thread: each
    commit stopped them all while the disk answered, a few tens of microseconds on a quiet
    disk, tens of milliseconds on a busy one (measured with ``bench/live_latency.py --rate 1``
    and ``strace -c``: one ``fdatasync`` per one or two moves). Here the committing greenlet
    waits for the thread while the others go on sending and receiving; ``sqlite3`` lets go of
    the interpreter while the disk works. Nothing changes in what is durable when: each
    caller still returns only after its transaction is committed, and the moves that arrive
    meanwhile are committed together in the next one. PostgreSQL's driver already waits
    cooperatively under gevent, and with threads each request has its own thread: there the
    transaction runs in the caller's thread (:func:`_call`)."""

    def __init__(self) -> None:
        from gevent.threadpool import ThreadPool

        self._pool = ThreadPool(1)  # one thread: transactions one at a time, in order

    def run(self, function: Callable[[Any], Any], arg: Any) -> Any:
        return self._pool.apply(function, (arg,))

    def close(self) -> None:
        self._pool.kill()


def _commits_block_the_loop(engine: Engine) -> bool:
    """Whether a commit on ``engine`` would stop the whole process: SQLite, served by
    gevent (see :class:`_OffLoop`)."""
    if engine.dialect.name != "sqlite" or "gevent" not in sys.modules:
        return False
    from gevent import monkey

    return bool(monkey.is_module_patched("threading"))


class _Pending:
    __slots__ = ("done", "error", "lead", "row")

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.lead = False
        self.error: BaseException | None = None
        self.done = threading.Event()


# Built once: a statement made per call costs more to build and key for the cache than to run.
_CREATE_TABLE = insert(_tables)
_APPEND = insert(_events)
_SAVE_TOKEN = insert(_tokens)
_EVENTS = (select(_events.c.body)
           .where(_events.c.table_id == bindparam("table_id"),
                  or_(_events.c.seq == 1, _events.c.seq > bindparam("after")))
           .order_by(_events.c.seq))
_LAST_SEQ = select(func.max(_events.c.seq)).where(_events.c.table_id == bindparam("table_id"))


def _upsert(dialect: str, table: Table, values: dict[str, Any], keys: list[str]) -> Any:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE`` in ``dialect``."""
    if dialect == "postgresql":
        pg = postgresql.insert(table).values(values)
        return pg.on_conflict_do_update(
            index_elements=keys, set_={k: pg.excluded[k] for k in values if k not in keys})
    if dialect == "sqlite":
        lite = sqlite.insert(table).values(values)
        return lite.on_conflict_do_update(
            index_elements=keys, set_={k: lite.excluded[k] for k in values if k not in keys})
    raise NotImplementedError(f"no upsert for the {dialect} database")


def SqliteStore(path: str | Path, synchronous: str = "FULL") -> SqlStore:
    """A store on the SQLite file at ``path`` (made and migrated if need be).

    Kept for the tests, benchmarks and scripts written before :class:`SqlStore`. The store owns
    its engine: ``close()`` lets go of the file. ``synchronous=FULL`` (the default here, as
    before) pays an fsync per event so that an event survives a power cut too.
    """
    engine = make_engine(sqlite_url(path), sqlite_synchronous=synchronous)
    upgrade(engine)
    return SqlStore(engine)
