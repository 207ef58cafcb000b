"""Several server processes on one PostgreSQL and one Redis (``piiri serve``, cluster mode).

Four real server processes, each on a port of its own, share a database and a Redis. The
tablets of one table connect to different processes; the leader's panel requests land on a
process that does not own the table; the owner is killed with SIGKILL mid-game; another
process takes the table over, the tablets come back to their own seats and play on; and every
move a tablet was told was stored (its ack) is in the table's log.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
import redis
from websockets.exceptions import ConnectionClosed

from .accounts import PASSWORD, make_user
from .test_protocol import Client

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent
#: How long a test waits for something that must happen (a deadline, not a measure).
PATIENCE_S = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Process:
    """One ``piiri serve`` process (a real server process of its own)."""

    def __init__(self, database_url: str, redis_url: str, prefix: str, log: Path) -> None:
        self.port = _free_port()
        self.log = log
        self.prefix = prefix
        env = {**os.environ, "PIIRI_SECRET_KEY": "test-secret", "PIIRI_REDIS_PREFIX": prefix}
        with log.open("wb") as out:
            self.popen = subprocess.Popen(
                [sys.executable, "-c", "from facilitator.cli import main; main()", "serve",
                 "--host", "127.0.0.1", "--port", str(self.port), "--database-url",
                 database_url, "--redis-url", redis_url, "--public-url", self.url],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + PATIENCE_S
        while time.monotonic() < deadline:
            assert self.alive, self.log.read_text(errors="replace")[-3000:]
            try:
                with build_opener().open(f"{self.url}/j/", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (URLError, OSError):
                time.sleep(0.2)
        raise AssertionError("server did not start:\n"
                             + self.log.read_text(errors="replace")[-3000:])

    def stop(self) -> None:
        if self.alive:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


class _Keep(HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the test reads each redirect itself


class Leader:
    """The leader's browser: one cookie jar for every process (cookies ignore the port)."""

    def __init__(self) -> None:
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _Keep())

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str, Any]:
        body = urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(Request(url, data=body), timeout=30) as answer:
                return answer.status, answer.read().decode(), answer.headers
        except HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers

    def csrf(self, url: str) -> str:
        status, page, _ = self.request(url)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert status == 200 and found, f"no CSRF token on {url} ({status})"
        return found.group(1)

    def post(self, page: str, url: str, **form: str) -> tuple[int, str, Any]:
        return self.request(url, {**form, "csrf_token": self.csrf(page)})


class Tablet:
    """A participant's tablet: a real WebSocket client that reconnects to its own seat."""

    def __init__(self, name: str, process: Process) -> None:
        self.name = name
        self.process = process
        self.client = Client(process)  # type: ignore[arg-type]
        self.seat = self.token = ""
        self.seq = 0
        self.your_turn = False
        self.msg_id = 0

    def join(self, room: str) -> None:
        self.seat, self.token = self.client.join(room, self.name)

    def take(self, msg: dict[str, Any]) -> None:
        if msg["t"] == "controls" and msg["seq"] >= self.seq:
            self.seq = msg["seq"]
            self.your_turn = bool(msg["controls"].get("your_turn"))

    def read(self, timeout: float = 0.05) -> None:
        """Everything that has arrived (the latest controls count)."""
        import json

        while True:
            try:
                msg = json.loads(self.client.ws.recv(timeout=timeout))
            except TimeoutError:
                return
            self.take(msg)

    def reconnect(self, room: str, processes: list[Process]) -> None:
        """Come back to the same seat through any live process (as tablet.js does)."""
        deadline = time.monotonic() + PATIENCE_S
        while True:
            for process in [self.process, *processes]:
                if not process.alive:
                    continue
                try:
                    self.client = Client(process)  # type: ignore[arg-type]
                    self.client.send(t="hello", v=1, role="seat", room=room, token=self.token)
                    welcome = self.client.until("welcome", timeout=10)
                    if welcome["seat"] == self.seat:
                        self.process = process
                        return
                except (ConnectionClosed, TimeoutError, OSError):
                    pass
                assert time.monotonic() < deadline, f"{self.name} never got its seat back"
                time.sleep(0.2)


