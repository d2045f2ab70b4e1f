"""Yearly figures as dated rows: prisbasbelopp and employer-contribution rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from app.models import EmployerContributionRate, MileageRate, PriceBaseAmount
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit


def _audit_figure(session: Session, actor_id: int | None, kind: str, row, detail: dict) -> None:
    """Record who added a yearly figure and its value (money rules change with it)."""
    record_audit(
        session=session,
        actor_id=actor_id,
        action=f"figure.{kind}.added",
        subject_type=kind,
        subject_id=row.id,
        detail=detail,
    )


def list_price_base_amounts(*, session: Session) -> list[PriceBaseAmount]:
    """Return PBB rows, newest year first."""
    return list(session.exec(select(PriceBaseAmount).order_by(PriceBaseAmount.year.desc())))


def list_contribution_rates(*, session: Session) -> list[EmployerContributionRate]:
    """Return employer contribution rates, newest period first."""
    query = select(EmployerContributionRate).order_by(
        EmployerContributionRate.valid_from.desc(), EmployerContributionRate.born_from
    )
    return list(session.exec(query))


def list_mileage_rates(*, session: Session) -> list[MileageRate]:
    """Return mileage rates, newest first."""
    return list(session.exec(select(MileageRate).order_by(MileageRate.valid_from.desc())))


def add_price_base_amount(
    *, session: Session, year: int, amount_sek: int, actor_id: int | None = None
) -> PriceBaseAmount:
    """Add the PBB of a year that has none yet."""
    if not 2000 <= year <= 2100 or amount_sek <= 0:
        raise InvalidInput(N_("Give a year from 2000 to 2100 and a positive amount."))
    if session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == year)).first():
        raise Conflict(N_("That year already has a price base amount."))
    row = PriceBaseAmount(year=year, amount_sek=amount_sek)
    session.add(row)
    session.flush()
    _audit_figure(
        session, actor_id, "price_base_amount", row, {"year": year, "amount_sek": amount_sek}
    )
    return row


def add_contribution_rate(
    *, session: Session, row: EmployerContributionRate, actor_id: int | None = None
) -> EmployerContributionRate:
    """Add an employer contribution rate row after checking its ranges."""
    if row.valid_to is not None and row.valid_to < row.valid_from:
        raise InvalidInput(N_("The period must end after it starts."))
    if row.born_from is not None and row.born_to is not None and row.born_from > row.born_to:
        raise InvalidInput(N_("The birth-year band is inverted."))
    if not Decimal(0) <= Decimal(row.rate_percent) <= Decimal(100):
        raise InvalidInput(N_("The rate must be between 0 and 100 per cent."))
    session.add(row)
    session.flush()
    detail = {
        "valid_from": row.valid_from.isoformat(),
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
        "born_from": row.born_from,
        "born_to": row.born_to,
        "rate_percent": str(row.rate_percent),
    }
    _audit_figure(session, actor_id, "contribution_rate", row, detail)
    return row


def add_mileage_rate(
    *, session: Session, valid_from: date, kr_per_10km: Decimal, actor_id: int | None = None
) -> MileageRate:
    """Add a tax-free mileage rate (kronor per 10 km) from a date that has none yet."""
    try:
        rate = Decimal(kr_per_10km)
    except (InvalidOperation, TypeError, ValueError):
        rate = Decimal(0)
    if not Decimal(0) < rate <= Decimal(1000):
        raise InvalidInput(
            N_("Check the mileage rate."),
            fields={"kr_per_10km": N_("Give a positive amount, at most 1 000 kr per 10 km.")},
        )
    if session.exec(select(MileageRate).where(MileageRate.valid_from == valid_from)).first():
        raise Conflict(N_("A mileage rate already starts on that date."))
    row = MileageRate(valid_from=valid_from, kr_per_10km=rate.quantize(Decimal("0.01")))
    session.add(row)
    session.flush()
    detail = {"valid_from": valid_from.isoformat(), "kr_per_10km": str(row.kr_per_10km)}
    _audit_figure(session, actor_id, "mileage_rate", row, detail)
    return row
