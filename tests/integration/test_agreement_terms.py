"""Agreement terms per assignment and person (docs/domain.md §6.1–§6.2), on both databases.

The council sets extra agreed time, the hourly alternative and the employment exemption on the
request page or by API; the invitation, the agreement, the claim and the API show them; the
routine's worked example (§7) is priced by the engine with the year's exact amounts.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.mail.context import MailContext
from app.models import Assignment, BookingRequest, Invitation, RequestSession, User
from app.models.enums import Role
from app.services.compensation import fees
from app.services.compensation.agreements import agreement_for
from app.services.compensation.claim_flow import save_claim
from app.services.compensation.claims import ClaimInput, claim_lines, open_claim
from app.services.compensation.fee_tables import load_tables
from app.services.compensation.terms import Terms, set_agreement_terms
from tests.api_support import api_as
from tests.booking_support import approve, booking_setting, local_time, queued
from tests.clock_support import local_days_ahead
from tests.compensation_support import booked_assignment
from tests.conftest import login

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _council_client(app, factory, lang="sv"):
    council = factory.user(Role.COUNCIL)
    client = app.test_client()
    login(client, council.email)
    with client.session_transaction() as state:
        state["lang"] = lang
    return client, council


def _member_client(app, factory, member, lang="sv"):
    client = app.test_client()
    login(client, factory.session.get(User, member.user_id).email)
    with client.session_transaction() as state:
        state["lang"] = lang
    return client


def _text(html: str) -> str:
    return html.replace("\u00a0", " ").replace("\u202f", " ")


def test_council_sets_terms_on_the_request_page_and_agreement_claim_and_api_show_them(
    factory, db_session, csrf_free_app
):
    assignment, member, _ = booked_assignment(factory, hours=1.5)
    client, council = _council_client(csrf_free_app, factory)

    page = client.get(f"/council/requests/{assignment.request_id}")
    saved = client.post(
        f"/council/requests/{assignment.request_id}/terms",
        data={"terms-member_id": member.id, "terms-extra_hours": "1", "terms-is_hourly": "y"},
    )
    db_session.expire_all()
    stored = db_session.get(Assignment, assignment.id)
    member_client = _member_client(csrf_free_app, factory, member)
    agreement = _text(
        member_client.get(f"/compensation/agreements/{assignment.id}").get_data(as_text=True)
    )
    claim_page = _text(
        member_client.get(f"/compensation/assignments/{assignment.id}/claim").get_data(as_text=True)
    )
    api = api_as(csrf_free_app, factory, council).get(
        f"/api/v1/requests/{assignment.request_id}/terms"
    )

    assert (page.status_code, 'id="terms-form"' in page.get_data(as_text=True)) == (200, True)
    assert saved.status_code == 302
    assert (stored.extra_minutes, stored.is_hourly, stored.is_part_of_employment) == (
        60,
        True,
        False,
    )
    # 1.5 h (2 started hours) and 1 h extra, each started hour at 296 kr (2026): 3 × 296.
    assert "överenskommen extra tid 1 h; arvode per timme" in agreement
    assert re.search(r"<dt>Arvode</dt><dd>([^<(]*)", agreement).group(1).strip() == "888 kr"
    assert "överenskommen extra tid 1 h; arvode per timme" in claim_page
    assert api.get_json() == {
        "people": [
            {
                "member_id": member.id,
                "name": member.display_name,
                "status": "booked",
                "extra_minutes": 60,
                "is_hourly": True,
                "is_part_of_employment": False,
            }
        ]
    }


def test_hourly_is_refused_for_an_effort_longer_than_two_hours(factory, db_session, csrf_free_app):
    assignment, member, _ = booked_assignment(factory, hours=3)
    client, _ = _council_client(csrf_free_app, factory)

    refused = client.post(
        f"/council/requests/{assignment.request_id}/terms",
        data={"terms-member_id": member.id, "terms-extra_hours": "0", "terms-is_hourly": "y"},
    )
    db_session.expire_all()

    assert refused.status_code == 422
    assert "Timarvode gäller bara insatser på högst två timmar" in refused.get_data(as_text=True)
    assert db_session.get(Assignment, assignment.id).is_hourly is False


def test_bad_extra_hours_are_refused_in_swedish_without_a_change(
    factory, db_session, csrf_free_app
):
    assignment, member, _ = booked_assignment(factory)
    client, _ = _council_client(csrf_free_app, factory)

    answers = [
        client.post(
            f"/council/requests/{assignment.request_id}/terms",
            data={"terms-member_id": member.id, "terms-extra_hours": value},
        )
        for value in ("-1", "41", "åtta", "", "NaN", "sNaN", "Infinity")
    ]
    db_session.expire_all()

    assert [answer.status_code for answer in answers] == [422] * 7
    assert "Ange ett antal timmar från 0 till 40." in answers[4].get_data(as_text=True)
    assert db_session.get(Assignment, assignment.id).extra_minutes == 0


def test_api_sets_the_employment_exemption_and_the_agreement_says_why(
    factory, db_session, csrf_free_app
):
    assignment, member, _ = booked_assignment(factory)
    council = factory.user(Role.COUNCIL)
    api = api_as(csrf_free_app, factory, council)

    answer = api.post(
        f"/api/v1/requests/{assignment.request_id}/terms",
        json={"member_id": member.id, "is_part_of_employment": True},
    )
    db_session.expire_all()
    agreement = agreement_for(
        session=db_session,
        user=factory.session.get(User, member.user_id),
        assignment_id=assignment.id,
        zone=STOCKHOLM,
    )

    assert (answer.status_code, answer.get_json()["is_part_of_employment"]) == (200, True)
    assert (agreement.fee_total, [line.reason for line in agreement.lines]) == (
        0,
        ["part_of_employment"],
    )


def test_api_refuses_bad_terms_with_422(factory, db_session, csrf_free_app):
    assignment, member, _ = booked_assignment(factory, hours=3)
    api = api_as(csrf_free_app, factory, factory.user(Role.COUNCIL))
    path = f"/api/v1/requests/{assignment.request_id}/terms"

    answers = [
        api.post(path, json=body)
        for body in (
            {"member_id": member.id, "extra_minutes": -1},
            {"member_id": member.id, "extra_minutes": "60"},
            {"member_id": member.id, "extra_minutes": 60.5},
            {"member_id": member.id, "is_hourly": True},
            {"member_id": member.id, "surprise": 1},
        )
    ]
    unknown = api.post(path, json={"member_id": member.id + 999})
    db_session.expire_all()

    assert [answer.status_code for answer in answers] == [422, 422, 422, 422, 422]
    assert answers[3].get_json()["fields"] == {
        "is_hourly": "The hourly fee is only for efforts up to two hours including travel."
    }
    assert unknown.status_code == 404
    assert db_session.get(Assignment, assignment.id).is_hourly is False


def _invited(factory, db_session, **kwargs):
    """Return (request, member, invitation): one pending invitation to a one-session request."""
    assignment, member, _ = booked_assignment(factory, **kwargs)
    request = db_session.get(BookingRequest, assignment.request_id)
    db_session.delete(assignment)
    request.status = "approved"
    invitation = Invitation(
        request_id=request.id, member_id=member.id, token=f"tok-{request.id}-" + "t" * 30
    )
    db_session.add_all([request, invitation])
    db_session.flush()
    return request, member, invitation


def test_the_invitation_shows_the_fee_and_terms_set_before_the_answer(
    factory, db_session, csrf_free_app
):
    request, member, invitation = _invited(factory, db_session, hours=2)
    set_agreement_terms(
        session=db_session,
        request_id=request.id,
        member_id=member.id,
        terms=Terms(extra_minutes=480),
        actor_id=None,
    )

    answer = csrf_free_app.test_client().get(f"/invitations/{invitation.token}")
    page = _text(answer.get_data(as_text=True))

    assert answer.status_code == 200
    assert "överenskommen extra tid 8 h" in page
    # A short session (533 kr) and a reading day paid as a full day (2 131 kr), 2026.
    assert "Förväntat arvode: 2 664 kr" in page
    assert "2026-05-04, 2 h: 533 kr (Kort, upp till 2 tim)" in page
    assert "Överenskommen extra tid, 8 h: 2 131 kr (Heldag, över 4 tim)" in page
    assert "bil 25 kr per mil" in page
    assert "Försäkringskassan" in page


def test_a_missing_figure_is_named_on_the_invitation_not_an_error(
    factory, db_session, csrf_free_app
):
    _, _, invitation = _invited(factory, db_session, start=local_time(date(2019, 5, 6), 10))

    answer = csrf_free_app.test_client().get(f"/invitations/{invitation.token}")

    assert answer.status_code == 200
    assert "Arvodet för 2019 är inte fastställt ännu." in answer.get_data(as_text=True)


def test_terms_carry_over_to_the_assignment_on_acceptance(factory, db_session, csrf_free_app):
    request, member, invitation = _invited(factory, db_session, hours=1, start=local_days_ahead(10))
    set_agreement_terms(
        session=db_session,
        request_id=request.id,
        member_id=member.id,
        terms=Terms(extra_minutes=90, is_hourly=True),
        actor_id=None,
    )

    accepted = csrf_free_app.test_client().post(
        f"/invitations/{invitation.token}/accept", data={"agrees": "y"}
    )

    assert accepted.status_code == 302
    db_session.expire_all()
    booked = db_session.exec(select(Assignment).where(Assignment.request_id == request.id)).one()
    assert (booked.extra_minutes, booked.is_hourly, booked.is_part_of_employment) == (
        90,
        True,
        False,
    )


def test_people_booked_to_speak_at_an_open_information_meeting_are_paid(factory, db_session):
    assignment, member, _ = booked_assignment(factory, is_open_information_meeting=True)

    agreement = agreement_for(
        session=db_session,
        user=factory.session.get(User, member.user_id),
        assignment_id=assignment.id,
        zone=STOCKHOLM,
    )

    assert (agreement.fee_total, [line.reason for line in agreement.lines]) == (2131, [""])


def _working_group_2021(factory, db_session):
    """The routine's year: 4 full days, 4 half days, 6 short video check-ins, in 2021."""
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, title="Arbetsgrupp 2021")
    for old in db_session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ):
        db_session.delete(old)
    db_session.flush()
    day = date(2021, 2, 1)
    for hours in [6] * 4 + [3] * 4 + [1] * 6:
        factory.request_session(request, local_time(day, 9), hours=hours)
        day += timedelta(days=14)
    members = [factory.member(user=factory.user(Role.MEMBER)) for _ in range(2)]
    return request, [(factory.assignment(m, request), m) for m in members]


