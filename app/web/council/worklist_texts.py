"""The worklist's words: per section a title and, per item, its line, its one action and where
that action leads. A new section in ``app/services/worklist/registry.py`` gets its entry here;
the template renders whatever comes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.i18n import format_local
from app.i18n import lazy_gettext as _l
from app.models.enums import RequestAction, RequestStatus
from app.services.worklist.sections import WorkItem
from app.web.jobs.views import kind_label
from app.web.labels import label


@dataclass(frozen=True)
class SectionText:
    """How one section reads: title, and each item's line, action label and action URL."""

    title: object
    line: Callable[[WorkItem], str]
    action: Callable[[WorkItem], str]
    url: Callable[[WorkItem], str]
    #: Where all items are listed when the section shows only the first of them.
    more_url: Callable[[], str] | None = None


def when(days: int | None) -> str:
    """Return how far away a day is, in words."""
    if days is None:
        return _("no sessions yet")
    if days == 0:
        return _("today")
    return ngettext("in %(num)s day", "in %(num)s days", days)


def _request_url(item: WorkItem, anchor: str = "") -> str:
    return url_for("council.request_detail", request_id=item.request_id) + anchor


def _decision_line(item: WorkItem) -> str:
    facts = item.facts
    if facts["status"] == RequestStatus.INTEREST:
        state = _("the interest round is over")
    else:
        state = label(RequestStatus, facts["status"])
    return _(
        "%(title)s (%(organisation)s): %(people)s, first session %(when)s – %(state)s",
        title=item.title,
        organisation=facts["organisation"],
        people=ngettext("%(num)s person asked for", "%(num)s people asked for", facts["people"]),
        when=when(facts["days"]),
        state=state,
    )


def _short_line(item: WorkItem) -> str:
    facts = item.facts
    return _(
        "%(title)s: %(missing)s of %(people)s places not filled, first session %(when)s",
        title=item.title,
        missing=facts["missing"],
        people=facts["people"],
        when=when(facts["days"]),
    )


def _expiring_line(item: WorkItem) -> str:
    values = {
        "member": item.facts["member"],
        "title": item.title,
        "deadline": format_local(item.due_at),
    }
    if item.facts["is_interest_check"]:
        return _(
            "%(member)s has not said whether they are interested in %(title)s; "
            "deadline %(deadline)s",
            **values,
        )
    return _(
        "%(member)s has not answered the invitation to %(title)s; deadline %(deadline)s",
        **values,
    )


def _change_line(item: WorkItem) -> str:
    values = {"title": item.title, "at": format_local(item.due_at)}
    if item.facts["action"] == RequestAction.ANSWERED:
        return _("The orderer answered the question about %(title)s (%(at)s)", **values)
    return _("The orderer changed the time of a session of %(title)s (%(at)s)", **values)


TEXTS: dict[str, SectionText] = {
    "decision": SectionText(
        title=_l("Requests waiting for a decision"),
        line=_decision_line,
        action=lambda _item: _("Decide"),
        url=_request_url,
    ),
    "short": SectionText(
        title=_l("Groups still short"),
        line=_short_line,
        action=lambda item: (
            _("Invite a replacement") if item.facts["needs_replacement"] else _("See the group")
        ),
        url=lambda item: _request_url(
            item, "#replacement" if item.facts["needs_replacement"] else ""
        ),
    ),
    "expiring": SectionText(
        title=_l("Invitations about to expire"),
        line=_expiring_line,
        action=lambda _item: _("See the group"),
        url=_request_url,
    ),
    "conflicts": SectionText(
        title=_l("Declared conflicts of interest"),
        line=lambda item: _(
            "%(member)s declared a conflict of interest for %(title)s",
            member=item.facts["member"],
            title=item.title,
        ),
        action=lambda _item: _("Read the declaration and decide"),
        url=lambda item: _request_url(item, "#conflicts"),
    ),
    "debriefs": SectionText(
        title=_l("Members asking for a debrief"),
        line=lambda item: _(
            "%(member)s asks for a talk after %(title)s (asked %(at)s)",
            member=item.facts["member"],
            title=item.title,
            at=format_local(item.due_at, "yyyy-MM-dd"),
        ),
        action=lambda _item: _("Handle"),
        url=lambda item: url_for("council.debriefs") + f"#debrief-{item.key}",
        more_url=lambda: url_for("council.debriefs"),
    ),
    "orderer_changes": SectionText(
        title=_l("Answers and changes from orderers"),
        line=_change_line,
        action=lambda _item: _("Read the history"),
        url=lambda item: _request_url(item, "#history"),
    ),
    "claims": SectionText(
        title=_l("Claims to attest"),
        line=lambda item: _(
            "%(member)s, %(title)s, sent %(at)s",
            member=item.facts["member"],
            title=item.title,
            at=format_local(item.due_at, "yyyy-MM-dd"),
        ),
        action=lambda _item: _("Attest"),
        url=lambda _item: url_for("compensation.review"),
        more_url=lambda: url_for("compensation.review"),
    ),
    "failed_mail": SectionText(
        title=_l("Mail that could not be sent"),
        line=lambda item: _(
            "%(subject)s (%(kind)s), written %(at)s",
            subject=item.title,
            kind=kind_label(item.facts["kind"]),
            at=format_local(item.due_at),
        ),
        action=lambda _item: _("See the error"),
        url=lambda _item: url_for("jobs.home", status="failed"),
        more_url=lambda: url_for("jobs.home", status="failed"),
    ),
}
