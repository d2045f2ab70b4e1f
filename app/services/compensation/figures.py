"""Yearly figures as dated rows with their sources: PBB, contribution rates and mileage.

Administrators add, correct and end-date rows; every change is audited. Claims freeze their
fees and travel when attested, so a correction never reaches a paid claim; a contribution row
that a closed payout batch was settled with keeps its rate, bands and the days it covered.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import EmployerContributionRate, MileageRate, PayoutBatch, PriceBaseAmount
from app.services.compensation import fees
from app.services.compensation.fee_tables import Tables, load_tables, unique_missing
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.text_rules import one_line_error

#: The table behind each kind of figure, and its name in the audit trail.
FIGURE_TABLES = {
    fees.FIGURE_PBB: "price_base_amount",
    fees.FIGURE_CONTRIBUTION: "employer_contribution_rate",
    fees.FIGURE_MILEAGE: "mileage_rate",
}
FIGURE_MODELS = {
    fees.FIGURE_PBB: PriceBaseAmount,
    fees.FIGURE_CONTRIBUTION: EmployerContributionRate,
    fees.FIGURE_MILEAGE: MileageRate,
}
MAX_SOURCE = 200


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
    *,
    session: Session,
    year: int,
    amount_sek: int,
    source: str = "",
    actor_id: int | None = None,
) -> PriceBaseAmount:
    """Add the PBB of a year that has none yet."""
    if not 2000 <= year <= 2100 or amount_sek <= 0:
        raise InvalidInput(N_("Give a year from 2000 to 2100 and a positive amount."))
    if session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == year)).first():
        raise Conflict(N_("That year already has a price base amount."))
    row = PriceBaseAmount(year=year, amount_sek=amount_sek, source=_source(source))
    session.add(row)
    session.flush()
    _audit(session, actor_id, "figure.added", FIGURE_TABLES[fees.FIGURE_PBB], row)
    return row


def add_contribution_rate(
    *, session: Session, row: EmployerContributionRate, actor_id: int | None = None
) -> EmployerContributionRate:
    """Add an employer contribution rate row after checking its ranges."""
    row.source = _source(row.source or "")
    _check_contribution(row)
    session.add(row)
    session.flush()
    _audit(session, actor_id, "figure.added", FIGURE_TABLES[fees.FIGURE_CONTRIBUTION], row)
    return row


def _check_contribution(row: EmployerContributionRate) -> None:
    if row.valid_to is not None and row.valid_to < row.valid_from:
        raise InvalidInput(N_("The period must end after it starts."))
    if row.born_from is not None and row.born_to is not None and row.born_from > row.born_to:
        raise InvalidInput(N_("The birth-year band is inverted."))
    if not Decimal(0) <= Decimal(row.rate_percent) <= Decimal(100):
        raise InvalidInput(N_("The rate must be between 0 and 100 per cent."))


def add_mileage_rate(
    *,
    session: Session,
    valid_from: date,
    kr_per_10km: Decimal,
    source: str = "",
    actor_id: int | None = None,
) -> MileageRate:
    """Add a tax-free mileage rate (kronor per 10 km) from a date that has none yet."""
    rate = _mileage_amount(kr_per_10km)
    if session.exec(select(MileageRate).where(MileageRate.valid_from == valid_from)).first():
        raise Conflict(N_("A mileage rate already starts on that date."))
    row = MileageRate(valid_from=valid_from, kr_per_10km=rate, source=_source(source))
    session.add(row)
    session.flush()
    _audit(session, actor_id, "figure.added", FIGURE_TABLES[fees.FIGURE_MILEAGE], row)
    return row


def _mileage_amount(kr_per_10km) -> Decimal:
    try:
        rate = Decimal(kr_per_10km)
    except (InvalidOperation, TypeError, ValueError):
        rate = Decimal(0)
    if not Decimal(0) < rate <= Decimal(1000):
        raise InvalidInput(
            N_("Check the mileage rate."),
            fields={"kr_per_10km": N_("Give a positive amount, at most 1 000 kr per 10 km.")},
        )
    return rate.quantize(Decimal("0.01"))


#: What to tell people when a figure is missing, per ``fees.MissingFigure.kind``.
MISSING_FIGURE_MESSAGES = {
    fees.FIGURE_PBB: N_(
        "The price base amount (PBB) for %(year)s is not recorded yet, so the fee cannot be "
        "computed."
    ),
    fees.FIGURE_CONTRIBUTION: N_(
        "The employer contribution rates for %(year)s are not recorded yet, so the employer "
        "contributions cannot be computed."
    ),
    fees.FIGURE_MILEAGE: N_(
        "The mileage rate for %(year)s is not recorded yet, so the car allowance cannot be "
        "computed."
    ),
}


def missing_figure_message(error: fees.MissingFigure) -> tuple[str, dict]:
    """Return the message id and its values that name a missing figure and its year."""
    return MISSING_FIGURE_MESSAGES[error.kind], {"year": error.year}


def _source(text: str) -> str:
    text = (text or "").strip()
    if one_line_error(text):
        raise InvalidInput(N_("Check the source."), fields={"source": one_line_error(text)})
    if len(text) > MAX_SOURCE:
        raise InvalidInput(
            N_("Check the source."), fields={"source": N_("Use at most 200 characters.")}
        )
    return text


def _snapshot(row) -> dict:
    return {
        key: (str(value) if value is not None else None)
        for key, value in row.model_dump().items()
        if key != "id"
    }


def _audit(session: Session, actor_id, action: str, table: str, row, before=None) -> None:
    detail = {"after": _snapshot(row)}
    if before is not None:
        detail["before"] = before
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type=table,
        subject_id=row.id,
        detail=detail,
    )


def get_figure(*, session: Session, kind: str, row_id: int):
    """Return one figure row of a kind (PBB, contribution, mileage) or raise NotFound."""
    model = FIGURE_MODELS.get(kind)
    row = session.get(model, row_id) if model else None
    if row is None:
        raise NotFound(N_("No such figure."))
    return row


def _closed_pay_dates(session: Session, start: date, end: date | None) -> list[date]:
    """Return the pay dates of closed batches between start and end (the rate follows them)."""
    paid_on = func.coalesce(PayoutBatch.pay_date, PayoutBatch.period_end)
    query = select(paid_on).where(PayoutBatch.is_closed.is_(True), paid_on >= start)
    if end is not None:
        query = query.where(paid_on <= end)
    return list(session.exec(query))


def correct_figure(
    *,
    session: Session,
    kind: str,
    row_id: int,
    actor_id: int | None,
    amount: Decimal | None = None,
    valid_to: date | None = None,
    source: str | None = None,
):
    """Correct a figure's amount or source, or end-date it (contribution and mileage rows).

    A contribution row that closed batches were settled with keeps its rate and every day
    they were paid on: correcting it then means ending it and adding a new row.
    """
    row = get_figure(session=session, kind=kind, row_id=row_id)
    before = _snapshot(row)
    if valid_to is not None:
        _end(session, kind, row, valid_to)
    if amount is not None:
        _set_amount(session, kind, row, amount)
    if source is not None:
        row.source = _source(source)
    session.add(row)
    session.flush()
    _audit(session, actor_id, "figure.corrected", FIGURE_TABLES[kind], row, before)
    return row


def _end(session: Session, kind: str, row, valid_to: date) -> None:
    if kind == fees.FIGURE_PBB:
        raise InvalidInput(
            N_("A price base amount holds for its year; correct the amount instead."),
            fields={"valid_to": N_("A price base amount cannot be end-dated.")},
        )
    if valid_to < row.valid_from:
        raise InvalidInput(
            N_("The period must end after it starts."),
            fields={"valid_to": N_("The period must end after it starts.")},
        )
    if kind == fees.FIGURE_CONTRIBUTION:
        paid = _closed_pay_dates(session, max(valid_to, row.valid_from), row.valid_to)
        if any(day > valid_to for day in paid):
            raise Conflict(N_("A closed payout batch was settled with this rate after that date."))
    row.valid_to = valid_to


def _set_amount(session: Session, kind: str, row, amount: Decimal) -> None:
    if kind == fees.FIGURE_PBB:
        if int(amount) != amount or amount <= 0:
            raise InvalidInput(
                N_("Check the amount."), fields={"amount": N_("Give whole kronor above zero.")}
            )
        row.amount_sek = int(amount)
    elif kind == fees.FIGURE_MILEAGE:
        row.kr_per_10km = _mileage_amount(amount)
    else:
        if not Decimal(0) <= Decimal(amount) <= Decimal(100):
            raise InvalidInput(N_("The rate must be between 0 and 100 per cent."))
        if Decimal(amount) != Decimal(row.rate_percent) and _closed_pay_dates(
            session, row.valid_from, row.valid_to
        ):
            raise Conflict(
                N_(
                    "A closed payout batch was settled with this rate; end-date it and add "
                    "a new row instead."
                )
            )
        row.rate_percent = Decimal(amount)


#: From this month on, next year's missing figures are named ahead of time.
WARN_FROM_MONTH = 10
#: Birth-year offsets that stand for the contribution bands: full rate, old-age fee only, none.
BAND_AGES = (40, 70, 95)


def missing_figures_for_year(
    *, session: Session, year: int, tables: Tables | None = None
) -> tuple[fees.MissingFigure, ...]:
    """Return the figures a year needs that are not recorded: PBB, contribution bands, mileage."""
    tables = tables or load_tables(session=session)
    missing: list[fees.MissingFigure] = []
    if year not in tables.pbb:
        missing.append(fees.MissingPriceBaseAmount(year))
    for day in (date(year, 1, 1), date(year, 12, 31)):
        for age in BAND_AGES:
            try:
                fees.contribution_rate(year - age, day, tables.contributions)
            except fees.MissingFigure as error:
                missing.append(error)
        try:
            tables.mileage_rate_on(day)
        except fees.MissingFigure as error:
            missing.append(error)
    return unique_missing(missing)


def upcoming_missing_figures(*, session: Session, today: date) -> tuple[fees.MissingFigure, ...]:
    """Return this year's missing figures, and from 1 October next year's as well."""
    years = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    found: list[fees.MissingFigure] = []
    tables = load_tables(session=session)  # once for both years
    for year in years:
        found += missing_figures_for_year(session=session, year=year, tables=tables)
    return tuple(found)
