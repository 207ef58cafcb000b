"""Shipping an activity from outside this repository.

A third party's activity is made with ``piiri new-game`` in a folder of its own, built as its
own distribution from its own ``pyproject.toml`` and installed with pip into a new virtual
environment, offline (``--no-index --no-build-isolation``, on top of this project's packages).
Beside it goes a second distribution whose activity cannot even be imported. Piiri runs from
that environment as a separate process; the panel lists both (the broken one with its reason,
without breaking the page), and the new activity is played at a live table from tablets in
Chromium. The registry's fault tolerance is also checked in this process, with an entry point
that names a module that is not there.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, expect

from engine import registry
from facilitator.cli import main

from .accounts import PASSWORD, login_page, signed_in
from .axe import assert_no_violations
from .test_browser import join

ROOT = Path(__file__).resolve().parent.parent

BROKEN_PYPROJECT = """\
[build-system]
requires = ["setuptools>=61", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "piiri-broken-game"
version = "0.2.0"
dependencies = ["piiri"]

[project.entry-points."piiri.games"]
broken_game = "broken_game:module"

[tool.setuptools]
packages = ["broken_game"]
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=_env())
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env["SDL_VIDEODRIVER"] = "dummy"
    env["PIP_NO_INDEX"] = "1"  # nothing is fetched, whatever the machine's pip settings
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment that sees this project's packages, with a third party's
    activity (made by ``piiri new-game``) and a broken one installed into it by pip."""
    dev = tmp_path_factory.mktemp("developer")
    made = CliRunner().invoke(main, ["new-game", "kind_words", "--into", str(dev)])
    assert made.exit_code == 0, made.output
    broken = dev / "broken_game"
    (broken / "broken_game").mkdir(parents=True)
    (broken / "pyproject.toml").write_text(BROKEN_PYPROJECT)
    (broken / "broken_game" / "__init__.py").write_text(
        "import piiri_no_such_library  # noqa: F401\n")

    env = tmp_path_factory.mktemp("venv") / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", env)
    python = env / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    # The project's own environment (Piiri, pip, setuptools, wheel) under the new one, as
    # '--system-site-packages' would give the system's: its .pth files are read too, so the
    # editable Piiri is found.
    ours = sysconfig.get_paths()["purelib"]
    Path(purelib.strip(), "_piiri_base.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    _run(python, "-m", "pip", "install", "--no-index", "--no-build-isolation",
         "--disable-pip-version-check", "-q", dev / "kind_words", broken)
    listed = _run(python, "-m", "pip", "list", "--disable-pip-version-check")
    assert "piiri-kind-words" in listed and "piiri-broken-game" in listed
    # Installed, not merely on the path: the package is in the new environment's folder.
    assert (Path(purelib.strip()) / "kind_words" / "content" / "topics.yaml").is_file()
    return env


@pytest.fixture()
def piiri(venv: Path, tmp_path: Path) -> Iterator[str]:
    """``piiri run`` from the new environment, as its own process, on a free loopback port."""
    python = venv / "bin" / "python"
    database = tmp_path / "piiri.sqlite3"
    _run(python, "-m", "facilitator.cli", "admin", "create-user", "--email", "leader@a.example",
         "--name", "Leena", "--organisation", "Org A", "--database", database,
         "--password", PASSWORD, cwd=tmp_path)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(python), "-m", "facilitator.cli", "run", "--host", "127.0.0.1", "--port",
         str(port), "--database", str(database), "--no-screen", "--server", "threads",
         "--public-url", url], cwd=tmp_path, env=_env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):  # until it answers (or has stopped)
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.browser
def test_a_third_party_activity_installs_with_pip_and_plays_at_a_live_table(
        browser: Browser, piiri: str, tmp_path: Path) -> None:
    leader = browser.new_context().new_page()
    login_page(leader, piiri)
    leader.click("nav >> text=Aktiviteetit")
    expect(leader.locator("h1")).to_have_text("Asennetut aktiviteetit")
    ok = leader.locator("tr[data-activity=kind_words]")
    expect(ok).to_have_attribute("data-status", "ok")
    expect(ok).to_contain_text("0.1.0")
    expect(ok).to_contain_text("piiri-kind-words")
    expect(ok).to_contain_text("selkosuomi")
    broken = leader.locator("tr[data-activity=broken_game]")
    expect(broken).to_have_attribute("data-status", "broken")
    expect(broken).to_contain_text("ModuleNotFoundError")
    expect(broken).to_contain_text("piiri_no_such_library")
    expect(broken).to_contain_text("0.2.0")
    expect(leader.locator("tr[data-activity=circle]")).to_have_attribute("data-status", "ok")
    assert_no_violations(leader, "the installed activities page")

    # The broken activity does not stop anything else: the new one opens and is played.
    leader.goto(f"{piiri}/panel/new/kind_words")
    leader.click("#options button[type=submit]")
    code = leader.locator("#room-code").inner_text().strip()
    tablets = {}
    for name in ("Aino", "Bashir"):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        tablets[join(page, f"{piiri}/j/{code}", name)] = page
    leader.click("form[data-action=start] button")
    for _ in range(2):  # one round: each tablet shares one good thing in turn
        turn = _whose_turn(list(tablets.values()))
        turn.locator("[data-move=done]").click()
        turn.locator("[data-move=done]").wait_for(state="detached")

    events = [json.loads(body) for (body,) in sqlite3.connect(tmp_path / "piiri.sqlite3")
              .execute("select body from table_events order by seq")]
    created = events[0]["action"]
    assert created["game"] == "kind_words" and created["game_version"] == 1
    assert len(created["content_hash"]) >= 16  # the log names the content it was played with
    kinds = [fact["kind"] for event in events for fact in event.get("facts", [])]
    assert kinds.count("turn_taken") == 2 and "table_ended" in kinds


def _whose_turn(pages: list[Any]) -> Any:
    """The tablet that shows the button for sharing (it comes after the last turn's end)."""
    for _ in range(400):
        for page in pages:
            if page.locator("[data-move=done]").count():
                return page
        pages[0].wait_for_timeout(50)
    raise AssertionError("no tablet was offered the turn")


# -- the registry: one module that fails to load never hides the others ---------------------


@pytest.fixture()
def broken_entry_point(tmp_path: Path) -> Iterator[None]:
    """An installed distribution whose entry point names a module that is not there."""
    info = tmp_path / "piiri_ghost-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: piiri-ghost\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[piiri.games]\nghost = piiri_ghost_game:module\n")
    sys.path.insert(0, str(tmp_path))
    registry.reload()
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path))
        registry.reload()


