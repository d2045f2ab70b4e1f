"""What services need to write mail: the language, the council's mailbox, the public address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta


def _plain(message: str, **params) -> str:
    return message % params if params else message


@dataclass(frozen=True)
class MailContext:
    """What services need to write mail: language, the council's mailbox, the app's address."""

    council_mailbox: str = "radet@region.example"
    base_url: str = "http://127.0.0.1:5000"
    translate: Callable[..., str] = field(default=_plain)
    #: The language numbers are written in (app.formatting): the same as ``translate``'s.
    locale: str = "sv"
    #: The shortest time an invited member is given to answer (INVITATION_MIN_ANSWER_HOURS).
    min_answer_window: timedelta = timedelta(hours=2)

    def invitation_url(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/invitations/{token}"

    def request_url(self, request_id: int) -> str:
        """Return the council's page of a request."""
        return f"{self.base_url.rstrip('/')}/council/requests/{request_id}"
