"""pool stamp and change log: which members' matching data changed, in commit order

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-24 18:00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    stamp = op.create_table(
        "pool_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("pruned_below", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "pool_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pool_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pool_change_version"), ["version"], unique=False)
    op.bulk_insert(
        stamp,
        [
            {
                "id": 1,
                "stamp": uuid.uuid4().hex,
                "version": 0,
                "pruned_below": 0,
                "changed_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("pool_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pool_change_version"))

    op.drop_table("pool_change")
    op.drop_table("pool_stamp")
