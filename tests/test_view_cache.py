"""Views made once per table version and shared (issue 20): each version of a table makes its
scene, each seat's controls and the leader's view once; seats that see the same thing share
one serialisation; a move copies only the seats it changes. None of it may ever show a stale
view or change an earlier version of a table. No test here measures time."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from engine import (
    Accepted,
    Avatar,
    AvatarColour,
    AvatarIcon,
    Leave,
    MakeMove,
    PassTurn,
    PauseTable,
    Presence,
    ResumeTable,
    SeatStatus,
    SkipTurn,
    StartTable,
    Table,
    TableStatus,
    TieMember,
    roster,
)
from engine.panel import FacilitatorView
from engine.protocol import ControlsMessage, SceneMessage
from engine.registry import find_game, load_game_content
from engine.scene import RosterElement, RosterEntry, Scene
from engine.testing import SimulatedTable, UnexpectedRejection
from facilitator.live.hub import Hub
from facilitator.live.storage import SqlStore

AVATAR = Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange)
MakeStore = Callable[[], SqlStore]


def _fresh(table: Table) -> Table:
    """The same version of the table with nothing made yet and nothing to reuse (nor
    shared between seats: its game gives no ``controls_key``)."""
    module = dataclasses.replace(table.module, controls_key=None)
    return Table(module, table.content, table.options, table.meta, table.state,
                 table.private)


def _seats(table: Table) -> list[str]:
    return [s.id for s in table.meta.seats]


def _hand_made_roster(table: Table) -> RosterElement:
    """The roster as the engine's rules say it, written out here with nothing kept."""
    turn = table.meta.turn

    def status(seat: Any) -> SeatStatus:
        if not seat.connected:
            return SeatStatus.away
        if seat.id == turn.current:
            return SeatStatus.turn
        if seat.id in turn.passed:
            return SeatStatus.passed
        return SeatStatus.answered if seat.id in turn.responded else SeatStatus.waiting

    return RosterElement(entries=[
        RosterEntry(seat=s.id, nickname=s.nickname, avatar=s.avatar.model_copy(),
                    status=status(s), connected=s.connected)
        for s in table.meta.seats if not s.gone])


def _assert_views_are_fresh(table: Table) -> None:
    """Every view the table serialises is exactly what a table made from scratch says (and
    the views the engine makes without validating them are what validation makes)."""
    fresh = _fresh(table)
    assert table.scene_json() == fresh.scene().model_dump_json()
    assert Scene.model_validate_json(table.scene_json()) == table.scene()
    assert table.facilitator_json() == fresh.facilitator_view().model_dump_json()
    leader = table.facilitator_view()
    assert FacilitatorView.model_validate_json(table.facilitator_json()) == leader
    assert leader.model_fields_set == set(FacilitatorView.model_fields)
    if table.module.id == "circle":  # a game that shows the roster as it is given
        rosters = [e for e in table.scene().elements if isinstance(e, RosterElement)]
        if table.status is TableStatus.playing or rosters:
            assert rosters == [_hand_made_roster(table)]
    for seat in _seats(table):
        assert table.controls_json(seat) == fresh.controls(seat).model_dump_json()
        assert table.controls(seat) == fresh.controls(seat)


def _circle_at_a_turn(seats: int = 4) -> SimulatedTable:
    sim = SimulatedTable(find_game("circle"), load_game_content("circle"), seed=5,
                         options={"rounds": 3})
    sim.join_many(seats)
    sim.start()
    return sim


def test_a_reaction_changes_the_speakers_controls_and_nobody_elses() -> None:
    sim = _circle_at_a_turn()
    speaker = sim.current
    assert speaker is not None
    listener = next(s for s in _seats(sim.table) if s != speaker)
    before = {seat: sim.table.controls_json(seat) for seat in _seats(sim.table)}
    assert "reaction_tally" not in before[speaker]

    sim.move(listener, "react", value="heart")

    after = {seat: sim.table.controls_json(seat) for seat in _seats(sim.table)}
    assert "reaction_tally" in after[speaker]  # the speaker's view is the new one
    assert {s: after[s] for s in after if s != speaker} == {
        s: before[s] for s in before if s != speaker}  # and only the speaker's changed
    _assert_views_are_fresh(sim.table)


