"""Keeping data no longer than needed: the retention rule an admin schedules.

``piiri admin retention --months N`` deletes the event logs of tables that ended more than N
months ago, and the participation records of periods that ended more than N months ago. The
audit trail stays: it records who looked at what, never the content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from facilitator.live import (
    LiveTableRow,
    SeatTokenRow,
    SnapshotRow,
    TableEventRow,
    delete_private_of,
)
from facilitator.models import AttendanceRecord, Meeting, Period, RecordCorrection, TableOwner

live_tables = LiveTableRow.__table__
table_events = TableEventRow.__table__
table_snapshots = SnapshotRow.__table__
seat_tokens = SeatTokenRow.__table__

__all__ = ["Removed", "apply_retention"]


@dataclass
class Removed:
    tables: int = 0
    events: int = 0
    records: int = 0
    feedback: int = 0
    observations: int = 0
    made_versions: int = 0


def apply_retention(session: Session, months: int, *, today: date | None = None,
                    dry_run: bool = False) -> Removed:
    """Delete what is older than ``months``; with ``dry_run`` only count it."""
    today = today or datetime.now(UTC).date()
    cutoff_day = today - timedelta(days=round(months * 30.44))
    cutoff = datetime.combine(cutoff_day, datetime.min.time(), tzinfo=UTC)
    removed = Removed()
    old_tables = [row[0] for row in session.execute(
        select(live_tables.c.id).where(live_tables.c.ended_at.is_not(None),
                                       live_tables.c.ended_at < cutoff))]
    if old_tables:
        removed.tables = len(old_tables)
        removed.events = len(session.execute(select(table_events.c.seq).where(
            table_events.c.table_id.in_(old_tables))).all())
    old_periods = [p.id for p in session.scalars(select(Period).where(
        Period.ends_on.is_not(None), Period.ends_on < cutoff_day))]
    record_ids = [r.id for r in session.scalars(select(AttendanceRecord).join(Meeting).where(
        Meeting.period_id.in_(old_periods)))] if old_periods else []
    removed.records = len(record_ids)
    # What reports keep of those periods (feedback totals, observations) goes with them.
    from facilitator.reports import forget_periods

    forgotten = forget_periods(session, old_periods, dry_run=dry_run)
    removed.feedback, removed.observations = forgotten["feedback"], forgotten["observations"]
    # The group's own content: drafts' old versions, and which version old tables played.
    from facilitator.workshop import forget_old

    removed.made_versions = forget_old(session, old_tables, cutoff, dry_run=dry_run)
    if dry_run:
        return removed
    if old_tables:
        delete_private_of(session, old_tables)  # moves' private values, sealed apart
        for table in (table_events, table_snapshots, seat_tokens):
            session.execute(delete(table).where(table.c.table_id.in_(old_tables)))
        session.execute(delete(TableOwner).where(TableOwner.table_id.in_(old_tables)))
        session.execute(delete(live_tables).where(live_tables.c.id.in_(old_tables)))
    if record_ids:
        session.execute(delete(RecordCorrection).where(
            RecordCorrection.record_id.in_(record_ids)))
        session.execute(delete(AttendanceRecord).where(AttendanceRecord.id.in_(record_ids)))
    session.commit()
    return removed
