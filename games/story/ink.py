"""Stories written in Ink (inkle's language, written in Inky) play in the story activity.

An Ink story lives in its own folder, ``content/story/ink/<story id>/``: one compiled file per
language (``fi.json``, ``sv.json``, ``en.json``, ``fi-x-selko.json``: the ``.json`` that Inky's
*Export to JSON* or inklecate writes, byte-order mark and all), the Ink sources beside them, and
``story.yaml`` with what the leader sees before the story starts::

    kind: ink-story
    translations: {fi: written, en: written}
    id: short-walk
    title: {fi: Lyhyt kävely, en: A short walk}
    intro: {fi: Sami lähtee kävelylle., en: Sam goes out for a walk.}
    debrief: [{fi: Mikä tekee kävelystä hyvän?, en: What makes a walk good for you?}]

The story plays through the Ink runtime ``bink`` (the Python bindings of blade-ink, a complete
port of inkle's runtime), so everything Ink defines behaves as Ink defines it: once-only (``*``)
and sticky (``+``) choices, conditions on choices, fallback choices, variables, visit counts,
sequences and shuffles (with a fixed seed, so that every replay shuffles alike).

- The text up to a choice point is one scene (paged on the screen like any other). Its choices
  are the vote's options; the vote picks a choice by its place in the list the runtime offers.
  A scene with no choices where the story ends is an ending.
- A scene is named by the choices that led to it: ``start``, then ``start.1``, ``start.1.0`` (the
  second choice at the start, then the first one after it). The table's log keeps these names,
  so the runtime's state is rebuilt from the log by making the same choices again.
- Tags (on a knot's first line, on any line, in every language's file) carry what the Piiri
  format writes as fields. A tag is ``# name`` or ``# name: value``:

  ``# title: <words>``      the scene's title (the first one in the scene counts)
  ``# question: <words>``   what the vote asks (the last one before the choices counts)
  ``# picture: <file>``     a picture for the scene, a file in the story's own folder (as
                            Inky's ``# IMAGE:`` names one beside the ``.ink``); ``# alt:
                            <words>`` tells it in words. The loader checks every picture the
                            tags name, like any content picture.
  ``# sensitive``           the scene may hurt; the leader may skip it, and the story then
                            goes on along the first choice (``# skip: 2``: the second)
  ``# write-in``            participants may propose their own option; a write-in that wins
                            goes on along the first choice (``# write-in: 2``: the second),
                            after the leader has told how it fits
  ``# ending``              the story ends here for the group even if Ink would go on
  ``# debrief: <words>``    a question for the group at this ending (after it, the story's
                            own debrief questions from ``story.yaml``)

- Ink's variables (``VAR``) are the story's variables: the runtime keeps them, and a replay
  makes them again.

A scene is cut off with a plain error (:class:`InkStopped`; at a table the move that needed it
is refused and the table stays as it was) when the runtime runs on without giving a line or a
choice (a loop that writes nothing, a divert to nowhere), or past :data:`MAX_SCENE_LINES` lines
or :data:`MAX_SCENE_CHARS` characters without a choice.

``piiri content check`` checks each compiled file (it must be an Ink story the runtime opens and
plays to its first choice, made by an Ink version in :data:`INK_VERSIONS`, at most 8 MB) and
that the language versions have the same knots and stitches, the same variables, and the same
choices in each knot (how many, in which order, once-only or sticky, with a condition or not,
fallback or not) and the same flag tags; it names the first difference.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import Field, PrivateAttr, ValidationInfo, computed_field, model_validator

from engine import ContentFile, LocalizedText
from engine.content import ImageRef, raise_problems, read_beside

if TYPE_CHECKING:
    from bink.story import Story as Runtime  # type: ignore[import-untyped]

    from .content import Scene

__all__ = ["INK_VERSIONS", "MAX_SCENE_CHARS", "MAX_SCENE_LINES", "START", "InkStopped", "InkStory",
           "compare", "outline", "read_compiled"]

START = "start"
"""The name of the scene where every Ink story begins."""

SEED = 1
"""Ink's own random seed for shuffles and ``RANDOM()``, the same at every table and replay."""

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_AUTO_NAME = re.compile(r"^([cg]-\d+|s|b|\$r\d*|#f|#n|global decl)$")
_FLAGS = ("sensitive", "write-in", "ending", "picture", "skip")

