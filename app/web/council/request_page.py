"""The council's request page: facts and proposal, the decision panel, more actions, history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session
from app.i18n import current_language
from app.mail.settings import mail_context
from app.models import BookingRequest
from app.models.base import utcnow
from app.models.enums import RequestStatus
from app.services.booking.attendance import booked_people
from app.services.booking.group_state import group_state
from app.services.booking.interest import MAX_ASKED, pending_interest
from app.services.booking.invitations import reply_deadline
from app.services.booking.replacements import replacement_candidates, request_open_places
from app.services.errors import NotFound
from app.services.journey.absences import absences_for_request
from app.services.journey.materials_read import materials_for_request
from app.services.matchmaking.matching_input import commitment_keys
from app.services.matchmaking.proposals import (
    decision_proposal,
    group_quota_lines,
    group_spread,
    interested_member_ids,
    recorded_proposal,
)
from app.services.privacy.audit import record_read
from app.services.requests.history import (
    history_member_names,
    request_history,
    request_invitations,
)
from app.services.requests.states import (
    LIVE_REQUEST_STATES,
    RUNNING_REQUEST_STATES,
    allowed_steps,
)
from app.services.requests.submission import get_request_for, request_areas, request_sessions
from app.web.attendance import attendance_context
from app.web.audit.sentences import person
from app.web.council.confirmations import CONFIRMATIONS
from app.web.council.forms import (
    ApproveForm,
    ConfirmForm,
    InterestForm,
    MessageForm,
    ReplaceForm,
    ReplacementModeForm,
    SwapForm,
)
from app.web.labels import options
from app.web.materials.forms import MaterialForm
from app.web.meetings import meetings_panel
from app.web.session_moves import move_forms


def load_request(request_id: int) -> BookingRequest:
    """Return the request of the URL, or answer 404."""
    try:
        return get_request_for(session=get_session(), user=current_user, request_id=request_id)
    except NotFound:
        abort(404)


def parse_ids(text: str | None) -> list[int]:
    """Return the member ids of a comma-separated list (invalid parts ignored)."""
    return [int(part) for part in (text or "").split(",") if part.strip().isdigit()]


def decision_forms(view, group: list[int], booking_request, forms: dict | None = None) -> dict:
    """Return the page's forms, filled with the group and its eligible alternatives."""
    forms = {k: v for k, v in (forms or {}).items() if not k.startswith("move")}
    joined = ",".join(str(member_id) for member_id in group)
    mode = booking_request.replacement_mode
    forms.setdefault(
        "approve", ApproveForm(member_ids=joined, replacement_mode=mode, formdata=None)
    )
    forms.setdefault("swap", SwapForm(group=joined, formdata=None))
    forms.setdefault("ask", MessageForm(prefix="ask", formdata=None))
    forms.setdefault("decline", MessageForm(prefix="decline", formdata=None))
    forms.setdefault("cancel", MessageForm(prefix="cancel", formdata=None))
    forms.setdefault("mode", ReplacementModeForm(prefix="mode", mode=mode, formdata=None))
    forms.setdefault("end_interest", ConfirmForm(prefix="end", formdata=None))
    name = {member_id: member.display_name for member_id, member in view.members.items()}
    ranked = [int(c.member_id) for c in view.proposal.ranked]
    forms["swap"].out_id.choices = options((m, name.get(str(m), m)) for m in group)
    forms["swap"].in_id.choices = options(
        (m, name.get(str(m), m)) for m in ranked if m not in group
    )
    return forms


def interest_form(booking_request, items, forms: dict | None = None) -> InterestForm:
    """Return the "ask for interest first" form with a count and a deadline suggested."""
    if forms and "interest" in forms:
        return forms["interest"]
    zone = clock.zone()
    today = clock.today()
    latest = items[0].starts_at.astimezone(zone).date() - timedelta(days=2) if items else today
    deadline: date = max(today, min(today + timedelta(days=5), latest))
    count = min(MAX_ASKED, 2 * booking_request.people_count)
    return InterestForm(prefix="interest", count=count, deadline=deadline, formdata=None)


def replacement_state(booking_request, forms: dict | None = None, *, recorded=None) -> dict:
    """Return the open places, the free reserves (next first) and the form to invite one.

    ``recorded``: the request's approved proposal (``recorded_proposal``), read by the page.
    """
    session = get_session()
    free = request_open_places(
        session=session, booking_request=booking_request, approved_proposal=recorded
    )
    candidates = (
        replacement_candidates(session=session, booking_request=booking_request) if free else []
    )
    form = (forms or {}).get("replace") or ReplaceForm(prefix="replace", formdata=None)
    form.member_id.choices = options((m.id, m.display_name) for m in candidates)
    return {"places": free, "candidates": candidates, "form": form}


def interest_state(booking_request) -> dict:
    """Return how a round of interest questions stands (asked, yes, still to answer)."""
    if booking_request.status != RequestStatus.INTEREST:
        return {}
    session = get_session()
    yes = interested_member_ids(session=session, request_id=booking_request.id)
    waiting = pending_interest(session=session, request_id=booking_request.id, now=utcnow())
    return {"yes": len(yes), "waiting": waiting, "needed": booking_request.people_count}


