"""The module kit's screen check: draws a scene offscreen and says what did not fit.

Lives here, beside the renderer, because the engine core may not import pygame;
:func:`engine.kit.check_module` takes :func:`screen_problems` as its ``screen`` argument, and
:func:`check_module` here passes it in.

Example::

    report = check_module(find_game("circle"), load_game_content("circle"))
    print(report.text())
"""

from __future__ import annotations

import os
from typing import Any

from ..content import content_root
from ..kit import Report
from ..kit import check_module as _check_module
from ..module import GameModule
from ..scene import Scene

__all__ = ["check_module", "screen_problems"]

_state: dict[str, Any] = {}


def _renderer() -> tuple[Any, Any]:
    """One offscreen renderer and design surface per process (fonts are loaded once)."""
    if not _state:
        # Offscreen: no window opens, on a laptop or on a server without a display.
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        import pygame

        from .pictures import Pictures
        from .render import Renderer
        from .theme import DESIGN_SIZE

        pygame.display.init()
        pygame.font.init()
        _state["renderer"] = Renderer(pictures=Pictures(folder=content_root()))
        _state["surface"] = pygame.Surface(DESIGN_SIZE)
    return _state["renderer"], _state["surface"]


def screen_problems(scene: Scene, lang: str) -> list[str]:
    """Draw ``scene`` in ``lang`` on the 1920×1080 screen; each text that overflowed its box,
    was drawn below its size floor or had a letter no font draws, as a plain sentence. A long
    text that is paged is fine."""
    renderer, surface = _renderer()
    report = renderer.render(scene, surface, lang=lang)
    title = scene.title.pick(lang) if scene.title is not None else scene.layout
    title = title if len(title) <= 40 else title[:37] + "..."
    return [f"in the scene '{title}' ({scene.layout}), a text of the {issue.element} "
            f"{_WHAT.get(issue.kind, issue.kind)} ({issue.size} px): "
            f"{issue.text if len(issue.text) <= 70 else issue.text[:67] + '...'!r}"
            for issue in report.issues]


_WHAT = {
    "overflow": "does not fit its box even at its smallest size",
    "below_floor": "is drawn smaller than the screen may show text",
    "missing_glyph": "has letters no font can draw",
}


def check_module(module: GameModule[Any], content: Any = None, **kwargs: Any) -> Report:
    """:func:`engine.kit.check_module` with the shared screen's check."""
    kwargs.setdefault("screen", screen_problems)
    return _check_module(module, content, **kwargs)
