"""The council's matching weights page (validate, preview, save, audit) and the model page."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from sqlmodel import select

import matching
from app.models import AuditEvent, MatchingWeights
from app.models.base import utcnow
from app.models.enums import Role
from app.services.matchmaking.acceptance_model import train_and_store
from app.services.matchmaking.proposals import compute_proposal
from app.services.matchmaking.weights import current_weights
from tests.conftest import login
from tests.html import csrf_token
from tests.integration.test_acceptance_model import ACCEPTING, DECLINING, _history, _live

DEFAULTS = asdict(matching.Weights())


def _form(client, **changes) -> dict:
    page = client.get("/council/weights").get_data(as_text=True)
    values = {name: f"{value:.2f}" for name, value in DEFAULTS.items()}
    return {"csrf_token": csrf_token(page), **values, **changes}


@pytest.fixture
def council(factory, client):
    user = factory.user(Role.COUNCIL)
    login(client, user.email)
    return user


def test_the_page_shows_the_weights_in_force_with_swedish_labels(council, client):
    html = client.get("/council/weights").get_data(as_text=True)

    assert 'value="0.30"' in html and 'value="1.00"' in html  # relevance and load, the defaults
    assert "Hur mycket det väger att personen haft få uppdrag på sistone." in html
    assert "Variation i gruppen" in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"relevance": "-1"}, "relevance"),
        ({"load": "abc"}, "load"),
        ({"target": "NaN"}, "target"),
        ({"coverage": "11"}, "coverage"),
        ({"relevance": "0", "load": "0", "acceptance": "0"}, "relevance"),
    ],
)
def test_bad_weights_are_refused_with_a_message_and_nothing_saved(
    council, client, db_session, changes, field
):
    response = client.post("/council/weights", data=_form(client, save="1", **changes))

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="error-summary"' in html and f'id="{field}-error"' in html
    assert db_session.exec(select(MatchingWeights)).all() == []


def test_a_post_without_the_csrf_token_is_refused(council, client, db_session):
    data = _form(client, save="1", acceptance="0.9")
    del data["csrf_token"]

    response = client.post("/council/weights", data=data)

    assert response.status_code == 400
    assert db_session.exec(select(MatchingWeights)).all() == []


def test_preview_shows_each_undecided_request_before_and_after_without_saving(
    council, client, factory, db_session
):
    _history(factory, db_session)
    request, candidates = _live(factory, db_session)
    train_and_store(session=db_session, now=utcnow())
    names = {
        town: {
            m.display_name
            for m in compute_proposal(session=db_session, booking_request=request).members.values()
            if candidates.get(str(m.id)) == town
        }
        for town in (DECLINING, ACCEPTING)
    }

    # Without the acceptance part every candidate ties again: the group goes back to DECLINING.
    response = client.post("/council/weights", data=_form(client, preview="1", acceptance="0"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    row = html[html.index(f'data-request="{request.id}"') :]
    before = row[row.index('class="before"') : row.index('class="after"')]
    after = row[row.index('class="after"') : row.index("</tr>")]
    assert any(name in before for name in names[ACCEPTING])
    assert not any(name in before for name in names[DECLINING])
    assert any(name in after for name in names[DECLINING])
    assert "Ändras" in row
    assert db_session.exec(select(MatchingWeights)).all() == []
    assert current_weights(session=db_session) == matching.Weights()
    read = db_session.exec(select(AuditEvent).where(AuditEvent.actor_id == council.id)).all()
    assert any(e.detail.get("preview") and request.id in e.detail["requests"] for e in read)


def test_saved_weights_are_audited_and_used_by_every_new_proposal(
    council, client, factory, db_session
):
    request, _ = _live(factory, db_session)

    response = client.post(
        "/council/weights", data=_form(client, save="1", acceptance="0.75", diversity="0.2")
    )

    assert response.status_code == 302
    saved = db_session.exec(select(MatchingWeights)).one()
    assert saved.set_by_id == council.id
    expected = matching.Weights(**{**DEFAULTS, "acceptance": 0.75, "diversity": 0.2})
    assert current_weights(session=db_session) == expected
    event = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "matching.weights.set")
    ).one()
    assert (event.actor_id, event.subject_id) == (council.id, saved.id)
    assert event.detail["before"] == DEFAULTS
    assert event.detail["after"]["acceptance"] == 0.75
    assert compute_proposal(session=db_session, booking_request=request).weights == expected
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    assert 'id="proposal-basis"' in page and "0,75" in page


@pytest.mark.parametrize("role", [Role.ORDERER, Role.MEMBER])
def test_orderers_and_members_may_neither_see_nor_set_weights(
    role, factory, csrf_free_app, db_session
):
    client = csrf_free_app.test_client()
    login(client, factory.user(role).email)
    values = {name: "1" for name in DEFAULTS}

    assert client.get("/council/weights").status_code == 403
    assert client.get("/council/model").status_code == 403
    assert client.post("/council/weights", data={**values, "save": "1"}).status_code == 403
    assert db_session.exec(select(MatchingWeights)).all() == []


def test_model_page_before_and_after_training(council, client, factory, db_session):
    empty = client.get("/council/model").get_data(as_text=True)
    answers = _history(factory, db_session)
    request, _ = _live(factory, db_session)
    train_and_store(session=db_session, now=utcnow())

    html = client.get("/council/model").get_data(as_text=True)
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    assert 'id="no-model"' in empty and "200" in empty
    assert 'id="current-model"' in html
    assert f'<dd id="model-samples">{answers}</dd>' in html
    assert html.count("<circle") == 10 and 'id="calibration-desc"' in html
    table = html[
        html.index('id="calibration"') : html.index("</table>", html.index('id="calibration"'))
    ]
    assert table.count("<tr>") == 11  # the header and ten tenths
    assert 'id="model-versions"' in html
    basis = page[page.index('id="proposal-basis"') :]
    assert "version 1" in basis[: basis.index("</p>")]
