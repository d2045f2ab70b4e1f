"""Compensation flow on both databases: claims, attestation, batches, exports, reports, CLI."""

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app import create_app
from app.models import Assignment, ClaimLine, CompensationClaim, User
from app.models.enums import ClaimStatus, Role
from app.services.compensation.claim_flow import save_claim
from app.services.compensation.claims import ClaimInput, claim_lines, open_claim
from app.services.compensation.payout_export import batch_csv, batch_xlsx
from app.services.compensation.payouts import (
    batch_rows,
    close_batch,
    create_batch,
    fill_batch,
    remove_claim,
)
from app.services.compensation.reports import cost_report, yearly_settlement
from app.services.errors import Conflict
from tests.compensation_support import STOCKHOLM, attested_claim, booked_assignment
from tests.conftest import login


def _claim_of(db_session, member):
    return db_session.exec(
        select(CompensationClaim).where(CompensationClaim.member_id == member.id)
    ).one()


def test_claim_is_prefilled_and_classed_from_the_agreement(factory, db_session):
    assignment, member, _ = booked_assignment(factory, hours=5)

    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )

    lines = claim_lines(session=db_session, claim_id=claim.id)
    assert [(line.minutes, line.fee_class, line.fee_sek) for line in lines] == [
        (300, "full_day", 2131)
    ]


def test_travel_time_moves_a_reported_session_to_a_higher_class(factory, db_session):
    assignment, member, _ = booked_assignment(factory, hours=2)
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )
    line = claim_lines(session=db_session, claim_id=claim.id)[0]

    save_claim(
        session=db_session,
        member=member,
        claim_id=claim.id,
        data=ClaimInput(travel_minutes={line.id: 30}),
    )

    assert (line.fee_class, claim.fee_sek) == ("half_day", 1066)


def test_people_booked_to_speak_at_an_open_information_meeting_are_paid(factory, db_session):
    assignment, member, _ = booked_assignment(factory, is_open_information_meeting=True)

    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )

    line = claim_lines(session=db_session, claim_id=claim.id)[0]
    assert (claim.fee_sek, line.fee_class, line.no_fee_reason) == (2131, "full_day", "")


def test_part_of_employment_pays_no_fee_and_says_why(factory, db_session):
    assignment, member, _ = booked_assignment(factory)
    assignment.is_part_of_employment = True
    db_session.add(assignment)
    db_session.flush()

    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )

    line = claim_lines(session=db_session, claim_id=claim.id)[0]
    assert (claim.fee_sek, line.fee_class, line.no_fee_reason) == (
        0,
        "none",
        "part_of_employment",
    )


def test_attestation_freezes_fee_and_travel(factory, db_session):
    claim, *_ = attested_claim(factory, db_session)

    assert (claim.status, claim.fee_sek, claim.travel_sek) == ("attested", 2131, 105 + 120)


def test_closed_batch_cannot_change(factory, db_session):
    claim, _, _, council = attested_claim(factory, db_session)
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 20), frequency="monthly"
    )
    assert fill_batch(session=db_session, batch_id=batch.id) == 1
    close_batch(session=db_session, batch_id=batch.id, actor=council)

    with pytest.raises(Conflict):
        fill_batch(session=db_session, batch_id=batch.id)
    with pytest.raises(Conflict):
        remove_claim(session=db_session, batch_id=batch.id, claim_id=claim.id)
    with pytest.raises(Conflict):
        close_batch(session=db_session, batch_id=batch.id, actor=council)
    assert claim.status == ClaimStatus.PAID


def test_quarterly_batch_covers_the_quarter(factory, db_session):
    council = factory.user(Role.COUNCIL)

    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 11, 5), frequency="quarterly"
    )

    assert (batch.period_start, batch.period_end) == (date(2026, 10, 1), date(2026, 12, 31))


