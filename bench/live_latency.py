"""End-to-end latency of a move on the live server: a tablet taps; the screen and tablets see it.

The real Piiri server runs as a SUBPROCESS on a free loopback port, so the server and the bots are
two processes sharing this machine's cores. ``--serve`` says how ``create_app`` is served:
``werkzeug`` (threaded, as ``piiri run --server threads``), ``gevent`` (``gevent.pywsgi`` after
``monkey.patch_all()``, as ``piiri run --server gevent``) or ``gunicorn`` (the production command of
``facilitator/wsgi.py``: ``gunicorn -k gevent -w 1``; ``--worker-connections`` passes gunicorn's
option of that name). The last two need gevent importable by the project's Python. Tables are
made through the leader's panel over HTTP (``/panel/?key=…``, ``POST /panel/tables``,
``POST /panel/t/<CODE>/start``). In the benchmark process, asyncio and ``websockets`` open for each
table one screen and ``--players`` tablets, which say hello, join and then play the circle: the
seat whose controls say ``your_turn`` answers ``done`` or, every fourth time, passes.

``--rate R`` moves per second per table are sent on a schedule (open loop; a move waits only for
its turn holder to know it is their turn); ``--rate 0`` is a closed loop: the next move goes as soon
as the previous one has reached every client of its table. When a table ends (its screen shows the
``closing`` layout) a fresh table is made and a fresh set of bots moves there.

For every move the script times, from the moment the bot sends it,

* ``screen``: the screen receiving a scene whose ``seq`` is at least the move's ``seq`` (the
  table's ``seq`` + 1 when the move is sent, checked against the ``seq`` of the mover's ack);
* ``every tablet``: the last of the table's tablets receiving its controls with that ``seq``;
* ``ack``: the mover receiving its ``ack`` (reported apart; a move counts as reached without it).

In the same run a floor is measured with the same bots: a minimal asyncio ``websockets`` server
(this file, run with ``--floor-serve``, in its own subprocess) that keeps per table a turn pointer
and a ``seq`` and fans out one scene and per-seat controls, padded to the sizes of the frames the
Piiri run received. ``ratio = piiri p99 / floor p99`` (every-tablet latency) is what the framework
costs over the least work the job could be.

``--idle N`` instead opens N idle tablets (hello + join, 12 per table) to the Piiri server, holds
them, pings a sample and reports how many are held and the server's memory.

Besides the figures it prints what helps to read them: each server's CPU, the bench's own CPU and
event-loop lateness, other processes' CPU on the machine (2 shared cores), the server's garbage
collections of 20 ms or more (a GC callback in the server process writes them to its log), frames
whose ``seq`` went backwards, and connections the server closed. ``--dump PATH`` writes every move
to CSV; ``--keep`` keeps the server logs and the SQLite file.

Run ``.venv/bin/python bench/live_latency.py`` (``--help`` for the knobs). All traffic goes to
127.0.0.1; every wait is bounded; subprocesses are stopped on exit. The last line printed is
``key=value`` pairs only, for scripts to read.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import math
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

try:  # the bots need `websockets`; the project's virtualenv has it
    import websockets
    from websockets.asyncio.client import ClientConnection, connect
    from websockets.exceptions import ConnectionClosed
except ImportError:  # pragma: no cover - re-run under the project's virtualenv
    if (VENV / "bin" / "python").exists() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(VENV / "bin" / "python"), [str(VENV / "bin" / "python"), *sys.argv])
    raise

BENCH_EMAIL = "bench@bench.example"
BENCH_PASSWORD = "bench-password-1"


def prepare_database(database: str) -> None:
    """The bench's leader account, made before the server starts (it signs in like a person)."""
    from facilitator.accounts.auth import create_user
    from facilitator.app import create_app

    app = create_app({"DATABASE": database, "TICKS": False})
    with app.app_context():
        create_user(BENCH_EMAIL, "Bench", BENCH_PASSWORD, "Bench")
    app.extensions["piiri.store"].close()
ROUNDS = 10  # the circle's most; with 12 seats a table lasts 120 turns
ICONS = ["sun", "moon", "star", "tree", "leaf", "flower", "bird", "fish", "boat", "bicycle",
         "mountain", "cup", "key", "note", "drop", "house"]
COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
           "#7F7F7F"]
# The floor's per-connection rate limit mirrors facilitator/live.py (RATE_BURST, RATE_PER_S).
FLOOR_RATE_BURST = 30
FLOOR_RATE_PER_S = 10.0
# Sizes (UTF-8 bytes) of Piiri's frames at a playing 12-seat circle table, used to pad the floor
# when it runs without a Piiri run before it (--server floor); a `both` run measures them anew.
DEFAULT_SIZES = {"scene": 2060, "controls_turn": 980, "controls_other": 980}

#: Runs boardgame.io 0.50.2 on loopback with the same workload (see bench/README.md).
PEER_SCRIPT = ROOT.parent / "shared" / "peers" / "boardgameio" / "run.sh"
SETUP_TIMEOUT_S = 20.0  # one table's creation, connections, joins and start
TURN_TIMEOUT_S = 5.0  # a turn holder must appear within this
MOVE_TIMEOUT_S = 10.0  # closed loop: one move reaching every client
DRAIN_TIMEOUT_S = 5.0  # after the window: moves still in flight
IDLE_CONNECT_TIMEOUT_S = 600.0  # --idle: all tablets connected and seated
CONNECT_CONCURRENCY = 48  # handshakes at once (the listen backlog is 128)

_FRAME_RE = re.compile(r'\{"t":"(controls|scene)","seq":(\d+)')
_LAYOUT_RE = re.compile(r'"layout":"(\w+)"')


# -- small helpers ----------------------------------------------------------------------------


def raise_nofile() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def ms(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value * 1000:.2f}"


def proc_status(pid: int) -> dict[str, str]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                out[key] = value.strip()
    except OSError:
        pass
    return out


def proc_kb(pid: int, key: str) -> int:
    value = proc_status(pid).get(key, "0 kB").split()
    return int(value[0]) if value else 0


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process, all its threads."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return math.nan


