"""Seed the official yearly figures: PBB 2021–2026, employer contributions 2026, mileage rate.

Administrators add later years in the app; these rows are only the values known when written.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 12:35:00
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRICE_BASE_AMOUNTS = {2021: 47_600, 2022: 48_300, 2023: 52_500, 2024: 57_300, 2025: 58_800, 2026: 59_200}

CONTRIBUTION_RATES_2026 = [
    # (valid_from, valid_to, born_from, born_to, rate, label)
    (date(2026, 1, 1), date(2026, 12, 31), 1959, None, "31.42", "Full employer contributions"),
    (date(2026, 1, 1), date(2026, 12, 31), 1938, 1958, "10.21", "Old-age pension fee only"),
    (date(2026, 1, 1), date(2026, 12, 31), None, 1937, "0", "No contributions"),
    (
        date(2026, 4, 1),
        date(2027, 9, 30),
        2003,
        2007,
        "20.81",
        "Temporary reduced rate for young people (pay April 2026 – September 2027)",
    ),
]

price_base_amount = sa.table(
    "price_base_amount", sa.column("year", sa.Integer), sa.column("amount_sek", sa.Integer)
)
contribution_rate = sa.table(
    "employer_contribution_rate",
    sa.column("valid_from", sa.Date),
    sa.column("valid_to", sa.Date),
    sa.column("born_from", sa.Integer),
    sa.column("born_to", sa.Integer),
    sa.column("rate_percent", sa.Numeric(6, 2)),
    sa.column("label", sa.String),
)
mileage_rate = sa.table(
    "mileage_rate", sa.column("valid_from", sa.Date), sa.column("kr_per_10km", sa.Numeric(8, 2))
)


def upgrade() -> None:
    op.bulk_insert(
        price_base_amount,
        [{"year": year, "amount_sek": amount} for year, amount in PRICE_BASE_AMOUNTS.items()],
    )
    op.bulk_insert(
        contribution_rate,
        [
            {
                "valid_from": valid_from,
                "valid_to": valid_to,
                "born_from": born_from,
                "born_to": born_to,
                "rate_percent": Decimal(rate),
                "label": label,
            }
            for valid_from, valid_to, born_from, born_to, rate, label in CONTRIBUTION_RATES_2026
        ],
    )
    op.bulk_insert(mileage_rate, [{"valid_from": date(2021, 1, 1), "kr_per_10km": Decimal("25")}])


def downgrade() -> None:
    op.execute(mileage_rate.delete().where(mileage_rate.c.valid_from == date(2021, 1, 1)))
    op.execute(contribution_rate.delete().where(contribution_rate.c.valid_from >= date(2026, 1, 1)))
    op.execute(
        price_base_amount.delete().where(price_base_amount.c.year.in_(list(PRICE_BASE_AMOUNTS)))
    )
