"""Stories from Twine: a Twee 3 file (what Twine 2 exports as "Twee" and Tweego reads) made
into Piiri's own story format, with a note for everything that could not be carried over.

Pure: :func:`import_twee` gets the file's text and returns the story file's YAML and the notes
(``piiri story import`` reads and writes the files). Nothing in the passages is run: HTML and
story-format macros stay in the text as the plain characters they are, each with a warning.

What is read
------------

- Passages ``:: Name [tag tag] {"position": "…"}``; a passage's name is the scene's title and
  its id is made from the name (``:: Lukittu ovi`` → ``lukittu-ovi``). The metadata is Twine's
  layout and is not needed.
- ``StoryTitle`` (the story's title) and ``StoryData`` (its ``start`` passage; without one, the
  passage ``Start``, else the first passage). Piiri's own: ``StoryIntro`` (a sentence or two for
  the leader choosing a story; needed) and ``StoryDebrief`` (questions for every ending, one a
  line).
- Links ``[[Target]]``, ``[[text->Target]]``, ``[[Target<-text]]`` and ``[[text|Target]]``. A
  passage with two or more links is a vote (each link a choice), with one link it goes on by
  itself, and with none it is an ending. A line that holds only links is left out of the text;
  a link inside a sentence leaves its words there. A last paragraph that is a question (ends
  with ``?``) just before the links becomes the vote's question.
- Endings: after the text, a line of three or more hyphens (``----``), then the debrief
  questions, one a line (every ending needs at least one).
- Tags: ``ending`` (a passage that must be an ending), ``sensitive`` (the leader may skip it),
  ``skip-to:Name`` (where a sensitive vote goes when skipped: a passage's name, or its id),
  ``write-in`` (read once the story format has write-in scenes; until then a warning).

Variables and conditions (SugarCube's syntax, so the file still plays in Twine):

- ``[[text->Target][$asked_help to true]]``: the choice sets the variable (``to`` or ``=``;
  ``true``, ``false`` or a whole number; several joined with ``;``).
- ``<<if $read_board>>[[…]]<</if>>``: links inside are choices offered only while the condition
  holds. A condition is ``$name``, ``not $name`` (or ``!$name``), ``$name is VALUE`` (also
  ``eq``, ``==``, ``===``; ``is not``, ``neq``, ``!=`` with true/false), joined with ``and``.
  ``<<elseif …>>`` and ``<<else>>`` work after a condition on one true/false variable.
- ``<<set $name to false>>`` (or 0) in ``StoryInit``: Piiri starts every variable so.
- Names: ``$readBoard`` becomes ``read_board``. A variable nobody has set counts as false (0).

Reported: other macros (SugarCube ``<<…>>``, Harlowe ``(name: …)``, Snowman ``<% … %>``,
Chapbook modifiers) and HTML, left in the text as written (warnings); ``<<set>>`` outside
``StoryInit``, conditions beyond the subset and text inside ``<<if>>`` (warnings); links to
passages that do not exist (errors); passages nobody can reach (warnings, left out); script,
stylesheet and other special passages (warnings, left out); comments are left out.

Refused whole, in one sentence: a file over 2 MB, one with a NUL character (not a text file),
more than :data:`~games.story.content.MAX_SCENES` passages; a passage with more text than a
scene may have is an error at its line. Names and texts are written so that YAML reads them
back exactly as they were (quoted; ids and variables that YAML would read as ``yes``, ``null``
or a number are quoted too).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine import ImportNote, ImportResult
from engine.content import MAX_FILE_BYTES
from engine.text import valid_language_tag

from .content import MAX_SCENES, Scene
from .ink import MAX_SCENE_CHARS

__all__ = ["Link", "Passage", "TweeFile", "import_twee", "parse_twee"]

Value = bool | int
Condition = dict[str, Value]

#: Passages the story formats treat specially: none of them is a scene.
_SPECIAL_NAMES = {
    "StoryAuthor", "StoryBanner", "StoryCaption", "StoryDisplayTitle", "StoryInterface",
    "StoryMenu", "StoryShare", "StorySubtitle", "PassageDone", "PassageFooter",
    "PassageHeader", "PassageReady",
}
_SPECIAL_TAGS = {
    "script": "a script passage: Piiri runs no scripts",
    "stylesheet": "a stylesheet passage: Piiri's screens draw the story themselves",
    "widget": "a SugarCube widget passage: Piiri runs no macros",
    "startup": "a Harlowe startup passage: Piiri runs no macros",
    "header": "a Harlowe header passage: Piiri runs no macros",
    "footer": "a Harlowe footer passage: Piiri runs no macros",
    "debug-startup": "a Harlowe debug passage",
    "debug-header": "a Harlowe debug passage",
    "debug-footer": "a Harlowe debug passage",
    "Twine.image": "a picture kept as a passage: give the scene a picture in the story file",
    "Twine.audio": "a sound kept as a passage: Piiri plays no sounds",
    "Twine.private": "a passage Twine keeps out of the story",
}
_READ_TAGS = {"ending", "sensitive", "write-in"}
_OWN_NAMES = {"StoryTitle", "StoryData", "StoryInit", "StoryIntro", "StoryDebrief"}

_HEADER_LINE = re.compile(r"^::")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_RULE = re.compile(r"^-{3,}\s*$")
_VARIABLE = re.compile(r"^[a-z][a-z0-9_]*$")
_MACRO_NAME = re.compile(r"^\s*(/?)([A-Za-z=\-][\w-]*)")
_HTML = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>\n]*)?/?>")
_HARLOWE = re.compile(r"\(([A-Za-z][\w-]*):")
_PRINTED = re.compile(r"(?<![\w$])\$([A-Za-z_]\w*)")
_CHAPBOOK = re.compile(r"^\s*\[[a-z][^\[\]\n]*\]\s*$")
_BULLETS = re.compile(r"[\s\-*•|·]+")
_TEST = re.compile(
    r"^(?:(?P<not>not\s+|!\s*)?\$(?P<bare>[A-Za-z_]\w*)"
    r"|\$(?P<name>[A-Za-z_]\w*)\s*(?P<op>is\s+not|isnot|is|neq|eq|!==|!=|===|==)\s*"
    r"(?P<value>true|false|-?\d{1,9}))$")
_SETTER = re.compile(r"^\$(?P<name>[A-Za-z_]\w*)\s*(?:to|=)\s*(?P<value>true|false|-?\d{1,9})$")


# -- the file: passages --------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """One passage as written: its header's parts and its lines, each with its line number."""

    name: str
    tags: tuple[str, ...]
    metadata: dict[str, Any]
    line: int
    """The line of the ``::`` header."""
    body: tuple[tuple[int, str], ...]


