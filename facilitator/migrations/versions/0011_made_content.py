"""The group's own content from co-creation workshops: made content, its versions, makers'
credits (by consent) and which version each table played.

Revision ID: 0011_made_content
Revises: 0010_observations
Create Date: 2026-12-12 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_made_content'
down_revision: str | Sequence[str] | None = '0010_observations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'made_contents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('game', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('language', sa.String(length=12), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('workshop_table', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'],
                                name=op.f('fk_made_contents_group_id_groups')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_made_contents_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_made_contents')),
    )
    with op.batch_alter_table('made_contents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_made_contents_group_id'), ['group_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_made_contents_organisation_id'),
                              ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_made_contents_workshop_table'),
                              ['workshop_table'], unique=False)
    op.create_table(
        'made_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('content_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('change', sa.String(length=200), nullable=False),
        sa.Column('changed_by', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['changed_by'], ['users.id'],
                                name=op.f('fk_made_versions_changed_by_users')),
        sa.ForeignKeyConstraint(['content_id'], ['made_contents.id'],
                                name=op.f('fk_made_versions_content_id_made_contents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_made_versions')),
        sa.UniqueConstraint('content_id', 'version',
                            name=op.f('uq_made_versions_content_id')),
    )
    with op.batch_alter_table('made_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_made_versions_content_id'), ['content_id'],
                              unique=False)
    op.create_table(
        'made_credits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('content_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['content_id'], ['made_contents.id'],
                                name=op.f('fk_made_credits_content_id_made_contents')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_made_credits_member_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_made_credits')),
    )
    with op.batch_alter_table('made_credits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_made_credits_content_id'), ['content_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_made_credits_member_id'), ['member_id'],
                              unique=False)
    op.create_table(
        'made_tables',
        sa.Column('table_id', sa.String(length=64), nullable=False),
        sa.Column('content_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['content_id'], ['made_contents.id'],
                                name=op.f('fk_made_tables_content_id_made_contents')),
        sa.PrimaryKeyConstraint('table_id', name=op.f('pk_made_tables')),
    )
    with op.batch_alter_table('made_tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_made_tables_content_id'), ['content_id'],
                              unique=False)


def downgrade() -> None:
    for table, indexes in (('made_tables', ['content_id']),
                           ('made_credits', ['member_id', 'content_id']),
                           ('made_versions', ['content_id']),
                           ('made_contents', ['workshop_table', 'organisation_id',
                                              'group_id'])):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexes:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
