"""What several server processes share: rate limits, sign-in throttling and session endings
hold whichever process a request lands on, and table leases give each table one owner.

"Two processes" here are two Flask apps in one test on one database and one Redis (the
session's throwaway server, see tests/redisserver.py), which share exactly what two processes
would: nothing in memory. The lease contests run real separate processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
import redis

from facilitator.accounts.throttle import PAIR_FREE, MemoryThrottle, StoreThrottle
from facilitator.app import create_app
from facilitator.db import sqlite_url
from facilitator.live import MemoryStore, RedisStore, SharedStore, TableLeases, shared_store

from .accounts import PASSWORD, csrf_token, login, make_user

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.redis


@pytest.fixture()
def redis_config(redis_url: str) -> dict[str, Any]:
    """This test's share of the session's Redis: a key prefix nobody else uses."""
    return {"REDIS_URL": redis_url, "REDIS_PREFIX": f"test-{uuid.uuid4().hex[:12]}:"}


@contextmanager
def two_apps(database_url: str, **config: Any) -> Iterator[tuple[Any, Any]]:
    """Two apps on one database, as two server processes would be (no timer thread)."""
    made: list[Any] = []
    try:
        for _ in range(2):
            made.append(create_app({"DATABASE_URL": database_url, "TICKS": False,
                                    "SECRET_KEY": "test-secret", **config}))
        yield made[0], made[1]
    finally:
        for app in made:
            app.extensions["piiri.store"].close()
            app.extensions["piiri.shared"].close()


# -- the store itself, in memory and on Redis ---------------------------------------------------

@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[SharedStore]:
    if request.param == "memory":
        yield MemoryStore(secret="s")
        return
    config: dict[str, Any] = request.getfixturevalue("redis_config")
    made = RedisStore(config["REDIS_URL"], config["REDIS_PREFIX"], secret="s")
    yield made
    made.close()


def test_a_bucket_gives_what_it_holds_and_refills(store: SharedStore) -> None:
    key = store.key("seat", "t1", "s1")
    assert store.tokens(key, 1.0, 3, now=100.0) == 3  # never seen: full
    assert store.take(key, 1.0, 3, now=100.0, want=2) == 2
    assert store.take(key, 1.0, 3, now=100.0, want=2) == 1  # only what is left
    assert store.take(key, 1.0, 3, now=100.0) == 0
    assert store.tokens(key, 1.0, 3, now=101.5) == pytest.approx(1.5)
    assert store.take(key, 1.0, 3, now=101.5) == 1


def test_failures_count_per_key_and_a_quiet_window_starts_again(store: SharedStore) -> None:
    a, b = store.key("pair", "10.0.0.1", "x@a.example"), store.key("account", "x@a.example")
    for now in (10.0, 11.0, 12.0):
        store.count_failure([a, b], now, window_s=60, keep=64)
    assert store.failures([a, b, store.key("other")], 13.0, 60) == [(3, 12.0), (3, 12.0),
                                                                    (0, 0.0)]
    assert store.failures([a], 73.0, 60) == [(0, 0.0)]
    store.count_failure([a], 73.0, window_s=60, keep=64)
    assert store.failures([a, b], 73.0, 60) == [(1, 73.0), (0, 0.0)]
    store.forget(a)
    assert store.failures([a], 73.0, 60) == [(0, 0.0)]


def test_keys_do_not_hold_the_address_or_the_email(store: SharedStore) -> None:
    key = store.key("pair", "203.0.113.5", "aino@k.example")
    assert "203.0.113.5" not in key and "aino" not in key
    assert key == store.key("pair", "203.0.113.5", "aino@k.example")
    assert key != store.key("pair", "203.0.113.5", "aino@k.example2")


def test_a_lease_has_one_holder_until_released(store: SharedStore) -> None:
    assert store.claim("lease:t1", "a", 30)
    assert not store.claim("lease:t1", "b", 30)
    assert store.claim("lease:t1", "a", 30)  # the holder again: renewed
    assert not store.renew("lease:t1", "b", 30) and store.renew("lease:t1", "a", 30)
    assert not store.release("lease:t1", "b")
    assert store.holder("lease:t1") == "a"
    assert store.claim("lease:t2", "b", 30)
    assert store.holders("lease") == {"t1": "a", "t2": "b"}
    assert store.release("lease:t1", "a")
    assert store.holder("lease:t1") is None and store.claim("lease:t1", "b", 30)


def test_without_redis_the_app_keeps_everything_in_memory(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.delenv("PIIRI_REDIS_URL", raising=False)
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3")) as (a, b):
        assert isinstance(shared_store(a), MemoryStore)
        assert isinstance(a.extensions["piiri.signin_throttle"], MemoryThrottle)
        assert a.extensions["piiri.live_limits"].shared is None


def test_the_environment_names_the_redis(tmp_path: Path, redis_url: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIIRI_REDIS_URL", redis_url)
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3")) as (a, _):
        assert isinstance(shared_store(a), RedisStore)
        assert isinstance(a.extensions["piiri.signin_throttle"], StoreThrottle)


# -- sign-in throttling ---------------------------------------------------------------------------

def frozen_throttles(*apps: Any) -> None:
    """The apps' own throttles, on their own stores, with time standing still (waits are
    seen without waiting)."""
    for app in apps:
        app.extensions["piiri.signin_throttle"] = StoreThrottle(shared_store(app),
                                                                clock=lambda: 1000.0)


def guess_then_sign_in_elsewhere(a: Any, b: Any) -> Any:
    make_user(a)
    guesser = a.test_client()
    for _ in range(PAIR_FREE):
        assert login(guesser, password="väärä").status_code == 200
    return login(b.test_client())


def test_wrong_passwords_on_one_process_slow_sign_in_on_another(tmp_path: Path,
                                                                redis_config: dict[str, Any]
                                                                ) -> None:
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3"), **redis_config) as (a, b):
        assert isinstance(a.extensions["piiri.signin_throttle"], StoreThrottle)
        frozen_throttles(a, b)
        response = guess_then_sign_in_elsewhere(a, b)
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "1"


def test_in_memory_each_process_counts_only_its_own(tmp_path: Path) -> None:
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3")) as (a, b):
        frozen_throttles(a, b)
        assert guess_then_sign_in_elsewhere(a, b).status_code == 302
        assert login(a.test_client()).status_code == 429  # the process that saw them waits


# -- tablet limits --------------------------------------------------------------------------------

LIMITS = {"WS_SEAT_BURST": 4, "WS_SEAT_RATE": 0.001, "WS_SHARED_DRAW": 2,
          "WRONG_CODES_BURST": 3, "WRONG_CODE_REFILL_S": 3600}


def test_a_seat_has_one_allowance_over_every_process(tmp_path: Path,
                                                     redis_config: dict[str, Any]) -> None:
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3"), **LIMITS, **redis_config) as (a, b):
        on_a, on_b = a.extensions["piiri.live_limits"], b.extensions["piiri.live_limits"]
        seat = ("table-1", "seat-1")
        sent = [limits.frame("10.0.0.9", seat) for limits in (on_a, on_a, on_b, on_b)]
        assert sent == [True, True, True, True]
        assert not on_a.frame("10.0.0.9", seat) and not on_b.frame("10.0.0.9", seat)
        assert on_b.frame("10.0.0.9", ("table-1", "seat-2"))  # another seat is not held up


def test_an_address_has_one_allowance_over_every_process(tmp_path: Path,
                                                        redis_config: dict[str, Any]) -> None:
    config = {**LIMITS, "WS_ADDRESS_BURST": 6, "WS_ADDRESS_RATE": 0.001}
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3"), **config, **redis_config) as (a, b):
        on_a, on_b = a.extensions["piiri.live_limits"], b.extensions["piiri.live_limits"]
        assert all(on_a.frame("10.0.0.9", ("t", "s1")) for _ in range(4))
        # The seat is used up: refused, though a drew the address's last 2 tokens meanwhile;
        # they are not spent on a refused frame, so another seat on a still has them.
        assert not on_a.frame("10.0.0.9", ("t", "s1"))
        assert [on_a.frame("10.0.0.9", ("t", "s2")) for _ in range(2)] == [True, True]
        assert not on_b.frame("10.0.0.9", ("t", "s3"))  # all 6 are spent, over both processes


def test_wrong_room_codes_on_one_process_count_on_another(tmp_path: Path,
                                                          redis_config: dict[str, Any]) -> None:
    guesser = {"REMOTE_ADDR": "10.0.0.7"}
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3"), **LIMITS, **redis_config) as (a, b):
        for _ in range(3):
            assert a.test_client().get("/j/ZZZZ", environ_base=guesser).status_code == 404
        refused = b.test_client().get("/j/ZZZZ", environ_base=guesser)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "3600"
        # Another address behind the same processes is not held up.
        other = b.test_client().get("/j/ZZZZ", environ_base={"REMOTE_ADDR": "10.0.0.8"})
        assert other.status_code == 404


def test_in_memory_the_limits_are_this_process_s_own(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIIRI_REDIS_URL", raising=False)
    guesser = {"REMOTE_ADDR": "10.0.0.7"}
    with two_apps(sqlite_url(tmp_path / "piiri.sqlite3"), **LIMITS) as (a, b):
        for _ in range(3):
            assert a.test_client().get("/j/ZZZZ", environ_base=guesser).status_code == 404
        assert a.test_client().get("/j/ZZZZ", environ_base=guesser).status_code == 429
        assert b.test_client().get("/j/ZZZZ", environ_base=guesser).status_code == 404
        on_a = a.extensions["piiri.live_limits"]
        assert [on_a.frame("10.0.0.9", ("t", "s")) for _ in range(5)] == [True] * 4 + [False]


def test_tablets_play_on_when_redis_cannot_be_reached(tmp_path: Path) -> None:
    """A Redis that is down must not stop a game: frames pass (and it is logged)."""
    with socket_nobody_listens_on() as url, two_apps(
            sqlite_url(tmp_path / "piiri.sqlite3"), REDIS_URL=url, **LIMITS) as (a, _):
        on_a = a.extensions["piiri.live_limits"]
        assert all(on_a.frame("10.0.0.9", ("t", "s")) for _ in range(6))
        guesser = {"REMOTE_ADDR": "10.0.0.7"}  # and participants can still join by code
        for _ in range(4):
            assert a.test_client().get("/j/ZZZZ", environ_base=guesser).status_code == 404


@contextmanager
def socket_nobody_listens_on() -> Iterator[str]:
    import socket

    with socket.socket() as s:  # bound, never listening: connections are refused at once
        s.bind(("127.0.0.1", 0))
        yield f"redis://127.0.0.1:{s.getsockname()[1]}/0"


# -- sessions -------------------------------------------------------------------------------------

def test_signing_out_on_one_process_ends_the_session_on_every_other(
        database_url: str, redis_config: dict[str, Any]) -> None:
    """The session's epoch is in the database, so it already holds across processes."""
    with two_apps(database_url, **redis_config) as (a, b):
        make_user(a)
        on_a = a.test_client()
        assert login(on_a).status_code == 302
        cookie = on_a.get_cookie("session")
        assert cookie is not None
        on_b = b.test_client()
        on_b.set_cookie("session", cookie.value)
        assert on_b.get("/panel/").status_code == 200  # the same session on the other process
        token = csrf_token(on_b, "/panel/")
        assert on_b.post("/logout", data={"csrf_token": token}).status_code == 302
        assert on_a.get("/panel/").status_code == 302  # ended on a too
        assert login(on_a, password=PASSWORD).status_code == 302


