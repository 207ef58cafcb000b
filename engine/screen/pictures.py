"""Content pictures for the pygame screen: fetched once, checked, decoded, kept.

A scene's :class:`~engine.scene.ImageElement` (and a timeline item's ``icon``) names a picture
by its id under ``content/`` (``escape_room/pictures/stairwell.png``). The screen gets the
file from where the server serves it (``<server>/content/<id>``), or, for a preview or a test
without a server, from a content folder on this machine. Either way the bytes are treated as
untrusted: at most :data:`~engine.images.MAX_IMAGE_BYTES`, a PNG, JPEG or WebP whose header is
within the picture limits before anything is decoded.

Fetching happens off the drawing thread: the screen's feed calls :meth:`Pictures.prefetch` with
each scene before handing it to the window, so drawing never waits on the network. A picture
that could not be had is tried again on a later scene (not more often than every
:data:`RETRY_S` seconds); until then the screen shows the picture's words (its ``alt``).
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections import OrderedDict
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pygame
from PIL import Image

from engine.images import IMAGE_FORMATS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE
from engine.scene import IMAGE_SRC_PATTERN, ImageElement, Scene, TimelineElement

__all__ = ["RETRY_S", "Pictures", "server_base"]

log = logging.getLogger("piiri.screen")

#: A picture that could not be fetched is tried again after this many seconds, on a new scene.
RETRY_S = 15.0
#: How many decoded pictures are kept (a 1280×720 picture is 3.7 MB decoded).
KEEP = 8

_SRC = re.compile(IMAGE_SRC_PATTERN)


def server_base(url: str) -> str:
    """The address pictures are fetched from, from the address the screen was given.

    >>> server_base("http://192.168.1.20:5000/j/KX7PM")
    'http://192.168.1.20:5000'
    >>> server_base("wss://piiri.example.fi/piiri/ws")
    'https://piiri.example.fi/piiri'
    """
    parts = urlsplit(url if "://" in url else f"http://{url}")
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    path = parts.path.rstrip("/")
    if "/j/" in f"{path}/":
        path = path[: f"{path}/".index("/j/")]
    path = path.removesuffix("/ws")
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def decode(data: bytes) -> Image.Image | None:
    """A picture from untrusted bytes, or None when it is not one within the limits."""
    if len(data) > MAX_IMAGE_BYTES:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
            width, height = picture.size
            if (max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS
                    or width < 1 or height < 1):
                return None
            picture.load()
            return picture.convert("RGBA")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
                SyntaxError, ValueError):
            return None


class Pictures:
    """The pictures a screen shows, by id: from a server (``base_url``) or a folder.

    Example::

        pictures = Pictures(base_url=server_base("http://192.168.1.20:5000"))
        pictures.prefetch(scene)          # the feed's thread
        surface = pictures.surface(src)   # the window's thread; None: show the words
    """

    def __init__(self, *, base_url: str | None = None, folder: Path | None = None,
                 timeout: float = 5.0) -> None:
        if (base_url is None) == (folder is None):
            raise ValueError("give either base_url or folder")
        if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"not a server address: {base_url!r}")
        self.base_url = base_url.rstrip("/") if base_url else None
        self.folder = folder.resolve() if folder is not None else None
        self.timeout = timeout
        self._lock = threading.Lock()
        self._decoded: OrderedDict[str, Image.Image] = OrderedDict()
        self._failed: dict[str, float] = {}
        self._surfaces: OrderedDict[str, pygame.Surface] = OrderedDict()

    # -- the feed's thread -----------------------------------------------------------------

    def prefetch(self, scene: Scene) -> None:
        """Fetch every picture ``scene`` shows that is not here yet."""
        for element in scene.elements:
            if isinstance(element, ImageElement):
                self.fetch(element.src)
            elif isinstance(element, TimelineElement):
                for src in dict.fromkeys(item.icon for stage in element.stages
                                         for item in stage.items if item.icon):
                    self.fetch(src)

    def fetch(self, src: str) -> bool:
        """Get picture ``src`` if it is not here yet; whether it is here now."""
        with self._lock:
            if src in self._decoded:
                return True
            failed = self._failed.get(src)
            if failed is not None and time.monotonic() - failed < RETRY_S:
                return False
        picture = decode(self._read(src) or b"") if _SRC.match(src) else None
        with self._lock:
            if picture is None:
                self._failed[src] = time.monotonic()
                return False
            self._failed.pop(src, None)
            self._decoded[src] = picture
            while len(self._decoded) > KEEP:
                self._decoded.popitem(last=False)
            return True

    def _read(self, src: str) -> bytes | None:
        if self.folder is not None:
            path = (self.folder / src).resolve()
            if not path.is_relative_to(self.folder) or not path.is_file():
                return None
            with path.open("rb") as stream:
                return stream.read(MAX_IMAGE_BYTES + 1)
        url = f"{self.base_url}/content/{quote(src)}"
        request = urllib.request.Request(url, headers={"Accept": "image/png, image/jpeg, "
                                                                 "image/webp"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                kind = response.headers.get_content_type()
                if response.status != 200 or not kind.startswith("image/"):
                    return None
                data: bytes = response.read(MAX_IMAGE_BYTES + 1)
                return data
        except (OSError, urllib.error.URLError, ValueError) as error:
            log.info("screen: the picture %s could not be fetched (%s)", src, error)
            return None

    # -- the window's thread ---------------------------------------------------------------

    def state(self, src: str) -> str:
        """``ready`` once the picture is here, else ``missing``."""
        with self._lock:
            return "ready" if src in self._decoded or src in self._surfaces else "missing"

    def surface(self, src: str) -> pygame.Surface | None:
        """Picture ``src`` as a surface, or None while it is not here. A picture from a folder
        is read the first time it is asked for."""
        found = self._surfaces.get(src)
        if found is not None:
            self._surfaces.move_to_end(src)
            return found
        if self.folder is not None:
            self.fetch(src)
        with self._lock:
            picture = self._decoded.get(src)
        if picture is None:
            return None
        made = pygame.image.frombytes(picture.tobytes(), picture.size, "RGBA")
        self._surfaces[src] = made
        while len(self._surfaces) > KEEP:
            self._surfaces.popitem(last=False)
        return made
