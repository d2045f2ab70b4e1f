"""How far each recruitment target has come: new members and applicants who match it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlmodel import Session, select

from app.models import Experience, Member, RecruitmentTarget
from app.models.enums import MemberStatus, TargetStatus
from app.models.recruitment import Applicant
from app.services.recruitment.targets import (
    PIPELINE,
    Person,
    TargetProgress,
    applicant_person,
    fills,
    gaps_for,
    list_targets,
    mark_gaps,
)


def _new_members(session: Session, since: datetime) -> list[tuple[datetime, Person]]:
    """Return members in the pool (active or paused) created since ``since``, as people."""
    members = list(
        session.exec(
            select(Member).where(
                Member.status.in_([MemberStatus.ACTIVE, MemberStatus.PAUSED]),
                Member.anonymised_at.is_(None),
                Member.created_at >= since,
            )
        )
    )
    experiences: dict[int, list[tuple[int, str]]] = defaultdict(list)
    ids = [m.id for m in members]
    if ids:
        query = select(Experience.member_id, Experience.area_id, Experience.type)
        for member_id, area_id, kind in session.exec(query.where(Experience.member_id.in_(ids))):
            experiences[member_id].append((area_id, kind))
    return [
        (m.created_at, Person(m.birth_year, m.gender, tuple(experiences[m.id]), m.pool))
        for m in members
    ]


def _pipeline(session: Session) -> list[Applicant]:
    return list(session.exec(select(Applicant).where(Applicant.status.in_(PIPELINE))))


def target_progress(
    *, session: Session, targets: list[RecruitmentTarget], today: date
) -> list[TargetProgress]:
    """Return each target's progress: matching new members since it was set, and applicants.

    A closed target counts the members who joined while it was open; applicants only while open.
    """
    if not targets:
        return []
    gaps = gaps_for(targets, session=session, year=today.year)
    members = _new_members(session, min(t.created_at for t in targets))
    applicants = [applicant_person(a) for a in _pipeline(session)]
    out = []
    for gap in gaps:
        target = gap.target
        joined = sum(
            1
            for created_at, person in members
            if created_at >= target.created_at
            and (target.closed_at is None or created_at <= target.closed_at)
            and fills(gap, person)
        )
        waiting = (
            sum(1 for person in applicants if fills(gap, person))
            if target.status == TargetStatus.OPEN
            else 0
        )
        out.append(TargetProgress(target, joined, waiting))
    return out


def targets_for_year(*, session: Session, year: int, today: date) -> list[TargetProgress]:
    """Return the progress of targets open at some time in ``year``."""
    targets = [
        target
        for target in list_targets(session=session)
        if target.created_at.year <= year
        and (target.closed_at is None or target.closed_at.year >= year)
    ]
    return target_progress(session=session, targets=targets, today=today)


def note_gaps(applicant: Applicant, *, session: Session, today: date) -> list[RecruitmentTarget]:
    """Record on the applicant which open targets they help fill (``fills_gap``: target ids)."""
    targets = list_targets(session=session, status=TargetStatus.OPEN)
    filled = mark_gaps(applicant, gaps_for(targets, session=session, year=today.year))
    session.add(applicant)
    return filled
