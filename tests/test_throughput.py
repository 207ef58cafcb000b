"""Throughput in one process (issue 20): group commit of events, a bounded memory of ended
tables. No test here measures time: each checks what is committed, sent and kept."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event as sa_event

from engine import Event
from facilitator.live.storage import SeqConflict, SqlStore

from .test_storage import play, stored

MakeStore = Callable[[], SqlStore]
BOUND_S = 30  # a bound on every wait, never a measured time


def _hold_first_commit(store: SqlStore, others: int) -> tuple[list[int], threading.Event]:
    """Count the store's commits; the first one waits (boundedly) until ``others`` appends
    are queued behind it, as when moves of many tables arrive while one is being stored."""
    commits: list[int] = []
    first = threading.Event()

    @sa_event.listens_for(store.engine, "commit")
    def _commit(conn: Any) -> None:
        commits.append(1)
        if len(commits) == 1:
            first.set()
            for _ in range(BOUND_S * 100):
                if len(store._group._queue) >= others:  # type: ignore[union-attr]
                    break
                threading.Event().wait(0.01)

    return commits, first


def _append_in_threads(store: SqlStore, writes: list[tuple[str, Event]],
                       first: threading.Event) -> dict[str, str]:
    """Append each (table, event) in its own thread: the first alone, the rest once the first
    is committing. Returns each table's outcome, read back right after its append returned."""
    outcomes: dict[str, str] = {}
    reader = SqlStore(store.engine, group_commit=False)

    def write(table_id: str, event: Event) -> None:
        try:
            store.append(table_id, event)
        except SeqConflict:
            outcomes[table_id] = "conflict"
            return
        # Committed before the caller is told: it is there the moment append returns.
        outcomes[table_id] = "stored" if event in reader.events(table_id) else "missing"

    threads = [threading.Thread(target=write, args=writes[0])]
    threads[0].start()
    assert first.wait(BOUND_S)
    threads += [threading.Thread(target=write, args=w) for w in writes[1:]]
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(BOUND_S * 2)
    return outcomes


def _one_move_short(store: SqlStore, circle: Any, content: Any, tables: int
                    ) -> dict[str, list[Event]]:
    """``tables`` circle tables t0, t1 … played a little, each stored but for its last event."""
    logs = {f"t{i}": play(circle, content, table_id=f"t{i}", moves=2)[1]
            for i in range(tables)}
    for table_id, events in logs.items():
        stored(store, table_id, events[:-1], code=f"R{table_id}")
    return logs


def _append_last_moves_beside(store: SqlStore, logs: dict[str, list[Event]],
                              first: threading.Event, beside: Callable[[], None]
                              ) -> dict[str, str]:
    """Append each table's last event (as :func:`_append_in_threads`) while ``beside`` runs
    in a thread of its own from the moment the first commit holds."""
    joining = threading.Thread(target=beside)
    starter = threading.Thread(target=lambda: (first.wait(BOUND_S), joining.start()))
    starter.start()
    outcomes = _append_in_threads(store, [(t, e[-1]) for t, e in logs.items()], first)
    starter.join(BOUND_S)
    joining.join(BOUND_S)
    return outcomes


def test_events_of_many_tables_arriving_together_share_one_commit(
        make_store: MakeStore, circle: Any, circle_content: Any) -> None:
    store = make_store()
    logs = _one_move_short(store, circle, circle_content, 6)
    commits, first = _hold_first_commit(store, others=5)
    outcomes = _append_in_threads(store, [(t, e[-1]) for t, e in logs.items()], first)
    assert outcomes == dict.fromkeys(logs, "stored")
    assert len(commits) == 2  # the first event alone, the five that came meanwhile together
    for table_id, events in logs.items():
        assert store.events(table_id) == events


def test_a_taken_event_number_fails_only_its_own_event_in_a_shared_commit(
        make_store: MakeStore, circle: Any, circle_content: Any) -> None:
    store = make_store()
    logs = _one_move_short(store, circle, circle_content, 4)
    events = logs["t3"]
    rival = events[-2].model_copy(update={"action": events[-1].action})  # t3's last, taken
    writes = [("t0", logs["t0"][-1]), ("t1", logs["t1"][-1]), ("t3", rival),
              ("t2", logs["t2"][-1])]
    _, first = _hold_first_commit(store, others=3)
    outcomes = _append_in_threads(store, writes, first)
    assert outcomes == {"t0": "stored", "t1": "stored", "t2": "stored", "t3": "conflict"}
    assert store.events("t3") == logs["t3"][:-1]


