"""An audience of thousands on one story table: how fast a scene change reaches every audience
member, and what each audience connection costs the server in memory.

The real Piiri app runs as a SUBPROCESS under gevent (as ``piiri run --server gevent``) on a
free loopback port, with a story table whose audience is open (cap above ``--audience``). The
benchmark process opens ``--audience`` WebSocket connections (2,000 by default) from one
address, 127.0.0.1, in waves of 100 (fewer than the per-address cap of connections that have
not joined yet; an admitted audience member no longer counts there, and audience frames are
limited per connection, not per address). Each says ``hello`` with the role ``audience``;
connections never offer compression (the server never compresses audience frames).

Then ``--changes`` times (20 by default) the leader moves the story on (``go_on``, through the
server's own hub: a line on its standard input), and the bench times, from the moment the line
is written, every audience member receiving an ``audience`` frame newer than the one it has.
It prints p50/p99/max over every (change, member) pair, and the p99 of the LAST member per
change (the whole fan-out).

Memory: the server's resident set size (``/proc/<pid>/status``, VmRSS) before the audience
connects and with all of it connected, divided by the number connected.

With ``--workers N`` (N >= 2) the server is ``piiri serve --workers N`` instead, on a throwaway
PostgreSQL and Redis the bench starts itself (``tests/pg.py``, ``tests/redisserver.py``, as
``bench/scale_out.py`` does): the kernel spreads the audience's connections over the N
processes (SO_REUSEPORT), so most of them watch through a process that does not own the table
(:mod:`facilitator.live.cluster`'s audience channel). The leader works over HTTP as in the
panel: signs in, makes the story table, opens the audience and moves the story on with
``POST /panel/t/<code>/move/<name>`` (timed from the moment the request is sent; a request
that lands on a process that does not own the table is forwarded to the owner). Memory is the
resident set size summed over the N processes.

Limits are on for 127.0.0.1 in both modes (``LIMITS_EXEMPT`` empty, ``PIIRI_LIMITS_EXEMPT=`` for
``piiri serve``), as for a venue's one address: loopback is otherwise exempt by default and
the figure would say nothing about them. The 2,000 get in because an audience member's frames
are limited per connection and its hello is not counted as a wrong code, and the waves stay
under the per-address cap of connections that have not said hello yet. After the measurement
the bench checks that the limits still refuse abuse from that address: it tries wrong room
codes until refused (``abuse_refused=1``: ``too_many_codes`` came within 30 tries).

Goals (issue 21): fan-out p99 at most 250 ms, at most 100 KB per connection.

Run ``.venv/bin/python bench/audience.py`` (one process) or ``bench/audience.py --workers 2``
(``--help`` for the knobs). The last line printed is ``key=value`` pairs only.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import gc
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

try:
    from websockets.asyncio.client import ClientConnection, connect
except ImportError:  # pragma: no cover - re-run under the project's virtualenv
    if (VENV / "bin" / "python").exists() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(VENV / "bin" / "python"), [str(VENV / "bin" / "python"), *sys.argv])
    raise

#: The server: a story table with its audience open; each line on stdin moves the story on
#: ("go") and is answered with "moved <seq>"; "rss" is answered with "rss <kB>".
SERVER_CODE = r'''
from gevent import monkey
monkey.patch_all()
import logging, resource, sys
root, port, db, cap = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
sys.path.insert(0, root)
logging.basicConfig(level=logging.WARNING)
from facilitator.app import create_app
from engine import MakeMove, StartTable
app = create_app({"DATABASE": db, "TICKS": False, "PUBLIC_URL": f"http://127.0.0.1:{port}",
                  "LIMITS_EXEMPT": []})
hub = app.extensions["piiri.hub"]
live = hub.create_table("story", {"story": "first-day"}, seed=7)
hub.join(live, "Aino", {"icon": "sun", "colour": "#E69F00"})
hub.apply(live, StartTable(at=hub.now()))
hub.audience.set_open(live, True, cap)
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
def lines():
    from gevent.os import make_nonblocking, nb_read
    fd = sys.stdin.fileno()
    make_nonblocking(fd)
    buffer = b""
    while True:
        chunk = nb_read(fd, 4096)  # waits cooperatively: the server serves meanwhile
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield line.decode()
def commands():
    for line in lines():
        word = line.strip()
        if word == "go":
            seq = live.table.seq
            for name in ("go_on", "back", "close_vote", "reopen"):
                hub.apply(live, MakeMove(at=hub.now(), seat=None, name=name))
                if live.table.seq != seq:
                    break
            print("moved", live.table.seq, name, flush=True)
        elif word == "rss":
            print("rss", rss(), flush=True)
import gevent
from gevent.pywsgi import WSGIServer
server = WSGIServer(("127.0.0.1", port), app, log=None)
server.start()
from facilitator.live.memory import settle_heap
settle_heap()  # as `piiri run` and `piiri serve` do before serving
print("ready", live.code, flush=True)
gevent.spawn(commands)
server.serve_forever()
'''


AUDIENCE_HEAD = re.compile(r'\{"t":"audience","n":(\d+),')


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Member:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.n = -1
        self.seen: asyncio.Event = asyncio.Event()
        self.at = 0.0
        self.task: asyncio.Task[None] | None = None
        self.refusal = ""

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                # Only the frame's head is read (a bot need not parse the whole scene).
                head = AUDIENCE_HEAD.match(raw)
                if head is None and raw.startswith('{"t":"error"'):
                    self.refusal = json.loads(raw).get("reason", "?")
                if head is not None and int(head.group(1)) > self.n:
                    self.n = int(head.group(1))
                    self.at = time.perf_counter()
                    self.seen.set()
        except Exception:
            return


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def sockets_of(pid: int) -> int:
    """How many sockets ``pid`` holds open (its connections, and its database's and Redis's)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return 0
    count = 0
    for fd in fds:
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
    return count


