"""The escape room as whole scripted sessions, plus its dealing, answers and room checks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from engine import Accepted, CodeAlphabet, ContentError, Rejected, TableStatus
from engine.content import content_root, load_content_dir
from engine.testing import SimulatedTable
from games.escape_room import EscapeContent, deal, late_comer, module, normalise, rehome
from games.escape_room.content import (
    AreaAnswer,
    ChoiceAnswer,
    CodeAnswer,
    MatchAnswer,
    OrderAnswer,
    Room,
    TextAnswer,
    puzzle_of_clue,
)
from games.escape_room.deal import start_puzzles

ROOMS = ["lost-key", "garden-party"]
LANGUAGES = {"fi", "sv", "en", "fi-x-selko"}


@pytest.fixture(scope="module")
def content() -> EscapeContent:
    return load_content_dir(content_root() / "escape_room", EscapeContent)


# -- helpers -----------------------------------------------------------------------------------


def table(content: EscapeContent, room: str = "lost-key", seats: int = 4, seed: int = 1,
          **options: Any) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(module, content, seed=seed, options={"room": room, **options})
    ids = sim.join_many(seats)
    sim.start()
    sim.move(ids[0], "start_room")
    return sim, ids


def the_room(sim: SimulatedTable) -> Room:
    return sim.content.rooms[sim.state.room]


def open_puzzles(sim: SimulatedTable) -> list[str]:
    done = set(sim.state.solved)
    return [p.id for p in the_room(sim).puzzles
            if p.id not in done and all(r in done for r in p.requires)]


def right_value(sim: SimulatedTable, pid: str) -> Any:
    """What a tablet's control would send for the right answer of the current step."""
    puzzle = the_room(sim).puzzle(pid)
    answer = puzzle.answers()[sim.state.steps.get(pid, 0)]
    if isinstance(answer, CodeAnswer):
        symbols = answer.symbols()
        if answer.alphabet in (CodeAlphabet.digits, CodeAlphabet.letters):
            return "".join(symbols)
        return symbols
    if isinstance(answer, TextAnswer):
        return answer.accepted["en"][0].upper() + "!"  # case and punctuation do not matter
    if isinstance(answer, OrderAnswer):
        return [i.value for i in answer.items]
    if isinstance(answer, MatchAnswer):
        return {p.left.value: p.right.value for p in answer.pairs}
    if isinstance(answer, AreaAnswer):
        return answer.area
    assert isinstance(answer, ChoiceAnswer)
    return answer.correct


def wrong_value(sim: SimulatedTable, pid: str) -> Any:
    right = right_value(sim, pid)
    if isinstance(right, str):
        return "ZZZ" if not right.isdigit() else "9" * len(right)
    if isinstance(right, list):
        return list(reversed(right))
    return dict(zip(right, reversed(list(right.values())), strict=True))


def present(sim: SimulatedTable) -> list[str]:
    return [s.id for s in sim.table.meta.seats if not s.gone]


def holders(sim: SimulatedTable, pid: str) -> list[str]:
    return [s for s in present(sim)
            if any(puzzle_of_clue(c) == pid for c in sim.state.hands.get(s, []))]


def assert_no_clue_lost(sim: SimulatedTable) -> None:
    """Every clue of an unsolved puzzle is in the hand of someone still at the table."""
    room = the_room(sim)
    held = {c for s in present(sim) for c in sim.state.hands.get(s, [])}
    unsolved = [c for c in room.clues_in_deal_order() if puzzle_of_clue(c) not in sim.state.solved]
    assert set(unsolved) <= held | set(sim.state.spare)


def solve(sim: SimulatedTable, pid: str, by: str) -> None:
    """Read the clues of ``pid`` on their tablets, then enter the right answer, step by step."""
    for seat in holders(sim, pid):
        for clue in sim.state.hands[seat]:
            if puzzle_of_clue(clue) == pid and clue not in sim.state.read.get(seat, []):
                sim.move(seat, "read_clue", clue=clue)
    while pid not in sim.state.solved:
        step = sim.state.steps.get(pid, 0)
        sim.move(by, "try_answer", puzzle=pid, step=step, value=right_value(sim, pid))


# -- whole sessions ----------------------------------------------------------------------------


