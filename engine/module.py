"""The GameModule contract: what a game is, as one declarative object of pure functions.

A game is a package under ``games/`` exposing one :class:`GameModule`, made with
:func:`define_game`. Its state is a pydantic model (JSON-serialisable), its moves are pure
functions ``(ctx, state, payload) -> state``, and its three views turn state into declarative
models: a :class:`~engine.scene.Scene` for the shared screen, a list of
:mod:`~engine.controls` for each tablet, and a :class:`~engine.panel.FacilitatorView`.

A move function receives its own copy of the state: it may change it and return it, or return
``ctx.refuse(...)`` to turn the move down with a reason; nothing it did then counts.

Example — the smallest game: everyone says one thing, in turn::

    class State(BaseModel):
        said: int = 0

    def say(ctx: MoveContext, state: State, payload: NoPayload) -> State:
        state.said += 1
        ctx.fact("turn_taken", seat=ctx.seat)
        return state

    module = define_game(
        id="say", version=1, title=LocalizedText({"en": "Say"}),
        state_type=State, setup=lambda ctx: State(),
        moves={"say": Move(say, ends_turn=True)},
        scene=lambda view: Scene(), controls=lambda view, seat: [],
        end_if=lambda view: view.round > 1,
    )
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from .assembled import assembled
from .audience import Audience
from .controls import Control, Option
from .panel import InfoRow
from .proposals import PROPOSAL_MOVES, Proposals
from .rng import RandomSource
from .scene import Scene
from .sealed import ERASED, Sealed
from .text import LocalizedText

__all__ = [
    "ENGINE_MOVES",
    "Contribution",
    "ContributionKind",
    "Fact",
    "Flow",
    "GameModule",
    "ImportNote",
    "ImportResult",
    "Importer",
    "ModuleError",
    "Move",
    "MoveContext",
    "NoOptions",
    "NoPayload",
    "Phase",
    "PlannedMeeting",
    "Programme",
    "Refusal",
    "SetupContext",
    "TableView",
    "Who",
    "define_game",
]

S = TypeVar("S", bound=BaseModel)

#: Move names the engine keeps for itself.
ENGINE_MOVES = frozenset({"pass", "join", "leave", "start", "pause", "resume", "skip", "end",
                          "hint", "timer", "tick", "presence", "create"}) | PROPOSAL_MOVES


class ModuleError(Exception):
    """A game module is not well formed. Raised at registration, for the module's developer."""


class NoPayload(BaseModel):
    """The payload of a move that carries nothing."""

    model_config = ConfigDict(extra="forbid")


class NoOptions(BaseModel):
    """The options of a game that has none."""

    model_config = ConfigDict(extra="forbid")


class Flow(StrEnum):
    turns = "turns"
    """One seat at a time, in join order."""
    together = "together"
    """Everyone at once (a vote, a round of answers); the phase ends when all have responded."""
    free = "free"
    """Everyone acts whenever they like (a co-operative room): nobody has a turn and nothing
    waits for anyone, so there is nothing to pass."""


class Who(StrEnum):
    turn = "turn"
    """The seat whose turn it is (in a together phase: any seat that has not responded yet;
    in a free phase: any seat)."""
    any = "any"
    """Any seat at any time while playing."""
    others = "others"
    """Any seat but the one whose turn it is (reactions to the speaker)."""
    facilitator = "facilitator"
    """Only the leader, from the panel."""


class Fact(BaseModel):
    """Something that happened, kept in the event log: ``turn_passed`` by ``s2``.

    Participation records are read from facts; a fact never carries a private answer.
    """

    model_config = ConfigDict(extra="forbid")

    kind: str
    seat: str | None = None
    data: dict[str, Any] = {}



