"""Recruitment targets: set, change and close them, and count who is on the way to filling them.

A target asks for ``wanted_count`` more people of one kind (ages, gender, experience type, area,
pool). Progress is the members who became active since the target was set and match it, plus
the applicants still in the pipeline who match it (docs/insight.md, "Recruitment targets").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlmodel import Session, select

from app import clock
from app.models import Area, RecruitmentTarget
from app.models.enums import ApplicantStatus, TargetStatus
from app.models.recruitment import Applicant
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from matching.taxonomy import AGE_BANDS, band_key

#: Applicants on the way in: not yet members, not stopped.
PIPELINE = (
    ApplicantStatus.APPLIED,
    ApplicantStatus.CONVERSATION_BOOKED,
    ApplicantStatus.INTRODUCTION,
    ApplicantStatus.AGREEMENT_SIGNED,
)
MAX_WANTED = 1000
MAX_AGE = 120


@dataclass(frozen=True)
class TargetInput:
    """What the council enters for a target."""

    wanted_count: int
    due_on: date
    age_min: int | None = None
    age_max: int | None = None
    gender: str | None = None
    experience_type: str | None = None
    area_id: int | None = None
    pool: str | None = None
    note: str = ""


class Person(NamedTuple):
    """What a target looks at in a member or an applicant."""

    birth_year: int | None
    gender: str | None
    #: (area id, experience type) pairs.
    experiences: tuple[tuple[int, str], ...]
    #: The member's pool; None for an applicant (not yet in one).
    pool: str | None


@dataclass(frozen=True)
class Gap:
    """An open target with the area ids it accepts (its area and every area below it)."""

    target: RecruitmentTarget
    #: None when the target has no area.
    area_ids: frozenset[int] | None
    #: The year ages are counted in.
    year: int


@dataclass(frozen=True)
class TargetProgress:
    """How far a target has come: new members and applicants in the pipeline who match it."""

    target: RecruitmentTarget
    joined: int
    in_pipeline: int

    @property
    def wanted(self) -> int:
        return self.target.wanted_count

    @property
    def is_reached(self) -> bool:
        """Whether enough people have become members."""
        return self.joined >= self.wanted

    @property
    def joined_share(self) -> float:
        """Members so far as a share of those wanted (at most 1)."""
        return min(1.0, self.joined / self.wanted)

    @property
    def pipeline_share(self) -> float:
        """Applicants in the pipeline as a share of those still wanted (at most what is left)."""
        return min(1.0 - self.joined_share, self.in_pipeline / self.wanted)


def check_target(data: TargetInput) -> None:
    """Refuse a count, ages, enum values or a note the target cannot hold."""
    errors: dict[str, str] = {}
    if not 1 <= data.wanted_count <= MAX_WANTED:
        errors["wanted_count"] = N_("Enter a number of people from 1 to 1 000.")
    for name in ("age_min", "age_max"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= MAX_AGE:
            errors[name] = N_("Enter an age from 0 to 120.")
    if data.age_min is not None and data.age_max is not None and data.age_min > data.age_max:
        errors["age_max"] = N_("The oldest age must not be below the youngest.")
    if len(data.note) > 1000:
        errors["note"] = N_("Keep the note under 1 000 characters.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)


def create_target(
    data: TargetInput, *, session: Session, actor_id: int, now: datetime | None = None
) -> RecruitmentTarget:
    """Set a new recruitment target, write the audit event and return it."""
    check_target(data)
    target = RecruitmentTarget(**vars(data), created_by_id=actor_id)
    if now is not None:
        target.created_at = now
    session.add(target)
    session.flush()
    _audit(session, actor_id, "recruitment_target.created", target)
    refresh_gaps(session=session, year=target.created_at.year)
    return target


def update_target(
    target_id: int, data: TargetInput, *, session: Session, actor_id: int
) -> RecruitmentTarget:
    """Change an open target's fields (its start stays, so progress keeps counting from it)."""
    target = _open_target(session, target_id)
    check_target(data)
    for name, value in vars(data).items():
        setattr(target, name, value)
    session.add(target)
    session.flush()
    _audit(session, actor_id, "recruitment_target.updated", target)
    refresh_gaps(session=session, year=clock.today().year)
    return target


def close_target(
    target_id: int, *, session: Session, actor_id: int, now: datetime | None = None
) -> RecruitmentTarget:
    """Close an open target (reached or given up); it stays in the yearly report."""
    target = _open_target(session, target_id)
    target.status = TargetStatus.CLOSED
    target.closed_at = now or clock.now()
    target.closed_by_id = actor_id
    session.add(target)
    session.flush()
    _audit(session, actor_id, "recruitment_target.closed", target)
    refresh_gaps(session=session, year=target.closed_at.year)
    return target


