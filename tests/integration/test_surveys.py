"""Feedback surveys after each assignment: sent once, answered by secret link, results shown."""

from datetime import timedelta

from sqlmodel import select

from app.models import AuditEvent, Feedback, Survey
from app.models.enums import Role
from app.services.feedback.surveys import answer_survey, send_feedback_surveys
from tests.pool_support import signed_in, signed_in_member
from tests.scheduling_support import CTX, START, booked_request, outbox

ENDED = START + timedelta(hours=2)


def _send(db_session, now):
    return send_feedback_surveys(session=db_session, now=now, ctx=CTX)


def _surveys(db_session):
    query = select(Survey).order_by(Survey.id).execution_options(populate_existing=True)
    return list(db_session.exec(query))


def test_each_member_and_the_orderer_get_one_survey_after_the_last_session(factory, db_session):
    request, _, members, orderer = booked_request(factory)

    early = _send(db_session, ENDED + timedelta(hours=1))
    first = _send(db_session, ENDED + timedelta(hours=3))
    again = _send(db_session, ENDED + timedelta(days=2))

    assert [t.queued for t in (early, first, again)] == [0, 3, 0]
    assert [(s.respondent, s.request_id) for s in _surveys(db_session)] == [
        ("member", request.id),
        ("member", request.id),
        ("orderer", request.id),
    ]
    rows = outbox(db_session)
    assert [r.recipient for r in rows] == [members[0].email, members[1].email, orderer.email]
    token = _surveys(db_session)[0].token
    assert f"https://levbib.example/feedback/{token}" in rows[0].body


def test_no_survey_for_an_assignment_that_ended_long_before_a_downtime_ended(factory, db_session):
    booked_request(factory)

    tally = _send(db_session, ENDED + timedelta(days=31))

    assert (tally.queued, _surveys(db_session)) == (0, [])


def _member_form(**overrides):
    return {
        "purpose_clear": "4",
        "material_in_time": "2",
        "felt_heard": "5",
        "free_text": "Bra möte.",
    } | overrides


def test_member_answers_through_the_secret_link_once(factory, db_session, csrf_free_client):
    booked_request(factory)
    _send(db_session, ENDED + timedelta(hours=3))
    survey = _surveys(db_session)[0]

    page = csrf_free_client.get(f"/feedback/{survey.token}")
    answered = csrf_free_client.post(f"/feedback/{survey.token}", data=_member_form())
    twice = csrf_free_client.post(f"/feedback/{survey.token}", data=_member_form())

    assert (page.status_code, answered.status_code, twice.status_code) == (200, 302, 409)
    [feedback] = db_session.exec(select(Feedback)).all()
    assert (feedback.respondent, feedback.assignment_id) == ("member", survey.assignment_id)
    assert feedback.answers == {"purpose_clear": 4, "material_in_time": 2, "felt_heard": 5}
    assert feedback.free_text == "Bra möte."
    assert _surveys(db_session)[0].feedback_id == feedback.id


def test_an_incomplete_answer_is_refused_with_422(factory, db_session, csrf_free_client):
    booked_request(factory)
    _send(db_session, ENDED + timedelta(hours=3))
    survey = _surveys(db_session)[0]

    response = csrf_free_client.post(f"/feedback/{survey.token}", data=_member_form(felt_heard=""))

    assert response.status_code == 422
    assert db_session.exec(select(Feedback)).all() == []


def test_unknown_survey_link_is_404(client):
    assert client.get("/feedback/no-such-token").status_code == 404


def test_what_the_orderer_says_it_led_to_is_shown_on_the_members_assignment(
    factory, db_session, app
):
    client, _, member = signed_in_member(app, factory, email="me@example.org")
    request, _, _, _ = booked_request(factory, people=1)
    assignment = factory.assignment(member, request)
    _send(db_session, ENDED + timedelta(hours=3))
    orderer_survey = next(s for s in _surveys(db_session) if s.respondent == "orderer")

    answer_survey(
        session=db_session,
        token=orderer_survey.token,
        scores={"useful": 5},
        led_to="Ny rutin för återbesök.",
        now=ENDED + timedelta(days=1),
    )
    db_session.flush()
    page = client.get("/feedback/").get_data(as_text=True)

    db_session.refresh(assignment)
    assert assignment.outcome == "Ny rutin för återbesök."
    assert "Ny rutin för återbesök." in page
    assert "Answer the survey" in page


def test_council_sees_results_per_request_and_in_aggregate(factory, db_session, app):
    first, _, _, _ = booked_request(factory, title="Första")
    second, _, _, _ = booked_request(factory, title="Andra", starts_at=START + timedelta(days=1))
    _send(db_session, ENDED + timedelta(days=1, hours=3))
    member_surveys = [s for s in _surveys(db_session) if s.respondent == "member"]
    for survey, score in zip(member_surveys, (2, 4, 5, 5), strict=True):
        scores = {"purpose_clear": score, "material_in_time": score, "felt_heard": score}
        answer_survey(
            session=db_session,
            token=survey.token,
            scores=scores,
            free_text=f"svar {score}",
            now=ENDED,
        )
    client, council = signed_in(app, factory, Role.COUNCIL)

    overview = client.get("/council/feedback/").get_data(as_text=True)
    detail = client.get(f"/council/feedback/{first.id}").get_data(as_text=True)

    assert _row(overview, "All requests") == ["4 / 6", "4.0", "4.0", "4.0", "–"]
    assert _row(overview, "Första") == ["2 / 3", "3.0", "3.0", "3.0", "–"]
    assert _row(overview, "Andra") == ["2 / 3", "5.0", "5.0", "5.0", "–"]
    assert "svar 2" in detail and "svar 4" in detail and "svar 5" not in detail
    audit = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "request.feedback.read")
    ).all()
    assert [(a.actor_id, a.subject_id) for a in audit] == [(council.id, first.id)]
    assert second.id != first.id


def _row(html: str, title: str) -> list[str]:
    """Return the cells after the row header containing ``title`` in the overview table."""
    import re

    row = next(r for r in html.split("<tr") if title in r and "<th" in r)
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_council_sees_no_answers_yet_instead_of_zero_of_zero(factory, db_session, app):
    client, _ = signed_in(app, factory, Role.COUNCIL)
    empty = client.get("/council/feedback/").get_data(as_text=True)
    request, _, _, _ = booked_request(factory, title="Första")
    _send(db_session, ENDED + timedelta(hours=3))

    overview = client.get("/council/feedback/").get_data(as_text=True)
    detail = client.get(f"/council/feedback/{request.id}").get_data(as_text=True)
    with client.session_transaction() as state:
        state["lang"] = "sv"
    swedish = client.get("/council/feedback/").get_data(as_text=True)

    assert _row(empty, "All requests") == ["no answers yet", "–", "–", "–", "–"]
    assert _row(overview, "Första") == ["no answers yet (3 sent)", "–", "–", "–", "–"]
    assert "<p>Answered: no answers yet (3 sent)</p>" in detail
    assert _row(swedish, "Första")[0] == "inga svar än (3 skickade)"
    assert " / " not in "".join(_row(overview, "All requests"))
