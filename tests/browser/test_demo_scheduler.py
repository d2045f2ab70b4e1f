"""The demo as ``make demo`` runs it: scripts/demo.sh (migrate, demo data, the scheduler beside
the web app), with mail going to a real SMTP server on loopback.

The journey in the browser: the council approves a one-person group, the invitation arrives by
SMTP (delivered by the scheduler's outbox job, since web requests only queue mail), the member
opens the link from that mail and accepts, and the scheduler's reminder job mails the booked
member a reminder of the session three days ahead. Stopping the script stops both processes.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Area, RequestArea, RequestSession, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from tests.clock_support import at_local, local_today
from tests.factories import Factory
from tests.smtp_support import smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.real_clock]
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "demo.sh"
TITLE = "Påminnelseprovet: samtal om diabetes"
#: How long the demo script may take to stop both processes after Ctrl-C.
STOP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, what: str, log: Path, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}\n{log.read_text()[-4000:]}")


def _answers(url: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1):
            return True
    except OSError:
        return False


def _seed_request(database_url: str) -> int:
    """A one-person diabetes request of the demo orderer, meeting in two to six days."""
    day = local_today() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    engine = make_engine(database_url, lock_first=True)  # as the two demo processes do
    with Session(engine) as session:
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        request = Factory(session).booking_request(
            orderer, areas=(), people_count=1, title=TITLE, experience="own", format="digital"
        )
        diabetes = session.exec(select(Area).where(Area.code == "diabetes")).one()
        session.add(RequestArea(request_id=request.id, area_id=diabetes.id))
        row = session.exec(
            select(RequestSession).where(RequestSession.request_id == request.id)
        ).one()
        row.starts_at, row.ends_at = at_local(day, 13), at_local(day, 15)
        row.ical_uid = f"{uuid.uuid4()}@demo-scheduler"
        session.add(row)
        session.commit()
        request_id = request.id
    engine.dispose()
    return request_id


def _text(message) -> str:
    """Return the plain-text part of a received message ("" when it has none)."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_content()
    return ""


def _mail_to(received, address: str, subject_start: str):
    return next(
        (
            m
            for m in list(received)
            if m["To"] and address in m["To"] and str(m["Subject"]).startswith(subject_start)
        ),
        None,
    )


def _sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_demo_script_runs_web_and_scheduler_and_a_reminder_reaches_smtp(browser, tmp_path):
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    log = tmp_path / "demo.log"
    with smtp_server() as (smtp_port, received):
        env = os.environ | {
            "BIN": str(Path(sys.executable).parent),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "DATABASE_URL": database_url,
            "LEVBIB_INSTANCE": str(tmp_path),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            # Faster than the demo's defaults (10 min, 1 min), slow enough that the jobs of one
            # scan finish before the next.
            "SCHEDULER_SCAN_SECONDS": "10",
            "OUTBOX_DELIVERY_SECONDS": "2",
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
        with log.open("w") as out:
            demo = subprocess.Popen(
                ["sh", str(SCRIPT)],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_for(lambda: _answers(base_url), "the web app to listen", log)
            request_id = _seed_request(database_url)
            context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
            page = context.new_page()
            page.set_default_timeout(15_000)

            _sign_in(page, base_url, DEMO_LOGINS[Role.COUNCIL])
            page.goto(f"{base_url}/council/requests/{request_id}")
            chosen = page.locator("#proposed-group li").first.inner_text().split(" (")[0]
            with page.expect_navigation():
                page.locator("#approve-form button").click()
            assert "/approve" not in page.url, page.locator("main").inner_text()[:1000]
            page.context.clear_cookies()
            invitation = _wait_for(
                lambda: next(
                    (m for m in list(received) if "/invitations/" in _text(m)),
                    None,
                ),
                "the invitation mail at the SMTP server: "
                + repr([(m["To"], m["Subject"]) for m in received][:20]),
                log,
            )
            address = invitation["To"].addresses[0].addr_spec
            token = re.search(r"/invitations/([\w-]+)", _text(invitation))[1]
            page.goto(f"{base_url}/invitations/{token}")
            page.locator("#agrees").check()
            with page.expect_navigation():
                page.locator("#accept-form button").click()
            reminder = _wait_for(
                lambda: _mail_to(received, address, "Påminnelse: " + TITLE),
                "the reminder mail at the SMTP server",
                log,
            )
            context.close()
        finally:
            os.killpg(demo.pid, signal.SIGINT) if demo.poll() is None else None
            try:
                # The scheduler lets a job it is running finish before it stops (shutdown with
                # wait): on a busy machine that took longer than 20 s once (CI, stop 30).
                demo.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(demo.pid, signal.SIGKILL)
                demo.wait()

    assert address.startswith(chosen.split()[0].lower() + ".")  # demo addresses: first.last.…
    assert TITLE in str(reminder["Subject"])
    assert demo.returncode in (130, 143)  # stopped by the signal, not crashed
    assert not _answers(base_url)
    leftovers = subprocess.run(
        ["pgrep", "-s", str(demo.pid)], capture_output=True, text=True
    ).stdout.split()
    assert leftovers == [], "the scheduler or the web app outlived the demo script"
