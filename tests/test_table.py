"""Engine rules, each pinned down with a tiny inline game."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine import (
    Accepted,
    Avatar,
    AvatarColour,
    AvatarIcon,
    Join,
    MakeMove,
    Reason,
    Rejected,
    TableStatus,
)
from engine.testing import SimulatedTable, UnexpectedRejection

from .games_for_tests import turns_game, vote_game


def make(game=turns_game, seats: int = 3) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(game, None, seed=11)
    ids = sim.join_many(seats)
    sim.start()
    return sim, ids


def kinds(sim: SimulatedTable, event_index: int = -1) -> list[str]:
    return [f.kind for f in sim.log[event_index].facts]


def test_player_can_pass_their_turn_and_the_turn_moves_on() -> None:
    sim, (a, b, c) = make()
    assert sim.current == a
    sim.pass_turn(a)
    assert sim.current == b
    assert kinds(sim)[:2] == ["turn_passed", "turn_offered"]
    assert any(item.kind == "pass" for item in sim.controls(b).items)


def test_pass_is_offered_to_exactly_the_seat_that_is_asked() -> None:
    sim, (a, b, c) = make()
    def has_pass(seat: str) -> bool:
        return any(item.kind == "pass" for item in sim.controls(seat).items)
    assert [has_pass(s) for s in (a, b, c)] == [True, False, False]


def test_seat_with_nothing_asked_cannot_pass() -> None:
    sim, (a, b, c) = make()
    result = sim.try_pass(b)
    assert isinstance(result, Rejected) and result.reason is Reason.nothing_to_pass


def test_rejected_action_leaves_state_identical() -> None:
    sim, (a, b, c) = make()
    before = sim.table.fingerprint()
    log_length = len(sim.log)
    for result in (
        sim.try_move(b, "say", word="hi"),            # not b's turn
        sim.try_move(a, "say", word=""),              # bad payload
        sim.try_move(a, "say", word="x", extra=1),    # unknown field
        sim.try_move(a, "fly"),                       # unknown move
        sim.try_move(a, "shout", word="no"),          # the game refuses
        sim.try_move(a, "crash"),                     # the game has a bug
        sim.try_move(a, "note", word="x"),            # a leader-only move from a tablet
        sim.try_move("s99", "shout", word="x"),       # no such seat
    ):
        assert isinstance(result, Rejected)
    assert sim.table.fingerprint() == before
    assert len(sim.log) == log_length


def test_rejections_carry_a_reason_and_words_in_every_language() -> None:
    sim, (a, b, c) = make()
    result = sim.try_move(b, "say", word="hi")
    assert isinstance(result, Rejected)
    assert result.reason is Reason.not_your_turn
    assert result.message_key == "reject.not_your_turn"
    assert {"fi", "sv", "en", "fi-x-selko"} <= set(result.message.languages())
    refused = sim.try_move(a, "shout", word="no")
    assert isinstance(refused, Rejected) and refused.reason is Reason.refused
    assert refused.message.pick("en") == "Not that word."


def test_a_bug_in_a_game_becomes_a_rejection_not_a_crash() -> None:
    sim, (a, b, c) = make()
    result = sim.try_move(a, "crash")
    assert isinstance(result, Rejected) and result.reason is Reason.game_error
    assert "ZeroDivisionError" in result.detail
    assert "half-done" not in sim.state.log


def test_turns_go_round_in_join_order_and_count_rounds() -> None:
    sim, (a, b, c) = make()
    order = []
    for _ in range(6):
        order.append(sim.current)
        sim.move(sim.current, "say", word="hi")
    assert order == [a, b, c, a, b, c]
    assert sim.table.meta.turn.round == 3


def test_game_ends_when_its_end_condition_holds() -> None:
    sim, seats = make()
    sim.play(lambda s, seat: s.move(seat, "say", word="hi"))
    assert sim.status is TableStatus.ended
    assert sim.table.meta.turn.round == 4
    assert sim.facts("table_ended")[0].data["by"] == "game"


def test_pause_blocks_moves_and_resume_lets_them_through() -> None:
    sim, (a, b, c) = make()
    sim.pause()
    for result in (sim.try_move(a, "say", word="hi"), sim.try_pass(a)):
        assert isinstance(result, Rejected) and result.reason is Reason.paused
    assert sim.scene().overlay is not None
    assert sim.controls(a).items[0].kind == "text"
    sim.resume()
    sim.move(a, "say", word="hi")
    assert sim.current == b


def test_facilitator_can_skip_a_turn() -> None:
    sim, (a, b, c) = make()
    sim.skip()
    assert sim.current == b
    assert "turn_skipped" in kinds(sim)


def test_facilitator_moves_only_from_the_panel() -> None:
    sim, (a, b, c) = make()
    sim.leader_move("note", word="ok")
    assert sim.state.log[-1] == "leader:ok"
    view = sim.table.facilitator_view()
    assert [action.move for action in view.actions] == ["note"]


def test_leader_can_end_at_any_time_even_in_the_lobby() -> None:
    sim = SimulatedTable(turns_game, None)
    sim.join()
    sim.end()
    assert sim.status is TableStatus.ended
    result = sim.send(Join(at=datetime(2026, 1, 5, 10, tzinfo=UTC), nickname="Late",
                           avatar=Avatar(icon=AvatarIcon.sun, colour=AvatarColour.blue)))
    assert isinstance(result, Rejected) and result.reason is Reason.ended


def test_start_needs_enough_seats_and_happens_once() -> None:
    sim = SimulatedTable(turns_game, None)
    sim.join()
    with pytest.raises(UnexpectedRejection, match="too_few_seats"):
        sim.start()
    sim.join()
    sim.start()
    with pytest.raises(UnexpectedRejection, match="already_started"):
        sim.start()


def test_table_full_and_duplicate_names_are_refused() -> None:
    sim = SimulatedTable(turns_game, None)
    sim.join("Aino")
    with pytest.raises(UnexpectedRejection, match="name_taken"):
        sim.join("aino ")
    sim.join_many(3)
    with pytest.raises(UnexpectedRejection, match="table_full"):
        sim.join("Extra")


def test_late_joiner_gets_a_turn_after_the_others() -> None:
    sim, (a, b) = make(seats=2)
    late = sim.join("Late")
    assert sim.facts("seat_joined", late)[0].data["late"] is True
    seen = []
    for _ in range(3):
        seen.append(sim.current)
        sim.move(sim.current, "say", word="hi")
    assert seen == [a, b, late]


def test_leaving_during_your_turn_moves_the_turn_on() -> None:
    sim, (a, b, c) = make()
    sim.leave(a)
    assert sim.current == b
    result = sim.try_move(a, "shout", word="x")
    assert isinstance(result, Rejected) and result.reason is Reason.seat_gone
    sim.move(b, "say", word="x")
    sim.move(c, "say", word="x")
    assert sim.current == b  # a is skipped from now on


def test_disconnected_seat_keeps_its_turn_and_shows_as_away() -> None:
    sim, (a, b, c) = make()
    sim.disconnect(a)
    assert sim.current == a
    entry = next(e for e in sim.table.facilitator_view().seats if e.seat == a)
    assert entry.status == "away" and not entry.connected
    sim.reconnect(a)
    sim.move(a, "say", word="hi")


def test_hint_shows_on_the_screen_or_on_one_tablet_only() -> None:
    sim, (a, b, c) = make()
    sim.hint("Take your time", to=b)
    assert any(i.kind == "text" and i.style == "hint" for i in sim.controls(b).items)
    assert not any(getattr(i, "style", "") == "hint" for i in sim.controls(c).items)
    assert not any(e.kind == "text" and e.style == "hint" for e in sim.scene().elements)
    sim.hint("Everyone: two minutes left")
    assert any(e.kind == "text" and e.style == "hint" for e in sim.scene().elements)


def test_soft_timer_counts_down_freezes_while_paused_and_never_ends_a_turn() -> None:
    sim, (a, b, c) = make()
    sim.set_timer(60)
    sim.advance(20)
    sim.tick()
    assert 38_000 <= sim.table.meta.timer.remaining_ms <= 40_000
    sim.pause()
    left = sim.table.meta.timer.remaining_ms
    sim.advance(600)
    sim.tick()
    assert sim.table.meta.timer.remaining_ms == left
    sim.resume()
    for _ in range(3):
        sim.advance(29)
        sim.tick()
    assert sim.table.meta.timer.expired
    assert sim.current == a  # time up ends nobody's turn
    assert sim.facts("timer_expired")[0].seat == a
    sim.set_timer(None, extend=30)
    assert not sim.table.meta.timer.expired
    sim.move(a, "say", word="hi")
    assert sim.table.meta.timer.remaining_ms == 60_000  # a new turn starts a fresh timer


def test_clock_jump_while_timer_runs_pauses_instead_of_expiring() -> None:
    sim, (a, b, c) = make()
    sim.set_timer(120)
    sim.advance(3600)  # the laptop slept
    sim.tick()
    assert sim.status is TableStatus.paused
    assert sim.table.meta.pause_reason == "sleep"
    assert not sim.table.meta.timer.expired
    assert sim.scene().overlay is not None


def test_next_tick_is_asked_only_while_a_timer_runs() -> None:
    sim, (a, b, c) = make()
    assert sim.table.next_tick_at() is None
    sim.set_timer(20)
    wake = sim.table.next_tick_at()
    assert wake is not None and (wake - sim.now).total_seconds() == 20
    assert isinstance(sim.tick(), Accepted)
    sim.set_timer(None)
    assert isinstance(sim.tick(), Rejected)


def test_together_round_ends_when_everyone_voted_or_passed() -> None:
    sim, (a, b, c) = make(vote_game)
    assert sim.current is None
    assert all(sim.table.pending(s) for s in (a, b, c))
    sim.move(a, "vote", value="left")
    result = sim.try_move(a, "vote", value="right")
    assert isinstance(result, Rejected)  # one vote each
    sim.pass_turn(b)
    assert sim.state.results == []
    sim.move(c, "vote", value="left")
    assert sim.state.results == [{"left": 2}]
    assert all(sim.table.pending(s) for s in (a, b, c))  # the next round began


def test_leader_skip_closes_a_together_round() -> None:
    sim, (a, b, c) = make(vote_game)
    sim.move(a, "vote", value="right")
    sim.skip()
    assert sim.state.results == [{"right": 1}]


def test_leaving_completes_a_together_round_when_only_that_seat_was_missing() -> None:
    sim, (a, b, c) = make(vote_game)
    sim.move(a, "vote", value="right")
    sim.move(b, "vote", value="right")
    sim.leave(c, removed_by_leader=True)
    assert sim.state.results == [{"right": 2}]
    assert sim.facts("seat_removed")[0].seat == c


def test_seat_counts_follow_facts_for_the_live_view() -> None:
    sim, (a, b, c) = make()
    sim.move(a, "say", word="hi")
    sim.pass_turn(b)
    counts = {s.seat: s.counts for s in sim.table.facilitator_view().seats}
    assert counts[a]["turn_taken"] == 1
    assert counts[b]["turn_passed"] == 1


def test_naive_times_are_refused_at_the_edge() -> None:
    with pytest.raises(ValueError):
        MakeMove(at=datetime(2026, 1, 1), seat="s1", name="say")


def test_lobby_scene_shows_the_join_card_and_who_joined() -> None:
    sim = SimulatedTable(turns_game, None, room_code="KX7P")
    sim.join("Aino")
    scene = sim.scene()
    assert scene.layout == "lobby"
    join = next(e for e in scene.elements if e.kind == "join")
    assert join.code == "KX7P"
    roster_element = next(e for e in scene.elements if e.kind == "roster")
    assert [e.nickname for e in roster_element.entries] == ["Aino"]


def test_free_flow_has_no_turns_and_nothing_to_pass() -> None:
    from .games_for_tests import free_game

    sim, (a, b, c) = make(free_game)
    assert sim.current is None
    sim.move(c, "find", word="key")
    sim.move(a, "find", word="map")
    assert sim.state.found == ["key", "map"]
    assert not any(sim.table.pending(s) for s in (a, b, c))
    assert all(i.kind != "pass" for s in (a, b, c) for i in sim.controls(s).items)
    result = sim.try_pass(b)
    assert isinstance(result, Rejected) and result.reason is Reason.nothing_to_pass
    assert isinstance(sim.send(__import__("engine").SkipTurn(at=sim.now)), Rejected)
    late = sim.join("Late")
    sim.move(late, "find", word="note")
    sim.leave(a)
    assert sim.current is None
    sim.assert_replays()
