"""Where the private values of moves are kept: sealed, apart from the table's log.

A game marks a move's field ``Private[...]`` (:mod:`engine.sealed`); the engine takes the value
out of the action, so the append-only log and its snapshots hold only a reference. The hub
hands each accepted event's values to :class:`PrivateVault`, which seals every value with the
check-in key (:func:`facilitator.checkins.app_sealer`: the key is kept apart from the
database) bound to its table and reference, and gives them back when a table is loaded.

Erasing a member (:func:`erase_member_private`) and retention (:func:`delete_private_of`)
delete the rows; a reference whose value is gone replays as erased. On SQLite the deleting
connection turns ``secure_delete`` on, so the sealed bytes are overwritten, not just freed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine, ForeignKey, String, Text, delete, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine import Event, Table
from facilitator.db import Base, UTCDateTime

from .storage import TableEventRow

__all__ = ["PrivateValueRow", "PrivateVault", "SealerLike", "delete_private_of",
           "erase_member_private", "forget_member_private"]

log = logging.getLogger("piiri.live")



class PrivateValuesNotKept(RuntimeError):
    """Sealed values could not be stored; the move that carried them was not applied."""

class SealerLike(Protocol):
    def seal(self, value: Any, *, bound: dict[str, Any]) -> str: ...
    def open(self, token: str, *, bound: dict[str, Any]) -> Any: ...


class PrivateValueRow(Base):
    """One private value of a move, sealed (made by the migration 0009_private_values)."""

    __tablename__ = "private_values"

    table_id: Mapped[str] = mapped_column(ForeignKey("live_tables.id"), primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), primary_key=True)
    seat: Mapped[str] = mapped_column(String(16), index=True)
    member: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    """The group member the seat was tied to when the value was kept, if any."""
    sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


_rows = PrivateValueRow.__table__
_events = TableEventRow.__table__


def _bound(table_id: str, ref: str) -> dict[str, Any]:
    return {"table": table_id, "ref": ref}


class PrivateVault:
    """Keeps and gives back a table's private values, sealed."""

    def __init__(self, engine: Engine, sealer: Callable[[], SealerLike]) -> None:
        self.engine = engine
        self._sealer = sealer

    def keep(self, table_id: str, table: Table, event: Event) -> None:
        """Seal and store the values an accepted event took out of its move."""
        if not event.private:
            return
        try:
            sealer = self._sealer()
            now = datetime.now(UTC)
            rows = []
            for ref, value in event.private.items():
                seat_id = ref.split(".", 1)[0]
                seat = table.seat(seat_id)
                rows.append({"table_id": table_id, "ref": ref, "seat": seat_id,
                             "member": seat.member if seat is not None else None,
                             "sealed": sealer.seal(value, bound=_bound(table_id, ref)),
                             "created_at": now})
            with self.engine.begin() as db:
                db.execute(insert(_rows), rows)
        except Exception as error:
            # The move is not applied (the hub keeps values before it logs the event), so
            # nothing refers to a value that was never kept; the tablet may send it again.
            # Only the kind of failure is logged, never a value.
            log.error("private values of table %s could not be kept: %s", table_id,
                      type(error).__name__)
            raise PrivateValuesNotKept(type(error).__name__) from None

    def load(self, table_id: str) -> dict[str, Any]:
        """The table's private values by reference; one that cannot be opened is left out
        (it reads as erased)."""
        with self.engine.connect() as db:
            found = db.execute(select(_rows.c.ref, _rows.c.sealed).where(
                _rows.c.table_id == table_id)).all()
        if not found:
            return {}
        sealer = self._sealer()
        values: dict[str, Any] = {}
        for ref, token in found:
            try:
                values[ref] = sealer.open(token, bound=_bound(table_id, ref))
            except Exception as error:  # a wrong key or a moved row: never its content
                log.error("a private value of table %s cannot be opened: %s", table_id,
                          type(error).__name__)
        return values


def _secure_delete(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


def delete_private_of(session: Session, table_ids: Iterable[str]) -> int:
    """Delete every private value of these tables (retention). Returns how many."""
    ids = list(table_ids)
    if not ids:
        return 0
    _secure_delete(session)
    result = session.execute(delete(_rows).where(_rows.c.table_id.in_(ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def _seats_of_member(session: Session, member: str) -> set[tuple[str, str]]:
    """The (table, seat) pairs a member sat at, from the joins and confirmations in the logs
    of tables that have private values (a seat may be tied after it made its moves)."""
    tables = [row[0] for row in session.execute(select(_rows.c.table_id).distinct())]
    seats: set[tuple[str, str]] = set()
    if not tables:
        return seats
    for table_id, body in session.execute(select(_events.c.table_id, _events.c.body).where(
            _events.c.table_id.in_(tables), _events.c.type.in_(("join", "tie_member")))):
        event = json.loads(body)
        action = event.get("action", {})
        if action.get("member") != member:
            continue
        if action.get("type") == "tie_member":
            seats.add((table_id, str(action.get("seat"))))
        for fact in event.get("facts", []):
            if fact.get("kind") == "seat_joined" and fact.get("seat"):
                seats.add((table_id, str(fact["seat"])))
    return seats


def erase_member_private(session: Session, member_id: int | str) -> int:
    """Delete every private value a member's seats made, at every table. Returns how many
    (the caller writes the audit entry, with the count only)."""
    member = str(member_id)
    _secure_delete(session)
    removed = session.execute(delete(_rows).where(_rows.c.member == member))
    count = int(getattr(removed, "rowcount", 0) or 0)
    for table_id, seat in _seats_of_member(session, member):
        result = session.execute(delete(_rows).where(_rows.c.table_id == table_id,
                                                     _rows.c.seat == seat))
        count += int(getattr(result, "rowcount", 0) or 0)
    return count


def forget_member_private(hub: Any, member_id: int | str) -> int:
    """Drop from the tables running in this process the private values of every seat tied to
    a member whose data was just erased, and tell their tablets and screens again, so that
    nothing erased stays in memory or on a tablet. Returns how many values were dropped.

    The sealed rows are deleted by :func:`erase_member_private`; this is its in-memory half.
    """
    member = str(member_id)
    dropped = 0
    for live in hub.tables():
        with live.lock:
            table = live.table
            seats = {s.id for s in table.meta.seats if s.member == member}
            if not seats or not table.private:
                continue
            kept = {ref: value for ref, value in table.private.items()
                    if ref.split(".", 1)[0] not in seats}
            if len(kept) == len(table.private):
                continue
            dropped += len(table.private) - len(kept)
            live.table = Table(table.module, table.content, table.options, table.meta,
                               table.state, kept)
        hub.broadcast(live)
    return dropped
