"""Several server processes for one Piiri: table owners, forwarding and failover over Redis.

Off by default. It is on when the app's ``CLUSTER`` setting (or ``PIIRI_CLUSTER=1`` in the
environment) is on and a Redis is named (``REDIS_URL`` / ``PIIRI_REDIS_URL``); the processes
share one PostgreSQL. Without it nothing here runs and no Redis is touched for tables.

- Each process has an id (:func:`~facilitator.live.leases.process_owner_id`) and a Redis
  channel of its own. The tables it creates, or takes over, are leased to it
  (:class:`~facilitator.live.leases.TableLeases`): it is their one writer.
- A tablet or screen whose WebSocket lands on a process that does not own its table is served
  through a proxy there: its frames are published to the owner's channel, where a session
  like any local one (:class:`_RemoteSession`) handles them through the owner's hub; what the
  hub sends that connection (its seat's controls only, or the screen's scene) is published
  back to the process that holds the socket. Each frame is counted against its connection's
  and its address's limits once, there; the owner counts only its seat's.
- The leader's Today page lists the tables every process owns (read from storage for those
  owned elsewhere).
- A panel request about a table (its room code or its meeting in the address) that lands on a
  process that does not own it is sent whole to the owner, which answers it; the answer is
  waited for at most ``CLUSTER_ANSWER_TIMEOUT_S`` (default 10) seconds, else the leader gets
  a clear error and nothing changes here.
- Failover: every process looks twice a second for a table open in storage whose lease has
  lapsed (its owner died); the first to claim it reloads it from its event log. Proxies to the
  dead owner are closed, so that tablets reconnect (to their own seats, by their tokens).
  Storage's unique ``(table, seq)`` stays the last line against two writers.

What the owner keeps in memory beside the log, the table's settings (the leader's *admit each
join* switch, whether the join page lists the roster, the screens' language, the audience's
open/closed and cap), is kept in the shared store too (:meth:`Cluster.keep_settings`: at once
after each panel request about the table, and by the sweep), so the process that takes a table
over restores them. An open check-in round needs nothing of this: it is in the log and the
database. A join waiting for admission is not kept: it is its tablet's connection, which a
failover closes (the tablet forgets its request then too, as on any lost connection), so that
person asks again; the audience's votes on the open ballot start again from nothing.
"""

from __future__ import annotations

import atexit
import base64
import json
import logging
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from flask import Response, request
from sqlalchemy import text

from engine import Presence, replay
from engine.registry import find_game, load_game_content

from .hub import Hub, LiveTable
from .leases import TableLeases, process_owner_id
from .roomcode import normalise
from .shared import RedisStore, redis_url, shared_store
from .sockets import _Session

__all__ = ["ANSWER_TIMEOUT_S", "LEASE_S", "SWEEP_S", "Cluster", "cluster_wanted", "install"]

log = logging.getLogger("piiri.cluster")

#: How long a table's lease lasts without renewal (renewed four times as often): the longest a
#: table waits for a dead owner before another process takes it.
LEASE_S = 3.0
#: How often each process looks for tables without a live owner and for proxies to re-route.
SWEEP_S = 0.5
#: How long a forwarded panel request waits for the owner's answer.
ANSWER_TIMEOUT_S = 10.0
#: A process's heartbeat lasts this long: its remote connections are let go once it lapses.
HEARTBEAT_S = 5.0
#: A lease this process holds for a table it no longer keeps in memory (ended and forgotten)
#: is given up after this long (not at once: the table may be being created or loaded).
LET_GO_AFTER_S = 10.0
#: The largest panel request body sent on to another process.
MAX_FORWARDED_BODY = 4 * 1024 * 1024
#: How long a table's settings stay in the shared store after their last change (a table
#: runs for a meeting; an ended one is let go sooner).
SETTINGS_TTL_S = 7 * 24 * 3600.0
#: The address the owner counts a forwarded frame under: exempt from the per-address limit,
#: since the process that holds the socket counted the frame for its real address already.
COUNTED_AT_EDGE = "piiri-cluster:counted-at-edge"

_TRUE = {"1", "true", "yes", "on"}


def cluster_wanted(config: Any) -> bool:
    """Whether ``config`` asks for several processes (``CLUSTER``, else ``PIIRI_CLUSTER``)."""
    wanted = config.get("CLUSTER")
    if wanted is None:
        wanted = os.environ.get("PIIRI_CLUSTER", "").strip().lower() in _TRUE
    return bool(wanted) and bool(config.get("SERVE", True))


