"""Round of the circle: each person in turn answers a short prompt aloud, or passes.

The built-in warm-up activity, and the smallest complete example of a game module.
"""

from .game import CircleContent, CircleOptions, CircleState, module

__all__ = ["CircleContent", "CircleOptions", "CircleState", "module"]
