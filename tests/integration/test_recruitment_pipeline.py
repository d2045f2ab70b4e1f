"""The council's recruitment pipeline: every transition, refusals, activation into a member."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import Applicant, AuditEvent, Experience, Member, OutboxMessage, User
from app.models.enums import ApplicantStatus, Mandate, Role
from tests.clock_support import local_today
from tests.pool_support import signed_in
from tests.recruitment_support import applicant_in_pipeline

STEPS = ["conversation_booked", "introduction", "agreement_signed", "active"]


@pytest.fixture
def council(csrf_free_app, factory):
    return signed_in(csrf_free_app, factory, Role.COUNCIL)


def _move(client, applicant_id: int, status: str, reason: str = "", **extra):
    data = {"status": status, "reason": reason, **extra}
    return client.post(f"/council/recruitment/{applicant_id}/move", data=data)


def _mail_to(db_session, address: str) -> list[tuple[str, str]]:
    rows = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)
    )
    return [(row.subject, row.body) for row in rows]


def _actions(db_session, applicant_id: int) -> list[str]:
    query = select(AuditEvent.action).where(
        AuditEvent.subject_type == "applicant", AuditEvent.subject_id == applicant_id
    )
    return list(db_session.exec(query.order_by(AuditEvent.id)))


def test_the_council_moves_an_applicant_step_by_step_to_an_active_member(
    council, db_session, factory
):
    client, user = council
    applicant = applicant_in_pipeline(factory, need_codes=("interpreter",))

    statuses = [
        _move(client, applicant.id, step, "Tisdag 10.00 i Jönköping").status_code for step in STEPS
    ]

    db_session.refresh(applicant)
    assert statuses == [302, 302, 302, 302]
    assert (applicant.status, applicant.status_changed_by_id) == ("active", user.id)
    assert applicant.introduced_on == local_today()
    assert _actions(db_session, applicant.id) == [
        "applicant.submitted",
        "applicant.status.conversation_booked",
        "applicant.status.introduction",
        "applicant.status.agreement_signed",
        "applicant.status.active",
    ]
    member = db_session.get(Member, applicant.member_id)
    assert (member.first_name, member.birth_year, member.gender, member.municipality) == (
        "Sara",
        2001,
        "woman",
        "Jönköping",
    )
    assert (member.training_completed_on, member.has_signed_agreement) == (local_today(), True)
    assert (member.mandate, member.assignment_types, member.has_valid_consent) == (
        Mandate.SELF,
        ["education"],
        True,
    )
    experiences = db_session.exec(select(Experience).where(Experience.member_id == member.id))
    assert [(e.area_id, e.type) for e in experiences] == [
        (applicant.experiences[0]["area_id"], "own")
    ]
    account = db_session.get(User, member.user_id)
    assert (account.email, account.role) == ("sara.lind@example.org", Role.MEMBER)
    subjects = [subject for subject, _body in _mail_to(db_session, "sara.lind@example.org")]
    assert (
        subjects
        == [
            "Levande bibliotek: ett samtal med oss",
            "Välkommen till Levande bibliotek – välj ditt lösenord",
        ]
        or subjects[0] == "Levande bibliotek: ett samtal med oss"
    )
    assert len(subjects) == 2
    assert "Tisdag 10.00 i Jönköping" in _mail_to(db_session, "sara.lind@example.org")[0][1]


def test_a_nominee_becomes_a_member_with_the_organisations_mandate(council, db_session, factory):
    client, _user = council
    organisation = factory.organisation("Reumatikerförbundet", kind="patient_organisation")
    applicant = applicant_in_pipeline(
        factory,
        birth_year=None,
        gender=None,
        source_fields={
            "source": "nomination",
            "organisation_id": organisation.id,
            "mandate_ends_on": date(2028, 6, 30),
        },
    )
    applicant.status = ApplicantStatus.AGREEMENT_SIGNED
    db_session.flush()

    without_year = _move(client, applicant.id, "active")
    with_year = _move(client, applicant.id, "active", birth_year="1980")

    assert (without_year.status_code, with_year.status_code) == (422, 302)
    db_session.refresh(applicant)
    member = db_session.get(Member, applicant.member_id)
    assert (member.mandate, member.mandate_organisation_id, member.mandate_ends_on) == (
        Mandate.ORGANISATION,
        organisation.id,
        date(2028, 6, 30),
    )
    assert (member.birth_year, member.gender) == (1980, "unknown")


@pytest.mark.parametrize("status", ["not_now", "declined"])
def test_not_now_and_declined_need_a_reason_and_tell_the_person(
    council, db_session, factory, status
):
    client, _user = council
    applicant = applicant_in_pipeline(factory)

    missing = _move(client, applicant.id, status)
    given = _move(client, applicant.id, status, "Vi har många med den erfarenheten just nu.")

    assert missing.status_code == 422
    assert "Write the reason; the person is told it." in missing.get_data(as_text=True)
    assert given.status_code == 302
    db_session.refresh(applicant)
    assert (applicant.status, applicant.status_reason) == (
        status,
        "Vi har många med den erfarenheten just nu.",
    )
    [(subject, body)] = _mail_to(db_session, "sara.lind@example.org")
    assert subject == "Levande bibliotek: din ansökan"
    assert "Vi har många med den erfarenheten just nu." in body
    promised = {"not_now": "inom ett år", "declined": "raderas efter 90 dagar"}[status]
    assert promised in body


def test_a_step_out_of_order_is_refused_and_nothing_changes(council, db_session, factory):
    client, _user = council
    applicant = applicant_in_pipeline(factory)

    skipped = _move(client, applicant.id, "active")
    unknown = _move(client, applicant.id, "hired")

    db_session.refresh(applicant)
    assert (skipped.status_code, unknown.status_code) == (422, 422)
    assert (applicant.status, applicant.member_id) == ("applied", None)
    assert db_session.exec(select(Member)).all() == []


def test_moving_back_from_not_now_books_a_conversation(council, db_session, factory):
    client, _user = council
    applicant = applicant_in_pipeline(factory)
    _move(client, applicant.id, "not_now", "Full grupp i höst.")

    answer = _move(client, applicant.id, "conversation_booked", "Nu har vi plats.")

    db_session.refresh(applicant)
    assert (answer.status_code, applicant.status) == (302, "conversation_booked")


def test_the_applicant_page_shows_the_data_and_logs_the_read(council, db_session, factory):
    client, user = council
    applicant = applicant_in_pipeline(factory, need_codes=("hearing_loop",), needs="Pauser.")

    page = client.get(f"/council/recruitment/{applicant.id}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Psykiatri (Own experience)" in html
    assert "Hearing loop" in html and "Pauser." in html
    reads = db_session.exec(
        select(AuditEvent.actor_id).where(AuditEvent.action == "applicant.health_data.read")
    ).all()
    assert reads == [user.id]


def test_the_pipeline_lists_applicants_by_step(council, db_session, factory):
    client, _user = council
    first = applicant_in_pipeline(factory)
    second = applicant_in_pipeline(factory, first_name="Omar", email="omar@example.org")
    _move(client, second.id, "conversation_booked", "Måndag")

    html = client.get("/council/recruitment/").get_data(as_text=True)

    applied = html.index('id="step-1"')
    booked = html.index('id="step-2"')
    assert applied < html.index(f"/council/recruitment/{first.id}") < booked
    assert booked < html.index(f"/council/recruitment/{second.id}") < html.index('id="step-3"')
    assert db_session.get(Applicant, first.id).status == "applied"


def test_the_pipeline_shows_progress_against_open_targets_and_the_gap_badge(
    council, db_session, factory
):
    from datetime import timedelta

    from app import clock
    from app.services.recruitment.targets import TargetInput, close_target, create_target

    client, user = council
    now, year = clock.now(), local_today().year
    due = local_today() + timedelta(days=100)
    data = TargetInput(wanted_count=5, due_on=due, age_min=18, age_max=29, experience_type="own")
    target = create_target(data, session=db_session, actor_id=user.id, now=now - timedelta(30))
    closed = create_target(
        TargetInput(wanted_count=7, due_on=due), session=db_session, actor_id=user.id
    )
    close_target(closed.id, session=db_session, actor_id=user.id)
    own = (("psykiatri", "own"),)
    for age in (20, 25, 27, 45):  # three of them match; the last is too old
        factory.member(birth_year=year - age, experiences=own, created_at=now - timedelta(3))
    fits = applicant_in_pipeline(factory, birth_year=year - 22)
    older = applicant_in_pipeline(factory, birth_year=year - 50, email="b@example.org")

    with client.session_transaction() as state:
        state["lang"] = "sv"
    html = client.get("/council/recruitment/").get_data(as_text=True)

    section = html[html.index('id="target-progress"') : html.index('id="pipeline-counts"')]
    assert f'id="pipeline-target-{target.id}"' in section
    assert f"pipeline-target-{closed.id}" not in section
    assert "3 av 5" in section
    assert f'<progress id="pipeline-progress-{target.id}" max="5" value="3">' in section
    assert "sökande på väg in: 1." in section and "Senast " in section
    assert "/council/insight/targets/" in section
    row = html[html.index(f"/council/recruitment/{fits.id}") :]
    assert row[: row.index("</tr>")].count("Fyller en lucka") == 1
    row = html[html.index(f"/council/recruitment/{older.id}") :]
    assert "Fyller en lucka" not in row[: row.index("</tr>")]
