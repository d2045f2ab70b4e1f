"""Status badges: every status of requests, invitations, assignments and claims as a badge kind.

A badge shows a status with a colour, an icon and the status's words (never colour alone,
docs/ui.md). The kind says what the status means to the reader: ``info`` in progress,
``warning`` waiting for someone, ``success`` done well, ``danger`` stopped, ``neutral`` closed or
not started.
"""

from __future__ import annotations

from enum import StrEnum

from app.models.enums import AssignmentStatus, ClaimStatus, InvitationStatus, RequestStatus

#: The badge kinds, each a ``badge--<kind>`` class with its own colour and icon (the icon is
#: the class's ``::before`` in style.css, with empty alternative text: the words say it).
BADGE_KINDS = ("info", "warning", "success", "danger", "neutral")

#: The badge kind of every status value, by the status enum.
BADGES: dict[type[StrEnum], dict[StrEnum, str]] = {
    RequestStatus: {
        RequestStatus.DRAFT: "neutral",
        RequestStatus.SUBMITTED: "warning",
        RequestStatus.QUESTION: "warning",
        RequestStatus.INTEREST: "info",
        RequestStatus.APPROVED: "info",
        RequestStatus.BOOKED: "success",
        RequestStatus.DECLINED: "danger",
        RequestStatus.CANCELLED: "danger",
        RequestStatus.COMPLETED: "neutral",
    },
    InvitationStatus: {
        InvitationStatus.PENDING: "warning",
        InvitationStatus.ACCEPTED: "success",
        InvitationStatus.DECLINED: "neutral",
        InvitationStatus.EXPIRED: "neutral",
        InvitationStatus.WITHDRAWN: "danger",
        InvitationStatus.CANCELLED: "danger",
    },
    AssignmentStatus: {
        AssignmentStatus.BOOKED: "success",
        AssignmentStatus.WITHDRAWN: "danger",
        AssignmentStatus.CANCELLED: "danger",
        AssignmentStatus.COMPLETED: "neutral",
        AssignmentStatus.NO_SHOW: "danger",
    },
    ClaimStatus: {
        ClaimStatus.DRAFT: "neutral",
        ClaimStatus.SUBMITTED: "warning",
        ClaimStatus.ATTESTED: "info",
        ClaimStatus.REJECTED: "danger",
        ClaimStatus.PAID: "success",
    },
}


def badge_kind(enum: type[StrEnum], value: str) -> str:
    """Return the badge kind of one status value (``neutral`` for an unknown value)."""
    try:
        return BADGES[enum][enum(value)]
    except (KeyError, ValueError):
        return "neutral"


def register_badges(app) -> None:
    """Expose ``badge_kind('RequestStatus', value)`` to templates."""
    by_name = {enum.__name__: enum for enum in BADGES}
    app.jinja_env.globals["badge_kind"] = lambda enum_name, value: badge_kind(
        by_name[enum_name], value
    )
