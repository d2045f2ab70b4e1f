"""pool stamp: a settings version (weights, acceptance model, organisations, pool requirements,
areas), so that web processes keep what every proposal reads until it changes; and which parts
of a member's data each logged change touched, so that they reload only those (issue 22)

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
    # Rows logged before this revision name no parts: they count as everything (15).
    with op.batch_alter_table("pool_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parts", sa.Integer(), nullable=False, server_default="15"))


def downgrade() -> None:
    with op.batch_alter_table("pool_change", schema=None) as batch_op:
        batch_op.drop_column("parts")
    with op.batch_alter_table("pool_stamp", schema=None) as batch_op:
        batch_op.drop_column("settings_version")
