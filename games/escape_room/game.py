"""Rules and views of the escape room: pure functions over :class:`EscapeState`.

The session: the story is read from the shared screen (phase ``intro``) → any tablet says "we
are ready" and the room opens (phase ``room``) → each tablet reads its own clues, tells them to
the others or shows them on the big screen, and anyone tries answers, at any time → solving a
lock opens the locks that wait for it → the final lock gets the group out (phase ``debrief``):
the screen shows the path the group took and the debrief questions, until the leader ends.

Why it is built like this:

* Every move is ``Who.any``: the room is solved together, not in turns. The engine still keeps
  a turn in this one ``Flow.turns`` phase, so its pass button shows on one tablet at a time;
  passing changes nothing in the room.
* A wrong answer is accepted, recorded as a try and answered with "not yet – look at the clues
  together". After several wrong tries within a short window the lock rests for a while
  (times come from ``ctx.view.now``, the stamped action time), so the room stays a puzzle and
  does not become guessing; a try during the rest is refused with a kind note.
* Hints are never a cost: the group asks for the next tier from any tablet, or the leader sends
  one. Nothing is scored, nothing is timed by the game (the engine's optional timer is the
  leader's choice; calm mode, no timer, is the default).
* The debrief shows the path (locks in the order opened, hints used), never who did what.
  Participation facts (``clue_viewed``, ``clue_shown_on_screen``, ``answer_tried``,
  ``puzzle_solved``, ``hint_asked``) carry no answer text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine import (
    ButtonControl,
    ChoiceControl,
    CodeAlphabet,
    CodeEntryControl,
    Contribution,
    ContributionKind,
    Control,
    Flow,
    FreeTextControl,
    InfoRow,
    LocalizedText,
    LockElement,
    LockPanelElement,
    MatchPairsControl,
    Move,
    MoveContext,
    NoPayload,
    Option,
    OrderControl,
    Phase,
    ProgressElement,
    Refusal,
    Scene,
    SetupContext,
    StoryPageElement,
    TableView,
    TextBlockElement,
    TextControl,
    Who,
    define_game,
    roster,
)
from engine.scene import ImageElement

from . import words
from .answers import is_right, shape_fits
from .content import (
    AreaAnswer,
    ChoiceAnswer,
    CodeAnswer,
    EscapeContent,
    MatchAnswer,
    OrderAnswer,
    Puzzle,
    Room,
    TextAnswer,
    puzzle_of_clue,
)
from .deal import deal, late_comer, rehome

__all__ = ["EscapeOptions", "EscapeState", "module"]

#: How many clues the big screen keeps (the newest stay).
SCREEN_CLUES = 2
#: How many blocks of words the screen shows under the lock panel: with three, text fell below
#: the size that reads from five metres.
SCREEN_BLOCKS = 2

# -- options, state and payloads ---------------------------------------------------------------


def _label(words_of: dict[str, str]) -> dict[str, Any]:
    """The panel's words for a form field (see facilitator/forms.py)."""
    return {"label": dict(words_of)}


class EscapeOptions(BaseModel):
    """What the leader chooses when starting a table."""

    model_config = ConfigDict(extra="forbid")

    room: str = Field(default="lost-key", json_schema_extra=_label(words.ROOM_OPTION))
    tries_before_rest: int = Field(default=5, ge=2, le=20,
                                   json_schema_extra=_label(words.TRIES_OPTION))
    try_window_seconds: int = Field(default=60, ge=10, le=600,
                                    json_schema_extra=_label(words.WINDOW_OPTION))
    rest_seconds: int = Field(default=30, ge=5, le=300,
                              json_schema_extra=_label(words.REST_OPTION))


class Feedback(BaseModel):
    """The last thing that happened at a lock, shown on the screen and the tablets."""

    puzzle: str
    kind: Literal["not_yet", "step", "solved", "resting"]
    step: int = 0


class Shown(BaseModel):
    """A clue on the big screen. Who showed it is not kept: it is the group's clue now."""

    clue: str
    by_leader: bool = False


class HintGiven(BaseModel):
    puzzle: str
    step: int
    tier: int
    """Counted from 1."""
    by_leader: bool = False


class PathStep(BaseModel):
    """One lock on the group's way out, for the debrief (never who opened it)."""

    puzzle: str
    hints: int
    by_leader: bool = False


class EscapeState(BaseModel):
    room: str = ""
    seat_order: list[str] = Field(default_factory=list)
    """Seats in dealing order: the starting seats shuffled by the table's seed, then
    late-comers."""
    hands: dict[str, list[str]] = Field(default_factory=dict)
    """Each seat's clues; kept per seat, so a tablet that reconnects gets them back."""
    read: dict[str, list[str]] = Field(default_factory=dict)
    spare: list[str] = Field(default_factory=list)
    """Clues nobody holds (everyone left); the next person to join gets them."""
    solved: list[str] = Field(default_factory=list)
    path: list[PathStep] = Field(default_factory=list)
    steps: dict[str, int] = Field(default_factory=dict)
    """For multi-step puzzles: how many steps are done."""
    hints: list[HintGiven] = Field(default_factory=list)
    wrong: dict[str, list[datetime]] = Field(default_factory=dict)
    """Recent wrong tries per lock, for the rest rule (pruned to the window)."""
    tries: dict[str, int] = Field(default_factory=dict)
    resting: dict[str, datetime] = Field(default_factory=dict)
    on_screen: list[Shown] = Field(default_factory=list)
    feedback: Feedback | None = None
    shuffles: dict[str, list[str]] = Field(default_factory=dict)
    """The mixed order tablets show order and match items in, per ``puzzle/step``."""
    escaped: bool = False


