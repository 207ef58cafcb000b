"""The database: SQLAlchemy 2 over SQLite (the laptop default, WAL) or PostgreSQL.

Every time is stored timezone-aware in UTC (:class:`UTCDateTime`): SQLite has no time zone
type, so the column type converts on the way in and out; PostgreSQL uses ``timestamptz``.
Schema changes go through Alembic migrations (``facilitator/migrations``); :func:`upgrade`
brings a database to the newest schema at start-up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

__all__ = ["Base", "UTCDateTime", "make_engine", "sqlite_url", "upgrade"]


#: Constraint and index names, the same on SQLite and PostgreSQL, so that a migration can name
#: them (SQLite's batch mode must, to drop or change one). No "ck" entry: that would demand an
#: explicit name on every check constraint.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """All of Piiri's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, always aware, always UTC on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no zone: what was stored was UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


def make_engine(url: str, *, sqlite_synchronous: str = "NORMAL") -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout.

    With WAL, ``synchronous=NORMAL`` keeps every committed transaction through a crash of
    Piiri or the browser; only a power cut can lose the last moments. Set ``FULL`` to pay an
    fsync per event for that too.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if sqlite_synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"unknown SQLite synchronous mode {sqlite_synchronous!r}")
        path = parsed.database or ""
        in_memory = path in ("", ":memory:") or path.startswith("file::memory:")
        if in_memory:
            # One shared connection, or every thread would see its own empty database.
            engine = create_engine(url, connect_args={"check_same_thread": False},
                                   poolclass=StaticPool)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False,
                                                      "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={sqlite_synchronous}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Any]:
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema with Alembic."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