# Bits of a compiled choice point's "flg" (ink's ChoicePoint.flags).
_CONDITION, _FALLBACK, _ONCE = 0x1, 0x8, 0x10

_SCENES_KEPT = 512
_STATES_KEPT = 2048

#: The compiled files Piiri's runtime plays (``inkVersion``): Inky 0.9 to 0.15 and inklecate 1.x.
INK_VERSIONS = range(18, 22)

#: The most lines one scene may have (text up to a choice). A story that goes on longer without
#: a choice is a loop with no way out, or a scene nobody could read from a screen.
MAX_SCENE_LINES = 300
#: The most characters of text one scene may have (in one language).
MAX_SCENE_CHARS = 20_000
#: How long the runtime may work on one scene: this many slices of ``_SLICE_MS`` milliseconds
#: (a loop that writes no text, or a divert to nowhere, never gives the runtime back a line).
#: The runtime keeps the time itself; a scene of an ordinary story needs well under a
#: millisecond, so the limit only ever stops a story that would never stop.
_SLICES = 100
_SLICE_MS = 20


def read_compiled(info: ValidationInfo, story_id: str, lang: str) -> bytes:
    """The compiled file of one language of the Ink story ``story_id``, as it is on disk.

    Read once by the content loader, while it reads the YAML beside it, from
    ``ink/<story id>/<lang>.json`` in the story content folder. Playing reads no files.

    Raises:
        OSError: if it cannot be read.
    """
    return read_beside(info, f"ink/{story_id}/{lang}.json")