class OneProcess:
    """The server of ``--workers 1``: the app under gevent, driven through its stdin."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="piiri-audience-"))
        python = str(VENV / "bin" / "python") if (VENV / "bin" / "python").exists() \
            else sys.executable
        self.proc = subprocess.Popen([python, "-c", SERVER_CODE, str(ROOT), str(self.port),
                                      str(self.workdir / "piiri.sqlite3"),
                                      str(args.audience + 10)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=ROOT)
        self.code = ""
        self.pids = [self.proc.pid]

    async def _line(self, line: str | None, timeout: float = 30) -> str:
        loop = asyncio.get_running_loop()
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if line is not None:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        return await asyncio.wait_for(loop.run_in_executor(None, self.proc.stdout.readline),
                                      timeout)

    async def start(self) -> None:
        self.code = (await self._line(None, 60)).split()[1]

    async def before_change(self) -> None:
        pass

    async def change(self) -> str:
        return (await self._line("go")).strip()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Leader:
    """The leader's panel over HTTP: one cookie jar, redirects read, never followed."""

    def __init__(self, base: str) -> None:
        import http.cookiejar
        import urllib.request

        class Keep(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), Keep())

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, Any]:
        import urllib.error
        import urllib.parse

        body = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as answer:
                return answer.status, answer.read().decode(), answer.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers

    def post(self, page: str, path: str, **form: str) -> tuple[int, str, Any]:
        status, text, _ = self.request(page)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
        if status != 200 or not found:
            raise RuntimeError(f"no form token on {page} ({status})")
        return self.request(path, {**form, "csrf_token": found.group(1)})


