"""Private values of moves (a life line's games, a private answer), sealed, apart from the
append-only log, which holds only references to them.

Revision ID: 0009_private_values
Revises: 0008_feedback_totals
Create Date: 2026-12-04 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_private_values'
down_revision: str | Sequence[str] | None = '0008_feedback_totals'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'private_values',
        sa.Column('table_id', sa.String(length=64), nullable=False),
        sa.Column('ref', sa.String(length=80), nullable=False),
        sa.Column('seat', sa.String(length=16), nullable=False),
        sa.Column('member', sa.String(length=64), nullable=True),
        sa.Column('sealed', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['table_id'], ['live_tables.id']),
        sa.PrimaryKeyConstraint('table_id', 'ref'),
    )
    with op.batch_alter_table('private_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_private_values_seat'), ['seat'], unique=False)
        batch_op.create_index(batch_op.f('ix_private_values_member'), ['member'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('private_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_private_values_member'))
        batch_op.drop_index(batch_op.f('ix_private_values_seat'))
    op.drop_table('private_values')
