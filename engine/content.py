"""Loading content: YAML files under ``content/`` validated into typed pydantic models.

Errors name the file, the line and the field, in words a group leader or a content writer
understands. A game's content folder becomes one nested mapping, file by file (``prompts.yaml``
becomes the key ``prompts``; a sub-folder becomes a nested mapping), validated against the
game's content model.

Every content file says which languages it has been translated into and how far each
translation has been checked::

    kind: circle-prompts
    translations: {fi: reviewed, sv: written, en: written, fi-x-selko: written}

and every text in the file must then have all those languages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, RootModel, ValidationError, field_validator

from .text import LocalizedText, valid_language_tag

__all__ = [
    "ContentError",
    "ContentFile",
    "Problem",
    "ReviewStatus",
    "content_root",
    "load_content_dir",
    "load_content_file",
    "texts_in",
    "unique_ids",
]

M = TypeVar("M", bound=BaseModel)

_Path = tuple[str | int, ...]


class ReviewStatus(StrEnum):
    written = "written"
    """Translated, not yet checked by a second person."""
    reviewed = "reviewed"
    """Checked by a second person who writes the language well."""


class ContentFile(BaseModel):
    """Fields every content file has. Game content models extend this."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    translations: dict[str, ReviewStatus]

    @field_validator("translations")
    @classmethod
    def _tags(cls, value: dict[str, ReviewStatus]) -> dict[str, ReviewStatus]:
        for tag in value:
            if not valid_language_tag(tag):
                raise ValueError(f"'{tag}' is not a language tag (for example fi, sv, fi-x-selko)")
        if not value:
            raise ValueError("list at least one language")
        return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {field}{self.message}"


