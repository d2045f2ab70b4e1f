"""indexes where the busiest lists filter and sort

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 16:00:00

The council's open requests filter by status (most rows are finished requests, and they keep
coming); an organisation's requests are listed newest first, a page at a time; the pool list
is sorted by name, a page at a time (docs/performance.md).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.create_index("ix_booking_request_status_created_at", ["status", "created_at"])
        batch_op.create_index(
            "ix_booking_request_organisation_created_at", ["organisation_id", "created_at"]
        )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index("ix_member_name", ["last_name", "first_name", "id"])


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index("ix_member_name")
    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_request_organisation_created_at")
        batch_op.drop_index("ix_booking_request_status_created_at")
