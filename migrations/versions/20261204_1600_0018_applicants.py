"""applicants to the pool (issue 20) and the end date of a member's mandate

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "'applied', 'conversation_booked', 'introduction', 'agreement_signed', 'active', "
STATUSES += "'not_now', 'declined'"


def upgrade() -> None:
    op.create_table(
        "applicant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=27), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=17), nullable=True),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("experiences", sa.JSON(), nullable=True),
        sa.Column("participation", sa.JSON(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=True),
        sa.Column("need_codes", sa.JSON(), nullable=True),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=19), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("mandate_ends_on", sa.Date(), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_changed_by_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_text_version", sa.String(length=32), nullable=False),
        sa.Column("fills_gap", sa.String(length=200), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_applicant_status"),
        sa.CheckConstraint("source IN ('application', 'nomination')", name="ck_applicant_source"),
        sa.CheckConstraint(
            "gender IN ('woman', 'man', 'nonbinary', 'unknown')", name="ck_applicant_gender"
        ),
        sa.CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="ck_applicant_birth_year"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["status_changed_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_applicant_created_at", "applicant", ["created_at"])
    op.create_index("ix_applicant_status", "applicant", ["status"])
    op.create_index("ix_applicant_organisation_id", "applicant", ["organisation_id"])
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mandate_ends_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("mandate_ends_on")
    op.drop_index("ix_applicant_organisation_id", table_name="applicant")
    op.drop_index("ix_applicant_status", table_name="applicant")
    op.drop_index("ix_applicant_created_at", table_name="applicant")
    op.drop_table("applicant")
