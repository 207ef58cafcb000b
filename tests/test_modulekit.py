"""The module kit: ``piiri new-game`` writes an activity that works as generated, and
``check_module`` / ``piiri check-game`` hold every activity to the contract."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, ConfigDict

from engine import LocalizedText, MakeMove, Move, Scene, TableStatus, TextBlockElement, define_game
from engine.content import content_root, load_content_dir
from engine.kit import check_module as check_without_screen
from engine.registry import available_games, find_game, load_game_content
from engine.skeleton import NameProblem, new_game
from engine.testing import SimulatedTable, check_module
from facilitator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _env(*paths: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), str(ROOT)])
    env["SDL_VIDEODRIVER"] = "dummy"
    return env


@pytest.fixture(scope="module")
def third_party(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An activity written by ``piiri new-game`` outside the repository."""
    where = tmp_path_factory.mktemp("dev")
    result = CliRunner().invoke(main, ["new-game", "kind_words", "--into", str(where)])
    assert result.exit_code == 0, result.output
    assert "pip install -e" in result.output and "piiri simulate --game kind_words" in result.output
    return where / "kind_words"


def _load(folder: Path, package: str) -> Any:
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(package).module
    finally:
        sys.path.remove(str(folder))


def test_a_new_game_is_a_distribution_of_its_own_outside_the_repository(third_party) -> None:
    assert (third_party / "pyproject.toml").read_text().count('kind_words = "kind_words:module"')
    for name in ("__init__.py", "game.py", "words.py", "content/topics.yaml"):
        assert (third_party / "kind_words" / name).is_file()
    assert (third_party / "tests" / "test_kind_words.py").is_file()
    assert "piiri check-game kind_words" in (third_party / "README.md").read_text()


def test_the_new_game_passes_its_own_tests_as_generated(third_party) -> None:
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                          "tests"], cwd=third_party, env=_env(third_party),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout


def test_the_new_game_plays_at_a_simulated_table_and_keeps_the_contract(third_party) -> None:
    module = _load(third_party, "kind_words")
    root = content_root()
    content = load_content_dir(root / module.content_dir, module.content_type, root)
    assert set(content.topics.translations) == {"fi", "sv", "en", "fi-x-selko"}
    assert set(module.contributions) == {"turn_taken", "reaction_sent"}
    sim = SimulatedTable(module, content, seed=4)
    sim.join_many(4)
    sim.start()
    sim.play(lambda s, seat: s.move(seat, "done"))
    assert sim.status is TableStatus.ended
    assert len(sim.facts("turn_taken")) == 4
    report = check_module(module, content)
    assert report.ok, report.text()


