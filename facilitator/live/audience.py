"""An audience at a table: people who watch the activity's audience-safe scene and vote in a
ballot of their own, beside the group and never in it.

A community event may have one group playing and many watching. The leader opens the audience
on the live table page (with a cap, :data:`DEFAULT_CAP` unless changed) and may close it at any
time; only activities that declare an audience-safe scene (:mod:`engine.audience`) offer one.
People join with the table's room code on the audience page (``/a/<code>``), whose socket says
``hello`` with the role ``audience``. An audience member:

- has no seat, no nickname and no token at the table: it is never in the table's log, its
  records or exports, and nothing it does reaches the game;
- sees :func:`engine.audience.audience_view`: the activity's scene without names, or a neutral
  "a moment, please" while a check-in or the feedback round runs, or the table is on a break;
- votes at most once per ballot (a random token the audience page keeps in the browser's
  storage ties a reconnect to its vote; without one, once per connection). Votes are counted in
  memory, per option per ballot, never per person, and shown apart from the group's ("Audience:
  34 votes, most for option 2"); the group's vote is decided by the group alone.

The participants' tablets and the shared screen say plainly that an audience is watching, and
how many. Counts reach them at most once per :data:`REFRESH_S`, so that a thousand people
joining is not a thousand updates of every screen.

Each change is serialised once (:class:`AudienceRoom`) and the same text is sent to every
audience connection. In cluster mode (:mod:`facilitator.live.cluster`) the table's owner
publishes that text once on one Redis channel that every process listens to; a process that
holds audience connections of a table it does not own sends them the text, and sends the owner
their votes and how many it holds. Admission there reads the owner's state (open, cap, how many
watch) from Redis, so the cap holds across processes to within one refresh.

Limits: the audience has its own (:data:`AUDIENCE_BURST`, :data:`AUDIENCE_PER_S` frames per
connection, and the cap per table), not the per-address ones, so that a whole event behind
one venue's address gets in; a wrong room code still counts against the address.

The audience's settings (open or closed, the cap) are a table setting the cluster keeps in the
shared store (:meth:`facilitator.live.cluster.Cluster.keep_settings`): after a failover the new
owner opens it again as it was (:meth:`Audiences.restore`), and the audience pages reconnect by
themselves and watch on. Audience connections held by a process whose table's owner changed
are closed so that they reconnect to the new one (:meth:`_ClusterLink.reroute`). The votes on
the open ballot are counted in the owner's memory only: a failover starts them again. On one
process a restart closes the audience (the leader opens it again).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from pydantic import ValidationError
from wsproto.frame_protocol import FrameProtocol

from engine import LocalizedText, SeatControls, TableStatus, TextBlockElement, TextControl
from engine.audience import AudienceBallot, audience_view
from engine.protocol import (
    PROTOCOL_VERSION,
    AudienceScene,
    AudienceTally,
    AudienceVote,
    AudienceVoted,
    ErrorMessage,
    Gone,
    Hello,
    Ping,
    Pong,
    parse_client_message,
)
from engine.text import in_four

from .hub import Hub, LiveTable
from .roomcode import normalise

__all__ = ["AUDIENCE_BURST", "AUDIENCE_PER_S", "DEFAULT_CAP", "MAX_CAP", "REFRESH_S",
           "AudienceRoom", "Audiences", "bp", "install"]

log = logging.getLogger("piiri.audience")

#: How many may watch one table unless the leader sets another cap.
DEFAULT_CAP = 200
#: The largest cap a leader may set.
MAX_CAP = 10_000
#: Counts (how many watch, the audience's votes) reach screens, tablets and the audience at
#: most this often (a change of the game's scene reaches the audience at once).
REFRESH_S = 1.0
#: Frames one audience connection may send: a burst of this many, refilled at AUDIENCE_PER_S.
AUDIENCE_BURST = 5
AUDIENCE_PER_S = 1.0
#: An audience connection that keeps sending over its limit this many times is dropped.
AUDIENCE_FLOOD_DROP = 50
#: A new owner numbers its audience frames from the old owner's last saved number plus this
#: (more frames than the old owner could send between saving it and dying).
RESTORED_N_GAP = 1000

bp = Blueprint("audience", __name__, template_folder="templates")

# -- words (the tablets', the screen's and the audience's: fi, sv, en and easy Finnish) ----------

WATCHING = in_four("Yleisö katsoo peliä: {n} katsojaa. He näkevät yhteisen näytön ilman nimiänne.",
                   "En publik tittar på spelet: {n} personer. De ser den gemensamma skärmen utan "
                   "era namn.",
                   "An audience is watching: {n} people. They see the shared screen without your "
                   "names.",
                   "Yleisö katsoo peliä. Katsojia on {n}. He eivät näe nimiänne.")
TALLY = in_four("Yleisö: {votes} ääntä, eniten vaihtoehdolle {top}.",
                "Publiken: {votes} röster, flest för alternativ {top}.",
                "Audience: {votes} votes, most for option {top}.",
                "Yleisö: {votes} ääntä. Eniten ääniä: vaihtoehto {top}.")
TALLY_HIDDEN = in_four("Yleisö: {votes} ääntä.", "Publiken: {votes} röster.",
                       "Audience: {votes} votes.", "Yleisö: {votes} ääntä.")
FULL = in_four("Yleisössä ei ole nyt enempää tilaa. Kokeile myöhemmin uudelleen.",
               "Publiken är full just nu. Försök igen senare.",
               "The audience is full right now. Try again later.",
               "Yleisöön ei mahdu nyt enempää. Kokeile myöhemmin.")
CLOSED = in_four("Tähän peliin ei nyt voi tulla yleisöksi.",
                 "Det går inte att titta på det här spelet nu.",
                 "This game has no audience open right now.",
                 "Tätä peliä ei voi nyt katsoa.")
NOT_OFFERED = in_four("Tätä peliä ei voi katsoa yleisönä.",
                      "Det här spelet kan inte ha en publik.",
                      "This activity cannot have an audience.",
                      "Tätä peliä ei voi katsoa.")
CLOSED_NOW = in_four("Pelin ohjaaja sulki yleisön. Kiitos, että katsoit!",
                     "Ledaren stängde publiken. Tack för att du tittade!",
                     "The leader closed the audience. Thank you for watching!",
                     "Ohjaaja sulki yleisön. Kiitos!")
NO_BALLOT = in_four("Tässä äänestyksessä ei voi nyt äänestää.",
                    "Det går inte att rösta i den här omröstningen nu.",
                    "This vote is not open now.",
                    "Nyt ei voi äänestää.")
NO_ROOM = in_four("Koodilla ei löytynyt peliä. Tarkista koodi.",
                  "Ingen spel hittades med koden. Kontrollera koden.",
                  "No game was found with this code. Check the code.",
                  "Koodilla ei löytynyt peliä.")
TOO_MANY = in_four("Liian monta viestiä. Odota hetki.", "För många meddelanden. Vänta lite.",
                   "Too many messages. Wait a moment.", "Liikaa viestejä. Odota hetki.")
BAD = in_four("Viesti ei kelpaa.", "Meddelandet gick inte att läsa.",
              "The message could not be read.", "Viesti ei kelpaa.")


@dataclass
class _Member:
    conn: Any
    voter: str
    session: Any
    tokens: float = float(AUDIENCE_BURST)
    refilled: float = field(default_factory=time.monotonic)
    over: int = 0


@dataclass
class AudienceRoom:
    """One table's audience, in its owner's memory: who watches here, the votes per ballot,
    and the last text every audience member was sent."""

    table_id: str
    code: str
    open: bool = False
    cap: int = DEFAULT_CAP
    members: dict[int, _Member] = field(default_factory=dict)
    remote: dict[str, int] = field(default_factory=dict)
    """How many watch through each other process (cluster mode)."""
    votes: dict[str, dict[str, str]] = field(default_factory=dict)
    """By ballot key: each voter's choice (the voter is a hash, never a person)."""
    n: int = 0
    body: str = ""
    frame: str = ""
    ballot: AudienceBallot | None = None
    refreshing: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def watching(self) -> int:
        return len(self.members) + sum(self.remote.values())

    def counts(self, key: str) -> dict[str, int]:
        counted: dict[str, int] = {}
        for choice in self.votes.get(key, {}).values():
            counted[choice] = counted.get(choice, 0) + 1
        return counted


