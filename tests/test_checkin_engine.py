"""A check-in round rides on a table: the game waits, the log holds steps but no answers, and
the shared screen shows only how many are done."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from engine import (
    CheckinMark,
    CloseCheckin,
    OpenCheckin,
    Reason,
    Rejected,
    ResumeTable,
    StartTable,
    TableStatus,
    TieMember,
)
from engine.testing import SimulatedTable

from .games_for_tests import turns_game


def table(seats: int = 3, start: bool = True) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(turns_game, None, seed=5)
    ids = sim.join_many(seats)
    if start:
        sim.start()
    return sim, ids


def open_round(sim: SimulatedTable, items: int = 3) -> None:
    sim._must(sim.send(OpenCheckin(at=sim._stamp(), round="41", items=items)))


def mark(sim: SimulatedTable, seat: str, what: str, item: str | None = None):
    return sim.send(CheckinMark(at=sim._stamp(), seat=seat, mark=what, item=item))


def progress_element(sim: SimulatedTable):
    scene = sim.scene()
    found = [e for e in scene.elements if e.kind == "progress"]
    assert len(found) == 1
    return found[0]


def test_opening_pauses_the_game_and_closing_lets_it_go_on() -> None:
    sim, (a, b, c) = table()
    turn_before = sim.current
    open_round(sim)
    assert sim.status is TableStatus.paused
    refused = sim.try_move(turn_before, "done")
    assert isinstance(refused, Rejected) and refused.reason is Reason.paused
    resume = sim.send(ResumeTable(at=sim._stamp()))
    assert isinstance(resume, Rejected), "the game must not resume under an open check-in"
    sim._must(sim.send(CloseCheckin(at=sim._stamp())))
    assert sim.status is TableStatus.playing
    assert sim.current == turn_before
    assert sim.table.meta.checkin is None


def test_a_round_in_the_lobby_keeps_the_lobby_and_the_game_cannot_start_meanwhile() -> None:
    sim, _ = table(start=False)
    open_round(sim)
    assert sim.status is TableStatus.lobby
    started = sim.send(StartTable(at=sim._stamp()))
    assert isinstance(started, Rejected)
    sim._must(sim.send(CloseCheckin(at=sim._stamp())))
    assert sim.status is TableStatus.lobby
    sim.start()
    assert sim.status is TableStatus.playing


def test_the_screen_counts_done_seats_alike_whether_finished_declined_or_withdrawn() -> None:
    sim, (a, b, c, d) = table(seats=4)
    open_round(sim, items=2)
    assert (progress_element(sim).done, progress_element(sim).total) == (0, 4)
    sim._must(mark(sim, a, "consented"))
    sim._must(mark(sim, a, "answered", "q1"))
    sim._must(mark(sim, a, "skipped", "q2"))
    sim._must(mark(sim, a, "finished"))
    sim._must(mark(sim, b, "declined"))
    sim._must(mark(sim, c, "consented"))
    sim._must(mark(sim, c, "withdrawn"))
    element = progress_element(sim)
    assert (element.done, element.total) == (3, 4)
    assert element.label is not None and element.label.pick("en") == "3 of 4 done"
    # Nothing on the screen tells who declined or withdrew: no names, no roster.
    text = sim.scene().model_dump_json()
    for seat in sim.table.meta.seats:
        assert seat.nickname not in text
    assert d not in text


def test_steps_out_of_order_are_refused_and_change_nothing() -> None:
    sim, (a, b, c) = table()
    open_round(sim, items=1)
    before = sim.table.fingerprint()
    for seat, what in [(a, "answered"), (a, "skipped"), (a, "withdrawn"), (a, "finished")]:
        result = mark(sim, seat, what, "q1")
        assert isinstance(result, Rejected) and result.reason is Reason.not_now, what
    assert sim.table.fingerprint() == before
    sim._must(mark(sim, a, "consented"))
    assert isinstance(mark(sim, a, "consented"), Rejected)
    assert isinstance(mark(sim, a, "declined"), Rejected)
    sim._must(mark(sim, a, "answered", "q1"))
    assert isinstance(mark(sim, a, "answered", "q1"), Rejected), "only one item in the form"
    sim._must(mark(sim, a, "finished"))
    assert isinstance(mark(sim, a, "finished"), Rejected)
    sim._must(mark(sim, a, "withdrawn"))


def test_marks_need_an_open_round_and_a_real_seat() -> None:
    sim, (a, b, c) = table()
    result = mark(sim, a, "consented")
    assert isinstance(result, Rejected) and result.reason is Reason.not_now
    open_round(sim)
    result = mark(sim, "s99", "consented")
    assert isinstance(result, Rejected) and result.reason is Reason.unknown_seat
    assert isinstance(sim.send(OpenCheckin(at=sim._stamp(), round="42", items=2)), Rejected)


def test_the_log_has_no_room_for_an_answer() -> None:
    with pytest.raises(ValidationError):
        CheckinMark(at=datetime.now(UTC),
                    seat="s1", mark="answered", item="q1", value=7)  # type: ignore[call-arg]
    sim, (a, b, c) = table()
    open_round(sim)
    sim._must(mark(sim, a, "consented"))
    sim._must(mark(sim, a, "answered", "q1"))
    logged = sim.log[-1].model_dump(mode="json")
    assert set(logged["action"]) == {"type", "at", "seat", "mark", "item"}
    assert [f["kind"] for f in logged["facts"]] == ["checkin_answered"]
    assert all(set(f["data"]) == set() for f in logged["facts"])


def test_a_table_with_a_round_replays_to_the_same_state() -> None:
    sim, (a, b, c) = table()
    open_round(sim, items=2)
    sim._must(mark(sim, a, "consented"))
    sim._must(mark(sim, a, "answered", "q1"))
    sim._must(mark(sim, b, "declined"))
    sim._must(sim.send(CloseCheckin(at=sim._stamp())))
    replayed = sim.assert_replays()
    assert replayed.fingerprint() == sim.table.fingerprint()


def test_leader_confirms_which_member_sits_at_a_seat() -> None:
    sim, (a, b, c) = table()
    sim._must(sim.send(TieMember(at=sim._stamp(), seat=a, member="17")))
    seat = sim.table.seat(a)
    assert seat is not None and seat.member == "17" and seat.member_confirmed
    sim._must(sim.send(TieMember(at=sim._stamp(), seat=a, member=None)))
    seat = sim.table.seat(a)
    assert seat is not None and seat.member is None and not seat.member_confirmed


def test_a_late_joiner_takes_part_in_the_open_round() -> None:
    sim, (a, b, c) = table()
    open_round(sim)
    late = sim.join("Myöhäinen")
    assert (progress_element(sim).done, progress_element(sim).total) == (0, 4)
    sim._must(mark(sim, late, "declined"))
    assert progress_element(sim).done == 1


def test_check_in_steps_stay_off_the_seats_counts() -> None:
    """The leader's live view shows each seat's counts, and co-facilitators see it too: who
    declined or withdrew must not show there."""
    sim, (a, b, c) = table()
    open_round(sim)
    sim._must(mark(sim, a, "declined"))
    sim._must(mark(sim, b, "consented"))
    sim._must(mark(sim, b, "withdrawn"))
    for seat in sim.table.meta.seats:
        assert not any(kind.startswith("checkin") for kind in seat.counts)
    view = sim.table.facilitator_view().model_dump_json()
    assert "declined" not in view and "withdrawn" not in view


def test_ending_the_table_ends_an_open_round() -> None:
    sim, (a, b, c) = table()
    open_round(sim)
    sim.end()
    assert sim.table.meta.checkin is None
    assert sim.scene().title is None or sim.scene().title.pick("en") != "Check-in"
    assert isinstance(mark(sim, a, "consented"), Rejected)