@pytest.mark.parametrize("room", ROOMS)
@pytest.mark.parametrize("seats", [2, 4, 6])
def test_scripted_solve_with_a_wrong_answer_a_hint_a_reconnect_a_leaver_and_a_late_comer(
        content: EscapeContent, room: str, seats: int) -> None:
    sim, ids = table(content, room, seats=seats, seed=seats)
    assert sim.table.meta.turn.phase == "room"
    first = open_puzzles(sim)[0]
    # A wrong answer is accepted and recorded, with a gentle "not yet".
    result = sim.move(ids[0], "try_answer", puzzle=first, value=wrong_value(sim, first))
    assert isinstance(result, Accepted)
    tried = sim.facts("answer_tried")[-1]
    assert tried.seat == ids[0] and tried.data == {"puzzle": first, "step": 1, "right": False}
    assert "Not yet" in sim.scene().model_dump_json()
    # The group asks for a hint from another tablet.
    sim.move(ids[-1], "ask_hint", puzzle=first)
    assert sim.facts("hint_asked")[-1].data["tier"] == 1
    # A tablet drops and comes back: its clues are still its own.
    kept = list(sim.state.hands[ids[1]])
    sim.disconnect(ids[1])
    sim.reconnect(ids[1])
    assert sim.state.hands[ids[1]] == kept

    solved = 0
    while sim.table.meta.turn.phase == "room":
        pid = open_puzzles(sim)[0]
        solve(sim, pid, by=present(sim)[solved % len(present(sim))])
        solved += 1
        assert_no_clue_lost(sim)
        if solved == 2:
            # Someone leaves for good: their clues go to the others.
            leaver = present(sim)[-1]
            theirs = [c for c in sim.state.hands[leaver]
                      if puzzle_of_clue(c) not in sim.state.solved]
            sim.leave(leaver)
            assert leaver not in sim.state.hands
            held = {c for s in present(sim) for c in sim.state.hands[s]}
            assert set(theirs) <= held
            assert_no_clue_lost(sim)
        if solved == 3:
            # A late-comer joins and gets something to contribute.
            newcomer = sim.join("Late")
            unsolved = {p.id for p in the_room(sim).puzzles} - set(sim.state.solved)
            assert any(puzzle_of_clue(c) in unsolved for c in sim.state.hands[newcomer])
            assert sim.facts("clues_redealt")[-1].seat == newcomer
            assert_no_clue_lost(sim)

    assert sim.state.escaped and sim.table.meta.turn.phase == "debrief"
    assert [f.data["puzzle"] for f in sim.facts("puzzle_solved")] == sim.state.solved
    assert len(sim.state.solved) == len(the_room(sim).puzzles)
    assert sim.facts("room_escaped")
    assert sim.facts("clue_viewed")
    closing = sim.scene()
    assert closing.layout == "closing"
    text = closing.model_dump_json()
    for question in the_room(sim).outro.questions:
        assert question["en"] in text
    assert isinstance(sim.try_move(ids[0], "try_answer", puzzle=first, value="x"), Rejected)
    sim.end()
    assert sim.status is TableStatus.ended
    assert sim.scene().layout == "closing"
    sim.assert_replays()


def test_same_seed_same_session_and_another_seed_deals_otherwise(content: EscapeContent) -> None:
    def play(seed: int) -> tuple[str, dict[str, list[str]]]:
        sim, ids = table(content, "garden-party", seats=4, seed=seed)
        hands = {s: list(h) for s, h in sim.state.hands.items()}
        while sim.table.meta.turn.phase == "room":
            solve(sim, open_puzzles(sim)[0], by=ids[0])
        return sim.table.fingerprint(), hands

    first, hands = play(7)
    again, hands_again = play(7)
    assert first == again and hands == hands_again
    assert any(play(seed)[1] != hands for seed in (8, 9, 10))


# -- wrong answers and resting locks -----------------------------------------------------------


def test_a_lock_rests_after_five_quick_wrong_tries_and_opens_again_later(
        content: EscapeContent) -> None:
    sim, (a, b, c) = table(content, seats=3)
    for _ in range(5):
        sim.move(a, "try_answer", puzzle="bus-time", value="0000")
    assert sim.facts("lock_resting")[-1].data == {"puzzle": "bus-time", "seconds": 30}
    resting = sim.try_move(b, "try_answer", puzzle="bus-time", value="1435")
    assert isinstance(resting, Rejected) and resting.message_key == "escape_room.resting"
    assert "resting" in sim.scene().model_dump_json()
    # Other locks are not affected.
    sim.move(b, "try_answer", puzzle="neighbour-note", value="RAILI")
    sim.advance(30)
    sim.move(c, "try_answer", puzzle="bus-time", value="1435")
    assert "bus-time" in sim.state.solved
    sim.assert_replays()


