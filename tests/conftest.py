"""Shared fixtures: the built-in game and its content, and tiny inline games for engine rules."""

from __future__ import annotations

from typing import Any

import pytest

from engine.registry import find_game, load_game_content


@pytest.fixture(scope="session")
def circle() -> Any:
    return find_game("circle")


@pytest.fixture(scope="session")
def circle_content() -> Any:
    return load_game_content("circle")