# -- table leases ---------------------------------------------------------------------------------

def test_a_lease_renewed_by_its_owner_and_lost_when_it_lapses(redis_config: dict[str, Any]
                                                              ) -> None:
    store = RedisStore(redis_config["REDIS_URL"], redis_config["REDIS_PREFIX"])
    try:
        a = TableLeases(store, "process-a", ttl_s=0.3)
        b = TableLeases(store, "process-b", ttl_s=30)
        assert a.acquire("t1") and a.held() == {"t1"}
        assert a.renew_all() == []
        assert not b.acquire("t1") and b.owner_of("t1") == "process-a"
        until_gone(lambda: a.owner_of("t1") is None)
        assert b.owners() == {}
        assert b.acquire("t1") and b.owners() == {"t1": "process-b"}
        assert a.renew_all() == ["t1"] and a.held() == set()  # a must stop writing t1
        assert not a.release("t1") and b.owner_of("t1") == "process-b"
        b.release_all()
        assert b.owners() == {}
    finally:
        store.close()


def until_gone(done: Callable[[], bool]) -> None:
    """Wait for something the server's clock brings (a lease lapsing); no time is asserted."""
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, "the lease never lapsed"
        time.sleep(0.05)


CONTENDER = """
import sys
import redis
from facilitator.live import RedisStore, TableLeases
url, prefix, name, ttl, keep = sys.argv[1:]
store = RedisStore(url, prefix)
store.client.blpop([prefix + "go"], timeout=60)  # every contender starts at once
leases = TableLeases(store, name, ttl_s=float(ttl))
won = leases.acquire("table-1")
print("won" if won else "lost", flush=True)
if keep == "keep" and won:
    leases.keep_renewing(on_lost=lambda table: print("lost", table, flush=True), every_s=0.1)
    sys.stdin.read()  # owns the table until killed
"""