class InkStory(ContentFile):
    """An Ink story: the leader's words for it from ``story.yaml``, its compiled files read
    from the same folder, and the scenes the runtime makes of them."""

    id: str = Field(pattern=_ID)
    title: LocalizedText
    intro: LocalizedText
    debrief: list[LocalizedText] = Field(min_length=1)
    """Questions for every ending, after the ending's own (``# debrief:`` tags)."""
    pictures: dict[str, ImageRef] = Field(default_factory=dict)
    """Every picture the ``# picture:`` tags name, by the tag's value: made by the loader from
    the compiled files (not written in ``story.yaml``), so that it checks each file and the
    server serves it. A scene's own words for its picture come from its ``# alt:`` tags."""

    _compiled: dict[str, str] = PrivateAttr(default_factory=dict)
    _player: _Player | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _read_compiled(self, info: ValidationInfo) -> InkStory:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        outlines: dict[str, Outline] = {}
        for lang in self.translations:
            where = ("translations", lang)
            try:
                raw = read_compiled(info, self.id, lang)
            except FileNotFoundError:
                problems.append((where, f"there is no compiled Ink file {lang}.json in "
                                        f"story/ink/{self.id}/: compile {lang}.ink in Inky "
                                        "(File → Export to JSON) and save it there"))
                continue
            except OSError as error:  # too large, not a regular file, outside the folder
                problems.append((where, f"{lang}.json in story/ink/{self.id}/ cannot be read "
                                        f"({_short(error)})"))
                continue
            problem = _unplayable(raw, lang)
            if problem is None:
                text = raw.decode("utf-8-sig")
                try:
                    outlines[lang] = outline(json.loads(text))
                    _read(_open(text))  # the runtime must play its start, not only open it
                except InkStopped as error:
                    problem = f"{lang}.json cannot be played from its start: {error}"
                except (ValueError, KeyError, TypeError, RuntimeError) as error:
                    problem = (f"{lang}.json is not a compiled Ink story that can be played "
                               f"({_short(error)}); export it again from Inky")
            if problem is not None:
                problems.append((where, problem))
                continue
            self._compiled[lang] = text
        if not problems:
            langs = list(outlines)
            for other in langs[1:]:
                difference = compare(langs[0], outlines[langs[0]], other, outlines[other])
                if difference:
                    problems.append((("translations", other), difference))
                    break
        if self.pictures:
            problems.append((("pictures",), "pictures come from the '# picture:' tags in the "
                                            "Ink files; remove 'pictures' from story.yaml"))
        elif not problems and outlines:
            problems += self._find_pictures(info, outlines[next(iter(outlines))])
        raise_problems(problems, "InkStory")
        return self

    def _find_pictures(self, info: ValidationInfo,
                       found: Outline) -> list[tuple[tuple[str | int, ...], str]]:
        """Each picture a ``# picture:`` tag names, as an :class:`ImageRef` inside the story's
        folder (the loader then checks it is a picture); a file that is not there is a
        problem that names the tag and its knot."""
        from .content import Picture  # (the story format's picture: an ImageRef)

        problems: list[tuple[tuple[str | int, ...], str]] = []
        for knot, flags in found.flags.items():
            for flag in flags:
                name, _, value = flag.partition(": ")
                if name != "picture" or not value or value in self.pictures:
                    continue
                where = f"the tag '# picture: {value}' in the knot '{knot or 'start'}'"
                try:
                    # The story's title stands as the words of the file itself: each scene
                    # tells its picture with its own '# alt:' tags.
                    ref = Picture(file=f"ink/{self.id}/{value}", alt=self.title)
                    read_beside(info, ref.file)
                except ValueError:
                    problems.append((("id",), f"{where} does not name a picture file in the "
                                              f"story's folder story/ink/{self.id}/ (write "
                                              "its name, for example door.png)"))
                    continue
                except OSError:
                    problems.append((("id",), f"{where}: there is no picture '{value}' in "
                                              f"story/ink/{self.id}/; put the file there or "
                                              "correct the tag"))
                    continue
                self.pictures[value] = ref
        return problems

    @computed_field  # type: ignore[prop-decorator]
    @property
    def compiled(self) -> dict[str, str]:
        """A short hash of each language's compiled file, so that a table's log records which
        version of the story it played (a changed file changes the content fingerprint)."""
        return {lang: hashlib.sha256(text.encode()).hexdigest()[:16]
                for lang, text in self._compiled.items()}

    # -- what the story activity asks of any story ------------------------------------------

    @property
    def start(self) -> str:
        return START

    @property
    def scenes(self) -> list[Scene]:
        """An Ink story has no list of scenes written down: they are made as the group plays
        (so the leader picks no scene by name; a write-in goes on along a choice)."""
        return []

    def scene(self, scene_id: str) -> Scene:
        """The scene named ``scene_id`` (``start``, ``start.1``, …).

        Raises:
            KeyError: for a name that is no scene of this story.
        """
        path = _path_of(scene_id)
        if self._player is None:
            self._player = _Player(self._compiled, list(self.translations), self.pictures)
        return self._player.scene(path)

    def variables(self, scene_id: str) -> dict[str, bool | int | float | str]:
        """Ink's global variables as they are when the group is at ``scene_id``."""
        path = _path_of(scene_id)
        if self._player is None:
            self._player = _Player(self._compiled, list(self.translations), self.pictures)
        return self._player.variables(path)


def _unplayable(raw: bytes, lang: str) -> str | None:
    """Why ``raw`` is not a compiled Ink file the runtime can play, in a writer's words, or
    ``None`` if it may be one (the runtime then has the last word)."""
    name = f"{lang}.json"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return (f"{name} is not UTF-8 text (byte {error.start + 1} is not); it is not the "
                "file Inky exports: export it again (File → Export to JSON)")
    try:
        data = json.loads(text)
    except RecursionError:
        return f"{name} has lists inside lists too deep for a story; export it again from Inky"
    except ValueError as error:
        line = getattr(error, "lineno", None)
        return (f"{name} is not JSON" + (f" (line {line}: {getattr(error, 'msg', error)})"
                                          if line else "")
                + "; it is not the file Inky exports: export it again (File → Export to JSON)")
    if not isinstance(data, dict) or "inkVersion" not in data or "root" not in data:
        return (f"{name} is JSON but not a compiled Ink story (it has no 'inkVersion' and "
                "'root'); export the story from Inky (File → Export to JSON)")
    version = data["inkVersion"]
    if not isinstance(version, int) or isinstance(version, bool) or \
            version not in INK_VERSIONS:
        return (f"{name} was made by an Ink version Piiri cannot play (inkVersion "
                f"{_short_value(version)}; Piiri plays {INK_VERSIONS.start} to "
                f"{INK_VERSIONS.stop - 1}): export it again from a current Inky")
    return None


