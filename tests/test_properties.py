"""Property tests of the table reducer: random sessions of legal and illegal actions.

Hypothesis plays sessions that no script would: duplicate nicknames, a thirteenth seat, moves
from seats that left or never existed, leader moves from tablets, timers ticking across a
sleeping laptop. Whatever it sends, ``Table.apply`` must not raise; a rejected action must change
nothing; an accepted one must leave a table that serialises, replays from its log and shows a
pass control to whoever is asked something.

The last section pins down engine bugs these properties led to, one small test each; they
stay as regression tests.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine import (
    Accepted,
    Avatar,
    AvatarColour,
    AvatarIcon,
    CheckinMark,
    CloseCheckin,
    EndTable,
    Event,
    Flow,
    GameModule,
    GiveHint,
    InfoRow,
    Join,
    Leave,
    LocalizedText,
    MakeMove,
    Move,
    MoveContext,
    NoPayload,
    OpenCheckin,
    PassTurn,
    PauseTable,
    Phase,
    Presence,
    Reaction,
    Reason,
    Rejected,
    ResumeTable,
    Scene,
    SetTimer,
    SkipTurn,
    Snapshot,
    StartTable,
    Table,
    TableMeta,
    TableStatus,
    TableView,
    Tick,
    TieMember,
    VoteControl,
    VoteTallyElement,
    VoteTallyRow,
    Who,
    define_game,
    replay,
    roster,
)
from engine.controls import Option
from engine.registry import find_game, load_game_content
from engine.testing import NAMES, SimulatedTable

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- a tiny everyone-at-once game -----------------------------------------------------------

T = LocalizedText({"en": "Vote", "fi": "Äänestys"})
CHOICES = ("yes", "no", "later")


class VoteState(BaseModel):
    votes: dict[str, int] = Field(default_factory=dict)
    tallies: list[dict[str, int]] = Field(default_factory=list)
    comments: int = 0


class Ballot(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Literal["yes", "no", "later"]


def _vote(ctx: MoveContext[VoteState], state: VoteState, ballot: Ballot) -> VoteState:
    state.votes[ballot.value] = state.votes.get(ballot.value, 0) + 1
    ctx.fact("voted", seat=ctx.seat)  # never what was voted
    return state


def _comment(ctx: MoveContext[VoteState], state: VoteState, payload: NoPayload) -> VoteState:
    state.comments += 1
    return state


def _begin(ctx: MoveContext[VoteState], state: VoteState, payload: NoPayload) -> None:
    ctx.set_phase("vote")


def _close_vote(ctx: MoveContext[VoteState], state: VoteState) -> VoteState:
    state.tallies.append(state.votes)
    state.votes = {}
    return state


def _vote_scene(view: TableView[VoteState]) -> Scene:
    votes = view.state.votes
    tally = VoteTallyElement(
        question=T, rows=[VoteTallyRow(label=LocalizedText.of(c), count=votes.get(c, 0))
                          for c in CHOICES],
        voters=len(view.seats()), voted=sum(votes.values()))
    return Scene(title=T, layout="card", elements=[tally, roster(view)])


def _vote_controls(view: TableView[VoteState], seat: str) -> list[Any]:
    if view.phase != "vote" or seat not in view.waiting():
        return []
    return [VoteControl(move="vote", options=[Option(value=c, label=LocalizedText.of(c))
                                              for c in CHOICES])]


def _vote_facilitator(view: TableView[VoteState]) -> list[InfoRow]:
    return [InfoRow(label=T, value=str(len(view.state.tallies)))]


VOTE_ROUNDS = 3

vote_game: GameModule[VoteState] = define_game(
    id="vote_test",
    version=1,
    title=T,
    state_type=VoteState,
    setup=lambda ctx: VoteState(),
    moves={
        "vote": Move(_vote, payload=Ballot, ends_turn=True),
        "comment": Move(_comment, who=Who.any),
        "begin": Move(_begin, who=Who.facilitator, label=T),
    },
    phases={
        "intro": Phase(flow=Flow.turns, moves=frozenset({"begin", "comment"})),
        "vote": Phase(flow=Flow.together, moves=frozenset({"vote", "comment"}),
                      on_end=_close_vote, next="vote"),
    },
    start_phase="intro",
    end_if=lambda view: view.round > VOTE_ROUNDS,
    scene=_vote_scene,
    controls=_vote_controls,
    facilitator=_vote_facilitator,
)


# -- turning drawn steps into actions ----------------------------------------------------------

Spec = tuple[Any, ...]


def _present(table: Table) -> list[str]:
    return [s.id for s in table.meta.seats if not s.gone]


def _resolve(ref: str | None, table: Table) -> str | None:
    """A seat id for a drawn reference: a symbolic one makes legal actions likely."""
    turn = table.meta.turn
    if ref == "current":
        return turn.current or "s1"
    if ref == "waiting":
        return turn.waiting[0] if turn.waiting else "s1"
    if ref == "last_waiting":
        return turn.waiting[-1] if turn.waiting else "s2"
    if ref == "other":
        others = [s for s in _present(table) if s != turn.current]
        return others[0] if others else "s2"
    return ref


def _build(spec: Spec, table: Table, at: datetime) -> Any:
    """The action a drawn step describes, or ``None`` when the hub would not build it."""
    kind, *args = spec
    try:
        if kind == "join":
            nickname, icon, colour = args
            return Join(at=at, nickname=nickname, avatar=Avatar(icon=icon, colour=colour))
        if kind == "move":
            ref, name, payload = args
            return MakeMove(at=at, seat=_resolve(ref, table), name=name, payload=payload)
        if kind == "pass":
            return PassTurn(at=at, seat=_resolve(args[0], table))
        if kind == "presence":
            return Presence(at=at, seat=_resolve(args[0], table), connected=args[1])
        if kind == "leave":
            return Leave(at=at, seat=_resolve(args[0], table), removed_by_leader=args[1])
        if kind == "hint":
            return GiveHint(at=at, text=args[0], to=_resolve(args[1], table))
        if kind == "timer":
            return SetTimer(at=at, seconds=args[0], extend=args[1])
        if kind == "checkin_open":
            return OpenCheckin(at=at, round=args[0], items=args[1])
        if kind == "checkin_mark":
            return CheckinMark(at=at, seat=_resolve(args[0], table), mark=args[1], item=args[2])
        if kind == "checkin_close":
            return CloseCheckin(at=at)
        if kind == "tie":
            return TieMember(at=at, seat=_resolve(args[0], table), member=args[1])
        simple = {"start": StartTable, "pause": PauseTable, "resume": ResumeTable,
                  "skip": SkipTurn, "end": EndTable, "tick": Tick}
        return simple[kind](at=at)
    except ValidationError:
        return None


# -- strategies ------------------------------------------------------------------------------

seat_refs = st.sampled_from(["current", "current", "other", "waiting", "last_waiting",
                             "s1", "s2", "s3", "s5", "s12", "s13", "s99"])
nicknames = st.one_of(
    st.sampled_from([*NAMES, "aino", "  AINO ", "Leo", "Bashir  "]),
    st.text(min_size=1, max_size=30),
)
joins = st.tuples(st.just("join"), nicknames, st.sampled_from(list(AvatarIcon)),
                  st.sampled_from(list(AvatarColour)))
reaction_values = st.sampled_from([*(r.value for r in Reaction), "boo", 3, None])
any_payload = st.one_of(st.just({}), st.fixed_dictionaries({"value": reaction_values}),
                        st.just({"extra": 1}))
hint_texts = st.one_of(st.sampled_from(["Take your time.", "Kerro lisää!", " ", "x" * 281]),
                       st.text(min_size=1, max_size=20))
common = [
    st.tuples(st.just("pass"), seat_refs),
    st.tuples(st.just("presence"), seat_refs, st.booleans()),
    st.tuples(st.just("leave"), seat_refs, st.booleans()),
    st.tuples(st.sampled_from(["start", "pause", "resume", "skip", "end"])),
    st.tuples(st.just("hint"), hint_texts, st.one_of(st.none(), seat_refs)),
    joins,
    # A check-in round can open and close at any moment, and its steps come in any order.
    st.tuples(st.just("checkin_open"), st.sampled_from(["7", "8", ""]), st.integers(0, 4)),
    st.tuples(st.just("checkin_mark"), seat_refs,
              st.sampled_from(["consented", "declined", "withdrawn", "answered", "skipped",
                               "finished", "shouted"]),
              st.sampled_from([None, "q1"])),
    st.tuples(st.just("checkin_close")),
    st.tuples(st.just("tie"), seat_refs, st.sampled_from([None, "17", "18"])),
]
circle_steps = st.one_of(
    *[st.just(("move", "current", "done", {}))] * 5,
    st.just(("pass", "current")),
    st.just(("resume",)),
    st.just(("move", "current", "redraw", {})),
    st.tuples(st.just("move"), st.just("other"), st.just("react"),
              st.fixed_dictionaries({"value": st.sampled_from([r.value for r in Reaction])})),
    st.tuples(st.just("move"), st.one_of(st.none(), seat_refs),
              st.sampled_from(["done", "redraw", "react", "new_prompt", "nope", "pass"]),
              any_payload),
    st.tuples(st.just("timer"), st.sampled_from([None, 5, 10, 30, 60]),
              st.sampled_from([0, 0, 10])),
    st.tuples(st.just("tick")),
    st.tuples(st.just("tick")),
    *common,
)
vote_steps = st.one_of(
    st.tuples(st.just("move"), st.sampled_from(["waiting", "last_waiting"]), st.just("vote"),
              st.fixed_dictionaries({"value": st.sampled_from(CHOICES)})),
    st.tuples(st.just("move"), st.sampled_from(["waiting", "last_waiting"]), st.just("vote"),
              st.fixed_dictionaries({"value": st.sampled_from(CHOICES)})),
    st.tuples(st.just("pass"), st.sampled_from(["waiting", "last_waiting"])),
    st.tuples(st.just("move"), st.one_of(st.none(), seat_refs),
              st.sampled_from(["vote", "comment", "begin", "nope"]),
              st.one_of(st.just({}), st.fixed_dictionaries(
                  {"value": st.sampled_from([*CHOICES, "maybe", 1])}))),
    st.just(("move", None, "begin", {})),
    st.just(("resume",)),
    *common,
)
# Mostly seconds between actions; now and then a jump past the 90 s a sleeping laptop leaves.
delays = st.one_of(*[st.sampled_from([0, 1, 1, 1, 2, 5, 29, 31])] * 4, st.integers(0, 200))


def _opening(seats: int, icon: AvatarIcon, colour: AvatarColour) -> list[tuple[int, Spec]]:
    # The thirteenth seat asks for a place at a full table (under a name already taken).
    return [(1, ("join", NAMES[i % len(NAMES)], icon, colour)) for i in range(seats)]


def session(steps: st.SearchStrategy[Spec], small_delays: bool = False) -> Any:
    """Some joins, usually a start, then anything; each step with its delay in seconds."""
    gap = st.integers(0, 60) if small_delays else delays
    seats = st.one_of(st.integers(1, 4), st.integers(0, 13))
    opening = st.builds(_opening, seats, st.sampled_from(list(AvatarIcon)),
                        st.sampled_from(list(AvatarColour)))
    start = st.sampled_from([[(1, ("start",))]] * 5 + [[]])
    rest = st.lists(st.tuples(gap, steps), min_size=15, max_size=80)
    return st.tuples(opening, start, rest).map(lambda parts: parts[0] + parts[1] + parts[2])


# -- the properties ------------------------------------------------------------------------------


def asked(table: Table) -> set[str]:
    """Who is asked something right now, read from the table's own state."""
    meta = table.meta
    if meta.status is not TableStatus.playing:
        return set()
    if table.module.phases[meta.turn.phase].flow is Flow.together:
        return set(meta.turn.waiting)
    return {meta.turn.current} if meta.turn.current is not None else set()


