"""Turn one register row's text cells into member values, collecting every error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time

from app import clock
from app.models import Member
from app.services.messages import N_
from app.services.pool.member_admin import MemberInput
from app.services.pool_import.files import COLUMNS
from app.services.privacy.consent import CONSENT_TEXT_VERSION
from app.services.text_rules import email_error, one_line_error

YES = {"yes", "ja", "y", "j", "true", "1", "x"}
NO = {"no", "nej", "n", "false", "0"}
GENDERS = {
    "woman": "woman",
    "kvinna": "woman",
    "man": "man",
    "nonbinary": "nonbinary",
    "non-binary": "nonbinary",
    "icke-binär": "nonbinary",
    "unknown": "unknown",
    "okänt": "unknown",
}
POOLS = {
    "levande_bibliotek": "levande_bibliotek",
    "levande bibliotek": "levande_bibliotek",
    "peer": "peer",
}
EXPERIENCE_TYPES = {"own": "own", "egen": "own", "relative": "relative", "närstående": "relative"}
MANDATES = {
    "self": "self",
    "själv": "self",
    "organisation": "organisation",
    "organisation_mandate": "organisation",
}


@dataclass(frozen=True)
class Message:
    """A report message: an English msgid with its parameters."""

    text: str
    params: dict = field(default_factory=dict)
    #: Parameters that are msgids themselves and are translated too.
    translate_params: tuple[str, ...] = ()

    def rendered_params(self, translate: Callable[..., str]) -> dict:
        return {
            k: translate(v) if k in self.translate_params else v for k, v in self.params.items()
        }


@dataclass
class RowValues:
    member: MemberInput
    experiences: list[tuple[int, str]] = field(default_factory=list)
    consent_given_at: datetime | None = None
    consent_text_version: str = CONSENT_TEXT_VERSION


def _base(member: Member | None) -> MemberInput:
    if member is None:
        return MemberInput(first_name="", last_name="", birth_year=None, gender="", pool="")
    return MemberInput(**{f.name: getattr(member, f.name) for f in fields(MemberInput)})


def _bad(column: str, value: str) -> Message:
    return Message(
        N_("Unknown value %(value)s in column %(column)s."), {"value": value, "column": column}
    )


def _choice(mapping: dict[str, str]):
    def parse(value: str, column: str, _lookups):
        found = mapping.get(value.lower())
        return (found, None) if found else (None, _bad(column, value))

    return parse


def _flag(value: str, column: str, _lookups):
    if value.lower() in YES:
        return True, None
    if value.lower() in NO:
        return False, None
    return None, _bad(column, value)


def _whole(value: str, column: str, _lookups):
    if value.isdigit():
        return int(value), None
    if column == "birth_year":
        return None, Message(N_("Bad birth year %(value)s."), {"value": value})
    return None, _bad(column, value)


def _day(value: str, column: str, _lookups):
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, Message(
            N_("Bad date %(value)s in column %(column)s (use YYYY-MM-DD)."),
            {"value": value, "column": column},
        )


def _codes(value: str, _column: str, _lookups):
    return [
        code.strip().lower() for code in value.replace(";", ",").split(",") if code.strip()
    ], None


def _organisation(value: str, _column: str, lookups):
    found = lookups["organisations"].get(value.lower())
    if found is None:
        return None, Message(N_("Unknown organisation %(value)s."), {"value": value})
    return found, None


def _text(value: str, _column: str, _lookups):
    return value, None


def _email(value: str, column: str, _lookups):
    problem = email_error(value)
    if problem:
        return None, _problem(column, problem)
    return value.lower(), None


def _problem(column: str, problem: str) -> Message:
    return Message(
        N_("%(column)s: %(problem)s"),
        {"column": column, "problem": problem},
        translate_params=("problem",),
    )


#: column → (MemberInput field, parser)
PARSERS = {
    "first_name": ("first_name", _text),
    "last_name": ("last_name", _text),
    "email": ("email", _email),
    "birth_year": ("birth_year", _whole),
    "gender": ("gender", _choice(GENDERS)),
    "pool": ("pool", _choice(POOLS)),
    "phone": ("phone", _text),
    "municipality": ("municipality", _text),
    "languages": ("languages", _codes),
    "assignment_types": ("assignment_types", _codes),
    "onsite": ("is_onsite_ok", _flag),
    "digital": ("is_digital_ok", _flag),
    "max_per_month": ("max_per_month", _whole),
    "mandate": ("mandate", _choice(MANDATES)),
    "mandate_organisation": ("mandate_organisation_id", _organisation),
    "employer": ("employer", _text),
    "training_completed_on": ("training_completed_on", _day),
    "signed_agreement": ("has_signed_agreement", _flag),
}


def parse_row(cells: dict[str, str], lookups: dict, member: Member | None):
    """Return (values, errors); values is None when a cell could not be read at all."""
    data = _base(member)
    errors: list[Message] = []
    for column in COLUMNS:
        value = cells.get(column.name, "").strip()
        if not value:
            if column.required:
                errors.append(
                    Message(N_("Missing value in column %(column)s."), {"column": column.name})
                )
            continue
        cell_error = _cell_error(column.name, value)
        if cell_error:
            errors.append(cell_error)
            continue
        if column.name not in PARSERS:
            continue
        name, parser = PARSERS[column.name]
        parsed, error = parser(value, column.name, lookups)
        if error:
            errors.append(error)
        else:
            setattr(data, name, parsed)
    experiences, experience_errors = _experiences(cells.get("experiences", ""), lookups)
    consent_at, consent_errors = _consent(cells.get("consent_given_on", ""))
    errors += experience_errors + consent_errors
    if errors:
        return None, errors
    return RowValues(member=data, experiences=experiences, consent_given_at=consent_at), []


def _experiences(value: str, lookups: dict) -> tuple[list[tuple[int, str]], list[Message]]:
    result, errors = [], []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        code, _, kind = part.partition(":")
        area_id = lookups["areas"].get(code.strip().lower())
        kind_value = EXPERIENCE_TYPES.get(kind.strip().lower())
        if area_id is None:
            errors.append(Message(N_("Unknown area %(value)s."), {"value": code.strip()}))
        elif kind_value is None:
            errors.append(
                Message(
                    N_("Say own or relative after %(value)s, e.g. cancer:own."),
                    {"value": code.strip()},
                )
            )
        else:
            result.append((area_id, kind_value))
    return result, errors


def _consent(value: str) -> tuple[datetime | None, list[Message]]:
    if not value.strip():
        return None, []
    day, error = _day(value.strip(), "consent_given_on", None)
    if error:
        return None, [error]
    # Noon local time: the register only knows the date the paper form was signed.
    return datetime.combine(day, time(12), tzinfo=clock.zone()).astimezone(UTC), []


#: MemberInput field → the column it comes from (to name columns in rule errors).
COLUMN_OF_FIELD = {name: column for column, (name, _) in PARSERS.items()}
#: Column → the most characters its member column stores, so the dry run refuses what the
#: database would (PostgreSQL refuses a longer value; SQLite would silently store it).
MAX_LENGTHS = {
    column: Member.__table__.c[name].type.length
    for column, (name, _) in PARSERS.items()
    if getattr(Member.__table__.c[name].type, "length", None)
}
#: Any other cell: far longer than any sensible list of codes or experiences.
MAX_CELL_LENGTH = 2000


def _cell_error(column: str, value: str) -> Message | None:
    """Return why a cell cannot be stored at all: a line break or NUL, or too long a value."""
    problem = one_line_error(value)
    if problem:
        return _problem(column, problem)
    limit = MAX_LENGTHS.get(column, MAX_CELL_LENGTH)
    if len(value) > limit:
        return Message(
            N_("The value in column %(column)s is longer than %(limit)s characters."),
            {"column": column, "limit": limit},
        )
    return None
