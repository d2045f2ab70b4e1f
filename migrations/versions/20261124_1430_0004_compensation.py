"""compensation: claim lines, receipts, batch frequency, conflict-of-interest declaration

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-24 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("request_session_id", sa.Integer(), nullable=True),
        sa.Column("activity_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("travel_minutes", sa.Integer(), nullable=False),
        sa.Column("fee_class", sa.String(length=20), nullable=False),
        sa.Column("fee_sek", sa.Integer(), nullable=False),
        sa.Column("no_fee_reason", sa.String(length=40), nullable=False),
        sa.CheckConstraint("minutes > 0", name="ck_claim_line_minutes"),
        sa.CheckConstraint("travel_minutes >= 0", name="ck_claim_line_travel"),
        sa.ForeignKeyConstraint(["claim_id"], ["compensation_claim.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["request_session_id"], ["request_session.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_line_claim_id"), ["claim_id"], unique=False)
    op.create_table(
        "claim_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=80), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["compensation_claim.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claim_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_receipt_claim_id"), ["claim_id"], unique=False)
    with op.batch_alter_table("payout_batch", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("frequency", sa.String(length=17), nullable=False, server_default="monthly")
        )
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            "ck_payout_batch_frequency", "frequency IN ('monthly', 'quarterly')"
        )
        batch_op.create_check_constraint("ck_payout_batch_period", "period_end >= period_start")
    with op.batch_alter_table("compensation_claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("travel_sek", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("review_comment", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("conflict_declared_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "conflict_declaration", sa.String(length=2000), nullable=False, server_default=""
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_column("conflict_declaration")
        batch_op.drop_column("conflict_declared_at")
    with op.batch_alter_table("compensation_claim", schema=None) as batch_op:
        batch_op.drop_column("review_comment")
        batch_op.drop_column("travel_sek")
    with op.batch_alter_table("payout_batch", schema=None) as batch_op:
        batch_op.drop_constraint("ck_payout_batch_period", type_="check")
        batch_op.drop_constraint("ck_payout_batch_frequency", type_="check")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("frequency")
    with op.batch_alter_table("claim_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_receipt_claim_id"))
    op.drop_table("claim_receipt")
    with op.batch_alter_table("claim_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_line_claim_id"))
    op.drop_table("claim_line")
