"""Which check-ins are due in a period: a pure function of dates and of who has answered what.

Kykyviisari-style follow-ups are often forgotten (one project: 34 of 82 clients had both a
start and an end measurement), so the leader's group and period pages remind them:

* a member with no start check-in in the period: "no start check-in yet";
* once the period is past its midpoint, a member who has a start check-in but no midpoint one;
* once the period ends within :data:`END_WINDOW_DAYS` days (or has ended), a member who has a
  start check-in but no end one. The end reminder replaces the midpoint one: at that point the
  end check-in is the one worth doing.

A period without an end date has no midpoint and no end, so only the start reminder applies.
Nothing is due before a period starts. Each member gets at most one reminder.

>>> from datetime import date
>>> due_checkins(date(2026, 9, 1), date(2026, 11, 30), date(2026, 10, 20),
...              [(1, "Aino"), (2, "Bashir")], {1: {"start"}})
[Due(member_id=1, nickname='Aino', need='mid'), Due(member_id=2, nickname='Bashir', need='start')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

__all__ = ["END_WINDOW_DAYS", "Due", "due_checkins", "is_current", "midpoint"]

#: The end check-in is due from this many days before the period's last day.
END_WINDOW_DAYS = 14

Need = Literal["start", "mid", "end"]


@dataclass(frozen=True)
class Due:
    """One member's next check-in in a period."""

    member_id: int
    nickname: str
    need: Need


def midpoint(starts_on: date, ends_on: date) -> date:
    """The middle day of a period (rounded down).

    >>> midpoint(date(2026, 9, 1), date(2026, 9, 30))
    datetime.date(2026, 9, 15)
    """
    return starts_on + timedelta(days=(ends_on - starts_on).days // 2)


def is_current(starts_on: date, ends_on: date | None, today: date) -> bool:
    """Whether a period is worth reminding about on the group page: it has started, and it has
    not ended more than :data:`END_WINDOW_DAYS` days ago (the period's own page always shows
    its reminders)."""
    if today < starts_on:
        return False
    return ends_on is None or today <= ends_on + timedelta(days=END_WINDOW_DAYS)


def due_checkins(starts_on: date, ends_on: date | None, today: date,
                 members: Iterable[tuple[int, str]],
                 answered: Mapping[int, Set[str]]) -> list[Due]:
    """The check-ins due in a period on ``today``, in the order ``members`` are given.

    Args:
        starts_on, ends_on: the period's first and last day (``ends_on`` may be unknown).
        today: the day to judge on (the leader's local date).
        members: ``(member id, nickname)`` of the group's active members.
        answered: for each member id, the kinds of check-in (``"start"``, ``"mid"``, ``"end"``,
            ``"free"``) the member answered in this period; a member missing here answered none.

    Returns:
        One :class:`Due` per member who has something due.
    """
    if today < starts_on:
        return []
    end_due = ends_on is not None and today >= ends_on - timedelta(days=END_WINDOW_DAYS)
    mid_due = ends_on is not None and today >= midpoint(starts_on, ends_on)
    found: list[Due] = []
    for member_id, nickname in members:
        kinds = answered.get(member_id, frozenset())
        need: Need | None = None
        if "start" not in kinds:
            need = "start"
        elif end_due:
            need = None if "end" in kinds else "end"
        elif mid_due and not kinds & {"mid", "end"}:
            need = "mid"
        if need is not None:
            found.append(Due(member_id, nickname, need))
    return found
