"""The shared screen: a pygame window that draws the table's :class:`~engine.scene.Scene`.

This package is the only part of ``engine`` allowed to import pygame and network code (it is
the screen adapter of DESIGN.md's layers). It draws what the server sends and nothing else:
every rule lives in the games, and the screen can crash or be closed without touching the
server, because it runs as a process of its own::

    python -m engine.screen http://192.168.1.20:5000 KX7P --fullscreen

- :func:`render` and :func:`present` draw a scene onto the 1920×1080 design surface and scale
  it to the window; :func:`render` returns a :class:`RenderReport` of any text that overflowed
  or was drawn below its floor (a long text is paged instead, see :mod:`.paging`);
- :class:`Animator` eases each change in (a token walking, a card turning);
- :class:`Pictures` fetches the content pictures a scene shows from the server (or a content
  folder), checked and decoded once, off the drawing thread;
- :func:`run_screen` is the whole screen process: window, WebSocket, reconnecting.
"""

import os

# Quiet the pygame banner before pygame is first imported (it would go to the server's log).
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from .animate import Animator
from .client import main, run_screen
from .paging import RenderReport, TextIssue
from .pictures import Pictures
from .render import Renderer, draw_connection_overlay, present, render
from .theme import DESIGN_SIZE, ScreenOptions

__all__ = [
    "DESIGN_SIZE",
    "Animator",
    "Pictures",
    "RenderReport",
    "Renderer",
    "ScreenOptions",
    "TextIssue",
    "draw_connection_overlay",
    "main",
    "present",
    "render",
    "run_screen",
]