def _move(tablets: list[Tablet]) -> tuple[str, int]:
    """The tablet whose turn it is takes it; returns (seat, seq) from its ack."""
    deadline = time.monotonic() + PATIENCE_S
    while True:
        for tablet in tablets:
            tablet.read()
        top = max(t.seq for t in tablets)
        mover = next((t for t in tablets if t.seq == top and t.your_turn), None)
        if mover is not None:
            break
        assert time.monotonic() < deadline, "nobody got the turn"
    mover.msg_id += 1
    mover.client.send(t="move", id=mover.msg_id, name="done", payload={})
    while True:
        msg = mover.client.until("ack", timeout=PATIENCE_S)
        if msg["id"] == mover.msg_id:
            return mover.seat, msg["seq"]


@contextmanager
def _processes(count: int, pg_url: str, redis_url: str,
               tmp_path: Path) -> Iterator[tuple[list[Process], Any]]:
    """``count`` server processes on one database and one Redis prefix, and an admin app."""
    from facilitator.app import create_app

    # The schema and the leader, by an admin app (it loads and writes no table).
    admin = create_app({"DATABASE_URL": pg_url, "SERVE": False, "TICKS": False,
                        "SECRET_KEY": "test-secret"})
    make_user(admin)
    prefix = f"test-cluster-{uuid.uuid4().hex[:8]}:"
    processes = [Process(pg_url, redis_url, prefix, tmp_path / f"server{i}.log")
                 for i in range(count)]
    try:
        for process in processes:
            process.wait_ready()
        yield processes, admin
    finally:
        for process in processes:
            process.stop()
        admin.extensions["piiri.store"].close()


@pytest.fixture()
def cluster(pg_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[list[Process], Any]]:
    with _processes(4, pg_url, redis_url, tmp_path) as made:
        yield made


def test_four_processes_play_one_table_and_survive_the_owner_being_killed(
        cluster: tuple[list[Process], Any], redis_url: str) -> None:
    processes, admin = cluster
    leader = Leader()
    first = processes[0]
    status, _, _ = leader.post(f"{first.url}/login", f"{first.url}/login",
                               email="leader@a.example", password=PASSWORD)
    assert status == 302
    status, _, headers = leader.post(f"{first.url}/panel/", f"{first.url}/panel/tables",
                                     game="circle")
    assert status == 302
    room = headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    # One tablet on each process: three of them reach the table through another process.
    tablets = [Tablet(name, process) for name, process in
               zip(["Aino", "Bashir", "Cecilia", "Dmitri"], processes, strict=True)]
    for tablet in tablets:
        tablet.join(room)
    # The leader starts the game from a process that does not own the table.
    page = f"{processes[2].url}/panel/t/{room}"
    status, _, _ = leader.post(page, f"{page}/start")
    assert status == 302, "the start was not answered"

    acked = [_move(tablets) for _ in range(3)]

    store = admin.extensions["piiri.store"]
    table_id = next(row.table_id for row in store.open_tables() if row.room_code == room)
    owner = redis.Redis.from_url(redis_url).get(f"{first.prefix}lease:{table_id}")
    assert owner is not None
    owner_pid = int(owner.decode().split(":")[-2])
    killed = next(p for p in processes if p.popen.pid == owner_pid)
    os.kill(owner_pid, signal.SIGKILL)
    killed.popen.wait()
    started = time.monotonic()

    alive = [p for p in processes if p.alive]
    for tablet in tablets:
        tablet.reconnect(room, alive)
    acked.append(_move(tablets))
    taken_over_in = time.monotonic() - started
    print(f"play went on {taken_over_in:.1f} s after the owner was killed")

    # A panel action after the failover, again from a process that may not own the table.
    page = f"{alive[0].url}/panel/t/{room}"
    assert leader.post(page, f"{page}/pause")[0] == 302
    assert leader.post(page, f"{page}/resume")[0] == 302
    while len(acked) < 8:  # two rounds of four
        acked.append(_move(tablets))

    events = store.events(table_id)
    stored = {e.seq: e for e in events}
    for seat, seq in acked:  # nothing acknowledged is lost
        assert seq in stored and stored[seq].action.type == "move"
        assert stored[seq].action.seat == seat
    moves = [e for e in events if e.action.type == "move"]
    assert len(moves) == len(acked)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    kinds = [e.action.type for e in events]
    assert "pause" in kinds and "resume" in kinds
    assert {t.process.popen.pid for t in tablets}.isdisjoint({owner_pid})