def test_a_joins_token_arriving_beside_moves_shares_their_commit(
        make_store: MakeStore, circle: Any, circle_content: Any) -> None:
    """A tablet's seat token is committed with the moves being stored at that moment (one
    transaction, not one of its own), and is there when save_token returns."""
    store = make_store()
    logs = _one_move_short(store, circle, circle_content, 3)
    commits, first = _hold_first_commit(store, others=3)
    found: list[tuple[str, str] | None] = []
    reader = SqlStore(store.engine, group_commit=False)

    def join() -> None:
        store.save_token("a" * 64, "t1", "s9")
        found.append(reader.find_token("a" * 64))

    outcomes = _append_last_moves_beside(store, logs, first, join)
    assert outcomes == dict.fromkeys(logs, "stored")
    assert found == [("t1", "s9")]
    assert len(commits) == 2  # the first move alone; two moves and the token together


def test_a_token_without_its_table_fails_alone_in_a_shared_commit(
        make_store: MakeStore, circle: Any, circle_content: Any) -> None:
    store = make_store()
    logs = _one_move_short(store, circle, circle_content, 3)
    _, first = _hold_first_commit(store, others=3)
    errors: list[BaseException] = []

    def join() -> None:
        try:
            store.save_token("b" * 64, "no-such-table", "s1")
        except Exception as error:  # the test looks at it
            errors.append(error)

    outcomes = _append_last_moves_beside(store, logs, first, join)
    assert outcomes == dict.fromkeys(logs, "stored")
    assert len(errors) == 1 and "IntegrityError" in type(errors[0]).__name__
    assert store.find_token("b" * 64) is None


@pytest.mark.parametrize("group_commit", [True, False])
def test_an_append_that_fails_raises_in_its_caller(make_store: MakeStore, circle: Any,
                                                  circle_content: Any,
                                                  group_commit: bool) -> None:
    store = SqlStore(make_store().engine, group_commit=group_commit)
    _, events = play(circle, circle_content, moves=0)
    stored(store, "t1", events)
    with pytest.raises(SeqConflict):
        store.append("t1", events[-1])
    assert store.events("t1") == events


class _Null:
    def send(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def test_an_ended_table_nobody_uses_is_let_go_after_a_while(make_store: MakeStore) -> None:
    from datetime import UTC, datetime, timedelta

    from engine import Avatar, AvatarColour, AvatarIcon, EndTable
    from facilitator.live.hub import Hub

    now = [datetime(2026, 3, 2, 10, 0, tzinfo=UTC)]
    hub = Hub(make_store(), clock=lambda: now[0])
    ended = hub.create_table("circle", {"rounds": 1}, seed=1)
    playing = hub.create_table("circle", {"rounds": 1}, seed=2)
    screen = _Null()
    ended.screens.add(screen)
    hub.join(ended, "Aino", Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange))
    hub.apply(ended, EndTable(at=hub.now()))
    now[0] += timedelta(hours=1)
    assert hub.forget_ended() == []  # its screen is still there
    hub.disconnected(ended, screen, None)
    assert hub.forget_ended() == []  # idle from now on, kept a while for the leader's page
    now[0] += timedelta(seconds=hub.ended_keep_s - 1)
    assert hub.forget_ended() == []
    now[0] += timedelta(seconds=1)
    assert hub.forget_ended() == [ended.code]
    assert hub.find(ended.code) is None
    assert hub.find(playing.code) is playing  # a table that has not ended stays
    assert make_store().events(ended.table_id)[-1].action.type == "end"  # its log is kept


