"""The written access policy: every route (web and API) × every kind of visitor → expected status.

The tables are the policy; the README shows them whole (``python -m tests.integration.test_access``
prints that table). A new route without a row fails ``test_every_route_is_in_the_policy``.

Seven visitors: anonymous, a member, another member, an orderer of organisation A, an orderer
of organisation B, the council and an administrator. The ids in the paths belong to the first
member and to organisation A, so "another member" and "orderer B" show what happens when
someone reaches for what is not theirs. A ``POLICY`` row names five statuses (anonymous,
member, orderer, council, admin); another member gets the member's and orderer B the orderer's
status unless ``OWNED`` says otherwise. ``API_POLICY`` rows name all seven, for calls with a
token of each visitor (anonymous: none) and an empty JSON body.
"""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.config import material_folder, receipt_folder
from app.models import (
    AvailabilityException,
    ClaimReceipt,
    CompensationClaim,
    Invitation,
    MemberReview,
    Nomination,
    PayoutBatch,
    RecruitmentTarget,
    RequestMaterial,
    Survey,
    TrainingEvent,
)
from app.models.enums import Role
from app.services.accounts.api_tokens import hash_token
from app.services.accounts.member_accounts import RESET_SALT, password_token
from app.services.recruitment.applications import ApplicationInput, submit_application
from tests.api_support import ApiClient, token_for
from tests.conftest import login

VISITORS = ["anonymous", "member", "orderer", "council", "admin"]
LOGIN = 302  # anonymous visitors are sent to the sign-in page

