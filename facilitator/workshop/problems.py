"""What is wrong with a made file, told to the leader in the leader's language.

A made file is checked by its activity's own content models, whose messages are pydantic's
(``Input should be a valid string``) or the content checks' English, which ``piiri content
check`` prints for a content writer. The panel tells each one again as a sentence naming the
item and the field as the leader knows them (``Kortti 3, teksti: puuttuu``): pydantic's errors
by their type, the content checks by the stable code they carry (``ctx["check"]``). Anything
else gets a plain general sentence with the check's own words after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext

from games.workshop.targets import Target

__all__ = ["Problem", "language_name", "place_of", "told"]


@dataclass(frozen=True)
class Problem:
    """What is wrong with a draft, at one field, in plain words."""

    field: Any
    """Where: the field's path in the file (``cards.0.kind``), or already the leader's words
    for it (``Scene 1``, lazily translated)."""
    message: Any
    """What is wrong, as the check says it (the content check's English), or already the
    leader's words for it."""
    place: Any = None
    """The item and field as the leader knows them, in the leader's language."""
    said: Any = None
    """What is wrong in the leader's language (``None``: :attr:`message` is that already)."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else str(self.message)

    @property
    def plain(self) -> str:
        """The sentence the leader reads."""
        if self.said is None:
            return str(self)
        return f"{self.place}: {self.said}" if self.place else str(self.said)

    @property
    def path(self) -> str:
        """Where in the file, for whoever edits the file itself (empty when the problem is
        about no field of a file)."""
        return str(self.field) if self.said is not None and self.field else ""


#: The languages a draft may be in, each by its own name.
_LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English", "fi-x-selko": "selkosuomi"}


def language_name(tag: str) -> str:
    return _LANGUAGE_NAMES.get(tag, tag)


def _item(shape: Target, number: int) -> Any:
    """An item as the leader knows it, by its place in the draft."""
    if shape.lock:
        return lazy_gettext("Lock %(n)s", n=number)
    if shape.story:
        return lazy_gettext("Scene %(n)s", n=number)
    if shape.items == "cards":
        return lazy_gettext("Card %(n)s", n=number)
    if shape.items == "prompts":
        return lazy_gettext("Question %(n)s", n=number)
    return lazy_gettext("Item %(n)s", n=number)


def _whole(shape: Target) -> Any:
    """The made file as a whole."""
    if shape.lock:
        return lazy_gettext("The room")
    if shape.story:
        return lazy_gettext("The story")
    if shape.items == "cards":
        return lazy_gettext("The deck")
    if shape.items == "prompts":
        return lazy_gettext("The questions")
    return lazy_gettext("The file")


def _fields() -> dict[str, Any]:
    return {
        "text": lazy_gettext("text"), "kind": lazy_gettext("kind"),
        "answer": lazy_gettext("answer"), "title": lazy_gettext("title"),
        "task": lazy_gettext("task"), "solved": lazy_gettext("the words when it opens"),
        "sensitive": lazy_gettext("sensitive mark"), "ending": lazy_gettext("ending mark"),
        "clues": lazy_gettext("clues"), "hints": lazy_gettext("hints"),
        "choices": lazy_gettext("choices"), "picture": lazy_gettext("picture"),
        "steps": lazy_gettext("steps"), "debrief": lazy_gettext("questions after it"),
    }


def _numbered(name: str, number: int) -> Any:
    if name == "clues":
        return lazy_gettext("clue %(n)s", n=number)
    if name == "hints":
        return lazy_gettext("hint %(n)s", n=number)
    if name == "choices":
        return lazy_gettext("choice %(n)s", n=number)
    return None


#: Fields a leader never sees (made by Piiri around the group's words).
_HIDDEN = {"id", "requires", "root"}
#: Fields that hold a text by language.
_TEXTS = {"text", "title", "task", "solved", "label", "clues", "hints", "debrief"}


def place_of(shape: Target, loc: tuple[Any, ...]) -> tuple[Any, str | None]:
    """The item and field a location in the made file is about, in the leader's words, and
    the name of the field it ends at (``None`` at the item or the file itself)."""
    loc = tuple(part for part in loc if part != "root")
    if len(loc) >= 2 and loc[0] == shape.items and isinstance(loc[1], int):
        parts: list[Any] = [_item(shape, loc[1] + 1)]
        rest = loc[2:]
    else:
        parts = [_whole(shape)]
        rest = loc[1:] if loc and loc[0] == shape.items else ()
    name: str | None = None
    if rest and isinstance(rest[0], str) and rest[0] not in _HIDDEN:
        name = rest[0]
        numbered = _numbered(name, rest[1] + 1) if len(rest) > 1 \
            and isinstance(rest[1], int) else None
        parts.append(numbered or _fields().get(name) or f"“{name}”")
    return _joined(parts), name


def _joined(parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    return lazy_gettext("%(item)s, %(field)s", item=parts[0], field=parts[1])


def _listed(expected: str) -> str:
    """``'a', 'b' or 'c'`` (pydantic's English) as ``a, b, c``."""
    found = re.findall(r"'([^']*)'", expected)
    return ", ".join(found) if found else expected


def _about_text(error: dict[str, Any]) -> Any:
    """The checks of a text by language (the engine's ``LocalizedText``) have no codes:
    their three sentences are known by their words."""
    detail = str(error.get("ctx", {}).get("error", error.get("msg", "")))
    if detail.startswith("text needs at least one language"):
        return lazy_gettext("write the text")
    if "is not a language tag" in detail:
        return lazy_gettext("the language is not one Piiri knows (fi, sv, en, fi-x-selko)")
    found = re.match(r"the \S+ text (is empty|has ([\d,]+) characters; a scene may have at "
                     r"most ([\d,]+))", detail)
    if found and found.group(3):
        return lazy_gettext("is too long (at most %(n)s characters)",
                            n=found.group(3).replace(",", ""))
    if found:
        return lazy_gettext("is empty")
    return None


def _check(shape: Target, code: str, ctx: dict[str, Any]) -> Any:
    """A content check shared with shipped content, by its code."""
    if code == "clue_for_everyone":
        return lazy_gettext(
            "with %(players)s players, %(empty)s of them would hold no clue at the start: the "
            "locks open at the start have only %(held)s clues between them. Add clues to "
            "them.", players=ctx.get("players"), empty=ctx.get("empty"), held=ctx.get("held"))
    if code == "lock_unreachable":
        return lazy_gettext("this lock can never be opened: it waits for a lock that never "
                            "opens")
    if code == "lock_dead_end":
        return lazy_gettext("opening this lock does not lead on to the last lock")
    if code == "no_answer":
        return lazy_gettext("write the answer")
    if code == "answer_input":
        return lazy_gettext("the answer does not suit this kind of lock: a code lock is "
                            "opened with numbers, a riddle with words")
    if code == "hint_count":
        return lazy_gettext("give 2 or 3 hints (now %(n)s)", n=ctx.get("count"))
    if code == "two_clues":
        return lazy_gettext("this kind of lock needs at least two clues, so that they go to "
                            "different tablets")
    if code == "needs_picture":
        return lazy_gettext("this kind of lock needs a picture, and a room made in a workshop "
                            "has none: choose another kind")
    if code == "code_length":
        return lazy_gettext("a code has 1 to 12 numbers or letters")
    if code == "code_keys":
        return lazy_gettext("%(wrong)s cannot be typed on the tablet's keys: use only numbers "
                            "(or letters, if the lock has letter keys)", wrong=ctx.get("wrong"))
    if code == "accepted_languages":
        missing = ", ".join(language_name(tag.strip())
                            for tag in str(ctx.get("missing", "")).split(","))
        return lazy_gettext("write the accepted answer in %(languages)s too (the other texts "
                            "are in it)", languages=missing)
    if code == "scene_unreachable":
        return lazy_gettext("no choice leads to this scene, so the group never sees it: link "
                            "a choice to it")
    if code == "no_way_to_ending":
        return lazy_gettext("from here the story never reaches an end: let a choice lead to "
                            "the end or to a scene that ends")
    if code == "no_ending":
        return lazy_gettext("the story has no end yet: let a choice lead to the end, or mark "
                            "a scene as an ending")
    if code == "no_such_scene":
        return lazy_gettext("the scene this choice leads to is not in the story; choose "
                            "another")
    if code in ("one_choice", "no_way_on"):
        return lazy_gettext("a scene needs two or three choices, or the mark that it is an "
                            "ending")
    return None


def _said(shape: Target, error: dict[str, Any], field: str | None) -> Any:
    """What pydantic's error, or a content check's, says, in the leader's language; ``None``
    if it is not one known here."""
    kind = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind == "content" and "check" in ctx:
        return _check(shape, str(ctx["check"]), ctx)
    if kind == "missing":
        return lazy_gettext("missing")
    if kind in ("string_type", "string_sub_type"):
        return lazy_gettext("should be text")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return lazy_gettext("should be a whole number")
    if kind in ("float_type", "float_parsing", "finite_number"):
        return lazy_gettext("should be a number")
    if kind in ("bool_type", "bool_parsing"):
        return lazy_gettext("should be yes or no (true or false)")
    if kind in ("list_type", "tuple_type", "set_type"):
        return lazy_gettext("should be a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if field in _TEXTS:
            return lazy_gettext("should be written by language, for example “fi: Hei”")
        return lazy_gettext("should be a set of named parts")
    if kind == "too_short":
        return lazy_gettext("has too few (at least %(n)s)", n=ctx.get("min_length"))
    if kind == "too_long":
        return lazy_gettext("has too many (at most %(n)s)", n=ctx.get("max_length"))
    if kind == "string_too_short":
        return lazy_gettext("is empty")
    if kind == "string_too_long":
        return lazy_gettext("is too long (at most %(n)s characters)",
                            n=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return lazy_gettext("may use only small letters a–z, digits and hyphens")
    if kind in ("literal_error", "enum"):
        return lazy_gettext("choose one of: %(values)s",
                            values=_listed(str(ctx.get("expected", ""))))
    if kind == "union_tag_invalid":
        return lazy_gettext("is not a kind Piiri knows; choose one of: %(values)s",
                            values=_listed(str(ctx.get("expected_tags", ""))))
    if kind == "union_tag_not_found":
        return lazy_gettext("does not say which kind it is")
    if kind in ("greater_than_equal", "greater_than"):
        return lazy_gettext("is too small (at least %(n)s)",
                            n=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return lazy_gettext("is too large (at most %(n)s)", n=ctx.get("le", ctx.get("lt")))
    if kind == "value_error":
        return _about_text(error)
    return None


def told(shape: Target, errors: list[dict[str, Any]],
         prefix: tuple[Any, ...] = ()) -> list[Problem]:
    """pydantic's errors of a made file (or of the activity's content with it in, below
    ``prefix``) as problems the leader reads in their own language."""
    out = []
    for error in errors:
        loc = tuple(part for part in error["loc"] if part != "root")
        path = ".".join(str(part) for part in (*prefix, *loc))
        detail = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "too_short" and loc and loc[-1] == shape.items:
            message = "add at least one first"
        else:
            message = detail
        if error["type"] == "extra_forbidden" and loc:
            place, _ = place_of(shape, loc[:-1])
            said: Any = lazy_gettext(
                "“%(name)s” is not a part this can have (check the spelling, or remove it)",
                name=str(loc[-1])[:40])
        else:
            place, field = place_of(shape, loc)
            said = _said(shape, error, field)
            if error["type"] == "too_short" and loc and loc[-1] == shape.items:
                said = lazy_gettext("add at least one first")
            if said is None:
                said = lazy_gettext("this is not right yet (the check says: %(detail)s)",
                                    detail=detail[:300])
        out.append(Problem(path, message, place, said))
    return out
