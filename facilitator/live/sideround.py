"""Side rounds: something that runs at a table beside its game, such as a check-in or the
group's feedback at the end of a meeting.

A side round takes over the tablets while it is open, and what participants answer in it never
enters the table's log: the log gets only its steps (who has answered, never what), and the
round keeps the values in a store of its own. The hub drives every side round the same way, in
one order, so a step is never half taken:

1. :meth:`SideRound.step` judges the tablet's message and says which logged step it makes and
   what private value to keep;
2. the hub checks that the table takes that step (nothing applied yet);
3. the value is stored (:attr:`SideStep.store`);
4. the step is committed to the log and everyone is told;
5. :meth:`SideRound.follow_up` may add one more step (for example: the last item answered
   finishes the seat's round).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from engine import Rejected, SeatControls

if TYPE_CHECKING:
    from .hub import LiveTable

__all__ = ["SideRound", "SideStep"]


@dataclass(frozen=True)
class SideStep:
    """What one tablet message does in a side round."""

    action: Any
    """The engine action that logs the step (without any answer in it)."""
    store: Callable[[], Rejected | None] | None = None
    """Keeps the private value, after the table has agreed to the step and before it is
    committed; returns a refusal (nothing was kept) or ``None``."""


class SideRound(Protocol):
    """A round at a table beside its game (see the module's docstring for the order)."""

    def owns(self, name: str) -> bool:
        """Whether a tablet's move of this name belongs to this round."""
        ...

    def is_open(self, live: LiveTable) -> bool:
        """Whether the round is open at the table (then it has the tablets)."""
        ...

    def controls(self, live: LiveTable, seat_id: str) -> SeatControls | None:
        """The seat's screen while the round is open; ``None`` leaves the game's own."""
        ...

    def step(self, live: LiveTable, seat_id: str, name: str, payload: dict[str, Any],
             at: datetime) -> SideStep | Rejected:
        """Judge a tablet's message (``pass`` arrives as the round's own skip)."""
        ...

    def refused(self, rejected: Rejected) -> Rejected:
        """How the round words a step that the table did not take (a stale tablet)."""
        ...

    def follow_up(self, live: LiveTable, seat_id: str, at: datetime) -> Any | None:
        """One more action to apply after a committed step, or ``None``."""
        ...

    def pass_name(self) -> str:
        """The move a tablet's *pass* stands for while the round is open."""
        ...

    def closing(self, live: LiveTable, at: datetime) -> Any | None:
        """The action that closes the round when its table ends (``None``: nothing to do),
        after the round's own bookkeeping."""
        ...