# -- an audience across two processes -------------------------------------------------------------


def _until_any(client: Client, kinds: tuple[str, ...]) -> dict[str, Any]:
    import json

    while True:
        msg: dict[str, Any] = json.loads(client.ws.recv(timeout=PATIENCE_S))
        client.seen.append(msg)
        if msg["t"] in kinds:
            return msg


def _watch_again(room: str, token: str, processes: list[Process]) -> tuple[Client, int]:
    """An audience page coming back (as audience.js does): through any live process, until
    it is let in and has the scene. Returns the connection and its frame's number."""
    deadline = time.monotonic() + PATIENCE_S
    while True:
        for process in processes:
            if not process.alive:
                continue
            try:
                watcher = Client(process)  # type: ignore[arg-type]
                watcher.send(t="hello", v=1, role="audience", room=room, token=token)
                msg = _until_any(watcher, ("audience", "error", "gone"))
                if msg["t"] == "audience":
                    return watcher, int(msg["n"])
            except (ConnectionClosed, TimeoutError, OSError):
                pass
            assert time.monotonic() < deadline, "the audience never got back in"
            time.sleep(0.2)


def _next_scene(watcher: Client, after: int, room: str, token: str,
                processes: list[Process]) -> dict[str, Any]:
    """The first audience frame newer than ``after``, reconnecting if the connection is
    closed meanwhile (its table's owner changed)."""
    while True:
        try:
            msg = _until_any(watcher, ("audience",))
        except ConnectionClosed:
            watcher, n = _watch_again(room, token, processes)
            msg = watcher.seen[-1]
        if int(msg["n"]) > after:
            return msg


def _pending(leader: Leader, page: str, count: int) -> list[dict[str, Any]]:
    """The joins waiting for the leader, once there are ``count`` of them."""
    import json

    deadline = time.monotonic() + PATIENCE_S
    while True:
        status, body, _ = leader.request(f"{page}/live.json")
        assert status == 200, body[:300]
        waiting: list[dict[str, Any]] = json.loads(body)["pending"]
        if len(waiting) >= count:
            return waiting
        assert time.monotonic() < deadline, f"only {len(waiting)} joins came to the leader"
        time.sleep(0.1)