@dataclass
class ContentError(Exception):
    """Content that cannot be used, with every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def content_root() -> Path:
    """The ``content/`` folder: ``$PIIRI_CONTENT_DIR`` or the one installed beside ``engine``."""
    override = os.environ.get("PIIRI_CONTENT_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "content"


def unique_ids(items: list[Any], what: str = "id") -> list[Any]:
    """A validator's check that every item's ``id`` is used once; returns the items.

    >>> unique_ids([])
    []
    """
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"the {what} '{item.id}' is used twice")
        seen.add(item.id)
    return items


# -- YAML with line numbers ---------------------------------------------------------------


class _Lines:
    def __init__(self) -> None:
        self.by_path: dict[_Path, int] = {}

    def line_for(self, path: _Path) -> int | None:
        while True:
            if path in self.by_path:
                return self.by_path[path]
            if not path:
                return None
            path = path[:-1]


def _build(node: yaml.Node, path: _Path, lines: _Lines, problems: list[str]) -> Any:
    lines.by_path[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node)) if not isinstance(
                key_node, yaml.ScalarNode) else _scalar(key_node)
            if key in out:
                problems.append(f"line {key_node.start_mark.line + 1}: '{key}' is given twice")
            lines.by_path[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*path, key), lines, problems)
            lines.by_path[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, problems) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    return yaml.safe_load(yaml.serialize(node)) if node.tag != "tag:yaml.org,2002:str" else (
        node.value)


def _read_yaml(path: Path, shown: str) -> tuple[Any, _Lines]:
    lines = _Lines()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, None, "", "the file is not UTF-8 text")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or "the file is not valid YAML"
        raise ContentError([Problem(shown, line, "", f"YAML: {what} (check indentation and "
                                                      "quotes)")]) from None
    if node is None:
        raise ContentError([Problem(shown, None, "", "the file is empty")])
    dupes: list[str] = []
    data = _build(node, (), lines, dupes)
    if dupes:
        problems = []
        for d in dupes:
            where, _, what = d.partition(": ")
            problems.append(Problem(shown, int(where.split()[1]), "", what))
        raise ContentError(problems)
    return data, lines


# -- friendly validation messages ---------------------------------------------------------

_MESSAGES = {
    "missing": "is missing",
    "extra_forbidden": "is not a field this file can have (check the spelling)",
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "list_type": "should be a list (lines starting with '-')",
    "dict_type": "should be a set of 'name: value' lines",
    "model_type": "should be a set of 'name: value' lines",
    "too_short": "has too few items",
    "too_long": "is too long",
    "string_too_long": "is too long",
    "string_too_short": "is empty",
    "greater_than_equal": "is too small",
    "string_pattern_mismatch": "may use only small letters a–z, digits and single hyphens "
                               "(for example 'my-card-1')",
    "less_than_equal": "is too large",
}


def _plain(error: Any) -> str:
    kind = error["type"]
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return str(error["msg"])


def _field_name(loc: _Path) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"item {part + 1}")
        elif part not in ("root",) and not part.startswith(("function-", "tagged-union")):
            parts.append(part)
    return " → ".join(parts)


def _problems(error: ValidationError, files: dict[_Path, tuple[str, _Lines]]) -> list[Problem]:
    out = []
    for item in error.errors():
        loc: _Path = tuple(p for p in item["loc"] if p != "root")
        shown, lines, inner = "", _Lines(), loc
        for prefix in sorted(files, key=len, reverse=True):
            if loc[: len(prefix)] == prefix:
                shown, lines = files[prefix]
                inner = loc[len(prefix):]
                break
        out.append(Problem(shown, lines.line_for(inner), _field_name(inner), _plain(item)))
    return out


def texts_in(value: Any, path: _Path = ()) -> Iterator[tuple[_Path, LocalizedText]]:
    """Every :class:`LocalizedText` inside a content model, with where it is."""
    if isinstance(value, LocalizedText):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts_in(getattr(value, name), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, (*path, key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from texts_in(item, (*path, i))


def _coverage(model: BaseModel, shown: str, lines: _Lines) -> list[Problem]:
    """Every text in a file must have each language the file says it is translated into."""
    if not isinstance(model, ContentFile):
        return []
    wanted = set(model.translations)
    problems = []
    for path, text in texts_in(model):
        missing = sorted(wanted - set(text.languages()))
        if missing:
            problems.append(Problem(shown, lines.line_for(path), _field_name(path),
                                    f"no {', '.join(missing)} text, although the file lists "
                                    f"{'it' if len(missing) == 1 else 'them'} under "
                                    "'translations'"))
    return problems


def load_content_file(path: Path, model: type[M], root: Path | None = None) -> M:
    """Load one YAML file into ``model``.

    Raises:
        ContentError: naming the file, line and field of every problem.
    """
    shown = _shown(path, root)
    data, lines = _read_yaml(path, shown)
    try:
        result = model.model_validate(data)
    except ValidationError as error:
        raise ContentError(_problems(error, {(): (shown, lines)})) from None
    problems = _coverage(result, shown, lines)
    if problems:
        raise ContentError(problems)
    return result


def _shown(path: Path, root: Path | None) -> str:
    base = (root or content_root()).parent
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def load_content_dir(folder: Path, model: type[M], root: Path | None = None) -> M:
    """Load a game's content folder into ``model``: each file is one key (its name without
    ``.yaml``); each sub-folder a nested mapping.

    Raises:
        ContentError: naming the file, line and field of every problem.
    """
    if not folder.is_dir():
        raise ContentError([Problem(_shown(folder, root), None, "",
                                    "the content folder does not exist")])
    data: dict[str, Any] = {}
    files: dict[_Path, tuple[str, _Lines]] = {}
    problems: list[Problem] = []
    for path in sorted(folder.rglob("*.y*ml")):
        rel = path.relative_to(folder).with_suffix("")
        key: _Path = tuple(rel.parts)
        shown = _shown(path, root)
        try:
            file_data, lines = _read_yaml(path, shown)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        target = data
        for part in key[:-1]:
            target = target.setdefault(str(part), {})
        target[str(key[-1])] = file_data
        files[key] = (shown, lines)
    if problems:
        raise ContentError(problems)
    try:
        result = model.model_validate(data)
    except ValidationError as error:
        raise ContentError(_problems(error, files)) from None
    for key, (shown, lines) in files.items():
        value: Any = result
        for part in key:
            if isinstance(value, RootModel):
                value = value.root
            value = value.get(part) if isinstance(value, dict) else getattr(value, str(part), None)
        if isinstance(value, BaseModel):
            problems.extend(_coverage(value, shown, lines))
    if problems:
        raise ContentError(problems)
    return result
