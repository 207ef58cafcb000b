"""Seeded randomness kept in the table's state, so a replay draws the same dice and cards.

The state is only ``(seed, draws)``. Each draw builds its generator from the seed and the draw
number, so the same table state always gives the same next draw, whatever happened in between
in other tables or processes.

Example:
    >>> r = RandomSource(RngState(seed=7))
    >>> first = r.die(6)
    >>> RandomSource(RngState(seed=7)).die(6) == first
    True
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel

__all__ = ["RandomSource", "RngState"]

T = TypeVar("T")


class RngState(BaseModel):
    """Where a table's random stream stands: its seed and how many draws have been made."""

    seed: int
    draws: int = 0


class RandomSource:
    """Draws from a table's random stream; the draws are counted into the state it was given."""

    def __init__(self, state: RngState) -> None:
        self._state = state

    @property
    def state(self) -> RngState:
        return self._state

    def _next(self) -> random.Random:
        state = self._state
        generator = random.Random(state.seed * 1_000_003 + state.draws)
        self._state = RngState(seed=state.seed, draws=state.draws + 1)
        return generator

    def die(self, sides: int = 6) -> int:
        """Roll a die with ``sides`` sides: 1..sides."""
        return self._next().randint(1, sides)

    def randint(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high``, both included."""
        return self._next().randint(low, high)

    def choice(self, items: Sequence[T]) -> T:
        """One item of a non-empty sequence."""
        return items[self._next().randrange(len(items))]

    def shuffled(self, items: Sequence[T]) -> list[T]:
        """A shuffled copy of ``items``."""
        out = list(items)
        self._next().shuffle(out)
        return out
