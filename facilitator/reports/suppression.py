"""Small-count suppression: no figure in a report may reveal a person.

Pure: no Flask, no database. A report's table of counts is given as cells by key, with the
additive relations between them (a total and the cells that add up to it). Every cell that
counts fewer than :data:`MINIMUM` people is suppressed (*primary*), and then as many more as it
takes so that no suppressed cell can be worked out from a shown total and the other shown cells
(*secondary*): in every relation whose total is shown, at least two cells are hidden and the
hidden ones together count at least :data:`MINIMUM` (else their sum would itself be a small
count); a total whose every part is shown is hidden only together with one of its parts.

>>> cells = {"all": 12, "present": 9, "late": 3, "absent": 0}
>>> hidden = suppress(cells, [("all", ["present", "late", "absent"])])
>>> sorted((key, reason.value) for key, reason in hidden.items())
[('absent', 'small'), ('late', 'small'), ('present', 'derivable')]
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

__all__ = ["MINIMUM", "Hidden", "Relation", "suppress"]

#: Fewer people than this in a cell could be told apart.
MINIMUM = 5

K = TypeVar("K", bound=Hashable)

#: ``(total, parts)``: the parts add up to the total.
Relation = tuple[K, Sequence[K]]


class Hidden(StrEnum):
    """Why a cell is not shown."""

    small = "small"
    """It counts fewer than :data:`MINIMUM` people ("fewer than 5")."""
    derivable = "derivable"
    """It could be worked out from a total and the other cells, or it would let a small cell
    be worked out."""


def suppress(cells: Mapping[K, int], relations: Sequence[tuple[K, Sequence[K]]] = (),
             minimum: int = MINIMUM) -> dict[K, Hidden]:
    """The cells to hide, each with its reason; cells not in the answer are shown.

    Args:
        cells: every count of people in the table (totals included), by key.
        relations: ``(total, parts)`` pairs: the parts add up to the total. A cell may take
            part in several relations (a row and a column of a cross table).
        minimum: the smallest count that may be shown.

    Returns:
        The hidden cells by key. Deterministic: when a further cell must go, the smallest
        shown part goes first (ties in the order the parts are given).

    >>> suppress({"a": 7, "b": 8})
    {}
    >>> suppress({"all": 10, "a": 5, "b": 5})
    {}
    """
    hidden: dict[K, Hidden] = {key: Hidden.small for key, value in cells.items()
                               if value < minimum}
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            shown = [p for p in parts if p not in hidden]
            secret = [p for p in parts if p in hidden]
            if total in hidden:
                if not secret and shown:
                    # Every part shown: the total is their sum. Hide the smallest part too.
                    hidden[_smallest(shown, cells)] = Hidden.derivable
                    changed = True
                continue
            if not secret:
                continue
            if len(secret) >= 2 and sum(cells[p] for p in secret) >= minimum:
                continue
            if shown:
                hidden[_smallest(shown, cells)] = Hidden.derivable
            else:  # every part is hidden and together they are few: the total goes too
                hidden[total] = Hidden.derivable
            changed = True
    return hidden


def _smallest(keys: Sequence[K], cells: Mapping[K, int]) -> K:
    return min(enumerate(keys), key=lambda pair: (cells[pair[1]], pair[0]))[1]
