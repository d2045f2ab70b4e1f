"""assignment journey: standing groups, absences, stand-ins, conflicts, debriefs, material,
changes through the council, term evaluations and members" needs (issue 19)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')", name="ck_request_change_status"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(["request_id"], ["booking_request.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("request_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_change_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "request_material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("send_by", sa.Date(), nullable=True),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(["request_id"], ["booking_request.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("request_material", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_material_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "term_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("to_improve", sa.Text(), nullable=False),
        sa.Column("recommend_renewal", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(["request_id"], ["booking_request.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("term_evaluation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_term_evaluation_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "debrief_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_note", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'handled')", name="ck_debrief_request_status"),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["booking_request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("debrief_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_debrief_request_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_debrief_request_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_debrief_request_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "session_absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_session_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(["request_session_id"], ["request_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_session_id", "member_id", name="uq_session_absence"),
    )
    with op.batch_alter_table("session_absence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_absence_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_session_absence_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_session_absence_request_session_id"),
            ["request_session_id"],
            unique=False,
        )

    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("conflict_decision", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("conflict_decided_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("conflict_decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "conflict_decision_note", sa.String(length=2000), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("stand_in_session_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_assignment_conflict_decided_by_id",
            "user_account",
            ["conflict_decided_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            "fk_assignment_stand_in_session_id", "request_session", ["stand_in_session_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "ck_assignment_conflict_decision", "conflict_decision IN ('', 'keep', 'replace')"
        )

    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_standing", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("term_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("term_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("meetings_per_period", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("period_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("renewed_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("coordinator_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("late_cancellation", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_foreign_key(
            "fk_booking_request_renewed_from_id", "booking_request", ["renewed_from_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_booking_request_coordinator_id", "user_account", ["coordinator_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "ck_booking_request_term",
            "term_start IS NULL OR term_end IS NULL OR term_start <= term_end",
        )

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stand_in_session_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_invitation_stand_in_session_id", "request_session", ["stand_in_session_id"], ["id"]
        )

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("needs_note", sa.String(length=1000), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("needs_note")
        batch_op.drop_column("needs")

    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint("fk_invitation_stand_in_session_id", type_="foreignkey")
        batch_op.drop_column("stand_in_session_id")

    with op.batch_alter_table("booking_request", schema=None) as batch_op:
        batch_op.drop_constraint("ck_booking_request_term", type_="check")
        batch_op.drop_constraint("fk_booking_request_coordinator_id", type_="foreignkey")
        batch_op.drop_constraint("fk_booking_request_renewed_from_id", type_="foreignkey")
        batch_op.drop_column("late_cancellation")
        batch_op.drop_column("coordinator_id")
        batch_op.drop_column("renewed_from_id")
        batch_op.drop_column("period_months")
        batch_op.drop_column("meetings_per_period")
        batch_op.drop_column("term_end")
        batch_op.drop_column("term_start")
        batch_op.drop_column("is_standing")

    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_constraint("ck_assignment_conflict_decision", type_="check")
        batch_op.drop_constraint("fk_assignment_stand_in_session_id", type_="foreignkey")
        batch_op.drop_constraint("fk_assignment_conflict_decided_by_id", type_="foreignkey")
        batch_op.drop_column("stand_in_session_id")
        batch_op.drop_column("conflict_decision_note")
        batch_op.drop_column("conflict_decided_by_id")
        batch_op.drop_column("conflict_decided_at")
        batch_op.drop_column("conflict_decision")

    with op.batch_alter_table("session_absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_absence_request_session_id"))
        batch_op.drop_index(batch_op.f("ix_session_absence_member_id"))
        batch_op.drop_index(batch_op.f("ix_session_absence_assignment_id"))

    op.drop_table("session_absence")
    with op.batch_alter_table("debrief_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_debrief_request_request_id"))
        batch_op.drop_index(batch_op.f("ix_debrief_request_member_id"))
        batch_op.drop_index(batch_op.f("ix_debrief_request_assignment_id"))

    op.drop_table("debrief_request")
    with op.batch_alter_table("term_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_evaluation_request_id"))

    op.drop_table("term_evaluation")
    with op.batch_alter_table("request_material", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_material_request_id"))

    op.drop_table("request_material")
    with op.batch_alter_table("request_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_change_request_id"))

    op.drop_table("request_change")
