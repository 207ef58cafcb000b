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
``PIIRI_TRUST_PROXY``
    How many reverse proxies stand in front of Piiri (usually ``1``: the county's TLS proxy).
    Only then are their ``X-Forwarded-For`` (the client's address, which sign-in limits go by)
    and ``X-Forwarded-Proto`` (https) believed. Leave it unset when clients reach Piiri
    directly: anyone could send those headers.
``PIIRI_SECURE_COOKIES``
    ``1`` sends the sign-in cookie over TLS only, ``0`` never; by default it is on exactly
    when ``PIIRI_PUBLIC_URL`` starts with ``https://``.

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
    proxies = env.get("PIIRI_TRUST_PROXY", "").strip()
    if proxies:
        if not proxies.isdigit():
            raise ValueError("PIIRI_TRUST_PROXY must be the number of proxies in front, e.g. 1")
        config["TRUST_PROXY"] = int(proxies)
    secure = env.get("PIIRI_SECURE_COOKIES", "").strip().lower()
    if secure:
        config["SESSION_COOKIE_SECURE"] = secure not in ("0", "false", "no")
    origins = env.get("PIIRI_ALLOWED_ORIGINS")
    if origins:
        config["ALLOWED_ORIGINS"] = origins.split()
    return config


app = create_app(config_from_env())