# path → expected status per visitor, in VISITORS order.
POLICY = {
    "/": (LOGIN, 302, 302, 302, 302),
    "/login": (200, 302, 302, 302, 302),
    "/healthz": (200, 200, 200, 200, 200),
    "/favicon.ico": (200, 200, 200, 200, 200),
    "/council/": (LOGIN, 403, 403, 200, 403),
    # The council's worklist home (issue 23) moved the pool and the calendar feed to pages.
    "/council/pool": (LOGIN, 403, 403, 200, 403),
    "/council/calendar": (LOGIN, 403, 403, 200, 403),
    "/council/requests/{request_id}": (LOGIN, 403, 403, 200, 403),
    "/orders/": (LOGIN, 403, 200, 403, 403),
    "/orders/new": (LOGIN, 403, 200, 403, 403),
    "/orders/{request_id}": (LOGIN, 403, 200, 403, 403),
    # Changes after sending (issue 19): edit before approval, a change through the council
    # after (the request here is not approved, so the change page leads to the edit page).
    "/orders/{request_id}/edit": (LOGIN, 403, 200, 403, 403),
    "/orders/{request_id}/change": (LOGIN, 403, 302, 403, 403),
    "/me/": (LOGIN, 200, 403, 403, 403),
    "/admin/": (LOGIN, 403, 403, 403, 200),
    # Pool self-service (issue 4): the member's own calendar, consent and data.
    "/me/calendar/": (LOGIN, 200, 403, 403, 403),
    "/me/consent": (LOGIN, 200, 403, 403, 403),
    "/me/data.json": (LOGIN, 200, 403, 403, 403),
    # The feed and the set-password link need no sign-in: the secret in the URL is the key.
    "/calendar/{token}.ics": (200, 200, 200, 200, 200),
    "/welcome/{invite_token}": (200, 200, 200, 200, 200),
    # Pool administration: the council; the taxonomy also the administrator.
    "/council/members/new": (LOGIN, 403, 403, 200, 403),
    "/council/members/{member_id}": (LOGIN, 403, 403, 200, 403),
    "/council/members/{member_id}/edit": (LOGIN, 403, 403, 200, 403),
    "/council/import/": (LOGIN, 403, 403, 200, 403),
    "/council/import/template.csv": (LOGIN, 403, 403, 200, 403),
    "/council/import/template.xlsx": (LOGIN, 403, 403, 200, 403),
    "/taxonomy/": (LOGIN, 403, 403, 200, 200),
    # Compensation (issue 7): members report, the council attests and pays, orderers see costs.
    "/compensation/": (LOGIN, 200, 403, 403, 403),
    "/compensation/assignments/{assignment_id}/claim": (LOGIN, 200, 403, 403, 403),
    "/compensation/statement": (LOGIN, 200, 403, 403, 403),
    "/compensation/review": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payout.csv": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payout.xlsx": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payer.csv": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payer.xlsx": (LOGIN, 403, 403, 200, 403),
    "/compensation/settlement": (LOGIN, 403, 403, 200, 403),
    "/compensation/settlement.csv": (LOGIN, 403, 403, 200, 403),
    "/compensation/costs": (LOGIN, 403, 200, 403, 403),
    "/compensation/agreements/{assignment_id}": (LOGIN, 200, 200, 200, 403),
    "/compensation/receipts/{receipt_id}": (LOGIN, 200, 403, 200, 200),
    "/orders/estimate": (LOGIN, 403, 200, 403, 403),
    # Booking (issue 5): the invitation page needs no sign-in; the secret link is the key.
    "/invitations/{invitation_token}": (200, 200, 200, 200, 200),
    # Integration API and hardening (issue 9): API tokens (admin), the audit log (council and
    # admin), privacy (public notice, the member's requests, the council's extract and erasure),
    # password reset (public; the link's secret is the key).
    "/admin/api-tokens/": (LOGIN, 403, 403, 403, 200),
    # Administration edits accounts and organisations (issue 21).
    "/admin/users/{user_id}": (LOGIN, 403, 403, 403, 200),
    "/admin/organisations/{organisation_id}": (LOGIN, 403, 403, 403, 200),
    "/audit/": (LOGIN, 403, 403, 200, 200),
    "/audit/export.csv": (LOGIN, 403, 403, 200, 200),
    "/privacy": (200, 200, 200, 200, 200),
    "/me/privacy": (LOGIN, 200, 403, 403, 403),
    "/council/members/{member_id}/extract.json": (LOGIN, 403, 403, 200, 403),
    "/council/members/{member_id}/erase": (LOGIN, 403, 403, 200, 403),
    "/password-reset": (200, 200, 200, 200, 200),
    "/password-reset/{reset_token}": (200, 200, 200, 200, 200),
    # The council's feed of all bookings: no sign-in, the secret in the URL is the key.
    "/calendar/council/{council_token}.ics": (200, 200, 200, 200, 200),
    # Scheduled work (issue 6): the council's job page and survey results; surveys and reviews
    # are reached by their secret link, and members and orderers list their own surveys.
    "/council/jobs/": (LOGIN, 403, 403, 200, 403),
    "/council/feedback/": (LOGIN, 403, 403, 200, 403),
    "/council/feedback/{request_id}": (LOGIN, 403, 403, 200, 403),
    "/feedback/": (LOGIN, 200, 200, 403, 403),
    "/feedback/{survey_token}": (200, 200, 200, 200, 200),
    "/reviews/{review_token}": (200, 200, 200, 200, 200),
    # Insight (issue 8): the council's pictures, their CSV and the target population.
    "/council/insight/": (LOGIN, 403, 403, 200, 403),
    "/council/insight/{chart}.csv": (LOGIN, 403, 403, 200, 403),
    "/council/insight/population": (LOGIN, 403, 403, 200, 403),
    "/council/insight/population.csv": (LOGIN, 403, 403, 200, 403),
    # The yearly report and recruitment targets (issue 20): the council, as the insight pages.
    "/council/insight/year": (LOGIN, 403, 403, 302, 403),
    "/council/insight/year/{year}": (LOGIN, 403, 403, 200, 403),
    "/council/insight/year/{year}.pdf": (LOGIN, 403, 403, 200, 403),
    "/council/insight/year/{year}.xlsx": (LOGIN, 403, 403, 200, 403),
    "/council/insight/targets/": (LOGIN, 403, 403, 200, 403),
    "/council/insight/targets/new": (LOGIN, 403, 403, 200, 403),
    "/council/insight/targets/{target_id}/edit": (LOGIN, 403, 403, 200, 403),
    # Patient groups per area (issue 20): health-related figures, the council only.
    "/council/insight/patient-groups/": (LOGIN, 403, 403, 200, 403),
    "/council/insight/patient-groups/{area_id}": (LOGIN, 403, 403, 200, 403),
    # Accessibility (issue 10): the glossary and the accessibility statement are public.
    "/glossary": (200, 200, 200, 200, 200),
    "/accessibility": (200, 200, 200, 200, 200),
    # Matching (issue 18): the council's weights (with a preview) and the acceptance model.
    "/council/weights": (LOGIN, 403, 403, 200, 403),
    "/council/model": (LOGIN, 403, 403, 200, 403),
    # Patient organisations (issue 20): the council's register, nominations and reports; the
    # organisation's contact answers a nomination and reads its report by secret link.
    "/council/organisations/": (LOGIN, 403, 403, 200, 403),
    "/council/organisations/{patient_org_id}": (LOGIN, 403, 403, 200, 403),
    "/council/organisations/{patient_org_id}/nominations/new": (LOGIN, 403, 403, 200, 403),
    "/council/organisations/{patient_org_id}/report": (LOGIN, 403, 403, 200, 403),
    "/council/nominations/{nomination_id}": (LOGIN, 403, 403, 200, 403),
    "/nominations/{nomination_token}": (200, 200, 200, 200, 200),
    "/organisations/report/{report_token}": (200, 200, 200, 200, 200),
    # Joining the pool (issue 20): the application is public; the pipeline is the council's.
    "/apply": (200, 200, 200, 200, 200),
    "/apply/thanks": (200, 200, 200, 200, 200),
    "/council/recruitment/": (LOGIN, 403, 403, 200, 403),
    "/council/recruitment/{applicant_id}": (LOGIN, 403, 403, 200, 403),
    # Introduction and training (issue 20): members book events; the council plans them,
    # records attendance and sets what each pool requires before proposals.
    "/me/events/": (LOGIN, 200, 403, 403, 403),
    "/council/events/": (LOGIN, 403, 403, 200, 403),
    "/council/events/new": (LOGIN, 403, 403, 200, 403),
    "/council/events/{event_id}": (LOGIN, 403, 403, 200, 403),
    "/council/events/{event_id}/edit": (LOGIN, 403, 403, 200, 403),
    "/council/requirements": (LOGIN, 403, 403, 200, 403),
    # Standing groups (issue 19): a term's attendance and evaluation; the orderer sees first names.
    "/orders/{request_id}/evaluation": (LOGIN, 403, 200, 403, 403),
    "/council/requests/{request_id}/evaluation": (LOGIN, 403, 403, 200, 403),
    # The member's own assignments and "I can't come" (issue 19).
    "/me/assignments/": (LOGIN, 200, 403, 403, 403),
    "/me/assignments/{assignment_id}": (LOGIN, 200, 403, 403, 403),
    "/me/assignments/{assignment_id}/cannot-come": (LOGIN, 200, 403, 403, 403),
    # Support after booking (issue 19): debriefs asked by the booked member, handled by the
    # council; GET shows the member her debrief state on one of her assignments.
    "/me/assignments/{assignment_id}/debrief": (LOGIN, 200, 403, 403, 403),
    "/council/debriefs": (LOGIN, 403, 403, 200, 403),
    # Needs and material (issue 19): the member's needs; a request's material, downloaded by
    # the people booked on it, the owning orderer and the council (never a diagnosis in it).
    "/me/needs": (LOGIN, 200, 403, 403, 403),
    "/orders/{request_id}/materials": (LOGIN, 403, 200, 403, 403),
    "/materials/{material_id}": (LOGIN, 200, 200, 200, 403),
}