def _tally(room: AudienceRoom, ballot: AudienceBallot | None) -> AudienceTally | None:
    if ballot is None:
        return None
    counted = room.counts(ballot.key)
    votes = sum(counted.values())
    if not ballot.show_counts:
        return AudienceTally(votes=votes)
    counts = {o.value: counted.get(o.value, 0) for o in ballot.options}
    best = max(counts.values(), default=0)
    top = [v for v, c in counts.items() if c == best] if best else []
    return AudienceTally(votes=votes, counts=counts, top=top)


def tally_words(ballot: AudienceBallot | None, tally: AudienceTally | None) -> LocalizedText | None:
    """"Audience: 34 votes, most for option 2" (options by their number on the ballot)."""
    if ballot is None or tally is None:
        return None
    if tally.counts is None or not tally.top:
        return TALLY_HIDDEN.format(votes=tally.votes)
    numbers = [str(i) for i, o in enumerate(ballot.options, start=1) if o.value in tally.top]
    return TALLY.format(votes=tally.votes, top=", ".join(numbers))


class Audiences:
    """The audiences of this process's tables (and, in cluster mode, its audience
    connections to tables other processes own)."""

    def __init__(self, hub: Hub, config: Any = None) -> None:
        config = config or {}
        self.hub = hub
        self.rooms: dict[str, AudienceRoom] = {}
        self.default_cap = int(config.get("AUDIENCE_CAP") or DEFAULT_CAP)
        self.refresh_s = float(config.get("AUDIENCE_REFRESH_S") or REFRESH_S)
        self.limits: Any = None
        self.link: _ClusterLink | None = None
        self._lock = threading.Lock()

    # -- the leader ---------------------------------------------------------------------------

    def offered(self, live: LiveTable) -> bool:
        """Whether the table's activity declares an audience-safe scene."""
        return live.table.module.audience is not None

    def room(self, live: LiveTable) -> AudienceRoom | None:
        return self.rooms.get(live.table_id)

    def _room(self, live: LiveTable) -> AudienceRoom:
        with self._lock:
            room = self.rooms.get(live.table_id)
            if room is None:
                room = self.rooms[live.table_id] = AudienceRoom(live.table_id, live.code,
                                                                cap=self.default_cap)
            return room

    def set_open(self, live: LiveTable, is_open: bool, cap: int | None = None) -> bool:
        """Open (with ``cap``) or close the table's audience. False, changing nothing, when
        the activity offers none. Closing tells every audience member and lets them go."""
        if not self.offered(live):
            return False
        room = self._room(live)
        with room.lock:
            room.open = is_open
            if cap is not None:
                room.cap = cap
            members = [] if is_open else list(room.members.values())
            if not is_open:
                room.members.clear()
                room.remote.clear()
        if members:
            frame = Gone(reason="audience_closed", message=CLOSED_NOW).model_dump_json()
            for member in members:
                member.session.audience_left = True
                _send(member.conn, frame)
                _close(member.conn)
        if self.link is not None:
            self.link.state(live, room)
            if not is_open:
                self.link.publish({"k": "close", "table": live.table_id})
        self.hub.broadcast(live)  # the screens and tablets say so at once
        return True

    def restore(self, live: LiveTable, is_open: bool, cap: int, n: int = 0) -> None:
        """A table taken over from another process: its audience as that process left it
        (nobody watches here yet; the audience pages reconnect). ``n`` is the last frame
        number the old owner may have sent: the count goes on well past it, since an audience
        page ignores a frame older than the one it has."""
        if not self.offered(live):
            return
        room = self._room(live)
        with room.lock:
            room.open = is_open
            room.cap = cap if 1 <= cap <= MAX_CAP else self.default_cap
            room.n = max(room.n, n + RESTORED_N_GAP)
        if self.link is not None:
            self.link.state(live, room)

    def let_go(self, table_id: str) -> None:
        """This process no longer owns the table: close its audience connections here (they
        reconnect, and reach the new owner) and forget the room."""
        with self._lock:
            room = self.rooms.pop(table_id, None)
        if room is None:
            return
        with room.lock:
            members = list(room.members.values())
            room.members.clear()
            room.remote.clear()
        for member in members:
            member.session.audience_member = None  # left() must not count it any more
            _close(member.conn)

    # -- what the screens and tablets show -----------------------------------------------------

    def on_screen(self, live: LiveTable, frame: str) -> str:
        """The screens' scene frame, with a note that an audience watches (and its count)."""
        room = self.rooms.get(live.table_id)
        if room is None or not room.open:
            return frame
        notes = [TextBlockElement(text=WATCHING.format(n=room.watching), style="note")]
        said = tally_words(room.ballot, _tally(room, room.ballot)) if room.ballot else None
        if said is not None:
            notes.append(TextBlockElement(text=said, style="note"))
        data = json.loads(frame)
        data["scene"]["elements"].extend(n.model_dump(mode="json") for n in notes)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def on_tablet(self, live: LiveTable, seat: str, controls: SeatControls) -> SeatControls:
        """A seat's controls, with the same plain note (a hub controls addition)."""
        room = self.rooms.get(live.table_id)
        if room is None or not room.open:
            return controls
        note = TextControl(text=WATCHING.format(n=room.watching), style="note")
        return controls.model_copy(update={"items": [*controls.items, note]})

    # -- fan-out ------------------------------------------------------------------------------

    def changed(self, live: LiveTable) -> bool:
        """The table changed (the hub has told its screens and tablets): tell the audience,
        with one text made once for all of them, if it differs from what they have. Returns
        whether it did."""
        room = self.rooms.get(live.table_id)
        if room is None or not (room.members or room.remote):
            return False
        with live.lock, room.lock:
            frame = self._frame(live, room)
            if frame is None:
                return False
            targets = [m.conn for m in room.members.values()]
        _fan_out(targets, frame)
        if self.link is not None:
            self.link.frame(live, room, frame)
        return True

    def _frame(self, live: LiveTable, room: AudienceRoom) -> str | None:
        """The next text for the audience, or None when it would be what they have."""
        view = audience_view(live.table)
        if view is None:
            return None
        ballot = view.ballot
        if ballot is None and self.hub.open_side_round(live) is not None:
            ballot = None
        tally = _tally(room, ballot)
        body = AudienceScene(n=0, scene=view.scene, ballot=ballot,
                             tally=tally).model_dump_json()
        room.ballot = ballot
        if body == room.body:
            return None
        room.body = body
        room.n += 1
        # The same bytes as AudienceScene(n=room.n, ...).model_dump_json(), made once.
        room.frame = body.replace('"n":0,', f'"n":{room.n},', 1)
        return room.frame

    def _schedule(self, live: LiveTable, room: AudienceRoom) -> None:
        """Counts changed: tell screens, tablets and the audience once :data:`REFRESH_S` has
        passed (however many changes come meanwhile)."""
        with room.lock:
            if room.refreshing:
                return
            room.refreshing = True

        def refresh() -> None:
            with room.lock:
                room.refreshing = False
            try:
                self.hub.broadcast(live)
                if self.link is not None:
                    self.link.state(live, room)
            except Exception:
                log.exception("audience refresh failed")

        timer = threading.Timer(self.refresh_s, refresh)
        timer.daemon = True
        timer.start()

    # -- audience connections -----------------------------------------------------------------

    def handle(self, session: Any, raw: str | bytes) -> bool:
        """A frame on a WebSocket: True when it was the audience's (an audience hello, or
        anything from an audience connection), and is handled."""
        if getattr(session, "role", None) != "audience":
            if (b"audience" if isinstance(raw, bytes) else "audience") not in raw:
                return False
            try:
                msg = parse_client_message(raw)
            except (ValueError, ValidationError):
                return False
            if not isinstance(msg, Hello) or msg.role != "audience":
                return False
            if not session.tokens >= 1:  # the connection's own limit still holds
                return False
            session.tokens -= 1
            self.hello(session, msg)
            return True
        member = getattr(session, "audience_member", None)
        if member is None or not self._allowed(member):
            if member is not None:
                member.over += 1
                if member.over >= AUDIENCE_FLOOD_DROP:
                    session.conn.drop("floods")
                    return True
            _send(session.conn, ErrorMessage(reason="too_many", message=TOO_MANY))
            return True
        member.over = 0
        try:
            msg = parse_client_message(raw)
        except (ValueError, ValidationError):
            _send(session.conn, ErrorMessage(reason="bad_message", message=BAD))
            return True
        if isinstance(msg, Ping):
            _send(session.conn, Pong())
        elif isinstance(msg, AudienceVote):
            self.vote(session, member, msg)
        else:
            _send(session.conn, ErrorMessage(reason="bad_message", message=BAD))
        return True

    def _allowed(self, member: _Member) -> bool:
        now = time.monotonic()
        member.tokens = min(AUDIENCE_BURST,
                            member.tokens + (now - member.refilled) * AUDIENCE_PER_S)
        member.refilled = now
        if member.tokens < 1:
            return False
        member.tokens -= 1
        return True

    def _refuse(self, session: Any, reason: str, words: LocalizedText) -> None:
        _send(session.conn, ErrorMessage(reason=reason, message=words))
        session.conn.close()

    def hello(self, session: Any, msg: Hello) -> None:
        if msg.v != PROTOCOL_VERSION:
            self._refuse(session, "old_version", BAD)
            return
        if session.live is not None or getattr(session, "audience_member", None) is not None:
            self._refuse(session, "bad_message", BAD)
            return
        address = session.address
        if not session.limits.may_try_code(address):
            self._refuse(session, "too_many_codes", TOO_MANY)
            return
        live = self.hub.find(msg.room)
        if live is None and self.link is not None:
            if self.link.hello(session, msg):
                return
            live = self.hub.find(msg.room)  # taken over by this process just now
        if live is None or live.table.status is TableStatus.ended:
            if live is None:
                session.limits.wrong_code(address)
            self._refuse(session, "no_room", NO_ROOM)
            return
        if not self.offered(live):
            self._refuse(session, "audience_not_offered", NOT_OFFERED)
            return
        room = self._room(live)
        with room.lock:
            if not room.open:
                refusal: tuple[str, LocalizedText] | None = ("audience_closed", CLOSED)
            elif room.watching >= room.cap:
                refusal = ("audience_full", FULL)
            else:
                refusal = None
                member = _Member(session.conn, _voter(live.table_id, msg.token, session),
                                 session)
                room.members[id(session.conn)] = member
        if refusal is not None:
            self._refuse(session, *refusal)
            return
        session.role, session.live, session.audience_member = "audience", live, member
        session.audience_room = room
        session._joined_something()
        if not self.changed(live):  # (if it changed, everyone has it now, this one too)
            _send(session.conn, room.frame)
        voted = room.votes.get(room.ballot.key, {}).get(member.voter) if room.ballot else None
        if voted is not None and room.ballot is not None:
            _send(session.conn, AudienceVoted(ballot=room.ballot.key, choice=voted))
        self._schedule(live, room)

    def vote(self, session: Any, member: _Member, msg: AudienceVote) -> None:
        room = getattr(session, "audience_room", None)
        if room is None:  # watching a table another process owns
            if self.link is not None:
                self.link.vote(session, member, msg)
            return
        live = session.live
        with live.lock, room.lock:
            ballot = room.ballot  # as the audience was last shown it
            if ballot is None or not ballot.open or ballot.key != msg.ballot or \
                    msg.choice not in {o.value for o in ballot.options}:
                refused = True
            else:
                refused = False
                chosen = room.votes.setdefault(ballot.key, {}).setdefault(member.voter,
                                                                          msg.choice)
        if refused:
            _send(session.conn, ErrorMessage(reason="audience_no_ballot", message=NO_BALLOT))
            return
        _send(session.conn, AudienceVoted(ballot=msg.ballot, choice=chosen))
        self._schedule(live, room)

    def count_vote(self, table_id: str, key: str, choice: str, voter: str) -> None:
        """A vote from an audience member on another process (cluster mode)."""
        live = next((t for t in self.hub.tables() if t.table_id == table_id), None)
        room = self.rooms.get(table_id)
        if live is None or room is None or not room.open:
            return
        with live.lock, room.lock:
            ballot = room.ballot
            if ballot is None or not ballot.open or ballot.key != key or \
                    choice not in {o.value for o in ballot.options}:
                return
            room.votes.setdefault(key, {}).setdefault(voter, choice)
        self._schedule(live, room)

    def remote_count(self, table_id: str, process: str, count: int) -> None:
        live = next((t for t in self.hub.tables() if t.table_id == table_id), None)
        room = self.rooms.get(table_id)
        if live is None or room is None or not room.open:
            return
        with room.lock:
            room.remote[process] = max(0, count)
        self._schedule(live, room)

    def left(self, session: Any) -> None:
        """An audience connection closed."""
        member = getattr(session, "audience_member", None)
        if member is None:
            return
        session.audience_member = None
        room = getattr(session, "audience_room", None)
        if room is None:
            if self.link is not None:
                self.link.left(session)
            return
        with room.lock:
            gone = room.members.pop(id(session.conn), None) is not None
        if gone and session.live is not None:
            self._schedule(session.live, room)