def contenders(redis_config: dict[str, Any], names: list[str], ttl_s: float,
               keep: bool) -> list[subprocess.Popen[str]]:
    return [subprocess.Popen(
        [sys.executable, "-c", CONTENDER, redis_config["REDIS_URL"],
         redis_config["REDIS_PREFIX"], name, str(ttl_s), "keep" if keep else "once"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}) for name in names]


def start_all(redis_config: dict[str, Any], count: int) -> None:
    client = redis.Redis.from_url(redis_config["REDIS_URL"])
    try:
        client.rpush(redis_config["REDIS_PREFIX"] + "go", *["go"] * count)
    finally:
        client.close()


def test_processes_contending_for_a_table_exactly_one_wins(redis_config: dict[str, Any]
                                                           ) -> None:
    names = [f"process-{n}" for n in range(4)]
    running = contenders(redis_config, names, ttl_s=30, keep=False)
    start_all(redis_config, len(running))
    said = [process.communicate(timeout=120)[0].strip() for process in running]
    assert sorted(said) == ["lost", "lost", "lost", "won"]
    store = RedisStore(redis_config["REDIS_URL"], redis_config["REDIS_PREFIX"])
    try:
        assert TableLeases(store).owner_of("table-1") == names[said.index("won")]
    finally:
        store.close()


