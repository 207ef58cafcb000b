"""A move copies only what it changes, and never changes the table it was applied to (issue
20): ``Table.apply`` copies the engine's part of a table field by field and the game's state
only when game code runs, instead of dumping and validating both on every move. Whatever a
move does (to the turn, a timer, a hint, a check-in or side round, proposals, the seats or the
game's state), every earlier version of the table must still look and serialise exactly as it
did. No test here measures time."""

from __future__ import annotations

import dataclasses
import functools
import random
from datetime import datetime
from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from engine import (
    Accepted,
    CheckinMark,
    CloseCheckin,
    CloseSideRound,
    EndTable,
    Join,
    LocalizedText,
    MakeMove,
    Move,
    MoveContext,
    OpenCheckin,
    OpenSideRound,
    PauseTable,
    Rejected,
    ResumeTable,
    SetTimer,
    SideRoundStep,
    Table,
    TableStatus,
    TieMember,
    Who,
)
from engine.kit import play_randomly
from engine.module import Fact, NoPayload
from engine.registry import find_game, load_game_content
from engine.scene import Avatar, AvatarColour, AvatarIcon
from engine.table import Event, Reason, Seat, TableMeta, _clone, _clone_meta, _clone_seat
from engine.testing import SimulatedTable
from tests.games_for_tests import CountState, turns_game

GAMES = ["circle", "elaman_varit", "escape_room", "story", "pelitarina", "workshop"]
OPTIONS: dict[str, dict[str, Any]] = {"workshop": {"target": "elaman_varit", "name": "Kortit"},
                                     "story": {"write_ins": True}}
AVATAR = Avatar(icon=AvatarIcon.sun, colour=AvatarColour.blue)


def _picture(table: Table) -> tuple[str, ...]:
    """How the table serialises and looks, made from scratch (nothing kept from a view made
    before, nor from another version of the table)."""
    fresh = Table(dataclasses.replace(table.module, controls_key=None), table.content,
                  table.options, table.meta, table.state, table.private)
    state = table.state.model_dump_json() if table.started else ""
    return (table.meta.model_dump_json(), state, table.fingerprint(),
            fresh.scene().model_dump_json(), fresh.facilitator_view().model_dump_json(),
            *(fresh.controls(seat.id).model_dump_json() for seat in table.meta.seats))