def test_batch_totals_equal_the_sum_of_rows_in_csv_and_xlsx(factory, db_session):
    _, _, orderer, council = attested_claim(factory, db_session)
    attested_claim(factory, db_session, hours=1, orderer=orderer)
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 1), frequency="monthly"
    )
    fill_batch(session=db_session, batch_id=batch.id)
    rows = batch_rows(session=db_session, batch_id=batch.id)

    table = list(csv.reader(io.StringIO(batch_csv(rows)), delimiter=";"))
    sheet = list(load_workbook(io.BytesIO(batch_xlsx(rows))).active.iter_rows(values_only=True))

    for data in (table, sheet):
        body, total = data[1:-1], data[-1]
        assert [int(total[i]) for i in (4, 5, 6)] == [
            sum(int(row[i]) for row in body) for i in (4, 5, 6)
        ]
    assert [int(x) for x in table[-1][4:7]] == [2131 + 533, 225 * 2, 2131 + 533 + 450]


def test_cost_report_shows_only_the_organisations_claims(factory, db_session):
    _, _, orderer, _ = attested_claim(factory, db_session)
    attested_claim(factory, db_session)  # another organisation

    lines = cost_report(
        session=db_session,
        organisation_id=orderer.organisation_id,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )

    assert [(line.fees, line.contribution, line.travel) for line in lines] == [(2131, 670, 225)]


def test_yearly_settlement_carries_no_contributions_under_1000_kr(factory, db_session):
    _, member, orderer, council = attested_claim(factory, db_session, hours=1)
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 1), frequency="monthly"
    )
    fill_batch(session=db_session, batch_id=batch.id)
    close_batch(session=db_session, batch_id=batch.id, actor=council)

    settled = [
        s for s in yearly_settlement(session=db_session, year=2026) if s.member_number == member.id
    ]

    assert [(s.paid, s.contribution) for s in settled] == [(533, 0)]


def test_member_sees_only_own_claims(factory, app, db_session):
    assignment, member, _ = booked_assignment(factory)
    other_assignment, _, _ = booked_assignment(factory)
    client = app.test_client()
    login(client, factory.session.get(User, member.user_id).email)

    own = client.get(f"/compensation/assignments/{assignment.id}/claim")
    other = client.get(f"/compensation/assignments/{other_assignment.id}/claim")

    assert (own.status_code, other.status_code) == (200, 404)
    assert "Försäkringskassan" in own.get_data(as_text=True)


def test_orderer_sees_own_costs_never_others(factory, app, db_session):
    _, _, orderer, _ = attested_claim(factory, db_session)
    _, other_member, _, _ = attested_claim(factory, db_session)
    other_request = _claim_of(db_session, other_member)
    client = app.test_client()
    login(client, orderer.email)

    page = client.get("/compensation/costs?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    agreement = client.get(f"/compensation/agreements/{other_request.assignment_id}")

    assert (page.count("<tr><td>"), agreement.status_code) == (1, 404)


def test_member_report_and_receipt_through_the_web(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory)
    user = factory.session.get(User, member.user_id)
    client = csrf_free_app.test_client()
    login(client, user.email)
    client.post(f"/compensation/assignments/{assignment.id}/claim", data={})
    claim = _claim_of(db_session, member)
    line = db_session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim.id)).one()

    response = client.post(
        f"/compensation/assignments/{assignment.id}/claim",
        data={
            "lines-0-line_id": line.id,
            "lines-0-minutes": 90,
            "lines-0-travel_minutes": 0,
            "car_km": 10,
            "ticket_cost_sek": 0,
            "other_cost_sek": 0,
            "note": "Car",
            "send": "1",
        },
    )
    bad = client.post(
        f"/compensation/claims/{claim.id}/receipts",
        data={"receipt": (io.BytesIO(b"not a pdf"), "x.txt")},
        content_type="multipart/form-data",
    )

    db_session.refresh(claim)
    assert (response.status_code, claim.status, claim.fee_sek, bad.status_code) == (
        302,
        "submitted",
        533,
        302,
    )


