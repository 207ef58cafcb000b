"""The Flask application factory: ``create_app(config)``."""

from __future__ import annotations

import logging
import secrets
import threading
from pathlib import Path
from typing import Any

from flask import Flask

from .hub import Hub
from .storage import SqliteStore

__all__ = ["create_app"]

log = logging.getLogger("piiri")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Make the Piiri server: panel, tablet pages and WebSockets, over one hub and store.

    Config keys: ``DATABASE`` (SQLite path; default ``instance/piiri.sqlite3``), ``PUBLIC_URL``
    (the address the QR code carries), ``LEADER_KEY`` (opens the panel until accounts arrive),
    ``ALLOWED_ORIGINS``, ``TICKS`` (run the timer thread; default on).
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=secrets.token_hex(32),
        DATABASE=str(Path(app.instance_path) / "piiri.sqlite3"),
        PUBLIC_URL=None,
        LEADER_KEY=secrets.token_urlsafe(12),
        ALLOWED_ORIGINS=[],
        TICKS=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SOCK_SERVER_OPTIONS={"ping_interval": 25, "max_message_size": 64 * 1024},
    )
    if config:
        app.config.from_mapping(config)

    store = SqliteStore(app.config["DATABASE"])
    hub = Hub(store)
    hub.public_url = app.config["PUBLIC_URL"]
    problems = hub.resume_all()
    for problem in problems:
        log.error("%s", problem)
    app.extensions["piiri.hub"] = hub
    app.extensions["piiri.store"] = store

    from . import live, panel

    live.sock.init_app(app)
    app.register_blueprint(live.bp)
    app.register_blueprint(panel.bp)

    if app.config["TICKS"]:
        _start_ticker(hub)
    return app


def _start_ticker(hub: Hub) -> None:
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(1.0):
            try:
                hub.tick_all()
            except Exception:  # the clock must keep going
                log.exception("tick failed")

    threading.Thread(target=run, name="piiri-ticks", daemon=True).start()
