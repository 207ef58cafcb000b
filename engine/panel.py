"""What the facilitator panel shows of a live table, whatever the game."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .scene import Avatar
from .text import LocalizedText

__all__ = ["FacilitatorAction", "FacilitatorView", "InfoRow", "SeatSummary"]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InfoRow(_Base):
    """One line of game-specific information: "Cards talked about: 7"."""

    label: LocalizedText
    value: str | LocalizedText
    """A number or a name as it is, or words in every language (the panel picks the
    leader's)."""

    def value_in(self, lang: str) -> str:
        return self.value if isinstance(self.value, str) else self.value.pick(lang)


class FacilitatorAction(_Base):
    """A game-specific button for the leader, sending one facilitator move."""

    move: str
    label: LocalizedText
    payload: dict[str, Any] = Field(default_factory=dict)


class SeatSummary(_Base):
    seat: str
    nickname: str
    avatar: Avatar
    member: str | None
    connected: bool
    gone: bool
    status: str
    counts: dict[str, int]
    """Live counts of what the seat did (turns taken, passes...). Passes stay here, never in
    exports."""
    did: list[InfoRow] = Field(default_factory=list)
    """What the seat did in the game's own words (its counted contributions, e.g. "Clues
    shared: 2"): the live page shows these where a game has no turns to count."""


class FacilitatorView(_Base):
    status: str
    phase: str | None
    flow: str = "turns"
    """The current phase's flow (turns, together, free): a free flow has no rounds, turns or
    turn to skip, and the live page says so in its own words."""
    round: int
    current: str | None
    seats: list[SeatSummary]
    info: list[InfoRow] = Field(default_factory=list)
    actions: list[FacilitatorAction] = Field(default_factory=list)
    timer_remaining_ms: int | None = None