def install(app: Any) -> Cluster:
    """Run ``app``'s hub as one process of several: see the module's description."""
    if not redis_url(app.config):
        raise RuntimeError("CLUSTER needs a Redis that every process shares: set REDIS_URL "
                           "(or PIIRI_REDIS_URL), e.g. redis://cache.example.fi:6379/0")
    store = shared_store(app)
    assert isinstance(store, RedisStore)
    limits = app.extensions["piiri.live_limits"]
    limits.exempt = limits.exempt | {COUNTED_AT_EDGE}
    cluster = Cluster(app, app.extensions["piiri.hub"], store,
                      lease_s=float(app.config.get("CLUSTER_LEASE_S") or LEASE_S),
                      answer_timeout_s=float(app.config.get("CLUSTER_ANSWER_TIMEOUT_S")
                                             or ANSWER_TIMEOUT_S))
    app.extensions["piiri.cluster"] = cluster
    cluster.start()
    from .audience import link_cluster

    link_cluster(app, cluster)  # audiences on every process, fed over one channel
    return cluster


class _Serial:
    """Runs jobs one after another, in the order given, on a thread of its own while there
    are any (a connection's frames must be handled in order, and must not hold up others)."""

    def __init__(self) -> None:
        self._jobs: deque[Callable[[], Any]] = deque()
        self._lock = threading.Lock()
        self._running = False

    def put(self, job: Callable[[], Any]) -> None:
        with self._lock:
            self._jobs.append(job)
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name="piiri-cluster-job", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._running = False
                    return
                job = self._jobs.popleft()
            try:
                job()
            except Exception:  # one connection's failure must not stop the others
                log.exception("a forwarded frame failed")


class _RemoteConnection:
    """On the owner: a tablet or screen whose socket another process holds, as a hub
    Connection. What is sent to it goes to that process, for that socket only."""

    def __init__(self, cluster: Cluster, edge: str, cid: str) -> None:
        self.cluster, self.edge, self.cid = cluster, edge, cid
        self.dead = False

    def send(self, text: str) -> None:
        if not self.dead:
            self.cluster.publish(self.edge, {"k": "out", "cid": self.cid, "text": text})

    def close(self) -> None:
        self.cluster.publish(self.edge, {"k": "close", "cid": self.cid})

    def drop(self, why: str) -> None:
        self.dead = True
        log.debug("dropping a remote connection: %s", why)
        self.cluster.publish(self.edge, {"k": "drop", "cid": self.cid})


class _RemoteSession(_Session):
    """On the owner: the conversation of a connection held by another process, exactly as a
    local one's, except that joining is told to that process (which counts its address's
    connections that never joined)."""

    def __init__(self, hub: Hub, conn: _RemoteConnection, limits: Any, address: str) -> None:
        # The session needs of its connection only send, close and drop.
        super().__init__(hub, conn, limits, address)  # type: ignore[arg-type]
        self.remote = conn
        self.told = False

    def allowed(self) -> bool:
        """Only the seat's limit, which only the owner can count (it knows the seat): the
        process that holds the socket has counted this frame for its connection and its
        address already, and counting the address again here would halve what one venue's
        address may send."""
        if self.live is None or self.seat is None:
            return True
        return self.limits.frame(COUNTED_AT_EDGE, (self.live.table_id, self.seat))

    def _joined_something(self) -> None:
        if not self.told:
            self.told = True
            self.remote.cluster.publish(self.remote.edge, {"k": "joined", "cid": self.remote.cid})

    def closed(self) -> None:
        self.told = True
        super().closed()


@dataclass
class _Remote:
    session: _RemoteSession
    edge: str
    code: str
    serial: _Serial = field(default_factory=_Serial)


