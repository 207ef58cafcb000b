"""The hub: live tables in memory, the one place actions are applied and views fanned out.

One tap, end to end: a tablet's message becomes an engine action stamped with UTC time; the
table's lock is taken; ``Table.apply`` decides; an accepted event is committed to storage
BEFORE anyone is told; then the scene goes to every screen and each seat's own controls to its
tablet. A table has one writer: if storage already holds the event number (another process
wrote it), the hub reloads the table from storage instead of forking it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from engine import (
    Accepted,
    Avatar,
    EndTable,
    Join,
    Leave,
    MakeMove,
    PassTurn,
    Presence,
    Reason,
    Rejected,
    ReplayError,
    Result,
    Table,
    TableStatus,
    Tick,
    message,
    replay,
)
from engine.privacy import IDENTITY_CODE_REFUSAL, first_identity_code_text, looks_like_identity_code
from engine.protocol import ControlsMessage, Gone, SceneMessage, ScreenSettings
from engine.registry import find_game, load_game_content

from .memory import Trimmer
from .roomcode import new_room_code, normalise
from .sideround import SideRound
from .storage import SeqConflict, Store

__all__ = ["Connection", "Hub", "LiveTable", "NotServing", "Replayed", "hash_token",
           "identity_code_refusal"]

log = logging.getLogger("piiri.hub")

SNAPSHOT_EVERY = 200
#: An ended table with no tablet, screen or side round left is let go after this long (its log
#: and records are in storage; a restart does not load ended tables either).
ENDED_KEEP_S = 600.0
R = TypeVar("R")


@dataclass(frozen=True)
class Replayed:
    """A tablet sent a message id it had already sent (a resend after a reconnect): nothing
    is done again, and the tablet is told so."""

    msg_id: int


class Connection(Protocol):
    """Anything the hub can send a text frame to (a WebSocket, a test double in benchmarks)."""

    def send(self, text: str) -> None: ...
    def close(self) -> None: ...


class NotServing(RuntimeError):
    """This process does not serve tables (an admin command): it never writes table events."""


def identity_code_refusal() -> Rejected:
    """Text from a tablet held something shaped like a personal identity code: refused,
    with words the tablet shows (see :mod:`engine.privacy`)."""
    return Rejected(reason=Reason.refused, message=IDENTITY_CODE_REFUSAL,
                    message_key="identity_code")


def _tidy_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PendingJoin:
    """A join waiting for the leader to admit it (when the leader admits each join)."""

    id: str
    conn: Connection
    nickname: str
    avatar: Avatar
    member: str | None
    decided: Callable[[Result, str | None], None]
    """Called with the join's result and, when seated, the seat's token."""


@dataclass
class LiveTable:
    table_id: str
    code: str
    table: Table
    lock: threading.RLock = field(default_factory=threading.RLock)
    seats: dict[str, Connection] = field(default_factory=dict)
    screens: set[Connection] = field(default_factory=set)
    last_ids: dict[str, int] = field(default_factory=dict)
    admit: bool = False
    """Whether the leader admits each join by hand."""
    roster: dict[str, str] = field(default_factory=dict)
    """The group's members by nickname, when the table belongs to a planned meeting: the join
    page offers these names and ties each seat to its member."""
    show_roster: bool = True
    """Whether the join page lists the roster (a list of names tells who is in the group)."""
    screen_lang: str | None = None
    """The screens' language when the leader has chosen one (else each screen's own)."""
    screen_info: dict[int, Any] = field(default_factory=dict)
    """What each connected screen said about its displays, by connection."""
    pending: dict[str, PendingJoin] = field(default_factory=dict)
    side: dict[str, Any] = field(default_factory=dict)
    """What side rounds keep in memory for this table (by round), e.g. the open check-in's
    form and the summaries already made."""


class Hub:
    """Owns the live tables of this server process."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = _now,
                 snapshot_every: int = SNAPSHOT_EVERY) -> None:
        self.store = store
        self.clock = clock
        self.snapshot_every = snapshot_every
        self._tables: dict[str, LiveTable] = {}
        self._lock = threading.Lock()
        self.ended_keep_s = ENDED_KEEP_S
        """Seconds an ended table nobody is connected to stays in memory (see
        :meth:`forget_ended`)."""
        self._ended_idle: dict[str, datetime] = {}
        self.trimmer = Trimmer()
        """Gives freed memory back to the system once a minute (:mod:`.memory`)."""
        self.public_url: str | None = None
        self.serving = True
        """Whether this process serves the tables (and so is their one writer). An admin
        command's app sets it off: then nothing here writes a table event."""
        self.side_rounds: list[SideRound] = []
        """Rounds that run at a table beside its game (check-ins, feedback), given by the
        areas that own them (:meth:`add_side_round`)."""
        self.after_end: list[Callable[[LiveTable], None]] = []
        self.content_sources: list[Callable[[str, str], Any]] = []
        """Called with (table id, game) when a table is loaded: the content it was made with
        when that is not the game's shipped content (a group's own deck), else ``None``."""
        self.after_accept: list[Callable[[LiveTable, Any], None]] = []
        """Called with a table and a proposal the leader has just accepted there."""
        self.controls_additions: list[Callable[[LiveTable, str, Any], Any]] = []
        """Called with a seat's game controls; may return them with something of the
        server's added for that seat only (:mod:`facilitator.live.keepsake`)."""
        self.vault: Any = None
        """Where moves' private values are kept sealed (:mod:`facilitator.live.sealed`), or
        ``None``: then they live only in memory."""
        self.cluster: Any = None
        """This process among several (:mod:`facilitator.live.cluster`), or ``None``: one
        process owns every table."""
        self.audience: Any = None
        """The tables' audiences (:mod:`facilitator.live.audience`), or ``None``: told of
        every change after the screens and tablets."""
        """Called with a table the leader has just ended (e.g. the feedback round opens)."""

    def add_side_round(self, side_round: SideRound) -> None:
        self.side_rounds.append(side_round)

    def side_round_of(self, kind: type[R]) -> R:
        """The side round of this class (e.g. the check-in flow); LookupError if none."""
        for side_round in self.side_rounds:
            if isinstance(side_round, kind):
                return side_round
        raise LookupError(f"no {kind.__name__} side round on this hub")

    def open_side_round(self, live: LiveTable) -> SideRound | None:
        """The side round that has the tablets now, if any."""
        return next((r for r in self.side_rounds if r.is_open(live)), None)

    # -- tables --------------------------------------------------------------------------

    def create_table(self, game: str, options: dict[str, Any] | None = None,
                     seed: int | None = None, admit: bool = False,
                     content: Any = None, facts: tuple[Any, ...] = ()) -> LiveTable:
        """A new table; with ``content``, played with it instead of the shipped content (then
        a :attr:`content_sources` entry must give it back when the table is loaded). ``facts``
        (:class:`~engine.Fact`) are added to its first event: what the server knows of how the
        table was made (e.g. ``made_content_played``); a replay never derives them again."""
        module = find_game(game)
        content = load_game_content(game) if content is None else content
        self.forget_ended()
        with self._lock:
            code = new_room_code()
            while code in self._tables or self.store.room_in_use(code):
                code = new_room_code()
            table_id = uuid.uuid4().hex
            if self.cluster is not None:  # leased to this process before others can see it
                self.cluster.claim_new(table_id)
            created = Table.create(module, content, table_id=table_id,
                                   seed=seed if seed is not None else secrets.randbits(48),
                                   at=self.clock(), room_code=code, options=options)
            if not isinstance(created, Accepted):
                raise ValueError(created.message.pick("en") + " " + created.detail)
            created.event.facts.extend(facts)
            self.store.create_table(table_id, code, game, created.event.action.at)
            self.store.append(table_id, created.event)
            live = LiveTable(table_id=table_id, code=code, table=created.table, admit=admit)
            self._tables[code] = live
        return live

    def find(self, code: str) -> LiveTable | None:
        return self._tables.get(normalise(code))

    def tables(self) -> list[LiveTable]:
        return list(self._tables.values())

    def forget_ended(self) -> list[str]:
        """Let go of tables that ended at least :attr:`ended_keep_s` ago by this hub's clock
        (counted from when it first found them ended and idle) and that nobody uses: no
        tablet, screen or waiting join, no side round open. Without this a long-running
        server keeps every table it ever ran. Returns the room codes let go."""
        now = self.clock()
        gone = []
        with self._lock:
            for code, live in list(self._tables.items()):
                idle = (live.table.status is TableStatus.ended and not live.seats
                        and not live.screens and not live.pending
                        and self.open_side_round(live) is None)
                if not idle:
                    self._ended_idle.pop(code, None)
                    continue
                since = self._ended_idle.get(code)
                if since is None:
                    # Kept a while for whoever comes back, without the views that were sent
                    # already (most of an ended table's weight); made anew if asked again.
                    # The same version, so swapped without its lock (taking it here, under
                    # the hub's, could deadlock with a follow-up table being made from it).
                    since = self._ended_idle[code] = now
                    live.table = live.table.without_views()
                if (now - since).total_seconds() >= self.ended_keep_s:
                    del self._tables[code]
                    del self._ended_idle[code]
                    gone.append(code)
        return gone

    def resume_all(self) -> list[str]:
        """Load every open table from storage (after a restart). Returns problems, if any."""
        problems = []
        for row in self.store.open_tables():
            try:
                live = self._load(row.table_id, row.room_code, row.game)
            except (ReplayError, LookupError) as error:
                problems.append(f"table {row.room_code}: {error}")
                log.error("could not resume table %s: %s", row.room_code, error)
                continue
            self._tables[live.code] = live
            # Nobody is connected to a freshly started server.
            for seat in live.table.meta.seats:
                if seat.connected and not seat.gone:
                    self._apply(live, Presence(at=self.clock(), seat=seat.id, connected=False))
        return problems

    def _load(self, table_id: str, code: str, game: str) -> LiveTable:
        module = find_game(game)
        content = next((found for found in (source(table_id, game) for source in
                                            self.content_sources) if found is not None),
                       None) or load_game_content(game)
        snapshot = self.store.latest_snapshot(table_id)
        events = self.store.events(table_id, after=snapshot.seq if snapshot else 0)
        table = replay(module, content, events, snapshot=snapshot)
        if self.vault is not None:  # the log has references; give the values back
            table = table.with_private(self.vault.load(table_id))
        return LiveTable(table_id=table_id, code=code, table=table)

    # -- applying ------------------------------------------------------------------------

    def _apply(self, live: LiveTable, action: Any, tell: bool = True) -> Result:
        """Apply, commit, then tell everyone (unless ``tell`` is off: the caller broadcasts).
        Call with or without the table lock held."""
        if not self.serving:
            raise NotServing("only the serving process writes table events")
        with live.lock:
            result = live.table.apply(action)
            if isinstance(result, Rejected) and result.reason is Reason.needs_tick:
                self._apply(live, Tick(at=action.at))  # the laptop slept: pause first
                result = live.table.apply(action)
            if isinstance(result, Rejected) and self.store.last_seq(live.table_id) > live.table.seq:
                # Another process wrote to this table since: judge the action on its table.
                self._reload(live)
                result = live.table.apply(action)
            if isinstance(result, Rejected):
                if result.reason is Reason.game_error:
                    log.error("game error at table %s: %s", live.code, result.detail)
                return result
            # Private values are kept (sealed) before the event that refers to them: a crash
            # in between leaves an unreferenced sealed value, never a reference to nothing.
            self._keep_private(live, result)
            try:
                self.store.append(live.table_id, result.event)
            except SeqConflict:
                # Another writer got there first: take its version of the table.
                self._reload(live)
                retry = live.table.apply(action)
                if isinstance(retry, Rejected):
                    return retry
                self._keep_private(live, retry)
                self.store.append(live.table_id, retry.event)
                result = retry
            live.table = result.table
            if result.event.seq % self.snapshot_every == 0:
                self.store.save_snapshot(live.table_id, live.table.snapshot())
            if live.table.status is TableStatus.ended:
                self.store.mark_ended(live.table_id, self.clock())
            if tell:
                self.broadcast(live)
            return result

    def _keep_private(self, live: LiveTable, result: Accepted) -> None:
        if result.event.private and self.vault is not None:
            self.vault.keep(live.table_id, result.table, result.event)

    def _reload(self, live: LiveTable) -> None:
        live.table = self._load(live.table_id, live.code, live.table.module.id).table

    def apply(self, live: LiveTable, action: Any) -> Result:
        return self._apply(live, action)

    def now(self) -> datetime:
        return self.clock()

    # -- fan-out -------------------------------------------------------------------------

    def scene_frame(self, live: LiveTable) -> str:
        frame = self._scene_frame(live)
        # With an audience open, the screens say so (and how many watch).
        return frame if self.audience is None else self.audience.on_screen(live, frame)

    def _scene_frame(self, live: LiveTable) -> str:
        scene = live.table.scene()
        if scene.layout == "lobby":
            url = f"{self.public_url}/j/{live.code}" if self.public_url else None
            # Where a participant who cannot scan types the code: short, no scheme.
            short = self.public_url.split("://", 1)[-1] + "/j" if self.public_url else None
            elements = [e.model_copy(update={"url": url, "short_url": short})
                        if e.kind == "join" else e for e in scene.elements]
            scene = scene.model_copy(update={"elements": elements})
            return SceneMessage(seq=live.table.seq, scene=scene).model_dump_json()
        table = live.table
        # The bytes of SceneMessage(...).model_dump_json(), around the scene's JSON that the
        # table made once for every screen.
        return f'{{"t":"scene","seq":{table.seq},"scene":{table.scene_json()}}}'

    def controls_frame(self, live: LiveTable, seat: str) -> str:
        return self._controls_frame(live, seat, self.open_side_round(live))

    def _controls_frame(self, live: LiveTable, seat: str, side_round: SideRound | None) -> str:
        controls = None
        if side_round is not None:
            controls = side_round.controls(live, seat)
            # (audience, issue 21) A side round's tablets say an audience watches too.
            if controls is not None and self.audience is not None:
                controls = self.audience.on_tablet(live, seat, controls)
        if controls is None:
            table = live.table
            game = controls = table.controls(seat)
            for add in self.controls_additions:  # e.g. a keepsake's one-time QR code
                controls = add(live, seat, controls)
            if controls is game:
                # The bytes of ControlsMessage(...).model_dump_json(), around the JSON the
                # table made once (and shares between the seats that see the same thing).
                return (f'{{"t":"controls","seq":{table.seq},'
                        f'"controls":{table.controls_json(seat)}}}')
        return ControlsMessage(seq=live.table.seq, controls=controls).model_dump_json()

    def broadcast(self, live: LiveTable) -> None:
        with live.lock:
            frame = self.scene_frame(live) if live.screens else None
            targets: list[tuple[Connection, str]] = [(c, frame) for c in live.screens
                                                     if frame is not None]
            side_round = self.open_side_round(live)
            for seat, conn in live.seats.items():
                targets.append((conn, self._controls_frame(live, seat, side_round)))
        for conn, text in targets:
            _safe_send(conn, text)
        if self.audience is not None:
            self.audience.changed(live)

    # -- seats ---------------------------------------------------------------------------

    def join(self, live: LiveTable, nickname: str, avatar: Avatar,
             member: str | None = None) -> tuple[Result, str | None]:
        """Seat a new participant; returns the result and, when seated, the seat's token.
        The tablet gets its token first, then :meth:`attach` starts its controls."""
        if looks_like_identity_code(nickname):
            return identity_code_refusal(), None
        # A roster name always joins as that member, however it was spaced or cased.
        wanted = _tidy_name(nickname)
        member = next((m for name, m in live.roster.items() if _tidy_name(name) == wanted),
                      member)
        with live.lock:
            result = self._apply(live, Join(at=self.clock(), nickname=nickname, avatar=avatar,
                                             member=member), tell=False)
            if isinstance(result, Rejected):
                return result, None
            seat = live.table.meta.seats[-1].id
            token = secrets.token_urlsafe(24)
            self.store.save_token(hash_token(token), live.table_id, seat)
            live.last_ids[seat] = 0
            self.broadcast(live)
            return result, token

    def request_join(self, live: LiveTable, pending: PendingJoin) -> None:
        """Hold a join until the leader admits or refuses it."""
        with live.lock:
            live.pending[pending.id] = pending

    def decide_join(self, live: LiveTable, pending_id: str, admit: bool) -> bool:
        """The leader's decision on a held join. Returns False if it is no longer waiting."""
        with live.lock:
            pending = live.pending.pop(pending_id, None)
            if pending is None:
                return False
            if admit:
                result, token = self.join(live, pending.nickname, pending.avatar, pending.member)
            else:
                result, token = Rejected(reason=Reason.refused, message=message("not_admitted"),
                                         message_key="not_admitted"), None
        pending.decided(result, token)
        return True

    def set_screen_lang(self, live: LiveTable, lang: str) -> None:
        """The leader sets the shared screens' language; every screen switches at once."""
        with live.lock:
            live.screen_lang = lang
            frame = ScreenSettings(lang=lang).model_dump_json()
            screens = list(live.screens)
        for conn in screens:
            _safe_send(conn, frame)

    def attach(self, live: LiveTable, conn: Connection, seat_id: str) -> None:
        """Start sending a seat's controls to ``conn`` (after it has its token)."""
        with live.lock:
            live.seats[seat_id] = conn
            frame = self.controls_frame(live, seat_id)
        _safe_send(conn, frame)

    def seat_of_token(self, live: LiveTable, token: str) -> str | None:
        """The seat at ``live`` that ``token`` holds, if it still sits there; changes nothing."""
        found = self.store.find_token(hash_token(token))
        if found is None or found[0] != live.table_id:
            return None
        seat = live.table.seat(found[1])
        return None if seat is None or seat.gone else seat.id

    def reclaim(self, live: LiveTable, conn: Connection, token: str) -> str | None:
        """Give a returning tablet its own seat back. Returns the seat, or None."""
        seat_id = self.seat_of_token(live, token)
        if seat_id is None:
            return None
        seat = live.table.seat(seat_id)
        assert seat is not None
        with live.lock:
            old = live.seats.get(seat_id)
            live.seats[seat_id] = conn
            if old is not None and old is not conn:
                # The same person opened a second tab, or the old connection is stale.
                _safe_send(old, Gone(reason="elsewhere",
                                     message=message("opened_elsewhere")).model_dump_json())
                _safe_close(old)
            if not seat.connected and live.table.status is not TableStatus.ended:
                self._apply(live, Presence(at=self.clock(), seat=seat_id, connected=True),
                            tell=False)
            self.broadcast(live)
        return seat_id

    def handover(self, live: LiveTable, conn: Connection, seat_id: str, token: str | None) -> None:
        with live.lock:
            if live.seats.get(seat_id) is conn:
                del live.seats[seat_id]
            if token:
                self.store.release_token(hash_token(token))
            if live.table.status is not TableStatus.ended:
                self._apply(live, Leave(at=self.clock(), seat=seat_id))

    def disconnected(self, live: LiveTable, conn: Connection, seat_id: str | None) -> None:
        with live.lock:
            live.screens.discard(conn)
            live.screen_info.pop(id(conn), None)
            for key in [k for k, p in live.pending.items() if p.conn is conn]:
                del live.pending[key]
            if seat_id is None or live.seats.get(seat_id) is not conn:
                return
            del live.seats[seat_id]
            seat = live.table.seat(seat_id)
            if seat is not None and seat.connected and not seat.gone and (
                    live.table.status is not TableStatus.ended):
                self._apply(live, Presence(at=self.clock(), seat=seat_id, connected=False))

    def move(self, live: LiveTable, seat_id: str, msg_id: int, name: str,
             payload: dict[str, Any]) -> Result | Replayed:
        """A seat's move (a game move, or a step of the side round that owns its name)."""
        with live.lock:
            if msg_id <= live.last_ids.get(seat_id, 0):
                return Replayed(msg_id)
            live.last_ids[seat_id] = msg_id
            if first_identity_code_text(payload) is not None:
                # Whatever the game: no free text from a tablet may hold an identity code.
                return identity_code_refusal()
            side_round = next((r for r in self.side_rounds if r.owns(name)), None)
            if side_round is not None:
                return self._side_step(live, side_round, seat_id, name, payload)
            return self._apply(live, MakeMove(at=self.clock(), seat=seat_id, name=name,
                                              payload=payload))

    def pass_turn(self, live: LiveTable, seat_id: str, msg_id: int) -> Result | Replayed:
        with live.lock:
            if msg_id <= live.last_ids.get(seat_id, 0):
                return Replayed(msg_id)
            live.last_ids[seat_id] = msg_id
            side_round = self.open_side_round(live)
            if side_round is not None:
                return self._side_step(live, side_round, seat_id, side_round.pass_name(), {})
            return self._apply(live, PassTurn(at=self.clock(), seat=seat_id))

    def _side_step(self, live: LiveTable, side_round: SideRound, seat_id: str, name: str,
                   payload: dict[str, Any]) -> Result:
        """A side round's step, always in this order: judge, check, store, commit, follow
        up (see :mod:`facilitator.live.sideround`)."""
        at = self.clock()
        step = side_round.step(live, seat_id, name, payload, at)
        if isinstance(step, Rejected):
            return step
        trial = live.table.apply(step.action)
        if isinstance(trial, Rejected):
            return side_round.refused(trial)
        if step.store is not None:
            refused = step.store()
            if refused is not None:
                return refused
        result = self._apply(live, step.action)
        if isinstance(result, Rejected):
            return side_round.refused(result)
        follow = side_round.follow_up(live, seat_id, at)
        if follow is not None:
            followed = self._apply(live, follow)
            if isinstance(followed, Rejected):
                return side_round.refused(followed)
        return result

    def end(self, live: LiveTable) -> Result:
        with live.lock:
            self.close_side_round(live)  # the round is marked closed, then the table ends
            result = self._apply(live, EndTable(at=self.clock()))
            if not isinstance(result, Rejected):
                for hook in self.after_end:
                    hook(live)
            return result

    def close_side_round(self, live: LiveTable) -> None:
        """Close the side round open at ``live``, if any (e.g. the feedback after the game,
        which the roll call closes)."""
        with live.lock:
            side_round = self.open_side_round(live)
            if side_round is not None:
                closing = side_round.closing(live, self.clock())
                if closing is not None:
                    self._apply(live, closing)

    def tick_all(self) -> None:
        """Send ticks to tables whose timers need them (called about once a second)."""
        now = self.clock()
        self.forget_ended()
        self.trimmer.maybe()
        for live in self.tables():
            wake = live.table.next_tick_at()
            if wake is not None and wake <= now:
                self._apply(live, Tick(at=now))


def _safe_send(conn: Connection, text: str) -> None:
    try:
        conn.send(text)
    except Exception as error:  # a dropped socket must not stop the others
        log.debug("send failed: %s", error)


def _safe_close(conn: Connection) -> None:
    try:
        conn.close()
    except Exception as error:
        log.debug("close failed: %s", error)
