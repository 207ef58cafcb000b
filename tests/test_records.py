"""Participation records are read from the event log, and passing never counts against anyone."""

from __future__ import annotations

from engine import Avatar, AvatarColour, AvatarIcon
from engine.testing import SimulatedTable
from facilitator.groups.records import Attendance, derive

AVATAR = Avatar(icon=AvatarIcon.sun, colour=AvatarColour.blue)


def test_records_follow_what_happened(circle, circle_content) -> None:
    sim = SimulatedTable(circle, circle_content, options={"rounds": 2})
    aino = sim.join("Aino", member="m1")
    bashir = sim.join("Bashir", member="m2")
    camilla = sim.join("Camilla")
    sim.start()
    sim.move(aino, "done")
    sim.move(aino, "react", value="heart")
    sim.pass_turn(bashir)
    late = sim.join("Dmitri", member="m4")
    sim.move(camilla, "done")
    sim.leave(bashir)
    sim.play(lambda s, seat: s.move(seat, "done"))
    records = {r.nickname: r for r in derive(sim.log)}
    assert records["Aino"].activity["turns"] == 2
    assert records["Aino"].activity["reactions"] == 1
    assert records["Aino"].attendance is Attendance.present
    assert records["Bashir"].attendance is Attendance.left_early
    assert records["Bashir"].activity["turns"] == 0  # a pass is not held against anyone
    assert "passes" not in records["Bashir"].activity
    assert records["Dmitri"].attendance is Attendance.late
    assert records["Camilla"].member is None
    del late


def test_a_member_who_comes_back_on_another_tablet_is_one_record(circle, circle_content) -> None:
    sim = SimulatedTable(circle, circle_content, options={"rounds": 3})
    first = sim.join("Aino", member="m1")
    other = sim.join("Bashir", member="m2")
    sim.start()
    sim.move(first, "done")
    sim.leave(first)  # handed the tablet over
    again = sim.join("Aino ", member="m1")
    sim.move(other, "done")
    sim.move(again, "done")
    records = [r for r in derive(sim.log) if r.member == "m1"]
    assert len(records) == 1 and records[0].activity["turns"] == 2


def test_a_game_declares_which_of_its_facts_count(circle, circle_content) -> None:
    """Records count what the game's own declaration says, and nothing it does not name."""
    from dataclasses import replace

    from engine import ContributionKind
    from facilitator.groups import records

    assert circle.contributions["turn_taken"].kind is ContributionKind.turns
    assert circle.contributions["turn_taken"].label.pick("en")
    sim = SimulatedTable(circle, circle_content, options={"rounds": 1})
    aino = sim.join("Aino", member="m1")
    sim.start()
    sim.move(aino, "done")
    sim.play(lambda s, seat: s.move(seat, "done"))
    counted = {r.nickname: r for r in derive(sim.log)}["Aino"].activity
    assert counted["turns"] >= 1

    # The same log, read with a declaration that counts turns as answers instead.
    declared = {"turn_taken": replace(circle.contributions["turn_taken"],
                                      kind=ContributionKind.answers)}
    original = records.contributions_of
    records.contributions_of = lambda game: declared  # type: ignore[assignment]
    try:
        recounted = {r.nickname: r for r in derive(sim.log)}["Aino"].activity
    finally:
        records.contributions_of = original  # type: ignore[assignment]
    assert recounted["answers"] == counted["turns"] and recounted["turns"] == 0
    assert recounted["reactions"] == 0


def test_every_shipped_game_declares_its_contributions() -> None:
    from engine.registry import available_games

    for module in available_games().values():
        assert module.contributions, module.id
        for contribution in module.contributions.values():
            assert all(contribution.label.pick(lang) for lang in ("fi", "sv", "en"))
