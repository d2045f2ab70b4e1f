"""recruitment targets: the council's aims for where the pool is thin

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recruitment_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wanted_count", sa.Integer(), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=17), nullable=True),
        sa.Column("experience_type", sa.String(length=16), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("pool", sa.String(length=25), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=14), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_recruitment_target_status"),
        sa.CheckConstraint(
            "gender IN ('woman', 'man', 'nonbinary', 'unknown')",
            name="ck_recruitment_target_gender",
        ),
        sa.CheckConstraint(
            "experience_type IN ('own', 'relative')",
            name="ck_recruitment_target_experience_type",
        ),
        sa.CheckConstraint(
            "pool IN ('levande_bibliotek', 'peer')", name="ck_recruitment_target_pool"
        ),
        sa.CheckConstraint(
            "wanted_count BETWEEN 1 AND 1000", name="ck_recruitment_target_wanted"
        ),
        sa.CheckConstraint(
            "age_min IS NULL OR age_max IS NULL OR age_min <= age_max",
            name="ck_recruitment_target_ages",
        ),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["closed_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("recruitment_target")
