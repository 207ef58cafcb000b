"""A bounded, seeded WebSocket fuzz: a few thousand hostile frames against a live server change
no table, and a legitimate tablet at that table is served throughout and after. (The longer run
that prints counts and memory is ``bench/ws_fuzz.py``; its frame generator is used here.)"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from engine import StartTable

from .live_server import LiveServer
from .test_protocol import Client, table

_spec = importlib.util.spec_from_file_location(
    "ws_fuzz_bench", Path(__file__).parent.parent / "bench" / "ws_fuzz.py")
assert _spec is not None and _spec.loader is not None
fuzz: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)


@pytest.mark.parametrize("server_config", [{"LIMITS_EXEMPT": []}])  # limits as for any address
def test_hostile_frames_change_nothing_and_a_real_tablet_is_served(server: LiveServer) -> None:
    live = table(server)
    legit = Client(server)
    seat, _token = legit.join(live.code, "Aino")
    legit.drain(0.2)
    before = (live.table.seq, live.table.fingerprint())
    tally = fuzz.Tally()
    workers = [threading.Thread(target=fuzz.hostile_worker, args=(
        server.ws_url, live.code, 1400 + n, 800, 25, tally), daemon=True) for n in range(3)]
    for worker in workers:
        worker.start()
    answered = 0
    while any(w.is_alive() for w in workers):
        legit.send(t="ping")  # an answer either way: a pong, or "too many" from this address
        reply = json.loads(legit.ws.recv(timeout=10))
        answered += reply["t"] in ("pong", "error")
        legit.drain(0.3)
    for worker in workers:
        worker.join(60)
    assert tally.sent >= 2400
    assert sum(tally.refused.values()) > 1000  # hostile frames were read and refused
    assert {"bad_message", "not_seated"} <= set(tally.refused)
    assert (live.table.seq, live.table.fingerprint()) == before  # not one change
    assert answered > 0
    assert [s.id for s in live.table.meta.seats] == [seat]
    server.hub.apply(live, StartTable(at=server.hub.now()))
    controls = legit.until("controls")["controls"]
    while not controls.get("your_turn"):
        controls = legit.until("controls")["controls"]
    legit.send(t="move", id=1, name="done", payload={})
    assert legit.until("ack")["id"] == 1
