"""The JSON API: tokens, the orderer's, council's and member's operations, and the error shape."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import ApiToken, AuditEvent, BookingRequest, Invitation, WeeklyWindow
from app.models.enums import Role
from app.services.accounts.api_tokens import revoke_api_token
from tests.api_support import ApiClient, api_as, token_for
from tests.booking_support import booking_setting
from tests.pool_support import sent_mail

ERROR_KEYS = {"error", "message", "fields"}


def _future(days: int, hour: int = 10) -> str:
    moment = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return (moment + timedelta(days=days)).isoformat()


def _request_body(area_id: int, **changes) -> dict:
    body = {
        "title": "Patient perspective on the new cancer pathway",
        "purpose": "We redesign the pathway and want patients' view.",
        "expectations": "Read the draft and share your experience.",
        "participation": "dialogue",
        "assignment_type": "development",
        "area_ids": [area_id],
        "people_count": 2,
        "sessions": [{"starts_at": _future(20, 9), "ends_at": _future(20, 11)}],
        "format": "digital",
        "video_link": "https://meet.example/x",
        "contact_name": "Kim Kontakt",
    }
    return {**body, **changes}


@pytest.fixture
def outbox(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def test_a_call_without_a_valid_token_is_401_in_the_error_shape(app, factory):
    user = factory.user(Role.ORDERER)
    secret = token_for(factory, user)

    statuses = {
        "none": ApiClient(app, None).get("/api/v1/requests"),
        "wrong": ApiClient(app, "lvb_not-a-real-token").get("/api/v1/requests"),
        "basic": ApiClient(app, None).get(
            "/api/v1/requests", headers={"Authorization": f"Basic {secret}"}
        ),
    }

    for response in statuses.values():
        assert response.status_code == 401
        assert set(response.get_json()) == ERROR_KEYS
        assert response.get_json()["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="levbib"'


def test_revoked_expired_and_disabled_tokens_stop_working(app, factory, db_session):
    user = factory.user(Role.ORDERER)
    revoked, expired, disabled = (token_for(factory, user, n) for n in ("a", "b", "c"))
    tokens = {t.name: t for t in db_session.exec(select(ApiToken))}
    revoke_api_token(session=db_session, token_id=tokens["a"].id, actor_id=None)
    tokens["b"].expires_at = datetime.now(UTC) - timedelta(seconds=1)
    other = factory.user(Role.ORDERER)
    disabled = token_for(factory, other)
    other.is_enabled = False
    db_session.flush()

    statuses = [
        ApiClient(app, s).get("/api/v1/me").status_code for s in (revoked, expired, disabled)
    ]

    assert statuses == [401, 401, 401]


def test_the_token_is_stored_hashed_and_acts_as_its_user(app, factory, db_session):
    user = factory.user(Role.ORDERER)
    secret = token_for(factory, user)

    body = ApiClient(app, secret).get("/api/v1/me").get_json()

    stored = db_session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert secret not in (stored.token_hash, stored.prefix) and secret.startswith(stored.prefix)
    assert body == {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "role": "orderer",
        "organisation_id": user.organisation_id,
    }
    assert stored.last_used_at is not None


def test_a_signed_in_browser_session_does_not_open_the_api(app, factory):
    from tests.conftest import login

    user = factory.user(Role.COUNCIL)
    client = app.test_client()
    login(client, user.email)

    assert client.get("/api/v1/requests").status_code == 401


def test_orderer_creates_a_request_and_reads_it_back(app, factory, db_session):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("cancer")
    api = api_as(app, factory, orderer)

    created = api.post("/api/v1/requests", json=_request_body(area.id))

    assert created.status_code == 201
    body = created.get_json()
    assert created.headers["Location"] == f"/api/v1/requests/{body['id']}"
    assert (body["status"], body["title"], body["organisation_id"]) == (
        "submitted",
        "Patient perspective on the new cancer pathway",
        orderer.organisation_id,
    )
    assert [a["code"] for a in body["areas"]] == ["cancer"]
    assert len(body["sessions"]) == 1 and body["coming"] == []
    assert api.get(created.headers["Location"]).get_json() == body
    stored = db_session.get(BookingRequest, body["id"])
    assert (stored.orderer_id, stored.contact_name) == (orderer.id, "Kim Kontakt")


def test_the_service_rules_answer_422_with_fields(app, factory):
    orderer = factory.user(Role.ORDERER)
    api = api_as(app, factory, orderer)
    past = {"starts_at": "2020-01-01T10:00:00+01:00", "ends_at": "2020-01-01T12:00:00+01:00"}

    unknown_area = api.post("/api/v1/requests", json=_request_body(999_999))
    in_the_past = api.post(
        "/api/v1/requests", json=_request_body(factory.area("cancer").id, sessions=[past])
    )
    onsite = api.post(
        "/api/v1/requests", json=_request_body(factory.area("cancer").id, format="onsite")
    )

    assert (unknown_area.status_code, unknown_area.get_json()["fields"]) == (
        422,
        {"area_ids": "Unknown area."},
    )
    assert in_the_past.get_json()["fields"] == {"sessions": "Sessions must lie in the future."}
    assert onsite.get_json() == {
        "error": "invalid_input",
        "message": "The request has errors.",
        "fields": {"location": "An on-site request needs an address."},
    }


def test_schema_violations_name_the_field(app, factory):
    api = api_as(app, factory, factory.user(Role.ORDERER))

    response = api.post("/api/v1/requests", json={"title": 5, "colour": "red"})

    body = response.get_json()
    assert response.status_code == 422 and body["error"] == "invalid_input"
    assert {"title", "colour", "purpose", "sessions"} <= set(body["fields"])


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "malformed_json"),
        ("title=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ('{"title": "a\\u0000b"}', "application/json", 400, "bad_request"),
        ('{"title": "\\ud800"}', "application/json", 400, "bad_request"),
        ("[" * 50_000 + "]" * 50_000, "application/json", 400, "malformed_json"),
    ],
)
def test_bad_bodies_are_refused_before_any_view(app, factory, data, content_type, status, code):
    api = api_as(app, factory, factory.user(Role.ORDERER))

    response = api.post("/api/v1/requests", data=data, content_type=content_type)

    assert (response.status_code, response.get_json()["error"]) == (status, code)


def test_unknown_paths_and_methods_answer_json(app, factory):
    api = api_as(app, factory, factory.user(Role.ORDERER))

    missing = api.get("/api/v1/no-such-thing")
    wrong_method = api.call("PATCH", "/api/v1/requests")
    huge_id = api.get("/api/v1/requests/99999999999999999999")

    assert (missing.status_code, missing.get_json()["error"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.get_json()["error"]) == (
        405,
        "method_not_allowed",
    )
    assert (huge_id.status_code, huge_id.get_json()["error"]) == (404, "not_found")


def test_orderers_see_only_their_organisations_requests(app, factory):
    mine, theirs = factory.user(Role.ORDERER), factory.user(Role.ORDERER)
    own = factory.booking_request(mine, title="Ours")
    other = factory.booking_request(theirs, title="Theirs")
    api = api_as(app, factory, mine)

    listed = api.get("/api/v1/requests").get_json()["items"]

    assert [item["id"] for item in listed] == [own.id]
    assert api.get(f"/api/v1/requests/{other.id}").status_code == 404
    assert api.post(f"/api/v1/requests/{other.id}/cancel", json={"reason": "x"}).status_code == 404


def test_council_lists_every_request_and_filters_by_status(app, factory):
    council = factory.user(Role.COUNCIL)
    first = factory.booking_request(factory.user(Role.ORDERER))
    second = factory.booking_request(factory.user(Role.ORDERER), status="declined")
    api = api_as(app, factory, council)

    everything = {i["id"] for i in api.get("/api/v1/requests").get_json()["items"]}
    declined = [i["id"] for i in api.get("/api/v1/requests?status=declined").get_json()["items"]]
    open_ones = {i["id"] for i in api.get("/api/v1/requests?only_open=true").get_json()["items"]}

    assert {first.id, second.id} <= everything
    assert second.id in declined and first.id not in declined
    assert first.id in open_ones and second.id not in open_ones
    assert api.get("/api/v1/requests?status=nonsense").status_code == 422


def test_council_reads_the_proposal_with_score_parts(app, factory, db_session):
    request, _row, members, _orderer, council = booking_setting(factory, db_session)
    api = api_as(app, factory, council)

    response = api.get(f"/api/v1/requests/{request.id}/proposal")

    body = response.get_json()
    assert response.status_code == 200
    assert len(body["group"]) == 2
    assert {c["member_id"] for c in body["ranked"]} == {m.id for m in members}
    first = body["ranked"][0]
    assert {"relevance", "load", "acceptance"} <= set(first["parts"])
    assert first["rank"] == 1 and first["reasons"] and set(first["reasons"][0]) == {"code", "text"}
    audit = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "request.proposal.read")
    ).all()
    assert [(e.actor_id, e.subject_id) for e in audit] == [(council.id, request.id)]


def test_while_asking_for_interest_the_proposal_ranks_only_the_yes_sayers(app, factory, db_session):
    from app.services.booking.interest import answer_interest, ask_for_interest
    from app.services.booking.invitation_mail import MailContext

    request, row, members, _orderer, council = booking_setting(factory, db_session, people=5)
    ctx = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")
    asked = ask_for_interest(
        session=db_session,
        booking_request=request,
        count=4,
        deadline=row.starts_at - timedelta(days=3),
        actor=council,
        ctx=ctx,
    )
    for invitation, yes in zip(asked, (True, False, True, False), strict=True):
        answer_interest(session=db_session, token=invitation.token, interested=yes, ctx=ctx)
    db_session.commit()

    body = api_as(app, factory, council).get(f"/api/v1/requests/{request.id}/proposal").get_json()

    yes_ids = {asked[0].member_id, asked[2].member_id}
    assert {c["member_id"] for c in body["ranked"]} == yes_ids
    assert set(body["group"]) == yes_ids


def test_council_swaps_approves_and_a_second_approval_is_a_conflict(
    app, factory, db_session, outbox
):
    request, _row, members, _orderer, council = booking_setting(factory, db_session)
    api = api_as(app, factory, council)
    proposal = api.get(f"/api/v1/requests/{request.id}/proposal").get_json()
    outside = next(c["member_id"] for c in proposal["ranked"] if not c["in_group"])

    swapped = api.post(
        f"/api/v1/requests/{request.id}/swap",
        json={"group": proposal["group"], "out_id": proposal["group"][0], "in_id": outside},
    )
    group = swapped.get_json()["group"]
    approved = api.post(f"/api/v1/requests/{request.id}/approve", json={"member_ids": group})
    again = api.post(f"/api/v1/requests/{request.id}/approve", json={"member_ids": group})

    assert swapped.status_code == 200 and group == [outside, proposal["group"][1]]
    assert approved.status_code == 200
    assert approved.get_json()["invited"] == group
    assert approved.get_json()["request"]["status"] == "approved"
    invited = db_session.exec(
        select(Invitation.member_id).where(Invitation.request_id == request.id)
    )
    assert sorted(invited) == sorted(group)
    assert len(sent_mail(outbox, app)) == 2
    assert (again.status_code, again.get_json()["error"]) == (409, "conflict")


def test_approving_someone_ineligible_is_422(app, factory, db_session):
    request, _row, _members, _orderer, council = booking_setting(factory, db_session)
    stranger = factory.member(last_name="Stranger")

    response = api_as(app, factory, council).post(
        f"/api/v1/requests/{request.id}/approve", json={"member_ids": [stranger.id]}
    )

    assert (response.status_code, response.get_json()["message"]) == (
        422,
        "Choose up to the requested number of eligible people.",
    )


def test_council_declines_and_the_orderer_cancels(app, factory, db_session, outbox):
    orderer = factory.user(Role.ORDERER)
    council = factory.user(Role.COUNCIL)
    declined = factory.booking_request(orderer)
    cancelled = factory.booking_request(orderer)

    decline = api_as(app, factory, council).post(
        f"/api/v1/requests/{declined.id}/decline", json={"reason": "Outside our remit."}
    )
    cancel = api_as(app, factory, orderer).post(
        f"/api/v1/requests/{cancelled.id}/cancel", json={"reason": "The meeting is off."}
    )
    blank = api_as(app, factory, orderer).post(
        f"/api/v1/requests/{declined.id}/cancel", json={"reason": "again"}
    )

    assert (decline.status_code, decline.get_json()["status"]) == (200, "declined")
    assert decline.get_json()["status_message"] == "Outside our remit."
    assert (cancel.status_code, cancel.get_json()["status"]) == (200, "cancelled")
    assert blank.status_code == 409
    # The orderer gets the decline; the council is told of the orderer's cancellation.
    assert [m["To"] for m in sent_mail(outbox, app)] == [orderer.email, "radet@region.example"]


def test_roles_outside_an_operation_get_403(app, factory):
    member_api = api_as(app, factory, factory.user(Role.MEMBER))
    orderer_api = api_as(app, factory, factory.user(Role.ORDERER))
    council_api = api_as(app, factory, factory.user(Role.COUNCIL))

    assert member_api.get("/api/v1/requests").status_code == 403
    assert orderer_api.get("/api/v1/requests/1/proposal").status_code == 403
    assert council_api.post("/api/v1/requests", json={}).status_code == 403
    assert council_api.get("/api/v1/me/availability").status_code == 403


def test_member_reads_and_writes_own_availability(app, factory, db_session):
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user)
    other = factory.member()
    foreign = factory.weekly_window(other, weekday=0, start=9, end=12)
    api = api_as(app, factory, user)

    added = api.post(
        "/api/v1/me/availability/windows",
        json={"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
    )
    overlap = api.post(
        "/api/v1/me/availability/windows",
        json={"weekday": 1, "start_time": "11:00", "end_time": "13:00"},
    )
    moved = api.put(
        f"/api/v1/me/availability/windows/{added.get_json()['id']}",
        json={"weekday": 2, "start_time": "13:00", "end_time": "16:00"},
    )
    blocked = api.post(
        "/api/v1/me/availability/periods",
        json={"start_date": "2030-07-01", "end_date": "2030-07-31", "kind": "vacation"},
    )
    paused = api.post("/api/v1/me/availability/pause", json={"until": "2030-12-31"})
    foreign_put = api.put(
        f"/api/v1/me/availability/windows/{foreign.id}",
        json={"weekday": 2, "start_time": "13:00", "end_time": "16:00"},
    )

    assert added.status_code == 201
    assert (overlap.status_code, overlap.get_json()["fields"]) == (
        422,
        {"start_time": "This overlaps another window on the same day."},
    )
    assert moved.get_json() == {
        "id": added.get_json()["id"],
        "weekday": 2,
        "start_time": "13:00",
        "end_time": "16:00",
    }
    assert blocked.status_code == 201 and blocked.get_json()["withdrawn_assignment_ids"] == []
    assert paused.get_json()["paused_until"] == "2030-12-31"
    assert foreign_put.status_code == 404
    assert db_session.get(WeeklyWindow, foreign.id).weekday == 0
    state = api.get("/api/v1/me/availability").get_json()
    assert [w["weekday"] for w in state["windows"]] == [2]
    assert [(p["start_date"], p["kind"]) for p in state["periods"]] == [("2030-07-01", "vacation")]
    period_id = state["periods"][0]["id"]
    assert api.delete(f"/api/v1/me/availability/periods/{period_id}").status_code == 204
    assert api.post("/api/v1/me/availability/resume").get_json()["paused_until"] is None
    assert member.id != other.id


def test_blocking_a_booked_period_needs_confirmation(app, factory, db_session):
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user)
    request = factory.booking_request(factory.user(Role.ORDERER))
    assignment = factory.assignment(member, request)
    day = (datetime.now(UTC) + timedelta(days=14)).date()
    body = {
        "start_date": (day - timedelta(days=1)).isoformat(),
        "end_date": (day + timedelta(days=1)).isoformat(),
    }
    api = api_as(app, factory, user)

    refused = api.post("/api/v1/me/availability/periods", json=body)
    confirmed = api.post("/api/v1/me/availability/periods", json={**body, "confirm_withdraw": True})

    assert (refused.status_code, refused.get_json()["error"]) == (409, "withdrawal_needed")
    assert "confirm_withdraw" in refused.get_json()["fields"]
    assert confirmed.status_code == 201
    assert confirmed.get_json()["withdrawn_assignment_ids"] == [assignment.id]


def test_errors_speak_swedish_when_asked(app, factory):
    api = ApiClient(app, token_for(factory, factory.user(Role.MEMBER)), language="sv")

    body = api.get("/api/v1/requests").get_json()

    assert body == {"error": "forbidden", "message": "Din roll får inte göra detta.", "fields": {}}


def test_the_orderer_reading_who_is_coming_is_audited(app, factory, db_session):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, status="booked")
    member = factory.member(first_name="Alva", experiences=(("cancer", "own"),))
    factory.assignment(member, request)

    body = api_as(app, factory, orderer).get(f"/api/v1/requests/{request.id}").get_json()

    assert body["coming"] == [
        {"first_name": "Alva", "experiences": [{"area_code": "cancer", "type": "own"}]}
    ]
    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "member.health_data.read")
    ).all()
    assert [(e.actor_id, e.subject_id, e.detail["via"]) for e in events] == [
        (orderer.id, member.id, "request.coming")
    ]


def test_the_api_is_rate_limited_per_token(app_config, factory):
    from app import create_app

    app = create_app({**app_config, "API_RATE_LIMIT": "3 per minute"})
    api = api_as(app, factory, factory.user(Role.COUNCIL))

    statuses = [api.get("/api/v1/me").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert api.get("/api/v1/me").get_json()["error"] == "rate_limited"


def test_the_openapi_document_and_its_page(app):
    client = app.test_client()

    document = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/v1/docs").get_data(as_text=True)

    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"] == {
        "bearerAuth": {"scheme": "bearer", "type": "http"}
    }
    for path, item in document["paths"].items():
        for method in item:
            assert f"<code>{method.upper()} {path}</code>" in page
    # No third-party or inline script: only the service's own static files (the page's tables).
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all(re.fullmatch(r' src="/static/js/[\w-]+\.js" defer', s) for s in scripts)
    assert "//cdn" not in page


def test_days_outside_the_service_years_are_422(app, factory):
    user = factory.user(Role.MEMBER)
    factory.member(user=user)

    response = api_as(app, factory, user).post(
        "/api/v1/me/availability/periods",
        json={"start_date": "9999-12-31", "end_date": "9999-12-31"},
    )

    assert response.status_code == 422 and set(response.get_json()["fields"]) == {
        "start_date",
        "end_date",
    }


def test_the_request_list_pages_with_limit_and_offset(app, factory):
    orderer = factory.user(Role.ORDERER)
    made = [factory.booking_request(orderer, title=f"R{n}").id for n in range(3)]
    api = api_as(app, factory, orderer)

    first = api.get("/api/v1/requests?limit=2").get_json()
    rest = api.get("/api/v1/requests?limit=2&offset=2").get_json()
    too_many = api.get("/api/v1/requests?limit=501")

    assert (first["total"], rest["total"]) == (3, 3)
    assert [i["id"] for i in first["items"] + rest["items"]] == sorted(made, reverse=True)
    assert too_many.status_code == 422 and "limit" in too_many.get_json()["fields"]


def test_the_request_list_shows_first_session_session_count_and_organisation(app, factory):
    from app.models import Organisation, RequestSession

    orderer = factory.user(Role.ORDERER)
    made = factory.booking_request(orderer, title="Two meetings")
    first = factory.session.exec(
        select(RequestSession).where(RequestSession.request_id == made.id)
    ).one()
    factory.session.add(
        RequestSession(
            request_id=made.id,
            starts_at=first.starts_at + timedelta(days=7),
            ends_at=first.ends_at + timedelta(days=7),
            ical_uid="second@test",
        )
    )
    factory.session.flush()
    api = api_as(app, factory, orderer)

    listed = api.get("/api/v1/requests").get_json()
    beyond = api.get("/api/v1/requests?offset=5").get_json()

    (item,) = listed["items"]
    assert item["session_count"] == 2
    assert datetime.fromisoformat(item["first_session_at"]) == first.starts_at
    assert item["organisation_id"] == orderer.organisation_id
    assert item["organisation_name"] == factory.session.get(Organisation, made.organisation_id).name
    assert (listed["total"], beyond["total"], beyond["items"]) == (1, 1, [])