def test_an_audience_on_another_process_watches_votes_and_survives_the_owner_being_killed(
        pg_url: str, redis_url: str, tmp_path: Path) -> None:
    import json

    from .test_audience import _until, _watch
    from .test_protocol import AVATAR

    def says(words: str) -> Any:
        return lambda msg: words in json.dumps(msg)

    with _processes(2, pg_url, redis_url, tmp_path) as (processes, admin):
        owner, other = processes
        leader = Leader()
        assert leader.post(f"{owner.url}/login", f"{owner.url}/login",
                           email="leader@a.example", password=PASSWORD)[0] == 302
        status, _, headers = leader.post(f"{owner.url}/panel/", f"{owner.url}/panel/tables",
                                         game="story", admit="on")
        assert status == 302
        room = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        # Every panel request from here on lands on the process that does not own the table.
        page = f"{other.url}/panel/t/{room}"
        assert leader.post(page, f"{page}/screen-lang", lang="sv")[0] == 302
        assert leader.post(page, f"{page}/audience", do="open", cap="2")[0] == 302

        # Two tablets on the other process; the leader admits each join.
        tablets = [Tablet(name, other) for name in ("Aino", "Bashir")]
        for tablet in tablets:
            assert tablet.client.hello(room)["admit"] is True
            tablet.client.send(t="join", nickname=tablet.name, avatar=AVATAR)
        for waiting in _pending(leader, page, 2):
            assert leader.post(page, f"{page}/admit", pending=waiting["id"])[0] == 302
        for tablet in tablets:
            seated = tablet.client.until("seated", timeout=PATIENCE_S)
            tablet.seat, tablet.token = seated["seat"], seated["token"]
        screen = Client(other)  # type: ignore[arg-type]
        screen.hello(room, role="screen")
        assert {"t": "settings", "lang": "sv"} in screen.seen

        # Two watch through the other process: the owner counts them, the screen says so.
        first, lobby = _watch(other, room, token="first-browser")  # type: ignore[arg-type]
        assert lobby["scene"]["elements"][0]["kind"] == "text"  # "starts soon"
        second, _ = _watch(other, room, token="second-browser")  # type: ignore[arg-type]
        _until(screen, "scene", says("An audience is watching: 2 people"))
        # The cap of 2 holds on the owner's process too.
        third = Client(owner)  # type: ignore[arg-type]
        third.send(t="hello", v=1, role="audience", room=room)
        assert _until_any(third, ("error", "audience"))["reason"] == "audience_full"

        # The group comes to a vote; the audience votes apart, counted on the screen.
        assert leader.post(page, f"{page}/start")[0] == 302
        assert leader.post(page, f"{page}/move/go_on")[0] == 302
        ballot = _until(first, "audience", lambda m: m["ballot"] is not None)["ballot"]
        group_choice, audience_choice = (o["value"] for o in ballot["options"][:2])
        first.send(t="audience_vote", ballot=ballot["key"], choice=audience_choice)
        assert first.until("audience_voted", timeout=PATIENCE_S)["choice"] == audience_choice
        _until(screen, "scene", says("Audience: 1 votes"))
        for n, tablet in enumerate(tablets, start=1):
            tablet.client.send(t="move", id=n, name="vote", payload={"value": group_choice})
            tablet.client.until("ack", timeout=PATIENCE_S)
        result = _until(second, "audience", lambda m: m["ballot"] and not m["ballot"]["open"])
        assert result["tally"]["counts"] == {**{o["value"]: 0 for o in ballot["options"]},
                                             audience_choice: 1}
        store = admin.extensions["piiri.store"]
        table_id = next(row.table_id for row in store.open_tables() if row.room_code == room)
        logged = json.dumps([e.model_dump(mode="json") for e in store.events(table_id)])
        assert "audience" not in logged  # the group's vote alone is in the table's log

        # The leader closes the audience: everyone watching through the other process is told.
        assert leader.post(page, f"{page}/audience", do="close")[0] == 302
        for watcher in (first, second):
            assert watcher.until("gone", timeout=PATIENCE_S)["reason"] == "audience_closed"
        late = Client(other)  # type: ignore[arg-type]
        late.send(t="hello", v=1, role="audience", room=room)
        assert _until_any(late, ("error", "audience"))["reason"] == "audience_closed"
        assert leader.post(page, f"{page}/audience", do="open", cap="5")[0] == 302
        watcher, seen_n = _watch_again(room, "first-browser", [other])

        # The owner is killed (the one that holds the lease now: on two busy cores a process
        # held up past its lease may have handed the table over already, as it should).
        held = redis.Redis.from_url(redis_url).get(f"{owner.prefix}lease:{table_id}")
        assert held is not None
        killed = next(p for p in processes if p.popen.pid == int(held.decode().split(":")[-2]))
        os.kill(killed.popen.pid, signal.SIGKILL)
        killed.popen.wait()
        alive = [p for p in processes if p.alive]
        page = f"{alive[0].url}/panel/t/{room}"
        for tablet in tablets:
            tablet.reconnect(room, alive)
        # The audience page comes back by itself and keeps watching: the next scene reaches it.
        assert leader.post(page, f"{page}/move/go_on")[0] == 302
        after = _next_scene(watcher, seen_n, room, "first-browser", alive)
        assert after["scene"]["elements"] and not after["ballot"]

        # What the owner kept in memory came through: the audience open with its cap ...
        status, body, _ = leader.request(page)
        assert status == 200
        state = re.search(r'id="audience-state">([^<]*)<', body)
        assert state and "5" in state.group(1) and 'value="close"' in body
        # ... the screens' language ...
        screen = Client(alive[0])  # type: ignore[arg-type]
        screen.hello(room, role="screen")
        assert {"t": "settings", "lang": "sv"} in screen.seen
        # ... and the leader admits each join still.
        newcomer = Client(alive[0])  # type: ignore[arg-type]
        assert newcomer.hello(room)["admit"] is True
        newcomer.send(t="join", nickname="Cecilia", avatar=AVATAR)
        assert [p["nickname"] for p in _pending(leader, page, 1)] == ["Cecilia"]


