"""Compensation pages on both databases: declaration, labels, navigation, settlement, payer XLSX."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.models import User
from app.models.enums import Role
from app.services.compensation.agreements import declare_conflicts
from app.services.compensation.payer_years import batch_payer_years
from app.services.compensation.payout_export import payer_csv, payer_lines, payer_xlsx
from app.services.compensation.payouts import close_batch, create_batch, fill_batch
from app.services.errors import Conflict, InvalidInput, NotFound
from tests.compensation_support import STOCKHOLM, attested_claim, booked_assignment
from tests.conftest import login


def _member_client(app, factory, member):
    client = app.test_client()
    login(client, factory.session.get(User, member.user_id).email)
    return client


def _batch(db_session, council, *, close=True):
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 20), frequency="monthly"
    )
    fill_batch(session=db_session, batch_id=batch.id)
    if close:
        close_batch(session=db_session, batch_id=batch.id, actor=council)
    return batch


# --- conflict-of-interest declaration -------------------------------------------------


def test_member_declares_no_conflicts_and_the_agreement_shows_it_signed(
    factory, csrf_free_app, db_session
):
    assignment, member, _ = booked_assignment(factory)
    client = _member_client(csrf_free_app, factory, member)

    response = client.post(
        f"/compensation/agreements/{assignment.id}/declaration", data={"has_interests": "no"}
    )
    page = client.get(f"/compensation/agreements/{assignment.id}").get_data(as_text=True)

    db_session.refresh(assignment)
    signed_on = assignment.conflict_declared_at.astimezone(STOCKHOLM).date().isoformat()
    assert (response.status_code, assignment.conflict_declaration) == (302, "")
    assert f"Undertecknad {signed_on} av {member.display_name}: Inga jävsförhållanden." in page


def test_member_declares_interests_which_the_agreement_prints(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory)
    client = _member_client(csrf_free_app, factory, member)

    client.post(
        f"/compensation/agreements/{assignment.id}/declaration",
        data={"has_interests": "yes", "interests": "  Board member of Hjärtföreningen  "},
    )

    db_session.refresh(assignment)
    page = client.get(f"/compensation/agreements/{assignment.id}").get_data(as_text=True)
    assert assignment.conflict_declaration == "Board member of Hjärtföreningen"
    assert ": Board member of Hjärtföreningen</dd>" in page


@pytest.mark.parametrize(
    ("data", "error_field"),
    [
        ({"has_interests": "yes", "interests": " "}, 'id="interests-error"'),
        ({}, 'id="has_interests-error"'),
        ({"has_interests": "yes", "interests": "x" * 2001}, 'id="interests-error"'),
    ],
)
def test_invalid_declaration_is_refused_with_field_errors(
    factory, csrf_free_app, db_session, data, error_field
):
    assignment, member, _ = booked_assignment(factory)
    client = _member_client(csrf_free_app, factory, member)

    response = client.post(f"/compensation/agreements/{assignment.id}/declaration", data=data)

    db_session.refresh(assignment)
    html = response.get_data(as_text=True)
    assert (response.status_code, error_field in html, assignment.conflict_declared_at) == (
        422,
        True,
        None,
    )


def test_only_the_assignments_own_member_may_declare(factory, csrf_free_app, db_session):
    assignment, _, orderer = booked_assignment(factory)
    _, stranger, _ = booked_assignment(factory)
    url = f"/compensation/agreements/{assignment.id}/declaration"

    other = _member_client(csrf_free_app, factory, stranger).post(url, data={"has_interests": "no"})
    orderer_client = csrf_free_app.test_client()
    login(orderer_client, orderer.email)
    by_orderer = orderer_client.post(url, data={"has_interests": "no"})

    db_session.refresh(assignment)
    assert (other.status_code, by_orderer.status_code, assignment.conflict_declared_at) == (
        404,
        403,
        None,
    )


def test_declaration_form_is_shown_only_to_the_member(factory, app):
    assignment, member, orderer = booked_assignment(factory)
    orderer_client = app.test_client()
    login(orderer_client, orderer.email)

    own = _member_client(app, factory, member).get(f"/compensation/agreements/{assignment.id}")
    theirs = orderer_client.get(f"/compensation/agreements/{assignment.id}")

    assert ("/declaration" in own.get_data(as_text=True)) is True
    assert ("/declaration" in theirs.get_data(as_text=True)) is False


def test_declare_conflicts_service_rules(factory, db_session):
    assignment, member, _ = booked_assignment(factory)
    withdrawn, _, _ = booked_assignment(factory, member=member, status="withdrawn")
    user = db_session.get(User, member.user_id)

    with pytest.raises(InvalidInput) as missing:
        declare_conflicts(
            session=db_session, user=user, assignment_id=assignment.id, has_interests=True
        )
    with pytest.raises(Conflict):
        declare_conflicts(
            session=db_session, user=user, assignment_id=withdrawn.id, has_interests=False
        )
    with pytest.raises(NotFound):
        declare_conflicts(session=db_session, user=user, assignment_id=0, has_interests=False)
    signed = declare_conflicts(
        session=db_session,
        user=user,
        assignment_id=assignment.id,
        has_interests=False,
        interests="ignored when none are declared",
    )

    assert list(missing.value.fields) == ["interests"]
    assert (signed.conflict_declaration, signed.conflict_declared_at is not None) == ("", True)


# --- labels and navigation -----------------------------------------------------------


def test_claim_status_and_fee_class_are_shown_as_labels(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory)
    client = _member_client(csrf_free_app, factory, member)
    url = f"/compensation/assignments/{assignment.id}/claim"

    preview = client.get(url).get_data(as_text=True)
    client.post(url, data={})
    claim_page = client.get(url)
    listing = client.get("/compensation/").get_data(as_text=True)

    html = claim_page.get_data(as_text=True)
    assert "(Heldag, över 4 tim)" in preview
    assert (
        '<span class="claim-status"><span class="badge badge--neutral" data-status="draft">'
        "Inte skickad än</span></span>" in html
    )
    assert "(Heldag, över 4 tim)" in html
    assert 'data-status="draft">Inte skickad än</span></a>' in listing


def test_batch_page_shows_fee_class_labels(factory, app, db_session):
    _, _, _, council = attested_claim(factory, db_session)
    batch = _batch(db_session, council, close=False)
    client = app.test_client()
    login(client, council.email)

    html = client.get(f"/compensation/batches/{batch.id}").get_data(as_text=True)

    assert "<td>Heldag, över 4 tim</td>" in html
    assert "<td>full_day</td>" not in html


def test_home_pages_link_to_the_compensation_pages(factory, app):
    member_user = factory.user(Role.MEMBER)
    factory.member(user=member_user)
    links = {
        factory.user(Role.COUNCIL).email: [
            'href="/compensation/review"',
            'href="/compensation/batches"',
            'href="/compensation/settlement"',
            'href="/council/import/"',
            'href="/taxonomy/"',
        ],
        factory.user(Role.ORDERER).email: ['href="/compensation/costs"'],
        member_user.email: ['href="/compensation/"'],
    }
    found = {}
    for email, hrefs in links.items():
        client = app.test_client()
        login(client, email)
        html = client.get("/", follow_redirects=True).get_data(as_text=True)
        found[email] = [href for href in hrefs if href in html]

    assert found == links


# --- yearly settlement and the payer's report ---------------------------------------------


def test_settlement_page_and_csv_show_payers_people_and_the_1000_kr_rule(factory, app, db_session):
    _, member, orderer, council = attested_claim(factory, db_session)
    _, small, _, _ = attested_claim(factory, db_session, hours=1, orderer=orderer)
    _batch(db_session, council)
    client = app.test_client()
    login(client, council.email)

    page = client.get("/compensation/settlement?year=2026")
    export = client.get("/compensation/settlement.csv?year=2026")

    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True)), delimiter=";"))
    mine = [row for row in rows[1:-1] if int(row[1]) in (member.id, small.id)]
    assert (page.status_code, export.status_code) == (200, 200)
    assert [(r[3], r[4], r[6]) for r in mine] == [("2131", "no", "670"), ("533", "yes", "0")]
    assert int(rows[-1][3]) == sum(int(r[3]) for r in rows[1:-1])
    assert int(rows[-1][6]) == sum(int(r[6]) for r in rows[1:-1])
    assert member.display_name in page.get_data(as_text=True)


def test_settlement_refuses_a_bad_year(factory, app):
    client = app.test_client()
    login(client, factory.user(Role.COUNCIL).email)

    statuses = [
        client.get("/compensation/settlement?year=1900").status_code,
        client.get("/compensation/settlement.csv?year=abc").status_code,
        client.get("/compensation/settlement").status_code,
    ]

    assert statuses == [422, 422, 200]


def test_payer_xlsx_totals_equal_the_rows_and_match_the_csv(factory, app, db_session):
    _, _, orderer, council = attested_claim(factory, db_session)
    attested_claim(factory, db_session, hours=1, orderer=orderer)
    attested_claim(factory, db_session, hours=3)
    batch = _batch(db_session, council, close=False)
    lines = payer_lines(batch_payer_years(session=db_session, batch=batch), batch_id=batch.id)
    client = app.test_client()
    login(client, council.email)

    response = client.get(f"/compensation/batches/{batch.id}/payer.xlsx")

    sheet = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    body, total = sheet[1:-1], sheet[-1]
    table = list(csv.reader(io.StringIO(payer_csv(lines)), delimiter=";"))
    assert response.status_code == 200
    assert [total[i] for i in (3, 5, 6, 7)] == [sum(row[i] for row in body) for i in (3, 5, 6, 7)]
    assert [total[i] for i in (3, 5, 6, 7)] == [int(table[-1][i]) for i in (3, 5, 6, 7)]
    assert len(body) == len(lines) == len(table) - 2
    assert payer_xlsx(lines)[:2] == b"PK"