def test_wrong_tries_spread_over_time_never_rest_the_lock(content: EscapeContent) -> None:
    sim, (a, b) = table(content, seats=2)
    for _ in range(8):
        sim.move(a, "try_answer", puzzle="bus-time", value="1234")
        sim.advance(20)
    assert not sim.facts("lock_resting")
    assert sim.state.tries["bus-time"] == 8


def test_written_answers_forgive_case_spaces_dots_and_language(content: EscapeContent) -> None:
    assert normalise("  The Letter-box! ") == "letterbox"
    assert normalise("BREVLADA") == normalise("brevlåda")
    assert normalise("Pöytä") == normalise("poyta")
    sim, (a, b) = table(content, "garden-party", seats=2)
    sim.move(a, "try_answer", puzzle="noticeboard", value="Potatis")  # Swedish is fine too
    assert "noticeboard" in sim.state.solved
    sim2, (c, d) = table(content, "garden-party", seats=2)
    sim2.move(c, "try_answer", puzzle="noticeboard", value="perunA ")
    assert "noticeboard" in sim2.state.solved


def test_a_try_for_a_step_someone_else_solved_is_not_counted(content: EscapeContent) -> None:
    sim, (a, b) = table(content, "garden-party", seats=2)
    for pid in ("noticeboard", "gardeners"):
        solve(sim, pid, by=a)
    order = right_value(sim, "programme")
    sim.move(a, "try_answer", puzzle="programme", step=0, value=order)
    stale = sim.try_move(b, "try_answer", puzzle="programme", step=0, value=order)
    assert isinstance(stale, Rejected) and stale.message_key == "escape_room.step_moved_on"
    assert sim.state.steps["programme"] == 1
    kinds = [i.kind for i in sim.controls(b).items]
    assert "code" in kinds  # step 2 of the programme is a digit code


def test_broken_payloads_are_refused_not_counted(content: EscapeContent) -> None:
    sim, (a, b) = table(content, seats=2)
    bad = sim.try_move(a, "try_answer", puzzle="bus-time", value=["1", "4", "3", "5"])
    assert isinstance(bad, Rejected) and bad.message_key == "escape_room.bad_answer"
    later = sim.try_move(a, "try_answer", puzzle="key-safe", value=["green"])
    assert isinstance(later, Rejected) and later.message_key == "escape_room.not_open_yet"
    assert not sim.facts("answer_tried")


# -- hints -------------------------------------------------------------------------------------


def test_hints_come_in_tiers_from_any_tablet_or_the_leader(content: EscapeContent) -> None:
    sim, (a, b, c) = table(content, seats=3)
    sim.move(a, "ask_hint", puzzle="bus-time")
    sim.move(b, "ask_hint", puzzle="bus-time")
    sim.leader_move("give_hint", puzzle="lost-key/bus-time")
    out = sim.try_move(c, "ask_hint", puzzle="bus-time")
    assert isinstance(out, Rejected) and out.message_key == "escape_room.no_more_hints"
    assert [f.data["tier"] for f in sim.facts("hint_asked")] == [1, 2]
    assert sim.facts("hint_pushed")[-1].data["tier"] == 3
    # Without a lock named, the leader's hint goes to the open lock with the fewest hints.
    sim.leader_move("give_hint")
    assert sim.facts("hint_pushed")[-1].data["puzzle"] == "shopping-order"
    room = the_room(sim)
    scene = sim.scene().model_dump_json()
    assert room.puzzle("shopping-order").hints[0]["en"] in scene
    tablet = [i for i in sim.controls(c).items if i.kind == "text" and i.style == "hint"]
    assert len(tablet) == 4  # three for the bus, one for the shopping list
    assert not any(i.kind == "button" and i.move == "ask_hint"
                   and i.payload == {"puzzle": "bus-time"} for i in sim.controls(c).items)
    solve(sim, "bus-time", by=a)
    assert sim.state.path[0].hints == 3


# -- clues -------------------------------------------------------------------------------------


