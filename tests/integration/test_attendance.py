"""Attendance per session and person: who may mark it, when, and what a no-show means for pay
and load (docs/domain.md §6.2 "Attendance"); the receipt threshold an administrator sets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import func, select

from app import clock
from app.models import (
    AuditEvent,
    BookingRequest,
    ClaimLine,
    CompensationClaim,
    Organisation,
    RequestSession,
    SessionAttendance,
    User,
)
from app.models.enums import Role
from app.services.booking.attendance import Mark, record_attendance
from app.services.booking.work_units import work_units
from app.services.compensation.claim_flow import attest_claim, save_claim
from app.services.compensation.claims import ClaimInput, claim_lines, open_claim
from app.services.compensation.settings import receipt_threshold, set_receipt_threshold
from app.services.errors import Conflict, Forbidden, InvalidInput
from tests.api_support import api_as
from tests.compensation_support import MAY, STOCKHOLM, attach_receipt, booked_assignment
from tests.conftest import login


def _session_of(db_session, assignment) -> RequestSession:
    query = select(RequestSession).where(RequestSession.request_id == assignment.request_id)
    return db_session.exec(query.order_by(RequestSession.starts_at)).first()


def _marks(db_session, member) -> list[tuple[int, str]]:
    rows = db_session.exec(
        select(SessionAttendance).where(SessionAttendance.member_id == member.id)
    ).all()
    return sorted((row.request_session_id, row.status) for row in rows)


def _signed_in(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def _attendance_url(prefix, assignment, item):
    return f"{prefix}/{assignment.request_id}/sessions/{item.id}/attendance"


# --- who may mark ------------------------------------------------------------------------


def test_the_orderer_contact_marks_on_the_request_page(factory, csrf_free_app, db_session):
    assignment, member, orderer = booked_assignment(factory)
    item = _session_of(db_session, assignment)
    client = _signed_in(csrf_free_app, orderer.email)

    page = client.get(f"/orders/{assignment.request_id}").get_data(as_text=True)
    answer = client.post(
        _attendance_url("/orders", assignment, item), data={"mark": f"{member.id}:attended"}
    )
    after = client.get(f"/orders/{assignment.request_id}").get_data(as_text=True)

    audited = db_session.exec(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "attendance.recorded", AuditEvent.actor_id == orderer.id
        )
    ).one()
    assert 'id="attendance-h"' in page and f'value="{member.id}:no_show"' in page
    assert answer.status_code == 302
    assert _marks(db_session, member) == [(item.id, "attended")]
    assert audited == 1
    assert f'data-member="{member.id}">Deltog</td>' in after


def test_the_council_marks_on_its_request_page(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory)
    item = _session_of(db_session, assignment)
    council = factory.user(Role.COUNCIL)
    client = _signed_in(csrf_free_app, council.email)

    page = client.get(f"/council/requests/{assignment.request_id}").get_data(as_text=True)
    answer = client.post(
        _attendance_url("/council/requests", assignment, item), data={"mark": "all:attended"}
    )

    assert f'value="{member.id}:cancelled_late"' in page
    assert answer.status_code == 302
    assert _marks(db_session, member) == [(item.id, "attended")]


def test_another_orderer_or_a_member_cannot_mark(factory, csrf_free_app, db_session):
    assignment, member, orderer = booked_assignment(factory)
    item = _session_of(db_session, assignment)
    colleague = _colleague(factory, orderer)
    stranger = factory.user(Role.ORDERER)
    member_user = factory.session.get(User, member.user_id)
    body = {"mark": f"{member.id}:no_show"}

    statuses = [
        _signed_in(csrf_free_app, user.email)
        .post(_attendance_url("/orders", assignment, item), data=body)
        .status_code
        for user in (colleague, stranger, member_user)
    ]
    member_on_council_route = (
        _signed_in(csrf_free_app, member_user.email)
        .post(_attendance_url("/council/requests", assignment, item), data=body)
        .status_code
    )
    colleague_page = (
        _signed_in(csrf_free_app, colleague.email)
        .get(f"/orders/{assignment.request_id}")
        .get_data(as_text=True)
    )
    with pytest.raises(Forbidden):
        record_attendance(
            session=db_session,
            booking_request=_request(db_session, assignment),
            session_id=item.id,
            marks=[Mark(member.id, "no_show")],
            actor=colleague,
            now=clock.now(),
        )

    assert statuses == [403, 404, 403]
    assert member_on_council_route == 403
    assert 'id="attendance-h"' in colleague_page and 'name="mark"' not in colleague_page
    assert _marks(db_session, member) == []


def _colleague(factory, orderer) -> User:
    """Return another orderer of the same organisation (not the request's contact)."""
    organisation = factory.session.get(Organisation, orderer.organisation_id)
    return factory.user(Role.ORDERER, organisation=organisation)


def _request(db_session, assignment):
    return db_session.get(BookingRequest, assignment.request_id)


def test_marking_through_the_api(factory, app, db_session):
    assignment, member, orderer = booked_assignment(factory)
    item = _session_of(db_session, assignment)
    path = f"/api/v1/requests/{assignment.request_id}/sessions/{item.id}/attendance"
    colleague = _colleague(factory, orderer)

    own = api_as(app, factory, orderer).put(
        path, json={"marks": [{"member_id": member.id, "status": "no_show"}]}
    )
    other = api_as(app, factory, colleague).put(
        path, json={"marks": [{"member_id": member.id, "status": "attended"}]}
    )
    bad = api_as(app, factory, orderer).put(
        path, json={"marks": [{"member_id": member.id, "status": "late"}]}
    )
    stranger = api_as(app, factory, factory.user(Role.ORDERER)).put(
        path, json={"marks": [{"member_id": member.id, "status": "attended"}]}
    )
    nobody = api_as(app, factory, orderer).put(
        path, json={"marks": [{"member_id": member.id + 1000, "status": "attended"}]}
    )

    assert own.status_code == 200
    assert own.get_json()["marks"][0]["status"] == "no_show"
    assert (other.status_code, bad.status_code, stranger.status_code) == (403, 422, 404)
    assert nobody.status_code == 422
    assert _marks(db_session, member) == [(item.id, "no_show")]


# --- only sessions that have started -------------------------------------------------------


def test_only_started_sessions_can_be_marked(factory, csrf_free_app, app, db_session):
    assignment, member, orderer = booked_assignment(factory, start=clock.now() + timedelta(days=10))
    item = _session_of(db_session, assignment)
    client = _signed_in(csrf_free_app, orderer.email)

    web = client.post(
        _attendance_url("/orders", assignment, item), data={"mark": f"{member.id}:attended"}
    )
    api = api_as(app, factory, orderer).put(
        f"/api/v1/requests/{assignment.request_id}/sessions/{item.id}/attendance",
        json={"marks": [{"member_id": member.id, "status": "attended"}]},
    )
    page = client.get(f"/orders/{assignment.request_id}").get_data(as_text=True)

    assert (web.status_code, api.status_code) == (409, 409)
    assert "Närvaro kan registreras först när tillfället har börjat." in web.get_data(as_text=True)
    assert "Kan markeras när tillfället har börjat." in page
    assert _marks(db_session, member) == []


# --- a no-show is not paid and not work ----------------------------------------------------


def test_a_no_show_is_not_paid_and_not_counted_as_work(factory, csrf_free_app, db_session):
    assignment, member, orderer = booked_assignment(factory, status="completed")
    item = _session_of(db_session, assignment)
    other, _, _ = booked_assignment(factory, member=member, start=MAY + timedelta(days=7))
    council = factory.user(Role.COUNCIL)
    before = sorted(unit.assignment_id for unit in work_units(session=db_session))

    record_attendance(
        session=db_session,
        booking_request=_request(db_session, assignment),
        session_id=item.id,
        marks=[Mark(member.id, "no_show")],
        actor=council,
        now=clock.now(),
    )
    after = sorted(unit.assignment_id for unit in work_units(session=db_session))
    with pytest.raises(Conflict):
        open_claim(session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM)
    client = _signed_in(csrf_free_app, factory.session.get(User, member.user_id).email)
    page = client.get(f"/compensation/assignments/{assignment.id}/claim")
    posted = client.post(f"/compensation/assignments/{assignment.id}/claim", data={})
    claims = db_session.exec(select(func.count(CompensationClaim.id))).one()

    db_session.refresh(assignment)
    assert before == sorted([assignment.id, other.id])
    assert after == [other.id]
    assert assignment.status == "no_show"
    assert posted.status_code in (403, 404, 409)
    assert 'id="start-claim"' not in page.get_data(as_text=True)
    assert claims == 0


def test_a_no_show_on_one_session_drops_only_that_line(factory, db_session):
    assignment, member, _ = booked_assignment(factory, hours=3)
    first = _session_of(db_session, assignment)
    second = factory.request_session(
        _request(db_session, assignment), MAY + timedelta(days=7), hours=3
    )
    council = factory.user(Role.COUNCIL)
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )

    record_attendance(
        session=db_session,
        booking_request=_request(db_session, assignment),
        session_id=first.id,
        marks=[Mark(member.id, "no_show")],
        actor=council,
        now=clock.now(),
    )
    save_claim(session=db_session, member=member, claim_id=claim.id, data=ClaimInput(), submit=True)
    attest_claim(session=db_session, claim_id=claim.id, actor=council)
    [unit] = [u for u in work_units(session=db_session) if u.assignment_id == assignment.id]

    lines = claim_lines(session=db_session, claim_id=claim.id)
    assert [line.request_session_id for line in lines] == [second.id]
    assert claim.fee_sek == lines[0].fee_sek == 1066  # one half day of 2026, not two
    assert unit.sessions == ((second.starts_at, second.ends_at),)


