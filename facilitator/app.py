"""The Flask application factory: ``create_app(config)``."""

from __future__ import annotations

import logging
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from flask import Flask, redirect, url_for
from flask_wtf.csrf import CSRFProtect

from facilitator.db import make_engine, session_factory, sqlite_url, upgrade
from facilitator.live import Hub, SqlStore

__all__ = ["create_app"]

log = logging.getLogger("piiri")
csrf = CSRFProtect()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Make the Piiri server: panel, tablet pages and WebSockets, over one hub and store.

    Config keys: ``DATABASE_URL`` (any SQLAlchemy URL, e.g. PostgreSQL) or ``DATABASE`` (a
    SQLite file; default ``instance/piiri.sqlite3``), ``SQLITE_SYNCHRONOUS`` (``FULL``: every
    event survives a power cut), ``PUBLIC_URL`` (the address the QR code carries),
    ``ALLOWED_ORIGINS``, ``WEBSOCKET_COMPRESSION``, ``TICKS`` (run the timer thread; default on),
    ``CHECKIN_KEYS`` / ``CHECKIN_KEY_FILE`` (the key that seals check-in answers, kept outside
    the database and the instance folder; see :mod:`facilitator.checkins.sealing`),
    ``CHECKIN_RETENTION_MONTHS`` (answers are kept this long after a period ends; default 12),
    ``BABEL_TRANSLATION_DIRECTORIES`` (default: the package's catalogs, compiled at start-up; see
    :mod:`facilitator.i18n`).
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=str(Path(app.instance_path) / "piiri.sqlite3"),
        PUBLIC_URL=None,
        ALLOWED_ORIGINS=[],
        TICKS=True,
        CHECKIN_RETENTION_MONTHS=int(os.environ.get("PIIRI_CHECKIN_RETENTION_MONTHS", "12")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SOCK_SERVER_OPTIONS={"ping_interval": 25, "max_message_size": 64 * 1024},
    )
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    # DATABASE_URL (any SQLAlchemy URL) wins; else DATABASE, a SQLite file (the default).
    app.config["DATABASE_URL"] = (app.config.get("DATABASE_URL")
                                  or sqlite_url(app.config["DATABASE"]))
    engine = make_engine(app.config["DATABASE_URL"],
                         sqlite_synchronous=app.config.get("SQLITE_SYNCHRONOUS", "FULL"))
    upgrade(engine)
    app.extensions["piiri.engine"] = engine
    store = SqlStore(engine)
    hub = Hub(store)
    hub.public_url = app.config["PUBLIC_URL"]
    problems = hub.resume_all()
    for problem in problems:
        log.error("%s", problem)
    app.extensions["piiri.hub"] = hub
    app.extensions["piiri.store"] = store

    app.extensions["piiri.sessionmaker"] = session_factory(engine)

    from facilitator import accounts, checkins, dbsession, groups, i18n, live

    dbsession.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    accounts.init_app(app)
    live.init_app(app)
    groups.init_app(app)
    checkins.init_app(app)

    @app.get("/")
    def _home() -> Any:
        return redirect(url_for("panel.index"))

    if app.config["TICKS"]:
        _start_ticker(hub)
    return app


def _instance_secret(folder: Path) -> str:
    """The key that signs sessions, kept in the instance folder so that a restarted laptop
    does not sign every leader out."""
    path = folder / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.touch(mode=0o600)
        path.write_text(key, encoding="ascii")
        return key


def _start_ticker(hub: Hub) -> None:
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(1.0):
            try:
                hub.tick_all()
            except Exception:  # the clock must keep going
                log.exception("tick failed")

    threading.Thread(target=run, name="piiri-ticks", daemon=True).start()
