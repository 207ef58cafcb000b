"""Reactions reach the speaker and the shared screen as counts; the leader's live page counts
every turn, offers only this table's locks, and speaks of a free flow in its own words."""

from __future__ import annotations

from typing import Any

import pytest

from engine import (
    LocalizedText,
    ReactionsElement,
    ReactionTallyControl,
    StartTable,
    reaction_counts,
)
from engine.registry import find_game, load_game_content
from engine.testing import SimulatedTable
from games.circle import module as circle_module
from games.elaman_varit import module as ev

from .accounts import csrf_token, signed_in
from .test_elaman_varit import content as ev_content  # noqa: F401 (a fixture)
from .test_elaman_varit import table as ev_table
from .test_elaman_varit import take_turn

# -- reactions ---------------------------------------------------------------------------------


def _tally(items: list[Any]) -> list[tuple[str, int]]:
    found = [c for c in items if isinstance(c, ReactionTallyControl | ReactionsElement)]
    assert len(found) == 1, items
    return [(r.reaction.value, r.count) for r in found[0].counts]


def test_circle_speaker_and_screen_see_reaction_counts_never_senders(circle_content) -> None:
    sim = SimulatedTable(circle_module, circle_content, seed=1, options={"rounds": 1})
    a, b, c = sim.join("Aino"), sim.join("Bashir"), sim.join("Camilla")
    sim.start()
    speaker = sim.current
    assert speaker is not None
    others = [s for s in (a, b, c) if s != speaker]
    # Nothing received yet: nothing to show.
    assert not [i for i in sim.controls(speaker).items if i.kind == "reaction_tally"]
    assert not [e for e in sim.scene().elements if e.kind == "reactions"]
    sim.move(others[0], "react", value="heart")
    sim.move(others[1], "react", value="heart")
    sim.move(others[1], "react", value="clap")
    assert _tally(sim.controls(speaker).items) == [("heart", 2), ("clap", 1)]
    scene = sim.scene()
    assert _tally(scene.elements) == [("heart", 2), ("clap", 1)]
    shown = next(e for e in scene.elements if e.kind == "reactions")
    assert shown.seat == speaker
    for sender in others:
        assert sender not in shown.model_dump_json()
        assert sender not in sim.controls(speaker).items[-1].model_dump_json()
    # Only the speaker's tablet gets the tally; a new turn starts from nothing.
    assert not [i for i in sim.controls(others[0]).items if i.kind == "reaction_tally"]
    sim.move(speaker, "done")
    assert not [e for e in sim.scene().elements if e.kind == "reactions"]


def test_elaman_varit_speaker_and_screen_see_reaction_counts(ev_content) -> None:  # noqa: F811
    sim, seats = ev_table(ev_content, seats=3, seed=3)
    for _ in range(30):
        speaker = sim.current
        sim.move(speaker, "roll")
        if sim.state.stage in ("card", "kind_words"):
            break
        take_rest(sim, speaker)
    else:
        raise AssertionError("no card came up")
    other = next(s for s in seats if s != speaker)
    sim.move(other, "react", value="thanks")
    assert _tally(sim.controls(speaker).items) == [("thanks", 1)]
    assert _tally(sim.scene().elements) == [("thanks", 1)]


def take_rest(sim: SimulatedTable, seat: str) -> None:
    """Finish a turn whose roll is already made."""
    stage = sim.state.stage
    if stage == "choose":
        sim.move(seat, "choose", value=sim.state.decks[0])
        stage = sim.state.stage
    if stage == "everyone":
        for waiting in list(sim.table.meta.turn.waiting):
            sim.move(waiting, "answered")
    else:
        sim.move(seat, "done")


def test_reaction_counts_keep_the_vocabulary_order_and_leave_out_zeros() -> None:
    rows = reaction_counts({"thanks": 1, "heart": 0, "me_too": 2, "boo": 5})
    assert [(r.reaction.value, r.count) for r in rows] == [("me_too", 2), ("thanks", 1)]


# -- turns on the live page ---------------------------------------------------------------------


def test_a_turn_that_drew_an_everyone_card_counts_as_a_turn(ev_content) -> None:  # noqa: F811
    sim, seats = ev_table(ev_content, seats=3, seed=3, rounds=6)
    everyone_turns = 0
    turns: dict[str, int] = dict.fromkeys(seats, 0)
    for _ in range(12):
        seat = sim.current
        if seat is None:
            break
        if take_turn(sim, seat) == "everyone":
            everyone_turns += 1
        turns[seat] += 1
    assert everyone_turns >= 1, "the seed must land on an everyone space"
    view = sim.table.facilitator_view()
    assert {s.seat: s.counts.get("turn_taken", 0) for s in view.seats} == turns
    sim.assert_replays()


