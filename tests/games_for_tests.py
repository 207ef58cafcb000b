"""Tiny inline games (boardgame.io style) that pin down one engine rule each."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from engine import (
    ButtonControl,
    Flow,
    LocalizedText,
    Move,
    MoveContext,
    Phase,
    Scene,
    TableView,
    TextBlockElement,
    VoteControl,
    Who,
    define_game,
    roster,
)
from engine.controls import Option

T = LocalizedText({"en": "test", "fi": "testi"})


class CountState(BaseModel):
    said: dict[str, int] = Field(default_factory=dict)
    log: list[str] = Field(default_factory=list)


class Word(BaseModel):
    model_config = ConfigDict(extra="forbid")
    word: str = Field(min_length=1, max_length=10)


def say(ctx: MoveContext[CountState], state: CountState, payload: Word) -> CountState:
    assert ctx.seat is not None
    state.said[ctx.seat] = state.said.get(ctx.seat, 0) + 1
    state.log.append(payload.word)
    ctx.fact("turn_taken", seat=ctx.seat)
    return state


def shout(ctx: MoveContext[CountState], state: CountState, payload: Word) -> object:
    if payload.word == "no":
        return ctx.refuse("test.no", LocalizedText({"en": "Not that word."}))
    state.log.append(payload.word.upper())
    return state


def crash(ctx: MoveContext[CountState], state: CountState, payload: BaseModel) -> CountState:
    state.log.append("half-done")
    raise ZeroDivisionError("a bug in the game")


def leader_note(ctx: MoveContext[CountState], state: CountState, payload: Word) -> CountState:
    state.log.append(f"leader:{payload.word}")
    return state


def scene(view: TableView[CountState]) -> Scene:
    return Scene(elements=[roster(view), TextBlockElement(text=T)])


def controls(view: TableView[CountState], seat: str) -> list[object]:
    if seat == view.current:
        return [ButtonControl(move="say", payload={"word": "hi"}, label=T)]
    return []


turns_game = define_game(
    id="turns_test", version=2, title=T, state_type=CountState,
    setup=lambda ctx: CountState(),
    moves={
        "say": Move(say, payload=Word, ends_turn=True),
        "shout": Move(shout, payload=Word, who=Who.any),
        "crash": Move(crash, who=Who.any),
        "note": Move(leader_note, payload=Word, who=Who.facilitator),
    },
    scene=scene, controls=controls,  # type: ignore[arg-type]
    min_seats=2, max_seats=4,
    end_if=lambda view: view.round > 3,
    replays_versions=frozenset({1}),
)


class VoteState(BaseModel):
    votes: dict[str, str] = Field(default_factory=dict)
    results: list[dict[str, int]] = Field(default_factory=list)


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(pattern="^(left|right)$")


def vote(ctx: MoveContext[VoteState], state: VoteState, payload: Choice) -> VoteState:
    assert ctx.seat is not None
    state.votes[ctx.seat] = payload.value
    ctx.fact("voted", seat=ctx.seat)
    return state


def count_votes(ctx: MoveContext[VoteState], state: VoteState) -> VoteState:
    tally: dict[str, int] = {}
    for choice in state.votes.values():
        tally[choice] = tally.get(choice, 0) + 1
    state.results.append(tally)
    state.votes = {}
    return state


def vote_controls(view: TableView[VoteState], seat: str) -> list[object]:
    if seat in view.waiting():
        return [VoteControl(move="vote", options=[Option(value="left", label=T),
                                                  Option(value="right", label=T)])]
    return []


vote_game = define_game(
    id="vote_test", version=1, title=T, state_type=VoteState,
    setup=lambda ctx: VoteState(),
    moves={"vote": Move(vote, payload=Choice, ends_turn=True)},
    phases={"vote": Phase(flow=Flow.together, on_end=count_votes)},
    scene=lambda view: Scene(elements=[roster(view)]),
    controls=vote_controls,  # type: ignore[arg-type]
    end_if=lambda view: len(view.state.results) >= 3,
)


class TogetherState(BaseModel):
    found: list[str] = Field(default_factory=list)


def find(ctx: MoveContext[TogetherState], state: TogetherState, payload: Word) -> TogetherState:
    state.found.append(payload.word)
    ctx.fact("found", seat=ctx.seat)
    ctx.end_turn()  # has no meaning without turns, and must do no harm
    return state


free_game = define_game(
    id="free_test", version=1, title=T, state_type=TogetherState,
    setup=lambda ctx: TogetherState(),
    moves={"find": Move(find, payload=Word)},
    phases={"room": Phase(flow=Flow.free)},
    scene=lambda view: Scene(elements=[roster(view)]),
    controls=lambda view, seat: [],
)
