from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from app.models import Area, MileageRate, Organisation, PriceBaseAmount, User
from app.models.enums import Role
from app.services.compensation.figures import add_mileage_rate
from app.services.errors import Conflict, InvalidInput
from tests.conftest import login


@pytest.fixture
def admin_client(csrf_free_app, factory):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ADMIN).email)
    return client


def test_admin_home_lists_users_organisations_areas_and_figures(admin_client, factory):
    factory.organisation("Nässjö kommun", kind="municipality")
    factory.area("neurology/ms")

    html = admin_client.get("/admin/").get_data(as_text=True)

    assert "Nässjö kommun" in html
    assert "neurology/ms" in html
    assert "59\u00a0200\u00a0kr" in html  # PBB 2026 from the migration
    assert "31,42\u00a0%" in html


def test_admin_adds_a_price_base_amount_year(admin_client, db_session):
    response = admin_client.post(
        "/admin/price-base-amounts", data={"pbb-year": "2027", "pbb-amount_sek": "60100"}
    )

    assert response.status_code == 302
    row = db_session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == 2027)).one()
    assert row.amount_sek == 60100


def test_duplicate_price_base_year_is_refused(admin_client, db_session):
    response = admin_client.post(
        "/admin/price-base-amounts", data={"pbb-year": "2026", "pbb-amount_sek": "1"}
    )

    assert response.status_code == 422
    assert (
        db_session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == 2026))
        .one()
        .amount_sek
        == 59200
    )


def test_admin_adds_organisation_and_area(admin_client, db_session, factory):
    factory.area("psychiatry")

    org = admin_client.post(
        "/admin/organisations", data={"org-name": "Region Kronoberg", "org-kind": "other_region"}
    )
    area = admin_client.post(
        "/admin/areas",
        data={
            "area-code": "psychiatry/ocd",
            "area-name_sv": "Tvångssyndrom",
            "area-name_en": "OCD",
        },
    )

    assert (org.status_code, area.status_code) == (302, 302)
    assert (
        db_session.exec(select(Organisation).where(Organisation.name == "Region Kronoberg"))
        .one()
        .kind
        == "other_region"
    )
    child = db_session.exec(select(Area).where(Area.code == "psychiatry/ocd")).one()
    assert db_session.get(Area, child.parent_id).code == "psychiatry"


def test_area_without_parent_is_refused(admin_client, db_session):
    response = admin_client.post(
        "/admin/areas",
        data={"area-code": "nowhere/child", "area-name_sv": "X", "area-name_en": "X"},
    )

    assert response.status_code == 422
    assert db_session.exec(select(Area).where(Area.code == "nowhere/child")).first() is None


def test_admin_creates_an_orderer_only_with_an_organisation(admin_client, db_session, factory):
    organisation = factory.organisation()
    base = {
        "user-email": "new@example.org",
        "user-role": "orderer",
        "user-password": "a long enough password",
    }

    refused = admin_client.post("/admin/users", data={**base, "user-organisation_id": "0"})
    created = admin_client.post(
        "/admin/users", data={**base, "user-organisation_id": str(organisation.id)}
    )

    assert (refused.status_code, created.status_code) == (422, 302)
    user = db_session.exec(select(User).where(User.email == "new@example.org")).one()
    assert user.organisation_id == organisation.id


def test_contribution_rate_with_inverted_band_is_refused(admin_client):
    response = admin_client.post(
        "/admin/contribution-rates",
        data={
            "rate-valid_from": "2027-01-01",
            "rate-born_from": "1990",
            "rate-born_to": "1950",
            "rate-rate_percent": "31.42",
        },
    )

    assert response.status_code == 422


def test_admin_adds_a_mileage_rate(admin_client, db_session):
    response = admin_client.post(
        "/admin/mileage-rates",
        data={"mileage-valid_from": "2027-01-01", "mileage-kr_per_10km": "26.50"},
    )

    row = db_session.exec(
        select(MileageRate).where(MileageRate.valid_from == date(2027, 1, 1))
    ).one()
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert (response.status_code, row.kr_per_10km) == (302, Decimal("26.50"))
    assert "<td>2027-01-01</td><td>26,50\u00a0kr</td>" in page


@pytest.mark.parametrize(
    ("valid_from", "rate"),
    [("2021-01-01", "30"), ("2027-01-01", "0"), ("2027-01-01", "-5"), ("2027-01-01", "")],
)
def test_duplicate_or_non_positive_mileage_rate_is_refused(
    admin_client, db_session, valid_from, rate
):
    response = admin_client.post(
        "/admin/mileage-rates",
        data={"mileage-valid_from": valid_from, "mileage-kr_per_10km": rate},
    )

    rates = db_session.exec(select(MileageRate.valid_from, MileageRate.kr_per_10km)).all()
    assert (response.status_code, sorted(tuple(r) for r in rates)) == (
        422,
        [(date(2021, 1, 1), Decimal("18.50")), (date(2023, 1, 1), Decimal("25.00"))],
    )


def test_add_mileage_rate_service_refuses_duplicates_and_non_positive(db_session):
    with pytest.raises(InvalidInput) as negative:
        add_mileage_rate(session=db_session, valid_from=date(2027, 1, 1), kr_per_10km=Decimal(0))
    with pytest.raises(Conflict):
        add_mileage_rate(session=db_session, valid_from=date(2021, 1, 1), kr_per_10km=Decimal(30))

    row = add_mileage_rate(
        session=db_session, valid_from=date(2027, 1, 1), kr_per_10km=Decimal("26.5")
    )

    assert list(negative.value.fields) == ["kr_per_10km"]
    assert (row.valid_from, row.kr_per_10km) == (date(2027, 1, 1), Decimal("26.50"))
