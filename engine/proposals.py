"""Proposals: something a participant writes for the group, read by the leader first.

One path for every activity that lets participants add their own words (a story's write-in
option today; the group's own cards, rooms and stories in co-creation workshops): a seat sends
the engine move ``propose``; the proposal waits in the table's queue (:class:`ProposalQueue`,
kept in :class:`~engine.table.TableMeta`) where only the leader sees it; the leader accepts it
(``proposal_accept``, optionally with edited words — the writer's tablet is told), or returns it
with a kind word (``proposal_return``). Only an accepted proposal reaches the game (its
:class:`Proposals` hook ``on_accepted``), and so the shared screen and other tablets.

Facts, the same wherever proposals are used: ``proposal_made``, ``proposal_accepted``,
``proposal_returned`` — each names the writer's seat and the proposal's number, never its text.

The word list under ``content/moderation/`` does not decide anything by itself: a proposal with a
listed word is marked for the leader (:func:`held_back_words`), and its words are kept out of
sight on the panel until the leader opens them. It is read by the panel at view time, so a
changed list never changes how an old table replays.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .text import LocalizedText, in_four

__all__ = [
    "PROPOSAL_MAX",
    "PROPOSAL_MOVES",
    "Proposal",
    "ProposalQueue",
    "Proposals",
    "WordList",
    "held_back_words",
]

#: Longest proposal, in characters: "a few words".
PROPOSAL_MAX = 80
#: Longest kind word the leader sends back with a returned proposal.
NOTE_MAX = 200

#: The engine's own moves for proposals (reserved: no game may name a move so).
PROPOSAL_MOVES = frozenset({"propose", "proposal_accept", "proposal_return"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _tidy(value: str) -> str:
    return " ".join(value.split())


class Proposal(_Model):
    """One proposal in the queue. ``text`` is what the group will see once accepted (the
    leader's edit, if any); ``written`` is what the participant wrote."""

    id: int
    seat: str
    written: str
    text: str
    topic: str = ""
    """What it was written for (the game's ``topic`` when it was made: a scene and its vote)."""
    status: Literal["pending", "accepted", "returned"] = "pending"
    note: str = ""
    """The leader's kind word with a returned proposal."""

    @property
    def edited(self) -> bool:
        return self.text != self.written


class ProposalQueue(_Model):
    """Every proposal made at a table, in the order made."""

    made: int = 0
    items: list[Proposal] = Field(default_factory=list)

    def find(self, proposal_id: int) -> Proposal | None:
        return next((p for p in self.items if p.id == proposal_id), None)

    def pending(self) -> list[Proposal]:
        return [p for p in self.items if p.status == "pending"]

    def of_seat(self, seat: str) -> list[Proposal]:
        return [p for p in self.items if p.seat == seat]


class ProposePayload(_Model):
    """What a tablet sends: a few words."""

    value: str = Field(min_length=1, max_length=PROPOSAL_MAX)

    @field_validator("value")
    @classmethod
    def _words(cls, value: str) -> str:
        value = _tidy(value)
        if not value:
            raise ValueError("the proposal is empty")
        return value


class AcceptPayload(_Model):
    """The leader accepts proposal ``id``; with ``text``, in the leader's edited words."""

    id: int
    text: str | None = Field(default=None, max_length=PROPOSAL_MAX)


class ReturnPayload(_Model):
    """The leader returns proposal ``id`` with a kind word (or the engine's own)."""

    id: int
    note: str = Field(default="", max_length=NOTE_MAX)


@dataclass(frozen=True)
class Proposals:
    """A game's part in the proposal path.

    ``open(view, seat)`` says whether that seat may write a proposal now (the engine then adds a
    proposal control to its tablet); ``topic(view)`` names what a proposal made now is for;
    ``on_accepted(ctx, state, proposal)`` puts an accepted proposal into the game (or returns
    ``ctx.refuse(...)``, e.g. when its vote is over; the proposal then stays in the queue).
    """

    open: Callable[[Any, str], bool]
    on_accepted: Callable[[Any, Any, Proposal], Any]
    topic: Callable[[Any], str] = lambda view: ""
    label: LocalizedText | None = None
    """Words above the writing field ("Your own option")."""
    max_length: int = PROPOSAL_MAX


# -- words for the tablet ------------------------------------------------------------------------

LEADER_READS_FIRST = in_four(
    "Ohjaaja lukee ehdotukset ensin. Muut näkevät ehdotuksesi vasta, kun ohjaaja on hyväksynyt "
    "sen.",
    "Ledaren läser förslagen först. De andra ser ditt förslag först när ledaren har godkänt det.",
    "The leader reads proposals first. The others see your proposal only once the leader has "
    "accepted it.",
    "Ohjaaja lukee ehdotuksen ensin. Muut näkevät sen vasta, kun ohjaaja hyväksyy sen.")
YOUR_PROPOSAL = in_four("Oma ehdotus", "Ditt eget förslag", "Your own proposal",
                        "Oma ehdotus")
PENDING = in_four("Ohjaaja lukee ehdotustasi: {text}", "Ledaren läser ditt förslag: {text}",
                  "The leader is reading your proposal: {text}",
                  "Ohjaaja lukee ehdotustasi: {text}")
ACCEPTED = in_four("Ehdotuksesi hyväksyttiin: {text}", "Ditt förslag godkändes: {text}",
                   "Your proposal was accepted: {text}", "Ehdotuksesi hyväksyttiin: {text}")
EDITED = in_four("Ohjaaja muokkasi ehdotustasi ja hyväksyi sen: {text} (sinä kirjoitit: "
                 "{written})",
                 "Ledaren ändrade ditt förslag och godkände det: {text} (du skrev: {written})",
                 "The leader edited your proposal and accepted it: {text} (you wrote: "
                 "{written})",
                 "Ohjaaja muutti ehdotustasi. Nyt se on: {text}. Sinä kirjoitit: {written}")
RETURNED = in_four("Ohjaaja palautti ehdotuksesi: {note}", "Ledaren gav tillbaka ditt förslag: "
                   "{note}", "The leader gave your proposal back: {note}",
                   "Ohjaaja palautti ehdotuksesi: {note}")
KIND_WORD = in_four("Kiitos ehdotuksesta! Tällä kertaa se ei päässyt mukaan.",
                    "Tack för förslaget! Den här gången kom det inte med.",
                    "Thank you for your proposal! This time it did not make it in.",
                    "Kiitos ehdotuksesta! Nyt se ei tule mukaan.")
NOT_OPEN = in_four("Nyt ei voi tehdä ehdotuksia.", "Nu kan man inte lämna förslag.",
                   "Proposals are not open now.", "Nyt ei voi ehdottaa.")
NO_SUCH = in_four("Ehdotusta ei löydy, tai se on jo käsitelty.",
                  "Förslaget finns inte, eller så har det redan behandlats.",
                  "That proposal cannot be found, or it has already been dealt with.",
                  "Ehdotusta ei löydy.")
ONE_AT_A_TIME = in_four("Ohjaaja lukee vielä edellistä ehdotustasi. Odota hetki.",
                        "Ledaren läser fortfarande ditt förra förslag. Vänta en stund.",
                        "The leader is still reading your last proposal. Please wait a moment.",
                        "Ohjaaja lukee vielä edellistä ehdotustasi. Odota.")


def fill(template: LocalizedText, **values: str) -> LocalizedText:
    """``template`` in each of its languages with the same ``values`` (a participant's words are
    in one language, shown as written)."""
    return LocalizedText({lang: text.format(**values) for lang, text in template.root.items()})


# -- the word list -------------------------------------------------------------------------------


class WordList(_Model):
    """``content/moderation/words.yaml``: words that hold a proposal back for the leader, per
    language. A word matches a whole word, or the start of one ("idiot" holds back "idiootti"
    only if listed so), ignoring case and accents."""

    kind: Literal["moderation-words"] = "moderation-words"
    words: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("words")
    @classmethod
    def _languages(cls, words: dict[str, list[str]]) -> dict[str, list[str]]:
        for lang in ("fi", "sv", "en"):
            if not words.get(lang):
                raise ValueError(f"give the words for '{lang}' (a list, at least one)")
        return words


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def held_back_words(text: str, word_list: WordList | None) -> list[str]:
    """The listed words found in ``text`` (every language's list), in list order.

    A listed word ending in ``*`` matches any word that starts with it.

    >>> held_back_words("Sinä olet tyhmä", WordList(words={"fi": ["tyhmä"], "sv": ["dum"],
    ...                                                     "en": ["stupid"]}))
    ['tyhmä']
    >>> held_back_words("A dumpling", WordList(words={"fi": ["x"], "sv": ["dum"], "en": ["y"]}))
    []
    """
    if word_list is None:
        return []
    folded = _fold(text)
    found = []
    for words in word_list.words.values():
        for word in words:
            stem = _fold(word.rstrip("*"))
            tail = r"\w*" if word.endswith("*") else ""
            if stem and re.search(rf"(?<!\w){re.escape(stem)}{tail}(?!\w)", folded):
                found.append(word)
    return found
