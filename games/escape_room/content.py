"""The content of the escape room: rooms, each one YAML file under ``content/escape_room/rooms/``.

A room is data a writer can read: an intro, puzzles that open one another (``requires``), a
final lock, and an outro with debrief questions. Every puzzle carries the clues that are dealt
to the tablets, two or three tiers of hints, and its answer.

Why so many checks here: a room that cannot be finished (a puzzle nobody can reach, an answer
left out, a group size where someone holds no clue) is found when the content is loaded, with
the file, the line and the field named, never in the middle of a group session. The checks use
the same dealing function the game uses, so "everyone gets a clue" is proved for every group size
the room says it supports.

Example (the shape of one puzzle)::

    - id: bus-time
      kind: split
      title: {fi: Bussi kotiin, ...}
      task: {fi: Millä bussilla Leena tuli kotiin? ..., ...}
      clues:
        - {fi: Kahvilan kuitti ..., ...}
        - {fi: Bussin 7 aikataulu ..., ...}
      hints: [{fi: ...}, {fi: ...}, {fi: ...}]
      answer: {input: code, alphabet: digits, code: "1435"}
      solved: {fi: Kyllä! ..., ...}
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from engine import CodeAlphabet, ContentFile, LocalizedText
from engine.content import ImageRef, raise_problems, said

from .deal import deal, deal_order, start_puzzles

__all__ = [
    "CODE_SYMBOLS",
    "MAX_PLAYERS",
    "AnswerSpec",
    "Area",
    "AreaAnswer",
    "ChoiceAnswer",
    "CodeAnswer",
    "EscapeContent",
    "Item",
    "MatchAnswer",
    "OrderAnswer",
    "Pair",
    "Picture",
    "Puzzle",
    "PuzzleKind",
    "Room",
    "Step",
    "TextAnswer",
    "clue_id",
    "puzzle_of_clue",
]

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"

#: The most players a room can be written for (the game's own seat limit).
MAX_PLAYERS = 6

#: The symbols the tablet's code control offers for each alphabet (facilitator/static/tablet.js).
CODE_SYMBOLS: dict[CodeAlphabet, frozenset[str]] = {
    CodeAlphabet.digits: frozenset("0123456789"),
    CodeAlphabet.letters: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"),
    CodeAlphabet.colours: frozenset({"orange", "sky", "green", "yellow", "blue", "vermilion",
                                     "purple", "grey"}),
    CodeAlphabet.directions: frozenset({"up", "right", "down", "left"}),
}

PuzzleKind = Literal["code", "riddle", "cipher", "order", "match", "split", "find", "multi"]

#: Which answer inputs each kind of puzzle may use.
KIND_INPUTS: dict[str, frozenset[str]] = {
    "code": frozenset({"code"}),
    "riddle": frozenset({"text"}),
    "cipher": frozenset({"code", "text"}),
    "order": frozenset({"order"}),
    "match": frozenset({"match"}),
    "split": frozenset({"code", "text", "choice", "order", "match", "area"}),
    "find": frozenset({"area"}),
    "multi": frozenset({"code", "text", "choice", "order", "match", "area"}),
}

#: Kinds that only work when their clues are spread over several tablets.
_NEEDS_TWO_CLUES = frozenset({"cipher", "split"})

_Loc = tuple[str | int, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def clue_id(puzzle: str, number: int) -> str:
    """The id of a puzzle's clue, counted from 1: ``clue_id("bus-time", 2) == "bus-time.2"``."""
    return f"{puzzle}.{number}"


def puzzle_of_clue(clue: str) -> str:
    """The puzzle a clue belongs to: ``puzzle_of_clue("bus-time.2") == "bus-time"``."""
    return clue.rsplit(".", 1)[0]


def _raise(title: str, problems: list[tuple[_Loc, str]]) -> None:
    """:func:`engine.content.raise_problems`: each problem at its field, a coded check (made
    with :func:`engine.content.said`) carrying its code and values."""
    raise_problems(problems, title)


# -- answers -----------------------------------------------------------------------------------


class Item(_Strict):
    """Something to put in order, match or choose: a value the tablet sends, and its words."""

    value: str = Field(pattern=_ID)
    label: LocalizedText


class Pair(_Strict):
    left: Item
    right: Item


