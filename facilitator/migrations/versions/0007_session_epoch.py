"""A user's session epoch: every session carries the epoch it began in, and signing out,
a new password or a disabled account moves the epoch on, which ends every older session.

Revision ID: 0007_session_epoch
Revises: 0006_meeting_lifecycle
Create Date: 2026-12-02 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_session_epoch'
down_revision: str | Sequence[str] | None = '0006_meeting_lifecycle'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