def test_a_move_that_changes_one_seats_controls_makes_that_seats_view_alone() -> None:
    """The circle says what a seat's controls are made from (``controls_key``): a reaction
    changes the speaker's, so only the speaker's are made again; every listener's controls
    and their JSON are the very ones of the version before."""
    sim = _circle_at_a_turn(seats=6)
    speaker = sim.current
    assert speaker is not None
    listeners = [s for s in _seats(sim.table) if s != speaker]
    before = sim.table
    old = {seat: (before.controls(seat), before.controls_json(seat)) for seat in _seats(before)}

    sim.move(listeners[0], "react", value="clap")

    after = sim.table
    assert after.seq == before.seq + 1
    for seat in listeners:
        assert after.controls(seat) is old[seat][0]
        assert after.controls_json(seat) is old[seat][1]
    assert after.controls(speaker) is not old[speaker][0]
    assert "reaction_tally" in after.controls_json(speaker)
    _assert_views_are_fresh(after)
    _assert_views_are_fresh(before)  # and the version before still shows what it showed


def test_listeners_with_the_same_key_share_the_games_controls() -> None:
    sim = _circle_at_a_turn(seats=5)
    listeners = [s for s in _seats(sim.table) if s != sim.current]
    first, *others = (sim.table.controls(s) for s in listeners)
    for controls in others:
        assert all(a is b for a, b in zip(controls.items, first.items, strict=True))
        assert controls.seat != first.seat


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_sequence_of_actions_ever_shows_a_stale_view(seed: int) -> None:
    """A scripted random walk through everything that changes a seat's controls (turns,
    passes, reactions, another card, hints to one or all, pauses, a seat away and back, a
    seat leaving, the leader's moves): after every action every seat's controls of the new
    version, and of versions before it read again out of order, are what a table made from
    scratch without any reuse says."""
    rng = random.Random(seed)
    sim = SimulatedTable(find_game("circle"), load_game_content("circle"), seed=seed,
                         options={"rounds": 8})
    sim.join_many(7)
    sim.start()
    sim.table.controls_json(_seats(sim.table)[0])
    versions = [sim.table]

    def someone() -> str:
        return rng.choice([s.id for s in sim.table.meta.seats if not s.gone])

    steps: list[Callable[[], Any]] = [
        lambda: sim.try_move(sim.current, "done"),
        lambda: sim.try_move(sim.current, "done"),
        lambda: sim.try_pass(sim.current) if sim.current else None,
        lambda: sim.try_move(someone(), "react", value=rng.choice(["heart", "clap"])),
        lambda: sim.try_move(someone(), "react", value="heart"),
        lambda: sim.try_move(sim.current, "redraw"),
        lambda: sim.send(Presence(at=sim._stamp(), seat=someone(), connected=False)),
        lambda: sim.send(Presence(at=sim._stamp(), seat=someone(), connected=True)),
        lambda: sim.hint("Kerro lyhyesti", to=someone()),
        lambda: sim.hint("Kaikille"),
        lambda: sim.send(PauseTable(at=sim._stamp())),
        lambda: sim.send(ResumeTable(at=sim._stamp())),
        lambda: sim.leader_move("new_prompt"),
        lambda: sim.send(SkipTurn(at=sim._stamp())),
        lambda: sim.send(Leave(at=sim._stamp(), seat=someone())) if rng.random() < 0.2
        else None,
    ]
    accepted = 0
    for _ in range(200):
        if sim.table.status is TableStatus.ended or sum(
                not s.gone for s in sim.table.meta.seats) < 2:
            break
        try:
            result = rng.choice(steps)()
        except UnexpectedRejection:  # a hint or a leader's move the table refused now
            continue
        if result is None or not isinstance(result, Accepted):
            continue
        accepted += 1
        versions.append(sim.table)
        _assert_views_are_fresh(sim.table)
        _assert_views_are_fresh(rng.choice(versions[-4:]))
    assert accepted >= 80