@pytest.mark.parametrize("room", ROOMS)
def test_every_group_size_gets_every_clue_and_everyone_a_clue_from_the_start(
        content: EscapeContent, room: str) -> None:
    r = content.rooms[room]
    clues = r.clues_in_deal_order()
    first = start_puzzles(r.graph())
    for n in range(r.min_players, r.max_players + 1):
        seats = [f"s{i}" for i in range(n)]
        hands = deal(clues, seats)
        assert sorted(c for h in hands.values() for c in h) == sorted(clues)
        assert all(any(puzzle_of_clue(c) in first for c in h) for h in hands.values())
        assert max(map(len, hands.values())) - min(map(len, hands.values())) <= 1
        for puzzle in r.puzzles:
            owners = [s for s, h in hands.items() for c in h if puzzle_of_clue(c) == puzzle.id]
            if len(puzzle.clues) <= n:  # so the group has to talk
                assert len(set(owners)) == len(owners), (n, puzzle.id)


def test_a_cipher_key_and_its_message_are_on_different_tablets(content: EscapeContent) -> None:
    sim, seats = table(content, seats=2, seed=3)
    owners = holders(sim, "neighbour-note")
    assert len(owners) == 2


def test_a_tablet_sees_only_its_own_clues_until_someone_shows_one(
        content: EscapeContent) -> None:
    sim, (a, b) = table(content, seats=2)
    room = the_room(sim)
    mine = next(c for c in sim.state.hands[a] if puzzle_of_clue(c) == "bus-time")
    text = room.clue_text(mine)["en"]
    assert text not in sim.controls(a).model_dump_json()  # not read yet: a button to read it
    sim.move(a, "read_clue", clue=mine)
    assert sim.facts("clue_viewed")[-1].seat == a
    assert text in sim.controls(a).model_dump_json()
    assert text not in sim.controls(b).model_dump_json()
    assert text not in sim.scene().model_dump_json()
    theirs = sim.state.hands[b][0]
    refused = sim.try_move(a, "show_clue", clue=theirs)
    assert isinstance(refused, Rejected) and refused.message_key == "escape_room.not_your_clue"
    sim.move(a, "show_clue", clue=mine)
    shown = sim.facts("clue_shown_on_screen")[-1]
    assert shown.seat == a and shown.data["by"] == "seat"
    assert text in sim.scene().model_dump_json()
    solve(sim, "bus-time", by=b)
    assert text not in sim.scene().model_dump_json()  # a solved lock's clues leave the screen


def test_the_leader_can_show_any_clue_of_an_open_lock(content: EscapeContent) -> None:
    sim, (a, b) = table(content, seats=2)
    room = the_room(sim)
    sim.disconnect(b)
    away = next(c for c in sim.state.hands[b] if puzzle_of_clue(c) == "bus-time")
    info = " ".join(row.label["en"] + " " + row.value for row in sim.table.facilitator_view().info)
    assert "Bashir is away" in info
    sim.leader_move("show_clue_for_all", clue=f"lost-key/{away}")
    assert sim.facts("clue_shown_on_screen")[-1].data["by"] == "leader"
    assert room.clue_text(away)["en"] in sim.scene().model_dump_json()
    other = sim.try_move(None, "show_clue_for_all", clue="garden-party/gate.1")
    assert isinstance(other, Rejected) and other.message_key == "escape_room.other_room"
    later = sim.try_move(None, "show_clue_for_all", clue="key-safe.1")
    assert isinstance(later, Rejected) and later.message_key == "escape_room.not_open_yet"
    sim.leader_move("clear_screen")
    assert not sim.state.on_screen


def test_a_late_comer_takes_only_unread_clues_and_gets_something_to_say(
        content: EscapeContent) -> None:
    sim, (a, b) = table(content, seats=2)
    for seat in (a, b):
        for clue in sim.state.hands[seat]:
            if puzzle_of_clue(clue) in open_puzzles(sim):
                sim.move(seat, "read_clue", clue=clue)
    read_before = {s: list(sim.state.read[s]) for s in (a, b)}
    c = sim.join()
    for seat in (a, b):
        assert set(read_before[seat]) <= set(sim.state.hands[seat])
    assert any(puzzle_of_clue(x) in open_puzzles(sim) for x in sim.state.hands[c])
    assert_no_clue_lost(sim)
    sim.assert_replays()


def test_when_everyone_leaves_the_clues_wait_for_the_next_to_join(
        content: EscapeContent) -> None:
    sim, (a, b) = table(content, seats=2)
    sim.leave(a)
    sim.leave(b)
    assert sim.state.spare
    c = sim.join()
    assert not sim.state.spare
    assert_no_clue_lost(sim)
    assert len(sim.state.hands[c]) == len(the_room(sim).clues_in_deal_order())