def check_serialises(table: Table) -> None:
    meta = table.meta
    assert TableMeta.model_validate_json(meta.model_dump_json()) == meta
    if table.started:
        state = table.state
        assert type(state).model_validate_json(state.model_dump_json()) == state


def check_views(table: Table) -> None:
    """Every view can be computed and sent as JSON; whoever is asked something can pass."""
    json.loads(table.scene().model_dump_json())
    json.loads(table.facilitator_view().model_dump_json())
    present = set(_present(table))
    pending = asked(table)
    assert pending <= present, f"a seat that left is still asked: {pending - present}"
    for seat in [*(s.id for s in table.meta.seats), "s99"]:
        controls = table.controls(seat)
        kinds = [item["kind"] for item in json.loads(controls.model_dump_json())["items"]]
        if seat in pending:
            assert "pass" in kinds, f"{seat} is asked something but cannot pass: {kinds}"
        else:
            assert "pass" not in kinds, f"{seat} is offered a pass with nothing asked"


def check_pass_is_accepted(table: Table) -> None:
    """A seat that is asked something can pass it, straight away."""
    assert table.meta.clock is not None
    soon = table.meta.clock + timedelta(seconds=1)
    for seat in sorted(asked(table))[:1]:
        result = table.apply(PassTurn(at=soon, seat=seat))
        assert isinstance(result, Accepted), f"{seat} could not pass: {result}"