@pytest.mark.parametrize("game", ["circle", "elaman_varit", "pelitarina"])
def test_every_view_of_every_version_is_what_a_fresh_table_says(game: str) -> None:
    sim = SimulatedTable(find_game(game), load_game_content(game), seed=3)
    sim.join_many(5)
    _assert_views_are_fresh(sim.table)
    sim.start()
    versions = 0

    def policy(sim: SimulatedTable, seat: str) -> None:
        nonlocal versions
        # Read the views of the version before the move, so that the next version has
        # something to (wrongly) reuse if its cache were stale.
        for other in _seats(sim.table):
            sim.table.controls_json(other)
        sim.table.facilitator_json()
        buttons = [item.move for item in sim.table.controls(seat).items
                   if getattr(item, "kind", "") == "button"]
        moved = versions % 2 == 0 and buttons and isinstance(sim.try_move(seat, buttons[0]),
                                                             Accepted)
        if not moved and not isinstance(sim.try_pass(seat), Accepted):
            return
        versions += 1
        _assert_views_are_fresh(sim.table)

    sim.play(lambda s, seat: policy(s, seat), max_actions=120)
    assert versions >= 8
    _assert_views_are_fresh(sim.table)


def test_seats_that_see_the_same_thing_share_one_serialisation() -> None:
    sim = _circle_at_a_turn(seats=6)
    speaker = sim.current
    listeners = [s for s in _seats(sim.table) if s != speaker]
    texts = [json.loads(sim.table.controls_json(s)) for s in listeners]
    assert [t.pop("seat") for t in texts] == listeners
    assert all(t == texts[0] for t in texts)  # all but the seat alike...
    key = sim.table._seat_key(listeners[0])
    assert all(sim.table._seat_key(s) == key for s in listeners)
    body = sim.table._lineage.shared[key][1]
    assert len(body) == 1  # ...and serialised once between them
    assert all(sim.table.controls_json(s).endswith(body[0][len('{"version":5,'):])
               for s in listeners)
    # A game without a key shares the serialisation within one version alike.
    fresh = _fresh(sim.table)
    for seat in listeners:
        fresh.controls_json(seat)
    assert len(fresh._views["bodies"]) == 1
    fresh.controls_json(speaker)
    assert len(fresh._views["bodies"]) == 2


def test_seats_with_the_same_key_get_one_set_of_controls_each_with_its_own_seat() -> None:
    """The first listener's controls are made; every other listener's are a copy with its
    own seat (in the model and in the JSON), and the copies never change the first."""
    sim = _circle_at_a_turn(seats=5)
    sim.move(sim.current, "done")  # a new turn: nothing of the old turn's controls is kept
    table = sim.table
    listeners = [s for s in _seats(table) if s != sim.current]
    made = [table.controls(s) for s in listeners]
    assert [c.seat for c in made] == listeners
    assert all(c.items is made[0].items and c.status is made[0].status for c in made)
    for seat, controls in zip(listeners, made, strict=True):
        assert json.loads(table.controls_json(seat))["seat"] == seat
        assert controls == _fresh(table).controls(seat)
    _assert_views_are_fresh(table)


def test_a_seat_that_becomes_a_listener_never_gets_another_seats_controls() -> None:
    """Turn by turn the speaker becomes a listener and a listener the speaker: the kept
    controls by key (made for another seat, in an earlier version) always carry the seat
    they are for, and an older version read again still shows what it showed."""
    sim = _circle_at_a_turn(seats=4)
    versions = []
    for n in range(10):
        table = sim.table
        for seat in reversed(_seats(table)):  # another order than the seats'
            assert json.loads(table.controls_json(seat))["seat"] == seat
        versions.append(table)
        if n % 3 == 2:
            other = next(s for s in _seats(table) if s != sim.current)
            sim.move(other, "react", value="heart")
        else:
            sim.move(sim.current, "done")
    for table in reversed(versions):
        _assert_views_are_fresh(table)


