"""A member's own profile and experiences."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import Area, Experience, Member, User
from app.models.enums import AssignmentType, ExperienceType
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.text_rules import email_error, one_line_error


@dataclass(frozen=True)
class ProfileInput:
    """Fields a member may change themself (gender and birth year are the council's)."""

    email: str
    phone: str
    municipality: str
    languages: list[str]
    assignment_types: list[str]
    is_onsite_ok: bool
    is_digital_ok: bool
    max_per_month: int


@cache
def _member_of_user():
    """A member's own row by her account, built once: every page of hers runs it."""
    return select(Member).where(Member.user_id == bindparam("user_id"))


def member_for_user(*, session: Session, user: User) -> Member:
    """Return the pool member row that belongs to a member account."""
    member = session.exec(_member_of_user(), params={"user_id": user.id}).first()
    if member is None:
        raise NotFound(N_("No pool profile is linked to your account."))
    return member


def update_profile(*, session: Session, member: Member, data: ProfileInput) -> Member:
    """Apply a member's own profile changes after validating them."""
    errors: dict[str, str] = {}
    if not data.is_onsite_ok and not data.is_digital_ok:
        errors["is_digital_ok"] = N_("Choose on-site, digital or both.")
    if not 0 <= data.max_per_month <= 31:
        errors["max_per_month"] = N_("Give a number from 0 to 31.")
    if not data.languages:
        errors["languages"] = N_("Give at least one language.")
    if set(data.assignment_types) - set(AssignmentType):
        errors["assignment_types"] = N_("Choose one of the listed values.")
    for name in ("phone", "municipality"):
        if message := one_line_error(getattr(data, name)):
            errors[name] = message
    if message := email_error(data.email.strip()):
        errors["email"] = message
    if errors:
        raise InvalidInput(N_("The profile has errors."), errors)
    member.email = data.email.strip()
    member.phone = data.phone.strip()
    member.municipality = data.municipality.strip()
    member.languages = list(dict.fromkeys(code.strip().lower() for code in data.languages))
    member.assignment_types = list(data.assignment_types)
    member.is_onsite_ok = data.is_onsite_ok
    member.is_digital_ok = data.is_digital_ok
    member.max_per_month = data.max_per_month
    session.add(member)
    return member


def member_experiences(*, session: Session, member_id: int) -> list[tuple[Experience, Area]]:
    """Return a member's experiences with their areas, ordered by area code."""
    return list(session.exec(_member_experiences(), params={"member_id": member_id}))


@cache
def _member_experiences():
    return (
        select(Experience, Area)
        .join(Area, Area.id == Experience.area_id)
        .where(Experience.member_id == bindparam("member_id"))
        .order_by(Area.code, Experience.type)
    )


def _check_experience(
    session: Session, member: Member, area_id: int, type: str, ignore_id: int | None = None
) -> None:
    """Refuse an unknown area or kind, or an experience the member already has."""
    area = session.get(Area, area_id)
    if area is None or not area.is_active:
        raise InvalidInput(N_("Unknown area."), {"area_id": N_("Unknown area.")})
    if type not in set(ExperienceType):
        message = N_("Choose one of the listed values.")
        raise InvalidInput(message, {"type": message})
    same = select(Experience).where(
        Experience.member_id == member.id, Experience.area_id == area_id, Experience.type == type
    )
    if ignore_id is not None:
        same = same.where(Experience.id != ignore_id)
    if session.exec(same).first() is not None:
        raise Conflict(N_("That experience is already on your profile."))


def add_experience(*, session: Session, member: Member, area_id: int, type: str) -> Experience:
    """Add an experience (area + own/relative) to a member."""
    _check_experience(session, member, area_id, type)
    experience = Experience(member_id=member.id, area_id=area_id, type=type)
    session.add(experience)
    session.flush()
    return experience


def remove_experience(*, session: Session, member: Member, experience_id: int) -> None:
    """Remove one of the member's own experiences."""
    experience = session.get(Experience, experience_id)
    if experience is None or experience.member_id != member.id:
        raise NotFound(N_("No such experience."))
    session.delete(experience)


def update_experience(
    *, session: Session, member: Member, experience_id: int, area_id: int, type: str
) -> Experience:
    """Change the area or kind of one of the member's own experiences."""
    experience = session.get(Experience, experience_id)
    if experience is None or experience.member_id != member.id:
        raise NotFound(N_("No such experience."))
    _check_experience(session, member, area_id, type, ignore_id=experience.id)
    experience.area_id, experience.type = area_id, type
    session.add(experience)
    return experience
