"""legal payer of organisations, region kind, pay date of payout batches

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03 14:00:00

Backfill (docs/domain.md §6.5): when the region's departments or process groups exist, one
organisation of the new kind ``region`` ("Regionen", renamed by the administrator) becomes their
payer and that of the national groups (hosted by the region unless the administrator says
otherwise); every other organisation pays for itself. A closed batch's pay date is the day it
was closed (never before its period's end); open batches get theirs when they close.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    "region_department",
    "process_group",
    "municipality",
    "university",
    "national_body",
    "other_region",
    "patient_organisation",
)
NEW_KINDS = (*OLD_KINDS, "region")
REGION_NAME = "Regionen"


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint("ck_organisation_kind", type_="check")
        batch_op.create_check_constraint("ck_organisation_kind", _kind_check(NEW_KINDS))
        batch_op.add_column(sa.Column("payer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_organisation_payer_id", "organisation", ["payer_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_organisation_payer_id"), ["payer_id"], unique=False)
    with op.batch_alter_table("payout_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pay_date", sa.Date(), nullable=True))
    _backfill_payers()
    _backfill_pay_dates()


def _backfill_payers() -> None:
    connection = op.get_bind()
    organisation = sa.table(
        "organisation",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("cost_centre", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("payer_id", sa.Integer),
    )
    paid_by_region = ("region_department", "process_group", "national_body")
    members = connection.execute(
        sa.select(organisation.c.id).where(organisation.c.kind.in_(paid_by_region))
    ).all()
    if not members:
        return
    region_id = connection.execute(
        sa.select(organisation.c.id).where(organisation.c.name == REGION_NAME)
    ).scalar()
    if region_id is None:
        connection.execute(
            organisation.insert().values(
                name=REGION_NAME, kind="region", cost_centre="", created_at=datetime.now(UTC)
            )
        )
        region_id = connection.execute(
            sa.select(organisation.c.id).where(organisation.c.name == REGION_NAME)
        ).scalar_one()
    connection.execute(
        organisation.update()
        .where(organisation.c.kind.in_(paid_by_region))
        .values(payer_id=region_id)
    )


def _backfill_pay_dates() -> None:
    connection = op.get_bind()
    batch = sa.table(
        "payout_batch",
        sa.column("id", sa.Integer),
        sa.column("period_end", sa.Date),
        sa.column("is_closed", sa.Boolean),
        sa.column("closed_at", sa.DateTime(timezone=True)),
        sa.column("pay_date", sa.Date),
    )
    rows = connection.execute(
        sa.select(batch.c.id, batch.c.period_end, batch.c.closed_at).where(
            batch.c.is_closed.is_(True)
        )
    ).all()
    for batch_id, period_end, closed_at in rows:
        closed_on = _as_date(closed_at) or _as_date(period_end)
        pay_date = max(closed_on, _as_date(period_end))
        connection.execute(batch.update().where(batch.c.id == batch_id).values(pay_date=pay_date))


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("payout_batch", schema=None) as batch_op:
        batch_op.drop_column("pay_date")
    organisation = sa.table(
        "organisation", sa.column("kind", sa.String), sa.column("payer_id", sa.Integer)
    )
    connection.execute(organisation.update().values(payer_id=None))
    # An organisation of the region kind has no older kind; it becomes an "other region".
    connection.execute(
        organisation.update().where(organisation.c.kind == "region").values(kind="other_region")
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_payer_id"))
        batch_op.drop_constraint("fk_organisation_payer_id", type_="foreignkey")
        batch_op.drop_column("payer_id")
        batch_op.drop_constraint("ck_organisation_kind", type_="check")
        batch_op.create_check_constraint("ck_organisation_kind", _kind_check(OLD_KINDS))
