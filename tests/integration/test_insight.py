"""Insight for the council: the datasets on hand-made data, the pages, CSV and the population."""

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.models import (
    AuditEvent,
    ClaimLine,
    CompensationClaim,
    Feedback,
    PopulationFigure,
    RequestEvent,
)
from app.models.enums import Role
from app.services.errors import InvalidInput
from app.services.insight.live import InsightFilters, build_dataset, build_insight, check_filters
from app.services.insight.metrics import SUPPRESSED
from app.services.pool.population import save_grid
from app.web.insight.specs import SPECS
from tests.html import csrf_token
from tests.pool_support import signed_in

ZONE = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 7, 1)
FIRST_HALF = InsightFilters(start=date(2026, 1, 1), end=date(2026, 6, 30))
PICTURES = [key for key, spec in SPECS.items() if spec.kind != "table"]


def dataset(session, key, filters=FIRST_HALF):
    return build_dataset(session=session, filters=filters, key=key, zone=ZONE, today=TODAY)


def values(data, series):
    return dict(zip(data.categories, data.column(series).values, strict=True))


def at(day: int, month: int = 3, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def orderer(factory):
    return factory.user(
        Role.ORDERER, organisation=factory.organisation("Hälsohögskolan", "university")
    )


def request_on(factory, orderer, starts_at: datetime, **fields):
    """A request whose first session starts at ``starts_at`` (the factory adds a later one)."""
    booking_request = factory.booking_request(orderer, **fields)
    factory.request_session(booking_request, starts_at)
    return booking_request


def test_work_spread_counts_work_in_the_period_and_gives_the_gini(factory, db_session, orderer):
    members = [factory.member() for _ in range(10)]
    for starts in (at(3), at(10, 4)):
        factory.assignment(members[0], request_on(factory, orderer, starts), status="completed")
    factory.assignment(members[1], request_on(factory, orderer, at(5, 5)))
    factory.assignment(members[2], request_on(factory, orderer, at(5, 5)), status="withdrawn")
    factory.assignment(members[3], request_on(factory, orderer, at(5, 9)))  # after the period

    work = dataset(db_session, "work_assignments")
    lorenz = dataset(db_session, "work_lorenz")

    assert values(work, "members") == {
        "0": 8,
        "1": SUPPRESSED,
        "2": SUPPRESSED,
        "3": 0,
        "4": 0,
        "5-6": 0,
        "7-9": 0,
        "10+": 0,
    }
    # Loads [2, 1, 0, 0, 0, 0, 0, 0, 0, 0]: G = 2·29 / (10·3) − 11/10 = 5/6.
    assert lorenz.facts["gini_assignments"] == pytest.approx(5 / 6)
    assert values(lorenz, "assignments_share")["80"] == pytest.approx(0.0)
    assert values(lorenz, "assignments_share")["90"] == pytest.approx(1 / 3)
    assert values(lorenz, "assignments_share")["100"] == pytest.approx(1.0)


def claim(
    factory, assignment, *, fee, travel, day, minutes=120, travel_minutes=0, status="attested"
):
    item = CompensationClaim(
        assignment_id=assignment.id,
        member_id=assignment.member_id,
        status=status,
        fee_sek=fee,
        travel_sek=travel,
    )
    factory.session.add(item)
    factory.session.flush()
    factory.session.add(
        ClaimLine(claim_id=item.id, activity_on=day, minutes=minutes, travel_minutes=travel_minutes)
    )
    factory.session.flush()
    return item


def test_paid_hours_come_from_attested_claims_including_travel(factory, db_session, orderer):
    members = [factory.member() for _ in range(10)]
    assignment = factory.assignment(members[0], request_on(factory, orderer, at(10)))
    claim(factory, assignment, fee=1066, travel=50, day=date(2026, 3, 10), travel_minutes=30)
    other = factory.assignment(members[1], request_on(factory, orderer, at(12)))
    claim(factory, other, fee=533, travel=0, day=date(2026, 3, 12), status="submitted")

    hours = dataset(db_session, "work_hours")

    assert values(hours, "members")["2-5"] == SUPPRESSED  # 2.5 h for one person
    assert values(hours, "members")["0"] == 9
    assert hours.facts["gini"] == pytest.approx(0.9)


def test_lead_times_to_decision_and_booking_are_medians_per_month(factory, db_session, orderer):
    first = request_on(factory, orderer, at(20, 4), created_at=at(2), decided_at=at(4))
    second = request_on(factory, orderer, at(20, 4), created_at=at(10), decided_at=at(16))
    request_on(factory, orderer, at(20, 4), created_at=at(12))  # not decided yet
    db_session.add_all(
        [
            RequestEvent(request_id=first.id, action="booked", at=at(12)),
            RequestEvent(request_id=second.id, action="booked", at=at(20)),
        ]
    )
    db_session.flush()

    times = dataset(db_session, "flow_times")

    assert values(times, "decision_days")["2026-03"] == 4.0  # 2 and 6 days
    assert values(times, "booking_days")["2026-03"] == 10.0  # 10 and 10 days
    assert values(times, "decisions")["2026-03"] == 2
    assert values(times, "decision_days")["2026-02"] is None
    assert times.facts["decision"].n == 2


def test_pool_age_bands_against_the_population_show_where_the_pool_is_thin(factory, db_session):
    for age in (52, 55, 58, 60, 63, 66, 70, 72, 75, 78):
        factory.member(birth_year=TODAY.year - age, gender="woman" if age % 2 else "man")
    people = {"18-34": 300, "35-49": 200, "50-64": 250, "65-79": 150, "80+": 100}
    grid = {
        (band, gender): count // 2 for band, count in people.items() for gender in ("woman", "man")
    }
    council = factory.user(Role.COUNCIL)
    save_grid(session=db_session, people=grid, source="test", actor_id=council.id)

    ages = dataset(db_session, "pool_age")

    assert values(ages, "pool_count") == {"18-34": 0, "35-49": 0, "50-64": 5, "65-79": 5, "80+": 0}
    assert values(ages, "pool_share") == {
        "18-34": 0,
        "35-49": 0,
        "50-64": 0.5,
        "65-79": 0.5,
        "80+": 0,
    }
    assert values(ages, "population_share") == {
        "18-34": 0.3,
        "35-49": 0.2,
        "50-64": 0.25,
        "65-79": 0.15,
        "80+": 0.1,
    }
    assert [key for key, _, _ in ages.facts["thin"]] == ["18-34", "35-49", "80+"]


def test_small_groups_of_people_are_never_shown_as_numbers(factory, db_session):
    for _ in range(3):
        factory.member(gender="man", birth_year=1970, experiences=(("cancer", "own"),))
    for _ in range(6):
        factory.member(gender="woman", birth_year=1970, experiences=(("cancer", "relative"),))

    age_gender = dataset(db_session, "pool_age_gender")
    areas = dataset(db_session, "pool_areas")

    assert values(age_gender, "pool_count")["50-64:man"] == SUPPRESSED
    assert values(age_gender, "pool_share")["50-64:man"] == SUPPRESSED
    assert values(age_gender, "pool_count")["50-64:woman"] == 6
    assert values(areas, "own") == {"cancer": SUPPRESSED}
    assert values(areas, "relative") == {"cancer": 6}


def test_filters_narrow_to_a_pool_and_a_kind_of_orderer(factory, db_session, orderer):
    for pool in ("peer",) * 5 + ("levande_bibliotek",) * 7:
        factory.member(pool=pool)
    department = factory.user(Role.ORDERER)
    request_on(factory, orderer, at(20, 4), created_at=at(2))
    request_on(factory, department, at(20, 4), created_at=at(3))

    peer = dataset(
        db_session, "pool_mandate", InsightFilters(**{**vars(FIRST_HALF), "pool": "peer"})
    )
    universities = dataset(
        db_session,
        "flow_requests",
        InsightFilters(**{**vars(FIRST_HALF), "orderer_kind": "university"}),
    )

    assert values(peer, "members") == {"self": 5, "organisation": 0}
    assert values(universities, "university")["2026-03"] == 1
    assert values(universities, "region_department")["2026-03"] == 0


def test_feedback_means_need_five_answers(factory, db_session, orderer):
    booking_request = request_on(factory, orderer, at(2))
    member = factory.member()
    assignment = factory.assignment(member, booking_request, status="completed")
    for score in (5, 4, 4, 3, 4):
        db_session.add(
            Feedback(
                request_id=booking_request.id,
                assignment_id=assignment.id,
                respondent="member",
                answers={"purpose_clear": score, "felt_heard": "yes"},
                submitted_at=at(5),
            )
        )
    db_session.add(
        Feedback(
            request_id=booking_request.id,
            respondent="orderer",
            answers={"useful": 5},
            submitted_at=at(6),
        )
    )
    db_session.flush()

    scores = dataset(db_session, "feedback_scores")

    assert values(scores, "purpose_clear")["2026-03"] == 4.0
    assert values(scores, "purpose_clear_n")["2026-03"] == 5
    assert values(scores, "useful")["2026-03"] == SUPPRESSED
    assert values(scores, "useful_n")["2026-03"] == SUPPRESSED
    assert values(scores, "felt_heard")["2026-03"] is None  # "yes" is not a score
    assert scores.facts["purpose_clear"] == 4.0


def test_share_of_assignments_whose_outcome_the_orderer_reported(factory, db_session, orderer):
    reported = request_on(factory, orderer, at(2))
    silent = request_on(factory, orderer, at(3))
    for booking_request in (reported, reported, silent):
        factory.assignment(factory.member(), booking_request, status="completed")
    db_session.add(
        Feedback(
            request_id=reported.id,
            respondent="orderer",
            led_to="A new routine.",
            submitted_at=at(4),
        )
    )
    db_session.flush()
    # The factory's extra session lies after TODAY, so these requests have not ended: move it.
    for booking_request in (reported, silent):
        for item in booking_request_sessions(db_session, booking_request.id)[1:]:
            db_session.delete(item)
    db_session.flush()

    led_to = dataset(db_session, "feedback_led_to")

    assert values(led_to, "assignments")["2026-03"] == 3
    assert values(led_to, "reported")["2026-03"] == 2
    assert values(led_to, "share")["2026-03"] == pytest.approx(2 / 3)


def booking_request_sessions(session, request_id):
    from app.models import RequestSession

    query = select(RequestSession).where(RequestSession.request_id == request_id)
    return list(session.exec(query.order_by(RequestSession.starts_at)))


def test_cost_per_month_and_per_organisation(factory, db_session, orderer):
    department = factory.user(Role.ORDERER, organisation=factory.organisation("Medicinkliniken"))
    member = factory.member()
    march = factory.assignment(member, request_on(factory, orderer, at(10)))
    april = factory.assignment(member, request_on(factory, orderer, at(10, 4)))
    other = factory.assignment(member, request_on(factory, department, at(11)))
    claim(factory, march, fee=1000, travel=100, day=date(2026, 3, 10))
    claim(factory, april, fee=500, travel=0, day=date(2026, 4, 10))
    claim(factory, other, fee=700, travel=0, day=date(2026, 3, 11))
    late = factory.assignment(factory.member(), request_on(factory, department, at(12)))
    claim(factory, late, fee=999, travel=0, day=date(2026, 3, 12), status="submitted")

    month = dataset(db_session, "cost_month")
    organisations = dataset(db_session, "cost_org")

    assert values(month, "fees")["2026-03"] == 1700
    assert values(month, "travel")["2026-03"] == 100
    assert values(month, "fees")["2026-04"] == 500
    assert organisations.categories == ("Hälsohögskolan", "Medicinkliniken")
    assert organisations.column("fees").values == (1500, 700)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidInput) as error:
        check_filters(InsightFilters(start=date(2026, 6, 1), end=date(2026, 1, 1)))

    assert "end" in error.value.fields