def machine_cpu_s() -> float:
    """CPU seconds used by everything on this machine (all cores; from /proc/stat)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        busy = sum(int(v) for i, v in enumerate(fields[:8]) if i not in (3, 4))  # -idle, iowait
        return busy / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return math.nan


async def watch_loop(lags: list[float], stop: asyncio.Event, every: float = 0.005) -> None:
    """How late this process's event loop wakes up: the bench's own hiccups."""
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(every)
        lags.append(time.perf_counter() - before - every)


def self_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def say(text: str = "") -> None:
    print(text, flush=True)


# -- servers as subprocesses ------------------------------------------------------------------

#: Installed in both servers: every garbage collection of 20 ms or more is written to the log.
GC_LOG_CODE = '''
import gc as _gc, sys as _sys, time as _time
_gc_started = [0.0]
def _gc_log(phase, info):
    if phase == "start":
        _gc_started[0] = _time.perf_counter()
        return
    took = _time.perf_counter() - _gc_started[0]
    if took >= 0.02:
        _sys.stderr.write(f"bench-gc at={_time.time():.3f} gen={info['generation']} "
                          f"ms={took * 1000:.1f} collected={info['collected']}\\n")
        _sys.stderr.flush()
_gc.callbacks.append(_gc_log)
'''

_PIIRI_PRELUDE = GC_LOG_CODE + '''
import logging, resource, sys
root, port, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
sys.path.insert(0, root)
logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
def make_app():
    from facilitator.app import create_app
    # As `piiri run` serves: with the hub's once-a-second tick (timers, letting go of ended
    # tables, giving memory back once a minute).
    app = create_app({"DATABASE": db, "PUBLIC_URL": f"http://127.0.0.1:{port}"})
    try:  # as `piiri run` does before serving
        from facilitator.live.memory import settle_heap
    except ImportError:  # an older checkout
        pass
    else:
        settle_heap()
    return app
'''

#: How the Piiri app is served in-process, by --serve name: the body of `python -c`, run with
#: argv ROOT PORT DATABASE.
PIIRI_SERVE_CODE = {
    "werkzeug": _PIIRI_PRELUDE + '''
from werkzeug.serving import run_simple
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
run_simple("127.0.0.1", port, make_app(), threaded=True, use_reloader=False)
''',
    "gevent": '''
from gevent import monkey
monkey.patch_all()
''' + _PIIRI_PRELUDE + '''
from gevent.pywsgi import WSGIServer
WSGIServer(("127.0.0.1", port), make_app(), log=None).serve_forever()
''',
}
#: The production command of facilitator/wsgi.py, with gunicorn's own defaults (one gevent
#: worker; its worker_connections default is 1000). The config file raises the open-files limit
#: and installs the GC log in the worker.
GUNICORN_CONF = '''
import resource
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (_hard, _hard))
loglevel = "warning"
def post_worker_init(worker):
    exec(GC_LOG_CODE, {})
GC_LOG_CODE = %r
'''
SERVE_MODES = [*PIIRI_SERVE_CODE, "gunicorn"]
#: What each mode needs importable, besides the project.
SERVE_NEEDS = {"werkzeug": [], "gevent": ["gevent"], "gunicorn": ["gunicorn", "gevent"]}


def server_python() -> str:
    python = VENV / "bin" / "python"
    return str(python) if python.exists() else sys.executable


def piiri_serve_command(mode: str, port: int, database: str, workdir: Path,
                        worker_connections: int | None = None
                        ) -> tuple[list[str], dict[str, str]]:
    """The command line (and extra environment) serving Piiri in ``mode`` on 127.0.0.1:port.

    Add a mode here, in SERVE_MODES and in SERVE_NEEDS to compare another server.
    """
    prepare_database(database)
    if mode in PIIRI_SERVE_CODE:
        return [server_python(), "-c", PIIRI_SERVE_CODE[mode], str(ROOT), str(port),
                database], {}
    if mode == "gunicorn":
        conf = workdir / "gunicorn_conf.py"
        conf.write_text(GUNICORN_CONF % GC_LOG_CODE)
        env = {"PIIRI_DATABASE": database,
               "PIIRI_PUBLIC_URL": f"http://127.0.0.1:{port}"}
        extra = ["--worker-connections", str(worker_connections)] if worker_connections else []
        return [server_python(), "-m", "gunicorn", "-k", "gevent", "-w", "1", "-c", str(conf),
                *extra, "-b", f"127.0.0.1:{port}", "facilitator.wsgi:app"], env
    raise ValueError(f"unknown serve mode {mode}")


def floor_serve_command(port: int, frames: str, rounds: int,
                        compression: bool) -> tuple[list[str], dict[str, str]]:
    return [sys.executable, str(Path(__file__).resolve()), "--floor-serve", "--port", str(port),
            "--frames", frames, "--rounds", str(rounds),
            "--compression", "on" if compression else "off"], {}


def serve_mode_available(mode: str) -> bool:
    needs = SERVE_NEEDS[mode]
    if not needs:
        return True
    probe = subprocess.run([server_python(), "-c", "import " + ", ".join(needs)],
                           capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


class Subprocess:
    """A server subprocess with its output in a log file; stopped on exit whatever happens."""

    def __init__(self, name: str, command: tuple[list[str], dict[str, str]], port: int,
                 log_path: Path) -> None:
        self.name = name
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        argv, env = command
        self.proc = subprocess.Popen(argv, cwd=str(ROOT), stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **env})

    @property
    def pid(self) -> int:
        """The process that serves: the server, or its one worker (gunicorn)."""
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            children = ""
        kids = [int(c) for c in children.split()]
        return kids[-1] if kids else self.proc.pid

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited ({self.proc.returncode}):\n"
                                   + self.tail())
            try:  # any HTTP answer means the app (or gunicorn's worker) is serving
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                try:
                    conn.request("GET", "/")
                    conn.getresponse().read()
                    return
                finally:
                    conn.close()
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} server did not listen within {timeout:.0f} s:\n"
                           + self.tail())

    def tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def log_problems(self) -> tuple[int, int, str]:
        """(error lines, tracebacks, first error line) in the server's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return 0, 0, ""
        errors = [line for line in text.splitlines() if " ERROR " in line]
        return len(errors), text.count("Traceback"), errors[0] if errors else ""

    def gc_pauses(self, since: float, until: float) -> list[tuple[int, float]]:
        """(generation, seconds) of the server's GC pauses ≥ 20 ms between two time.time()s."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        out = []
        for found in re.finditer(r"bench-gc at=([\d.]+) gen=(\d) ms=([\d.]+)", text):
            if since <= float(found.group(1)) <= until:
                out.append((int(found.group(2)), float(found.group(3)) / 1000))
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()


# -- how tables are made and started ----------------------------------------------------------


class PiiriTarget:
    """Tables through the leader's panel, over HTTP with the session cookie."""

    name = "piiri"

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie: str | None = None
        self.csrf = ""
        self.page = ""

    def _request(self, method: str, path: str,
                 form: dict[str, Any] | None = None) -> tuple[int, str | None]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            self.page = response.read().decode("utf-8", "replace")
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return response.status, response.getheader("Location")
        finally:
            conn.close()

    def _login(self) -> None:
        self._request("GET", "/login")
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.page)
        if not found:
            raise RuntimeError("the sign-in page has no CSRF token")
        self.csrf = found.group(1)
        status, _ = self._request("POST", "/login", {"email": BENCH_EMAIL,
                                                      "password": BENCH_PASSWORD,
                                                      "csrf_token": self.csrf})
        if status not in (302, 303) or not self.cookie:
            raise RuntimeError(f"panel login failed: HTTP {status}")

    def _create(self, rounds: int) -> str:
        status, location = self._request("POST", "/panel/new/circle",
                                         {"rounds": rounds, "csrf_token": self.csrf})
        if status not in (302, 303) or not location or "/panel/t/" not in location:
            raise RuntimeError(f"creating a table failed: HTTP {status} {location}")
        return location.rstrip("/").rsplit("/", 1)[-1]

    def _start(self, code: str) -> None:
        status, _ = self._request("POST", f"/panel/t/{code}/start",
                                  {"csrf_token": self.csrf})
        if status not in (302, 303):
            raise RuntimeError(f"starting table {code} failed: HTTP {status}")

    async def prepare(self) -> None:
        await asyncio.to_thread(self._login)

    async def create_table(self, rounds: int) -> str:
        return await asyncio.to_thread(self._create, rounds)

    async def start(self, table: BTable) -> None:
        await asyncio.to_thread(self._start, table.code)


class FloorTarget:
    """The floor makes a table on the first hello to a new code; the screen starts it."""

    name = "floor"

    def __init__(self, port: int) -> None:
        self.port = port
        self.made = 0

    async def prepare(self) -> None:
        return None

    async def create_table(self, rounds: int) -> str:
        self.made += 1
        return f"F{self.made:06d}"

    async def start(self, table: BTable) -> None:
        await table.screen.send({"t": "start"})


Target = PiiriTarget | FloorTarget


# -- the bots ---------------------------------------------------------------------------------


class SetupError(Exception):
    pass


class SetupFailed(Exception):
    """The tables could not be set up (reported, not a crash)."""


class Move:
    __slots__ = ("ack_t", "done_t", "fut", "id", "kind", "mover", "rotating", "sched_t",
                 "screen_t", "send_t", "seq", "tablet_t", "waiting")

    def __init__(self, mover: Client, msg_id: int, kind: str, sched_t: float) -> None:
        self.mover = mover
        self.id = msg_id
        self.kind = kind
        self.sched_t = sched_t
        self.rotating = False  # sent while some table was being replaced
        self.send_t = 0.0
        self.ack_t = 0.0  # when the mover got its ack (0: not yet)
        self.done_t = 0.0  # when the last client got the move (0: not yet)
        self.seq = 0  # expected at sending (the table's seq + 1), checked against the ack
        self.screen_t: float | None = None
        self.tablet_t = 0.0
        self.waiting: set[Client] = set()
        self.fut: asyncio.Future[bool] = asyncio.get_running_loop().create_future()


