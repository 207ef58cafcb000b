"""Short room codes people can read aloud and type: no 0/O, no 1/I/L, no rude words."""

from __future__ import annotations

import secrets

__all__ = ["ALPHABET", "is_acceptable", "new_room_code", "normalise"]

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 5

# Substrings that must never appear (Finnish, Swedish, English); with no I, L, O or 0 in the
# alphabet many are impossible already, the rest are listed here.
_BLOCKED = ("PASK", "VTTU", "VTU", "KUS", "PERSE", "HUMP", "NEEK", "NEKR", "FUCK", "FUK",
            "SHT", "CUNT", "KUK", "FTTA", "HRA", "SEX", "ASS", "DCK", "NAZ", "KKK", "WTF",
            "PUTA", "MUNA", "PEDE", "GAY", "HAT", "ANUS", "TTS", "XXX", "SS", "HH", "88")


def normalise(code: str) -> str:
    """Upper-case a typed code and drop the spaces people put in it."""
    return "".join(code.split()).upper()


def is_acceptable(code: str) -> bool:
    return (len(code) == LENGTH and all(c in ALPHABET for c in code)
            and not any(bad in code for bad in _BLOCKED))


def new_room_code() -> str:
    """A fresh random code such as ``KX7PM``."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if is_acceptable(code):
            return code
