"""Pelitarina ("game story"): each person's life line of games, built privately on their own
tablet and told to the group, showing only what they choose."""

from .content import PelitarinaContent
from .game import PelitarinaOptions, PelitarinaState, module

__all__ = ["PelitarinaContent", "PelitarinaOptions", "PelitarinaState", "module"]
