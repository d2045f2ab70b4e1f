"""register of patient organisations, nominations and the organisation's report link (issue 20)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("report_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("report_link_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_unique_constraint(
            "uq_organisation_report_token_hash", ["report_token_hash"]
        )
    op.create_table(
        "organisation_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "area_id", name="uq_organisation_area"),
    )
    op.create_index("ix_organisation_area_organisation_id", "organisation_area", ["organisation_id"])
    op.create_index("ix_organisation_area_area_id", "organisation_area", ["area_id"])
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=2000), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("mandate_ends_on", sa.Date(), nullable=False),
        sa.Column("answer_by", sa.Date(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=17), nullable=False),
        sa.Column("sent_to", sa.String(length=254), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'filled', 'withdrawn')", name="ck_nomination_status"
        ),
        sa.CheckConstraint("seats >= 1", name="ck_nomination_seats"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["booking_request.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash", name="uq_nomination_token_hash"),
    )
    op.create_index("ix_nomination_organisation_id", "nomination", ["organisation_id"])
    op.create_index("ix_nomination_area_id", "nomination", ["area_id"])
    op.create_index("ix_nomination_request_id", "nomination", ["request_id"])
    op.create_table(
        "nomination_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["nomination_id"], ["nomination.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("applicant_id", name="uq_nomination_answer_applicant"),
    )
    op.create_index("ix_nomination_answer_nomination_id", "nomination_answer", ["nomination_id"])


def downgrade() -> None:
    op.drop_index("ix_nomination_answer_nomination_id", table_name="nomination_answer")
    op.drop_table("nomination_answer")
    op.drop_index("ix_nomination_request_id", table_name="nomination")
    op.drop_index("ix_nomination_area_id", table_name="nomination")
    op.drop_index("ix_nomination_organisation_id", table_name="nomination")
    op.drop_table("nomination")
    op.drop_index("ix_organisation_area_area_id", table_name="organisation_area")
    op.drop_index("ix_organisation_area_organisation_id", table_name="organisation_area")
    op.drop_table("organisation_area")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint("uq_organisation_report_token_hash", type_="unique")
        batch_op.drop_column("report_link_expires_at")
        batch_op.drop_column("report_token_hash")
        batch_op.drop_column("member_count")