class _Proxy:
    """On the process that holds a socket: its table is owned elsewhere, so every frame the
    tablet sends goes to the owner, and what the owner sends comes back to the socket."""

    def __init__(self, cluster: Cluster, session: _Session, table_id: str, owner: str) -> None:
        self.cluster, self.session = cluster, session
        self.table_id, self.owner = table_id, owner
        self.cid = secrets.token_hex(8)
        self.serial = _Serial()
        self.ended = False

    def open(self, room: str, raw: str) -> None:
        if not self.cluster.publish(self.owner, {"k": "open", "cid": self.cid, "edge":
                                                 self.cluster.id, "room": room, "raw": raw,
                                                 "addr": self.session.address}):
            self.lost()  # nobody listens there: the owner died, the tablet comes back later

    def forward(self, raw: str | bytes) -> None:
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        self.cluster.publish(self.owner, {"k": "frame", "cid": self.cid, "raw": raw})

    def deliver(self, text: str) -> None:
        self.serial.put(lambda: self.session.conn.send(text))

    def lost(self) -> None:
        """The owner went (or changed): close the socket; the tablet reconnects."""
        self.cluster.forget_proxy(self)
        self.serial.put(self.session.conn.close)

    def closed(self) -> None:
        """The socket closed: the owner lets the connection go."""
        if not self.ended:
            self.ended = True
            self.cluster.forget_proxy(self)
            self.cluster.publish(self.owner, {"k": "gone", "cid": self.cid})