class Client:
    """One WebSocket: a tablet (role seat) or the table's screen."""

    def __init__(self, bench: Bench, table: BTable, role: str, ws: ClientConnection) -> None:
        self.bench = bench
        self.table = table
        self.role = role
        self.ws = ws
        self.hist: deque[tuple[int, float]] = deque(maxlen=64)  # (seq, arrival) of frames
        self.last_seq = -1  # highest seq of a controls/scene frame received
        self.holds = False  # its latest controls said your_turn
        self.msg_id = 0
        self.turns = 0
        self.outstanding: dict[int, Move] = {}
        self.waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.closed = False
        self.closing = False
        self.joining = False  # a join was sent
        self.seated = False  # ... and its "seated" came
        self.reader = asyncio.create_task(self._read())

    async def send(self, msg: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(msg, separators=(",", ":")))

    def expect(self, kind: str) -> asyncio.Future[dict[str, Any]]:
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiters[kind] = fut
        return fut

    async def request(self, msg: dict[str, Any], kind: str,
                      timeout: float = SETUP_TIMEOUT_S) -> dict[str, Any]:
        fut = self.expect(kind)
        await self.send(msg)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise SetupError(f"no '{kind}' within {timeout:.0f} s of '{msg['t']}'") from None
        finally:
            self.waiters.pop(kind, None)

    def first_at_or_after(self, seq: int) -> float | None:
        found = None
        for s, t in reversed(self.hist):
            if s < seq:
                break
            found = t
        return found

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self._handle(raw if isinstance(raw, str) else raw.decode(), time.perf_counter())
        except ConnectionClosed:
            pass
        except Exception as error:  # a bug here must show, not hang the run
            self.bench.problems[f"reader: {type(error).__name__}: {error}"] += 1
        finally:
            self.closed = True
            if not self.closing:
                self.bench.unexpected_closes += 1
                code = self.ws.close_code
                self.bench.problems[f"server closed a connection (code {code}, "
                                    f"reason {self.ws.close_reason!r})"] += 1
            for fut in self.waiters.values():
                if not fut.done():
                    fut.set_exception(SetupError("connection closed"))
            self.table.turn_evt.set()

    def _handle(self, raw: str, t: float) -> None:
        frame = _FRAME_RE.match(raw)
        if frame is not None:
            kind, seq = frame.group(1), int(frame.group(2))
            bench = self.bench
            if seq < self.last_seq:
                # An older picture after a newer one: the client would show a stale view.
                bench.stale_frames[f"{self.role} got {kind} seq {seq} after seq {self.last_seq}"
                                   f" ({'before' if bench.t_start == math.inf else 'during'}"
                                   f" the window)"] += 1
                return
            self.last_seq = seq
            if kind == "controls":
                turn = '"your_turn":true' in raw
                self.holds = turn
                if self.joining and not self.seated:
                    self.joining = False  # count a tablet once
                    bench.controls_before_seated += 1
                if bench.measuring and bench.sizes_left > 0:
                    bench.sample_frame("controls_turn" if turn else "controls_other", raw)
                if turn:
                    self.table.turn_evt.set()
            else:
                layout = _LAYOUT_RE.search(raw)
                if layout is not None and layout.group(1) == "closing":
                    self.table.ended = True
                    self.table.turn_evt.set()
                if bench.measuring and bench.sizes_left > 0 and layout and \
                        layout.group(1) != "closing":
                    bench.sample_frame("scene", raw)
            self.hist.append((seq, t))
            self.table.on_frame(self, seq, t)
            waiter = self.waiters.get(kind)  # the screen's hello waits for its first scene
            if waiter is not None and not waiter.done():
                waiter.set_result({"t": kind, "seq": seq})
            return
        msg = json.loads(raw)
        kind = msg.get("t")
        if kind == "ack":
            self.table.on_ack(self, msg["id"], msg["seq"], t)
        elif kind == "error":
            if self.waiters:
                for fut in self.waiters.values():
                    if not fut.done():
                        fut.set_exception(SetupError(f"error {msg.get('reason')}"))
            else:
                self.table.on_error(self, msg)
        elif kind == "seated":
            self.seated = True
        elif kind == "gone":
            self.bench.problems[f"gone: {msg.get('reason')}"] += 1
        waiter = self.waiters.get(kind)
        if waiter is not None and not waiter.done():
            waiter.set_result(msg)

    async def ping(self, timeout: float = 5.0) -> float | None:
        start = time.perf_counter()
        try:
            await self.request({"t": "ping"}, "pong", timeout)
        except (TimeoutError, SetupError, ConnectionClosed):
            return None
        return time.perf_counter() - start

    async def close(self) -> None:
        self.closing = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 2)
        if not self.closed:
            self.ws.transport.abort()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.reader, 2)

    def abort(self) -> None:
        self.closing = True
        with contextlib.suppress(Exception):
            self.ws.transport.abort()


class BTable:
    """The bench's view of one table: its clients and the moves in flight."""

    def __init__(self, bench: Bench, slot: int, code: str) -> None:
        self.bench = bench
        self.slot = slot
        self.code = code
        self.screen: Client = None  # type: ignore[assignment]  # set in Bench.new_table
        self.seats: list[Client] = []
        self.clients: list[Client] = []
        self.inflight: list[Move] = []  # sent, not yet seen by every client
        self.max_seq = 0  # highest seq any client of the table has received
        self.turn_evt = asyncio.Event()
        self.ended = False
        self.backoff_until = 0.0

    def on_frame(self, client: Client, seq: int, t: float) -> None:
        if seq > self.max_seq:
            self.max_seq = seq
        for move in self.inflight:
            if seq >= move.seq and client in move.waiting:
                self._reached(move, client, t)

    def _reached(self, move: Move, client: Client, t: float) -> None:
        move.waiting.discard(client)
        if client.role == "screen":
            move.screen_t = t
        elif t > move.tablet_t:
            move.tablet_t = t
        if not move.waiting:
            self._complete(move, True)

    def on_ack(self, client: Client, msg_id: int, seq: int, t: float) -> None:
        move = client.outstanding.pop(msg_id, None)
        if move is None:
            self.bench.problems["ack for no move in flight"] += 1
            return
        move.ack_t = t
        if seq != move.seq:
            # Something else changed the table in between: measure against the real seq.
            self.bench.problems["ack seq differs from the expected one"] += 1
            if move.done_t:
                self.bench.problems["a move counted as reached too early"] += 1
            else:
                move.seq = seq
                move.waiting = set()
                move.screen_t, move.tablet_t = None, 0.0
                for c in self.clients:
                    arrived = c.first_at_or_after(seq)
                    if arrived is None:
                        move.waiting.add(c)
                    elif c.role == "screen":
                        move.screen_t = arrived
                    elif arrived > move.tablet_t:
                        move.tablet_t = arrived
                if not move.waiting:
                    self._complete(move, True)
        self.bench.record_ack(move)

    def on_error(self, client: Client, msg: dict[str, Any]) -> None:
        reason = str(msg.get("reason"))
        self.bench.errors[reason] += 1
        msg_id = msg.get("id")
        if msg_id is None and client.outstanding:
            msg_id = next(iter(client.outstanding))  # too_many says no id: the oldest
        move = client.outstanding.pop(msg_id, None) if msg_id is not None else None
        if move is None:
            return
        if reason == "too_many":  # still this seat's turn; try again a little later
            client.holds = True
            self.backoff_until = time.perf_counter() + 0.15
            self.turn_evt.set()
        if move.done_t:
            self.bench.problems["a refused move had been counted as reached"] += 1
        self._complete(move, False)

    def _complete(self, move: Move, reached: bool) -> None:
        with contextlib.suppress(ValueError):
            self.inflight.remove(move)
        if not move.fut.done():
            move.fut.set_result(reached)
        if reached:
            move.done_t = time.perf_counter()
            self.bench.record(move)

    async def wait_turn(self, timeout: float) -> Client | None:
        deadline = time.perf_counter() + timeout
        while True:
            if self.ended:
                return None
            for client in self.seats:
                if client.holds and not client.closed:
                    return client
            self.turn_evt.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            try:
                await asyncio.wait_for(self.turn_evt.wait(), left)
            except TimeoutError:
                return None

    def pending(self) -> int:
        """Moves not yet seen by every client, or not yet acked."""
        return len(self.inflight) + sum(len(c.outstanding) for c in self.seats)

    async def drain(self, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while self.pending() and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)


