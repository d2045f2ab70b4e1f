"""Recruitment targets: progress from new members and applicants, the pages, the yearly report."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app import clock
from app.models import Applicant, AuditEvent, RecruitmentTarget
from app.models.enums import Role
from app.services.errors import Conflict, InvalidInput
from app.services.recruitment.applications import ApplicationInput, submit_application
from app.services.recruitment.progress import note_gaps, target_progress
from app.services.recruitment.targets import (
    TargetInput,
    close_target,
    create_target,
    gaps_filled_by,
    gaps_for,
    update_target,
)
from tests.html import csrf_token
from tests.pool_support import signed_in

SET_AT = datetime(2026, 3, 1, 12, tzinfo=UTC)
TODAY = date(2026, 7, 1)
PSYCHIATRY = "psychiatry"


def _young_own_psychiatry(factory, council) -> RecruitmentTarget:
    """5 more people aged 18–29 with own experience of psychiatry (or an area below it)."""
    area = factory.area(PSYCHIATRY)
    data = TargetInput(
        wanted_count=5,
        due_on=date(2026, 12, 31),
        age_min=18,
        age_max=29,
        experience_type="own",
        area_id=area.id,
    )
    return create_target(data, session=factory.session, actor_id=council.id, now=SET_AT)


def _applicant(factory, status: str, birth_year: int, area: str, kind: str) -> Applicant:
    applicant = Applicant(
        first_name="Sökande",
        last_name=status,
        status=status,
        birth_year=birth_year,
        gender="woman",
        experiences=[{"area_id": factory.area(area).id, "type": kind}],
        consent_given_at=SET_AT,
        consent_text_version="2026-01",
    )
    factory.session.add(applicant)
    factory.session.flush()
    return applicant


def _after(days: int) -> datetime:
    return SET_AT + timedelta(days=days)


def test_progress_counts_new_matching_members_and_matching_applicants(factory, db_session):
    council = factory.user(Role.COUNCIL)
    target = _young_own_psychiatry(factory, council)
    own = ((f"{PSYCHIATRY}/depression", "own"),)
    factory.member(birth_year=2000, experiences=own, created_at=_after(3))  # counts
    factory.member(birth_year=2001, experiences=own, created_at=_after(40))  # counts
    factory.member(birth_year=2000, experiences=own, created_at=_after(-3))  # before the target
    factory.member(birth_year=1980, experiences=own, created_at=_after(3))  # 46 years old
    factory.member(birth_year=2000, experiences=((PSYCHIATRY, "relative"),), created_at=_after(3))
    factory.member(birth_year=2000, experiences=own, created_at=_after(3), status="left")
    waiting = _applicant(factory, "introduction", 2004, f"{PSYCHIATRY}/anxiety", "own")
    _applicant(factory, "applied", 2003, PSYCHIATRY, "own")
    _applicant(factory, "declined", 2003, PSYCHIATRY, "own")
    _applicant(factory, "active", 2003, PSYCHIATRY, "own")  # counted as a member instead
    other = _applicant(factory, "applied", 2003, "cancer", "own")

    [progress] = target_progress(session=db_session, targets=[target], today=TODAY)
    gaps = gaps_for([target], session=db_session, year=TODAY.year)

    assert (progress.joined, progress.in_pipeline, progress.wanted) == (2, 2, 5)
    assert progress.joined_share == pytest.approx(0.4)
    assert progress.pipeline_share == pytest.approx(0.4)
    assert progress.is_reached is False
    assert gaps_filled_by(waiting, gaps) == [target]
    assert gaps_filled_by(other, gaps) == []


def test_a_closed_target_counts_only_who_joined_while_it_was_open(factory, db_session):
    council = factory.user(Role.COUNCIL)
    target = _young_own_psychiatry(factory, council)
    own = ((PSYCHIATRY, "own"),)
    factory.member(birth_year=2000, experiences=own, created_at=_after(3))
    close_target(target.id, session=db_session, actor_id=council.id, now=_after(10))
    factory.member(birth_year=2000, experiences=own, created_at=_after(20))
    _applicant(factory, "applied", 2003, PSYCHIATRY, "own")

    [progress] = target_progress(session=db_session, targets=[target], today=TODAY)

    assert (progress.joined, progress.in_pipeline) == (1, 0)
    assert target.status == "closed"
    assert target.closed_by_id == council.id
    with pytest.raises(Conflict):
        close_target(target.id, session=db_session, actor_id=council.id)
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_type == "recruitment_target")
    ).all()
    assert actions == ["recruitment_target.created", "recruitment_target.closed"]


def test_a_target_without_criteria_counts_everyone_new(factory, db_session):
    council = factory.user(Role.COUNCIL)
    target = create_target(
        TargetInput(wanted_count=2, due_on=date(2026, 12, 31)),
        session=db_session,
        actor_id=council.id,
        now=SET_AT,
    )
    factory.member(created_at=_after(1))
    factory.member(created_at=_after(2), pool="peer")
    factory.member(created_at=_after(-1))

    [progress] = target_progress(session=db_session, targets=[target], today=TODAY)

    assert (progress.joined, progress.in_pipeline, progress.is_reached) == (2, 0, True)


def test_the_pool_of_a_target_counts_members_of_that_pool(factory, db_session):
    council = factory.user(Role.COUNCIL)
    data = TargetInput(wanted_count=3, due_on=date(2026, 12, 31), pool="peer", gender="man")
    target = create_target(data, session=db_session, actor_id=council.id, now=SET_AT)
    factory.member(created_at=_after(1), pool="peer", gender="man")
    factory.member(created_at=_after(1), pool="levande_bibliotek", gender="man")
    factory.member(created_at=_after(1), pool="peer", gender="woman")

    [progress] = target_progress(session=db_session, targets=[target], today=TODAY)

    assert progress.joined == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"wanted_count": 0}, "wanted_count"),
        ({"age_min": 40, "age_max": 30}, "age_max"),
        ({"age_min": -1}, "age_min"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_a_target_that_cannot_hold_is_refused(factory, db_session, fields, field):
    council = factory.user(Role.COUNCIL)
    data = TargetInput(**{"wanted_count": 5, "due_on": date(2026, 12, 31), **fields})

    with pytest.raises(InvalidInput) as error:
        create_target(data, session=db_session, actor_id=council.id)

    assert list(error.value.fields) == [field]
    assert db_session.exec(select(RecruitmentTarget)).all() == []


def test_update_keeps_the_start_and_note_gaps_marks_the_applicant(factory, db_session):
    council = factory.user(Role.COUNCIL)
    target = _young_own_psychiatry(factory, council)
    applicant = _applicant(factory, "applied", 2003, PSYCHIATRY, "own")
    changed = TargetInput(wanted_count=8, due_on=date(2027, 6, 30), age_max=35)

    update_target(target.id, changed, session=db_session, actor_id=council.id)
    filled = note_gaps(applicant, session=db_session, today=TODAY)

    assert (target.wanted_count, target.age_min, target.area_id) == (8, None, None)
    assert target.created_at == SET_AT
    assert filled == [target]
    assert applicant.fills_gap == str(target.id)


@pytest.fixture
def council_client(app, factory):
    client, _ = signed_in(app, factory, Role.COUNCIL)
    return client


def test_council_sets_changes_and_closes_a_target_on_the_pages(council_client, factory, db_session):
    area = factory.area(PSYCHIATRY)
    form = council_client.get("/council/insight/targets/new")
    data = {
        "csrf_token": csrf_token(form.get_data(as_text=True)),
        "wanted_count": "5",
        "age_min": "18",
        "age_max": "29",
        "experience_type": "own",
        "area": str(area.id),
        "due_on": "2027-06-30",
        "note": "Few young people with own experience",
    }

    created = council_client.post("/council/insight/targets/new", data=data)
    target = db_session.exec(select(RecruitmentTarget)).one()
    listing = council_client.get("/council/insight/targets/").get_data(as_text=True)
    edited = council_client.post(
        f"/council/insight/targets/{target.id}/edit", data={**data, "wanted_count": "6"}
    )
    closed = council_client.post(
        f"/council/insight/targets/{target.id}/close", data={"csrf_token": data["csrf_token"]}
    )

    db_session.refresh(target)
    assert created.status_code == edited.status_code == closed.status_code == 302
    assert "Aged 18–29, Own experience, Psychiatry" in listing
    assert "New members: 0 of 5; in the pipeline: 0." in listing
    assert f'<progress id="progress-{target.id}" max="5" value="0">' in listing
    assert (target.wanted_count, target.status) == (6, "closed")
    assert council_client.get(f"/council/insight/targets/{target.id}/edit").status_code == 409


def test_a_bad_target_form_answers_422_and_keeps_what_was_typed(council_client, db_session):
    form = council_client.get("/council/insight/targets/new")

    response = council_client.post(
        "/council/insight/targets/new",
        data={
            "csrf_token": csrf_token(form.get_data(as_text=True)),
            "wanted_count": "5",
            "age_min": "40",
            "age_max": "30",
            "due_on": "2027-06-30",
            "note": "kept",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The oldest age must not be below the youngest." in html
    assert "kept" in html
    assert db_session.exec(select(RecruitmentTarget)).all() == []


def test_the_yearly_report_shows_targets_with_small_counts_hidden(
    council_client, factory, db_session
):
    council = factory.user(Role.COUNCIL)
    year = clock.today().year
    target = create_target(
        TargetInput(wanted_count=5, due_on=date(year, 12, 31)),
        session=db_session,
        actor_id=council.id,
        now=datetime(year, 1, 2, tzinfo=UTC),
    )
    factory.member(created_at=datetime(year, 1, 3, tzinfo=UTC))
    assert target.id is not None

    html = council_client.get(f"/council/insight/year/{year}").get_data(as_text=True)
    listing = council_client.get("/council/insight/targets/").get_data(as_text=True)

    assert '<td class="num">fewer than 5</td>' in html
    assert "New members: 1 of 5; in the pipeline: 0." in listing


def test_the_new_target_page_starts_from_where_the_pool_is_thin(
    council_client, factory, db_session
):
    from app.services.pool.population import save_grid

    year = clock.today().year
    for age in (52, 55, 58, 60, 63, 66, 70, 72, 75, 78):
        factory.member(birth_year=year - age, gender="woman" if age % 2 else "man")
    people = {"18-34": 300, "35-49": 200, "50-64": 250, "65-79": 150, "80+": 100}
    grid = {(band, g): n // 2 for band, n in people.items() for g in ("woman", "man")}
    save_grid(
        session=db_session, people=grid, source="test", actor_id=factory.user(Role.COUNCIL).id
    )

    page = council_client.get("/council/insight/targets/new").get_data(as_text=True)
    started = council_client.get(
        "/council/insight/targets/new?age_min=18&age_max=34&gender=man&age_max=x"
    ).get_data(as_text=True)

    assert "18–34, men: 0% of the pool, 15% of the population." in page
    assert 'href="/council/insight/targets/new?age_min=18&amp;age_max=34&amp;gender=man"' in page
    assert page.count("Start a target from this group") == 4  # the four thinnest
    assert re.search(r'<input[^>]*name="age_min"[^>]*value="18"', started)
    assert re.search(r'<input[^>]*name="age_max"[^>]*value="34"', started)
    assert re.search(r'<option selected value="man">', started)


def test_suggestions_turn_thin_age_bands_into_age_ranges():
    from app.services.recruitment.targets import Suggestion, suggestions

    assert suggestions(["18-34:man", "80+:woman", "other", "35-49"]) == [
        Suggestion("18-34:man", 18, 34, "man"),
        Suggestion("80+:woman", 80, None, "woman"),
        Suggestion("35-49", 35, 49, None),
    ]


def test_setting_and_closing_a_target_marks_and_unmarks_the_applicants_it_fits(factory, db_session):
    council = factory.user(Role.COUNCIL)
    fits = _applicant(factory, "conversation_booked", 2003, PSYCHIATRY, "own")
    too_old = _applicant(factory, "applied", 1950, PSYCHIATRY, "own")
    declined = _applicant(factory, "declined", 2003, PSYCHIATRY, "own")

    target = _young_own_psychiatry(factory, council)
    marked = (fits.fills_gap, too_old.fills_gap, declined.fills_gap)
    close_target(target.id, session=db_session, actor_id=council.id, now=_after(5))

    assert marked == (str(target.id), "", "")
    assert fits.fills_gap == ""


def test_a_new_application_that_fits_an_open_target_is_marked_when_it_arrives(factory, db_session):
    council = factory.user(Role.COUNCIL)
    target = _young_own_psychiatry(factory, council)
    area = factory.area(PSYCHIATRY)

    def apply(birth_year: int) -> Applicant:
        data = ApplicationInput(
            "Ung",
            "Sökande",
            f"s{birth_year}@example.org",
            "",
            birth_year,
            None,
            "Eksjö",
            ((area.id, "own"),),
            (),
            "",
        )
        now = datetime(2026, 7, 1, 10, tzinfo=UTC)
        return submit_application(data, session=db_session, consent_text_version="2026-01", now=now)

    assert (apply(2003).fills_gap, apply(1950).fills_gap) == (str(target.id), "")