class SeveralProcesses:
    """The server of ``--workers N``: ``piiri serve --workers N`` on a throwaway PostgreSQL
    and Redis; the leader works through the panel over HTTP."""

    #: The leader's moves tried in turn until one changes the story's scene.
    MOVES = ("go_on", "back", "close_vote", "reopen")

    def __init__(self, args: argparse.Namespace) -> None:
        import live_latency as ll
        import scale_out

        sys.path.insert(0, str(ROOT))
        from tests.pg import PostgresServer
        from tests.redisserver import RedisServer

        self.args, self.ll, self.scale_out = args, ll, scale_out
        self.stack = contextlib.ExitStack()
        self.workdir = Path(tempfile.mkdtemp(prefix="piiri-audience-"))
        self.pg = PostgresServer.start()
        self.stack.callback(self.pg.stop)
        self.redis = RedisServer.start()
        self.stack.callback(self.redis.stop)
        database_url = self.stack.enter_context(self.pg.database())
        scale_out.prepare_database(database_url)
        self.port = free_port()
        argv, env = scale_out.serve_command(args.workers, self.port, database_url,
                                            self.redis.url, "bench-audience:")
        env["PIIRI_LIMITS_EXEMPT"] = ""  # 127.0.0.1 is limited like any venue's address
        self.server = ll.Subprocess(f"w{args.workers}", (argv, env), self.port,
                                    self.workdir / "serve.log")
        self.stack.callback(self.server.stop)
        self.code = ""
        self.pids: list[int] = []
        self.leader = Leader(f"http://127.0.0.1:{self.port}")
        self.seat: Any = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.scale_out.wait_listening, self.server,
                                   self.args.workers)
        self.pids = self.scale_out.worker_pids(self.server, self.args.workers)
        await loop.run_in_executor(None, self._prepare)
        # One participant at the table (the story needs a seat to start).
        self.seat = await connect(f"ws://127.0.0.1:{self.port}/ws", compression=None)
        await self.seat.send(json.dumps({"t": "hello", "v": 1, "role": "seat",
                                         "room": self.code, "token": None}))
        await self.seat.send(json.dumps({"t": "join", "nickname": "Aino",
                                         "avatar": {"icon": "sun", "colour": "#E69F00"}}))
        while '"seated"' not in await asyncio.wait_for(self.seat.recv(), 30):
            pass
        self.seat_reader = asyncio.create_task(self._drain_seat())
        await loop.run_in_executor(None, self._start_table)

    async def _drain_seat(self) -> None:
        with contextlib.suppress(Exception):
            async for _ in self.seat:
                pass

    def _prepare(self) -> None:
        leader = self.leader
        status, _, _ = leader.post("/login", "/login", email=self.ll.BENCH_EMAIL,
                                   password=self.ll.BENCH_PASSWORD)
        if status != 302:
            raise RuntimeError(f"the bench's leader could not sign in ({status})")
        status, _, headers = leader.post("/panel/", "/panel/tables", game="story")
        if status != 302:
            raise RuntimeError(f"no story table ({status})")
        self.code = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        page = f"/panel/t/{self.code}"
        status, _, headers = leader.post(page, f"{page}/audience", do="open",
                                         cap=str(self.args.audience + 10))
        if status != 302 or "notice=" in (headers.get("Location") or ""):
            raise RuntimeError(f"the audience did not open ({status})")

    def _start_table(self) -> None:
        page = f"/panel/t/{self.code}"
        status, _, _ = self.leader.post(page, f"{page}/start")
        if status != 302:
            raise RuntimeError(f"the table did not start ({status})")
        self.page_token = ""

    def _token(self) -> None:
        _, text, _ = self.leader.request(f"/panel/t/{self.code}")
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
        self.page_token = found.group(1) if found else ""

    def _move(self) -> str:
        page = f"/panel/t/{self.code}"
        for name in self.MOVES:
            status, _, headers = self.leader.request(f"{page}/move/{name}",
                                                     {"csrf_token": self.page_token})
            if status == 302 and "notice=" not in (headers.get("Location") or ""):
                return f"moved {name}"
        return "no move changed the scene"

    async def before_change(self) -> None:
        """The form's token, read before the timed part (as the leader's page has it)."""
        await asyncio.get_running_loop().run_in_executor(None, self._token)

    async def change(self) -> str:
        return await asyncio.get_running_loop().run_in_executor(None, self._move)

    def stop(self) -> None:
        self.stack.close()


async def probe_abuse(port: int) -> int:
    """Whether wrong room codes from this address are still refused (1) within 30 tries."""
    for _ in range(30):
        try:
            async with connect(f"ws://127.0.0.1:{port}/ws?role=audience", compression=None,
                               open_timeout=10) as ws:
                await ws.send(json.dumps({"t": "hello", "v": 1, "role": "audience",
                                          "room": "ZZZZZ", "token": None}))
                answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
        except Exception:
            continue
        if answer.get("reason") == "too_many_codes":
            return 1
    return 0