# Routes that only take POST (forms); GET on them is 405 for everyone.
POST_ONLY = {
    "/logout",
    "/language/{code}",
    "/me/experiences",
    "/me/experiences/{experience_id}/delete",
    "/admin/organisations",
    "/admin/organisations/payer",
    "/admin/organisations/parent",
    "/admin/areas",
    "/admin/price-base-amounts",
    "/admin/contribution-rates",
    "/admin/mileage-rates",
    "/admin/figures/correct",
    "/admin/users",
    "/me/experiences/{experience_id}/edit",
    "/me/calendar/windows",
    "/me/calendar/windows/{window_id}",
    "/me/calendar/windows/{window_id}/delete",
    "/me/calendar/blocks",
    "/me/calendar/blocks/{period_id}/delete",
    "/me/calendar/pause",
    "/me/calendar/resume",
    "/me/calendar/token",
    "/me/consent/give",
    "/me/consent/withdraw",
    "/council/members/{member_id}/status",
    "/council/members/{member_id}/invite",
    "/taxonomy/areas",
    "/taxonomy/rename",
    "/taxonomy/merge",
    "/compensation/claims/{claim_id}/receipts",
    "/compensation/review/{claim_id}/attest",
    "/compensation/review/{claim_id}/return",
    "/compensation/batches/{batch_id}/fill",
    "/compensation/batches/{batch_id}/close",
    "/compensation/agreements/{assignment_id}/declaration",
    "/council/requests/{request_id}/approve",
    "/council/requests/{request_id}/swap",
    "/council/requests/{request_id}/ask",
    "/council/requests/{request_id}/decline",
    "/council/requests/{request_id}/cancel",
    "/invitations/{invitation_token}/accept",
    "/invitations/{invitation_token}/decline",
    "/orders/{request_id}/answer",
    "/orders/{request_id}/cancel",
    "/council/requests/{request_id}/changes/{change_id}",
    "/council/requests/{request_id}/sessions/{session_id}/move",
    "/admin/api-tokens/{token_id}/revoke",
    "/me/privacy/request",
    "/council/insight/population/import",
    "/council/insight/targets/{target_id}/close",
    "/council/requests/{request_id}/replace",
    "/council/requests/{request_id}/replacement-mode",
    "/council/requests/{request_id}/stand-ins",
    "/council/requests/{request_id}/quotas",
    "/council/requests/{request_id}/interest",
    "/council/requests/{request_id}/interest/end",
    "/council/requests/{request_id}/terms",
    "/council/calendar/token",
    "/orders/{request_id}/sessions/{session_id}/move",
    "/invitations/{invitation_token}/interest",
    "/orders/{request_id}/sessions/{session_id}/attendance",
    "/council/requests/{request_id}/sessions/{session_id}/attendance",
    "/admin/receipt-threshold",
    "/admin/users/{user_id}/disable",
    "/admin/users/{user_id}/enable",
    "/admin/organisations/{organisation_id}/disable",
    "/admin/organisations/{organisation_id}/enable",
    "/council/nominations/{nomination_id}/withdraw",
    "/council/organisations/{patient_org_id}/mandates/{member_id}/renew",
    "/council/organisations/{patient_org_id}/mandates/{member_id}/end",
    "/council/organisations/{patient_org_id}/report-link",
    "/council/recruitment/{applicant_id}/move",
    "/me/events/{event_id}/book",
    "/me/events/{event_id}/cancel",
    "/council/events/{event_id}/cancel",
    "/council/events/{event_id}/attendance",
    "/orders/{request_id}/meetings",
    "/orders/{request_id}/meetings/{session_id}/cancel",
    "/council/requests/{request_id}/meetings",
    "/council/requests/{request_id}/meetings/{session_id}/cancel",
    "/council/requests/{request_id}/renew",
    "/council/requests/{request_id}/conflicts/{assignment_id}",
    "/council/requests/{request_id}/coordinator",
    "/council/debriefs/{debrief_id}",
    "/orders/{request_id}/materials/{material_id}/attach",
    "/council/requests/{request_id}/materials",
}