class CodeAnswer(_Strict):
    """A code lock. Digits and letters are written as one string (``"0451"``, ``"RAILI"``);
    colours and directions as a list (``[green, blue]``, ``[up, left]``)."""

    input: Literal["code"]
    alphabet: CodeAlphabet
    code: str | list[str]

    def symbols(self) -> list[str]:
        """The code as a list of symbols, whatever way it was written."""
        if isinstance(self.code, str):
            if self.alphabet in (CodeAlphabet.digits, CodeAlphabet.letters):
                return list(self.code.replace(" ", "").upper())
            return [self.code]
        return [str(s).strip().lower() for s in self.code]


class TextAnswer(_Strict):
    """A written answer. Accepted answers are listed per language, and an answer in any of the
    room's languages opens the lock (a mixed-language group may answer in any of them)."""

    input: Literal["text"]
    accepted: dict[str, list[Annotated[str, Field(min_length=1, max_length=60)]]]


class OrderAnswer(_Strict):
    """Put in order: the items are listed here in the right order; tablets show them mixed."""

    input: Literal["order"]
    items: list[Item] = Field(min_length=2, max_length=8)



class MatchAnswer(_Strict):
    """Match pairs: the right pairs are listed here; tablets show the right column mixed."""

    input: Literal["match"]
    pairs: list[Pair] = Field(min_length=2, max_length=8)



class AreaAnswer(_Strict):
    """Find in the picture: the letter of the right area of the puzzle's picture."""

    input: Literal["area"]
    area: str = Field(pattern=r"^[A-Z]$")


class ChoiceAnswer(_Strict):
    """Choose one of a few options."""

    input: Literal["choice"]
    options: list[Item] = Field(min_length=2, max_length=8)
    correct: str



def _repeated(values: list[str]) -> str | None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def _spec_problems(answer: Any) -> list[tuple[_Loc, str]]:
    """What is wrong inside one answer, each with the field (below ``answer``) to fix. Checked
    here rather than in the answer models, so that locations name the field and not the
    answer's kind."""
    problems: list[tuple[_Loc, str]] = []
    if isinstance(answer, CodeAnswer):
        symbols = answer.symbols()
        if not 1 <= len(symbols) <= 12:
            problems.append((("code",), said("a code has 1 to 12 symbols", "code_length")))
        allowed = CODE_SYMBOLS[answer.alphabet]
        wrong = [s for s in symbols if s not in allowed]
        if wrong:
            problems.append((("code",), said(
                f"{', '.join(repr(s) for s in wrong)} cannot be entered on the tablet's "
                f"{answer.alphabet.value} keys (they are {', '.join(sorted(allowed))})",
                "code_keys", wrong=" ".join(wrong), alphabet=answer.alphabet.value)))
    elif isinstance(answer, OrderAnswer):
        twice = _repeated([i.value for i in answer.items])
        if twice:
            problems.append((("items",), f"the value '{twice}' is used twice"))
    elif isinstance(answer, MatchAnswer):
        for side in ("left", "right"):
            twice = _repeated([getattr(p, side).value for p in answer.pairs])
            if twice:
                problems.append((("pairs",), f"the {side} value '{twice}' is used twice"))
    elif isinstance(answer, ChoiceAnswer):
        twice = _repeated([o.value for o in answer.options])
        if twice:
            problems.append((("options",), f"the value '{twice}' is used twice"))
        if answer.correct not in {o.value for o in answer.options}:
            problems.append((("correct",), f"the correct option '{answer.correct}' is not "
                                           "among the options"))
    return problems


AnswerSpec = Annotated[
    CodeAnswer | TextAnswer | OrderAnswer | MatchAnswer | AreaAnswer | ChoiceAnswer,
    Field(discriminator="input"),
]

# -- pictures, puzzles, rooms ------------------------------------------------------------------


class Area(_Strict):
    """A labelled part of a picture: the group answers with its letter."""

    letter: str = Field(pattern=r"^[A-Z]$")
    label: LocalizedText


class Picture(_Strict):
    """A picture on the shared screen, told in words, with an image file that ships with the
    room (``image: {file: pictures/stairwell.png, alt: {...}}``, checked when the content is
    loaded): its areas have letters, drawn on the image too, so a find-in-the-picture puzzle
    is answered by choosing one."""

    title: LocalizedText
    description: LocalizedText
    image: ImageRef | None = None
    areas: list[Area] = Field(min_length=2, max_length=12)

    @field_validator("areas")
    @classmethod
    def _unique(cls, areas: list[Area]) -> list[Area]:
        twice = _repeated([a.letter for a in areas])
        if twice:
            raise ValueError(f"the letter '{twice}' is used twice")
        return areas


class Step(_Strict):
    """One step of a multi-step puzzle, with its own hints."""

    task: LocalizedText
    answer: AnswerSpec | None = None
    hints: list[LocalizedText] = Field(default_factory=list)


