"""What a tablet can show: the Controls vocabulary.

A game never writes HTML. For each seat it returns a list of controls, and one small generic
client draws them on every tablet. Each interactive control names the ``move`` it sends; the
value the participant gives goes into the move's payload under ``field``, next to the fixed
``payload`` of the control.

Every control kind here has a renderer in the tablet client. A game that needs a new kind adds it
here, with its renderer, and bumps :data:`CONTROLS_VERSION`; there are no private controls.

Example (a tablet that may answer a 0–10 question or pass)::

    SeatControls(seat="s1", your_turn=True, items=[
        TextControl(text=LocalizedText({"en": "How was your week?"})),
        SliderControl(move="rate", low_label=..., high_label=...),
        PassControl(),
    ])
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .text import LocalizedText

__all__ = [
    "CONTROLS_VERSION",
    "BarPair",
    "BarsControl",
    "ButtonControl",
    "ChoiceControl",
    "CodeAlphabet",
    "CodeEntryControl",
    "ConsentControl",
    "Control",
    "DieControl",
    "FreeTextControl",
    "MatchPairsControl",
    "Option",
    "OrderControl",
    "PassControl",
    "PointControl",
    "ProposalControl",
    "Reaction",
    "ReactionCount",
    "ReactionTallyControl",
    "ReactionsControl",
    "ReadyControl",
    "Scale5Control",
    "SeatControls",
    "SliderControl",
    "TextControl",
    "VoteControl",
    "reaction_counts",
]

CONTROLS_VERSION = 5
"""2: the ``bars`` summary (a participant's own check-in results). 3: ``reaction_tally``.
4: ``proposal``. 5: a content picture on an option (``Option.image``)."""

#: A content picture's id, as :data:`engine.scene.IMAGE_SRC_PATTERN` (which imports this
#: module, so it cannot be imported from there): letters, digits, ``_``, ``-`` and ``.``, with
#: no part that starts with a dot.
_IMAGE_SRC = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$"

#: Longest free text a tablet may send, in characters.
FREE_TEXT_LIMIT = 280


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Interactive(_Base):
    move: str
    """The move this control sends."""
    payload: dict[str, Any] = Field(default_factory=dict)
    """Fixed fields sent with the move."""
    field: str = "value"
    """Where the participant's value goes in the payload."""
    label: LocalizedText | None = None


class Option(_Base):
    """One choosable thing: a value, its words, an optional icon name, and an optional
    content picture shown beside the words (``image``: its id under ``content/``, as a
    scene's :class:`~engine.scene.ImageElement` names it; ``image_alt``: the picture told in
    words for a screen reader).

    >>> Option(value="board", label=LocalizedText({"en": "Board games"}),
    ...        image="pelitarina/icons/board.png").image
    'pelitarina/icons/board.png'
    """

    value: str
    label: LocalizedText
    icon: str | None = None
    colour: str | None = None
    image: str | None = Field(default=None, pattern=_IMAGE_SRC, max_length=300)
    image_alt: LocalizedText | None = None


class TextControl(_Base):
    """Words to read, with a read-aloud button.

    >>> TextControl(text=LocalizedText({"fi": "Kerro lempiruoastasi."}), style="card").kind
    'text'
    """

    kind: Literal["text"] = "text"
    text: LocalizedText
    title: LocalizedText | None = None
    style: Literal["body", "title", "card", "note", "hint"] = "body"
    colour: str | None = None
    icon: str | None = None
    read_aloud: bool = True
    qr_image: str | None = Field(default=None, pattern=r"^/[A-Za-z0-9_./-]+$", max_length=200)
    """A QR code shown with the words: the picture's path on this server, given by the
    server for this seat only (a one-time take-home link); ``qr_alt`` says what it is."""
    qr_alt: LocalizedText | None = None


class ButtonControl(_Interactive):
    """A big button that sends one move with a fixed payload ("I have said my piece")."""

    kind: Literal["button"] = "button"
    icon: str | None = None
    tone: Literal["primary", "secondary"] = "primary"
    confirm: LocalizedText | None = None
    """When set, the tablet asks this question first (for a step that cannot be undone)."""


class ChoiceControl(_Interactive):
    """Pick one option (``multiple=False``) or several (``multiple=True``)."""

    kind: Literal["choice"] = "choice"
    options: list[Option]
    multiple: bool = False


class VoteControl(_Interactive):
    """A vote in an everyone-at-once round: one option, never shown as who voted what."""

    kind: Literal["vote"] = "vote"
    options: list[Option]
    chosen: str | None = None


class DieControl(_Interactive):
    """The roll-the-die button; the die itself is rolled by the engine's seeded random."""

    kind: Literal["die"] = "die"
    sides: int = 6


class CodeAlphabet(StrEnum):
    digits = "digits"
    letters = "letters"
    colours = "colours"
    directions = "directions"


class CodeEntryControl(_Interactive):
    """Enter a code of ``length`` symbols: digits, letters, colours or directions."""

    kind: Literal["code"] = "code"
    alphabet: CodeAlphabet
    length: int = Field(ge=1, le=12)


class SliderControl(_Interactive):
    """A 0–10 self-rating with words at both ends."""

    kind: Literal["slider"] = "slider"
    minimum: int = 0
    maximum: int = 10
    low_label: LocalizedText
    high_label: LocalizedText
    value: int | None = None


class Scale5Control(_Interactive):
    """A five-step scale, each step with its own words."""

    kind: Literal["scale5"] = "scale5"
    steps: list[LocalizedText] = Field(min_length=5, max_length=5)
    value: int | None = None


class FreeTextControl(_Interactive):
    """A short written answer, at most ``max_length`` characters."""

    kind: Literal["free_text"] = "free_text"
    max_length: int = Field(default=140, ge=1, le=FREE_TEXT_LIMIT)
    placeholder: LocalizedText | None = None


class ProposalControl(_Interactive):
    """Write a proposal for the group in a few words (see :mod:`engine.proposals`).

    The engine adds it to a seat's tablet where the game lets that seat propose; it sends the
    engine move ``propose``. ``note`` says that the leader reads proposals first (the tablet
    has its own words for it when empty)."""

    kind: Literal["proposal"] = "proposal"
    move: str = "propose"
    max_length: int = Field(default=80, ge=1, le=FREE_TEXT_LIMIT)
    note: LocalizedText | None = None


class Reaction(StrEnum):
    """Supportive reactions only: there is deliberately no negative one."""

    heart = "heart"
    me_too = "me_too"
    clap = "clap"
    thanks = "thanks"


class ReactionsControl(_Interactive):
    """Send a supportive reaction to whoever is speaking."""

    kind: Literal["reactions"] = "reactions"
    reactions: list[Reaction] = Field(default_factory=lambda: list(_REACTIONS))


#: The reactions in the vocabulary's order (iterating an enum class is slow, and every tablet's
#: controls list them).
_REACTIONS: tuple[Reaction, ...] = tuple(Reaction)


class ReactionCount(_Base):
    """How many of one reaction someone received: a count, never who sent them."""

    reaction: Reaction
    count: int = Field(ge=1)


def reaction_counts(counts: dict[str, int]) -> list[ReactionCount]:
    """Counts by reaction name as :class:`ReactionCount` rows, in the vocabulary's order,
    leaving out the reactions nobody sent (and names that are not reactions).

    >>> [(r.reaction.value, r.count) for r in reaction_counts({"clap": 2, "heart": 1})]
    [('heart', 1), ('clap', 2)]
    """
    return [ReactionCount(reaction=r, count=counts[r.value]) for r in _REACTIONS
            if counts.get(r.value, 0) > 0]


class ReactionTallyControl(_Base):
    """The reactions the speaker has received this turn, on the speaker's own tablet: an icon
    and a count per reaction, never who sent them. The tablet has its own words for the
    heading when ``label`` is empty."""

    kind: Literal["reaction_tally"] = "reaction_tally"
    label: LocalizedText | None = None
    counts: list[ReactionCount] = Field(default_factory=list)


class OrderControl(_Interactive):
    """Put items in order; sends the list of values in the chosen order."""

    kind: Literal["order"] = "order"
    items: list[Option]


class MatchPairsControl(_Interactive):
    """Match each left item with a right item; sends ``{left: right}``."""

    kind: Literal["match"] = "match"
    left: list[Option]
    right: list[Option]


class PointControl(_Interactive):
    """Point at a place in a picture; sends ``{"x": 0..1, "y": 0..1}``."""

    kind: Literal["point"] = "point"
    image: str
    alt: LocalizedText


class ConsentControl(_Interactive):
    """Agree (or not) to exactly the words shown; the words' id travels with the answer."""

    kind: Literal["consent"] = "consent"
    text: LocalizedText
    text_id: str


class BarPair(_Base):
    """One life domain in a participant's own summary: now, and their previous check-in."""

    label: LocalizedText
    icon: str | None = None
    now: float | None = Field(default=None, ge=0, le=10)
    before: float | None = Field(default=None, ge=0, le=10)


class BarsControl(_Base):
    """Paired bars (0–10) per domain with icons, for one participant's eyes only: sent to
    their own tablet, never to the shared screen. ``before`` is empty on a first check-in."""

    kind: Literal["bars"] = "bars"
    title: LocalizedText | None = None
    now_label: LocalizedText
    before_label: LocalizedText | None = None
    bars: list[BarPair]


class PassControl(_Base):
    """Pass this turn or prompt. The engine adds it wherever something is asked of a seat."""

    kind: Literal["pass"] = "pass"
    label: LocalizedText | None = None


class ReadyControl(_Interactive):
    """"I'm ready" for moving on together."""

    kind: Literal["ready"] = "ready"
    done: bool = False


Control = Annotated[
    TextControl
    | ButtonControl
    | ChoiceControl
    | VoteControl
    | DieControl
    | CodeEntryControl
    | SliderControl
    | Scale5Control
    | FreeTextControl
    | ProposalControl
    | ReactionsControl
    | ReactionTallyControl
    | OrderControl
    | MatchPairsControl
    | PointControl
    | ConsentControl
    | BarsControl
    | PassControl
    | ReadyControl,
    Field(discriminator="kind"),
]


class SeatControls(_Base):
    """Everything one tablet shows right now."""

    version: int = CONTROLS_VERSION
    seat: str
    status: LocalizedText | None = None
    """One line at the top: "Your turn", "Aino's turn", "Break"."""
    your_turn: bool = False
    """True when something is asked of this seat; the client announces it."""
    items: list[Control] = Field(default_factory=list)