_LABEL_CLUE = _label(words.CLUE_FIELD)
_LABEL_PUZZLE = _label(words.PUZZLE_FIELD)


class CluePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clue: str = Field(min_length=1, max_length=120, json_schema_extra=_LABEL_CLUE)


class PuzzlePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    puzzle: str = Field(min_length=1, max_length=120, json_schema_extra=_LABEL_PUZZLE)


class LeaderHintPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    puzzle: str | None = Field(default=None, max_length=120,
                               json_schema_extra=_label(words.ANY_PUZZLE_FIELD))


class AnswerPayload(BaseModel):
    """A try at a lock: a string (codes of digits or letters, written answers, a choice), a list
    (colours, directions, an order) or a mapping (matched pairs)."""

    model_config = ConfigDict(extra="forbid")
    puzzle: str = Field(min_length=1, max_length=120)
    step: int = Field(default=0, ge=0, le=20)
    """The step the tablet was showing, so a try meant for a step someone else already solved
    is not counted against the next one."""
    value: str | list[str] | dict[str, str]


def _bounded(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= 280
    if isinstance(value, list):
        return len(value) <= 20 and all(len(v) <= 60 for v in value)
    if isinstance(value, dict):
        return len(value) <= 20 and all(len(k) <= 60 and len(v) <= 60 for k, v in value.items())
    return False


# -- reading the room --------------------------------------------------------------------------


def _room(where: TableView[EscapeState] | MoveContext[EscapeState],
          state: EscapeState) -> Room:
    content: EscapeContent = where.content
    return content.rooms[state.room]


def _open(room: Room, state: EscapeState) -> list[str]:
    """Puzzles open right now: not solved, and everything they require solved."""
    done = set(state.solved)
    return [p.id for p in room.puzzles
            if p.id not in done and all(r in done for r in p.requires)]


def _unsolved(room: Room, state: EscapeState) -> set[str]:
    return {p.id for p in room.puzzles} - set(state.solved)


def _step(state: EscapeState, puzzle: str) -> int:
    return state.steps.get(puzzle, 0)


def _hints_of(state: EscapeState, puzzle: str, step: int | None = None) -> list[HintGiven]:
    return [h for h in state.hints
            if h.puzzle == puzzle and (step is None or h.step == step)]


def _local_id(room: Room, raw: str) -> str | None:
    """A clue or puzzle id as the game knows it; the leader's choices carry the room in front
    (``lost-key/bus-time``). ``None`` when it names another room."""
    if "/" in raw:
        room_id, rest = raw.split("/", 1)
        return rest if room_id == room.id else None
    return raw


def _present(ctx: MoveContext[EscapeState], state: EscapeState) -> list[str]:
    here = {s.id for s in ctx.view.seats()}
    return [s for s in state.seat_order if s in here]


# -- setup -------------------------------------------------------------------------------------


def _mixed(ctx: SetupContext, values: list[str]) -> list[str]:
    """A seeded shuffle that is never already the right order."""
    mixed = ctx.random.shuffled(values)
    if mixed == values and len(values) > 1:
        mixed = mixed[1:] + mixed[:1]
    return mixed


def setup(ctx: SetupContext) -> EscapeState:
    content: EscapeContent = ctx.content
    options: EscapeOptions = ctx.options
    room_id = options.room if options.room in content.rooms else sorted(content.rooms)[0]
    room = content.rooms[room_id]
    order = ctx.random.shuffled(ctx.seats)
    state = EscapeState(room=room_id, seat_order=order,
                        hands=deal(room.clues_in_deal_order(), order),
                        read={seat: [] for seat in order})
    for puzzle in room.puzzles:
        for step, answer in enumerate(puzzle.answers()):
            key = f"{puzzle.id}/{step}"
            if isinstance(answer, OrderAnswer):
                state.shuffles[key] = _mixed(ctx, [i.value for i in answer.items])
            elif isinstance(answer, MatchAnswer):
                state.shuffles[key] = _mixed(ctx, [p.right.value for p in answer.pairs])
    return state


# -- moves -------------------------------------------------------------------------------------


def start_room(ctx: MoveContext[EscapeState], state: EscapeState,
               payload: NoPayload) -> EscapeState:
    """Any tablet ("we are ready") or the leader opens the room after the story."""
    ctx.fact("room_opened", seat=ctx.seat, by="leader" if ctx.seat is None else "group")
    ctx.set_phase("room")
    return state


def _own_clue(ctx: MoveContext[EscapeState], state: EscapeState,
              raw: str) -> str | Refusal:
    room = _room(ctx, state)
    clue = _local_id(room, raw)
    if clue is None:
        return ctx.refuse("escape_room.other_room", words.OTHER_ROOM)
    if ctx.seat is not None and clue not in state.hands.get(ctx.seat, []):
        return ctx.refuse("escape_room.not_your_clue", words.NOT_YOUR_CLUE)
    if not room.has_clue(clue):
        return ctx.refuse("escape_room.unknown_clue", words.UNKNOWN_CLUE)
    if puzzle_of_clue(clue) not in _open(room, state):
        return ctx.refuse("escape_room.not_open_yet", words.NOT_OPEN_YET)
    return clue


def _mark_read(ctx: MoveContext[EscapeState], state: EscapeState, seat: str, clue: str) -> None:
    seen = state.read.setdefault(seat, [])
    if clue not in seen:
        seen.append(clue)
        ctx.fact("clue_viewed", seat=seat, clue=clue, puzzle=puzzle_of_clue(clue))


def read_clue(ctx: MoveContext[EscapeState], state: EscapeState,
              payload: CluePayload) -> EscapeState | Refusal:
    """Open one of your own clues (the tablet shows it from then on)."""
    clue = _own_clue(ctx, state, payload.clue)
    if isinstance(clue, Refusal):
        return clue
    assert ctx.seat is not None
    _mark_read(ctx, state, ctx.seat, clue)
    return state


def _put_on_screen(state: EscapeState, clue: str, by_leader: bool) -> None:
    state.on_screen = [s for s in state.on_screen if s.clue != clue]
    state.on_screen.append(Shown(clue=clue, by_leader=by_leader))
    state.on_screen = state.on_screen[-SCREEN_CLUES:]


def show_clue(ctx: MoveContext[EscapeState], state: EscapeState,
              payload: CluePayload) -> EscapeState | Refusal:
    """"Show my clue on the big screen": the group reads it together."""
    clue = _own_clue(ctx, state, payload.clue)
    if isinstance(clue, Refusal):
        return clue
    assert ctx.seat is not None
    _mark_read(ctx, state, ctx.seat, clue)
    _put_on_screen(state, clue, by_leader=False)
    ctx.fact("clue_shown_on_screen", seat=ctx.seat, clue=clue, puzzle=puzzle_of_clue(clue),
             by="seat")
    return state


def leader_show_clue(ctx: MoveContext[EscapeState], state: EscapeState,
                     payload: CluePayload) -> EscapeState | Refusal:
    """The leader shows any clue of an open lock, to unblock the group (or stand in for a
    tablet that is away)."""
    clue = _own_clue(ctx, state, payload.clue)
    if isinstance(clue, Refusal):
        return clue
    _put_on_screen(state, clue, by_leader=True)
    ctx.fact("clue_shown_on_screen", clue=clue, puzzle=puzzle_of_clue(clue), by="leader")
    return state


def clear_screen(ctx: MoveContext[EscapeState], state: EscapeState,
                 payload: NoPayload) -> EscapeState:
    state.on_screen = []
    ctx.fact("screen_cleared")
    return state


def _open_puzzle(ctx: MoveContext[EscapeState], state: EscapeState,
                 raw: str) -> Puzzle | Refusal:
    room = _room(ctx, state)
    pid = _local_id(room, raw)
    if pid is None:
        return ctx.refuse("escape_room.other_room", words.OTHER_ROOM)
    if not room.has_puzzle(pid):
        return ctx.refuse("escape_room.unknown_puzzle", words.UNKNOWN_PUZZLE)
    if pid in state.solved:
        return ctx.refuse("escape_room.already_open", words.ALREADY_OPEN)
    if pid not in _open(room, state):
        return ctx.refuse("escape_room.not_open_yet", words.NOT_OPEN_YET)
    return room.puzzle(pid)


def _solve(ctx: MoveContext[EscapeState], state: EscapeState, puzzle: Puzzle,
           by_leader: bool) -> None:
    room = _room(ctx, state)
    pid = puzzle.id
    hints = len(_hints_of(state, pid))
    state.solved.append(pid)
    state.path.append(PathStep(puzzle=pid, hints=hints, by_leader=by_leader))
    state.steps.pop(pid, None)
    state.wrong.pop(pid, None)
    state.resting.pop(pid, None)
    state.on_screen = [s for s in state.on_screen if puzzle_of_clue(s.clue) != pid]
    state.feedback = Feedback(puzzle=pid, kind="solved")
    ctx.fact("puzzle_solved", seat=None if by_leader else ctx.seat, puzzle=pid, hints=hints,
             by="leader" if by_leader else "group")
    if pid == room.final:
        state.escaped = True
        ctx.fact("room_escaped", locks=len(state.solved), hints=len(state.hints))
        ctx.set_phase("debrief")


def try_answer(ctx: MoveContext[EscapeState], state: EscapeState,
               payload: AnswerPayload) -> EscapeState | Refusal:
    """Try an answer at an open lock. Right: the lock (or step) opens. Wrong: the try is
    recorded and the group gets a gentle "not yet"; too many wrong tries in a short while and
    the lock rests."""
    puzzle = _open_puzzle(ctx, state, payload.puzzle)
    if isinstance(puzzle, Refusal):
        return puzzle
    pid = puzzle.id
    step = _step(state, pid)
    if payload.step != step:
        return ctx.refuse("escape_room.step_moved_on", words.STEP_MOVED_ON)
    now = ctx.view.now
    rest_until = state.resting.get(pid)
    if rest_until is not None and now < rest_until:
        seconds = math.ceil((rest_until - now).total_seconds())
        return ctx.refuse("escape_room.resting", words.RESTING_FOR.format(seconds=seconds))
    answer = puzzle.answers()[step]
    if not _bounded(payload.value) or not shape_fits(answer, payload.value):
        return ctx.refuse("escape_room.bad_answer", words.BAD_ANSWER)
    state.resting.pop(pid, None)
    state.tries[pid] = state.tries.get(pid, 0) + 1
    right = is_right(answer, payload.value)
    ctx.fact("answer_tried", seat=ctx.seat, puzzle=pid, step=step + 1, right=right)
    if right:
        state.wrong.pop(pid, None)
        if step + 1 < puzzle.step_count():
            state.steps[pid] = step + 1
            state.feedback = Feedback(puzzle=pid, kind="step", step=step)
            ctx.fact("step_solved", seat=ctx.seat, puzzle=pid, step=step + 1)
        else:
            _solve(ctx, state, puzzle, by_leader=False)
        return state
    options: EscapeOptions = ctx.options
    window = timedelta(seconds=options.try_window_seconds)
    recent = [t for t in state.wrong.get(pid, []) if now - t < window]
    recent.append(now)
    if len(recent) >= options.tries_before_rest:
        state.resting[pid] = now + timedelta(seconds=options.rest_seconds)
        state.wrong.pop(pid, None)
        state.feedback = Feedback(puzzle=pid, kind="resting", step=step)
        ctx.fact("lock_resting", puzzle=pid, seconds=options.rest_seconds)
    else:
        state.wrong[pid] = recent
        state.feedback = Feedback(puzzle=pid, kind="not_yet", step=step)
    return state


def _next_hint(ctx: MoveContext[EscapeState], state: EscapeState, puzzle: Puzzle,
               by_leader: bool) -> HintGiven | Refusal:
    step = _step(state, puzzle.id)
    given = len(_hints_of(state, puzzle.id, step))
    if given >= len(puzzle.hints_for(step)):
        return ctx.refuse("escape_room.no_more_hints", words.NO_MORE_HINTS)
    hint = HintGiven(puzzle=puzzle.id, step=step, tier=given + 1, by_leader=by_leader)
    state.hints.append(hint)
    return hint


def ask_hint(ctx: MoveContext[EscapeState], state: EscapeState,
             payload: PuzzlePayload) -> EscapeState | Refusal:
    """The group asks for the next hint of a lock, from any tablet. Hints cost nothing."""
    puzzle = _open_puzzle(ctx, state, payload.puzzle)
    if isinstance(puzzle, Refusal):
        return puzzle
    hint = _next_hint(ctx, state, puzzle, by_leader=False)
    if isinstance(hint, Refusal):
        return hint
    ctx.fact("hint_asked", seat=ctx.seat, puzzle=puzzle.id, step=hint.step + 1, tier=hint.tier)
    return state


def give_hint(ctx: MoveContext[EscapeState], state: EscapeState,
              payload: LeaderHintPayload) -> EscapeState | Refusal:
    """The leader pushes the next hint: of the lock named, or else of the open lock that has
    had the fewest hints."""
    room = _room(ctx, state)
    if payload.puzzle:
        puzzle = _open_puzzle(ctx, state, payload.puzzle)
        if isinstance(puzzle, Refusal):
            return puzzle
    else:
        candidates = [room.puzzle(pid) for pid in _open(room, state)
                      if len(_hints_of(state, pid, _step(state, pid)))
                      < len(room.puzzle(pid).hints_for(_step(state, pid)))]
        if not candidates:
            return ctx.refuse("escape_room.no_hint_to_give", words.NO_HINT_TO_GIVE)
        puzzle = min(candidates, key=lambda p: len(_hints_of(state, p.id)))
    hint = _next_hint(ctx, state, puzzle, by_leader=True)
    if isinstance(hint, Refusal):
        return hint
    ctx.fact("hint_pushed", puzzle=puzzle.id, step=hint.step + 1, tier=hint.tier)
    return state


def open_lock(ctx: MoveContext[EscapeState], state: EscapeState,
              payload: PuzzlePayload) -> EscapeState | Refusal:
    """The leader opens a lock for the group, when a puzzle is not worth the frustration."""
    puzzle = _open_puzzle(ctx, state, payload.puzzle)
    if isinstance(puzzle, Refusal):
        return puzzle
    _solve(ctx, state, puzzle, by_leader=True)
    return state


# -- joining and leaving -----------------------------------------------------------------------


def on_join(ctx: MoveContext[EscapeState], state: EscapeState) -> EscapeState:
    """A late-comer gets spare clues and a fair share of unread ones, so no one sits empty."""
    seat = ctx.seat
    if seat is None or not state.room or state.escaped or seat in state.seat_order:
        return state
    room = _room(ctx, state)
    state.seat_order.append(seat)
    state.read.setdefault(seat, [])
    hands = dict(state.hands)
    hands[seat] = list(state.spare)
    spare = len(state.spare)
    state.spare = []
    unsolved = _unsolved(room, state)
    new_hands, moves, copied = late_comer(hands, seat, _present(ctx, state), unsolved,
                                          set(_open(room, state)), state.read)
    state.hands.update(new_hands)
    ctx.fact("clues_redealt", seat=seat, reason="joined", received=len(state.hands[seat]),
             moved=len(moves), spare=spare, copied=copied is not None)
    return state


def on_leave(ctx: MoveContext[EscapeState], state: EscapeState) -> EscapeState:
    """Someone left for good: their clues go to the others (or wait for the next to join)."""
    seat = ctx.seat
    if seat is None or not state.room or seat not in state.hands:
        return state
    room = _room(ctx, state)
    leaving = state.hands.pop(seat)
    state.read.pop(seat, None)
    unsolved = _unsolved(room, state)
    remaining = [s for s in _present(ctx, state) if s != seat]
    connected = {s.id for s in ctx.view.seats() if s.connected}
    takers = [s for s in remaining if s in connected] or remaining
    if not takers:
        held = {c for hand in state.hands.values() for c in hand}
        state.spare += [c for c in leaving if puzzle_of_clue(c) in unsolved
                        and c not in held and c not in state.spare]
        ctx.fact("clues_redealt", reason="left", moved=0, spare=len(state.spare))
        return state
    new_hands, moves = rehome(state.hands, leaving, takers, unsolved)
    state.hands.update(new_hands)
    ctx.fact("clues_redealt", reason="left", moved=len(moves), spare=0)
    return state


# -- composing text in every language ----------------------------------------------------------


def _languages(room: Room) -> list[str]:
    return list(dict.fromkeys([*room.translations, *words.LANGUAGES]))


def _compose(room: Room, build: Callable[[str], str]) -> LocalizedText:
    """A text built language by language (titles put into sentences, lists of lines)."""
    return LocalizedText.model_construct({lang: build(lang) for lang in _languages(room)})


def _fill(room: Room, template: LocalizedText, /,
          **texts: LocalizedText | str | int) -> LocalizedText:
    """``template`` with each ``{name}`` filled by a text in the same language."""
    def build(lang: str) -> str:
        values = {k: v.pick(lang) if isinstance(v, LocalizedText) else v
                  for k, v in texts.items()}
        return template.pick(lang).format(**values)
    return _compose(room, build)


def _path_text(room: Room, state: EscapeState) -> LocalizedText:
    if not state.path:
        return words.PATH_EMPTY

    def build(lang: str) -> str:
        parts = []
        for n, step in enumerate(state.path, start=1):
            part = f"{n}. {room.puzzle(step.puzzle).title.pick(lang)}"
            if step.by_leader:
                part += words.PATH_LEADER.pick(lang)
            elif step.hints == 1:
                part += words.PATH_ONE_HINT.pick(lang)
            elif step.hints:
                part += words.PATH_HINTS.pick(lang).format(n=step.hints)
            parts.append(part)
        # One flowing paragraph, not a list: seven or eight lines would push the debrief
        # questions off the screen. (The screen's font has no arrow.)
        return "  ·  ".join(parts)
    return _compose(room, build)


def _questions_text(room: Room) -> LocalizedText:
    return _compose(room, lambda lang: "\n".join(
        f"{n}. {q.pick(lang)}" for n, q in enumerate(room.outro.questions, start=1)))


def _picture_text(room: Room, picture_id: str) -> LocalizedText:
    picture = room.pictures[picture_id]
    return _compose(room, lambda lang: picture.description.pick(lang) + "\n" + "  ·  ".join(
        f"{a.letter}: {a.label.pick(lang)}" for a in picture.areas))


def _answer_text(room: Room, answer: Any, lang: str) -> str:
    """An answer in words, for the leader's panel."""
    if isinstance(answer, CodeAnswer):
        symbols = answer.symbols()
        if answer.alphabet in (CodeAlphabet.digits, CodeAlphabet.letters):
            return "".join(symbols)
        return ", ".join(words.SYMBOL_NAMES[s].pick(lang) for s in symbols)
    if isinstance(answer, TextAnswer):
        first = [v[0] for v in answer.accepted.values() if v]
        return " / ".join(dict.fromkeys(first))
    if isinstance(answer, OrderAnswer):
        return " → ".join(i.label.pick(lang) for i in answer.items)
    if isinstance(answer, MatchAnswer):
        return "; ".join(f"{p.left.label.pick(lang)} = {p.right.label.pick(lang)}"
                         for p in answer.pairs)
    if isinstance(answer, AreaAnswer):
        return answer.area
    if isinstance(answer, ChoiceAnswer):
        return next(o.label.pick(lang) for o in answer.options if o.value == answer.correct)
    return ""


# -- views: the shared screen ------------------------------------------------------------------


def _feedback_block(room: Room, feedback: Feedback) -> TextBlockElement:
    puzzle = room.puzzle(feedback.puzzle)
    if feedback.kind == "solved":
        return TextBlockElement(title=_fill(room, words.OPENED, title=puzzle.title),
                                text=puzzle.solved, style="body")
    if feedback.kind == "step":
        return TextBlockElement(title=puzzle.title, style="body",
                                text=words.STEP_DONE.format(n=feedback.step + 1,
                                                            total=puzzle.step_count()))
    text = words.RESTING if feedback.kind == "resting" else words.NOT_YET
    return TextBlockElement(title=puzzle.title, text=text, style="note")


def _pictures(room: Room, open_now: list[str]) -> list[ImageElement]:
    """The pictures of the locks open now, each once: the group looks at them together on the
    screen (the tablets have only the words)."""
    shown: list[ImageElement] = []
    for picture_id in dict.fromkeys(room.puzzle(pid).picture for pid in open_now):
        image = room.pictures[picture_id].image if picture_id is not None else None
        if image is not None:
            width, height = image.size or (None, None)
            shown.append(ImageElement(src=image.src, alt=image.alt, width=width, height=height,
                                      caption=_areas_text(room, picture_id)))
    return shown


def _areas_text(room: Room, picture_id: str) -> LocalizedText:
    """A picture's places by letter, under the picture: the letters drawn on it, in words."""
    picture = room.pictures[picture_id]
    return _compose(room, lambda lang: "  ·  ".join(
        f"{a.letter}: {a.label.pick(lang)}" for a in picture.areas))


def _screen_blocks(room: Room, state: EscapeState, open_now: list[str]) -> list[Any]:
    """What goes under the lock panel, most needed first, at most :data:`SCREEN_BLOCKS`.

    The screen must stay readable from five metres, so it cannot show everything at once;
    the tablets always do. A picture the group must look at comes first, then the story of a
    lock just opened, the clues someone chose to show (newest first), the latest hint, and
    the gentle "not yet" or "resting" notes last.
    """
    ranked: list[Any] = []
    for picture_id in dict.fromkeys(room.puzzle(pid).picture for pid in open_now):
        # A picture with an image is shown by it, its places under it (see _pictures).
        if picture_id is not None and room.pictures[picture_id].image is None:
            ranked.append(TextBlockElement(title=room.pictures[picture_id].title,
                                           text=_picture_text(room, picture_id)))
    feedback = state.feedback
    if feedback is not None and feedback.kind in ("solved", "step"):
        ranked.append(_feedback_block(room, feedback))
    clues = []
    for shown in reversed(state.on_screen):
        puzzle = room.puzzle(puzzle_of_clue(shown.clue))
        # A text block, not a card: the screen sizes text blocks to their words, while cards
        # share what is left and get squeezed under the lock panel.
        clues.append(TextBlockElement(
            title=_fill(room, words.ON_SCREEN_CLUE, title=puzzle.title),
            text=room.clue_text(shown.clue), style="body"))
    ranked.extend(clues[:1])
    latest = next((h for h in reversed(state.hints) if h.puzzle in open_now), None)
    if latest is not None:
        puzzle = room.puzzle(latest.puzzle)
        ranked.append(TextBlockElement(
            title=_fill(room, words.HINT_TITLE, n=latest.tier, title=puzzle.title),
            text=puzzle.hints_for(latest.step)[latest.tier - 1], style="hint"))
    ranked.extend(clues[1:])
    if feedback is not None and feedback.kind in ("not_yet", "resting"):
        ranked.append(_feedback_block(room, feedback))
    chosen = ranked[:SCREEN_BLOCKS]
    # Keep the screen in a steady order whatever was chosen: the hint sits at the bottom.
    return [e for e in chosen if e.style != "hint"] + [e for e in chosen if e.style == "hint"]


def scene(view: TableView[EscapeState]) -> Scene:
    state = view.state
    if not state.room:  # ended straight from the lobby: there is no room to show
        return Scene(title=words.TITLE, layout="closing",
                     elements=[TextBlockElement(text=words.NOT_ESCAPED, style="body")])
    room = _room(view, state)
    if view.ended or view.phase == "debrief":
        return _closing_scene(view, room)
    if view.phase == "intro":
        return Scene(title=room.title, layout="story", elements=[
            StoryPageElement(title=room.intro.title, body=room.intro.body),
            TextBlockElement(text=words.INTRO_NOTE, style="note"),
            roster(view),
        ])
    open_now = _open(room, state)
    # Only the locks open now: a panel of all seven or eight fills the screen and leaves no
    # room for the clues, hints and pictures the group needs; the header's progress shows how
    # many are open of all.
    elements: list[Any] = [LockPanelElement(locks=[
        LockElement(id=pid, label=room.puzzle(pid).title, available=True) for pid in open_now])]
    elements.extend(_pictures(room, open_now))
    elements.extend(_screen_blocks(room, state, open_now))
    if len(elements) == 1:
        elements.append(TextBlockElement(text=words.LOOK_TOGETHER))
    elements.append(ProgressElement(
        done=len(state.solved), total=len(room.puzzles),
        label=words.LOCKS_PROGRESS.format(n=len(state.solved), total=len(room.puzzles))))
    elements.append(roster(view))
    return Scene(title=room.title, layout="room", elements=elements)


def _closing_scene(view: TableView[EscapeState], room: Room) -> Scene:
    """The debrief: the outro (or a kind word when the room was left unfinished), the way the
    group came, and the questions to talk about."""
    state = view.state
    elements: list[Any] = []
    if state.escaped:
        elements.append(StoryPageElement(title=room.outro.title, body=room.outro.body))
    else:
        elements.append(TextBlockElement(title=words.NOT_ESCAPED_TITLE, text=words.NOT_ESCAPED,
                                         style="body"))
    elements.append(TextBlockElement(title=words.PATH_TITLE, text=_path_text(room, state)))
    elements.append(TextBlockElement(title=words.DEBRIEF_TITLE, text=_questions_text(room)))
    # No roster here: its tiles would take the room the questions need, and the debrief is
    # about the group's way, not about who is who.
    return Scene(title=room.title, layout="closing", elements=elements)


# -- views: each tablet ------------------------------------------------------------------------


def _input(room: Room, state: EscapeState, puzzle: Puzzle, step: int) -> Control:
    answer = puzzle.answers()[step]
    payload = {"puzzle": puzzle.id, "step": step}
    common: dict[str, Any] = {"move": "try_answer", "payload": payload, "field": "value"}
    if isinstance(answer, CodeAnswer):
        return CodeEntryControl(**common, alphabet=answer.alphabet, length=len(answer.symbols()),
                                label=words.ENTER_CODE)
    if isinstance(answer, OrderAnswer):
        by_value = {i.value: i for i in answer.items}
        mixed = state.shuffles.get(f"{puzzle.id}/{step}", list(by_value))
        return OrderControl(**common, label=words.PUT_IN_ORDER,
                            items=[Option(value=v, label=by_value[v].label) for v in mixed])
    if isinstance(answer, MatchAnswer):
        rights = {p.right.value: p.right for p in answer.pairs}
        mixed = state.shuffles.get(f"{puzzle.id}/{step}", list(rights))
        return MatchPairsControl(
            **common, label=words.MATCH_PAIRS,
            left=[Option(value=p.left.value, label=p.left.label) for p in answer.pairs],
            right=[Option(value=v, label=rights[v].label) for v in mixed])
    if isinstance(answer, AreaAnswer):
        picture = room.pictures[puzzle.picture or ""]
        return ChoiceControl(**common, label=words.CHOOSE_PLACE, options=[
            Option(value=a.letter, label=_fill(room, words.AREA_OPTION, letter=a.letter,
                                               label=a.label))
            for a in picture.areas])
    if isinstance(answer, ChoiceAnswer):
        return ChoiceControl(**common, label=words.CHOOSE_ONE, options=[
            Option(value=o.value, label=o.label) for o in answer.options])
    return FreeTextControl(**common, label=words.TYPE_ANSWER, max_length=60,
                           placeholder=words.TYPE_ANSWER)


def _lock_controls(view: TableView[EscapeState], room: Room, puzzle: Puzzle) -> list[Control]:
    state = view.state
    step = _step(state, puzzle.id)
    items: list[Control] = [TextControl(title=puzzle.title, text=puzzle.task)]
    if puzzle.steps:
        items.append(TextControl(title=words.STEP_OF.format(n=step + 1, total=len(puzzle.steps)),
                                 text=puzzle.steps[step].task))
    hints = puzzle.hints_for(step)
    for hint in _hints_of(state, puzzle.id, step):
        items.append(TextControl(title=_fill(room, words.HINT_TITLE, n=hint.tier,
                                             title=puzzle.title),
                                 text=hints[hint.tier - 1], style="hint"))
    rest_until = state.resting.get(puzzle.id)
    feedback = state.feedback
    if rest_until is not None and view.now < rest_until:
        seconds = math.ceil((rest_until - view.now).total_seconds())
        items.append(TextControl(text=words.RESTING_FOR.format(seconds=seconds), style="note"))
    elif feedback is not None and feedback.puzzle == puzzle.id and feedback.kind == "not_yet":
        items.append(TextControl(text=words.NOT_YET, style="note"))
    items.append(_input(room, state, puzzle, step))
    if len(_hints_of(state, puzzle.id, step)) < len(hints):
        items.append(ButtonControl(move="ask_hint", payload={"puzzle": puzzle.id},
                                   label=words.ASK_HINT, tone="secondary"))
    return items


def controls(view: TableView[EscapeState], seat: str) -> list[Control]:
    state = view.state
    if not state.room:
        return []
    room = _room(view, state)
    if view.phase == "intro":
        return [TextControl(title=room.intro.title, text=room.intro.body),
                TextControl(text=words.INTRO_TABLET, style="note"),
                ButtonControl(move="start_room", label=words.READY)]
    if view.phase == "debrief":
        items: list[Control] = []
        if state.escaped:
            items.append(TextControl(title=room.outro.title, text=room.outro.body))
        items.append(TextControl(title=words.PATH_TITLE, text=_path_text(room, state)))
        for n, question in enumerate(room.outro.questions, start=1):
            items.append(TextControl(title=words.QUESTION.format(n=n), text=question,
                                     style="card"))
        return items
    open_now = _open(room, state)
    items = []
    if state.feedback is not None and state.feedback.kind == "solved":
        puzzle = room.puzzle(state.feedback.puzzle)
        items.append(TextControl(title=_fill(room, words.OPENED, title=puzzle.title),
                                 text=puzzle.solved))
    read = set(state.read.get(seat, []))
    mine = [c for c in state.hands.get(seat, []) if puzzle_of_clue(c) in open_now]
    for clue in mine:
        title = room.puzzle(puzzle_of_clue(clue)).title
        if clue in read:
            items.append(TextControl(title=_fill(room, words.YOUR_CLUE, title=title),
                                     text=room.clue_text(clue), style="card", icon="note"))
            items.append(ButtonControl(move="show_clue", payload={"clue": clue},
                                       label=words.SHOW_ON_SCREEN, tone="secondary"))
        else:
            items.append(ButtonControl(move="read_clue", payload={"clue": clue}, icon="note",
                                       label=_fill(room, words.READ_CLUE, title=title)))
    if not mine:
        items.append(TextControl(text=words.NO_CLUES_NOW, style="note"))
    for pid in open_now:
        items.extend(_lock_controls(view, room, room.puzzle(pid)))
    return items


# -- views: the leader's panel -----------------------------------------------------------------


def facilitator(view: TableView[EscapeState]) -> list[InfoRow]:
    state = view.state
    if not state.room:
        return []
    room = _room(view, state)
    lead = next(iter(room.translations))
    rows = [InfoRow(label=_fill(room, words.ROOM_INFO, title=room.title),
                    value=f"{len(state.solved)}/{len(room.puzzles)}"),
            InfoRow(label=words.HINTS_INFO, value=str(len(state.hints)))]
    open_now = _open(room, state) if view.phase == "room" else []
    for pid in open_now:
        puzzle = room.puzzle(pid)
        answer = puzzle.answers()[_step(state, pid)]
        rows.append(InfoRow(label=_fill(room, words.ANSWER_INFO, title=puzzle.title),
                            value=_answer_text(room, answer, lead)))
        rest_until = state.resting.get(pid)
        if rest_until is not None and view.now < rest_until:
            rows.append(InfoRow(label=_fill(room, words.RESTING_INFO, title=puzzle.title),
                                value=str(math.ceil((rest_until - view.now).total_seconds()))))
    for seat in view.seats():
        if seat.connected:
            continue
        held = [c for c in state.hands.get(seat.id, []) if puzzle_of_clue(c) in open_now]
        if held:
            titles = dict.fromkeys(room.puzzle(puzzle_of_clue(c)).title.pick(lead)
                                   for c in held)
            rows.append(InfoRow(label=words.AWAY_INFO.format(name=seat.nickname),
                                value=", ".join(titles)))
    return rows


def choices(content: EscapeContent) -> dict[str, list[Option]]:
    """The rooms to pick from, and every clue and lock for the leader's buttons (each carries
    its room, so a choice from another room is turned down instead of misread)."""
    rooms, clues, puzzles = [], [], []
    for room in content.rooms.values():
        rooms.append(Option(value=room.id, label=room.title))
        for puzzle in room.puzzles:
            puzzles.append(Option(value=f"{room.id}/{puzzle.id}",
                                  label=_fill(room, words.LEADER_PUZZLE_OPTION,
                                              room=room.title, title=puzzle.title)))
            for n, clue in enumerate(puzzle.clue_ids(), start=1):
                clues.append(Option(value=f"{room.id}/{clue}",
                                    label=_fill(room, words.LEADER_CLUE_OPTION, room=room.title,
                                                title=puzzle.title, n=n)))
    return {"room": rooms, "clue": clues, "puzzle": puzzles}


def choices_for(view: TableView[EscapeState]) -> dict[str, list[Option]]:
    """The leader's menus at a running table: only this table's room, and in it only the
    locks open now and their clues, so the choice shown first is one that works."""
    state = view.state
    if not state.room:
        return {"clue": [], "puzzle": []}
    room = _room(view, state)
    clues, puzzles = [], []
    for pid in _open(room, state):
        puzzle = room.puzzle(pid)
        puzzles.append(Option(value=f"{room.id}/{pid}",
                              label=_fill(room, words.LEADER_PUZZLE_OPTION, room=room.title,
                                          title=puzzle.title)))
        for n, clue in enumerate(puzzle.clue_ids(), start=1):
            clues.append(Option(value=f"{room.id}/{clue}",
                                label=_fill(room, words.LEADER_CLUE_OPTION, room=room.title,
                                            title=puzzle.title, n=n)))
    return {"clue": clues, "puzzle": puzzles}


ROOM_MOVES = frozenset({"read_clue", "show_clue", "try_answer", "ask_hint", "show_clue_for_all",
                        "clear_screen", "give_hint", "open_lock"})

module = define_game(
    id="escape_room",
    version=1,
    title=words.TITLE,
    description=words.DESCRIPTION,
    min_seats=2,
    max_seats=6,
    state_type=EscapeState,
    options_type=EscapeOptions,
    content_type=EscapeContent,
    content_dir="escape_room",
    setup=setup,
    moves={
        "start_room": Move(start_room, who=Who.any),
        "open_room": Move(start_room, who=Who.facilitator, label=words.OPEN_ROOM),
        "read_clue": Move(read_clue, payload=CluePayload, who=Who.any),
        "show_clue": Move(show_clue, payload=CluePayload, who=Who.any),
        "try_answer": Move(try_answer, payload=AnswerPayload, who=Who.any),
        "ask_hint": Move(ask_hint, payload=PuzzlePayload, who=Who.any),
        "show_clue_for_all": Move(leader_show_clue, payload=CluePayload, who=Who.facilitator,
                                  label=words.SHOW_CLUE_LEADER),
        "clear_screen": Move(clear_screen, who=Who.facilitator, label=words.CLEAR_SCREEN),
        "give_hint": Move(give_hint, payload=LeaderHintPayload, who=Who.facilitator,
                          label=words.GIVE_HINT),
        "open_lock": Move(open_lock, payload=PuzzlePayload, who=Who.facilitator,
                          label=words.OPEN_LOCK),
    },
    phases={
        "intro": Phase(flow=Flow.free, moves=frozenset({"start_room", "open_room"})),
        "room": Phase(flow=Flow.free, moves=ROOM_MOVES),
        "debrief": Phase(flow=Flow.free, moves=frozenset()),
    },
    start_phase="intro",
    on_join=on_join,
    on_leave=on_leave,
    scene=scene,
    controls=controls,
    facilitator=facilitator,
    choices=choices,
    choices_for=choices_for,
    contributions={
        "clue_shown_on_screen": Contribution(ContributionKind.clues, words.CLUES_SHARED),
        "puzzle_solved": Contribution(ContributionKind.clues, words.LOCKS_OPENED),
    },
)
