"""organisation contact fields and is_enabled (administration can edit and disable)

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "contact_name",
                sa.String(length=200),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "contact_email",
                sa.String(length=254),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "contact_phone",
                sa.String(length=40),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("is_enabled", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("is_enabled")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("contact_name")