class Session:
    """A table under test with its clock and log; every action goes through :meth:`send`."""

    def __init__(self, module: GameModule[Any], content: Any, seed: int,
                 options: dict[str, Any] | None = None) -> None:
        created = Table.create(module, content, table_id="prop", seed=seed, at=START,
                               room_code="PROP", options=options)
        assert isinstance(created, Accepted)
        self.module, self.content = module, content
        self.table = created.table
        self.log: list[Event] = [created.event]
        self.now = START
        self.snapshot: Snapshot | None = None
        check_serialises(self.table)
        check_views(self.table)

    def send(self, action: Any) -> Accepted | Rejected:
        old = self.table
        before = old.fingerprint()
        result = old.apply(action)  # must not raise, whatever was sent
        assert old.fingerprint() == before, "apply changed the table it was called on"
        if isinstance(result, Rejected):
            assert result.reason is not Reason.game_error, result.detail
            assert result.message.pick("en")
            return result
        assert result.event.seq == old.seq + 1 == result.table.seq
        self.table = result.table
        self.log.append(result.event)
        check_serialises(self.table)
        check_views(self.table)
        check_pass_is_accepted(self.table)
        return result

    def play(self, steps: list[tuple[int, Spec]]) -> None:
        for number, (delay, spec) in enumerate(steps):
            self.now += timedelta(seconds=delay)
            action = _build(spec, self.table, self.now)
            if action is not None:
                self.step(action)
            if number == len(steps) // 2:
                self.snapshot = Snapshot.model_validate_json(
                    self.table.snapshot().model_dump_json())

    def step(self, action: Any) -> None:
        self.send(action)

    def check_log(self) -> None:
        """The log is numbered 1..n and replays, also from JSON and from a snapshot."""
        assert [e.seq for e in self.log] == list(range(1, len(self.log) + 1))
        live = self.table.fingerprint()
        assert replay(self.module, self.content, self.log).fingerprint() == live
        stored = [Event.model_validate_json(e.model_dump_json()) for e in self.log]
        assert replay(self.module, self.content, stored).fingerprint() == live
        if self.snapshot is not None:
            again = replay(self.module, self.content, stored, snapshot=self.snapshot)
            assert again.fingerprint() == live


