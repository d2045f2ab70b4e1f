"""Dated figures with sources: PBB, contribution bands and mileage from 2021, youth rows per year

Adds a ``source`` to every figure row and an end date to mileage rates, cites the official
table of each seeded figure, splits the youth reduction into one row per year (born 2003–2007
in 2026, born 2004–2008 in 2027) and corrects the mileage rate: 18.50 kr per 10 km in
2021–2022, 25 kr from 2023 (docs/domain.md §4). Figures not yet published (PBB 2027, the 2027
contribution bands) are not invented: the services name them as missing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Tables whose seeded rows this data migration corrects on purpose: the data-keeping test
#: (tests/integration/test_migration_data.py) lets their rows change in this step.
CORRECTS_SEEDED_ROWS = ("employer_contribution_rate", "mileage_rate")

PBB_SOURCE = "SCB / regeringen, prisbasbelopp {year}"
CONTRIBUTION_SOURCE_2026 = "Skatteverket, arbetsgivaravgifter 2026"
YOUTH_SOURCE = "Skatteverket, tillfälligt sänkta arbetsgivaravgifter för unga {year}"
YOUTH_LABEL = "Temporary reduced rate for young people aged 18–22 at the start of {year}"
MILEAGE_SOURCE = "Skatteverket, skattefri bilersättning {years}"

YOUTH_2026 = {"valid_from": date(2026, 4, 1), "born_from": 2003, "born_to": 2007}
YOUTH_2027 = {
    "valid_from": date(2027, 1, 1),
    "valid_to": date(2027, 9, 30),
    "born_from": 2004,
    "born_to": 2008,
    "rate_percent": Decimal("20.81"),
    "label": YOUTH_LABEL.format(year=2027),
    "source": YOUTH_SOURCE.format(year=2027),
}
MILEAGE_2023 = {
    "valid_from": date(2023, 1, 1),
    "valid_to": None,
    "kr_per_10km": Decimal("25.00"),
    "source": MILEAGE_SOURCE.format(years="från 2023 (25 kr per mil)"),
}

pbb = sa.table(
    "price_base_amount",
    sa.column("year", sa.Integer),
    sa.column("source", sa.String),
)
rate = sa.table(
    "employer_contribution_rate",
    sa.column("valid_from", sa.Date),
    sa.column("valid_to", sa.Date),
    sa.column("born_from", sa.Integer),
    sa.column("born_to", sa.Integer),
    sa.column("rate_percent", sa.Numeric(6, 2)),
    sa.column("label", sa.String),
    sa.column("source", sa.String),
)
mileage = sa.table(
    "mileage_rate",
    sa.column("valid_from", sa.Date),
    sa.column("valid_to", sa.Date),
    sa.column("kr_per_10km", sa.Numeric(8, 2)),
    sa.column("source", sa.String),
)


def _youth_2026():
    return sa.and_(
        rate.c.valid_from == YOUTH_2026["valid_from"],
        rate.c.born_from == YOUTH_2026["born_from"],
        rate.c.born_to == YOUTH_2026["born_to"],
    )


def upgrade() -> None:
    for table in ("price_base_amount", "employer_contribution_rate"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("source", sa.String(length=200), nullable=False, server_default="")
            )
    with op.batch_alter_table("mileage_rate") as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
    _seed()


def _seed() -> None:
    bind = op.get_bind()
    for year in range(2021, 2027):
        bind.execute(
            pbb.update().where(pbb.c.year == year).values(source=PBB_SOURCE.format(year=year))
        )
    bind.execute(
        rate.update()
        .where(rate.c.valid_from == date(2026, 1, 1), rate.c.valid_to == date(2026, 12, 31))
        .values(source=CONTRIBUTION_SOURCE_2026)
    )
    # One youth row per year: the band of birth years moves with the year it is measured in.
    youth = bind.execute(sa.select(rate.c.valid_from).where(_youth_2026())).first()
    if youth is not None:
        bind.execute(
            rate.update()
            .where(_youth_2026())
            .values(
                valid_to=date(2026, 12, 31),
                label=YOUTH_LABEL.format(year=2026),
                source=YOUTH_SOURCE.format(year=2026),
            )
        )
        bind.execute(rate.insert().values(**YOUTH_2027))
    # Mileage: 18.50 kr per 10 km until the end of 2022, 25 kr from 2023.
    first = mileage.c.valid_from == date(2021, 1, 1)
    if bind.execute(sa.select(mileage.c.valid_from).where(first)).first() is not None:
        bind.execute(
            mileage.update()
            .where(first)
            .values(
                kr_per_10km=Decimal("18.50"),
                valid_to=date(2022, 12, 31),
                source=MILEAGE_SOURCE.format(years="2021–2022 (18,50 kr per mil)"),
            )
        )
    later = mileage.c.valid_from == MILEAGE_2023["valid_from"]
    if bind.execute(sa.select(mileage.c.valid_from).where(later)).first() is None:
        bind.execute(mileage.insert().values(**MILEAGE_2023))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        mileage.delete().where(
            mileage.c.valid_from == MILEAGE_2023["valid_from"],
            mileage.c.source == MILEAGE_2023["source"],
        )
    )
    bind.execute(
        mileage.update()
        .where(mileage.c.valid_from == date(2021, 1, 1))
        .values(kr_per_10km=Decimal("25"))
    )
    bind.execute(
        rate.delete().where(
            rate.c.valid_from == YOUTH_2027["valid_from"],
            rate.c.born_from == YOUTH_2027["born_from"],
            rate.c.born_to == YOUTH_2027["born_to"],
        )
    )
    bind.execute(
        rate.update()
        .where(_youth_2026())
        .values(
            valid_to=date(2027, 9, 30),
            label="Temporary reduced rate for young people (pay April 2026 – September 2027)",
        )
    )
    with op.batch_alter_table("mileage_rate") as batch_op:
        batch_op.drop_column("valid_to")
        batch_op.drop_column("source")
    for table in ("employer_contribution_rate", "price_base_amount"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("source")
