"""Elämän värit as whole scripted sessions, with small inline decks."""

from __future__ import annotations

from typing import Any

import pytest

from engine import Rejected, TableStatus
from engine.testing import SimulatedTable
from games.elaman_varit import ElamanVaritContent
from games.elaman_varit import module as ev


def _text(word: str) -> dict[str, str]:
    return {"fi": f"{word} fi", "sv": f"{word} sv", "en": f"{word} en", "fi-x-selko": f"{word}"}


def deck(deck_id: str, colour: str, kinds: list[str], sensitive: int = 1) -> dict[str, Any]:
    return {
        "kind": "elaman-varit-deck",
        "translations": {"fi": "written", "sv": "written", "en": "written",
                         "fi-x-selko": "written"},
        "id": deck_id, "name": _text(deck_id), "description": _text(f"{deck_id} description"),
        "colour": colour, "icon": "heart",
        "cards": [{"id": f"{deck_id}-{i:02d}", "kind": kind, "sensitive": i < sensitive,
                   "text": _text(f"{deck_id} card {i}")} for i, kind in enumerate(kinds)],
    }


@pytest.fixture(scope="module")
def content() -> ElamanVaritContent:
    kinds = ["question", "task", "reflection", "question", "together", "question"]
    return ElamanVaritContent.model_validate({
        "decks": {"home": deck("home", "#E69F00", kinds), "work": deck("work", "#56B4E9", kinds),
                  "dreams": deck("dreams", "#009E73", kinds)},
        "programme": {"kind": "elaman-varit-programme",
                      "translations": {"fi": "written"}, "name": {"fi": "Ohjelma"},
                      "meetings": [{"number": 1, "theme": {"fi": "Aloitus"}, "decks": ["home"],
                                    "leader_note": {"fi": "Sovitaan säännöt."}}]},
    })


def table(content: ElamanVaritContent, seats: int = 5, seed: int = 1,
          **options: Any) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(ev, content, seed=seed,
                         options={"decks": ["home", "work", "dreams"], **options})
    ids = sim.join_many(seats)
    sim.start()
    return sim, ids


def take_turn(sim: SimulatedTable, seat: str, *, redraw: bool = False) -> str:
    """Roll, then do what the space asks; returns the stage the roll led to."""
    sim.move(seat, "roll")
    stage = sim.state.stage
    if stage == "choose":
        sim.move(seat, "choose", value=sim.state.decks[-1])
        stage = sim.state.stage
    if stage == "everyone":
        for other in list(sim.table.meta.turn.waiting):
            sim.move(other, "answered")
    elif stage == "card":
        if redraw:
            sim.move(seat, "redraw")
        if sim.state.stage == "everyone":
            for other in list(sim.table.meta.turn.waiting):
                sim.move(other, "answered")
        else:
            sim.move(seat, "done")
    else:
        sim.move(seat, "done")
    return stage


def test_scripted_game_with_passes_redraws_everyone_and_a_leader_skip(content) -> None:
    sim, seats = table(content, seats=5, seed=3, rounds=2)
    a, b, c, d, e = seats
    # a rolls, talks, gets a reaction.
    stages = [take_turn(sim, a)]
    sim.pass_turn(b)                       # b passes without rolling: nobody asks why
    sim.move(c, "roll")
    if sim.state.stage == "card":
        sim.move(d, "react", value="heart")
        assert sim.facts("reaction_received")[-1].seat == c
        sim.move(c, "redraw")
        assert isinstance(sim.try_move(c, "redraw"), Rejected)
    sim.skip()                             # the leader moves on from c
    while sim.status is TableStatus.playing:
        stages.append(take_turn(sim, sim.current))
    assert sim.status is TableStatus.ended
    assert [f.seat for f in sim.facts("turn_passed")] == [b]
    assert sim.facts("turn_skipped")[0].seat == c
    assert sum(sim.state.talked.values()) >= 1
    closing = sim.scene()
    assert closing.layout == "closing"
    assert all(c.seat is None for e in closing.elements for c in [e] if hasattr(c, "seat"))
    sim.assert_replays()


def test_everyone_answers_space_asks_every_seat_and_passing_is_fine(content) -> None:
    sim, seats = table(content, seats=4, seed=1, board_size=12)
    # Walk until someone lands on an everyone-answers round.
    for _ in range(40):
        seat = sim.current
        sim.move(seat, "roll")
        if sim.state.stage == "everyone":
            break
        if sim.state.stage == "choose":
            sim.move(seat, "choose", value="home")
            if sim.state.stage == "everyone":
                break
        sim.move(seat, "done")
    else:
        pytest.fail("no everyone round in 40 turns")
    roller = sim.state.roller
    waiting = list(sim.table.meta.turn.waiting)
    assert sorted(waiting) == sorted(seats)
    for seat in waiting[:-1]:
        sim.move(seat, "answered")
    sim.pass_turn(waiting[-1])
    assert sim.facts("prompt_passed")[-1].seat == waiting[-1]
    assert len(sim.facts("everyone_answered")) == len(waiting) - 1
    order = sim.table.meta.turn.order
    assert sim.current == order[(order.index(roller) + 1) % len(order)]  # the turn goes on
    assert sim.state.stage == "roll"