def test_inside_the_repository_the_game_goes_beside_the_built_in_ones(tmp_path) -> None:
    for folder in ("games", "engine", "content", "tests"):
        (tmp_path / folder).mkdir()
    (tmp_path / "games" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text('[project.entry-points."piiri.games"]\n')
    made = new_game("thanks_round", tmp_path)
    assert made.in_repository
    assert made.entry_point == 'thanks_round = "games.thanks_round:module"'
    assert "pip install -e" in made.next_steps()
    assert (tmp_path / "content" / "thanks_round" / "topics.yaml").is_file()
    assert not (tmp_path / "thanks_round").exists()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                          "--rootdir", str(tmp_path), "tests/test_thanks_round.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env=_env(tmp_path, PIIRI_CONTENT_DIR=str(tmp_path / "content")))
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_name_that_cannot_be_used_or_is_taken_writes_nothing(tmp_path) -> None:
    for bad in ("Kiitos", "2nd", "json", "class", "my-game"):
        with pytest.raises(NameProblem):
            new_game(bad, tmp_path)
    new_game("kiitos", tmp_path)
    with pytest.raises(NameProblem, match="already there"):
        new_game("kiitos", tmp_path)
    result = CliRunner().invoke(main, ["new-game", "Bad-Name", "--into", str(tmp_path)])
    assert result.exit_code == 1 and "lowercase" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiitos"]


@pytest.mark.parametrize("game", sorted(available_games()))
def test_every_shipped_game_passes_the_kit(game: str) -> None:
    report = check_module(find_game(game), load_game_content(game))
    assert report.ok, report.text()


def test_piiri_check_game_exits_0_on_the_circle_and_1_on_an_unknown_game() -> None:
    env = _env()
    run = subprocess.run([sys.executable, "-m", "facilitator.cli", "check-game", "circle"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "'circle' passes every check." in run.stdout
    unknown = subprocess.run([sys.executable, "-m", "facilitator.cli", "check-game", "nope"],
                             env=env, capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 1 and "No game 'nope' is installed" in unknown.stderr


# -- a deliberately broken tiny module --------------------------------------------------------


class _State(BaseModel):
    said: int = 0
    typed: str = ""


class _Say(BaseModel):
    value: str = ""


def _broken(*, raises: bool = False, overflows: bool = False, leaks: bool = False) -> Any:
    def say(ctx, state, payload):
        if raises and state.said >= 1:
            raise ZeroDivisionError("division by zero")
        state.said += 1
        ctx.fact("turn_taken", seat=ctx.seat, **({"words": payload.value} if leaks else {}))
        return state

    def refuse(ctx, state, payload):
        state.said += 100  # a refused move's changes must not count
        return ctx.refuse("no", LocalizedText.of("Ei nyt"))

    from engine import ButtonControl, FreeTextControl

    def controls(view, seat):
        if seat != view.current:
            return []
        return [FreeTextControl(move="say"), ButtonControl(move="nope")]

    title = "Otsikko" + "W" * 200 if overflows else "Sano"
    return define_game(
        id="broken", version=1, title=LocalizedText.of("Sano"), state_type=_State,
        setup=lambda ctx: _State(),
        moves={"say": Move(say, payload=_Say, ends_turn=True), "nope": Move(refuse)},
        scene=lambda view: Scene(title=LocalizedText.of(title), layout="card", elements=[
            TextBlockElement(text=LocalizedText.of(str(view.state.said)))]),
        controls=controls, end_if=lambda view: view.round > 3, min_seats=1, max_seats=3)


def test_a_sound_tiny_module_passes() -> None:
    report = check_module(_broken())
    assert report.ok, report.text()


def test_a_move_that_raises_fails_the_kit_with_a_plain_sentence() -> None:
    report = check_without_screen(_broken(raises=True))
    assert not report.ok and not report.check("raises").ok
    assert "ZeroDivisionError: division by zero" in report.check("raises").problems[0]
    assert "FAIL  nothing raises" in report.text()
    assert report.text().endswith("'broken' fails 1 of 8 checks.")


def test_a_scene_text_that_overflows_fails_the_screen_check() -> None:
    report = check_module(_broken(overflows=True))
    screen = report.check("screen")
    assert not screen.ok
    assert "does not fit its box" in screen.problems[0]
    assert screen.problems[0].startswith("[fi] in the scene 'OtsikkoWWW")


def test_typed_text_in_a_fact_fails_the_privacy_check() -> None:
    report = check_without_screen(_broken(leaks=True))
    assert "the fact 'turn_taken' carries the text a participant typed" in \
        report.check("privacy").problems[0]
    assert [c.name for c in report.checks.values() if not c.ok] == ["privacy"]


# -- piiri simulate: every installed activity, by what its tablets show -----------------------


@pytest.mark.parametrize("game", sorted(available_games()))
def test_piiri_simulate_plays_every_installed_game_to_its_end(game: str) -> None:
    result = CliRunner().invoke(main, ["simulate", "--game", game, "--seats", "3", "--seed", "5",
                                       "--lang", "en"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert result.output.startswith(f"{find_game(game).title.pick('en')} — ")
    assert "table_ended" in result.output
    assert "Replay of the log gives the same table" in result.output


def test_piiri_simulate_names_an_unknown_game_plainly() -> None:
    result = CliRunner().invoke(main, ["simulate", "--game", "chess"])
    assert result.exit_code == 1 and "No game 'chess' is installed" in result.output


# -- versions: a table left running while its game changed -----------------------------------


class _CountV1(BaseModel):
    count: int = 0


class _CountV2(BaseModel):
    # A state that forbids unknown fields: a migration that forgot one fails loudly.
    model_config = ConfigDict(extra="forbid")

    said: int = 0
    """Version 2 renamed ``count``."""


def _counting(version: int, **extra: Any) -> Any:
    state_type: Any = _CountV1 if version == 1 else _CountV2
    field = "count" if version == 1 else "said"

    def say(ctx, state, payload):
        setattr(state, field, getattr(state, field) + 1)
        ctx.fact("turn_taken", seat=ctx.seat)
        return state

    from engine import ButtonControl

    return define_game(
        id="counting", version=version, title=LocalizedText.of("Laske"), state_type=state_type,
        setup=lambda ctx: state_type(), moves={"say": Move(say, ends_turn=True)},
        scene=lambda view: Scene(title=LocalizedText.of("Laske")),
        controls=lambda view, seat: [ButtonControl(move="say")] if seat == view.current else [],
        end_if=lambda view: view.round > 3, **extra)


def _half_played() -> tuple[SimulatedTable, Any]:
    sim = SimulatedTable(_counting(1), seed=2)
    aino, ben = sim.join_many(2)
    sim.start()
    sim.move(aino, "say")
    sim.move(ben, "say")
    snapshot = sim.table.snapshot()
    sim.move(aino, "say")  # after the snapshot: applied again under version 2
    return sim, snapshot


def test_a_table_running_under_version_1_resumes_under_version_2_through_migrate() -> None:
    from engine.log import replay

    sim, snapshot = _half_played()

    def migrate(old_version: int, state: dict[str, Any]) -> dict[str, Any]:
        assert old_version == 1
        return {"said": state.pop("count")}

    resumed = replay(_counting(2, migrate=migrate), None, sim.log, snapshot=snapshot)
    assert resumed.state == _CountV2(said=3)
    assert resumed.meta.game_version == 2 and resumed.seq == sim.table.seq
    assert resumed.snapshot().meta.game_version == 2  # the next snapshot is version 2's
    went_on = resumed.apply(MakeMove(at=sim.now, seat=resumed.meta.turn.current, name="say",
                                     payload={}))
    assert went_on.table.state == _CountV2(said=4)


def test_without_migrate_the_table_refuses_to_resume_with_a_plain_message() -> None:
    from engine.log import LogVersionError, replay

    sim, snapshot = _half_played()
    with pytest.raises(LogVersionError, match="played with version 1 of 'counting'; this Piiri "
                                              "has version 2, which cannot replay it"):
        replay(_counting(2), None, sim.log, snapshot=snapshot)

    def broken(old_version: int, state: dict[str, Any]) -> dict[str, Any]:
        return state  # forgot the rename: version 2 cannot read it

    with pytest.raises(LogVersionError, match="could not be brought to version 2"):
        replay(_counting(2, migrate=broken), None, sim.log, snapshot=snapshot)


# -- the kit's browser part: the browser screen and the tablet client in Chromium --------------


@pytest.mark.browser
def test_check_game_with_browser_shows_every_scene_and_controls_list_in_chromium() -> None:
    run = subprocess.run([sys.executable, "-m", "facilitator.cli", "check-game", "circle",
                          "--browser"], env=_env(), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok    every scene fits the browser screen in every language" in run.stdout
    assert "ok    every controls list passes axe-core in the tablet client" in run.stdout
    without = subprocess.run([sys.executable, "-m", "facilitator.cli", "check-game", "circle",
                              "--no-screen"], env=_env(), capture_output=True, text=True,
                             timeout=300)
    assert without.returncode == 0 and "browser" not in without.stdout  # no browser needed


@pytest.mark.browser
def test_a_cut_scene_fails_the_browser_check_and_an_unlabelled_field_gets_a_label(
        browser: Any) -> None:
    from facilitator.live import browser_check

    report = check_without_screen(_broken(overflows=True), browser=browser_check(
        browser=browser), seeds=(1,), actions=20)
    assert not report.check("browser_screen").ok, report.text()
    assert "[fi] in the scene 'OtsikkoWWW" in report.check("browser_screen").problems[0]
    # Its free-text control has no label: the tablet labels the field with its own words
    # (tests/test_tablet_free_text_label.py), so axe finds nothing there.
    assert report.check("tablet").ok, report.text()
    assert report.text().endswith("'broken' fails 1 of 10 checks.")
