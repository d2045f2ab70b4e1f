"""Material for a request: the orderer (or the council) attaches a file or a link, by a date.

Attaching mails the people booked a link to ``/materials/<id>``; people booked later find it on
their list. Files are checked by name and by their first bytes and kept in the material folder
(``app.config.material_folder``) the way receipts are (``app.services.stored_files``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Assignment, BookingRequest, Member, RequestMaterial, User
from app.models.enums import AssignmentStatus, RequestAction, Role
from app.services.booking.invitation_mail import member_address
from app.services.errors import InvalidInput, NotFound
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import WORK_ASSIGNMENTS
from app.services.stored_files import read_stored_file, store_file

#: The largest file accepted (the web's MAX_CONTENT_LENGTH is larger).
MAX_MATERIAL_BYTES = 10 * 1024 * 1024
#: Office files are zip archives: the folder inside that tells them apart.
OFFICE_FOLDERS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
#: Accepted extensions and the content type each is served with.
MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
#: The first bytes each binary type must start with.
SIGNATURES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
WRONG_TYPE = N_("Attach a PDF, Word, Excel, PowerPoint, text, PNG or JPEG file.")
TOO_BIG = N_("A file must be at most 10 MB.")


@dataclass(frozen=True)
class MaterialInput:
    """What the form gives: a title, a date to send by, a link and/or a file."""

    title: str
    send_by: date | None = None
    link: str = ""
    file_name: str = ""
    data: bytes = b""


def _is_content(suffix: str, data: bytes) -> bool:
    """Return whether the bytes are what the extension says."""
    if suffix in SIGNATURES:
        return data.startswith(SIGNATURES[suffix])
    if suffix in OFFICE_FOLDERS:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        return any(name.startswith(OFFICE_FOLDERS[suffix]) for name in names)
    try:
        return "\x00" not in data.decode("utf-8")
    except UnicodeDecodeError:
        return False


def _check(data: MaterialInput) -> tuple[dict[str, str], str]:
    """Return field → message for what is wrong, and the file's extension."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = N_("Give the material a title.")
    elif len(data.title.strip()) > 200:
        errors["title"] = N_("Write at most 200 characters.")
    link = data.link.strip()
    if link and (not link.startswith(("https://", "http://")) or len(link) > 500 or " " in link):
        errors["link"] = N_("Give a web address starting with https://.")
    suffix = Path(data.file_name or "").suffix.lower()
    if data.file_name and data.data:
        if len(data.data) > MAX_MATERIAL_BYTES:
            errors["file"] = TOO_BIG
        elif suffix not in MATERIAL_TYPES or not _is_content(suffix, data.data):
            errors["file"] = WRONG_TYPE
    elif not link and data.send_by is None:
        errors["file"] = N_("Attach a file or a link, or say by when the material will come.")
    return errors, suffix


def _attach(material: RequestMaterial, data: MaterialInput, suffix: str, folder: Path, now):
    if data.file_name and data.data:
        material.stored_name = store_file(folder, data.data, suffix)
        material.file_name = Path(data.file_name).name[:255]
        material.content_type = MATERIAL_TYPES[suffix]
        material.size_bytes = len(data.data)
    if data.link.strip():
        material.link = data.link.strip()
    if material.stored_name or material.link:
        material.attached_at = now


def add_material(
    *,
    session: Session,
    booking_request: BookingRequest,
    data: MaterialInput,
    actor: User,
    folder: Path,
    ctx: MailContext,
    now: datetime,
) -> RequestMaterial:
    """Add material to a request; with a file or link the booked people are mailed at once."""
    errors, suffix = _check(data)
    if errors:
        raise InvalidInput(N_("The material has errors."), errors)
    material = RequestMaterial(
        request_id=booking_request.id,
        title=data.title.strip(),
        send_by=data.send_by,
        created_by_id=actor.id,
        created_at=now,
    )
    _attach(material, data, suffix, folder, now)
    session.add(material)
    session.flush()
    log_event(
        session, booking_request, actor.id, RequestAction.MATERIAL_ADDED, material_id=material.id
    )
    if material.attached_at:
        send_material(
            session=session, booking_request=booking_request, material=material, ctx=ctx, now=now
        )
    return material