class Puzzle(_Strict):
    """One lock of a room."""

    id: str = Field(pattern=_ID)
    kind: PuzzleKind
    title: LocalizedText
    """The lock's name on the screen's lock panel."""
    task: LocalizedText
    """What the group is asked, on every tablet while the lock is open."""
    requires: list[str] = Field(default_factory=list)
    """The puzzles that must be solved before this one opens."""
    picture: str | None = None
    """A picture of the room (by its id) shown on the screen while this lock is open."""
    clues: list[LocalizedText] = Field(default_factory=list)
    """Clues dealt out to the tablets: each tablet sees only its own."""
    hints: list[LocalizedText] = Field(default_factory=list)
    """Two or three tiers, from a nudge to the answer (a multi-step puzzle has them per step)."""
    answer: AnswerSpec | None = None
    steps: list[Step] = Field(default_factory=list)
    solved: LocalizedText
    """The story when the lock opens."""

    @model_validator(mode="after")
    def _complete(self) -> Puzzle:
        problems: list[tuple[_Loc, str]] = []
        allowed = KIND_INPUTS[self.kind]
        if self.kind == "multi":
            if self.answer is not None:
                problems.append((("answer",), "a multi-step puzzle has its answers under "
                                               "'steps', one for each step"))
            if len(self.steps) < 2:
                problems.append((("steps",), "a multi-step puzzle needs at least two steps"))
            if self.hints:
                problems.append((("hints",), "a multi-step puzzle has its hints under each "
                                              "step"))
            for index, step in enumerate(self.steps):
                if step.answer is None:
                    problems.append((("steps", index, "answer"),
                                     f"step {index + 1} has no answer: add 'answer:' with the "
                                     "input and the right answer"))
                for loc, message in _spec_problems(step.answer):
                    problems.append((("steps", index, "answer", *loc), message))
                if not 2 <= len(step.hints) <= 3:
                    problems.append((("steps", index, "hints"),
                                     f"step {index + 1} needs 2 or 3 hints (it has "
                                     f"{len(step.hints)})"))
        else:
            if self.steps:
                problems.append((("steps",), "only a puzzle of kind 'multi' has steps"))
            if self.answer is None:
                problems.append((("answer",), said(
                    f"the puzzle '{self.id}' has no answer: add 'answer:' with the input and "
                    "the right answer", "no_answer")))
            else:
                problems += [(("answer", *loc), m) for loc, m in _spec_problems(self.answer)]
            if self.answer is not None and self.answer.input not in allowed:
                problems.append((("answer", "input"), said(
                    f"a '{self.kind}' puzzle is answered with {' or '.join(sorted(allowed))}, "
                    f"not '{self.answer.input}'", "answer_input", kind=self.kind)))
            if not 2 <= len(self.hints) <= 3:
                problems.append((("hints",), said(
                    f"give 2 or 3 hints, from a nudge to the answer (there are "
                    f"{len(self.hints)})", "hint_count", count=len(self.hints))))
        if self.kind in _NEEDS_TWO_CLUES and len(self.clues) < 2:
            problems.append((("clues",), said(
                f"a '{self.kind}' puzzle needs at least two clues, so that they land on "
                "different tablets", "two_clues", kind=self.kind)))
        if self.kind == "find" and self.picture is None:
            problems.append((("picture",), said(
                "a find-in-the-picture puzzle needs a picture", "needs_picture")))
        _raise("Puzzle", problems)
        return self

    def answers(self) -> list[Any]:
        """The answer of each step (a single-step puzzle has one)."""
        if self.steps:
            return [step.answer for step in self.steps]
        return [self.answer]

    def step_count(self) -> int:
        return max(1, len(self.steps))

    def hints_for(self, step: int) -> list[LocalizedText]:
        return self.steps[step].hints if self.steps else self.hints

    def clue_ids(self) -> list[str]:
        return [clue_id(self.id, n) for n in range(1, len(self.clues) + 1)]


class Story(_Strict):
    title: LocalizedText
    body: LocalizedText


class Outro(_Strict):
    title: LocalizedText
    body: LocalizedText
    questions: list[LocalizedText] = Field(min_length=2, max_length=3)
    """Debrief questions the group talks about after the room."""