def test_a_corrected_no_show_is_work_again(factory, db_session):
    assignment, member, _ = booked_assignment(factory, status="completed")
    item = _session_of(db_session, assignment)
    council = factory.user(Role.COUNCIL)
    booking_request = _request(db_session, assignment)

    for status in ("no_show", "attended"):
        record_attendance(
            session=db_session,
            booking_request=booking_request,
            session_id=item.id,
            marks=[Mark(member.id, status)],
            actor=council,
            now=clock.now(),
        )

    db_session.refresh(assignment)
    assert assignment.status == "completed"
    assert [u.assignment_id for u in work_units(session=db_session)] == [assignment.id]


def test_a_late_cancellation_pays_costs_but_no_fee(factory, db_session):
    assignment, member, _ = booked_assignment(factory)
    item = _session_of(db_session, assignment)
    council = factory.user(Role.COUNCIL)
    record_attendance(
        session=db_session,
        booking_request=_request(db_session, assignment),
        session_id=item.id,
        marks=[Mark(member.id, "cancelled_late")],
        actor=council,
        now=clock.now(),
    )
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )
    attach_receipt(db_session, member, claim.id)

    save_claim(
        session=db_session,
        member=member,
        claim_id=claim.id,
        data=ClaimInput(ticket_cost_sek=Decimal(240), note="Non-refundable train ticket"),
        submit=True,
    )
    attest_claim(session=db_session, claim_id=claim.id, actor=council)

    [line] = claim_lines(session=db_session, claim_id=claim.id)
    assert (line.fee_sek, line.no_fee_reason) == (0, "cancelled_late")
    assert (claim.fee_sek, claim.travel_sek) == (0, 240)
    assert work_units(session=db_session) == []


