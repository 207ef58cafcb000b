"""Pages of a long text, and what the renderer tells about the text it drew.

A text that does not fit its box even at its floor size is split into pages (see
:meth:`~engine.screen.typeset.TextKit.paginate`). The screen shows one page at a time with a
marker ("2/3") and turns to the next on a calm timer: each page stays
:attr:`~engine.screen.theme.ScreenOptions.page_seconds`, longer when it has many words, and the
last page is followed by the first again. A key on the screen's keyboard (Page Down, →, space;
Page Up, ← back) turns every paged text at once and restarts its timer, so a leader standing at
the laptop can go at the group's pace.

The :class:`Pager` keeps, per text on show, when it appeared and on which page it started: a
text that leaves the screen and comes back starts at its first page again. It is the only
state drawing keeps besides its caches, and it depends only on the clock the renderer is given,
so a drawing at a given moment is always the same picture.

Every frame the renderer also writes a :class:`RenderReport`: each text that overflowed its box
(nothing is cut, so it would be drawn over something else), each text below its role's floor,
and each character neither bundled font has. The screen's tests fail on any of them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["IssueKind", "Pager", "RenderReport", "TextIssue"]

IssueKind = Literal["overflow", "below_floor", "missing_glyph"]


@dataclass(frozen=True)
class TextIssue:
    """One text the renderer could not draw as promised.

    Attributes:
        element: where it was (an element kind such as ``card``, or ``header``, ``pause``).
        kind: ``overflow`` (taller or wider than its box even at its floor), ``below_floor``
            (drawn smaller than its role's floor) or ``missing_glyph`` (a character neither
            font has: it shows as an empty box).
        text: the text (for ``missing_glyph``, the missing characters).
        size: the size it was drawn at.
        floor: its role's floor.
    """

    element: str
    kind: IssueKind
    text: str
    size: int
    floor: int

    def __str__(self) -> str:
        short = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        return f"{self.element}: {self.kind} at {self.size} px (floor {self.floor}): {short!r}"


@dataclass
class RenderReport:
    """What one frame's text came to: the issues, which texts are on which page, and every
    text drawn.

    ``paged`` holds ``(element, page, pages)`` for each text (or column of elements) split
    into pages, ``page`` counted from 0. ``texts`` holds ``(element, text)`` for every piece
    of text drawn, a block's lines joined by spaces: what the screen shows, in words.
    """

    issues: list[TextIssue] = field(default_factory=list)
    paged: list[tuple[str, int, int]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No text overflowed, none was below its floor and every character had a glyph."""
        return not self.issues

    def of_kind(self, kind: IssueKind) -> list[TextIssue]:
        return [issue for issue in self.issues if issue.kind == kind]


def _page_at(durations: Sequence[int], first: int, elapsed: int) -> tuple[int, int]:
    """The page shown ``elapsed`` ms after page ``first`` came up, and the ms it has left."""
    count = len(durations)
    page = first % count
    left = elapsed % max(1, sum(durations))
    while left >= durations[page]:
        left -= durations[page]
        page = (page + 1) % count
    return page, durations[page] - left


class Pager:
    """Which page each paged text on the screen shows now.

    Example::

        pager = Pager()
        pager.begin_frame()
        pager.page("intro", [15000, 15000], now_ms=0)       # 0
        pager.end_frame()
        pager.begin_frame()
        pager.page("intro", [15000, 15000], now_ms=16000)   # 1
    """

    def __init__(self) -> None:
        self._started: dict[Hashable, tuple[int, int]] = {}  # key: (since_ms, first page)
        self._durations: dict[Hashable, tuple[int, ...]] = {}
        self._seen: set[Hashable] = set()
        self._shown: set[Hashable] = set()

    def begin_frame(self) -> None:
        self._seen = set()

    def end_frame(self) -> None:
        """Forget texts this frame did not show: when they come back they start again."""
        for key in [k for k in self._started if k not in self._seen]:
            del self._started[key]
            self._durations.pop(key, None)
        self._shown = set(self._seen)

    def page(self, key: Hashable, durations: Sequence[int], now_ms: int) -> int:
        """The page of text ``key`` (``durations``: how long each of its pages stays)."""
        self._seen.add(key)
        if len(durations) <= 1:
            return 0
        self._durations[key] = tuple(durations)
        since, first = self._started.setdefault(key, (now_ms, 0))
        return _page_at(durations, first, max(0, now_ms - since))[0]

    def turn(self, step: int, now_ms: int) -> bool:
        """Every paged text on show goes ``step`` pages on (back when negative) and stays
        there a full page's time. Returns whether anything turned."""
        turned = False
        for key in self._shown:
            durations = self._durations.get(key)
            if not durations or len(durations) <= 1:
                continue
            since, first = self._started.get(key, (now_ms, 0))
            page, _ = _page_at(durations, first, max(0, now_ms - since))
            self._started[key] = (now_ms, (page + step) % len(durations))
            turned = True
        return turned

    def next_turn_ms(self, now_ms: int) -> int | None:
        """Milliseconds until a text on show turns its page by itself, or None."""
        soonest: int | None = None
        for key in self._shown:
            durations = self._durations.get(key)
            if not durations or len(durations) <= 1:
                continue
            since, first = self._started.get(key, (now_ms, 0))
            _, left = _page_at(durations, first, max(0, now_ms - since))
            soonest = left if soonest is None else min(soonest, left)
        return soonest