class Room(ContentFile):
    """One escape room: ``content/escape_room/rooms/<id>.yaml``."""

    kind: Literal["escape-room"]
    id: str = Field(pattern=_ID)
    title: LocalizedText
    summary: LocalizedText
    minutes: int = Field(ge=10, le=90)
    """About how long the room takes a group, for the leader's planning."""
    min_players: int = Field(default=2, ge=1, le=MAX_PLAYERS)
    max_players: int = Field(default=MAX_PLAYERS, ge=1, le=MAX_PLAYERS)
    intro: Story
    pictures: dict[str, Picture] = Field(default_factory=dict)
    puzzles: list[Puzzle] = Field(min_length=2, max_length=12)
    final: str
    """The id of the final lock: opening it gets the group out."""
    outro: Outro

    _by_id: dict[str, Puzzle] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _solvable(self) -> Room:
        problems = _room_problems(self)
        _raise("Room", problems)
        self._by_id = {p.id: p for p in self.puzzles}
        return self

    # -- reading ---------------------------------------------------------------------------

    def puzzle(self, puzzle_id: str) -> Puzzle:
        return self._by_id[puzzle_id]

    def has_puzzle(self, puzzle_id: str) -> bool:
        return puzzle_id in self._by_id

    def clue_text(self, clue: str) -> LocalizedText:
        puzzle = self._by_id[puzzle_of_clue(clue)]
        number = int(clue.rsplit(".", 1)[1])
        return puzzle.clues[number - 1]

    def has_clue(self, clue: str) -> bool:
        puzzle = self._by_id.get(puzzle_of_clue(clue))
        if puzzle is None or "." not in clue:
            return False
        return clue in puzzle.clue_ids()

    def graph(self) -> dict[str, list[str]]:
        """Each puzzle's ``requires``."""
        return {p.id: list(p.requires) for p in self.puzzles}

    def clues_in_deal_order(self) -> list[str]:
        """Every clue, the puzzles open at the start first (see :func:`deal.deal_order`)."""
        return deal_order(self.graph(), {p.id: p.clue_ids() for p in self.puzzles})


def _room_problems(room: Room) -> list[tuple[_Loc, str]]:
    """Everything that would stop a group finishing this room, each with the field to fix."""
    problems: list[tuple[_Loc, str]] = []
    ids = [p.id for p in room.puzzles]
    index = {pid: i for i, pid in reversed(list(enumerate(ids)))}
    for i, pid in enumerate(ids):
        if index[pid] != i:
            problems.append((("puzzles", i, "id"), f"the puzzle id '{pid}' is used twice"))
    if room.min_players > room.max_players:
        problems.append((("min_players",), f"min_players ({room.min_players}) is more than "
                                           f"max_players ({room.max_players})"))
    if room.final not in index:
        problems.append((("final",), f"the final lock '{room.final}' is not a puzzle in this "
                                     f"room (the puzzles are {', '.join(ids)})"))
    languages = list(room.translations)
    for i, puzzle in enumerate(room.puzzles):
        for j, needed in enumerate(puzzle.requires):
            if needed == puzzle.id:
                problems.append((("puzzles", i, "requires", j),
                                 f"the puzzle '{puzzle.id}' requires itself, so it can never "
                                 "open"))
            elif needed not in index:
                problems.append((("puzzles", i, "requires", j),
                                 f"'{needed}' is not a puzzle in this room (the puzzles are "
                                 f"{', '.join(ids)})"))
        if puzzle.picture is not None and puzzle.picture not in room.pictures:
            problems.append((("puzzles", i, "picture"),
                             f"there is no picture '{puzzle.picture}' under 'pictures'"))
        problems.extend(_answer_problems(room, i, puzzle, languages))
    if problems:
        return problems  # the graph checks below need every name to be right first

    graph = room.graph()
    reachable = _reachable(graph)
    for i, puzzle in enumerate(room.puzzles):
        if puzzle.id in reachable:
            continue
        cycle = _cycle_through(graph, puzzle.id)
        if cycle:
            why = (f"it waits in a circle: {' → '.join([*cycle, cycle[0]])}, so none of "
                   "them can ever open")
        else:
            blocked = [r for r in puzzle.requires if r not in reachable]
            why = f"it waits for {', '.join(repr(b) for b in blocked)}, which can never open"
        problems.append((("puzzles", i, "requires"), said(
            f"the puzzle '{puzzle.id}' cannot be reached from the start: {why}",
            "lock_unreachable", lock=puzzle.id)))
    if problems:
        return problems

    final = room.final
    for i, puzzle in enumerate(room.puzzles):
        if final in puzzle.requires:
            problems.append((("puzzles", i, "requires"),
                             f"'{puzzle.id}' requires the final lock '{final}', but nothing "
                             "comes after the final lock"))
    leads_to_final = _ancestors(graph, final)
    for i, puzzle in enumerate(room.puzzles):
        if puzzle.id != final and puzzle.id not in leads_to_final:
            problems.append((("puzzles", i, "id"), said(
                f"the puzzle '{puzzle.id}' is a dead end: the final lock '{final}' does not "
                "need it, directly or through other puzzles. Add it to the 'requires' of a "
                "later puzzle", "lock_dead_end", lock=puzzle.id)))
    if problems:
        return problems
    problems.extend(_dealing_problems(room))
    return problems