def test_an_unmarked_session_is_claimable_but_flagged_to_the_council(factory, app, db_session):
    assignment, member, _ = booked_assignment(factory)
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )
    save_claim(session=db_session, member=member, claim_id=claim.id, data=ClaimInput(), submit=True)
    council = factory.user(Role.COUNCIL)

    html = _signed_in(app, council.email).get("/compensation/review").get_data(as_text=True)

    assert 'class="flash flash-error attendance-flag">Närvaro inte registrerad för' in html


# --- claims only for sessions that have happened -------------------------------------------


def test_a_claim_for_a_future_session_is_refused(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory, start=clock.now() + timedelta(days=42))
    client = _signed_in(csrf_free_app, factory.session.get(User, member.user_id).email)
    url = f"/compensation/assignments/{assignment.id}/claim"

    page = client.get(url)
    posted = client.post(url, data={})
    with pytest.raises(Conflict):
        open_claim(session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM)

    rows = db_session.exec(select(func.count(ClaimLine.id))).one()
    assert page.status_code == 200
    assert "Det finns inget att rapportera än" in page.get_data(as_text=True)
    assert posted.status_code == 409
    assert rows == 0


def test_a_claim_with_a_session_moved_into_the_future_cannot_be_attested(factory, db_session):
    assignment, member, _ = booked_assignment(factory)
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )
    save_claim(session=db_session, member=member, claim_id=claim.id, data=ClaimInput(), submit=True)
    item = _session_of(db_session, assignment)
    item.starts_at, item.ends_at = (
        clock.now() + timedelta(days=40),
        clock.now() + timedelta(days=40, hours=5),
    )
    db_session.add(item)
    db_session.flush()

    with pytest.raises(Conflict):
        attest_claim(session=db_session, claim_id=claim.id, actor=factory.user(Role.COUNCIL))
    assert claim.status == "submitted"


