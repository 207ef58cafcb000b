"""Workshop (co-creation): the group writes its own cards, questions, escape room locks or story
scenes for another activity, and the leader reads every proposal first. A participant may also
write an accepted item in another language, a proposal like any other.

The made content is kept by the panel's workshop area (``facilitator/workshop``), which adds
each accepted item to the group's draft and plays it like shipped content.
"""

from .game import Made, WorkshopContent, WorkshopOptions, WorkshopState, module
from .targets import Target, TargetError, target

__all__ = ["Made", "Target", "TargetError", "WorkshopContent", "WorkshopOptions",
           "WorkshopState", "module", "target"]
