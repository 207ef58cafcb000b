"""Minimal data in the panel: the engine's identity-code check (:mod:`engine.privacy`) as a
form validator, in the panel's words.

Members are pseudonyms. Anything shaped like an identity code is refused wherever a leader
types free text, whether or not its check character is right; tablets' text is checked by the
hub with the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session
from wtforms.validators import ValidationError

from engine.privacy import looks_like_identity_code, valid_identity_code

__all__ = ["erase_member_data", "looks_like_identity_code", "member_erasers",
           "no_identity_code", "valid_identity_code"]

#: What else holds a member's data, by name: each eraser deletes it for one member id and
#: returns how many items it removed (e.g. the private values of moves their seats made).
#: An area adds its own; :func:`erase_member_data` runs them all.
member_erasers: dict[str, Callable[[Session, int], int]] = {}


def _private_values(session: Session, member_id: int) -> int:
    from facilitator.live import erase_member_private

    return erase_member_private(session, member_id)


member_erasers["private_values"] = _private_values


def erase_member_data(session: Session, member_id: int) -> dict[str, int]:
    """Run every registered eraser for a member; counts by eraser (for the audit entry, which
    names counts only). The caller commits."""
    return {name: eraser(session, member_id) for name, eraser in sorted(member_erasers.items())}


def no_identity_code(form: Any, field: Any) -> None:
    """A form validator: refuse free text that holds an identity code, in the panel's words."""
    if field.data and looks_like_identity_code(str(field.data)):
        raise ValidationError(gettext(
            "Do not write a personal identity code here: Piiri uses nicknames only. Remove "
            "the code and save again."))
