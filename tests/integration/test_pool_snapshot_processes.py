"""The kept matching index across processes: gunicorn workers see a change made elsewhere.

gunicorn runs the app as in production (two workers, ``--preload``, ``WARM_MATCHING_INDEX``):
every worker starts with the index built in the master. This test process then changes a
member's availability, and a member changes their own through the API (served by one of the
workers); every proposal asked for afterwards, whichever worker answers, must rank the pool
as it is now.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.models import AvailabilityException
from app.models.enums import Role
from app.services.accounts.api_tokens import create_api_token
from tests.booking_support import STOCKHOLM, booking_setting
from tests.factories import Factory

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.real_clock]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(base: str, path: str, token: str, method: str = "GET", body: dict | None = None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


@pytest.fixture
def served(pg_engine, tmp_path):
    """Seed a request and four eligible members, then serve the app; yield what the test needs."""
    with Session(pg_engine, expire_on_commit=False) as session:
        factory = Factory(session)
        request, row, members, _orderer, council = booking_setting(factory, session, people=4)
        member_user = factory.user(Role.MEMBER)
        members[1].user_id = member_user.id
        session.add(members[1])
        tokens = {
            "council": create_api_token(session=session, user=council, name="t", actor_id=None),
            "member": create_api_token(session=session, user=member_user, name="t", actor_id=None),
        }
        secrets = {role: token.secret for role, token in tokens.items()}
        session.commit()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": pg_engine.url.render_as_string(hide_password=False),
        "SECRET_KEY": "processes-" + "p" * 40,
        "LEVBIB_INSTANCE": str(tmp_path),
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "WARM_MATCHING_INDEX": "true",
        "API_RATE_LIMIT": "10000 per minute",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--preload", "--bind",
         f"127.0.0.1:{port}", "app:create_app()"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail((tmp_path / "gunicorn.log").read_text()[-3000:])
                time.sleep(0.3)
        yield base, secrets, request, row, members
    finally:
        process.terminate()
        process.wait(timeout=30)


def _ranking(base, token, request_id) -> tuple[set[int], dict[str, int]]:
    """Return who is ranked (all eligible, in a pool this small) and how many each rule left out."""
    status, body = _call(base, f"/api/v1/requests/{request_id}/proposal", token)
    assert status == 200
    ranked = {item["member_id"] for item in body["ranked"]}
    return ranked, {item["rule"]: item["count"] for item in body["excluded"]}


def test_every_worker_ranks_the_pool_as_it_is_now(served, pg_engine):
    base, secrets, request, row, members = served
    day = row.starts_at.astimezone(STOCKHOLM).date()
    everyone = {member.id for member in members}
    assert _ranking(base, secrets["council"], request.id) == (everyone, {})

    with Session(pg_engine) as session:  # changed by another process than the workers
        session.add(
            AvailabilityException(
                member_id=members[0].id, start_date=day, end_date=day, kind="blocked"
            )
        )
        session.commit()
    for _ in range(6):
        assert _ranking(base, secrets["council"], request.id) == (
            everyone - {members[0].id},
            {"unavailable": 1},
        )

    status, _ = _call(  # changed by a member through one of the workers
        base,
        "/api/v1/me/availability/periods",
        secrets["member"],
        method="POST",
        body={"start_date": str(day - timedelta(days=1)), "end_date": str(day)},
    )
    assert status == 201
    for _ in range(6):
        assert _ranking(base, secrets["council"], request.id) == (
            everyone - {members[0].id, members[1].id},
            {"unavailable": 2},
        )