def test_an_ended_table_kept_for_a_while_lets_go_of_its_views_and_shows_the_same(
        make_store: MakeStore) -> None:
    """While an ended table waits to be let go it keeps only its state, not the views it has
    sent (most of its weight); a screen or tablet that comes back gets the same bytes."""
    import copy
    import gc
    import tracemalloc

    from engine import Avatar, AvatarColour, AvatarIcon, MakeMove, StartTable
    from facilitator.live.hub import Hub

    hub = Hub(make_store())
    live = hub.create_table("circle", {"rounds": 2}, seed=3)
    screen = _Null()
    live.screens.add(screen)
    for name in ("Aino", "Bertil", "Carmen", "Dawit"):
        hub.join(live, name, Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange))
    hub.apply(live, StartTable(at=hub.now()))
    while live.table.meta.turn.current is not None:
        hub.apply(live, MakeMove(at=hub.now(), seat=live.table.meta.turn.current,
                                 name="done", payload={}))
    assert live.table.status.value == "ended"
    seats = [s.id for s in live.table.meta.seats]
    sent = ([hub.scene_frame(live), live.table.facilitator_json()]
            + [hub.controls_frame(live, seat) for seat in seats])
    hub.disconnected(live, screen, None)

    def weight() -> int:
        """Bytes of what the table keeps of its views: a deep copy of them, traced."""
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            kept = copy.deepcopy((live.table._views, live.table._lineage))
            size = tracemalloc.get_traced_memory()[0] - before
            del kept
            return size
        finally:
            tracemalloc.stop()

    held = weight()
    assert hub.forget_ended() == []  # idle now: kept, lighter
    assert hub.find(live.code) is live
    assert weight() * 5 < held
    again = ([hub.scene_frame(live), live.table.facilitator_json()]
             + [hub.controls_frame(live, seat) for seat in seats])
    assert again == sent


OFF_LOOP_PROBE = r"""
from gevent import monkey
monkey.patch_all()
import json, sys
import gevent
from gevent.monkey import get_original
sys.path.insert(0, sys.argv[1])
from sqlalchemy import event
from engine.registry import find_game, load_game_content
from facilitator.db import make_engine, sqlite_url, upgrade
from facilitator.live.storage import SqlStore
from tests.test_storage import play

native_id = get_original("threading", "get_native_id")
slow_sleep = get_original("time", "sleep")
engine = make_engine(sqlite_url(sys.argv[2]), sqlite_synchronous="FULL")
upgrade(engine)
store = SqlStore(engine)
circle, content = find_game("circle"), load_game_content("circle")
logs = {f"t{i}": play(circle, content, table_id=f"t{i}", moves=2)[1] for i in range(8)}
for table_id, events in logs.items():
    store.create_table(table_id, f"R{table_id}", "circle", events[0].action.at)
    for e in events[:-1]:
        store.append(table_id, e)
beats = [0]
seen = {"commits": 0, "threads": set(), "beats_during_slow_commit": None}

@event.listens_for(engine, "commit")
def _commit(conn):
    seen["commits"] += 1
    seen["threads"].add(native_id())
    if seen["beats_during_slow_commit"] is None:
        before = beats[0]
        slow_sleep(0.3)  # a disk that takes its time: does the rest of the server go on?
        seen["beats_during_slow_commit"] = beats[0] - before

def beat():
    while True:
        beats[0] += 1
        gevent.sleep(0.005)

seen["commits"] = 0
heart = gevent.spawn(beat)
gevent.sleep(0.02)
writers = [gevent.spawn(store.append, t, e[-1]) for t, e in logs.items()]
gevent.joinall(writers, raise_error=True)
heart.kill()
stored = all(store.events(t) == e for t, e in logs.items())
print(json.dumps({"stored": stored, "commits": seen["commits"],
                  "loop_thread_committed": native_id() in seen["threads"],
                  "beats": seen["beats_during_slow_commit"]}))
"""


def test_under_gevent_sqlite_commits_wait_for_the_disk_off_the_event_loop(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Served by gevent, a SQLite commit waiting for the disk does not stop the process's
    other connections: the transaction runs in a thread of its own, the greenlets go on,
    and each append still returns only once its event is committed (read back after)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", OFF_LOOP_PROBE, str(root),
                          str(tmp_path / "off.sqlite3")],
                         capture_output=True, text=True, timeout=120, cwd=str(root))
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["stored"] is True
    assert seen["loop_thread_committed"] is False
    assert seen["beats"] > 0  # the other greenlets ran while the disk was slow
    assert seen["commits"] < 8  # the appends that came meanwhile shared a commit
