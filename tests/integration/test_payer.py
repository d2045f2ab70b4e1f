"""The legal payer and the pay date (docs/domain.md §6.4, §6.5), on SQLite and PostgreSQL.

Claims are arranged as the attestation leaves them (status attested, fee frozen in kronor) so
the amounts of the domain's examples (900 kr) can be used; batches are filled and closed and
both payer reports are computed by the real services and pages.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.db import make_engine
from app.migrate import upgrade
from app.models import ClaimLine, CompensationClaim, EmployerContributionRate, Organisation
from app.models.enums import ClaimStatus, Role
from app.services.compensation.figures import add_contribution_rate
from app.services.compensation.payer_years import batch_payer_years
from app.services.compensation.payers import set_payer
from app.services.compensation.payout_export import payer_lines
from app.services.compensation.payouts import close_batch, create_batch, fill_batch
from app.services.compensation.reports import cost_report, yearly_settlement, yearly_statement
from app.services.errors import InvalidInput
from tests.conftest import login
from tests.databases import BACKENDS, fresh_database


def _region(factory, name="Region Jönköpings län"):
    return factory.organisation(name, kind="region")


def _paid_by(factory, payer, kind="region_department", name=None):
    organisation = factory.organisation(name, kind=kind)
    organisation.payer_id = payer.id if payer is not None else None
    factory.session.flush()
    return organisation


def _attested(factory, organisation, member, day: date, fee: int) -> CompensationClaim:
    """Return an attested claim for one session on ``day`` ordered by ``organisation``."""
    orderer = factory.user(Role.ORDERER, organisation=organisation)
    request = factory.booking_request(orderer)
    assignment = factory.assignment(member, request)
    claim = CompensationClaim(
        assignment_id=assignment.id,
        member_id=member.id,
        status=ClaimStatus.ATTESTED,
        fee_sek=fee,
        travel_sek=0,
        attested_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    factory.session.add(claim)
    factory.session.flush()
    factory.session.add(
        ClaimLine(claim_id=claim.id, activity_on=day, minutes=90, fee_class="short", fee_sek=fee)
    )
    factory.session.flush()
    return claim


def _pay(db_session, council, day: date, pay_date: date | None = None):
    batch = create_batch(session=db_session, actor=council, day=day, frequency="monthly")
    fill_batch(session=db_session, batch_id=batch.id)
    return close_batch(session=db_session, batch_id=batch.id, actor=council, pay_date=pay_date)


def _settled(db_session, year, member):
    rows = yearly_settlement(session=db_session, year=year)
    return [(r.organisation, r.paid, r.contribution) for r in rows if r.member_number == member.id]


def _payer_csv(app, council, batch_id, member):
    client = app.test_client()
    login(client, council.email)
    response = client.get(f"/compensation/batches/{batch_id}/payer.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))
    return [(r[2], int(r[3]), int(r[5]), r[8]) for r in rows[1:-1] if r[0] == str(member.id)]


def test_two_departments_of_one_region_owe_contributions_on_1800_kr(factory, app, db_session):
    region = _region(factory)
    council = factory.user(Role.COUNCIL)
    member = factory.member()
    _attested(factory, _paid_by(factory, region), member, date(2026, 5, 12), 900)
    _attested(
        factory, _paid_by(factory, region, kind="process_group"), member, date(2026, 5, 20), 900
    )

    batch = _pay(db_session, council, date(2026, 5, 1))

    client = app.test_client()
    login(client, council.email)
    export = client.get("/compensation/settlement.csv?year=2026").get_data(as_text=True)
    settled = [
        (r[0], int(r[3]), r[4], int(r[6]))
        for r in csv.reader(io.StringIO(export), delimiter=";")
        if r[1] == str(member.id)
    ]

    # 1 800 × 31.42 % = 565.56 → 566; each department alone would stay under 1 000 kr.
    assert settled == [(region.name, 1800, "no", 566)]
    assert _settled(db_session, 2026, member) == [(region.name, 1800, 566)]
    assert _payer_csv(app, council, batch.id, member) == [(region.name, 1800, 566, "2026")]


def test_payments_in_two_batches_agree_to_the_krona_with_the_settlement(factory, app, db_session):
    region = _region(factory)
    council = factory.user(Role.COUNCIL)
    member = factory.member()
    _attested(factory, _paid_by(factory, region), member, date(2026, 5, 12), 900)
    may = _pay(db_session, council, date(2026, 5, 1))
    _attested(factory, _paid_by(factory, region), member, date(2026, 6, 9), 900)
    june = _pay(db_session, council, date(2026, 6, 1))

    per_batch = [_payer_csv(app, council, b.id, member) for b in (may, june)]

    assert per_batch == [[(region.name, 900, 283, "2026")], [(region.name, 900, 283, "2026")]]
    assert _settled(db_session, 2026, member) == [(region.name, 1800, 283 + 283)]


def test_a_municipality_is_a_payer_of_its_own(factory, db_session):
    region = _region(factory)
    municipality = _paid_by(factory, None, kind="municipality", name="Värnamo kommun")
    council = factory.user(Role.COUNCIL)
    member = factory.member()
    _attested(factory, _paid_by(factory, region), member, date(2026, 5, 12), 900)
    _attested(factory, municipality, member, date(2026, 5, 13), 900)

    _pay(db_session, council, date(2026, 5, 1))

    assert sorted(_settled(db_session, 2026, member)) == sorted(
        [(region.name, 900, 0), ("Värnamo kommun", 900, 0)]
    )


def test_a_national_group_is_paid_by_its_host_region(factory, app, db_session):
    host = _region(factory, "Region Östergötland")
    council = factory.user(Role.COUNCIL)
    member = factory.member()
    national = _paid_by(factory, host, kind="national_body", name="NAG Sepsis")
    _attested(factory, national, member, date(2026, 5, 12), 600)
    _attested(factory, _paid_by(factory, host), member, date(2026, 5, 14), 600)

    batch = _pay(db_session, council, date(2026, 5, 1))

    # 1 200 × 31.42 % = 377.04 → 377
    assert _settled(db_session, 2026, member) == [("Region Östergötland", 1200, 377)]
    assert _payer_csv(app, council, batch.id, member) == [
        ("Region Östergötland", 1200, 377, "2026")
    ]


def _stand_in_2027(db_session):
    """Stand-in 2027 full rate (the real one is entered by an administrator when decided)."""
    row = EmployerContributionRate(
        valid_from=date(2027, 1, 1),
        valid_to=date(2027, 12, 31),
        born_from=1959,
        born_to=None,
        rate_percent=Decimal("30.00"),
        label="Stand-in for the test",
    )
    add_contribution_rate(session=db_session, row=row)


def test_new_years_eve_work_paid_in_january_belongs_to_the_next_year(factory, app, db_session):
    _stand_in_2027(db_session)
    region = _region(factory)
    council = factory.user(Role.COUNCIL)
    member = factory.member(birth_year=1970)
    department = _paid_by(factory, region)
    _attested(factory, department, member, date(2026, 12, 31), 2131)

    batch = _pay(db_session, council, date(2026, 12, 1))  # default rule: 25 January 2027

    assert batch.pay_date == date(2027, 1, 25)
    assert _settled(db_session, 2026, member) == []
    # 2 131 × 30.00 % (the 2027 stand-in), not 31.42 % of 2026: 639.3 → 639
    assert _settled(db_session, 2027, member) == [(region.name, 2131, 639)]
    assert _payer_csv(app, council, batch.id, member) == [(region.name, 2131, 639, "2027")]
    costs = cost_report(
        session=db_session,
        organisation_id=department.id,
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
    )
    assert [(line.fees, line.contribution) for line in costs] == [(2131, 639)]
    statement = yearly_statement(session=db_session, member_id=member.id, year=2027)
    assert [(line.paid_on, line.fees) for line in statement] == [(date(2027, 1, 25), 2131)]


def test_the_youth_rate_follows_the_pay_date_march_or_april(factory, db_session):
    region = _region(factory)
    council = factory.user(Role.COUNCIL)
    member = factory.member(birth_year=2005)
    department = _paid_by(factory, region)
    _attested(factory, department, member, date(2026, 2, 10), 1066)
    february = _pay(db_session, council, date(2026, 2, 1))  # paid 25 March
    _attested(factory, department, member, date(2026, 3, 10), 1066)
    march = _pay(db_session, council, date(2026, 3, 1))  # paid 25 April

    years = batch_payer_years(session=db_session, batch=march)
    rates = {b.pay_date: payer_lines(years, batch_id=b.id)[0].rate for b in (february, march)}

    assert rates == {date(2026, 3, 25): Decimal("31.42"), date(2026, 4, 25): Decimal("20.81")}
    # 1 066 × 31.42 % = 334.94 → 335; 1 066 × 20.81 % = 221.83 → 222
    assert _settled(db_session, 2026, member) == [(region.name, 2132, 335 + 222)]


def test_the_council_closes_a_batch_on_a_chosen_pay_date(factory, csrf_free_app, db_session):
    council = factory.user(Role.COUNCIL)
    member = factory.member()
    _attested(factory, _paid_by(factory, _region(factory)), member, date(2026, 5, 12), 900)
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 1), frequency="monthly"
    )
    client = csrf_free_app.test_client()
    login(client, council.email)

    page = client.get(f"/compensation/batches/{batch.id}").get_data(as_text=True)
    early = client.post(f"/compensation/batches/{batch.id}/close", data={"pay_date": "2026-05-30"})
    done = client.post(f"/compensation/batches/{batch.id}/close", data={"pay_date": "2026-06-10"})

    db_session.refresh(batch)
    assert 'value="2026-06-25"' in page  # the default rule, offered before closing
    assert early.status_code == 422
    assert "Utbetalningsdagen måste vara periodens sista dag" in early.get_data(as_text=True)
    assert done.status_code == 302
    assert (batch.is_closed, batch.pay_date) == (True, date(2026, 6, 10))


def test_the_admin_sets_the_payer_and_a_chain_is_refused(factory, csrf_free_app, db_session):
    region = _region(factory)
    department = _paid_by(factory, region)
    admin = factory.user(Role.ADMIN)
    client = csrf_free_app.test_client()
    login(client, admin.email)

    created = client.post(
        "/admin/organisations",
        data={
            "org-name": "Vårdcentralen Öxnehaga",
            "org-kind": "region_department",
            "org-payer_id": str(region.id),
        },
    )
    chained = client.post(
        "/admin/organisations/payer",
        data={"payer-organisation_id": str(region.id), "payer-payer_id": str(department.id)},
    )
    moved = client.post(
        "/admin/organisations/payer",
        data={"payer-organisation_id": str(department.id), "payer-payer_id": "0"},
    )

    new = db_session.exec(
        select(Organisation).where(Organisation.name == "Vårdcentralen Öxnehaga")
    ).one()
    db_session.refresh(department)
    db_session.refresh(region)
    assert (created.status_code, chained.status_code, moved.status_code) == (302, 422, 302)
    assert "Betalaren måste betala för sig själv" in chained.get_data(as_text=True)
    assert (new.payer_id, region.payer_id, department.payer_id) == (region.id, None, None)


def test_a_payer_paid_by_others_cannot_get_a_payer_itself(factory, db_session):
    region = _region(factory)
    _paid_by(factory, region)
    other = _region(factory, "Region Kalmar län")

    with pytest.raises(InvalidInput):
        set_payer(session=db_session, organisation_id=region.id, payer_id=other.id)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_gives_departments_the_region_as_payer(backend, tmp_path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        upgrade(url, "0009")
        engine = make_engine(url)
        with engine.begin() as connection:
            for name, kind in [
                ("Psykiatriska kliniken", "region_department"),
                ("LPO Psykisk hälsa", "process_group"),
                ("NAG Sepsis", "national_body"),
                ("Nässjö kommun", "municipality"),
            ]:
                connection.execute(
                    text(
                        "INSERT INTO organisation (name, kind, cost_centre, created_at)"
                        " VALUES (:name, :kind, '', :at)"
                    ),
                    {"name": name, "kind": kind, "at": datetime(2026, 1, 1, tzinfo=UTC)},
                )
            connection.execute(
                text(
                    "INSERT INTO payout_batch (period_start, period_end, created_at, is_closed,"
                    " frequency, closed_at) VALUES ('2026-05-01', '2026-05-31', :at, :closed,"
                    " 'monthly', :closed_at)"
                ),
                {
                    "at": datetime(2026, 5, 1, tzinfo=UTC),
                    "closed": True,
                    "closed_at": datetime(2026, 6, 3, 9, tzinfo=UTC),
                },
            )

        upgrade(url)

        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT o.name, p.name, p.kind FROM organisation o"
                    " LEFT JOIN organisation p ON p.id = o.payer_id ORDER BY o.name"
                )
            ).all()
            pay_dates = connection.execute(text("SELECT pay_date FROM payout_batch")).scalars()
            paid_on = [str(day)[:10] for day in pay_dates]
        engine.dispose()

    assert [tuple(row) for row in rows] == [
        ("LPO Psykisk hälsa", "Regionen", "region"),
        ("NAG Sepsis", "Regionen", "region"),
        ("Nässjö kommun", None, None),
        ("Psykiatriska kliniken", "Regionen", "region"),
        ("Regionen", None, None),
    ]
    assert paid_on == ["2026-06-03"]
