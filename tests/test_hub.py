"""The hub: commit before telling, one writer per table, resume after a restart — on SQLite and
on PostgreSQL (``make_store`` comes from conftest.py; each test runs once per database)."""

from __future__ import annotations

from collections.abc import Callable

from engine import Accepted, Avatar, AvatarColour, AvatarIcon, MakeMove, StartTable
from facilitator.live.hub import Hub
from facilitator.live.storage import SqlStore

AVATAR = Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange)

MakeStore = Callable[[], SqlStore]


class Recorder:
    """A connection that remembers what it was sent, and checks storage first."""

    def __init__(self, store: SqlStore, table_id: str) -> None:
        self.store, self.table_id = store, table_id
        self.frames: list[str] = []
        self.stored_when_told: list[int] = []

    def send(self, text: str) -> None:
        self.frames.append(text)
        self.stored_when_told.append(len(self.store.events(self.table_id)))

    def close(self) -> None:
        pass


def test_events_are_committed_before_anyone_is_told(make_store: MakeStore) -> None:
    store = make_store()
    hub = Hub(store)
    live = hub.create_table("circle", {"rounds": 1}, seed=1)
    # Another connection, as another process would see the database: only committed rows.
    screen = Recorder(make_store(), live.table_id)
    live.screens.add(screen)
    hub.join(live, "Aino", AVATAR)
    hub.apply(live, StartTable(at=hub.now()))
    assert screen.stored_when_told == [2, 3]  # create+join, then +start: stored before sent


def test_a_second_writer_reloads_instead_of_forking_the_table(make_store: MakeStore) -> None:
    first = Hub(make_store())
    live = first.create_table("circle", {"rounds": 2}, seed=1)
    first.join(live, "Aino", AVATAR)
    first.join(live, "Bashir", AVATAR)
    first.apply(live, StartTable(at=first.now()))

    second = Hub(make_store())
    assert second.resume_all() == []
    stale = second.find(live.code)
    assert stale is not None
    # The first process moves on; the second still holds the older table.
    assert isinstance(first.apply(live, MakeMove(at=first.now(), seat="s1", name="done")),
                      Accepted)
    result = second.apply(stale, MakeMove(at=second.now(), seat="s2", name="done"))
    assert isinstance(result, Accepted)  # it reloaded, saw s2's turn, and applied on top
    events = make_store().events(live.table_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    kinds = [f.kind for e in events for f in e.facts if f.kind == "turn_taken"]
    assert len(kinds) == 2


def test_restart_resumes_from_snapshot_and_log(make_store: MakeStore) -> None:
    hub = Hub(make_store(), snapshot_every=10)
    live = hub.create_table("circle", {"rounds": 10}, seed=1)
    for name in ("Aino", "Bashir", "Camilla"):
        hub.join(live, name, AVATAR)
    hub.apply(live, StartTable(at=hub.now()))
    for _ in range(25):  # past two snapshots
        hub.apply(live, MakeMove(at=hub.now(), seat=live.table.meta.turn.current, name="done"))
    store = make_store()
    snapshot = store.latest_snapshot(live.table_id)
    assert snapshot is not None and snapshot.seq == 30
    again = Hub(store)
    again.resume_all()
    resumed = again.find(live.code)
    assert resumed is not None
    assert resumed.table.state == live.table.state
    assert resumed.table.meta.turn == live.table.meta.turn