ALL_VISITORS = [
    "anonymous",
    "member",
    "other_member",
    "orderer",
    "other_orderer",
    "council",
    "admin",
]

# Where another member or orderer B is answered differently from the owner:
# path → (another member, orderer of B).
OWNED = {
    "/orders/{request_id}": (403, 404),
    "/orders/{request_id}/evaluation": (403, 404),
    "/orders/{request_id}/edit": (403, 404),
    "/orders/{request_id}/change": (403, 404),
    "/compensation/assignments/{assignment_id}/claim": (404, 403),
    "/compensation/agreements/{assignment_id}": (404, 404),
    "/compensation/receipts/{receipt_id}": (404, 403),
    "/me/assignments/{assignment_id}": (404, 403),
    "/me/assignments/{assignment_id}/cannot-come": (404, 403),
    "/me/assignments/{assignment_id}/debrief": (404, 403),
    "/orders/{request_id}/materials": (403, 404),
    "/materials/{material_id}": (404, 404),
}

# "METHOD path" → status per visitor in ALL_VISITORS order (API: token, empty JSON body).
NO_TOKEN = 401
API_POLICY = {
    "GET /api/v1/openapi.json": (200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/docs": (200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/me": (NO_TOKEN, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/requests": (NO_TOKEN, 403, 403, 200, 200, 200, 403),
    "POST /api/v1/requests": (NO_TOKEN, 403, 403, 422, 422, 403, 403),
    "GET /api/v1/requests/{request_id}": (NO_TOKEN, 403, 403, 200, 404, 200, 403),
    "POST /api/v1/requests/{request_id}/cancel": (NO_TOKEN, 403, 403, 422, 404, 422, 403),
    "GET /api/v1/requests/{request_id}/proposal": (NO_TOKEN, 403, 403, 403, 403, 200, 403),
    "POST /api/v1/requests/{request_id}/approve": (NO_TOKEN, 403, 403, 403, 403, 422, 403),
    "POST /api/v1/requests/{request_id}/swap": (NO_TOKEN, 403, 403, 403, 403, 422, 403),
    "POST /api/v1/requests/{request_id}/ask": (NO_TOKEN, 403, 403, 403, 403, 422, 403),
    "POST /api/v1/requests/{request_id}/decline": (NO_TOKEN, 403, 403, 403, 403, 422, 403),
    "PUT /api/v1/requests/{request_id}/quotas": (NO_TOKEN, 403, 403, 403, 403, 422, 403),
    "PUT /api/v1/requests/{request_id}/sessions/{session_id}/attendance": (
        NO_TOKEN,
        403,
        403,
        422,
        404,
        422,
        403,
    ),
    "GET /api/v1/requests/{request_id}/terms": (NO_TOKEN, 403, 403, 403, 403, 200, 403),
    "POST /api/v1/requests/{request_id}/terms": (NO_TOKEN, 403, 403, 403, 403, 422, 403),
    "GET /api/v1/me/availability": (NO_TOKEN, 200, 200, 403, 403, 403, 403),
    "POST /api/v1/me/availability/windows": (NO_TOKEN, 422, 422, 403, 403, 403, 403),
    "PUT /api/v1/me/availability/windows/{window_id}": (NO_TOKEN, 422, 404, 403, 403, 403, 403),
    "DELETE /api/v1/me/availability/windows/{window_id}": (NO_TOKEN, 204, 404, 403, 403, 403, 403),
    "POST /api/v1/me/availability/periods": (NO_TOKEN, 422, 422, 403, 403, 403, 403),
    "DELETE /api/v1/me/availability/periods/{period_id}": (NO_TOKEN, 204, 404, 403, 403, 403, 403),
    "POST /api/v1/me/availability/pause": (NO_TOKEN, 422, 422, 403, 403, 403, 403),
    "POST /api/v1/me/availability/resume": (NO_TOKEN, 200, 200, 403, 403, 403, 403),
}


def expected_statuses(path: str) -> tuple[int, ...]:
    """Return a web route's expected status for each of the seven visitors."""
    anonymous, member, orderer, council, admin = POLICY[path]
    other_member, other_orderer = OWNED.get(path, (member, orderer))
    return (anonymous, member, other_member, orderer, other_orderer, council, admin)


def _pattern(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def test_every_route_is_in_the_policy(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    web = {_pattern(rule) for rule in rules if not rule.rule.startswith("/api/")}
    api = {
        f"{method} {_pattern(rule)}"
        for rule in rules
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert web == set(POLICY) | POST_ONLY
    assert api == set(API_POLICY)
    assert set(OWNED) <= set(POLICY)


def test_post_only_routes_refuse_get(app):
    client = app.test_client()
    ids = {"experience_id": 1, "window_id": 1, "period_id": 1, "member_id": 1, "code": "sv"}
    ids |= {"claim_id": 1, "batch_id": 1, "assignment_id": 1}
    ids |= {"request_id": 1, "invitation_token": "no-such-token", "session_id": 1}
    ids |= {"change_id": 1}
    ids |= {"token_id": 1, "user_id": 1, "organisation_id": 1, "applicant_id": 1}
    ids |= {"nomination_id": 1, "patient_org_id": 1, "target_id": 1, "event_id": 1}
    ids |= {"debrief_id": 1}
    ids |= {"material_id": 1}

    statuses = {path: client.get(path.format(**ids)).status_code for path in POST_ONLY}

    assert set(statuses.values()) == {405}


@pytest.fixture
def visitors(factory, app):
    """A signed-in client per kind of visitor, and a request of the orderer's organisation."""
    orderer = factory.user(Role.ORDERER)
    member_user = factory.user(Role.MEMBER)
    member = factory.member(user=member_user, calendar_token="feed-token-" + "x" * 30)
    invitee = factory.user(Role.MEMBER)
    council = factory.user(Role.COUNCIL)
    council.calendar_token = "council-feed-" + "x" * 30
    users = {
        "member": member_user,
        "orderer": orderer,
        "council": council,
        "admin": factory.user(Role.ADMIN),
    }
    other_member = factory.user(Role.MEMBER)
    factory.member(user=other_member)
    users |= {"other_member": other_member, "other_orderer": factory.user(Role.ORDERER)}
    clients = {"anonymous": app.test_client()}
    for name, user in users.items():
        clients[name] = app.test_client()
        assert login(clients[name], user.email).status_code == 302
    booking_request = factory.booking_request(orderer)
    invite_token = password_token(invitee, app.config["SECRET_KEY"])
    batch = PayoutBatch(period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
    factory.session.add(batch)
    invitation = Invitation(
        request_id=booking_request.id, member_id=member.id, token="invitation-" + "x" * 30
    )
    factory.session.add(invitation)
    survey = Survey(
        key="orderer:access",
        request_id=booking_request.id,
        respondent="orderer",
        token="survey-" + "x" * 30,
    )
    review = MemberReview(member_id=member.id, due_on=date(2026, 7, 1), token="review-" + "x" * 30)
    factory.session.add_all([survey, review])
    factory.session.flush()
    assignment = factory.assignment(member, booking_request)
    event = TrainingEvent(
        kind="introduction",
        title="Introduktion",
        starts_at=datetime(2030, 5, 6, 11, tzinfo=UTC),
        ends_at=datetime(2030, 5, 6, 14, tzinfo=UTC),
        place="Jönköping",
        capacity=10,
        ical_uid="access-event@levande-bibliotek",
    )
    factory.session.add(event)
    factory.session.flush()
    return clients, _organisation_links(factory) | {
        "event_id": event.id,
        "invitation_token": invitation.token,
        "assignment_id": assignment.id,
        "receipt_id": _receipt(factory, app, assignment).id,
        "material_id": _material(factory, app, booking_request).id,
        "batch_id": batch.id,
        "request_id": booking_request.id,
        "session_id": factory.request_session(
            booking_request, datetime(2026, 5, 4, 8, tzinfo=UTC)
        ).id,
        "chart": "pool_age",
        "member_id": member.id,
        "token": member.calendar_token,
        "council_token": council.calendar_token,
        "invite_token": invite_token,
        "reset_token": password_token(invitee, app.config["SECRET_KEY"], salt=RESET_SALT),
        "window_id": factory.weekly_window(member, weekday=0, start=9, end=12).id,
        "period_id": _blocked_period(factory, member).id,
        "users": users,
        "survey_token": survey.token,
        "review_token": review.token,
        "user_id": orderer.id,
        "organisation_id": orderer.organisation_id,
        "applicant_id": _applicant(factory).id,
        "year": 2026,
        "target_id": _target(factory, council).id,
        "area_id": factory.area("cancer").id,
    }


def _organisation_links(factory) -> dict:
    """A patient organisation with an open nomination and a report link, and their secrets."""
    organisation = factory.organisation(kind="patient_organisation")
    organisation.report_token_hash = hash_token("report-" + "x" * 30)
    organisation.report_link_expires_at = datetime(2100, 1, 1, tzinfo=UTC)
    nomination = Nomination(
        organisation_id=organisation.id,
        area_id=factory.area("cancer").id,
        mandate_ends_on=date(2100, 1, 1),
        answer_by=date(2099, 1, 1),
        token_hash=hash_token("nomination-" + "x" * 30),
    )
    factory.session.add_all([organisation, nomination])
    factory.session.flush()
    return {
        "patient_org_id": organisation.id,
        "nomination_id": nomination.id,
        "nomination_token": "nomination-" + "x" * 30,
        "report_token": "report-" + "x" * 30,
    }


def _applicant(factory):
    """An application to the pool (issue 20)."""
    area = factory.area("access/applicant")
    data = ApplicationInput(
        "Ada", "Ansökare", "ada@example.org", "", 1990, None, "Eksjö", ((area.id, "own"),), (), ""
    )
    return submit_application(data, session=factory.session, consent_text_version="2026-01")


def _target(factory, council) -> RecruitmentTarget:
    target = RecruitmentTarget(wanted_count=5, age_max=29, due_on=date(2027, 6, 30))
    target.created_by_id = council.id
    factory.session.add(target)
    factory.session.flush()
    return target


def _receipt(factory, app, assignment) -> ClaimReceipt:
    """A receipt (with its file) on a claim of the member's assignment."""
    claim = CompensationClaim(assignment_id=assignment.id, member_id=assignment.member_id)
    factory.session.add(claim)
    factory.session.flush()
    folder = receipt_folder(app.config)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "access-receipt.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    receipt = ClaimReceipt(
        claim_id=claim.id,
        original_name="kvitto.pdf",
        stored_name="access-receipt.pdf",
        content_type="application/pdf",
        size_bytes=15,
    )
    factory.session.add(receipt)
    factory.session.flush()
    return receipt


def _material(factory, app, booking_request) -> RequestMaterial:
    """A file of material on the request the member is booked on."""
    folder = material_folder(app.config)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "access-material.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    material = RequestMaterial(
        request_id=booking_request.id,
        title="Program",
        file_name="program.pdf",
        stored_name="access-material.pdf",
        content_type="application/pdf",
        size_bytes=15,
    )
    factory.session.add(material)
    factory.session.flush()
    return material


def _blocked_period(factory, member) -> AvailabilityException:
    period = AvailabilityException(
        member_id=member.id, start_date=date(2030, 7, 1), end_date=date(2030, 7, 14)
    )
    factory.session.add(period)
    factory.session.flush()
    return period


@pytest.mark.parametrize("path", sorted(POLICY))
def test_route_access_matches_policy(visitors, path):
    clients, ids = visitors
    url = path.format(**ids)

    statuses = tuple(clients[name].get(url).status_code for name in ALL_VISITORS)

    assert statuses == expected_statuses(path)


@pytest.mark.parametrize("operation", sorted(API_POLICY))
def test_api_access_matches_policy(visitors, app, factory, operation):
    _clients, ids = visitors
    method, path = operation.split(" ", 1)
    secrets = {name: token_for(factory, user) for name, user in ids["users"].items()}
    body = {} if method in ("POST", "PUT") else None

    statuses = tuple(
        ApiClient(app, secrets.get(name)).call(method, path.format(**ids), json=body).status_code
        for name in ALL_VISITORS
    )

    assert statuses == API_POLICY[operation]


def policy_markdown() -> str:
    """Return the whole policy as the README's Markdown table (403 forbidden, 404 not found)."""
    names = ["anonymous", "member", "other member", "orderer A", "orderer B", "council", "admin"]
    lines = ["| route | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]

    def cell(status: int, anonymous: bool) -> str:
        return "login" if anonymous and status == LOGIN else str(status)

    for path in sorted(POLICY):
        row = expected_statuses(path)
        cells = [cell(status, index == 0) for index, status in enumerate(row)]
        lines.append(f"| `GET {path}` | " + " | ".join(cells) + " |")
    for operation in sorted(API_POLICY, key=lambda op: (op.split(" ", 1)[1], op)):
        lines.append(f"| `{operation}` | " + " | ".join(map(str, API_POLICY[operation])) + " |")
    return "\n".join(lines)


def test_readme_states_the_whole_policy():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

    assert policy_markdown() in readme, (
        "README's access table is out of date: python -m tests.integration.test_access"
    )


if __name__ == "__main__":
    print(policy_markdown())


def test_orderer_of_another_organisation_gets_404_for_a_request(factory, app, visitors):
    _, ids = visitors
    other = factory.user(Role.ORDERER)
    client = app.test_client()
    login(client, other.email)

    assert client.get(f"/orders/{ids['request_id']}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/admin/organisations",
        "/admin/organisations/payer",
        "/admin/organisations/parent",
        "/admin/users",
        "/admin/mileage-rates",
        "/admin/users/1",
        "/admin/users/1/disable",
        "/admin/organisations/1/enable",
        "/compensation/agreements/1/declaration",
        "/me/experiences",
        "/me/calendar/windows",
        "/me/calendar/blocks",
        "/me/calendar/token",
        "/me/consent/withdraw",
        "/council/members/new",
        "/council/import/",
        "/council/requests/1/approve",
        "/council/requests/1/swap",
        "/council/requests/1/ask",
        "/council/requests/1/decline",
        "/council/requests/1/cancel",
        "/council/insight/population",
        "/council/insight/population/import",
        "/council/insight/targets/new",
        "/council/insight/targets/1/close",
        "/council/insight/patient-groups/1",
        "/council/requests/1/replace",
        "/council/requests/1/replacement-mode",
        "/council/requests/1/stand-ins",
        "/council/requests/1/quotas",
        "/council/requests/1/interest",
        "/council/requests/1/interest/end",
        "/council/requests/1/terms",
        "/council/calendar/token",
        "/council/weights",
        "/council/organisations/",
        "/council/organisations/1",
        "/council/organisations/1/nominations/new",
        "/council/organisations/1/mandates/1/renew",
        "/council/organisations/1/mandates/1/end",
        "/council/organisations/1/report-link",
        "/council/nominations/1/withdraw",
        "/council/events/new",
        "/council/events/1/edit",
        "/council/events/1/cancel",
        "/council/events/1/attendance",
        "/council/requirements",
        "/me/events/1/book",
        "/me/events/1/cancel",
        "/me/assignments/1/cannot-come",
        "/council/requests/1/conflicts/1",
        "/council/requests/1/coordinator",
        "/council/debriefs/1",
        "/me/assignments/1/debrief",
        "/council/requests/1/materials",
    ],
)
def test_post_routes_refuse_wrong_role(factory, csrf_free_app, path):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ORDERER).email)

    assert client.post(path, data={}).status_code == 403
