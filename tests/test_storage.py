"""Storage on SQLAlchemy: the same behaviour on SQLite and PostgreSQL (each test runs on both;
``make_store`` and ``database_url`` come from conftest.py), the migration, and the times."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from engine import Accepted, Avatar, AvatarColour, AvatarIcon, Event, Join, MakeMove, StartTable
from engine import Table as EngineTable
from facilitator.app import create_app
from facilitator.db import make_engine, sqlite_url, upgrade
from facilitator.live.hub import Hub, hash_token
from facilitator.live.storage import (
    LiveTableRow,
    SeatTokenRow,
    SeqConflict,
    SqliteStore,
    SqlStore,
    TableEventRow,
)

MakeStore = Callable[[], SqlStore]
HELSINKI = ZoneInfo("Europe/Helsinki")
SUMMER = datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=HELSINKI)  # +03:00
WINTER = datetime(2026, 1, 15, 9, 30, tzinfo=HELSINKI)  # +02:00
AVATAR = Avatar(icon=AvatarIcon.moon, colour=AvatarColour.blue)
LIVE_TABLES = {"live_tables", "table_events", "table_snapshots", "seat_tokens"}


def play(circle: Any, circle_content: Any, table_id: str = "t1", moves: int = 3,
         start: datetime = SUMMER) -> tuple[EngineTable, list[Event]]:
    """A circle table played a little, with its events (times in Helsinki time on purpose)."""
    clock = iter(start + timedelta(seconds=i) for i in range(1000))
    created = EngineTable.create(circle, circle_content, table_id=table_id, seed=7,
                                 at=next(clock), room_code="KX7PM", options={"rounds": 3})
    assert isinstance(created, Accepted)
    table, events = created.table, [created.event]
    actions: list[Any] = [Join(at=next(clock), nickname=n, avatar=AVATAR) for n in ("Aino", "Bo")]
    actions.append(StartTable(at=next(clock)))
    for action in actions:
        result = table.apply(action)
        assert isinstance(result, Accepted)
        table, events = result.table, [*events, result.event]
    for _ in range(moves):
        current = table.meta.turn.current
        assert current is not None
        result = table.apply(MakeMove(at=next(clock), seat=current, name="done"))
        assert isinstance(result, Accepted)
        table, events = result.table, [*events, result.event]
    return table, events


def stored(store: SqlStore, table_id: str, events: list[Event], code: str = "KX7PM") -> None:
    store.create_table(table_id, code, "circle", events[0].action.at)
    for event in events:
        store.append(table_id, event)


# -- the event log ------------------------------------------------------------------------------


def test_events_read_back_in_order(make_store: MakeStore, circle: Any,
                                   circle_content: Any) -> None:
    store = make_store()
    _, events = play(circle, circle_content, moves=5)
    stored(store, "t1", events)
    assert store.events("t1") == events
    assert store.last_seq("t1") == len(events) == 9
    # After a snapshot at 6: the creation event (replay needs it) and what came after 6.
    assert [e.seq for e in store.events("t1", after=6)] == [1, 7, 8, 9]
    assert store.events("nobody") == [] and store.last_seq("nobody") == 0
    # Another connection (another process) reads the same committed log.
    assert make_store().events("t1") == events


def test_a_taken_event_number_raises_seq_conflict_and_changes_nothing(
        make_store: MakeStore, circle: Any, circle_content: Any) -> None:
    store = make_store()
    _, events = play(circle, circle_content)
    stored(store, "t1", events)
    _, other = play(circle, circle_content, moves=4, start=WINTER)
    rival = other[3].model_copy(update={"seq": 3})
    assert rival != events[2]
    with pytest.raises(SeqConflict):
        store.append("t1", rival)
    assert store.events("t1") == events  # the first writer's event 3 stands
    store.append("t1", other[len(events)].model_copy(update={"seq": len(events) + 1}))
    assert store.last_seq("t1") == len(events) + 1  # the store carries on after a conflict


def test_an_event_for_an_unknown_table_is_not_a_seq_conflict(
        make_store: MakeStore, circle: Any, circle_content: Any) -> None:
    store = make_store()
    _, events = play(circle, circle_content, moves=0)
    with pytest.raises(IntegrityError):
        store.append("nobody", events[0])


def test_two_writers_racing_for_one_event_number_one_wins(
        make_store: MakeStore, circle: Any, circle_content: Any) -> None:
    _, events = play(circle, circle_content, moves=0)
    stored(make_store(), "t1", events)
    _, mine = play(circle, circle_content, moves=1)
    _, theirs = play(circle, circle_content, moves=1, start=WINTER)
    stores = [make_store() for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(store: SqlStore, event: Event) -> None:
        barrier.wait()
        try:
            store.append("t1", event)
            outcomes.append("stored")
        except SeqConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(s, e[-1]))
               for s, e in zip(stores, [mine, theirs], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict", "stored"]
    assert stores[0].events("t1")[-1] in (mine[-1], theirs[-1])


def test_one_store_serves_many_threads(make_store: MakeStore, circle: Any,
                                       circle_content: Any) -> None:
    store = make_store()
    logs = {f"t{i}": play(circle, circle_content, table_id=f"t{i}", moves=5)[1]
            for i in range(6)}
    errors: list[BaseException] = []

    def write(table_id: str, events: list[Event]) -> None:
        try:
            stored(store, table_id, events, code=f"R{table_id}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=item) for item in logs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    for table_id, events in logs.items():
        assert store.events(table_id) == events


# -- tables, room codes, snapshots, tokens ------------------------------------------------------


def test_one_open_table_per_room_code(make_store: MakeStore) -> None:
    store = make_store()
    store.create_table("t1", "KX7PM", "circle", SUMMER)
    assert store.room_in_use("KX7PM") and not store.room_in_use("ABCDE")
    with pytest.raises(IntegrityError):
        store.create_table("t2", "KX7PM", "circle", SUMMER + timedelta(minutes=1))
    store.create_table("t3", "ABCDE", "elaman_varit", SUMMER + timedelta(minutes=2))
    assert [(t.table_id, t.room_code, t.game) for t in store.open_tables()] == [
        ("t1", "KX7PM", "circle"), ("t3", "ABCDE", "elaman_varit")]

    store.mark_ended("t1", SUMMER + timedelta(hours=1))
    assert not store.room_in_use("KX7PM")
    store.create_table("t2", "KX7PM", "circle", SUMMER + timedelta(hours=2))  # code reused
    assert [t.table_id for t in store.open_tables()] == ["t3", "t2"]
    with pytest.raises(IntegrityError):
        store.create_table("t4", "KX7PM", "circle", SUMMER + timedelta(hours=3))


def test_the_open_room_index_is_partial_and_unique(make_store: MakeStore) -> None:
    store = make_store()
    indexes = {i["name"]: i for i in inspect(store.engine).get_indexes("live_tables")}
    index = indexes["ix_live_tables_open_room"]
    assert index["unique"] and index["column_names"] == ["room_code"]
    where = str(index["dialect_options"].get(f"{store.engine.dialect.name}_where"))
    assert "ended_at IS NULL" in where


def test_the_latest_snapshot_wins(make_store: MakeStore, circle: Any,
                                  circle_content: Any) -> None:
    store = make_store()
    table, events = play(circle, circle_content, moves=2)
    stored(store, "t1", events)
    assert store.latest_snapshot("t1") is None
    early = table.snapshot()
    later, _ = play(circle, circle_content, moves=4)
    store.save_snapshot("t1", early)
    store.save_snapshot("t1", later.snapshot())
    assert store.latest_snapshot("t1") == later.snapshot()
    store.save_snapshot("t1", early)  # the same number again replaces, never duplicates
    assert store.latest_snapshot("t1") == later.snapshot()
    assert make_store().latest_snapshot("t1") == later.snapshot()


def test_seat_tokens_are_found_until_released(make_store: MakeStore) -> None:
    store = make_store()
    store.create_table("t1", "KX7PM", "circle", SUMMER)
    store.save_token(hash_token("a"), "t1", "s1")
    store.save_token(hash_token("b"), "t1", "s2")
    assert store.find_token(hash_token("a")) == ("t1", "s1")
    assert store.find_token(hash_token("nope")) is None
    store.release_token(hash_token("a"))
    assert store.find_token(hash_token("a")) is None
    assert store.find_token(hash_token("b")) == ("t1", "s2")
    store.mark_ended("t1", WINTER)  # ending the table releases every seat
    assert store.find_token(hash_token("b")) is None
    with store.engine.connect() as db:
        released = db.scalar(select(SeatTokenRow.released_at)
                             .where(SeatTokenRow.token_hash == hash_token("b")))
    assert released == WINTER


# -- time --------------------------------------------------------------------------------------


@pytest.mark.parametrize("local", [SUMMER, WINTER], ids=["summer+03", "winter+02"])
def test_times_come_back_as_aware_utc(make_store: MakeStore, circle: Any, circle_content: Any,
                                      local: datetime) -> None:
    store = make_store()
    _, events = play(circle, circle_content, moves=0, start=local)
    stored(store, "t1", events)
    store.mark_ended("t1", local + timedelta(hours=2))
    with store.engine.connect() as db:
        row = db.execute(select(LiveTableRow.created_at, LiveTableRow.ended_at)).one()
        at = db.scalar(select(TableEventRow.at).where(TableEventRow.seq == 1))
    for got, want in [(row.created_at, local), (row.ended_at, local + timedelta(hours=2)),
                      (at, local)]:
        assert got.utcoffset() == timedelta(0) and got.tzinfo == UTC
        assert got == want and got.replace(tzinfo=None) == want.astimezone(UTC).replace(
            tzinfo=None)
    if store.engine.dialect.name == "sqlite":  # stored as UTC text that sorts as time does
        with store.engine.connect() as db:
            raw = db.scalar(text("SELECT created_at FROM live_tables"))
        assert raw == local.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def test_a_naive_time_is_refused(make_store: MakeStore) -> None:
    store = make_store()
    with pytest.raises(StatementError, match="timezone-aware"):
        store.create_table("t1", "KX7PM", "circle", datetime(2026, 7, 1, 12))
    assert store.open_tables() == []


# -- the migration ------------------------------------------------------------------------------


def _version(engine: Engine) -> list[str]:
    with engine.connect() as db:
        return list(db.scalars(text("SELECT version_num FROM alembic_version")))


def test_the_migration_makes_the_models_schema_and_runs_once(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert tables >= LIVE_TABLES | {"alembic_version"}
        versions = _version(engine)
        assert len(versions) == 1
        upgrade(engine)  # again: nothing to do
        assert set(inspect(engine).get_table_names()) == tables
        assert _version(engine) == versions
        with engine.connect() as db:  # what the migration made is what the models describe
            context = MigrationContext.configure(db, opts={"compare_type": True})
            diffs = compare_metadata(context, LiveTableRow.metadata)
        assert [d for d in diffs if _touches(d, LIVE_TABLES)] == []
    finally:
        engine.dispose()


def _touches(diff: Any, tables: set[str]) -> bool:
    """Whether an autogenerate difference concerns one of ``tables``."""
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item:
            name = getattr(part, "name", None) if not isinstance(part, str) else part
            table = getattr(part, "table", None)
            if name in tables or getattr(table, "name", None) in tables:
                return True
    return False


def test_the_migration_goes_down_and_up_again(database_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        config = Config()
        config.set_main_option("script_location",
                               str(Path(__file__).parent.parent / "facilitator" / "migrations"))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert not LIVE_TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= LIVE_TABLES
    finally:
        engine.dispose()


_OLD_SCHEMA = """
CREATE TABLE live_tables (id TEXT PRIMARY KEY, room_code TEXT NOT NULL, game TEXT NOT NULL,
    created_at TEXT NOT NULL, ended_at TEXT);
