"""The Table: seats, lifecycle and turns around one game, as a pure reducer.

``Table.apply(action)`` returns :class:`Accepted` (a new table and the event to append to the
log) or :class:`Rejected` (a reason code and a message in every language). A rejected action
leaves the table exactly as it was, and ``apply`` never raises for anything a participant or
leader can send: even a bug in a game module becomes a rejection.

Rules no game can switch off live here: any seat can pass whatever is asked of it; the leader
can pause, resume, skip, end and send hints; timers are soft and never score anyone.

Example::

    created = Table.create(module, content, table_id="t1", seed=42, at=now)
    table = created.table
    result = table.apply(Join(at=now, nickname="Aino", avatar=Avatar(icon="sun", colour=...)))
    if isinstance(result, Accepted):
        table = result.table
        log.append(result.event)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable, Mapping
from contextlib import suppress
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum, StrEnum
from functools import lru_cache
from types import UnionType
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticUndefined

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - a dependency; pydantic alone gives the same bytes
    _orjson = None  # type: ignore[assignment]

from . import proposals as _proposals
from .actions import (
    Action,
    CheckinMark,
    CloseCheckin,
    CloseSideRound,
    CreateTable,
    EndTable,
    GiveHint,
    Join,
    Leave,
    MakeMove,
    OpenCheckin,
    OpenSideRound,
    PassTurn,
    PauseTable,
    Presence,
    ResumeTable,
    SetTimer,
    SideRoundStep,
    SkipTurn,
    StartTable,
    Tick,
    TieMember,
)
from .assembled import assembled
from .controls import PassControl, ProposalControl, SeatControls, TextControl
from .messages import message
from .module import (
    Fact,
    Flow,
    GameModule,
    MoveContext,
    NoPayload,
    Refusal,
    SetupContext,
    TableView,
    Who,
    fact_of,
)
from .panel import FacilitatorAction, FacilitatorView, InfoRow, SeatSummary
from .privacy import IDENTITY_CODE_REFUSAL, looks_like_identity_code
from .proposals import (
    PROPOSAL_MOVES,
    AcceptPayload,
    Proposal,
    ProposalQueue,
    ProposePayload,
    ReturnPayload,
)
from .rng import RandomSource, RngState
from .scene import (
    Avatar,
    AvatarColour,
    AvatarIcon,
    JoinCardElement,
    PauseOverlay,
    ProgressElement,
    RosterElement,
    RosterEntry,
    Scene,
    SeatStatus,
    TextBlockElement,
    TimerElement,
)
from .sealed import PrivateValueError, split_private
from .text import LocalizedText

__all__ = [
    "Accepted",
    "CheckinState",
    "Event",
    "Reason",
    "Rejected",
    "Result",
    "Seat",
    "SideRoundState",
    "Snapshot",
    "Table",
    "TableMeta",
    "TableStatus",
    "content_fingerprint",
    "roster",
]

M = TypeVar("M", bound=BaseModel)

#: While a timer runs the hub ticks at least this often; a longer silence means the laptop slept.
TICK_INTERVAL_MS = 30_000
SLEEP_GAP_MS = 90_000
_MAX_FLOW_STEPS = 64


class TableStatus(StrEnum):
    lobby = "lobby"
    playing = "playing"
    paused = "paused"
    ended = "ended"


class Reason(StrEnum):
    """Why an action was not accepted. Each has a message ``reject.<reason>``."""

    not_your_turn = "not_your_turn"
    unknown_move = "unknown_move"
    bad_payload = "bad_payload"
    not_now = "not_now"
    paused = "paused"
    not_started = "not_started"
    already_started = "already_started"
    ended = "ended"
    unknown_seat = "unknown_seat"
    seat_gone = "seat_gone"
    table_full = "table_full"
    too_few_seats = "too_few_seats"
    nothing_to_pass = "nothing_to_pass"
    facilitator_only = "facilitator_only"
    name_taken = "name_taken"
    no_timer = "no_timer"
    needs_tick = "needs_tick"
    """The clock jumped (the laptop slept): apply a Tick at this time first, then retry."""
    refused = "refused"
    """The game turned the move down; its own message says why."""
    game_error = "game_error"
    """The game module failed; nothing was changed."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Seat(_Model):
    # A move copies a seat it changes with _clone_seat: a new field that is changed in place
    # (a list, a dict, a model) must be copied there too.
    id: str
    nickname: str
    avatar: Avatar
    member: str | None = None
    member_confirmed: bool = False
    """The leader has confirmed which member sits here (a roster pick alone is not enough to
    show someone's earlier check-in results on a tablet that may pass between people)."""
    connected: bool = True
    gone: bool = False
    counts: dict[str, int] = Field(default_factory=dict)


class TurnState(_Model):
    phase: str = ""
    order: list[str] = Field(default_factory=list)
    current: str | None = None
    last: str | None = None
    """Whose turn it was before a together phase; turns go on from the seat after."""
    round: int = 0
    number: int = 0
    waiting: list[str] = Field(default_factory=list)
    responded: list[str] = Field(default_factory=list)
    passed: list[str] = Field(default_factory=list)


class TimerState(_Model):
    total_ms: int
    remaining_ms: int
    expired: bool = False


class HintState(_Model):
    text: str
    to: str | None = None


class SeatCheckin(_Model):
    """How far one seat is in a check-in round, never what it answered."""

    consent: Literal["asked", "given", "declined", "withdrawn"] = "asked"
    answered: int = 0
    skipped: int = 0
    finished: bool = False

    @property
    def done(self) -> bool:
        """Finished, declined or withdrawn: the shared screen counts all alike, so nobody can
        tell who said no."""
        return self.finished or self.consent in ("declined", "withdrawn")

    @property
    def next_item(self) -> int:
        return self.answered + self.skipped


class CheckinState(_Model):
    """A check-in round in progress at this table (answers are kept elsewhere, encrypted)."""

    round: str
    items: int
    resume: bool = False
    """Whether the game was running when the round opened (it goes on when the round ends)."""
    seats: dict[str, SeatCheckin] = Field(default_factory=dict)

    def progress(self, seat_id: str) -> SeatCheckin:
        return self.seats.get(seat_id) or SeatCheckin()

    def done_among(self, seat_ids: list[str]) -> int:
        """How many of these seats are done (finished, declined or withdrawn alike)."""
        return sum(1 for s in seat_ids if self.progress(s).done)


class SideRoundState(_Model):
    """A side round other than a check-in (e.g. the group's feedback after the game): how
    many items each seat has been through, answered or skipped alike, never what it answered.
    It may run after the game has ended."""

    name: str
    title: LocalizedText
    items: int
    resume: bool = False
    """Whether the game was running when the round opened (it goes on when the round ends)."""
    seats: dict[str, int] = Field(default_factory=dict)

    def steps(self, seat_id: str) -> int:
        return self.seats.get(seat_id, 0)

    def done_among(self, seat_ids: list[str]) -> int:
        """How many of these seats have been through every item."""
        return sum(1 for s in seat_ids if self.steps(s) >= self.items)


class TableMeta(_Model):
    """The engine's part of a table's state; the game's part is kept beside it."""

    table_id: str
    game: str
    game_version: int
    content_hash: str
    room_code: str = ""
    options: dict[str, Any] = Field(default_factory=dict)
    status: TableStatus = TableStatus.lobby
    started: bool = False
    seats: list[Seat] = Field(default_factory=list)
    seats_made: int = 0
    turn: TurnState = Field(default_factory=TurnState)
    timer: TimerState | None = None
    rng: RngState
    clock: datetime | None = None
    hint: HintState | None = None
    pause_reason: str | None = None
    checkin: CheckinState | None = None
    side: SideRoundState | None = None
    proposals: ProposalQueue = Field(default_factory=ProposalQueue)
    """What participants have proposed (see :mod:`engine.proposals`); only the leader's view
    and each writer's own tablet show a proposal before it is accepted."""
    seq: int = 0


class Event(_Model):
    """One line of the append-only log: the accepted action and the facts it produced."""

    seq: int
    action: Action
    facts: list[Fact] = Field(default_factory=list)
    private: dict[str, Any] = Field(default_factory=dict, exclude=True, repr=False)
    """The private values this event's move took out of its payload, by reference (see
    :mod:`engine.sealed`), for the server to keep sealed. Never serialised: the log has only
    the references."""


class Snapshot(_Model):
    """The whole table at ``seq``, so a long session replays from here instead of event 1."""

    seq: int
    meta: TableMeta
    state: dict[str, Any]
    fingerprint: str


@dataclass(frozen=True)
class Rejected:
    """An action that changed nothing, with its reason in every language."""

    reason: Reason
    message: LocalizedText
    message_key: str
    detail: str = ""

    @classmethod
    def because(cls, reason: Reason, detail: str = "") -> Rejected:
        key = f"reject.{reason.value}"
        return cls(reason=reason, message=message(key), message_key=key, detail=detail)


@dataclass(frozen=True)
class Accepted:
    table: Table
    event: Event

    @property
    def events(self) -> list[Event]:
        return [self.event]


Result = Accepted | Rejected


class _Refused(Exception):
    def __init__(self, rejected: Rejected) -> None:
        self.rejected = rejected


def _refuse(reason: Reason, detail: str = "") -> _Refused:
    return _Refused(Rejected.because(reason, detail))


_set = object.__setattr__
#: Kinds of value a move can only replace, never change, so a copy shares them: text, numbers,
#: dates and (learnt the first time one is met) every enum.
_ATOMS: set[type] = {str, int, float, bool, type(None), bytes, datetime, date, time, timedelta,
                     Decimal}
