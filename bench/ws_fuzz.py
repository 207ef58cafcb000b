"""Hostile WebSocket traffic against a live Piiri server: what is refused, and what it costs.

The real server runs as a SUBPROCESS on a loopback port (``--serve werkzeug`` as ``piiri run
--server threads``, or ``gevent`` as ``piiri run --server gevent``) with one circle table and
per-address limits on for loopback too (an attacker is usually another address). One
legitimate tablet joins that table and stays; then ``--workers`` hostile clients send
``--frames`` frames in all, from a seeded generator (:func:`hostile_frames`): broken JSON,
unknown types, extra fields, wrong rooms, joins that must fail, moves and passes without a
seat, oversized and deeply nested payloads, binary frames, identity codes, floods past the
limits, and clients that never read. Workers reconnect every ``--per-connection`` frames (a
reconnect must not reset any limit that matters).

Meanwhile the legitimate tablet pings; at the end it comes back with its token and must get its
own view (its controls). The table's event log is read before and after: hostile frames must
change nothing (``state_changes=0``). The server's resident memory (``/proc``, Linux) is read
before the fuzz and after the hostile clients have gone.

The last line is ``key=value`` pairs: ``frames_sent``, ``refused`` (all error replies),
``refused_<reason>`` for each reason, ``dropped`` (connections the server ended), ``state_changes``,
``legit_pongs``, ``legit_view``, ``rss_before_mb``, ``rss_after_mb``.

Run ``.venv/bin/python bench/ws_fuzz.py`` (``--help`` for the knobs). Subprocesses are stopped on
exit and every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AVATAR = {"icon": "sun", "colour": "#E69F00"}

SERVER = """
import sys
if sys.argv[3] == "gevent":
    from gevent import monkey; monkey.patch_all()
from facilitator.app import create_app
app = create_app({"DATABASE": sys.argv[2], "TICKS": False, "SECRET_KEY": "fuzz",
                  "LIMITS_EXEMPT": []})
live = app.extensions["piiri.hub"].create_table("circle", {"rounds": 3}, seed=1)
print("ready", live.code, live.table_id, flush=True)
if sys.argv[3] == "gevent":
    from gevent.pywsgi import WSGIServer
    WSGIServer(("127.0.0.1", int(sys.argv[1])), app, log=None).serve_forever()
else:
    from werkzeug.serving import make_server
    make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True).serve_forever()
