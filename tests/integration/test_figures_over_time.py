"""Figures over time: dated rows with sources from 2021, and a named gap where one is missing.

Runs on SQLite and PostgreSQL. The seeded figures are migration 0010's (docs/domain.md §4);
PBB 2027 and the 2027 contribution bands are not decided yet, so the services must name them
as missing (which figure, which year, in Swedish) instead of failing or showing a blank.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.models import (
    AuditEvent,
    EmployerContributionRate,
    MileageRate,
    PriceBaseAmount,
)
from app.models.enums import Role
from app.services.compensation import fees
from app.services.compensation.claims import open_claim
from app.services.compensation.fee_tables import estimate_request_cost, load_tables, quote_fee
from app.services.compensation.figures import (
    add_contribution_rate,
    add_price_base_amount,
    correct_figure,
    missing_figures_for_year,
    upcoming_missing_figures,
)
from app.services.compensation.payer_years import batch_payer_years
from app.services.compensation.payout_export import payer_lines
from app.services.compensation.payouts import batch_rows, close_batch, create_batch, fill_batch
from app.services.errors import Conflict
from tests.clock_support import STOCKHOLM
from tests.compensation_support import attested_claim, booked_assignment
from tests.conftest import login
from tests.scheduling_support import outbox

FEB_2027 = datetime(2027, 2, 10, 8, tzinfo=UTC)
#: A moment after the February 2027 session has ended, when its claim can be made.
AFTER_FEB_2027 = datetime(2027, 3, 1, 9, tzinfo=UTC)


def rate(db_session, born: int, on: date) -> Decimal:
    return fees.contribution_rate(born, on, load_tables(session=db_session).contributions)


def signed_in_as(app, factory, role: Role, **fields):
    user = factory.user(role)
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client, user


# --- The seeded rows ---------------------------------------------------------------------------


def test_price_base_amounts_from_2021_carry_their_source_and_2027_is_not_invented(db_session):
    rows = db_session.exec(select(PriceBaseAmount).order_by(PriceBaseAmount.year)).all()

    assert [(row.year, row.amount_sek, row.source) for row in rows] == [
        (year, amount, f"SCB / regeringen, prisbasbelopp {year}")
        for year, amount in [
            (2021, 47_600),
            (2022, 48_300),
            (2023, 52_500),
            (2024, 57_300),
            (2025, 58_800),
            (2026, 59_200),
        ]
    ]


def test_mileage_is_18_50_until_2022_and_25_from_2023(db_session):
    tables = load_tables(session=db_session)

    assert tables.mileage_rate_on(date(2021, 1, 1)) == Decimal("18.50")
    assert tables.mileage_rate_on(date(2022, 12, 31)) == Decimal("18.50")
    assert tables.mileage_rate_on(date(2023, 1, 1)) == Decimal("25.00")
    assert fees.car_cost(100, tables.mileage_rate_on(date(2022, 6, 1))) == 185
    assert fees.car_cost(100, tables.mileage_rate_on(date(2023, 6, 1))) == 250
    assert all(row.source for row in db_session.exec(select(MileageRate)))


def test_every_contribution_row_cites_its_source(db_session):
    rows = db_session.exec(select(EmployerContributionRate)).all()

    assert rows and all(row.source.startswith("Skatteverket") for row in rows)


def test_the_youth_rate_starts_in_april_2026(db_session):
    assert rate(db_session, 2005, date(2026, 3, 31)) == Decimal("31.42")
    assert rate(db_session, 2005, date(2026, 4, 1)) == Decimal("20.81")


def test_the_youth_rate_ends_with_september_2027(db_session):
    assert rate(db_session, 2008, date(2027, 9, 30)) == Decimal("20.81")
    with pytest.raises(fees.MissingContributionRate) as missing:  # 2027 bands not decided
        rate(db_session, 2008, date(2027, 10, 1))
    assert (missing.value.kind, missing.value.year) == (fees.FIGURE_CONTRIBUTION, 2027)


def test_a_member_born_2003_is_young_in_2026_but_not_in_2027(db_session):
    add_contribution_rate(  # test figure: the 2027 full band, as an administrator would add it
        session=db_session,
        row=EmployerContributionRate(
            valid_from=date(2027, 1, 1),
            valid_to=date(2027, 12, 31),
            born_from=1960,
            born_to=None,
            rate_percent=Decimal("31.42"),
            source="Test figure",
        ),
    )

    assert rate(db_session, 2003, date(2026, 6, 1)) == Decimal("20.81")
    assert rate(db_session, 2003, date(2027, 6, 1)) == Decimal("31.42")
    assert rate(db_session, 2008, date(2027, 6, 1)) == Decimal("20.81")
    assert rate(db_session, 2008, date(2027, 10, 1)) == Decimal("31.42")


# --- Missing figures: named, and the part that can be computed still shown ---------------------


def test_a_quote_in_2027_names_the_missing_price_base_amount(db_session):
    with pytest.raises(fees.MissingFigure) as missing:
        quote_fee(tables=load_tables(session=db_session), on=date(2027, 2, 10), minutes=300)

    assert (missing.value.kind, missing.value.year) == (fees.FIGURE_PBB, 2027)


def test_an_estimate_across_the_year_keeps_the_known_fee_and_names_the_gaps(db_session):
    tables = load_tables(session=db_session)

    estimate = estimate_request_cost(
        tables=tables,
        sessions=[(date(2026, 12, 14), 300), (date(2027, 2, 10), 300)],
        people_count=2,
    )

    assert estimate.fees == 2 * 2131  # the 2026 full day only
    assert [(m.kind, m.year) for m in estimate.missing] == [
        (fees.FIGURE_CONTRIBUTION, 2027),
        (fees.FIGURE_PBB, 2027),
    ]


def test_with_pbb_2027_added_the_fee_is_known_and_only_contributions_are_missing(db_session):
    add_price_base_amount(session=db_session, year=2027, amount_sek=60_000, source="Test figure")

    estimate = estimate_request_cost(
        tables=load_tables(session=db_session), sessions=[(date(2027, 2, 10), 300)], people_count=1
    )

    assert (estimate.fees, estimate.contributions) == (2160, 0)
    assert [(m.kind, m.year) for m in estimate.missing] == [(fees.FIGURE_CONTRIBUTION, 2027)]


def test_the_orderers_estimate_names_the_missing_figures_in_swedish(app, factory):
    client, _ = signed_in_as(app, factory, Role.ORDERER)

    response = client.get("/orders/estimate?day=2027-02-10&start=09:00&end=15:00&people=2")

    assert response.status_code == 200
    assert response.json["fees"] == 0
    assert response.json["missing"] == [
        "Arbetsgivaravgifterna för 2027 är inte inlagda ännu, så arbetsgivaravgiften kan inte "
        "räknas ut.",
        "Prisbasbeloppet (PBB) för 2027 är inte inlagt ännu, så arvodet kan inte räknas ut.",
    ]


def test_the_members_claim_page_in_2027_names_the_missing_pbb(app, factory, db_session):
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user)
    assignment, _, _ = booked_assignment(factory, start=FEB_2027, member=member, hours=5)
    with time_machine.travel(AFTER_FEB_2027, tick=True):  # a claim opens once the session ended
        client = app.test_client()
        assert login(client, user.email).status_code == 302
        page = client.get(f"/compensation/assignments/{assignment.id}/claim")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Prisbasbeloppet (PBB) för 2027 är inte inlagt ännu" in html
    assert "inte känt ännu" in html
    assert "No price base amount" not in html


def test_the_agreement_shows_the_missing_figure_in_swedish_not_the_engine_text(
    app, factory, db_session
):
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user)
    assignment, _, _ = booked_assignment(factory, start=FEB_2027, member=member, hours=5)
    client = app.test_client()
    assert login(client, user.email).status_code == 302

    html = client.get(f"/compensation/agreements/{assignment.id}").get_data(as_text=True)

    assert "Prisbasbeloppet (PBB) för 2027 är inte inlagt ännu" in html
    assert "No price base amount" not in html


def test_a_claim_in_2027_is_attested_only_once_the_pbb_is_recorded(factory, db_session):
    from app.services.compensation.claim_flow import attest_claim, save_claim
    from app.services.compensation.claims import ClaimInput

    assignment, member, _ = booked_assignment(factory, start=FEB_2027, hours=5)
    council = factory.user(Role.COUNCIL)
    with time_machine.travel(AFTER_FEB_2027, tick=True):  # a claim opens once the session ended
        claim = open_claim(
            session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
        )
        save_claim(
            session=db_session, member=member, claim_id=claim.id, data=ClaimInput(), submit=True
        )

        with pytest.raises(fees.MissingPriceBaseAmount):
            attest_claim(session=db_session, claim_id=claim.id, actor=council)
        add_price_base_amount(session=db_session, year=2027, amount_sek=60_000)
        attest_claim(session=db_session, claim_id=claim.id, actor=council)

    assert claim.fee_sek == 2160  # 3.6 % of the 2027 PBB, not the zero of the gap


def test_the_invitation_fee_keeps_the_2026_part_and_names_the_2027_gap(app, factory, db_session):
    from dataclasses import replace

    from app.mail.settings import mail_translator
    from app.services.booking.invitation_mail import fee_note
    from tests.scheduling_support import CTX

    request = factory.booking_request(factory.user(Role.ORDERER))
    items = [
        factory.request_session(request, datetime(2026, 12, 14, 8, tzinfo=UTC), hours=5),
        factory.request_session(request, FEB_2027, hours=5),
    ]
    with app.app_context():
        ctx = replace(CTX, translate=mail_translator("sv"))
        note = fee_note(session=db_session, items=items, ctx=ctx)

    # The 2026 session is priced (3.6 % of 59 200 = 2 131 kr); the 2027 one is named as a gap.
    assert "2\u00a0131 kr" in note
    assert "(utan de arvoden som inte är kända ännu)" in note
    assert "2027" in note
    assert "Traceback" not in note and "No price base amount" not in note


def test_the_orderers_costs_keep_the_fee_and_name_the_missing_2027_contributions(
    app, factory, db_session
):
    add_price_base_amount(session=db_session, year=2027, amount_sek=60_000)
    with time_machine.travel(AFTER_FEB_2027, tick=True):  # a claim opens once the session ended
        claim, member, orderer, _ = attested_claim(factory, db_session, start=FEB_2027)
        client = app.test_client()
        assert login(client, orderer.email).status_code == 302

        page = client.get("/compensation/costs?start=2027-01-01&end=2027-12-31")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert claim.fee_sek == 2160
    assert "Arbetsgivaravgifterna för 2027 är inte inlagda ännu" in html


# --- Corrections: audited, and never reaching a closed batch ------------------------------------


def test_an_administrator_corrects_and_end_dates_figures_with_an_audit_trail(
    app, factory, db_session
):
    client, admin = signed_in_as(app, factory, Role.ADMIN)
    from tests.html import csrf_token

    row = db_session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == 2025)).one()
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    response = client.post(
        "/admin/figures/correct",
        data={
            "csrf_token": token,
            "fix-csrf_token": token,
            "fix-figure": f"pbb:{row.id}",
            "fix-amount": "58900",
            "fix-source": "SCB, rättad",
        },
    )

    assert response.status_code == 302
    db_session.refresh(row)
    assert (row.amount_sek, row.source) == (58_900, "SCB, rättad")
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "figure.corrected")).one()
    assert (event.actor_id, event.subject_type, event.subject_id) == (
        admin.id,
        "price_base_amount",
        row.id,
    )
    assert (event.detail["before"]["amount_sek"], event.detail["after"]["amount_sek"]) == (
        "58800",
        "58900",
    )


def test_a_mileage_rate_can_be_end_dated_and_then_names_the_gap(db_session):
    row = db_session.exec(
        select(MileageRate).where(MileageRate.valid_from == date(2023, 1, 1))
    ).one()

    correct_figure(
        session=db_session,
        kind=fees.FIGURE_MILEAGE,
        row_id=row.id,
        actor_id=None,
        valid_to=date(2026, 12, 31),
    )

    tables = load_tables(session=db_session)
    assert tables.mileage_rate_on(date(2026, 12, 31)) == Decimal("25.00")
    with pytest.raises(fees.MissingMileageRate):
        tables.mileage_rate_on(date(2027, 1, 1))


def test_a_correction_never_changes_a_closed_payout_batch(factory, db_session):
    claim, _, _, council = attested_claim(factory, db_session)  # May 2026, full day, 42 km
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 1), frequency="monthly"
    )
    fill_batch(session=db_session, batch_id=batch.id)
    close_batch(session=db_session, batch_id=batch.id, actor=council)
    rows_before = batch_rows(session=db_session, batch_id=batch.id)
    payer_before = payer_lines(
        batch_payer_years(session=db_session, batch=batch), batch_id=batch.id
    )
    pbb = db_session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == 2026)).one()
    mileage = db_session.exec(
        select(MileageRate).where(MileageRate.valid_from == date(2023, 1, 1))
    ).one()
    full = db_session.exec(
        select(EmployerContributionRate).where(
            EmployerContributionRate.valid_from == date(2026, 1, 1),
            EmployerContributionRate.born_from == 1959,
        )
    ).one()

    correct_figure(
        session=db_session,
        kind=fees.FIGURE_PBB,
        row_id=pbb.id,
        actor_id=None,
        amount=Decimal(60_000),
    )
    correct_figure(
        session=db_session,
        kind=fees.FIGURE_MILEAGE,
        row_id=mileage.id,
        actor_id=None,
        amount=Decimal("30"),
    )
    with pytest.raises(Conflict):
        correct_figure(
            session=db_session,
            kind=fees.FIGURE_CONTRIBUTION,
            row_id=full.id,
            actor_id=None,
            amount=Decimal("30.00"),
        )
    with pytest.raises(Conflict):
        correct_figure(
            session=db_session,
            kind=fees.FIGURE_CONTRIBUTION,
            row_id=full.id,
            actor_id=None,
            valid_to=date(2026, 4, 30),
        )

    rows_after = batch_rows(session=db_session, batch_id=batch.id)
    assert rows_after == rows_before
    assert rows_before[0].fee == 2131  # 3.6 % of 59 200, as attested
    assert (
        payer_lines(batch_payer_years(session=db_session, batch=batch), batch_id=batch.id)
        == payer_before
    )


# --- The early warning --------------------------------------------------------------------------


def test_next_years_missing_figures_are_named_from_the_first_of_october(db_session):
    september = upcoming_missing_figures(session=db_session, today=date(2026, 9, 30))
    october = upcoming_missing_figures(session=db_session, today=date(2026, 10, 1))

    assert september == ()
    assert [(m.kind, m.year) for m in october] == [
        (fees.FIGURE_CONTRIBUTION, 2027),
        (fees.FIGURE_PBB, 2027),
    ]
    assert missing_figures_for_year(session=db_session, year=2026) == ()


@pytest.mark.parametrize("role, path", [(Role.ADMIN, "/admin/"), (Role.COUNCIL, "/council/")])
def test_the_admin_and_council_start_pages_warn_from_october(app, factory, role, path):
    user = factory.user(role)
    warning = "Prisbasbeloppet (PBB) för 2027 är inte inlagt ännu"
    pages = []
    for moment in (datetime(2026, 9, 30, 10, tzinfo=UTC), datetime(2026, 10, 1, 10, tzinfo=UTC)):
        with time_machine.travel(moment, tick=False):
            client = app.test_client()
            assert login(client, user.email).status_code == 302
            pages.append(client.get(path).get_data(as_text=True))

    assert warning not in pages[0]
    assert warning in pages[1]


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})


def test_the_job_mails_each_administrator_once_naming_the_missing_figures(
    factory, db_session, job_app
):
    admins = [factory.user(Role.ADMIN), factory.user(Role.ADMIN)]
    september = datetime(2026, 9, 30, 6, tzinfo=UTC)
    october = datetime(2026, 10, 1, 6, tzinfo=UTC)

    execute_job(job_app, "warn_missing_figures", now=september)
    assert outbox(db_session, kind="missing_figures") == []
    execute_job(job_app, "warn_missing_figures", now=october)
    execute_job(job_app, "warn_missing_figures", now=datetime(2026, 10, 2, 6, tzinfo=UTC))

    mails = outbox(db_session, kind="missing_figures")
    assert sorted(m.recipient for m in mails) == sorted(a.email for a in admins)
    assert all("Prisbasbeloppet (PBB) för 2027" in m.body for m in mails)
    assert all("Arbetsgivaravgifterna för 2027" in m.body for m in mails)
