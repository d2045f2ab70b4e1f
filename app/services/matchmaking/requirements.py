"""What each pool requires before its members are proposed: introduction, signed agreement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app import clock
from app.models import PoolRequirement
from app.models.enums import Pool
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit


@dataclass(frozen=True)
class Requirement:
    """One pool's setting; a pool the council never set requires nothing."""

    pool: str
    is_introduction_required: bool = False
    is_agreement_required: bool = False


def pool_requirements(*, session: Session) -> dict[str, Requirement]:
    """Return the setting of every pool, in the order of ``Pool``."""
    rows = {row.pool: row for row in session.exec(select(PoolRequirement))}
    return {
        pool.value: Requirement(
            pool.value,
            rows[pool].is_introduction_required if pool in rows else False,
            rows[pool].is_agreement_required if pool in rows else False,
        )
        for pool in Pool
    }


def required_in(*, session: Session) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the pools requiring an introduction, and those requiring a signed agreement."""
    settings = pool_requirements(session=session).values()
    return (
        tuple(s.pool for s in settings if s.is_introduction_required),
        tuple(s.pool for s in settings if s.is_agreement_required),
    )


def set_pool_requirement(
    requirement: Requirement,
    *,
    session: Session,
    actor_id: int | None,
    now: datetime | None = None,
) -> bool:
    """Store one pool's setting and audit the change; return whether anything changed."""
    if requirement.pool not in set(Pool):
        raise InvalidInput(N_("Choose a pool."), {"pool": N_("Choose a pool.")})
    before = pool_requirements(session=session)[requirement.pool]
    if before == requirement:
        return False
    row = session.exec(
        select(PoolRequirement).where(PoolRequirement.pool == requirement.pool)
    ).first() or PoolRequirement(pool=requirement.pool)
    row.is_introduction_required = requirement.is_introduction_required
    row.is_agreement_required = requirement.is_agreement_required
    row.changed_at, row.changed_by_id = now or clock.now(), actor_id
    session.add(row)
    session.flush()
    record_audit(
        session=session,
        actor_id=actor_id,
        action="matching.requirements.set",
        subject_type="pool_requirement",
        subject_id=row.id,
        detail={
            "pool": requirement.pool,
            "introduction": requirement.is_introduction_required,
            "agreement": requirement.is_agreement_required,
        },
    )
    return True
