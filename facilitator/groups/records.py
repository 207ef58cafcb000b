"""Participation records, read from a table's event log — never typed twice.

A meeting's record per member: present, absent, joined late or left early, and what they did
(turns taken, answers, votes, supportive reactions, clues shared, own proposals made and how
many of them the leader accepted). Passing is never counted
against anyone: passes stay in the live view and are not part of a record or an export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from engine import Contribution, ContributionKind, CreateTable, Event
from engine.registry import available_games

__all__ = ["ACTIVITY_KINDS", "PART_OF", "Attendance", "Participation", "contributions_of", "derive"]


class Attendance(StrEnum):
    present = "present"
    absent = "absent"
    late = "late"
    left_early = "left_early"


#: The kinds of contribution a record counts, in the records' column order.
ACTIVITY_KINDS = tuple(kind.value for kind in ContributionKind)
#: A kind that counts a part of another kind's contributions (the proposals accepted, of the
#: proposals made): shown beside it, never added to it in a total.
PART_OF = {ContributionKind.proposals_accepted.value: ContributionKind.proposals.value}


def contributions_of(game: str) -> dict[str, Contribution]:
    """Which of a game's facts count as which contribution, as the game itself declares
    (an uninstalled game's facts count as nothing)."""
    module = available_games().get(game)
    return dict(module.contributions) if module is not None else {}


@dataclass
class Participation:
    """What one seat (or member, when the seat was tied to one) did at one table."""

    member: str | None
    nickname: str
    joined_at: datetime | None = None
    left_at: datetime | None = None
    late: bool = False
    left_early: bool = False
    activity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIVITY_KINDS, 0))

    @property
    def attendance(self) -> Attendance:
        if self.late:
            return Attendance.late
        if self.left_early:
            return Attendance.left_early
        return Attendance.present


def derive(events: Iterable[Event]) -> list[Participation]:
    """Participation per seat from a table's log; seats tied to the same member are merged.

    >>> derive([])
    []
    """
    seats: dict[str, Participation] = {}
    started = ended = False
    counted: dict[str, Contribution] = {}
    for event in events:
        at = event.action.at
        if isinstance(event.action, CreateTable):
            counted = contributions_of(event.action.game)
        for fact in event.facts:
            if fact.kind == "table_started":
                started = True
            elif fact.kind == "table_ended":
                ended = True
            if fact.seat is None:
                continue
            if fact.kind == "seat_joined":
                action = event.action
                seats[fact.seat] = Participation(
                    member=getattr(action, "member", None),
                    nickname=getattr(action, "nickname", fact.seat), joined_at=at,
                    late=started)
            elif fact.seat in seats:
                record = seats[fact.seat]
                if fact.kind in ("seat_left", "seat_removed"):
                    record.left_at = at
                    record.left_early = not ended
                contribution = counted.get(fact.kind)
                if contribution is not None:
                    record.activity[contribution.kind.value] += 1
    merged: dict[str, Participation] = {}
    out: list[Participation] = []
    for record in seats.values():
        if record.member is None:
            out.append(record)
            continue
        if record.member in merged:  # the same person came back on another tablet
            first = merged[record.member]
            for kind, count in record.activity.items():
                first.activity[kind] += count
            first.left_at, first.left_early = record.left_at, record.left_early
            continue
        merged[record.member] = record
        out.append(record)
    return out
