"""Issue 19, mails people expect: the booking confirmation, the contact person, the weekly digest."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.models import RequestEvent, RequestSession
from app.models.enums import Role
from app.services.booking.decisions import ask_orderer, decline_request
from app.services.booking.invitations import accept_invitation
from app.services.journey.digest import send_orderer_digest
from app.services.journey.orderer_mail import orderer_recipient
from tests.booking_support import approve, booking_setting, queued
from tests.conftest import login
from tests.icaljs import parse_with_icaljs
from tests.scheduling_support import CTX, outbox

#: A Monday, 07:00 in Stockholm (06:00 UTC in winter): when the digest job runs.
MONDAY = datetime(2027, 3, 8, 6, 0, tzinfo=UTC)


@pytest.fixture
def setting(factory, db_session):
    return booking_setting(factory, db_session)


def _meetings(db_session, request) -> list[RequestSession]:
    query = select(RequestSession).where(RequestSession.request_id == request.id)
    return list(db_session.exec(query.order_by(RequestSession.starts_at)))


def _add_meetings(factory, db_session, request, weeks=(1, 2)) -> list[RequestSession]:
    """Add meetings the same weekday and time 1 and 2 weeks later; the last has SEQUENCE 2."""
    first = _meetings(db_session, request)[0]
    for week in weeks:
        factory.request_session(request, first.starts_at + timedelta(weeks=week), hours=2)
    items = _meetings(db_session, request)
    items[-1].sequence = 2
    db_session.add(items[-1])
    db_session.flush()
    return items


def _mails_to(db_session, address: str) -> list[dict]:
    return [mail for mail in queued(db_session) if mail["to"] == address]


# --- The confirmation after accepting -------------------------------------------------------


def test_accepting_sends_one_confirmation_with_every_meeting_in_its_calendar(
    setting, factory, db_session
):
    request, _, members, _, council = setting
    items = _add_meetings(factory, db_session, request)
    first, _ = approve(db_session, request, members, council, CTX)
    before = len(_mails_to(db_session, "person0@example.org"))  # the invitation

    accept_invitation(session=db_session, token=first.token, ctx=CTX)

    mails = _mails_to(db_session, "person0@example.org")[before:]
    assert [mail["subject"] for mail in mails] == ["Thank you, you are booked: Test request"]
    mail = mails[0]
    read = parse_with_icaljs(mail["calendar"])
    assert (mail["calendar_method"], read["method"]) == ("REQUEST", "REQUEST")
    assert [(e["uid"], e["sequence"]) for e in read["events"]] == [
        (item.ical_uid, item.sequence) for item in items
    ]
    assert [e["sequence"] for e in read["events"]] == [0, 0, 2]
    body = mail["body"]
    assert body.startswith("Hello Test,\n\nThank you, you are booked for “Test request”.")
    assert "Contact person: Kim Kontakt, kim@region.example" in body
    assert "Video link: https://meet.example/abc" in body
    assert "The fee offered:" in body
    assert body.count("\n- ") == 3  # one line per meeting under "When:"


def test_a_stand_in_confirmation_holds_her_one_meeting(setting, factory, db_session):
    request, _, members, _, council = setting
    items = _add_meetings(factory, db_session, request)
    first, _ = approve(db_session, request, members, council, CTX)
    first.stand_in_session_id = items[1].id
    db_session.add(first)
    db_session.flush()

    accept_invitation(session=db_session, token=first.token, ctx=CTX)

    mail = _mails_to(db_session, "person0@example.org")[-1]
    read = parse_with_icaljs(mail["calendar"])
    assert [(e["uid"], e["sequence"]) for e in read["events"]] == [(items[1].ical_uid, 0)]


def test_the_confirmation_names_the_council_coordinator(setting, factory, db_session):
    request, _, members, _, council = setting
    coordinator = factory.user(Role.COUNCIL)
    coordinator.full_name = "Cora Samordnare"
    request.coordinator_id = coordinator.id
    db_session.add_all([coordinator, request])
    first, _ = approve(db_session, request, members, council, CTX)

    accept_invitation(session=db_session, token=first.token, ctx=CTX)

    body = _mails_to(db_session, "person0@example.org")[-1]["body"]
    assert "Your contact person at the council: Cora Samordnare, radet@region.example" in body


# --- Mail to the named contact person -------------------------------------------------------


def test_question_decline_and_booked_mails_go_to_the_contact_person(setting, factory, db_session):
    request, _, members, orderer, council = setting
    other = factory.booking_request(
        orderer, contact_name="Lo Kontakt", contact_email="lo@region.example"
    )
    ask_orderer(session=db_session, booking_request=other, message="Which ward?", actor=council)
    decline_request(session=db_session, booking_request=other, reason="No", actor=council)
    for invitation in approve(db_session, request, members, council, CTX):
        accept_invitation(session=db_session, token=invitation.token, ctx=CTX)

    to_orderer = [
        (mail["to"], mail["subject"])
        for mail in queued(db_session)
        if not mail["to"].startswith("person")
    ]
    assert to_orderer == [
        ("lo@region.example", "News about your request: Test request"),
        ("lo@region.example", "News about your request: Test request"),
        ("kim@region.example", "Booked: Test request"),
    ]
    assert orderer.email not in {mail["to"] for mail in queued(db_session)}
    assert queued(db_session)[0]["body"] == "Hello Lo Kontakt,\n\nWhich ward?"


def test_without_a_contact_person_the_account_gets_the_mail_unless_disabled(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer)

    assert orderer_recipient(session=db_session, booking_request=request) == (
        orderer.email,
        orderer.full_name,
    )
    orderer.is_enabled = False
    db_session.add(orderer)
    assert orderer_recipient(session=db_session, booking_request=request) == ("", "")


# --- The orderer's request page -------------------------------------------------------------


def test_the_orderers_page_shows_age_language_preparation_and_cost(
    factory, db_session, csrf_free_app
):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(
        orderer, age_min=18, age_max=30, language="en", preparation_minutes=90, people_count=2
    )
    client = csrf_free_app.test_client()
    login(client, orderer.email)

    page = client.get(f"/orders/{request.id}").get_data(as_text=True)

    assert '<dd id="request-age">18–30 år</dd>' in page
    assert '<dd id="request-language">engelska</dd>' in page
    assert '<dd id="request-preparation">1,5 timmar per person</dd>' in page
    cost = page.split('<dd id="request-cost">')[1].split("</dd>")[0]
    assert cost.startswith("Arvoden: ") and "med arbetsgivaravgifter: " in cost
    assert "Resor ersätts utöver detta." in cost


def test_an_age_bound_alone_is_written_in_words(factory, db_session, csrf_free_app):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, age_min=65)
    client = csrf_free_app.test_client()
    login(client, orderer.email)

    page = client.get(f"/orders/{request.id}").get_data(as_text=True)

    assert '<dd id="request-age">65 år eller äldre</dd>' in page
    assert '<dd id="request-language">svenska</dd>' in page


# --- The weekly digest ----------------------------------------------------------------------


def _event(db_session, request, action, at, **detail):
    db_session.add(RequestEvent(request_id=request.id, action=action, at=at, detail=detail))
    db_session.flush()


def _digest_world(factory, db_session):
    """Two orderers; one has two requests (one with a contact person) that changed this week."""
    orderer = factory.user(Role.ORDERER)
    quiet = factory.user(Role.ORDERER)
    first = factory.booking_request(orderer, title="Arbetsgrupp psykiatri")
    second = factory.booking_request(
        orderer, title="Utbildning", contact_name="Kim Kontakt", contact_email="kim@region.example"
    )
    third = factory.booking_request(quiet, title="Gammal")
    member = factory.member(
        first_name="Anna", last_name="Hemligsson", experiences=(("cancer", "own"),)
    )
    _event(db_session, first, "booked", MONDAY - timedelta(days=2), count=2)
    _event(db_session, first, "time_changed", MONDAY - timedelta(days=1), member_id=member.id)
    _event(db_session, first, "debrief_asked", MONDAY - timedelta(days=1), member_id=member.id)
    _event(
        db_session, second, "invitation_accepted", MONDAY - timedelta(days=3), member_id=member.id
    )
    _event(db_session, third, "submitted", MONDAY - timedelta(days=9))  # before the week
    return orderer, quiet, first, second


def test_a_week_with_changes_gives_one_mail_per_orderer_contact(factory, db_session):
    orderer, quiet, first, second = _digest_world(factory, db_session)

    tally = send_orderer_digest(session=db_session, now=MONDAY, ctx=CTX)

    digests = outbox(db_session, kind="orderer_digest")
    assert sorted(row.recipient for row in digests) == sorted([orderer.email, "kim@region.example"])
    assert tally.queued == 2
    mine = next(row for row in digests if row.recipient == orderer.email)
    assert mine.subject == "This week's changes to your requests"
    assert mine.body.split("\n\n")[-2:] == [
        "\n".join(
            [
                f"“Arbetsgrupp psykiatri” (request no. {first.id})",
                "- 2027-03-06 07:00: Everyone has accepted: booked",
                "- 2027-03-07 07:00: Time changed, update sent",
                f"See the request: https://levbib.example/orders/{first.id}",
            ]
        ),
        "Questions go to the council: radet@region.example",
    ]
    contact = next(row for row in digests if row.recipient == "kim@region.example")
    assert contact.body.startswith("Hello Kim Kontakt,\n\n")
    assert "- 2027-03-05 07:00: Invitation accepted" in contact.body
    for row in digests:  # never a member's name, area or the council's internal steps
        for secret in ("Hemligsson", "Anna", "Cancer", "cancer", "Debrief", "Gammal"):
            assert secret not in row.body


def test_the_digest_is_in_swedish_through_the_job_and_sent_once_a_week(
    factory, db_session, app_config, tmp_path
):
    orderer, *_ = _digest_world(factory, db_session)
    job_app = create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})

    run = execute_job(job_app, "send_orderer_digest", now=MONDAY, holder="test")
    again = execute_job(job_app, "send_orderer_digest", now=MONDAY + timedelta(minutes=5))
    later = execute_job(job_app, "send_orderer_digest", now=MONDAY + timedelta(days=3))

    assert (run.outcome, run.queued, run.sent) == ("ok", 2, 2)
    assert (again.queued, later.queued) == (0, 0)
    rows = outbox(db_session, kind="orderer_digest")
    assert len(rows) == 2 and {row.status for row in rows} == {"sent"}
    mine = next(row for row in rows if row.recipient == orderer.email)
    assert mine.subject == "Veckans ändringar i era förfrågningar"
    assert "- 2027-03-06 07:00: Alla har tackat ja: bokad" in mine.body
    assert "Det här har hänt med era förfrågningar den senaste veckan." in mine.body
    assert "Hemligsson" not in mine.body


def test_a_week_without_changes_sends_nothing(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer)
    _event(db_session, request, "submitted", MONDAY - timedelta(days=8))
    _event(db_session, request, "reserve_invited", MONDAY - timedelta(days=1))  # internal step

    tally = send_orderer_digest(session=db_session, now=MONDAY, ctx=CTX)

    assert (tally.queued, outbox(db_session, kind="orderer_digest")) == (0, [])


def test_next_week_brings_a_new_digest(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer)
    _event(db_session, request, "approved", MONDAY - timedelta(days=1))
    send_orderer_digest(session=db_session, now=MONDAY, ctx=CTX)
    _event(db_session, request, "booked", MONDAY + timedelta(days=5))

    send_orderer_digest(session=db_session, now=MONDAY + timedelta(weeks=1), ctx=CTX)

    bodies = [row.body for row in outbox(db_session, kind="orderer_digest")]
    assert len(bodies) == 2
    assert "Group approved" in bodies[0] and "Group approved" not in bodies[1]
    assert "Everyone has accepted: booked" in bodies[1]


def test_the_job_is_weekly_on_monday_morning():
    from app.jobs.definitions import job_definition

    assert job_definition("send_orderer_digest").schedule == ("weekly", "mon 07:00")
