"""Finding games: every game, built-in or third-party, registers through the entry-point group
``piiri.games`` (in its ``pyproject.toml``: ``[project.entry-points."piiri.games"]``).

Loading is per module: a module that fails to load (it does not import, it raises while
loading, or its entry point holds something else) is left out of :func:`available_games`, and
what went wrong is kept in :func:`load_problems`, so one broken third-party activity never
stops Piiri or hides the others. :func:`installed` lists every activity, loaded or not, with
what the panel shows of it.

Example:
    >>> find_game("circle").id
    'circle'
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from .content import ContentError, Problem, content_root, load_content_dir
from .module import GameModule, ModuleError

__all__ = [
    "Installed",
    "LoadProblem",
    "UnknownGame",
    "available_games",
    "find_game",
    "installed",
    "load_game_content",
    "load_problems",
]

GROUP = "piiri.games"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadProblem:
    """An installed activity that could not be loaded, and why, in one sentence."""

    name: str
    """The entry point's name (the activity's id, if it were loaded)."""
    target: str
    """What the entry point names, such as ``my_game:module``."""
    distribution: str | None
    version: str | None
    reason: str


class UnknownGame(LookupError):
    """No game with that id is installed."""


@cache
def _load_all() -> tuple[dict[str, GameModule[Any]], dict[str, LoadProblem]]:
    games: dict[str, GameModule[Any]] = {}
    problems: dict[str, LoadProblem] = {}
    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        try:
            games[point.name] = _load_one(point)
        except Exception as error:  # any error of a module's import is that module's alone
            reason = str(error) if isinstance(error, ModuleError) else \
                f"{type(error).__name__}: {error}"
            problems[point.name] = LoadProblem(point.name, point.value, _dist_name(point),
                                               _dist_version(point), reason)
            log.error("the activity '%s' (%s) could not be loaded: %s", point.name,
                      point.value, reason)
    return games, problems


def _load_one(point: EntryPoint) -> GameModule[Any]:
    module = point.load()
    if not isinstance(module, GameModule):
        raise ModuleError(f"entry point '{point.name}' ({point.value}) is not a GameModule; "
                          "make it with engine.define_game")
    if module.id != point.name:
        raise ModuleError(f"entry point '{point.name}' holds the game '{module.id}'")
    return module


def _dist_name(point: EntryPoint) -> str | None:
    dist = point.dist
    return str(dist.name) if dist is not None else None


def _dist_version(point: EntryPoint) -> str | None:
    dist = point.dist
    return str(dist.version) if dist is not None else None


def available_games() -> dict[str, GameModule[Any]]:
    """Every installed game that loads, by id, loaded once (see :func:`load_problems` for
    those that do not)."""
    return _load_all()[0]


def load_problems() -> dict[str, LoadProblem]:
    """Every installed activity that could not be loaded, by its entry point's name."""
    return _load_all()[1]


def reload() -> None:
    """Forget what was loaded (for tests that install or remove an activity)."""
    _load_all.cache_clear()
    load_game_content.cache_clear()


@dataclass(frozen=True)
class Installed:
    """One installed activity as the panel lists it."""

    id: str
    module: GameModule[Any] | None
    """``None`` when it could not be loaded (``problems`` says why)."""
    distribution: str | None
    version: str | None
    """The installed distribution's version (``None`` when not installed as one)."""
    languages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Why it could not be loaded, or what is wrong with its content; empty when all is well."""

    @property
    def loads(self) -> bool:
        return self.module is not None

    @property
    def content_ok(self) -> bool:
        return self.module is not None and not self.problems


def installed() -> list[Installed]:
    """Every installed activity, loaded or not, by id: its distribution and version, the
    languages of its content and whether its content loads (at most the first few problems
    are kept)."""
    points = {point.name: point for point in entry_points(group=GROUP)}
    out: list[Installed] = []
    for game_id, module in available_games().items():
        point = points.get(game_id)
        languages: list[str] = []
        problems: list[str] = []
        try:
            content = load_game_content(game_id)
        except ContentError as error:
            problems = [str(problem) for problem in error.problems[:5]]
            if len(error.problems) > 5:
                problems.append(f"… and {len(error.problems) - 5} more")
        else:
            from .kit import content_languages  # only the panel's list needs the kit

            languages = content_languages(content) if content is not None else \
                list(module.title.root)
        out.append(Installed(game_id, module, _dist_name(point) if point else None,
                             _dist_version(point) if point else None, languages, problems))
    for problem in load_problems().values():
        out.append(Installed(problem.name, None, problem.distribution, problem.version,
                             [], [problem.reason]))
    return sorted(out, key=lambda item: item.id)


def find_game(game_id: str) -> GameModule[Any]:
    """The installed game ``game_id``.

    Raises:
        UnknownGame: no such game is installed.
    """
    try:
        return available_games()[game_id]
    except KeyError:
        problem = load_problems().get(game_id)
        if problem is not None:
            raise UnknownGame(f"The activity '{game_id}' is installed but could not be loaded: "
                              f"{problem.reason}") from None
        known = ", ".join(sorted(available_games())) or "none"
        raise UnknownGame(f"No game '{game_id}' is installed (installed: {known}).") from None


@cache
def load_game_content(game_id: str) -> Any:
    """The validated content of a game, loaded once per process.

    Raises:
        ContentError: the game's content has problems (each named with file and line).
    """
    module = find_game(game_id)
    if module.content_type is None or module.content_dir is None:
        return None
    root = content_root()
    try:
        return load_content_dir(root / module.content_dir, module.content_type, root)
    except ContentError:
        raise
    except OSError as error:
        where = str(root / module.content_dir)
        raise ContentError([Problem(where, None, "", str(error))]) from None
