"""Keepsakes: what a participant may take home of an activity, seen by nobody else.

A module that has something personal to give (a life line, a story's own ending) registers a
maker with :func:`register_keepsake`. The maker returns a :class:`Keepsake` for one seat: a
printable page of that seat's own data, and what the participant chose to do with it, from the
game's state (the choice is a move like any other, so it is in the log; the content is not). The
server renders the page, hands it out once at an unguessable address that expires, and shows
that address as a QR code on the seat's own tablet only; or, when the participant asked for a
printout, lets the leader print it. A summary is given to the leader only when the participant
chose to share it.

Example::

    def keepsake(view: TableView[State], seat: str) -> Keepsake | None:
        return Keepsake(title=words.MY_LINE, sections=[...], wants_link=...)

    register_keepsake("pelitarina", keepsake)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .text import LocalizedText

__all__ = ["Keepsake", "KeepsakeMaker", "KeepsakeSection", "has_keepsake", "keepsake_for",
           "register_keepsake"]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeepsakeSection(_Base):
    """A heading and its lines (a life stage and its games)."""

    heading: LocalizedText
    lines: list[LocalizedText] = Field(default_factory=list)


class Keepsake(_Base):
    """One seat's take-home page and what its owner chose to do with it."""

    title: LocalizedText
    intro: LocalizedText | None = None
    sections: list[KeepsakeSection] = Field(default_factory=list)
    summary: LocalizedText | None = None
    """A short summary (strengths), the only part that can be shared with the leader."""
    wants_link: bool = False
    """The participant asked for a one-time link as a QR code on their own tablet."""
    wants_print: bool = False
    """The participant asked the leader for a printout."""
    shares_summary: bool = False
    """The participant chose to share :attr:`summary` with their leader."""


KeepsakeMaker = Callable[[Any, str], "Keepsake | None"]
"""``maker(view, seat)``: the seat's keepsake, or ``None`` when it has none (yet)."""

_MAKERS: dict[str, KeepsakeMaker] = {}


def register_keepsake(game_id: str, maker: KeepsakeMaker) -> None:
    """Give a game's keepsake maker (call once, where the game's module is defined)."""
    _MAKERS[game_id] = maker


def keepsake_for(table: Any, seat: str) -> Keepsake | None:
    """A seat's keepsake at a table (:class:`engine.Table`), or ``None``.

    >>> keepsake_for(type("T", (), {"module": type("M", (), {"id": "nothing"})})(), "s1")
    """
    maker = _MAKERS.get(table.module.id)
    if maker is None or table.seat(seat) is None:
        return None
    return maker(table.view(), seat)


def has_keepsake(table: Any) -> bool:
    """Whether the table's game gives keepsakes."""
    return table.module.id in _MAKERS
