"""A request's editable fields as plain values: read, compare, apply and put in words.

Editing before approval (``request_edits``) and changes through the council
(``request_changes``) both compare the request as stored with what the orderer sent, as
``{field: [old, new]}`` of JSON values (``RequestChange.changes``, ``RequestEvent.detail``).
None of it is about a person: the words never name anyone's health.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, delete, select

from app import clock
from app.models import Area, BookingRequest, RequestArea
from app.services.matchmaking.quotas import parse_quotas, quota_label
from app.services.messages import N_
from app.services.requests.submission import RequestInput
from matching.io import InputError, parse_quota, quota_json

#: The request's own columns the orderer may change, in the order they are shown.
COLUMNS = (
    "title",
    "purpose",
    "expectations",
    "participation",
    "assignment_type",
    "experience",
    "people_count",
    "age_min",
    "age_max",
    "language",
    "format",
    "location",
    "video_link",
    "preparation_minutes",
    "is_open_information_meeting",
    "contact_name",
    "contact_email",
    "contact_phone",
)
#: Every field a change may touch besides the sessions (areas and wishes are lists).
FIELDS = (*COLUMNS, "area_ids", "quotas")

#: What each field is called in the words of a change (msgids the pages already use).
FIELD_WORDS = {
    "title": N_("Title"),
    "purpose": N_("Purpose"),
    "expectations": N_("Expected of the participants"),
    "participation": N_("Degree of participation"),
    "assignment_type": N_("Type of assignment"),
    "experience": N_("Own or relative experience"),
    "people_count": N_("Number of people"),
    "age_min": N_("Lowest age"),
    "age_max": N_("Highest age"),
    "language": N_("Language"),
    "format": N_("On site or digital"),
    "location": N_("Address"),
    "video_link": N_("Video link"),
    "preparation_minutes": N_("Preparation time (minutes)"),
    "is_open_information_meeting": N_("Open information meeting"),
    "contact_name": N_("Contact person"),
    "contact_email": N_("Contact email"),
    "contact_phone": N_("Contact phone"),
    "area_ids": N_("Areas of experience"),
    "quotas": N_("Wishes for the group"),
    "sessions": N_("Sessions"),
}
#: The words of the listed values (the same msgids as ``app/web/labels.py``).
VALUE_WORDS = {
    "own": N_("Own experience"),
    "relative": N_("Relative"),
    "any": N_("Either"),
    "onsite": N_("On site"),
    "digital": N_("Digital"),
    "information": N_("Information"),
    "consultation": N_("Consultation"),
    "dialogue": N_("Dialogue"),
    "partnership": N_("Partnership and co-creation"),
    "education": N_("Education"),
    "lecture": N_("Lecture or storytelling"),
    "development": N_("Development work"),
    "working_group": N_("Working group"),
    "conference": N_("Conference"),
    "coaching": N_("Coaching or mentoring"),
    "simulated_patient": N_("Simulated patient"),
    "review": N_("Review of patient information"),
    "interview": N_("Interview, focus group or survey"),
}
LANGUAGE_WORDS = {"sv": "Svenska", "en": "English"}


def request_area_ids(*, session: Session, request_id: int) -> list[int]:
    """Return the ids of the areas a request asks for, sorted."""
    query = select(RequestArea.area_id).where(RequestArea.request_id == request_id)
    return sorted(session.exec(query))


def stored_values(*, session: Session, booking_request: BookingRequest) -> dict:
    """Return the request's editable fields as JSON values."""
    values = {name: getattr(booking_request, name) for name in COLUMNS}
    values["area_ids"] = request_area_ids(session=session, request_id=booking_request.id)
    values["quotas"] = list(booking_request.quotas or [])
    return values


def input_values(data: RequestInput) -> dict:
    """Return what the orderer sent as the same JSON values (input assumed validated)."""
    values = {name: getattr(data, name) for name in COLUMNS}
    values["title"] = data.title.strip()
    values["contact_email"] = data.contact_email.strip()
    values["area_ids"] = sorted(dict.fromkeys(data.area_ids))
    parsed = parse_quotas(data.quotas, people_count=max(data.people_count, 1))
    values["quotas"] = [quota_json(quota) for quota in parsed]
    return values


def differences(before: dict, after: dict) -> dict[str, list]:
    """Return ``{field: [old, new]}`` for the fields whose values differ."""
    return {
        name: [before[name], after[name]]
        for name in after
        if name in before and before[name] != after[name]
    }


def apply_values(*, session: Session, booking_request: BookingRequest, changes: dict) -> None:
    """Write the new side of ``changes`` to the request and its areas (nothing commits)."""
    for name, (_old, new) in changes.items():
        if name in COLUMNS:
            setattr(booking_request, name, new)
        elif name == "quotas":
            booking_request.quotas = list(new)
        elif name == "area_ids":
            session.exec(delete(RequestArea).where(RequestArea.request_id == booking_request.id))
            for area_id in new:
                session.add(RequestArea(request_id=booking_request.id, area_id=int(area_id)))
    session.add(booking_request)
    session.flush()


def change_lines(
    *, session: Session, changes: dict, translate: Callable[..., str], locale: str
) -> list[str]:
    """Return each change in words, e.g. "Language: Svenska → English"."""
    lines = []
    for name in (*FIELDS, "sessions"):
        if name not in changes:
            continue
        old, new = changes[name]
        lines.append(
            translate(
                N_("%(field)s: %(old)s → %(new)s"),
                field=translate(FIELD_WORDS[name]),
                old=_words(session, name, old, translate, locale),
                new=_words(session, name, new, translate, locale),
            )
        )
    return lines


def _words(session: Session, name: str, value, translate, locale: str) -> str:
    """Return one side of a change in words ("—" for nothing)."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "area_ids":
        areas = session.exec(select(Area).where(Area.id.in_([int(v) for v in value])))
        return ", ".join(sorted(area.name(locale) for area in areas))
    if name == "quotas":
        return "; ".join(_quota_words(item, locale) for item in value)
    if name == "sessions":
        zone = clock.zone()
        return ", ".join(
            datetime.fromisoformat(start).astimezone(zone).strftime("%Y-%m-%d %H:%M")
            for start, _end in value
        )
    if name == "language":
        return LANGUAGE_WORDS.get(value, str(value))
    if isinstance(value, bool):
        return translate(N_("Yes")) if value else translate(N_("No"))
    if isinstance(value, str) and value in VALUE_WORDS:
        return translate(VALUE_WORDS[value])
    return str(value)


def _quota_words(item: dict, locale: str) -> str:
    try:
        return quota_label(parse_quota(item, "quota")).text(locale)
    except InputError:
        return str(item)
