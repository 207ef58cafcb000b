"""The group's feedback at the end of a meeting, as totals only: no row per person.

Revision ID: 0008_feedback_totals
Revises: 0007_session_epoch
Create Date: 2026-12-03 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_feedback_totals'
down_revision: str | Sequence[str] | None = '0007_session_epoch'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'feedback_totals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('table_id', sa.String(length=64), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('respondents', sa.Integer(), nullable=False),
        sa.Column('faces', sa.JSON(), nullable=False),
        sa.Column('picks', sa.JSON(), nullable=False),
        sa.Column('words', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id']),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('table_id'),
    )
    with op.batch_alter_table('feedback_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_totals_meeting_id'), ['meeting_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_totals_organisation_id'),
                              ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feedback_totals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_totals_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_totals_meeting_id'))
    op.drop_table('feedback_totals')
