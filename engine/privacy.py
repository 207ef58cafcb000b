"""Minimal data: free text must never hold a Finnish personal identity code (henkilötunnus).

Members are pseudonyms. Anything shaped like an identity code — six digits of a birth date, a
century sign, three digits and a check character — is refused wherever someone types free
text (the leader's panel, a tablet's answer, a nickname), whether or not its check character
is right. The check is pure, so the engine, the hub and every game share this one rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .text import LocalizedText, in_four

__all__ = [
    "IDENTITY_CODE_REFUSAL",
    "first_identity_code_text",
    "looks_like_identity_code",
    "valid_identity_code",
]

# DDMMYY, a century sign (+ 1800s, - and Y X W V U 1900s, A B C D E F 2000s), NNN, a check.
_SHAPE = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})\s?([-+ABCDEFYXWVU])\s?(\d{3})"
                    r"([0-9A-Ya-y])(?![0-9A-Za-z])", re.IGNORECASE)
_CHECKS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

#: What a tablet shows when its text was refused for holding an identity code.
IDENTITY_CODE_REFUSAL: LocalizedText = in_four(
    "Älä kirjoita henkilötunnusta. Piirissä käytetään vain lempinimiä. Poista tunnus ja "
    "lähetä uudelleen.",
    "Skriv inte någon personbeteckning. Piiri använder bara smeknamn. Ta bort beteckningen "
    "och skicka igen.",
    "Please do not write a personal identity code. Piiri uses nicknames only. Remove the "
    "code and send again.",
    "Älä kirjoita henkilötunnusta. Poista se. Lähetä sitten uudestaan.",
)


def looks_like_identity_code(text: str) -> bool:
    """Whether ``text`` contains something shaped like a Finnish identity code.

    >>> looks_like_identity_code("Aino, synt. 131052-308T")
    True
    >>> looks_like_identity_code("Meeting at 10:30, room 204")
    False
    """
    for match in _SHAPE.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
    return False


def valid_identity_code(code: str) -> bool:
    """Whether ``code`` is a well-formed identity code with a correct check character.

    >>> valid_identity_code("131052-308T")
    True
    """
    match = _SHAPE.fullmatch(code.strip())
    if match is None:
        return False
    number = int(match.group(1) + match.group(2) + match.group(3) + match.group(5))
    return _CHECKS[number % 31] == match.group(6).upper()


def _texts(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 16:  # a payload is small and shallow; deeper nesting is not text anyone typed
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield key
            yield from _texts(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item, depth + 1)


def first_identity_code_text(payload: Any) -> str | None:
    """The first text anywhere in ``payload`` (strings, dict keys, lists, nested) that holds
    something shaped like an identity code, or None. Used on every move a tablet sends, so no
    game's free-text answer can store one.

    >>> first_identity_code_text({"answer": "ok", "notes": ["synt. 131052-308T"]})
    'synt. 131052-308T'
    >>> first_identity_code_text({"value": 3, "card": "c12"}) is None
    True
    """
    return next((text for text in _texts(payload) if looks_like_identity_code(text)), None)
