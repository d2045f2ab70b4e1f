"""training events and bookings (introduction, continuing training); pool requirements

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("video_link", sa.String(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("ical_uid", sa.String(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('introduction', 'training')", name="ck_training_event_kind"
        ),
        sa.CheckConstraint("capacity >= 1", name="ck_training_event_capacity"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_training_event_times"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ical_uid", name="uq_training_event_ical_uid"),
    )
    with op.batch_alter_table("training_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_event_starts_at"), ["starts_at"], unique=False
        )
    op.create_table(
        "training_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=17), nullable=False),
        sa.Column("attendance", sa.String(length=16), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("attendance_by_id", sa.Integer(), nullable=True),
        sa.Column("attendance_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('booked', 'cancelled')", name="ck_training_booking_status"
        ),
        sa.CheckConstraint(
            "attendance IN ('attended', 'absent')", name="ck_training_booking_attendance"
        ),
        sa.ForeignKeyConstraint(["attendance_by_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["training_event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "member_id", name="uq_training_booking_member"),
    )
    with op.batch_alter_table("training_booking", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_booking_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_booking_member_id"), ["member_id"], unique=False
        )
    op.create_table(
        "pool_requirement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=30), nullable=False),
        sa.Column("is_introduction_required", sa.Boolean(), nullable=False),
        sa.Column("is_agreement_required", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["changed_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pool", name="uq_pool_requirement_pool"),
    )


def downgrade() -> None:
    op.drop_table("pool_requirement")
    with op.batch_alter_table("training_booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_booking_member_id"))
        batch_op.drop_index(batch_op.f("ix_training_booking_event_id"))
    op.drop_table("training_booking")
    with op.batch_alter_table("training_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_event_starts_at"))
    op.drop_table("training_event")
