from sqlmodel import select

from app.models import PriceBaseAmount


def test_migrated_database_has_official_price_base_amounts(db_session):
    rows = db_session.exec(select(PriceBaseAmount).order_by(PriceBaseAmount.year)).all()

    assert [(row.year, row.amount_sek) for row in rows] == [
        (2021, 47_600),
        (2022, 48_300),
        (2023, 52_500),
        (2024, 57_300),
        (2025, 58_800),
        (2026, 59_200),
    ]
