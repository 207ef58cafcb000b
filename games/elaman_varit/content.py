"""The content of Elämän värit: decks of cards, and a programme of meetings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from engine import ContentFile, LocalizedText
from engine.content import unique_ids

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
        seen: dict[str, str] = {}
        for key, deck in self.decks.items():
            if deck.id != key:
                raise ValueError(f"the deck in decks/{key}.yaml has the id '{deck.id}'; "
                                 f"name the file {deck.id}.yaml or change the id")
            for card in deck.cards:
                if card.id in seen:
                    raise ValueError(f"the card id '{card.id}' is in both '{seen[card.id]}' "
                                     f"and '{key}'")
                seen[card.id] = key
        for meeting in self.programme.meetings:
            unknown = sorted(set(meeting.decks) - set(self.decks))
            if unknown:
                raise ValueError(f"meeting {meeting.number} names decks that do not exist: "
                                 f"{', '.join(unknown)}")
        return self

    def card(self, card_id: str) -> Card:
        for deck in self.decks.values():
            for card in deck.cards:
                if card.id == card_id:
                    return card
        raise KeyError(card_id)
