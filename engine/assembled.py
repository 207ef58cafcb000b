"""Models put together from values that need no validation.

The engine copies a table's parts on every move and builds its views and events from values it
made itself or validated already; pydantic's validation of those again was a large part of a
move's cost (bench/README.md, ``engine_apply.py``). :func:`assembled` makes the same model
without it. Only for such values: anything from a game's code, a tablet or a file goes through
the model's own validation.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["assembled"]

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__


def assembled(cls: type[M], fields: dict[str, Any], fields_set: set[str] | None = None) -> M:
    """A ``cls`` holding ``fields`` (the dict itself, every field given) as they are, with
    ``fields_set`` as the fields set explicitly (by default all of them): what
    ``cls(**fields)`` would make of valid values, without validating them. No extra fields,
    no private attributes (the engine's models have neither)."""
    model = cls.__new__(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", set(fields) if fields_set is None else fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
