"""The weekly digest names each step with the same words as the request's history."""

from __future__ import annotations

from app import create_app
from app.models.enums import RequestAction
from app.services.journey.digest import DIGEST_ACTIONS
from app.web.labels import LABELS

#: Steps the orderer is never told of in the digest: the council's internal work and health.
INTERNAL = {
    RequestAction.DEBRIEF_ASKED,
    RequestAction.DEBRIEF_HANDLED,
    RequestAction.CONFLICT_DECIDED,
    RequestAction.RESERVE_INVITED,
    RequestAction.NO_RESERVE_LEFT,
    RequestAction.SWAPPED,
    RequestAction.QUOTAS_CHANGED,
}


def test_digest_msgids_are_the_history_labels_msgids():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 48, "DATABASE_URL": "sqlite://"})
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("en"):
            history = {action: str(LABELS[RequestAction][action]) for action in DIGEST_ACTIONS}
    assert history == DIGEST_ACTIONS


def test_the_digest_leaves_out_internal_and_health_related_steps():
    assert INTERNAL.isdisjoint(DIGEST_ACTIONS)