def quotas_form(booking_request, forms=None):
    """Return the council's quotas form (quotas builds on this module)."""
    from app.web.council.quotas import quotas_form as form

    return form(booking_request, forms)


def terms_state(booking_request, forms=None, invitations=None, assignments=None) -> dict:
    """Return the agreement-terms part of the page (people and form)."""
    from app.web.council.terms import terms_state as state  # terms builds on this module

    return state(booking_request, forms, invitations, assignments)


def changes_state(booking_request, forms=None) -> dict:
    """Return the orderer's proposed changes and whom they affect (changes builds on this module)."""
    from app.web.council.changes import changes_state as state

    return state(booking_request, forms)


def support_state(booking_request, forms=None, history=None) -> dict:
    """Return the conflicts, contact-person and below-two parts of the page (issue 19)."""
    from app.web.council.support import support_state as state  # support builds on this module

    return state(booking_request, forms, history)


def answer_deadline(items) -> datetime | None:
    """Return until when people invited now could answer (None without sessions)."""
    if not items:
        return None
    return reply_deadline(
        first_start=items[0].starts_at, now=utcnow(), minimum=mail_context().min_answer_window
    )


def render_request_page(
    booking_request: BookingRequest, *, group: list[int] | None = None, forms=None, status=200
):
    """Render the council's request page (status 422/409 when a decision was refused).

    Every rendering shows the proposal's people, so every rendering records the read, also the
    refused decisions whose answer rolls the unit of work back.
    """
    session = get_session()
    record_read(
        session=session,
        actor_id=current_user.id,
        action="request.proposal.read",
        subject_type="booking_request",
        subject_id=booking_request.id,
    )
    items = request_sessions(session=session, request_id=booking_request.id)
    areas = request_areas(session=session, request_id=booking_request.id)
    invitations = request_invitations(session=session, request_id=booking_request.id)
    # Markable assignments include the work ones: the attendance list, the terms and the
    # request's own commitments (left out of the proposal's pool) share them.
    people = booked_people(session=session, request_id=booking_request.id)
    view = decision_proposal(
        session=session,
        booking_request=booking_request,
        sessions=items,
        areas=areas,
        commitments=commitment_keys(
            session=session,
            request_id=booking_request.id,
            assignments=people,
            invitations=invitations,
        ),
    )
    recorded = recorded_proposal(session=session, request_id=booking_request.id)
    state = group_state(
        session=session,
        booking_request=booking_request,
        view=view,
        requested=group,
        recorded=recorded,
    )
    group = state.member_ids
    history = request_history(session=session, request_id=booking_request.id)
    return render_template(
        "council/request.html",
        booking_request=booking_request,
        sessions=items,
        move_forms=move_forms(items, clock.zone(), forms),
        meetings=_meetings_panel(booking_request, items, forms),
        areas=areas,
        view=view,
        group=[str(member_id) for member_id in group],
        quota_lines=group_quota_lines(
            session=session, booking_request=booking_request, view=view, member_ids=group
        ),
        quotas_form=quotas_form(booking_request, forms),
        group_state=state,
        spread=group_spread(
            session=session,
            member_ids=group,
            area_codes=tuple(a.code for a in areas),
            members=[place.member for place in state.places if place.is_holding],
            experiences=view.experiences_of(group),
        ),
        forms=decision_forms(view, group, booking_request, forms),
        interest_form=interest_form(booking_request, items, forms),
        interest=interest_state(booking_request),
        steps=allowed_steps(booking_request),
        is_live=booking_request.status in LIVE_REQUEST_STATES,
        is_running=booking_request.status in RUNNING_REQUEST_STATES,
        replacement=replacement_state(booking_request, forms, recorded=recorded),
        terms=terms_state(booking_request, forms, invitations, people),
        changes=changes_state(booking_request, forms),
        history=history,
        who=person,
        confirmations=CONFIRMATIONS,
        ranked_ids=[int(c.member_id) for c in view.proposal.ranked],
        reply_by=answer_deadline(items),
        history_names=history_member_names(session=session, events=history),
        invitations=invitations,
        lang=current_language(),
        recorded=recorded,
        title=_("Request"),
        support=support_state(booking_request, forms, history),
        materials=materials_for_request(session=session, request_id=booking_request.id),
        material_form=(forms or {}).get("material")
        or MaterialForm(prefix="material", formdata=None),
        absences=absences_for_request(session=session, request_id=booking_request.id),
        **attendance_context(booking_request, full_names=True, sessions=items, people=people),
    ), status


def _meetings_panel(booking_request, items, forms) -> dict:
    """Return the meetings section's forms (the page loads the confirmation script itself)."""
    from flask import url_for

    return meetings_panel(
        booking_request,
        items,
        forms,
        add_endpoint="council.add_meeting",
        cancel_endpoint="council.cancel_meeting",
        evaluation_url=url_for("council.evaluation", request_id=booking_request.id)
        if booking_request.is_standing
        else "",
        has_confirm_script=True,
    )