def fact_of(kind: str, seat: str | None, data: dict[str, Any]) -> Fact:
    """``Fact(kind=kind, seat=seat, data=data)`` for ``data`` made of keyword arguments (its
    keys are text; its values are ``Any``, which validation leaves as they are), the same
    model without validating it: every move records a few facts, and validating them was
    about a tenth of what ``apply`` cost. A kind or seat other than plain text (another
    type, a subclass) is validated as ever, and refused as ever."""
    if kind.__class__ is not str or (seat is not None and seat.__class__ is not str):
        return Fact(kind=kind, seat=seat, data=data)
    return assembled(Fact, {"kind": kind, "seat": seat, "data": data})


@dataclass(frozen=True)
class Refusal:
    """A move turned down by the game, with its reason in the reader's language."""

    key: str
    message: LocalizedText


@dataclass(frozen=True)
class TableView(Generic[S]):
    """What views and rules may read: the table's engine state, the game state, content,
    options. Read-only by convention; views must not change it."""

    meta: Any  # engine.table.TableMeta; typed loosely to keep this module import-light
    state: S
    content: Any
    options: Any
    private: Mapping[str, Any] = field(default_factory=dict)
    """The table's private values by reference; read them with :meth:`opened`."""

    def opened(self, sealed: Sealed) -> Any:
        """A private value (:mod:`engine.sealed`) as JSON data, or :data:`ERASED` when it is
        gone. Only for what a seat's own tablet shows, or what its owner chose to show."""
        return self.private.get(sealed.ref, ERASED)

    @property
    def round(self) -> int:
        return int(self.meta.turn.round)

    @property
    def current(self) -> str | None:
        current: str | None = self.meta.turn.current
        return current

    @property
    def phase(self) -> str:
        return str(self.meta.turn.phase)

    @property
    def now(self) -> datetime:
        """The time of the action being applied (the engine reads no clock)."""
        now: datetime = self.meta.clock
        return now

    @property
    def ended(self) -> bool:
        return bool(self.meta.status == "ended")

    def seats(self) -> list[Any]:
        """The seats still at the table, in turn order."""
        return [s for s in self.meta.seats if not s.gone]

    def seat(self, seat_id: str) -> Any:
        for s in self.meta.seats:
            if s.id == seat_id:
                return s
        raise KeyError(seat_id)

    def nickname(self, seat_id: str | None) -> str:
        if seat_id is None:
            return ""
        return str(self.seat(seat_id).nickname)

    def waiting(self) -> list[str]:
        """Seats still expected to respond in a together phase."""
        return list(self.meta.turn.waiting)


class MoveContext(Generic[S]):
    """Handed to moves and hooks: who acts, the random stream, and the flow requests.

    Changing the flow (ending the turn, changing phase, ending the game) is a request the
    engine carries out after the move returns, so a refused move requests nothing.
    """

    def __init__(self, view: TableView[S], actor: str | None, random: RandomSource) -> None:
        self.view = view
        self.seat = actor
        """The seat acting, or ``None`` for the facilitator."""
        self.random = random
        self.facts: list[Fact] = []
        self.end_turn_requested = False
        self.next_phase: str | None = None
        self.end_requested = False

    @property
    def content(self) -> Any:
        return self.view.content

    @property
    def options(self) -> Any:
        return self.view.options

    @property
    def current(self) -> str | None:
        return self.view.current

    def fact(self, kind: str, seat: str | None = None, **data: Any) -> None:
        """Record that something happened (for the log and the participation record)."""
        self.facts.append(fact_of(kind, seat, data))

    def end_turn(self) -> None:
        self.end_turn_requested = True

    def set_phase(self, name: str) -> None:
        self.next_phase = name

    def end_game(self) -> None:
        self.end_requested = True

    def refuse(self, key: str, message: LocalizedText) -> Refusal:
        """Turn the move down: ``return ctx.refuse("already_redrawn", TEXT)``."""
        return Refusal(key=key, message=message)


@dataclass(frozen=True)
class SetupContext:
    """Handed to ``setup``: the seats at the start, content, options and the random stream."""

    seats: list[str]
    content: Any
    options: Any
    random: RandomSource
    now: datetime
    """When the table started (the hub's stamp on the start action)."""


