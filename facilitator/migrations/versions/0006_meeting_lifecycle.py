"""One attendance row per member per meeting; the meeting's "ended" state.

A meeting that was closed, started again and closed again holds two rows for a member, often
with different values. They are merged here: the first closed row stays as the record, and
each value a later row holds differently is added on top of it as a correction (with who
closed it, when, and why the correction exists); the later row's own corrections move to the
kept row. Then a unique index makes a second row impossible. The meeting status "ended" needs
no schema change (the status is a string).

Revision ID: 0006_meeting_lifecycle
Revises: 0005_checkins
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0006_meeting_lifecycle'
down_revision: str | Sequence[str] | None = '0005_checkins'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The reason written on each merged value (corrections are read in the panel's languages;
#: a migration knows no reader, so it says it in Finnish, Swedish and English).
MERGE_REASON = ("Kaksi kirjausta samasta kokouksesta yhdistettiin (kokous suljettiin "
                "kahdesti). / Två registreringar av samma träff slogs ihop. / Two records of "
                "the same meeting were merged (the meeting was closed twice).")

#: The record's fields a correction may change (attendance and the activity counts).
FIELDS = ("attendance", "turns", "answers", "votes", "reactions", "clues")

_records = sa.table(
    "attendance_records",
    sa.column("id", sa.Integer), sa.column("meeting_id", sa.Integer),
    sa.column("member_id", sa.Integer), sa.column("closed_at", sa.DateTime(timezone=True)),
    sa.column("closed_by", sa.Integer), *(sa.column(f, sa.String) for f in FIELDS))
_corrections = sa.table(
    "record_corrections",
    sa.column("id", sa.Integer), sa.column("record_id", sa.Integer),
    sa.column("field", sa.String), sa.column("old_value", sa.String),
    sa.column("new_value", sa.String), sa.column("reason", sa.String),
    sa.column("by", sa.Integer), sa.column("at", sa.DateTime(timezone=True)))


def _merge_duplicates(connection: Any) -> None:
    twice = connection.execute(
        sa.select(_records.c.meeting_id, _records.c.member_id)
        .group_by(_records.c.meeting_id, _records.c.member_id)
        .having(sa.func.count() > 1)).all()
    for meeting_id, member_id in twice:
        rows = connection.execute(
            sa.select(_records).where(_records.c.meeting_id == meeting_id,
                                      _records.c.member_id == member_id)
            .order_by(_records.c.closed_at, _records.c.id)).mappings().all()
        kept, later = rows[0], rows[1:]
        current = {f: str(kept[f]) for f in FIELDS}
        for correction in connection.execute(  # the kept row's own corrections first
                sa.select(_corrections).where(_corrections.c.record_id == kept["id"])
                .order_by(_corrections.c.at, _corrections.c.id)).mappings():
            current[correction["field"]] = correction["new_value"]
        for row in later:
            for field in FIELDS:
                if str(row[field]) != current[field]:
                    connection.execute(sa.insert(_corrections).values(
                        record_id=kept["id"], field=field, old_value=current[field],
                        new_value=str(row[field]), reason=MERGE_REASON,
                        by=row["closed_by"], at=row["closed_at"]))
                    current[field] = str(row[field])
            connection.execute(sa.update(_corrections)
                               .where(_corrections.c.record_id == row["id"])
                               .values(record_id=kept["id"]))
            connection.execute(sa.delete(_records).where(_records.c.id == row["id"]))


def upgrade() -> None:
    _merge_duplicates(op.get_bind())
    with op.batch_alter_table('attendance_records', schema=None) as batch_op:
        batch_op.create_index('uq_attendance_records_meeting_member',
                              ['meeting_id', 'member_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('attendance_records', schema=None) as batch_op:
        batch_op.drop_index('uq_attendance_records_meeting_member')
