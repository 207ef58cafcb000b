"""Checking a picture file before content uses it.

A picture comes from a content writer, or from whoever can put a file in the folder, so the
check must stay cheap whatever the file holds: it looks at the file's size and at the picture's
header (format, width and height) first, and decodes the pixels only when those are within
the limits. A "decompression bomb", a small file that claims an enormous picture, is refused
from its header, before anything is decoded.

Example:
    >>> from pathlib import Path
    >>> [str(p) for p in check_image(Path("no-such.png"), where="rooms/x.yaml", line=3)]
    ["rooms/x.yaml, line 3: the picture 'no-such.png' does not exist"]
"""

from __future__ import annotations

import stat
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from .content import Problem

__all__ = [
    "IMAGE_FORMATS",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_IMAGE_SIDE",
    "check_image",
]

#: The largest picture file, in bytes.
MAX_IMAGE_BYTES = 2 * 1024 * 1024

#: The most pixels a picture may have (width × height): 8 megapixels.
MAX_IMAGE_PIXELS = 8_000_000

#: The longest side a picture may have, in pixels.
MAX_IMAGE_SIDE = 4096

#: The formats a picture may be in (Pillow's name for each), with the file endings each may
#: have: the browser screen and the tablets show all three.
IMAGE_FORMATS: dict[str, tuple[str, ...]] = {
    "PNG": (".png",),
    "JPEG": (".jpg", ".jpeg"),
    "WEBP": (".webp",),
}

_SHOWN_FORMAT = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}


def check_image(path: Path, *, where: str, line: int | None = None,
                field: str = "") -> list[Problem]:
    """What is wrong with the picture file at ``path``; an empty list if it can be shown.

    Args:
        path: the picture file.
        where: the file to name in each problem: the content file that uses the picture, or
            the picture itself.
        line: the line of ``where`` that names the picture, if there is one.
        field: the field of ``where`` that names the picture, if there is one.

    Returns:
        At most one problem, whose sentence names the picture by its file name.
    """
    name = path.name

    def problem(message: str) -> list[Problem]:
        return [Problem(where, line, field, f"the picture '{name}' {message}")]

    suffix = path.suffix.lower()
    allowed = [s for endings in IMAGE_FORMATS.values() for s in endings]
    if suffix not in allowed:
        return problem(f"must be a PNG, JPEG or WebP file, named with {', '.join(allowed)} at "
                       "the end")
    try:
        facts = path.stat()
        # Looked at before opening: opening a named pipe would wait for a writer.
        if not stat.S_ISREG(facts.st_mode):
            return problem("is not an ordinary file")
        if facts.st_size > MAX_IMAGE_BYTES:
            return problem(f"is {_megabytes(facts.st_size)} MB; a picture may be at most "
                           f"{_megabytes(MAX_IMAGE_BYTES)} MB (save it smaller, for example "
                           "as a JPEG or WebP)")
        with path.open("rb") as stream:
            return _check_picture(stream, suffix, problem)
    except FileNotFoundError:
        return problem("does not exist")
    except OSError as error:
        return problem(f"cannot be read ({error.strerror or error})")


def _check_picture(stream: BinaryIO, suffix: str,
                   problem: Callable[[str], list[Problem]]) -> list[Problem]:
    limits = (f"a picture may have at most {MAX_IMAGE_SIDE} pixels a side and "
              f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels in all (make it smaller)")
    # Pillow warns of, or refuses, a picture far past its own limit as it reads the header;
    # both mean a picture far past ours. Turning the warning into an error keeps it from
    # being printed and the picture from being opened.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(stream, formats=list(IMAGE_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return problem(f"claims to be far too large: {limits}")
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return problem("is not a PNG, JPEG or WebP picture (or it is damaged)")
    with picture:
        kind = picture.format or ""
        if kind == "MPO":  # a JPEG with more than one picture in it, as cameras save them
            kind = "JPEG"
        if kind not in IMAGE_FORMATS:
            return problem("is not a PNG, JPEG or WebP picture")
        if suffix not in IMAGE_FORMATS[kind]:
            return problem(f"is a {_SHOWN_FORMAT.get(kind, kind)} picture, but its name ends "
                           f"in {suffix}; name it with {IMAGE_FORMATS[kind][0]} at the end")
        width, height = picture.size
        if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
            return problem(f"is {width} × {height} pixels, too large: {limits}")
        if width < 1 or height < 1:
            return problem("has no pixels")
        try:
            # Within the limits, decoding costs at most a few tens of megabytes; it finds a
            # file that is cut short or damaged now rather than on the group's screen.
            picture.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return problem("is damaged or cut short and cannot be shown (save it again)")
    return []


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")