MoveFn = Callable[[MoveContext[Any], Any, Any], Any]
Hook = Callable[[MoveContext[Any], Any], Any]


@dataclass(frozen=True)
class Move:
    """One move: its function, the payload model it accepts, and who may make it.

    ``ends_turn`` ends the mover's turn (in a together phase: marks the seat as responded) once
    the move succeeds.
    """

    fn: MoveFn
    payload: type[BaseModel] = NoPayload
    who: Who = Who.turn
    ends_turn: bool = False
    label: LocalizedText | None = None
    """Words for the leader's button, for facilitator moves."""


@dataclass(frozen=True)
class Phase:
    """A part of the game with its own flow and allowed moves.

    ``on_begin`` runs when the phase starts; in a together phase ``on_end`` runs when every
    seat has responded (or the leader skips), then the game moves to ``next``.
    """

    flow: Flow = Flow.turns
    moves: frozenset[str] | None = None
    on_begin: Hook | None = None
    on_end: Hook | None = None
    next: str | None = None


@dataclass(frozen=True)
class GameModule(Generic[S]):
    """A registered game. Make one with :func:`define_game`, which checks it."""

    id: str
    version: int
    title: LocalizedText
    description: LocalizedText
    min_seats: int
    max_seats: int
    state_type: type[S]
    setup: Callable[[SetupContext], S]
    moves: Mapping[str, Move]
    phases: Mapping[str, Phase]
    start_phase: str
    scene: Callable[[TableView[S]], Scene]
    controls: Callable[[TableView[S], str], list[Control]]
    facilitator: Callable[[TableView[S]], list[InfoRow]]
    end_if: Callable[[TableView[S]], bool] | None
    options_type: type[BaseModel]
    content_type: type[BaseModel] | None
    content_dir: str | None
    on_turn_begin: Hook | None
    on_pass: Hook | None
    on_join: Hook | None
    on_leave: Hook | None
    replays_versions: frozenset[int] = field(default_factory=frozenset)
    choices: Callable[[Any], dict[str, list[Option]]] | None = None
    """Choices for option and payload fields, from the content (e.g. the decks to pick)."""
    choices_for: Callable[[TableView[Any]], dict[str, list[Option]]] | None = None
    """Choices for the leader's move forms at a running table, from its view (e.g. only the
    locks of this table's room that are open now); fields it leaves out fall back to
    ``choices``."""
    contributions: Mapping[str, Contribution] = field(default_factory=dict)
    """Which of the game's facts count as which kind of taking part in the records."""
    programme: Callable[[Any], Programme | None] | None = None
    """The game's programme of meetings, made from its content (or ``None``)."""
    importers: Mapping[str, Importer] = field(default_factory=dict)
    """Importers of content written with other tools, by the source file's suffix
    (``".twee"``)."""
    proposals: Proposals | None = None
    """Where participants may propose their own words, and what an accepted proposal does
    (``None``: this game takes no proposals)."""
    migrate: Callable[[int, dict[str, Any]], dict[str, Any]] | None = None
    """``migrate(old_version, state)``: a table's state as an older version of this game
    wrote it (JSON data), changed into what this version reads. Given it, a table left running
    under an older version resumes from its latest snapshot (see :func:`engine.log.replay`)."""
    audience: Audience | None = None
    """The game's audience-safe views (:mod:`engine.audience`): only a game that gives them
    offers an audience (``None``: never watched by anyone outside the group)."""
    controls_key: Callable[[TableView[S], str], Hashable] | None = None
    """``controls_key(view, seat)``: everything ``controls(view, seat)`` is made from, as a
    hashable value (a tuple). Two seats, or two versions of a table, with equal keys get the
    same controls, made once and shared (issue 20: most tablets of a turn see the same
    thing). ``None``: each seat's controls are made anew for every version."""

    def can_replay(self, version: int) -> bool:
        """Whether a log written by ``version`` of this game replays identically here."""
        return version == self.version or version in self.replays_versions



