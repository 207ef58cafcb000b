"""What a workshop makes: one content file of another activity, found from that activity's own
content models (nothing here knows Elämän värit or the circle by name).

An activity can be made in a workshop when its content model has a field holding content files
(one file, or a mapping of files by id) whose file model has a list of items that each carry a
``text`` (:class:`~engine.LocalizedText`). A proposal becomes one such item: its ``text`` in the
workshop's language, its ``kind`` (when the item model has a ``Literal`` kind) as the writer
chose on their tablet, everything else at the model's defaults.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from engine import ContentFile, LocalizedText
from engine.registry import find_game

__all__ = ["Target", "TargetError", "target"]


class TargetError(LookupError):
    """The activity has no content a workshop can make."""


@dataclass(frozen=True)
class Target:
    """Where the made file goes in the activity's content, and what its items look like."""

    game: str
    field: str
    """The content field that holds the files (``decks``, ``prompts``)."""
    many: bool
    """A mapping of files by id (the made file is added) or one file (it is replaced)."""
    file_model: type[ContentFile]
    items: str
    """The file's list of items (``cards``, ``prompts``)."""
    item_model: type[BaseModel]
    kinds: tuple[str, ...]
    """The values of the item's ``kind`` (empty when items have none)."""


def _model(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) \
        else None


def _item_list(file_model: type[BaseModel]) -> tuple[str, type[BaseModel]] | None:
    for name, info in file_model.model_fields.items():
        if get_origin(info.annotation) is list:
            item = _model(get_args(info.annotation)[0])
            text = item.model_fields.get("text") if item is not None else None
            if item is not None and text is not None and text.annotation is LocalizedText:
                return name, item
    return None


def _kinds(item_model: type[BaseModel]) -> tuple[str, ...]:
    info = item_model.model_fields.get("kind")
    if info is None:
        return ()
    annotation = info.annotation
    if get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is Literal:
        return tuple(str(value) for value in get_args(annotation))
    return ()


@cache
def target(game_id: str) -> Target:
    """What a workshop for ``game_id`` makes.

    >>> target("circle").items
    'prompts'

    Raises:
        TargetError: the activity's content has no files of items with texts.
    """
    content_type = find_game(game_id).content_type
    if content_type is None:
        raise TargetError(f"the activity '{game_id}' has no content to make")
    for name, info in content_type.model_fields.items():
        annotation = info.annotation
        many = get_origin(annotation) is dict
        file_model = _model(get_args(annotation)[1] if many else annotation)
        if file_model is None or not issubclass(file_model, ContentFile):
            continue
        found = _item_list(file_model)
        required = {n for n, i in found[1].model_fields.items() if i.is_required()} \
            if found is not None else set()
        if found is not None and required <= {"id", "kind", "text"}:
            return Target(game_id, name, many, file_model, found[0], found[1],
                          _kinds(found[1]))
    raise TargetError(f"the activity '{game_id}' has no content a workshop can make")