def test_dealing_helpers_keep_every_clue() -> None:
    hands, moves = rehome({"s2": ["a.2"], "s3": []}, ["a.1", "b.1", "c.1"], ["s2", "s3"],
                          {"a", "b"})
    assert hands == {"s2": ["a.2", "b.1"], "s3": ["a.1"]}  # c is solved: its clue is dropped
    hands, moves, copied = late_comer({"s1": ["a.1"], "s2": ["a.2"]}, "s3",
                                      ["s1", "s2", "s3"], {"a"}, {"a"}, {})
    assert moves == [] and copied == "a.1" and hands["s3"] == ["a.1"]


# -- the leader and the debrief ----------------------------------------------------------------


def test_the_leader_opens_the_room_and_a_lock_and_ends_early(content: EscapeContent) -> None:
    sim = SimulatedTable(module, content, options={"room": "garden-party"})
    a, b = sim.join_many(2)
    sim.start()
    assert sim.scene().layout == "story"
    assert any(i.kind == "button" and i.move == "start_room" for i in sim.controls(a).items)
    sim.leader_move("open_room")
    sim.leader_move("open_lock", puzzle="garden-party/gate")
    assert sim.facts("puzzle_solved")[-1].data["by"] == "leader"
    assert sim.facts("puzzle_solved")[-1].seat is None
    solve(sim, "noticeboard", by=b)
    sim.end()
    closing = sim.scene()
    words = [e for e in closing.elements if e.kind == "text"]
    path = next(e for e in words if e.title is not None and e.title["en"] == "The way we came")
    assert path.text["en"] == "1. The gate (opened by the leader)  ·  2. The noticeboard"
    for element in words:  # the path and the questions never name anyone
        for name in ("Aino", "Bashir"):
            assert name not in element.model_dump_json()
    assert "not finished this time" in closing.model_dump_json()
    sim.assert_replays()


def test_the_leader_sees_the_answers_of_the_open_locks(content: EscapeContent) -> None:
    sim, (a, b) = table(content, seats=2)
    rows = {row.label["en"]: row.value for row in sim.table.facilitator_view().info}
    assert rows["Answer – The bus home"] == "1435"
    assert rows["Answer – The neighbour's note"] == "RAILI"
    assert rows["Answer – The shopping list"] == "Omenat → Ruisleipä → Kahvi → Maito"
    assert rows["The lost key: locks open"] == "0/7"


def test_the_right_input_for_each_kind_of_lock(content: EscapeContent) -> None:
    sim, (a, b) = table(content, "lost-key", seats=2)
    kinds = [i.kind for i in sim.controls(a).items]
    assert {"code", "order"} <= set(kinds)
    code = next(i for i in sim.controls(a).items if i.kind == "code")
    assert code.alphabet == "digits" and code.length == 4
    assert code.payload == {"puzzle": "bus-time", "step": 0}
    order = next(i for i in sim.controls(a).items if i.kind == "order")
    assert [o.value for o in order.items] != ["apples", "rye-bread", "coffee", "milk"]
    for pid in ("neighbour-note", "stairwell"):
        solve(sim, pid, by=a)
    items = sim.controls(b).items
    assert any(i.kind == "match" for i in items)
    for pid in ("bus-time", "shopping-order"):
        solve(sim, pid, by=a)
    items = sim.controls(b).items
    directions = next(i for i in items if i.kind == "code" and i.alphabet == "directions")
    assert directions.length == 4
    sim.move(a, "try_answer", puzzle="way-home", step=0, value=["up", "right", "up", "left"])
    assert any(i.kind == "free_text" for i in sim.controls(b).items)
    sim2, (c, d) = table(content, "garden-party", seats=2)
    for pid in ("noticeboard", "gardeners"):
        solve(sim2, pid, by=c)
    assert any(i.kind == "choice" for i in sim2.controls(d).items)  # the lanterns on the map
    assert "A: the compost" in sim2.scene().model_dump_json()


def test_every_move_is_for_any_seat_or_the_leader() -> None:
    assert {m.who.value for m in module.moves.values()} == {"any", "facilitator"}
    assert "hint" not in module.moves  # the engine's own hint stays the engine's


