"""Loading content: YAML files under ``content/`` validated into typed pydantic models.

Errors name the file, the line and the field, in words a group leader or a content writer
understands. A game's content folder becomes one nested mapping, file by file (``prompts.yaml``
becomes the key ``prompts``; a sub-folder becomes a nested mapping), validated against the
game's content model.

Reading a file costs little whatever it holds: a file over :data:`MAX_FILE_BYTES`, nested
deeper than :data:`MAX_DEPTH` or repeating more than :data:`MAX_ALIAS_VALUES` values through
aliases is refused with one sentence before anything large is built.

Every content file says which languages it has been translated into and how far each
translation has been checked::

    kind: circle-prompts
    translations: {fi: reviewed, sv: written, en: written, fi-x-selko: written}

and every text in the file must then have all those languages.

A picture that ships with the content is an :class:`ImageRef` anywhere in a content model::

    image:
      file: pictures/stairwell.png
      alt: {fi: "Porraskäytävä, jossa on kuusi paikkaa kirjaimin A–F", ...}

``file`` is a path inside the game's content folder (``content/escape_room/``; for a single
file loaded on its own, the file's folder). The loader checks every picture it finds like every
other field: that it is inside the folder, exists, and is a PNG, JPEG or WebP file within the
limits of :mod:`engine.images`; and ``alt``, the picture told in words for whoever cannot see
it, is a text like any other, so it must have every language of the file.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    RootModel,
    ValidationError,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .text import LocalizedText, valid_language_tag

__all__ = [
    "ContentError",
    "ContentFile",
    "ImageRef",
    "Problem",
    "ReviewStatus",
    "Said",
    "content_root",
    "images_in",
    "load_content_dir",
    "load_content_file",
    "raise_problems",
    "read_beside",
    "said",
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


class ImageRef(BaseModel):
    """A picture that ships with the content: its file, inside the content folder, and the
    picture told in words (``alt``) in every language of the content.

    The loader fills in :attr:`src` (the picture's id under ``content/``, which a scene's
    :class:`~engine.scene.ImageElement` carries and the server serves), :attr:`path` and the
    picture's size once the file has been checked.

    >>> ImageRef(file="pictures/map.png", alt=LocalizedText({"en": "A map"})).src
    'pictures/map.png'
    """

    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1, max_length=200)
    alt: LocalizedText

    _src: str = PrivateAttr(default="")
    _path: Path | None = PrivateAttr(default=None)
    _size: tuple[int, int] | None = PrivateAttr(default=None)

    @field_validator("file")
    @classmethod
    def _inside(cls, value: str) -> str:
        parts = value.split("/")
        if value.startswith("/") or "\\" in value or ":" in value:
            raise ValueError("give the picture's place inside the content folder, with '/' "
                             "between folders (for example pictures/map.png), not a full path")
        if any(part in ("", ".", "..") for part in parts):
            raise ValueError("the picture must be inside the content folder: a path with '..' "
                             "(or an empty part) cannot be used")
        if any(part.startswith(".") or not _SAFE_NAME.match(part) for part in parts):
            raise ValueError("name the picture and its folders with letters a–z, digits, '-', "
                             "'_' and '.' only (for example pictures/map-1.png)")
        return value

    @property
    def src(self) -> str:
        """The picture's id under ``content/`` (``escape_room/pictures/map.png``)."""
        return self._src or self.file

    @property
    def path(self) -> Path | None:
        """The checked file, once the loader has found it."""
        return self._path

    @property
    def size(self) -> tuple[int, int] | None:
        """The picture's width and height in pixels, once the loader has checked it."""
        return self._size


_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


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


#: The key of the loader's validation context that names the folder being loaded.
_FOLDER = "piiri_content_folder"
_MAX_BESIDE = 8 * 1024 * 1024


def read_beside(info: Any, relative: str) -> bytes:
    """A data file that belongs to the content being validated, read by the loader.

    A content model's validator may need a file that is not YAML (a compiled story, say). It
    asks for it by a name relative to the folder the loader is reading (the game's content
    folder for :func:`load_content_dir`, the file's folder for :func:`load_content_file`);
    ``info`` is the validator's :class:`pydantic.ValidationInfo`. Games themselves read no
    files: the loader does it for them, only inside that folder, and only small regular
    files.

    Raises:
        OSError: if there is no such file, it lies outside the folder, is not a regular file,
            or is larger than 8 MB; or if the model is validated outside the loader.
    """
    context = getattr(info, "context", None)
    folder = context.get(_FOLDER) if isinstance(context, dict) else None
    if not isinstance(folder, Path):
        raise OSError("data files beside the content are read only by the content loader")
    base = folder.resolve()
    path = (base / relative).resolve()
    if base != path and base not in path.parents:
        raise OSError(f"{relative} lies outside the content folder")
    mode = path.lstat().st_mode
    if not stat.S_ISREG(mode):
        raise OSError(f"{relative} is not a regular file")
    if path.stat().st_size > _MAX_BESIDE:
        raise OSError(f"{relative} is larger than 8 MB")
    return path.read_bytes()


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


