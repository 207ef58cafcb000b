"""The server for production: ``gunicorn -k gevent -w 1 'facilitator.wsgi:app'``.

Configuration comes from the environment:

``PIIRI_DATABASE_URL``
    The database as a SQLAlchemy URL, e.g. ``postgresql+psycopg://piiri@db.example/piiri``;
    it wins over ``PIIRI_DATABASE``.
``PIIRI_DATABASE``
    SQLite file (default: the instance folder's ``piiri.sqlite3``).
``PIIRI_PUBLIC_URL``
    The address QR codes carry, e.g. ``https://piiri.example-county.fi``.
``PIIRI_SECRET_KEY``
    Signs the leaders' sessions; keep it in the service's secret store (without it, a key is
    made once and kept in the instance folder).
``PIIRI_ALLOWED_ORIGINS``
    Extra page origins allowed to open WebSockets, separated by spaces.

gevent workers hold thousands of idle WebSockets cheaply (a greenlet each); the ``gthread``
worker would hold one thread per socket and caps connections at its thread count. gunicorn
allows 1,000 connections per worker unless told otherwise: pass ``--worker-connections
10000``. Run one worker until fan-out between processes arrives. ``PIIRI_WEBSOCKET_COMPRESSION=0``
saves about 110 KB per tablet at the cost of more bytes on the Wi-Fi.
"""

from __future__ import annotations

import os
from typing import Any

from facilitator.app import create_app

__all__ = ["app", "config_from_env"]


def config_from_env(environ: dict[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for key in ("DATABASE", "DATABASE_URL", "PUBLIC_URL", "SECRET_KEY"):
        value = env.get(f"PIIRI_{key}")
        if value:
            config[key] = value.rstrip("/") if key == "PUBLIC_URL" else value
    if env.get("PIIRI_WEBSOCKET_COMPRESSION", "1") in ("0", "false", "no"):
        config["WEBSOCKET_COMPRESSION"] = False
    origins = env.get("PIIRI_ALLOWED_ORIGINS")
    if origins:
        config["ALLOWED_ORIGINS"] = origins.split()
    return config


app = create_app(config_from_env())
