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

Goals (issue 21): fan-out p99 at most 250 ms, at most 100 KB per connection. One process only:
the cluster path (2 processes on Redis) is not measured here.

Run ``.venv/bin/python bench/audience.py`` (``--help`` for the knobs). The last line printed is
``key=value`` pairs only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
app = create_app({"DATABASE": db, "TICKS": False, "PUBLIC_URL": f"http://127.0.0.1:{port}"})
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

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                # Only the frame's head is read (a bot need not parse the whole scene).
                head = AUDIENCE_HEAD.match(raw)
                if head is not None and int(head.group(1)) > self.n:
                    self.n = int(head.group(1))
                    self.at = time.perf_counter()
                    self.seen.set()
        except Exception:
            return


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="piiri-audience-"))
    python = str(VENV / "bin" / "python") if (VENV / "bin" / "python").exists() else sys.executable
    server = subprocess.Popen([python, "-c", SERVER_CODE, str(ROOT), str(port),
                               str(workdir / "piiri.sqlite3"), str(args.audience + 10)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    assert server.stdin is not None and server.stdout is not None
    loop = asyncio.get_running_loop()

    async def ask(line: str) -> str:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(line + "\n")
        server.stdin.flush()
        return await asyncio.wait_for(loop.run_in_executor(None, server.stdout.readline), 30)

    members: list[Member] = []
    try:
        ready = await asyncio.wait_for(loop.run_in_executor(None, server.stdout.readline), 60)
        code = ready.split()[1]
        before = int((await ask("rss")).split()[1])
        url = f"ws://127.0.0.1:{port}/ws?role=audience"
        refused = 0
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
        log(f"{len(members)} connected, {refused} refused")
        held = int((await ask("rss")).split()[1])
        per_conn_kb = (held - before) / max(1, len(members))
        every: list[float] = []
        last: list[float] = []
        missed = 0
        for _ in range(args.changes):
            await asyncio.sleep(0.3)  # let the previous change settle
            for member in members:
                member.seen.clear()
            sent = time.perf_counter()
            log((await ask("go")).strip())
            waits = [asyncio.ensure_future(m.seen.wait()) for m in members]
            _, pending = await asyncio.wait(waits, timeout=30)
            for waiting in pending:
                waiting.cancel()
            missed += len(pending)
            every += [(m.at - sent) * 1000 for m in members if m.seen.is_set()]
            reached = [(m.at - sent) * 1000 for m in members if m.seen.is_set()]
            if reached:
                last.append(max(reached))
        return {"audience": len(members), "refused": refused, "changes": args.changes,
                "missed": missed, "p50_ms": round(pct(every, 50), 1),
                "p99_ms": round(pct(every, 99), 1), "max_ms": round(max(every), 1),
                "fanout_p99_ms": round(pct(last, 99), 1),
                "rss_before_kb": before, "rss_held_kb": held,
                "kb_per_connection": round(per_conn_kb, 1),
                "goal_met": int(pct(every, 99) <= 250 and per_conn_kb <= 100)}
    finally:
        for member in members:
            with contextlib.suppress(Exception):
                await member.ws.close()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audience", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(f"audience connections held: {result['audience']} (refused {result['refused']})")
    print(f"scene change to each member: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
          f"max {result['max_ms']} ms; whole fan-out p99 {result['fanout_p99_ms']} ms")
    print(f"server memory: {result['rss_before_kb']} kB before, {result['rss_held_kb']} kB "
          f"held: {result['kb_per_connection']} kB per connection")
    print("goals: p99 <= 250 ms and <= 100 KB per connection:",
          "met" if result["goal_met"] else "NOT met")
    print(" ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