def test_the_worked_example_with_a_reading_day_each_uses_the_years_exact_amounts(
    factory, db_session, csrf_free_app
):
    request, booked = _working_group_2021(factory, db_session)
    client, _ = _council_client(csrf_free_app, factory)

    saved = [
        client.post(
            f"/council/requests/{request.id}/terms",
            data={"terms-member_id": member.id, "terms-extra_hours": "8"},
        ).status_code
        for _, member in booked
    ]
    db_session.expire_all()
    per_person = [
        open_claim(session=db_session, member=member, assignment_id=a.id, zone=STOCKHOLM)
        for a, member in booked
    ]
    reading_days = [
        [
            line
            for line in claim_lines(session=db_session, claim_id=c.id)
            if not line.request_session_id
        ]
        for c in per_person
    ]
    agreements = [
        agreement_for(
            session=db_session,
            user=factory.session.get(User, member.user_id),
            assignment_id=a.id,
            zone=STOCKHOLM,
        ).fee_total
        for a, member in booked
    ]
    cost = fees.cost_summary([c.fee_sek for c in per_person], Decimal("31.42"), travel=8 * 1000)

    assert saved == [302, 302]
    # 4 × 1 714 + 4 × 857 + 6 × 428 + 1 714 (the reading day, a full day) = 14 566 per member.
    assert [c.fee_sek for c in per_person] == [14_566, 14_566]
    assert agreements == [14_566, 14_566]
    assert [
        [(line.minutes, line.fee_class, line.fee_sek) for line in lines] for lines in reading_days
    ] == [
        [(480, "full_day", 1714)],
        [(480, "full_day", 1714)],
    ]
    assert (cost.fees, cost.contributions, cost.total) == (29_132, 9_154, 46_286)