def get_target(*, session: Session, target_id: int) -> RecruitmentTarget:
    """Return one target or raise NotFound."""
    target = session.get(RecruitmentTarget, target_id)
    if target is None:
        raise NotFound(N_("No such recruitment target."))
    return target


def _open_target(session: Session, target_id: int) -> RecruitmentTarget:
    target = get_target(session=session, target_id=target_id)
    if target.status != TargetStatus.OPEN:
        raise Conflict(N_("The target is closed and can no longer be changed."))
    return target


def _audit(session: Session, actor_id: int, action: str, target: RecruitmentTarget) -> None:
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="recruitment_target",
        subject_id=target.id,
        detail={"wanted_count": target.wanted_count, "due_on": target.due_on.isoformat()},
    )


def list_targets(*, session: Session, status: str | None = None) -> list[RecruitmentTarget]:
    """Return targets (open ones first by due date, then closed ones, newest first)."""
    query = select(RecruitmentTarget)
    if status is not None:
        query = query.where(RecruitmentTarget.status == status)
    targets = list(session.exec(query))
    return sorted(
        targets,
        key=lambda t: (t.status != TargetStatus.OPEN, t.due_on, -(t.id or 0)),
    )


def gaps_for(targets: Iterable[RecruitmentTarget], *, session: Session, year: int) -> list[Gap]:
    """Return each target with the area ids it accepts, ages counted in ``year``."""
    codes = dict(session.exec(select(Area.id, Area.code)).all())
    out = []
    for target in targets:
        area_ids = None
        if target.area_id is not None:
            code = codes.get(target.area_id, "")
            area_ids = frozenset(
                area_id for area_id, c in codes.items() if c == code or c.startswith(code + "/")
            )
        out.append(Gap(target, area_ids, year))
    return out


def fills(gap: Gap, person: Person) -> bool:
    """Return whether a person is of the kind the target asks for."""
    target = gap.target
    if target.age_min is not None or target.age_max is not None:
        if person.birth_year is None:
            return False
        age = gap.year - person.birth_year
        if target.age_min is not None and age < target.age_min:
            return False
        if target.age_max is not None and age > target.age_max:
            return False
    if target.gender is not None and person.gender != target.gender:
        return False
    if target.pool is not None and person.pool is not None and person.pool != target.pool:
        return False
    if target.experience_type is None and gap.area_ids is None:
        return True
    return any(
        (target.experience_type is None or kind == target.experience_type)
        and (gap.area_ids is None or area_id in gap.area_ids)
        for area_id, kind in person.experiences
    )


def applicant_person(applicant: Applicant) -> Person:
    """Return what a target looks at in an applicant."""
    experiences = tuple(
        (int(item["area_id"]), str(item["type"])) for item in applicant.experiences or []
    )
    return Person(applicant.birth_year, applicant.gender, experiences, None)


def gaps_filled_by(applicant: Applicant, targets: Iterable[Gap]) -> list[RecruitmentTarget]:
    """Return the open targets this applicant would help fill."""
    person = applicant_person(applicant)
    return [
        gap.target
        for gap in targets
        if gap.target.status == TargetStatus.OPEN and fills(gap, person)
    ]


def mark_gaps(applicant: Applicant, gaps: list[Gap]) -> list[RecruitmentTarget]:
    """Set ``applicant.fills_gap`` to the ids of the open targets they fill; return those."""
    filled = gaps_filled_by(applicant, gaps)
    applicant.fills_gap = ",".join(str(target.id) for target in filled)[:200]
    return filled


def refresh_gaps(*, session: Session, year: int) -> None:
    """Mark every applicant in the pipeline with the open targets they fill (after a change)."""
    targets = list_targets(session=session, status=TargetStatus.OPEN)
    gaps = gaps_for(targets, session=session, year=year)
    for applicant in session.exec(select(Applicant).where(Applicant.status.in_(PIPELINE))):
        before = applicant.fills_gap
        mark_gaps(applicant, gaps)
        if applicant.fills_gap != before:
            session.add(applicant)
    session.flush()


@dataclass(frozen=True)
class Suggestion:
    """A thin group of the pool, as the starting point of a target."""

    #: The pool-versus-population key, e.g. "18-34:man".
    key: str
    age_min: int
    age_max: int | None
    gender: str | None


def suggestions(thin_keys: Iterable[str]) -> list[Suggestion]:
    """Return targets to start from for thin age-band × sex groups (``pool_age_gender`` keys)."""
    out = []
    for key in thin_keys:
        band, _, gender = key.partition(":")
        found = next(
            ((low, high) for low, high, label in AGE_BANDS if band_key(label) == band), None
        )
        if found is not None:
            low, high = found
            out.append(Suggestion(key, low, high if high < MAX_AGE else None, gender or None))
    return out
