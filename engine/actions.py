"""Actions: everything that can be asked of a table, as validated pydantic models.

The hub builds an action from a tablet's or the panel's message, stamps it with the UTC time
``at`` and hands it to :meth:`engine.table.Table.apply`. The engine itself never reads a clock.
Who may send what is decided at the edge: seat actions carry the seat the hub authenticated;
leader actions come only from the panel.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from .scene import Avatar
from .text import LocalizedText

__all__ = [
    "NICKNAME_MAX",
    "Action",
    "CheckinMark",
    "CloseCheckin",
    "CloseSideRound",
    "CreateTable",
    "EndTable",
    "GiveHint",
    "Join",
    "Leave",
    "MakeMove",
    "OpenCheckin",
    "OpenSideRound",
    "PassTurn",
    "PauseTable",
    "Presence",
    "ResumeTable",
    "SetTimer",
    "SideRoundStep",
    "SkipTurn",
    "StartTable",
    "Tick",
    "TieMember",
]

#: One limit everywhere: the panel's member nickname (the database column), the tablet's name
#: field and the join action, so a roster name always fits and joins as that member.
NICKNAME_MAX = 40
HINT_MAX = 280


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at: AwareDatetime


class CreateTable(_Action):
    """The first event of every log: which game, which version, which content, which seed."""

    type: Literal["create"] = "create"
    table_id: str
    game: str
    game_version: int
    content_hash: str
    seed: int
    room_code: str = ""
    options: dict[str, Any] = Field(default_factory=dict)


class Join(_Action):
    """A new seat. ``member`` ties the seat to a group member the leader chose, if any."""

    type: Literal["join"] = "join"
    nickname: str = Field(min_length=1, max_length=NICKNAME_MAX)
    avatar: Avatar
    member: str | None = None

    @field_validator("nickname")
    @classmethod
    def _tidy(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("nickname is empty")
        return value


class Presence(_Action):
    """A seat's tablet connected or dropped (a sleeping tablet is not an absence)."""

    type: Literal["presence"] = "presence"
    seat: str
    connected: bool


class Leave(_Action):
    """A seat leaves the table for good (hand-over) or the leader removes it."""

    type: Literal["leave"] = "leave"
    seat: str
    removed_by_leader: bool = False


class StartTable(_Action):
    type: Literal["start"] = "start"


class MakeMove(_Action):
    """A game move. ``seat`` is ``None`` when the leader makes it from the panel."""

    type: Literal["move"] = "move"
    seat: str | None
    name: str
    payload: dict[str, Any] = Field(default_factory=dict)


class PassTurn(_Action):
    """Pass a turn or a prompt. Always possible when something is asked of the seat."""

    type: Literal["pass"] = "pass"
    seat: str


class PauseTable(_Action):
    type: Literal["pause"] = "pause"


class ResumeTable(_Action):
    type: Literal["resume"] = "resume"


class SkipTurn(_Action):
    """The leader moves on: ends the current turn, or closes a together round."""

    type: Literal["skip"] = "skip"


class EndTable(_Action):
    type: Literal["end"] = "end"


class GiveHint(_Action):
    """A hint typed by the leader, to everyone or to one seat."""

    type: Literal["hint"] = "hint"
    text: str = Field(min_length=1, max_length=HINT_MAX)
    to: str | None = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the hint is empty")
        return value


class SetTimer(_Action):
    """Set a soft per-turn timer (``seconds``), switch it off (``None``), or ``extend`` it."""

    type: Literal["timer"] = "timer"
    seconds: int | None = Field(default=None, ge=10, le=3600)
    extend: int = Field(default=0, ge=0, le=3600)


class Tick(_Action):
    """The passing of time, sent by the hub while a timer runs."""

    type: Literal["tick"] = "tick"


class OpenCheckin(_Action):
    """The leader starts a check-in round at this table. The game waits meanwhile.

    The round's questions and answers live outside the table (the facilitator's check-in
    store, encrypted); the table only knows the round's id and how many items it has.
    """

    type: Literal["checkin_open"] = "checkin_open"
    round: str = Field(min_length=1, max_length=64)
    items: int = Field(ge=1, le=200)


class CheckinMark(_Action):
    """One seat's step in the check-in, never with the answer itself: consent given, declined
    or withdrawn, an item answered or skipped, or the seat finished."""

    type: Literal["checkin_mark"] = "checkin_mark"
    seat: str
    mark: Literal["consented", "declined", "withdrawn", "answered", "skipped", "finished"]
    item: str | None = Field(default=None, max_length=64)


class CloseCheckin(_Action):
    """The leader ends the check-in round; a game that was running goes on."""

    type: Literal["checkin_close"] = "checkin_close"


class OpenSideRound(_Action):
    """A side round other than a check-in opens at this table, for example the group's
    feedback after the game; it may open after the game has ended, and the game waits while
    it is open. Its questions and answers live outside the table: the table knows only the
    round's name, its title for the shared screen and how many items each seat goes through."""

    type: Literal["side_open"] = "side_open"
    name: str = Field(min_length=1, max_length=40)
    title: LocalizedText
    items: int = Field(ge=1, le=50)


class SideRoundStep(_Action):
    """A seat went one item further in the side round, never whether it answered or skipped,
    and never what it answered."""

    type: Literal["side_step"] = "side_step"
    seat: str


class CloseSideRound(_Action):
    """The side round closes (a game it paused goes on)."""

    type: Literal["side_close"] = "side_close"


class TieMember(_Action):
    """The leader confirms which group member sits at a seat (``None`` unties it). A check-in
    shows someone's earlier results only on a seat the leader has confirmed."""

    type: Literal["tie_member"] = "tie_member"
    seat: str
    member: str | None = Field(default=None, max_length=64)


Action = Annotated[
    CreateTable
    | Join
    | Presence
    | Leave
    | StartTable
    | MakeMove
    | PassTurn
    | PauseTable
    | ResumeTable
    | SkipTurn
    | EndTable
    | GiveHint
    | SetTimer
    | Tick
    | OpenCheckin
    | CheckinMark
    | CloseCheckin
    | OpenSideRound
    | SideRoundStep
    | CloseSideRound
    | TieMember,
    Field(discriminator="type"),
]

LEADER_ACTIONS = (StartTable, PauseTable, ResumeTable, SkipTurn, EndTable, GiveHint, SetTimer,
                  OpenCheckin, CloseCheckin, OpenSideRound, CloseSideRound, TieMember)


def utc(value: datetime) -> datetime:
    """Refuse naive datetimes early: every time in Piiri is timezone-aware."""
    if value.tzinfo is None:
        raise ValueError("time must be timezone-aware (UTC)")
    return value