class Said(str):
    """A check's message (the English that ``piiri content check`` prints) with the check's
    stable code and values, so that a panel can tell it in the leader's own language
    (:func:`said`; :func:`raise_problems` puts them in the error's context)."""

    check: str
    values: dict[str, str | int]


def said(message: str, check: str, **values: str | int) -> str:
    """``message``, carrying the check's code ``check`` and ``values``.

    >>> m = said("lock 2 is never reached", "lock_unreachable", lock=2)
    >>> m, m.check, m.values  # doctest: +ELLIPSIS
    ('lock 2 is never reached', 'lock_unreachable', {'lock': 2})
    """
    coded = Said(message)
    coded.check, coded.values = check, values
    return coded


def raise_problems(problems: Iterable[tuple[_Path, str]], title: str = "content") -> None:
    """Raise problems found by a content model's validator, each at the field it is about, so
    that the loader names that field's file, line and name. Does nothing if there are none.

    A message made by :func:`said` carries its check's code and values in the error's
    context (``check``, and each value), for a panel to tell in the user's language.

    A location is a path below the model being validated: from a validator of a game's whole
    content folder, ``("programme", "meetings", 0, "decks", 1)`` is the second deck of the first
    meeting in ``programme.yaml``. A validator that raises ``ValueError`` instead is reported at
    the model itself, which for a folder is no file at all.

    >>> raise_problems([])
    """
    found = list(problems)
    if found:
        raise ValidationError.from_exception_data(title, [
            InitErrorDetails(type=PydanticCustomError(
                "content", message,
                {**message.values, "check": message.check} if isinstance(message, Said)
                else None), loc=loc, input=None)
            for loc, message in found])


# -- YAML with line numbers, read safely ---------------------------------------------------
#
# A content file comes from a writer, or from whoever can put a file in the folder, so reading
# it must stay cheap whatever it holds. The file is read as a stream of YAML events, never
# composed or constructed by PyYAML: the values are built here, without recursion, checking
# the limits as each event arrives, so a hostile file is refused after a few events and before
# anything large is built.

#: The largest content file Piiri reads, in bytes (the shipped files are under 40 kB).
MAX_FILE_BYTES = 2 * 1024 * 1024

#: How deep lists and sets of ``name: value`` lines may sit inside one another in a file,
#: counting what aliases bring in (the shipped files need 9).
MAX_DEPTH = 50

#: How many values aliases (``*name``) may repeat in one file, counting every value inside the
#: part an alias repeats. A "billion laughs" file needs a billion; the shipped files use none.
MAX_ALIAS_VALUES = 10_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER: Any = yaml.resolver.Resolver()

#: The scalar types a content file may hold, and how to say each in a message.
_SCALAR_KINDS = {
    "tag:yaml.org,2002:null": "empty",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:timestamp": "a date",
}


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


class _Refused(Exception):
    """A file that is not read any further: one line (or none) and one plain sentence."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class _Built:
    """A value built from the events, with what the limits need to know about it."""

    value: Any
    size: int = 1
    """How many values it holds, itself included, with aliases expanded."""
    height: int = 0
    """How many levels of lists and mappings it is (a scalar is 0)."""


_NO_KEY = object()


@dataclass
class _Open:
    """A list or mapping whose end has not been read yet."""

    value: dict[Any, Any] | list[Any]
    path: _Path
    anchor: str | None
    size: int = 1
    height: int = 1
    key: Any = _NO_KEY
    """A mapping's key waiting for its value."""


