"""Check-in forms as content: sections of items, each item tied to one life domain.

A form is a file under ``content/checkins/``. Piiri ships its own short plain-language form;
an organisation with a licence for another form (such as the official Kykyviisari) can add it
as a file of its own, recording the owner and the licence in the file. Item kinds: a 0–10
scale with words at both ends, a five-step scale, yes/no, and a short optional text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from engine import ContentFile, LocalizedText, raise_problems
from engine.content import content_root, load_content_dir, unique_ids

__all__ = ["DOMAINS", "CheckinContent", "CheckinForm", "load_checkin_forms"]

#: The life domains items map to (the shape of a work-ability and functioning self-assessment).
DOMAINS = ("wellbeing", "inclusion", "mind", "everyday", "skills", "body", "work_future")
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID)
    domain: Literal["wellbeing", "inclusion", "mind", "everyday", "skills", "body",
                    "work_future"]
    text: LocalizedText


class Scale10Item(_Item):
    kind: Literal["scale10"]
    low: LocalizedText
    high: LocalizedText


class Scale5Item(_Item):
    kind: Literal["scale5"]
    steps: list[LocalizedText] = Field(min_length=5, max_length=5)


class YesNoItem(_Item):
    kind: Literal["yes_no"]


class ShortTextItem(_Item):
    kind: Literal["short_text"]
    max_length: int = Field(default=140, ge=10, le=280)


Item = Annotated[Scale10Item | Scale5Item | YesNoItem | ShortTextItem,
                 Field(discriminator="kind")]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID)
    icon: str
    title: LocalizedText
    items: list[Item] = Field(min_length=1)


class CheckinForm(ContentFile):
    """One check-in form, with whose text it is and under what licence."""

    id: str = Field(pattern=_ID)
    owner: str = Field(min_length=1, max_length=200)
    licence: str = Field(min_length=1, max_length=500)
    title: LocalizedText
    intro: LocalizedText
    sections: list[Section] = Field(min_length=1)

    @field_validator("sections")
    @classmethod
    def _unique(cls, sections: list[Section]) -> list[Section]:
        unique_ids(sections, "section id")
        unique_ids([item for s in sections for item in s.items], "item id")
        return sections

    def items(self) -> list[Scale10Item | Scale5Item | YesNoItem | ShortTextItem]:
        return [item for section in self.sections for item in section.items]


class CheckinContent(RootModel[dict[str, CheckinForm]]):
    """``content/checkins/``: one file per form, named after the form's id."""

    @property
    def forms(self) -> dict[str, CheckinForm]:
        return self.root

    @model_validator(mode="after")
    def _named_after_their_ids(self) -> CheckinContent:
        raise_problems(
            ((key, "id"), f"the form's id is '{form.id}': name the file {form.id}.yaml or "
                          "change the id")
            for key, form in self.root.items() if form.id != key)
        return self


def load_checkin_forms(root: Path | None = None) -> CheckinContent:
    """Every check-in form under ``content/checkins/``.

    Raises:
        engine.ContentError: naming the file, line and field of every problem.
    """
    root = root or content_root()
    return load_content_dir(root / "checkins", CheckinContent, root)