class RecordedTable(SimulatedTable):
    """A simulated table that keeps every version it had, with its picture from before the
    next action was applied to it (accepted or not)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions: list[tuple[Table, tuple[str, ...]]] = []
        self.accepted: set[str] = set()

    def send(self, action: Any) -> Any:
        table = self.table
        if not self.versions or self.versions[-1][0] is not table:
            # What the server sends too: this version's views, kept on the table.
            table.scene_json()
            table.facilitator_json()
            for seat in table.meta.seats:
                table.controls_json(seat.id)
            self.versions.append((table, _picture(table)))
        result = super().send(action)
        if self.table is not table:
            self.accepted.add(action.type if not isinstance(action, MakeMove) else
                              action.name)
        return result

    def stamp(self) -> datetime:
        return self._stamp()


def _propose_everywhere(sim: RecordedTable) -> None:
    """Every seat offered a proposal field writes one; the leader accepts one (edited) and
    returns another."""
    for seat in [s.id for s in sim.table.meta.seats if not s.gone]:
        if any(item.kind == "proposal" for item in sim.controls(seat).items):
            sim.try_move(seat, "propose", value=f"Ehdotus {sim.table.seq} kahvista")
    pending = sim.table.meta.proposals.pending()
    if pending:
        sim.try_move(None, "proposal_accept", id=pending[0].id, text="Muokattu ehdotus")
    if len(pending) > 1:
        sim.try_move(None, "proposal_return", id=pending[1].id, note="Kiitos, ei nyt")


@functools.cache
def _session(game: str, seed: int) -> RecordedTable:
    """A session that changes every part of a table through real actions (played once per
    game for the tests here: they only read it)."""
    sim = RecordedTable(find_game(game), load_game_content(game), seed=seed,
                        options=OPTIONS.get(game))
    pick = random.Random(seed)
    seats = sim.join_many(3)
    sim.send(TieMember(at=sim.stamp(), seat=seats[0], member="m1"))
    sim.disconnect(seats[1])
    sim.reconnect(seats[1])
    sim.start()
    sim.hint("Kaikille vinkki")
    sim.set_timer(60)
    sim.advance(5)
    sim.tick()
    sim.send(SetTimer(at=sim.stamp(), seconds=None, extend=30))
    sim.hint("Vain sinulle", to=seats[1])
    play_randomly(sim, pick, actions=6)
    sim.send(PauseTable(at=sim.stamp()))
    sim.send(ResumeTable(at=sim.stamp()))
    sim.send(OpenCheckin(at=sim.stamp(), round="start", items=2))
    for seat, marks in ((seats[0], ("consented", "answered", "skipped", "finished")),
                        (seats[1], ("declined",)), (seats[2], ("consented", "withdrawn"))):
        for mark in marks:
            sim.send(CheckinMark(at=sim.stamp(), seat=seat, mark=mark))
    sim.send(CloseCheckin(at=sim.stamp()))
    sim.send(Join(at=sim.stamp(), nickname="Myöhässä", avatar=AVATAR))
    for _ in range(4):
        play_randomly(sim, pick, actions=12)
        _propose_everywhere(sim)
    sim.send(TieMember(at=sim.stamp(), seat=seats[0], member=None))
    sim.leave(seats[2])
    play_randomly(sim, pick, actions=12)
    sim.send(EndTable(at=sim.stamp()))  # refused if the game has ended by itself
    title = LocalizedText({"fi": "Palaute", "en": "Feedback"})
    sim.send(OpenSideRound(at=sim.stamp(), name="feedback", title=title, items=2))
    for seat in seats[:2]:
        sim.send(SideRoundStep(at=sim.stamp(), seat=seat))
    sim.send(CloseSideRound(at=sim.stamp()))
    sim.send(SideRoundStep(at=sim.stamp(), seat=seats[0]))  # refused: nothing is open
    return sim


@pytest.mark.parametrize("game", GAMES)
def test_no_move_of_any_game_changes_an_earlier_version_of_its_table(game: str) -> None:
    sim = _session(game, seed=GAMES.index(game) + 3)
    # The session really went through every part of a table.
    wanted = {"tie_member", "presence", "start", "hint", "timer", "tick", "pause", "resume",
              "checkin_open", "checkin_mark", "checkin_close", "join", "leave", "side_open",
              "side_step", "side_close"}
    assert wanted <= sim.accepted, wanted - sim.accepted
    assert sim.status is TableStatus.ended
    assert set(find_game(game).moves) & sim.accepted, "no move of the game was made"
    if find_game(game).proposals is not None:
        assert {"propose", "proposal_accept"} <= sim.accepted
    changed = [table.seq for table, picture in sim.versions if _picture(table) != picture]
    assert not changed, f"moves changed the tables at events {changed}"
    assert len(sim.versions) > 40


class Colour(StrEnum):
    red = "red"
    blue = "blue"


class Piece(BaseModel):
    colour: Colour = Colour.red
    marks: list[int] = Field(default_factory=list)


class OddState(BaseModel):
    """A game state with every kind of field a game may keep."""

    model_config = ConfigDict(extra="allow")

    words: list[str] = Field(default_factory=list)
    tally: dict[str, int] = Field(default_factory=dict)
    seen: set[str] = Field(default_factory=set)
    pieces: list[Piece] = Field(default_factory=list)
    by_seat: dict[str, list[Piece]] = Field(default_factory=dict)
    maybe: list[str] | None = None
    anything: Any = None
    pair: tuple[int, list[str]] = (0, [])
    colour: Colour = Colour.blue
    when: datetime | None = None
    _cache: dict[str, list[str]] = PrivateAttr(default_factory=dict)


def _mutable_ids(value: Any, found: dict[int, str], path: str) -> None:
    """The ids of every list, dict, set and model in ``value`` (what a move could change)."""
    if isinstance(value, BaseModel):
        found[id(value)] = path
        for name, item in value.__dict__.items():
            _mutable_ids(item, found, f"{path}.{name}")
        for name, item in (value.__pydantic_extra__ or {}).items():
            _mutable_ids(item, found, f"{path}.{name}")
        for name, item in (value.__pydantic_private__ or {}).items():
            _mutable_ids(item, found, f"{path}.{name}")
    elif isinstance(value, list | dict | set | tuple):
        if not isinstance(value, tuple):
            found[id(value)] = path
        for item in value.values() if isinstance(value, dict) else value:
            _mutable_ids(item, found, f"{path}[]")


def _shared(a: Any, b: Any) -> set[str]:
    first: dict[int, str] = {}
    second: dict[int, str] = {}
    _mutable_ids(a, first, "a")
    _mutable_ids(b, second, "a")
    return {first[i] for i in first.keys() & second.keys()}


def test_a_copied_state_is_what_dump_and_validate_gave_and_shares_nothing_changeable() -> None:
    state = OddState(words=["a", "b"], tally={"x": 1}, seen={"s"}, maybe=["m"],
                     pieces=[Piece(marks=[1])], by_seat={"s1": [Piece(colour=Colour.blue)]},
                     anything={"deep": [Piece(), {"x": [1, 2]}]}, pair=(1, ["p"]),
                     when=datetime(2026, 1, 5), extra_field=[1, {"y": [2]}])
    state._cache["k"] = ["v"]
    copy = _clone(state)
    assert type(copy) is OddState
    assert copy.model_dump_json() == state.model_dump_json()
    assert copy.model_dump() == state.model_dump()
    # Unlike dump and validate, the copy keeps a model kept in an ``Any`` field a model (not a
    # dict) and keeps private attributes: a copy, not a new state.
    assert isinstance(copy.anything["deep"][0], Piece)
    assert copy.model_fields_set == state.model_fields_set
    assert copy._cache == {"k": ["v"]}
    assert not _shared(state, copy)
    copy.pieces[0].marks.append(2)
    copy.by_seat["s1"][0].colour = Colour.red
    copy.anything["deep"][1]["x"].append(3)
    copy.pair[1].append("q")
    copy.words.append("c")
    copy._cache["k"].append("w")
    assert state.pieces[0].marks == [1] and state.by_seat["s1"][0].colour is Colour.blue
    assert state.anything["deep"][1]["x"] == [1, 2] and state.pair == (1, ["p"])
    assert state.words == ["a", "b"] and state._cache == {"k": ["v"]}


@pytest.mark.parametrize("game", GAMES)
def test_each_games_state_and_seats_copy_as_dump_and_validate_did(game: str) -> None:
    sim = SimulatedTable(find_game(game), load_game_content(game), seed=7,
                         options=OPTIONS.get(game))
    sim.join_many(3)
    sim.start()
    play_randomly(sim, random.Random(7), actions=20)
    table = sim.table
    for model in (table.state, *table.meta.seats):
        copy = _clone(model)
        assert copy.model_dump_json() == model.model_dump_json()
        assert copy == type(model).model_validate(model.model_dump())
        assert not _shared(model, copy)
    for seat in table.meta.seats:
        copy = _clone_seat(seat)
        assert copy.model_dump_json() == seat.model_dump_json()
        assert _shared(seat, copy) == {"a.avatar"}  # no move changes an avatar
    meta = _clone_meta(table.meta)
    assert meta == TableMeta.model_validate(table.meta.model_dump())
    # Shared: the seats and proposals (each copied by the move that changes it) and what moves
    # only ever replace. Everything else a move may change in place is its own.
    shared = {path[2:].split(".")[0].split("[")[0] for path in _shared(table.meta, meta)}
    assert shared <= {"seats", "options", "rng", "hint", "proposals"}, shared
    assert meta.turn is not table.meta.turn
    assert all(isinstance(seat, Seat) for seat in meta.seats)


@pytest.mark.parametrize("game", GAMES)
def test_every_event_apply_makes_is_what_validating_it_gives(game: str) -> None:
    """``apply`` makes its events and facts without validating them again (issue 20): each is
    still the very model, with the same bytes in the log, that validation made."""
    sim = _session(game, seed=GAMES.index(game) + 3)
    assert len(sim.log) > 40
    for event in sim.log[1:]:  # (the first is made when the table is, by validation)
        facts = [Fact(kind=f.kind, seat=f.seat, data=dict(f.data)) for f in event.facts]
        validated = Event(seq=event.seq, action=event.action, facts=facts,
                          private=dict(event.private))
        assert event == validated
        assert event.model_dump_json() == validated.model_dump_json()
        assert event.model_fields_set == validated.model_fields_set
        assert Event.model_validate_json(event.model_dump_json()) == event.model_copy(
            update={"private": {}})
        for fact, made in zip(event.facts, facts, strict=True):
            assert type(fact) is Fact and type(fact.data) is dict
            assert fact.model_fields_set == made.model_fields_set
            assert fact.__pydantic_extra__ is None and fact.__pydantic_private__ is None


def _odd_fact(ctx: MoveContext[CountState], state: CountState, payload: NoPayload) -> CountState:
    state.log.append("odd")
    ctx.fact("turn_taken", seat=3)  # type: ignore[arg-type]  # a bug in a game
    return state


def test_a_fact_that_does_not_fit_is_still_refused_and_changes_nothing() -> None:
    odd = dataclasses.replace(turns_game, moves={**turns_game.moves,
                                                 "odd": Move(_odd_fact, who=Who.any)})
    sim = SimulatedTable(odd, seed=1)
    seat = sim.join_many(2)[0]
    sim.start()
    before = sim.table
    result = sim.try_move(seat, "odd")
    assert isinstance(result, Rejected) and result.reason is Reason.game_error
    assert "validation error" in result.detail
    assert sim.table is before and before.state.log == []
    # A move that carries nothing still takes nothing, and gets its payload model.
    result = sim.try_move(seat, "crash", anything=1)
    assert isinstance(result, Rejected) and result.reason is Reason.bad_payload
    seen: list[object] = []

    def keep(ctx: MoveContext[CountState], state: CountState, payload: NoPayload) -> CountState:
        seen.append(payload)
        return state

    kept = dataclasses.replace(odd, moves={**odd.moves, "keep": Move(keep, who=Who.any)})
    sim = SimulatedTable(kept, seed=1)
    seat = sim.join_many(2)[0]
    sim.start()
    assert isinstance(sim.try_move(seat, "keep"), Accepted)
    assert len(seen) == 1 and type(seen[0]) is NoPayload
