"""Two first visits at once to a page with a feed link: one token, no deadlock (PostgreSQL).

Each visit creates the token, then writes an audit entry that refers to the user's row, as
the council's overview does. Two real connections in two threads; the second visit starts
while the first holds its transaction open.
"""

import threading

import pytest
from sqlmodel import Session

from app.models import User
from app.models.enums import Role
from app.services.pool.member_calendar import ensure_calendar_token
from app.services.privacy.audit import record_audit
from tests.factories import Factory

pytestmark = pytest.mark.postgres


def test_simultaneous_first_visits_agree_on_one_token(pg_engine):
    with Session(pg_engine) as session:
        user_id = Factory(session).user(Role.COUNCIL).id
        session.commit()
    first_has_token = threading.Event()
    tokens, errors = {}, []

    def visit(name: str, wait: threading.Event | None, hold: float) -> None:
        try:
            with Session(pg_engine) as session:
                session.connection().exec_driver_sql("SET lock_timeout = '10s'")
                user = session.get(User, user_id)
                if wait is not None:
                    wait.wait(10)
                tokens[name] = ensure_calendar_token(session=session, member=user)
                record_audit(
                    session=session, actor_id=user_id, action="pool.list", subject_type="member"
                )
                if wait is None:
                    first_has_token.set()
                    threading.Event().wait(hold)  # keep the transaction (and locks) open
                session.commit()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))

    threads = [
        threading.Thread(target=visit, args=("first", None, 0.5)),
        threading.Thread(target=visit, args=("second", first_has_token, 0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    with Session(pg_engine) as session:
        stored = session.get(User, user_id).calendar_token
    assert tokens == {"first": stored, "second": stored}