class ContributionKind(StrEnum):
    """The kinds of taking part that a participation record counts (what a group leader would
    call them). A game says which of its facts count as which kind (:class:`Contribution`);
    passing never counts against anyone and is not one of them."""

    turns = "turns"
    answers = "answers"
    votes = "votes"
    reactions = "reactions"
    clues = "clues"
    proposals = "proposals"
    """Own proposals written for the leader to read (a card, a question, a story option)."""
    proposals_accepted = "proposals_accepted"
    """Of those proposals, the ones the leader accepted: a part of :attr:`proposals`, so never
    added to it in a total."""


@dataclass(frozen=True)
class Contribution:
    """One of a game's facts counted in the records, e.g. ``"clue_shown_on_screen"`` as
    :attr:`ContributionKind.clues`, with the words the leader reads for it ("Clues shared")."""

    kind: ContributionKind
    label: LocalizedText


@dataclass(frozen=True)
class PlannedMeeting:
    """One meeting of a programme: its theme, the game's options for it, and a note for the
    leader. Meetings are held a week apart, in order."""

    theme: LocalizedText
    options: Mapping[str, Any] = field(default_factory=dict)
    leader_note: LocalizedText | None = None


@dataclass(frozen=True)
class Programme:
    """A plan of meetings for a group period that a game offers (made from its content): the
    panel offers "plan from a programme" for every installed game that has one."""

    title: LocalizedText
    meetings: tuple[PlannedMeeting, ...]


Severity = Literal["warning", "error"]


@dataclass(frozen=True)
class ImportNote:
    """Something an importer could not carry over from a source file, at its line (from 1;
    ``None`` for the file as a whole). A warning still lets the file be written; an error
    does not."""

    line: int | None
    severity: Severity
    message: str


@dataclass(frozen=True)
class ImportResult:
    """What an importer made of a source file: a content file's text (YAML) and its notes."""

    text: str
    """The content file, ready to write (empty when an error kept it from being made)."""
    name: str
    """The content file's name without ``.yaml`` (for a story, its id)."""
    notes: tuple[ImportNote, ...] = ()
    source_lines: Mapping[int, int] = field(default_factory=dict)
    """For a line of ``text``, the line of the source it was made from, so that a problem the
    content check finds in the written file can be shown at the line the writer wrote."""

    @property
    def failed(self) -> bool:
        return any(note.severity == "error" for note in self.notes)


@dataclass(frozen=True)
class Importer:
    """Brings content written with another tool into a game (``piiri <game> import FILE``).

    ``convert(text, source_name, language)`` is pure: it gets the source file's text, its name
    (for messages) and the language the text is written in, and returns an
    :class:`ImportResult`. The command reads and writes the files; the written file is checked
    against ``file_type`` like any content file, and by default goes to ``folder`` inside the
    game's content folder.
    """

    convert: Callable[[str, str, str], ImportResult]
    file_type: type[BaseModel]
    folder: str = ""
    description: str = ""
    """What the source is, for the command's help ("a Twee 3 file from Twine 2 or Tweego")."""