def _short_value(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 20 else shown[:17] + "..."


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:160]


def _path_of(scene_id: str) -> tuple[int, ...]:
    head, *rest = scene_id.split(".")
    if head != START or not all(part.isdigit() and len(part) < 4 for part in rest):
        raise KeyError(scene_id)
    return tuple(int(part) for part in rest)


def _name(path: tuple[int, ...]) -> str:
    return ".".join((START, *map(str, path)))


# -- the compiled file's outline, for comparing languages -----------------------------------------


@dataclass
class Outline:
    """What must be the same in every language of one Ink story."""

    knots: list[str] = field(default_factory=list)
    """Knots, and stitches as ``knot.stitch``, in the order of the file."""
    choices: dict[str, list[int]] = field(default_factory=dict)
    """Each knot's choice points in order, as their flags (condition, fallback, once-only)."""
    flags: dict[str, list[str]] = field(default_factory=dict)
    """Each knot's flag tags in order (``sensitive``, ``write-in``, ``picture: x.png``, …)."""
    variables: list[str] = field(default_factory=list)


def outline(data: dict[str, Any]) -> Outline:
    """The outline of a compiled Ink story (the parsed ``.json``).

    >>> outline({"inkVersion": 21, "root": [["^Hi", "end"], "done", None]}).knots
    []
    """
    if not isinstance(data.get("inkVersion"), int) or not isinstance(data.get("root"), list):
        raise ValueError("it has no 'inkVersion' and 'root'")
    root: list[Any] = data["root"]
    found = Outline()
    named = root[-1] if root and isinstance(root[-1], dict) else {}
    top = root[:-1] if named else root
    found.choices[""], found.flags[""] = [], []
    for item in top:
        _walk(item, found.choices[""], found.flags[""])
    for name, container in named.items():
        if name == "global decl":
            found.variables = [n for n in _variables(container)]
            continue
        if name.startswith("#") or not isinstance(container, list):
            continue
        found.knots.append(name)
        found.choices[name], found.flags[name] = [], []
        _walk(container, found.choices[name], found.flags[name])
        inner = container[-1] if container and isinstance(container[-1], dict) else {}
        found.knots += [f"{name}.{sub}" for sub, value in inner.items()
                        if isinstance(value, list) and not _AUTO_NAME.match(sub)]
    return found


def _variables(container: Any) -> Iterator[str]:
    if isinstance(container, list):
        for item in container:
            yield from _variables(item)
    elif isinstance(container, dict):
        if isinstance(container.get("VAR="), str):
            yield container["VAR="]
        for key, value in container.items():
            if key != "VAR=" and isinstance(value, list | dict):
                yield from _variables(value)


def _walk(item: Any, choices: list[int], flags: list[str]) -> None:
    """Collect choice points and flag tags inside one container, in the file's order."""
    if isinstance(item, list):
        in_tag: list[str] | None = None
        for element in item:
            if element == "#":
                in_tag = []
            elif element == "/#":
                if in_tag is not None:
                    _flag("".join(in_tag), flags)
                in_tag = None
            elif in_tag is not None and isinstance(element, str) and element.startswith("^"):
                in_tag.append(element[1:])
            else:
                _walk(element, choices, flags)
    elif isinstance(item, dict):
        if "*" in item and isinstance(item.get("flg"), int):
            choices.append(item["flg"] & (_CONDITION | _FALLBACK | _ONCE))
        elif isinstance(item.get("#"), str):  # tags as older compilers write them
            _flag(item["#"], flags)
        for key, value in item.items():
            if isinstance(value, list) and not key.startswith("#"):
                _walk(value, choices, flags)


def _flag(tag: str, flags: list[str]) -> None:
    name, value = _split_tag(tag)
    if name in _FLAGS:
        flags.append(f"{name}: {value}" if value and name in ("picture", "skip", "write-in")
                     else name)