def test_estimate_endpoint_prices_the_sessions(factory, app):
    client = app.test_client()
    login(client, factory.user(Role.ORDERER).email)

    body = client.get("/orders/estimate?day=2026-05-04&start=09:00&end=14:00&people=2").get_json()

    assert body == {
        "fees": 4262,
        "employer_contributions": 1340,
        "travel": None,
        "total": 5602,
        "classes": ["full_day"],
        "no_fee_reason": "",
        "missing": [],
    }


def _quote(app, *args):
    return app.test_cli_runner().invoke(args=["fees", "quote", *args])


def test_cli_quote_prints_json(app):
    result = _quote(app, "--date", "2026-03-01", "--hours", "4", "--travel-hours", "0.5")

    assert (result.exit_code, json.loads(result.output)) == (
        0,
        {
            "class": "full_day",
            "pbb": 59200,
            "fee": 2131,
            "rate": None,
            "employer_contribution": None,
            "notes": ["No birth year given: employer contributions depend on the birth year."],
        },
    )


def test_cli_quote_2026_with_birth_year(app):
    result = _quote(app, "--date", "2026-06-01", "--hours", "3", "--birth-year", "1950")

    assert (result.exit_code, json.loads(result.output)) == (
        0,
        {
            "class": "half_day",
            "pbb": 59200,
            "fee": 1066,
            "rate": 10.21,
            "employer_contribution": 109,
            "notes": [],
        },
    )


def test_cli_quote_hourly(app):
    result = _quote(app, "--date", "2026-06-01", "--hours", "1.5", "--hourly")

    assert json.loads(result.output)["fee"] == 2 * 296


@pytest.mark.parametrize(("rule", "fee"), [("started", 2 * 296), ("actual", 444)])
def test_cli_quote_and_the_agreement_page_count_hours_by_fee_hourly_rule(
    monkeypatch, app_config, factory, rule, fee
):
    monkeypatch.setenv("FEE_HOURLY_RULE", rule)
    app = create_app(app_config)
    assignment, member, _ = booked_assignment(factory, hours=1.5)
    assignment.is_hourly = True
    factory.session.add(assignment)
    factory.session.flush()
    client = app.test_client()
    login(client, factory.session.get(User, member.user_id).email)

    quoted = _quote(app, "--date", "2026-05-04", "--hours", "1.5", "--hourly")
    page = client.get(f"/compensation/agreements/{assignment.id}").get_data(as_text=True)

    assert (quoted.exit_code, json.loads(quoted.output)["fee"]) == (0, fee)
    assert f"<dd>{fee}\u00a0kr (" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--date", "2019-06-01", "--hours", "3"],
            "No price base amount (PBB) is recorded for 2019",
        ),
        (["--date", "2026-06-01", "--hours", "3", "--hourly"], "up to two hours"),
        (["--date", "2026-06-01", "--hours", "three"], "--hours"),
        (["--date", "2026-13-01", "--hours", "3"], "--date"),
        (["--date", "2026-06-01", "--hours", "-1"], "--hours"),
        (["--date", "2026-06-01", "--hours", "3", "--birth-year", "x"], "--birth-year"),
    ],
)
def test_cli_quote_refuses_bad_input_with_exit_2(app, args, message):
    result = _quote(app, *args)

    assert (result.exit_code, message in result.output) == (2, True)


def test_orderer_cost_page_names_members_by_first_name_as_who_is_coming(factory, app, db_session):
    member = factory.member(
        user=factory.user(Role.MEMBER), first_name="Saga", last_name="Efternamnsson"
    )
    claim, _, orderer, _ = attested_claim(factory, db_session, member=member)
    request_id = db_session.get(Assignment, claim.assignment_id).request_id
    client = app.test_client()
    login(client, orderer.email)

    page = client.get("/compensation/costs?start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    detail = client.get(f"/orders/{request_id}").get_data(as_text=True)

    assert "<td>Saga</td>" in page
    assert "Efternamnsson" not in page
    assert "<li>Saga" in detail and "Efternamnsson" not in detail