@FAST
@given(seed=st.integers(0, 2**32), rounds=st.integers(1, 3), sensitive=st.booleans(),
       steps=session(circle_steps))
def test_circle_table_survives_any_sequence_of_actions(
        seed: int, rounds: int, sensitive: bool, steps: list[tuple[int, Spec]]) -> None:
    sim = Session(find_game("circle"), load_game_content("circle"), seed,
                  {"rounds": rounds, "include_sensitive": sensitive})
    sim.play(steps)
    sim.check_log()


class VoteSession(Session):
    """Keeps its own account of who a together round still waits for, and checks the table's.

    A round asks the seats present when it begins, and a seat that joins during it is asked
    too (a late-comer gets a say). The round closes exactly when the last seat asked has
    voted, passed or left (or the leader skips), and never before.
    """

    def __init__(self, seed: int) -> None:
        super().__init__(vote_game, None, seed)
        self.expected: set[str] = set()

    def in_vote(self) -> bool:
        meta = self.table.meta
        return meta.status in (TableStatus.playing, TableStatus.paused) and \
            meta.turn.phase == "vote"

    def step(self, action: Any) -> None:
        was_voting = self.in_vote()
        playing = self.table.status is TableStatus.playing
        present = set(_present(self.table))
        expected = set(self.expected)
        result = self.send(action)
        seat = getattr(action, "seat", None)
        answers = isinstance(action, PassTurn) or (
            isinstance(action, MakeMove) and action.name == "vote"
            and list(action.payload) == ["value"] and action.payload["value"] in CHOICES)
        if was_voting and playing and seat in present and answers:
            assert isinstance(result, Accepted) == (seat in expected), \
                f"{type(action).__name__} by {seat}, asked {sorted(expected)}: {result}"
        if not isinstance(result, Accepted):
            return
        facts = [f.kind for f in result.event.facts]
        if was_voting:  # a seat may leave during a break, and that can close the round
            if (isinstance(action, MakeMove) and action.name == "vote") or \
                    isinstance(action, PassTurn | Leave):
                expected.discard(action.seat)
            if isinstance(action, Join):
                expected.add(self.table.meta.seats[-1].id)
            everyone_done = bool(self.expected) and not expected
            closes = isinstance(action, SkipTurn) or everyone_done
            assert ("round_closed" in facts) == closes, \
                f"{type(action).__name__}: still asked {sorted(expected)}, facts {facts}"
        if "round_closed" in facts or ("phase_started" in facts and self.in_vote()):
            expected = set(_present(self.table))
        if self.in_vote():
            assert set(self.table.meta.turn.waiting) == expected
        else:
            expected = set()
        self.expected = expected


