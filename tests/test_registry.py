"""Registering games: through the entry-point group, checked once at registration."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from engine import LocalizedText, ModuleError, Move, Phase, Scene, define_game
from engine.registry import UnknownGame, available_games, find_game

T = LocalizedText({"en": "t"})


class S(BaseModel):
    n: int = 0


def build(**overrides: object) -> object:
    parts: dict[str, object] = dict(
        id="ok", version=1, title=T, state_type=S, setup=lambda ctx: S(),
        moves={"go": Move(lambda ctx, s, p: s)}, scene=lambda v: Scene(),
        controls=lambda v, seat: [])
    parts.update(overrides)
    return define_game(**parts)  # type: ignore[arg-type]


def test_built_in_games_register_through_the_entry_point_group() -> None:
    assert "circle" in available_games()
    assert find_game("circle").id == "circle"


def test_unknown_game_is_named_with_the_installed_ones() -> None:
    with pytest.raises(UnknownGame, match=r"installed: .*circle"):
        find_game("chess")


@pytest.mark.parametrize("overrides, words", [
    ({"id": "Bad Name"}, "lowercase Python identifier"),
    ({"min_seats": 5, "max_seats": 2}, "1 <= min"),
    ({"moves": {"pass": Move(lambda ctx, s, p: s)}}, "reserved by the engine"),
    ({"moves": {"go": Move(lambda ctx, s, p: s, payload=dict)}}, "payload must be a pydantic"),
    ({"phases": {"a": Phase(moves=frozenset({"fly"}))}}, "unknown moves"),
    ({"phases": {"a": Phase(next="b")}}, "unknown phase 'b'"),
    ({"content_type": S}, "needs a content_dir"),
])
def test_a_malformed_game_is_refused_at_registration(overrides: dict[str, object],
                                                     words: str) -> None:
    with pytest.raises(ModuleError, match=words):
        build(**overrides)


def test_a_well_formed_game_is_normalised() -> None:
    game = build()
    assert game.start_phase == "play" and game.description == T
    assert game.can_replay(1) and not game.can_replay(2)