_PLANS: dict[type[BaseModel], tuple[tuple[str, Callable[[Any], Any]], ...]] = {}
"""For each model class, how to copy each of its fields that is not an atom."""


def _clone(model: M) -> M:
    """A deep copy of a pydantic model of plain data (a game's state, a seat), for one move to
    change: every nested model, list and dict is new, every atom is shared. It is what
    ``model_validate(model.model_dump())`` gives for valid data, without dumping and validating
    again (which was most of what a move cost), and keeps exactly what was set
    (``model_fields_set``) and any private attributes."""
    cls = model.__class__
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _plan(cls)
    fields = model.__dict__.copy()
    for name, how in plan:
        value = fields.get(name)
        if value is not None:
            fields[name] = how(value)
    copy = cls.__new__(cls)
    _set(copy, "__dict__", fields)
    _set(copy, "__pydantic_fields_set__", set(model.__pydantic_fields_set__))
    extra = model.__pydantic_extra__
    _set(copy, "__pydantic_extra__", None if extra is None else _copy(extra))
    private = model.__pydantic_private__
    _set(copy, "__pydantic_private__", None if private is None else
         {k: _copy(v) for k, v in private.items() if v is not PydanticUndefined})
    return copy


def _plan(cls: type[BaseModel]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """How :func:`_clone` copies the fields of ``cls``, from their types: an atom is shared,
    a list, dict or set of atoms copied with ``list``, ``dict`` or ``set``, anything else
    (a model, a list of models, ``Any``) copied by what it holds (:func:`_copy`)."""
    plan: list[tuple[str, Callable[[Any], Any]]] = []
    for name, field in cls.model_fields.items():
        annotation = _without_none(field.annotation)
        if _atomic(annotation):
            continue
        origin, args = get_origin(annotation), get_args(annotation)
        if origin is list and len(args) == 1 and _atomic(args[0]):
            plan.append((name, list))
        elif origin is set and len(args) == 1 and _atomic(args[0]):
            plan.append((name, set))
        elif origin is dict and len(args) == 2 and _atomic(args[0]) and _atomic(args[1]):
            plan.append((name, dict))
        else:
            plan.append((name, _copy))
    return tuple(plan)


def _without_none(annotation: Any) -> Any:
    """``X`` for ``X | None`` (a field that is ``None`` is not copied)."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _atomic(annotation: Any) -> bool:
    """Whether every value of this type is an atom (text, number, date, enum, a literal)."""
    if annotation in _ATOMS:
        return True
    if isinstance(annotation, type):
        return issubclass(annotation, Enum)
    origin = get_origin(annotation)
    if origin is Literal:
        return all(arg.__class__ in _ATOMS or isinstance(arg, Enum)
                   for arg in get_args(annotation))
    if origin in (Union, UnionType):
        return all(_atomic(arg) for arg in get_args(annotation))
    return False


def _copy(value: Any) -> Any:
    """A deep copy of a value of unknown kind in a model (see :func:`_clone`)."""
    cls = value.__class__
    if cls in _ATOMS:
        return value
    if cls is list:
        return [v if v.__class__ in _ATOMS else _copy(v) for v in value]
    if cls is dict:
        return {k: v if v.__class__ in _ATOMS else _copy(v) for k, v in value.items()}
    if isinstance(value, BaseModel):
        return _clone(value)
    if isinstance(value, Enum):
        _ATOMS.add(cls)
        return value
    if cls is tuple:
        return tuple(_copy(v) for v in value)
    if cls is set or cls is frozenset:
        return cls(_copy(v) for v in value)
    return deepcopy(value)  # anything else a game keeps: the slow way, but right


def _clone_seat(seat: Seat) -> Seat:
    """A copy of ``seat`` for one move to change (what :func:`_clone` makes, but sharing the
    avatar: no move changes a seat's avatar, and copying it was a third of a seat's copy)."""
    fields = seat.__dict__.copy()
    fields["counts"] = dict(fields["counts"])
    return assembled(Seat, fields, set(seat.__pydantic_fields_set__))


def _clone_meta(meta: TableMeta) -> TableMeta:
    """A copy of ``meta`` to change in one move, made field by field.

    Shared with the table before the move (a move copies them first, or only replaces them):
    the seats (:meth:`_Work.seat` with ``change``, :meth:`_Work.own`), the proposals
    (:meth:`_Work.proposals`), and what is only ever replaced, never changed (the options, the
    random stream's state, the hint, the clock). Copied: the turn, the timer and the open
    check-in or side round, which moves change in place."""
    fields = dict(meta.__dict__)
    fields["seats"] = list(fields["seats"])
    fields["turn"] = _clone(fields["turn"])
    for name in ("timer", "checkin", "side"):
        value = fields[name]
        if value is not None:
            fields[name] = _clone(value)
    return assembled(TableMeta, fields, set(meta.__pydantic_fields_set__))


def content_fingerprint(content: BaseModel | None) -> str:
    """A short hash of the content a table uses, recorded in its log."""
    if content is None:
        return "none"
    data = content.model_dump_json().encode()
    return hashlib.sha256(data).hexdigest()[:16]


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _seat_status(seat: Seat, turn: TurnState) -> SeatStatus:
    if not seat.connected:
        return SeatStatus.away
    if seat.id == turn.current:
        return SeatStatus.turn
    if seat.id in turn.passed:
        return SeatStatus.passed
    if seat.id in turn.responded:
        return SeatStatus.answered
    return SeatStatus.waiting


def roster(view: TableView[Any], *, shared: bool = False) -> RosterElement:
    """The roster element games put on their scenes: who is here and who is on.

    The element and its entries are the caller's own to change (the story shows a pass as an
    answer); their avatars are shared and never changed. With ``shared`` the element is one
    made before for the same lines, shared with every scene that shows them, so it must not
    be changed (as any view: a game that only shows the roster, as most do, saves copying
    every line of it after every move)."""
    turn = view.meta.turn
    current, passed, responded = turn.current, turn.passed, turn.responded
    lines = _LINES
    entries = []
    for seat in view.meta.seats:
        if seat.gone:
            continue
        # As _seat_status says it, by value (hashing an enum member runs Python code).
        seat_id = seat.id
        if not seat.connected:
            status = "away"
        elif seat_id == current:
            status = "turn"
        elif seat_id in passed:
            status = "passed"
        elif seat_id in responded:
            status = "answered"
        else:
            status = "waiting"
        kept = lines.get(id(seat))
        if kept is not None and kept[1] == status:  # the very seat: ``kept`` holds it
            entries.append(kept[2])
            continue
        entry = _roster_entry(seat_id, seat.nickname, seat.avatar.icon._value_,
                              seat.avatar.colour._value_, status, seat.connected)
        if len(lines) >= _LINES_KEPT:
            lines.clear()
        lines[id(seat)] = (seat, status, entry)
        entries.append(entry)
    if shared:
        return _shared_roster(entries)
    return RosterElement(entries=[_copy_entry(entry) for entry in entries])


_LINES: dict[int, tuple[Seat, str, RosterEntry]] = {}
"""Each seat's latest roster line with its status, by the seat's identity (a seat never
changes once a table version has it: a move copies a seat it changes), with the seat kept
alive beside it so that no id is reused meanwhile. Never given out, like the lines of
:func:`_roster_entry`."""
_LINES_KEPT = 4096

_SHARED_ROSTERS: dict[tuple[int, ...], tuple[tuple[RosterEntry, ...], RosterElement]] = {}
"""Roster elements for :func:`roster` with ``shared``, by the lines they show (the ids of
:func:`_roster_entry`'s lines, kept alive beside them so that no id is reused meanwhile)."""
SHARED_ROSTERS_KEPT = 1024


def _shared_roster(entries: list[RosterEntry]) -> RosterElement:
    key = tuple(map(id, entries))
    kept = _SHARED_ROSTERS.get(key)
    if kept is not None and all(a is b for a, b in zip(kept[0], entries, strict=True)):
        return kept[1]
    # The lines themselves: shared as the element is, and never changed by anyone.
    element = RosterElement(entries=entries)
    _SHARED_ROSTERS[key] = (tuple(entries), element)
    if len(_SHARED_ROSTERS) > SHARED_ROSTERS_KEPT:
        with suppress(RuntimeError, KeyError, StopIteration):  # (another thread's)
            del _SHARED_ROSTERS[next(iter(_SHARED_ROSTERS))]  # the oldest
    return element


@lru_cache(maxsize=4096)
def _roster_entry(seat: str, nickname: str, icon: str, colour: str, status: str,
                  connected: bool) -> RosterEntry:
    # Every scene of every table lists its seats after every move; most lines stay the same.
    # (Keyed by the enums' values: hashing an enum member runs Python code.) Given out only
    # in a shared roster, which nobody may change; other callers get copies, theirs to change.
    return RosterEntry(seat=seat, nickname=nickname,
                       avatar=Avatar(icon=AvatarIcon(icon), colour=AvatarColour(colour)),
                       status=SeatStatus(status), connected=connected)


def _copy_entry(entry: RosterEntry) -> RosterEntry:
    return assembled(RosterEntry, entry.__dict__.copy(), set(entry.__pydantic_fields_set__))


class _Lineage:
    """What the versions of one table reuse from each other's views: each seat's line on the
    leader's view, with exactly what it was made from (a seat that did nothing this move
    keeps its line; anything else about it makes a new one)."""

    __slots__ = ("actions", "elements", "game_controls", "seats", "shared", "summaries")

    def __init__(self) -> None:
        self.summaries: dict[str, tuple[Seat, str, tuple[Any, ...], SeatSummary,
                                        str | None]] = {}
        """Each seat's line on the leader's view: the seat (a move shares a seat it does not
        change), its status, everything the line is made of, the line and its JSON."""
        self.game_controls: dict[Hashable, list[Any]] = {}
        """The game's part of the controls by the game's ``controls_key`` (the latest
        :data:`GAME_CONTROLS_KEPT`): the seats and versions with the same key share it."""
        self.seats: dict[str, tuple[Hashable, SeatControls, str | None]] = {}
        """Each seat's latest controls with everything they were made from, and their JSON
        once made: a version whose key for the seat is the same shows the same."""
        self.shared: dict[Hashable, tuple[SeatControls, list[str]]] = {}
        """Whole controls by the seat's key (:meth:`Table._seat_key`, which names no seat):
        another seat's controls, and (once made) their JSON without the seat. Seats with the
        same key see the same thing but their seat, so each gets a copy with its own seat
        and the same JSON with its seat spliced in (the latest :data:`GAME_CONTROLS_KEPT`)."""
        self.actions: dict[tuple[str, bool], list[FacilitatorAction]] = {}
        """The leader's game buttons by phase and whether the game is on."""
        self.elements: dict[int, tuple[Any, dict[str, Any]]] = {}
        """The elements of the latest scene serialised, by identity, each with its
        ``model_dump``: an element that is in the next scene too (the very same object: a
        game's shared one, or the engine's shared roster) is not dumped again."""


#: What every seat's key reads of one version (see :meth:`Table._key_frame`).
_KeyFrame = tuple[dict[str, Seat], str | None, Flow, str | None, str | None]


#: How many of the game's controls (by key) a table keeps for its next versions: a turn's few
#: kinds of controls (the speaker's, the listeners') of its last versions.
GAME_CONTROLS_KEPT = 32


def _json(model: BaseModel, exclude: set[str] | None = None) -> str:
    """``model.model_dump_json(exclude=exclude)``, the same bytes, in about half the time: the
    views are plain data (text, numbers, lists, enums), which orjson writes exactly as pydantic
    does. Anything it would write otherwise (a datetime, a set) goes through pydantic."""
    if _orjson is not None:
        try:
            data = _orjson.dumps(model.model_dump(exclude=exclude),
                                 option=_orjson.OPT_PASSTHROUGH_DATETIME)
        except TypeError:
            pass
        else:
            return data.decode()
    return model.model_dump_json(exclude=exclude)


def _controls_json(controls: SeatControls, bodies: list[tuple[SeatControls, str]]) -> str:
    """``controls.model_dump_json()``, made faster: tablets that see the same thing (every
    listener of a turn) differ only by their seat, so the rest is serialised once per version
    of the table (``bodies`` holds what was serialised so far) and the seat spliced in."""
    body = None
    for other, text in bodies:
        if (other.your_turn == controls.your_turn and other.version == controls.version
                and (other.status is controls.status or other.status == controls.status)
                and other.items == controls.items):
            body = text
            break
    if body is None:
        body = _json(controls, exclude={"seat"})
        bodies.append((controls, body))
    return _splice(controls, body)


def _with_seat(controls: SeatControls, seat_id: str) -> SeatControls:
    """``controls`` for another seat that sees the same thing: a copy with only the seat
    changed (the rest is shared: cached views are never changed in place)."""
    fields = controls.__dict__.copy()
    fields["seat"] = seat_id
    return assembled(SeatControls, fields, controls.__pydantic_fields_set__ | {"seat"})


@lru_cache(maxsize=4096)
def _seat_head(version: int, seat_id: str) -> str:
    """The start of a seat's controls JSON, up to and with its seat (see
    :func:`_controls_json`)."""
    return f'{{"version":{version},"seat":{json.dumps(seat_id, ensure_ascii=False)},'


def _splice(controls: SeatControls, body: str) -> str:
    """``controls.model_dump_json()`` from ``body``, the same without the seat."""
    head = f'{{"version":{controls.version},'
    if not body.startswith(head):  # a new field before the seat: serialise it whole
        return controls.model_dump_json()
    return _seat_head(controls.version, controls.seat) + body[len(head):]


_FACILITATOR_FIELDS = tuple(FacilitatorView.model_fields)
_SCENE_FIELDS = tuple(Scene.model_fields)

#: The Pass every seat that is asked something gets (one object: views are never changed).
_PASS = PassControl(label=message("pass"))


def _made(cls: type[M], **fields: Any) -> M:
    """``cls(**fields)`` for fields the engine made or already validated (every field
    given), the same model without validating it again (as ``model_construct``, faster)."""
    return assembled(cls, fields)


def _keep(made: dict[Any, Any], key: Hashable, value: Any) -> None:
    """Keep ``value`` by ``key`` among the latest :data:`GAME_CONTROLS_KEPT` of ``made``."""
    made[key] = value
    if len(made) > GAME_CONTROLS_KEPT:
        with suppress(RuntimeError, KeyError, StopIteration):  # (another thread's)
            del made[next(iter(made))]  # the oldest


class _Work:
    """A private working copy of a table during one ``apply``; thrown away on rejection."""

    def __init__(self, table: Table) -> None:
        self.module = table.module
        self.content = table.content
        self.options = table.options
        self.meta = _clone_meta(table.meta)
        self.state = table.state
        self.state_owned = False
        """Whether ``state`` is this move's own (copied before game code first runs: a move
        that runs none, a tick or a tablet coming back, shares it with the table before)."""
        self.owned: set[str] = set()
        """Seats copied for this move (the others are shared with the table before it)."""
        self.proposals_owned = False
        self.facts: list[Fact] = []
        self.steps = 0
        self.private = table.private
        self.new_private: dict[str, Any] = {}
        self.new_payload: dict[str, Any] = {}
        self._view: TableView[Any] | None = None

    def view(self) -> TableView[Any]:
        """The working table as game code reads it (made again only when the state or the
        private values it shows were replaced: the meta is this move's one copy)."""
        found = self._view
        if found is None or found.state is not self.state or found.private is not self.private:
            found = self._view = TableView(meta=self.meta, state=self.state,
                                           content=self.content, options=self.options,
                                           private=self.private)
        return found

    def fact(self, kind: str, seat: str | None = None, **data: Any) -> None:
        self.facts.append(fact_of(kind, seat, data))

    def seat(self, seat_id: str, change: bool = False) -> Seat:
        """A seat still at the table; with ``change``, this move's own copy of it to change."""
        for seat in self.meta.seats:
            if seat.id == seat_id:
                if seat.gone:
                    raise _refuse(Reason.seat_gone)
                return self.own(seat) if change else seat
        raise _refuse(Reason.unknown_seat)

    def own(self, seat: Seat) -> Seat:
        """This move's own copy of ``seat`` (made once): the table before the move shares
        every seat the move does not change."""
        if seat.id in self.owned:
            return seat
        copy = _clone_seat(seat)
        seats = self.meta.seats
        seats[next(i for i, s in enumerate(seats) if s is seat)] = copy
        self.owned.add(seat.id)
        return copy

    def proposals(self) -> ProposalQueue:
        """This move's own copy of the proposal queue, to change (made once)."""
        if not self.proposals_owned:
            self.meta.proposals = _clone(self.meta.proposals)
            self.proposals_owned = True
        return self.meta.proposals

    def own_state(self) -> None:
        """Make ``state`` this move's own copy before game code gets it (made once)."""
        if not self.state_owned:
            self.state = _clone(self.state)
            self.state_owned = True

    def present(self) -> list[str]:
        return [s.id for s in self.meta.seats if not s.gone]

    # -- running game code -------------------------------------------------------------

    def run(self, fn: Callable[..., Any], actor: str | None, *args: Any) -> MoveContext[Any]:
        """Run a move or hook on the working state and carry out what it asked for."""
        self.own_state()
        ctx: MoveContext[Any] = MoveContext(self.view(), actor, RandomSource(self.meta.rng))
        result = fn(ctx, self.state, *args)
        if isinstance(result, Refusal):
            raise _Refused(Rejected(reason=Reason.refused, message=result.message,
                                    message_key=result.key))
        if result is not None:
            if not isinstance(result, self.module.state_type):
                raise TypeError(f"{getattr(fn, '__name__', fn)} returned {type(result).__name__}"
                                f", not {self.module.state_type.__name__}")
            self.state = result
        if ctx.random.state is not self.meta.rng:
            self.meta.rng = ctx.random.state
        self.facts.extend(ctx.facts)
        return ctx

    def carry_out(self, ctx: MoveContext[Any], mover: str | None, ends_turn: bool) -> None:
        self.steps += 1
        if self.steps > _MAX_FLOW_STEPS:
            raise RuntimeError("the game's flow does not settle (a hook keeps ending turns)")
        if ctx.end_requested:
            self.finish("game")
        elif ctx.next_phase is not None:
            if ctx.next_phase not in self.module.phases:
                raise RuntimeError(f"unknown phase '{ctx.next_phase}'")
            self.enter_phase(ctx.next_phase)
        elif ends_turn or ctx.end_turn_requested:
            if self.flow() is Flow.turns:
                self.advance_turn()
            elif self.flow() is Flow.together and mover is not None:
                self.responded(mover)

    # -- flow --------------------------------------------------------------------------

    def flow(self) -> Flow:
        return self.module.phases[self.meta.turn.phase].flow

    def playing(self) -> bool:
        return self.meta.status in (TableStatus.playing, TableStatus.paused)

    def check_end(self) -> bool:
        if self.playing() and self.module.end_if is not None and self.module.end_if(self.view()):
            self.finish("game")
        return self.meta.status is TableStatus.ended

    def finish(self, by: str) -> None:
        if self.meta.status is TableStatus.ended:
            return
        turn = self.meta.turn
        self.meta.status = TableStatus.ended
        turn.current = None
        turn.waiting = []
        self.meta.timer = None
        self.meta.hint = None
        self.meta.checkin = None  # an open check-in ends with the table
        self.fact("table_ended", by=by, rounds=turn.round)

    def reset_timer(self) -> None:
        timer = self.meta.timer
        if timer is not None:
            timer.remaining_ms = timer.total_ms
            timer.expired = False

    def enter_phase(self, name: str) -> None:
        turn = self.meta.turn
        phase = self.module.phases[name]
        turn.phase = name
        turn.waiting, turn.responded, turn.passed = [], [], []
        self.fact("phase_started", phase=name)
        if phase.flow is not Flow.turns:
            if turn.current is not None:
                turn.last = turn.current
            turn.current = None
        if phase.flow is Flow.together:
            turn.waiting = self.present()
            self.reset_timer()
        if phase.on_begin is not None:
            ctx = self.run(phase.on_begin, None)
            if ctx.end_requested or ctx.next_phase or ctx.end_turn_requested:
                self.carry_out(ctx, None, False)
                return
        if self.check_end():
            return
        if phase.flow is Flow.turns:
            if turn.current is None and turn.last is not None:
                # Back from everyone-at-once: the turn goes on from the seat after the last.
                turn.current, turn.last = turn.last, None
                self.advance_turn()
                return
            first = turn.current if turn.current in self.present() else None
            present = self.present()
            if first is None and present:
                first = next(s for s in turn.order if s in present)
            if first is not None:
                self.begin_turn(first)
        # A together round with nobody present waits for someone to join; it never closes
        # by itself, or empty rounds would follow one another without end.

    def begin_turn(self, seat_id: str) -> None:
        turn = self.meta.turn
        turn.current = seat_id
        turn.number += 1
        self.meta.hint = None
        self.reset_timer()
        self.fact("turn_offered", seat=seat_id)
        if self.module.on_turn_begin is not None:
            ctx = self.run(self.module.on_turn_begin, seat_id)
            self.carry_out(ctx, seat_id, False)

    def advance_turn(self) -> None:
        turn = self.meta.turn
        order = turn.order
        present = set(self.present())
        if not present:
            turn.current = None
            return
        index = order.index(turn.current) if turn.current in order else -1
        for step in range(1, len(order) + 1):
            candidate = (index + step) % len(order)
            if order[candidate] in present:
                break
        if candidate <= index:
            turn.round += 1
            turn.passed = []
            turn.responded = []
        turn.current = None
        if self.check_end():
            return
        self.begin_turn(order[candidate])

    def responded(self, seat_id: str, passed: bool = False) -> None:
        turn = self.meta.turn
        if seat_id not in turn.waiting:
            return
        turn.waiting.remove(seat_id)
        (turn.passed if passed else turn.responded).append(seat_id)
        if not turn.waiting:
            self.close_together()

    def close_together(self) -> None:
        turn = self.meta.turn
        phase = self.module.phases[turn.phase]
        turn.waiting = []
        self.fact("round_closed", phase=turn.phase)
        ctx = None
        if phase.on_end is not None:
            ctx = self.run(phase.on_end, None)
        if ctx is not None and (ctx.end_requested or ctx.next_phase):
            self.carry_out(ctx, None, False)
            return
        turn.round += 1
        if self.check_end():
            return
        self.enter_phase(phase.next or turn.phase)

    def advance_clock(self, at: datetime) -> None:
        meta = self.meta
        before = meta.clock
        if before is None or at > before:
            meta.clock = at
        if before is None:
            return
        elapsed = int((at - before).total_seconds() * 1000)
        timer = meta.timer
        if elapsed <= 0 or timer is None or meta.status is not TableStatus.playing:
            return
        if elapsed > SLEEP_GAP_MS:
            # The hub ticks far more often than this while a timer runs: the laptop slept.
            # Pausing keeps the turn; expiring the timer would not be fair to anyone.
            meta.status = TableStatus.paused
            meta.pause_reason = "sleep"
            self.fact("paused", reason="sleep")
            return
        if timer.expired:
            return
        timer.remaining_ms = max(0, timer.remaining_ms - elapsed)
        if timer.remaining_ms == 0:
            timer.expired = True
            self.fact("timer_expired", seat=meta.turn.current)


class Table:
    """One live table: a game module, its content and options, and the state of play."""

    __slots__ = ("_lineage", "_views", "content", "meta", "module", "options", "private",
                 "state")

    def __init__(self, module: GameModule[Any], content: Any, options: BaseModel,
                 meta: TableMeta, state: BaseModel,
                 private: Mapping[str, Any] | None = None,
                 lineage: _Lineage | None = None) -> None:
        self.module = module
        self.content = content
        self.options = options
        self.meta = meta
        self.state = state
        self.private: Mapping[str, Any] = private if private is not None else {}
        """The private values of this table's moves that are known here, by reference
        (:mod:`engine.sealed`); kept outside the state, so never in a snapshot."""
        self._views: dict[Any, Any] = {}
        """This version's views, made once each: a table never changes after it is made (a
        move makes a new one, with its own ``seq``), so neither do they."""
        self._lineage = lineage if lineage is not None else _Lineage()

    def with_private(self, values: Mapping[str, Any]) -> Table:
        """This table with these private values known too (the server's sealed store gives
        them back after a replay; a reference without a value reads as erased)."""
        return Table(self.module, self.content, self.options, self.meta, self.state,
                     {**self.private, **values}, self._lineage)

    def without_views(self) -> Table:
        """This same version of the table without the views it has made and without what its
        next versions would reuse of them: for a table that is kept but nobody looks at (an
        ended one), about a seventh of its weight. Anything asked of it again is made anew,
        the same as before."""
        return Table(self.module, self.content, self.options, self.meta, self.state,
                     self.private)

    # -- making and restoring ------------------------------------------------------------

    @classmethod
    def create(cls, module: GameModule[Any], content: Any, *, table_id: str, seed: int,
               at: datetime, room_code: str = "",
               options: dict[str, Any] | None = None) -> Result:
        """A new table in the lobby, and its first event."""
        try:
            action = CreateTable(at=at, table_id=table_id, game=module.id,
                                 game_version=module.version,
                                 content_hash=content_fingerprint(content), seed=seed,
                                 room_code=room_code, options=options or {})
        except ValidationError as error:
            return Rejected.because(Reason.bad_payload, str(error))
        return cls.from_create(module, content, action)

    @classmethod
    def from_create(cls, module: GameModule[Any], content: Any, action: CreateTable) -> Result:
        try:
            opts = module.options_type.model_validate(action.options)
        except ValidationError as error:
            return Rejected.because(Reason.bad_payload, str(error))
        meta = TableMeta(table_id=action.table_id, game=action.game,
                         game_version=action.game_version, content_hash=action.content_hash,
                         room_code=action.room_code, options=opts.model_dump(mode="json"),
                         rng=RngState(seed=action.seed), clock=action.at, seq=1)
        blank = module.state_type.model_construct()
        table = cls(module, content, opts, meta, blank)
        return Accepted(table, Event(seq=1, action=action, facts=[Fact(kind="table_created")]))

    @classmethod
    def restore(cls, module: GameModule[Any], content: Any, snapshot: Snapshot) -> Table:
        """The table a snapshot describes (see :func:`engine.log.replay` for the checks)."""
        meta = snapshot.meta.model_copy(deep=True)
        opts = module.options_type.model_validate(meta.options)
        if not meta.started:
            state: BaseModel = module.state_type.model_construct()
        else:
            state = module.state_type.model_validate(snapshot.state)
        return cls(module, content, opts, meta, state)

    def snapshot(self) -> Snapshot:
        state = self.state.model_dump(mode="json") if self.started else {}
        return Snapshot(seq=self.meta.seq, meta=self.meta.model_copy(deep=True), state=state,
                        fingerprint=self.fingerprint())

    def fingerprint(self) -> str:
        """A hash of the whole table state: two tables with the same fingerprint are equal."""
        state = self.state.model_dump(mode="json") if self.started else {}
        meta = self.meta.model_dump(mode="json")
        if meta.get("side") is None:
            meta.pop("side", None)  # tables from before side rounds keep their fingerprints
        if not self.meta.proposals.made:
            meta.pop("proposals", None)  # likewise tables from before proposals
        data = {"meta": meta, "state": state}
        return hashlib.sha256(_canonical(data).encode()).hexdigest()

    # -- reading -------------------------------------------------------------------------

    @property
    def seq(self) -> int:
        return self.meta.seq

    @property
    def status(self) -> TableStatus:
        return self.meta.status

    @property
    def started(self) -> bool:
        """Whether the game was set up (a table can also end straight from the lobby)."""
        return self.meta.started

    def view(self) -> TableView[Any]:
        views = self._views
        found: TableView[Any] | None = views.get("view")
        if found is None:
            found = views["view"] = TableView(meta=self.meta, state=self.state,
                                              content=self.content, options=self.options,
                                              private=self.private)
        return found

    def seat(self, seat_id: str) -> Seat | None:
        return next((s for s in self.meta.seats if s.id == seat_id), None)

    def pending(self, seat_id: str) -> bool:
        """Whether something is asked of this seat right now (so it may pass)."""
        meta = self.meta
        if meta.status is not TableStatus.playing:
            return False
        turn = meta.turn
        flow = self.module.phases[turn.phase].flow
        if flow is Flow.together:
            return seat_id in turn.waiting
        if flow is Flow.free:
            return False
        return turn.current == seat_id

    def slept_before(self, at: datetime) -> bool:
        """Whether ``at`` comes after a silence only a sleeping laptop explains (a timer was
        running, and the hub ticks far more often than this while one runs)."""
        meta = self.meta
        if meta.clock is None or meta.timer is None or meta.timer.expired:
            return False
        if meta.status is not TableStatus.playing:
            return False
        return (at - meta.clock).total_seconds() * 1000 > SLEEP_GAP_MS

    def next_tick_at(self) -> datetime | None:
        """When the hub should next send a :class:`~engine.actions.Tick`, or ``None``."""
        from datetime import timedelta

        meta = self.meta
        timer = meta.timer
        if meta.status is not TableStatus.playing or timer is None or timer.expired:
            return None
        if meta.clock is None:
            return None
        wait = min(timer.remaining_ms, TICK_INTERVAL_MS)
        return meta.clock + timedelta(milliseconds=wait)

    # -- the reducer ---------------------------------------------------------------------

    def apply(self, action: Action) -> Result:
        """Apply one action: a new table and its event, or a rejection that changed nothing."""
        if isinstance(action, CreateTable):
            return Rejected.because(Reason.not_now, "a table is created only once")
        if not isinstance(action, Tick) and self.slept_before(action.at):
            return Rejected.because(Reason.needs_tick)
        work = _Work(self)
        try:
            work.advance_clock(action.at)
            handler = _HANDLERS[type(action)]
            handler(work, action)
        except _Refused as refused:
            return refused.rejected
        except Exception as error:  # a bug in a game module must not break the table
            return Rejected.because(Reason.game_error, f"{type(error).__name__}: {error}")
        meta = work.meta
        meta.seq += 1
        seats: dict[str, Seat] | None = None
        for fact in work.facts:
            if fact.seat is not None:
                if seats is None:
                    seats = {seat.id: seat for seat in meta.seats}
                seat = seats.get(fact.seat)
                if seat is not None:
                    seat = seats[seat.id] = work.own(seat)
                    seat.counts[fact.kind] = seat.counts.get(fact.kind, 0) + 1
        if work.new_private:
            action = action.model_copy(update={"payload": work.new_payload})
            private: Mapping[str, Any] = {**self.private, **work.new_private}
        else:
            private = self.private
        # What apply made itself (an action of a type it handles, this move's own facts and
        # values): the Event, not validated again on every move.
        event = _made(Event, seq=meta.seq, action=action, facts=work.facts,
                      private=work.new_private)
        return Accepted(Table(self.module, self.content, self.options, meta, work.state,
                              private, self._lineage), event)

    # -- views ---------------------------------------------------------------------------

    def _memo(self, key: Any, make: Callable[[], Any]) -> Any:
        views = self._views
        found = views.get(key)
        if found is None:
            found = views[key] = make()
        return found

    def scene(self) -> Scene:
        """The shared screen's picture of this table (made once per version: do not change
        it; ``model_copy`` it)."""
        found: Scene = self._memo("scene", self._scene)
        return found

    def scene_json(self) -> str:
        """``scene().model_dump_json()``, made once per version."""
        found: str = self._memo("scene_json", self._scene_json)
        return found

    def _scene_json(self) -> str:
        """The scene as JSON, the same bytes as ``model_dump_json()``, each of its elements
        dumped once while the scenes of this table share it (views are never changed in
        place, so an element shows the same for as long as it lives)."""
        scene = self.scene()
        if _orjson is None:  # pragma: no cover - a dependency
            return scene.model_dump_json()
        lineage = self._lineage
        kept = lineage.elements
        now: dict[int, tuple[Any, dict[str, Any]]] = {}
        elements = []
        for element in scene.elements:
            found = kept.get(id(element))
            if found is None or found[0] is not element:
                found = (element, element.model_dump())
            now[id(element)] = found
            elements.append(found[1])
        lineage.elements = now
        data = scene.model_dump(exclude={"elements"})
        data["elements"] = elements
        try:
            return _orjson.dumps({name: data[name] for name in _SCENE_FIELDS},
                                 option=_orjson.OPT_PASSTHROUGH_DATETIME).decode()
        except TypeError:
            return scene.model_dump_json()

    def controls(self, seat_id: str) -> SeatControls:
        """What the tablet of ``seat_id`` shows. Pass is always there when something is asked.

        During a check-in round the hub shows the round's own questions instead (it holds the
        form); the engine's placeholder only says a check-in is on. Made once per version and
        seat (and kept from an earlier version when nothing it is made from changed, when the
        game says what its part is made from: ``controls_key``): do not change it
        (``model_copy`` it)."""
        views = self._views
        found: SeatControls | None = views.get(("controls", seat_id))
        if found is None:
            found = views[("controls", seat_id)] = self._kept_controls(seat_id)
        return found

    def controls_json(self, seat_id: str) -> str:
        """``controls(seat_id).model_dump_json()``, made once per version and seat, and the
        part that does not name the seat once for all the seats that see the same thing."""
        views = self._views
        found: str | None = views.get(("controls_json", seat_id))
        if found is None:
            controls: SeatControls | None = views.get(("controls", seat_id))
            if controls is None:
                controls = views[("controls", seat_id)] = self._kept_controls(seat_id)
            found = views[("controls_json", seat_id)] = self._kept_controls_json(seat_id,
                                                                                  controls)
        return found

    def _kept_controls(self, seat_id: str) -> SeatControls:
        key = self._seat_key(seat_id)
        if key is None:
            return self._controls(seat_id)
        lineage = self._lineage
        kept = lineage.seats.get(seat_id)
        if kept is not None and kept[0] == key:
            return kept[1]
        shared = lineage.shared.get(key)
        if shared is None:
            controls = self._controls(seat_id)
            _keep(lineage.shared, key, (controls, []))
        else:
            controls = _with_seat(shared[0], seat_id)
        lineage.seats[seat_id] = (key, controls, None)
        return controls

    def _kept_controls_json(self, seat_id: str, controls: SeatControls) -> str:
        lineage = self._lineage
        kept = lineage.seats.get(seat_id)
        if kept is not None and kept[1] is controls:
            if kept[2] is not None:
                return kept[2]
            shared = lineage.shared.get(kept[0])
            if shared is not None:
                # Every seat with this key serialises the same body: made once between them.
                body = shared[1]
                if not body:
                    body.append(_json(controls, exclude={"seat"}))
                text = _splice(controls, body[0])
            else:  # dropped meanwhile (another thread's versions): made as for any view
                text = _controls_json(controls, self._views.setdefault("bodies", []))
            lineage.seats[seat_id] = (kept[0], controls, text)
            return text
        bodies: list[tuple[SeatControls, str]] = self._views.setdefault("bodies", [])
        return _controls_json(controls, bodies)

    def _key_frame(self) -> _KeyFrame | None:
        """What every seat's key reads of this version, found once: the seats by id, who a
        hint is to (``""`` for nobody), the flow, whose turn it is and their name; ``None``
        when no seat's controls are kept (no game on, or the game gives no key)."""
        views = self._views
        if "key_frame" in views:
            kept: _KeyFrame | None = views["key_frame"]
            return kept
        module = self.module
        meta = self.meta
        if (module.controls_key is None or module.proposals is not None
                or meta.status is not TableStatus.playing or meta.checkin is not None
                or meta.side is not None):
            frame: _KeyFrame | None = None
        else:
            hint = meta.hint
            current = meta.turn.current
            frame = (self._seats_by_id(), "" if hint is None else hint.to,
                     module.phases[meta.turn.phase].flow, current,
                     None if current is None else self.view().nickname(current))
        views["key_frame"] = frame
        return frame

    def _seats_by_id(self) -> dict[str, Seat]:
        views = self._views
        found: dict[str, Seat] | None = views.get("seats")
        if found is None:
            found = views["seats"] = {s.id: s for s in self.meta.seats}
        return found

    def _seat_key(self, seat_id: str) -> Hashable | None:
        """Everything the seat's controls are made from but the seat itself, or ``None`` when
        that is not known (the game gives no ``controls_key``) or not worth knowing (no game
        on: a lobby, a pause, a check-in; a hint to this seat; a game that takes
        proposals). Two seats with the same key see the same thing: the engine's part is
        the status line (your turn, or whose turn it is) and Pass, the game's its key."""
        views = self._views
        frame: _KeyFrame | None = (views["key_frame"] if "key_frame" in views
                                   else self._key_frame())
        if frame is None:
            return None
        seats, hint_to, flow, current, name = frame
        if hint_to is None or hint_to == seat_id:  # a hint to everyone, or to this seat
            return None
        seat = seats.get(seat_id)
        if seat is None or seat.gone:
            return None
        if flow is Flow.together:
            pending = seat_id in self.meta.turn.waiting
        else:
            pending = flow is Flow.turns and current == seat_id
        whose = None if pending or current is None else (current, seat_id == current, name)
        return (self._game_key(seat_id), pending, whose)

    def _game_key(self, seat_id: str) -> Hashable:
        views = self._views
        found: Hashable = views.get(("controls_key", seat_id))
        if found is None:
            key_of = self.module.controls_key
            assert key_of is not None
            found = views[("controls_key", seat_id)] = key_of(self.view(), seat_id)
        return found

    def _game_controls(self, view: TableView[Any], seat_id: str) -> list[Any]:
        """The game's controls for the seat: made once for every seat and version with the
        same ``controls_key`` (the game's own word that they are the same)."""
        module = self.module
        if module.controls_key is None:
            return module.controls(view, seat_id)
        key = self._game_key(seat_id)
        made = self._lineage.game_controls
        found = made.get(key)
        if found is None:
            found = made[key] = list(module.controls(view, seat_id))
            if len(made) > GAME_CONTROLS_KEPT:
                with suppress(RuntimeError, KeyError, StopIteration):  # (another thread's)
                    del made[next(iter(made))]  # the oldest
        return found

    def facilitator_view(self) -> FacilitatorView:
        """The leader's live view: seats with their live counts, game info and game buttons
        (made once per version: do not change it)."""
        found: FacilitatorView = self._memo("facilitator", self._facilitator_view)
        return found

    def facilitator_json(self) -> str:
        """``facilitator_view().model_dump_json()``, made once per version."""
        found: str = self._memo("facilitator_json", self._facilitator_json)
        return found

    def _scene(self) -> Scene:
        meta = self.meta
        view = self.view()
        if meta.checkin is not None:
            return self._checkin_scene(meta.checkin)
        if meta.side is not None:
            return self._side_scene(meta.side)
        if meta.status is TableStatus.lobby:
            elements: list[Any] = [JoinCardElement(code=meta.room_code), roster(view)]
            if not view.seats():
                elements.append(TextBlockElement(text=message("nobody_yet"), style="note"))
            return Scene(title=self.module.title, layout="lobby", elements=elements)
        scene = self.module.scene(view)
        extra: list[Any] = []
        if meta.hint is not None and meta.hint.to is None and meta.status is not TableStatus.ended:
            extra.append(TextBlockElement(text=LocalizedText.of(meta.hint.text),
                                          title=message("hint_from_leader"), style="hint"))
        if meta.timer is not None:
            extra.append(TimerElement(remaining_ms=meta.timer.remaining_ms,
                                      total_ms=meta.timer.total_ms,
                                      running=meta.status is TableStatus.playing))
        overlay = None
        if meta.status is TableStatus.paused:
            body = "paused_after_sleep" if meta.pause_reason == "sleep" else "paused_body"
            overlay = PauseOverlay(title=message("paused"), body=message(body))
        if extra or overlay is not None:
            scene = scene.model_copy(update={"elements": [*scene.elements, *extra],
                                             "overlay": overlay})
        return scene

    def _checkin_scene(self, checkin: CheckinState) -> Scene:
        """Only how many are done, never who, never an answer."""
        present = [s.id for s in self.meta.seats if not s.gone]
        done = checkin.done_among(present)
        count = message("checkin_progress", done=done, total=len(present))
        return Scene(title=message("checkin_title"), layout="card", elements=[
            TextBlockElement(text=count, style="title"),
            TextBlockElement(text=message("checkin_screen_body"), style="body"),
            ProgressElement(done=done, total=len(present), label=count),
        ])

    def _side_scene(self, side: SideRoundState) -> Scene:
        """Only how many have answered, never who, never an answer."""
        present = [s.id for s in self.meta.seats if not s.gone]
        done = side.done_among(present)
        count = message("side_progress", done=done, total=len(present))
        return Scene(title=side.title, layout="card", elements=[
            TextBlockElement(text=count, style="title"),
            TextBlockElement(text=message("checkin_screen_body"), style="body"),
            ProgressElement(done=done, total=len(present), label=count),
        ])

    def _controls(self, seat_id: str) -> SeatControls:
        meta = self.meta
        seat = self._memo("seats", lambda: {s.id: s for s in meta.seats}).get(seat_id)
        if seat is None or seat.gone:
            return SeatControls(seat=seat_id, status=message("reject.seat_gone"))
        if meta.checkin is not None:
            return SeatControls(seat=seat_id, status=message("checkin_title"),
                                items=[TextControl(text=message("checkin_screen_body"))])
        if meta.side is not None:
            return SeatControls(seat=seat_id, status=meta.side.title,
                                items=[TextControl(text=message("checkin_screen_body"))])
        if meta.status is TableStatus.lobby:
            return SeatControls(seat=seat_id,
                                status=message("you_joined_as", name=seat.nickname),
                                items=[TextControl(text=message("waiting_for_start"))])
        if meta.status is TableStatus.ended:
            return SeatControls(seat=seat_id, status=message("ended"),
                                items=[TextControl(text=message("ended_body"))])
        if meta.status is TableStatus.paused:
            body = "paused_after_sleep" if meta.pause_reason == "sleep" else "paused_body"
            return SeatControls(seat=seat_id, status=message("paused"),
                                items=[TextControl(text=message(body))])
        view = self.view()
        items: list[Any] = []
        hint = meta.hint
        if hint is not None and hint.to in (None, seat_id):
            items.append(TextControl(text=LocalizedText.of(hint.text), style="hint",
                                     title=message("hint_from_leader")))
        items.extend(self._game_controls(view, seat_id))
        items.extend(self._proposal_controls(view, seat_id))
        pending = self.pending(seat_id)
        status: LocalizedText | None = None
        if pending:
            items.append(_PASS)
            status = message("your_turn")
        else:
            status = self._memo("turn_of", self._turn_of) or None
        return SeatControls(seat=seat_id, status=status, your_turn=pending, items=items)

    def _turn_of(self) -> LocalizedText | bool:
        """Whose turn it is, as every other tablet says it (``False`` for nobody's)."""
        current = self.meta.turn.current
        return False if current is None else message("turn_of",
                                                     name=self.view().nickname(current))

    def _proposal_controls(self, view: TableView[Any], seat_id: str) -> list[Any]:
        """The seat's own proposals for what is on now (how each went), and the field for
        writing one when the game lets this seat propose. Nobody else's, ever."""
        rules = self.module.proposals
        if rules is None or self.meta.status is not TableStatus.playing:
            return []
        topic = rules.topic(view)
        items: list[Any] = []
        waiting = False
        for p in self.meta.proposals.of_seat(seat_id):
            if p.topic != topic:
                continue
            if p.status == "pending":
                waiting = True
                text = _proposals.fill(_proposals.PENDING, text=p.written)
            elif p.status == "returned":
                text = _proposals.fill(_proposals.RETURNED, note=p.note) if p.note else \
                    _proposals.KIND_WORD
            elif p.edited:
                text = _proposals.fill(_proposals.EDITED, text=p.text, written=p.written)
            else:
                text = _proposals.fill(_proposals.ACCEPTED, text=p.text)
            items.append(TextControl(text=text, style="note"))
        if not waiting and rules.open(view, seat_id):
            items.append(ProposalControl(label=rules.label or _proposals.YOUR_PROPOSAL,
                                         max_length=rules.max_length,
                                         note=_proposals.LEADER_READS_FIRST))
        return items

    def _summary(self, s: Seat, status: str) -> SeatSummary:
        """A seat's line on the leader's view; the same line as the last version's when
        nothing it is made of changed (at once when it is the very same seat: a move shares
        the seats it does not change, and never changes a seat it shares)."""
        summaries = self._lineage.summaries
        kept = summaries.get(s.id)
        if kept is not None and kept[0] is s and kept[1] == status:
            return kept[3]
        key = (s.nickname, s.avatar.icon, s.avatar.colour, s.member, s.connected, s.gone,
               status, tuple(s.counts.items()))
        if kept is not None and kept[2] == key:
            summaries[s.id] = (s, status, key, kept[3], kept[4])
            return kept[3]
        # Made of the seat's own validated fields and the engine's counts: made as
        # validation would make it, without validating them again.
        summary = _made(
            SeatSummary, seat=s.id, nickname=s.nickname, avatar=s.avatar, member=s.member,
            connected=s.connected, gone=s.gone, status=status, counts=dict(s.counts),
            did=[_made(InfoRow, label=c.label, value=str(s.counts[kind]))
                 if c.label.__class__ is LocalizedText else
                 InfoRow(label=c.label, value=str(s.counts[kind]))
                 for kind, c in self.module.contributions.items() if s.counts.get(kind)])
        summaries[s.id] = (s, status, key, summary, None)
        return summary

    def _summary_json(self, summary: SeatSummary) -> str:
        """``summary.model_dump_json()``, kept with the line while it is reused."""
        summaries = self._lineage.summaries
        kept = summaries.get(summary.seat)
        if kept is None or kept[3] is not summary:
            return _json(summary)
        text = kept[4]
        if text is None:
            text = _json(summary)
            summaries[summary.seat] = (kept[0], kept[1], kept[2], summary, text)
        return text

    def _facilitator_json(self) -> str:
        """The leader's view as JSON, each seat's line serialised once while it is reused:
        the same bytes as ``model_dump_json()``."""
        view = self.facilitator_view()
        if _orjson is None or not hasattr(_orjson, "Fragment"):  # pragma: no cover - orjson<3.10
            return view.model_dump_json()
        seats = _orjson.Fragment("[" + ",".join(self._summary_json(s) for s in view.seats)
                                 + "]")
        data = view.model_dump(exclude={"seats"})
        try:
            return _orjson.dumps({name: seats if name == "seats" else data[name]
                                  for name in _FACILITATOR_FIELDS},
                                 option=_orjson.OPT_PASSTHROUGH_DATETIME).decode()
        except TypeError:
            return view.model_dump_json()

    def _actions(self, phase: Any) -> list[FacilitatorAction]:
        """The leader's game buttons the phase allows (a form for any other is refused)."""
        key = (self.meta.turn.phase, phase is None)
        kept = self._lineage.actions.get(key)
        if kept is None:
            kept = self._lineage.actions[key] = [
                FacilitatorAction(move=name, label=move.label or LocalizedText.of(name))
                for name, move in self.module.moves.items() if move.who is Who.facilitator
                and (phase is None or phase.moves is None or name in phase.moves)]
        return kept

    def _facilitator_view(self) -> FacilitatorView:
        meta = self.meta
        view = self.view()
        turn = meta.turn
        phase = self.module.phases.get(turn.phase) if turn.phase else None
        flow = phase.flow if phase is not None else Flow.turns
        # Nobody waits for a turn in a free flow: everyone present is taking part.
        active = flow is Flow.free and meta.status is not TableStatus.lobby
        seats = []
        for s in meta.seats:
            if s.gone:
                status = "gone"
            else:
                status = _seat_status(s, turn)._value_
                if active and status == "waiting":
                    status = "active"
            seats.append(self._summary(s, status))
        info = self.module.facilitator(view) if self.started else []
        playing = meta.status is TableStatus.playing
        fields = {
            "status": meta.status.value, "phase": meta.turn.phase or None, "flow": flow.value,
            "round": meta.turn.round, "current": meta.turn.current, "seats": seats,
            "info": info, "actions": list(self._actions(phase)) if playing else [],
            "timer_remaining_ms": meta.timer.remaining_ms if meta.timer else None}
        if info.__class__ is list and all(row.__class__ is InfoRow for row in info):
            # All but the game's rows (checked here) are the engine's own, made right.
            fields["info"] = list(info)
            return _made(FacilitatorView, **fields)
        return FacilitatorView(**fields)


# -- action handlers ------------------------------------------------------------------------


def _not_ended(work: _Work) -> None:
    if work.meta.status is TableStatus.ended:
        raise _refuse(Reason.ended)


def _must_play(work: _Work) -> None:
    status = work.meta.status
    if status is TableStatus.lobby:
        raise _refuse(Reason.not_started)
    if status is TableStatus.paused:
        raise _refuse(Reason.paused)
    if status is TableStatus.ended:
        raise _refuse(Reason.ended)


def _join(work: _Work, action: Join) -> None:
    _not_ended(work)
    meta = work.meta
    present = [s for s in meta.seats if not s.gone]
    if len(present) >= work.module.max_seats:
        raise _refuse(Reason.table_full)
    wanted = action.nickname.casefold()
    if any(s.nickname.casefold() == wanted for s in present):
        raise _refuse(Reason.name_taken)
    meta.seats_made += 1
    seat = Seat(id=f"s{meta.seats_made}", nickname=action.nickname, avatar=action.avatar,
                member=action.member)
    meta.seats.append(seat)
    work.owned.add(seat.id)
    work.fact("seat_joined", seat=seat.id, late=work.playing())
    if work.playing():
        turn = meta.turn
        turn.order.append(seat.id)
        if work.module.on_join is not None:
            ctx = work.run(work.module.on_join, seat.id)
            work.carry_out(ctx, seat.id, False)
        if meta.status is TableStatus.ended:
            return
        if work.flow() is Flow.together:
            turn.waiting.append(seat.id)  # a late-comer gets a say in this round too
        elif work.flow() is Flow.turns and turn.current is None:
            work.begin_turn(seat.id)  # everyone else had left: the table goes on


def _presence(work: _Work, action: Presence) -> None:
    seat = work.seat(action.seat, change=True)
    if seat.connected == action.connected:
        raise _refuse(Reason.not_now, "presence unchanged")
    seat.connected = action.connected
    work.fact("seat_connected" if action.connected else "seat_disconnected", seat=seat.id)


def _leave(work: _Work, action: Leave) -> None:
    seat = work.seat(action.seat, change=True)
    seat.gone = True
    seat.connected = False
    work.fact("seat_removed" if action.removed_by_leader else "seat_left", seat=seat.id)
    if not work.playing():
        return
    turn = work.meta.turn
    if work.module.on_leave is not None:
        ctx = work.run(work.module.on_leave, seat.id)
        work.carry_out(ctx, seat.id, False)
    if work.meta.status is TableStatus.ended:
        return
    if work.flow() is Flow.together:
        if seat.id in turn.waiting:
            turn.waiting.remove(seat.id)
            if not turn.waiting:
                work.close_together()
    elif work.flow() is Flow.turns and turn.current == seat.id:
        work.advance_turn()
    if not work.present():
        turn.current = None


def _start(work: _Work, action: StartTable) -> None:
    meta = work.meta
    if meta.status is not TableStatus.lobby:
        raise _refuse(Reason.already_started)
    if meta.checkin is not None:
        raise _refuse(Reason.not_now, "a check-in round is open")
    present = work.present()
    if len(present) < work.module.min_seats:
        raise _refuse(Reason.too_few_seats)
    random = RandomSource(meta.rng)
    work.state = work.module.setup(SetupContext(seats=present, content=work.content,
                                                options=work.options, random=random,
                                                now=action.at))
    work.state_owned = True
    meta.rng = random.state
    meta.status = TableStatus.playing
    meta.started = True
    meta.turn.order = present
    meta.turn.round = 1
    work.fact("table_started", seats=len(present))
    work.enter_phase(work.module.start_phase)


def _move(work: _Work, action: MakeMove) -> None:
    _must_play(work)
    module = work.module
    if action.name in PROPOSAL_MOVES and module.proposals is not None:
        _PROPOSAL_HANDLERS[action.name](work, action)
        work.check_end()
        return
    move = module.moves.get(action.name)
    if move is None:
        raise _refuse(Reason.unknown_move, action.name)
    turn = work.meta.turn
    allowed = module.phases[turn.phase].moves
    if allowed is not None and action.name not in allowed:
        raise _refuse(Reason.not_now, f"'{action.name}' is not part of phase '{turn.phase}'")
    if move.who is Who.facilitator:
        if action.seat is not None:
            raise _refuse(Reason.facilitator_only)
    else:
        if action.seat is None:
            raise _refuse(Reason.not_now, "this move is made from a tablet")
        work.seat(action.seat)
        flow = work.flow()
        if move.who is Who.turn:
            if flow is Flow.together and action.seat not in turn.waiting:
                raise _refuse(Reason.not_now)
            if flow is Flow.turns and action.seat != turn.current:
                raise _refuse(Reason.not_your_turn)
        elif move.who is Who.others and action.seat == turn.current:
            raise _refuse(Reason.not_now)
    raw = action.payload
    try:
        raw, values = split_private(move.payload, raw, seat=action.seat,
                                    seq=work.meta.seq + 1)
    except PrivateValueError as error:
        raise _refuse(Reason.bad_payload, str(error)) from None
    if values:
        # The logged action gets the references; the values travel beside the event.
        work.new_private = values
        work.new_payload = raw
        work.private = {**work.private, **values}
    try:
        if move.payload is NoPayload and not raw and raw.__class__ is dict:
            payload: BaseModel = _NO_PAYLOAD  # the same as validating it, made once
        else:
            payload = move.payload.model_validate(raw)
    except ValidationError as error:
        detail = (str(error) if not values and raw is action.payload
                  else f"{error.error_count()} field(s) do not fit")
        raise _refuse(Reason.bad_payload, detail) from None
    ctx = work.run(move.fn, action.seat, payload)
    work.carry_out(ctx, action.seat, move.ends_turn)
    work.check_end()


def _pass(work: _Work, action: PassTurn) -> None:
    _must_play(work)
    work.seat(action.seat)
    turn = work.meta.turn
    together = work.flow() is Flow.together
    if together and action.seat in turn.waiting:
        work.fact("prompt_passed", seat=action.seat, phase=turn.phase)
    elif work.flow() is Flow.turns and turn.current == action.seat:
        work.fact("turn_passed", seat=action.seat)
        turn.passed.append(action.seat)
    else:
        raise _refuse(Reason.nothing_to_pass)
    if work.module.on_pass is not None:
        work.run(work.module.on_pass, action.seat)
    if together:
        work.responded(action.seat, passed=True)
    else:
        work.advance_turn()


def _pause(work: _Work, action: PauseTable) -> None:
    if work.meta.status is not TableStatus.playing:
        raise _refuse(Reason.not_now)
    work.meta.status = TableStatus.paused
    work.meta.pause_reason = "leader"
    work.fact("paused", reason="leader")


def _resume(work: _Work, action: ResumeTable) -> None:
    if work.meta.status is not TableStatus.paused or work.meta.checkin is not None:
        raise _refuse(Reason.not_now)
    work.meta.status = TableStatus.playing
    work.meta.pause_reason = None
    work.fact("resumed")


def _skip(work: _Work, action: SkipTurn) -> None:
    _must_play(work)
    turn = work.meta.turn
    if work.flow() is Flow.together:
        work.fact("round_skipped", phase=turn.phase)
        work.close_together()
    elif work.flow() is Flow.turns and turn.current is not None:
        work.fact("turn_skipped", seat=turn.current)
        work.advance_turn()
    else:
        raise _refuse(Reason.not_now)


def _end(work: _Work, action: EndTable) -> None:
    _not_ended(work)
    if work.meta.status is TableStatus.lobby:
        work.meta.status = TableStatus.playing  # so that finish() records a proper end
    work.finish("leader")


def _hint(work: _Work, action: GiveHint) -> None:
    _not_ended(work)
    if action.to is not None:
        work.seat(action.to)
    work.meta.hint = HintState(text=action.text, to=action.to)
    work.fact("hint_sent", seat=action.to)


def _timer(work: _Work, action: SetTimer) -> None:
    _not_ended(work)
    meta = work.meta
    if action.seconds is not None:
        meta.timer = TimerState(total_ms=action.seconds * 1000, remaining_ms=action.seconds * 1000)
        work.fact("timer_set", seconds=action.seconds)
    elif action.extend:
        if meta.timer is None:
            raise _refuse(Reason.no_timer)
        meta.timer.remaining_ms += action.extend * 1000
        meta.timer.expired = False
        work.fact("timer_extended", seconds=action.extend)
    else:
        if meta.timer is None:
            raise _refuse(Reason.no_timer)
        meta.timer = None
        work.fact("timer_off")


def _tick(work: _Work, action: Tick) -> None:
    if work.meta.timer is None and not work.facts:
        raise _refuse(Reason.not_now, "nothing to keep time for")


def _open_checkin(work: _Work, action: OpenCheckin) -> None:
    _not_ended(work)
    meta = work.meta
    if meta.checkin is not None:
        raise _refuse(Reason.not_now, "a check-in round is already open")
    resume = meta.status is TableStatus.playing
    if resume:
        meta.status = TableStatus.paused
        meta.pause_reason = "checkin"
    meta.hint = None
    meta.checkin = CheckinState(round=action.round, items=action.items, resume=resume)
    work.fact("checkin_opened", round=action.round, items=action.items)


#: Which consent states each mark may follow.
_MARK_NEEDS: dict[str, tuple[str, ...]] = {
    "consented": ("asked",), "declined": ("asked",), "withdrawn": ("given",),
    "answered": ("given",), "skipped": ("given",), "finished": ("given",),
}


def _checkin_mark(work: _Work, action: CheckinMark) -> None:
    _not_ended(work)
    checkin = work.meta.checkin
    if checkin is None:
        raise _refuse(Reason.not_now, "no check-in round is open")
    work.seat(action.seat)
    progress = checkin.seats.setdefault(action.seat, SeatCheckin())
    if progress.consent not in _MARK_NEEDS[action.mark]:
        raise _refuse(Reason.not_now, f"'{action.mark}' after consent '{progress.consent}'")
    if action.mark in ("answered", "skipped") and (
            progress.finished or progress.next_item >= checkin.items):
        raise _refuse(Reason.not_now, "every item already has its answer")
    if action.mark == "finished" and progress.finished:
        raise _refuse(Reason.not_now, "already finished")
    match action.mark:
        case "consented":
            progress.consent = "given"
        case "declined":
            progress.consent = "declined"
        case "withdrawn":
            progress.consent = "withdrawn"
        case "answered":
            progress.answered += 1
        case "skipped":
            progress.skipped += 1
        case "finished":
            progress.finished = True
    # Kept off the seat's counts: the leader's live view (which co-facilitators see too)
    # must not tell who declined or withdrew. The action itself names the seat.
    work.fact(f"checkin_{action.mark}")


def _close_checkin(work: _Work, action: CloseCheckin) -> None:
    meta = work.meta
    checkin = meta.checkin
    if checkin is None:
        raise _refuse(Reason.not_now, "no check-in round is open")
    present = work.present()
    done = checkin.done_among(present)
    meta.checkin = None
    _resume_after_round(meta, checkin.resume, "checkin")
    work.fact("checkin_closed", round=checkin.round, done=done, seats=len(present))


def _resume_after_round(meta: TableMeta, resume: bool, reason: str) -> None:
    """A round that paused the game for itself lets it go on when it closes (a pause the
    leader made meanwhile stays)."""
    if resume and meta.status is TableStatus.paused and meta.pause_reason == reason:
        meta.status = TableStatus.playing
        meta.pause_reason = None


def _open_side(work: _Work, action: OpenSideRound) -> None:
    """A side round may open after the game has ended (the tablets stay for it)."""
    meta = work.meta
    if meta.checkin is not None or meta.side is not None:
        raise _refuse(Reason.not_now, "another round is open")
    resume = meta.status is TableStatus.playing
    if resume:
        meta.status = TableStatus.paused
        meta.pause_reason = "side"
    meta.side = SideRoundState(name=action.name, title=action.title, items=action.items,
                               resume=resume)
    work.fact("side_opened", name=action.name, items=action.items)


def _side_step(work: _Work, action: SideRoundStep) -> None:
    side = work.meta.side
    if side is None:
        raise _refuse(Reason.not_now, "no side round is open")
    seat = work.seat(action.seat)
    if side.steps(seat.id) >= side.items:
        raise _refuse(Reason.not_now, "every item already has its answer")
    side.seats[seat.id] = side.steps(seat.id) + 1
    work.fact("side_step")  # kept off the seat's counts, like a check-in's steps


def _close_side(work: _Work, action: CloseSideRound) -> None:
    meta = work.meta
    side = meta.side
    if side is None:
        raise _refuse(Reason.not_now, "no side round is open")
    present = work.present()
    done = side.done_among(present)
    meta.side = None
    _resume_after_round(meta, side.resume, "side")
    work.fact("side_closed", name=side.name, done=done, seats=len(present))


def _tie_member(work: _Work, action: TieMember) -> None:
    seat = work.seat(action.seat, change=True)
    seat.member = action.member
    seat.member_confirmed = action.member is not None
    work.fact("member_tied", seat=None, tied=action.member is not None)


def _payload(model: type[M], action: MakeMove) -> M:
    try:
        return model.model_validate(action.payload)
    except ValidationError as error:
        raise _refuse(Reason.bad_payload, str(error)) from None


def _game_refused(key: str, text: LocalizedText) -> _Refused:
    return _Refused(Rejected(reason=Reason.refused, message=text, message_key=key))


def _no_identity_code(*texts: str) -> None:
    # The engine is the server: whatever sent it, no proposal may hold an identity code.
    if any(looks_like_identity_code(text) for text in texts):
        raise _game_refused("identity_code", IDENTITY_CODE_REFUSAL)


def _pending_proposal(work: _Work, proposal_id: int) -> Proposal:
    found = work.proposals().find(proposal_id)
    if found is None or found.status != "pending":
        raise _game_refused("proposal.no_such", _proposals.NO_SUCH)
    return found


def _propose(work: _Work, action: MakeMove) -> None:
    rules = work.module.proposals
    assert rules is not None
    if action.seat is None:
        raise _refuse(Reason.not_now, "a proposal is written on a tablet")
    work.seat(action.seat)
    payload = _payload(ProposePayload, action)
    if len(payload.value) > rules.max_length:
        raise _refuse(Reason.bad_payload, f"longer than {rules.max_length} characters")
    _no_identity_code(payload.value)
    view = work.view()
    if not rules.open(view, action.seat):
        raise _game_refused("proposal.not_open", _proposals.NOT_OPEN)
    topic = rules.topic(view)
    queue = work.proposals()
    if any(p.topic == topic and p.status == "pending" for p in queue.of_seat(action.seat)):
        raise _game_refused("proposal.one_at_a_time", _proposals.ONE_AT_A_TIME)
    queue.made += 1
    queue.items.append(Proposal(id=queue.made, seat=action.seat, written=payload.value,
                                text=payload.value, topic=topic))
    # Never the words: a fact is read into records and exports.
    work.fact("proposal_made", seat=action.seat, proposal=queue.made, topic=topic)


def _proposal_accept(work: _Work, action: MakeMove) -> None:
    rules = work.module.proposals
    assert rules is not None
    if action.seat is not None:
        raise _refuse(Reason.facilitator_only)
    payload = _payload(AcceptPayload, action)
    proposal = _pending_proposal(work, payload.id)
    if payload.text is not None and " ".join(payload.text.split()):
        proposal.text = " ".join(payload.text.split())
    _no_identity_code(proposal.text)
    proposal.status = "accepted"
    ctx = work.run(rules.on_accepted, None, proposal.model_copy())
    work.fact("proposal_accepted", seat=proposal.seat, proposal=proposal.id,
              edited=proposal.edited)
    work.carry_out(ctx, None, False)


def _proposal_return(work: _Work, action: MakeMove) -> None:
    if action.seat is not None:
        raise _refuse(Reason.facilitator_only)
    payload = _payload(ReturnPayload, action)
    proposal = _pending_proposal(work, payload.id)
    note = " ".join(payload.note.split())
    _no_identity_code(note)
    proposal.status = "returned"
    proposal.note = note
    work.fact("proposal_returned", seat=proposal.seat, proposal=proposal.id)


_NO_PAYLOAD = NoPayload()
"""The payload of every move that carries nothing (it has no fields to change)."""


_PROPOSAL_HANDLERS: dict[str, Callable[[_Work, MakeMove], None]] = {
    "propose": _propose,
    "proposal_accept": _proposal_accept,
    "proposal_return": _proposal_return,
}


_HANDLERS: dict[type, Callable[[_Work, Any], None]] = {
    Join: _join,
    Presence: _presence,
    Leave: _leave,
    StartTable: _start,
    MakeMove: _move,
    PassTurn: _pass,
    PauseTable: _pause,
    ResumeTable: _resume,
    SkipTurn: _skip,
    EndTable: _end,
    GiveHint: _hint,
    SetTimer: _timer,
    Tick: _tick,
    OpenCheckin: _open_checkin,
    CheckinMark: _checkin_mark,
    CloseCheckin: _close_checkin,
    OpenSideRound: _open_side,
    SideRoundStep: _side_step,
    CloseSideRound: _close_side,
    TieMember: _tie_member,
}
