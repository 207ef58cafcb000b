"""Scale-out: the same live workload on 1, 2 and 4 server processes (``piiri serve --workers N``).

For each process count the script starts ``piiri serve --workers N`` (SO_REUSEPORT: the kernel
spreads connections over the processes) on a throwaway PostgreSQL and Redis it starts itself
(``tests/pg.py`` and ``tests/redisserver.py``; a fresh database and key prefix per count), so
every count runs in cluster mode, 1 included: leases, forwarding and the failover sweep cost
the same at every count, and the figures differ only by the number of processes.

The workload and the bots are ``bench/live_latency.py``'s, imported from it: ``--tables``
circle tables made through the leader's panel over HTTP (which process answers a request is
the kernel's choice; a request about a table another process owns is forwarded to it), one
screen and ``--players`` tablets per table, the turn holder says "done" or every fourth time
passes. Each count is measured twice on the same server: a closed loop (the next move goes once
the last one has reached every client: capacity) and a fixed rate of ``--rate`` moves per
second per table (latency under a steady load).

It prints, per count and mode, moves/s, the every-tablet p50/p99, and the servers' CPU per
move: the user + system CPU time of every worker process (``/proc/<pid>/stat``) in the
measured window, summed, over the moves that reached every client in it. PostgreSQL's and
Redis's CPU per move are printed beside it (on a larger set-up they run on hosts of their
own). The last line is ``key=value`` pairs only: ``w<N>_<closed|rate>_moves_per_s``,
``…_p99_ms``, ``…_cpu_ms_per_move``, and ``speedup_<N>`` (closed-loop moves/s over one
process's). See bench/README.md for what the figures mean on two shared cores.

Run ``.venv/bin/python bench/scale_out.py`` (``--help`` for the knobs). All traffic goes to
127.0.0.1; every wait is bounded; servers, PostgreSQL and Redis are stopped on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import re
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import live_latency as ll  # the bots, the tables and the report of the one-process bench

ROOT = ll.ROOT
sys.path.insert(0, str(ROOT))

from tests.pg import PostgresServer  # noqa: E402  (the project root is on the path now)
from tests.redisserver import RedisServer  # noqa: E402

SECRET_KEY = "scale-out-bench-secret"
#: How long all N processes have to say they listen.
START_TIMEOUT_S = 120.0


def prepare_database(database_url: str) -> None:
    """The schema and the bench's leader, made before the servers start."""
    from facilitator.accounts.auth import create_user
    from facilitator.app import create_app

    app = create_app({"DATABASE_URL": database_url, "SERVE": False, "TICKS": False,
                      "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        create_user(ll.BENCH_EMAIL, "Bench", ll.BENCH_PASSWORD, "Bench")
    app.extensions["piiri.store"].close()


def serve_command(workers: int, port: int, database_url: str, redis_url: str,
                  prefix: str) -> tuple[list[str], dict[str, str]]:
    return ([ll.server_python(), "-c", "from facilitator.cli import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
             "--database-url", database_url, "--redis-url", redis_url,
             "--public-url", f"http://127.0.0.1:{port}"],
            {"PIIRI_SECRET_KEY": SECRET_KEY, "PIIRI_REDIS_PREFIX": prefix})


def worker_pids(server: ll.Subprocess, workers: int) -> list[int]:
    """The processes that serve: the supervisor's children (the process itself for one)."""
    if workers == 1:
        return [server.proc.pid]
    try:
        children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in children.split()]


def wait_listening(server: ll.Subprocess, workers: int) -> None:
    """Until every one of the N processes has said it listens (any one answering is not
    enough: the kernel would give the others' share of connections to nobody yet)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"piiri serve exited ({server.proc.returncode}):\n"
                               + server.tail())
        text = server.log_path.read_text(errors="replace")
        if len(re.findall(r"Piiri process \d+ is listening", text)) >= workers:
            server.wait_ready(timeout=max(1.0, deadline - time.monotonic()))
            return
        time.sleep(0.2)
    raise RuntimeError(f"not all {workers} processes listened within {START_TIMEOUT_S:.0f} s:\n"
                       + server.tail())


def cpu_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each of ``pids`` that is still there."""
    found = {pid: ll.proc_cpu_s(pid) for pid in pids}
    return {pid: cpu for pid, cpu in found.items() if not math.isnan(cpu)}


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings by the processes there at both (a database
    backend that came or went in between is left out)."""
    if not before or not after:
        return math.nan
    return sum(after[pid] - before[pid] for pid in before if pid in after)


def postgres_pids(pg: PostgresServer) -> list[int]:
    """The postmaster and its backends (they change as connections come and go)."""
    try:
        postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
        children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text()
    except (OSError, ValueError, IndexError):
        return []
    return [postmaster, *(int(pid) for pid in children.split())]


async def session(port: int, pids: list[int], helpers: dict[str, Callable[[], list[int]]],
                  args: argparse.Namespace) -> dict[str, Any]:
    """One measured window on a running server: the bots of live_latency.py, with the CPU of
    every server process summed (and of PostgreSQL and Redis beside it)."""
    bench = ll.Bench(ll.PiiriTarget(port), args, port)
    await bench.target.prepare()
    try:
        try:
            bench.tables = list(await asyncio.wait_for(
                asyncio.gather(*(bench.new_table(i, 0) for i in range(args.tables))),
                ll.SETUP_TIMEOUT_S + args.tables * 1.0))
        except Exception as error:
            raise ll.SetupFailed(f"{type(error).__name__}: {error or ''}") from error
        bench.t_start = time.perf_counter() + 0.2
        bench.t_end = bench.t_start + args.seconds
        bench.measuring = True
        await asyncio.sleep(0.2)
        cpu0, mine0, all0 = cpu_of(pids), ll.self_cpu_s(), ll.machine_cpu_s()
        helper_pids = {name: find() for name, find in helpers.items()}
        helper0 = {name: cpu_of(found) for name, found in helper_pids.items()}
        lags: list[float] = []
        stop = asyncio.Event()
        watcher = asyncio.create_task(ll.watch_loop(lags, stop))
        drivers = [asyncio.create_task(bench.drive(i)) for i in range(args.tables)]
        done, pending = await asyncio.wait(drivers, timeout=args.seconds + 60)
        stop.set()
        await watcher
        for task in pending:  # bounded: a driver stuck past its deadline is stopped
            task.cancel()
            bench.problems["driver did not stop in time"] += 1
        for task in done:
            if task.exception() is not None:
                bench.problems[f"driver failed: {task.exception()!r}"] += 1
        wall = time.perf_counter() - bench.t_start
        cpu1, mine1, all1 = cpu_of(pids), ll.self_cpu_s(), ll.machine_cpu_s()
        helper1 = {name: cpu_of(found) for name, found in helper_pids.items()}
        server_cpu_s = cpu_between(cpu0, cpu1)
        bench.measuring = False
        await asyncio.gather(*(t.drain(ll.DRAIN_TIMEOUT_S) for t in bench.tables))
        incomplete = sum(t.pending() for t in bench.tables)
        held = sum(1 for t in bench.tables for c in t.clients if not c.closed)
        peak_rss_mb = sum(ll.proc_kb(pid, "VmHWM") for pid in pids) / 1024
    finally:
        for client in bench.all_clients:
            client.abort()
        for task in bench.closers:
            task.cancel()
        await asyncio.sleep(0.2)
    return {"bench": bench, "wall": wall, "incomplete": incomplete, "held": held,
            "expected": args.tables * (args.players + 1), "threads": "-",
            "peak_rss_mb": peak_rss_mb, "server_cpu": server_cpu_s / wall,
            "bench_cpu": (mine1 - mine0) / wall,
            "other_cpu": ((all1 - all0) - server_cpu_s - (mine1 - mine0)) / wall,
            "loop_lag_p99": ll.pct(lags, 99), "loop_lag_max": ll.pct(lags, 100),
            "server_cpu_s": server_cpu_s, "soak": [],
            "helper_cpu_s": {name: cpu_between(helper0[name], helper1[name])
                             for name in helper0}}


def measure(workers: int, modes: list[tuple[str, float]], args: argparse.Namespace,
            pg: PostgresServer, redis: RedisServer, workdir: Path) -> dict[str, dict[str, float]]:
    """Start ``piiri serve --workers N`` on a fresh database and measure every mode on it."""
    out: dict[str, dict[str, float]] = {}
    with pg.database() as database_url:
        prepare_database(database_url)
        port = ll.free_port()
        prefix = f"bench-scale-{uuid.uuid4().hex[:8]}:"
        server = ll.Subprocess(f"w{workers}", serve_command(workers, port, database_url,
                                                            redis.url, prefix),
                               port, workdir / f"serve-{workers}.log")
        try:
            wait_listening(server, workers)
            pids = worker_pids(server, workers)
            ll.say(f"[{workers} process{'es' if workers > 1 else ''}] piiri serve --workers"
                   f" {workers}: pids {', '.join(map(str, pids))}")
            for mode, rate in modes:
                run_args = ll.parse_args(["--tables", str(args.tables), "--players",
                                          str(args.players), "--seconds", str(args.seconds),
                                          "--rate", f"{rate:g}", "--seed", str(args.seed)])
                helpers: dict[str, Callable[[], list[int]]] = {
                    "postgres": lambda: postgres_pids(pg), "redis": lambda: [redis.process.pid]}
                label = "closed loop" if rate == 0 else f"{rate:g} moves/s per table"
                ll.say(f"  {mode}: {label}, {args.tables} tables x {args.players} tablets")
                try:
                    res = asyncio.run(asyncio.wait_for(
                        session(port, pids, helpers, run_args), 3600))
                except ll.SetupFailed as error:
                    ll.say(f"  SETUP FAILED: {error}")
                    continue
                figures = ll.report(f"w{workers}-{mode}", res, run_args)
                moves = len(res["bench"].tablet_lat)
                for name, seconds in res["helper_cpu_s"].items():
                    figures[f"{name}_cpu_per_move"] = seconds / moves if moves else math.nan
                ll.say(f"  servers' CPU per move, summed over {len(pids)} processes:"
                       f" {ll.ms(figures['cpu_per_move'])} ms; PostgreSQL"
                       f" {ll.ms(figures['postgres_cpu_per_move'])} ms, Redis"
                       f" {ll.ms(figures['redis_cpu_per_move'])} ms")
                out[mode] = figures
            restarted = server.log_path.read_text(errors="replace").count("starting another")
            if restarted:
                ll.say(f"  NOTE: {restarted} worker process(es) died and were started again")
            errors, tracebacks, first = server.log_problems()
            if errors or tracebacks:
                ll.say(f"  server log: {errors} ERROR lines, {tracebacks} tracebacks;"
                       f" first: {first}")
        finally:
            server.stop()  # SIGTERM: the supervisor stops its workers
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="The live workload on 1, 2 and 4 server processes (PostgreSQL + Redis).")
    parser.add_argument("--workers", default="1,2,4",
                        help="process counts to measure, comma-separated (default 1,2,4)")
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--players", type=int, default=12, help="tablets per table (1-12)")
    parser.add_argument("--seconds", type=float, default=10.0, help="each measured window")
    parser.add_argument("--rate", type=float, default=1.0,
                        help="the fixed-rate mode's moves per second per table")
    parser.add_argument("--modes", default="closed,rate",
                        help="closed (closed loop), rate (fixed rate), or both (default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true",
                        help="keep the servers' logs (the folder is printed)")
    args = parser.parse_args(argv)
    try:
        args.counts = [int(n) for n in args.workers.split(",") if n.strip()]
    except ValueError:
        parser.error("--workers: whole numbers separated by commas, e.g. 1,2,4")
    args.mode_list = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.counts or any(not 1 <= n <= 64 for n in args.counts):
        parser.error("--workers: counts between 1 and 64")
    if not args.mode_list or set(args.mode_list) - {"closed", "rate"}:
        parser.error("--modes: closed, rate or closed,rate")
    if not 1 <= args.players <= 12 or args.tables < 1 or args.seconds <= 0 or args.rate <= 0:
        parser.error("--players 1..12, --tables >= 1, --seconds > 0, --rate > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, ll._interrupted)
    ll.raise_nofile()
    modes = [(mode, 0.0 if mode == "closed" else args.rate) for mode in args.mode_list]
    ll.say(f"scale_out: {os.cpu_count()} cores, python {sys.version.split()[0]};"
           f" processes {args.counts}; {args.tables} tables x {args.players} tablets + 1"
           f" screen; {args.seconds:g} s per window; load average"
           f" {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: dict[int, dict[str, dict[str, float]]] = {}
    with contextlib.ExitStack() as stack:
        if args.keep:
            workdir = Path(tempfile.mkdtemp(prefix="piiri-scale-"))
            ll.say(f"logs in {workdir}")
        else:
            workdir = Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="piiri-scale-")))
        pg = PostgresServer.start()
        stack.callback(pg.stop)
        redis = RedisServer.start()
        stack.callback(redis.stop)
        for workers in args.counts:
            results[workers] = measure(workers, modes, args, pg, redis, workdir)

    def val(figures: dict[str, float], key: str, scale: float, digits: int) -> str:
        value = figures.get(key, math.nan)
        return "na" if math.isnan(value) else f"{value * scale:.{digits}f}"

    pairs: list[str] = []
    for workers, by_mode in results.items():
        for mode in args.mode_list:
            figures = by_mode.get(mode, {})
            head = f"w{workers}_{mode}"
            pairs += [f"{head}_moves_per_s={val(figures, 'mps', 1, 1)}",
                      f"{head}_p99_ms={val(figures, 'p99', 1000, 2)}",
                      f"{head}_cpu_ms_per_move={val(figures, 'cpu_per_move', 1000, 3)}"]
    base = results.get(1, {}).get("closed", {}).get("mps", math.nan)
    for workers, by_mode in results.items():
        if workers != 1 and "closed" in args.mode_list:
            mps = by_mode.get("closed", {}).get("mps", math.nan)
            speedup = mps / base if base and not math.isnan(base) else math.nan
            pairs.append(f"speedup_{workers}={'na' if math.isnan(speedup) else f'{speedup:.2f}'}")
    ll.say(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ll.say(" ".join(pairs))
    failed = any(not by_mode for by_mode in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as stop:
        print(f"interrupted ({stop or 'Ctrl-C'}); servers stopped", file=sys.stderr)
        sys.exit(130)
