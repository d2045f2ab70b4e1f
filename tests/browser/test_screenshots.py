"""Screenshots for docs/screenshots/ (``make screenshots``) at 360 and 1280 px: the member's
invitation, the council's request page after a swap and approval, the homes of the council, the
member and the orderer, and the council's request page with a proposal (the administrator's user
editing is shot by tests/browser/test_admin_editing.py).

Also a journey in its own right: the council swaps a person in the browser, approves, and the
page then shows the invited people as the group, with the swapped-out person as a reserve.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Area, Invitation, Member, RequestArea, RequestSession, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from tests.clock_support import STOCKHOLM, local_today
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)]

SIZES = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 900}}
# What an orderer writes, so the pictures in the docs read like the service in use.
SWEDISH_TEXTS = {
    "purpose": "Att blivande läkare och sjuksköterskor förstår hur det är att leva med diabetes.",
    "expectations": "Berätta om din vardag med diabetes och svara på studenternas frågor.",
    "contact_name": "Anna Lindqvist",
    "contact_email": "anna.lindqvist@rjl.example",
    "contact_phone": "010-242 00 00",
}


def _next_month_afternoons(count: int) -> list[datetime]:
    """Return ``count`` Tuesday/Thursday 13:00 starts in the coming month (Stockholm time)."""
    first = (local_today().replace(day=1) + timedelta(days=32)).replace(day=1)
    days = [first + timedelta(days=n) for n in range(14)]
    chosen = [day for day in days if day.weekday() in (1, 3)][:count]
    return [datetime.combine(day, time(13), tzinfo=STOCKHOLM).astimezone(UTC) for day in chosen]


def _meet_on_weekday_afternoons(session, request_id: int) -> None:
    """Replace the request's meetings with two weekday afternoons next month."""
    for row in session.exec(select(RequestSession).where(RequestSession.request_id == request_id)):
        session.delete(row)
    for start in _next_month_afternoons(2):
        session.add(
            RequestSession(
                request_id=request_id,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                ical_uid=f"{uuid.uuid4()}@screenshots",
            )
        )


@pytest.fixture(scope="module")
def scene(live_app):
    """A diabetes request the demo pool can staff, and an invitation of the demo member."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        user = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
        member = session.exec(select(Member).where(Member.user_id == user.id)).one()
        request = factory.booking_request(
            orderer,
            areas=(),
            people_count=2,
            title="Diabetesskolan: patientens perspektiv",
            experience="own",
            format="onsite",
            location="Länssjukhuset Ryhov",
            age_min=30,
            age_max=60,
            **SWEDISH_TEXTS,
        )
        diabetes = session.exec(select(Area).where(Area.code == "diabetes")).one()
        session.add(RequestArea(request_id=request.id, area_id=diabetes.id))
        _meet_on_weekday_afternoons(session, request.id)
        shown = factory.booking_request(
            orderer,
            status="approved",
            people_count=1,
            title="Samtal om vården i psykiatrin",
            **{
                **SWEDISH_TEXTS,
                "purpose": "Att personalen hör hur vården i psykiatrin upplevs av den som fått den.",
                "expectations": "Fundera på vad som hjälpte dig och vad som kunde ha gjorts annorlunda.",
            },
        )
        invitation = Invitation(
            request_id=shown.id,
            member_id=member.id,
            token="screenshot-invitation-" + "z" * 30,
            reply_deadline_at=datetime.now(UTC) + timedelta(days=5),
        )
        session.add(invitation)
        proposed = factory.booking_request(
            orderer,
            areas=(),
            people_count=2,
            title="Diabetesskolan: att leva med typ 1",
            experience="own",
            format="onsite",
            location="Länssjukhuset Ryhov",
            **SWEDISH_TEXTS,
        )
        session.add(RequestArea(request_id=proposed.id, area_id=diabetes.id))
        # The factory's default meeting is 14 days ahead, which can be a weekend the demo
        # pool is not available on (e.g. from Saturday 5 December 2026).
        _meet_on_weekday_afternoons(session, proposed.id)
        session.commit()
        yield {
            "request_id": request.id,
            "proposed_id": proposed.id,
            "token": invitation.token,
            "user_id": user.id,
        }
    engine.dispose()


def _sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _open(page, url: str) -> None:
    """Go to ``url`` and check it rendered for the signed-in user: 200 and one main heading."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert page.url == url, url
    heading = page.locator("main h1")
    assert heading.count() == 1 and heading.inner_text().strip(), url


def _shoot(page, name: str) -> dict[str, bytes]:
    """Return full-page PNGs of the current page at each size (file name → bytes)."""
    shots = {}
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.reload()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"], name
        shots[f"{name}-{label}.png"] = page.screenshot(full_page=True)
    return shots


def _save(shots: dict[str, bytes]) -> None:
    folder = os.environ.get("LEVBIB_SCREENSHOT_DIR")
    for png in shots.values():
        assert png.startswith(b"\x89PNG")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (Path(folder) / name).write_bytes(png)


def _group_names(page) -> list[str]:
    return [text.split(" (")[0] for text in page.locator("#proposed-group li").all_inner_texts()]


def test_screenshots_of_invitation_and_request_after_a_swap(page, live_app, scene):
    base_url = live_app[0]
    shots = {}
    page.goto(f"{base_url}/invitations/{scene['token']}")
    shots.update(_shoot(page, "invitation"))

    _sign_in(page, base_url, DEMO_LOGINS[Role.COUNCIL])
    page.goto(f"{base_url}/council/requests/{scene['request_id']}")
    proposed = _group_names(page)
    out_name = page.locator("#out_id option").first.inner_text()
    in_name = page.locator("#in_id option").first.inner_text()
    page.locator("#swap-form button[type=submit]").click()
    page.wait_for_url("**group=**")
    page.locator("#approve-form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base_url}/council/requests/{scene['request_id']}")

    assert len(proposed) == 2 and out_name in proposed
    assert sorted(_group_names(page)) == sorted([in_name, *(n for n in proposed if n != out_name)])
    # The swapped-out person is back among the reserves (in the approved reserve order).
    out_row = page.locator("#ranked tbody tr", has_text=out_name).inner_text()
    assert "Reserv " in out_row and "I gruppen" not in out_row
    assert page.locator("#invitations li").count() == 2
    shots.update(_shoot(page, "council-request-after-swap"))

    _save(shots)


#: The page of each role shot by the test below: (role, path, file name stem).
HOME_PAGES = [
    (Role.COUNCIL, "/council/", "council-home"),
    (Role.MEMBER, "/me/", "member-home"),
    (Role.ORDERER, "/orders/", "orderer-home"),
]


def test_screenshots_of_the_homes_and_the_request_page_with_a_proposal(page, live_app, scene):
    base_url = live_app[0]
    shots = {}
    for role, path, name in HOME_PAGES:
        page.context.clear_cookies()
        _sign_in(page, base_url, DEMO_LOGINS[role])
        _open(page, f"{base_url}{path}")
        shots.update(_shoot(page, name))
        if role is Role.COUNCIL:
            _open(page, f"{base_url}/council/requests/{scene['proposed_id']}")
            assert page.locator("main h1").inner_text() == "Diabetesskolan: att leva med typ 1"
            assert page.locator("#proposed-group li").count() == 2
            shots.update(_shoot(page, "council-request"))
    assert sorted(shots) == sorted(
        f"{name}-{size}.png"
        for name in ("council-home", "member-home", "orderer-home", "council-request")
        for size in SIZES
    )
    _save(shots)
