"""The content of Pelitarina: the method (stages, quick picks, questions, summary, consent) and
the catalogue of games with drawn category icons. Follows the schema agreed with the content
writers (``content/pelitarina/method.yaml`` and ``catalogue.yaml``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from engine import ContentFile, LocalizedText
from engine.content import ImageRef, unique_ids

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"

#: The catalogue's categories, exactly these, in this order on the tablet.
CATEGORY_IDS = ("board", "card", "outdoor", "ball-sports", "video", "phone", "role-play",
                "puzzle-quiz", "music-dance", "made-up")
STAGE_IDS = ("small-child", "school-years", "teens", "young-adult", "adult", "now")

Origin = Literal["fi", "nordic", "global", "middle-east", "africa", "asia", "russia",
                 "latin-america", "europe"]
Tag = Literal["classic", "children", "street", "family", "online", "current"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Stage(_Model):
    id: str = Field(pattern=_ID)
    label: LocalizedText
    question: LocalizedText
    short: bool = False
    """Part of the leader's shorter set."""


class QuickPick(_Model):
    id: str = Field(pattern=_ID)
    label: LocalizedText


class Gave(_Model):
    id: str = Field(pattern=_ID)
    label: LocalizedText
    strength: LocalizedText
    """How it reads in the summary sentence ("yhteistyötä")."""


class Prompt(_Model):
    id: str = Field(pattern=_ID)
    text: LocalizedText
    sensitive: bool = False


class Summary(_Model):
    intro: LocalizedText
    """``{strengths}`` is a comma list."""
    none: LocalizedText


class Consent(_Model):
    what: LocalizedText
    who: LocalizedText
    how_long: LocalizedText


class MethodFile(ContentFile):
    title: LocalizedText
    description: LocalizedText
    stages: list[Stage] = Field(min_length=1, max_length=6)
    who_with: list[QuickPick] = Field(min_length=1)
    feelings: list[QuickPick] = Field(min_length=1)
    gave: list[Gave] = Field(min_length=1)
    prompts: list[Prompt] = Field(min_length=1)
    summary: Summary
    consent: Consent

    @field_validator("stages", "who_with", "feelings", "gave", "prompts")
    @classmethod
    def _unique(cls, items: list[Any]) -> list[Any]:
        return unique_ids(items)

    @field_validator("summary")
    @classmethod
    def _placeholder(cls, summary: Summary) -> Summary:
        for lang, text in summary.intro.root.items():
            if "{strengths}" not in text:
                raise ValueError(f"summary.intro ({lang}) must contain {{strengths}}")
        return summary


class Category(_Model):
    id: Literal[CATEGORY_IDS]  # type: ignore[valid-type]
    label: LocalizedText
    icon: str = Field(pattern=r"^icons/[a-z0-9-]+\.png$")
    alt: LocalizedText
    picture: ImageRef | None = None
    """Filled in from ``icon`` and ``alt`` so the loader checks the file like any picture."""

    @model_validator(mode="before")
    @classmethod
    def _picture(cls, data: Any) -> Any:
        if isinstance(data, dict) and "picture" not in data and "icon" in data:
            data = {**data, "picture": {"file": data["icon"], "alt": data.get("alt", {})}}
        return data


class Game(_Model):
    id: str = Field(pattern=_ID)
    category: str
    name: LocalizedText
    original: str | None = Field(default=None, max_length=80)
    """The name in its own script or language (Cyrillic, Arabic, …)."""
    origin: Origin | None = None
    tags: list[Tag] = Field(default_factory=list)


class CatalogueFile(ContentFile):
    categories: list[Category] = Field(min_length=len(CATEGORY_IDS))
    games: list[Game] = Field(min_length=80)

    @field_validator("categories", "games")
    @classmethod
    def _unique(cls, items: list[Any]) -> list[Any]:
        return unique_ids(items)

    @model_validator(mode="after")
    def _known_categories(self) -> CatalogueFile:
        ids = [c.id for c in self.categories]
        if sorted(ids) != sorted(CATEGORY_IDS):
            raise ValueError("categories must be exactly: " + ", ".join(CATEGORY_IDS))
        for game in self.games:
            if game.category not in ids:
                raise ValueError(f"game '{game.id}' has the unknown category "
                                 f"'{game.category}'; use one of: " + ", ".join(ids))
        return self


class PelitarinaContent(_Model):
    """``content/pelitarina/``: ``method.yaml`` and ``catalogue.yaml`` (and ``icons/``)."""

    method: MethodFile
    catalogue: CatalogueFile
    _by_id: dict[str, Game] = PrivateAttr(default_factory=dict)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.method.stages if s.id == stage_id), None)

    def game(self, game_id: str) -> Game | None:
        return self._games().get(game_id)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.catalogue.categories if c.id == category_id), None)

    def _games(self) -> dict[str, Game]:
        if not self._by_id:
            self._by_id = {g.id: g for g in self.catalogue.games}
        return self._by_id
