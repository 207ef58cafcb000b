"""The leaders' observations for social reporting: a phenomenon, its category, how many it
affects (a count, no names), how often, evidence and a proposal.

Revision ID: 0010_observations
Revises: 0009_private_values
Create Date: 2026-12-10 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_observations'
down_revision: str | Sequence[str] | None = '0009_private_values'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'observations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('author', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('phenomenon', sa.String(length=300), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('affected', sa.Integer(), nullable=False),
        sa.Column('frequency', sa.String(length=20), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('proposal', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['author'], ['users.id'],
                                name=op.f('fk_observations_author_users')),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'],
                                name=op.f('fk_observations_group_id_groups')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_observations_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['period_id'], ['periods.id'],
                                name=op.f('fk_observations_period_id_periods')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_organisation_id'),
                              ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_period_id'), ['period_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_period_id'))
        batch_op.drop_index(batch_op.f('ix_observations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_observations_group_id'))
    op.drop_table('observations')