def _voter(table_id: str, token: str | None, session: Any) -> str:
    """Who voted, as a hash: the audience page's own token (so a reconnect keeps its vote), or
    this connection alone."""
    seed = token if token else f"conn:{id(session)}:{time.monotonic_ns()}"
    return hashlib.sha256(f"{table_id}:{seed}".encode()).hexdigest()[:24]


def _fan_out(conns: list[Any], text: str) -> None:
    """Send ``text`` to every connection, framed once (a WebSocket frame without compression
    is the same bytes for every connection a server sends it to)."""
    data = bytes(FrameProtocol(client=False, extensions=[]).send_data(text, fin=True)) \
        if len(conns) > 1 else b""
    for conn in conns:
        framed = getattr(conn, "send_framed", None)
        if data and framed is not None:
            try:
                framed(data)
            except Exception as error:
                log.debug("send failed: %s", error)
        else:
            _send(conn, text)


def _send(conn: Any, msg: Any) -> None:
    try:
        conn.send(msg if isinstance(msg, str) else msg.model_dump_json())
    except Exception as error:  # a dropped socket must not stop the others
        log.debug("send failed: %s", error)


def _close(conn: Any) -> None:
    try:
        conn.close()
    except Exception as error:
        log.debug("close failed: %s", error)


# -- several processes --------------------------------------------------------------------------