async def run(args: argparse.Namespace) -> dict[str, Any]:
    server: OneProcess | SeveralProcesses = (OneProcess(args) if args.workers == 1
                                             else SeveralProcesses(args))
    members: list[Member] = []
    try:
        await server.start()
        code, port = server.code, server.port
        await asyncio.sleep(1.0)  # let the start settle before memory is read
        before = sum(rss_kb(pid) for pid in server.pids)
        url = f"ws://127.0.0.1:{port}/ws?role=audience"
        refused = 0
        reasons: collections.Counter[str] = collections.Counter()
        for start in range(0, args.audience, 100):
            wave = []
            for _ in range(min(100, args.audience - start)):
                ws = await connect(url, compression=None, open_timeout=30, max_size=2**22)
                await ws.send(json.dumps({"t": "hello", "v": 1, "role": "audience",
                                          "room": code, "token": None}))
                member = Member(ws)
                member.task = asyncio.create_task(member.read())
                wave.append(member)
            for member in wave:
                try:
                    await asyncio.wait_for(member.seen.wait(), 30)
                    members.append(member)
                except TimeoutError:
                    refused += 1
                    reasons[member.refusal or "no answer in 30 s"] += 1
        log(f"{len(members)} connected, {refused} refused {dict(reasons)}")
        # The bots' own 2,000 connections out of this process's garbage collector's way: a
        # full collection here (~280 ms) would stamp the frames it holds up as late.
        gc.collect()
        gc.freeze()
        await asyncio.sleep(1.0)  # the processes' counts settle
        spread = "/".join(str(sockets_of(pid)) for pid in server.pids)
        log(f"open sockets per server process: {spread}")
        held = sum(rss_kb(pid) for pid in server.pids)
        per_conn_kb = (held - before) / max(1, len(members))
        every: list[float] = []
        last: list[float] = []
        missed = 0
        for _ in range(args.changes):
            await asyncio.sleep(0.3)  # let the previous change settle
            await server.before_change()
            for member in members:
                member.seen.clear()
            sent = time.perf_counter()
            log(await server.change())
            waits = [asyncio.ensure_future(m.seen.wait()) for m in members]
            _, pending = await asyncio.wait(waits, timeout=30)
            for waiting in pending:
                waiting.cancel()
            missed += len(pending)
            reached = [(m.at - sent) * 1000 for m in members if m.seen.is_set()]
            every += reached
            if reached:
                last.append(max(reached))
        abuse = await probe_abuse(port)
        every = every or [float("nan")]
        last = last or [float("nan")]
        return {"workers": args.workers, "audience": len(members), "refused": refused,
                "changes": args.changes, "missed": missed,
                "p50_ms": round(pct(every, 50), 1), "p99_ms": round(pct(every, 99), 1),
                "max_ms": round(max(every), 1), "fanout_p99_ms": round(pct(last, 99), 1),
                "rss_before_kb": before, "rss_held_kb": held,
                "kb_per_connection": round(per_conn_kb, 1), "sockets": spread,
                "abuse_refused": abuse,
                "goal_met": int(pct(every, 99) <= 250 and per_conn_kb <= 100)}
    finally:
        for member in members:
            with contextlib.suppress(Exception):
                await member.ws.close()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audience", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes: 1 (the app alone, SQLite) or more "
                             "(piiri serve --workers N on PostgreSQL and Redis)")
    args = parser.parse_args()
    if not 1 <= args.workers <= 16:
        parser.error("--workers: 1 to 16")
    if args.workers > 1:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
    result = asyncio.run(run(args))
    print(f"audience connections held: {result['audience']} (refused {result['refused']})")
    print(f"scene change to each member: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
          f"max {result['max_ms']} ms; whole fan-out p99 {result['fanout_p99_ms']} ms")
    print(f"server memory over {result['workers']} process(es): {result['rss_before_kb']} kB "
          f"before, {result['rss_held_kb']} kB held: {result['kb_per_connection']} kB per "
          "connection")
    print("wrong room codes from the same address still refused:",
          "yes" if result["abuse_refused"] else "NO")
    print("goals: p99 <= 250 ms and <= 100 KB per connection:",
          "met" if result["goal_met"] else "NOT met")
    print(" ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
