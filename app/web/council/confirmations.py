"""What the council's destructive decisions on a request do, asked before they are done."""

from __future__ import annotations

from app.i18n import lazy_gettext as _l
from app.web.confirm import Confirmation

DECLINE = Confirmation(
    question=_l("Decline the request?"),
    effects=(
        _l("The request is closed and nobody is invited."),
        _l("The orderer gets an email with your message."),
    ),
    confirm_label=_l("Yes, decline the request"),
)
CANCEL = Confirmation(
    question=_l("Cancel the request?"),
    effects=(
        _l("Every open invitation is withdrawn and every booking is cancelled."),
        _l("Everyone invited or booked gets an email and a calendar cancellation."),
        _l("The orderer sees your message on the request."),
    ),
    confirm_label=_l("Yes, cancel the request"),
)
END_INTEREST = Confirmation(
    question=_l("Stop asking for interest?"),
    effects=(
        _l("The questions nobody has answered yet are withdrawn; they get no email about it."),
        _l("The group is chosen from the regular proposal over the whole pool."),
    ),
    confirm_label=_l("Yes, stop asking"),
)

#: The page's destructive forms → their confirmation (the template renders a dialog for each).
CONFIRMATIONS = {"decline": DECLINE, "cancel": CANCEL, "end_interest": END_INTEREST}
