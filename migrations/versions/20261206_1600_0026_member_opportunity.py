"""member opportunity: each member's fair share of the seats of the approved requests she was
eligible for, which the load part reads summed over two years (issue 18)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["request_id"], ["booking_request.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "member_id", name="uq_member_opportunity"),
    )
    with op.batch_alter_table("member_opportunity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_opportunity_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_member_opportunity_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_opportunity_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("member_opportunity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_opportunity_request_id"))
        batch_op.drop_index(batch_op.f("ix_member_opportunity_member_id"))
        batch_op.drop_index(batch_op.f("ix_member_opportunity_day"))
    op.drop_table("member_opportunity")