def test_choices_name_rooms_clues_and_locks(content: EscapeContent) -> None:
    assert module.choices is not None
    choices = module.choices(content)
    assert {o.value for o in choices["room"]} == set(ROOMS)
    assert "lost-key/bus-time.1" in {o.value for o in choices["clue"]}
    assert "garden-party/party-box" in {o.value for o in choices["puzzle"]}


# -- the shipped rooms -------------------------------------------------------------------------


@pytest.mark.parametrize("room", ROOMS)
def test_shipped_rooms_are_complete_in_every_language(content: EscapeContent, room: str) -> None:
    r = content.rooms[room]
    assert set(r.translations) == LANGUAGES
    assert 6 <= len(r.puzzles) <= 8
    assert 30 <= r.minutes <= 45
    assert (r.min_players, r.max_players) == (2, 6)
    assert 2 <= len(r.outro.questions) <= 3
    for puzzle in r.puzzles:
        for step in range(puzzle.step_count()):
            assert 2 <= len(puzzle.hints_for(step)) <= 3


def test_shipped_rooms_use_every_kind_of_puzzle_and_code(content: EscapeContent) -> None:
    kinds = {p.kind for r in content.rooms.values() for p in r.puzzles}
    assert kinds == {"code", "riddle", "cipher", "order", "match", "split", "find", "multi"}
    alphabets = {a.alphabet for r in content.rooms.values() for p in r.puzzles
                 for a in p.answers() if isinstance(a, CodeAnswer)}
    assert alphabets == set(CodeAlphabet)


def test_easy_finnish_keeps_sentences_short(content: EscapeContent) -> None:
    from engine.content import texts_in

    for room in content.rooms.values():
        for path, text in texts_in(room):
            for sentence in re.split(r"(?<=[.!?:])\s+|\n", text["fi-x-selko"]):
                assert len(sentence.split()) <= 16, (room.id, path, sentence)


# -- checking rooms on load --------------------------------------------------------------------

ROOM_FILE = "content/escape_room/rooms/lost-key.yaml"


def broken(tmp_path: Path, old: str, new: str, *more: tuple[str, str]) -> tuple[list[Any], str]:
    """Load a copy of the rooms with edits to lost-key.yaml; return the problems found."""
    root = tmp_path / "content"
    shutil.copytree(content_root() / "escape_room", root / "escape_room")
    path = root / "escape_room" / "rooms" / "lost-key.yaml"
    text = path.read_text(encoding="utf-8")
    for before, after in [(old, new), *more]:
        assert before in text
        text = text.replace(before, after, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content_dir(root / "escape_room", EscapeContent, root)
    return caught.value.problems, text


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_a_circle_of_requires_is_named_with_file_line_and_field(tmp_path: Path) -> None:
    problems, text = broken(tmp_path, "requires: [neighbour-note]", "requires: [laundry-board]")
    stairwell = next(p for p in problems if "'stairwell' cannot be reached" in p.message)
    assert stairwell.file == ROOM_FILE
    assert stairwell.line == line_of(text, "requires: [laundry-board]")
    assert stairwell.field == "puzzles → item 5 → requires"
    assert "stairwell → laundry-board → stairwell" in stairwell.message
    assert any("'key-safe' cannot be reached" in p.message for p in problems)


def test_a_requires_naming_no_puzzle_is_named(tmp_path: Path) -> None:
    problems, text = broken(tmp_path, "requires: [stairwell]", "requires: [stairs]")
    assert [str(p) for p in problems] == [
        f"{ROOM_FILE}, line {line_of(text, 'requires: [stairs]')}: puzzles → item 6 → requires "
        "→ item 1: 'stairs' is not a puzzle in this room (the puzzles are bus-time, "
        "shopping-order, neighbour-note, way-home, stairwell, laundry-board, key-safe)"]


def test_a_missing_answer_is_named(tmp_path: Path) -> None:
    start = "    answer:\n      input: order\n"
    original = (content_root() / "escape_room" / "rooms" / "lost-key.yaml").read_text("utf-8")
    block = original[original.index(start):original.index("    solved:", original.index(start))]
    problems, text = broken(tmp_path, block, "")
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == ROOM_FILE
    assert problem.field == "puzzles → item 2 → answer"
    assert problem.line == line_of(text, "  - id: shopping-order")
    assert "has no answer" in problem.message


def test_a_group_size_with_an_empty_handed_player_is_named(tmp_path: Path) -> None:
    problems, text = broken(tmp_path, "  - id: shopping-order\n",
                            "  - id: shopping-order\n    requires: [bus-time]\n",
                            ("  - id: neighbour-note\n",
                             "  - id: neighbour-note\n    requires: [bus-time]\n"))
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.field) == (ROOM_FILE, "max_players")
    assert problem.line == line_of(text, "max_players: 6")
    assert problem.message.startswith("with 5 players, 1 of them would have no clue")


