"""pool stamp: changes with every commit that changes data the matching engine reads

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
    table = op.create_table(
        "pool_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "stamp": uuid.uuid4().hex, "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("pool_stamp")