def test_every_turn_can_be_passed_at_every_stage(content) -> None:
    sim, seats = table(content, seats=3, seed=5, rounds=4)
    for _ in range(12):
        seat = sim.current
        if sim.status is not TableStatus.playing:
            break
        assert any(i.kind == "pass" for i in sim.controls(seat).items)
        sim.move(seat, "roll")
        if sim.state.stage == "everyone":
            for other in list(sim.table.meta.turn.waiting):
                assert any(i.kind == "pass" for i in sim.controls(other).items)
                sim.pass_turn(other)
        else:
            assert any(i.kind == "pass" for i in sim.controls(seat).items)
            sim.pass_turn(seat)
    sim.assert_replays()


def test_sensitive_cards_stay_out_unless_the_leader_lets_them_in(content) -> None:
    sim, _ = table(content, seats=2)
    sensitive = {c.id for d in content.decks.values() for c in d.cards if c.sensitive}
    assert not sensitive & {card for pile in sim.state.piles.values() for card in pile}
    sim.leader_move("set_sensitive", value=True)
    assert sensitive <= {card for pile in sim.state.piles.values() for card in pile}


def test_the_groups_own_card_comes_up_in_the_session(content) -> None:
    sim, seats = table(content, seats=2, seed=2, rounds=None)
    sim.leader_move("add_card", text="Mikä on ryhmämme paras muisto?", deck="home")
    own = next(iter(sim.state.own))
    seen = False
    for _ in range(60):
        seat = sim.current
        sim.move(seat, "roll")
        if sim.state.stage == "choose":
            sim.move(seat, "choose", value="home")
        if sim.state.card == own:
            seen = True
            assert "paras muisto" in sim.scene().model_dump_json()
            break
        if sim.state.stage == "everyone":
            for other in list(sim.table.meta.turn.waiting):
                sim.pass_turn(other)
        else:
            sim.pass_turn(seat)
    assert seen


def test_a_chosen_time_ends_the_game_between_turns(content) -> None:
    sim, seats = table(content, seats=2, rounds=None, minutes=10)
    take_turn(sim, sim.current)
    sim.advance(11 * 60)
    take_turn(sim, sim.current)
    assert sim.status is TableStatus.ended


def test_same_seed_same_game(content) -> None:
    def play(seed: int) -> list[Any]:
        sim, _ = table(content, seats=3, seed=seed, rounds=2)
        while sim.status is TableStatus.playing:
            take_turn(sim, sim.current)
        return [(f.kind, f.seat, f.data.get("card")) for f in sim.facts()]
    assert play(9) == play(9)
    assert play(9) != play(10)


def test_screen_never_shows_who_talked_how_much(content) -> None:
    sim, seats = table(content, seats=3, rounds=1)
    while sim.status is TableStatus.playing:
        take_turn(sim, sim.current)
    dumped = sim.scene().model_dump_json()
    for name in ("Aino", "Bashir", "Camilla"):
        assert name not in dumped


# -- the shipped content --------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> ElamanVaritContent:
    from engine.registry import load_game_content

    loaded: ElamanVaritContent = load_game_content("elaman_varit")
    return loaded


def test_five_decks_of_thirty_cards_in_every_language(shipped) -> None:
    assert set(shipped.decks) >= {"relationships", "parenthood", "family", "everyday", "future"}
    for deck in shipped.decks.values():
        assert len(deck.cards) >= 30, deck.id
        assert {c.kind for c in deck.cards} == {"question", "task", "together", "reflection"}
        assert any(c.sensitive for c in deck.cards), f"{deck.id} flags no sensitive cards"
        for card in deck.cards:
            assert set(card.text.languages()) >= {"fi", "sv", "en", "fi-x-selko"}, card.id
            assert all(t.strip() for t in card.text.root.values()), card.id
            assert len(card.text["fi-x-selko"]) <= 110, card.id


def test_theme_colours_differ_and_come_with_icons(shipped) -> None:
    colours = [d.colour.upper() for d in shipped.decks.values()]
    assert len(set(colours)) == len(colours)
    assert all(d.icon for d in shipped.decks.values())


def test_programme_has_twelve_meetings_over_existing_decks(shipped) -> None:
    meetings = shipped.programme.meetings
    assert [m.number for m in meetings] == list(range(1, 13))
    assert all(set(m.decks) <= set(shipped.decks) for m in meetings)


def test_full_game_with_the_shipped_decks_and_five_seats(shipped) -> None:
    sim = SimulatedTable(ev, shipped, seed=12, options={"rounds": 3})
    seats = sim.join_many(5)
    sim.start()
    passes = 0
    while sim.status is TableStatus.playing:
        seat = sim.current
        if passes < 2 and seat == seats[1]:
            sim.pass_turn(seat)
            passes += 1
            continue
        take_turn(sim, seat, redraw=seat == seats[2])
    assert sim.status is TableStatus.ended
    assert len(sim.facts("turn_passed")) == 2
    assert sim.facts("card_redrawn")
    shown = {f.data["card"] for f in sim.facts("card_shown")}
    sensitive = {c.id for d in shipped.decks.values() for c in d.cards if c.sensitive}
    assert not shown & sensitive  # left out by default
    sim.assert_replays()
