"""pool stamp: a settings version (weights, acceptance model, organisations, pool requirements,
areas), so that web processes keep what every proposal reads until it changes (issue 22)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pool_stamp", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("settings_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("pool_stamp", schema=None) as batch_op:
        batch_op.drop_column("settings_version")