def test_a_seats_line_on_the_leaders_view_is_serialised_again_only_when_it_changes() -> None:
    sim = _circle_at_a_turn(seats=4)
    before = sim.table
    before.facilitator_json()
    kept = {seat: before._lineage.summaries[seat][4] for seat in _seats(before)}
    speaker = sim.current
    listener = next(s for s in _seats(before) if s != speaker)
    sim.move(listener, "react", value="clap")  # counts change for the listener and speaker
    after = sim.table
    text = after.facilitator_json()
    for seat in _seats(after):
        line = after._lineage.summaries[seat][4]
        assert line is not None and line in text
        assert (line is kept[seat]) == (seat not in (speaker, listener))
    sim.send(Presence(at=sim._stamp(), seat=_seats(after)[-1], connected=False))
    _assert_views_are_fresh(sim.table)
    _assert_views_are_fresh(after)
    _assert_views_are_fresh(before)


def test_a_roster_line_a_game_changes_is_its_own() -> None:
    """The story shows a pass as an answer by changing the roster it is given: that must not
    change what any other table (or game) shows for a seat that passed."""
    story = SimulatedTable(find_game("story"), load_game_content("story"), seed=4,
                           options={"story": "first-day"})
    _, passer, _ = story.join_many(3)
    story.start()
    story.leader_move("go_on")
    story.pass_turn(passer)
    shown = {e.seat: e.status for e in _roster_of(story.table)}
    assert shown[passer] is SeatStatus.answered  # as the story wants
    circle = SimulatedTable(find_game("circle"), load_game_content("circle"), seed=4,
                            options={"rounds": 3})
    circle.join_many(3)
    circle.start()
    while circle.current != passer:
        circle.move(circle.current, "done")
    circle.pass_turn(passer)
    assert {e.seat: e.status for e in _roster_of(circle.table)}[passer] is SeatStatus.passed
    view = circle.table.view()
    given = roster(view)
    given.entries[0].status = SeatStatus.away
    assert roster(view).entries[0].status is not SeatStatus.away


def _roster_of(table: Table) -> list[Any]:
    return next(e for e in table.scene().elements if e.kind == "roster").entries


def test_a_move_never_changes_the_table_it_was_applied_to() -> None:
    """A move shares the seats it does not change with the version before it; the ones it
    changes (presence, leaving, a member tied, counts) it copies first."""
    sim = _circle_at_a_turn(seats=4)
    sim.table.controls_json("s2")
    sim.table.facilitator_json()
    versions: list[tuple[Table, str, str, str]] = []

    def apply(action: Any) -> None:
        table = sim.table
        versions.append((table, table.fingerprint(), table.facilitator_json(),
                         table.controls_json("s2")))
        result = table.apply(action)
        assert isinstance(result, Accepted), result
        sim.table = result.table

    current = sim.current
    assert current is not None
    apply(MakeMove(at=sim._stamp(), seat=current, name="done"))
    apply(PassTurn(at=sim._stamp(), seat=sim.current))
    apply(Presence(at=sim._stamp(), seat="s2", connected=False))
    apply(Presence(at=sim._stamp(), seat="s2", connected=True))
    apply(TieMember(at=sim._stamp(), seat="s3", member="m3"))
    apply(MakeMove(at=sim._stamp(), seat="s4" if sim.current != "s4" else "s1", name="react",
                   payload={"value": "clap"}))
    apply(Leave(at=sim._stamp(), seat="s2"))
    for table, fingerprint, leader, tablet in versions:
        assert table.fingerprint() == fingerprint
        assert _fresh(table).facilitator_view().model_dump_json() == leader
        assert _fresh(table).controls("s2").model_dump_json() == tablet
    gone, kept = sim.table.seat("s2"), versions[0][0].seat("s2")
    assert gone is not None and gone.gone and kept is not None and not kept.gone
    assert sim.table.meta.seats[2].member == "m3"
    assert versions[0][0].meta.seats[2].member is None


class Recorder:
    """A connection that remembers what it was sent."""

    def __init__(self) -> None:
        self.frames: list[str] = []

    def send(self, text: str) -> None:
        self.frames.append(text)

    def close(self) -> None:
        pass


