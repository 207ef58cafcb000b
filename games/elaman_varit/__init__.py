"""Elämän värit ("the colours of life"): a discussion board game with no winners.

Theme-coloured spaces, question and task cards, "everyone answers" spaces; every turn can be
passed. Our own rules text and our own cards.
"""

from .content import Card, Deck, ElamanVaritContent, Programme
from .game import EVOptions, EVState, module

__all__ = ["Card", "Deck", "EVOptions", "EVState", "ElamanVaritContent", "Programme", "module"]