@FAST
@given(seed=st.integers(0, 2**32), steps=session(vote_steps, small_delays=True))
def test_together_round_ends_exactly_when_everyone_asked_has_answered(
        seed: int, steps: list[tuple[int, Spec]]) -> None:
    sim = VoteSession(seed)
    sim.play(steps)
    sim.check_log()


# -- engine bugs these properties found --------------------------------------------------------


@pytest.fixture
def circle_sim() -> SimulatedTable:
    return SimulatedTable(find_game("circle"), load_game_content("circle"), seed=5)


def test_seat_joining_a_table_everyone_left_gets_the_turn(circle_sim: SimulatedTable) -> None:
    aino, bashir = circle_sim.join_many(2)
    circle_sim.start()
    circle_sim.leave(aino)
    circle_sim.leave(bashir)
    camilla = circle_sim.join("Camilla")
    assert circle_sim.status is TableStatus.playing
    assert circle_sim.table.pending(camilla)


def test_action_after_laptop_slept_is_taken_or_leaves_table_paused(
        circle_sim: SimulatedTable) -> None:
    aino, _ = circle_sim.join_many(2)
    circle_sim.start()
    circle_sim.set_timer(60)
    circle_sim.advance(120)
    result = circle_sim.try_pass(aino)
    assert isinstance(result, Accepted) or circle_sim.status is TableStatus.paused


def test_blank_hint_is_refused_or_shown_in_a_valid_scene(circle_sim: SimulatedTable) -> None:
    circle_sim.join_many(2)
    circle_sim.start()
    with pytest.raises(ValidationError, match="the hint is empty"):
        GiveHint(at=circle_sim.now, text=" ")
    circle_sim.hint("  Take your time  ")
    scene = Scene.model_validate_json(circle_sim.scene().model_dump_json())
    assert any(getattr(e, "style", "") == "hint" for e in scene.elements)


def _endless_vote(state_type: type[BaseModel]) -> GameModule[Any]:
    return define_game(
        id="endless_vote", version=1, title=T, state_type=state_type,
        setup=lambda ctx: state_type.model_validate({"question": "q"}),
        moves={"vote": Move(_comment, ends_turn=True)},
        phases={"vote": Phase(flow=Flow.together, next="vote")},
        scene=lambda view: Scene(), controls=lambda view, seat: [])


class QuestionState(BaseModel):
    question: str
    comments: int = 0


def test_last_seat_can_leave_a_together_round_of_a_game_without_end() -> None:
    sim = SimulatedTable(_endless_vote(QuestionState))
    aino, bashir = sim.join_many(2)
    sim.start()
    sim.leave(aino)
    sim.leave(bashir)


def test_table_ended_in_lobby_restores_from_its_snapshot() -> None:
    game = _endless_vote(QuestionState)
    sim = SimulatedTable(game)
    sim.join_many(2)
    sim.end()
    again = replay(game, None, sim.log, snapshot=sim.table.snapshot())
    assert again.fingerprint() == sim.table.fingerprint()