def test_the_invitation_mail_states_the_fee_travel_rules_and_benefits_note(factory, db_session):
    request, row, members, _, council = booking_setting(factory, db_session)
    tables = load_tables(session=db_session)
    year = row.starts_at.astimezone(STOCKHOLM).year

    approve(db_session, request, members, council, MailContext(base_url="https://levbib.example"))

    body = queued(db_session)[0]["body"]
    if year in tables.pbb:  # the session is two weeks ahead: its year's PBB may not exist yet
        short = fees.class_amounts(tables.pbb[year])[fees.SHORT]
        expected = f"Expected fee: {short} kr in total (taxable), for 2 hours excluding travel."
    else:
        expected = f"The fee for {year} is not yet set."
    assert expected in body
    assert "Travel is reimbursed: tickets as paid (book early, cheaply and greenly); car" in body
    assert "Check with the Social Insurance Agency (Försäkringskassan)" in body


def test_changed_terms_recompute_a_draft_claim_and_a_submitted_claim_refuses(
    factory, db_session, csrf_free_app
):
    assignment, member, _ = booked_assignment(factory, hours=5)
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )
    api = api_as(csrf_free_app, factory, factory.user(Role.COUNCIL))
    path = f"/api/v1/requests/{assignment.request_id}/terms"

    with_reading_day = api.post(path, json={"member_id": member.id, "extra_minutes": 480})
    db_session.expire_all()
    fee_with_reading_day = db_session.get(type(claim), claim.id).fee_sek
    without = api.post(path, json={"member_id": member.id, "extra_minutes": 0})
    db_session.expire_all()
    fee_without = db_session.get(type(claim), claim.id).fee_sek
    save_claim(session=db_session, member=member, claim_id=claim.id, submit=True, data=ClaimInput())
    refused = api.post(path, json={"member_id": member.id, "extra_minutes": 60})

    assert (with_reading_day.status_code, without.status_code) == (200, 200)
    assert (fee_with_reading_day, fee_without) == (2 * 2131, 2131)
    assert refused.status_code == 409