def test_the_table_of_a_killed_owner_is_taken_over(redis_config: dict[str, Any]) -> None:
    (owner,) = contenders(redis_config, ["process-a"], ttl_s=3.0, keep=True)
    store = RedisStore(redis_config["REDIS_URL"], redis_config["REDIS_PREFIX"])
    try:
        start_all(redis_config, 1)
        assert owner.stdout is not None and owner.stdout.readline().strip() == "won"
        other = TableLeases(store, "process-b")
        assert not other.acquire("table-1")  # the owner is alive and renewing
        owner.send_signal(signal.SIGKILL)  # no release, no goodbye
        owner.wait(timeout=30)
        until_gone(lambda: other.acquire("table-1"))
        assert other.owner_of("table-1") == "process-b"
    finally:
        with suppress(ProcessLookupError):
            owner.kill()
        owner.wait(timeout=30)
        store.close()


def test_the_examples_in_the_lease_module_run() -> None:
    import doctest

    from facilitator.live import leases

    assert doctest.testmod(leases).failed == 0


def test_the_production_server_reads_the_redis_from_its_environment() -> None:
    from facilitator.app import config_from_env

    config = config_from_env({"PIIRI_REDIS_URL": "redis://cache:6379/1",
                              "PIIRI_REDIS_PREFIX": "county-a:"})
    assert config["REDIS_URL"] == "redis://cache:6379/1"
    assert config["REDIS_PREFIX"] == "county-a:"
    assert "REDIS_URL" not in config_from_env({})
