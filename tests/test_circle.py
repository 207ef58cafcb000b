"""The built-in circle activity, played as whole scripted sessions."""

from __future__ import annotations

from click.testing import CliRunner

from engine import Rejected, TableStatus
from engine.testing import SimulatedTable
from facilitator.cli import main


def test_scripted_session_with_passes_reactions_and_a_redraw(circle, circle_content) -> None:
    sim = SimulatedTable(circle, circle_content, seed=8, options={"rounds": 2})
    aino, bashir, camilla, dmitri, eeva = sim.join_many(5)
    sim.start()
    first_prompt = sim.state.prompt
    sim.move(aino, "redraw")
    assert sim.state.prompt != first_prompt
    refused = sim.try_move(aino, "redraw")
    assert isinstance(refused, Rejected) and refused.message_key == "already_redrawn"
    sim.move(bashir, "react", value="heart")
    sim.move(camilla, "react", value="me_too")
    assert isinstance(sim.try_move(aino, "react", value="heart"), Rejected)  # not to oneself
    assert isinstance(sim.try_move(bashir, "react", value="boo"), Rejected)  # supportive only
    sim.move(aino, "done")
    sim.pass_turn(bashir)
    sim.leader_move("new_prompt")
    sim.move(camilla, "done")
    sim.skip()  # the leader moves on from dmitri
    sim.play(lambda s, seat: s.move(seat, "done"))
    assert sim.status is TableStatus.ended
    assert len(sim.facts("turn_taken")) == 8  # 10 turns, one passed, one skipped
    assert [f.seat for f in sim.facts("turn_passed")] == [bashir]
    assert [f.seat for f in sim.facts("reaction_received")] == [aino, aino]
    closing = sim.scene()
    assert closing.layout == "closing"
    assert "8" in closing.elements[0].text.pick("en")
    sim.assert_replays()


def test_sensitive_prompts_are_left_out_unless_chosen(circle, circle_content) -> None:
    sensitive = {p.id for p in circle_content.prompts.prompts if p.sensitive}
    assert sensitive, "the shipped content should flag some prompts as sensitive"
    sim = SimulatedTable(circle, circle_content, options={"rounds": 1})
    sim.join_many(2)
    sim.start()
    assert not set(sim.state.deck) & sensitive
    sim2 = SimulatedTable(circle, circle_content, options={"include_sensitive": True})
    sim2.join_many(2)
    sim2.start()
    assert set(sim2.state.deck) >= sensitive


def test_same_seed_gives_same_prompts(circle, circle_content) -> None:
    def prompts(seed: int) -> list[str]:
        sim = SimulatedTable(circle, circle_content, seed=seed, options={"rounds": 3})
        sim.join_many(4)
        sim.start()
        sim.play(lambda s, seat: s.move(seat, "done"))
        return [f.data["card"] for f in sim.facts("card_shown")]
    assert prompts(1) == prompts(1)
    assert prompts(1) != prompts(2)


def test_deck_reshuffles_when_it_runs_out(circle, circle_content) -> None:
    sim = SimulatedTable(circle, circle_content, options={"rounds": 10})
    sim.join_many(6)
    sim.start()
    sim.play(lambda s, seat: s.move(seat, "done"))
    assert len(sim.facts("card_shown")) == 60 > len(sim.state.deck)


def test_tablet_of_the_speaker_and_of_the_listeners(circle, circle_content) -> None:
    sim = SimulatedTable(circle, circle_content)
    a, b = sim.join_many(2)
    sim.start()
    speaker = [i.kind for i in sim.controls(a).items]
    listener = [i.kind for i in sim.controls(b).items]
    assert speaker == ["text", "button", "button", "pass"]
    assert listener == ["text", "text", "reactions"]
    assert sim.controls(a).your_turn and not sim.controls(b).your_turn


def test_every_prompt_in_every_first_class_language(circle_content) -> None:
    for prompt in circle_content.prompts.prompts:
        assert set(prompt.text.languages()) >= {"fi", "sv", "en", "fi-x-selko"}, prompt.id
        assert len(prompt.text["fi-x-selko"]) <= 90, prompt.id


def test_simulate_command_plays_a_whole_table() -> None:
    result = CliRunner().invoke(main, ["simulate", "--seats", "3", "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "table_ended" in result.output
    assert "Replay of the log gives the same table" in result.output
