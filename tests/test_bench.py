"""The benchmarks still run and print their last line of key=value pairs (tiny runs; no figure
is judged here — benchmarks print figures, they never assert them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def last_line(*args: str) -> dict[str, str]:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=240, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    line = done.stdout.strip().splitlines()[-1]
    pairs = dict(part.split("=", 1) for part in line.split())
    assert all(value for value in pairs.values()), line
    return pairs


@pytest.mark.parametrize("args, keys", [
    (["bench/engine_apply.py", "--moves", "200", "--warmup", "20", "--tables", "10"],
     {"apply_p99_us", "apply_views_p99_us", "floor_p99_us", "ratio", "tables_per_100mb"}),
    (["bench/live_latency.py", "--tables", "1", "--players", "3", "--seconds", "2",
      "--rate", "2", "--serve", "werkzeug"],
     {"p99_ms", "floor_p99_ms", "ratio", "moves_per_s", "connections"}),
    (["bench/checkin_steps.py", "--rounds", "1"],
     {"answer_p99_ms", "floor_p99_ms", "ratio", "answers"}),
    (["bench/screen_frames.py", "--frames", "20", "--idle-seconds", "1"],
     {"frame_p99_ms", "floor_frame_p99_ms", "idle_cpu_pct"}),
    (["bench/ws_fuzz.py", "--frames", "150", "--workers", "2"],
     {"frames_sent", "refused", "state_changes", "rss_before_mb", "rss_after_mb"}),
    # Starts its own PostgreSQL and Redis, and `piiri serve --workers 2` on them.
    pytest.param(["bench/scale_out.py", "--workers", "2", "--modes", "closed", "--tables", "1",
                  "--players", "2", "--seconds", "1"],
                 {"w2_closed_moves_per_s", "w2_closed_p99_ms", "w2_closed_cpu_ms_per_move"},
                 marks=[pytest.mark.postgres, pytest.mark.redis], id="scale_out"),
])
def test_benchmark_prints_its_figures(args: list[str], keys: set[str]) -> None:
    assert keys <= set(last_line(*args))
