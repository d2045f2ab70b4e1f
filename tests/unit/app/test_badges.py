"""The status → badge mapping: every status value has a kind, and the kinds are the right ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.models.enums import AssignmentStatus, ClaimStatus, InvitationStatus, RequestStatus
from app.web.badges import BADGE_KINDS, BADGES, badge_kind

#: The statuses the service shows as badges (issue 23): requests, invitations, assignments, claims.
BADGED = (RequestStatus, InvitationStatus, AssignmentStatus, ClaimStatus)


@pytest.mark.parametrize("enum", BADGED, ids=lambda enum: enum.__name__)
def test_every_status_value_has_a_badge_kind(enum):
    # A value added to the enum without a badge fails here.
    assert set(BADGES[enum]) == set(enum)
    assert set(BADGES[enum].values()) <= set(BADGE_KINDS)


def test_the_badged_enums_are_exactly_the_four_status_machines():
    assert set(BADGES) == set(BADGED)


STYLE = Path(__file__).resolve().parents[3] / "app" / "static" / "style.css"


def test_every_kind_has_its_own_icon_with_empty_alternative_text():
    icons = dict(
        re.findall(
            r'\.badge--(\w+)::before \{ content: "[^"]+"; content: "([^"]+)" / ""; \}',
            STYLE.read_text(),
        )
    )

    assert set(icons) == set(BADGE_KINDS)
    assert len(set(icons.values())) == len(BADGE_KINDS)


def test_badge_kinds_say_what_each_status_means():
    assert {value.value: kind for value, kind in BADGES[RequestStatus].items()} == {
        "draft": "neutral",
        "submitted": "warning",
        "question": "warning",
        "interest": "info",
        "approved": "info",
        "booked": "success",
        "declined": "danger",
        "cancelled": "danger",
        "completed": "neutral",
    }
    assert {value.value: kind for value, kind in BADGES[InvitationStatus].items()} == {
        "pending": "warning",
        "accepted": "success",
        "declined": "neutral",
        "expired": "neutral",
        "withdrawn": "danger",
        "cancelled": "danger",
    }
    assert {value.value: kind for value, kind in BADGES[AssignmentStatus].items()} == {
        "booked": "success",
        "withdrawn": "danger",
        "cancelled": "danger",
        "completed": "neutral",
        "no_show": "danger",
    }
    assert {value.value: kind for value, kind in BADGES[ClaimStatus].items()} == {
        "draft": "neutral",
        "submitted": "warning",
        "attested": "info",
        "rejected": "danger",
        "paid": "success",
    }


def test_badge_kind_reads_plain_strings_and_shows_an_unknown_value_as_neutral():
    assert badge_kind(RequestStatus, "booked") == "success"
    assert badge_kind(ClaimStatus, "rejected") == "danger"
    assert badge_kind(RequestStatus, "no-such-status") == "neutral"