def attach_material(
    *,
    session: Session,
    booking_request: BookingRequest,
    material_id: int,
    data: MaterialInput,
    actor: User,
    folder: Path,
    ctx: MailContext,
    now: datetime,
) -> RequestMaterial:
    """Attach the file or link of material announced earlier, and mail the booked people."""
    material = session.get(RequestMaterial, material_id)
    if material is None or material.request_id != booking_request.id:
        raise NotFound(N_("No such material."))
    errors, suffix = _check(
        MaterialInput(material.title, None, data.link, data.file_name, data.data)
    )
    if not data.link.strip() and not data.data:
        errors["file"] = N_("Attach a file or a link.")
    if errors:
        raise InvalidInput(N_("The material has errors."), errors)
    _attach(material, data, suffix, folder, now)
    session.add(material)
    log_event(
        session, booking_request, actor.id, RequestAction.MATERIAL_ADDED, material_id=material.id
    )
    send_material(
        session=session, booking_request=booking_request, material=material, ctx=ctx, now=now
    )
    return material


def material_url(ctx: MailContext, material_id: int) -> str:
    """Return the download address of material (``GET /materials/<id>``)."""
    return f"{ctx.base_url.rstrip('/')}/materials/{material_id}"


def send_material(
    *,
    session: Session,
    booking_request: BookingRequest,
    material: RequestMaterial,
    ctx: MailContext,
    now: datetime,
) -> int:
    """Mail the people booked the material's title and link; return how many were mailed."""
    members = session.exec(
        select(Member)
        .join(Assignment, Assignment.member_id == Member.id)
        .where(
            Assignment.request_id == booking_request.id,
            Assignment.status == AssignmentStatus.BOOKED,
        )
        .order_by(Member.id)
    )
    t = ctx.translate
    subject = t(N_("Material: %(title)s"), title=booking_request.title)
    body = "\n\n".join(
        [
            t(
                N_("The orderer has sent material before the assignment %(title)s."),
                title=booking_request.title,
            ),
            f"{material.title}: {material_url(ctx, material.id)}",
            t(N_("You also find it on your list of assignments.")),
            t(N_("Questions go to the council: %(mailbox)s"), mailbox=ctx.council_mailbox),
        ]
    )
    mailed = 0
    # A person may hold two assignments (the whole group and a stand-in meeting): mail her once.
    for member in {member.id: member for member in members}.values():
        address = member_address(session=session, member=member)
        key = f"material:{material.id}:member={member.id}:at={material.attached_at.isoformat()}"
        if address and queue_mail(
            session, to=address, subject=subject, body=body, key=key, kind="material", now=now
        ):
            mailed += 1
    if mailed:
        material.sent_at = now
        session.add(material)
        log_event(
            session,
            booking_request,
            None,
            RequestAction.MATERIAL_SENT,
            material_id=material.id,
            mailed=mailed,
        )
    return mailed


def _may_read(session: Session, user: User, booking_request: BookingRequest) -> bool:
    if user.role == Role.COUNCIL:
        return True
    if user.role == Role.ORDERER:
        return booking_request.organisation_id == user.organisation_id
    if user.role != Role.MEMBER:
        return False
    booked = session.exec(
        select(Assignment.id)
        .join(Member, Member.id == Assignment.member_id)
        .where(
            Member.user_id == user.id,
            Assignment.request_id == booking_request.id,
            Assignment.status.in_(WORK_ASSIGNMENTS),
        )
    ).first()
    return booked is not None


def read_material(
    *, session: Session, material_id: int, user: User, folder: Path
) -> tuple[RequestMaterial, bytes | None]:
    """Return material and its file (None: a link only) for the booked, the orderer, the council.

    Anyone else, and material with nothing attached or whose file is gone, is not found.
    """
    material = session.get(RequestMaterial, material_id)
    booking_request = session.get(BookingRequest, material.request_id) if material else None
    if booking_request is None or not _may_read(session, user, booking_request):
        raise NotFound(N_("No such material."))
    if not material.stored_name:
        if material.link:
            return material, None
        raise NotFound(N_("No such material."))
    data = read_stored_file(folder, material.stored_name)
    if data is None:
        raise NotFound(N_("The file is missing."))
    return material, data
