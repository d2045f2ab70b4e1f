"""The daily reminder to the orderer's contact when promised material has not come by its date."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import BookingRequest, RequestMaterial
from app.services.job_log import Tally
from app.services.journey.orderer_mail import orderer_recipient
from app.services.messages import N_
from app.services.requests.states import RUNNING_REQUEST_STATES


def _text(ctx: MailContext, material: RequestMaterial, booking_request: BookingRequest):
    t = ctx.translate
    url = f"{ctx.base_url.rstrip('/')}/orders/{booking_request.id}/materials"
    subject = t(N_("Material is late: %(title)s"), title=booking_request.title)
    body = "\n\n".join(
        [
            t(
                N_("The material “%(material)s” should have reached the people booked by %(day)s."),
                material=material.title,
                day=material.send_by.isoformat(),
            ),
            t(N_("Attach the file or link here: %(url)s"), url=url),
            t(N_("Questions go to the council: %(mailbox)s"), mailbox=ctx.council_mailbox),
        ]
    )
    return subject, body


def remind_late_material(
    *, session: Session, now: datetime, ctx: MailContext, zone: ZoneInfo | None = None
) -> Tally:
    """Mail the orderer's contact once about each material past its send-by day with nothing."""
    tally = Tally()
    today = now.astimezone(zone or clock.zone()).date()
    rows = session.exec(
        select(RequestMaterial, BookingRequest)
        .join(BookingRequest, BookingRequest.id == RequestMaterial.request_id)
        .where(
            RequestMaterial.send_by.is_not(None),
            RequestMaterial.send_by < today,
            RequestMaterial.stored_name == "",
            RequestMaterial.link == "",
            RequestMaterial.late_reminded_at.is_(None),
            BookingRequest.status.in_(RUNNING_REQUEST_STATES),
        )
        .order_by(RequestMaterial.id)
    )
    for material, booking_request in list(rows):
        address, _name = orderer_recipient(session=session, booking_request=booking_request)
        material.late_reminded_at = now
        session.add(material)
        if not address:
            continue
        subject, body = _text(ctx, material, booking_request)
        key = f"material_late:{material.id}"
        tally.mail(
            queue_mail(
                session,
                to=address,
                subject=subject,
                body=body,
                key=key,
                kind="material_late",
                now=now,
            )
        )
    return tally