def _split_tag(tag: str) -> tuple[str, str]:
    name, _, value = tag.partition(":")
    return name.strip().lower(), value.strip()


def _choice_words(flg: int) -> str:
    kind = "a fallback choice" if flg & _FALLBACK else \
        "a once-only choice (*)" if flg & _ONCE else "a sticky choice (+)"
    return kind + (" with a condition" if flg & _CONDITION else "")


def compare(lang: str, first: Outline, other_lang: str, other: Outline) -> str | None:
    """The first difference between two language versions of one story, in plain words, or
    ``None`` when they have the same knots, variables, choices and flag tags.

    >>> compare("fi", Outline(knots=["door"]), "sv", Outline(knots=[]))
    "the knot 'door' is in fi.json but not in sv.json: every language needs the same knots"
    """
    for name in first.knots:
        if name not in other.knots:
            return (f"the knot '{name}' is in {lang}.json but not in {other_lang}.json: every "
                    "language needs the same knots")
    for name in other.knots:
        if name not in first.knots:
            return (f"the knot '{name}' is in {other_lang}.json but not in {lang}.json: every "
                    "language needs the same knots")
    for name in first.variables:
        if name not in other.variables:
            return f"the variable '{name}' is in {lang}.json but not in {other_lang}.json"
    for name in other.variables:
        if name not in first.variables:
            return f"the variable '{name}' is in {other_lang}.json but not in {lang}.json"
    for knot in ["", *first.knots]:
        where = f"in the knot '{knot}'" if knot else "before the first knot"
        mine, theirs = first.choices.get(knot, []), other.choices.get(knot, [])
        for n, (a, b) in enumerate(zip(mine, theirs, strict=False), start=1):
            if a != b:
                return (f"{where}, choice {n} is {_choice_words(a)} in {lang}.json but "
                        f"{_choice_words(b)} in {other_lang}.json")
        if len(mine) != len(theirs):
            return (f"{where}, {lang}.json has {len(mine)} choices but {other_lang}.json has "
                    f"{len(theirs)}: every language needs the same choices")
        if first.flags.get(knot, []) != other.flags.get(knot, []):
            return (f"{where}, the tags differ: {lang}.json has "
                    f"{_listed(first.flags.get(knot, []))} but {other_lang}.json has "
                    f"{_listed(other.flags.get(knot, []))}")
    return None


def _listed(flags: list[str]) -> str:
    return ", ".join(f"'# {f}'" for f in flags) if flags else "none"


# -- playing: the runtime, and the scenes it makes --------------------------------------------


def _open(text: str) -> Runtime:
    """A runtime for one compiled file, with Ink's seed fixed (so that replays shuffle alike)."""
    from bink.story import Story as Runtime

    runtime = Runtime(text)
    state = json.loads(runtime.save_state())
    state["storySeed"] = SEED
    runtime.load_state(json.dumps(state))
    return runtime


@dataclass
class _Passage:
    lines: list[str]
    tags: list[str]
    choices: list[str]
    ended: bool