@dataclass
class _EdgeRoom:
    """On a process that does not own the table: its audience connections here."""

    table_id: str
    owner: str = ""
    """The process that owned the table when this room was made here."""
    members: dict[int, _Member] = field(default_factory=dict)
    frame: str = ""
    n: int = -1
    ballot: dict[str, Any] | None = None
    counting: bool = False
    reported: int = 0
    """How many watch here as last told to the owner."""


class _ClusterLink:
    """The audience over Redis: one channel every process listens to."""

    def __init__(self, audiences: Audiences, cluster: Any) -> None:
        self.audiences, self.cluster = audiences, cluster
        self.redis = cluster.redis
        self.prefix = cluster.store.prefix
        self.channel = f"{self.prefix}audience"
        self.edges: dict[str, _EdgeRoom] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def start(self) -> None:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(self.channel)
        threading.Thread(target=self._listen, args=(pubsub,), name="piiri-audience-listen",
                         daemon=True).start()

    def publish(self, msg: dict[str, Any]) -> None:
        try:
            self.redis.publish(self.channel, json.dumps(msg))
        except Exception as error:
            log.warning("could not publish to the audience channel: %s", error)

    def _key(self, table_id: str) -> str:
        return f"{self.prefix}audience:{table_id}"

    # the owner's side

    def state(self, live: LiveTable, room: AudienceRoom) -> None:
        try:
            if room.open:
                self.redis.set(self._key(live.table_id), json.dumps(
                    {"open": True, "cap": room.cap, "watching": room.watching,
                     "frame": room.frame}))
            else:
                self.redis.delete(self._key(live.table_id))
        except Exception as error:
            log.warning("could not keep the audience's state: %s", error)

    def frame(self, live: LiveTable, room: AudienceRoom, frame: str) -> None:
        if room.remote:
            self.publish({"k": "frame", "table": live.table_id, "frame": frame})
        self.state(live, room)

    # the edge's side

    def hello(self, session: Any, msg: Hello) -> bool:
        """An audience hello for a table this process does not hold: True when another
        process owns it (and this one now serves the connection, or refused it)."""
        found = self.cluster.owner_for_code(msg.room)
        if found is None or found[1] == self.cluster.id:
            return False
        table_id = found[0]
        try:
            raw = self.redis.get(self._key(table_id))
        except Exception:
            raw = None
        state = json.loads(raw) if raw else None
        if not state or not state.get("open"):
            self.audiences._refuse(session, "audience_closed", CLOSED)
            return True
        with self._lock:
            edge = self.edges.setdefault(table_id, _EdgeRoom(table_id, owner=found[1]))
            # The owner's count holds what this process told it last; add who came since.
            watching = int(state.get("watching", 0)) - edge.reported + len(edge.members)
            full = watching >= int(state.get("cap", 0))
            if not full:
                member = _Member(session.conn, _voter(table_id, msg.token, session), session)
                edge.members[id(session.conn)] = member
                if not edge.frame and state.get("frame"):
                    self._take(edge, state["frame"])
                frame = edge.frame
        if full:
            self.audiences._refuse(session, "audience_full", FULL)
            return True
        session.role, session.audience_member, session.audience_edge = "audience", member, edge
        session._joined_something()
        if frame:
            _send(session.conn, frame)
        self._count(edge)
        return True

    def reroute(self, owners: dict[str, str]) -> None:
        """Close this process's audience connections of tables whose owner is no longer the
        one they watch through (it died, or handed the table over): the audience pages
        reconnect, and reach the new owner. Called by the cluster's sweep with every table's
        owner now."""
        with self._lock:
            stale = [edge for table_id, edge in self.edges.items()
                     if owners.get(table_id) != edge.owner]
            for edge in stale:
                del self.edges[edge.table_id]
        for edge in stale:
            for member in list(edge.members.values()):
                member.session.audience_member = None  # left() must not count it any more
                _close(member.conn)

    def _take(self, edge: _EdgeRoom, frame: str) -> bool:
        data = json.loads(frame)
        if data.get("n", 0) <= edge.n:
            return False
        edge.n, edge.frame, edge.ballot = data["n"], frame, data.get("ballot")
        return True

    def vote(self, session: Any, member: _Member, msg: AudienceVote) -> None:
        edge: _EdgeRoom = session.audience_edge
        ballot = edge.ballot
        if not ballot or not ballot.get("open") or ballot.get("key") != msg.ballot or \
                msg.choice not in {o["value"] for o in ballot.get("options", [])}:
            _send(session.conn, ErrorMessage(reason="audience_no_ballot", message=NO_BALLOT))
            return
        self.publish({"k": "vote", "table": edge.table_id, "ballot": msg.ballot,
                      "choice": msg.choice, "voter": member.voter})
        _send(session.conn, AudienceVoted(ballot=msg.ballot, choice=msg.choice))

    def left(self, session: Any) -> None:
        edge: _EdgeRoom | None = getattr(session, "audience_edge", None)
        if edge is None:
            return
        with self._lock:
            edge.members.pop(id(session.conn), None)
        self._count(edge)

    def _count(self, edge: _EdgeRoom) -> None:
        """Tell the owner how many watch here, at most once per refresh."""
        with self._lock:
            if edge.counting:
                return
            edge.counting = True

        def tell() -> None:
            with self._lock:
                edge.counting = False
                count = edge.reported = len(edge.members)
            self.publish({"k": "count", "table": edge.table_id, "edge": self.cluster.id,
                          "n": count})

        timer = threading.Timer(self.audiences.refresh_s, tell)
        timer.daemon = True
        timer.start()

    def _stopping(self) -> bool:
        stop = getattr(self.cluster, "_stop", None)
        return self._stop.is_set() or (stop is not None and stop.is_set())

    def _listen(self, pubsub: Any) -> None:
        while not self._stopping():
            try:
                message = pubsub.get_message(timeout=1.0)
            except Exception as error:  # Redis went away: one line, then try again
                if self._stopping():
                    return
                log.warning("the audience channel failed (%s); subscribing again",
                            type(error).__name__)
                if self._stop.wait(1.0):
                    return
                try:
                    pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                    pubsub.subscribe(self.channel)
                except Exception as again:
                    log.warning("could not subscribe to the audience channel again (%s)",
                                type(again).__name__)
                continue
            if message is None or message.get("type") != "message":
                continue
            try:
                self._on_message(json.loads(message["data"]))
            except Exception:
                log.exception("an audience message failed")

    def _on_message(self, msg: dict[str, Any]) -> None:
        kind, table_id = msg.get("k"), msg.get("table", "")
        if kind == "frame":
            edge = self.edges.get(table_id)
            if edge is None:
                return
            with self._lock:
                if not self._take(edge, msg["frame"]):
                    return
                targets = [m.conn for m in edge.members.values()]
            _fan_out(targets, msg["frame"])
        elif kind == "close":
            with self._lock:
                edge = self.edges.pop(table_id, None)
            if edge is not None:
                text = Gone(reason="audience_closed", message=CLOSED_NOW).model_dump_json()
                for member in list(edge.members.values()):
                    member.session.audience_member = None
                    _send(member.conn, text)
                    _close(member.conn)
        elif kind == "vote":
            self.audiences.count_vote(table_id, msg["ballot"], msg["choice"], msg["voter"])
        elif kind == "count" and msg.get("edge") != self.cluster.id:
            self.audiences.remote_count(table_id, msg["edge"], int(msg["n"]))


