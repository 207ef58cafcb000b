"""Pakohuone (escape room): a co-operative room where each tablet holds different clues.

The shared screen shows the room, its locks and the story; each tablet holds its own clues, so
the group gets out only by talking together. 2–6 players, 30–45 minutes, calm: no penalties,
no scores, no ranking. Rooms are content (``content/escape_room/rooms/<id>.yaml``), checked on
load so that every room can be finished by every group size it supports.
"""

from .answers import is_right, normalise
from .content import EscapeContent, Puzzle, Room
from .deal import deal, deal_order, late_comer, rehome
from .game import EscapeOptions, EscapeState, module

__all__ = [
    "EscapeContent",
    "EscapeOptions",
    "EscapeState",
    "Puzzle",
    "Room",
    "deal",
    "deal_order",
    "is_right",
    "late_comer",
    "module",
    "normalise",
    "rehome",
]