def test_serve_runs_several_processes_on_one_port(pg_url: str, redis_url: str,
                                                  tmp_path: Path) -> None:
    from facilitator.app import create_app

    admin = create_app({"DATABASE_URL": pg_url, "SERVE": False, "TICKS": False,
                        "SECRET_KEY": "test-secret"})
    make_user(admin)
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PIIRI_SECRET_KEY": "test-secret",
           "PIIRI_REDIS_PREFIX": f"test-serve-{uuid.uuid4().hex[:8]}:"}
    with log.open("wb") as out:
        parent = subprocess.Popen(
            [sys.executable, "-c", "from facilitator.cli import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
             "--database-url", pg_url, "--redis-url", redis_url],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Process.__new__(Process)
    server.port, server.log, server.popen = port, log, parent
    children: list[int] = []
    try:
        server.wait_ready()
        found = re.search(r"running as 2 processes: (\d+), (\d+)", log.read_text())
        assert found, log.read_text()
        children = [int(found.group(1)), int(found.group(2))]
        leader = Leader()
        leader.post(f"{server.url}/login", f"{server.url}/login", email="leader@a.example",
                    password=PASSWORD)
        status, _, headers = leader.post(f"{server.url}/panel/", f"{server.url}/panel/tables",
                                         game="circle")
        assert status == 302
        room = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        # Whichever process each connection lands on, every tablet gets a seat at the table.
        tablets = [Tablet(name, server) for name in ("Aino", "Bashir", "Cecilia", "Dmitri")]
        for tablet in tablets:
            tablet.join(room)
        assert len({t.seat for t in tablets}) == 4
    finally:
        server.stop()  # SIGTERM: the parent stops its workers too
        admin.extensions["piiri.store"].close()
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_without_cluster_setting_no_cluster_runs(app: Any) -> None:
    assert app.extensions.get("piiri.cluster") is None
    assert app.extensions["piiri.hub"].cluster is None


def test_cluster_without_redis_is_refused_with_a_reason(tmp_path: Path,
                                                        monkeypatch: Any) -> None:
    from facilitator.app import create_app

    monkeypatch.delenv("PIIRI_REDIS_URL", raising=False)
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_app({"DATABASE": str(tmp_path / "piiri.sqlite3"), "TICKS": False,
                    "SECRET_KEY": "test-secret", "CLUSTER": True})


def test_a_panel_action_whose_owner_does_not_answer_gets_a_clear_error_and_changes_nothing(
        tmp_path: Path, redis_url: str) -> None:
    from facilitator.app import create_app

    from .accounts import csrf_token, signed_in

    prefix = f"test-ghost-{uuid.uuid4().hex[:8]}:"
    app = create_app({"DATABASE": str(tmp_path / "piiri.sqlite3"), "TICKS": False,
                      "SECRET_KEY": "test-secret", "CLUSTER": True, "REDIS_URL": redis_url,
                      "REDIS_PREFIX": prefix})
    cluster = app.extensions["piiri.cluster"]
    try:
        client = signed_in(app, lang="fi")
        made = client.post("/panel/tables", data={"game": "circle",
                                                  "csrf_token": csrf_token(client, "/panel/")})
        room = made.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        token = csrf_token(client, f"/panel/t/{room}")
        live = app.extensions["piiri.hub"].find(room)
        # Another process holds the table now, and it has died without a word.
        cluster._let_go(live, close=True)
        cluster.leases.release(live.table_id)
        cluster.store.client.set(f"{prefix}lease:{live.table_id}", "ghost:1:0", px=60_000)
        before = app.extensions["piiri.store"].last_seq(live.table_id)

        answer = client.post(f"/panel/t/{room}/start", data={"csrf_token": token})
        assert answer.status_code == 503
        # In the leader's language: nothing was changed, and what to do.
        assert "ei vastannut, joten mitään ei muutettu" in answer.get_data(as_text=True)
        assert app.extensions["piiri.store"].last_seq(live.table_id) == before
    finally:
        cluster.close()
        app.extensions["piiri.store"].close()


# -- two processes in this test's own process (each app is a process of the cluster: its own id,
# channel, hub and leases), for what needs the apps' settings or their test clients ------------


@pytest.fixture()
def two_apps(pg_url: str, redis_url: str, tmp_path: Path) -> Iterator[Any]:
    """A factory of cluster apps on one PostgreSQL and one Redis prefix; closed at the end."""
    from facilitator.app import create_app

    from .live_server import LiveServer

    prefix = f"test-two-{uuid.uuid4().hex[:8]}:"
    made: list[Any] = []

    def make(live: bool = False, **config: Any) -> Any:
        settings = {"DATABASE_URL": pg_url, "SECRET_KEY": "test-secret", "TICKS": False,
                    "CLUSTER": True, "REDIS_URL": redis_url, "REDIS_PREFIX": prefix, **config}
        if live:
            server = LiveServer(tmp_path / "unused.sqlite3", **settings).start()
            made.append(server)
            return server
        app = create_app(settings)
        made.append(app)
        return app

    yield make
    for thing in reversed(made):
        app = getattr(thing, "app", thing)
        app.extensions["piiri.cluster"].close()
        if thing is app:
            app.extensions["piiri.store"].close()
        else:
            thing.stop()


def test_today_lists_the_tables_another_process_owns(two_apps: Any) -> None:
    from .accounts import csrf_token, login, signed_in
    from .test_meeting_loop import plan, start

    first, second = two_apps(), two_apps()
    leader = signed_in(first, lang="en")
    period_id, meeting_id, _ = plan(first)
    made = leader.post("/panel/tables", data={"game": "circle",
                                              "csrf_token": csrf_token(leader, "/panel/")})
    loose = made.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    meeting_code = start(leader, meeting_id, csrf_token(leader, "/panel/")).headers[
        "Location"].rstrip("/").rsplit("/", 1)[-1]
    assert first.extensions["piiri.hub"].find(loose) is not None
    assert second.extensions["piiri.hub"].find(loose) is None  # owned by the first alone

    elsewhere = second.test_client()
    login(elsewhere)
    today = elsewhere.get("/panel/").get_data(as_text=True)
    tables = today.split('id="tables"', 1)[1].split("</ul>", 1)[0]
    for code in (loose, meeting_code):
        assert f"/panel/t/{code}" in tables
    assert "No tables." not in tables
    # The meeting's one button leads to its table, as on the process that owns it.
    meeting = today.split(f'data-meeting="{meeting_id}"', 1)[1].split("</li>", 1)[0]
    assert 'data-next="table"' in meeting and f"/panel/t/{meeting_code}" in meeting
    # So does the period page's.
    period = elsewhere.get(f"/panel/periods/{period_id}").get_data(as_text=True)
    assert 'data-next="table"' in period and f"/panel/t/{meeting_code}" in period
    # Read from storage, not taken: the first process still owns both.
    assert second.extensions["piiri.hub"].find(loose) is None
    assert second.extensions["piiri.hub"].find(meeting_code) is None


def test_a_proxied_tablets_frames_count_once_against_its_address(two_apps: Any) -> None:
    # Loopback is limited here, one token drawn at a time, and an address gets 30 frames.
    limits = {"LIMITS_EXEMPT": [], "WS_ADDRESS_RATE": 0.0001, "WS_ADDRESS_BURST": 30,
              "WS_SHARED_DRAW": 1}
    owner, edge = two_apps(live=True, **limits), two_apps(live=True, **limits)
    live = owner.hub.create_table("circle", {"rounds": 1}, seed=3)
    assert edge.hub.find(live.code) is None

    tablet = Client(edge)  # type: ignore[arg-type]
    tablet.join(live.code, "Aino")  # two frames: hello and join, through to the owner
    for sent in range(3, 31):  # 30 frames in all: every one within the address's 30
        tablet.send(t="ping")
        answer = _pong_or_error(tablet)
        assert answer["t"] == "pong", f"frame {sent} was refused: {answer}"
    # The address is still limited, where the socket is: the 31st frame is refused.
    tablet.send(t="ping")
    refused = _pong_or_error(tablet)
    assert refused["t"] == "error" and refused["reason"] == "too_many"


def _pong_or_error(tablet: Client) -> dict[str, Any]:
    import json

    while True:
        msg: dict[str, Any] = json.loads(tablet.ws.recv(timeout=PATIENCE_S))
        tablet.seen.append(msg)
        if msg["t"] in ("pong", "error"):
            return msg


def test_serve_reads_the_same_environment_as_the_wsgi_entry() -> None:
    from facilitator.live.commands import serve_config

    env = {"PIIRI_TRUST_PROXY": "1", "PIIRI_ALLOWED_ORIGINS": "https://a.example",
           "PIIRI_PUBLIC_URL": "https://piiri.example.fi/", "PIIRI_SECRET_KEY": "k" * 32,
           "PIIRI_REDIS_PREFIX": "county:"}
    config = serve_config(5000, "postgresql+psycopg://db/piiri", "redis://cache:6379/0", None,
                          environ=env)
    assert config["TRUST_PROXY"] == 1  # behind the county's proxy, addresses are the clients'
    assert config["ALLOWED_ORIGINS"] == ["https://a.example"]
    assert config["PUBLIC_URL"] == "https://piiri.example.fi"
    assert config["SECRET_KEY"] == "k" * 32 and config["REDIS_PREFIX"] == "county:"
    assert config["CLUSTER"] is True and config["REDIS_URL"] == "redis://cache:6379/0"
    mine = serve_config(5000, None, None, "https://other.example", environ=env)
    assert mine["PUBLIC_URL"] == "https://other.example" and "CLUSTER" not in mine


def test_a_new_owner_restores_what_the_old_one_kept_in_memory(two_apps: Any) -> None:
    """The table's settings and an open check-in step come through a failover (the SIGKILL
    test above covers the admit switch, the screens' language and the audience for real)."""
    from facilitator.checkins.sealing import new_key

    from .accounts import csrf_token, login, make_user
    from .test_checkin_live import Tablet as CheckinTablet
    from .test_checkin_live import kinds, open_checkin
    from .test_meetings import plan

    key = new_key()
    first, second = two_apps(live=True, CHECKIN_KEYS=key), two_apps(live=True, CHECKIN_KEYS=key)
    make_user(first.app)
    panel = first.app.test_client()
    login(panel)
    period_id, meeting_id, _ = plan(first)
    started = panel.post(f"/panel/meetings/{meeting_id}/start",
                         data={"csrf_token": csrf_token(panel, f"/panel/periods/{period_id}")})
    code = started.headers["Location"].rsplit("/", 1)[1]
    token = csrf_token(panel, f"/panel/t/{code}")
    # The leader hides the name list and picks the screens' language; a check-in is open and
    # a tablet has given its consent (the round's next step is its first question).
    panel.post(f"/panel/t/{code}/roster", data={"csrf_token": token})
    panel.post(f"/panel/t/{code}/screen-lang", data={"csrf_token": token, "lang": "en"})
    aino = CheckinTablet(first, code, "Aino")
    open_checkin(panel, code, token)
    consent = next(i for i in aino.now()["items"] if i["kind"] == "consent")
    assert aino.move("checkin.consent", value=True, text_id=consent["text_id"])["t"] == "ack"
    live = first.hub.find(code)
    assert live is not None and not live.show_roster and live.screen_lang == "en"

    # The owner goes without a word (as a killed process would: its lease lapses).
    cluster = first.app.extensions["piiri.cluster"]
    cluster.close()
    cluster._let_go(live, close=True)
    taken = second.app.extensions["piiri.cluster"]
    assert taken.owner_for_code(code) == (live.table_id, taken.id)
    again = second.hub.find(code)
    assert again is not None
    assert not again.show_roster and again.screen_lang == "en"
    back = Client(second)  # type: ignore[arg-type]
    back.hello(code, token=aino.token)
    question = back.until("controls")["controls"]
    assert "slider" in kinds(question) and "consent" not in kinds(question)
    screen = Client(second)  # type: ignore[arg-type]
    screen.hello(code, role="screen")
    assert {"t": "settings", "lang": "en"} in screen.seen
