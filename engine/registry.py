"""Finding games: every game, built-in or third-party, registers through the entry-point group
``piiri.games`` (in its ``pyproject.toml``: ``[project.entry-points."piiri.games"]``).

Example:
    >>> find_game("circle").id
    'circle'
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any

from .content import ContentError, Problem, content_root, load_content_dir
from .module import GameModule, ModuleError

__all__ = ["UnknownGame", "available_games", "find_game", "load_game_content"]

GROUP = "piiri.games"


class UnknownGame(LookupError):
    """No game with that id is installed."""


@cache
def available_games() -> dict[str, GameModule[Any]]:
    """Every installed game by id, loaded once."""
    games: dict[str, GameModule[Any]] = {}
    for point in entry_points(group=GROUP):
        module = point.load()
        if not isinstance(module, GameModule):
            raise ModuleError(f"entry point '{point.name}' ({point.value}) is not a GameModule; "
                              "make it with engine.define_game")
        if module.id != point.name:
            raise ModuleError(f"entry point '{point.name}' holds the game '{module.id}'")
        games[module.id] = module
    return games


def find_game(game_id: str) -> GameModule[Any]:
    """The installed game ``game_id``.

    Raises:
        UnknownGame: no such game is installed.
    """
    try:
        return available_games()[game_id]
    except KeyError:
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