def define_game(
    *,
    id: str,
    version: int,
    title: LocalizedText,
    state_type: type[S],
    setup: Callable[[SetupContext], S],
    moves: Mapping[str, Move],
    scene: Callable[[TableView[S]], Scene],
    controls: Callable[[TableView[S], str], list[Control]],
    facilitator: Callable[[TableView[S]], list[InfoRow]] | None = None,
    description: LocalizedText | None = None,
    min_seats: int = 1,
    max_seats: int = 12,
    phases: Mapping[str, Phase] | None = None,
    start_phase: str | None = None,
    end_if: Callable[[TableView[S]], bool] | None = None,
    options_type: type[BaseModel] = NoOptions,
    content_type: type[BaseModel] | None = None,
    content_dir: str | None = None,
    on_turn_begin: Hook | None = None,
    on_pass: Hook | None = None,
    on_join: Hook | None = None,
    on_leave: Hook | None = None,
    replays_versions: frozenset[int] = frozenset(),
    choices: Callable[[Any], dict[str, list[Option]]] | None = None,
    choices_for: Callable[[TableView[S]], dict[str, list[Option]]] | None = None,
    contributions: Mapping[str, Contribution] | None = None,
    programme: Callable[[Any], Programme | None] | None = None,
    importers: Mapping[str, Importer] | None = None,
    proposals: Proposals | None = None,
    migrate: Callable[[int, dict[str, Any]], dict[str, Any]] | None = None,
    audience: Audience | None = None,
    controls_key: Callable[[TableView[S], str], Hashable] | None = None,
) -> GameModule[S]:
    """Check a game's parts once and return the registered form.

    Raises:
        ModuleError: with a sentence naming what is wrong, for the module's developer.
    """
    problems: list[str] = []
    if not id.isidentifier() or id != id.lower():
        problems.append(f"id '{id}' must be a lowercase Python identifier")
    if version < 1:
        problems.append("version must be 1 or more")
    if not 1 <= min_seats <= max_seats:
        problems.append(f"seats must satisfy 1 <= min ({min_seats}) <= max ({max_seats})")
    phases = dict(phases or {"play": Phase()})
    start = start_phase or next(iter(phases))
    if start not in phases:
        problems.append(f"start phase '{start}' is not among the phases {sorted(phases)}")
    for name, move in moves.items():
        if name in ENGINE_MOVES:
            problems.append(f"move '{name}' is reserved by the engine")
        if not (isinstance(move.payload, type) and issubclass(move.payload, BaseModel)):
            problems.append(f"move '{name}' payload must be a pydantic model class")
    for pname, phase in phases.items():
        unknown = sorted((phase.moves or frozenset()) - set(moves))
        if unknown:
            problems.append(f"phase '{pname}' allows unknown moves {unknown}")
        if phase.next is not None and phase.next not in phases:
            problems.append(f"phase '{pname}' goes next to unknown phase '{phase.next}'")
    if content_type is not None and content_dir is None:
        problems.append("a game with a content_type needs a content_dir")
    for fact, counted in (contributions or {}).items():
        if not fact.isidentifier() or not isinstance(counted, Contribution):
            problems.append(f"contribution '{fact}' must name a fact and give a Contribution")
    if programme is not None and content_type is None:
        problems.append("a programme is made from content: give the game a content_type")
    for suffix, importer in (importers or {}).items():
        if not re.fullmatch(r"\.[a-z0-9]+", suffix) or not isinstance(importer, Importer):
            problems.append(f"importer '{suffix}' must be a file suffix such as '.twee' and "
                            "give an Importer")
    if importers and content_type is None:
        problems.append("an importer makes content: give the game a content_type")
    if proposals is not None and not isinstance(proposals, Proposals):
        problems.append("proposals must be a Proposals")
    if audience is not None and not isinstance(audience, Audience):
        problems.append("audience must be an Audience (engine.audience)")
    if problems:
        raise ModuleError(f"game '{id}': " + "; ".join(problems))
    return GameModule(
        id=id,
        version=version,
        title=title,
        description=description or title,
        min_seats=min_seats,
        max_seats=max_seats,
        state_type=state_type,
        setup=setup,
        moves=dict(moves),
        phases=phases,
        start_phase=start,
        scene=scene,
        controls=controls,
        facilitator=facilitator or (lambda view: []),
        end_if=end_if,
        options_type=options_type,
        content_type=content_type,
        content_dir=content_dir,
        on_turn_begin=on_turn_begin,
        on_pass=on_pass,
        on_join=on_join,
        on_leave=on_leave,
        replays_versions=replays_versions,
        choices=choices,
        choices_for=choices_for,
        contributions=dict(contributions or {}),
        programme=programme,
        importers=dict(importers or {}),
        proposals=proposals,
        migrate=migrate,
        audience=audience,
        controls_key=controls_key,
    )
