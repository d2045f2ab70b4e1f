"""organisation tree: the organisation each one is part of

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-03 17:00:00

Conflicts of interest follow the organisation tree (docs/domain.md §4). Backfill: a region's
department or process group whose legal payer is an organisation of the ``region`` kind is
part of that region; every other organisation starts at the top level until the administrator
sets its parent (a municipality's units, a national group hosted by a region is not part of it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_organisation_parent_id", "organisation", ["parent_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_organisation_parent_id"), ["parent_id"], unique=False)
    connection = op.get_bind()
    organisation = sa.table(
        "organisation",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("payer_id", sa.Integer),
        sa.column("parent_id", sa.Integer),
    )
    payer = organisation.alias("payer")
    rows = connection.execute(
        sa.select(organisation.c.id, organisation.c.payer_id)
        .join(payer, payer.c.id == organisation.c.payer_id)
        .where(
            organisation.c.kind.in_(("region_department", "process_group")),
            payer.c.kind == "region",
        )
    ).all()
    for organisation_id, payer_id in rows:
        connection.execute(
            organisation.update()
            .where(organisation.c.id == organisation_id)
            .values(parent_id=payer_id)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_parent_id"))
        batch_op.drop_constraint("fk_organisation_parent_id", type_="foreignkey")
        batch_op.drop_column("parent_id")