@dataclass
class TweeFile:
    passages: list[Passage] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)


def parse_twee(text: str) -> TweeFile:
    """The passages of a Twee 3 file, in file order, and what was wrong with their headers.

    >>> [p.name for p in parse_twee(":: Start [a]\\nHello [[Bye]]\\n:: Bye\\nBye.").passages]
    ['Start', 'Bye']
    """
    out = TweeFile()
    current: tuple[str, tuple[str, ...], dict[str, Any], int] | None = None
    lines: list[tuple[int, str]] = []

    def close() -> None:
        if current is None:
            return
        while lines and not lines[-1][1].strip():
            lines.pop()
        while lines and not lines[0][1].strip():
            lines.pop(0)
        out.passages.append(Passage(*current[:3], line=current[3], body=tuple(lines)))

    for number, line in enumerate(_NEWLINE.split(text.removeprefix("\ufeff")), start=1):
        if _HEADER_LINE.match(line):
            close()
            lines = []
            current = _header(line[2:], number, out.notes)
        elif current is not None:
            line = line.replace("\x00", "")  # stands for a comment's characters later
            lines.append((number, line[1:] if line.startswith("\\::") else line))
    close()
    return out


def _header(rest: str, line: int, notes: list[ImportNote]) -> tuple[
        str, tuple[str, ...], dict[str, Any], int]:
    """``Name [tags] {metadata}``: the name with its escapes (``\\[``) undone."""
    name: list[str] = []
    i = 0
    while i < len(rest) and rest[i] not in "[{":
        if rest[i] == "\\" and i + 1 < len(rest):
            i += 1
        name.append(rest[i])
        i += 1
    tags: tuple[str, ...] = ()
    metadata: dict[str, Any] = {}
    tail = rest[i:].strip()
    if tail.startswith("["):
        end = tail.find("]")
        if end < 0:
            notes.append(ImportNote(line, "warning", "the tags of this passage have no closing "
                                                     "']'; they are left out"))
            tail = ""
        else:
            tags = tuple(tail[1:end].split())
            tail = tail[end + 1:].strip()
    if tail.startswith("{"):
        try:
            loaded = json.loads(tail)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict):
            metadata = loaded
        else:
            notes.append(ImportNote(line, "warning", "the passage's metadata ({…}) is not a "
                                                     "JSON object; it is left out"))
        tail = ""
    if tail:
        notes.append(ImportNote(line, "warning", f"'{_short(tail)}' after the passage's name "
                                                 "is not a tag list or metadata; left out"))
    return "".join(name).strip(), tags, metadata, line


# -- a passage's text: links, the macros of the subset, and what is left as text -------------


@dataclass(frozen=True)
class Link:
    """A link as written, with what the subset read around it."""

    label: str
    target: str
    line: int
    when: Condition
    sets: Condition


@dataclass
class _Body:
    lines: list[tuple[int, str]]
    """The text to show, each line with where it was."""
    links: list[Link]
    sets: list[tuple[int, str, Value]]
    """``<<set>>`` macros, for StoryInit."""


class _Notes:
    def __init__(self) -> None:
        self.items: list[ImportNote] = []
        self._seen: set[tuple[int | None, str]] = set()

    def warn(self, line: int | None, message: str) -> None:
        self._add(ImportNote(line, "warning", message))

    def error(self, line: int | None, message: str) -> None:
        self._add(ImportNote(line, "error", message))

    def _add(self, note: ImportNote) -> None:
        if (note.line, note.message) not in self._seen:
            self._seen.add((note.line, note.message))
            self.items.append(note)

    @property
    def failed(self) -> bool:
        return any(n.severity == "error" for n in self.items)

    def in_order(self) -> tuple[ImportNote, ...]:
        """By line, the file's own first."""
        return tuple(sorted(self.items, key=lambda note: note.line or 0))