class Bench:
    """One server's run: the tables, the drivers and the figures."""

    def __init__(self, target: Target, args: argparse.Namespace, port: int) -> None:
        self.target = target
        self.args = args
        self.url = f"ws://127.0.0.1:{port}/ws"
        self.rng = random.Random(args.seed)
        self.conn_sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
        self.tables: list[BTable] = []
        self.retired: list[BTable] = []
        self.closers: list[asyncio.Task[None]] = []
        self.all_clients: list[Client] = []
        self.connect_failures = 0
        self.t_start = math.inf
        self.t_end = math.inf
        self.measuring = False
        self.tablet_lat: list[float] = []
        self.screen_lat: list[float] = []
        self.ack_lat: list[float] = []
        self.lag: list[float] = []
        self.rows: list[tuple[float, int, str, float, float, float]] = []  # for --dump
        self.sent = 0
        self.completed_outside = 0
        self.rotations = 0
        self.rotating = 0  # replacements in progress
        self.rot_flags: list[bool] = []  # per measured move: sent during a replacement
        self.stalls = 0
        self.timeouts = 0
        self.unexpected_closes = 0
        self.controls_before_seated = 0
        self.errors: Counter[str] = Counter()
        self.problems: Counter[str] = Counter()
        self.stale_frames: Counter[str] = Counter()
        self.sizes: dict[str, list[int]] = {"scene": [], "controls_turn": [], "controls_other": []}
        self.samples: dict[str, str] = {}
        self.sizes_left = 3000

    # -- figures -------------------------------------------------------------------------

    def sample_frame(self, kind: str, raw: str) -> None:
        self.sizes_left -= 1
        self.sizes[kind].append(len(raw.encode()))
        self.samples.setdefault(kind, raw)

    def record(self, move: Move) -> None:
        """The move has reached every client of its table."""
        if self.t_start <= move.send_t < self.t_end:
            self.tablet_lat.append(move.tablet_t - move.send_t)
            self.screen_lat.append((move.screen_t or move.tablet_t) - move.send_t)
            self.rot_flags.append(move.rotating)
            if move.ack_t:
                self._row(move)
        else:
            self.completed_outside += 1

    def record_ack(self, move: Move) -> None:
        if self.t_start <= move.send_t < self.t_end:
            self.ack_lat.append(move.ack_t - move.send_t)
            if move.done_t:
                self._row(move)

    def _row(self, move: Move) -> None:
        if self.args.dump:
            self.rows.append((move.send_t - self.t_start, move.mover.table.slot, move.kind,
                              move.tablet_t - move.send_t,
                              (move.screen_t or move.tablet_t) - move.send_t,
                              move.ack_t - move.send_t))

    # -- tables --------------------------------------------------------------------------

    async def open_client(self, table: BTable, role: str) -> Client:
        async with self.conn_sem:
            if self.connect_failures >= CONNECT_CONCURRENCY:
                raise SetupError("not tried: too many connections failed already")
            try:
                ws = await self._connect()
            except Exception:
                self.connect_failures += 1
                raise
        client = Client(self, table, role, ws)
        table.clients.append(client)
        self.all_clients.append(client)
        return client

    async def _connect(self) -> ClientConnection:
        return await connect(self.url, open_timeout=SETUP_TIMEOUT_S, ping_interval=None,
                             close_timeout=2, max_size=2 ** 22, proxy=None,
                             compression="deflate" if self.args.compression == "on" else None)

    async def join_seat(self, table: BTable, index: int, generation: int) -> Client:
        client = await self.open_client(table, "seat")
        await client.request({"t": "hello", "v": 1, "role": "seat", "room": table.code},
                             "welcome")
        nickname = f"b{table.slot}g{generation}s{index}"
        client.joining = True
        avatar = {"icon": ICONS[index % len(ICONS)], "colour": COLOURS[index % len(COLOURS)]}
        await client.request({"t": "join", "nickname": nickname, "avatar": avatar}, "seated")
        return client

    async def new_table(self, slot: int, generation: int) -> BTable:
        code = await self.target.create_table(ROUNDS)
        table = BTable(self, slot, code)
        table.screen = await self.open_client(table, "screen")
        await table.screen.request({"t": "hello", "v": 1, "role": "screen", "room": code},
                                   "scene")
        table.seats = list(await asyncio.gather(
            *(self.join_seat(table, i, generation) for i in range(self.args.players))))
        await self.target.start(table)
        if await table.wait_turn(SETUP_TIMEOUT_S) is None:
            raise SetupError(f"table {code}: nobody got the turn after the start")
        return table

    async def retire(self, table: BTable) -> None:
        self.retired.append(table)
        for client in table.clients:
            self.closers.append(asyncio.create_task(client.close()))

    # -- driving -------------------------------------------------------------------------

    async def send_move(self, table: BTable, mover: Client, sched_t: float) -> Move:
        mover.turns += 1
        mover.msg_id += 1
        kind = "pass" if mover.turns % 4 == 0 else "move"
        msg: dict[str, Any] = ({"t": "pass", "id": mover.msg_id} if kind == "pass" else
                               {"t": "move", "id": mover.msg_id, "name": "done", "payload": {}})
        text = json.dumps(msg, separators=(",", ":"))
        move = Move(mover, mover.msg_id, kind, sched_t)
        move.seq = table.max_seq + 1
        move.waiting = set(table.clients)
        mover.outstanding[move.id] = move
        mover.holds = False
        table.inflight.append(move)
        move.send_t = time.perf_counter()
        move.rotating = self.rotating > 0
        if sched_t:
            self.lag.append(move.send_t - sched_t)
        self.sent += 1
        try:
            await mover.ws.send(text)
        except ConnectionClosed:
            mover.outstanding.pop(move.id, None)
            table._complete(move, False)
        return move

    async def rotate(self, slot: int, generation: int) -> BTable:
        old = self.tables[slot]
        await old.drain(DRAIN_TIMEOUT_S)
        self.rotating += 1
        try:
            new = await asyncio.wait_for(self.new_table(slot, generation), SETUP_TIMEOUT_S * 2)
        finally:
            self.rotating -= 1
        self.tables[slot] = new
        self.rotations += 1
        await self.retire(old)
        return new

    async def drive(self, slot: int) -> None:
        rate = self.args.rate
        period = 1.0 / rate if rate > 0 else 0.0
        sched = self.t_start + self.rng.random() * period
        generation = 0
        while True:
            now = time.perf_counter()
            if now >= self.t_end or (rate > 0 and sched >= self.t_end):
                return
            if rate > 0 and sched > now:
                await asyncio.sleep(sched - now)
            table = self.tables[slot]
            if table.ended:
                generation += 1
                table = await self.rotate(slot, generation)
                if rate > 0:
                    sched = max(sched, time.perf_counter())
                continue
            if table.backoff_until > time.perf_counter():
                await asyncio.sleep(table.backoff_until - time.perf_counter())
            mover = await table.wait_turn(min(TURN_TIMEOUT_S,
                                              max(0.05, self.t_end + 1 - time.perf_counter())))
            if mover is None:
                if not table.ended:
                    self.stalls += 1
                continue
            if time.perf_counter() >= self.t_end:
                return
            move = await self.send_move(table, mover, sched if rate > 0 else 0.0)
            if rate > 0:
                sched += period
                continue
            try:
                await asyncio.wait_for(asyncio.shield(move.fut), MOVE_TIMEOUT_S)
            except TimeoutError:
                self.timeouts += 1


# -- one latency run --------------------------------------------------------------------------


