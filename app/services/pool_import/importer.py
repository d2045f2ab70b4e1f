"""Import the council's existing register: a dry-run report row by row, an all-or-nothing run.

Each row is keyed by email. A row either creates a member, updates one, changes nothing, or has
errors. Blank optional cells keep what is stored; experiences are added, never removed; consent
is recorded only for members who never had one. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlmodel import Session, select

from app.models import Area, Experience, Member, Organisation, User
from app.services.accounts.member_accounts import ensure_member_account, queue_welcome_mail
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.pool.member_admin import MemberInput, validate_member_input
from app.services.pool_import.files import COLUMN_NAMES, COLUMNS, SheetRow
from app.services.pool_import.rows import COLUMN_OF_FIELD, Message, RowValues, parse_row
from app.services.privacy.audit import record_audit
from app.services.text_rules import one_line_error

Translate = Callable[..., str]


@dataclass
class RowResult:
    line: int
    email: str
    name: str
    action: str = "unchanged"  # create | update | unchanged | error
    errors: list[Message] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    values: RowValues | None = None


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    is_dry_run: bool = True
    invited: int = 0

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def plan_import(*, session: Session, header: list[str], rows: list[SheetRow]) -> ImportReport:
    """Return what importing the rows would do, row by row, without writing anything."""
    report = ImportReport()
    report.errors = _header_errors(header)
    if report.errors:
        return report
    lookups = _lookups(session)
    seen: dict[str, int] = {}
    for row in rows:
        report.rows.append(_plan_row(session, row, lookups, seen))
    return report


def _header_errors(header: list[str]) -> list[Message]:
    errors = [
        Message(N_("The file has no column %(column)s."), {"column": column.name})
        for column in COLUMNS
        if column.required and column.name not in header
    ]
    errors += [
        Message(N_("Unknown column %(column)s."), {"column": name})
        for name in header
        if name and name not in COLUMN_NAMES
    ]
    errors += [
        Message(N_("The column %(column)s appears more than once."), {"column": name})
        for name in dict.fromkeys(header)
        if name and header.count(name) > 1
    ]
    return errors


def _lookups(session: Session) -> dict:
    return {
        "areas": {area.code: area.id for area in session.exec(select(Area).where(Area.is_active))},
        "organisations": {org.name.lower(): org.id for org in session.exec(select(Organisation))},
    }


def _plan_row(session: Session, row: SheetRow, lookups: dict, seen: dict[str, int]) -> RowResult:
    email = row.cells.get("email", "").strip().lower()
    name = f"{row.cells.get('first_name', '')} {row.cells.get('last_name', '')}".strip()
    result = RowResult(line=row.line, email=email, name=name)
    if email and email in seen:
        result.errors.append(
            Message(
                N_("Duplicate email %(value)s (also on row %(row)s)."),
                {"value": email, "row": seen[email]},
            )
        )
    seen.setdefault(email, row.line)
    # A NUL or line break cannot even be looked up (PostgreSQL refuses NUL): parse_row reports it.
    if one_line_error(email):
        email = ""
    member = _member_by_email(session, email) if email else None
    values, errors = parse_row(row.cells, lookups, member)
    result.errors += errors
    if values is not None:
        result.errors += _rule_errors(session, values.member, member)
        result.errors += _account_errors(session, email, member)
        result.values = values
    if result.errors:
        result.action = "error"
    elif member is None:
        result.action = "create"
    else:
        result.changes = _changes(session, member, values)
        result.action = "update" if result.changes else "unchanged"
    return result


def _member_by_email(session: Session, email: str) -> Member | None:
    from sqlalchemy import func

    return session.exec(select(Member).where(func.lower(Member.email) == email)).first()


def _rule_errors(session: Session, data: MemberInput, member: Member | None) -> list[Message]:
    fields = validate_member_input(
        session=session, data=data, member_id=member.id if member else None
    )
    return [
        Message(
            N_("%(column)s: %(problem)s"),
            {"column": COLUMN_OF_FIELD.get(name, name), "problem": text},
            translate_params=("problem",),
        )
        for name, text in fields.items()
    ]


def _account_errors(session: Session, email: str, member: Member | None) -> list[Message]:
    user = session.exec(select(User).where(User.email == email)).first() if email else None
    if user is not None and (member is None or member.user_id != user.id):
        return [Message(N_("The email %(value)s belongs to another account."), {"value": email})]
    return []


def _changes(session: Session, member: Member, values: RowValues) -> list[str]:
    changed = [
        name for name, value in vars(values.member).items() if getattr(member, name) != value
    ]
    if values.consent_given_at is not None and member.consent_given_at is None:
        changed.append("consent_given_on")
    if _missing_experiences(session, member.id, values.experiences):
        changed.append("experiences")
    return changed


def _missing_experiences(session: Session, member_id: int | None, wanted) -> list[tuple[int, str]]:
    have = set()
    if member_id is not None:
        have = set(
            session.exec(
                select(Experience.area_id, Experience.type).where(Experience.member_id == member_id)
            )
        )
    return [item for item in dict.fromkeys(wanted) if item not in have]


def run_import(
    *,
    session: Session,
    header: list[str],
    rows: list[SheetRow],
    actor_id: int | None,
    link_for: Callable[[User], str],
    translate: Translate,
    dry_run: bool = False,
) -> ImportReport:
    """Plan the import and, unless a dry run, write all of it; any error writes nothing."""
    report = plan_import(session=session, header=header, rows=rows)
    report.is_dry_run = dry_run
    if dry_run:
        return report
    if report.has_errors:
        error = InvalidInput(N_("The file has errors; nothing was imported."))
        error.report = report
        raise error
    for row in report.rows:
        member = _write_row(session, row)
        user = ensure_member_account(session=session, member=member)
        if user is not None:
            queue_welcome_mail(session, user=user, link=link_for(user), translate=translate)
            report.invited += 1
    record_audit(
        session=session,
        actor_id=actor_id,
        action="pool.imported",
        subject_type="member",
        detail={action: report.count(action) for action in ("create", "update", "unchanged")},
    )
    return report


def _write_row(session: Session, row: RowResult) -> Member:
    values = row.values
    member = _member_by_email(session, row.email) if row.action != "create" else None
    if member is None:
        member = Member(**vars(replace(values.member)))
    elif row.action == "update":
        for name, value in vars(values.member).items():
            setattr(member, name, value)
    if values.consent_given_at is not None and member.consent_given_at is None:
        member.consent_given_at = values.consent_given_at
        member.consent_text_version = values.consent_text_version
    session.add(member)
    session.flush()
    for area_id, kind in _missing_experiences(session, member.id, values.experiences):
        session.add(Experience(member_id=member.id, area_id=area_id, type=kind))
    return member


#: Label of a report line (outside the f-string so that message extraction finds it).
ROW_LABEL = N_("row %(line)s")


def report_lines(report: ImportReport, translate: Translate) -> list[str]:
    """Return the report as text lines (the CLI prints them; the page shows the same)."""
    lines = [translate(error.text, **error.rendered_params(translate)) for error in report.errors]
    for row in report.rows:
        label = translate(ACTION_LABELS[row.action])
        row_label = translate(ROW_LABEL, line=row.line)
        lines.append(f"{row_label}: {label} {row.email} ({row.name})")
        if row.changes:
            lines.append("    " + ", ".join(row.changes))
        for error in row.errors:
            lines.append("    " + translate(error.text, **error.rendered_params(translate)))
    lines.append(translate(SUMMARY, **{k: report.count(k) for k in ACTION_LABELS}))
    return lines


ACTION_LABELS = {
    "create": N_("create"),
    "update": N_("update"),
    "unchanged": N_("unchanged"),
    "error": N_("error"),
}
SUMMARY = N_(
    "%(create)s to create, %(update)s to update, %(unchanged)s unchanged, %(error)s with errors."
)