CREATE UNIQUE INDEX live_tables_open_room ON live_tables(room_code) WHERE ended_at IS NULL;
CREATE TABLE table_events (table_id TEXT NOT NULL REFERENCES live_tables(id),
    seq INTEGER NOT NULL, at TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (table_id, seq));
CREATE TABLE table_snapshots (table_id TEXT NOT NULL REFERENCES live_tables(id),
    seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (table_id, seq));
CREATE TABLE seat_tokens (token_hash TEXT PRIMARY KEY,
    table_id TEXT NOT NULL REFERENCES live_tables(id), seat_id TEXT NOT NULL, released_at TEXT);
"""


def test_a_sqlite_file_from_before_migrations_is_brought_over(
        tmp_path: Path, circle: Any, circle_content: Any) -> None:
    """The raw-sqlite3 store wrote times as ISO text with an offset, and had no Alembic."""
    path = tmp_path / "old.sqlite3"
    table, events = play(circle, circle_content, moves=2)
    old = sqlite3.connect(path)
    old.executescript(_OLD_SCHEMA)
    iso = events[0].action.at.astimezone(UTC).isoformat()
    old.execute("INSERT INTO live_tables VALUES ('t1', 'KX7PM', 'circle', ?, NULL)", (iso,))
    old.execute("INSERT INTO live_tables VALUES ('t0', 'ABCDE', 'circle', ?, ?)",
                ("2025-12-01T08:00:00+00:00", "2025-12-01T09:00:00.250000+00:00"))
    old.executemany("INSERT INTO table_events VALUES ('t1', ?, ?, ?, ?)",
                    [(e.seq, e.action.at.astimezone(UTC).isoformat(), e.action.type,
                      e.model_dump_json()) for e in events])
    old.execute("INSERT INTO table_snapshots VALUES ('t1', ?, ?)",
                (table.seq, table.snapshot().model_dump_json()))
    old.execute("INSERT INTO seat_tokens VALUES (?, 't1', 's1', NULL)", (hash_token("a"),))
    old.execute("INSERT INTO seat_tokens VALUES (?, 't0', 's1', '2025-12-01T09:00:00+00:00')",
                (hash_token("b"),))
    old.commit()
    old.close()

    store = SqliteStore(path)
    try:
        assert store.events("t1") == events
        assert store.latest_snapshot("t1") == table.snapshot()
        assert [t.table_id for t in store.open_tables()] == ["t1"]
        assert store.find_token(hash_token("a")) == ("t1", "s1")
        assert store.find_token(hash_token("b")) is None
        with store.engine.connect() as db:
            ended = db.scalar(select(LiveTableRow.ended_at).where(LiveTableRow.id == "t0"))
            names = set(inspect(db).get_table_names())
        assert ended == datetime(2025, 12, 1, 9, 0, 0, 250000, tzinfo=UTC)
        assert names >= LIVE_TABLES and not any(n.startswith("legacy_") for n in names)
        hub = Hub(store)
        assert hub.resume_all() == []
        resumed = hub.find("KX7PM")
        assert resumed is not None and resumed.table.state == table.state
    finally:
        store.close()


# -- the whole server ---------------------------------------------------------------------------


def test_the_server_keeps_its_tables_in_the_configured_database(database_url: str) -> None:
    config = {"DATABASE_URL": database_url, "LEADER_KEY": "k", "TICKS": False}
    app = create_app(config)
    assert app.extensions["piiri.engine"].url.render_as_string(hide_password=False) == (
        database_url)
    hub: Hub = app.extensions["piiri.hub"]
    live = hub.create_table("circle", {"rounds": 2}, seed=3)
    hub.join(live, "Aino", AVATAR)
    hub.join(live, "Bo", AVATAR)
    hub.apply(live, StartTable(at=hub.now()))
    app.extensions["piiri.store"].close()

    again = create_app(config)  # a restart: the table is read back from the database
    resumed = again.extensions["piiri.hub"].find(live.code)
    assert resumed is not None
    assert resumed.table.state == live.table.state
    assert [s.nickname for s in resumed.table.meta.seats] == ["Aino", "Bo"]
    again.extensions["piiri.store"].close()


def test_the_server_defaults_to_a_sqlite_file(tmp_path: Path) -> None:
    app = create_app({"DATABASE": str(tmp_path / "here.sqlite3"), "TICKS": False})
    assert app.config["DATABASE_URL"] == sqlite_url(tmp_path / "here.sqlite3")
    assert (tmp_path / "here.sqlite3").exists()
    with app.extensions["piiri.engine"].connect() as db:
        assert db.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    app.extensions["piiri.store"].close()