class InkStopped(KeyError):
    """The runtime cannot make a scene of the story from here: the story loops without a
    choice, diverts to a knot that is not there, or the runtime itself reports an error.
    A :class:`KeyError`, like any scene that cannot be had, so that a move needing it is
    refused and the table stays as it was."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "the Ink story stopped"


_LOOPING = ("a loop that writes no text, or a divert to a knot or stitch that is not there; "
            "check the story in Inky")


def _read(runtime: Runtime, skip_tags: frozenset[str] = frozenset()) -> _Passage:
    """The text, tags and choices up to the next choice point, within the limits above.

    Raises:
        InkStopped: when the story runs past a limit.
        RuntimeError: the runtime's own complaint about the story.
    """
    lines: list[str] = []
    tags: list[str] = []
    chars, slices = 0, _SLICES
    while runtime.can_continue():
        while not runtime.continue_async(_SLICE_MS):
            slices -= 1
            if slices <= 0:
                raise InkStopped("the story runs on without giving a line of text or a "
                                 f"choice ({_LOOPING})")
        line = runtime.get_current_text().strip()
        if line:
            lines.append(line)
            chars += len(line)
            if len(lines) > MAX_SCENE_LINES or chars > MAX_SCENE_CHARS:
                raise InkStopped(f"the story goes on for more than {MAX_SCENE_LINES} lines "
                                 f"or {MAX_SCENE_CHARS:,} characters without a choice (a "
                                 "loop with no way out, or text too long for one scene; "
                                 "give it a choice to split it)")
        tags += [t.strip() for t in runtime.get_current_tags() if t.strip() not in skip_tags]
    choices = [c.strip() for c in runtime.get_current_choices()]
    return _Passage(lines, tags, choices, ended=not choices)


class _Player:
    """Plays one Ink story in each of its languages and keeps what it made.

    The runtime's state as it enters each scene is kept (saved right after the choice that
    led there, before any text: a state saved at a choice point would bring Ink's invisible
    fallback choices back as visible ones when loaded), so the next scene costs one step from
    the last, not a replay from the start; scenes once made are kept as they are.
    """

    def __init__(self, compiled: dict[str, str], languages: list[str],
                 pictures: dict[str, ImageRef]) -> None:
        self._compiled = compiled
        self._pictures = pictures
        self._languages = [lang for lang in languages if lang in compiled]
        self._runtimes: dict[str, Runtime] = {}
        self._global_tags: dict[str, frozenset[str]] = {}
        self._states: OrderedDict[tuple[str, tuple[int, ...]], str] = OrderedDict()
        self._scenes: OrderedDict[tuple[int, ...], Scene] = OrderedDict()
        self._lock = threading.Lock()
        self.steps = 0
        """How many passages the runtime has read (for tests of the cache)."""

    def _runtime(self, lang: str) -> Runtime:
        if lang not in self._runtimes:
            runtime = _open(self._compiled[lang])
            self._runtimes[lang] = runtime
            self._global_tags[lang] = frozenset(t.strip() for t in runtime.get_global_tags())
            self._states[(lang, ())] = runtime.save_state()
        return self._runtimes[lang]

    def _entering(self, lang: str, path: tuple[int, ...]) -> str:
        runtime = self._runtime(lang)
        known = len(path)
        while (lang, path[:known]) not in self._states:
            known -= 1
        state = self._states[(lang, path[:known])]
        for depth in range(known, len(path)):
            runtime.load_state(state)
            passage = self._step(lang, runtime)
            if path[depth] >= len(passage.choices):
                raise KeyError(_name(path[:depth + 1]))
            runtime.choose_choice_index(path[depth])
            state = runtime.save_state()
            self._keep(self._states, (lang, path[:depth + 1]), state, _STATES_KEPT)
        self._states.move_to_end((lang, path))
        return state

    def _step(self, lang: str, runtime: Runtime) -> _Passage:
        self.steps += 1
        try:
            return _read(runtime, self._global_tags[lang])
        except (InkStopped, RuntimeError):
            # Stopped mid-line, the runtime is in no state to load another: open a new one.
            self._runtimes.pop(lang, None)
            raise

    def _passage(self, lang: str, path: tuple[int, ...]) -> _Passage:
        runtime = self._runtime(lang)
        runtime.load_state(self._entering(lang, path))
        return self._step(lang, runtime)

    @staticmethod
    def _keep(cache: OrderedDict[Any, Any], key: Any, value: Any, limit: int) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > limit:
            cache.popitem(last=False)

    def scene(self, path: tuple[int, ...]) -> Scene:
        with self._lock:
            found = self._scenes.get(path)
            if found is None:
                try:
                    passages = {lang: self._passage(lang, path) for lang in self._languages}
                except InkStopped as error:
                    raise InkStopped(f"{_name(path)}: {error}") from None
                except RuntimeError as error:  # the runtime's own complaint about the story
                    raise InkStopped(f"{_name(path)}: {_short(error)}") from None
                found = _make_scene(path, passages, self._languages, self._pictures)
                self._keep(self._scenes, path, found, _SCENES_KEPT)
            else:
                self._scenes.move_to_end(path)
            return found

    def variables(self, path: tuple[int, ...]) -> dict[str, bool | int | float | str]:
        with self._lock:
            lang = self._languages[0]
            try:
                runtime = self._runtime(lang)
                runtime.load_state(self._entering(lang, path))
                self._step(lang, runtime)
            except RuntimeError as error:
                raise InkStopped(f"{_name(path)}: {_short(error)}") from None
            names = outline(json.loads(self._compiled[lang])).variables
            return {name: runtime.get_variable(name) for name in names}


def _tag_values(passage: _Passage, name: str) -> list[str]:
    out = []
    for tag in passage.tags:
        key, value = _split_tag(tag)
        if key == name:
            out.append(value)
    return out


def _text(passages: dict[str, _Passage], pick: Any) -> LocalizedText | None:
    """A text in every language, from each language's own passage (``None`` if none has it)."""
    found = {lang: pick(p) for lang, p in passages.items()}
    found = {lang: value for lang, value in found.items() if value}
    if not found:
        return None
    first = next(iter(found.values()))
    return LocalizedText({lang: found.get(lang, first) for lang in passages})


