"""How long one move takes at a full table, as the server does it, and how much a table weighs.

A 12-seat table of the built-in circle activity is played move after move: the seat whose turn
it is says it is done or, every fourth turn, passes; now and then another seat reacts. When the
game ends a fresh table starts. For every move the script times

* ``apply``: ``Table.apply`` alone, and
* ``apply + all views + JSON``: ``apply``, then the shared screen's scene, the controls of every
  seat and the leader's view, each as the JSON the server sends (``table.scene_json()``,
  ``table.controls_json(seat)``, ``table.facilitator_json()``: the same bytes as
  ``model_dump_json`` of each view, made once per table version).

It also prints where a move's time goes: the p50 of apply, the scene, the twelve tablets and
the leader's view, each view with its JSON.

Beside it runs a floor: the same turn rotation written by hand on a plain dict, with
``json.dumps`` of 14 small dicts per move (one scene, 12 tablets, one panel). The ratio of the
two p99s is the engine's overhead over the least work the job could be.

Then it builds tables with 12 seats in mid-game, keeps them alive, and measures their memory with
``tracemalloc``; and it times the copies one move makes (of the table's engine part, of a seat
it changes, of the game's state) beside a dump and re-validation of the same models.

The garbage collector runs as in the server: once the game module and its content are loaded,
``settle_heap`` (``facilitator.live``, what ``piiri run`` and ``piiri serve`` call before
serving) collects, freezes that start-up heap and raises the young generation's threshold;
``--default-gc`` keeps Python's own settings instead, to compare. The engine and the floor run
in this one process, so both get the same collector.

Run ``.venv/bin/python bench/engine_apply.py`` (``--help`` for the knobs). The last line is
``key=value`` pairs only, for scripts to read.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from engine import (
    Accepted,
    Avatar,
    AvatarColour,
    AvatarIcon,
    Join,
    MakeMove,
    PassTurn,
    StartTable,
    Table,
    TableStatus,
)
from engine.registry import find_game, load_game_content
from engine.table import _clone, _clone_meta, _clone_seat
from engine.testing import NAMES
from facilitator.live import settle_heap

SEATS = 12
ROUNDS = 10
GOAL_US = 1000.0
GOAL_RATIO = 3.0
MIB = 1024 * 1024
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
REACTIONS = ("heart", "me_too", "clap", "thanks")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of ``values`` (``share`` 0.99 for p99)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Figures:
    p50: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: list[float]) -> Figures:
        return cls(percentile(values, 0.50), percentile(values, 0.99), max(values))

    def line(self, label: str) -> str:
        return f"{label:<28} p50={self.p50:8.1f} µs  p99={self.p99:8.1f} µs  max={self.max:8.1f} µs"


# -- the engine ------------------------------------------------------------------------------


class CircleDriver:
    """Plays 12-seat circle tables back to back, one action per :meth:`next_action`."""

    def __init__(self, seed: int = 1) -> None:
        self.module = find_game("circle")
        self.content = load_game_content("circle")
        self.seed = seed
        self.now = START
        self.moves = 0
        self.turns = 0
        self.tables_played = 0
        self.parts: list[tuple[float, float, float, float]] = []
        """Each move's µs in apply, the scene, the 12 tablets and the leader's view (each
        view with its JSON): where a move's time goes."""
        self.table = self.fresh_table()

    def tick(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def must(self, table: Table, action: Any) -> Table:
        result = table.apply(action)
        if not isinstance(result, Accepted):
            raise SystemExit(f"the benchmark's own action was refused: {result}")
        return result.table

    def fresh_table(self) -> Table:
        self.seed += 1
        created = Table.create(self.module, self.content, table_id=f"bench{self.seed}",
                               seed=self.seed, at=self.tick(), options={"rounds": ROUNDS})
        if not isinstance(created, Accepted):
            raise SystemExit(f"could not create a table: {created}")
        table = created.table
        icons, colours = list(AvatarIcon), list(AvatarColour)
        for i in range(SEATS):
            avatar = Avatar(icon=icons[i % len(icons)], colour=colours[i % len(colours)])
            table = self.must(table, Join(at=self.tick(), nickname=NAMES[i], avatar=avatar))
        self.tables_played += 1
        return self.must(table, StartTable(at=self.tick()))

    def next_action(self) -> Any:
        """The next move: a reaction from another seat every third move, else the turn."""
        self.moves += 1
        meta = self.table.meta
        current = meta.turn.current
        assert current is not None
        if self.moves % 3 == 0:
            seats = [s.id for s in meta.seats]
            other = seats[(seats.index(current) + 1 + self.moves % (SEATS - 1)) % SEATS]
            return MakeMove(at=self.tick(), seat=other, name="react",
                            payload={"value": REACTIONS[self.moves % len(REACTIONS)]})
        self.turns += 1
        if self.turns % 4 == 0:
            return PassTurn(at=self.tick(), seat=current)
        return MakeMove(at=self.tick(), seat=current, name="done")

    def seat_ids(self) -> list[str]:
        return [s.id for s in self.table.meta.seats]

    def step(self) -> tuple[float, float, float]:
        """One move with all its views; returns (apply µs, apply + views + JSON µs, the CPU
        time of apply + views + JSON in µs)."""
        action = self.next_action()
        clock, cpu = time.perf_counter_ns, time.thread_time_ns
        cpu_start = cpu()
        start = clock()
        result = self.table.apply(action)
        applied = clock()
        if not isinstance(result, Accepted):
            raise SystemExit(f"the benchmark's own move was refused: {result}")
        table = result.table
        sent = [table.scene_json()]
        scened = clock()
        sent.extend(table.controls_json(seat) for seat in self.seat_ids())
        tablets = clock()
        sent.append(table.facilitator_json())
        done = clock()
        cpu_done = cpu()
        self.parts.append(((applied - start) / 1000, (scened - applied) / 1000,
                           (tablets - scened) / 1000, (done - tablets) / 1000))
        self.table = table
        if table.status is TableStatus.ended:
            self.table = self.fresh_table()
        return (applied - start) / 1000, (done - start) / 1000, (cpu_done - cpu_start) / 1000


# -- the floor -------------------------------------------------------------------------------


class DictFloor:
    """The same rotation by hand on a dict: the least work a move and its 14 messages can be."""

    def __init__(self) -> None:
        self.moves = 0
        self.turns = 0
        self.state = self.fresh()

    @staticmethod
    def fresh() -> dict[str, Any]:
        return {"seats": [{"id": f"s{i + 1}", "nickname": NAMES[i]} for i in range(SEATS)],
                "current": 0, "round": 1, "passed": [], "reactions": {}, "talked": 0}

    def step(self) -> tuple[float, float]:
        """One move and its messages: (µs, CPU µs)."""
        self.moves += 1
        cpu_start = time.thread_time_ns()
        start = time.perf_counter_ns()
        old = self.state
        state = {**old, "passed": list(old["passed"]), "reactions": dict(old["reactions"])}
        if self.moves % 3 == 0:
            kind = REACTIONS[self.moves % len(REACTIONS)]
            state["reactions"][kind] = state["reactions"].get(kind, 0) + 1
        else:
            self.turns += 1
            if self.turns % 4 == 0:
                state["passed"].append(state["current"])
            else:
                state["talked"] += 1
            state["current"] = (state["current"] + 1) % SEATS
            state["reactions"] = {}
            if state["current"] == 0:
                state["round"] += 1
                state["passed"] = []
        seats = state["seats"]
        current = seats[state["current"]]["id"]
        sent = [json.dumps({"layout": "card", "speaker": current, "round": state["round"],
                            "roster": [s["id"] for s in seats]})]
        sent.extend(json.dumps({"seat": s["id"], "your_turn": s["id"] == current,
                                "items": ["pass"] if s["id"] == current else ["react"]})
                    for s in seats)
        sent.append(json.dumps({"round": state["round"], "current": current,
                                "talked": state["talked"], "reactions": state["reactions"]}))
        self.state = self.fresh() if state["round"] > ROUNDS else state
        done = time.perf_counter_ns()
        return (done - start) / 1000, (time.thread_time_ns() - cpu_start) / 1000


# -- memory ----------------------------------------------------------------------------------


def bytes_per_table(count: int, moves_in: int = 20) -> float:
    """Memory of ``count`` live 12-seat tables in mid-game, by tracemalloc, per table."""
    driver = CircleDriver(seed=10_000)  # module, content and caches load before tracing
    driver.step()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept: list[Table] = []
    for _ in range(count):
        driver.table = driver.fresh_table()
        for _ in range(moves_in):
            driver.table = driver.must(driver.table, driver.next_action())
        kept.append(driver.table)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / count


# -- what a move's copy costs ----------------------------------------------------------------


def copy_costs(rounds: int = 2_000) -> dict[str, tuple[float, float]]:
    """The median CPU µs of each copy a move makes (the engine's part of the table, one seat it
    changes, the game's state), each beside what a dump and re-validation of the same model
    costs (what a move did before issue 20)."""
    driver = CircleDriver(seed=20_000)
    for _ in range(30):
        driver.step()
    table = driver.table
    meta, seat, state = table.meta, table.meta.seats[0], table.state
    cases: dict[str, tuple[Any, Any]] = {
        "meta": (lambda: _clone_meta(meta),
                 lambda: type(meta).model_validate(meta.model_dump(exclude={"seats"}))),
        "seat": (lambda: _clone_seat(seat),
                 lambda: type(seat).model_validate(seat.model_dump())),
        "state": (lambda: _clone(state), lambda: type(state).model_validate(state.model_dump())),
    }
    figures = {}
    for name, (now, before) in cases.items():
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(rounds):
            for fn, into in ((now, times[0]), (before, times[1])):
                start = time.thread_time_ns()
                for _ in range(10):
                    fn()
                into.append((time.thread_time_ns() - start) / 10_000)
        figures[name] = (percentile(times[0], 0.5), percentile(times[1], 0.5))
    return figures


# -- running ---------------------------------------------------------------------------------


def timed(driver: CircleDriver, floor: DictFloor, warmup: int,
          moves: int) -> list[tuple[float, float, float, float, float]]:
    """(apply, apply + views, apply + views CPU, floor, floor CPU) per move. The floor's moves
    alternate with the engine's so that whatever else runs on the machine weighs on both
    alike."""
    for _ in range(warmup):
        driver.step()
        floor.step()
    samples = []
    for _ in range(moves):
        apply_us, views_us, views_cpu_us = driver.step()
        floor_us, floor_cpu_us = floor.step()
        samples.append((apply_us, views_us, views_cpu_us, floor_us, floor_cpu_us))
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=20_000, help="measured moves (20000)")
    parser.add_argument("--warmup", type=int, default=1_000, help="moves before measuring")
    parser.add_argument("--tables", type=int, default=500, help="live tables for memory (500)")
    parser.add_argument("--default-gc", action="store_true",
                        help="keep Python's own collector settings instead of the server's "
                             "(settle_heap), to compare")
    args = parser.parse_args(argv)
    if args.moves < 1 or args.tables < 1 or args.warmup < 0:
        parser.error("--moves and --tables must be at least 1, --warmup at least 0")

    print(f"engine_apply: circle, {SEATS} seats, rounds={ROUNDS}, {args.moves} moves after "
          f"{args.warmup} warm-up; Python {platform.python_version()}, {os.cpu_count()} CPUs")
    load_before = os.getloadavg()[0]
    driver = CircleDriver()
    floor_driver = DictFloor()
    if not args.default_gc:
        # As the server does once its app is made (piiri run, piiri serve, wsgi.py): the
        # start-up heap (modules, schemas, the game's content) frozen out of the collector's
        # way, and young collections when the heap grows rather than every 700th object.
        # The engine and the floor run in this one process, so both get it alike.
        settle_heap()
    gc_line = ("Python's default collector (--default-gc)" if args.default_gc else
               f"the server's collector: start-up heap frozen, young threshold "
               f"{gc.get_threshold()[0]}")
    began = time.perf_counter()
    collected = [g["collections"] for g in gc.get_stats()]
    samples = timed(driver, floor_driver, args.warmup, args.moves)
    collections = [g["collections"] - before for g, before in zip(gc.get_stats(), collected,
                                                                   strict=True)]
    took = time.perf_counter() - began
    parts = [Figures.of([move[i] for move in driver.parts[args.warmup:]]).p50
             for i in range(4)]
    load_after = os.getloadavg()[0]
    apply = Figures.of([sample[0] for sample in samples])
    views = Figures.of([sample[1] for sample in samples])
    views_cpu = Figures.of([sample[2] for sample in samples])
    floor = Figures.of([sample[3] for sample in samples])
    floor_cpu = Figures.of([sample[4] for sample in samples])
    ratio = views.p99 / floor.p99
    cpu_ratio = views_cpu.p99 / floor_cpu.p99
    per_table = bytes_per_table(args.tables)
    per_100mb = int(100 * MIB // per_table)

    print(f"garbage collection: {gc_line}; collections during the run by generation "
          f"(young, middle, full): {', '.join(map(str, collections))}")
    print(apply.line("apply only"))
    print(views.line("apply + all views + JSON"))
    print(floor.line("floor (dict + json.dumps)"))
    print(f"ratio (apply + views p99 / floor p99) = {ratio:.1f}x")
    print(f"  of which, p50 each: apply {parts[0]:.1f} µs, scene {parts[1]:.1f} µs, "
          f"{SEATS} tablets {parts[2]:.1f} µs, leader's view {parts[3]:.1f} µs "
          "(each view with its JSON)")
    print(views_cpu.line("  the same, CPU time"))
    print(floor_cpu.line("  the floor, CPU time"))
    print(f"CPU ratio (p99 / floor p99) = {cpu_ratio:.1f}x (this thread's CPU time only: what "
          "other processes take does not count, so compare these on a busy machine)")
    print(f"played {driver.moves} moves on {driver.tables_played} tables in {took:.1f} s; "
          f"load average {load_before:.2f} before, {load_after:.2f} after "
          f"(other work on the machine shows in p99 and max)")
    print(f"memory: {args.tables} live tables of {SEATS} seats mid-game, "
          f"{per_table / 1024:.1f} KiB each -> {per_100mb} tables per 100 MiB")
    copies = copy_costs()
    print("a move's copies, median CPU µs (beside a dump + validate of the same model): "
          + ", ".join(f"{name} {now:.1f} ({before:.1f})" for name, (now, before) in copies.items()))
    met = views.p99 <= GOAL_US and ratio <= GOAL_RATIO
    print(f"goal: apply + all views + JSON p99 <= {GOAL_US:.0f} µs and <= {GOAL_RATIO:.0f}x "
          f"the floor: {'MET' if met else 'NOT MET'} ({views.p99:.0f} µs, {ratio:.1f}x)")
    print(f"apply_p99_us={apply.p99:.1f} apply_views_p50_us={views.p50:.1f} "
          f"apply_views_p99_us={views.p99:.1f} floor_p99_us={floor.p99:.1f} ratio={ratio:.1f} "
          f"tables_per_100mb={per_100mb} goal_met={'yes' if met else 'no'} "
          f"apply_views_cpu_p50_us={views_cpu.p50:.1f} apply_views_cpu_p99_us={views_cpu.p99:.1f} "
          f"floor_cpu_p99_us={floor_cpu.p99:.1f} cpu_ratio={cpu_ratio:.1f} "
          f"scene_p50_us={parts[1]:.1f} tablets_p50_us={parts[2]:.1f} "
          f"leader_p50_us={parts[3]:.1f} gc={'default' if args.default_gc else 'server'} "
          f"gc_collections={sum(collections)} "
          + " ".join(f"copy_{name}_us={now:.1f}" for name, (now, _) in copies.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