class _Builder:
    """Builds a file's value from YAML events, recording the line of every path and refusing
    what is too deep, too repetitive or refers to itself."""

    def __init__(self) -> None:
        self.lines = _Lines()
        self.stack: list[_Open] = []
        self.anchors: dict[str, _Built | None] = {}  # None: the anchored part is still open
        self.repeated = 0
        self.root: _Built | None = None
        self.documents = 0
        self.twice: list[tuple[int, str]] = []

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.ScalarEvent):  # the most common, so first
            self._put(_Built(_scalar(event, line)), line, event.anchor)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Refused(line, "the file holds more than one document (a '---' line in "
                                     "the middle); keep one per file")
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event.anchor or "", line)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self._open(event, line)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            done = self.stack.pop()
            built = _Built(done.value, done.size, done.height)
            if done.anchor is not None:
                self.anchors[done.anchor] = built
            self._add(built, line, opened=True)

    def _open(self, event: yaml.CollectionStartEvent, line: int) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(line, _TOO_DEEP)
        if event.tag not in _COLLECTION_TAGS:
            raise _Refused(line, _tag_refused(event.tag))
        value: dict[Any, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else [])
        path = self._child_path(line, key_allowed=False)
        if not self.stack or isinstance(self.stack[-1].value, list):
            self.lines.by_path[path] = line
        if event.anchor is not None:
            self.anchors[event.anchor] = None
        self.stack.append(_Open(value, path, event.anchor))

    def _alias(self, name: str, line: int) -> None:
        if name not in self.anchors:
            raise _Refused(line, f"the alias '*{name}' names no anchor '&{name}' before it")
        built = self.anchors[name]
        if built is None:
            raise _Refused(line, f"the alias '*{name}' is inside the part it repeats "
                                 f"('&{name}'), so it would repeat without end")
        self.repeated += built.size
        if self.repeated > MAX_ALIAS_VALUES:
            raise _Refused(line, f"aliases ('*name') repeat more than {MAX_ALIAS_VALUES:,} "
                                 "values in this file; write the parts out instead")
        if len(self.stack) + built.height > MAX_DEPTH:
            raise _Refused(line, _TOO_DEEP)
        self._add(built, line, opened=False)

    def _put(self, built: _Built, line: int, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = built
        self._add(built, line, opened=False)

    def _child_path(self, line: int, key_allowed: bool) -> _Path:
        """The path of the next value inside the innermost open list or mapping."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        if parent.key is _NO_KEY:
            if not key_allowed:
                raise _Refused(line, "a name before ':' must be a single word or text, not a "
                                     "list or a set of lines")
            return parent.path
        return (*parent.path, parent.key)

    def _add(self, built: _Built, line: int, opened: bool) -> None:
        """Put a finished value into the open list or mapping (or make it the file's value)."""
        path = self._child_path(line, key_allowed=built.height == 0)
        if not self.stack:
            self.root = built
            self.lines.by_path.setdefault((), line)
            return
        parent = self.stack[-1]
        parent.size += built.size
        parent.height = max(parent.height, built.height + 1)
        if isinstance(parent.value, list):
            if not opened:
                self.lines.by_path[path] = line
            parent.value.append(built.value)
        elif parent.key is _NO_KEY:
            key = built.value
            try:
                hash(key)
            except TypeError:
                raise _Refused(line, "a name before ':' must be a single word or "
                                     "text") from None
            if key in parent.value:
                self.twice.append((line, f"'{key}' is given twice"))
            parent.key = key
            self.lines.by_path[(*parent.path, key)] = line
        else:
            parent.value[parent.key] = built.value
            parent.key = _NO_KEY


_TOO_DEEP = (f"lists and sets of lines sit more than {MAX_DEPTH} levels deep inside one "
             "another here; content needs only a few levels (check the indentation and the "
             "brackets)")


_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def _tag_refused(tag: str | None) -> str:
    shown = str(tag).replace("tag:yaml.org,2002:", "!!")
    return f"the tag '{shown}' is not one a content file can use; remove it"


def _scalar(event: yaml.ScalarEvent, line: int) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    if tag not in _SCALAR_KINDS:
        raise _Refused(line, _tag_refused(event.tag))
    node = yaml.ScalarNode(tag, event.value, None, None, event.style)
    construct = yaml.constructor.SafeConstructor.yaml_constructors[tag]
    try:
        return construct(yaml.constructor.SafeConstructor(), node)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        shown = event.value if len(event.value) <= 40 else event.value[:37] + "..."
        raise _Refused(line, f"'{shown}' cannot be read as {_SCALAR_KINDS[tag]}; put it in "
                             "quotes if it is meant as text") from None


def _read_text(path: Path, shown: str) -> str:
    """The file's text, read only if it is an ordinary file of at most ``MAX_FILE_BYTES``."""

    def refuse(message: str) -> ContentError:
        return ContentError([Problem(shown, None, "", message)])

    too_big = (f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most a "
               "content file may be; split it into smaller files")
    try:
        facts = path.stat()
        # Looked at before opening: opening a named pipe would wait for a writer.
        if not stat.S_ISREG(facts.st_mode):
            raise refuse("this is not an ordinary file")
        if facts.st_size > MAX_FILE_BYTES:
            raise refuse(too_big)
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # the file may have grown since
    except OSError as error:
        raise refuse(f"the file cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise refuse(too_big)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse("the file is not UTF-8 text") from None


def _read_yaml(path: Path, shown: str) -> tuple[Any, _Lines]:
    text = _read_text(path, shown)
    builder = _Builder()
    loader: Any = None
    try:
        loader = _Loader(text)
        while loader.check_event():
            builder.feed(loader.get_event())
    except _Refused as refused:
        raise ContentError([Problem(shown, refused.line, "", refused.message)]) from None
    except yaml.YAMLError as error:
        raise ContentError([_yaml_problem(error, text, shown)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.root is None:
        raise ContentError([Problem(shown, None, "", "the file is empty")])
    if builder.twice:
        raise ContentError([Problem(shown, line, "", what) for line, what in builder.twice])
    return builder.root.value, builder.lines


def _yaml_problem(error: yaml.YAMLError, text: str, shown: str) -> Problem:
    """A YAML syntax error as one plain sentence at its line."""
    if isinstance(error, yaml.reader.ReaderError):
        found = text.find(chr(error.character)) if isinstance(error.character, int) else -1
        line = text.count("\n", 0, found) + 1 if found >= 0 else None
        return Problem(shown, line, "", f"the file holds a control character (code "
                                        f"{error.character}) that YAML does not allow; "
                                        "remove it")
    mark = error.problem_mark if isinstance(error, yaml.MarkedYAMLError) else None
    line = mark.line + 1 if mark is not None else None
    what = getattr(error, "problem", None) or "the file is not valid YAML"
    if "nesting depth" in what:  # libyaml's own limit, deeper than ours
        return Problem(shown, line, "", _TOO_DEEP)
    return Problem(shown, line, "", f"YAML: {what} (check indentation and quotes)")


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


def _problems(error: ValidationError, files: dict[_Path, tuple[str, _Lines]],
              folder: str = "") -> list[Problem]:
    """Each validation error at the file and line of its field; one that is in no file (a
    file that is missing, say) is named at the folder."""
    out = []
    for item in error.errors():
        loc: _Path = tuple(p for p in item["loc"] if p != "root")
        shown, lines, inner = folder, _Lines(), loc
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


def images_in(value: Any, path: _Path = ()) -> Iterator[tuple[_Path, ImageRef]]:
    """Every :class:`ImageRef` inside a content model, with where it is."""
    if isinstance(value, ImageRef):
        yield path, value
    elif isinstance(value, LocalizedText):
        return
    elif isinstance(value, RootModel):
        yield from images_in(value.root, path)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from images_in(getattr(value, name), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from images_in(item, (*path, key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from images_in(item, (*path, i))


def _check_images(model: Any, folder: Path, src_base: str, shown: str,
                  lines: _Lines) -> list[Problem]:
    """Check each picture a loaded file refers to, resolved inside ``folder``, and fill in
    what the screen needs to know of it; a problem names the file, line and field."""
    from .images import check_image  # engine.images reads Problem from here

    problems: list[Problem] = []
    inside = folder.resolve()
    for path, ref in images_in(model):
        where = (shown, lines.line_for((*path, "file")), _field_name((*path, "file")))
        target = folder / ref.file
        try:
            resolved = target.resolve()
            resolved.relative_to(inside)
        except (OSError, RuntimeError, ValueError):
            problems.append(Problem(*where, f"the picture '{ref.file}' is outside the "
                                            "content folder (a link that leads out of it?); "
                                            "put the file itself in the folder"))
            continue
        found = check_image(target, where=where[0], line=where[1], field=where[2])
        if found:
            problems.extend(found)
            continue
        ref._path = resolved
        ref._src = f"{src_base}/{ref.file}" if src_base else ref.file
        ref._size = _picture_size(resolved)
    return problems


def _picture_size(path: Path) -> tuple[int, int] | None:
    from PIL import Image

    try:
        with Image.open(path) as picture:
            width, height = picture.size
            return int(width), int(height)
    except (OSError, ValueError):
        return None


def _src_base(folder: Path, root: Path | None) -> str:
    """A folder's place under ``content/``, as pictures' ids begin (``escape_room``)."""
    try:
        rel = folder.resolve().relative_to((root or content_root()).resolve())
    except (OSError, ValueError):
        return folder.name
    return rel.as_posix() if rel.parts else ""


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
        result = model.model_validate(data, context={_FOLDER: path.parent})
    except ValidationError as error:
        raise ContentError(_problems(error, {(): (shown, lines)})) from None
    problems = _coverage(result, shown, lines)
    problems += _check_images(result, path.parent, _src_base(path.parent, root), shown, lines)
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
        result = model.model_validate(data, context={_FOLDER: folder})
    except ValidationError as error:
        raise ContentError(_problems(error, files, _shown(folder, root))) from None
    for key, (shown, lines) in files.items():
        value: Any = result
        for part in key:
            if isinstance(value, RootModel):
                value = value.root
            value = value.get(part) if isinstance(value, dict) else getattr(value, str(part), None)
        if isinstance(value, BaseModel):
            problems.extend(_coverage(value, shown, lines))
        problems.extend(_check_images(value, folder, _src_base(folder, root), shown, lines))
    if problems:
        raise ContentError(problems)
    return result
