"""An audience: people who watch a table's scene, and vote beside the group, never in it.

Being in a rehabilitation group is itself confidential, so an activity offers an audience only
when it declares an audience-safe scene (:class:`Audience`, given to
:func:`~engine.module.define_game`): no nicknames, nothing tied to a seat. Where the activity
asks the group to vote, it may also give the audience a ballot of its own
(:class:`AudienceBallot`): counted apart from the group's, shown apart, and never deciding
anything at the table. The audience is no part of the table's log: it is not a seat, not in the
roster and not in any record.

:func:`audience_view` is what an audience sees of a table at any moment: the activity's
audience scene (with anything tied to a seat taken out once more, as a second line), or a
neutral "a moment, please" while the table waits, pauses or runs a side round (check-ins,
feedback), whose scenes are never shown to an audience.

Example::

    module = define_game(..., audience=Audience(scene=audience_scene, ballot=audience_ballot))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from .controls import Option
from .scene import (
    BoardElement,
    DieElement,
    ReactionsElement,
    RosterElement,
    Scene,
    TextBlockElement,
)
from .text import LocalizedText, in_four

if TYPE_CHECKING:
    from .table import Table

__all__ = ["AUDIENCE_SOON", "AUDIENCE_WAIT", "Audience", "AudienceBallot", "AudienceView",
           "audience_view", "without_seats"]

#: What an audience sees while the table runs something it must not see (a check-in, the
#: feedback round) or is on a break.
AUDIENCE_WAIT = in_four("Hetki, ole hyvä. Peli jatkuu pian.",
                        "Ett ögonblick. Spelet fortsätter snart.",
                        "A moment, please. The activity goes on soon.",
                        "Odota hetki. Peli jatkuu pian.")
#: What an audience sees before the activity starts.
AUDIENCE_SOON = in_four("Peli alkaa pian.", "Spelet börjar snart.",
                        "The activity starts soon.", "Peli alkaa pian.")


class AudienceBallot(BaseModel):
    """The audience's own ballot beside a vote of the group.

    ``key`` names this vote (it changes with every new vote of the group), so each audience
    member votes once per ballot; ``open`` is False once the group's vote has closed (its
    count is then still shown); ``show_counts`` is False while the activity hides the counts
    (then only how many have voted is shown).
    """

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=80)
    question: LocalizedText
    options: list[Option]
    open: bool = True
    show_counts: bool = True


@dataclass(frozen=True)
class Audience:
    """An activity's audience-safe views: ``scene(view)`` for the audience (no nicknames,
    nothing tied to a seat) and, where the group votes, ``ballot(view)`` (``None`` when
    nothing is being voted on)."""

    scene: Callable[[Any], Scene]
    ballot: Callable[[Any], AudienceBallot | None] | None = None


@dataclass(frozen=True)
class AudienceView:
    """What an audience sees of a table now."""

    scene: Scene
    ballot: AudienceBallot | None = None


def without_seats(scene: Scene) -> Scene:
    """``scene`` with every name and everything tied to a seat taken out: no roster, no
    tokens on a board, no die or reactions said to be someone's."""
    elements: list[Any] = []
    for element in scene.elements:
        if isinstance(element, RosterElement):
            continue
        if isinstance(element, BoardElement) and element.tokens:
            element = element.model_copy(update={"tokens": []})
        elif isinstance(element, DieElement | ReactionsElement) and element.seat is not None:
            element = element.model_copy(update={"seat": None})
        elements.append(element)
    return scene.model_copy(update={"elements": elements, "overlay": None})


def _neutral(title: LocalizedText, text: LocalizedText) -> Scene:
    return Scene(title=title, layout="card",
                 elements=[TextBlockElement(text=text, style="title")])


def audience_view(table: Table) -> AudienceView | None:
    """What an audience sees of ``table`` now, or ``None`` when its activity offers none.

    Only the activity's own audience scene is shown, never the table's screen scene (which
    has the roster, the leader's hints and the side rounds)."""
    audience: Audience | None = table.module.audience
    if audience is None:
        return None
    meta = table.meta
    title = table.module.title
    status = str(meta.status)
    if meta.checkin is not None or meta.side is not None or status == "paused":
        return AudienceView(scene=_neutral(title, AUDIENCE_WAIT))
    if status == "lobby":
        return AudienceView(scene=_neutral(title, AUDIENCE_SOON))
    view = table.view()
    ballot = audience.ballot(view) if audience.ballot is not None and status == "playing" \
        else None
    return AudienceView(scene=without_seats(audience.scene(view)), ballot=ballot)