# --- receipts above the threshold ----------------------------------------------------------


def _report(db_session, member, claim, ticket):
    return save_claim(
        session=db_session,
        member=member,
        claim_id=claim.id,
        data=ClaimInput(ticket_cost_sek=Decimal(ticket), note="Train Jönköping–Värnamo"),
        submit=True,
    )


def test_costs_above_the_threshold_need_a_receipt(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory)
    admin, council = factory.user(Role.ADMIN), factory.user(Role.COUNCIL)
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )
    default = receipt_threshold(session=db_session)

    with pytest.raises(InvalidInput) as refused:
        _report(db_session, member, claim, 120)
    set_by_page = _signed_in(csrf_free_app, admin.email).post(
        "/admin/receipt-threshold", data={"receipt-receipt_threshold_sek": "200"}
    )
    bad = _signed_in(csrf_free_app, admin.email).post(
        "/admin/receipt-threshold", data={"receipt-receipt_threshold_sek": "-5"}
    )
    under = receipt_threshold(session=db_session)
    _report(db_session, member, claim, 120)  # under 200 kr: no receipt needed
    set_receipt_threshold(session=db_session, amount_sek=100, actor=admin, now=clock.now())

    with pytest.raises(Conflict):  # the limit was lowered: the council cannot attest it now
        attest_claim(session=db_session, claim_id=claim.id, actor=council)
    assert (default, under, set_by_page.status_code, bad.status_code) == (0, 200, 302, 422)
    assert list(refused.value.fields) == ["receipt"]


def test_a_claim_with_its_receipt_is_sent_and_attested(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory)
    client = _signed_in(csrf_free_app, factory.session.get(User, member.user_id).email)
    url = f"/compensation/assignments/{assignment.id}/claim"
    client.post(url, data={})
    claim = db_session.exec(select(CompensationClaim)).one()
    [line] = claim_lines(session=db_session, claim_id=claim.id)
    form = {
        "lines-0-line_id": line.id,
        "lines-0-minutes": 300,
        "lines-0-travel_minutes": 0,
        "car_km": 0,
        "ticket_cost_sek": 90,
        "other_cost_sek": 0,
        "note": "Bus",
        "send": "1",
    }

    without = client.post(url, data=form)
    attach_receipt(db_session, member, claim.id)
    with_receipt = client.post(url, data=form)
    db_session.expire_all()
    attest_claim(session=db_session, claim_id=claim.id, actor=factory.user(Role.COUNCIL))

    assert without.status_code == 422
    assert "Bifoga ett kvitto" in without.get_data(as_text=True)
    assert with_receipt.status_code == 302
    assert (claim.status, claim.travel_sek) == ("attested", 90)
