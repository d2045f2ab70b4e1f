"""Every action the code writes to the audit log has a sentence in the log's view."""

from __future__ import annotations

import re
from pathlib import Path

from app.models.enums import ApplicantStatus, AssignmentStatus, MemberStatus, RequestAction
from app.services.privacy.erasure import REQUEST_KINDS
from app.web.audit.sentences import SENTENCES, UNKNOWN, _template

APP = Path(__file__).resolve().parents[2] / "app"
#: A dotted action code written by ``record_audit``/``record_read`` or a module's ``_audit`` helper.
LITERAL = re.compile(r'(?:action=|_audit\(|_replace\()[^"\n]*"([a-z_]+(?:\.[a-z_]+)+)"')
#: The other branch of ``action="x" if ... else "y"``.
OTHER_BRANCH = re.compile(r'action=[^\n]* else "([a-z_]+(?:\.[a-z_]+)+)"')


def _written_actions() -> set[str]:
    found = set()
    for path in APP.rglob("*.py"):
        if path.name != "sentences.py":
            text = path.read_text(encoding="utf-8")
            found |= set(LITERAL.findall(text)) | set(OTHER_BRANCH.findall(text))
    return found


def test_every_literal_action_in_the_code_has_a_sentence():
    actions = _written_actions()

    assert {"user.disabled", "organisation.disabled", "member.health_data.read"} <= actions
    assert sorted(a for a in actions if _template(a)[0] is UNKNOWN) == []


def test_every_action_built_from_a_state_has_a_sentence():
    built = (
        [f"request.{action}" for action in RequestAction]
        + [f"assignment.{status}" for status in AssignmentStatus]
        + [f"member.status.{status}" for status in MemberStatus]
        + [f"member.{kind}.requested" for kind in REQUEST_KINDS]
        + [f"applicant.status.{status}" for status in ApplicantStatus]
    )

    assert [a for a in built if _template(a)[0] is UNKNOWN] == []
    assert _template("no.such.action")[0] is UNKNOWN
    assert "request.approved" in SENTENCES