def test_demo_data_gives_every_picture_something_to_show(db_session):
    from app.services.demo.data import load_demo_data

    load_demo_data(session=db_session, today=TODAY)

    sections = build_insight(
        session=db_session,
        filters=InsightFilters(start=date(2025, 7, 1), end=TODAY),
        zone=ZONE,
        today=TODAY,
    )

    empty = [d.key for datasets in sections.values() for d in datasets if d.is_empty]
    assert empty == []


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def council_client(app, factory):
    client, _ = signed_in(app, factory, Role.COUNCIL)
    return client


def test_insight_page_renders_for_an_empty_database(council_client, db_session):
    response = council_client.get("/council/insight/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('role="img"') == len(PICTURES)
    for key in SPECS:
        assert f'id="chart-{key}"' in html
        assert f'id="table-{key}"' in html
    assert "No data for these filters." in html
    assert council_client.get("/council/insight/population").status_code == 200


def test_insight_page_renders_the_demo_data_and_audits_the_read(council_client, db_session):
    from app.services.demo.data import load_demo_data

    load_demo_data(session=db_session)

    response = council_client.get("/council/insight/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('role="img"') == len(PICTURES)
    for key in PICTURES:
        assert f'aria-labelledby="{key}-title {key}-desc"' in html
    assert "Gini coefficient" in html
    assert "of the population" in html
    events = db_session.exec(select(AuditEvent).where(AuditEvent.action == "insight.read")).all()
    assert len(events) == 1
    assert council_client.get("/council/insight/population").status_code == 200


def test_each_picture_downloads_as_csv_with_the_same_numbers(council_client, factory):
    for _ in range(6):
        factory.member(birth_year=1960, mandate="self")

    response = council_client.get(
        "/council/insight/pool_mandate.csv?start=2026-01-01&end=2026-06-30"
    )

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "pool_mandate-2026-01-01-2026-06-30.csv" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines == [
        "Takes part;key;Members;Share (%)",
        "For themselves;self;6;100.0",
        "Mandate from an organisation;organisation;0;0.0",
    ]
    for key in SPECS:
        assert council_client.get(f"/council/insight/{key}.csv").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13-01",
        "start=2026-06-01&end=2026-01-01",
        "start=2000-01-01&end=2026-01-01",
        "pool=nonsense",
        "orderer_kind=club",
        "area=abc",
        "area=999999",
    ],
)
def test_bad_filters_get_a_clear_message_not_an_error(council_client, query):
    page = council_client.get(f"/council/insight/?{query}")
    download = council_client.get(f"/council/insight/pool_age.csv?{query}")

    assert page.status_code == 422
    assert 'id="error-summary"' in page.get_data(as_text=True)
    assert 'class="chart"' not in page.get_data(as_text=True)
    assert download.status_code == 422
    assert download.mimetype == "text/plain"


