"""Minimal data: free text must never hold a Finnish personal identity code (henkilötunnus).

Members are pseudonyms. Anything shaped like an identity code — six digits of a birth date, a
century sign, three digits and a check character — is refused wherever a leader types free
text, whether or not its check character is right.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext
from wtforms.validators import ValidationError

__all__ = ["looks_like_identity_code", "no_identity_code", "valid_identity_code"]

# DDMMYY, a century sign (+ 1800s, - and Y X W V U 1900s, A B C D E F 2000s), NNN, a check.
_SHAPE = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})\s?([-+ABCDEFYXWVU])\s?(\d{3})"
                    r"([0-9A-Ya-y])(?![0-9A-Za-z])", re.IGNORECASE)
_CHECKS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


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
    """Whether ``code`` is a well-formed identity code with a correct check character."""
    match = _SHAPE.fullmatch(code.strip())
    if match is None:
        return False
    number = int(match.group(1) + match.group(2) + match.group(3) + match.group(5))
    return _CHECKS[number % 31] == match.group(6).upper()


def no_identity_code(form: Any, field: Any) -> None:
    """A form validator: refuse free text that holds an identity code, in the panel's words."""
    if field.data and looks_like_identity_code(str(field.data)):
        raise ValidationError(gettext(
            "Do not write a personal identity code here: Piiri uses nicknames only. Remove "
            "the code and save again."))
