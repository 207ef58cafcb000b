"""Alembic's entry point for Piiri's migrations.

:func:`facilitator.db.upgrade` passes an open connection in ``config.attributes["connection"]``.
Run by hand (``alembic -c facilitator/migrations/alembic.ini ...``), the database comes from the
``PIIRI_DATABASE_URL`` environment variable, e.g. ``sqlite:///instance/piiri.sqlite3`` or
``postgresql+psycopg://piiri@db.example/piiri``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from facilitator.db import Base, UTCDateTime, make_engine

# Every module with tables must be imported for autogenerate to see them.
for _module in ("facilitator.live.storage", "facilitator.models", "facilitator.reports.models",
                "facilitator.workshop.models"):
    if importlib.util.find_spec(_module) is not None:
        importlib.import_module(_module)

config = context.config
target_metadata = Base.metadata
if config.config_file_name is not None and "connection" not in config.attributes:
    fileConfig(config.config_file_name)  # run by hand: log what it does


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write :class:`UTCDateTime` columns as plain ``sa.DateTime(timezone=True)``, so that a
    migration never imports application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    url = os.environ.get("PIIRI_DATABASE_URL")
    if not url:
        raise SystemExit("Set PIIRI_DATABASE_URL to the database to migrate, "
                         "e.g. sqlite:///instance/piiri.sqlite3")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Piiri's migrations run against a database; offline (--sql) mode is "
                     "not supported.")
run_online()