async def latency_session(target: Target, port: int, pid: int,
                          args: argparse.Namespace) -> dict[str, Any]:
    bench = Bench(target, args, port)
    await target.prepare()
    setup_start = time.perf_counter()
    try:
        try:
            bench.tables = list(await asyncio.wait_for(
                asyncio.gather(*(bench.new_table(i, 0) for i in range(args.tables))),
                SETUP_TIMEOUT_S + args.tables * 1.0))
        except Exception as error:
            await asyncio.sleep(1)
            held = sum(1 for c in bench.all_clients if not c.closed)
            took = time.perf_counter() - setup_start
            wanted = args.tables * (args.players + 1)
            raise SetupFailed(
                f"{type(error).__name__}: {error or ''} after {took:.0f} s, with {held}"
                f" connections open (of {wanted} wanted; {bench.connect_failures} handshakes"
                f" failed); server RSS {proc_kb(pid, 'VmRSS') / 1024:.0f} MB") from error
        setup_s = time.perf_counter() - setup_start
        connections = sum(len(t.clients) for t in bench.tables)
        say(f"  setup: {args.tables} tables, {connections} connections in {setup_s:.1f} s;"
            f" server pid {pid}"
            f" (server RSS {proc_kb(pid, 'VmRSS') / 1024:.0f} MB,"
            f" {proc_status(pid).get('Threads', '?')} threads)")
        bench.t_start = time.perf_counter() + 0.2
        bench.t_end = bench.t_start + args.seconds
        wall_start = time.time() + 0.2
        bench.measuring = True
        cpu0, mine0, all0 = proc_cpu_s(pid), self_cpu_s(), machine_cpu_s()
        loop_lags: list[float] = []
        stop_watch = asyncio.Event()
        watcher = asyncio.create_task(watch_loop(loop_lags, stop_watch))
        drivers = [asyncio.create_task(bench.drive(i)) for i in range(args.tables)]
        soak: list[tuple[float, float]] = []
        sampler = asyncio.create_task(watch_rss(pid, bench, args, soak, stop_watch)) \
            if args.soak else None
        done, pending = await asyncio.wait(drivers, timeout=args.seconds + 60)
        stop_watch.set()
        await watcher
        if sampler is not None:
            await sampler
        for task in pending:  # bounded: a driver stuck past its deadline is stopped
            task.cancel()
            bench.problems["driver did not stop in time"] += 1
        for task in done:
            if task.exception() is not None:
                bench.problems[f"driver failed: {task.exception()!r}"] += 1
        wall = time.perf_counter() - bench.t_start
        cpu1, mine1, all1 = proc_cpu_s(pid), self_cpu_s(), machine_cpu_s()
        bench.measuring = False
        await asyncio.gather(*(t.drain(DRAIN_TIMEOUT_S) for t in bench.tables))
        incomplete = sum(t.pending() for t in bench.tables)
        held = sum(1 for t in bench.tables for c in t.clients if not c.closed)
        threads = proc_status(pid).get("Threads", "?")
        peak_rss_mb = proc_kb(pid, "VmHWM") / 1024
    finally:
        for client in bench.all_clients:
            client.abort()
        for task in bench.closers:
            task.cancel()
        await asyncio.sleep(0.2)
    return {
        "bench": bench, "setup_s": setup_s, "wall": wall, "incomplete": incomplete,
        "held": held, "expected": args.tables * (args.players + 1), "threads": threads,
        "peak_rss_mb": peak_rss_mb, "server_cpu": (cpu1 - cpu0) / wall,
        "bench_cpu": (mine1 - mine0) / wall,
        "other_cpu": ((all1 - all0) - (cpu1 - cpu0) - (mine1 - mine0)) / wall,
        "loop_lag_p99": pct(loop_lags, 99), "loop_lag_max": pct(loop_lags, 100),
        "window": (wall_start, wall_start + args.seconds + DRAIN_TIMEOUT_S),
        "server_cpu_s": cpu1 - cpu0, "soak": soak if args.soak else [],
    }


#: --soak: the RSS after this many seconds is the reference the end is compared with.
SOAK_SETTLED_S = 120.0


