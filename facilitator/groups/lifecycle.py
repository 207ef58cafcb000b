"""A meeting's one lifecycle: planned → running → ended → closed, and the next step at each.

The status is written with conditional updates (``… WHERE status != 'closed'``), so that two
requests at once — two closes, or a close and a stale tab's start — cannot both win: the
database serialises them, and the second finds the meeting already closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import select, update

from facilitator.dbsession import db
from facilitator.live import Hub, LiveTable, LiveTableRow
from facilitator.models import Meeting, MeetingStatus, TableOwner

__all__ = ["STATE_WORDS", "Step", "mark_ended", "open_meeting_table", "open_tables", "steps"]

#: A meeting's state in the leader's words.
STATE_WORDS = {
    MeetingStatus.planned.value: lazy_gettext("Planned"),
    MeetingStatus.live.value: lazy_gettext("Table open"),
    MeetingStatus.ended.value: lazy_gettext("Game over, attendance not saved yet"),
    MeetingStatus.closed.value: lazy_gettext("Attendance saved"),
}


@dataclass(frozen=True)
class Step:
    """Where a meeting is in its lifecycle, and the room code of its open table if any."""

    state: str
    code: str | None = None


def open_tables(meeting_ids: list[int]) -> dict[int, list[str]]:
    """The tables of these meetings that have not ended, by meeting (as storage says, so a
    table that ended on its own — the game was over — counts as ended)."""
    if not meeting_ids:
        return {}
    found: dict[int, list[str]] = {}
    for meeting_id, table_id in db().execute(
            select(TableOwner.meeting_id, TableOwner.table_id)
            .join(LiveTableRow, LiveTableRow.id == TableOwner.table_id)
            .where(TableOwner.meeting_id.in_(meeting_ids), LiveTableRow.ended_at.is_(None))):
        found.setdefault(meeting_id, []).append(table_id)
    return found


def steps(meetings: list[Meeting], hub: Hub) -> dict[int, Step]:
    """Each meeting's state as it is now. A running meeting whose tables have all ended (the
    game finished on its own, or the server restarted after an end) is marked ended here."""
    running = open_tables([m.id for m in meetings])
    codes = {live.table_id: live.code for live in hub.tables()}
    if getattr(hub, "cluster", None) is not None:  # tables other processes own count too
        codes.update({row.table_id: row.room_code for row in hub.store.open_tables()
                      if row.table_id not in codes})
    settled = False
    found: dict[int, Step] = {}
    for meeting in meetings:
        tables = running.get(meeting.id, [])
        if meeting.status == MeetingStatus.live.value and not tables:
            settled |= _set_status(meeting, MeetingStatus.ended, only_from=MeetingStatus.live)
        code = next((codes[t] for t in tables if t in codes), None)
        found[meeting.id] = Step(meeting.status, code)
    if settled:
        db().commit()
    return found


def _set_status(meeting: Meeting, status: MeetingStatus, *,
                only_from: MeetingStatus | None = None) -> bool:
    """Set the status unless the meeting is closed (or not in ``only_from``); whether it did."""
    where = [Meeting.id == meeting.id, Meeting.status != MeetingStatus.closed.value]
    if only_from is not None:
        where.append(Meeting.status == only_from.value)
    result: Any = db().execute(update(Meeting).where(*where).values(status=status.value)
                               .execution_options(synchronize_session=False))
    db().refresh(meeting)
    return bool(result.rowcount)


def mark_ended(table_id: str) -> None:
    """The table ended: its meeting, if it was running and has no other open table, is ended
    (a closed meeting stays closed)."""
    owner = db().get(TableOwner, table_id)
    if owner is None or owner.meeting_id is None:
        return
    if open_tables([owner.meeting_id]).get(owner.meeting_id):
        return
    meeting = db().get(Meeting, owner.meeting_id)
    if meeting is not None and _set_status(meeting, MeetingStatus.ended,
                                           only_from=MeetingStatus.live):
        db().commit()


def open_meeting_table(hub: Hub, meeting: Meeting, user_id: int | None, *,
                       content: Any = None, options: dict[str, Any] | None = None,
                       facts: tuple[Any, ...] = ()) -> LiveTable | None:
    """The meeting's running table, or a new one with its planned game, choices and roster.

    None for a closed meeting: its record is locked and is never reopened by a table. An ended
    meeting gets a new table that adds to the same meeting's evidence (the roll call is read
    from all of its tables). A new table is played with ``content`` when given (the group's
    own deck: :mod:`facilitator.workshop`, with ``facts`` saying so in its first event) and
    with ``options`` added to the planned ones."""
    assert meeting.game is not None
    if meeting.status == MeetingStatus.closed.value:
        return None
    tables = set(open_tables([meeting.id]).get(meeting.id, []))
    live = next((t for t in hub.tables() if t.table_id in tables
                 and t.table.status.value != "ended"), None)
    if live is not None:
        return live
    # Claim the meeting first, so that a close that got there first wins.
    if not _set_status(meeting, MeetingStatus.live):
        db().rollback()
        return None
    db().commit()
    live = hub.create_table(meeting.game, {**dict(meeting.game_options or {}), **(options or {})},
                            content=content, facts=facts)
    live.roster = {m.nickname: str(m.id) for m in meeting.period.group.members if m.active}
    db().add(TableOwner(table_id=live.table_id,
                        organisation_id=meeting.period.group.organisation_id,
                        meeting_id=meeting.id, started_by=user_id))
    db().commit()
    db().refresh(meeting)
    if meeting.status == MeetingStatus.closed.value:  # closed while the table was made
        hub.end(live)
        return None
    return live
