"""Own proposals in the participation records: how many a member made and how many of them
the leader accepted (never their text). Records closed before this count none.

Revision ID: 0012_proposal_counts
Revises: 0011_made_content
Create Date: 2026-12-14 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_proposal_counts'
down_revision: str | Sequence[str] | None = '0011_made_content'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("proposals", "proposals_accepted")


def upgrade() -> None:
    # A plain ADD COLUMN with a default for the rows already there: SQLite adds it without
    # rebuilding the table that corrections point to.
    for name in COLUMNS:
        op.add_column('attendance_records',
                      sa.Column(name, sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('attendance_records', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
