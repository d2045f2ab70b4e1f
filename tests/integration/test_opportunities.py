"""Approving a proposal records each eligible member's fair share of its seats; the next
proposal lets those few requests fit go first when their load is alike (docs/matching.md)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from app import clock
from app.models import MemberOpportunity, RequestSession
from app.models.enums import Role
from app.services.booking.decisions import approve_group
from app.services.matchmaking.kept_index import forget_pool_indexes
from app.services.matchmaking.matching_input import pool_for_matching
from app.services.matchmaking.opportunities import (
    backfill_opportunities,
    prune_opportunities,
    record_opportunities,
)
from app.services.matchmaking.proposals import compute_proposal
from app.services.privacy.retention import anonymise_member
from matching import Opportunity
from tests.booking_support import local_time
from tests.scheduling_support import CTX


def _request(factory, db_session, area: str, count: int, days_ahead: int):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, areas=(area,), people_count=count)
    item = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ).one()
    day = clock.today() + timedelta(days=days_ahead)
    item.starts_at, item.ends_at = local_time(day, 10), local_time(day, 12)
    db_session.add(item)
    db_session.flush()
    return request, day


def _member(factory, name: str, areas: tuple[str, ...]):
    member = factory.member(
        last_name=name,
        email=f"{name.lower()}@example.org",
        experiences=tuple((area, "own") for area in areas),
    )
    for weekday in range(7):
        factory.weekly_window(member, weekday=weekday, start=0, end=23)
    return member


def test_approval_records_shares_and_the_next_proposal_prefers_the_scarce(factory, db_session):
    broad = [_member(factory, f"Broad{i}", ("cancer", "psychiatry/psychosis")) for i in range(3)]
    narrow = [_member(factory, f"Narrow{i}", ("psychiatry/psychosis",)) for i in range(2)]
    # One assignment each 100 days ago: alike load, and enough work that the term counts.
    earlier, _ = _request(factory, db_session, "cancer", 5, -100)
    for member in broad + narrow:
        factory.assignment(member, earlier, status="completed")
    cancer, cancer_day = _request(factory, db_session, "cancer", 1, 20)
    psychosis, _ = _request(factory, db_session, "psychiatry/psychosis", 2, 40)

    view = compute_proposal(session=db_session, booking_request=cancer)
    chosen = [int(m) for m in view.proposal.group]
    approve_group(
        session=db_session,
        booking_request=cancer,
        member_ids=chosen,
        actor=factory.user(Role.COUNCIL),
        ctx=CTX,
    )

    rows = db_session.exec(
        select(MemberOpportunity).where(MemberOpportunity.request_id == cancer.id)
    ).all()
    # Only the three with cancer experience fitted the cancer request: one seat among three.
    assert sorted(r.member_id for r in rows) == sorted(m.id for m in broad)
    assert {(r.day, round(r.share, 6)) for r in rows} == {(cancer_day, round(1 / 3, 6))}
    pool = {m.id: m for m in pool_for_matching(session=db_session)}
    assert pool[str(broad[0].id)].opportunities == (Opportunity(clock.today(), 1 / 3),)
    assert pool[str(narrow[0].id)].opportunities == ()

    forget_pool_indexes()
    after = compute_proposal(session=db_session, booking_request=psychosis)

    # The broad ones not chosen have no more load than the narrow ones, but more requests fit
    # them: the two seats go to the narrow pair.
    assert sorted(int(m) for m in after.proposal.group) == sorted(m.id for m in narrow)
    parts = {c.member_id: c.parts["load"] for c in after.proposal.ranked}
    idle_broad = [str(m.id) for m in broad if m.id not in chosen]
    assert min(parts[str(m.id)] for m in narrow) > max(parts[m] for m in idle_broad)


def test_a_new_approval_replaces_the_shares_and_a_partial_ranking_records_none(factory, db_session):
    members = [_member(factory, f"Person{i}", ("cancer",)) for i in range(4)]
    request, _ = _request(factory, db_session, "cancer", 2, 20)
    view = compute_proposal(session=db_session, booking_request=request)
    ids = [str(m.id) for m in members]

    first = record_opportunities(
        session=db_session, request_id=request.id, request=view.request, eligible=ids
    )
    again = record_opportunities(
        session=db_session, request_id=request.id, request=view.request, eligible=ids[:2]
    )
    shares = db_session.exec(
        select(MemberOpportunity.share).where(MemberOpportunity.request_id == request.id)
    ).all()
    partial = record_opportunities(
        session=db_session,
        request_id=request.id,
        request=view.request,
        eligible=ids,
        whole_pool=False,
    )
    left = db_session.exec(
        select(MemberOpportunity).where(MemberOpportunity.request_id == request.id)
    ).all()

    assert (first, again, sorted(shares)) == (4, 2, [1.0, 1.0])
    assert (partial, left) == (0, [])


def test_retention_deletes_shares_older_than_two_years(factory, db_session):
    members = [_member(factory, f"Kept{i}", ("cancer",)) for i in range(2)]
    old, _ = _request(factory, db_session, "cancer", 1, -800)
    recent, _ = _request(factory, db_session, "cancer", 1, -30)
    today = clock.today()
    for request, day in ((old, today - timedelta(days=800)), (recent, today - timedelta(days=30))):
        for member in members:
            db_session.add(
                MemberOpportunity(request_id=request.id, member_id=member.id, day=day, share=0.5)
            )
    db_session.flush()

    deleted = prune_opportunities(session=db_session, now=clock.now())
    left = db_session.exec(select(MemberOpportunity.request_id)).all()

    assert (deleted, sorted(set(left))) == (2, [recent.id])


def test_backfill_gives_staffed_requests_of_two_years_their_shares_once(factory, db_session):
    members = [_member(factory, f"Past{i}", ("cancer",)) for i in range(4)]
    staffed, day = _request(factory, db_session, "cancer", 2, -60)
    unstaffed, _ = _request(factory, db_session, "cancer", 2, -50)
    too_old, _ = _request(factory, db_session, "cancer", 1, -800)
    for request in (staffed, too_old):
        factory.assignment(members[0], request)
    db_session.flush()

    first = backfill_opportunities(session=db_session, now=clock.now())
    again = backfill_opportunities(session=db_session, now=clock.now())
    rows = db_session.exec(select(MemberOpportunity)).all()

    # Everyone fits the staffed request (its own assignment does not make it a conflict).
    assert (first, again) == ((1, 4), (0, 0))
    assert {(r.request_id, r.day, r.share) for r in rows} == {(staffed.id, day, 0.5)}
    assert unstaffed.id not in {r.request_id for r in rows}


def test_cli_backfill_prints_what_it_recorded(factory, db_session, app):
    members = [_member(factory, f"Cli{i}", ("cancer",)) for i in range(3)]
    staffed, _ = _request(factory, db_session, "cancer", 1, -10)
    factory.assignment(members[0], staffed)
    db_session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["opportunities", "backfill"])
    again = runner.invoke(args=["opportunities", "backfill"])

    assert (first.exit_code, json.loads(first.output)) == (0, {"requests": 1, "rows": 3})
    assert json.loads(again.output) == {"requests": 0, "rows": 0}


def test_anonymising_a_member_deletes_her_shares(factory, db_session):
    kept, gone = (_member(factory, name, ("cancer",)) for name in ("Stays", "Leaves"))
    request, day = _request(factory, db_session, "cancer", 1, -30)
    for member in (kept, gone):
        db_session.add(
            MemberOpportunity(request_id=request.id, member_id=member.id, day=day, share=0.5)
        )
    db_session.flush()

    anonymise_member(session=db_session, member=gone, now=clock.now())
    left = db_session.exec(select(MemberOpportunity.member_id)).all()

    assert left == [kept.id]
