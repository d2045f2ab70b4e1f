"""What an orderer's request waits for, derived from its state (issue 23)."""

from __future__ import annotations

import pytest

from app.models import BookingRequest
from app.models.enums import RequestStatus
from app.services.requests.waiting import ORDERER_GROUPS, WaitingFor, waiting_for


def _request(status: RequestStatus) -> BookingRequest:
    return BookingRequest(title="Samtal", status=status, organisation_id=1, orderer_id=1)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (RequestStatus.DRAFT, "Not sent to the council yet"),
        (RequestStatus.SUBMITTED, "Waiting for the council's decision"),
        (RequestStatus.QUESTION, "Waiting for your answer to the council's question"),
        (RequestStatus.INTEREST, "The council is asking people whether they are interested"),
        (RequestStatus.APPROVED, "Waiting for the council to invite more people"),
        (RequestStatus.BOOKED, "Booked"),
        (RequestStatus.COMPLETED, "Completed"),
        (RequestStatus.DECLINED, "Declined by the council"),
        (RequestStatus.CANCELLED, "Cancelled"),
    ],
)
def test_each_state_says_what_the_request_waits_for(status, message):
    assert waiting_for(_request(status)) == WaitingFor(message, 0)


def test_every_request_state_has_a_waiting_text():
    for status in RequestStatus:
        assert waiting_for(_request(status)).message


def test_an_approved_request_counts_the_replies_it_waits_for():
    approved = _request(RequestStatus.APPROVED)

    assert waiting_for(approved, pending_replies=1) == WaitingFor(
        "Waiting for a reply from 1 person", 1
    )
    assert waiting_for(approved, pending_replies=3) == WaitingFor(
        "Waiting for replies from %(count)s people", 3
    )


def test_pending_replies_count_only_for_an_approved_request():
    booked = _request(RequestStatus.BOOKED)

    assert waiting_for(booked, pending_replies=2) == WaitingFor("Booked", 0)


def test_a_completed_request_waits_for_the_orderers_survey_answer():
    completed = _request(RequestStatus.COMPLETED)

    assert waiting_for(completed, has_open_survey=True) == WaitingFor(
        "Waiting for your answer to the survey", 0
    )
    assert waiting_for(_request(RequestStatus.BOOKED), has_open_survey=True).message == "Booked"


def test_the_groups_hold_every_state_once():
    states = [status for *_texts, statuses in ORDERER_GROUPS for status in statuses]

    assert sorted(states) == sorted(RequestStatus)
    assert [key for key, *_rest in ORDERER_GROUPS] == [
        "yours",
        "council",
        "inviting",
        "booked",
        "finished",
    ]