def test_an_unknown_picture_is_not_found(council_client):
    assert council_client.get("/council/insight/nothing.csv").status_code == 404


def grid_data(client, **cells):
    data = {
        "csrf_token": csrf_token(client.get("/council/insight/population").get_data(as_text=True))
    }
    for band in ("18_34", "35_49", "50_64", "65_79", "80plus"):
        for gender in ("woman", "man"):
            data[f"p_{band}_{gender}"] = cells.get(f"p_{band}_{gender}", "100")
    return data


def stored(db_session):
    return sorted(
        (f.age_band, f.gender, f.municipality, f.people)
        for f in db_session.exec(select(PopulationFigure))
    )


def test_council_enters_the_population_in_a_grid(council_client, db_session):
    data = grid_data(council_client, p_18_34_woman="41000", source="SCB 2025")

    response = council_client.post(
        "/council/insight/population", data={**data, "source": "SCB 2025"}
    )

    assert response.status_code == 302
    assert len(stored(db_session)) == 10
    assert ("18-34", "woman", "", 41000) in stored(db_session)
    assert {f.source for f in db_session.exec(select(PopulationFigure))} == {"SCB 2025"}


def test_a_bad_grid_is_refused_and_changes_nothing(council_client, db_session):
    response = council_client.post(
        "/council/insight/population", data=grid_data(council_client, p_80plus_man="-3")
    )

    assert response.status_code == 422
    assert stored(db_session) == []