class _Where:
    """Line numbers of offsets in a passage's body joined into one text."""

    def __init__(self, body: tuple[tuple[int, str], ...]) -> None:
        self.text = "\n".join(line for _, line in body)
        self.numbers = [number for number, _ in body] or [0]
        self.starts = [0]
        for _, line in body[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line(self, offset: int) -> int:
        return self.numbers[bisect_right(self.starts, offset) - 1]


@dataclass
class _Branch:
    """One ``<<if>>`` being read: its condition now, and whether the ``<<else>>`` can be said."""

    line: int
    now: Condition
    earlier: list[Condition]
    """The conditions of the branches before this one (for ``<<else>>``)."""
    understood: bool = True
    text_warned: bool = False


def _read_body(passage: Passage, notes: _Notes, names: dict[str, str]) -> _Body:
    where = _Where(passage.body)
    text, commented = _uncomment(where, notes)
    shown: list[str] = []  # the text with each link's words
    plain: list[str] = []  # the text without them, to tell a line of links from prose
    marked = commented  # lines where a link, a macro of the subset or a comment was
    links: list[Link] = []
    sets: list[tuple[int, str, Value]] = []
    stack: list[_Branch] = []
    find = _Finder(text).find

    def add_text(chunk: str, offset: int) -> None:
        if not chunk:
            return
        _look_at_text(chunk, offset, where, notes)
        if stack and chunk.strip() and not stack[-1].text_warned:
            stack[-1].text_warned = True
            notes.warn(where.line(offset), "text inside <<if>> is shown whatever the "
                                           "condition: Piiri's scenes have one text")
        shown.append(chunk)
        plain.append(chunk)

    def add_marked(source: str, offset: int, words: str = "") -> None:
        marked.add(where.line(offset))
        breaks = "\n" * source.count("\n")
        shown.append(words + breaks)
        plain.append(breaks)

    pos = 0
    while pos < len(text):
        link_at = find("[[", pos)
        macro_at = find("<<", pos)
        at = min((i for i in (link_at, macro_at) if i >= 0), default=-1)
        if at < 0:
            add_text(text[pos:], pos)
            break
        add_text(text[pos:at], pos)
        line = where.line(at)
        if at == link_at:
            end = find("]]", at + 2)
            if end < 0 or 0 <= find("\n", at + 2) < end:
                notes.warn(line, "a link '[[' is not closed with ']]' on its line; it is "
                                 "shown as text")
                add_text("[[", at)
                pos = at + 2
                continue
            link = _link(text[at + 2:end], line, _condition_now(stack), notes, names)
            add_marked(text[at:end + 2], at, link.label)
            links.append(link)
            pos = end + 2
            continue
        end = find(">>", at + 2)
        if end < 0:
            add_text(text[at:], at)
            break
        source = text[at:end + 2]
        if _macro(source[2:-2], line, stack, sets, notes, names):
            add_marked(source, at)
        else:
            add_text(source, at)
        pos = end + 2
    for branch in stack:
        notes.warn(branch.line, "this <<if>> has no <</if>>; it is taken to end with the "
                                "passage")

    out: list[tuple[int, str]] = []
    shown_lines = "".join(shown).split("\n")
    plain_lines = "".join(plain).split("\n")
    for index, (words, rest) in enumerate(zip(shown_lines, plain_lines, strict=True)):
        number = where.numbers[min(index, len(where.numbers) - 1)]
        if number in marked and not _BULLETS.sub("", rest.replace(_GONE, "")):
            continue  # a line of links, of the subset's macros or of comments
        out.append((number, words.replace(_GONE, "").rstrip()))
    return _Body(out, links, sets)


_GONE = "\x00"
"""Stands for each character of a comment, so that every other keeps its place."""


class _Finder:
    """``str.find`` that remembers where each token was found next, so that reading a text
    with many marks of one kind and few of another looks at every character a few times only
    (the first place after a point stays the first place after any later point before it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, int] = {}

    def find(self, token: str, start: int) -> int:
        known = self.found.get(token, -2)
        if known == -1 or known >= start:
            return known
        self.found[token] = self.text.find(token, start)
        return self.found[token]


def _uncomment(where: _Where, notes: _Notes) -> tuple[str, set[int]]:
    """The body with comments (``/* */``, ``<!-- -->``, SugarCube's ``/% %/``) blanked out,
    every character but a line break made :data:`_GONE`; and the lines they were on."""
    text = where.text
    lines: set[int] = set()
    if not any(mark in text for mark in ("/*", "<!--", "/%")):
        return text, lines
    out: list[str] = []

    def blank(start: int, end: int) -> str:
        lines.update(where.line(i) for i in (start, *(
            i + 1 for i in range(start, end) if text[i] == "\n")))
        return re.sub(r"[^\n]", _GONE, text[start:end])
    pos = 0
    pairs = (("/*", "*/"), ("<!--", "-->"), ("/%", "%/"))
    find = _Finder(text).find
    while True:
        found = [(find(a, pos), a, b) for a, b in pairs]
        found = [f for f in found if f[0] >= 0]
        if not found:
            out.append(text[pos:])
            return "".join(out), lines
        at, opening, ending = min(found)
        out.append(text[pos:at])
        end = find(ending, at + len(opening))
        if end < 0:
            notes.warn(where.line(at), f"a comment '{opening}' is not closed; the rest of the "
                                       "passage is taken as the comment")
            out.append(blank(at, len(text)))
            return "".join(out), lines
        out.append(blank(at, end + len(ending)))
        pos = end + len(ending)


def _look_at_text(chunk: str, offset: int, where: _Where, notes: _Notes) -> None:
    """Warn about what is shown as plain text although the writer meant something else."""
    if "<" in chunk:
        for match in _HTML.finditer(chunk):
            notes.warn(where.line(offset + match.start()),
                       f"HTML ({_short(match.group(0))}) is shown as plain text: Piiri's "
                       "screens draw the story themselves")
        for index in _all(chunk, "<%"):
            notes.warn(where.line(offset + index), "Snowman's <% … %> code is not run; it is "
                                                  "shown as plain text")
    if "(" in chunk:
        for match in _HARLOWE.finditer(chunk):
            notes.warn(where.line(offset + match.start()),
                       f"the Harlowe macro ({match.group(1)}:) is not carried over; it is "
                       "shown as plain text")
    if "$" in chunk:
        for match in _PRINTED.finditer(chunk):
            notes.warn(where.line(offset + match.start()),
                       f"the variable ${match.group(1)} is shown as written: Piiri does not "
                       "print variables in the text")
    if "[" in chunk:
        for index in _all(chunk, "[img["):
            notes.warn(where.line(offset + index), "a picture from Twine is not carried "
                                                  "over; give the scene a picture in the "
                                                  "story file")
        for number, line in _lines_with_offsets(chunk):
            if _CHAPBOOK.match(line):
                notes.warn(where.line(offset + number),
                           f"the Chapbook modifier {line.strip()} is not carried over; it is "
                           "shown as plain text")


def _all(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _link(inner: str, line: int, when: Condition, notes: _Notes,
          names: dict[str, str]) -> Link:
    """``text->Target``, ``Target<-text``, ``text|Target`` or ``Target``, with SugarCube's
    setter (``][$x to 1``) after it."""
    setter = ""
    if "][" in inner:
        inner, setter = inner.split("][", 1)
    if "->" in inner:
        label, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, label = inner.split("<-", 1)
    elif "|" in inner:
        label, target = inner.rsplit("|", 1)
    else:
        label = target = inner
    sets: Condition = {}
    if setter:
        for part in filter(None, (p.strip() for p in re.split(r"[;,]", setter))):
            found = _SETTER.match(part)
            name = _variable(found.group("name"), line, notes, names) if found else None
            if found is None or name is None:
                notes.warn(line, f"the change '{_short(part)}' on this link is not one Piiri "
                                 "reads (write $name to true, false or a whole number); it "
                                 "is left out")
                continue
            sets[name] = _value(found.group("value"))
    return Link(label.strip(), target.strip(), line, dict(when), sets)


def _condition_now(stack: list[_Branch]) -> Condition:
    out: Condition = {}
    for branch in stack:
        out.update(branch.now)
    return out


def _macro(inner: str, line: int, stack: list[_Branch], sets: list[tuple[int, str, Value]],
           notes: _Notes, names: dict[str, str]) -> bool:
    """Read a ``<<macro>>`` of the subset; ``False`` for any other (shown as text)."""
    found = _MACRO_NAME.match(inner)
    if found is None:
        notes.warn(line, f"'<<{_short(inner)}>>' is not a macro Piiri reads; it is shown as "
                         "plain text")
        return False
    closing, name = found.group(1) == "/", found.group(2)
    args = inner[found.end():].strip()
    if closing or name == "endif":
        if name in ("if", "endif"):
            if stack:
                stack.pop()
            else:
                notes.warn(line, "<</if>> without an <<if>> before it")
            return True
        return False  # the end of a macro already warned about at its start
    if name == "if":
        condition = _condition(args, line, notes, names)
        stack.append(_Branch(line, condition or {}, [], understood=condition is not None))
        return True
    if name in ("elseif", "else"):
        if not stack:
            notes.warn(line, f"<<{name}>> without an <<if>> before it")
            return True
        branch = stack[-1]
        branch.earlier.append(branch.now)
        if name == "elseif":
            condition = _condition(args, line, notes, names)
            extra: Condition | None = condition
        else:
            extra = {}
        negated = _negation(branch.earlier) if branch.understood else None
        if negated is None or extra is None:
            if branch.understood and extra is not None:
                notes.warn(line, f"the <<{name}>> here comes after a condition that is not "
                                 "one true/false variable, which Piiri cannot turn round; "
                                 "its links are offered without a condition")
            branch.understood = False
            branch.now = {}
        else:
            branch.now = {**negated, **extra}
        return True
    if name == "set":
        for part in filter(None, (p.strip() for p in re.split(r"[;,]", args))):
            setter = _SETTER.match(part)
            variable = _variable(setter.group("name"), line, notes, names) if setter else None
            if setter is None or variable is None:
                notes.warn(line, f"<<set {_short(part)}>> is not one Piiri reads; it is left "
                                 "out")
                continue
            sets.append((line, variable, _value(setter.group("value"))))
        return True
    notes.warn(line, f"the macro <<{name}>> is not carried over; it is shown as plain text")
    return False


def _condition(args: str, line: int, notes: _Notes,
               names: dict[str, str]) -> Condition | None:
    """``$a and not $b and $c is 2`` as ``{a: true, b: false, c: 2}``; ``None`` (with a
    warning) for anything else."""
    out: Condition = {}
    for part in re.split(r"\band\b|&&", args):
        found = _TEST.match(part.strip())
        if found is None:
            notes.warn(line, f"the condition '{_short(args)}' is not one Piiri reads (see "
                             "the subset in the README); the links under it are offered "
                             "without a condition")
            return None
        raw = found.group("bare") or found.group("name")
        name = _variable(raw, line, notes, names)
        if name is None:
            return None
        if found.group("bare"):
            out[name] = not found.group("not")
            continue
        value = _value(found.group("value"))
        op = found.group("op").replace(" ", "")
        if op in ("isnot", "neq", "!=", "!=="):
            if not isinstance(value, bool):
                notes.warn(line, f"'{_short(part)}': Piiri can check that a number is "
                                 "something, not that it is not; the links under it are "
                                 "offered without a condition")
                return None
            value = not value
        out[name] = value
    return out


def _negation(conditions: list[Condition]) -> Condition | None:
    """What holds when none of ``conditions`` does, if it can be said as one ``when``."""
    out: Condition = {}
    for condition in conditions:
        if len(condition) != 1:
            return None
        (name, value), = condition.items()
        if not isinstance(value, bool) or out.get(name, not value) != (not value):
            return None
        out[name] = not value
    return out


def _variable(raw: str, line: int, notes: _Notes, names: dict[str, str]) -> str | None:
    """Piiri's name for ``$raw`` (``readBoard`` → ``read_board``), or ``None`` (an error)."""
    if raw in names:
        return names[raw]
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", raw).lower()
    if not _VARIABLE.match(name):
        notes.error(line, f"the variable ${raw} cannot be a Piiri variable: a name starts "
                          "with a letter and has letters a–z, digits and '_'")
        return None
    if name != raw:
        notes.warn(line, f"the variable ${raw} is called '{name}' in Piiri")
    names[raw] = name
    return name


def _value(raw: str) -> Value:
    return raw == "true" if raw in ("true", "false") else int(raw)


# -- the story ------------------------------------------------------------------------------


@dataclass
class _SceneOut:
    id: str
    passage: Passage
    text: list[tuple[int, str]]
    question: tuple[int, str] | None = None
    choices: list[Link] = field(default_factory=list)
    next: Link | None = None
    ending: bool = False
    debrief: list[tuple[int, str]] = field(default_factory=list)
    sensitive: bool = False
    skip_to: str | None = None
    write_in: bool = False


def import_twee(text: str, source_name: str, language: str = "fi") -> ImportResult:
    """A Twee 3 file as a Piiri story file in ``language``, with notes for what did not carry.

    Args:
        text: the file's text.
        source_name: the file's name; the story's id is made from it (``first-day.twee`` →
            ``first-day``).
        language: the language the story is written in (a language tag such as ``fi``).

    Returns:
        The story file's YAML (empty if an error kept it from being made), its name, the notes
        with their lines, and for each line of the YAML the line of the Twee it came from.
    """
    notes = _Notes()
    story_id = _slug(_stem(source_name)) or "story"
    if not valid_language_tag(language):
        notes.error(None, f"'{language}' is not a language tag (for example fi, sv, en or "
                          "fi-x-selko)")
    refused = _refused(text)
    if refused is not None:
        notes.error(*refused)
        return ImportResult("", story_id, notes.in_order())
    twee = parse_twee(text)
    for note in twee.notes:
        notes._add(note)
    if not twee.passages:
        notes.error(None, "the file has no passages (lines starting with '::'); is it a "
                          "Twee 3 file?")
        return ImportResult("", story_id, notes.in_order())

    by_name: dict[str, Passage] = {}
    for passage in twee.passages:
        if passage.name in by_name:
            notes.error(passage.line, f"a second passage is named '{passage.name}' (the "
                                      f"first is at line {by_name[passage.name].line})")
            continue
        if not passage.name:
            notes.error(passage.line, "this passage has no name")
            continue
        by_name[passage.name] = passage

    names: dict[str, str] = {}
    story: list[Passage] = []
    for passage in by_name.values():
        special = [t for t in passage.tags if t in _SPECIAL_TAGS]
        if special:
            notes.warn(passage.line, f"'{passage.name}' is {_SPECIAL_TAGS[special[0]]}; it is "
                                     "not carried over")
        elif passage.name in _SPECIAL_NAMES:
            notes.warn(passage.line, f"'{passage.name}' is a special passage of SugarCube; it "
                                     "is not carried over")
        elif passage.name not in _OWN_NAMES:
            story.append(passage)
    if not story:
        notes.error(None, "the file has no passages of the story itself")
        return ImportResult("", story_id, notes.in_order())
    if len(story) > MAX_SCENES:
        notes.error(None, f"the file has {len(story):,} passages; a story may have at most "
                          f"{MAX_SCENES:,} scenes: split it into several stories")
        return ImportResult("", story_id, notes.in_order())

    data = _story_data(by_name.get("StoryData"), notes)
    title = _plain_text(by_name.get("StoryTitle"), notes, names)
    if not title:
        notes.warn(None, f"no StoryTitle passage; the story is called '{_stem(source_name)}'")
        title = [(1, _stem(source_name))]
    intro = _plain_text(by_name.get("StoryIntro"), notes, names)
    if not intro:
        notes.error(None, "no StoryIntro passage: add ':: StoryIntro' with a sentence or two "
                          "about the story, for the leader choosing one and for the first "
                          "screen")
    debrief = _questions(_plain_text(by_name.get("StoryDebrief"), notes, names))
    _story_init(by_name.get("StoryInit"), notes, names)

    start = _start(data, story, by_name, notes)
    bodies = {p.name: _read_body(p, notes, names) for p in story}
    story_names = {p.name for p in story}
    for passage in story:
        for link in bodies[passage.name].links:
            if link.target in story_names:
                continue
            if link.target in by_name:
                notes.error(link.line, f"the link '{link.label}' goes to '{link.target}', "
                                       "which is not a passage of the story")
            else:
                notes.error(link.line, f"the link '{link.label}' goes to a passage "
                                       f"'{link.target}' that does not exist")

    reached = {start.name}
    queue = deque([start.name])
    while queue:
        here = by_name[queue.popleft()]
        for target in [link.target for link in bodies[here.name].links] + _skip_to(here, story):
            if target in story_names and target not in reached:
                reached.add(target)
                queue.append(target)
    order = [start] + [p for p in story if p is not start]
    for passage in order:
        if passage.name not in reached:
            notes.warn(passage.line, f"no link leads to '{passage.name}' from the start "
                                     f"('{start.name}'), so nobody can reach it; it is left "
                                     "out")
    kept = [p for p in order if p.name in reached]

    ids: dict[str, str] = {}
    used: set[str] = set()
    for passage in kept:
        base = _slug(passage.name) or "scene"
        scene_id, n = base, 1
        while scene_id in used:
            n += 1
            scene_id = f"{base}-{n}"
        if scene_id != base:
            notes.warn(passage.line, f"another passage already has the id '{base}', so "
                                     f"'{passage.name}' gets '{scene_id}'")
        used.add(scene_id)
        ids[passage.name] = scene_id

    scenes = [_scene(p, bodies[p.name], ids, notes) for p in kept]
    if notes.failed:
        return ImportResult("", story_id, notes.in_order())
    yaml_text, source_lines = _write(story_id, language, source_name, title, intro, debrief,
                                     scenes, ids)
    return ImportResult(yaml_text, story_id, notes.in_order(), source_lines)


def _refused(text: str) -> tuple[int | None, str] | None:
    """Why a text is not read at all (too large, or not text), with its line, or ``None``."""
    if len(text) > MAX_FILE_BYTES:
        return None, (f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most "
                      "Piiri reads; split the story into smaller ones")
    at = text.find("\x00")
    if at >= 0:
        line = len(_NEWLINE.findall(text, 0, at)) + 1
        return line, ("this line has a NUL character (a zero byte), which a text file does "
                      "not have: is it a Twee file? Save it as text (UTF-8) and try again")
    return None


def _skip_to(passage: Passage, story: list[Passage]) -> list[str]:
    """The passage a ``skip-to:`` tag names (by its name, or by the id made from it)."""
    for tag in passage.tags:
        if tag.startswith("skip-to:"):
            target = tag.split(":", 1)[1]
            return [p.name for p in story if p.name == target or _slug(p.name) == target][:1]
    return []


def _stem(name: str) -> str:
    base = re.split(r"[\\/]", name)[-1]
    return base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base


def _slug(name: str) -> str:
    """An id made from a name: ``Lukittu ovi`` → ``lukittu-ovi``, ``Äiti`` → ``aiti``."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def _story_data(passage: Passage | None, notes: _Notes) -> dict[str, Any]:
    if passage is None:
        return {}
    try:
        data = json.loads("\n".join(line for _, line in passage.body) or "{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        notes.warn(passage.line, "StoryData is not a JSON object; it is left out")
        return {}
    story_format = data.get("format")
    if isinstance(story_format, str) and story_format.lower() != "sugarcube":
        notes.warn(passage.line, f"the story is written for {story_format}: Piiri reads "
                                 "links and a small subset of SugarCube's macros, and shows "
                                 f"{story_format}'s macros as plain text")
    return data


def _start(data: dict[str, Any], story: list[Passage], by_name: dict[str, Passage],
           notes: _Notes) -> Passage:
    named = data.get("start")
    if isinstance(named, str) and named:
        found = next((p for p in story if p.name == named), None)
        if found is not None:
            return found
        notes.error(by_name["StoryData"].line, f"StoryData names the start passage "
                                               f"'{named}', but the story has no passage "
                                               "by that name")
        return story[0]
    found = next((p for p in story if p.name == "Start"), None)
    if found is None:
        notes.warn(story[0].line, f"neither StoryData's start nor a passage 'Start': the "
                                  f"story starts at the first passage, '{story[0].name}'")
        return story[0]
    return found


def _plain_text(passage: Passage | None, notes: _Notes,
                names: dict[str, str]) -> list[tuple[int, str]]:
    """A special passage's text, lines with their numbers, blank runs made one."""
    if passage is None:
        return []
    body = _read_body(passage, notes, names)
    for link in body.links:
        notes.warn(link.line, f"a link in '{passage.name}' is not carried over")
    return _tidy(body.lines)


def _tidy(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for number, line in lines:
        if not line.strip() and (not out or not out[-1][1].strip()):
            continue
        out.append((number, line))
    while out and not out[-1][1].strip():
        out.pop()
    return out


def _joined(lines: list[tuple[int, str]]) -> str:
    return "\n".join(line for _, line in lines).strip()


def _questions(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out = []
    for number, line in lines:
        question = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if question:
            out.append((number, question))
    return out


def _story_init(passage: Passage | None, notes: _Notes, names: dict[str, str]) -> None:
    if passage is None:
        return
    body = _read_body(passage, notes, names)
    for line, name, value in body.sets:
        if value is not False and value != 0:
            notes.warn(line, f"Piiri starts every variable as false (or 0); '{name}' starting "
                             f"as {str(value).lower()} is not carried over")
    if _joined(body.lines):
        notes.warn(passage.line, "the text of StoryInit is not carried over")


def _scene(passage: Passage, body: _Body, ids: dict[str, str], notes: _Notes) -> _SceneOut:
    scene = _SceneOut(ids[passage.name], passage, _tidy(body.lines))
    links = [link for link in body.links if link.target in ids]
    for tag in passage.tags:
        if tag in _READ_TAGS or tag.startswith("skip-to:"):
            continue
        notes.warn(passage.line, f"the tag '{tag}' is not one Piiri reads; it is left out")
    scene.sensitive = "sensitive" in passage.tags
    if "write-in" in passage.tags:
        if _WRITE_IN:
            scene.write_in = True
        else:
            notes.warn(passage.line, "Piiri's story format has no write-in scenes yet, so the "
                                     "tag 'write-in' is not carried over")
    skip = [t.split(":", 1)[1] for t in passage.tags if t.startswith("skip-to:")]
    if skip:
        target = skip[0]
        found = target if target in ids else next(
            (name for name in ids if _slug(name) == target), None)
        if found is None:
            notes.error(passage.line, f"the tag 'skip-to:{target}' names no passage of the "
                                      "story (give a passage's name without spaces, or its id)")
        elif not scene.sensitive:
            notes.error(passage.line, "only a sensitive passage is skipped: add the tag "
                                      "'sensitive' or remove 'skip-to'")
        else:
            scene.skip_to = ids.get(found, found)

    split = next((i for i, (_, line) in enumerate(scene.text) if _RULE.match(line)), None)
    after: list[tuple[int, str]] = []
    if split is not None:
        scene.text, after = _tidy(scene.text[:split]), scene.text[split + 1:]

    for line, name, _ in body.sets:
        notes.warn(line, f"<<set ${name}>> in a passage is not carried over: Piiri changes a "
                         "variable when the group chooses, so put the change on the link that "
                         f"leads here ([[text->{passage.name}][${name} to true]])")
    if not _joined(scene.text):
        notes.warn(passage.line, f"'{passage.name}' has no text of its own; its name is "
                                 "shown as its text")
    elif len(_joined(scene.text)) > MAX_SCENE_CHARS:
        notes.error(passage.line, f"'{passage.name}' has {len(_joined(scene.text)):,} "
                                  f"characters of text; a scene may have at most "
                                  f"{MAX_SCENE_CHARS:,}: split it into several passages")
    if not links:
        scene.ending = True
        scene.debrief = _questions(after)
        if not scene.debrief:
            notes.error(passage.line, f"'{passage.name}' has no links, so it is an ending, and "
                                      "an ending needs a debrief question for the group: after "
                                      "the text, a line '----' and then one question a line")
        return scene
    if "ending" in passage.tags:
        notes.error(passage.line, f"'{passage.name}' is tagged 'ending' but has links; remove "
                                  "the tag or the links")
    if after:
        notes.warn(after[0][0] - 1, "debrief questions (after '----') are read only in "
                                    "endings; here they are left out")
    if len(links) == 1:
        link = links[0]
        if link.when:
            notes.error(link.line, "this is the passage's only link, and it has a condition: "
                                   "the group needs a way on that is always there")
        if link.sets:
            notes.warn(link.line, "the change on the only link is not carried over: Piiri "
                                  "changes variables when the group chooses, at a vote of two "
                                  "or more links")
        scene.next = link
        return scene
    if all(link.when for link in links):
        notes.error(links[0].line, "every link here has a condition: at least one must be "
                                   "offered always, so the group has something to choose")
    if scene.sensitive and scene.skip_to is None:
        notes.error(passage.line, f"'{passage.name}' is sensitive and has a vote: tag it "
                                  "'skip-to:<passage>' to say where the story goes if the "
                                  "leader skips it")
    scene.choices = links
    paragraphs = _paragraphs(scene.text)
    if len(paragraphs) > 1 and len(paragraphs[-1]) == 1 and paragraphs[-1][0][1].rstrip() \
            .endswith("?"):
        scene.question = (paragraphs[-1][0][0], paragraphs[-1][0][1].strip())
        scene.text = _tidy([line for p in paragraphs[:-1] for line in [*p, (0, "")]])
    return scene


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    out: list[list[tuple[int, str]]] = [[]]
    for number, line in lines:
        if line.strip():
            out[-1].append((number, line))
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


#: Whether Piiri's story format has write-in scenes yet (a true/false ``write_in``).
_WRITE_IN = Scene.model_fields.get("write_in") is not None and \
    Scene.model_fields["write_in"].annotation is bool


# -- the story file --------------------------------------------------------------------------


class _Yaml:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.source: dict[int, int] = {}

    def add(self, line: str, source: int | None = None) -> None:
        self.lines.append(line)
        if source:
            self.source[len(self.lines)] = source

    def text(self, indent: str, key: str, language: str, value: str,
             source: int | None) -> None:
        self.add(f"{indent}{key}:", source)
        self.add(f"{indent}  {language}: {_quote(value)}", source)

    def texts(self, indent: str, key: str, language: str,
              values: list[tuple[int, str]]) -> None:
        self.add(f"{indent}{key}:", values[0][0] if values else None)
        for number, value in values:
            self.add(f"{indent}  - {language}: {_quote(value)}", number)


def _quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escapes, plus the characters YAML does
    not allow as they are)."""
    quoted = json.dumps(text, ensure_ascii=False)
    # YAML reads NEL (U+0085) and the Unicode line and paragraph separators as line breaks,
    # which a quoted text folds into spaces: escaped, they come back as they were written.
    return re.sub(r"[\x7f-\x9f\u2028\u2029\ufffe\uffff]",
                  lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


_RESOLVER: Any = yaml.resolver.Resolver()


def _plain(word: str) -> str:
    """An id or a variable's name as YAML reads it back as the same text: plain where it can
    be, quoted where YAML would read a true/false, a number or nothing (``yes``, ``on``,
    ``null``, ``12``)."""
    kind = _RESOLVER.resolve(yaml.ScalarNode, word, (True, False))
    return word if kind == "tag:yaml.org,2002:str" else _quote(word)


def _flow(values: Condition) -> str:
    return "{" + ", ".join(f"{_plain(k)}: {str(v).lower()}" for k, v in values.items()) + "}"


def _write(story_id: str, language: str, source_name: str, title: list[tuple[int, str]],
           intro: list[tuple[int, str]], debrief: list[tuple[int, str]],
           scenes: list[_SceneOut], ids: dict[str, str]) -> tuple[str, dict[int, int]]:
    out = _Yaml()
    shown = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", re.split(r"[\\/]", source_name)[-1])
    out.add(f"# Made from {shown} by 'piiri story import', in one language. Add the others")
    out.add("# beside it (and under 'translations'), then run 'piiri content check'.")
    out.add("kind: story")
    out.add("translations:")
    out.add(f"  {language}: written")
    out.add(f"id: {_plain(story_id)}")
    out.text("", "title", language, _joined(title), title[0][0])
    out.text("", "intro", language, _joined(intro), intro[0][0])
    if debrief:
        out.texts("", "debrief", language, debrief)
    out.add("scenes:")
    for scene in scenes:
        at = scene.passage.line
        out.add(f"  - id: {_plain(scene.id)}", at)
        out.text("    ", "title", language, scene.passage.name, at)
        body = _joined(scene.text)
        out.text("    ", "text", language, body or scene.passage.name,
                 scene.text[0][0] if scene.text else at)
        if scene.sensitive:
            out.add("    sensitive: true", at)
        if scene.skip_to is not None:
            out.add(f"    skip_to: {_plain(scene.skip_to)}", at)
        if scene.write_in:
            out.add("    write_in: true", at)
        if scene.question is not None:
            out.text("    ", "question", language, scene.question[1], scene.question[0])
        if scene.choices:
            out.add("    choices:", scene.choices[0].line)
            for link in scene.choices:
                out.add("      - label:", link.line)
                out.add(f"          {language}: {_quote(link.label or link.target)}",
                        link.line)
                out.add(f"        goto: {_plain(ids[link.target])}", link.line)
                if link.when:
                    out.add(f"        when: {_flow(link.when)}", link.line)
                if link.sets:
                    out.add(f"        set: {_flow(link.sets)}", link.line)
        if scene.next is not None:
            out.add(f"    next: {_plain(ids[scene.next.target])}", scene.next.line)
        if scene.ending:
            out.add("    ending: true", at)
            out.texts("    ", "debrief", language, scene.debrief)
    return "\n".join(out.lines) + "\n", out.source
