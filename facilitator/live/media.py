"""Content pictures for the screens: ``/content/<id>`` serves a picture a loaded game's content
refers to, and nothing else.

A scene names a picture by its id under ``content/`` (``escape_room/pictures/stairwell.png``,
see :class:`engine.content.ImageRef`); the browser screen shows it with ``<img>`` and the pygame
screen fetches it. The id is looked up among the pictures of the installed games' content,
each checked by the content loader (inside its content folder, a PNG, JPEG or WebP within the
limits), so no other file can be asked for: a path with ``..``, the database, the app's own
files are all "not found". The file's type is said by Piiri, never guessed by the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, send_file

from engine import ContentError
from engine.content import images_in
from engine.registry import available_games, load_game_content

__all__ = ["bp", "content_pictures"]

bp = Blueprint("media", __name__)

#: How long a browser may keep a picture without asking again (content changes only when
#: Piiri is restarted with new content; the ETag tells it apart then).
MAX_AGE_S = 3600

_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
          ".webp": "image/webp"}


def content_pictures() -> dict[str, Path]:
    """Every picture the installed games' content refers to, by id, with its checked file.
    A game whose content does not load serves no pictures (``piiri content check`` says
    why)."""
    loaded: list[Any] = []
    for game_id in sorted(available_games()):
        try:
            loaded.append(load_game_content(game_id))
        except (ContentError, OSError):
            continue
    key = tuple(id(content) for content in loaded)
    if _index[0] != key:  # the content was loaded again (new content, or a test's copy)
        found: dict[str, Path] = {}
        for content in loaded:
            for _, ref in images_in(content):
                if ref.path is not None:
                    found[ref.src] = ref.path
        _index[:] = [key, found, loaded]  # (the content is kept, so its ids stay its own)
    pictures: dict[str, Path] = _index[1]
    return pictures


_index: list[Any] = [None, {}, []]


@bp.get("/content/<path:src>")
def content_picture(src: str) -> Response:
    """A content picture by its id; 404 for anything content does not refer to."""
    path = content_pictures().get(src)
    kind = _TYPES.get(path.suffix.lower()) if path is not None else None
    if path is None or kind is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=kind, conditional=True, etag=True, max_age=MAX_AGE_S)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.cache_control.public = True
    return response
