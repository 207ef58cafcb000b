"""Private values in moves: what a person told only their own tablet never enters the log.

A move's payload model marks a top-level field ``Private[T]``. The value a tablet sends there
(validated as ``T``) is taken out of the action by the engine before anything else sees it:
the logged action carries only a reference, ``{"$private": "s2.14.entry"}``, the game state
keeps only that reference (a :class:`Sealed`), and the value itself travels beside the event
(``Event.private``, never serialised) for the server to keep sealed in a store of its own.
The table holds the values it knows in :attr:`engine.table.Table.private`, outside its state,
so snapshots and fingerprints never contain them either.

Views read a value with ``view.opened(sealed)``: the value as JSON data, or :data:`ERASED`
when it is gone (erased on request, removed by retention, or never kept). A game must draw an
erased value as such and must not let its facts or refusals depend on a private value:
replaying a log after an erasure has to give the same facts.

Example::

    class AddPayload(BaseModel):
        stage: str
        entry: Private[Entry]

    def add(ctx, state, payload):
        state.entries.append(payload.entry)       # a Sealed: only the reference
        return state

    def controls(view, seat):
        entry = view.opened(state.entries[0])     # the value, or ERASED
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

__all__ = [
    "ERASED",
    "PRIVATE_KEY",
    "Erased",
    "Private",
    "PrivateValueError",
    "Sealed",
    "private_fields",
    "split_private",
]

#: The key of a reference in a logged payload: ``{"$private": "s2.14.entry"}``.
PRIVATE_KEY: Final = "$private"
_REF = re.compile(r"^(s\d+|leader)\.(\d+)\.([A-Za-z_][A-Za-z0-9_]*)$")


class Sealed(BaseModel):
    """A reference to a private value: what the log and the game state hold in its place."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    ref: str = Field(alias=PRIVATE_KEY, pattern=_REF.pattern)


class Erased:
    """The value of a reference whose value is gone (see :data:`ERASED`)."""

    _instance: Erased | None = None

    def __new__(cls) -> Erased:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ERASED"

    def __bool__(self) -> bool:
        return False


#: What ``view.opened`` gives for a value that was erased or never kept.
ERASED: Final = Erased()


class _PrivateOf:
    """The marker ``Private[T]`` leaves on a field: the type its value is checked as."""

    __slots__ = ("type",)

    def __init__(self, value_type: Any) -> None:
        self.type = value_type


class Private:
    """``Private[T]``: a payload field whose value is private (see the module docstring)."""

    def __class_getitem__(cls, value_type: Any) -> Any:
        return Annotated[Sealed, _PrivateOf(value_type)]


class PrivateValueError(ValueError):
    """A private value did not fit its field. The message names the field and what was
    wrong, never the value."""


def private_fields(model: type[BaseModel]) -> dict[str, Any]:
    """The private fields of a payload model, by name, with the type each value must have.

    >>> class P(BaseModel):
    ...     stage: str
    ...     note: Private[str]
    >>> list(private_fields(P))
    ['note']
    """
    cached: dict[str, Any] | None = model.__dict__.get("__piiri_private__")
    if cached is not None:
        return cached
    found: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, _PrivateOf):
                found[name] = meta.type
        annotation = info.annotation
        if get_origin(annotation) is Annotated:  # pragma: no cover - pydantic unwraps it
            for meta in get_args(annotation)[1:]:
                if isinstance(meta, _PrivateOf):
                    found[name] = meta.type
    model.__piiri_private__ = found  # type: ignore[attr-defined]
    return found


def _describe(error: ValidationError, field: str) -> str:
    # Never the input: pydantic's own text repeats what was typed.
    parts = []
    for item in error.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in (field, *item.get("loc", ())))
        parts.append(f"{where}: {item.get('type', 'invalid')}")
    return "; ".join(parts) or f"{field}: invalid"


_ADAPTERS: dict[int, TypeAdapter[Any]] = {}


def _adapter(value_type: Any) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(id(value_type))
    if adapter is None:
        adapter = TypeAdapter(value_type)
        _ADAPTERS[id(value_type)] = adapter
    return adapter


def split_private(model: type[BaseModel], payload: dict[str, Any], *, seat: str | None,
                  seq: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Take the private values out of a move's payload.

    Args:
        model: the move's payload model.
        payload: the payload as sent (a value) or as logged (a reference).
        seat: the seat making the move (``None``: the leader).
        seq: the number the move's event will have; references are made from it.

    Returns:
        The payload with references in place of values, and the values by reference (as
        JSON data). A reference already in the payload (a logged action being replayed) is
        kept, but only one the same seat made (replay gives it its own event number): a
        tablet cannot point at another
        seat's value.

    Raises:
        PrivateValueError: a value does not fit its field, or a reference is not this seat's.
    """
    fields = private_fields(model)
    if not fields:
        return payload, {}  # the same object: most moves have no private field
    owner = seat or "leader"
    out = dict(payload)
    values: dict[str, Any] = {}
    for name, value_type in fields.items():
        if name not in payload:
            continue
        value = payload[name]
        if isinstance(value, dict) and PRIVATE_KEY in value:
            match = _REF.match(str(value.get(PRIVATE_KEY)))
            if (len(value) != 1 or match is None or match.group(1) != owner
                    or int(match.group(2)) > seq):
                raise PrivateValueError(f"{name}: not a reference this seat made")
            continue
        try:
            checked = _adapter(value_type).validate_python(value)
        except ValidationError as error:
            raise PrivateValueError(_describe(error, name)) from None
        ref = f"{owner}.{seq}.{name}"
        values[ref] = _adapter(value_type).dump_python(checked, mode="json")
        out[name] = {PRIVATE_KEY: ref}
    return out, values
