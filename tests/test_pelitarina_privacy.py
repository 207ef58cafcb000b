"""Private values of moves (engine.sealed) through the real hub and database: a typed game name
is never in the table's log, its snapshots, the database file, its -wal file or the server log;
replay gives the values back from the sealed store; erasure and retention remove them, and an
erased value replays as erased."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from engine import (
    ERASED,
    Avatar,
    AvatarColour,
    AvatarIcon,
    Move,
    MoveContext,
    Private,
    Scene,
    Sealed,
    Who,
    define_game,
    in_four,
)
from engine.testing import SimulatedTable

TYPED = "Zorblaxin Yöpeli"  # a game name nobody else would type


# -- the engine's contract, with a tiny inline game --------------------------------------------


class _Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Private[str]  # type: ignore[valid-type]


class _State(BaseModel):
    notes: list[Sealed] = []


def _write(ctx: MoveContext[_State], state: _State, payload: _Note) -> _State:
    state.notes.append(payload.note)
    ctx.fact("noted", seat=ctx.seat)
    return state


_diary = define_game(id="diary", version=1, title=in_four("D", "D", "D", "D"),
                     state_type=_State, setup=lambda ctx: _State(),
                     moves={"write": Move(_write, payload=_Note, who=Who.any)},
                     scene=lambda view: Scene(), controls=lambda view, seat: [])


def test_a_private_field_leaves_only_a_reference_in_log_state_and_snapshot() -> None:
    sim = SimulatedTable(_diary)
    aino = sim.join()
    sim.start()
    accepted = sim.move(aino, "write", note=TYPED)
    assert accepted.event.private == {f"{aino}.{accepted.event.seq}.note": TYPED}
    assert TYPED not in accepted.event.model_dump_json()
    assert TYPED not in repr(accepted.event)
    assert TYPED not in sim.table.snapshot().model_dump_json()
    view = sim.table.view()
    assert view.opened(sim.state.notes[0]) == TYPED
    again = sim.assert_replays()  # without the values: the same table …
    assert again.view().opened(again.state.notes[0]) is ERASED  # … whose value reads erased
    restored = again.with_private(sim.table.private)
    assert restored.view().opened(restored.state.notes[0]) == TYPED


def test_a_tablet_cannot_point_at_another_seats_value() -> None:
    sim = SimulatedTable(_diary)
    aino, ben = sim.join(), sim.join()
    sim.start()
    made = sim.move(aino, "write", note="oma")
    ref = next(iter(made.event.private))
    refused = sim.try_move(ben, "write", note={"$private": ref})
    assert refused.reason.value == "bad_payload" and "oma" not in refused.detail


def test_a_bad_private_value_is_refused_without_repeating_it() -> None:
    sim = SimulatedTable(_diary)
    aino = sim.join()
    sim.start()
    refused = sim.try_move(aino, "write", note={"nested": TYPED})
    assert refused.reason.value == "bad_payload" and TYPED not in refused.detail


# -- through the hub and the database ----------------------------------------------------------


def _play(hub: Any, typed: str, member: str | None = None) -> Any:
    live = hub.create_table("pelitarina")
    (result, _token) = hub.join(live, "Aino", Avatar(icon=AvatarIcon.sun,
                                                     colour=AvatarColour.orange), member)
    seat = live.table.meta.seats[-1].id
    hub.apply(live, _start(hub))
    ids = iter(range(1, 1000))

    def move(name: str, **payload: Any) -> None:
        result = hub.move(live, seat, next(ids), name, payload)
        assert result.__class__.__name__ == "Accepted", result

    move("consent", value="yes")
    move("open_stage", value=live.table.state.stages[0])
    move("go", value="type")
    move("type_name", value=typed)
    move("set_gave", entry=0, value=["patience"])
    move("go", value="search")
    move("search", value=typed[:6])
    move("ready")
    move("show", value="line")
    assert typed in json.dumps(live.table.scene().model_dump(mode="json"), ensure_ascii=False)
    move("told")
    move("summary_ok")
    return live


def _start(hub: Any) -> Any:
    from engine import StartTable

    return StartTable(at=hub.now())


def _bytes_of(tmp_path: Path) -> bytes:
    found = b""
    for path in tmp_path.glob("piiri.sqlite3*"):
        found += path.read_bytes()
    return found


def test_build_tell_erase_replay_and_nothing_is_left_in_the_clear(
        server_log: Path, app: Any, tmp_path: Path) -> None:
    from facilitator.accounts import erase_member_data

    hub = app.extensions["piiri.hub"]
    live = _play(hub, TYPED, member="42")
    # every snapshot, too
    hub.store.save_snapshot(live.table_id, live.table.snapshot())
    raw = _bytes_of(tmp_path)
    assert b'"nickname":"Aino"' in raw  # the search does read what the log holds
    assert TYPED.encode() not in raw and TYPED[:6].encode() not in raw
    assert TYPED not in server_log.read_text(encoding="utf-8")
    # the values come back on a replay from the log and the sealed store
    loaded = hub._load(live.table_id, live.code, "pelitarina")
    entry = loaded.table.state.lines["s1"].entries[0]
    assert loaded.table.view().opened(entry.what) == TYPED
    # erasing the member removes them: the replayed table reads them as erased
    session = app.extensions["piiri.sessionmaker"]()
    counts = erase_member_data(session, 42)
    session.commit()
    session.close()
    assert counts["private_values"] >= 3
    again = hub._load(live.table_id, live.code, "pelitarina")
    entry = again.table.state.lines["s1"].entries[0]
    assert again.table.view().opened(entry.what) is ERASED
    assert TYPED not in json.dumps(again.table.scene().model_dump(mode="json"),
                                   ensure_ascii=False)
    raw = _bytes_of(tmp_path)
    assert TYPED.encode() not in raw and TYPED[:6].encode() not in raw
    assert TYPED not in server_log.read_text(encoding="utf-8")


def test_erasure_finds_a_seat_tied_to_the_member_after_it_made_its_moves(app: Any) -> None:
    from engine import TieMember
    from facilitator.accounts import erase_member_data
    from facilitator.live import PrivateVault

    hub = app.extensions["piiri.hub"]
    live = _play(hub, "Toinen peli")
    hub.apply(live, TieMember(at=hub.now(), seat="s1", member="7"))
    vault: PrivateVault = hub.vault
    assert vault.load(live.table_id)
    session = app.extensions["piiri.sessionmaker"]()
    assert erase_member_data(session, 7)["private_values"] >= 1
    session.commit()
    session.close()
    assert vault.load(live.table_id) == {}


def test_retention_deletes_the_private_values_of_old_tables(app: Any) -> None:
    from facilitator.groups import apply_retention

    hub = app.extensions["piiri.hub"]
    live = _play(hub, "Vanha peli")
    assert hub.vault.load(live.table_id)
    session = app.extensions["piiri.sessionmaker"]()
    apply_retention(session, 1, today=date(2100, 1, 1))
    session.close()
    assert hub.vault.load(live.table_id) == {}



def test_a_value_that_cannot_be_kept_leaves_the_move_unapplied_and_unlogged(app: Any) -> None:
    import pytest

    from facilitator.live import PrivateVault

    hub = app.extensions["piiri.hub"]
    live = hub.create_table("pelitarina")
    hub.join(live, "Aino", Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange))
    seat = live.table.meta.seats[-1].id
    hub.apply(live, _start(hub))
    ids = iter(range(1, 1000))
    for name, payload in (("consent", {"value": "yes"}),
                          ("open_stage", {"value": live.table.state.stages[0]}),
                          ("go", {"value": "type"})):
        assert hub.move(live, seat, next(ids), name, payload).__class__.__name__ == "Accepted"
    before = (live.table.seq, hub.store.last_seq(live.table_id))
    vault: PrivateVault = hub.vault

    def broken() -> Any:
        raise OSError("the key file cannot be read")

    vault._sealer = broken  # type: ignore[method-assign]  # the key is gone mid-meeting
    with pytest.raises(RuntimeError, match="OSError"):
        hub.move(live, seat, next(ids), "type_name", {"value": "Toinen peli"})
    # nothing refers to a value that was never kept: the move is not in the table or the log
    assert (live.table.seq, hub.store.last_seq(live.table_id)) == before
