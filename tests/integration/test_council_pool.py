import re

import pytest

from app.models.enums import Role
from tests.clock_support import local_today
from tests.conftest import login


@pytest.fixture
def council_client(client, factory):
    login(client, factory.user(Role.COUNCIL).email)
    return client


@pytest.fixture
def pool(factory):
    year = local_today().year
    return {
        "psychosis_own": factory.member(
            last_name="Psykos",
            birth_year=year - 30,
            gender="man",
            experiences=(("psychiatry/psychosis", "own"),),
        ),
        "depression_rel": factory.member(
            last_name="Depression",
            birth_year=year - 55,
            gender="woman",
            experiences=(("psychiatry/depression", "relative"),),
        ),
        "cancer_own": factory.member(
            last_name="Cancer",
            birth_year=year - 70,
            gender="woman",
            experiences=(("cancer", "own"),),
        ),
        "paused": factory.member(
            last_name="Pausad",
            birth_year=year - 40,
            gender="nonbinary",
            status="paused",
            experiences=(("cancer/breast", "relative"),),
        ),
    }


def listed(html: str) -> list[str]:
    table = html.split('id="pool-table"', 1)[1]
    return sorted(re.findall(r"<td>(?:<a [^>]*>)?Test (\w+)(?:</a>)?</td>", table))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Cancer", "Depression", "Pausad", "Psykos"]),
        ({"experience": "relative"}, ["Depression", "Pausad"]),
        ({"gender": "woman"}, ["Cancer", "Depression"]),
        ({"status": "paused"}, ["Pausad"]),
        ({"age_band": "18-34"}, ["Psykos"]),
        ({"age_band": "65-79"}, ["Cancer"]),
        ({"experience": "own", "gender": "man"}, ["Psykos"]),
    ],
)
def test_pool_filters(council_client, pool, query, expected):
    html = council_client.get("/council/pool", query_string=query).get_data(as_text=True)

    assert listed(html) == expected


def test_area_filter_includes_narrower_areas(council_client, pool, factory):
    psychiatry = factory.area("psychiatry")
    cancer = factory.area("cancer")

    psychiatry_html = council_client.get(
        "/council/pool", query_string={"area": psychiatry.id}
    ).get_data(as_text=True)
    cancer_html = council_client.get("/council/pool", query_string={"area": cancer.id}).get_data(
        as_text=True
    )

    assert listed(psychiatry_html) == ["Depression", "Psykos"]
    assert listed(cancer_html) == ["Cancer", "Pausad"]


def test_invalid_filter_values_show_the_whole_pool_not_an_error(council_client, pool):
    response = council_client.get("/council/pool", query_string={"gender": "robot", "area": "x"})

    assert response.status_code == 200
    assert len(listed(response.get_data(as_text=True))) == 4


def test_council_home_lists_open_requests_only(council_client, factory):
    orderer = factory.user(Role.ORDERER)
    factory.booking_request(orderer, title="Open one", status="submitted")
    factory.booking_request(orderer, title="Cancelled one", status="cancelled")

    html = council_client.get("/council/").get_data(as_text=True)

    assert "Open one" in html
    assert "Cancelled one" not in html


def test_pool_list_loads_experiences_without_a_query_per_member(council_client, factory, engine):
    from sqlalchemy import event

    def statements_for_the_page() -> int:
        statements = []

        def count(*_args, **_kwargs):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            council_client.get("/council/pool")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    factory.member(last_name="N", experiences=(("cancer", "own"), ("sepsis", "relative")))
    council_client.get("/council/pool")  # the first visit may warm caches
    with_one = statements_for_the_page()
    for index in range(15):
        factory.member(
            last_name=f"N{index}", experiences=(("cancer", "own"), ("sepsis", "relative"))
        )

    assert statements_for_the_page() == with_one


def test_the_pool_list_pages_a_large_pool(app, factory):
    from app.services.pool.listing import PAGE_SIZE
    from tests.pool_support import signed_in

    client, _council = signed_in(app, factory, Role.COUNCIL)
    for index in range(PAGE_SIZE + 1):
        factory.member(last_name=f"Pager{index:03d}")

    first = client.get("/council/pool").get_data(as_text=True)
    second = client.get("/council/pool?page=2").get_data(as_text=True)

    total = first.split('id="pool-count">')[1].split(" ")[0]
    assert int(total) >= PAGE_SIZE + 1
    assert first.count("/council/members/") - second.count("/council/members/") >= 1
    assert 'rel="next"' in first and 'rel="prev"' in second


@pytest.fixture
def searchable(factory):
    return [
        factory.member(first_name="Åsa", last_name="Öberg", municipality="Östra Göinge"),
        factory.member(first_name="Test", last_name="Lindqvist", municipality="Jönköping"),
        factory.member(first_name="Test", last_name="Procent_100%", municipality="Eksjö"),
        factory.member(first_name="Test", last_name="Vanlig", municipality="Värnamo"),
    ]


def searched(client, text: str, **query) -> list[str]:
    html = client.get("/council/pool", query_string={"search": text, **query}).get_data(
        as_text=True
    )
    table = html.split('id="pool-table"', 1)[1]
    return sorted(re.findall(r"<td><a [^>]*>([^<]+)</a></td>", table))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lindqvist", ["Test Lindqvist"]),
        ("  JÖNKÖPING ", ["Test Lindqvist"]),
        ("åsa öberg", ["Åsa Öberg"]),
        ("ÅSA", ["Åsa Öberg"]),
        ("östra", ["Åsa Öberg"]),
        ("test jönköping", ["Test Lindqvist"]),
        ("%", ["Test Procent_100%"]),
        ("_", ["Test Procent_100%"]),
        ("t_st", []),
        ("ingen alls", []),
        ("", ["Test Lindqvist", "Test Procent_100%", "Test Vanlig", "Åsa Öberg"]),
    ],
)
def test_pool_search_by_name_and_municipality(council_client, searchable, text, expected):
    assert searched(council_client, text) == expected


def test_pool_search_combines_with_the_other_filters(council_client, factory):
    factory.member(last_name="Ett", municipality="Vetlanda", gender="woman")
    factory.member(last_name="Två", municipality="Vetlanda", gender="man")

    assert searched(council_client, "vetlanda", gender="woman") == ["Test Ett"]


def test_pool_search_keeps_the_text_and_refuses_a_line_break(council_client, searchable):
    kept = council_client.get("/council/pool", query_string={"search": "Värnamo"})
    broken = council_client.get("/council/pool", query_string={"search": "a\nb"})

    assert kept.status_code == 200
    assert 'value="Värnamo"' in kept.get_data(as_text=True)
    assert broken.status_code == 200
    assert 'id="search-error"' in broken.get_data(as_text=True)
