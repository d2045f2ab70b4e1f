"""population figures: the target population the pool is compared with (insight)

Revision ID: 0008
Revises: 0004
Create Date: 2026-11-24 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "population_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("age_band", sa.String(length=10), nullable=False),
        sa.Column("gender", sa.String(length=17), nullable=False),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "gender IN ('woman', 'man', 'nonbinary', 'unknown')",
            name="ck_population_figure_gender",
        ),
        sa.CheckConstraint("people >= 0", name="ck_population_figure_people"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("age_band", "gender", "municipality", name="uq_population_figure_cell"),
    )


def downgrade() -> None:
    op.drop_table("population_figure")
