"""Redis goes away under a running server: sign-in says so plainly, in the leader's language,
and changes nothing; the tables this process runs play on for the tablets connected to it.

The test starts a Redis of its own (the session's is shared by other tests) and stops it."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import StartTable

from .accounts import PASSWORD, csrf_token, make_user
from .live_server import LiveServer, running
from .redisserver import RedisServer
from .test_protocol import Client

pytestmark = [pytest.mark.redis]


@pytest.fixture()
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def cluster_server(tmp_path: Path, own_redis: RedisServer) -> Iterator[LiveServer]:
    with running(tmp_path / "piiri.sqlite3", CLUSTER=True, REDIS_URL=own_redis.url,
                 REDIS_PREFIX=f"test-down-{uuid.uuid4().hex[:8]}:") as server:
        try:
            yield server
        finally:
            server.app.extensions["piiri.cluster"].close()


def _turn(tablets: list[Client]) -> Client:
    """The tablet whose turn it is (reading what has come)."""
    while True:
        for tablet in tablets:
            seen = [m for m in tablet.seen if m["t"] == "controls"]
            if seen and seen[-1]["controls"].get("your_turn"):
                return tablet
        for tablet in tablets:
            with contextlib.suppress(TimeoutError):
                tablet.seen.append(json.loads(tablet.ws.recv(timeout=0.2)))


def test_sign_in_while_redis_is_down_says_so_and_tables_play_on(
        cluster_server: LiveServer, own_redis: RedisServer) -> None:
    server = cluster_server
    make_user(server.app)
    live = server.hub.create_table("circle", {"rounds": 2}, seed=3)
    tablets = [Client(server), Client(server)]
    for tablet, name in zip(tablets, ("Aino", "Bashir"), strict=True):
        tablet.join(live.code, name)
    server.hub.apply(live, StartTable(at=server.hub.now()))

    own_redis.stop()
    panel = server.app.test_client()
    token = csrf_token(panel, "/login")
    answer = panel.post("/login", data={"csrf_token": token, "email": "leader@a.example",
                                        "password": PASSWORD},
                        headers={"Accept-Language": "sv"})
    assert answer.status_code == 503
    page = answer.get_data(as_text=True)
    assert 'id="unavailable"' in page and 'role="alert"' in page
    assert "Tjänsten är tillfälligt inte tillgänglig" in page
    # Nothing changed: not signed in.
    assert panel.get("/panel/").status_code == 302

    # The tablets connected here play on: a move is taken and acknowledged.
    before = live.table.seq
    mover = _turn(tablets)
    mover.send(t="move", id=1, name="done", payload={})
    assert mover.until("ack", timeout=30)["seq"] > before
    assert server.hub.store.last_seq(live.table_id) == live.table.seq
