"""The council's request page: proposal, chosen group, decision forms and history."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from app.db import get_session
from app.i18n import current_language, local_zone
from app.models import BookingRequest
from app.services.proposals import compute_proposal, group_spread
from app.services.request_history import request_history, request_invitations
from app.services.requests import request_areas, request_sessions
from app.web.council.forms import ApproveForm, MessageForm, MoveForm, SwapForm
from app.web.labels import options


def parse_ids(text: str | None) -> list[int]:
    """Return the member ids of a comma-separated list (invalid parts ignored)."""
    return [int(part) for part in (text or "").split(",") if part.strip().isdigit()]


def chosen_group(view, requested: list[int]) -> list[int]:
    """Return the group the council is looking at: the requested ids if eligible, else the proposal's."""
    eligible = {int(c.member_id) for c in view.proposal.ranked}
    if requested and set(requested) <= eligible:
        return requested
    return [int(member_id) for member_id in view.proposal.group]


def decision_forms(view, group: list[int], forms: dict | None = None) -> dict:
    """Return the page's forms, filled with the group and its eligible alternatives."""
    forms = {k: v for k, v in (forms or {}).items() if not k.startswith("move")}
    joined = ",".join(str(member_id) for member_id in group)
    forms.setdefault("approve", ApproveForm(member_ids=joined, formdata=None))
    forms.setdefault("swap", SwapForm(group=joined, formdata=None))
    forms.setdefault("ask", MessageForm(prefix="ask", formdata=None))
    forms.setdefault("decline", MessageForm(prefix="decline", formdata=None))
    forms.setdefault("cancel", MessageForm(prefix="cancel", formdata=None))
    name = {member_id: member.display_name for member_id, member in view.members.items()}
    ranked = [int(c.member_id) for c in view.proposal.ranked]
    forms["swap"].out_id.choices = options((m, name.get(str(m), m)) for m in group)
    forms["swap"].in_id.choices = options(
        (m, name.get(str(m), m)) for m in ranked if m not in group
    )
    return forms


def move_forms(items, zone, forms: dict | None = None) -> dict:
    """Return one time-change form per session, prefilled with its local date and times."""
    result = {}
    for item in items:
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        data = {"day": start.date(), "start": start.time(), "end": end.time()}
        key = f"move{item.id}"
        result[item.id] = (forms or {}).get(key) or MoveForm(prefix=key, formdata=None, data=data)
    return result


def render_request_page(
    booking_request: BookingRequest, *, group: list[int] | None = None, forms=None, status=200
):
    """Render the council's request page (status 422/409 when a decision was refused)."""
    session = get_session()
    view = compute_proposal(session=session, booking_request=booking_request)
    group = chosen_group(view, group or [])
    items = request_sessions(session=session, request_id=booking_request.id)
    return render_template(
        "council/request.html",
        booking_request=booking_request,
        sessions=items,
        move_forms=move_forms(items, local_zone(), forms),
        areas=request_areas(session=session, request_id=booking_request.id),
        view=view,
        group=[str(member_id) for member_id in group],
        spread=group_spread(
            session=session,
            member_ids=group,
            area_codes=tuple(
                a.code for a in request_areas(session=session, request_id=booking_request.id)
            ),
        ),
        forms=decision_forms(view, group, forms),
        history=request_history(session=session, request_id=booking_request.id),
        invitations=request_invitations(session=session, request_id=booking_request.id),
        lang=current_language(),
        title=_("Request"),
    ), status