def test_a_dead_end_puzzle_is_named(tmp_path: Path) -> None:
    problems, text = broken(tmp_path, "requires: [way-home, laundry-board]",
                            "requires: [way-home]")
    fields = {p.field for p in problems}
    assert "puzzles → item 6 → id" in fields  # the laundry board leads nowhere now
    assert all(p.file == ROOM_FILE and p.line for p in problems)


def test_a_written_answer_missing_a_language_is_named(tmp_path: Path) -> None:
    problems, text = broken(tmp_path, "            sv: [brevlåda, brevlådan, brevlådor, "
                                      "brevlådorna, postlåda, postlådan]\n", "")
    assert [p.field for p in problems] == ["puzzles → item 4 → steps → item 2 → answer → "
                                           "accepted"]
    assert "sv" in problems[0].message


def test_a_code_the_tablet_cannot_type_is_named(tmp_path: Path) -> None:
    problems, text = broken(tmp_path, "code: [green, yellow, blue, vermilion]",
                            "code: [green, yellow, blue, red]")
    assert problems[0].field == "puzzles → item 7 → answer → code"
    assert problems[0].line == line_of(text, "code: [green, yellow, blue, red]")
    assert "'red' cannot be entered" in problems[0].message


def test_a_final_lock_that_is_not_a_puzzle_is_named(tmp_path: Path) -> None:
    problems, text = broken(tmp_path, "final: key-safe", "final: front-door")
    assert problems[0].field == "final"
    assert problems[0].line == line_of(text, "final: front-door")


# -- robustness --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_sessions_never_break_the_game(content: EscapeContent, seed: int) -> None:
    """Joins, leaves, drops, tries, hints and leader moves in a seeded random order: the game
    never fails (a bug would show as a ``game_error`` rejection), no clue is lost, and the log
    replays."""
    import random

    rng = random.Random(seed)
    sim = SimulatedTable(module, content, seed=seed, options={"room": ROOMS[seed % 2]})
    sim.join_many(3)
    sim.start()
    for _ in range(250):
        seats = present(sim)
        room = the_room(sim)
        pid = rng.choice([p.id for p in room.puzzles])
        roll = rng.random()
        if roll < 0.08 and len(seats) < 6:
            sim.join(f"P{sim.table.meta.seats_made + 1}")
            continue
        if roll < 0.14 and len(seats) > 1:
            sim.leave(rng.choice(seats))
            continue
        if roll < 0.2 and seats:
            dropping = rng.choice(seats)
            connected = sim.table.seat(dropping).connected  # type: ignore[union-attr]
            (sim.disconnect if connected else sim.reconnect)(dropping)
            continue
        seat: str | None = rng.choice(seats) if seats else None
        hand = sim.state.hands.get(seat or "", [])
        clue = rng.choice(hand) if hand else "bus-time.1"
        name: str
        payload: dict[str, Any]
        name, payload = rng.choice([
            ("start_room", {}), ("read_clue", {"clue": clue}), ("show_clue", {"clue": clue}),
            ("ask_hint", {"puzzle": pid}),
            ("try_answer", {"puzzle": pid, "value": rng.choice(["1435", "x", ["up"], {}])}),
            ("try_answer", {"puzzle": pid, "step": sim.state.steps.get(pid, 0),
                            "value": right_value(sim, pid)}),
        ])
        if rng.random() < 0.15:
            seat, (name, payload) = None, rng.choice([
                ("give_hint", {}), ("open_lock", {"puzzle": pid}),
                ("show_clue_for_all", {"clue": clue}), ("clear_screen", {}), ("open_room", {})])
        result = sim.try_move(seat, name, **payload)
        if isinstance(result, Rejected):
            assert result.reason.value != "game_error", result.detail
        sim.scene()
        sim.table.facilitator_view()
        for s in present(sim):
            sim.controls(s)
        assert_no_clue_lost(sim)
    sim.assert_replays()
