"""The council's pool administration: add, edit, pause, resume and remove members; their load."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app import clock
from app.models import Member, Organisation, User
from app.models.base import utcnow
from app.models.enums import AssignmentType, Gender, Mandate, MemberStatus, Pool
from app.services.booking.work_units import current_load, work_units
from app.services.errors import InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.text_rules import email_error, one_line_error


@dataclass
class MemberInput:
    """Everything the council records about a member (dates local, lists of codes)."""

    first_name: str
    last_name: str
    birth_year: int | None
    gender: str
    pool: str
    email: str = ""
    phone: str = ""
    municipality: str = ""
    languages: list[str] = field(default_factory=lambda: ["sv"])
    mandate: str = Mandate.SELF
    mandate_organisation_id: int | None = None
    employer: str = ""
    assignment_types: list[str] = field(default_factory=list)
    is_onsite_ok: bool = True
    is_digital_ok: bool = True
    max_per_month: int = 2
    training_completed_on: date | None = None
    has_signed_agreement: bool = False


def validate_member_input(
    *, session: Session, data: MemberInput, member_id: int | None = None, today: date | None = None
) -> dict[str, str]:
    """Return field → message for every broken rule (empty when valid)."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    if not data.first_name.strip():
        errors["first_name"] = N_("A first name is required.")
    if not data.last_name.strip():
        errors["last_name"] = N_("A last name is required.")
    if data.birth_year is None or not today.year - 110 <= data.birth_year <= today.year - 16:
        errors["birth_year"] = N_("Give a four-digit birth year; members are at least 16.")
    for name, value, enum in (
        ("gender", data.gender, Gender),
        ("pool", data.pool, Pool),
        ("mandate", data.mandate, Mandate),
    ):
        if value not in set(enum):
            errors[name] = N_("Choose one of the listed values.")
    if set(data.assignment_types) - set(AssignmentType):
        errors["assignment_types"] = N_("Choose one of the listed values.")
    if data.mandate == Mandate.ORGANISATION and (
        data.mandate_organisation_id is None
        or session.get(Organisation, data.mandate_organisation_id) is None
    ):
        errors["mandate_organisation_id"] = N_("A mandate needs the organisation that gave it.")
    if not 0 <= data.max_per_month <= 31:
        errors["max_per_month"] = N_("Give a number from 0 to 31.")
    if not data.is_onsite_ok and not data.is_digital_ok:
        errors["is_digital_ok"] = N_("Choose on-site, digital or both.")
    if data.training_completed_on and data.training_completed_on > today:
        errors["training_completed_on"] = N_("The date cannot be in the future.")
    for name in ("first_name", "last_name", "phone", "municipality", "employer"):
        if name not in errors and (message := one_line_error(getattr(data, name))):
            errors[name] = message
    errors.update(_email_errors(session, data.email, member_id))
    return errors


def _email_errors(session: Session, email: str, member_id: int | None) -> dict[str, str]:
    email = email.strip().lower()
    if not email:
        return {}
    if message := email_error(email):
        return {"email": message}
    query = select(Member.id).where(func.lower(Member.email) == email)
    if member_id is not None:
        query = query.where(Member.id != member_id)
    if session.exec(query).first() is not None:
        return {"email": N_("Another member already has this email.")}
    return {}


def _apply(member: Member, data: MemberInput) -> None:
    values = asdict(data)
    values["email"] = data.email.strip().lower()
    values["languages"] = list(
        dict.fromkeys(c.strip().lower() for c in data.languages if c.strip())
    )
    values["mandate_organisation_id"] = (
        data.mandate_organisation_id if data.mandate == Mandate.ORGANISATION else None
    )
    for name in ("first_name", "last_name", "phone", "municipality", "employer"):
        values[name] = values[name].strip()
    for name, value in values.items():
        setattr(member, name, value)


def create_member(*, session: Session, data: MemberInput, actor_id: int | None) -> Member:
    """Add a member to the pool after validating the input."""
    errors = validate_member_input(session=session, data=data)
    if errors:
        raise InvalidInput(N_("The member has errors."), errors)
    member = Member(
        first_name="", last_name="", birth_year=data.birth_year, gender=data.gender, pool=data.pool
    )
    _apply(member, data)
    session.add(member)
    session.flush()
    _audit(session, actor_id, "member.created", member)
    return member


def update_member(
    *, session: Session, member: Member, data: MemberInput, actor_id: int | None
) -> Member:
    """Change a member's recorded details after validating the input."""
    errors = validate_member_input(session=session, data=data, member_id=member.id)
    if errors:
        raise InvalidInput(N_("The member has errors."), errors)
    _apply(member, data)
    session.add(member)
    _audit(session, actor_id, "member.health_data.updated", member)
    return member


def get_member(*, session: Session, member_id: int) -> Member:
    """Return a member by id."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(N_("No such member."))
    return member


def set_member_status(
    *,
    session: Session,
    member: Member,
    status: str,
    actor_id: int | None,
    until: date | None = None,
) -> Member:
    """Pause (optionally until a date), resume or remove a member; removal also ends sign-in."""
    if status not in set(MemberStatus):
        raise InvalidInput(
            N_("Choose one of the listed values."),
            {"status": N_("Choose one of the listed values.")},
        )
    member.status = status
    member.paused_until = until if status == MemberStatus.PAUSED else None
    if status != MemberStatus.LEFT:
        member.left_at = None
    elif member.left_at is None:
        member.left_at = utcnow()  # the retention period runs from here
    if status == MemberStatus.LEFT:
        member.calendar_token = None
        if member.user_id and (user := session.get(User, member.user_id)) is not None:
            user.is_enabled = False
            session.add(user)
    session.add(member)
    _audit(session, actor_id, f"member.status.{status}", member)
    return member


def _audit(session: Session, actor_id: int | None, action: str, member: Member) -> None:
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="member",
        subject_id=member.id,
    )


@dataclass(frozen=True)
class MemberLoad:
    """A member's units of work (``booking.work_units``) and the hours of all their sessions."""

    assignments: int
    paid_hours: float


def member_load(*, session: Session, member_id: int, now: datetime | None = None) -> MemberLoad:
    """Return the work first starting in the last 12 months or later (booked ahead included)."""
    units = current_load(work_units(session=session, member_ids=[member_id]), now or utcnow())
    return MemberLoad(len(units), round(sum(unit.hours for unit in units), 2))
