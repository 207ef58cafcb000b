"""The Flask application factory: ``create_app(config)``."""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, redirect, request, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from facilitator.db import make_engine, session_factory, sqlite_url, upgrade
from facilitator.live import Hub, SqlStore

__all__ = ["config_from_env", "create_app"]

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
    :mod:`facilitator.i18n`), ``SERVE`` (off for admin commands: no table is loaded or
    written), ``TRUST_PROXY`` (how many reverse proxies stand in front: their
    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only then; default 0),
    ``SESSION_COOKIE_SECURE`` (default: on when ``PUBLIC_URL`` is ``https://…``).
    """
    app = Flask(__name__, instance_relative_config=True)
    # Before any blueprint: every <int:…> in a URL is a database id, so a number no id can
    # be is "not found", never an overflow deep in the database driver.
    app.url_map.converters["int"] = _IdConverter
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
    _secure_cookies_and_proxies(app, config or {})

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
    # Only the serving process is the tables' writer: an admin command's app (SERVE off)
    # neither loads the open tables nor writes a single table event.
    hub.serving = bool(app.config.get("SERVE", True))
    from facilitator.workshop import content_source  # a group's own content, by table

    hub.content_sources.append(content_source(session_factory(engine)))
    from facilitator.live import cluster_wanted

    # In a cluster a process takes an open table only through its lease (the cluster's sweep
    # claims every table whose owner is gone), never by loading them all at start-up.
    resume = hub.serving and not cluster_wanted(app.config)
    for problem in hub.resume_all() if resume else []:
        log.error("%s", problem)
    app.extensions["piiri.hub"] = hub
    app.extensions["piiri.store"] = store

    app.extensions["piiri.sessionmaker"] = session_factory(engine)

    from facilitator import accounts, checkins, dbsession, groups, i18n, live, reports, workshop

    dbsession.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    accounts.init_app(app)
    live.init_app(app)
    groups.init_app(app)
    checkins.init_app(app)
    reports.init_app(app)
    workshop.init_app(app)

    @app.get("/")
    def _home() -> Any:
        return redirect(url_for("panel.index"))

    app.after_request(_security_headers)

    if app.config["TICKS"] and hub.serving:
        _start_ticker(hub)
    return app


class _IdConverter(IntegerConverter):
    """``<int:…>`` for database ids: at most ten digits and 2**31 - 1 (PostgreSQL's integer),
    else the route does not match (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        if len(value) > 10:  # before int(): a 5,000-digit number is refused by int() itself
            from werkzeug.routing import ValidationError

            raise ValidationError()
        return super().to_python(value)


def _secure_cookies_and_proxies(app: Flask, config: dict[str, Any]) -> None:
    """Cookies only over TLS when the public address is https; the proxy's word on the
    client's address and scheme only when the configuration says a proxy is there (else any
    client could claim another address, or that plain HTTP was TLS)."""
    https = str(app.config.get("PUBLIC_URL") or "").lower().startswith("https://")
    if config.get("SESSION_COOKIE_SECURE") is None:  # Flask's own default is False
        app.config["SESSION_COOKIE_SECURE"] = https
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
    proxies = int(app.config.get("TRUST_PROXY") or 0)
    if proxies < 0:
        raise ValueError("TRUST_PROXY is the number of proxies in front (0 or more)")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies,  # type: ignore[method-assign]
                                x_proto=proxies, x_host=0, x_port=0, x_prefix=0)


#: One policy for every page: scripts and styles only from Piiri's own files (no inline code,
#: no eval), pictures from itself (the QR code) or data: URLs, never inside another site's frame.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self' {sockets}; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'")

_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")

#: Powerful browser features Piiri never uses are switched off; the shared screen may go
#: full screen and keep the display awake.
_PERMISSIONS = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                "accelerometer=(), gyroscope=(), magnetometer=(), "
                "fullscreen=(self), screen-wake-lock=(self)")


def _security_headers(response: Response) -> Response:
    host = request.host
    # 'self' covers same-host WebSockets only in newer browsers: old tablets need them named
    # (a Host header that is no host name cannot write into the policy).
    sockets = f"ws://{host} wss://{host}" if _HOST.fullmatch(host) else ""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _CSP.format(sockets=sockets))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", _PERMISSIONS)
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP 2
    # Over TLS only (a browser ignores the header over plain HTTP anyway); an https public
    # address means TLS is ended by a proxy in front even when TRUST_PROXY was forgotten.
    if request.is_secure or current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


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


def config_from_env(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """The server's configuration from ``PIIRI_*`` environment variables (see
    :mod:`facilitator.wsgi` for each); ``piiri serve`` and the WSGI entry both read it."""
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for key in ("DATABASE", "DATABASE_URL", "PUBLIC_URL", "SECRET_KEY", "REDIS_URL",
                "REDIS_PREFIX"):
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
    if "PIIRI_LIMITS_EXEMPT" in env:
        # Addresses no per-address limit applies to (default: this computer itself); empty
        # for none, as a benchmark from 127.0.0.1 must have to measure the limits honestly.
        config["LIMITS_EXEMPT"] = env["PIIRI_LIMITS_EXEMPT"].split()
    return config
