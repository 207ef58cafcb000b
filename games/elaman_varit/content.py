"""The content of Elämän värit: decks of cards, and a programme of meetings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from engine import ContentFile, LocalizedText
from engine.content import raise_problems, unique_ids

CardKind = Literal["question", "task", "together", "reflection"]
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Card(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID)
    kind: CardKind
    sensitive: bool = False
    """Touches on something that can hurt (loss, violence, money trouble): a leader may leave
    these out."""
    text: LocalizedText


class Deck(ContentFile):
    """One theme: its colour and icon (never colour alone) and its cards."""

    id: str = Field(pattern=_ID)
    name: LocalizedText
    description: LocalizedText
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    icon: str
    cards: list[Card] = Field(min_length=1)

    @field_validator("cards")
    @classmethod
    def _unique(cls, cards: list[Card]) -> list[Card]:
        return unique_ids(cards, "card id")


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int = Field(ge=1)
    theme: LocalizedText
    decks: list[str] = Field(min_length=1)
    leader_note: LocalizedText


class Programme(ContentFile):
    """A plan of meetings for a group period, for the panel's planning."""

    name: LocalizedText
    meetings: list[Meeting] = Field(min_length=1)


class ElamanVaritContent(BaseModel):
    """``content/elaman_varit/``: ``decks/<id>.yaml`` and ``programme.yaml``."""

    model_config = ConfigDict(extra="forbid")

    decks: dict[str, Deck] = Field(min_length=1)
    programme: Programme

    @model_validator(mode="after")
    def _consistent(self) -> ElamanVaritContent:
        # Raised at the field that is wrong, so the error names its file and line.
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen: dict[str, str] = {}
        for key, deck in self.decks.items():
            if deck.id != key:
                problems.append((("decks", key, "id"),
                                 f"the deck in decks/{key}.yaml has the id '{deck.id}'; name "
                                 f"the file {deck.id}.yaml or change the id"))
            for index, card in enumerate(deck.cards):
                if card.id in seen:
                    problems.append((("decks", key, "cards", index, "id"),
                                     f"the card id '{card.id}' is in both '{seen[card.id]}' "
                                     f"and '{key}'"))
                else:
                    seen[card.id] = key
        known = ", ".join(sorted(self.decks))
        for m, meeting in enumerate(self.programme.meetings):
            for d, name in enumerate(meeting.decks):
                if name not in self.decks:
                    problems.append((("programme", "meetings", m, "decks", d),
                                     f"meeting {meeting.number} names a deck that does not "
                                     f"exist: {name} (the decks are {known})"))
        raise_problems(problems, "ElamanVaritContent")
        return self

    def card(self, card_id: str) -> Card:
        for deck in self.decks.values():
            for card in deck.cards:
                if card.id == card_id:
                    return card
        raise KeyError(card_id)
