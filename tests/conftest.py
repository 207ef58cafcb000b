"""Shared fixtures: the built-in game and its content, tiny inline games for engine rules, and
the databases: a throwaway PostgreSQL server for the session (see :mod:`tests.pg`), a fresh
database per test, and ``database_url`` that runs a test once on SQLite and once on PostgreSQL;
and ``redis_url``, a throwaway Redis server for the session (see :mod:`tests.redisserver`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from engine.registry import find_game, load_game_content
from facilitator.db import make_engine, sqlite_url, upgrade
from facilitator.live.storage import SqlStore

from .pg import PostgresServer, PostgresUnavailable
from .redisserver import RedisServer, RedisUnavailable


@pytest.fixture(autouse=True)
def _close_websocket_clients() -> Iterator[None]:
    """A test's protocol clients are closed when it ends (their keepalive threads would
    otherwise run on into later tests)."""
    yield
    from .test_protocol import Client

    while Client.opened:
        client = Client.opened.pop()
        with suppress(Exception):  # already closed by the test or by the server
            client.ws.close()


@pytest.fixture(autouse=True, scope="session")
def _checkin_keys_in_a_temporary_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default check-in key file lives under XDG_CONFIG_HOME: keep tests out of the real
    home folder."""
    import os

    before = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config-home"))
    os.environ.pop("PIIRI_CHECKIN_KEYS", None)
    os.environ.pop("PIIRI_CHECKIN_KEY_FILE", None)
    yield
    if before is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = before


@pytest.fixture(scope="session")
def circle() -> Any:
    return find_game("circle")


@pytest.fixture(scope="session")
def circle_content() -> Any:
    return load_game_content("circle")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of its own for this test session, stopped at the end."""
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as error:
        pytest.fail(f"PostgreSQL is needed for this test and could not start: {error}",
                    pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    with pg_server.database() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The URL of a Redis server of its own for this test session (no persistence), stopped
    at the end. Tests share it: each keeps to a key prefix of its own (``REDIS_PREFIX``)."""
    try:
        server = RedisServer.start()
    except RedisUnavailable as error:
        pytest.fail(f"Redis is needed for this test and could not start: {error}",
                    pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, once as a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "piiri.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture()
def make_store(database_url: str) -> Iterator[Callable[[], SqlStore]]:
    """Makes stores on ``database_url``, each over an engine of its own, as separate processes
    would have; the first one migrates the database. All are closed after the test."""
    stores: list[SqlStore] = []

    def make() -> SqlStore:
        engine = make_engine(database_url, sqlite_synchronous="FULL")
        if not stores:
            upgrade(engine)
        stores.append(SqlStore(engine))
        return stores[-1]

    yield make
    for store in stores:
        store.close()


# -- the app, a live server and a browser: one definition each -----------------------------------
# A test module that needs another configuration overrides ``app_config`` or ``server_config``
# (for example ``{"DATABASE_URL": database_url}`` to run on SQLite and PostgreSQL alike).


@pytest.fixture()
def app_config() -> dict[str, Any]:
    return {}


@pytest.fixture()
def app(tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Any]:
    """The Flask app on a fresh SQLite file, no timer thread."""
    from facilitator.app import create_app

    made = create_app({"DATABASE": str(tmp_path / "piiri.sqlite3"), "TICKS": False,
                       "SECRET_KEY": "test-secret", **app_config})
    yield made
    made.extensions["piiri.store"].close()


@pytest.fixture()
def server_config() -> dict[str, Any]:
    return {}


@pytest.fixture()
def server(tmp_path: Path, server_config: dict[str, Any]) -> Iterator[Any]:
    """A live Piiri server on loopback (panel, tablet pages and WebSockets), fresh per test."""
    from .live_server import running

    with running(tmp_path / "piiri.sqlite3", **server_config) as live:
        yield live


@pytest.fixture()
def server_log(tmp_path: Path) -> Iterator[Path]:
    """Everything the server logs, at every level, into a file the test reads (for tests that
    check no private value reaches the log). Ask for it before ``server``."""
    import logging

    path = tmp_path / "server.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
        handler.close()


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One live server shared by a module's tests (for tests that only read what it shows)."""
    from .live_server import running

    with running(tmp_path_factory.mktemp("server") / "piiri.sqlite3") as live:
        yield live


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    from .browser import chromium

    with chromium() as found:
        yield found


@pytest.fixture()
def browser(_chromium: Any) -> Iterator[Any]:
    """Debian's headless Chromium, started once for the whole session. Each test opens its
    own contexts (cookies, storage and pages of its own); whatever a test leaves open is
    closed when it ends, so no page of one test runs on into the next."""
    yield _chromium
    for context in list(_chromium.contexts):
        with suppress(Exception):
            context.close()