# -- pages --------------------------------------------------------------------------------------


def audiences() -> Audiences:
    found: Audiences = current_app.extensions["piiri.audience"]
    return found


@bp.get("/a/<code>")
def audience_page(code: str) -> Response:
    """The audience's page: the scene without names, and the audience's own ballot."""
    hub: Hub = current_app.extensions["piiri.hub"]
    live = hub.find(code)
    page = render_template("live/audience.html", room=normalise(code)[:16],
                           ws_url_path=url_for("live.ws") + "?role=audience",
                           static=url_for("static", filename="").rstrip("/"),
                           title=live.table.module.title if live is not None else None)
    response = Response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/panel/t/<code>/audience")
def leader_audience(code: str) -> Any:
    """The leader opens the audience (with a cap) or closes it."""
    from flask_babel import gettext
    from flask_login import current_user

    from facilitator.accounts import owned_table

    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    hub: Hub = current_app.extensions["piiri.hub"]
    live = hub.find(code)
    if live is None:
        abort(404)
    owned_table(live.table_id)
    back = url_for("panel.table", code=live.code)
    if not audiences().offered(live):
        return redirect(back + "?notice=" + gettext("This activity cannot have an audience: "
                                                    "its screen shows the group's names."))
    if request.form.get("do") == "close":
        audiences().set_open(live, False)
        return redirect(back)
    try:
        cap = int((request.form.get("cap") or str(DEFAULT_CAP)).strip())
    except ValueError:
        cap = 0
    if not 1 <= cap <= MAX_CAP:
        return redirect(url_for("panel.table", code=live.code, notice=gettext(
            "The audience's size must be a whole number from 1 to %(max)s. Nothing was "
            "changed.", max=MAX_CAP)))
    audiences().set_open(live, True, cap)
    return redirect(back)


