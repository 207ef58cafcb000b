"""Minimal data in the panel: the engine's identity-code check (:mod:`engine.privacy`) as a
form validator, in the panel's words.

Members are pseudonyms. Anything shaped like an identity code is refused wherever a leader
types free text, whether or not its check character is right; tablets' text is checked by the
hub with the same rule.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from wtforms.validators import ValidationError

from engine.privacy import looks_like_identity_code, valid_identity_code

__all__ = ["looks_like_identity_code", "no_identity_code", "valid_identity_code"]


def no_identity_code(form: Any, field: Any) -> None:
    """A form validator: refuse free text that holds an identity code, in the panel's words."""
    if field.data and looks_like_identity_code(str(field.data)):
        raise ValidationError(gettext(
            "Do not write a personal identity code here: Piiri uses nicknames only. Remove "
            "the code and save again."))
