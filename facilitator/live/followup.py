"""Carrying a table's seats over to a follow-up table of another activity.

A sequence of activities (a workshop, then playing what the group made, then back to the
workshop; a warm-up round, then the main game) keeps the same people in their seats: nobody
joins again. The follow-up table is made with the same roster and a seat for every person
still at the old table (same nickname, picture and member); each tablet's token is moved to
its new seat, so the token it already holds is welcomed at the new room. The old table then
ends cleanly, and every tablet and screen of it is told to follow (:class:`Follow`): they
connect to the new room by themselves. A tablet that was asleep meanwhile is told the same
when it comes back to the old room (:func:`followed`).

The old table ends without its after-end hooks (the group's feedback round belongs to the
end of the whole sequence, not to each step of it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from engine import EndTable, Join, Presence, Rejected, TableStatus
from engine.protocol import Follow
from facilitator.models import TableOwner

from .hub import Connection, Hub, LiveTable, hash_token
from .storage import SeatTokenRow

__all__ = ["FollowUpError", "carry_over", "followed", "owned_like"]

_tokens: Any = SeatTokenRow.__table__


class FollowUpError(RuntimeError):
    """The table cannot be followed up (it has ended already)."""


def _move_tokens(hub: Hub, old_table: str, new_table: str, seats: dict[str, str]) -> None:
    """Point the seat tokens of ``old_table`` at their seats in ``new_table`` (by old seat)."""
    engine = getattr(hub.store, "engine", None)
    if engine is None:  # a store without tokens in a database (benchmarks' doubles)
        return
    with engine.begin() as connection:
        for old, new in seats.items():
            connection.execute(update(_tokens).where(
                _tokens.c.table_id == old_table, _tokens.c.seat_id == old,
                _tokens.c.released_at.is_(None)).values(table_id=new_table, seat_id=new))


def carry_over(hub: Hub, live: LiveTable, game: str, options: dict[str, Any] | None = None,
               content: Any = None, facts: tuple[Any, ...] = ()) -> LiveTable:
    """A new table of ``game`` with the seats of ``live``; ``live`` ends, and its tablets and
    screens are sent on to the new room.

    Args:
        hub: the hub that owns ``live``.
        live: the table whose people go on together.
        game, options, content, facts: the follow-up table's activity, choices, content and
            first facts (as for :meth:`Hub.create_table`).

    Returns:
        The follow-up table, in its lobby with every seat waiting for its tablet.

    Raises:
        FollowUpError: ``live`` has ended.
        ValueError: the follow-up table cannot be made with these options.
    """
    with live.lock:
        if live.table.status is TableStatus.ended:
            raise FollowUpError("the table has ended")
        new = hub.create_table(game, options, content=content, admit=live.admit, facts=facts)
        new.roster = dict(live.roster)
        new.show_roster = live.show_roster
        new.screen_lang = live.screen_lang
        moved: dict[str, str] = {}
        for seat in live.table.meta.seats:
            if seat.gone:
                continue
            joined = hub.apply(new, Join(at=hub.now(), nickname=seat.nickname,
                                         avatar=seat.avatar, member=seat.member))
            if isinstance(joined, Rejected):  # e.g. more people than the activity seats
                continue
            moved[seat.id] = new.table.meta.seats[-1].id
            # Until its tablet arrives, the seat is not connected (as after a restart).
            hub.apply(new, Presence(at=hub.now(), seat=moved[seat.id], connected=False))
        _move_tokens(hub, live.table_id, new.table_id, moved)
        followers: list[Connection] = [conn for seat, conn in live.seats.items()
                                       if seat in moved]
        for seat in moved:
            live.seats.pop(seat, None)
        followers.extend(live.screens)
        live.screens.clear()
        hub.close_side_round(live)
        hub.apply(live, EndTable(at=hub.now()))
    frame = Follow(room=new.code).model_dump_json()
    for conn in followers:
        try:
            conn.send(frame)
            conn.close()
        except Exception:  # a dropped tablet comes back and is told then (followed())
            continue
    return new


def followed(hub: Hub, live: LiveTable | None, token: str) -> str | None:
    """The room a returning tablet's seat went on to, when ``live`` (the room it asked for,
    ``None`` if gone) has ended or is unknown and its token now holds a seat elsewhere."""
    if live is not None and live.table.status is not TableStatus.ended:
        return None
    found = hub.store.find_token(hash_token(token))
    if found is None or (live is not None and found[0] == live.table_id):
        return None
    there = next((t for t in hub.tables() if t.table_id == found[0]), None)
    if there is None or there.table.status is TableStatus.ended:
        return None
    return there.code


def owned_like(session: Session, old_table: str, new_table: str) -> None:
    """The follow-up table belongs to the same organisation and meeting as the old one (the
    meeting's roll call reads from all of its tables)."""
    owner = session.get(TableOwner, old_table)
    if owner is not None:
        session.add(TableOwner(table_id=new_table, organisation_id=owner.organisation_id,
                               meeting_id=owner.meeting_id, started_by=owner.started_by))