def test_a_module_that_fails_to_load_is_kept_with_its_reason(broken_entry_point: None) -> None:
    assert "circle" in registry.available_games()
    assert "ghost" not in registry.available_games()
    problem = registry.load_problems()["ghost"]
    assert problem.version == "1.2.3" and problem.distribution == "piiri-ghost"
    assert "ModuleNotFoundError" in problem.reason and "piiri_ghost_game" in problem.reason
    with pytest.raises(registry.UnknownGame, match="installed but could not be loaded"):
        registry.find_game("ghost")
    listed = {item.id: item for item in registry.installed()}
    assert not listed["ghost"].loads and listed["circle"].content_ok
    assert listed["circle"].languages == ["fi", "sv", "en", "fi-x-selko"]


@pytest.mark.parametrize("lang, heading, broken", [
    ("fi", "Asennetut aktiviteetit", "Ei voitu ladata"),
    ("sv", "Installerade aktiviteter", "Kunde inte läsas in"),
    ("en", "Installed activities", "Could not be loaded"),
])
def test_the_panel_lists_a_broken_module_with_its_reason_in_the_leaders_language(
        app: Any, broken_entry_point: None, lang: str, heading: str, broken: str) -> None:
    client = signed_in(app, lang=lang)
    page = client.get("/panel/activities/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert heading in text and broken in text and "piiri_ghost_game" in text
    assert 'data-activity="circle" data-status="ok"' in text
    assert 'href="/panel/activities/"' in client.get("/panel/").get_data(as_text=True)
