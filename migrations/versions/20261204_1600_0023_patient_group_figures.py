"""patient group figures: an area's patient group by age band and sex

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patient_group_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("age_band", sa.String(length=10), nullable=False),
        sa.Column("gender", sa.String(length=17), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "gender IN ('woman', 'man', 'nonbinary', 'unknown')",
            name="ck_patient_group_figure_gender",
        ),
        sa.CheckConstraint("people >= 0", name="ck_patient_group_figure_people"),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("area_id", "year", "age_band", "gender", name="uq_patient_group_cell"),
    )
    op.create_index(
        "ix_patient_group_figure_area_id", "patient_group_figure", ["area_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_patient_group_figure_area_id", table_name="patient_group_figure")
    op.drop_table("patient_group_figure")
