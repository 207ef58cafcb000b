"""The event log: replay gives the same table, or refuses with a clear reason."""

from __future__ import annotations

import dataclasses

import pytest

from engine import ContentChanged, LogVersionError, ReplayDiverged, ReplayError, replay
from engine.table import Event
from engine.testing import SimulatedTable

from .games_for_tests import turns_game


def played(seats: int = 3, moves: int = 5) -> SimulatedTable:
    sim = SimulatedTable(turns_game, None, seed=5)
    sim.join_many(seats)
    sim.start()
    for i in range(moves):
        if i % 3 == 2:
            sim.pass_turn(sim.current)
        else:
            sim.move(sim.current, "say", word=f"w{i}")
    return sim


def test_replay_of_the_log_gives_exactly_the_same_table() -> None:
    sim = played()
    again = replay(turns_game, None, sim.log)
    assert again.fingerprint() == sim.table.fingerprint()
    assert again.state == sim.table.state


def test_log_survives_a_json_round_trip() -> None:
    sim = played()
    lines = [event.model_dump_json() for event in sim.log]
    restored = [Event.model_validate_json(line) for line in lines]
    assert replay(turns_game, None, restored).fingerprint() == sim.table.fingerprint()


def test_replay_from_a_snapshot_skips_the_events_before_it() -> None:
    sim = played(moves=3)
    snapshot = sim.table.snapshot()
    for _ in range(4):
        sim.move(sim.current, "say", word="later")
    only_tail = [sim.log[0], *sim.log[snapshot.seq:]]
    again = replay(turns_game, None, only_tail, snapshot=snapshot)
    assert again.fingerprint() == sim.table.fingerprint()


def test_same_seed_same_log_gives_same_game() -> None:
    assert played().table.fingerprint() == played().table.fingerprint()


def test_log_of_an_unknown_version_is_refused_with_a_reason() -> None:
    sim = played()
    newer = dataclasses.replace(turns_game, version=3, replays_versions=frozenset())
    with pytest.raises(LogVersionError, match="version 2 of 'turns_test'"):
        replay(newer, None, sim.log)


def test_log_of_a_listed_older_version_still_replays() -> None:
    sim = played()
    newer = dataclasses.replace(turns_game, version=3, replays_versions=frozenset({2}))
    assert replay(newer, None, sim.log).fingerprint() != ""


def test_changed_content_is_refused(circle, circle_content) -> None:
    sim = SimulatedTable(circle, circle_content)
    sim.join_many(2)
    sim.start()
    changed = circle_content.model_copy(deep=True)
    changed.prompts.prompts.pop()
    with pytest.raises(ContentChanged, match="content of 'circle' has changed"):
        replay(circle, changed, sim.log)


def test_a_log_that_replays_differently_is_refused_not_silently_changed() -> None:
    sim = played()
    tampered = list(sim.log)
    last = tampered[-1]
    tampered[-1] = last.model_copy(update={"facts": last.facts[:-1]})
    with pytest.raises(ReplayDiverged, match=f"Event {last.seq}"):
        replay(turns_game, None, tampered)


def test_a_log_with_a_gap_is_refused() -> None:
    sim = played()
    with pytest.raises(ReplayError, match="missing"):
        replay(turns_game, None, [*sim.log[:3], *sim.log[4:]])


def test_a_log_must_start_with_create() -> None:
    sim = played()
    with pytest.raises(ReplayError, match="create"):
        replay(turns_game, None, sim.log[1:])