def test_the_hubs_frames_are_the_protocols_messages_byte_for_byte(
        make_store: MakeStore) -> None:
    hub = Hub(make_store())
    live = hub.create_table("circle", {"rounds": 2}, seed=1)
    screen = Recorder()
    live.screens.add(screen)
    tablets = {}
    for name in ("Aino", "Bashir", "Camilla"):
        hub.join(live, name, AVATAR)
        seat = live.table.meta.seats[-1].id
        tablets[seat] = Recorder()
        hub.attach(live, tablets[seat], seat)
    hub.apply(live, StartTable(at=hub.now()))
    for n in range(8):
        current = live.table.meta.turn.current
        assert current is not None
        other = next(s for s in tablets if s != current)
        move = (MakeMove(at=hub.now(), seat=other, name="react", payload={"value": "heart"})
                if n % 3 == 2 else MakeMove(at=hub.now(), seat=current, name="done"))
        assert isinstance(hub.apply(live, move), Accepted)
        fresh = _fresh(live.table)
        assert screen.frames[-1] == SceneMessage(seq=fresh.seq,
                                                 scene=fresh.scene()).model_dump_json()
        for seat, tablet in tablets.items():
            assert tablet.frames[-1] == ControlsMessage(
                seq=fresh.seq, controls=fresh.controls(seat)).model_dump_json()


def test_a_view_json_is_pydantics_bytes_whatever_it_holds() -> None:
    """What orjson would write differently (a datetime, a set, a number as a key) is written
    by pydantic instead; plain data is written alike, escapes and numbers included."""
    from datetime import UTC, datetime

    from pydantic import BaseModel

    from engine.table import _json

    class Plain(BaseModel):
        text: str
        ratios: list[float]
        count: int
        note: str | None = None

    class Odd(Plain):
        at: datetime
        tags: set[str]
        by_number: dict[int, str]

    text = 'Äiti "sanoi" </script> \u2028 \\ \t \x7f 😀'
    plain = Plain(text=text, ratios=[0.1, 7.5, 3.0, 1e16, 1e-7, 10.0], count=-3)
    assert _json(plain) == plain.model_dump_json()
    odd = Odd(text=text, ratios=[], count=0, at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
              tags={"a"}, by_number={1: "x"})
    assert _json(odd) == odd.model_dump_json()
    assert _json(odd, exclude={"at"}) == odd.model_dump_json(exclude={"at"})


def test_the_circles_scenes_share_a_roster_while_its_lines_stay_the_same() -> None:
    """The circle shows the roster as it is, so it asks for a shared one (``roster(view,
    shared=True)``): a reaction keeps every line, and so the very element; a turn changes
    two lines, and so makes a new one. Anyone else's roster is still its own to change, and
    changing it changes no shared one."""
    sim = _circle_at_a_turn(seats=5)
    speaker = sim.current
    assert speaker is not None
    listener = next(s for s in _seats(sim.table) if s != speaker)
    before = sim.table
    first = next(e for e in before.scene().elements if isinstance(e, RosterElement))
    sim.move(listener, "react", value="heart")
    after = next(e for e in sim.table.scene().elements if isinstance(e, RosterElement))
    assert after is first
    assert roster(sim.table.view(), shared=True) is first
    own = roster(sim.table.view())
    assert own == first and own is not first
    assert all(a is not b for a, b in zip(own.entries, first.entries, strict=True))
    own.entries[0].status = SeatStatus.away
    own.entries.append(own.entries[0])
    assert roster(sim.table.view(), shared=True) is first
    assert first == _hand_made_roster(sim.table)
    sim.move(speaker, "done")
    turned = next(e for e in sim.table.scene().elements if isinstance(e, RosterElement))
    assert turned is not first and turned == _hand_made_roster(sim.table)
    assert first == _hand_made_roster(before)  # the earlier one is as it was
    # The element the scene's JSON reused is the same serialisation a fresh dump makes.
    assert before.scene_json() == _fresh(before).scene().model_dump_json()
    assert sim.table.scene_json() == _fresh(sim.table).scene().model_dump_json()