def _number(values: list[str], default: int, choices: int) -> int:
    """A 1-based choice number from a tag's value, as a place in the list."""
    for value in values:
        if value.isdigit() and 1 <= int(value) <= choices:
            return int(value) - 1
    return default


def _make_scene(path: tuple[int, ...], passages: dict[str, _Passage],
                languages: list[str], pictures: dict[str, ImageRef]) -> Scene:
    from .content import Choice, Picture, Scene

    main = passages[languages[0]]
    name = _name(path)
    flags = {_split_tag(t)[0] for t in main.tags}
    body = _text(passages, lambda p: "\n".join(p.lines)) or LocalizedText(
        {lang: "…" for lang in passages})
    title = _text(passages, lambda p: next(iter(_tag_values(p, "title")), ""))
    question = _text(passages, lambda p: (_tag_values(p, "question") or [""])[-1])
    ending = main.ended or "ending" in flags
    choices: list[Choice] = []
    if not ending:
        for i, label in enumerate(main.choices):
            words = {lang: (p.choices[i] if i < len(p.choices) and p.choices[i] else label)
                     for lang, p in passages.items()}
            words = {lang: text or "…" for lang, text in words.items()}
            choices.append(Choice.model_construct(label=LocalizedText(words), goto=f"{name}.{i}",
                                                  when={}, set={}))
    picture = None
    checked = pictures.get(next(iter(_tag_values(main, "picture")), ""))
    if checked is not None:  # (the loader has checked every picture a tag names)
        alt = _text(passages, lambda p: next(iter(_tag_values(p, "alt")), ""))
        # A copy keeps what the loader found of the file (its id under content/, its size).
        copy = checked.model_copy(update={"alt": alt or title or body})
        picture = copy if isinstance(copy, Picture) else None
    sensitive = "sensitive" in flags and not ending
    skip_to = None
    if sensitive and choices:
        skip_to = choices[_number(_tag_values(main, "skip"), 0, len(choices))].goto
    write_in = "write-in" in flags and bool(choices)
    write_in_goto = None
    if choices:  # a winning write-in goes on along a choice (the leader tells how it fits)
        write_in_goto = choices[_number(_tag_values(main, "write-in"), 0, len(choices))].goto
    debrief: list[LocalizedText] = []
    if ending:
        count = max(len(_tag_values(p, "debrief")) for p in passages.values())
        for n in range(count):
            question_n = _text(passages, lambda p, n=n: (_tag_values(p, "debrief") + [""] * n)[n])
            if question_n is not None:
                debrief.append(question_n)
    return Scene.model_construct(
        id=name, title=title or _untitled(passages), text=body, sensitive=sensitive,
        skip_to=skip_to, picture=picture, question=question, choices=choices, next=None,
        write_in=write_in, write_in_goto=write_in_goto, ending=ending, debrief=debrief)


def _untitled(passages: dict[str, _Passage]) -> LocalizedText:
    """A scene without a ``# title:`` tag is titled by its first words."""
    def first_words(p: _Passage) -> str:
        words = " ".join(p.lines).split()
        return " ".join(words[:5]) + ("…" if len(words) > 5 else "")
    return _text(passages, first_words) or LocalizedText({lang: "…" for lang in passages})
