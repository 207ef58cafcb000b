"""Live tables: the tables, their event logs, snapshots and seat tokens.

A SQLite file made before migrations existed (by the raw-sqlite3 store) already has these four
tables, unnamed constraints and times as ISO text with an offset; it is brought over: the old
tables are renamed, the new ones made, the rows copied with every time rewritten as SQLAlchemy
writes it (UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``), and the old tables dropped.

Revision ID: 0001_live_tables
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001_live_tables"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("live_tables", "table_events", "table_snapshots", "seat_tokens")


def upgrade() -> None:
    bind = op.get_bind()
    found = set(sa.inspect(bind).get_table_names()) & set(TABLES)
    if found:
        if bind.dialect.name != "sqlite" or found != set(TABLES):
            raise RuntimeError(f"the database already has tables {sorted(found)} but no "
                               "migration history; Piiri will not guess what they hold")
        for name in TABLES:
            op.rename_table(name, f"legacy_{name}")
    _create()
    if found:
        _copy_legacy(bind)


def _create() -> None:
    op.create_table(
        "live_tables",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("room_code", sa.String(length=16), nullable=False),
        sa.Column("game", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_tables")),
    )
    # One open table per room code; an ended table's code can be drawn again.
    op.create_index("ix_live_tables_open_room", "live_tables", ["room_code"], unique=True,
                    sqlite_where=sa.text("ended_at IS NULL"),
                    postgresql_where=sa.text("ended_at IS NULL"))
    op.create_table(
        "table_events",
        sa.Column("table_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["table_id"], ["live_tables.id"],
                                name=op.f("fk_table_events_table_id_live_tables")),
        sa.PrimaryKeyConstraint("table_id", "seq", name=op.f("pk_table_events")),
    )
    op.create_table(
        "table_snapshots",
        sa.Column("table_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["table_id"], ["live_tables.id"],
                                name=op.f("fk_table_snapshots_table_id_live_tables")),
        sa.PrimaryKeyConstraint("table_id", "seq", name=op.f("pk_table_snapshots")),
    )
    op.create_table(
        "seat_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("table_id", sa.String(length=64), nullable=False),
        sa.Column("seat_id", sa.String(length=16), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["table_id"], ["live_tables.id"],
                                name=op.f("fk_seat_tokens_table_id_live_tables")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_seat_tokens")),
    )
    op.create_index(op.f("ix_seat_tokens_table_id"), "seat_tokens", ["table_id"], unique=False)


def _sqlite_time(text: str | None) -> str | None:
    if text is None:
        return None
    at = datetime.fromisoformat(text)
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def _copy_legacy(bind: sa.Connection) -> None:
    raw = bind.connection.driver_connection
    assert raw is not None
    raw.create_function("piiri_utc", 1, _sqlite_time, deterministic=True)
    op.execute("INSERT INTO live_tables (id, room_code, game, created_at, ended_at) "
               "SELECT id, room_code, game, piiri_utc(created_at), piiri_utc(ended_at) "
               "FROM legacy_live_tables")
    op.execute("INSERT INTO table_events (table_id, seq, at, type, body) "
               "SELECT table_id, seq, piiri_utc(at), type, body FROM legacy_table_events")
    op.execute("INSERT INTO table_snapshots (table_id, seq, body) "
               "SELECT table_id, seq, body FROM legacy_table_snapshots")
    op.execute("INSERT INTO seat_tokens (token_hash, table_id, seat_id, released_at) "
               "SELECT token_hash, table_id, seat_id, piiri_utc(released_at) "
               "FROM legacy_seat_tokens")
    for name in reversed(TABLES):
        op.drop_table(f"legacy_{name}")


def downgrade() -> None:
    op.drop_index(op.f("ix_seat_tokens_table_id"), table_name="seat_tokens")
    op.drop_table("seat_tokens")
    op.drop_table("table_snapshots")
    op.drop_table("table_events")
    op.drop_index("ix_live_tables_open_room", table_name="live_tables",
                  sqlite_where=sa.text("ended_at IS NULL"),
                  postgresql_where=sa.text("ended_at IS NULL"))
    op.drop_table("live_tables")
