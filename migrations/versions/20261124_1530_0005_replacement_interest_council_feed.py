"""booking remainder: replacement mode per request, "asking for interest" status, council feed

Revision ID: 0005
Revises: 0007
Create Date: 2026-11-24 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = (
    "'draft', 'submitted', 'question', 'approved', 'booked', 'declined', 'cancelled', 'completed'"
)
NEW_STATUSES = (
    "'draft', 'submitted', 'question', 'interest', 'approved', 'booked', 'declined', "
    "'cancelled', 'completed'"
)


def upgrade() -> None:
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "replacement_mode",
                sa.String(length=24),
                nullable=False,
                server_default="council_confirms",
            )
        )
        batch_op.create_check_constraint(
            "ck_booking_request_replacement_mode",
            "replacement_mode IN ('council_confirms', 'auto')",
        )
        batch_op.drop_constraint("ck_booking_request_status", type_="check")
        batch_op.create_check_constraint("ck_booking_request_status", f"status IN ({NEW_STATUSES})")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_user_account_calendar_token", ["calendar_token"])


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint("uq_user_account_calendar_token", type_="unique")
        batch_op.drop_column("calendar_token")
    op.execute("UPDATE booking_request SET status = 'submitted' WHERE status = 'interest'")
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.drop_constraint("ck_booking_request_status", type_="check")
        batch_op.create_check_constraint("ck_booking_request_status", f"status IN ({OLD_STATUSES})")
        batch_op.drop_constraint("ck_booking_request_replacement_mode", type_="check")
        batch_op.drop_column("replacement_mode")
