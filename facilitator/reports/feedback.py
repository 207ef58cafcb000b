"""The group's feedback at the end of a meeting: a side round of the hub (see
:mod:`facilitator.live.sideround`), like a check-in.

When the leader ends a meeting's game, the round opens (unless the leader switched it off for
the table) and the tablets stay for it: "How was today for you?" with three faces, one optional
word, and "What would you like more of?"; every item can be skipped. The table's log gets only
that a seat went one item further (:class:`engine.SideRoundStep`), never whether it answered or
skipped, and never what. An answer goes straight into its round's totals
(:class:`~facilitator.reports.models.FeedbackTotals`) and is never kept per person, nor logged.
Closing the meeting's roll call closes the round; the leader sees the totals only then.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine import (
    ChoiceControl,
    CloseSideRound,
    FreeTextControl,
    OpenSideRound,
    Option,
    PassControl,
    Reason,
    Rejected,
    SeatControls,
    SideRoundStep,
    TextControl,
)
from facilitator.live import SideStep
from facilitator.models import TableOwner

from .models import FeedbackTotals
from .words import FACE_ICONS, FACES, PICKS, say

if TYPE_CHECKING:
    from facilitator.live import LiveTable

__all__ = ["ITEMS", "NAME", "WORD_MAX", "FeedbackFlow"]

log = logging.getLogger("piiri.feedback")

#: The round's name at the table (:attr:`engine.SideRoundState.name`).
NAME = "feedback"
#: The items, in the order a tablet goes through them.
ITEMS = ("face", "word", "more")
WORD_MAX = 40
#: Where :class:`LiveTable.side` keeps the leader's "no feedback at this table".
OFF = "feedback.off"

_shuffle = random.SystemRandom()


@dataclass
class ActiveFeedback:
    """What the hub keeps in memory of an open round (never an answer)."""

    row_id: int
    counted: set[str] = field(default_factory=set)
    """Seats already counted as answering (in memory only, so one person counts once)."""


def _refused(key: str) -> Rejected:
    return Rejected(reason=Reason.refused, message=say(key), message_key=f"feedback.{key}")


class FeedbackFlow:
    """The hub's side round for the group's feedback (one per server process)."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self.sessions = sessions

    # -- opening and closing ---------------------------------------------------------------

    def opened_after_end(self, hub: Any, live: LiveTable) -> None:
        """The game has ended: open the round, if the table belongs to a meeting and the
        leader has not switched the feedback off."""
        if live.side.get(OFF) or live.table.meta.side is not None:
            return
        with self.sessions() as session:
            owner = session.get(TableOwner, live.table_id)
            if owner is None or owner.meeting_id is None:
                return
            if session.scalar(select(FeedbackTotals.id).where(
                    FeedbackTotals.table_id == live.table_id)) is not None:
                return  # asked once per table
            row = FeedbackTotals(organisation_id=owner.organisation_id,
                                 meeting_id=owner.meeting_id, table_id=live.table_id,
                                 opened_at=hub.now(), respondents=0, faces={}, picks={},
                                 words=[])
            session.add(row)
            session.commit()
            row_id = row.id
        result = hub.apply(live, OpenSideRound(at=hub.now(), name=NAME, title=say("title"),
                                               items=len(ITEMS)))
        if isinstance(result, Rejected):
            with self.sessions() as session:
                session.execute(delete(FeedbackTotals).where(FeedbackTotals.id == row_id))
                session.commit()
            return
        live.side[NAME] = ActiveFeedback(row_id=row_id)

    def active(self, live: LiveTable) -> ActiveFeedback | None:
        if not self.is_open(live):
            return None
        held = live.side.get(NAME)
        if held is None:  # after a restart: found again by the table
            with self.sessions() as session:
                row_id = session.scalar(select(FeedbackTotals.id).where(
                    FeedbackTotals.table_id == live.table_id))
            if row_id is None:
                return None
            held = live.side[NAME] = ActiveFeedback(row_id=row_id)
        assert isinstance(held, ActiveFeedback)
        return held

    # -- the hub's side round --------------------------------------------------------------

    def owns(self, name: str) -> bool:
        return name.startswith("feedback.")

    def is_open(self, live: LiveTable) -> bool:
        side = live.table.meta.side
        return side is not None and side.name == NAME

    def pass_name(self) -> str:
        return "feedback.skip"

    def refused(self, rejected: Rejected) -> Rejected:
        return rejected if rejected.reason is Reason.refused else _refused("stale")

    def controls(self, live: LiveTable, seat_id: str) -> SeatControls | None:
        side = live.table.meta.side
        seat = live.table.seat(seat_id)
        if side is None or side.name != NAME or seat is None or seat.gone:
            return None
        status = say("title")
        index = side.steps(seat_id)
        if index >= len(ITEMS):
            return SeatControls(seat=seat_id, status=status, items=[
                TextControl(text=say("thanks"), style="title"),
                TextControl(text=say("thanks_body"))])
        item = ITEMS[index]
        shown: list[Any] = [TextControl(text=say("question_of", n=index + 1, total=len(ITEMS)),
                                        style="note", read_aloud=False)]
        payload = {"item": item}
        if item == "face":
            shown += [TextControl(text=say("anonymous"), style="note"),
                      TextControl(text=say("how_was_today"), style="card"),
                      ChoiceControl(move="feedback.answer", payload=payload,
                                    label=say("your_answer"),
                                    options=[Option(value=v, label=t, icon=FACE_ICONS[v])
                                             for v, t in FACES.items()])]
        elif item == "word":
            shown += [TextControl(text=say("a_word"), style="card"),
                      FreeTextControl(move="feedback.answer", payload=payload,
                                      label=say("your_answer"), max_length=WORD_MAX)]
        else:
            shown += [TextControl(text=say("more_of"), style="card"),
                      TextControl(text=say("more_of_help"), style="note"),
                      ChoiceControl(move="feedback.answer", payload=payload, multiple=True,
                                    label=say("your_answer"),
                                    options=[Option(value=v, label=t) for v, t in PICKS.items()])]
        shown.append(PassControl(label=say("skip")))
        return SeatControls(seat=seat_id, status=status, your_turn=True, items=shown)

    def step(self, live: LiveTable, seat_id: str, name: str, payload: dict[str, Any],
             at: datetime) -> SideStep | Rejected:
        active = self.active(live)
        side = live.table.meta.side
        seat = live.table.seat(seat_id)
        if active is None or side is None:
            return _refused("over")
        if seat is None or seat.gone:
            return Rejected.because(Reason.seat_gone)
        index = side.steps(seat_id)
        action = SideRoundStep(at=at, seat=seat_id)
        if name == "feedback.skip":
            if index >= len(ITEMS):
                return Rejected.because(Reason.nothing_to_pass)
            return SideStep(action)
        if name != "feedback.answer":
            return Rejected.because(Reason.unknown_move)
        if index >= len(ITEMS) or payload.get("item") != ITEMS[index]:
            return _refused("stale")
        item = ITEMS[index]
        value = _valid(item, payload.get("value"))
        if value is None:
            return _refused("bad_value")
        return SideStep(action, lambda: self._add(active, seat_id, item, value))

    def follow_up(self, live: LiveTable, seat_id: str, at: datetime) -> Any | None:
        return None

    def closing(self, live: LiveTable, at: datetime) -> Any | None:
        """The round closes (the roll call was closed): its totals may now be shown."""
        active = self.active(live)
        live.side.pop(NAME, None)
        if active is not None:
            with self.sessions() as session:
                row = session.get(FeedbackTotals, active.row_id)
                if row is not None and row.closed_at is None:
                    row.closed_at = at
                    session.commit()
        return CloseSideRound(at=at)

    # -- storing: totals only ------------------------------------------------------------------

    def _add(self, active: ActiveFeedback, seat_id: str, item: str,
             value: str | list[str]) -> Rejected | None:
        """Add one answer to the round's totals. Nothing here names the seat, and nothing of
        the answer is logged."""
        try:
            with self.sessions() as session:
                row = session.get(FeedbackTotals, active.row_id)
                if row is None or row.closed_at is not None:
                    return _refused("over")
                if seat_id not in active.counted:
                    row.respondents += 1
                if item == "face":
                    assert isinstance(value, str)
                    row.faces = {**row.faces, value: row.faces.get(value, 0) + 1}
                elif item == "word":
                    assert isinstance(value, str)
                    words = list(row.words)
                    words.insert(_shuffle.randrange(len(words) + 1), value)
                    row.words = words
                else:
                    picks = dict(row.picks)
                    for pick in value:
                        picks[pick] = picks.get(pick, 0) + 1
                    row.picks = picks
                session.commit()
        except SQLAlchemyError:
            log.error("a feedback answer could not be stored")  # never the answer itself
            return _refused("not_saved")
        active.counted.add(seat_id)
        return None


def _valid(item: str, value: Any) -> str | list[str] | None:
    """The answer in its stored form, or ``None`` when it does not fit."""
    if item == "face":
        return value if isinstance(value, str) and value in FACES else None
    if item == "word":
        if not isinstance(value, str) or not value.strip() or len(value) > WORD_MAX:
            return None
        return " ".join(value.split())
    if (not isinstance(value, list) or not value or len(set(value)) != len(value)
            or any(not isinstance(v, str) or v not in PICKS for v in value)):
        return None
    return list(value)
