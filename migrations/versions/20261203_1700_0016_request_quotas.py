"""quotas and balance on requests; unmet quotas on proposals

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quotas", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("balance", sa.String(length=12), nullable=False, server_default="soft")
        )
        batch_op.create_check_constraint(
            "ck_booking_request_balance", "balance IN ('hard', 'soft', 'off')"
        )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unmet_quotas", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_column("unmet_quotas")
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.drop_constraint("ck_booking_request_balance", type_="check")
        batch_op.drop_column("balance")
        batch_op.drop_column("quotas")