def panel_state(live: LiveTable) -> dict[str, Any] | None:
    """What the live table page shows of the audience (None: the activity offers none)."""
    found: Audiences | None = current_app.extensions.get("piiri.audience")
    if found is None or not found.offered(live):
        return None
    room = found.room(live)
    if room is None:
        return {"open": False, "cap": found.default_cap, "watching": 0, "tally": None}
    said = tally_words(room.ballot, _tally(room, room.ballot)) if room.open else None
    return {"open": room.open, "cap": room.cap, "watching": room.watching if room.open else 0,
            "tally": said}


def install(app: Any) -> Audiences:
    """Give ``app``'s hub an audience (called by the area's ``init_app``)."""
    hub: Hub = app.extensions["piiri.hub"]
    found = Audiences(hub, app.config)
    found.limits = app.extensions.get("piiri.live_limits")
    hub.audience = found
    hub.controls_additions.append(found.on_tablet)
    app.extensions["piiri.audience"] = found
    app.register_blueprint(bp)
    app.add_template_global(panel_state, "audience_panel")
    return found


def link_cluster(app: Any, cluster: Any) -> None:
    """In cluster mode: carry the audience over Redis (see the module's description)."""
    found: Audiences | None = app.extensions.get("piiri.audience")
    if found is None:
        return
    found.link = _ClusterLink(found, cluster)
    found.link.start()

