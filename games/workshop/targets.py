"""What a workshop makes: one content file of another activity, found from that activity's own
content models (nothing here knows Elämän värit or the circle by name).

An activity can be made in a workshop when its content model has a field holding content files
(one file, or a mapping of files by id) whose file model has a list of items that each carry a
``text`` (:class:`~engine.LocalizedText`). A proposal becomes one such item: its ``text`` in the
workshop's language, its ``kind`` (when the item model has a ``Literal`` kind) as the writer
chose on their tablet, everything else at the model's defaults.

An activity whose items are locks can be made too: items with a ``kind`` (a ``Literal``), an
``answer``, a list of ``clues`` and a list of ``hints`` (each a :class:`~engine.LocalizedText`).
A lock is proposed part by part (its answer, one to three clues, a hint); the kinds offered are
those the item model accepts with an answer a tablet can write (a code of digits, or words),
found by asking the model itself.

An activity whose items are scenes of a branching story can be made too: items with a
``text``, a list of ``choices`` (each a ``label`` and the ``goto`` of the scene it leads to)
and an ``ending`` mark. A scene is proposed part by part (its text, then two or three
choices); the leader links the choices to scenes afterwards.
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

__all__ = ["Target", "TargetError", "lock_item", "target"]


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
    lock: bool = False
    """Items are locks (kind, answer, clues, hints), proposed part by part."""
    answers: tuple[tuple[str, tuple[str, ...], int], ...] = ()
    """For locks: each kind offered, how it may be answered (``code``, ``text``), and the
    least number of clues it takes."""
    story: bool = False
    """Items are scenes of a branching story (a text and two or three choices)."""

    def min_clues(self, kind: str) -> int:
        return next((least for k, _, least in self.answers if k == kind), 1)

    def answer_shape(self, kind: str, answer: str) -> str | None:
        """How a written answer to a lock of ``kind`` is kept: a code when it is digits and
        the kind takes a code, else words when the kind takes words (``None``: neither)."""
        shapes = next((s for k, s, _ in self.answers if k == kind), ())
        if "code" in shapes and answer.replace(" ", "").isdigit():
            return "code"
        return "text" if "text" in shapes else None


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


def _texts(item: type[BaseModel], name: str) -> bool:
    info = item.model_fields.get(name)
    return info is not None and get_origin(info.annotation) is list \
        and get_args(info.annotation)[0] is LocalizedText


def _lock_list(file_model: type[BaseModel]) -> tuple[str, type[BaseModel]] | None:
    for name, info in file_model.model_fields.items():
        if get_origin(info.annotation) is list:
            item = _model(get_args(info.annotation)[0])
            if item is not None and "answer" in item.model_fields and _kinds(item) \
                    and _texts(item, "clues") and _texts(item, "hints"):
                return name, item
    return None


def _scene_list(file_model: type[BaseModel]) -> tuple[str, type[BaseModel]] | None:
    """The file's list of scenes: items with a text, choices that each lead somewhere
    (``label`` and ``goto``) and an ``ending`` mark."""
    for name, info in file_model.model_fields.items():
        if get_origin(info.annotation) is not list:
            continue
        item = _model(get_args(info.annotation)[0])
        if item is None or "ending" not in item.model_fields:
            continue
        text = item.model_fields.get("text")
        choices = item.model_fields.get("choices")
        if text is None or text.annotation is not LocalizedText or choices is None \
                or get_origin(choices.annotation) is not list:
            continue
        choice = _model(get_args(choices.annotation)[0])
        if choice is not None and "goto" in choice.model_fields \
                and getattr(choice.model_fields.get("label"), "annotation", None) \
                is LocalizedText:
            return name, item
    return None


#: A trial answer of each shape a tablet can write: a code of digits, or words.
_TRIAL_ANSWERS = (("code", {"input": "code", "alphabet": "digits", "code": "12"}),
                  ("text", {"input": "text", "accepted": {"fi": ["sana"]}}))


def lock_item(kind: str, answer: str, shape: str, clues: list[str], hints: list[str],
              language: str, **texts: str) -> dict[str, Any]:
    """One lock as the item model holds it (``texts``: its other texts, such as the title)."""
    spec: dict[str, Any] = {"input": "code", "alphabet": "digits",
                            "code": answer.replace(" ", "")} \
        if shape == "code" else {"input": "text", "accepted": {language: [answer]}}
    return {"kind": kind, **{k: {language: v} for k, v in texts.items()},
            "clues": [{language: c} for c in clues], "hints": [{language: h} for h in hints],
            "answer": spec}


def _answerable(item: type[BaseModel]) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """The kinds the model accepts with a written answer: the answer's shapes, and the least
    number of clues the kind takes (one, or two)."""
    required = [n for n, i in item.model_fields.items() if i.is_required()
                and n not in ("id", "kind", "answer", "clues", "hints")]
    found = []
    for kind in _kinds(item):
        shapes: list[str] = []
        least = 0
        for shape, spec in _TRIAL_ANSWERS:
            trial = {"id": "trial", "kind": kind, "answer": spec,
                     "clues": [{"fi": "a"}, {"fi": "b"}], "hints": [{"fi": "a"}, {"fi": "b"}],
                     **{n: {"fi": "a"} for n in required}}
            try:
                item.model_validate(trial)
            except ValueError:
                continue
            shapes.append(shape)
            try:
                item.model_validate({**trial, "clues": [{"fi": "a"}]})
                least = least or 1
            except ValueError:
                least = 2
        if shapes:
            found.append((kind, tuple(shapes), least))
    return tuple(found)


@cache
def target(game_id: str) -> Target:
    """What a workshop for ``game_id`` makes.

    >>> target("circle").items
    'prompts'
    >>> target("story").items
    'scenes'

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
        scenes = _scene_list(file_model)
        if scenes is not None:
            return Target(game_id, name, many, file_model, scenes[0], scenes[1], (),
                          story=True)
        locks = _lock_list(file_model)
        if locks is not None:
            answers = _answerable(locks[1])
            if answers:
                return Target(game_id, name, many, file_model, locks[0], locks[1],
                              tuple(k for k, _, _ in answers), lock=True, answers=answers)
    raise TargetError(f"the activity '{game_id}' has no content a workshop can make")
