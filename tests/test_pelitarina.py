"""Pelitarina as scripted sessions: build life lines privately, tell in turns choosing what the
screen shows, pass, show nothing; replay gives the same table."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.registry import find_game, load_game_content
from engine.scene import TimelineElement
from engine.testing import SimulatedTable, check_module


@pytest.fixture(scope="module")
def game() -> Any:
    return find_game("pelitarina")


@pytest.fixture(scope="module")
def content() -> Any:
    return load_game_content("pelitarina")


def _game_ids(content: Any, category: str) -> list[str]:
    return [g.id for g in content.catalogue.games if g.category == category]


def _build(sim: SimulatedTable, seat: str, content: Any, typed: str | None = None) -> None:
    sim.move(seat, "consent", value="yes")
    stages = sim.state.stages
    sim.move(seat, "open_stage", value=stages[0])
    sim.move(seat, "go", value="board")
    sim.move(seat, "pick_game", value=_game_ids(content, "board")[0])
    sim.move(seat, "set_who", entry=0, value=["family"] if _has(content, "family") else [])
    gave = [g.id for g in content.method.gave][:2]
    sim.move(seat, "set_gave", entry=0, value=gave)
    sim.move(seat, "go", value="stages")
    sim.move(seat, "open_stage", value=stages[-1])
    if typed is not None:
        sim.move(seat, "go", value="type")
        sim.move(seat, "type_name", value=typed)
    else:
        sim.move(seat, "go", value="search")
        sim.move(seat, "search", value="a")
        pick = next(c for c in sim.controls(seat).items if c.kind == "choice")
        sim.move(seat, "pick_game", value=pick.options[0].value)
    sim.move(seat, "ready")


def _has(content: Any, pick: str) -> bool:
    return any(p.id == pick for p in content.method.who_with)


def _timeline(sim: SimulatedTable) -> TimelineElement | None:
    return next((e for e in sim.scene().elements if e.kind == "timeline"), None)


def test_one_person_builds_shows_a_stage_and_sees_their_strengths(game: Any,
                                                                   content: Any) -> None:
    sim = SimulatedTable(game, content, seed=4)
    (aino,) = sim.join_many(1)
    sim.start()
    _build(sim, aino, content, typed="Kotipeli Röllikkä")
    assert sim.table.meta.turn.phase == "tell" and sim.current == aino
    sim.move(aino, "show", value="stage:0")
    shown = _timeline(sim)
    assert shown is not None and len(shown.stages) == 1
    text = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    assert "Röllikkä" not in text  # the typed game was in another stage: not shown
    sim.move(aino, "told")
    assert sim.table.meta.turn.phase == "summary"
    summary = sim.controls(aino).items[0]
    gave = content.method.gave[0].strength.pick("fi")
    assert gave in summary.text.pick("fi")
    sim.move(aino, "summary_ok")
    assert sim.status.value == "ended"
    assert [f.kind for f in sim.facts(seat=aino) if f.kind in (
        "lifeline_ready", "shown_on_screen", "story_told")] == [
        "lifeline_ready", "shown_on_screen", "story_told"]
    assert sim.facts("shown_on_screen")[0].data == {"what": "stage"}
    sim.assert_replays()


def test_four_seats_build_tell_pass_and_show_nothing(game: Any, content: Any) -> None:
    sim = SimulatedTable(game, content, seed=7)
    a, b, c, d = sim.join_many(4)
    sim.start()
    scene = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    assert "0 of 4 ready" in scene
    _build(sim, a, content, typed="Salainen pihapeli")
    scene = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    assert "1 of 4 ready" in scene and "Salainen" not in scene
    _build(sim, b, content)
    sim.move(c, "consent", value="no")  # says no: done, shows nothing
    sim.pass_turn(d)  # passes the building altogether
    assert sim.table.meta.turn.phase == "tell"
    # a shows the whole line; b shows nothing; c has no line; d passes
    assert sim.current == a
    sim.move(a, "show", value="line")
    line = _timeline(sim)
    assert line is not None and len(line.stages) == len(sim.state.stages)
    assert "Salainen pihapeli" in json.dumps(line.model_dump(mode="json"), ensure_ascii=False)
    sim.move(b, "react", value="heart")
    assert sim.facts("reaction_received")[0].seat == a
    sim.move(a, "told")
    sim.move(b, "show", value="nothing")
    assert _timeline(sim) is None
    sim.move(b, "told")
    sim.move(c, "told")
    sim.pass_turn(d)
    assert sim.table.meta.turn.phase == "summary"
    closing = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    for nickname in ("Aino", "Bashir", "Camilla", "Dmitri"):
        assert nickname not in closing  # never who
    for seat in (a, b, c, d):
        sim.move(seat, "summary_ok")
    assert sim.status.value == "ended"
    assert len(sim.facts("turn_passed")) == 1
    sim.assert_replays()


def test_eight_seats_and_what_they_have_in_common(game: Any, content: Any) -> None:
    sim = SimulatedTable(game, content, seed=11, options={"shorter": True})
    seats = sim.join_many(8)
    sim.start()
    assert sim.state.stages == [s.id for s in content.method.stages if s.short]
    for seat in seats:
        _build(sim, seat, content)
    for index, seat in enumerate(seats):
        assert sim.current == seat
        if index < 3:
            sim.move(seat, "show", value="game:0")  # the same board game, by three people
        sim.move(seat, "told")
    closing = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    first = content.game(_game_ids(content, "board")[0]).name.pick("en")
    assert f"3 of you have played: {first}" in closing
    sim.assert_replays()


def test_a_stage_takes_at_most_three_games_and_bad_picks_change_nothing(game: Any,
                                                                        content: Any) -> None:
    sim = SimulatedTable(game, content, seed=2)
    (aino,) = sim.join_many(1)
    sim.start()
    assert sim.try_move(aino, "open_stage", value="teens").reason.value == "refused"
    sim.move(aino, "consent", value="yes")
    sim.move(aino, "open_stage", value=sim.state.stages[0])
    for game_id in _game_ids(content, "card")[:3]:
        sim.move(aino, "pick_game", value=game_id)
        sim.move(aino, "go", value="stage")
    before = sim.table.fingerprint()
    assert sim.try_move(aino, "pick_game", value=_game_ids(content, "card")[3]).reason.value \
        == "refused"
    assert sim.try_move(aino, "pick_game", value="no-such-game").reason.value == "refused"
    assert sim.try_move(aino, "type_name", value="x" * 200).reason.value == "bad_payload"
    assert sim.table.fingerprint() == before


def test_module_kit_plays_it_at_every_seat_count(game: Any, content: Any) -> None:
    report = check_module(game, content, screen=False)
    assert report.ok, report.text()
