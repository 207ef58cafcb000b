"""The story activity: the group reads a branching story together and votes on how it goes on.

Piiri's own story format is in :mod:`games.story.content`; the rules and views in
:mod:`games.story.game`.
"""

from .content import Story, StoryContent
from .game import StoryOptions, StoryState, module

__all__ = ["Story", "StoryContent", "StoryOptions", "StoryState", "module"]