class Cluster:
    """This process among several: its leases, its channel, its proxies and forwarded calls.

    Args:
        app: the Flask app (its hub, storage and database engine).
        hub: the app's hub.
        store: the Redis every process shares.
        lease_s: how long a table's lease lasts unless renewed.
        answer_timeout_s: how long a forwarded panel request waits for its answer.
    """

    def __init__(self, app: Any, hub: Hub, store: RedisStore, lease_s: float = LEASE_S,
                 answer_timeout_s: float = ANSWER_TIMEOUT_S) -> None:
        self.app, self.hub, self.store = app, hub, store
        self.id = process_owner_id()
        self.leases = TableLeases(store, self.id, ttl_s=lease_s)
        self.lease_s = lease_s
        self.answer_timeout_s = answer_timeout_s
        self.redis = store.client
        self._proxies: dict[str, _Proxy] = {}
        self._remote: dict[str, _Remote] = {}
        self._waiting: dict[str, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self._lock = threading.Lock()
        self._adopting = threading.Lock()
        self._stop = threading.Event()
        self._stop_renewing: Callable[[], None] | None = None
        self._absent: dict[str, float] = {}
        """Tables this process holds but does not keep in memory, since when."""
        self._kept: dict[str, str] = {}
        """Each table's settings as last saved to the shared store (by table id)."""

    # -- the process's channel --------------------------------------------------------------

    def _channel(self, process: str) -> str:
        return f"{self.store.prefix}proc:{process}"

    def publish(self, process: str, msg: dict[str, Any]) -> bool:
        """Send ``msg`` to ``process``: False if no process listens there (it died)."""
        try:
            return bool(self.redis.publish(self._channel(process), json.dumps(msg)))
        except Exception as error:  # Redis went away: as if nobody listened
            log.warning("could not publish to %s: %s", process, error)
            return False

    def start(self) -> None:
        self.hub.cluster = self
        self._beat()
        # The tables this process loaded at start-up are its own only if nobody else has them.
        for live in self.hub.tables():
            if not self.leases.acquire(live.table_id):
                self._let_go(live, close=False)
            else:  # after a restart of this process: as the leader left them
                self._restore_settings(live)
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(self._channel(self.id))
        threading.Thread(target=self._listen, args=(pubsub,), name="piiri-cluster-listen",
                         daemon=True).start()
        self._stop_renewing = self.leases.keep_renewing(self._lost,
                                                        every_s=self.lease_s / 4)
        threading.Thread(target=self._sweep_forever, name="piiri-cluster-sweep",
                         daemon=True).start()
        self.app.before_request_funcs.setdefault(None, []).insert(0, self._forward_request)
        self.app.after_request_funcs.setdefault(None, []).append(self._keep_after_request)
        atexit.register(self.close)

    def close(self) -> None:
        """A clean stop: give every table up at once (others take them without waiting)."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._stop_renewing is not None:
            self._stop_renewing()
        try:
            self.leases.release_all()
            self.store.release(self._beat_key(), self.id)
        except Exception as error:
            log.warning("could not release the leases: %s", error)

    def _listen(self, pubsub: Any) -> None:
        while not self._stop.is_set():
            try:
                message = pubsub.get_message(timeout=1.0)
            except Exception:  # Redis went away for a moment: subscribe again
                if self._stop.is_set():
                    return  # stopped meanwhile (the store may be gone with it)
                log.exception("the cluster channel failed")
                if self._stop.wait(1.0):
                    return
                try:
                    pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                    pubsub.subscribe(self._channel(self.id))
                except Exception:
                    log.exception("could not subscribe again")
                continue
            if message is None or message.get("type") != "message":
                continue
            try:
                self._on_message(json.loads(message["data"]))
            except Exception:
                log.exception("a cluster message failed")

    def _on_message(self, msg: dict[str, Any]) -> None:
        kind, cid = msg.get("k"), msg.get("cid", "")
        if kind == "open":
            self._open_remote(msg)
        elif kind in ("frame", "gone"):
            with self._lock:
                remote = self._remote.get(cid) if kind == "frame" else self._remote.pop(cid, None)
            if remote is not None:
                session, raw = remote.session, msg.get("raw", "")
                remote.serial.put(lambda: session.handle(raw) if kind == "frame"
                                  else session.closed())
        elif kind in ("out", "close", "drop", "joined"):
            with self._lock:
                proxy = self._proxies.get(cid)
            if proxy is None:
                return
            if kind == "out":
                proxy.deliver(msg["text"])
            elif kind == "joined":
                proxy.serial.put(proxy.session._joined_something)
            else:
                conn = proxy.session.conn
                proxy.serial.put(conn.close if kind == "close" else lambda: conn.drop("owner"))
        elif kind == "http":
            threading.Thread(target=self._answer_request, args=(msg,), daemon=True,
                             name="piiri-cluster-http").start()
        elif kind == "answer":
            with self._lock:
                waiting = self._waiting.pop(msg.get("rid", ""), None)
            if waiting is not None:
                waiting[1].append(msg)
                waiting[0].set()

    # -- tables: who owns what --------------------------------------------------------------

    def claim_new(self, table_id: str) -> None:
        """A table this process is creating is its own (before storage shows it to others)."""
        if not self.leases.acquire(table_id):  # a fresh id: only a broken Redis says no
            raise RuntimeError(f"table {table_id} is leased to another process")

    def _table_by_code(self, code: str) -> tuple[str, str, bool] | None:
        """The newest table with room code ``code``: (id, game, open)."""
        with self.hub.store.engine.connect() as db:  # type: ignore[attr-defined]
            row = db.execute(text(
                "SELECT id, game, ended_at FROM live_tables WHERE room_code = :code "
                "ORDER BY created_at DESC LIMIT 1"), {"code": normalise(code)}).first()
        return None if row is None else (row[0], row[1], row[2] is None)

    def owner_for_code(self, code: str) -> tuple[str, str] | None:
        """(table id, owning process) of the room ``code``, taking the table over when it is
        open and nobody owns it; None when no live process has it."""
        found = self._table_by_code(code)
        if found is None:
            return None
        table_id, game, is_open = found
        owner = self.leases.owner_of(table_id)
        # Ours but not in memory: being taken over right now (adopt waits for it to finish).
        if owner in (None, self.id) and is_open and self.adopt(table_id, normalise(code), game):
            owner = self.id
        elif owner is None:
            owner = self.leases.owner_of(table_id)
        return None if owner is None else (table_id, owner)

    def elsewhere(self, table_ids: Collection[str]) -> list[LiveTable]:
        """The open tables among ``table_ids`` that another live process owns, read from
        storage for the leader's lists (Today, a meeting's step): a copy to show, never
        written and never kept. Private values stay sealed: a list needs none."""
        wanted = set(table_ids)
        if not wanted:
            return []
        local = {live.table_id for live in self.hub.tables()}
        owners = self.leases.owners()
        found = []
        for row in self.hub.store.open_tables():
            if (row.table_id not in wanted or row.table_id in local
                    or owners.get(row.table_id) in (None, self.id)):
                continue
            try:
                snapshot = self.hub.store.latest_snapshot(row.table_id)
                events = self.hub.store.events(row.table_id,
                                               after=snapshot.seq if snapshot else 0)
                table = replay(find_game(row.game), self._content(row.table_id, row.game),
                               events, snapshot=snapshot)
            except Exception:  # one unreadable table must not take the page down
                log.exception("could not read table %s for the panel", row.room_code)
                continue
            found.append(LiveTable(table_id=row.table_id, code=row.room_code, table=table))
        return found

    def _content(self, table_id: str, game: str) -> Any:
        sources = (source(table_id, game) for source in self.hub.content_sources)
        return next((found for found in sources if found is not None),
                    None) or load_game_content(game)

    def adopt(self, table_id: str, code: str, game: str) -> bool:
        """Take a table whose owner is gone: claim its lease, reload it from its log, and
        mark its seats disconnected (their tablets come back here or to a proxy)."""
        with self._adopting:
            if not self.leases.acquire(table_id):
                return False
            live = self.hub.find(code)
            if live is not None and live.table_id == table_id:
                return True
            try:
                live = self.hub._load(table_id, code, game)
            except Exception:
                log.exception("could not take over table %s", code)
                self.leases.release(table_id)
                return False
            self._restore_settings(live)
            with self.hub._lock:
                self.hub._tables[live.code] = live
            for seat in live.table.meta.seats:
                if seat.connected and not seat.gone:
                    self.hub._apply(live, Presence(at=self.hub.clock(), seat=seat.id,
                                                   connected=False))
            self._give_roster_back()
            log.warning("took over table %s (its owner's lease lapsed)", code)
            return True

    # -- a table's settings: kept in the shared store for whoever takes the table next --------

    def _settings_key(self, table_id: str) -> str:
        return f"settings:{table_id}"

    def _settings(self, live: LiveTable) -> dict[str, Any]:
        found: dict[str, Any] = {"admit": live.admit, "show_roster": live.show_roster,
                                 "screen_lang": live.screen_lang}
        audience = self.hub.audience
        room = audience.room(live) if audience is not None else None
        if room is not None:
            found["audience"] = {"open": room.open, "cap": room.cap, "n": room.n}
        return found

    def keep_settings(self, live: LiveTable) -> None:
        """Save ``live``'s settings to the shared store if they changed since last saved
        (the audience's frame count rides along, so that a new owner counts on from it)."""
        settings = json.dumps(self._settings(live), sort_keys=True)
        if self._kept.get(live.table_id) == settings:
            return
        self.store.save(self._settings_key(live.table_id), settings, SETTINGS_TTL_S)
        self._kept[live.table_id] = settings

    def _restore_settings(self, live: LiveTable) -> None:
        """Give a table just loaded here the settings its last owner saved."""
        try:
            raw = self.store.load(self._settings_key(live.table_id))
        except Exception:  # the table plays on with the defaults
            log.exception("could not read the settings of table %s", live.code)
            return
        if not raw:
            return
        settings = json.loads(raw)
        live.admit = bool(settings.get("admit", live.admit))
        live.show_roster = bool(settings.get("show_roster", live.show_roster))
        lang = settings.get("screen_lang")
        live.screen_lang = lang if lang in ("fi", "sv", "en", "fi-x-selko") else None
        audience = settings.get("audience")
        if audience and self.hub.audience is not None:
            self.hub.audience.restore(live, bool(audience.get("open")),
                                      int(audience.get("cap") or 0), int(audience.get("n") or 0))
        self._kept[live.table_id] = json.dumps(self._settings(live), sort_keys=True)

    def _keep_after_request(self, response: Response) -> Response:
        """After a panel request about a table this process owns: its settings are saved
        before the leader hears the change is made (a failover right after keeps it)."""
        code = (request.view_args or {}).get("code")
        if isinstance(code, str) and request.method == "POST":
            live = self.hub.find(code)
            if live is not None:
                try:
                    self.keep_settings(live)
                except Exception:  # the sweep tries again
                    log.exception("could not keep the settings of table %s", live.code)
        return response

    def _give_roster_back(self) -> None:
        try:
            from facilitator.groups import restore_rosters

            with self.app.app_context():
                restore_rosters(self.hub)
        except Exception:  # the table plays on; only the join page's name list is missing
            log.exception("could not give the rosters back")

    def _lost(self, table_id: str) -> None:
        live = next((t for t in self.hub.tables() if t.table_id == table_id), None)
        if live is not None:
            log.warning("lost table %s to another process: letting it go", live.code)
            self._let_go(live, close=True)

    def _let_go(self, live: LiveTable, close: bool) -> None:
        """This process no longer owns ``live``: forget it, and close its connections (they
        reconnect to the new owner)."""
        with self.hub._lock:
            if self.hub._tables.get(live.code) is live:
                del self.hub._tables[live.code]
        with live.lock:
            conns = [*live.seats.values(), *live.screens]
            live.seats.clear()
            live.screens.clear()
        with self._lock:
            for cid in [c for c, r in self._remote.items() if r.code == live.code]:
                del self._remote[cid]
        if close and self.hub.audience is not None:  # they reconnect to the new owner too
            self.hub.audience.let_go(live.table_id)
        if close:
            for conn in conns:
                try:
                    conn.close()
                except Exception as error:
                    log.debug("close failed: %s", error)

    # -- the sweep: heartbeats, failover, stale proxies --------------------------------------

    def _beat_key(self) -> str:
        return f"proc:{self.id}"

    def _beat(self) -> None:
        self.store.claim(self._beat_key(), self.id, HEARTBEAT_S)

    def _sweep_forever(self) -> None:
        while not self._stop.wait(SWEEP_S):
            try:
                self.sweep()
            except Exception:  # the store or the database is away: try again next round
                log.exception("cluster sweep failed")

    def sweep(self) -> None:
        """One round: renew this process's heartbeat; give up the leases of tables this
        process has let go (ended and forgotten); take over open tables nobody owns; close
        proxies whose table has another owner now; let go of connections whose process
        died."""
        self._beat()
        local = {live.table_id for live in self.hub.tables()}
        now = time.monotonic()
        for table_id in self.leases.held() - local:
            # Held but not in memory: let go, unless it is being made or loaded right now.
            if now - self._absent.setdefault(table_id, now) >= LET_GO_AFTER_S:
                self._absent.pop(table_id, None)
                self.leases.release(table_id)
        for table_id in [t for t in self._absent if t in local]:
            del self._absent[table_id]
        for live in self.hub.tables():
            self.keep_settings(live)
        for table_id in [t for t in self._kept if t not in local]:
            del self._kept[table_id]
        owners = self.leases.owners()
        for row in self.hub.store.open_tables():
            if row.table_id not in owners and row.table_id not in local:
                self.adopt(row.table_id, row.room_code, row.game)
        owners = self.leases.owners()
        with self._lock:
            proxies = list(self._proxies.values())
        for proxy in proxies:
            if owners.get(proxy.table_id) != proxy.owner:
                proxy.lost()
        link = getattr(self.hub.audience, "link", None)
        if link is not None:  # audience connections watching through a gone owner
            link.reroute(owners)
        alive = set(self.store.holders("proc"))
        with self._lock:
            dead = [(cid, r) for cid, r in self._remote.items() if r.edge not in alive]
            for cid, _ in dead:
                del self._remote[cid]
        for _, remote in dead:
            remote.serial.put(remote.session.closed)

    # -- tablets and screens on a process that does not own their table ----------------------

    def route(self, session: _Session, room: str, raw: str | bytes) -> bool:
        """A hello for ``room``: True when its table is owned by another process, and the
        session now forwards there; False when this process serves it (or nobody does)."""
        if isinstance(session, _RemoteSession) or self.hub.find(room) is not None:
            return False
        found = self.owner_for_code(room)
        if found is None or found[1] == self.id:
            return False
        proxy = _Proxy(self, session, *found)
        with self._lock:
            self._proxies[proxy.cid] = proxy
        session.proxy = proxy
        proxy.open(room, raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw)
        return True

    def forget_proxy(self, proxy: _Proxy) -> None:
        with self._lock:
            self._proxies.pop(proxy.cid, None)

    def _open_remote(self, msg: dict[str, Any]) -> None:
        edge, cid = msg["edge"], msg["cid"]
        live = self.hub.find(msg.get("room", ""))
        if live is None:  # no longer here: the tablet reconnects and finds the new owner
            self.publish(edge, {"k": "close", "cid": cid})
            return
        conn = _RemoteConnection(self, edge, cid)
        session = _RemoteSession(self.hub, conn, self.app.extensions["piiri.live_limits"],
                                 msg.get("addr", "?"))
        remote = _Remote(session, edge, live.code)
        with self._lock:
            self._remote[cid] = remote
        raw = msg.get("raw", "")
        remote.serial.put(lambda: session.handle(raw))

    # -- the panel: requests about a table owned elsewhere -----------------------------------

    def _owner_for_meeting(self, meeting_id: int) -> str | None:
        with self.hub.store.engine.connect() as db:  # type: ignore[attr-defined]
            rows = db.execute(text(
                "SELECT o.table_id, t.room_code, t.game, t.ended_at FROM table_owners o "
                "JOIN live_tables t ON t.id = o.table_id WHERE o.meeting_id = :meeting "
                "ORDER BY t.created_at DESC"), {"meeting": meeting_id}).all()
        for table_id, code, game, ended_at in rows:
            owner = self.leases.owner_of(table_id)
            if owner in (None, self.id) and ended_at is None and self.adopt(table_id, code,
                                                                            game):
                owner = self.id
            if owner is not None:
                return owner
        return None

    def _forward_request(self) -> Response | None:
        """Before any other handler: a request about a table another process owns is
        answered by that process."""
        if request.environ.get("piiri.forwarded") or request.endpoint in (None, "static",
                                                                          "live.ws"):
            return None
        args = request.view_args or {}
        owner: str | None = None
        if isinstance(args.get("code"), str):
            if self.hub.find(args["code"]) is not None:
                return None  # ours
            found = self.owner_for_code(args["code"])
            owner = found[1] if found else None
        elif isinstance(args.get("meeting_id"), int):
            owner = self._owner_for_meeting(args["meeting_id"])
        if owner is None or owner == self.id:
            return None
        return self.forward(owner)

    def forward(self, owner: str) -> Response:
        """Send this request to ``owner`` and give back its answer (an error page of our own
        when it does not answer in time)."""
        body = request.get_data(cache=True)
        if len(body) > MAX_FORWARDED_BODY:
            return Response(status=413)
        environ = request.environ
        before = environ.get("werkzeug.proxy_fix.orig") or {}
        rid = secrets.token_hex(8)
        answered = threading.Event()
        box: list[dict[str, Any]] = []
        with self._lock:
            self._waiting[rid] = (answered, box)
        msg = {"k": "http", "rid": rid, "from": self.id, "method": request.method,
               "path": quote(request.path, safe="/:@!$&'()*+,;=-._~"),
               "script": environ.get("SCRIPT_NAME", ""),
               "query": environ.get("QUERY_STRING", ""),
               "scheme": before.get("wsgi.url_scheme", environ.get("wsgi.url_scheme", "http")),
               "host": before.get("HTTP_HOST", environ.get("HTTP_HOST", "localhost")),
               "addr": before.get("REMOTE_ADDR", environ.get("REMOTE_ADDR", "")),
               "headers": [(k, v) for k, v in request.headers.items()
                           if k.lower() not in ("host", "content-length")],
               "body": base64.b64encode(body).decode()}
        if not self.publish(owner, msg) or not answered.wait(self.answer_timeout_s):
            with self._lock:
                self._waiting.pop(rid, None)
            return _no_answer()
        answer = box[0]
        return Response(base64.b64decode(answer["body"]), status=answer["status"],
                        headers=[(k, v) for k, v in answer["headers"]
                                 if k.lower() not in ("content-length", "transfer-encoding")])

    def _answer_request(self, msg: dict[str, Any]) -> None:
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        try:
            builder = EnvironBuilder(
                path=msg["path"], base_url=f"{msg['scheme']}://{msg['host']}{msg['script']}",
                query_string=msg["query"], method=msg["method"], headers=msg["headers"],
                data=base64.b64decode(msg["body"]),
                environ_base={"REMOTE_ADDR": msg["addr"], "piiri.forwarded": True})
            try:
                environ = builder.get_environ()
            finally:
                builder.close()
            app_iter, status, headers = run_wsgi_app(self.app, environ, buffered=True)
            try:
                body = b"".join(app_iter)
            finally:
                closing = getattr(app_iter, "close", None)
                if closing is not None:
                    closing()
            answer = {"k": "answer", "rid": msg["rid"], "status": int(status.split()[0]),
                      "headers": headers.to_wsgi_list(),
                      "body": base64.b64encode(body).decode()}
        except Exception:
            log.exception("a forwarded request failed")
            answer = {"k": "answer", "rid": msg["rid"], "status": 500, "headers": [],
                      "body": ""}
        self.publish(msg["from"], answer)


def _no_answer() -> Response:
    from flask_babel import gettext

    words = gettext("The server process that runs this table did not answer, so nothing was "
                    "changed. Wait a few seconds and try again.")
    response = Response(words, status=503, mimetype="text/plain")
    response.headers["Retry-After"] = "5"
    return response
