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
``PIIRI_REDIS_URL``
    A Redis (``redis://host:6379/0``) that several processes share for sign-in throttling,
    the tablets' rate limits and table leases; without it they are kept in this process.
``PIIRI_REDIS_PREFIX``
    Put before every key in that Redis (default ``piiri:``), so that several Piiris can share it.
``PIIRI_SECURE_COOKIES``
    ``1`` sends the sign-in cookie over TLS only, ``0`` never; by default it is on exactly
    when ``PIIRI_PUBLIC_URL`` starts with ``https://``.

gevent workers hold thousands of idle WebSockets cheaply (a greenlet each); the ``gthread``
worker would hold one thread per socket and caps connections at its thread count. gunicorn
allows 1,000 connections per worker unless told otherwise: pass ``--worker-connections
10000``. For several processes use ``piiri serve --workers N`` (see the README).
``PIIRI_WEBSOCKET_COMPRESSION=0``
saves about 110 KB per tablet at the cost of more bytes on the Wi-Fi.
"""

from __future__ import annotations

from facilitator.app import config_from_env, create_app
from facilitator.live import settle_heap

__all__ = ["app", "config_from_env"]


app = create_app(config_from_env())
settle_heap()  # the start-up heap out of the garbage collector's way (facilitator.live.memory)
