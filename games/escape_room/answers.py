"""Checking answers: whether what a tablet sent opens a lock.

The normalisation rule for written answers, and why:

* Case, extra spaces, punctuation and hyphens never matter: ``" Letter-box! "`` is
  ``"letterbox"``. A group that found the answer has solved the puzzle; spelling is not the
  test.
* Accents are folded away, and so are the dots and rings of ä, ö and å (``"paivakoti"`` is
  accepted for ``"päiväkoti"`` and ``"brevlada"`` for ``"brevlåda"``). ä, ö and å are
  letters of their own in Finnish and Swedish, but the group's shared tablets may have another
  keyboard layout, many participants are learning Finnish, and a written riddle answer that
  differs from the right one only by dots is the right answer found. Content writers therefore
  never rely on a/ä or o/ö being told apart in a written answer; the few codes where letters
  must be exact are letter *code locks*, whose keypad offers Å, Ä and Ö as keys of their own.
* A leading English article ("a", "an", "the") is dropped. Other variants (plurals, Swedish
  definite forms, synonyms) are listed in the room as accepted alternatives.
* An answer in any of the room's languages opens the lock, so a mixed-language group can answer
  in whichever language they found it in.

Code locks compare symbol by symbol: digits and letters as one string (upper case, spaces
ignored), colours and directions as lists of names. Order, match and choice answers compare the
values the tablet's control sends.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from engine import CodeAlphabet

from .content import (
    AreaAnswer,
    ChoiceAnswer,
    CodeAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
)

__all__ = ["Shape", "is_right", "normalise", "shape_fits"]

_ARTICLES = ("a ", "an ", "the ")
_FOLD = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ð": "d", "þ": "th", "ł": "l"}


def normalise(text: str) -> str:
    """A written answer in its comparable form.

    >>> normalise("  The Letter-box! ")
    'letterbox'
    >>> normalise("Pöytä") == normalise("poyta") == normalise("POYTÄ")
    True
    >>> normalise("Brevlåda")
    'brevlada'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = " ".join(text.split())
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
            break
    decomposed = unicodedata.normalize("NFKD", text)
    out = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue  # the accent, the dots of ä/ö, the ring of å
        char = _FOLD.get(char, char)
        if char.isalnum():
            out.append(char)
    return "".join(out)


Shape = type[str] | type[list[Any]] | type[dict[str, Any]]


def _expected_shape(answer: Any) -> Shape:
    if isinstance(answer, CodeAnswer):
        if answer.alphabet in (CodeAlphabet.digits, CodeAlphabet.letters):
            return str
        return list
    if isinstance(answer, OrderAnswer):
        return list
    if isinstance(answer, MatchAnswer):
        return dict
    return str


def shape_fits(answer: Any, value: Any) -> bool:
    """Whether ``value`` is the kind of thing the lock's control sends (a string, a list or a
    mapping). Anything else is a broken client, not a wrong answer."""
    return isinstance(value, _expected_shape(answer))


def is_right(answer: Any, value: Any) -> bool:
    """Whether ``value`` (as the tablet's control sent it) opens a lock with ``answer``.

    >>> from engine import CodeAlphabet
    >>> is_right(CodeAnswer(input="code", alphabet=CodeAlphabet.digits, code="0451"), "0451")
    True
    """
    if not shape_fits(answer, value):
        return False
    if isinstance(answer, CodeAnswer):
        expected = answer.symbols()
        if isinstance(value, str):
            return list(value.replace(" ", "").upper()) == expected
        return [str(v).strip().lower() for v in value] == expected
    if isinstance(answer, TextAnswer):
        given = normalise(value)
        return bool(given) and any(normalise(a) == given
                                   for accepted in answer.accepted.values() for a in accepted)
    if isinstance(answer, OrderAnswer):
        return list(value) == [item.value for item in answer.items]
    if isinstance(answer, MatchAnswer):
        return dict(value) == {p.left.value: p.right.value for p in answer.pairs}
    if isinstance(answer, AreaAnswer):
        return str(value).strip().upper() == answer.area
    if isinstance(answer, ChoiceAnswer):
        return bool(value == answer.correct)
    return False
