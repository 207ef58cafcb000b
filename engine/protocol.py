"""The wire protocol between the server and its clients (tablets, screens), version 1.

Every WebSocket frame is one JSON object with a type field ``t``. Each message is a pydantic
model shared by the server and the Python clients (the pygame screen, the benchmarks, the
tests); the tablet's JavaScript client follows the same shapes. Text inside scenes and controls
travels with all its translations; each client shows its reader's language.

A tablet's session::

    → {"t": "hello", "v": 1, "role": "seat", "room": "KX7P", "token": null}
    ← {"t": "welcome", "v": 1, "room": "KX7P", "seat": null, "title": {...}, ...}
    → {"t": "join", "nickname": "Aino", "avatar": {"icon": "sun", "colour": "#E69F00"}}
    ← {"t": "seated", "seat": "s1", "token": "…"}        (kept in the tablet's localStorage)
    ← {"t": "controls", "seq": 4, "controls": {...}}
    → {"t": "move", "id": 1, "name": "done", "payload": {}}
    ← {"t": "ack", "id": 1, "seq": 5}                  or {"t": "error", "id": 1, ...}

A screen sends ``{"t": "hello", "v": 1, "role": "screen", "room": "KX7P"}`` and then receives a
``scene`` message after every change.

An audience member (a table whose activity offers an audience, opened by the leader) sends
``{"t": "hello", "v": 1, "role": "audience", "room": "KX7P", "token": "…"}`` and then receives an
``audience`` message after every change: the activity's audience-safe scene (no names), and the
audience's own ballot beside the group's vote with the audience's count. It may send
``{"t": "audience_vote", "ballot": KEY, "choice": VALUE}`` once per ballot; it never takes a
seat and is never in the table's log.

When the leader carries a table's seats over to a follow-up table (another activity, the same
people), every tablet and screen of the old table gets ``{"t": "follow", "room": "M3QD"}``: it
connects to that room instead, a tablet with the token it already holds (no new join).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .actions import NICKNAME_MAX
from .audience import AudienceBallot
from .controls import SeatControls
from .scene import Avatar, Scene
from .text import LocalizedText

__all__ = [
    "MAX_MESSAGE_BYTES",
    "PROTOCOL_VERSION",
    "Ack",
    "AudienceScene",
    "AudienceTally",
    "AudienceVote",
    "AudienceVoted",
    "ClientMessage",
    "ControlsMessage",
    "ErrorMessage",
    "Follow",
    "Gone",
    "HandOver",
    "Hello",
    "JoinRequest",
    "MoveRequest",
    "PassRequest",
    "Ping",
    "Pong",
    "SceneMessage",
    "ScreenInfo",
    "ScreenSettings",
    "Seated",
    "ServerMessage",
    "Welcome",
    "parse_client_message",
]

PROTOCOL_VERSION = 1
#: Largest client frame the server reads; anything longer is refused unread.
MAX_MESSAGE_BYTES = 8 * 1024


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- client → server ------------------------------------------------------------------------


class Hello(_Msg):
    """First message on every connection: who is connecting, to which room."""

    t: Literal["hello"]
    v: int = PROTOCOL_VERSION
    role: Literal["seat", "screen", "audience"]
    room: str = Field(min_length=3, max_length=8)
    token: str | None = Field(default=None, max_length=128)
    lang: str | None = Field(default=None, max_length=20)


class JoinRequest(_Msg):
    t: Literal["join"]
    nickname: str = Field(min_length=1, max_length=NICKNAME_MAX)
    avatar: Avatar
    member: str | None = Field(default=None, max_length=64)


class MoveRequest(_Msg):
    """A game move. ``id`` counts up per tablet; a repeated or older id is refused."""

    t: Literal["move"]
    id: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict)


class PassRequest(_Msg):
    t: Literal["pass"]
    id: int = Field(ge=1)


class HandOver(_Msg):
    """Release this seat and go back to the join screen (shared tablets)."""

    t: Literal["handover"]


class Ping(_Msg):
    t: Literal["ping"]


class ScreenInfo(_Msg):
    """What a screen tells about where it shows: how many displays the computer has, and on
    which one the screen is. One display usually means the projector mirrors the laptop, so
    the leader's panel would be on the wall too: the panel then suggests using a phone."""

    t: Literal["screen_info"]
    displays: int = Field(ge=0, le=16)
    shown_on: int = Field(default=0, ge=0, le=16)
    renderer: str = Field(default="pygame", max_length=20)


