"""Patient organisations: the register, nominations by secret link, mandates and the report."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlmodel import select

from app import clock, create_app
from app.jobs.definitions import execute_job
from app.models import Applicant, AuditEvent, Member, Organisation
from app.models.enums import ApplicantSource, NominationStatus, OrganisationKind, Role
from app.models.nomination import Nomination
from app.models.organisation import OrganisationArea
from app.services.nominations.nominate import NominationInput, create_nomination
from tests.clock_support import STOCKHOLM
from tests.conftest import PUBLIC_BASE_URL
from tests.pool_support import signed_in
from tests.scheduling_support import CTX, outbox

CONTACT = "kontakt@forbundet.example"
LINK = re.compile(re.escape(PUBLIC_BASE_URL) + r"/nominations/(\S+)")


def _organisation(factory, **fields) -> Organisation:
    organisation = factory.organisation("Psykiatriförbundet Test", kind="patient_organisation")
    organisation.contact_name, organisation.contact_email = "Kim Kontakt", CONTACT
    for name, value in fields.items():
        setattr(organisation, name, value)
    factory.session.add(organisation)
    factory.session.flush()
    return organisation


def _nominee(**overrides) -> dict:
    return {
        "first_name": "Alva",
        "last_name": "Nilsson",
        "email": "alva@example.org",
        "phone": "070-111 22 33",
        "birth_year": "1990",
        "municipality": "Jönköping",
        "experience_type": "own",
        "needs": "Hörslinga",
        "consent": "y",
    } | overrides


def _applicants(db_session) -> list[Applicant]:
    query = select(Applicant).order_by(Applicant.id).execution_options(populate_existing=True)
    return list(db_session.exec(query))


def test_a_nomination_through_the_secret_link_makes_applicants_with_the_mandate(
    csrf_free_app, factory, db_session
):
    area = factory.area("psychiatry", "Psykiatri")
    organisation = _organisation(factory)
    council, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)
    ends, answer_by = clock.today() + timedelta(days=365), clock.today() + timedelta(days=14)

    created = council.post(
        f"/council/organisations/{organisation.id}/nominations/new",
        data={
            "area_id": area.id,
            "seats": "2",
            "purpose": "Patientrådet för psykiatrin",
            "mandate_ends_on": ends.isoformat(),
            "answer_by": answer_by.isoformat(),
        },
    )

    nomination = db_session.exec(select(Nomination)).one()
    assert created.status_code == 302
    assert created.headers["Location"].endswith(f"/council/nominations/{nomination.id}")
    [mail] = outbox(db_session, kind="nomination_request")
    assert mail.recipient == CONTACT
    secret = LINK.search(mail.body).group(1)
    assert secret not in {nomination.token_hash} and len(nomination.token_hash) == 64
    contact = csrf_free_app.test_client()
    page = contact.get(f"/nominations/{secret}")
    assert page.status_code == 200
    assert "0 av 2 namngivna." in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"

    first = contact.post(f"/nominations/{secret}", data=_nominee())
    second = contact.post(
        f"/nominations/{secret}",
        data=_nominee(first_name="Bo", email="bo@example.org", experience_type="relative"),
    )
    third = contact.post(f"/nominations/{secret}", data=_nominee(first_name="Cecilia"))

    assert [first.status_code, second.status_code, third.status_code] == [302, 302, 409]
    assert "Alla företrädare ni ombads namnge" in third.get_data(as_text=True)
    applicants = _applicants(db_session)
    assert [
        (a.first_name, a.source, a.organisation_id, a.mandate_ends_on, a.experiences)
        for a in applicants
    ] == [
        (
            "Alva",
            ApplicantSource.NOMINATION,
            organisation.id,
            ends,
            [{"area_id": area.id, "type": "own"}],
        ),
        (
            "Bo",
            ApplicantSource.NOMINATION,
            organisation.id,
            ends,
            [{"area_id": area.id, "type": "relative"}],
        ),
    ]
    db_session.refresh(nomination)
    assert nomination.status == NominationStatus.FILLED
    assert [m.recipient for m in outbox(db_session, kind="nomination_answer")] == [
        CTX.council_mailbox,
        CTX.council_mailbox,
    ]
    answers = council.get(f"/council/nominations/{nomination.id}").get_data(as_text=True)
    assert "Alva Nilsson" in answers and "Bo Nilsson" in answers
    assert "Every seat named" in answers
    reads = db_session.exec(select(AuditEvent).where(AuditEvent.action == "nomination.read")).all()
    assert [(e.subject_type, e.subject_id) for e in reads] == [("organisation", organisation.id)]


def _nomination(factory, db_session, organisation, *, answer_by: date, seats: int = 1):
    area = factory.area("psychiatry", "Psykiatri")
    nomination, secret = create_nomination(
        session=db_session,
        organisation_id=organisation.id,
        data=NominationInput(
            area_id=area.id,
            seats=seats,
            mandate_ends_on=answer_by + timedelta(days=300),
            answer_by=answer_by,
        ),
        actor_id=None,
        ctx=CTX,
        now=clock.now(),
    )
    return nomination, secret


def test_the_link_stops_working_after_the_answer_by_date(csrf_free_app, factory, db_session):
    organisation = _organisation(factory)
    today = clock.today()
    _nomination_row, secret = _nomination(factory, db_session, organisation, answer_by=today)
    contact = csrf_free_app.test_client()
    the_day_after = datetime.combine(today + timedelta(days=1), time(0, 5), tzinfo=STOCKHOLM)

    on_the_day = contact.get(f"/nominations/{secret}")
    with time_machine.travel(the_day_after, tick=False):
        page = contact.get(f"/nominations/{secret}")
        posted = contact.post(f"/nominations/{secret}", data=_nominee())

    assert on_the_day.status_code == 200 and 'id="nominee-form"' in on_the_day.get_data(
        as_text=True
    )
    assert page.status_code == 200
    assert "Tiden att svara har gått ut" in page.get_data(as_text=True)
    assert 'id="nominee-form"' not in page.get_data(as_text=True)
    assert posted.status_code == 409
    assert _applicants(db_session) == []


def test_a_nominee_without_consent_is_refused_and_the_form_kept(csrf_free_app, factory, db_session):
    organisation = _organisation(factory)
    _row, secret = _nomination(factory, db_session, organisation, answer_by=clock.today())

    answer = csrf_free_app.test_client().post(f"/nominations/{secret}", data=_nominee(consent=""))

    assert answer.status_code == 422
    assert 'value="Alva"' in answer.get_data(as_text=True)
    assert _applicants(db_session) == []


def test_an_unknown_link_is_not_found(client):
    assert client.get("/nominations/no-such-secret").status_code == 404
    assert client.get("/organisations/report/no-such-secret").status_code == 404


def test_a_nomination_needs_a_contact_address(csrf_free_app, factory, db_session):
    area = factory.area("psychiatry")
    organisation = _organisation(factory, contact_email="")
    council, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)

    answer = council.post(
        f"/council/organisations/{organisation.id}/nominations/new",
        data={
            "area_id": area.id,
            "seats": "1",
            "mandate_ends_on": (clock.today() + timedelta(days=200)).isoformat(),
            "answer_by": (clock.today() + timedelta(days=10)).isoformat(),
        },
    )

    assert answer.status_code == 422
    assert "no contact e-mail address" in answer.get_data(as_text=True)
    assert db_session.exec(select(Nomination)).all() == []


def test_the_council_registers_and_edits_an_organisation(csrf_free_app, factory, db_session):
    areas = [factory.area("psychiatry"), factory.area("cancer")]
    council, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)
    form = {
        "name": "Cancerföreningen",
        "contact_name": "Eva",
        "contact_email": "Eva@Cancer.example",
        "member_count": "1200",
        "area_ids": [str(areas[1].id)],
    }

    created = council.post("/council/organisations/", data=form)
    bad = council.post("/council/organisations/", data=form | {"name": "X", "member_count": "-3"})

    organisation = db_session.exec(
        select(Organisation).where(Organisation.name == "Cancerföreningen")
    ).one()
    assert created.status_code == 302 and bad.status_code == 422
    assert (organisation.kind, organisation.member_count, organisation.contact_email) == (
        OrganisationKind.PATIENT_ORGANISATION,
        1200,
        "eva@cancer.example",
    )
    edited = council.post(
        f"/council/organisations/{organisation.id}",
        data=form | {"member_count": "", "area_ids": [str(a.id) for a in areas]},
    )
    served = db_session.exec(
        select(OrganisationArea.area_id).where(OrganisationArea.organisation_id == organisation.id)
    ).all()
    db_session.refresh(organisation)
    assert edited.status_code == 302
    assert (organisation.member_count, sorted(served)) == (None, sorted(a.id for a in areas))
    listing = council.get("/council/organisations/").get_data(as_text=True)
    assert "Cancerföreningen" in listing


# --- Mandates -------------------------------------------------------------------------------


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})


def _representative(factory, organisation, ends_on: date) -> Member:
    return factory.member(
        first_name="Rut",
        last_name="Företrädare",
        email="rut@example.org",
        mandate="organisation",
        mandate_organisation_id=organisation.id,
        mandate_ends_on=ends_on,
    )


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 15), tzinfo=STOCKHOLM)


def test_an_expired_mandate_is_reminded_once_by_the_scheduler(job_app, factory, db_session):
    organisation = _organisation(factory)
    ends = date(2027, 6, 30)
    member = _representative(factory, organisation, ends)

    with time_machine.travel(_at(ends + timedelta(days=1)), tick=False):
        first = execute_job(job_app, "remind_mandates")
        second = execute_job(job_app, "remind_mandates")

    rows = outbox(db_session, kind="mandate_expired")
    assert (first.outcome, first.queued, second.queued) == ("ok", 2, 0)
    assert [(row.recipient, row.status) for row in rows] == [
        ("radet@region.example", "sent"),
        (CONTACT, "sent"),
    ]
    assert "Rut Företrädare" in rows[1].body and "2027-06-30" in rows[1].body
    assert rows[0].key == f"mandate_expired:member={member.id}:ends=2027-06-30:to=council"


def test_a_mandate_is_reminded_sixty_days_before_its_end_and_again_when_ended(
    job_app, factory, db_session
):
    organisation = _organisation(factory)
    ends = date(2027, 6, 30)
    _representative(factory, organisation, ends)

    with time_machine.travel(_at(ends - timedelta(days=61)), tick=False):
        early = execute_job(job_app, "remind_mandates")
    with time_machine.travel(_at(ends - timedelta(days=60)), tick=False):
        due = execute_job(job_app, "remind_mandates")
    with time_machine.travel(_at(ends - timedelta(days=30)), tick=False):
        later = execute_job(job_app, "remind_mandates")
    with time_machine.travel(_at(ends), tick=False):
        ended = execute_job(job_app, "remind_mandates")

    assert [run.queued for run in (early, due, later, ended)] == [0, 2, 0, 2]
    assert [row.kind for row in outbox(db_session)] == [
        "mandate_ending",
        "mandate_ending",
        "mandate_expired",
        "mandate_expired",
    ]


def test_the_council_renews_and_ends_a_mandate(csrf_free_app, factory, db_session):
    organisation = _organisation(factory)
    member = _representative(factory, organisation, clock.today() + timedelta(days=10))
    council, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)
    base = f"/council/organisations/{organisation.id}/mandates/{member.id}"
    new_end = clock.today() + timedelta(days=400)

    past = council.post(f"{base}/renew", data={"ends_on": clock.today().isoformat()})
    db_session.refresh(member)
    unchanged = member.mandate_ends_on
    renewed = council.post(f"{base}/renew", data={"ends_on": new_end.isoformat()})
    db_session.refresh(member)
    renewed_to = member.mandate_ends_on
    ended = council.post(f"{base}/end")
    db_session.refresh(member)

    assert [past.status_code, renewed.status_code, ended.status_code] == [302, 302, 302]
    assert unchanged == clock.today() + timedelta(days=10)
    assert renewed_to == new_end
    assert (member.mandate, member.mandate_organisation_id, member.mandate_ends_on) == (
        "self",
        None,
        None,
    )
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_type == "member").order_by(AuditEvent.id)
    ).all()
    assert actions[-2:] == ["mandate.renewed", "mandate.ended"]
    assert council.post(f"{base}/end").status_code == 404


# --- The report -----------------------------------------------------------------------------


def test_the_organisation_reads_its_report_through_a_secret_link(
    csrf_free_app, factory, db_session
):
    organisation = _organisation(factory)
    member = _representative(factory, organisation, date(2030, 1, 1))
    other = factory.member(first_name="Ingen", last_name="Mandat")
    orderer = factory.user(Role.ORDERER)
    year = clock.today().year
    request = factory.booking_request(orderer, title="Hemlig rubrik om diagnos", status="booked")
    factory.request_session(request, datetime(year, 3, 3, 9, tzinfo=UTC), hours=1.5)
    factory.assignment(member, request)
    factory.assignment(other, request)
    council, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)

    sent = council.post(f"/council/organisations/{organisation.id}/report-link")
    [mail] = outbox(db_session, kind="organisation_report_link")
    secret = re.search(r"/organisations/report/(\S+)", mail.body).group(1)
    page = csrf_free_app.test_client().get(f"/organisations/report/{secret}")
    text = page.get_data(as_text=True)

    assert sent.status_code == 302 and mail.recipient == CONTACT
    assert page.status_code == 200
    assert "Rut Företrädare" in text and "Ingen Mandat" not in text
    assert "Hemlig rubrik" not in text and "Undervisning" in text
    assert "2 uppdrag" not in text and f"{year}-03-03" in text
    with time_machine.travel(clock.now() + timedelta(days=91)):
        expired = csrf_free_app.test_client().get(f"/organisations/report/{secret}")
    assert expired.status_code == 404


def test_the_council_withdraws_a_nomination_and_its_link_closes(csrf_free_app, factory, db_session):
    organisation = _organisation(factory)
    nomination, secret = _nomination(factory, db_session, organisation, answer_by=clock.today())
    council, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)

    withdrawn = council.post(f"/council/nominations/{nomination.id}/withdraw")
    again = council.post(f"/council/nominations/{nomination.id}/withdraw")
    page = csrf_free_app.test_client().get(f"/nominations/{secret}")
    posted = csrf_free_app.test_client().post(f"/nominations/{secret}", data=_nominee())

    db_session.refresh(nomination)
    assert (withdrawn.status_code, again.status_code) == (302, 302)
    assert nomination.status == NominationStatus.WITHDRAWN
    assert "Samordningen har dragit tillbaka den här begäran" in page.get_data(as_text=True)
    assert posted.status_code == 409
    assert _applicants(db_session) == []


def test_the_council_report_counts_the_year_asked_for(csrf_free_app, factory, db_session):
    organisation = _organisation(factory)
    member = _representative(factory, organisation, date(2030, 1, 1))
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, status="booked", assignment_type="lecture")
    factory.request_session(request, datetime(2025, 5, 6, 8, tzinfo=UTC), hours=3)
    factory.assignment(member, request, status="completed")
    council, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)
    url = f"/council/organisations/{organisation.id}/report"

    year_2025 = council.get(f"{url}?year=2025").get_data(as_text=True)
    bad_year = council.get(f"{url}?year=1850")

    assert "2025-05-06" in year_2025 and "Lecture" in year_2025
    assert bad_year.status_code == 302
    reads = db_session.exec(
        select(AuditEvent.detail).where(AuditEvent.action == "organisation.report.read")
    ).all()
    assert reads == [{"year": 2025}]
