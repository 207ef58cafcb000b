"""The join card's QR code, drawn module by module with pygame rectangles.

The ``qrcode`` library computes the matrix; drawing it ourselves keeps the screen free of an
image library at run time and lets the code be exactly as large as the card allows, with every
module a whole number of pixels (a blurred, scaled QR code scans badly from across a room).
"""

from __future__ import annotations

from functools import lru_cache

import pygame
import qrcode
import qrcode.constants

__all__ = ["QUIET_ZONE", "qr_matrix", "qr_surface"]

#: Light modules kept round the code, as the standard asks, so phones find its edges.
QUIET_ZONE = 4


@lru_cache(maxsize=8)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of a QR code for ``data``, without a border.

    Error correction level M: a projected code survives some glare and keystone.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


@lru_cache(maxsize=8)
def qr_surface(data: str, max_size: int) -> pygame.Surface:
    """The QR code for ``data`` in black on white, quiet zone included, no larger than
    ``max_size`` px square, with whole-pixel modules."""
    matrix = qr_matrix(data)
    count = len(matrix) + 2 * QUIET_ZONE
    module = max(1, max_size // count)
    side = module * count
    surface = pygame.Surface((side, side))
    surface.fill((255, 255, 255))
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            # One rectangle per run of dark modules: fewer draw calls, no seams.
            surface.fill((0, 0, 0), pygame.Rect((start + QUIET_ZONE) * module,
                                                (y + QUIET_ZONE) * module,
                                                (x - start) * module, module))
    return surface
