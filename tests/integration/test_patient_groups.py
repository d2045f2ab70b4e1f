"""Patient-group figures per area: saved and replaced, the pool compared, targets suggested."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app import clock
from app.models import AuditEvent, PatientGroupFigure
from app.models.enums import Role
from app.services.errors import InvalidInput
from app.services.pool.patient_groups import (
    area_comparison,
    area_suggestions,
    latest_year,
    load_area_group,
    save_area_figures,
)
from app.services.pool.population import BANDS, POPULATION_GENDERS
from tests.html import csrf_token
from tests.pool_support import signed_in

PSYCHIATRY = "psychiatry"
#: The patient group: 100 people in each of the two youngest bands' sexes, none older than 49.
GROUP = {("18-34", "woman"): 100, ("18-34", "man"): 100, ("35-49", "woman"): 100}
GROUP |= {("35-49", "man"): 100}


def _cells(counts: dict) -> dict[tuple[str, str], int]:
    return {(b, str(g)): counts.get((b, str(g)), 0) for b in BANDS for g in POPULATION_GENDERS}


def _seed_pool(factory) -> int:
    """Eight members with experience of psychiatry (or below it), and some who do not count."""
    year = clock.today().year
    own_psychosis = ((f"{PSYCHIATRY}/psychosis", "own"),)
    for _ in range(6):
        factory.member(birth_year=year - 40, gender="woman", experiences=own_psychosis)
    for _ in range(2):
        factory.member(birth_year=year - 40, gender="man", experiences=((PSYCHIATRY, "relative"),))
    for _ in range(4):
        factory.member(birth_year=year - 25, gender="woman", experiences=(("cancer", "own"),))
    factory.member(birth_year=year - 25, gender="man", experiences=own_psychosis, status="left")
    return factory.area(PSYCHIATRY).id


def _save(factory, area_id: int, counts: dict, year: int = 2025) -> int:
    return save_area_figures(
        session=factory.session,
        area_id=area_id,
        year=year,
        people=_cells(counts),
        source="Regionens diagnosregister",
        actor_id=factory.user(Role.COUNCIL).id,
    )


def test_figures_are_saved_and_replace_that_year_only(factory, db_session):
    area_id = factory.area(PSYCHIATRY).id
    _save(factory, area_id, {("80+", "man"): 7}, year=2024)
    _save(factory, area_id, {("18-34", "woman"): 5})

    stored = _save(factory, area_id, GROUP)

    rows = db_session.exec(select(PatientGroupFigure)).all()
    group = load_area_group(session=db_session, area_id=area_id)
    older = load_area_group(session=db_session, area_id=area_id, year=2024)
    assert stored == 10
    assert len(rows) == 20  # ten cells for 2025, ten for 2024
    assert latest_year(session=db_session, area_id=area_id) == 2025
    assert group.by_band_gender == _cells(GROUP)
    assert group.source == "Regionens diagnosregister"
    assert older.total == 7
    actions = db_session.exec(select(AuditEvent.action, AuditEvent.subject_id)).all()
    assert actions.count(("patient_group.saved", area_id)) == 3


@pytest.mark.parametrize(
    ("year", "cell", "field"),
    [(1800, 0, "year"), (2025, -1, "18-34_woman")],
)
def test_bad_figures_are_refused(factory, db_session, year, cell, field):
    area_id = factory.area(PSYCHIATRY).id

    with pytest.raises(InvalidInput) as error:
        _save(factory, area_id, {("18-34", "woman"): cell}, year=year)

    assert field in error.value.fields
    assert db_session.exec(select(PatientGroupFigure)).all() == []


def test_the_comparison_counts_the_area_and_below_against_the_patient_group(factory, db_session):
    area_id = _seed_pool(factory)
    _save(factory, area_id, GROUP)

    dataset = area_comparison(session=db_session, area_id=area_id, today=clock.today())

    by_key = dict(
        zip(dataset.categories, zip(*(s.values for s in dataset.series), strict=True), strict=True)
    )
    assert by_key["35-49:woman"] == (6, 0.75, 100, 0.25)
    assert by_key["35-49:man"] == ("<5", "<5", 100, 0.25)
    assert by_key["18-34:woman"] == (0, 0.0, 100, 0.25)
    assert by_key["80+:man"] == (0, 0.0, 0, 0.0)
    assert [key for key, *_ in dataset.facts["thin"]] == ["18-34:woman", "18-34:man"]
    assert dataset.facts["members"] == 8


def test_thin_groups_of_an_area_become_target_suggestions(factory, db_session):
    area_id = _seed_pool(factory)
    _save(factory, area_id, GROUP)

    found = area_suggestions(session=db_session, today=clock.today())

    assert [
        (s.area_id, s.suggestion.age_min, s.suggestion.age_max, s.suggestion.gender) for s in found
    ] == [
        (area_id, 18, 34, "woman"),
        (area_id, 18, 34, "man"),
    ]


@pytest.fixture
def council_client(app, factory):
    client, _ = signed_in(app, factory, Role.COUNCIL)
    return client


def test_council_enters_figures_and_sees_the_comparison(council_client, factory, db_session):
    area_id = _seed_pool(factory)
    page = council_client.get(f"/council/insight/patient-groups/{area_id}")
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "year": "2025"}
    data |= {"source": "Diagnosregistret"}
    for (band, gender), count in _cells(GROUP).items():
        data[f"p_{band.replace('-', '_').replace('+', 'plus')}_{gender}"] = str(count)

    saved = council_client.post(f"/council/insight/patient-groups/{area_id}", data=data)
    html = council_client.get(f"/council/insight/patient-groups/{area_id}").get_data(as_text=True)
    listing = council_client.get("/council/insight/patient-groups/").get_data(as_text=True)
    chosen = council_client.get(f"/council/insight/patient-groups/?area={area_id}")

    assert "No figures are stored for this area yet" in page.get_data(as_text=True)
    assert saved.status_code == 302
    assert load_area_group(session=db_session, area_id=area_id).total == 400
    row = re.search(r'<tr id="row-35-49-woman">.*?</tr>', html).group(0)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["6", "75%", "100", "25%"]
    man = re.search(r'<tr id="row-35-49-man">.*?</tr>', html).group(0)
    assert re.findall(r'<td class="num">([^<]*)</td>', man) == ["&lt;5", "&lt;5", "100", "25%"]
    start = f'href="/council/insight/targets/new?area={area_id}&amp;age_min=18&amp;age_max=34'
    assert html.count(start) == 2
    assert "(2025)" in listing
    assert chosen.headers["Location"].endswith(f"/council/insight/patient-groups/{area_id}")
    reads = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "patient_group.read")
    ).all()
    assert {event.subject_id for event in reads} == {area_id}


def test_bad_figures_on_the_page_answer_422_and_keep_what_was_typed(
    council_client, factory, db_session
):
    area_id = factory.area(PSYCHIATRY).id
    page = council_client.get(f"/council/insight/patient-groups/{area_id}")
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "year": "20x5"}
    data |= {"source": "kept source"}
    for band, gender in _cells({}):
        data[f"p_{band.replace('-', '_').replace('+', 'plus')}_{gender}"] = "5"
    data["p_18_34_woman"] = "-3"

    response = council_client.post(f"/council/insight/patient-groups/{area_id}", data=data)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not a valid integer value." in html
    assert "18–34, women: Number must be between 0 and 100000000." in html
    assert "kept source" in html
    assert db_session.exec(select(PatientGroupFigure)).all() == []
    assert council_client.get("/council/insight/patient-groups/999999").status_code == 404


def test_the_new_target_page_suggests_from_an_areas_thin_groups(
    council_client, factory, db_session
):
    area_id = _seed_pool(factory)
    _save(factory, area_id, GROUP)

    page = council_client.get("/council/insight/targets/new").get_data(as_text=True)
    started = council_client.get(
        f"/council/insight/targets/new?area={area_id}&age_min=18&age_max=34&gender=woman"
    ).get_data(as_text=True)

    assert "Where the pool is thin against a patient group" in page
    assert "Psychiatry: 18–34, women" in page
    link = f'href="/council/insight/targets/new?area={area_id}&amp;age_min=18&amp;age_max=34&amp;gender=woman"'
    assert link in page
    assert re.search(rf'<option selected value="{area_id}">', started)
    assert re.search(r'<input[^>]*name="age_max"[^>]*value="34"', started)