class AudienceVote(_Msg):
    """An audience member's vote on the audience's own ballot (never the group's)."""

    t: Literal["audience_vote"]
    ballot: str = Field(min_length=1, max_length=80)
    choice: str = Field(min_length=1, max_length=40)


ClientMessage = Annotated[
    Hello | JoinRequest | MoveRequest | PassRequest | HandOver | Ping | ScreenInfo
    | AudienceVote,
    Field(discriminator="t"),
]
_client_adapter: TypeAdapter[Any] = TypeAdapter(ClientMessage)


def parse_client_message(raw: str | bytes) -> Any:
    """Parse one frame from a client.

    Raises:
        ValueError: the frame is too long, not JSON, or not a known message.
    """
    if len(raw) > MAX_MESSAGE_BYTES:
        raise ValueError("message too long")
    return _client_adapter.validate_json(raw)


# -- server → client ------------------------------------------------------------------------


class Welcome(_Msg):
    t: Literal["welcome"] = "welcome"
    v: int = PROTOCOL_VERSION
    room: str
    seat: str | None = None
    title: LocalizedText
    status: str
    avatars_taken: list[Avatar] = Field(default_factory=list)
    roster: list[str] = Field(default_factory=list)
    """Nicknames to choose from, when the leader shows the group's roster."""
    admit: bool = False
    """Whether the leader admits each join by hand."""
    nickname: str | None = None
    """The seated person's own name (with ``seat``), so a reloaded tablet still shows who
    they are."""
    avatar: Avatar | None = None
    """The seated person's own picture (with ``seat``)."""


class Seated(_Msg):
    t: Literal["seated"] = "seated"
    seat: str
    token: str


class ControlsMessage(_Msg):
    t: Literal["controls"] = "controls"
    seq: int
    controls: SeatControls


class SceneMessage(_Msg):
    t: Literal["scene"] = "scene"
    seq: int
    scene: Scene


class Ack(_Msg):
    t: Literal["ack"] = "ack"
    id: int
    seq: int


class ErrorMessage(_Msg):
    """Something a client sent was not accepted; nothing changed. ``message`` says why."""

    t: Literal["error"] = "error"
    reason: str
    message: LocalizedText
    id: int | None = None


class Gone(_Msg):
    """This connection no longer holds a seat: opened elsewhere, handed over, removed, ended."""

    t: Literal["gone"] = "gone"
    reason: Literal["elsewhere", "handed_over", "removed", "ended", "unknown",
                    "audience_closed"]
    message: LocalizedText


class Follow(_Msg):
    """The table went on at another room with the same seats: connect there instead (a tablet
    with its own token, which now holds its seat at that room)."""

    t: Literal["follow"] = "follow"
    room: str


class Pong(_Msg):
    t: Literal["pong"] = "pong"


class ScreenSettings(_Msg):
    """The leader's choices for the shared screens of a table (sent on hello and on change)."""

    t: Literal["settings"] = "settings"
    lang: str


class AudienceTally(_Msg):
    """The audience's own count on its ballot: how many voted and, unless the activity hides
    the counts for now, the count per option and the most voted (several on a tie)."""

    votes: int
    counts: dict[str, int] | None = None
    top: list[str] = Field(default_factory=list)


class AudienceScene(_Msg):
    """What an audience sees: made once per change and sent alike to every audience member.
    ``n`` counts up per table: a client keeps the newest it has seen."""

    t: Literal["audience"] = "audience"
    n: int
    scene: Scene
    ballot: AudienceBallot | None = None
    tally: AudienceTally | None = None


class AudienceVoted(_Msg):
    """The audience member's vote on ``ballot`` was counted (or had been already)."""

    t: Literal["audience_voted"] = "audience_voted"
    ballot: str
    choice: str


ServerMessage = Annotated[
    Welcome | Seated | ControlsMessage | SceneMessage | Ack | ErrorMessage | Gone | Pong
    | ScreenSettings | Follow | AudienceScene | AudienceVoted,
    Field(discriminator="t"),
]