def upload(client, text: str, name: str = "population.csv"):
    token = csrf_token(client.get("/council/insight/population").get_data(as_text=True))
    return client.post(
        "/council/insight/population/import",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), name), "source": "SCB"},
        content_type="multipart/form-data",
    )


def test_council_imports_the_population_by_municipality(council_client, db_session):
    text = "age_band;gender;municipality;people\n18–34;woman;Jönköping;12 000\n18-34;man;Jönköping;12500\n80+;man;Aneby;300\n"

    response = upload(council_client, text)

    assert response.status_code == 302
    assert stored(db_session) == [
        ("18-34", "man", "Jönköping", 12500),
        ("18-34", "woman", "Jönköping", 12000),
        ("80+", "man", "Aneby", 300),
    ]
    assert (
        council_client.get("/council/insight/population.csv").get_data(as_text=True).count("\n")
        == 4
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("age_band;gender;people\n12-17;woman;10\n", "Row 2: unknown age band 12-17"),
        ("age_band;gender;people\n18-34;other;10\n", "Row 2: gender must be woman or man."),
        ("age_band;gender;people\n18-34;woman;many\n", "Row 2: people must be a whole number"),
        ("age_band;gender;people\n18-34;woman;1\n18-34;woman;2\n", "Row 3 repeats an earlier row."),
        (
            "age_band;gender;municipality;people\n18-34;woman;Habo;1\n18-34;man;;2\n",
            "on every row or on none",
        ),
        ("age;gender;people\n18-34;woman;1\n", "The file has no column age_band."),
    ],
)
def test_a_bad_population_file_is_refused_row_by_row_and_nothing_is_stored(
    council_client, db_session, text, message
):
    save_grid(session=db_session, people={("18-34", "woman"): 5}, source="old", actor_id=None)
    before = stored(db_session)

    response = upload(council_client, text)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(db_session) == before


def test_period_defaults_to_the_last_twelve_months(council_client):
    html = council_client.get("/council/insight/").get_data(as_text=True)
    today = datetime.now(ZONE).date()

    assert f'value="{today.isoformat()}"' in html
    assert (
        f'value="{(today.replace(day=1) - timedelta(days=330)).replace(day=1).isoformat()}"' in html
    )