def test_tables_of_the_first_version_replay_as_they_were_written(ev_content) -> None:  # noqa: F811
    # A table begun before the everyone turn was counted keeps its log's facts exactly.
    sim, seats = ev_table(ev_content, seats=3, seed=3, rounds=6)
    sim.table.meta.game_version = 1
    for _ in range(12):
        seat = sim.current
        if seat is None:
            break
        take_turn(sim, seat)
    rollers = {f.seat for f in sim.facts("die_rolled")}
    takers = {f.seat for f in sim.facts("turn_taken")}
    assert not [f for f in sim.facts("turn_taken") if f.data.get("everyone")]
    assert rollers >= takers
    assert ev.can_replay(1)


# -- the escape room's leader menus and the free flow's words -----------------------------------

_ROOM_OPTIONS = {"room": "lost-key"}


@pytest.fixture()
def escape() -> tuple[Any, Any]:
    module = find_game("escape_room")
    content = load_game_content("escape_room")
    if len(content.rooms) < 2 or "lost-key" not in content.rooms:
        pytest.skip("needs two rooms, one of them lost-key")
    return module, content


def test_leader_menus_list_only_this_tables_open_locks(escape) -> None:
    module, content = escape
    other = next(r for r in sorted(content.rooms) if r != "lost-key")
    sim = SimulatedTable(module, content, seed=1, options=_ROOM_OPTIONS)
    sim.join_many(3)
    sim.start()
    sim.leader_move("open_room")
    choices = module.choices_for(sim.table.view())
    puzzles = [o.value for o in choices["puzzle"]]
    clues = [o.value for o in choices["clue"]]
    assert puzzles and clues
    assert all(v.startswith("lost-key/") for v in puzzles + clues)
    assert not any(v.startswith(other + "/") for v in puzzles + clues)
    # The first choice of each menu, the one a leader gets by just pressing, works.
    sim.leader_move("give_hint", puzzle=puzzles[0])
    sim.leader_move("show_clue_for_all", clue=clues[0])
    sim.leader_move("open_lock", puzzle=puzzles[0])
    after = [o.value for o in module.choices_for(sim.table.view())["puzzle"]]
    assert puzzles[0] not in after


def test_the_free_flow_has_no_rounds_turns_or_skip(escape) -> None:
    module, content = escape
    sim = SimulatedTable(module, content, seed=1, options=_ROOM_OPTIONS)
    a, b = sim.join_many(2)
    sim.start()
    sim.leader_move("open_room")
    view = sim.table.facilitator_view()
    assert view.flow == "free"
    assert {s.status for s in view.seats} == {"active"}
    # Each lock solved, by the leader: the room is escaped and the debrief begins.
    for _ in range(40):
        open_now = module.choices_for(sim.table.view())["puzzle"]
        if not open_now:
            break
        sim.leader_move("open_lock", puzzle=open_now[0].value)
    assert sim.state.escaped
    view = sim.table.facilitator_view()
    assert view.phase == "debrief" and view.flow == "free"
    assert view.actions == []  # the debrief allows no leader move: no forms that would fail


def test_the_live_page_of_an_escape_room_speaks_of_the_free_flow(escape, app) -> None:
    from engine import Avatar, Join

    hub = app.extensions["piiri.hub"]
    client = signed_in(app, lang="en")
    response = client.post("/panel/new/escape_room",
                           data={"room": "lost-key", "tries_before_rest": "5",
                                 "try_window_seconds": "60", "rest_seconds": "30",
                                 "csrf_token": csrf_token(client, "/panel/new/escape_room")})
    assert response.status_code == 302, response.get_data(as_text=True)
    code = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    live = hub.find(code)
    for name, colour in (("Aino", "#E69F00"), ("Bashir", "#56B4E9")):
        hub.apply(live, Join(at=hub.now(), nickname=name,
                             avatar=Avatar(icon="sun", colour=colour)))
    hub.apply(live, StartTable(at=hub.now()))
    view = client.get(f"/panel/t/{code}/live.json").get_json()
    assert view["flow"] == "free"
    assert {s["status_text"] for s in view["seats"]} == {"taking part"}
    assert all(s["did"] == "–" for s in view["seats"])
    page = client.get(f"/panel/t/{code}").get_data(as_text=True)
    skip = page.split('data-action="skip"', 1)[1].split(">", 1)[0]
    assert "hidden" in skip  # no turn to skip
    status_line = page.split('id="status-line"', 1)[1].split("</p>", 1)[0]
    assert "round" not in status_line.lower()
    assert "In the game" in page and "Turns" not in page.split("<thead>")[1].split("</thead>")[0]
    # The menus of the leader's moves offer only this room.
    other_rooms = [r for r in load_game_content("escape_room").rooms if r != "lost-key"]
    client.post(f"/panel/t/{code}/move/open_room",
                data={"csrf_token": csrf_token(client, f"/panel/t/{code}")})
    page = client.get(f"/panel/t/{code}").get_data(as_text=True)
    assert 'value="lost-key/' in page
    for other in other_rooms:
        assert f'value="{other}/' not in page


def test_words_exist_for_every_seat_status() -> None:
    from facilitator.live.tables import SEAT_WORDS

    assert "active" in SEAT_WORDS
    assert isinstance(LocalizedText({"fi": "x"}).pick("fi"), str)
