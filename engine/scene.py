"""What the shared screen can show: the Scene vocabulary.

A game returns a :class:`Scene` for the whole group; the pygame screen and the browser screen
draw it. A scene holds text with all its translations; the screen picks the language the leader
set. Nothing private ever goes into a scene.

Example (the board of a discussion game with one card turned)::

    Scene(layout="board", elements=[
        BoardElement(spaces=[BoardSpace(theme="home", colour="#E69F00", icon="house")],
                     tokens=[Token(seat="s1", space=0)]),
        CardElement(title=..., body=..., theme=ThemeBadge(...)),
        RosterElement(entries=[...]),
    ])
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .controls import ReactionCount
from .text import LocalizedText

__all__ = [
    "SCENE_VERSION",
    "Avatar",
    "AvatarColour",
    "AvatarIcon",
    "BoardElement",
    "BoardSpace",
    "CardElement",
    "DieElement",
    "Element",
    "ImageElement",
    "JoinCardElement",
    "LockElement",
    "LockPanelElement",
    "PauseOverlay",
    "ProgressElement",
    "ReactionsElement",
    "RosterElement",
    "RosterEntry",
    "Scene",
    "SeatStatus",
    "StoryPageElement",
    "TextBlockElement",
    "ThemeBadge",
    "TimelineElement",
    "TimelineItem",
    "TimelineStage",
    "TimerElement",
    "Token",
    "VoteTallyElement",
    "VoteTallyRow",
]

SCENE_VERSION = 1


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AvatarIcon(StrEnum):
    """Avatar pictures: things, never faces or photos."""

    sun = "sun"
    moon = "moon"
    star = "star"
    tree = "tree"
    leaf = "leaf"
    flower = "flower"
    bird = "bird"
    fish = "fish"
    boat = "boat"
    bicycle = "bicycle"
    mountain = "mountain"
    cup = "cup"
    key = "key"
    note = "note"
    drop = "drop"
    house = "house"


class AvatarColour(StrEnum):
    """A palette told apart also by people with colour-vision deficiency (Okabe–Ito)."""

    orange = "#E69F00"
    sky = "#56B4E9"
    green = "#009E73"
    yellow = "#F0E442"
    blue = "#0072B2"
    vermilion = "#D55E00"
    purple = "#CC79A7"
    grey = "#7F7F7F"


class Avatar(_Base):
    icon: AvatarIcon
    colour: AvatarColour


class SeatStatus(StrEnum):
    waiting = "waiting"
    turn = "turn"
    passed = "passed"
    answered = "answered"
    away = "away"


class ThemeBadge(_Base):
    """A theme is shown with a colour AND an icon, never by colour alone."""

    id: str
    name: LocalizedText
    colour: str
    icon: str


class BoardSpace(_Base):
    theme: str
    colour: str
    icon: str
    label: LocalizedText | None = None


class Token(_Base):
    seat: str
    space: int


class BoardElement(_Base):
    """A loop of coloured spaces with the players' tokens on it.

    >>> BoardElement(spaces=[BoardSpace(theme="rest", colour="#999999", icon="cup")],
    ...              tokens=[Token(seat="s1", space=0)]).kind
    'board'
    """

    kind: Literal["board"] = "board"
    spaces: list[BoardSpace]
    tokens: list[Token] = Field(default_factory=list)
    highlight: int | None = None


class CardElement(_Base):
    """A card shown large: its theme, a title, the text, an optional picture."""

    kind: Literal["card"] = "card"
    title: LocalizedText | None = None
    body: LocalizedText
    theme: ThemeBadge | None = None
    card_kind: LocalizedText | None = None
    image: str | None = None
    face_up: bool = True


class TextBlockElement(_Base):
    """Plain words on the screen: an instruction, a thank-you, a hint."""

    kind: Literal["text"] = "text"
    text: LocalizedText
    title: LocalizedText | None = None
    style: Literal["body", "title", "hint", "note"] = "body"


class RosterEntry(_Base):
    seat: str
    nickname: str
    avatar: Avatar
    status: SeatStatus = SeatStatus.waiting
    connected: bool = True


class RosterElement(_Base):
    """Who is here, whose turn it is, who passed and who is away. No scores."""

    kind: Literal["roster"] = "roster"
    entries: list[RosterEntry]


class TimerElement(_Base):
    """A calm countdown. ``remaining_ms`` is as of the scene; a running timer counts down
    on the screen until the next scene."""

    kind: Literal["timer"] = "timer"
    remaining_ms: int
    total_ms: int
    running: bool


class ProgressElement(_Base):
    """How far the group has come: rounds, puzzles, story chapters."""

    kind: Literal["progress"] = "progress"
    done: int
    total: int
    label: LocalizedText | None = None


class DieElement(_Base):
    """The die just rolled. ``roll`` counts rolls, so a screen animates each new one once.

    >>> DieElement(value=4, roll=7).kind
    'die'
    """

    kind: Literal["die"] = "die"
    value: int = Field(ge=1, le=20)
    sides: int = 6
    roll: int = 0
    seat: str | None = None


class JoinCardElement(_Base):
    """The big QR code and room code. The server fills in ``url`` for its own address and
    ``short_url``, the short address of the page where a participant who cannot scan types
    the room code (``192.168.1.20:5000/j``, no scheme), shown beside the code.

    >>> JoinCardElement(code="KX7PM", short_url="192.168.1.20:5000/j").kind
    'join'
    """

    kind: Literal["join"] = "join"
    code: str
    url: str | None = None
    short_url: str | None = None


class VoteTallyRow(_Base):
    label: LocalizedText
    count: int


class VoteTallyElement(_Base):
    """How many votes each option has: counts only, never who voted what."""

    kind: Literal["tally"] = "tally"
    question: LocalizedText
    rows: list[VoteTallyRow]
    voters: int
    voted: int


class ReactionsElement(_Base):
    """The supportive reactions the speaker has received this turn: an icon and a count per
    reaction (:class:`~engine.controls.Reaction`), never who sent them. ``seat`` is the
    speaker, so a screen may draw it beside their roster tile.

    >>> from engine.controls import reaction_counts
    >>> ReactionsElement(seat="s1", counts=reaction_counts({"heart": 3})).kind
    'reactions'
    """

    kind: Literal["reactions"] = "reactions"
    seat: str | None = None
    counts: list[ReactionCount] = Field(default_factory=list)


class StoryPageElement(_Base):
    kind: Literal["story"] = "story"
    title: LocalizedText | None = None
    body: LocalizedText
    image: str | None = None


#: A picture's id: a path inside the content folder, in letters, digits, ``_``, ``-`` and ``.``,
#: with no part that starts with a dot (so never ``..``).
IMAGE_SRC_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$"


class ImageElement(_Base):
    """A picture that ships with the content, shown as large as it reads well: its shape
    kept, never stretched far past its own size. ``src`` is the picture's id under
    ``content/`` (``escape_room/pictures/stairwell.png``); a screen fetches it from the server
    (``/content/<src>``) and, when it cannot, shows ``alt`` in its place. ``width`` and
    ``height`` are the picture's own size in pixels, so a screen can make room for it before
    it arrives.

    >>> from engine.text import LocalizedText
    >>> ImageElement(src="escape_room/pictures/stairwell.png",
    ...              alt=LocalizedText({"en": "A stairwell"})).kind
    'image'
    """

    kind: Literal["image"] = "image"
    src: str = Field(pattern=IMAGE_SRC_PATTERN, max_length=300)
    alt: LocalizedText
    caption: LocalizedText | None = None
    width: int | None = Field(default=None, ge=1, le=4096)
    height: int | None = Field(default=None, ge=1, le=4096)


class TimelineItem(_Base):
    """One thing on a stage of a timeline: its name, the name in its own script if it has one
    (``Африканская звезда``), and a content picture (``src`` as in :class:`ImageElement`)
    with its words."""

    label: LocalizedText
    original: str | None = Field(default=None, max_length=80)
    icon: str | None = Field(default=None, pattern=IMAGE_SRC_PATTERN, max_length=300)
    icon_alt: LocalizedText | None = None


class TimelineStage(_Base):
    label: LocalizedText
    items: list[TimelineItem] = Field(default_factory=list, max_length=6)


class TimelineElement(_Base):
    """A line of stages in order (a life from childhood to now), each with a few items and
    their pictures. Draws only what a game puts in it: for a life line, only what its owner
    chose to show.

    >>> from engine.text import LocalizedText
    >>> TimelineElement(stages=[TimelineStage(label=LocalizedText({"en": "Now"}))]).kind
    'timeline'
    """

    kind: Literal["timeline"] = "timeline"
    title: LocalizedText | None = None
    stages: list[TimelineStage] = Field(min_length=1, max_length=8)


class LockElement(_Base):
    id: str
    label: LocalizedText
    solved: bool = False
    available: bool = True


class LockPanelElement(_Base):
    """The puzzles of a room and which are open."""

    kind: Literal["locks"] = "locks"
    locks: list[LockElement]


class PauseOverlay(_Base):
    kind: Literal["pause"] = "pause"
    title: LocalizedText
    body: LocalizedText | None = None


Element = Annotated[
    BoardElement
    | CardElement
    | TextBlockElement
    | RosterElement
    | TimerElement
    | ProgressElement
    | JoinCardElement
    | DieElement
    | VoteTallyElement
    | StoryPageElement
    | LockPanelElement
    | ReactionsElement
    | ImageElement
    | TimelineElement,
    Field(discriminator="kind"),
]


class Scene(_Base):
    """One picture of the shared screen."""

    version: int = SCENE_VERSION
    title: LocalizedText | None = None
    layout: Literal["lobby", "board", "card", "story", "room", "closing"] = "card"
    elements: list[Element] = Field(default_factory=list)
    overlay: PauseOverlay | None = None
