"""Audit rows that survive error answers, and the actor on money and account actions.

Issue 17 item 8: a page answered with 409/422 still showed health data, but the rollback of
the answer dropped its read-audit rows. Reads are now kept in a transaction of their own.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import AuditEvent, CompensationClaim, RequestSession, User
from app.models.enums import Role
from app.services.compensation.claim_flow import return_claim, save_claim
from app.services.compensation.claims import ClaimInput, open_claim
from app.services.compensation.payouts import close_batch, create_batch, fill_batch
from tests.compensation_support import STOCKHOLM, attested_claim, booked_assignment
from tests.pool_support import signed_in


def events(db_session, action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db_session.exec(query))


def booked_request(factory, orderer, people: int = 2):
    """Return (request, its session, members) with ``people`` booked members with experience."""
    request = factory.booking_request(orderer, status="booked", people_count=people)
    members = []
    for _ in range(people):
        member = factory.member(experiences=(("cancer", "own"),))
        factory.assignment(member, request)
        members.append(member)
    item = factory.session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ).first()
    return request, item, members


def test_a_refused_time_change_keeps_the_orderers_reads(csrf_free_app, factory, db_session):
    client, orderer = signed_in(csrf_free_app, factory, Role.ORDERER)
    request, item, members = booked_request(factory, orderer)

    answer = client.post(f"/orders/{request.id}/sessions/{item.id}/move", data={})

    assert answer.status_code == 422
    assert "Cancer" in answer.get_data(as_text=True)  # the experience was shown
    reads = events(db_session, "member.health_data.read")
    assert sorted((e.actor_id, e.subject_id, e.detail["via"]) for e in reads) == sorted(
        (orderer.id, member.id, "request.coming") for member in members
    )


def test_the_refused_answer_still_rolls_its_other_work_back(csrf_free_app, factory, db_session):
    client, orderer = signed_in(csrf_free_app, factory, Role.ORDERER)
    request, item, _members = booked_request(factory, orderer)
    before = (item.starts_at, item.ends_at)

    client.post(
        f"/orders/{request.id}/sessions/{item.id}/move",
        data={f"move{item.id}-day": "not a day"},
    )

    db_session.expire_all()
    stored = db_session.get(RequestSession, item.id)
    assert (stored.starts_at, stored.ends_at) == before
    kept = db_session.exec(select(AuditEvent).where(AuditEvent.actor_id == orderer.id))
    assert [e.action for e in kept] == ["member.health_data.read", "member.health_data.read"]


def test_a_successful_page_writes_each_read_once(csrf_free_app, factory, db_session):
    client, orderer = signed_in(csrf_free_app, factory, Role.ORDERER)
    request, _item, members = booked_request(factory, orderer, people=3)

    assert client.get(f"/orders/{request.id}").status_code == 200

    assert len(events(db_session, "member.health_data.read")) == len(members) == 3


def test_a_refused_council_decision_keeps_the_proposal_read(csrf_free_app, factory, db_session):
    client, council = signed_in(csrf_free_app, factory, Role.COUNCIL)
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer)

    answer = client.post(f"/council/requests/{request.id}/approve", data={"member_ids": "999"})

    assert answer.status_code in (409, 422)
    reads = events(db_session, "request.proposal.read")
    assert [(e.actor_id, e.subject_id) for e in reads] == [(council.id, request.id)]


def test_a_council_page_that_shows_the_proposal_records_one_read(
    csrf_free_app, factory, db_session
):
    client, council = signed_in(csrf_free_app, factory, Role.COUNCIL)
    request = factory.booking_request(factory.user(Role.ORDERER))

    assert client.get(f"/council/requests/{request.id}").status_code == 200

    reads = events(db_session, "request.proposal.read")
    assert [(e.actor_id, e.subject_id) for e in reads] == [(council.id, request.id)]


def test_closing_a_batch_records_who_and_how_much(factory, db_session):
    claim, _member, _orderer, council = attested_claim(factory, db_session)
    batch = create_batch(
        session=db_session, actor=council, day=date(2026, 5, 20), frequency="monthly"
    )
    fill_batch(session=db_session, batch_id=batch.id)

    close_batch(session=db_session, batch_id=batch.id, actor=council)

    [closed] = events(db_session, "payout_batch.closed")
    assert (closed.actor_id, closed.subject_id, closed.detail) == (
        council.id,
        batch.id,
        {"claims": 1, "total_sek": claim.fee_sek + claim.travel_sek},
    )


def test_attesting_and_returning_claims_record_the_council_member(factory, db_session):
    claim, member, _orderer, council = attested_claim(factory, db_session)
    assignment, other, _ = booked_assignment(factory)
    second = open_claim(
        session=db_session, member=other, assignment_id=assignment.id, zone=STOCKHOLM
    )
    save_claim(session=db_session, member=other, claim_id=second.id, submit=True, data=ClaimInput())

    return_claim(session=db_session, claim_id=second.id, actor=council, comment="Add the km.")

    [attested] = events(db_session, "claim.attested")
    [returned] = events(db_session, "claim.returned")
    assert (attested.actor_id, attested.subject_id, attested.detail) == (
        council.id,
        claim.id,
        {"fee_sek": claim.fee_sek, "travel_sek": claim.travel_sek},
    )
    assert (returned.actor_id, returned.subject_id, returned.detail) == (
        council.id,
        second.id,
        {"member_id": other.id},
    )
    assert db_session.get(CompensationClaim, second.id).status == "rejected"


def test_an_administrator_creating_a_user_is_on_the_log(csrf_free_app, factory, db_session):
    client, admin = signed_in(csrf_free_app, factory, Role.ADMIN)

    answer = client.post(
        "/admin/users",
        data={
            "user-email": "new.council@example.org",
            "user-password": "a long enough password",
            "user-role": "council",
            "user-full_name": "Ny Rådsmedlem",
            "user-organisation_id": "0",
        },
    )

    assert answer.status_code == 302
    user = db_session.exec(select(User).where(User.email == "new.council@example.org")).one()
    [created] = [e for e in events(db_session, "user.created") if e.subject_id == user.id]
    assert (created.actor_id, created.subject_id, created.detail) == (
        admin.id,
        user.id,
        {"role": "council", "organisation_id": None},
    )
    assert "a long enough password" not in str(created.detail)


def test_an_administrator_adding_a_figure_is_on_the_log(csrf_free_app, factory, db_session):
    client, admin = signed_in(csrf_free_app, factory, Role.ADMIN)

    answer = client.post(
        "/admin/price-base-amounts", data={"pbb-year": "2040", "pbb-amount_sek": "70000"}
    )

    assert answer.status_code == 302
    [added] = events(db_session, "figure.added")
    assert (added.actor_id, added.subject_type) == (admin.id, "price_base_amount")
    assert (added.detail["after"]["year"], added.detail["after"]["amount_sek"]) == ("2040", "70000")


def test_a_refused_figure_leaves_no_audit_event(csrf_free_app, factory, db_session):
    client, _admin = signed_in(csrf_free_app, factory, Role.ADMIN)

    answer = client.post(
        "/admin/price-base-amounts", data={"pbb-year": "2026", "pbb-amount_sek": "1"}
    )

    assert answer.status_code in (409, 422)
    assert events(db_session, "figure.added") == []


def test_a_read_before_a_crash_is_kept(app_config, factory, db_session):
    from app import create_app
    from app.db import get_session
    from app.services.privacy.audit import record_read

    app = create_app(app_config)
    member = factory.member()

    def crashing_page():
        record_read(
            session=get_session(),
            actor_id=None,
            action="member.health_data.read",
            subject_type="member",
            subject_id=member.id,
            detail={"via": "test.crash"},
        )
        raise RuntimeError("the page broke after showing the data")

    app.add_url_rule("/test-crash", "test_crash", crashing_page)

    with pytest.raises(RuntimeError):
        app.test_client().get("/test-crash")

    reads = events(db_session, "member.health_data.read")
    assert [(e.subject_id, e.detail) for e in reads] == [(member.id, {"via": "test.crash"})]