"""

_JUNK = ["", " ", "{", "}", "null", "[]", "[1,2,3]", "\"hello\"", "{\"t\":null}", "1e999",
         "{\"t\":\"hello\"", "\u0000", "💥" * 40, "{\"t\":\"move\",\"id\":1e308}"]
_TYPES = ["hello", "join", "move", "pass", "handover", "ping", "screen_info", "fly", "ack",
          "welcome", "controls", "", "HELLO", None, 7]
_TEXT = ["Aino", "", " ", "x" * 300, "131052-308T", "<script>alert(1)</script>", "🙂" * 30,
         "\u202e", "' OR 1=1 --", "../../etc/passwd", "%s%s%n", "\ud7ff" * 5]


def _value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return rng.choice(_TEXT)
    if kind == 1:
        return rng.choice([0, -1, 1, 2**31, 2**63, -2**70, 3.5, float("1e300")])
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(0, 40)))
    if kind == 4:
        return rng.choice(["done", "react", "answer", "heart", "s1", "s2", "c12"])
    if kind == 5:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 6))]
    return {rng.choice(["t", "id", "name", "payload", "value", "seat", "room", "text", "x"]):
            _value(rng, depth + 1) for _ in range(rng.randrange(0, 6))}


def hostile_frames(rng: random.Random, room: str) -> Any:
    """An endless seeded stream of hostile frames (str or bytes) for room ``room``. None of
    them may change a table: joins are always invalid, moves come from connections without a
    seat."""
    while True:
        kind = rng.randrange(14)
        if kind == 0:
            yield rng.choice(_JUNK)
        elif kind == 1:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        elif kind == 2:
            msg = {"t": rng.choice(_TYPES)}
            msg.update({k: _value(rng) for k in rng.sample(
                ["v", "role", "room", "token", "id", "name", "payload", "nickname", "avatar"],
                rng.randrange(0, 5))})
            yield json.dumps(msg)
        elif kind == 3:
            yield json.dumps({"t": "hello", "v": 1, "role": "seat",
                              "room": rng.choice(["ZZZZZ", "AAAA2", room.lower() + "x", ""])})
        elif kind == 4:
            yield json.dumps({"t": "hello", "v": rng.choice([0, 2, 99]), "role": "seat",
                              "room": room})
        elif kind == 5:  # a join that must fail: bad name, bad picture, or an identity code
            bad = rng.randrange(3)
            yield json.dumps({"t": "join",
                              "nickname": ["", "x" * 41, "Aino 131052-308T"][bad] if bad != 1
                              else "Aino",
                              "avatar": {"icon": "skull", "colour": "#000000"} if bad == 1
                              else AVATAR})
        elif kind == 6:
            yield json.dumps({"t": "move", "id": rng.randrange(1, 10**6),
                              "name": rng.choice(["done", "react", "start", "end", "x" * 40]),
                              "payload": _value(rng) if rng.random() < 0.3 else {}})
        elif kind == 7:
            yield json.dumps({"t": "pass", "id": rng.choice([1, 0, -5, 2**40])})
        elif kind == 8:
            yield json.dumps({"t": "handover"})
        elif kind == 9:
            yield json.dumps({"t": "screen_info", "displays": rng.randrange(-2, 40)})
        elif kind == 10:
            yield json.dumps({"t": "move", "id": 1, "name": "done",
                              "payload": {"text": "x" * rng.choice([100, 5000, 9000])}})
        elif kind == 11:
            depth = rng.randrange(10, 400)
            yield "[" * depth + "]" * depth
        elif kind == 12:
            yield json.dumps({"t": "move", "id": 2, "name": "done",
                              "payload": {"answer": "synt. 131052-308T"}})
        else:
            yield json.dumps({"t": "ping", "extra": _value(rng)})


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def last_seq(database: Path, table_id: str) -> int:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT max(seq) FROM table_events WHERE table_id = ?",
                         (table_id,)).fetchone()
    return int(row[0] or 0)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = 0
        self.refused: Counter[str] = Counter()
        self.dropped = 0

    def add(self, sent: int, refused: Counter[str], dropped: int) -> None:
        with self.lock:
            self.sent += sent
            self.refused.update(refused)
            self.dropped += dropped


def hostile_worker(url: str, room: str, seed: int, frames: int, per_connection: int,
                   tally: Tally) -> None:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    rng = random.Random(seed)
    stream = hostile_frames(rng, room)
    left = frames
    while left > 0:
        sent, refused, dropped = 0, Counter[str](), 0
        reads = rng.random() < 0.8  # some never read a byte of what they are answered
        flood = rng.random() < 0.15  # some send far past every limit
        batch = min(left, per_connection * (4 if flood else 1))
        try:
            with connect(url, open_timeout=10, close_timeout=5, max_size=2**20) as ws:
                if rng.random() < 0.7:
                    ws.send(json.dumps({"t": "hello", "v": 1, "role": "seat", "room": room}))
                for _ in range(batch):
                    ws.send(next(stream))
                    sent += 1
                if reads:
                    deadline = time.monotonic() + 2
                    while time.monotonic() < deadline:
                        try:
                            msg = json.loads(ws.recv(timeout=0.3))
                        except TimeoutError:
                            break
                        if msg.get("t") == "error":
                            refused[msg.get("reason", "?")] += 1
        except (ConnectionClosed, OSError):
            dropped += 1
        left -= max(sent, 1)
        tally.add(sent, refused, dropped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=20_000, help="hostile frames in all")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-connection", type=int, default=25,
                        help="frames before a worker reconnects")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--serve", choices=["werkzeug", "gevent"], default="werkzeug")
    args = parser.parse_args(argv)

    from websockets.sync.client import connect

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    folder = Path(tempfile.mkdtemp(prefix="piiri-fuzz-"))
    database = folder / "fuzz.sqlite3"
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(database), args.serve],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline().split()
        if not ready or ready[0] != "ready":
            print("the server did not start; see", folder / "server.log", file=sys.stderr)
            return 1
        room, table_id = ready[1], ready[2]
        url = f"ws://127.0.0.1:{port}/ws"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        legit = connect(url, open_timeout=10).__enter__()
        legit.send(json.dumps({"t": "hello", "v": 1, "role": "seat", "room": room}))
        legit.send(json.dumps({"t": "join", "nickname": "Aino", "avatar": AVATAR}))
        token = None
        while token is None:
            msg = json.loads(legit.recv(timeout=10))
            token = msg.get("token") if msg.get("t") == "seated" else None
        time.sleep(0.5)
        seq_before = last_seq(database, table_id)
        rss_before = rss_mb(proc.pid)
        tally = Tally()
        share = args.frames // args.workers
        workers = [threading.Thread(target=hostile_worker, args=(
            url, room, args.seed * 1000 + n, share + (args.frames % args.workers if n == 0 else 0),
            args.per_connection, tally), daemon=True) for n in range(args.workers)]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        pongs = 0
        while any(w.is_alive() for w in workers) and time.monotonic() - started < 600:
            legit.send(json.dumps({"t": "ping"}))
            try:
                while json.loads(legit.recv(timeout=5)).get("t") != "pong":
                    pass
                pongs += 1
            except TimeoutError:
                pass
            time.sleep(0.5)
        for worker in workers:
            worker.join(30)
        seconds = time.monotonic() - started
        time.sleep(1.0)
        rss_after = rss_mb(proc.pid)
        # The legitimate tablet opens its seat again (a reload): its own view comes back, and
        # its seat stays connected throughout, so nothing is written for it either.
        with connect(url, open_timeout=10) as back:
            back.send(json.dumps({"t": "hello", "v": 1, "role": "seat", "room": room,
                                  "token": token}))
            kinds = [json.loads(back.recv(timeout=10))["t"] for _ in range(2)]
            state_changes = last_seq(database, table_id) - seq_before
        legit.close()
        view = "yes" if set(kinds) == {"welcome", "controls"} else "no"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    refused = sum(tally.refused.values())
    print(f"Piiri ({args.serve}) under {args.workers} hostile clients, seed {args.seed}: "
          f"{tally.sent} frames in {seconds:.1f} s ({tally.sent / max(seconds, 1e-9):.0f}/s).")
    for reason, count in tally.refused.most_common():
        print(f"  refused {reason:<22} {count}")
    print(f"  connections ended by the server: {tally.dropped}")
    print(f"  table events written by hostile frames: {state_changes} (must be 0)")
    print(f"  legitimate tablet: {pongs} pongs during the run; its view on return: {view}")
    print(f"  server RSS: {rss_before:.1f} MB before, {rss_after:.1f} MB after")
    reasons = " ".join(f"refused_{r}={c}" for r, c in sorted(tally.refused.items()))
    print(f"frames_sent={tally.sent} refused={refused} {reasons} dropped={tally.dropped} "
          f"state_changes={state_changes} legit_pongs={pongs} legit_view={view} "
          f"rss_before_mb={rss_before:.1f} rss_after_mb={rss_after:.1f}".replace("  ", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
