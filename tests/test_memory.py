"""Freed memory goes back to the system (facilitator/live/memory.py), so a long-running
server's size follows what it holds, not the busiest moment it had."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from pathlib import Path

from facilitator.live.hub import Hub
from facilitator.live.memory import YOUNG_THRESHOLD, Trimmer, give_back
from facilitator.live.storage import SqlStore

ROOT = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent("""
    import sys
    from facilitator.live.memory import give_back

    def rss_kb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

    # Many small C-heap blocks, as connections' zlib state and frames are, with every 64th kept
    # so that the heap cannot simply shrink from its top.
    blocks = [bytearray(4000) for _ in range(40000)]
    kept = blocks[::64]
    del blocks
    before = rss_kb()
    give_back()
    after = rss_kb()
    print(before, after, len(kept))
""")


def test_give_back_returns_freed_heap_to_the_system() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True).stdout.split()
    before, after = int(out[0]), int(out[1])
    # ~160 MB were allocated and all but 1/64 freed: without the trim glibc keeps it.
    assert before - after > 60_000, (before, after)


def test_the_trimmer_trims_at_most_once_a_minute() -> None:
    now = [0.0]
    trimmer = Trimmer(every=60, monotonic=lambda: now[0])
    assert not trimmer.maybe()
    now[0] = 59.0
    assert not trimmer.maybe()
    now[0] = 60.5
    assert trimmer.maybe() is give_back()
    assert not trimmer.maybe()
    now[0] = 121.0
    assert trimmer.maybe()
    assert trimmer.trims == 2


def test_the_hubs_tick_trims(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from facilitator.db import make_engine, sqlite_url

    hub = Hub(SqlStore(make_engine(sqlite_url(tmp_path / "t.sqlite3"))))
    now = [0.0]
    hub.trimmer = Trimmer(every=60, monotonic=lambda: now[0])
    hub.tick_all()
    assert hub.trimmer.trims == 0
    now[0] = 61.0
    hub.tick_all()
    assert hub.trimmer.trims == 1


FREEZE_PROBE = textwrap.dedent("""
    import gc, os, sys
    os.environ["PIIRI_DATABASE_URL"] = "sqlite:///" + sys.argv[1]
    os.environ["PIIRI_SECRET_KEY"] = "k" * 40
    before = gc.get_freeze_count()
    import facilitator.wsgi
    print(before, gc.get_freeze_count())
""")


def test_the_production_entry_freezes_its_start_up_heap(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`gunicorn 'facilitator.wsgi:app'` (and `piiri run` / `piiri serve`, through the same
    settle_heap) moves the app's start-up objects out of the cyclic collector's way."""
    out = subprocess.run([sys.executable, "-c", FREEZE_PROBE, str(tmp_path / "w.sqlite3")],
                         capture_output=True, text=True, check=True, cwd=str(ROOT)).stdout
    before, after = (int(n) for n in out.split()[-2:])
    assert before == 0 and after > 50_000, out


def test_settle_heap_collects_then_freezes() -> None:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import gc
        from facilitator.live.memory import settle_heap
        class Loop:
            pass
        a = Loop(); a.me = a; del a  # garbage in a cycle: collected, never frozen
        settle_heap()
        print(gc.get_freeze_count(), sum(isinstance(o, Loop) for o in gc.get_objects()),
              sum(isinstance(o, Loop) for o in gc.get_objects(generation=None)),
              *gc.get_threshold())
    """)], capture_output=True, text=True, check=True, cwd=str(ROOT)).stdout.split()
    assert int(out[0]) > 1000
    assert out[1] == "0"
    # The young generation is collected when the heap grows, not on every 700th object.
    assert [int(n) for n in out[3:]] == [YOUNG_THRESHOLD, *gc.get_threshold()[1:]]
    assert gc.get_threshold()[0] < YOUNG_THRESHOLD
