"""docs/modules.md: every ```python block runs, in order, as one program (the tutorial builds
its activity step by step), and every picture it shows is there, made by docs/make_pictures.py
from the screen's renderer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "modules.md"


def python_blocks(text: str) -> list[tuple[int, str]]:
    """Each ```python block with the line it starts on."""
    return [(text[:found.start()].count("\n") + 2, found.group(1))
            for found in re.finditer(r"^```python\n(.*?)^```$", text, re.S | re.M)]


def test_every_code_sample_in_the_module_guide_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # a sample that writes a file writes it here
    blocks = python_blocks(GUIDE.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    namespace: dict[str, object] = {"__name__": "modules_md"}
    for line, code in blocks:
        # dont_inherit: the samples run as a reader runs them, not under this file's
        # "from __future__ import annotations".
        exec(compile(code, f"{GUIDE}:{line}", "exec", dont_inherit=True), namespace)
    printed = capsys.readouterr().out
    assert "passes every check" in printed  # the kit's report on the tutorial's activity
    assert "modules.md" not in printed


def test_the_guide_names_every_scene_element_and_shows_each_picture_the_renderer_draws(
        tmp_path: Path) -> None:
    from engine.scene import Element, PauseOverlay

    text = GUIDE.read_text(encoding="utf-8")
    union = get_args(get_args(Element)[0])
    kinds = {cls.model_fields["kind"].default for cls in union}
    kinds.add(PauseOverlay.model_fields["kind"].default)
    assert {kind for kind in kinds if f"(`{kind}`" not in text} == set()
    made = subprocess.run([sys.executable, str(ROOT / "docs" / "make_pictures.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
    assert made.returncode == 0, made.stderr
    drawn = {path.name for path in tmp_path.glob("scene-*.png")}
    shown = set(re.findall(r"\]\(pictures/(scene-[a-z_]+\.png)\)", text))
    assert drawn >= {"scene-card.png", "scene-board.png", "scene-die.png", "scene-pause.png"}
    assert drawn <= shown, f"not in the guide: {sorted(drawn - shown)}"
    for name in shown:
        assert (ROOT / "docs" / "pictures" / name).is_file(), f"run docs/make_pictures.py: {name}"


@pytest.mark.browser
def test_the_guide_shows_every_control_kind_as_the_tablet_client_draws_it(
        tmp_path: Path, browser: object) -> None:
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from make_control_pictures import main, samples
    finally:
        sys.path.remove(str(ROOT / "docs"))
    from engine.controls import Control

    kinds = {cls.model_fields["kind"].default for cls in get_args(get_args(Control)[0])}
    assert set(samples()) == kinds  # a sample of every control, and nothing else
    text = GUIDE.read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(pictures/control-([a-z_0-9]+)\.png\)", text))
    assert kinds - shown == set(), f"not pictured in the guide: {sorted(kinds - shown)}"
    assert {kind for kind in kinds if f"(`{kind}`)" not in text} == set()
    for kind in kinds:
        assert (ROOT / "docs" / "pictures" / f"control-{kind}.png").is_file(), (
            f"run docs/make_control_pictures.py: control-{kind}.png")
    # The script draws each of them in the real tablet client.
    drawn = {path.name for path in main(tmp_path, browser=browser)}
    assert drawn == {f"control-{kind}.png" for kind in kinds}
    for name in drawn:
        assert (tmp_path / name).stat().st_size > 1000  # a picture, not an empty page
