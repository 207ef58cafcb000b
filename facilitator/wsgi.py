"""The server for production: ``gunicorn -k gevent -w 1 'facilitator.wsgi:app'``.

Configuration comes from the environment:

``PIIRI_DATABASE``
    SQLite file (default: the instance folder's ``piiri.sqlite3``).
``PIIRI_PUBLIC_URL``
    The address QR codes carry, e.g. ``https://piiri.example-county.fi``.
``PIIRI_LEADER_KEY``, ``PIIRI_SECRET_KEY``
    Keep them in the service's secret store; without them each start makes new ones.
``PIIRI_ALLOWED_ORIGINS``
    Extra page origins allowed to open WebSockets, separated by spaces.

gevent workers hold thousands of idle WebSockets cheaply (a greenlet each); the ``gthread``
worker would hold one thread per socket and caps connections at its thread count. Run one
worker per table set until fan-out between processes arrives.
"""

from __future__ import annotations

import os
from typing import Any

from .app import create_app

__all__ = ["app", "config_from_env"]


def config_from_env(environ: dict[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for key in ("DATABASE", "PUBLIC_URL", "LEADER_KEY", "SECRET_KEY"):
        value = env.get(f"PIIRI_{key}")
        if value:
            config[key] = value.rstrip("/") if key == "PUBLIC_URL" else value
    origins = env.get("PIIRI_ALLOWED_ORIGINS")
    if origins:
        config["ALLOWED_ORIGINS"] = origins.split()
    return config


app = create_app(config_from_env())