async def watch_rss(pid: int, bench: Bench, args: argparse.Namespace,
                    samples: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """--soak: the server's RSS every --soak-every seconds of the window, printed as it goes."""
    every = args.soak_every
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        elapsed = time.perf_counter() - bench.t_start
        rss = proc_kb(pid, "VmRSS") / 1024
        samples.append((elapsed, rss))
        say(f"  soak t={elapsed:6.0f} s  server RSS {rss:6.1f} MB  moves {len(bench.tablet_lat)}"
            f"  tables replaced {bench.rotations}")


def soak_figures(samples: list[tuple[float, float]]) -> dict[str, float]:
    """RSS after the first two minutes (or the first sample), at the end, and the growth."""
    if not samples:
        return {}
    settled_t, settled = next(((t, rss) for t, rss in samples if t >= SOAK_SETTLED_S),
                              samples[0])
    end = samples[-1][1]
    return {"rss_settled_mb": settled, "rss_settled_s": settled_t, "rss_end_mb": end,
            "rss_growth_pct": (end - settled) / settled * 100 if settled else math.nan}


def report(name: str, res: dict[str, Any], args: argparse.Namespace) -> dict[str, float]:
    b: Bench = res["bench"]
    n = len(b.tablet_lat)
    mps = n / args.seconds
    say(f"  moves: sent {b.sent}, reached everyone {n} in the window"
        f" (+{b.completed_outside} outside), rejected {sum(b.errors.values())}"
        f"{' ' + str(dict(b.errors)) if b.errors else ''}, incomplete {res['incomplete']},"
        f" timeouts {b.timeouts},"
        f" stalls {b.stalls}, table rotations {b.rotations}")
    say(f"  every tablet: p50 {ms(pct(b.tablet_lat, 50))} ms, p90 {ms(pct(b.tablet_lat, 90))},"
        f" p99 {ms(pct(b.tablet_lat, 99))}, max {ms(pct(b.tablet_lat, 100))}  (n={n})")
    say(f"  screen:       p50 {ms(pct(b.screen_lat, 50))} ms, p90 {ms(pct(b.screen_lat, 90))},"
        f" p99 {ms(pct(b.screen_lat, 99))}, max {ms(pct(b.screen_lat, 100))}")
    if b.rotations:
        during = [v for v, r in zip(b.tablet_lat, b.rot_flags, strict=True) if r]
        rest = [v for v, r in zip(b.tablet_lat, b.rot_flags, strict=True) if not r]
        say(f"  tables replaced {b.rotations} times (a circle ends after {ROUNDS} rounds);"
            f" {len(during)} moves were sent while a replacement was being set up:"
            f" their every-tablet p99 {ms(pct(during, 99))} ms; the other {len(rest)}:"
            f" p50 {ms(pct(rest, 50))}, p99 {ms(pct(rest, 99))} ms")
    say(f"  mover's ack:  p50 {ms(pct(b.ack_lat, 50))} ms, p99 {ms(pct(b.ack_lat, 99))}")
    if args.rate > 0:
        say(f"  send behind schedule: p50 {ms(pct(b.lag, 50))} ms, p99 {ms(pct(b.lag, 99))}"
            f" (open loop; a move waits for its turn holder to hear of its turn)")
    sizes = {k: sorted(v)[len(v) // 2] for k, v in b.sizes.items() if v}
    say(f"  frames received (median UTF-8 bytes): {sizes}")
    say(f"  moves/s {mps:.1f}; connections held {res['held']}/{res['expected']};"
        f" server peak RSS {res['peak_rss_mb']:.0f} MB, {res['threads']} threads;"
        f" CPU in window: server {res['server_cpu'] * 100:.1f}%,"
        f" bench {res['bench_cpu'] * 100:.1f}%, other processes"
        f" {max(0.0, res['other_cpu']) * 100:.1f}% (100% = one core)")
    cpu_per_move = res["server_cpu_s"] / n if n else math.nan
    say(f"  server CPU per move: {ms(cpu_per_move)} ms (the server's CPU time in the window"
        f" over the moves that reached everyone; with every frame, commit and ack)")
    say(f"  bench event-loop lateness: p99 {ms(res['loop_lag_p99'])} ms,"
        f" max {ms(res['loop_lag_max'])} ms")
    if b.stale_frames:
        say(f"  SEQ WENT BACKWARDS {sum(b.stale_frames.values())} times: "
            + "; ".join(f"{k} x{v}" for k, v in b.stale_frames.most_common(3)))
    if b.controls_before_seated:
        say(f"  note: {b.controls_before_seated} tablets got 'controls' before 'seated'")
    if b.unexpected_closes or b.problems:
        say(f"  problems: unexpected closes {b.unexpected_closes}; "
            + "; ".join(f"{k} x{v}" for k, v in b.problems.most_common(6)))
    return {"p50": pct(b.tablet_lat, 50), "p99": pct(b.tablet_lat, 99),
            "screen_p50": pct(b.screen_lat, 50), "screen_p99": pct(b.screen_lat, 99),
            "mps": mps, "connections": res["held"], "peak_rss_mb": res["peak_rss_mb"],
            "cpu_per_move": cpu_per_move, **soak_figures(res["soak"])}


def dump(args: argparse.Namespace, name: str, bench: Bench) -> None:
    if not args.dump:
        return
    path = Path(f"{args.dump}-{name}.csv")
    lines = ["send_s,table,kind,every_tablet_s,screen_s,ack_s"]
    lines += [f"{r[0]:.6f},{r[1]},{r[2]},{r[3]:.6f},{r[4]:.6f},{r[5]:.6f}" for r in bench.rows]
    path.write_text("\n".join(lines) + "\n")
    say(f"  wrote {len(bench.rows)} moves to {path}")


def frame_sizes(bench: Bench) -> dict[str, Any]:
    out: dict[str, Any] = dict(DEFAULT_SIZES)
    for kind, values in bench.sizes.items():
        if values:
            out[kind] = sorted(values)[len(values) // 2]
    out["samples"] = bench.samples
    return out


# -- the idle run -----------------------------------------------------------------------------


async def idle_session(port: int, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    target = PiiriTarget(port)
    bench = Bench(target, args, port)
    await target.prepare()
    n = args.idle
    n_tables = math.ceil(n / 12)
    start = time.perf_counter()
    wall_start = time.time()
    sem = asyncio.Semaphore(4)

    async def make_table(slot: int) -> BTable:
        async with sem:
            return BTable(bench, slot, await target.create_table(ROUNDS))

    try:
        tables = list(await asyncio.wait_for(
            asyncio.gather(*(make_table(i) for i in range(n_tables))), 120 + n_tables * 0.5))
        tables_s = time.perf_counter() - start
        bench.tables = tables
        say(f"  {n_tables} tables made through the panel in {tables_s:.1f} s")

        async def seat(i: int) -> Client:
            table = tables[i // 12]
            client = await bench.join_seat(table, i % 12, 0)  # each step has its own timeout
            table.seats.append(client)
            return client

        start = time.perf_counter()
        tasks = [asyncio.create_task(seat(i)) for i in range(n)]
        done, pending = await asyncio.wait(tasks, timeout=IDLE_CONNECT_TIMEOUT_S)
        for task in pending:
            task.cancel()
        connect_s = time.perf_counter() - start
        clients = [t.result() for t in done if t.exception() is None]
        failures = Counter(f"{type(t.exception()).__name__}: {t.exception()}"[:120]
                           for t in done if t.exception() is not None)
        if pending:
            failures[f"not seated within {IDLE_CONNECT_TIMEOUT_S:.0f} s"] = len(pending)
        say(f"  {len(clients)}/{n} tablets connected and seated in {connect_s:.1f} s"
            + (f"; failures: {dict(failures.most_common(4))}" if failures else ""))
        cpu_before, held_from = proc_cpu_s(pid), time.perf_counter()
        await asyncio.sleep(args.hold)
        # What holding them costs the server while nothing happens (pings, timers, polls).
        idle_cpu_pct = (100 * (proc_cpu_s(pid) - cpu_before)
                        / max(time.perf_counter() - held_from, 1e-9))
        alive = [c for c in clients if not c.closed]
        sample = bench.rng.sample(alive, min(args.ping_sample, len(alive)))
        rtts = await asyncio.gather(*(c.ping() for c in sample))
        ok = [r for r in rtts if r is not None]
        held = sum(1 for c in clients if not c.closed)
        status = proc_status(pid)
        try:
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            fds = -1
        out = {
            "requested": n, "seated": len(clients), "held": held, "pong_ok": len(ok),
            "pinged": len(sample), "ping_p50": pct(ok, 50), "ping_p99": pct(ok, 99),
            "rss_mb": proc_kb(pid, "VmRSS") / 1024, "peak_rss_mb": proc_kb(pid, "VmHWM") / 1024,
            "threads": status.get("Threads", "?"), "fds": fds, "connect_s": connect_s,
            "unexpected_closes": bench.unexpected_closes, "problems": bench.problems,
            "window": (wall_start, time.time()), "idle_cpu_pct": idle_cpu_pct,
        }
    finally:
        for client in bench.all_clients:
            client.abort()
        await asyncio.sleep(0.2)
    return out


# -- the floor server (run as `--floor-serve`, in its own process) ----------------------------


def _pad_frame(build: Callable[[str], str], target_bytes: int, text: str) -> str:
    """The padding text that makes ``build(pad)`` about ``target_bytes`` long in UTF-8."""
    clean = text.replace('"', "'").replace("\\", "/") or "x"
    while len(clean) < target_bytes:
        clean += clean
    pad = clean[:max(0, target_bytes - len(build("").encode()))]
    for _ in range(8):
        over = len(build(pad).encode()) - target_bytes
        if over <= 0:
            break
        pad = pad[:max(0, len(pad) - over)]
    return pad


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


class FloorTable:
    def __init__(self, code: str, rounds: int, pads: dict[str, str]) -> None:
        self.code = code
        self.rounds = rounds
        self.pads = pads
        self.lock = asyncio.Lock()
        self.seq = 1
        self.status = "lobby"
        self.order: list[str] = []
        self.nicknames: set[str] = set()
        self.seats: dict[str, Any] = {}
        self.screens: set[Any] = set()
        self.last_ids: dict[str, int] = {}
        self.turns = 0

    @property
    def current(self) -> str | None:
        if self.status != "playing" or not self.order:
            return None
        return self.order[self.turns % len(self.order)]

    def scene_frame(self) -> str:
        layout = {"lobby": "lobby", "playing": "card", "ended": "closing"}[self.status]
        return _dumps({"t": "scene", "seq": self.seq, "scene": {
            "layout": layout, "current": self.current,
            "round": self.turns // max(1, len(self.order)) + 1, "pad": self.pads["scene"]}})

    def controls_frame(self, seat: str) -> str:
        turn = seat == self.current
        return _dumps({"t": "controls", "seq": self.seq, "controls": {
            "seat": seat, "your_turn": turn,
            "pad": self.pads["controls_turn" if turn else "controls_other"]}})

    async def broadcast(self) -> None:
        frame = self.scene_frame() if self.screens else None
        targets = [(ws, frame) for ws in self.screens if frame is not None]
        targets += [(ws, self.controls_frame(seat)) for seat, ws in self.seats.items()]
        for ws, text in targets:
            with contextlib.suppress(ConnectionClosed):
                await ws.send(text)


async def _floor_main(port: int, frames: dict[str, Any], rounds: int, compression: bool) -> None:
    from websockets.asyncio.server import serve

    samples = frames.get("samples") or {}
    filler = ("Kierros vastaa vuorollaan lyhyeen kysymykseen ääneen tai ohittaa vuoronsa. "
              "Var och en svarar i tur och ordning. Each person in turn answers aloud. ")
    pads = {
        "scene": _pad_frame(lambda p: _dumps({"t": "scene", "seq": 100, "scene": {
            "layout": "card", "current": "s10", "round": 5, "pad": p}}),
            int(frames["scene"]), samples.get("scene", filler)),
        "controls_turn": _pad_frame(lambda p: _dumps({"t": "controls", "seq": 100, "controls": {
            "seat": "s10", "your_turn": True, "pad": p}}),
            int(frames["controls_turn"]), samples.get("controls_turn", filler)),
        "controls_other": _pad_frame(lambda p: _dumps({"t": "controls", "seq": 100, "controls": {
            "seat": "s10", "your_turn": False, "pad": p}}),
            int(frames["controls_other"]), samples.get("controls_other", filler)),
    }
    tables: dict[str, FloorTable] = {}
    err_cache: dict[str, str] = {}

    def error(reason: str, msg_id: int | None = None) -> str:
        if msg_id is None:
            if reason not in err_cache:
                err_cache[reason] = _dumps({"t": "error", "reason": reason,
                                            "message": {"en": reason}, "id": None})
            return err_cache[reason]
        return _dumps({"t": "error", "reason": reason, "message": {"en": reason}, "id": msg_id})

    async def handler(ws: Any) -> None:
        table: FloorTable | None = None
        role = seat = None
        tokens, refilled = float(FLOOR_RATE_BURST), time.monotonic()
        try:
            async for raw in ws:
                now = time.monotonic()
                tokens = min(FLOOR_RATE_BURST, tokens + (now - refilled) * FLOOR_RATE_PER_S)
                refilled = now
                if tokens < 1:
                    await ws.send(error("too_many"))
                    continue
                tokens -= 1
                try:
                    msg = json.loads(raw)
                    kind = msg["t"]
                except (ValueError, KeyError, TypeError):
                    await ws.send(error("bad_message"))
                    continue
                if kind == "ping":
                    await ws.send('{"t":"pong"}')
                elif kind == "hello":
                    if table is not None:
                        await ws.send(error("bad_message"))
                        continue
                    room = str(msg.get("room"))
                    table = tables.get(room)
                    if table is None:
                        table = tables[room] = FloorTable(room, rounds, pads)
                    role = msg.get("role")
                    if role == "screen":
                        table.screens.add(ws)
                        await ws.send(table.scene_frame())
                    else:
                        await ws.send(_dumps({"t": "welcome", "v": 1, "room": room,
                                              "seat": None, "status": table.status}))
                elif table is None:
                    await ws.send(error("bad_message"))
                elif kind == "join":
                    async with table.lock:
                        nickname = str(msg.get("nickname", "")).casefold()
                        if role != "seat" or seat is not None:
                            await ws.send(error("bad_message"))
                            continue
                        if len(table.order) >= 12 or nickname in table.nicknames:
                            await ws.send(error("table_full" if len(table.order) >= 12
                                                else "name_taken"))
                            continue
                        seat = f"s{len(table.order) + 1}"
                        table.nicknames.add(nickname)
                        table.order.append(seat)
                        table.seats[seat] = ws
                        table.last_ids[seat] = 0
                        table.seq += 1
                        await ws.send(_dumps({"t": "seated", "seat": seat, "token": "floor"}))
                        await table.broadcast()
                elif kind == "start":
                    async with table.lock:
                        if table.status == "lobby":
                            table.status = "playing"
                            table.seq += 1
                            await table.broadcast()
                elif kind in ("move", "pass"):
                    msg_id = msg.get("id")
                    if seat is None or not isinstance(msg_id, int):
                        await ws.send(error("not_seated", msg_id))
                        continue
                    async with table.lock:
                        if msg_id <= table.last_ids[seat]:
                            reply = error("replayed", msg_id)
                        elif table.current != seat:
                            table.last_ids[seat] = msg_id
                            reply = error("not_your_turn", msg_id)
                        else:
                            table.last_ids[seat] = msg_id
                            table.seq += 1
                            table.turns += 1
                            if table.turns >= table.rounds * len(table.order):
                                table.status = "ended"
                            await table.broadcast()
                            reply = _dumps({"t": "ack", "id": msg_id, "seq": table.seq})
                    await ws.send(reply)
                else:
                    await ws.send(error("bad_message"))
        except ConnectionClosed:
            pass
        finally:
            if table is not None:
                table.screens.discard(ws)
                if seat is not None and table.seats.get(seat) is ws:
                    del table.seats[seat]

    stop: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    def stop_serving() -> None:
        if not stop.done():
            stop.set_result(None)

    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop_serving)
    async with serve(handler, "127.0.0.1", port, ping_interval=25, max_size=64 * 1024,
                     compression="deflate" if compression else None):
        await stop


def floor_serve(args: argparse.Namespace) -> None:
    exec(GC_LOG_CODE, {})  # the same GC log as the Piiri server's
    raise_nofile()
    frames = json.loads(Path(args.frames).read_text()) if args.frames else dict(DEFAULT_SIZES)
    asyncio.run(_floor_main(args.port, frames, args.rounds, args.compression == "on"))


# -- main -------------------------------------------------------------------------------------


def run_server(name: str, command_for: Callable[[int], tuple[list[str], dict[str, str]]],
               workdir: Path, session: Callable[[int, int], Awaitable[Any]]) -> Any:
    port = free_port()
    server = Subprocess(name, command_for(port), port, workdir / f"{name}.log")
    try:
        server.wait_ready()
        result = asyncio.run(asyncio.wait_for(session(port, server.pid), 3600))
        window = result.get("window") if isinstance(result, dict) else None
        if window:
            pauses = server.gc_pauses(*window)
            gen2 = [d for g, d in pauses if g == 2]
            say(f"  server GC pauses >= 20 ms during the run: {len(pauses)}"
                + (f" (gen2 {len(gen2)}), longest {max(d for _, d in pauses) * 1000:.0f} ms,"
                   f" total {sum(d for _, d in pauses) * 1000:.0f} ms" if pauses else ""))
        errors, tracebacks, first = server.log_problems()
        if errors or tracebacks:
            say(f"  server log: {errors} ERROR lines, {tracebacks} tracebacks; first: {first}")
        if server.proc.poll() is not None:
            say(f"  server exited during the run ({server.proc.returncode}):\n{server.tail()}")
        return result
    finally:
        server.stop()


def run_peer(args: argparse.Namespace) -> dict[str, float]:
    """boardgame.io on the same workload, right after Piiri and the floor: its last line's
    figures (``moves_per_s``, ``all_p99_ms`` ...), or nothing if it could not run."""
    script = Path(args.peer_script)
    say(f"[peer] boardgame.io: {script} {args.tables} {args.players} {args.seconds:g}"
        f" {args.rate:g}")
    if not script.exists():
        say(f"  not run: {script} is not there")
        return {}
    try:
        done = subprocess.run(["bash", str(script), str(args.tables), str(args.players),
                               str(math.ceil(args.seconds)), f"{args.rate:g}"],
                              capture_output=True, text=True, timeout=args.seconds + 900,
                              stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        say("  not run: it did not finish in time")
        return {}
    lines = done.stdout.strip().splitlines()
    found = dict(part.split("=", 1) for part in (lines[-1].split() if lines else [])
                 if "=" in part)
    out: dict[str, float] = {}
    for key, value in found.items():
        with contextlib.suppress(ValueError):
            out[key] = float(value)
    if "moves_per_s" not in out:
        say(f"  no figures (exit {done.returncode}): {(done.stdout + done.stderr)[-400:]}")
        return {}
    say(f"  {lines[-1]}")
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Move latency over real WebSockets: the Piiri server against a floor.")
    parser.add_argument("--tables", type=int, default=10)
    parser.add_argument("--players", type=int, default=12, help="tablets per table (1-12)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured window")
    parser.add_argument("--rate", type=float, default=1.0,
                        help="moves per second per table; 0 = closed loop")
    parser.add_argument("--server", choices=["piiri", "floor", "both"], default="both")
    parser.add_argument("--serve", choices=SERVE_MODES, default="werkzeug",
                        help="how the Piiri app is served")
    parser.add_argument("--worker-connections", type=int, default=None,
                        help="--serve gunicorn: its --worker-connections (gunicorn's default: "
                             "1000)")
    parser.add_argument("--compression", choices=["on", "off"], default="on",
                        help="offer permessage-deflate, as browsers do (default on)")
    parser.add_argument("--idle", type=int, default=0,
                        help="instead: hold N idle seated tablets on the Piiri server")
    parser.add_argument("--hold", type=float, default=5.0, help="--idle: seconds to hold")
    parser.add_argument("--ping-sample", type=int, default=200, help="--idle: tablets to ping")
    parser.add_argument("--soak", action="store_true",
                        help="print each server's RSS every --soak-every seconds of the window "
                             "and compare the end with the RSS after the first two minutes "
                             "(use a long --seconds, e.g. 1800, and --rate 1)")
    parser.add_argument("--soak-every", type=float, default=30.0, help="--soak: seconds")
    parser.add_argument("--peer", choices=["none", "boardgameio"], default="none",
                        help="also run boardgame.io on the same workload after Piiri and the "
                             "floor (PEER_SCRIPT TABLES PLAYERS SECONDS RATE) and print the ratio")
    parser.add_argument("--peer-script", default=str(PEER_SCRIPT),
                        help="--peer boardgameio: the script that runs it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder (server logs, SQLite file) after the run")
    parser.add_argument("--dump", default=None,
                        help="write every measured move to PATH-<server>.csv (send time, "
                             "table, kind, every-tablet, screen and ack latency in s)")
    parser.add_argument("--db-dir", default=None,
                        help="folder for the server's SQLite file (default: a temp folder)")
    # internal: this file is also the floor server
    parser.add_argument("--floor-serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--frames", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.players <= 12:
        parser.error("--players must be 1..12 (the circle seats at most 12)")
    if args.tables < 1 or args.seconds <= 0 or args.rate < 0 or args.idle < 0:
        parser.error("--tables ≥ 1, --seconds > 0, --rate ≥ 0, --idle ≥ 0")
    return args


def _interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through every finally: servers stop


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.floor_serve:
        floor_serve(args)
        return 0
    signal.signal(signal.SIGTERM, _interrupted)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background
        signal.signal(signal.SIGINT, _interrupted)
    nofile = raise_nofile()
    if not serve_mode_available(args.serve):
        say(f"--serve {args.serve}: {', '.join(SERVE_NEEDS[args.serve])} not importable by"
            f" {server_python()}; install it there (or put it on PYTHONPATH) first,"
            f" or use --serve werkzeug")
        return 2
    with contextlib.ExitStack() as stack:
        if args.keep:
            workdir = Path(tempfile.mkdtemp(prefix="piiri-bench-", dir=args.db_dir))
        else:
            workdir = Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="piiri-bench-", dir=args.db_dir)))
        database = str(workdir / "piiri.sqlite3")
        say(f"live_latency: {os.cpu_count()} cores, python {sys.version.split()[0]},"
            f" websockets {getattr(websockets, '__version__', '?')}, serve {args.serve},"
            f" compression {args.compression}, open files limit {nofile}, db {database}")

        if args.idle:
            needed = args.idle + 200
            if nofile < needed:
                say(f"open files limit {nofile} < {needed}: cannot hold {args.idle} connections")
            say(f"[idle] piiri ({args.serve}): {args.idle} seated tablets,"
                f" {math.ceil(args.idle / 12)} tables, hold {args.hold:.0f} s")
            out = run_server("piiri", lambda port: piiri_serve_command(
                args.serve, port, database, workdir, args.worker_connections),
                             workdir, lambda port, pid: idle_session(port, pid, args))
            say(f"  held {out['held']}/{out['requested']} (seated {out['seated']});"
                f" pong {out['pong_ok']}/{out['pinged']}, ping p50 {ms(out['ping_p50'])} ms,"
                f" p99 {ms(out['ping_p99'])} ms")
            say(f"  server CPU while they were held: {out['idle_cpu_pct']:.1f}% of a core")
            say(f"  server RSS {out['rss_mb']:.0f} MB (peak {out['peak_rss_mb']:.0f} MB),"
                f" {out['threads']} threads, {out['fds']} open files;"
                f" unexpected closes {out['unexpected_closes']}"
                + ("; " + "; ".join(f"{k} x{v}" for k, v in out["problems"].most_common(4))
                   if out["problems"] else ""))
            say(f"idle_requested={out['requested']} idle_seated={out['seated']}"
                f" idle_held={out['held']} pong_ok={out['pong_ok']} pinged={out['pinged']}"
                f" ping_p50_ms={ms(out['ping_p50'])} ping_p99_ms={ms(out['ping_p99'])}"
                f" rss_mb={out['rss_mb']:.0f} peak_rss_mb={out['peak_rss_mb']:.0f}"
                f" threads={out['threads']} connect_s={out['connect_s']:.1f}"
                f" idle_cpu_pct={out['idle_cpu_pct']:.1f}"
                f" holds_5000={'yes' if out['held'] >= 5000 else 'no'}")
            return 0 if out["held"] == out["requested"] else 1

        mode = "closed loop" if args.rate == 0 else f"{args.rate:g} moves/s per table"
        say(f"{args.tables} tables x {args.players} tablets + 1 screen, {mode},"
            f" {args.seconds:g} s measured")
        figures: dict[str, dict[str, float]] = {}
        failed: list[str] = []
        sizes: dict[str, Any] = dict(DEFAULT_SIZES)

        def measure(name: str, command_for: Callable[[int], tuple[list[str], dict[str, str]]],
                    target_for: Callable[[int], Target]) -> Bench | None:
            try:
                res = run_server(name, command_for, workdir, lambda port, pid: latency_session(
                    target_for(port), port, pid, args))
            except SetupFailed as error:
                say(f"  SETUP FAILED: {error}")
                failed.append(name)
                return None
            figures[name] = report(name, res, args)
            dump(args, name, res["bench"])
            bench: Bench = res["bench"]
            return bench

        if args.server in ("piiri", "both"):
            say(f"[piiri] Flask + flask-sock, served by {args.serve}, SQLite in {workdir}")
            bench = measure("piiri", lambda port: piiri_serve_command(
                args.serve, port, database, workdir, args.worker_connections), PiiriTarget)
            if bench is not None:
                sizes = frame_sizes(bench)
        if args.server in ("floor", "both"):
            frames_path = workdir / "frames.json"
            frames_path.write_text(json.dumps(sizes))
            say(f"[floor] asyncio websockets server, frames padded to scene {sizes['scene']} B,"
                f" controls {sizes['controls_turn']}/{sizes['controls_other']} B")
            measure("floor", lambda port: floor_serve_command(
                port, str(frames_path), ROUNDS, args.compression == "on"), FloorTarget)

    peer: dict[str, float] = {}
    if args.peer == "boardgameio":
        peer = run_peer(args)

    p = figures.get("piiri", {})
    f = figures.get("floor", {})

    def val(d: dict[str, float], key: str, scale: float = 1000.0, digits: int = 2) -> str:
        v = d.get(key, math.nan)
        return "na" if math.isnan(v) else f"{v * scale:.{digits}f}"

    ratio = (p["p99"] / f["p99"]) if p and f and f["p99"] > 0 else math.nan
    vs_peer = (p["mps"] / peer["moves_per_s"]) if p and peer.get("moves_per_s") else math.nan
    if peer:
        say(f"piiri moves/s {val(p, 'mps', 1, 1)} vs boardgame.io"
            f" {peer.get('moves_per_s', math.nan):.1f}: vs_peer="
            f"{'na' if math.isnan(vs_peer) else f'{vs_peer:.2f}'} (goal >= 1.5 closed loop)")
        say(f"  (Piiri's bots {'offered' if args.compression == 'on' else 'did not offer'}"
            f" permessage-deflate; boardgame.io's socket.io never compresses: engine.io's"
            f" perMessageDeflate is off by default. --compression off compares like for like)")
    soaked = [(name, d) for name, d in figures.items() if "rss_end_mb" in d]
    for name, d in soaked:
        say(f"{name} soak: RSS {d['rss_settled_mb']:.1f} MB after {d['rss_settled_s']:.0f} s,"
            f" {d['rss_end_mb']:.1f} MB at the end: {d['rss_growth_pct']:+.1f}%"
            f" (goal within 10% over 30 min)")
    say(" ".join([
        f"p50_ms={val(p, 'p50')}", f"p99_ms={val(p, 'p99')}",
        f"screen_p50_ms={val(p, 'screen_p50')}", f"screen_p99_ms={val(p, 'screen_p99')}",
        f"floor_p50_ms={val(f, 'p50')}", f"floor_p99_ms={val(f, 'p99')}",
        f"floor_screen_p99_ms={val(f, 'screen_p99')}",
        f"ratio={'na' if math.isnan(ratio) else f'{ratio:.2f}'}",
        f"moves_per_s={val(p, 'mps', 1, 1)}", f"floor_moves_per_s={val(f, 'mps', 1, 1)}",
        f"connections={val(p, 'connections', 1, 0)}",
        f"floor_connections={val(f, 'connections', 1, 0)}",
        f"peak_rss_mb={val(p, 'peak_rss_mb', 1, 0)}",
        f"floor_peak_rss_mb={val(f, 'peak_rss_mb', 1, 0)}",
        f"cpu_ms_per_move={val(p, 'cpu_per_move', 1000, 3)}",
        f"floor_cpu_ms_per_move={val(f, 'cpu_per_move', 1000, 3)}",
        f"compression={args.compression}",
        *([f"peer_moves_per_s={val(peer, 'moves_per_s', 1, 1)}",
           f"peer_p99_ms={val(peer, 'all_p99_ms', 1, 2)}",
           f"vs_peer={'na' if math.isnan(vs_peer) else f'{vs_peer:.2f}'}"] if peer else []),
        *([f"rss_settled_mb={val(p, 'rss_settled_mb', 1, 1)}",
           f"rss_end_mb={val(p, 'rss_end_mb', 1, 1)}",
           f"rss_growth_pct={val(p, 'rss_growth_pct', 1, 1)}"] if "rss_end_mb" in p else []),
        *([f"setup_failed={','.join(failed)}"] if failed else []),
    ]))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as stop:
        print(f"interrupted ({stop or 'Ctrl-C'}); servers stopped", file=sys.stderr)
        sys.exit(130)