def _answer_problems(room: Room, i: int, puzzle: Puzzle,
                     languages: list[str]) -> list[tuple[_Loc, str]]:
    """Answers that need the room around them: pictures' letters and the room's languages."""
    problems: list[tuple[_Loc, str]] = []
    places: list[tuple[_Loc, Any]] = []
    if puzzle.steps:
        places = [(("puzzles", i, "steps", s, "answer"), step.answer)
                  for s, step in enumerate(puzzle.steps)]
    else:
        places = [(("puzzles", i, "answer"), puzzle.answer)]
    for loc, answer in places:
        if isinstance(answer, TextAnswer):
            missing = [lang for lang in languages if not answer.accepted.get(lang)]
            if missing:
                problems.append(((*loc, "accepted"), said(
                    f"list accepted answers in {', '.join(missing)} too (the file is "
                    "translated into it)", "accepted_languages", missing=", ".join(missing))))
        if isinstance(answer, AreaAnswer):
            picture = room.pictures.get(puzzle.picture or "")
            if picture is None:
                problems.append(((*loc, "area"), said(
                    "an area answer needs the puzzle to have a picture", "needs_picture")))
            elif answer.area not in {a.letter for a in picture.areas}:
                letters = ", ".join(a.letter for a in picture.areas)
                problems.append(((*loc, "area"), f"the picture '{puzzle.picture}' has no area "
                                                 f"'{answer.area}' (it has {letters})"))
    return problems


def _reachable(graph: dict[str, list[str]]) -> set[str]:
    """The puzzles a group can open, solving them one by one from the start."""
    opened: set[str] = set()
    changed = True
    while changed:
        changed = False
        for pid, needs in graph.items():
            if pid not in opened and all(n in opened for n in needs):
                opened.add(pid)
                changed = True
    return opened


def _cycle_through(graph: dict[str, list[str]], start: str) -> list[str]:
    """A circle of ``requires`` that ``start`` is on, or an empty list."""
    path: list[str] = []

    def walk(node: str) -> list[str]:
        if node in path:
            return path[path.index(node):] if node == start else []
        path.append(node)
        for nxt in graph.get(node, []):
            found = walk(nxt)
            if found:
                return found
        path.pop()
        return []

    return walk(start)


def _ancestors(graph: dict[str, list[str]], node: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(node, []))
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo.extend(graph.get(pid, []))
    return seen


def _dealing_problems(room: Room) -> list[tuple[_Loc, str]]:
    """Deal the clues for every group size the room supports, exactly as the game deals them,
    and check that every player holds a clue for a lock that is open from the start."""
    clues = room.clues_in_deal_order()
    first = start_puzzles(room.graph())
    for players in range(room.min_players, room.max_players + 1):
        seats = [f"player {n}" for n in range(1, players + 1)]
        hands = deal(clues, seats)
        empty = [s for s in seats if not any(puzzle_of_clue(c) in first for c in hands[s])]
        if empty:
            held = sum(1 for c in clues if puzzle_of_clue(c) in first)
            return [(("max_players",), said(
                f"with {players} players, {len(empty)} of them would have no clue to share at "
                f"the start: the puzzles open at the start ({', '.join(sorted(first))}) have "
                f"only {held} clues between them. Add clues to them, or set max_players to "
                f"{max(room.min_players, held)}", "clue_for_everyone", players=players,
                empty=len(empty), held=held))]
    return []


class EscapeContent(BaseModel):
    """``content/escape_room/``: one file per room under ``rooms/``."""

    model_config = ConfigDict(extra="forbid")

    rooms: dict[str, Room] = Field(min_length=1)

    @model_validator(mode="after")
    def _named_after_files(self) -> EscapeContent:
        problems: list[tuple[_Loc, str]] = []
        for key, room in self.rooms.items():
            if room.id != key:
                problems.append((("rooms", key, "id"),
                                 f"the room in rooms/{key}.yaml has the id '{room.id}'; name the "
                                 f"file {room.id}.yaml or change the id"))
        _raise("EscapeContent", problems)
        return self

    def room(self, room_id: str) -> Room:
        return self.rooms[room_id]
